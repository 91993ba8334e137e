"""Gathering: ``tf.gather`` (axis, batch_dims), ``tf.gather_nd`` and ``tf.boolean_mask``. Index validation
is one vectorised pass; the gather itself is one NumPy call.

>>> import featherflow as tf
>>> tf.gather([[1, 2], [3, 4], [5, 6]], [2, 0]).numpy()
array([[5, 6],
       [1, 2]], dtype=int32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import device as _device
from ...tensor import Tensor
from .. import dispatch as _dispatch
from ..convert import shape_text, tensor
from ..registry import ANY, register
from .core import host_tensor, op_error, reshape_op, scalar_int


def _flat3(shape: tuple, batch_dims: int, axis: int) -> tuple:
    """``shape`` viewed as (batch, outer, axis, inner) around ``axis``, with ``batch_dims`` leading batch dims."""
    size = int(np.prod(shape[batch_dims:axis], dtype=np.int64))
    batch = int(np.prod(shape[:batch_dims], dtype=np.int64))
    inner = int(np.prod(shape[axis + 1:], dtype=np.int64))
    return batch, size, shape[axis], inner


def first_bad(idx: Any, limit: int) -> int:
    """The flat position of the first index outside [0, limit), or -1: one pass (a signed index viewed as
    unsigned is huge when negative, so one ``max`` checks both bounds)."""
    if idx.size == 0:
        return -1
    flat = idx.reshape(-1)
    view = flat.view(np.dtype(f"u{flat.dtype.itemsize}")) if flat.dtype.kind == "i" else flat
    if int(view.max()) < limit:
        return -1
    return int(np.flatnonzero((flat < 0) | (flat >= limit))[0])


# --- gather ----------------------------------------------------------------------------------------


def _on_device(xp: Any, indices: Any, limit: int) -> tuple:
    """TF's GPU kernels check no index (that would read them back): an index outside [0, limit) gathers zeros
    and scatters nothing. The indices clipped into range, and where they were in range."""
    inside = (indices >= 0) & (indices < limit)
    return xp.where(inside, indices, 0), inside


@register("GatherV2")
def gather_op(xp: Any, params: Any, indices: Any, axis: int, batch_dims: int) -> Any:
    if xp is np:
        return _gather(xp, params, indices, axis, batch_dims)
    if not params.shape[axis]:
        return xp.zeros(params.shape[:axis] + indices.shape[batch_dims:] + params.shape[axis + 1:], params.dtype)
    indices, inside = _on_device(xp, indices, params.shape[axis])
    out = _gather(xp, params, indices, axis, batch_dims)
    keep = inside.reshape(inside.shape + (1,) * (params.ndim - axis - 1))
    return xp.where(keep, out, xp.zeros((), dtype=out.dtype))


def _gather(xp: Any, params: Any, indices: Any, axis: int, batch_dims: int) -> Any:
    if batch_dims == 0:
        if params.size or not indices.size:
            return xp.take(params, indices, axis=axis)
        return xp.empty(params.shape[:axis] + indices.shape + params.shape[axis + 1:], dtype=params.dtype)
    b, outer, n, inner = _flat3(params.shape, batch_dims, axis)
    out_shape = params.shape[:axis] + indices.shape[batch_dims:] + params.shape[axis + 1:]
    if 0 in out_shape:
        return xp.empty(out_shape, dtype=params.dtype)
    p = params.reshape(b, outer, n, inner)
    i = indices.reshape(b, 1, int(np.prod(indices.shape[batch_dims:], dtype=np.int64)), 1)
    return xp.take_along_axis(p, i.astype(np.intp, copy=False), axis=2).reshape(out_shape)


@gather_op.gradient
def _(g: Tensor, ans: Tensor, params: Tensor, indices: Tensor, axis: int, batch_dims: int) -> Any:
    shape = params._value.shape
    if axis == 0 and batch_dims == 0:
        # TF's _GatherV2Grad: the rows of g, as IndexedSlices of params (the tape densifies them where needed)
        from ...indexed_slices import IndexedSlices
        from .core import reshape_op

        n = int(np.prod(indices._value.shape, dtype=np.int64))
        values = reshape_op(g, shape=(n,) + shape[1:])
        flat = reshape_op(indices, shape=(n,))
        # the dense shape in host memory, as TF's Shape output on a GPU: reading it costs no transfer
        return IndexedSlices(values, flat, host_tensor(np.array(shape, dtype=np.int32))), None
    return gather_grad_op(g, indices, shape=shape, axis=axis, batch_dims=batch_dims), None


@register("GatherGrad", dtypes=ANY)
def gather_grad_op(xp: Any, g: Any, indices: Any, shape: tuple, axis: int, batch_dims: int) -> Any:
    # the dense form of TF's IndexedSlices gradient: rows of g summed into the rows they were gathered from
    b, outer, n, inner = _flat3(shape, batch_dims, axis)
    out = xp.zeros((b, outer, n, inner), dtype=g.dtype)
    i = indices.reshape(b, 1, int(np.prod(indices.shape[batch_dims:], dtype=np.int64))).astype(np.intp, copy=False)
    gv = g.reshape(b, outer, i.shape[2], inner)
    if xp is not np and n:  # out-of-range indices add nothing (TF's GPU kernel)
        i, inside = _on_device(xp, i, n)
        gv = xp.where(inside.reshape(inside.shape + (1,)), gv, xp.zeros((), dtype=gv.dtype))
    where = (xp.arange(b).reshape(b, 1, 1), xp.arange(outer).reshape(1, outer, 1), i)
    xp.add.at(out, where, gv)
    return out.reshape(shape)


@gather_grad_op.gradient
def _(gg: Tensor, ans: Tensor, g: Tensor, indices: Tensor, shape: tuple, axis: int, batch_dims: int) -> Any:
    return gather_op(gg, indices, axis=axis, batch_dims=batch_dims), None


def _is_zero(axis: Any) -> bool:
    """TF's ``tensor_util.constant_value(axis) == 0``."""
    value = axis.numpy() if hasattr(axis, "numpy") else axis
    try:
        return bool(value == 0)
    except (TypeError, ValueError):
        return False


