"""``tf.summary.scalar``, ``histogram``, ``image``, ``text`` and ``audio``: TensorBoard's summary v2 plugins.

Each writes, through ``tf.summary.write``, the tensor and ``SummaryMetadata`` TensorBoard's ``summary_v2`` modules
write under TF 2 (plugin names "scalars", "histograms", "images", "text", "audio"; the plugin's data proto,
version 0, as content): scalars as float32 scalars, histograms as ``[buckets, 3]`` float64
``(left, right, count)`` rows (30 buckets by default), images as ``[width, height, png...]`` strings, audio as
``[k, 2]`` strings of WAV files and labels.

>>> import numpy as np
>>> from featherflow.training.summary_plugins import encode_wav
>>> encode_wav(np.array([[0.5], [-1.0]], np.float32), 8000)[-4:]
b'\\x00@\\x00\\x80'
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np

from ..dtypes import float32 as _float32
from ..dtypes import float64 as _float64
from ..dtypes import int32 as _int32
from ..dtypes import string as _string
from ..dtypes import uint8 as _uint8
from ..ops.array.create import cast
from ..ops.debugging.checks import assert_non_negative, assert_rank, assert_scalar, assert_type
from ..ops.image.codecs import encode_png
from ..ops.image.color import convert_image_dtype
from ..tensor import Tensor, convert_to_tensor, dtype_mismatch
from .summary_writer import summary_scope, write

DEFAULT_BUCKET_COUNT = 30
_WAV = 11  # tensorboard.plugins.audio.plugin_data_pb2.AudioPluginData.Encoding.WAV


def _metadata(plugin_name: str, description: Any, content: bytes = b"") -> Any:
    from .summary_protos import SummaryMetadata

    metadata = SummaryMetadata()
    metadata.plugin_data.plugin_name = plugin_name
    metadata.plugin_data.content = content
    if description is not None:
        metadata.summary_description = description
    return metadata


def scalar(name: str, data: Any, step: Any = None, description: str | None = None) -> Tensor:
    """Writes a real scalar as a float32 summary for TensorBoard's scalars dashboard (``tf.summary.scalar``)."""
    with summary_scope(name, "scalar_summary", values=[data, step]) as (tag, _):
        data = convert_to_tensor(data)
        assert_scalar(data)
        return write(tag=tag, tensor=cast(data, _float32), step=step, metadata=_metadata("scalars", description))


def _buckets(data: Tensor, bucket_count: Any = None) -> np.ndarray:
    if bucket_count is None:
        bucket_count = DEFAULT_BUCKET_COUNT
    count = convert_to_tensor(bucket_count)
    assert_scalar(count)
    assert_type(count, _int32)
    bucket_count = max(0, int(count.numpy()))
    values = cast(data, _float64).numpy().reshape(-1)
    if values.size == 0 or bucket_count <= 0:
        return np.zeros((bucket_count, 3), np.float64)
    low, high = values.min(), values.max()
    width = high - low
    if width == 0:
        counts = np.zeros(bucket_count, np.float64)
        counts[-1] = values.size
        edges = np.full(bucket_count, high)
        return np.stack([edges, edges, counts], axis=1)
    with np.errstate(invalid="ignore"):  # NaN and infinities cast to int32 as on x86: INT_MIN, out of range
        indices = np.floor((values - low) / (width / np.float64(bucket_count))).astype(np.int32)
    indices = np.minimum(indices, bucket_count - 1)
    # tf.one_hot gives an out-of-range index an all-zero row: it is counted in no bucket
    counts = np.bincount(indices[indices >= 0], minlength=bucket_count).astype(np.float64)
    # tf.linspace(low, high, n + 1): start + i * step, the last edge exactly `high`
    edges = low + (width / np.float64(bucket_count)) * np.arange(bucket_count + 1, dtype=np.float64)
    edges[-1] = high
    return np.stack([edges[:-1], edges[1:], counts], axis=1)


