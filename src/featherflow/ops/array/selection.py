"""Ops that select elements by value: ``tf.where`` with one argument (the indices of true values),
``tf.math.top_k`` and ``tf.math.in_top_k``.

>>> import featherflow as tf
>>> tf.math.top_k([3.0, 1.0, 3.0, 2.0], k=2).indices.numpy()
array([0, 2], dtype=int32)
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ... import dtypes as _dtypes
from ...errors import UnimplementedError
from ...tensor import Tensor, convert_to_tensor, kernel_error
from ..convert import tensor
from ..math.elementwise import is_float
from ..registry import ANY, register
from .core import host_tensor

_INDEX_TYPES = frozenset({_dtypes.int16, _dtypes.int32, _dtypes.int64})


@register("Where")
def where_op(xp: Any, x: Any) -> Any:
    """The indices of the true (non-zero) elements, in row-major order: int64 [n, rank]."""
    if x.ndim == 0:
        raise kernel_error("Where", "WhereOp : Unhandled input dimensions: 0")
    return xp.argwhere(x if x.dtype == np.bool_ else x != 0)


def where_indices(condition: Any) -> Tensor:
    """``tf.where(condition)``: the coordinates of true (non-zero) values."""
    cond = tensor(condition)
    where_op.check(cond)  # before the float16 check below
    if cond._dtype is _dtypes.float16:
        raise kernel_error("Where", "No WhereOp available for float16/half type on CPU; dying in CPU WhereOp to "
                                    "avoid silently creating costly copies from device.", cls=UnimplementedError)
    return where_op(cond)


# --- top_k --------------------------------------------------------------------------------------------


def _descending_order(xp: Any, x: Any) -> Any:
    """Indices sorting the last axis from largest to smallest, ties by lower index first, NaN last."""
    if is_float(x.dtype):  # (unconditionally: asking whether any is NaN would read the answer back)
        x = xp.where(xp.isnan(x), -xp.inf, x)  # TF's comparisons never pick NaN
    n = x.shape[-1]
    # a stable ascending sort of the reversed row, read backwards: descending, ties in index order (and no
    # negation, which would overflow for the most negative integer)
    order = xp.argsort(x[..., ::-1], axis=-1, kind="stable")[..., ::-1]
    return (n - 1) - order


@register("TopKV2", n_outputs=2)
def top_k_op(xp: Any, x: Any, k: int, sorted: bool, index_type: Any) -> Any:  # noqa: A002 - TF's attr
    order = _descending_order(xp, x)[..., :k]
    if not sorted and k < x.shape[-1]:
        # TF leaves the k elements in its heap's order (unspecified); input order is as good and reproducible
        order = xp.sort(order, axis=-1)
    return xp.take_along_axis(x, order, axis=-1), order.astype(index_type)


@register("TopKScatter", dtypes=ANY)
def _scatter_last(xp: Any, g: Any, indices: Any, n: int) -> Any:
    """Values ``g`` put at ``indices`` along the last axis of zeros with ``n`` columns (TopKV2's gradient)."""
    out = xp.zeros(g.shape[:-1] + (n,), g.dtype)
    xp.put_along_axis(out, indices.astype(np.int64), g, axis=-1)
    return out


@register("TopKGather", dtypes=ANY)
def _gather_last(xp: Any, x: Any, indices: Any) -> Any:
    return xp.take_along_axis(x, indices.astype(np.int64), axis=-1)


@_scatter_last.gradient
def _(g: Tensor, ans: Tensor, values: Tensor, indices: Tensor, n: int) -> tuple:
    return _gather_last(g, indices), None


@_gather_last.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, indices: Tensor) -> tuple:
    return _scatter_last(g, indices, n=x._value.shape[-1]), None


@top_k_op.gradient
def _(gs: tuple, ans: tuple, x: Tensor, **attrs: Any) -> Any:
    g = gs[0]
    if g is None:
        return None
    return _scatter_last(g, ans[1], n=x._value.shape[-1])


class TopKV2(NamedTuple):
    values: Tensor
    indices: Tensor


def top_k(input: Any, k: Any = 1, sorted: bool = True, index_type: Any = _dtypes.int32,  # noqa: A002
          name: str | None = None) -> TopKV2:
    """The ``k`` largest entries of the last axis and their indices (ties: the lower index first).

    >>> top_k([1, 3, 2], k=2).values.numpy()
    array([3, 2], dtype=int32)
    """
    x = tensor(input)
    top_k_op.check(x)
    index_type = _dtypes.as_dtype(index_type)
    if index_type not in _INDEX_TYPES:
        raise TypeError(f"Value passed to parameter 'index_type' has DataType {index_type.name} not in list of "
                        "allowed values: int16, int32, int64")
    k = k if type(k) is int else int(np.asarray(host_tensor(k)._numpy()))
    shape = np.shape(x._value)
    if k < 0:
        raise kernel_error("TopKV2", f"Need k >= 0, got {k}")
    if not shape:
        raise kernel_error("TopKV2", "input must be >= 1-D, got shape []")
    if shape[-1] < k:
        raise kernel_error("TopKV2", f"input must have at least k columns. Had {shape[-1]}, needed {k}")
    values, indices = top_k_op(x, k=k, sorted=bool(sorted), index_type=index_type._np)
    return TopKV2(values, indices)


# --- in_top_k ---------------------------------------------------------------------------------------


@register("InTopKV2")
def in_top_k_op(xp: Any, predictions: Any, targets: Any, k: int) -> Any:
    n_classes = predictions.shape[1]
    valid = (targets >= 0) & (targets < n_classes)
    safe = xp.where(valid, targets, 0).astype(np.int64)
    target_value = xp.take_along_axis(predictions, safe[:, None], axis=1)
    # ties straddling the k-th place all count as in the top k: count only the strictly larger predictions
    larger = (predictions > target_value).sum(axis=1)
    # TF cannot say (False) when any prediction of the row is not finite
    return valid & xp.isfinite(predictions).all(axis=1) & (larger < k)


def in_top_k(targets: Any, predictions: Any, k: Any, name: str | None = None) -> Tensor:
    """Whether each target class is among the ``k`` largest predictions of its row (ties all count).

    >>> in_top_k([0, 1], [[0.1, 0.9], [0.5, 0.5]], 1).numpy()
    array([False,  True])
    """
    p = convert_to_tensor(predictions, dtype=_dtypes.float32)
    t = tensor(targets)
    in_top_k_op.check_attr("T", t._dtype)
    k_t = host_tensor(k, t._dtype)
    in_top_k_op.check_input(0, p)
    pshape, tshape = np.shape(p._value), np.shape(t._value)
    if len(pshape) != 2:
        raise kernel_error("InTopKV2", "predictions must be 2-dimensional")
    if len(tshape) != 1:
        raise kernel_error("InTopKV2", "targets must be 1-dimensional")
    if pshape[0] != tshape[0]:
        raise kernel_error("InTopKV2", f"First dimension of predictions {pshape[0]} must match length of targets "
                                       f"{tshape[0]}")
    return in_top_k_op(p, t, k=int(np.asarray(k_t._numpy())))
