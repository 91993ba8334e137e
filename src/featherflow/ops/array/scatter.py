"""Scattering: ``tf.scatter_nd`` and ``tf.tensor_scatter_nd_update/add/sub/min/max``, with TF's gradients.

>>> import featherflow as tf
>>> tf.scatter_nd([[1], [3]], [10, 20], [5]).numpy()
array([ 0, 10,  0, 20,  0], dtype=int32)
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...device import _scope
from ...tensor import Tensor, dtype_mismatch
from .._kernel_errors import slow_path
from ..convert import hinted, shape_text, tensor
from ..convert import tensor as tensor_
from ..registry import register
from .core import int_values, like, op_error
from .gather import gather_nd_op, nd_bounds_error


def _coords(indices: Any) -> tuple:
    k = indices.shape[-1]
    rows = indices.reshape(-1, k).astype(np.intp, copy=False)
    return tuple(rows[:, j] for j in range(k)), rows.shape[0]


def _apply(xp: Any, ufunc: str | None, out: Any, indices: Any, updates: Any) -> Any:
    """Writes ``updates`` into ``out`` at ``indices`` (rows of coordinates): assigned (last one wins for
    duplicates, as TF's CPU kernel) or combined with a ufunc's unbuffered ``at``."""
    if xp is not np and indices.shape[-1]:
        return _apply_on_device(xp, ufunc, out, indices, updates)
    where, m = _coords(indices)
    u = updates.reshape((m,) + out.shape[indices.shape[-1]:])
    if not where:  # zero coordinates: every update addresses the whole tensor
        for row in range(m):
            out[...] = u[row] if ufunc is None else getattr(xp, ufunc)(out, u[row])
        return out
    if ufunc is None:
        out[where] = u
    else:
        getattr(np if xp is np else xp, ufunc).at(out, where, u)
    return out


def _apply_on_device(xp: Any, ufunc: str | None, out: Any, indices: Any, updates: Any) -> Any:
    """``_apply`` without reading the indices back: TF's GPU kernels ignore rows of indices out of range, so
    they go to a spare slot past the end of ``out`` viewed as (slots, inner), which is then dropped."""
    k = indices.shape[-1]
    lead = out.shape[:k]
    slots = int(np.prod(lead, dtype=np.int64))
    rows = indices.reshape(-1, k).astype(np.intp, copy=False)
    flat = xp.zeros((rows.shape[0],), dtype=np.intp)
    inside = xp.ones((rows.shape[0],), dtype=bool)
    for j, n in enumerate(lead):  # row-major flat positions, and whether every coordinate is in range
        flat = flat * n + rows[:, j]
        inside &= (rows[:, j] >= 0) & (rows[:, j] < n)
    flat = xp.where(inside, flat, slots)
    inner = out.shape[k:]
    padded = xp.concatenate([out.reshape((slots,) + inner), xp.zeros((1,) + inner, dtype=out.dtype)])
    u = updates.reshape((rows.shape[0],) + inner)
    if ufunc is None:
        padded[flat] = u
    else:
        getattr(xp, ufunc).at(padded, flat, u)
    return padded[:slots].reshape(out.shape)


# --- scatter_nd ------------------------------------------------------------------------------------


@register("ScatterNd")
def scatter_nd_op(xp: Any, indices: Any, updates: Any, shape: tuple) -> Any:
    if updates.dtype == object:
        out = np.full(shape, b"", dtype=object)
    else:
        out = xp.zeros(shape, dtype=updates.dtype)
    return _apply(xp, "add" if updates.dtype != np.bool_ else "logical_or", out, indices, updates)


@scatter_nd_op.gradient
def _(g: Tensor, ans: Tensor, indices: Tensor, updates: Tensor, shape: tuple) -> Any:
    return None, gather_nd_op(g, indices)


# --- tensor_scatter_nd_* ---------------------------------------------------------------------------


def _scatter(name: str, ufunc: str | None) -> Any:
    def forward(xp: Any, tensor_: Any, indices: Any, updates: Any) -> Any:
        return _apply(xp, ufunc, tensor_.copy(), indices, updates)

    return register(name)(forward)


tensor_scatter_update_op = _scatter("TensorScatterUpdate", None)
tensor_scatter_add_op = _scatter("TensorScatterAdd", "add")
tensor_scatter_sub_op = _scatter("TensorScatterSub", "subtract")
tensor_scatter_min_op = _scatter("TensorScatterMin", "minimum")
tensor_scatter_max_op = _scatter("TensorScatterMax", "maximum")


@tensor_scatter_update_op.gradient
def _(g: Tensor, ans: Tensor, tensor_: Tensor, indices: Tensor, updates: Tensor) -> Any:
    from ..math.elementwise import zeros_like_op

    return tensor_scatter_update_op(g, indices, zeros_like_op(updates)), None, gather_nd_op(g, indices)


@tensor_scatter_add_op.gradient
def _(g: Tensor, ans: Tensor, tensor_: Tensor, indices: Tensor, updates: Tensor) -> Any:
    return g, None, gather_nd_op(g, indices)


@tensor_scatter_sub_op.gradient
def _(g: Tensor, ans: Tensor, tensor_: Tensor, indices: Tensor, updates: Tensor) -> Any:
    from ..math.elementwise import neg_op

    return g, None, neg_op(gather_nd_op(g, indices))


def _min_max_grad(g: Tensor, ans: Tensor, x: Tensor, indices: Tensor, y: Tensor) -> Any:
    # TF's rule: the gradient goes to every input equal to the output, split evenly among ties
    from ..math.elementwise import add_op, cast_op, div_op, equal_op, mul_op

    dt = g._dtype._np
    x_ind = cast_op(equal_op(x, ans), dtype=dt)
    y_ind = cast_op(equal_op(y, gather_nd_op(ans, indices)), dtype=dt)
    ind = add_op(x_ind, scatter_nd_op(indices, y_ind, shape=x._value.shape))
    return (div_op(mul_op(g, x_ind), ind), None, mul_op(gather_nd_op(div_op(g, ind), indices), y_ind))


tensor_scatter_min_op.gradient(_min_max_grad)
tensor_scatter_max_op.gradient(_min_max_grad)


# --- validation and the public functions -----------------------------------------------------------


def _check_bounds(op: str, i: Tensor, shape: tuple) -> None:
    if _scope.device.xp is not np:  # TF's GPU kernels ignore bad indices rather than read them back
        return
    k = i._value.shape[-1] if i._value.ndim else 0
    error = nd_bounds_error(op, np.asarray(i._numpy()), shape[:k], shape, "shape ")
    if error is not None:
        raise error


def scatter_nd(indices: Any, updates: Any, shape: Any, bad_indices_policy: str = "", name: str | None = None) -> Tensor:
    """A zero tensor of ``shape`` with ``updates`` added at ``indices`` (duplicates add up).

    >>> scatter_nd([[0], [0]], [1, 2], [2]).numpy()
    array([3, 0], dtype=int32)
    """
    if type(shape) is Tensor and not isinstance(indices, Tensor):
        indices = hinted(indices, shape._dtype)  # TF's Python wrapper takes Tindices from the first tensor
    i, u = tensor(indices), tensor(updates)
    if type(shape) is Tensor and shape._dtype is not i._dtype:  # raised by TF's eager fallback, which adds no name
        error = dtype_mismatch("ScatterNd", 2, i._dtype, shape._dtype)
        raise type(error)(None, None, str(error).removesuffix(" name: "))
    scatter_nd_op.check(i, u, *([shape] if type(shape) is Tensor else []))  # TF's shape is an input
    dims = int_values(shape, "ScatterNd", "Tindices")
    ishape, ushape = i._value.shape, u._value.shape
    # TF's kernel checks in this order; the shape's vector-ness last
    if not ishape:
        raise op_error("ScatterNd", f"Indices shape must have rank at least one. Found:{shape_text(ishape)}")
    if not ushape:
        raise op_error("ScatterNd", f"Updates shape must have rank at least one. Found:{shape_text(ushape)}")
    out_shape = tuple(dims.reshape(-1).tolist())
    if any(d < 0 for d in out_shape):
        raise op_error("ScatterNd", f"Dimension {min(out_shape)} must be >= 0")
    if not (i._value.size == u._value.size == 0 or (dims.size and i._value.size and u._value.size)):
        raise op_error("ScatterNd", "Indices and updates specified for empty output shape")
    outer, k = len(ishape) - 1, ishape[-1]
    if ishape[:outer] != ushape[:outer]:
        raise op_error("ScatterNd", f"Dimensions [0,{outer}) of indices[shape={shape_text(ishape)}] must match "
                                    f"dimensions [0,{outer}) of updates[shape={shape_text(ushape)}]")
    if k > len(out_shape) or ushape[outer:] != out_shape[k:]:
        raise op_error("ScatterNd", f"Dimensions [{k},{len(out_shape)}) of input[shape={shape_text(out_shape)}] must "
                                    f"match dimensions [{outer},{len(ushape)}) of updates[shape={shape_text(ushape)}]")
    if dims.ndim != 1:
        raise op_error("ScatterNd", "Shape must be a vector")
    if not out_shape:
        raise op_error("ScatterNd", "Output must be at least 1-D, got shape: []")
    if not int(np.prod(out_shape)) and not (i._value.size == u._value.size == 0):
        raise op_error("ScatterNd", f"Indices and updates specified for empty output.  indices shape: "
                                    f"{shape_text(ishape)}")
    if outer == 0:  # the scatter takes rank-1 indices as one index of depth 1 per element: their shapes disagree
        if ushape[0] != ishape[0]:
            raise op_error("ScatterNd", f"Dimensions [0,1) of indices[shape={shape_text(ishape)}] = {ishape[0]} must "
                                        f"match dimensions [0,1) of updates[shape={shape_text(ushape)}] = {ushape[0]}")
        if len(ushape) != len(out_shape):
            raise op_error("ScatterNd", f"Dimensions [1,{len(out_shape)}) of input[shape={shape_text(out_shape)}] "
                                        f"must match dimensions [1,{len(ushape)}) of updates[shape="
                                        f"{shape_text(ushape)}]")
    _check_bounds("ScatterNd", i, out_shape)
    return scatter_nd_op(i, u, shape=out_shape)


def _tensor_scatter(op: Any, doc: str) -> Callable[..., Tensor]:
    def fn(tensor: Any, indices: Any, updates: Any, bad_indices_policy: str = "", name: str | None = None) -> Tensor:
        x = tensor_(tensor)
        i = tensor_(indices)
        u = like(updates, x._dtype)
        with slow_path(indices, updates):
            op.check(x, i, u, bad_indices_policy=bad_indices_policy)  # before the shapes
        _check_tensor_scatter(op.name, x._value.shape, i._value.shape, u._value.shape)
        _check_bounds(op.name, i, x._value.shape)
        return op(x, i, u)

    fn.__doc__ = doc
    return fn


def _check_tensor_scatter(op: str, shape: tuple, ishape: tuple, ushape: tuple) -> None:
    """TF's TensorScatterOp checks, in its order, then those of the scatter it calls (``PrepareAndValidateInputs``),
    which only indices of rank 1 can still fail."""
    if len(ishape) < 1:
        raise op_error(op, f"Indices shape must have rank at least one. Found:{shape_text(ishape)}")
    if len(ushape) < 1:
        raise op_error(op, f"Updates shape must have rank at least one. Found:{shape_text(ushape)}")
    sizes = [int(np.prod(s)) for s in (shape, ishape, ushape)]
    if not (sizes[1] == sizes[2] == 0 or all(sizes)):
        raise op_error(op, "Indices and updates specified for empty output shape")
    outer = len(ishape) - 1
    k = ishape[-1]
    if ishape[:outer] != ushape[:outer]:
        raise op_error(op, f"Outer dimensions of indices and update must match. Indices shape: {shape_text(ishape)}, "
                           f"updates shape:{shape_text(ushape)}")
    if outer + len(shape) - k != len(ushape) or k > len(shape):
        raise op_error(op, "Inner dimensions of output shape must match inner dimensions of updates shape. Output: "
                           f"{shape_text(shape)} updates: {shape_text(ushape)}")
    if shape[k:] != ushape[outer:]:
        raise op_error(op, f"The inner {len(shape) - k} dimensions of output.shape={shape_text(shape)} must match the "
                           f"inner {len(ushape) - outer} dimensions of updates.shape={shape_text(ushape)}")
    if outer == 0:  # the scatter takes rank-1 indices as one index of depth 1 per element: their shapes disagree
        if ushape[0] != ishape[0]:
            raise op_error(op, f"Dimensions [0,1) of indices[shape={shape_text(ishape)}] = {ishape[0]} must match "
                               f"dimensions [0,1) of updates[shape={shape_text(ushape)}] = {ushape[0]}")
        if len(ushape) != len(shape):
            raise op_error(op, f"Dimensions [1,{len(shape)}) of input[shape={shape_text(shape)}] must match "
                               f"dimensions [1,{len(ushape)}) of updates[shape={shape_text(ushape)}]")


tensor_scatter_nd_update = _tensor_scatter(
    tensor_scatter_update_op,
    "A copy of ``tensor`` with ``updates`` written at ``indices``.\n\n"
    "    >>> tensor_scatter_nd_update([1, 2, 3], [[1]], [9]).numpy()\n    array([1, 9, 3], dtype=int32)\n")
tensor_scatter_nd_add = _tensor_scatter(
    tensor_scatter_add_op,
    "A copy of ``tensor`` with ``updates`` added at ``indices`` (duplicates add up).\n\n"
    "    >>> tensor_scatter_nd_add([1, 2, 3], [[1], [1]], [5, 6]).numpy()\n    array([ 1, 13,  3], dtype=int32)\n")
tensor_scatter_nd_sub = _tensor_scatter(
    tensor_scatter_sub_op,
    "A copy of ``tensor`` with ``updates`` subtracted at ``indices``.\n\n"
    "    >>> tensor_scatter_nd_sub([1, 2, 3], [[1]], [5]).numpy()\n    array([ 1, -3,  3], dtype=int32)\n")
tensor_scatter_nd_min = _tensor_scatter(
    tensor_scatter_min_op,
    "A copy of ``tensor`` holding the minimum of it and ``updates`` at ``indices``.\n\n"
    "    >>> tensor_scatter_nd_min([1, 2, 3], [[1]], [0]).numpy()\n    array([1, 0, 3], dtype=int32)\n")
tensor_scatter_nd_max = _tensor_scatter(
    tensor_scatter_max_op,
    "A copy of ``tensor`` holding the maximum of it and ``updates`` at ``indices``.\n\n"
    "    >>> tensor_scatter_nd_max([1, 2, 3], [[1]], [5]).numpy()\n    array([1, 5, 3], dtype=int32)\n")