@_dispatch.add_dispatch_support
def gather(params: Any, indices: Any, validate_indices: Any = None, axis: Any = None, batch_dims: int = 0,
           name: str | None = None) -> Tensor:
    """Gathers slices of ``params`` along ``axis`` at ``indices`` (the first ``batch_dims`` dimensions of both
    are batch dimensions).

    >>> gather([10, 20, 30], [2, 0]).numpy()
    array([30, 10], dtype=int32)
    """
    if hasattr(params, "sparse_read") and _is_zero(batch_dims if axis is None else axis):
        return params.sparse_read(indices, name=name)  # a variable, along axis 0: TF's ResourceGather
    p = tensor(params)
    i = tensor(indices)
    gather_op.check(p, i)  # before the shapes
    pshape, ishape = p._value.shape, i._value.shape
    nd = len(pshape)
    bd = int(batch_dims)
    if bd:
        if not -len(ishape) <= bd <= len(ishape):
            raise op_error("GatherV2", f"Expected batch_dims in the range [{-len(ishape)}, {len(ishape)}], but got "
                                       f"{bd}")
        bd %= len(ishape) + (bd == len(ishape))
    a = bd if axis is None else scalar_int(axis, "GatherV2", "Taxis")
    if nd == 0:
        raise op_error("GatherV2", "params must be at least 1 dimensional")
    if a >= nd or bd >= nd:
        raise op_error("GatherV2", f"Shape must be at least rank {max(a, bd) + 1} but is rank {nd}")
    if a < -nd:
        raise op_error("GatherV2", f"Expected axis in the range [{-nd}, {nd}), but got {a}")
    a %= nd
    if bd:
        if a < bd:
            raise op_error("GatherV2", f"batch_dims ({bd}) must be less than or equal to axis ({a}).")
        for d in range(bd):
            if pshape[d] != ishape[d]:
                raise op_error("GatherV2", f"params.shape[{d}]: {pshape[d]} should be equal to indices.shape[{d}]: "
                                           f"{ishape[d]}")
    limit = pshape[a]
    # TF's CPU kernel checks the indices; its GPU kernel reads none back (bad ones gather zeros)
    on_host = _device._scope.device.xp is np
    idx = i._value if i._device.xp is np or not on_host else np.asarray(i._numpy())
    empty = 0 in pshape[:a] or 0 in pshape[a + 1:] or not idx.size  # TF skips the checks for an empty output
    bad = -1 if empty or not on_host else first_bad(idx, limit)
    if bad >= 0:
        pos = np.unravel_index(bad, ishape) if ishape else ()
        where = ",".join(str(int(v)) for v in pos)
        at = f"[{where}]" if ishape else ""
        raise op_error("GatherV2", f"indices{at} = {int(idx.reshape(-1)[bad])} is not in [0, {limit})")
    return gather_op(p, i, axis=a, batch_dims=bd)