def histogram(name: str, data: Any, step: Any = None, buckets: Any = None,
              description: str | None = None) -> Tensor:
    """Writes the histogram of ``data`` in ``buckets`` (30) equal-width buckets (``tf.summary.histogram``)."""
    data = convert_to_tensor(data)
    with summary_scope(name, "histogram_summary", values=[data, buckets, step]) as (tag, _):
        return write(tag=tag, tensor=lambda: convert_to_tensor(_buckets(data, buckets), _float64), step=step,
                     metadata=_metadata("histograms", description))


def image(name: str, data: Any, step: Any = None, max_outputs: int = 3, description: str | None = None) -> Tensor:
    """Writes up to ``max_outputs`` images of a ``[k, h, w, c]`` batch as PNGs (``tf.summary.image``)."""

    def tensor() -> Tensor:
        images = convert_to_tensor(data)
        assert_rank(images, 4)
        assert_non_negative(max_outputs)
        images = convert_image_dtype(images, _uint8, saturate=True)
        shape = images.shape.as_list()
        encoded = [encode_png(images[i]).numpy() for i in range(min(int(max_outputs), shape[0]))]
        return convert_to_tensor([str(shape[2]).encode(), str(shape[1]).encode(), *encoded], _string)

    with summary_scope(name, "image_summary", values=[data, max_outputs, step]) as (tag, _):
        return write(tag=tag, tensor=tensor, step=step, metadata=_metadata("images", description))


def text(name: str, data: Any, step: Any = None, description: str | None = None) -> Tensor:
    """Writes a string tensor for TensorBoard's text dashboard (``tf.summary.text``)."""
    with summary_scope(name, "text_summary", values=[data, step]) as (tag, _):
        data = convert_to_tensor(data)
        assert_type(data, _string)
        return write(tag=tag, tensor=data, step=step, metadata=_metadata("text", description))


def encode_wav(audio: np.ndarray, sample_rate: int) -> bytes:
    """A ``[frames, channels]`` float clip in [-1, 1] as a 16-bit PCM WAV file, as TF's ``EncodeWav`` writes it."""
    frames, channels = audio.shape
    scaled = np.clip(audio.astype(np.float32) * np.float32(32768.0), -32768, 32767)
    samples = (np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)).astype("<i2").tobytes()  # roundf: half away
    header = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + len(samples), b"WAVE", b"fmt ", 16, 1, channels,
                         sample_rate, sample_rate * channels * 2, channels * 2, 16, b"data", len(samples))
    return header + samples


def audio(name: str, data: Any, sample_rate: Any, step: Any = None, max_outputs: int = 3, encoding: Any = None,
          description: str | None = None) -> Tensor:
    """Writes up to ``max_outputs`` clips of a ``[k, frames, channels]`` batch in [-1, 1] as WAV files
    (``tf.summary.audio``)."""
    if encoding is None:
        encoding = "wav"
    if encoding != "wav":
        raise ValueError(f"Unknown encoding: {encoding!r}")

    def tensor() -> Tensor:
        clips = convert_to_tensor(data)
        assert_rank(clips, 3)
        assert_non_negative(max_outputs)
        rate = convert_to_tensor(sample_rate, _int32)
        if clips.dtype != _float32 and clips.shape[0] and max_outputs:  # TF's EncodeWav takes float32 clips only
            raise dtype_mismatch("EncodeWav", 0, _float32, clips.dtype)
        limited = clips.numpy()[:int(max_outputs)]
        rows = [[encode_wav(clip, int(rate.numpy())), b""] for clip in limited]
        return convert_to_tensor(np.array(rows, dtype=object).reshape(len(rows), 2), _string)

    content = struct.pack("BB", 0x10, _WAV)  # AudioPluginData(version=0, encoding=WAV)
    with summary_scope(name, "audio_summary", values=[data, sample_rate, max_outputs, step]) as (tag, _):
        return write(tag=tag, tensor=tensor, step=step, metadata=_metadata("audio", description, content))
