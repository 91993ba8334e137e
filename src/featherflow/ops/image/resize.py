"""Image resizing: TF's resize ops (ResizeBilinear, ResizeNearestNeighbor, ResizeBicubic, ResizeArea,
ScaleAndTranslate) with their gradients, and ``tf.image.resize`` (v2) over them.

>>> import featherflow as tf
>>> tf.image.resize([[[1.0], [3.0]]], [1, 4]).numpy()[0, :, 0].tolist()
[1.0, 1.5, 2.5, 3.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...dtypes import float32 as _float32
from ...dtypes import float64 as _float64
from ...dtypes import int32 as _int32
from ...tensor import Tensor
from ..array.core import expand_dims, op_error, squeeze
from ..convert import tensor
from ..registry import register
from . import _sampling as _s

_F32 = np.float32


class ResizeMethod:
    """The methods of ``tf.image.resize``."""

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


def _float(xp: Any, x: Any) -> Any:
    return x if x.dtype == _F32 else x.astype(_F32)


def _check_size(op: str, x: Any, size: tuple) -> None:
    """The resize kernels' checks, with their messages."""
    if len(x.shape) != 4:
        raise op_error(op, f"input must be 4-dimensional[{','.join(map(str, x.shape))}]", name="")
    if size[0] <= 0 or size[1] <= 0:
        raise op_error(op, "output dimensions must be positive", name="")


# --- bilinear ------------------------------------------------------------------------------------------------


@register("ResizeBilinear", inputs=("T",))
def resize_bilinear_op(xp: Any, x: Any, size: tuple, align_corners: bool = False,
                       half_pixel_centers: bool = False) -> Any:
    _check_size("ResizeBilinear", x, size)
    rows = _s.bilinear(xp, x.shape[1], size[0], align_corners, half_pixel_centers)
    cols = _s.bilinear(xp, x.shape[2], size[1], align_corners, half_pixel_centers)
    return _s.apply(xp, _float(xp, x), rows, cols)


@resize_bilinear_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, size: tuple, align_corners: bool = False,
      half_pixel_centers: bool = False) -> Any:
    if not x._dtype.is_floating:
        return (None,)
    return (resize_bilinear_grad_op(g, shape=x._value.shape, dtype=x._value.dtype, align_corners=align_corners,
                                    half_pixel_centers=half_pixel_centers),)


@register("ResizeBilinearGrad", differentiable=False, inputs=("",))
def resize_bilinear_grad_op(xp: Any, g: Any, shape: tuple, dtype: Any, align_corners: bool,
                            half_pixel_centers: bool) -> Any:
    rows = _s.bilinear(xp, shape[1], g.shape[1], align_corners, half_pixel_centers)
    cols = _s.bilinear(xp, shape[2], g.shape[2], align_corners, half_pixel_centers)
    return _s.apply(xp, _float(xp, g), rows.T, cols.T).astype(dtype, copy=False)


# --- nearest -------------------------------------------------------------------------------------------------


@register("ResizeNearestNeighbor", inputs=("T",))
def resize_nearest_op(xp: Any, x: Any, size: tuple, align_corners: bool = False,
                      half_pixel_centers: bool = False) -> Any:
    _check_size("ResizeNearestNeighbor", x, size)
    rows = _s.nearest_index(xp, x.shape[1], size[0], align_corners, half_pixel_centers)
    cols = _s.nearest_index(xp, x.shape[2], size[1], align_corners, half_pixel_centers)
    return xp.take(xp.take(x, rows, axis=1), cols, axis=2)


@resize_nearest_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, size: tuple, align_corners: bool = False,
      half_pixel_centers: bool = False) -> Any:
    return (resize_nearest_grad_op(g, size=x._value.shape[1:3], align_corners=align_corners,
                                   half_pixel_centers=half_pixel_centers),)


@register("ResizeNearestNeighborGrad", inputs=("T",))
def resize_nearest_grad_op(xp: Any, g: Any, size: tuple, align_corners: bool, half_pixel_centers: bool) -> Any:
    # each input pixel sums the outputs that copied it: the one-hot selection matrices, transposed
    rows = _s.nearest(xp, size[0], g.shape[1], align_corners, half_pixel_centers).astype(g.dtype)
    cols = _s.nearest(xp, size[1], g.shape[2], align_corners, half_pixel_centers).astype(g.dtype)
    return _s.apply(xp, g, rows.T, cols.T)


