"""Colour: ``convert_image_dtype`` (TF's scaling and saturation rules), colour-space conversions (grayscale,
HSV with TF's RGBToHSV/HSVToRGB kernels and RGBToHSV's gradient, YIQ, YUV) and the adjustments
(brightness, contrast, gamma, hue, saturation; their random and stateless-random forms),
``per_image_standardization``.

>>> import featherflow as tf
>>> tf.image.convert_image_dtype(tf.constant([[[255]]], tf.uint8), tf.float32).numpy().tolist()
[[[1.0]]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...dtypes import as_dtype as _as_dtype
from ...dtypes import bfloat16 as _bfloat16
from ...dtypes import float16 as _float16
from ...dtypes import float32 as _float32
from ...dtypes import float64 as _float64
from ...errors import FailedPreconditionError
from ...tensor import Tensor
from ..array.core import expand_dims, op_error, stack
from ..array.create import cast
from ..array.join import tile
from ..convert import tensor
from ..linalg.core import tensordot
from ..math.api import divide_no_nan, maximum, multiply, rsqrt, square
from ..math.clip import clip_by_value
from ..math.reduce import reduce_mean, reduce_std
from ..registry import constant_like, register

_F32 = np.float32


# --- convert_image_dtype -----------------------------------------------------------------------------------


def saturate_cast(value: Tensor, dtype: Any) -> Tensor:
    """TF's ``saturate_cast`` for real dtypes: clamp to the limits of ``dtype`` representable in the input's
    type (one step inward where rounding would overshoot), then cast."""
    in_np = value.dtype.as_numpy_dtype
    out = _as_dtype(dtype)
    promoted = np.promote_types(in_np, out.as_numpy_dtype)
    low = in_np(np.maximum(value.dtype.min, out.min))
    if np.array([low, out.min], dtype=promoted)[0] < np.array([low, out.min], dtype=promoted)[1]:
        low = np.nextafter(low, in_np(0), dtype=in_np)
    high = in_np(np.minimum(float(value.dtype.max), float(out.max)))
    if np.array([high, out.max], dtype=promoted)[0] > np.array([high, out.max], dtype=promoted)[1]:
        high = np.nextafter(high, in_np(0), dtype=in_np)
    return cast(clip_by_value(value, tensor(low, value.dtype), tensor(high, value.dtype)), out)


def convert_image_dtype(image: Any, dtype: Any, saturate: bool = False, name: str | None = None) -> Tensor:
    """Converts an image to ``dtype``, scaling values between integer ranges and floats in [0, 1]."""
    x = tensor(image)
    dtype = _as_dtype(dtype)
    if not dtype.is_floating and not dtype.is_integer:
        raise AttributeError("dtype must be either floating point or integer")
    if not x.dtype.is_floating and not x.dtype.is_integer:
        raise AttributeError("image dtype must be either floating point or integer")
    if dtype == x.dtype:
        from ..array.core import identity

        return identity(x)
    if x.dtype.is_integer and dtype.is_integer:
        scale_in, scale_out = x.dtype.max, dtype.max
        if scale_in > scale_out:
            from ..math.api import floordiv

            scaled = floordiv(x, tensor((scale_in + 1) // (scale_out + 1), x.dtype))
            return saturate_cast(scaled, dtype) if saturate else cast(scaled, dtype)
        converted = saturate_cast(x, dtype) if saturate else cast(x, dtype)
        return multiply(converted, tensor((scale_out + 1) // (scale_in + 1), dtype))
    if x.dtype.is_floating and dtype.is_floating:
        return cast(x, dtype)
    if x.dtype.is_integer:
        return multiply(cast(x, dtype), tensor(1.0 / x.dtype.max, dtype))
    scaled = multiply(x, tensor(dtype.max + 0.5, x.dtype))
    return saturate_cast(scaled, dtype) if saturate else cast(scaled, dtype)


def _as_float(image: Any) -> tuple[Tensor, Any]:
    """The image as TF's adjust_* compute on it: float16/float32 as they are, others converted to float32."""
    x = tensor(image)
    if x.dtype in (_float16, _float32):
        return x, x.dtype
    return convert_image_dtype(x, _float32), x.dtype


