"""``tf.signal.frame`` and ``overlap_and_add``: compositions of array ops, so their gradients are the array
ops' (a gather's and a pad/reshape/sum's), on any device.

>>> import featherflow as tf
>>> tf.signal.frame([1, 2, 3, 4, 5], 3, 2).numpy()
array([[1, 2, 3],
       [3, 4, 5]], dtype=int32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import Tensor
from ..array.core import reshape, transpose
from ..array.gather import gather
from ..array.join import pad
from ..convert import tensor
from ..math.reduce import reduce_sum


def _scalar_int(value: Any, name: str) -> int:
    v = np.asarray(tensor(value)._numpy() if isinstance(value, Tensor) else value)
    if v.ndim != 0:
        raise ValueError(f"Shape {v.shape} must have rank 0")
    if v.dtype.kind not in "iu":
        raise ValueError(f"{name} must be an integer. Got {v.dtype}")
    return int(v)


def frame(signal: Any, frame_length: Any, frame_step: Any, pad_end: bool = False, pad_value: Any = 0,
          axis: int = -1, name: str | None = None) -> Tensor:
    """Expands ``axis`` of ``signal`` into frames of ``frame_length`` samples, ``frame_step`` apart."""
    x = tensor(signal)
    length, step = _scalar_int(frame_length, "frame_length"), _scalar_int(frame_step, "frame_step")
    shape = x._value.shape
    if not shape:
        raise ValueError("Shape () must have rank at least 1")
    ax = int(_scalar_int(axis, "axis"))
    if not -len(shape) <= ax < len(shape):
        raise IndexError("range object index out of range")
    ax %= len(shape)
    samples = shape[ax]
    if pad_end:
        frames = -(-samples // step)
        extra = max(0, length + step * (frames - 1) - samples)
        if extra:
            paddings = [[0, 0]] * len(shape)
            paddings[ax] = [0, extra]
            x = pad(x, paddings, constant_values=tensor(pad_value, x._dtype))
    else:
        frames = max(0, 1 + (samples - length) // step)
    index = np.arange(frames, dtype=np.int32)[:, None] * step + np.arange(length, dtype=np.int32)[None, :]
    return gather(x, index, axis=ax)


def overlap_and_add(signal: Any, frame_step: Any, name: str | None = None) -> Tensor:
    """Sums frames ``[..., frames, frame_length]`` placed ``frame_step`` apart into ``[..., output_length]``."""
    x = tensor(signal)
    shape = x._value.shape
    if len(shape) < 2:
        raise ValueError(f"Shape {tuple(shape)} must have rank at least 2")
    step = _scalar_int(frame_step, "frame_step")
    outer, (frames, length) = list(shape[:-2]), shape[-2:]
    output_length = length + step * (frames - 1)
    if step == length:
        return reshape(x, outer + [output_length])
    # TF's algorithm: each frame split into ``segments`` blocks of ``frame_step`` samples; a block-wise
    # transpose lines up the blocks that land on the same output samples, which one sum adds
    segments = -(-length // step)
    x = pad(x, [[0, 0]] * len(outer) + [[0, segments], [0, segments * step - length]])
    x = reshape(x, outer + [frames + segments, segments, step])
    r = len(outer)
    x = transpose(x, list(range(r)) + [r + 1, r, r + 2])
    x = reshape(x, outer + [(frames + segments) * segments, step])
    x = x[..., :(frames + segments - 1) * segments, :]
    x = reshape(x, outer + [segments, frames + segments - 1, step])
    x = reduce_sum(x, -3)
    x = reshape(x, outer + [(frames + segments - 1) * step])
    return x[..., :output_length]
