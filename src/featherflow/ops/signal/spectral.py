"""Short-time Fourier transforms and MDCTs (``tf.signal.stft``, ``inverse_stft``, ``mdct``, ``inverse_mdct``):
framing, a window, and an FFT or DCT, composed as TF composes them (so their gradients are the parts').

>>> import featherflow as tf
>>> tf.signal.stft(tf.zeros([16]), frame_length=8, frame_step=4).shape
TensorShape([3, 5])
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...tensor import Tensor
from ..array.core import reshape
from ..array.create import cast, zeros_like
from ..array.join import concat, pad, reverse, split, tile
from ..convert import tensor
from ..math import api as m
from ..math.reduce import reduce_sum
from .dct import dct
from .fft import irfft, rfft
from .shape import _scalar_int, frame, overlap_and_add
from .windows import hann_window, vorbis_window


def _enclosing_power_of_two(n: int) -> int:
    return int(2 ** np.ceil(np.log(n) / np.log(2.0)))


def stft(signals: Any, frame_length: Any, frame_step: Any, fft_length: Any = None,
         window_fn: Callable | None = hann_window, pad_end: bool = False, name: str | None = None) -> Tensor:
    """The STFT of ``signals`` ``[..., samples]``: windowed frames, each through an RFFT of ``fft_length``
    (default: the smallest power of 2 >= frame_length)."""
    x = tensor(signals)
    length = _scalar_int(frame_length, "frame_length")
    n = _enclosing_power_of_two(length) if fft_length is None else _scalar_int(fft_length, "fft_length")
    framed = frame(x, length, frame_step, pad_end=pad_end)
    if window_fn is not None:
        framed = framed * window_fn(length, dtype=framed._dtype)
    return rfft(framed, [n])


def inverse_stft_window_fn(frame_step: Any, forward_window_fn: Callable = hann_window,
                           name: str | None = None) -> Callable:
    """A window function for ``inverse_stft`` that undoes ``forward_window_fn``'s overlapping windows."""
    step = _scalar_int(frame_step, "frame_step")

    def inverse_stft_window_fn_inner(frame_length: Any, dtype: Any) -> Tensor:
        length = _scalar_int(frame_length, "frame_length")
        forward = forward_window_fn(length, dtype=dtype)
        denom = m.square(forward)
        overlaps = -(-length // step)
        denom = pad(denom, [(0, overlaps * step - length)])
        denom = reshape(denom, [overlaps, step])
        denom = reduce_sum(denom, 0, keepdims=True)
        denom = tile(denom, [overlaps, 1])
        denom = reshape(denom, [overlaps * step])[:length]
        return m.where(m.equal(denom, 0.0), zeros_like(forward), forward / denom)

    return inverse_stft_window_fn_inner


def inverse_stft(stfts: Any, frame_length: Any, frame_step: Any, fft_length: Any = None,
                 window_fn: Callable | None = hann_window, name: str | None = None) -> Tensor:
    """The inverse of ``stft`` (with a window from ``inverse_stft_window_fn``): IRFFT, crop to frame_length,
    window, overlap-add."""
    s = tensor(stfts)
    if s._value.ndim < 2:
        raise ValueError(f"Shape {tuple(s._value.shape)} must have rank at least 2")
    length = _scalar_int(frame_length, "frame_length")
    n = _enclosing_power_of_two(length) if fft_length is None else _scalar_int(fft_length, "fft_length")
    frames = irfft(s, [n])
    have = frames._value.shape[-1]
    if have > length:
        frames = frames[..., :length]
    elif have < length:
        frames = pad(frames, [[0, 0]] * (frames._value.ndim - 1) + [[0, length - have]])
    if window_fn is not None:
        frames = frames * window_fn(length, dtype=frames._dtype)
    return overlap_and_add(frames, frame_step)


def mdct(signals: Any, frame_length: Any, window_fn: Callable | None = vorbis_window, pad_end: bool = False,
         norm: str | None = None, name: str | None = None) -> Tensor:
    """The MDCT of ``signals``: frames of ``frame_length`` (a multiple of 4), half-overlapping, windowed,
    folded and put through a type-IV DCT."""
    x = tensor(signals)
    if x._value.ndim < 1:
        raise ValueError("Shape () must have rank at least 1")
    length = _scalar_int(frame_length, "frame_length")
    if length % 4 != 0:
        raise ValueError("The frame length must be a multiple of 4.")
    framed = frame(x, length, length // 2, pad_end=pad_end)
    if window_fn is not None:
        framed = framed * window_fn(length, dtype=framed._dtype)
    else:
        framed = framed * (1.0 / np.sqrt(2))
    q = split(framed, 4, axis=-1)
    first = -reverse(q[2], [-1]) - q[3]
    second = q[0] - reverse(q[1], [-1])
    return dct(concat([first, second], -1), type=4, norm=norm)


def inverse_mdct(mdcts: Any, window_fn: Callable | None = vorbis_window, norm: str | None = None,
                 name: str | None = None) -> Tensor:
    """The inverse of ``mdct``: a type-IV DCT, unfolding, the window, and overlap-add."""
    x = tensor(mdcts)
    if x._value.ndim < 2:
        raise ValueError(f"Shape {tuple(x._value.shape)} must have rank at least 2")
    half = x._value.shape[-1]
    if norm is None:
        idct4 = (0.5 / cast(half, x._dtype)) * dct(x, type=4)
    elif norm == "ortho":
        idct4 = dct(x, type=4, norm="ortho")
    else:
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")
    a, b = split(idct4, 2, axis=-1)
    frames = concat([b, -reverse(b, [-1]), -reverse(a, [-1]), -a], -1)
    if window_fn is not None:
        frames = frames * window_fn(2 * half, dtype=x._dtype)
    else:
        frames = frames * (1.0 / np.sqrt(2))
    return overlap_and_add(frames, half)