# --- colour spaces -------------------------------------------------------------------------------------------


def rgb_to_grayscale(images: Any, name: str | None = None) -> Tensor:
    """Converts RGB images to grayscale (ITU-R 601 luma weights)."""
    x = tensor(images)
    flt = convert_image_dtype(x, _float32)
    gray = tensordot(flt, tensor([0.2989, 0.5870, 0.1140], _float32), [-1, -1])
    return convert_image_dtype(expand_dims(gray, -1), x.dtype)


def grayscale_to_rgb(images: Any, name: str | None = None) -> Tensor:
    """Repeats the single channel of grayscale images three times."""
    x = tensor(images)
    shape = x.shape
    if shape.rank is None or shape.rank < 2:
        raise ValueError(f"Shape {shape} must have rank at least 2")
    if shape[-1] != 1:
        raise ValueError(f"Dimension {shape[-1]} in both shapes must be equal, but are {shape[-1]} and 1. "
                         f"Shapes are [{shape[-1]}] and [1].")
    return tile(x, [1] * (shape.rank - 1) + [3])


_FLOAT_KERNELS = frozenset({_float16, _bfloat16, _float32, _float64})


def _check_rgb(x: Any, op: str) -> None:
    """RGBToHSV's and HSVToRGB's check (a FailedPrecondition in TF)."""
    if x.ndim == 0 or x.shape[-1] != 3:
        raise op_error(op, f"input must have 3 channels but input only has {x.shape[-1] if x.ndim else 0} "
                           "channels.", name="", cls=FailedPreconditionError)


def _check_adjust(x: Any, op: str) -> None:
    """The adjust kernels' checks: at least 3-D, and (hue, saturation) 3 channels."""
    if x.ndim < 3:
        raise op_error(op, f"input must be at least 3-D, got shape[{','.join(map(str, x.shape))}]", name="")
    if op != "AdjustContrastv2" and x.shape[-1] != 3:
        raise op_error(op, f"input must have 3 channels but instead has {x.shape[-1]} channels.", name="")


