"""``tf.squeeze``, ``tf.reverse``, ``tf.split`` and ``tf.gather_nd`` given a RaggedTensor (TF's ragged
dispatch of them): rows reordered or regrouped with gathers on the values' device."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import InvalidArgumentError
from .. import dispatch as _dispatch
from ..array import core as _core
from ..array import gather as _gather
from ..array import join as _join
from ..convert import tensor as _tensor
from ..math import elementwise as _m
from . import _partition as P
from .getitem import getitem
from .ops import gather_rows
from .tensor import RaggedTensor, _nrows_of


def _axes(axis: Any, ndim: int) -> list[int]:
    values = axis.numpy() if hasattr(axis, "numpy") else axis
    out = []
    for a in np.asarray(values).reshape(-1).tolist():
        a = int(a)
        if not -ndim <= a < ndim:
            raise ValueError(f"axis={a} out of bounds: expected {-ndim}<=axis<{ndim}")
        out.append(a + ndim if a < 0 else a)
    return out


def _squeeze_axis(rt: Any, axis: int) -> Any:
    if not isinstance(rt, RaggedTensor):
        return _core.squeeze(rt, axis=[axis])
    if axis > rt.ragged_rank:
        return rt.with_flat_values(_core.squeeze(rt.flat_values, axis=[axis - rt.ragged_rank]))
    if axis == 0:
        if _nrows_of(rt) != 1:
            raise ValueError("Can not squeeze an axis whose size is not 1")
        return rt._values
    if axis > 1:
        return rt.with_values(_squeeze_axis(rt._values, axis - 1))
    if rt._uniform_row_length != 1 and np.any(np.asarray(P.lengths(rt._row_splits).numpy()) != 1):
        raise InvalidArgumentError(None, None, "The dimension to squeeze must have size 1 in every row")
    return rt._values


def ragged_squeeze(input: Any, axis: Any = None, name: str | None = None) -> Any:  # noqa: A002 - TF's name
    """``tf.squeeze`` of a RaggedTensor: ``axis`` is required."""
    if axis is None:
        raise ValueError("Ragged.squeeze must have an axis argument.")
    result = input
    for a in sorted(set(_axes(axis, input._ndim)), reverse=True):
        result = _squeeze_axis(result, a)
    return result


def _reverse_axis(rt: Any, axis: int) -> Any:
    if not isinstance(rt, RaggedTensor):
        return _join.reverse(rt, [axis])
    if axis > rt.ragged_rank:
        return rt.with_flat_values(_join.reverse(rt.flat_values, [axis - rt.ragged_rank]))
    if axis == 0:
        n = _nrows_of(rt)
        return gather_rows(rt, P._create.range_(n - 1, -1, -1, dtype=rt.row_splits_dtype))
    if axis > 1:
        return rt.with_values(_reverse_axis(rt._values, axis - 1))
    # within each row: position p of row i becomes starts[i] + limits[i] - 1 - p
    starts, limits = rt.row_starts(), rt.row_limits()
    positions, splits = P.ragged_range(starts, _m.sub_op(limits, starts))
    ids = P.rowids(splits, P.count(positions))
    ends = _m.sub_op(_m.add_op(starts, limits), P.scalar(1, starts))
    order = _m.sub_op(_gather.gather(ends, ids), positions)
    return RaggedTensor(gather_rows(rt._values, order), rt._row_splits, internal=True,
                        uniform_row_length=rt._uniform_row_length)


def ragged_reverse(tensor_: Any, axis: Any, name: str | None = None) -> Any:
    """``tf.reverse`` of a RaggedTensor along each of ``axis``."""
    result = tensor_
    for a in _axes(axis, tensor_._ndim):
        result = _reverse_axis(result, a)
    return result


def _shape_text(rt: RaggedTensor) -> str:
    lengths = tuple(int(v) for v in np.asarray(P.lengths(rt._row_splits).numpy()))
    return f"<DynamicRaggedShape lengths=[{_nrows_of(rt)}, {lengths}] num_row_partitions=1>"


def ragged_split(value: Any, num_or_size_splits: Any, axis: Any = 0, num: int | None = None,
                 name: str = "split") -> list:
    """``tf.split`` of a RaggedTensor along dimension 0 (its rows)."""
    a = _axes(axis, value._ndim)[0]
    if a != 0:
        if a <= value.ragged_rank and value.ragged_rank == 1 and value._ndim == 2:
            raise ValueError(f"Cannot split a ragged dimension. Got `value` with shape {_shape_text(value)} and "
                             f"`axis` {axis}.")
        raise NotImplementedError("tf.split of a RaggedTensor along an axis other than 0 is not supported")
    n = _nrows_of(value)
    sizes = np.asarray(num_or_size_splits.numpy() if hasattr(num_or_size_splits, "numpy") else num_or_size_splits)
    if sizes.ndim == 0:
        k = int(sizes)
        if k <= 0 or n % k:
            raise ValueError(f"Cannot exactly split the number of rows ({n}) into {k} pieces")
        sizes = np.full(k, n // k)
    sizes = sizes.astype(np.int64)
    if (sizes == -1).sum() == 1:
        sizes[sizes == -1] = n - sizes[sizes != -1].sum()
    if sizes.sum() != n or np.any(sizes < 0):
        raise ValueError(f"The sizes {sizes.tolist()} do not add up to the number of rows {n}")
    bounds = np.concatenate([[0], np.cumsum(sizes)]).tolist()
    return [getitem(value, slice(bounds[i], bounds[i + 1])) for i in range(len(sizes))]


def ragged_gather_nd(params: Any, indices: Any, batch_dims: int = 0, name: str | None = None,
                     bad_indices_policy: str = "") -> Any:
    """``tf.gather_nd`` of a RaggedTensor: index tuples of one element (rows), or, for a 2-D ragged tensor,
    of two (values)."""
    if batch_dims:
        raise NotImplementedError("tf.gather_nd of a RaggedTensor with batch_dims is not supported")
    idx = _tensor(indices)
    depth = int(idx._value.shape[-1])
    batch = tuple(idx._value.shape[:-1])
    flat = _core.reshape_op(idx, shape=(int(np.prod(batch)), depth))
    if depth == 1:
        from .ops import ragged_gather

        return ragged_gather(params, _core.reshape_op(flat, shape=(int(np.prod(batch)),)))
    if depth == 2 and params.ragged_rank == 1:
        host = np.asarray(flat.numpy())
        lengths = np.asarray(P.lengths(params._row_splits).numpy())
        for k, (i, j) in enumerate(host.tolist()):
            if not (0 <= i < lengths.size and 0 <= j < lengths[i]):
                raise InvalidArgumentError(None, None, f"indices[{k}] = [{i}, {j}] does not index into param")
        rows = P.cast(_gather.gather(flat, 0, axis=1), params.row_splits_dtype)
        cols = P.cast(_gather.gather(flat, 1, axis=1), params.row_splits_dtype)
        positions = _m.add_op(_gather.gather(params._row_splits, rows), cols)
        values = _gather.gather(params._values, positions)
        return _core.reshape_op(values, shape=batch + tuple(values._value.shape[1:]))
    raise NotImplementedError("tf.gather_nd of a RaggedTensor with index tuples of this depth is not supported")


_R = RaggedTensor
_dispatch.dispatch_for_api(_core.squeeze, {"input": _R})(ragged_squeeze)
_dispatch.dispatch_for_api(_join.reverse, {"tensor_": _R})(ragged_reverse)
_dispatch.dispatch_for_api(_join.split, {"value": _R})(ragged_split)
_dispatch.dispatch_for_api(_gather.gather_nd, {"params": _R})(ragged_gather_nd)
