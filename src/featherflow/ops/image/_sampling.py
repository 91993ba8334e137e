"""Resampling weights of TF's image kernels, as dense (out, in) matrices built on the device with ``xp``.

Every resize TF has is separable and linear in the image: each output row is a weighted sum of input rows,
and each output column of input columns. So each kernel is reduced to its two weight matrices, computed
with the float32 arithmetic of TF's C++ kernels (resize_bilinear_op.cc, resize_bicubic_op.cc,
resize_area_op.cc, resize_nearest_neighbor_op.cc, scale_and_translate_op.cc with sampling_kernels.h), and
applied as two matmuls; the gradient applies the transposed matrices.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_F32 = np.float32


def resize_scale(in_size: int, out_size: int, align_corners: bool) -> Any:
    """TF's CalculateResizeScale, in float32."""
    if align_corners and out_size > 1:
        return _F32(in_size - 1) / _F32(out_size - 1)
    return _F32(in_size) / _F32(out_size)


def _positions(xp: Any, out_size: int, scale: Any, half_pixel: bool, offset: float = 0.5) -> Any:
    o = xp.arange(out_size, dtype=_F32)
    return (o + _F32(0.5)) * scale - _F32(offset) if half_pixel else o * scale


def _one_hot(xp: Any, index: Any, in_size: int, weight: Any = None) -> Any:
    hit = xp.arange(in_size)[None, :] == index[:, None]
    if weight is None:
        return hit.astype(_F32)
    return xp.where(hit, weight[:, None], _F32(0))


def bilinear(xp: Any, in_size: int, out_size: int, align_corners: bool, half_pixel: bool) -> Any:
    """ResizeBilinear's weights: lower (floor, clamped at 0) and upper (ceil, clamped at in - 1) taps."""
    pos = _positions(xp, out_size, resize_scale(in_size, out_size, align_corners), half_pixel)
    low_f = xp.floor(pos)
    low = xp.maximum(low_f, 0).astype(np.int64)
    high = xp.minimum(xp.ceil(pos), in_size - 1).astype(np.int64)
    lerp = (pos - low_f).astype(_F32)
    return _one_hot(xp, low, in_size, _F32(1) - lerp) + _one_hot(xp, high, in_size, lerp)


def nearest_index(xp: Any, in_size: int, out_size: int, align_corners: bool, half_pixel: bool) -> Any:
    """ResizeNearestNeighbor's source index of each output position."""
    scale = resize_scale(in_size, out_size, align_corners)
    pos = _positions(xp, out_size, scale, half_pixel, offset=0.0)
    if align_corners:  # roundf: halves away from zero (positions are >= 0)
        floor = xp.floor(pos)
        index = xp.where(pos - floor >= 0.5, floor + 1, floor)
    else:
        index = xp.floor(pos)
    index = xp.minimum(index, in_size - 1)
    if half_pixel:
        index = xp.maximum(index, 0)
    return index.astype(np.int64)


def nearest(xp: Any, in_size: int, out_size: int, align_corners: bool, half_pixel: bool) -> Any:
    return _one_hot(xp, nearest_index(xp, in_size, out_size, align_corners, half_pixel), in_size)


_TABLE = 1024  # resize_bicubic_op.cc's kTableSize


def _cubic_table(xp: Any, a: float) -> tuple:
    """InitCoeffsTable: the Keys cubic at 1025 offsets, computed in double from float positions, kept as float."""
    x = (xp.arange(_TABLE + 1, dtype=np.float64) / _TABLE).astype(_F32).astype(np.float64)
    near = (((a + 2) * x - (a + 3)) * x * x + 1).astype(_F32)
    x1 = (x + 1.0).astype(_F32).astype(np.float64)
    far = ((((a * x1) - 5 * a) * x1 + 8 * a) * x1 - 4 * a).astype(_F32)
    return near, far


def bicubic(xp: Any, in_size: int, out_size: int, align_corners: bool, half_pixel: bool) -> Any:
    """ResizeBicubic's four taps per output from the quantized coefficient table; with half-pixel centers
    (Keys' a = -0.5) the taps outside the image get weight 0 and the rest are renormalized."""
    near, far = _cubic_table(xp, -0.5 if half_pixel else -0.75)
    pos = _positions(xp, out_size, resize_scale(in_size, out_size, align_corners), half_pixel)
    base_f = xp.floor(pos)
    delta = (pos - base_f).astype(_F32)
    offset = xp.rint(delta * _F32(_TABLE)).astype(np.int64)  # lrintf
    base = base_f.astype(np.int64)
    weights = [xp.take(far, offset), xp.take(near, offset), xp.take(near, _TABLE - offset),
               xp.take(far, _TABLE - offset)]
    taps = [base - 1, base, base + 1, base + 2]
    bounded = [xp.clip(t, 0, in_size - 1) for t in taps]
    if half_pixel:
        weights = [xp.where(b == t, w, _F32(0)) for w, b, t in zip(weights, bounded, taps)]
        total = (weights[0] + weights[1]) + (weights[2] + weights[3])
        ok = xp.abs(total) >= _F32(1000) * _F32(np.finfo(_F32).tiny)
        inv = _F32(1) / xp.where(ok, total, _F32(1))
        weights = [w * inv for w in weights]
    out = _one_hot(xp, bounded[0], in_size, weights[0])
    for b, w in zip(bounded[1:], weights[1:]):
        out = out + _one_hot(xp, b, in_size, w)
    return out