def _rgb_to_hsv(xp: Any, x: Any) -> tuple:
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    v = xp.maximum(xp.maximum(r, g), b)
    rng = v - xp.minimum(xp.minimum(r, g), b)
    s = xp.where(v > 0, rng / xp.where(v > 0, v, 1), 0).astype(x.dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        norm = (1 / rng) * x.dtype.type(1.0 / 6.0)
        h = xp.where(r == v, norm * (g - b), xp.where(g == v, norm * (b - r) + x.dtype.type(2.0 / 6.0),
                                                      norm * (r - g) + x.dtype.type(4.0 / 6.0)))
    h = xp.where(rng > 0, h, 0).astype(x.dtype)
    h = xp.where(h < 0, h + 1, h)
    return h, s, v


@register("RGBToHSV")
def rgb_to_hsv_op(xp: Any, x: Any) -> Any:
    _check_rgb(x, "RGBToHSV")
    return xp.stack(_rgb_to_hsv(xp, x), axis=-1)


def _rec(t: Tensor) -> Tensor:
    return divide_no_nan(constant_like(1.0, t), t)


@rgb_to_hsv_op.gradient
def _(grad: Tensor, ans: Tensor, x: Tensor) -> Any:
    # TF's _RGBToHSVGrad, term for term (ties broken R > G > B)
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    s, v = ans[..., 1], ans[..., 2]
    dt = x.dtype

    def f(c: Any) -> Tensor:
        return cast(c, dt)

    # constants made on the device (a Python number in an expression would be an upload)
    zero, m1, c60, c360 = (constant_like(v, x) for v in (0.0, -1.0, 60.0, 360.0))
    rb, gb, bb = f((r >= b) & (r >= g)), f((g > r) & (g >= b)), f((b > r) & (b > g))
    rs, gs, bs = f((r < b) & (r < g)), f((g <= r) & (g < b)), f((b <= r) & (b <= g))
    ds_dr = f(r > zero) * (rb * (gs * g + bs * b) * _rec(square(r)) + rs * m1 * _rec(gb * g + bb * b))
    ds_dg = f(g > zero) * (gb * (rs * r + bs * b) * _rec(square(g)) + gs * m1 * _rec(rb * r + bb * b))
    ds_db = f(b > zero) * (bb * (gs * g + rs * r) * _rec(square(b)) + bs * m1 * _rec(gb * g + rb * r))
    sv = _rec(square(s)) * _rec(square(v))
    dh_dr = c60 * (f(r > zero) * rb * m1 * (g - b) * sv
                  + f(g > zero) * gb * rs * (b - g) * _rec(square(r - g))
                  + f(g > zero) * gb * bs * m1 * _rec(g - b)
                  + f(b > zero) * bb * rs * (b - g) * _rec(square(b - r))
                  + f(b > zero) * bb * gs * _rec(b - g)) / c360
    dh_dg = c60 * (f(g > zero) * gb * m1 * (b - r) * sv
                  + f(r > zero) * rb * gs * (r - b) * _rec(square(r - g))
                  + f(r > zero) * rb * bs * _rec(r - b)
                  + f(b > zero) * bb * gs * (r - b) * _rec(square(b - g))
                  + f(b > zero) * bb * rs * m1 * _rec(b - r)) / c360
    dh_db = c60 * (f(b > zero) * bb * m1 * (r - g) * sv
                  + f(r > zero) * rb * bs * (g - r) * _rec(square(r - b))
                  + f(r > zero) * rb * gs * m1 * _rec(r - g)
                  + f(g > zero) * gb * bs * (g - r) * _rec(square(g - b))
                  + f(g > zero) * gb * rs * _rec(g - r)) / c360
    gh, gs_, gv = grad[..., 0], grad[..., 1], grad[..., 2]
    dv = stack([gv * rb, gv * gb, gv * bb], axis=-1)
    ds = stack([gs_ * ds_dr, gs_ * ds_dg, gs_ * ds_db], axis=-1)
    dh = stack([gh * dh_dr, gh * dh_dg, gh * dh_db], axis=-1)
    return ((dv + ds) + dh,)


@register("HSVToRGB", differentiable=False)
def hsv_to_rgb_op(xp: Any, x: Any) -> Any:
    _check_rgb(x, "HSVToRGB")
    one = x.dtype.type(1)
    h, s, v = x[..., 0], x[..., 1], x[..., 2]
    dh = h * x.dtype.type(6)
    dr = xp.clip(xp.abs(dh - 3) - one, 0, 1)
    dg = xp.clip(-xp.abs(dh - 2) + 2, 0, 1)
    db = xp.clip(-xp.abs(dh - 4) + 2, 0, 1)
    one_s = -s + one
    return xp.stack([(one_s + s * dr) * v, (one_s + s * dg) * v, (one_s + s * db) * v], axis=-1).astype(x.dtype)


def rgb_to_hsv(images: Any, name: str | None = None) -> Tensor:
    """Converts RGB images (floats in [0, 1]) to HSV."""
    x = tensor(images)
    return rgb_to_hsv_op(x)


def hsv_to_rgb(images: Any, name: str | None = None) -> Tensor:
    """Converts HSV images to RGB."""
    return hsv_to_rgb_op(tensor(images))


_YIQ = [[0.299, 0.59590059, 0.2115], [0.587, -0.27455667, -0.52273617], [0.114, -0.32134392, 0.31119955]]
_YIQ_INV = [[1, 1, 1], [0.95598634, -0.27201283, -1.10674021], [0.6208248, -0.64720424, 1.70423049]]
_YUV = [[0.299, -0.14714119, 0.61497538], [0.587, -0.28886916, -0.51496512], [0.114, 0.43601035, -0.10001026]]
_YUV_INV = [[1, 1, 1], [0, -0.394642334, 2.03206185], [1.13988303, -0.58062185, 0]]


def _mix(images: Any, kernel: list) -> Tensor:
    x = tensor(images)
    return tensordot(x, tensor(kernel, x.dtype), [[x.shape.rank - 1], [0]])


def rgb_to_yiq(images: Any) -> Tensor:
    """Converts RGB images to YIQ."""
    return _mix(images, _YIQ)


def yiq_to_rgb(images: Any) -> Tensor:
    """Converts YIQ images to RGB."""
    return _mix(images, _YIQ_INV)


def rgb_to_yuv(images: Any) -> Tensor:
    """Converts RGB images to YUV."""
    return _mix(images, _YUV)


def yuv_to_rgb(images: Any) -> Tensor:
    """Converts YUV images to RGB."""
    return _mix(images, _YUV_INV)


# --- adjustments (TF registers no gradient for AdjustContrastv2, AdjustHue, AdjustSaturation) -----------------


@register("AdjustContrastv2")
def adjust_contrast_op(xp: Any, x: Any, factor: Any) -> Any:
    _check_adjust(x, "AdjustContrastv2")
    f = x.astype(_F32)
    mean = f.mean(axis=(-3, -2), keepdims=True, dtype=_F32)
    return ((f - mean) * factor + mean).astype(x.dtype)


def _hsv_parts(xp: Any, x: Any, op: str) -> tuple:
    _check_adjust(x, op)
    h, s, v = _rgb_to_hsv(xp, x.astype(_F32))
    return h, s, v


def _hsv_back(xp: Any, h: Any, s: Any, v: Any, dtype: Any) -> Any:
    """adjust_hue_op.cc's hsv_to_rgb: chroma, the sextant of the hue, and the second largest component."""
    c = s * v
    m = v - c
    dh = h * _F32(6)
    sextant = xp.floor(dh)
    x = c * (_F32(1) - xp.abs(xp.mod(dh, _F32(2)) - _F32(1)))
    zero = xp.zeros_like(c)
    pick = [(c, x, zero), (x, c, zero), (zero, c, x), (zero, x, c), (x, zero, c), (c, zero, x)]
    out = []
    for channel in range(3):
        acc = zero
        for k, triple in enumerate(pick):
            acc = xp.where(sextant == k, triple[channel], acc)
        out.append(acc + m)
    return xp.stack(out, axis=-1).astype(dtype)


@register("AdjustHue")
def adjust_hue_op(xp: Any, x: Any, delta: Any) -> Any:
    h, s, v = _hsv_parts(xp, x, "AdjustHue")
    h = h + delta
    h = h - xp.floor(h)  # back into [0, 1)
    h = xp.where(h >= 1, h - 1, h)
    return _hsv_back(xp, h, s, v, x.dtype)


@register("AdjustSaturation")
def adjust_saturation_op(xp: Any, x: Any, scale: Any) -> Any:
    h, s, v = _hsv_parts(xp, x, "AdjustSaturation")
    s = xp.clip(s * scale, _F32(0), _F32(1))
    return _hsv_back(xp, h, s, v, x.dtype)


def _scalar(value: Any) -> float:
    return float(value if isinstance(value, (int, float)) else tensor(value).numpy())


def _factor(value: Any) -> Tensor:
    return cast(tensor(value), _float32)


def adjust_brightness(image: Any, delta: Any) -> Tensor:
    """Adds ``delta`` to every pixel (in float), converting back to the image's dtype with saturation."""
    flt, orig = _as_float(image)
    adjusted = flt + cast(tensor(delta), flt.dtype)
    return convert_image_dtype(adjusted, orig, saturate=True)


def adjust_contrast(images: Any, contrast_factor: Any) -> Tensor:
    """Moves each channel away from its mean by ``contrast_factor``: ``(x - mean) * factor + mean``."""
    flt, orig = _as_float(images)
    adjusted = adjust_contrast_op(flt, _factor(contrast_factor))
    return convert_image_dtype(adjusted, orig, saturate=True)


def adjust_gamma(image: Any, gamma: Any = 1, gain: Any = 1) -> Tensor:
    """Gamma correction: ``gain * image ** gamma`` in float, converted back to the image's dtype."""
    flt, orig = _as_float(image)
    if _scalar(gamma) < 0:
        raise ValueError("Gamma should be a non-negative real number.")
    adjusted = cast(tensor(gain), flt.dtype) * flt ** cast(tensor(gamma), flt.dtype)
    return convert_image_dtype(adjusted, orig, saturate=True)


def adjust_hue(image: Any, delta: Any, name: str | None = None) -> Tensor:
    """Rotates the hue of RGB images by ``delta`` (a fraction of the colour wheel, in [-1, 1])."""
    flt, orig = _as_float(image)
    return convert_image_dtype(adjust_hue_op(flt, _factor(delta)), orig)


def adjust_saturation(image: Any, saturation_factor: Any, name: str | None = None) -> Tensor:
    """Scales the saturation of RGB images by ``saturation_factor`` (clipped to [0, 1])."""
    flt, orig = _as_float(image)
    return convert_image_dtype(adjust_saturation_op(flt, _factor(saturation_factor)), orig)


def per_image_standardization(image: Any) -> Tensor:
    """Scales each image to mean 0 and variance 1 (the deviation at least 1 / sqrt(pixels))."""
    from .transforms import _image

    x = cast(_image(image), _float32)
    pixels = int(np.prod(x.shape[-3:]))
    mean = reduce_mean(x, axis=[-1, -2, -3], keepdims=True)
    std = reduce_std(x, axis=[-1, -2, -3], keepdims=True)
    adjusted = maximum(std, rsqrt(tensor(float(pixels), _float32)))
    return (x - mean) / adjusted


# --- random adjustments -----------------------------------------------------------------------------------


def _draw(seed: Any, low: float, high: float, stateless: bool) -> Tensor:
    if stateless:
        from ..random.stateless import stateless_uniform

        return stateless_uniform([], seed, low, high)
    from ..random.core import uniform

    return uniform([], low, high, seed=seed)


def _check_range(lower: float, upper: float) -> None:
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")


def random_brightness(image: Any, max_delta: float, seed: Any = None) -> Tensor:
    """``adjust_brightness`` by a delta drawn uniformly from [-max_delta, max_delta)."""
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_brightness(image, _draw(seed, -max_delta, max_delta, False))


def stateless_random_brightness(image: Any, max_delta: float, seed: Any) -> Tensor:
    """``random_brightness`` drawn from a stateless seed."""
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_brightness(image, _draw(seed, -max_delta, max_delta, True))


def random_contrast(image: Any, lower: float, upper: float, seed: Any = None) -> Tensor:
    """``adjust_contrast`` by a factor drawn uniformly from [lower, upper)."""
    _check_range(lower, upper)
    return adjust_contrast(image, _draw(seed, lower, upper, False))


def stateless_random_contrast(image: Any, lower: float, upper: float, seed: Any) -> Tensor:
    """``random_contrast`` drawn from a stateless seed."""
    _check_range(lower, upper)
    return adjust_contrast(image, _draw(seed, lower, upper, True))


def _check_hue(max_delta: float) -> None:
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")


def random_hue(image: Any, max_delta: float, seed: Any = None) -> Tensor:
    """``adjust_hue`` by a delta drawn uniformly from [-max_delta, max_delta)."""
    _check_hue(max_delta)
    return adjust_hue(image, _draw(seed, -max_delta, max_delta, False))


def stateless_random_hue(image: Any, max_delta: float, seed: Any) -> Tensor:
    """``random_hue`` drawn from a stateless seed."""
    _check_hue(max_delta)
    return adjust_hue(image, _draw(seed, -max_delta, max_delta, True))


def random_saturation(image: Any, lower: float, upper: float, seed: Any = None) -> Tensor:
    """``adjust_saturation`` by a factor drawn uniformly from [lower, upper)."""
    _check_range(lower, upper)
    return adjust_saturation(image, _draw(seed, lower, upper, False))


def stateless_random_saturation(image: Any, lower: float, upper: float, seed: Any = None) -> Tensor:
    """``random_saturation`` drawn from a stateless seed."""
    _check_range(lower, upper)
    return adjust_saturation(image, _draw(seed, lower, upper, True))
