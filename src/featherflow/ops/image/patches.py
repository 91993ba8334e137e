"""Patches, glimpses and random crops: ``extract_glimpse`` (Eigen's ExtractGlimpses), ``extract_patches`` (TF's ExtractImagePatches, composed of a pad and strided slices so
its gradient is theirs), ``random_crop`` and ``stateless_random_crop`` (TF's draw of the offsets).

>>> import featherflow as tf
>>> x = tf.reshape(tf.range(16), [1, 4, 4, 1])
>>> tf.image.extract_patches(x, [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID").numpy()[0, 0, 0].tolist()
[0, 1, 4, 5]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...dtypes import float32 as _float32
from ...dtypes import int32 as _int32
from ...tensor import Tensor
from ..array.core import op_error, reshape, stack
from ..array.join import pad
from ..array.slicing import slice as _slice
from ..array.slicing import strided_slice
from ..convert import tensor
from ..registry import register


def _four(value: Any, name: str) -> list:
    v = list(value)
    if len(v) != 4 or v[0] != 1 or v[3] != 1:
        raise ValueError(f"{name} must be a list of 4 ints with the first and last equal to 1, got {v}")  # TF's attr check
    return [int(i) for i in v]


def extract_patches(images: Any, sizes: Any, strides: Any, rates: Any, padding: str,
                    name: str | None = None) -> Tensor:
    """Gathers ``sizes`` patches from images into the depth dimension ([kr][kc][depth] order)."""
    x = tensor(images)
    if x.shape.rank != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {x.shape.rank}")
    (_, kr, kc, _), (_, sr, sc, _), (_, rr, rc, _) = (_four(sizes, "ksizes"), _four(strides, "strides"),
                                                     _four(rates, "rates"))
    padding = padding.upper() if isinstance(padding, str) else padding
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding}")
    n, h, w, d = x.shape
    eff_r, eff_c = (kr - 1) * rr + 1, (kc - 1) * rc + 1
    if padding == "VALID":
        out_r, out_c = max(0, -(-(h - eff_r + 1) // sr)), max(0, -(-(w - eff_c + 1) // sc))
        top = left = 0
        padded = x
    else:
        out_r, out_c = -(-h // sr), -(-w // sc)
        total_r = max((out_r - 1) * sr + eff_r - h, 0)
        total_c = max((out_c - 1) * sc + eff_c - w, 0)
        top, left = total_r // 2, total_c // 2
        padded = pad(x, [[0, 0], [top, total_r - top], [left, total_c - left], [0, 0]])
    if out_r == 0 or out_c == 0:
        from ..array.create import zeros

        return zeros([n, out_r, out_c, kr * kc * d], x.dtype)
    taps = []
    for i in range(kr):
        for j in range(kc):
            r0, c0 = i * rr, j * rc
            taps.append(strided_slice(padded, [0, r0, c0, 0], [n, r0 + (out_r - 1) * sr + 1, c0 + (out_c - 1) * sc + 1,
                                                                d], [1, sr, sc, 1]))
    return reshape(stack(taps, axis=3), [n, out_r, out_c, kr * kc * d])


def _crop(value: Any, size: Any, draw: Any) -> Tensor:
    x = tensor(value)
    s = tensor(size, _int32)
    shape = [int(v) for v in x.shape]
    want = [int(v) for v in s.numpy().reshape(-1)]
    if len(want) != len(shape) or any(a < b for a, b in zip(shape, want)):
        from ...errors import InvalidArgumentError

        raise InvalidArgumentError(None, None, "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. "
                                               "Summarized data: b'Need value.shape >= size, got '\n"
                                               f"{', '.join(map(str, shape))}\n{', '.join(map(str, want))}")
    limit = [a - b + 1 for a, b in zip(shape, want)]
    offsets = draw(len(shape)).numpy().reshape(-1)  # the offsets decide the slice: read on the host, as TF does
    return _slice(x, [int(o) % lim for o, lim in zip(offsets, limit)], want)


def random_crop(value: Any, size: Any, seed: Any = None, name: str | None = None) -> Tensor:
    """Crops a random ``size`` window out of ``value`` (any rank)."""
    from ..random.core import uniform

    return _crop(value, size, lambda k: uniform([k], maxval=2**31 - 1, dtype=_int32, seed=seed))


def stateless_random_crop(value: Any, size: Any, seed: Any, name: str | None = None) -> Tensor:
    """``random_crop`` drawn from a stateless seed (shape [2])."""
    from ..random.stateless import stateless_uniform

    return _crop(value, size, lambda k: stateless_uniform([k], seed, maxval=2**31 - 1, dtype=_int32))


# --- extract_glimpse ----------------------------------------------------------------------------------------


@register("ExtractGlimpseV2", inputs=("", "", ""))
def extract_glimpse_op(xp: Any, x: Any, offsets: Any, fill: Any, size: tuple, centered: bool,
                       normalized: bool) -> Any:
    """Eigen's ExtractGlimpses (version 2): each window's corner from its (y, x) offset, truncated to a pixel;
    what falls outside the image is taken from ``fill`` (zeros or noise the wrapper drew)."""
    if x.ndim != 4:
        raise op_error("ExtractGlimpseV2", f"input must be 4-dimensional[{','.join(map(str, x.shape))}]", name="")
    n, height, width, _ = x.shape
    h, w = size
    f32 = np.float32
    y, xx = offsets[:, 0].astype(f32), offsets[:, 1].astype(f32)
    if normalized:
        y, xx = y * f32(height), xx * f32(width)
        if centered:
            y = y / f32(2) + f32(height / 2) - f32(h / 2)
            xx = xx / f32(2) + f32(width / 2) - f32(w / 2)
    elif centered:
        y, xx = y + f32(height / 2), xx + f32(width / 2)
    top, left = xp.trunc(y).astype(np.int64), xp.trunc(xx).astype(np.int64)  # C's float -> integer conversion
    rows = top[:, None] + xp.arange(h)[None, :]
    cols = left[:, None] + xp.arange(w)[None, :]
    inside = (((rows >= 0) & (rows < height))[:, :, None] & ((cols >= 0) & (cols < width))[:, None, :])
    batch = xp.arange(n)[:, None, None]
    picked = x[batch, xp.clip(rows, 0, height - 1)[:, :, None], xp.clip(cols, 0, width - 1)[:, None, :]]
    return xp.where(inside[..., None], picked.astype(np.float32), fill)


def extract_glimpse(input: Any, size: Any, offsets: Any, centered: bool = True, normalized: bool = True,  # noqa: A002
                    noise: str = "uniform", name: str | None = None) -> Tensor:
    """Extracts ``size`` glimpses centred (or cornered) at ``offsets``; outside the image: ``noise``
    ("uniform": between the image's min and max; "gaussian": each channel's mean and deviation; "zero").
    TF draws that noise from an unseeded generator, so only its distribution can match."""
    from ..math.reduce import reduce_max, reduce_mean, reduce_min, reduce_std

    x = tensor(input, _float32)
    if x.shape.rank != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {x.shape.rank}")
    h, w = (int(v) for v in (size if isinstance(size, (list, tuple)) else tensor(size, _int32).numpy()))
    n, _, _, c = x.shape
    shape = [n, h, w, c]
    if noise == "zero":
        from ..array.create import zeros

        fill = zeros(shape, _float32)
    elif noise == "uniform":
        from ..random.core import uniform

        low = reduce_min(x, axis=[1, 2, 3], keepdims=True)
        fill = low + uniform(shape) * (reduce_max(x, axis=[1, 2, 3], keepdims=True) - low)
    elif noise == "gaussian":
        from ..random.core import normal

        fill = reduce_mean(x, axis=[1, 2], keepdims=True) + normal(shape) * reduce_std(x, axis=[1, 2], keepdims=True)
    else:
        raise op_error("ExtractGlimpseV2", f"The noise could only be uniform, gaussian, or zero, got{noise}")
    return extract_glimpse_op(x, tensor(offsets, _float32), fill, size=(h, w), centered=bool(centered),
                              normalized=bool(normalized))