def area(xp: Any, in_size: int, out_size: int, align_corners: bool) -> Any:
    """ResizeArea: each output cell averages the input cells it covers, partial cells by their covered part."""
    scale = resize_scale(in_size, out_size, align_corners)
    o = xp.arange(out_size, dtype=_F32)[:, None]
    start, end = o * scale, (o + _F32(1)) * scale
    # cells past the end (float rounding; align_corners' larger scale) read the last one, as TF's BoundIfNeeded
    reach = max(in_size, int(np.ceil(np.float64(_F32(out_size) * scale))) + 1)
    i = xp.arange(reach, dtype=_F32)[None, :]
    first, stop = xp.floor(start), xp.ceil(end)
    part = xp.where(i < start, xp.where(i + 1 > end, scale, i + 1 - start), xp.where(i + 1 > end, end - i, _F32(1)))
    w = xp.where((i >= first) & (i < stop), part, _F32(0)).astype(_F32)
    w = xp.concatenate([w[:, : in_size - 1], w[:, in_size - 1:].sum(axis=1, keepdims=True)], axis=1)
    return w * (_F32(1) / scale)


# --- ScaleAndTranslate's kernels (sampling_kernels.h), each (function over |x|, radius) --------------------


def _lanczos(radius: float) -> Any:
    def f(xp: Any, x: Any) -> Any:
        pi = _F32(3.14159265359)
        safe = xp.where(x <= _F32(1e-3), _F32(1), x)
        v = _F32(radius) * xp.sin(pi * safe) * xp.sin(pi * safe / _F32(radius)) / (pi * pi * safe * safe)
        return xp.where(x > radius, _F32(0), xp.where(x <= _F32(1e-3), _F32(1), v))
    return f


def _gaussian(xp: Any, x: Any) -> Any:
    sigma = _F32(1.5) / _F32(3)
    return xp.where(x >= _F32(1.5), _F32(0), xp.exp(-x * x / (_F32(2) * sigma * sigma)))


def _box(xp: Any, x: Any) -> Any:
    return xp.where(x < _F32(0.5), _F32(1), xp.where(x == _F32(0.5), _F32(0.5), _F32(0)))


def _triangle(xp: Any, x: Any) -> Any:
    return xp.where(x < _F32(1), _F32(1) - x, _F32(0))


def _keys_cubic(xp: Any, x: Any) -> Any:
    outer = ((_F32(-0.5) * x + _F32(2.5)) * x - _F32(4)) * x + _F32(2)
    inner = ((_F32(1.5) * x - _F32(2.5)) * x) * x + _F32(1)
    return xp.where(x >= 2, _F32(0), xp.where(x >= 1, outer, inner))


def _mitchell_cubic(xp: Any, x: Any) -> Any:
    outer = (((_F32(-7.0 / 18.0) * x + _F32(2)) * x - _F32(10.0 / 3.0)) * x) + _F32(16.0 / 9.0)
    inner = ((_F32(7.0 / 6.0) * x - _F32(2)) * x) * x + _F32(8.0 / 9.0)
    return xp.where(x >= 2, _F32(0), xp.where(x >= 1, outer, inner))


KERNELS = {
    "lanczos1": (_lanczos(1.0), 1.0), "lanczos3": (_lanczos(3.0), 3.0), "lanczos5": (_lanczos(5.0), 5.0),
    "gaussian": (_gaussian, 1.5), "box": (_box, 1.0), "triangle": (_triangle, 1.0),
    "keyscubic": (_keys_cubic, 2.0), "mitchellcubic": (_mitchell_cubic, 2.0),
}


def scale_translate(xp: Any, in_size: int, out_size: int, scale: float, translate: float, kernel: str,
                    antialias: bool) -> Any:
    """ComputeSpans: the kernel centred on each output's source position, scaled by the downsampling factor
    when antialiasing, cut to the taps inside the image and normalized to sum 1 (no taps where the source
    position falls outside the image)."""
    fn, radius = KERNELS[kernel]
    inv_scale = _F32(1.0 / np.float64(_F32(scale)))
    inv_translate = -inv_scale * _F32(translate)
    kernel_scale = max(inv_scale, _F32(1)) if antialias else _F32(1)
    one_over = _F32(1) / kernel_scale
    reach = _F32(radius) * kernel_scale
    sample = (xp.arange(out_size, dtype=_F32) + _F32(0.5)) * inv_scale + inv_translate
    start = xp.clip(xp.ceil(sample - reach - _F32(0.5)), 0, in_size - 1)
    stop = xp.clip(xp.floor(sample + reach - _F32(0.5)), 0, in_size - 1) + 1
    src = xp.arange(in_size, dtype=_F32)[None, :]
    taps = (src >= start[:, None]) & (src < stop[:, None])
    w = xp.where(taps, fn(xp, xp.abs((src + _F32(0.5) - sample[:, None]) * one_over)), _F32(0)).astype(_F32)
    total = w.sum(axis=1)
    ok = (xp.abs(total) >= _F32(1000) * _F32(np.finfo(_F32).tiny)) & (sample >= 0) & (sample <= in_size)
    return xp.where(ok[:, None], w * (_F32(1) / xp.where(ok, total, _F32(1)))[:, None], _F32(0))


def apply(xp: Any, x: Any, rows: Any, cols: Any) -> Any:
    """``rows @ image @ cols.T`` for every image and channel of ``x`` (N, H, W, C)."""
    t = xp.matmul(rows, x.transpose(0, 3, 1, 2))
    t = xp.matmul(t, cols.T)
    return xp.ascontiguousarray(t.transpose(0, 2, 3, 1))