# --- gather_nd -------------------------------------------------------------------------------------


def _nd_index(xp: Any, indices: Any, batch: int, limits: tuple = ()) -> tuple:
    """Fancy indices into params viewed as (batch, ...): the batch row, then one array per coordinate; each
    shaped (batch, rows per batch). With the ``limits`` of the coordinates (on a GPU, where no index is read
    back), rows out of range are clipped to 0, and the last item says which rows were in range."""
    k = indices.shape[-1]
    per_batch = int(np.prod(indices.shape[:-1], dtype=np.int64)) // batch if batch else 0
    rows = indices.reshape(batch, per_batch, k).astype(np.intp, copy=False)
    lead = xp.broadcast_to(xp.arange(batch).reshape(batch, 1), rows.shape[:2])
    if not limits:
        return (lead,) + tuple(rows[..., j] for j in range(k))
    inside = xp.ones(rows.shape[:2], dtype=bool)
    for j, n in enumerate(limits):
        inside &= (rows[..., j] >= 0) & (rows[..., j] < n)
    return (lead,) + tuple(xp.where(inside, rows[..., j], 0) for j in range(k)) + (inside,)


def _masked(xp: Any, values: Any, inside: Any) -> Any:
    """``values`` (rows first, as ``inside``) with zeros where a row's index was out of range."""
    keep = inside.reshape(inside.shape + (1,) * (values.ndim - inside.ndim))
    return xp.where(keep, values, xp.zeros((), dtype=values.dtype))


@register("GatherNd")
def gather_nd_op(xp: Any, params: Any, indices: Any, batch_dims: int = 0) -> Any:
    batch = int(np.prod(params.shape[:batch_dims], dtype=np.int64))
    p = params.reshape((batch,) + params.shape[batch_dims:])
    k = indices.shape[-1]
    out_shape = indices.shape[:-1] + params.shape[batch_dims + k:]
    if xp is np or not k:
        return p[_nd_index(xp, indices, batch)].reshape(out_shape)
    limits = params.shape[batch_dims:batch_dims + k]  # TF's GPU kernel: bad indices gather zeros
    if 0 in limits:
        return xp.zeros(out_shape, dtype=params.dtype)
    *where, inside = _nd_index(xp, indices, batch, limits)
    return _masked(xp, p[tuple(where)], inside).reshape(out_shape)


@gather_nd_op.gradient
def _(g: Tensor, ans: Tensor, params: Tensor, indices: Tensor, batch_dims: int = 0) -> Any:
    return gather_nd_grad_op(g, indices, shape=params._value.shape, batch_dims=batch_dims), None


@register("GatherNdGrad", dtypes=ANY)
def gather_nd_grad_op(xp: Any, g: Any, indices: Any, shape: tuple, batch_dims: int = 0) -> Any:
    batch = int(np.prod(shape[:batch_dims], dtype=np.int64))
    out = xp.zeros((batch,) + shape[batch_dims:], dtype=g.dtype)
    k = indices.shape[-1]
    limits = () if xp is np else shape[batch_dims:batch_dims + k]  # on a GPU, bad indices add nothing
    if 0 in limits or not out.size:
        return out.reshape(shape)
    where = _nd_index(xp, indices, batch, limits)
    gv = g.reshape(where[0].shape + shape[batch_dims + k:])
    if limits:
        *where, inside = where
        where, gv = tuple(where), _masked(xp, gv, inside)
    xp.add.at(out, where, gv)
    return out.reshape(shape)



@gather_nd_grad_op.gradient
def _(gg: Tensor, ans: Tensor, g: Tensor, indices: Tensor, shape: tuple, batch_dims: int = 0) -> Any:
    return gather_nd_op(gg, indices, batch_dims=batch_dims), None


