"""``RaggedTensor.__getitem__``: ints, slices, ``...`` and ``tf.newaxis``, as TF's ragged indexing supports them.

An int or a slice of dimension 0 picks rows; a slice of a ragged dimension cuts every row; an int into a
ragged dimension is refused (TF: "Cannot index into an inner ragged dimension."); keys for the uniform inner
dimensions index the flat values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import Tensor
from ..array import slicing as _slicing
from ..math import elementwise as _m
from . import _partition as P
from .tensor import _IMPL, RaggedTensor, _nrows_of


def _expand(key: tuple, ndim: int) -> tuple:
    """``...`` replaced by full slices."""
    if sum(k is Ellipsis for k in key) > 1:
        raise ValueError("tf.newaxis/ellipsis: an index can only have a single ellipsis")
    if not any(k is Ellipsis for k in key):
        return key
    i = next(i for i, k in enumerate(key) if k is Ellipsis)
    used = sum(1 for k in key if k is not None and k is not Ellipsis)
    return key[:i] + (slice(None),) * max(ndim - used, 0) + key[i + 1:]


def _index(k: Any) -> Any:
    if isinstance(k, Tensor):
        return int(k.numpy())
    if isinstance(k, (int, np.integer)) and not isinstance(k, bool):
        return int(k)
    return k


def getitem(rt: RaggedTensor, key: Any) -> Any:
    """``rt[key]``."""
    if not isinstance(key, tuple):
        key = (key,)
    key = _expand(tuple(_index(k) for k in key), rt._ndim)
    if not key:
        return rt
    first, rest = key[0], key[1:]
    if first is None:  # tf.newaxis: a new uniform outer dimension of one row
        inner = getitem(rt, rest) if rest else rt
        if not isinstance(inner, RaggedTensor):
            return _slicing.getitem(inner, (None,))
        n = _nrows_of(inner)
        return RaggedTensor(inner, P.uniform_splits(1, n, inner.row_splits_dtype), internal=True,
                            uniform_row_length=n)
    if isinstance(first, int):
        return _inner(_row(rt, first), rest)
    if isinstance(first, slice):
        rows = _rows(rt, first)
        if not rest:
            return rows
        return _slice_inner(rows, rest)
    raise TypeError(f"Ragged __getitem__ expects an int, slice, Ellipsis or tf.newaxis; got {first!r}")


def _inner(value: Any, key: tuple) -> Any:
    if not key:
        return value
    if isinstance(value, RaggedTensor):
        return getitem(value, key)
    return _slicing.getitem(value, key)


def _row(rt: RaggedTensor, i: int) -> Any:
    n = _nrows_of(rt)
    if not -n <= i < n:
        raise IndexError(f"Row key {i} out of bounds")
    i %= n
    lo, hi = (int(v) for v in np.asarray(P._slicing.getitem(rt._row_splits, slice(i, i + 2)).numpy()))
    return _slice_values(rt._values, lo, hi)


def _slice_values(values: Any, lo: int, hi: int) -> Any:
    """``values[lo:hi]``."""
    if isinstance(values, RaggedTensor):
        return _rows(values, slice(lo, hi))
    return _slicing.getitem(values, slice(lo, hi))


def _rows(rt: RaggedTensor, key: slice) -> RaggedTensor:
    """Rows ``key`` of dimension 0 (any step)."""
    start, stop, step = key.indices(_nrows_of(rt))
    if step == 1:
        stop = max(start, stop)
        splits = P._slicing.getitem(rt._row_splits, slice(start, stop + 1))
        lo, hi = (int(v) for v in np.asarray(_slicing.getitem(splits, slice(0, None, max(stop - start, 1)))
                                             .numpy())[[0, -1]])
        values = _slice_values(rt._values, lo, hi)
        return RaggedTensor(values, _m.sub_op(splits, P.scalar(lo, splits)), internal=True,
                            uniform_row_length=rt._uniform_row_length)
    from .ops import gather_rows

    order = P._create.range_(start, stop, step, dtype=rt.row_splits_dtype)
    return gather_rows(rt, order)


def _slice_inner(rt: RaggedTensor, key: tuple) -> Any:
    """``rt[:, key...]``: the remaining keys applied within every row."""
    k, rest = key[0], key[1:]
    if k is None:
        from .ops import expand_dims

        return _slice_inner(expand_dims(rt, 1), (slice(None),) + rest) if rest else expand_dims(rt, 1)
    values = rt._values
    if rt._uniform_row_length is not None and not isinstance(values, RaggedTensor):
        # a uniform dimension: index the values reshaped as a dense [nrows, length, ...] tensor
        from ..array import core as _core

        dense = _core.reshape_op(values, shape=(_nrows_of(rt), rt._uniform_row_length) + tuple(
            values._value.shape[1:]))
        return _slicing.getitem(dense, (slice(None), k) + rest)
    if isinstance(k, int):
        raise ValueError("Cannot index into an inner ragged dimension.")
    if not isinstance(k, slice):
        raise TypeError(f"Ragged __getitem__ expects an int, slice, Ellipsis or tf.newaxis; got {k!r}")
    if k.step not in (None, 1):
        raise NotImplementedError("Slicing a ragged dimension with a step other than 1 is not supported")
    starts, limits = rt.row_starts(), rt.row_limits()
    lengths = _m.sub_op(limits, starts)
    zero = P.scalar(0, lengths)
    begin = _clip(k.start, lengths, zero, 0)
    end = _clip(k.stop, lengths, zero, None)
    new_lengths = _m.maximum_op(_m.sub_op(end, begin), zero)
    positions, splits = P.ragged_range(_m.add_op(starts, begin), new_lengths)
    from .ops import gather_rows

    inner = gather_rows(values, positions)
    if rest:
        inner = _slice_level(inner, rest)
    return RaggedTensor(inner, splits, internal=True)


def _slice_level(values: Any, key: tuple) -> Any:
    """Keys for the dimensions below a ragged one: apply them to each of ``values``' rows."""
    if isinstance(values, RaggedTensor):
        return _slice_inner(values, key)
    return _slicing.getitem(values, (slice(None),) + key)


def _clip(bound: Any, lengths: Tensor, zero: Tensor, default: Any) -> Tensor:
    """A slice bound within each row: negative ones count from the row's end; clipped to [0, length]."""
    if bound is None:
        return zero if default == 0 else lengths
    b = P.scalar(int(bound), lengths)
    if bound < 0:
        b = _m.add_op(lengths, b)
    return _m.minimum_op(_m.maximum_op(b, zero), lengths)


_IMPL["getitem"] = getitem
