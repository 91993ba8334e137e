"""TF's projective image transform (``ImageProjectiveTransformV2``/``V3``, what ``tf.raw_ops`` and Keras's
``affine_transform`` call): each output pixel ``(x, y)`` samples the input at
``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`` with ``k = c0 x + c1 y + 1``, by nearest or bilinear
interpolation, points outside the image mapped back in by the fill mode (REFLECT, WRAP, NEAREST) or given the
fill value (CONSTANT). The arithmetic is the float32 of TF's kernel (image_ops.h), on the device's ``xp``.

>>> import featherflow as tf
>>> from featherflow.ops.image.projective import image_projective_transform
>>> shift = [1, 0, -1, 0, 1, 0, 0, 0]  # output x samples input x - 1
>>> image_projective_transform([[[[1.], [2.], [3.]]]], [shift], [1, 3], "NEAREST").numpy()[0, 0, :, 0].tolist()
[0.0, 1.0, 2.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...dtypes import float32 as _float32
from ...dtypes import int32 as _int32
from ...errors import InvalidArgumentError
from ...tensor import Tensor
from ..array.core import host_tensor, op_error
from ..convert import tensor
from ..registry import constant_like, register

_F32 = np.float32
_INTERPOLATIONS = ("NEAREST", "BILINEAR")
_FILL_MODES = ("REFLECT", "WRAP", "CONSTANT", "NEAREST")


def _map_reflect(xp: Any, c: Any, size: int) -> Any:
    """MapCoordinate<FILL_REFLECT>: [abcd] -> [dcba|abcd|dcba] (scipy's ndimage), then clamped."""
    if size <= 1:
        return xp.zeros_like(c)
    sz2 = _F32(2 * size)
    # below 0: fold by whole periods (a C cast truncates toward zero), then mirror
    low = xp.where(c < sz2, sz2 * xp.trunc(-c / sz2) + c, c)
    low = xp.where(low < -size, low + sz2, -low - _F32(1))
    high = c - sz2 * xp.trunc(c / sz2)
    high = xp.where(high >= size, sz2 - high - _F32(1), high)
    out = xp.where(c < 0, low, xp.where(c > size - 1, high, c))
    return xp.clip(out, _F32(0), _F32(size - 1))


def _map_wrap(xp: Any, c: Any, size: int) -> Any:
    """MapCoordinate<FILL_WRAP>: [abcd] -> [abcd|abcd|abcd], then clamped."""
    if size <= 1:
        return xp.zeros_like(c)
    sz = _F32(size - 1)
    low = c + _F32(size) * (xp.trunc(-c / sz) + _F32(1))
    high = c - _F32(size) * xp.trunc(c / sz)
    out = xp.where(c < 0, low, xp.where(c > size - 1, high, c))
    return xp.clip(out, _F32(0), _F32(size - 1))


def _map(xp: Any, c: Any, size: int, mode: str) -> Any:
    if mode == "REFLECT":
        return _map_reflect(xp, c, size)
    if mode == "WRAP":
        return _map_wrap(xp, c, size)
    if mode == "NEAREST":
        return xp.clip(c, _F32(0), _F32(size - 1))
    return c


def _read(xp: Any, images: Any, batch: Any, y: Any, x: Any, fill: Any) -> Any:
    """read_with_fill_value at integer positions ``y``, ``x`` (arrays of one shape): (..., channels)."""
    h, w = images.shape[1], images.shape[2]
    inside = (y >= 0) & (y < h) & (x >= 0) & (x < w)
    values = images[batch, xp.clip(y, 0, h - 1), xp.clip(x, 0, w - 1)]
    return xp.where(inside[..., None], values, fill)


def _round(xp: Any, c: Any) -> Any:
    """std::round (halves away from zero), in float."""
    a = xp.abs(c)
    r = xp.floor(a)
    r = xp.where(a - r >= _F32(0.5), r + _F32(1), r)
    return xp.where(c < 0, -r, r)


def _index(xp: Any, c: Any, size: int) -> Any:
    """An integral float coordinate as an index; far points (any beyond the image reads the fill value) are
    clipped to just outside it, so that the cast is defined."""
    return xp.clip(c, _F32(-1), _F32(size)).astype(np.int64)


def _transform(xp: Any, images: Any, transforms: Any, fill_value: Any, output_shape: tuple, interpolation: str,
               fill_mode: str) -> Any:
    _, h, w, _ = images.shape
    fill = fill_value.astype(images.dtype)  # the kernel's static_cast<T>(fill_value)
    out_h, out_w = output_shape
    t = transforms.astype(_F32, copy=False)[:, :, None, None]  # (1 or batch, 8, 1, 1)
    ox = xp.arange(out_w, dtype=_F32)[None, None, :]
    oy = xp.arange(out_h, dtype=_F32)[None, :, None]
    projection = t[:, 6] * ox + t[:, 7] * oy + _F32(1)
    infinite = projection == 0
    safe = xp.where(infinite, _F32(1), projection)
    x = _map(xp, (t[:, 0] * ox + t[:, 1] * oy + t[:, 2]) / safe, w, fill_mode)
    y = _map(xp, (t[:, 3] * ox + t[:, 4] * oy + t[:, 5]) / safe, h, fill_mode)
    # TF 2.21's kernel reads what lies outside the image as the fill value, pixel by pixel (a bilinear sample
    # near the edge blends the two): only an infinite point is the fill value outright.
    batch = xp.arange(images.shape[0])[:, None, None]
    if interpolation == "NEAREST":
        out = _read(xp, images, batch, _index(xp, _round(xp, y), h), _index(xp, _round(xp, x), w), fill)
    else:
        x0, y0 = xp.floor(x), xp.floor(y)
        x1, y1 = x0 + _F32(1), y0 + _F32(1)
        xi0, xi1 = _index(xp, x0, w), _index(xp, x1, w)
        yi0, yi1 = _index(xp, y0, h), _index(xp, y1, h)

        def read(yi: Any, xi: Any) -> Any:
            return _read(xp, images, batch, yi, xi, fill).astype(_F32, copy=False)

        wx0, wx1 = (x1 - x)[..., None], (x - x0)[..., None]
        top = wx0 * read(yi0, xi0) + wx1 * read(yi0, xi1)
        bottom = wx0 * read(yi1, xi0) + wx1 * read(yi1, xi1)
        out = ((y1 - y)[..., None] * top + (y - y0)[..., None] * bottom).astype(images.dtype)
    return xp.where(infinite[..., None], fill, out)


@register("ImageProjectiveTransformV2", inputs=("dtype", "=DT_FLOAT"))
def image_projective_transform_v2_op(xp: Any, images: Any, transforms: Any, output_shape: tuple,
                                     interpolation: str, fill_mode: str = "CONSTANT") -> Any:
    return _transform(xp, images, transforms, xp.zeros((), _F32), output_shape, interpolation, fill_mode)


@register("ImageProjectiveTransformV3", inputs=("dtype", "=DT_FLOAT", "=DT_FLOAT"))
def image_projective_transform_v3_op(xp: Any, images: Any, transforms: Any, fill_value: Any, output_shape: tuple,
                                     interpolation: str, fill_mode: str = "CONSTANT") -> Any:
    return _transform(xp, images, transforms, fill_value, output_shape, interpolation, fill_mode)


def _inverse(transforms: Tensor) -> Tensor:
    """TF's gradient: the flat transforms of the inverse matrices (image_ops.py's flat_transforms_to_matrices,
    matrix_inverse, matrices_to_flat_transforms)."""
    from ..array.core import reshape
    from ..array.create import ones
    from ..array.join import concat
    from ..linalg.decomp import inv

    n = transforms.shape[0]
    matrices = reshape(concat([transforms, ones([n, 1])], axis=1), [-1, 3, 3])
    flat = reshape(inv(matrices), [-1, 9])
    return (flat / flat[:, 8:9])[:, :8]


@image_projective_transform_v2_op.gradient
def _(g: Any, ans: Any, images: Any, transforms: Any, output_shape: tuple, interpolation: str,
      fill_mode: str = "CONSTANT") -> tuple:
    size = tuple(images.shape[1:3])
    return (image_projective_transform_v2_op(g, _inverse(transforms), output_shape=size, interpolation=interpolation,
                                             fill_mode=fill_mode), None)


@image_projective_transform_v3_op.gradient
def _(g: Any, ans: Any, images: Any, transforms: Any, fill_value: Any, output_shape: tuple, interpolation: str,
      fill_mode: str = "CONSTANT") -> tuple:
    size = tuple(images.shape[1:3])
    zero = constant_like(0, transforms)  # (made on the device: no upload)
    return (image_projective_transform_v3_op(g, _inverse(transforms), zero, output_shape=size,
                                             interpolation=interpolation, fill_mode=fill_mode), None, None)


def _debug_shape(shape: tuple) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def image_projective_transform(images: Any, transforms: Any, output_shape: Any, interpolation: str,
                               fill_mode: str = "CONSTANT", fill_value: Any = None) -> Tensor:
    """``ImageProjectiveTransformV3`` (``V2`` when ``fill_value`` is None) with TF's checks: ``images`` of shape
    (batch, height, width, channels), ``transforms`` (batch or 1, 8) float32, ``output_shape`` [height, width]."""
    name = "ImageProjectiveTransformV2" if fill_value is None else "ImageProjectiveTransformV3"
    x = tensor(images)
    t = tensor(transforms, _float32)
    shape_t = host_tensor(output_shape, _int32)
    op = image_projective_transform_v2_op if fill_value is None else image_projective_transform_v3_op
    fill = None if fill_value is None else tensor(fill_value, _float32)
    inputs = (x, t) if fill is None else (x, t, fill)
    try:
        op.check(*inputs)
    except InvalidArgumentError as e:  # TF's raw op checks the dtype attr on its fast path: no " name: "
        raise InvalidArgumentError(None, None, e.message.removesuffix(" name: ")) from None
    for attr, value, allowed, what in (("interpolation", interpolation, _INTERPOLATIONS, "interpolation"),
                                       ("fill_mode", fill_mode, _FILL_MODES, "mode")):
        if not isinstance(value, str):
            raise TypeError(f"Expected string for argument '{attr}' not {value!r}.")
        if value not in allowed:  # TF logs this and runs with an undefined mode: refused here
            raise op_error(name, f"Invalid {what} {value}. Supported types: {', '.join(allowed)}")
    if x.shape.rank != 4:
        raise op_error(name, "Input images must have rank 4")
    tshape = tuple(t.shape)
    if len(tshape) != 2 or tshape[0] not in (x.shape[0], 1) or tshape[1] != 8:
        raise op_error(name, "Input transform should be num_images x 8 or 1 x 8")
    sshape = tuple(shape_t.shape)
    if len(sshape) != 1:
        raise op_error(name, f"output shape must be 1-dimensional{_debug_shape(sshape)}")
    if sshape[0] != 2:
        raise op_error(name, f"output shape must have two elements{_debug_shape(sshape)}")
    out_h, out_w = (int(v) for v in np.asarray(shape_t._numpy()))
    if out_h <= 0 or out_w <= 0:
        raise op_error(name, "output dimensions must be positive")
    if fill is not None and fill.shape.rank != 0:
        raise op_error(name, f"fill_value must be a scalar{_debug_shape(tuple(fill.shape))}")
    return op(*inputs, output_shape=(out_h, out_w), interpolation=interpolation, fill_mode=fill_mode)