def nd_bounds_error(op: str, idx: np.ndarray, limits: tuple, shape: tuple, suffix: str = "") -> Exception | None:
    """TF's error for the first row of ``idx`` (rows of K coordinates) outside ``limits``, else None."""
    if not idx.size:
        return None
    rows = idx.reshape(-1, idx.shape[-1])
    bad = (rows < 0) | (rows >= np.asarray(limits, dtype=np.int64))
    if not bad.any():
        return None
    r = int(np.flatnonzero(bad.any(axis=1))[-1])  # TF's kernels report the last bad row
    coords = ", ".join(str(int(v)) for v in rows[r])
    return op_error(op, f"indices[{r}] = [{coords}] does not index into {suffix}{shape_text(shape)}"
                    + (", node name: GatherNd" if op == "GatherNd" else ""))


@_dispatch.add_dispatch_support
def gather_nd(params: Any, indices: Any, batch_dims: int = 0, name: str | None = None,
              bad_indices_policy: str = "") -> Tensor:
    """Gathers slices of ``params`` at the index tuples in the last dimension of ``indices``.

    >>> gather_nd([[1, 2], [3, 4]], [[1, 0], [0, 1]]).numpy()
    array([3, 2], dtype=int32)
    """
    p = tensor(params)
    i = tensor(indices)
    gather_nd_op.check(p, i)  # before the shapes
    pshape, ishape = p._value.shape, i._value.shape
    bd = int(batch_dims)
    if bd:
        if bd >= len(ishape):
            raise ValueError(f"Argument `batch_dims` = {bd} must be less than rank(`indices`) = {len(ishape)}")
        if bd >= len(pshape):
            raise ValueError(f"Argument `batch_dims` = {bd} must be less than rank(`params`) = {len(pshape)}")
        if pshape[:bd] != ishape[:bd]:
            raise op_error("GatherNd", f"Batch dimensions of params {shape_text(pshape[:bd])} and indices "
                                       f"{shape_text(ishape[:bd])} must match")
    if len(ishape) < 1:
        raise op_error("GatherNd", "indices must be at least a vector")
    k = ishape[-1]
    if k > len(pshape) - bd:
        raise op_error("GatherNd", f"index innermost dimension length must be <= params rank; saw: {k} vs. "
                                   f"{len(pshape) - bd}")
    if not p._value.size and int(np.prod(ishape[:-1])):
        raise op_error("GatherNd", "Requested more than 0 entries, but params is empty.  Params shape: "
                                   f"{shape_text(pshape)}")
    if _device._scope.device.xp is np:  # TF's CPU kernel checks the indices; its GPU kernel gathers zeros
        error = nd_bounds_error("GatherNd", np.asarray(i._numpy()), pshape[bd:bd + k], pshape[bd:], "param shape ")
        if error is not None:
            raise error

    return gather_nd_op(p, i, batch_dims=bd)


# --- boolean_mask ----------------------------------------------------------------------------------


def _shape_str(dims: tuple) -> str:
    return "(" + ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


@_dispatch.add_dispatch_support
def boolean_mask(tensor_: Any, mask: Any, name: str = "boolean_mask", axis: Any = None) -> Tensor:
    """The entries of ``tensor`` where ``mask`` (matching dimensions ``axis`` to ``axis + mask.ndim``) is true,
    with those dimensions flattened into one.

    >>> boolean_mask([[1, 2], [3, 4], [5, 6]], [True, False, True]).numpy()
    array([[1, 2],
           [5, 6]], dtype=int32)
    """
    x = tensor(tensor_)
    m = tensor(mask)
    k = m._value.ndim
    if k == 0:
        raise ValueError("mask cannot be scalar.")
    a = 0 if axis is None else scalar_int(axis, "BooleanMask")
    shp = x._value.shape
    if shp[a:a + k] != m._value.shape:
        raise ValueError(f"Shapes {_shape_str(shp[a:a + k])} and {_shape_str(m._value.shape)} are incompatible")
    a %= max(len(shp), 1)
    flat = reshape_op(x, shape=shp[:a] + (int(np.prod(shp[a:a + k], dtype=np.int64)),) + shp[a + k:])
    from .selection import where_op  # (selection imports math, which imports this module)

    # the positions of the true values, found where the mask is (TF's boolean_mask gathers at tf.where's)
    picked = where_op(reshape_op(m, shape=(m._value.size,)))
    return gather_op(flat, reshape_op(picked, shape=(picked._value.shape[0],)), axis=a, batch_dims=0)