# --- bicubic -------------------------------------------------------------------------------------------------


@register("ResizeBicubic", inputs=("T",))
def resize_bicubic_op(xp: Any, x: Any, size: tuple, align_corners: bool = False,
                      half_pixel_centers: bool = False) -> Any:
    _check_size("ResizeBicubic", x, size)
    rows = _s.bicubic(xp, x.shape[1], size[0], align_corners, half_pixel_centers)
    cols = _s.bicubic(xp, x.shape[2], size[1], align_corners, half_pixel_centers)
    return _s.apply(xp, _float(xp, x), rows, cols)


@resize_bicubic_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, size: tuple, align_corners: bool = False,
      half_pixel_centers: bool = False) -> Any:
    if x._dtype not in (_float32, _float64):  # TF's rule: other dtypes get None
        return (None,)
    return (resize_bicubic_grad_op(g, shape=x._value.shape, dtype=x._value.dtype, align_corners=align_corners,
                                   half_pixel_centers=half_pixel_centers),)


@register("ResizeBicubicGrad", inputs=("",))
def resize_bicubic_grad_op(xp: Any, g: Any, shape: tuple, dtype: Any, align_corners: bool,
                           half_pixel_centers: bool) -> Any:
    rows = _s.bicubic(xp, shape[1], g.shape[1], align_corners, half_pixel_centers)
    cols = _s.bicubic(xp, shape[2], g.shape[2], align_corners, half_pixel_centers)
    return _s.apply(xp, _float(xp, g), rows.T, cols.T).astype(dtype, copy=False)


# --- area (TF registers no gradient) ---------------------------------------------------------------------------


@register("ResizeArea", inputs=("T",))
def resize_area_op(xp: Any, x: Any, size: tuple, align_corners: bool = False) -> Any:
    _check_size("ResizeArea", x, size)
    rows = _s.area(xp, x.shape[1], size[0], align_corners)
    cols = _s.area(xp, x.shape[2], size[1], align_corners)
    return _s.apply(xp, _float(xp, x), rows, cols)


# --- scale and translate --------------------------------------------------------------------------------------


def _check_kernel(kernel_type: str) -> None:
    if kernel_type not in _s.KERNELS:
        raise op_error("ScaleAndTranslate", f"Unrecognized kernel type: {kernel_type}", name="")


@register("ScaleAndTranslate", inputs=("T",))
def scale_and_translate_op(xp: Any, x: Any, size: tuple, scale: tuple, translation: tuple,
                           kernel_type: str = "lanczos3", antialias: bool = True) -> Any:
    _check_kernel(kernel_type)
    _check_size("ScaleAndTranslate", x, size)
    rows = _s.scale_translate(xp, x.shape[1], size[0], scale[0], translation[0], kernel_type, antialias)
    cols = _s.scale_translate(xp, x.shape[2], size[1], scale[1], translation[1], kernel_type, antialias)
    return _s.apply(xp, _float(xp, x), rows, cols)


@scale_and_translate_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, size: tuple, scale: tuple, translation: tuple,
      kernel_type: str = "lanczos3", antialias: bool = True) -> Any:
    return (scale_and_translate_grad_op(g, shape=x._value.shape, scale=scale, translation=translation,
                                        kernel_type=kernel_type, antialias=antialias),)


@register("ScaleAndTranslateGrad", inputs=("T",))
def scale_and_translate_grad_op(xp: Any, g: Any, shape: tuple, scale: tuple, translation: tuple,
                                kernel_type: str, antialias: bool) -> Any:
    rows = _s.scale_translate(xp, shape[1], g.shape[1], scale[0], translation[0], kernel_type, antialias)
    cols = _s.scale_translate(xp, shape[2], g.shape[2], scale[1], translation[1], kernel_type, antialias)
    return _s.apply(xp, g, rows.T, cols.T)


# --- tf.image.resize ----------------------------------------------------------------------------------------


