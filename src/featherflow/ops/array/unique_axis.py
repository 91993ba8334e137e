"""TF's ``UniqueV2`` and ``UniqueWithCountsV2``: the distinct slices of a tensor along one axis, in order of first
appearance (``tf.raw_ops.UniqueV2``, what Keras's ``ops.unique`` calls on TensorFlow).

Slices are compared element by element with ``==`` (so a slice holding NaN equals no other, as in TF's
kernel), by sorting them lexicographically on the device: no host reads.

>>> from featherflow.ops.array.unique_axis import unique_v2
>>> y, idx = unique_v2([[1, 0], [1, 0], [2, 0]], [0])
>>> y.numpy().tolist(), idx.numpy().tolist()
([[1, 0], [2, 0]], [0, 0, 1])
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ...dtypes import as_dtype as _as_dtype
from ...dtypes import int32 as _int32
from ...dtypes import int64 as _int64
from ...errors import InvalidArgumentError
from ..convert import tensor
from ..registry import OPS, register
from .core import host_tensor, op_error

# TF's gen_array_ops returns these namedtuples (their type names are the op names)
UniqueV2 = namedtuple("UniqueV2", ["y", "idx"])
UniqueWithCountsV2 = namedtuple("UniqueWithCountsV2", ["y", "idx", "count"])


def _unique_along(xp: Any, x: Any, axis: int, out_idx: Any) -> tuple:
    n = x.shape[axis]
    rows = xp.moveaxis(x, axis, 0).reshape(n, x.size // n if n else 0)
    if n == 0:
        return x, xp.zeros(0, out_idx), xp.zeros(0, out_idx)
    if rows.shape[1] == 0:  # every slice is empty, so all are equal
        group = xp.zeros(n, np.int64)
        first = xp.zeros(1, np.int64)
    else:
        order = xp.lexsort(rows.T[::-1])  # stable: within a run of equal slices, their first appearance leads
        ordered = rows[order]
        new = xp.ones(n, bool)
        new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
        sorted_group = xp.cumsum(new) - 1
        group = xp.empty(n, np.int64)
        group[order] = sorted_group
        first = order[new]
    by_first = xp.argsort(first)  # TF lists values in order of first appearance
    rank = xp.empty_like(by_first)
    rank[by_first] = xp.arange(by_first.size)
    idx = rank[group]
    counts = xp.bincount(idx, minlength=by_first.size)
    return xp.take(x, first[by_first], axis=axis), idx.astype(out_idx), counts.astype(out_idx)


# TF registers no gradient for either op (not even NotDifferentiable): ``gradient`` raises LookupError.
@register("UniqueV2", n_outputs=2, inputs=("T",))
def unique_v2_op(xp: Any, x: Any, axis: int, out_idx: Any) -> tuple:
    return _unique_along(xp, x, axis, out_idx)[:2]


@register("UniqueWithCountsV2", n_outputs=3, inputs=("T",))
def unique_with_counts_v2_op(xp: Any, x: Any, axis: int, out_idx: Any) -> tuple:
    return _unique_along(xp, x, axis, out_idx)


def _arguments(x: Any, axis: Any, out_idx: Any, op: str) -> tuple:
    t = tensor(x)
    dt = _as_dtype(out_idx)
    a = host_tensor(axis)
    try:
        if a._dtype not in (_int32, _int64):
            OPS[op].check_attr("Taxis", a._dtype)
        OPS[op].check_attr("out_idx", dt)
    except InvalidArgumentError as e:  # TF's fast path checks these attrs: its message has no " name: "
        raise InvalidArgumentError(None, None, e.message.removesuffix(" name: ")) from None
    OPS[op].check(t, out_idx=dt)
    if a.shape.rank != 1:
        raise op_error(op, "axis expects a 1D vector.", name="")
    values = np.asarray(a._numpy()).tolist()
    if len(values) > 1:
        raise op_error(op, "axis does not support input tensors larger than 1 elements")
    rank = t.shape.rank
    if not values:
        if rank != 1:
            raise op_error(op, "unique expects a 1D vector.")
        return t, 0, dt._np
    axis_ = values[0] + rank if values[0] < 0 else values[0]
    if not 0 <= axis_ < rank:
        raise op_error(op, f"axis has to be between [0, {rank})")
    return t, axis_, dt._np


def unique_v2(x: Any, axis: Any, out_idx: Any = _int32) -> UniqueV2:
    """``UniqueV2``: the distinct slices of ``x`` along ``axis`` (a 1-D tensor of 0 or 1 axes; none: ``x``
    must be 1-D), and for each slice its distinct slice's index."""
    t, axis_, dt = _arguments(x, axis, out_idx, "UniqueV2")
    return UniqueV2(*unique_v2_op(t, axis=axis_, out_idx=dt))


def unique_with_counts_v2(x: Any, axis: Any, out_idx: Any = _int32) -> UniqueWithCountsV2:
    """``UniqueWithCountsV2``: ``unique_v2`` plus how often each distinct slice occurs."""
    t, axis_, dt = _arguments(x, axis, out_idx, "UniqueWithCountsV2")
    return UniqueWithCountsV2(*unique_with_counts_v2_op(t, axis=axis_, out_idx=dt))
