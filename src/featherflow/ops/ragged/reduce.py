"""Reductions of ragged tensors (``tf.reduce_sum`` and friends given a RaggedTensor), as TF's ragged
reductions: over a ragged dimension each row is reduced as a segment (``unsorted_segment_*``, whose gradients
the tape already has); over dimension 0 the values of each column are; over uniform inner dimensions the flat
values are reduced directly. An empty row reduces to the op's identity (``-inf``... for max, NaN for mean).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor
from .. import dispatch as _dispatch
from ..array import gather as _gather
from ..math import api as _math_api
from ..math import elementwise as _m
from ..math import reduce as _reduce
from ..math import segment as _segment
from . import _partition as P
from .convert import _positions, bounding_shape
from .tensor import RaggedTensor, _nrows_of

_DENSE = {"sum": _reduce.reduce_sum, "prod": _reduce.reduce_prod, "max": _reduce.reduce_max,
          "min": _reduce.reduce_min, "mean": _reduce.reduce_mean, "all": _reduce.reduce_all,
          "any": _reduce.reduce_any, "logsumexp": _reduce.reduce_logsumexp}


def _segments(kind: str, data: Tensor, ids: Tensor, n: int) -> Tensor:
    """Reduces the rows of ``data`` by segment ``ids`` into ``n`` segments."""
    if kind == "sum":
        return _segment.unsorted_segment_sum(data, ids, n)
    if kind == "prod":
        return _segment.unsorted_segment_prod(data, ids, n)
    if kind == "max":
        return _segment.unsorted_segment_max(data, ids, n)
    if kind == "min":
        return _segment.unsorted_segment_min(data, ids, n)
    if kind == "mean":  # TF divides with truediv: integer means are float64
        total = _segment.unsorted_segment_sum(data, ids, n)
        ones = _m.ones_like_op(data)
        return _math_api.truediv(total, _segment.unsorted_segment_sum(ones, ids, n))
    if kind in ("all", "any"):
        # counts of the values that decide (False for all, True for any): empty rows give True / False
        hits = _m.logical_not_op(data) if kind == "all" else data
        counts = _segment.unsorted_segment_sum(P.cast(hits, _dtypes.int32), ids, n)
        zero = _m.zeros_like_op(counts)
        return _m.equal_op(counts, zero) if kind == "all" else _m.greater_op(counts, zero)
    if kind == "logsumexp":
        top = _segment.unsorted_segment_max(data, ids, n)
        finite = _m.select_op(_m.is_finite_op(top), top, _m.zeros_like_op(top))
        shifted = _m.exp_op(_m.sub_op(data, _gather.gather(finite, ids)))
        return _m.add_op(_m.log_op(_segment.unsorted_segment_sum(shifted, ids, n)), finite)
    raise ValueError(kind)


def _reduce_axis(kind: str, rt: Any, axis: int) -> Any:
    if not isinstance(rt, RaggedTensor):
        return _DENSE[kind](rt, axis=axis)
    if axis > rt.ragged_rank:
        return rt.with_flat_values(_DENSE[kind](rt.flat_values, axis=axis - rt.ragged_rank))
    if axis >= 2:
        return rt.with_values(_reduce_axis(kind, rt._values, axis - 1))
    values = rt._values
    if isinstance(values, RaggedTensor):
        if isinstance(values._values, RaggedTensor):
            raise NotImplementedError(f"reduce_{kind} over dimension {axis} of a tensor of ragged rank "
                                      f"{rt.ragged_rank} is not supported")
        if axis == 1:  # the inner rows of each row combined
            return _combine_rows(kind, values, rt.value_rowids(), P.count(rt._row_splits) - 1)
        _, cols = _positions(rt._row_splits, _nrows_of(values))  # the j-th inner rows of all rows combined
        return _combine_rows(kind, values, cols, bounding_shape(rt)[1])
    if axis == 1:
        return _segments(kind, values, rt.value_rowids(), P.count(rt._row_splits) - 1)
    _, cols = _positions(rt._row_splits, _nrows_of(values))
    return _segments(kind, values, cols, bounding_shape(rt)[1])


def _combine_rows(kind: str, rows: RaggedTensor, groups: Tensor, n_groups: int) -> RaggedTensor:
    """Reduces the rows of ``rows`` (ragged, of dense values) that share a group, element by element: group ``g``
    becomes one row as long as its longest member, whose item ``k`` reduces the items ``k`` of the members."""
    lengths = P.lengths(rows._row_splits)
    longest = _segment.unsorted_segment_max(lengths, groups, n_groups)
    out_splits = P.splits_from_lengths(_m.maximum_op(longest, _m.zeros_like_op(longest)))
    member, cols = _positions(rows._row_splits, _nrows_of(rows._values))
    segment = _m.add_op(_gather.gather(out_splits, _gather.gather(groups, member)), cols)
    total = P.host_int(P.nvals(out_splits))
    return RaggedTensor(_segments(kind, rows._values, segment, total), out_splits, internal=True)


def ragged_reduce(kind: str, rt: RaggedTensor, axis: Any, keepdims: Any) -> Any:
    """``reduce_<kind>(rt, axis, keepdims)`` for a ragged ``rt``."""
    if axis is None:
        flat = rt.flat_values
        if kind == "mean":
            result = _math_api.truediv(_reduce.reduce_sum(flat), _reduce.reduce_sum(_m.ones_like_op(flat)))
        else:
            result = _DENSE[kind](flat)
        return result if not keepdims else _core_reshape(result, rt._ndim)
    ndim = rt._ndim
    axes = sorted({a + ndim if a < 0 else a for a in _axis_list(axis)}, reverse=True)
    for a in axes:
        if not 0 <= a < ndim:
            raise ValueError(f"axis={a} out of bounds: expected {-ndim}<=axis<{ndim}")
    if kind == "mean" and len(axes) > 1:
        total = ragged_reduce("sum", rt, axis, keepdims)
        count = ragged_reduce("sum", rt.with_flat_values(_m.ones_like_op(rt.flat_values)), axis, keepdims)
        return _math_api.truediv(total, count)
    result: Any = rt
    for a in axes:
        result = _reduce_axis(kind, result, a)
    if keepdims:
        from ..array import core as _core
        from .ops import expand_dims

        for a in sorted(axes):
            result = expand_dims(result, a) if isinstance(result, RaggedTensor) else _core.expand_dims(result, a)
    return result


def _axis_list(axis: Any) -> list[int]:
    if isinstance(axis, Tensor):
        axis = axis.numpy()
    return [int(a) for a in np.asarray(axis).reshape(-1)]


def _core_reshape(t: Tensor, ndim: int) -> Tensor:
    from ..array import core as _core

    return _core.reshape_op(t, shape=(1,) * ndim)


def _register(api: Any, kind: str) -> None:
    def override(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Any:
        return ragged_reduce(kind, input_tensor, axis, keepdims)

    override.__name__ = f"ragged_reduce_{kind}"
    _dispatch.dispatch_for_api(api, {"input_tensor": RaggedTensor})(override)


for _kind, _api in _DENSE.items():
    _register(_api, _kind)