def _size_pair(size: Any) -> tuple:
    if isinstance(size, (list, tuple)) and len(size) == 2 and all(isinstance(v, (int, np.integer)) for v in size):
        return int(size[0]), int(size[1])  # Python ints: no tensor (a device round trip) to read them from
    try:
        s = tensor(size, _int32) if not isinstance(size, Tensor) else size
    except (TypeError, ValueError):
        raise ValueError("'size' must be a 1-D int32 Tensor") from None
    if s.dtype != _int32:
        raise ValueError("'size' must be a 1-D int32 Tensor")
    if tuple(s.shape) != (2,):
        raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
    values = s.numpy()  # the output shape: host values, as TF's kernels read them
    return int(values[0]), int(values[1])


def batched(images: Any) -> tuple[Tensor, bool]:
    """``images`` as a 4-D batch, and whether it was one already."""
    x = tensor(images)
    if x.shape.rank == 3:
        return expand_dims(x, 0), False
    if x.shape.rank != 4:
        raise ValueError("'images' must have either 3 or 4 dimensions.")
    return x, True


def _method(method: Any) -> str:
    m = getattr(method, "value", method)
    return str(m).lower() if isinstance(m, str) else m


def _aspect_size(height: int, width: int, size: tuple) -> tuple:
    factor = min(_F32(size[0]) / _F32(height), _F32(size[1]) / _F32(width))
    return int(np.round(factor * _F32(height))), int(np.round(factor * _F32(width)))


def resize(images: Any, size: Any, method: Any = ResizeMethod.BILINEAR, preserve_aspect_ratio: bool = False,
           antialias: bool = False, name: str | None = None) -> Tensor:
    """Resizes images to ``size`` (TF 2's ``tf.image.resize``): float32 results, except ``nearest``."""
    x, is_batch = batched(images)
    new = _size_pair(size)
    if preserve_aspect_ratio:
        new = _aspect_size(x.shape[1], x.shape[2], new)
    m = _method(method)
    if m == ResizeMethod.BILINEAR:
        out = _scale_translate(x, new, "triangle", True) if antialias else resize_bilinear_op(
            x, size=new, half_pixel_centers=True)
    elif m == ResizeMethod.NEAREST_NEIGHBOR:
        out = resize_nearest_op(x, size=new, half_pixel_centers=True)
    elif m == ResizeMethod.BICUBIC:
        out = _scale_translate(x, new, "keyscubic", True) if antialias else resize_bicubic_op(
            x, size=new, half_pixel_centers=True)
    elif m == ResizeMethod.AREA:
        out = resize_area_op(x, size=new)
    elif m in (ResizeMethod.LANCZOS3, ResizeMethod.LANCZOS5, ResizeMethod.GAUSSIAN, ResizeMethod.MITCHELLCUBIC):
        out = _scale_translate(x, new, m, antialias)
    else:
        raise ValueError(f"Resize method is not implemented: {method}")
    return out if is_batch else squeeze(out, [0])


def _scale_translate(x: Tensor, new: tuple, kernel: str, antialias: bool) -> Tensor:
    scale = (float(_F32(new[0]) / _F32(x.shape[1])), float(_F32(new[1]) / _F32(x.shape[2])))
    return scale_and_translate_op(x, size=new, scale=scale, translation=(0.0, 0.0), kernel_type=kernel,
                                  antialias=antialias)


def resize_with_pad(image: Any, target_height: int, target_width: int, method: Any = ResizeMethod.BILINEAR,
                    antialias: bool = False) -> Tensor:
    """Resizes ``image`` to fit inside the target keeping its aspect ratio, then pads it with zeros."""
    from .transforms import pad_to_bounding_box

    x, is_batch = batched(image)
    if target_width <= 0:
        raise ValueError("target_width must be > 0.")
    if target_height <= 0:
        raise ValueError("target_height must be > 0.")
    height, width = x.shape[1], x.shape[2]
    # TF's arithmetic: float32 ratios, the larger one decides, then floor of the scaled sizes
    ratio = max(_F32(width) / _F32(target_width), _F32(height) / _F32(target_height))
    height_f, width_f = _F32(height) / ratio, _F32(width) / ratio
    resized_h, resized_w = int(np.floor(height_f)), int(np.floor(width_f))
    pad_h = max(0, int(np.floor((_F32(target_height) - height_f) / _F32(2))))
    pad_w = max(0, int(np.floor((_F32(target_width) - width_f) / _F32(2))))
    out = resize(x, [resized_h, resized_w], method=method, antialias=antialias)
    out = pad_to_bounding_box(out, pad_h, pad_w, target_height, target_width)
    return out if is_batch else squeeze(out, [0])
