"""Sorting and searching: ``tf.sort``, ``tf.argsort``, ``tf.unique``, ``tf.unique_with_counts`` and
``tf.searchsorted``.

TF sorts with ``top_k``, which keeps equal elements in index order in both directions; NumPy's stable sort
gives the same order, and a sort is a gather of the input by that order, so its gradient is a scatter.

>>> import featherflow as tf
>>> tf.argsort([3, 1, 2], direction="DESCENDING").numpy()
array([0, 2, 1], dtype=int32)
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor
from ..convert import tensor
from ..registry import ANY, OPS, register
from .core import op_error, reshape_op, scalar_int

_SORT_TYPES = frozenset(_dtypes.as_dtype(n) for n in (
    "float32", "float64", "int32", "uint8", "int16", "int8", "int64", "bfloat16", "uint16", "float16", "uint32",
    "uint64"))


def order(xp: Any, x: Any, axis: int, descending: bool) -> Any:
    """The stable sorting permutation along ``axis`` (equal elements keep their index order, either way)."""
    if not descending:
        return xp.argsort(x, axis=axis, kind="stable")
    flipped = xp.flip(x, axis=axis)
    perm = xp.flip(xp.argsort(flipped, axis=axis, kind="stable"), axis=axis)
    return x.shape[axis] - 1 - perm


@register("TakeAlongAxis", dtypes=ANY)
def take_along_axis_op(xp: Any, x: Any, perm: Any, axis: int) -> Any:
    return xp.take_along_axis(x, perm, axis=axis)


@take_along_axis_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, perm: Tensor, axis: int) -> Any:
    return put_along_axis_op(g, perm, axis=axis), None


@register("PutAlongAxis", dtypes=ANY)
def put_along_axis_op(xp: Any, g: Any, perm: Any, axis: int) -> Any:
    out = xp.zeros_like(g)
    xp.put_along_axis(out, perm, g, axis=axis)  # perm is a permutation along axis: no duplicates
    return out


@put_along_axis_op.gradient
def _(gg: Tensor, ans: Tensor, g: Tensor, perm: Tensor, axis: int) -> Any:
    return take_along_axis_op(gg, perm, axis=axis), None


@register("ArgSort", dtypes=_SORT_TYPES)
def argsort_op(xp: Any, x: Any, axis: int, descending: bool) -> Any:
    return order(xp, x, axis, descending).astype(np.int32)


@argsort_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, axis: int, descending: bool) -> Any:
    # TF's argsort is TopKV2 of x (of -x ascending), whose rule gives zeros when only the indices have a
    # gradient; through the Neg they are -0.0. Along another axis than the last, TF transposes the indices
    # back, an integer op no tape records: the result is on no tape, and the gradient None.
    if axis != x._value.ndim - 1:
        return None
    zeros = OPS["ZerosLike"](x)
    return zeros if descending else OPS["Neg"](zeros)


def _prepare(values: Any, axis: Any, direction: str) -> tuple:
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError("Argument `direction` should be one of ASCENDING, DESCENDING. Received: "
                         f"direction={direction}")
    if isinstance(axis, (list, tuple)) or (isinstance(axis, np.ndarray) and axis.ndim):
        raise ValueError(f"Argument `axis` must be a constant scalar. Received: axis={axis}.")
    a = int(axis) if isinstance(axis, (int, float, np.number)) else scalar_int(axis, "Sort")
    x = tensor(values)
    OPS["TopKV2"].check(x)  # tf.sort and tf.argsort run TopKV2
    nd = x._value.ndim
    fwd = a + nd if a < 0 else a
    if not 0 <= fwd < nd:  # TF reads the axis length with a strided slice of the shape
        raise op_error("StridedSlice", f"slice index {fwd} of dimension 0 out of bounds.", name="strided_slice/")
    return x, fwd, direction == "DESCENDING"


def sort(values: Any, axis: Any = -1, direction: str = "ASCENDING", name: str | None = None) -> Tensor:
    """The values sorted along ``axis`` (ASCENDING or DESCENDING).

    >>> sort([3, 1, 2]).numpy()
    array([1, 2, 3], dtype=int32)
    """
    x, a, desc = _prepare(values, axis, direction)
    perm = argsort_op(x, axis=a, descending=desc)
    return take_along_axis_op(x, perm, axis=a)


def argsort(values: Any, axis: Any = -1, direction: str = "ASCENDING", stable: bool = False,
            name: str | None = None) -> Tensor:
    """The int32 indices that sort ``values`` along ``axis``; equal values keep their index order.

    >>> argsort([30, 10, 20]).numpy()
    array([1, 2, 0], dtype=int32)
    """
    x, a, desc = _prepare(values, axis, direction)
    return argsort_op(x, axis=a, descending=desc)


# --- unique ----------------------------------------------------------------------------------------

UniqueOutput = namedtuple("Unique", ["y", "idx"])
UniqueWithCountsOutput = namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def _unique(xp: Any, x: Any, out_idx: Any) -> tuple:
    kw = {"equal_nan": False} if x.dtype.kind in "fc" else {}  # TF keeps each NaN apart
    values, first, inverse, counts = xp.unique(x, return_index=True, return_inverse=True, return_counts=True, **kw)
    by_first = xp.argsort(first)  # TF lists values in order of first appearance (``first`` has no repeats)
    rank = xp.empty_like(by_first)
    rank[by_first] = xp.arange(by_first.size)
    return values[by_first], rank[inverse.reshape(-1)].astype(out_idx), counts[by_first].astype(out_idx)


# TF registers no gradient for Unique and UniqueWithCounts (not even NotDifferentiable): a tape records them and
# ``gradient`` raises LookupError once a gradient reaches them.
@register("Unique", n_outputs=2)
def unique_op(xp: Any, x: Any, out_idx: Any) -> tuple:
    return _unique(xp, x, out_idx)[:2]


@register("UniqueWithCounts", n_outputs=3)
def unique_with_counts_op(xp: Any, x: Any, out_idx: Any) -> tuple:
    return _unique(xp, x, out_idx)


def _unique_input(x: Any, out_idx: Any, op: str) -> tuple:
    t = tensor(x)
    dt = _dtypes.as_dtype(out_idx)
    OPS[op].check_attr("out_idx", dt)
    OPS[op].check(t, out_idx=dt)  # before the shape
    if t._value.ndim != 1:
        raise op_error(op, "unique expects a 1D vector.")
    return t, dt._np


def unique(x: Any, out_idx: Any = _dtypes.int32, name: str | None = None) -> Any:
    """The distinct values of a 1-D tensor in order of first appearance, and for each input its value's index.

    >>> y, idx = unique([3, 1, 3, 2])
    >>> y.numpy(), idx.numpy()
    (array([3, 1, 2], dtype=int32), array([0, 1, 0, 2], dtype=int32))
    """
    t, dt = _unique_input(x, out_idx, "Unique")
    return UniqueOutput(*unique_op(t, out_idx=dt))


def unique_with_counts(x: Any, out_idx: Any = _dtypes.int32, name: str | None = None) -> Any:
    """Like ``unique``, plus how often each distinct value occurs.

    >>> unique_with_counts([3, 1, 3]).count.numpy()
    array([2, 1], dtype=int32)
    """
    t, dt = _unique_input(x, out_idx, "UniqueWithCounts")
    return UniqueWithCountsOutput(*unique_with_counts_op(t, out_idx=dt))


# --- searchsorted ----------------------------------------------------------------------------------


def _bound(side: str) -> Any:
    def forward(xp: Any, seq: Any, values: Any, out_type: Any) -> Any:
        out = xp.empty(values.shape, dtype=out_type)
        for row in range(seq.shape[0]):  # each row is its own sorted sequence
            out[row] = xp.searchsorted(seq[row], values[row], side=side)
        return out

    return forward


lower_bound_op = register("LowerBound")(_bound("left"))
upper_bound_op = register("UpperBound")(_bound("right"))


def searchsorted(sorted_sequence: Any, values: Any, side: str = "left", out_type: Any = _dtypes.int32,
                 name: str | None = None) -> Tensor:
    """For each value, the index where it would be inserted into the innermost dimension of
    ``sorted_sequence`` to keep it sorted (leading dimensions are batches).

    >>> searchsorted([1, 3, 5], [0, 3, 6], side="right").numpy()
    array([0, 2, 3], dtype=int32)
    """
    if side not in ("left", "right"):
        raise ValueError(f"Argument `side` must be either 'right' or 'left'. Received: `side` = '{side}'.")
    seq, vals = tensor(sorted_sequence), tensor(values)
    for t in (seq, vals):
        if t._value.ndim == 0:
            raise op_error("StridedSlice", "slice index -1 of dimension 0 out of bounds.", name="strided_slice/")
    op = lower_bound_op if side == "left" else upper_bound_op
    dt = _dtypes.as_dtype(out_type)
    op.check_attr("out_type", dt)
    op.check(seq, vals, out_type=dt)  # before the shapes
    seq2 = reshape_op(seq, shape=(int(np.prod(seq._value.shape[:-1])), seq._value.shape[-1]))
    vals2 = reshape_op(vals, shape=(int(np.prod(vals._value.shape[:-1])), vals._value.shape[-1]))
    if seq2._value.shape[0] != vals2._value.shape[0]:
        raise op_error(op.name, "Leading dim_size of both tensors must match.", name="")
    return reshape_op(op(seq2, vals2, out_type=dt._np), shape=vals._value.shape)
