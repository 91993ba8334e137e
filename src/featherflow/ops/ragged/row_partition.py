"""``tf.experimental.RowPartition``: how a flat sequence of values is cut into rows, without the values.

A partition always holds its ``row_splits`` (a 1-D int32/int64 Tensor) and caches the other encodings it was
made from (row lengths, row ids, the row count, a uniform row length, the value count); each accessor returns
the cached encoding or derives it from the splits with registered ops (``_partition``).

>>> import featherflow as tf
>>> p = tf.experimental.RowPartition.from_value_rowids([0, 0, 2, 2, 3], nrows=5)
>>> p
tf.RowPartition(row_splits=[0 2 2 4 5 5])
>>> p.row_lengths().numpy().tolist()
[2, 0, 2, 1, 0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...dtypes import as_dtype as _as_dtype
from ...dtypes import int32 as _int32
from ...dtypes import int64 as _int64
from ...errors import InvalidArgumentError
from ...tensor import Tensor, convert_to_tensor
from ..array import core as _core
from . import _partition as P

_FACTORY_KEY = object()  # the private constructor's key, as TF's ``_row_partition_factory_key``


def _check_validate(validate: Any) -> None:
    if not isinstance(validate, bool):
        raise TypeError("validate must have type bool")


def _convert(partition: Any, name: str, dtype: Any = None, dtype_hint: Any = None) -> Tensor:
    """TF's ``_convert_row_partition``: an int32/int64 Tensor (``dtype``, else its own, else ``dtype_hint``/int64)."""
    if dtype_hint is None:
        dtype_hint = _int64
    if isinstance(partition, np.ndarray) and partition.dtype == np.int32 and dtype is None:
        t = convert_to_tensor(partition)
    else:
        try:
            t = convert_to_tensor(partition, dtype=dtype, dtype_hint=dtype_hint)
        except ValueError as e:
            raise ValueError(f"{name}: {e}") from None
    if t._dtype not in (_int32, _int64):
        raise ValueError(f"{name} must have dtype int32 or int64")
    return t


def _rank1(t: Tensor) -> Tensor:
    if t._value.ndim != 1:
        raise ValueError(f"Shape {tuple(t._value.shape)} must have rank 1")
    return t


def _rank0(t: Tensor) -> Tensor:
    if t._value.ndim != 0:
        raise ValueError(f"Shape {tuple(t._value.shape)} must have rank 0")
    return t


def _host(t: Tensor) -> np.ndarray:
    return np.asarray(t.numpy())


def _cast(t: Tensor | None, dtype: Any) -> Tensor | None:
    return None if t is None else P.cast(t, dtype)


def _less_equal_error(prefix: str, x: Any, y: Any) -> InvalidArgumentError:
    return InvalidArgumentError(None, None, f"{prefix}\nCondition x <= y did not hold.\nFirst 1 elements of x:\n"
                                f"[{x}]\nFirst 1 elements of y:\n[{y}]")


def _check_monotonic(t: Tensor, prefix: str) -> None:
    diffs = np.diff(_host(t))
    if np.any(diffs < 0):
        raise P._nonnegative_error(prefix, diffs, t._dtype)


class RowPartition:
    """A partition of a sequence of ``nvals`` values into ``nrows`` rows (``tf.experimental.RowPartition``)."""

    __slots__ = ("_row_splits", "_row_lengths", "_value_rowids", "_nrows", "_uniform_row_length", "_nvals")

    def __init__(self, row_splits: Any, row_lengths: Any = None, value_rowids: Any = None, nrows: Any = None,
                 uniform_row_length: Any = None, nvals: Any = None, internal: Any = False) -> None:
        if internal is not _FACTORY_KEY:
            raise ValueError("RowPartition constructor is private; please use one of the factory methods instead "
                             "(e.g., RowPartition.from_row_lengths())")
        if not isinstance(row_splits, Tensor):
            raise TypeError(f"Row-partitioning argument must be a Tensor, got {row_splits!r}")
        if row_splits._dtype not in (_int32, _int64):
            raise ValueError("Row-partitioning argument must be int32 or int64")
        _rank1(row_splits)
        for tensor in (row_lengths, value_rowids, nrows, uniform_row_length, nvals):
            if tensor is not None:
                if not isinstance(tensor, Tensor):
                    raise TypeError("Cached value must be a Tensor or None.")
                if tensor._dtype is not row_splits._dtype:
                    raise ValueError(f"Inconsistent dtype for encoding tensors: {tensor} vs {row_splits}")
        self._row_splits = row_splits
        self._row_lengths = row_lengths
        self._value_rowids = value_rowids
        self._nrows = nrows
        self._uniform_row_length = uniform_row_length
        self._nvals = nvals

    # --- factories ------------------------------------------------------------------------------

    @classmethod
    def from_value_rowids(cls, value_rowids: Any, nrows: Any = None, validate: bool = True, dtype: Any = None,
                          dtype_hint: Any = None) -> RowPartition:
        """Value ``j`` goes to row ``value_rowids[j]`` (ids sorted); ``nrows`` rows (default: the last id + 1).

        >>> RowPartition.from_value_rowids([0, 0, 2], nrows=4).row_splits().numpy().tolist()
        [0, 2, 2, 3, 3]
        """
        from ..math import segment as _segment

        _check_validate(validate)
        ids = _convert(value_rowids, "value_rowids", dtype, dtype_hint)
        host_ids = _host(ids).reshape(-1)
        if nrows is None:
            n = int(host_ids[-1]) + 1 if host_ids.size else 0
            nrows_t = convert_to_tensor(np.asarray(n, ids._dtype._np))
        else:
            nrows_t = convert_to_tensor(nrows, ids._dtype)
            n = int(_host(nrows_t)) if nrows_t._value.ndim == 0 else None
            if n is not None:
                if n < 0:
                    raise ValueError(f"Expected nrows >= 0; got {n}")
                if host_ids.size and ids._value.ndim == 1 and not n >= host_ids[-1] + 1:
                    raise ValueError(f"Expected nrows >= value_rowids[-1] + 1; got nrows={n}, "
                                     f"value_rowids[-1]={host_ids[-1]}")
        _rank1(ids)
        _rank0(nrows_t)
        if validate:
            P.check_rowids(ids, None)
        lengths = _segment.unsorted_segment_sum(P._m.ones_like_op(ids), ids, n)
        return cls(P.splits_from_lengths(lengths), row_lengths=lengths, value_rowids=ids, nrows=nrows_t,
                   internal=_FACTORY_KEY)

    @classmethod
    def from_row_splits(cls, row_splits: Any, validate: bool = True, dtype: Any = None,
                        dtype_hint: Any = None) -> RowPartition:
        """Rows ``[row_splits[i], row_splits[i + 1])`` (``row_splits[0]`` is 0, and they never decrease)."""
        _check_validate(validate)
        if isinstance(row_splits, (list, tuple)) and not row_splits:
            raise ValueError("row_splits tensor may not be empty.")
        splits = _rank1(_convert(row_splits, "row_splits", dtype, dtype_hint))
        if validate:
            host = _host(splits)
            prefix = "Arguments to from_row_splits do not form a valid RaggedTensor:"
            if host.size == 0 or host[0] != 0:  # TF's check reads row_splits[0], which an empty tensor lacks
                if host.size == 0:
                    raise InvalidArgumentError(None, None, "slice index 0 of dimension 0 out of bounds.")
                raise P._equal_error(prefix + "zero\n", host[0], 0)
            _check_monotonic(splits, prefix + "monotonic.")
        return cls(splits, internal=_FACTORY_KEY)

    @classmethod
    def from_row_lengths(cls, row_lengths: Any, validate: bool = True, dtype: Any = None,
                         dtype_hint: Any = None) -> RowPartition:
        """Rows of ``row_lengths[i]`` values each, in order."""
        _check_validate(validate)
        lengths = _rank1(_convert(row_lengths, "row_lengths", dtype, dtype_hint))
        if validate:
            P.check_lengths(lengths)
        return cls(P.splits_from_lengths(lengths), row_lengths=lengths, internal=_FACTORY_KEY)

    @classmethod
    def from_row_starts(cls, row_starts: Any, nvals: Any, validate: bool = True, dtype: Any = None,
                        dtype_hint: Any = None) -> RowPartition:
        """Rows starting at ``row_starts[i]`` (the first is 0); the last row ends at ``nvals``."""
        _check_validate(validate)
        starts = _rank1(_convert(row_starts, "row_starts", dtype, dtype_hint))
        nvals_t = P.cast(convert_to_tensor(nvals), starts._dtype)
        if validate:
            prefix = "Arguments to from_row_starts do not form a valid RaggedTensor"
            host = _host(starts)
            if host.size and host[0] != 0:
                raise P._equal_error(prefix + "\n", host[0], 0)
            _check_monotonic(starts, prefix + ".")
            limit = _host(nvals_t)
            if host.size and not host[-1] <= limit:
                raise _less_equal_error(prefix, host[-1], limit)
        end = _core.reshape(nvals_t, [1])
        return cls(P._join.concat([starts, end], 0), nvals=nvals_t, internal=_FACTORY_KEY)

    @classmethod
    def from_row_limits(cls, row_limits: Any, validate: bool = True, dtype: Any = None,
                        dtype_hint: Any = None) -> RowPartition:
        """Rows ending at ``row_limits[i]``, each starting where the previous one ends."""
        _check_validate(validate)
        limits = _rank1(_convert(row_limits, "row_limits", dtype, dtype_hint))
        if validate:
            prefix = "Arguments to from_row_limits do not form a valid RaggedTensor."
            host = _host(limits)
            if host.size and host[0] < 0:
                raise P._nonnegative_error(prefix, host[:1], limits._dtype)
            _check_monotonic(limits, prefix)
        zero = P._create.zeros([1], limits._dtype)
        return cls(P._join.concat([zero, limits], 0), internal=_FACTORY_KEY)

    @classmethod
    def from_uniform_row_length(cls, uniform_row_length: Any, nvals: Any = None, nrows: Any = None,
                                validate: bool = True, dtype: Any = None, dtype_hint: Any = None) -> RowPartition:
        """``nrows`` rows of ``uniform_row_length`` values each (give ``nvals``, ``nrows`` or both).

        >>> RowPartition.from_uniform_row_length(3, nvals=12)
        tf.RowPartition(nrows=4, uniform_row_length=3)
        """
        _check_validate(validate)
        if nrows is None and nvals is None:
            raise ValueError("Either (or both) of nvals and nrows must be specified")
        given = [(uniform_row_length, "uniform_row_length"), (nvals, "nvals"), (nrows, "nrows")]
        length_t, nvals_t, nrows_t = _convert_all(given, dtype, dtype_hint)
        _rank0(length_t)
        length = int(_host(length_t))
        if nrows_t is None:
            nrows_t = convert_to_tensor(np.asarray(0 if length == 0 else int(_host(nvals_t)) // length,
                                                   length_t._dtype._np))
        n_rows = int(_host(nrows_t))
        if nvals_t is None:
            nvals_t = convert_to_tensor(np.asarray(n_rows * length, length_t._dtype._np))
        n_vals = int(_host(nvals_t))
        if validate:
            if n_rows * length != n_vals:
                raise ValueError(f"uniform_row_length={length} times nrows={n_rows} must equal nvals={n_vals}")
            if length < 0:
                raise ValueError("uniform_row_length must be >= 0.")
        splits = convert_to_tensor(np.arange(n_rows + 1, dtype=length_t._dtype._np) * length)
        return cls(splits, uniform_row_length=length_t, nrows=nrows_t, nvals=nvals_t, internal=_FACTORY_KEY)

    # --- accessors ------------------------------------------------------------------------------

    @property
    def dtype(self) -> Any:
        """The dtype of the encodings (int32 or int64)."""
        return self._row_splits._dtype

    def row_splits(self) -> Tensor:
        """Where each row begins and ends: ``values[row_splits[i]:row_splits[i + 1]]`` is row ``i``."""
        return self._row_splits

    def value_rowids(self) -> Tensor:
        """The row of each value."""
        if self._value_rowids is not None:
            return self._value_rowids
        return P.rowids(self._row_splits, P.host_int(P.nvals(self._row_splits)))

    def nvals(self) -> Tensor:
        """The number of values (a 0-d Tensor)."""
        return P.nvals(self._row_splits)

    def nrows(self) -> Tensor:
        """The number of rows (a 0-d Tensor)."""
        if self._nrows is not None:
            return self._nrows
        return P.scalar(P.count(self._row_splits) - 1, self._row_splits)

    def uniform_row_length(self) -> Tensor | None:
        """The length of every row when the partition was made uniform, else None."""
        return self._uniform_row_length

    def row_starts(self) -> Tensor:
        """``row_splits()[:-1]``."""
        return P._slicing.getitem(self._row_splits, slice(None, -1))

    def row_limits(self) -> Tensor:
        """``row_splits()[1:]``."""
        return P._slicing.getitem(self._row_splits, slice(1, None))

    def row_lengths(self) -> Tensor:
        """The number of values in each row."""
        if self._row_lengths is not None:
            return self._row_lengths
        return P.lengths(self._row_splits)

    @property
    def static_nrows(self) -> int:
        """The number of rows (known in eager mode: the length of ``row_splits`` less one)."""
        return P.count(self._row_splits) - 1

    @property
    def static_nvals(self) -> Any:
        """The number of values when it was given or is the length of cached row ids, else None (as TF)."""
        if self._nvals is not None:
            return _host(self._nvals)[()]
        if self._value_rowids is not None:
            return P.count(self._value_rowids)
        return None

    @property
    def static_uniform_row_length(self) -> Any:
        """The uniform row length (a NumPy scalar), or None."""
        return None if self._uniform_row_length is None else _host(self._uniform_row_length)[()]

    def offsets_in_rows(self) -> Tensor:
        """The position of each value inside its row."""
        splits = self._row_splits
        ids = self.value_rowids()
        positions = P._create.range_(0, P.count(ids), 1, dtype=splits._dtype)
        return P._m.sub_op(positions, P._gather.gather(splits, ids))

    def is_uniform(self) -> bool:
        """Whether the partition was made with a uniform row length."""
        return self._uniform_row_length is not None

    def with_dtype(self, dtype: Any) -> RowPartition:
        """This partition with its encodings cast to ``dtype`` (int32 or int64)."""
        dtype = _as_dtype(dtype)
        if dtype not in (_int32, _int64):
            raise ValueError("dtype must be int32 or int64")
        if self.dtype is dtype:
            return self
        return RowPartition(_cast(self._row_splits, dtype), row_lengths=_cast(self._row_lengths, dtype),
                            value_rowids=_cast(self._value_rowids, dtype), nrows=_cast(self._nrows, dtype),
                            uniform_row_length=_cast(self._uniform_row_length, dtype), internal=_FACTORY_KEY)

    def __repr__(self) -> str:
        if self._uniform_row_length is not None:
            return f"tf.RowPartition(nrows={self._nrows}, uniform_row_length={self._uniform_row_length})"
        return f"tf.RowPartition(row_splits={self._row_splits})"


def _convert_all(values: list, dtype: Any, dtype_hint: Any) -> list:
    """TF's ``_convert_all_to_tensors``: one dtype for all (``dtype`` casts; else the first Tensor's converts)."""
    if dtype is not None:
        target = _as_dtype(dtype)
    else:
        target = next((v._dtype for v, _ in values if isinstance(v, Tensor)), None)
        if target is None:
            target = next((_as_dtype(v.dtype) for v, _ in values if isinstance(v, np.ndarray)), None)
        if target is None:
            target = _as_dtype(dtype_hint) if dtype_hint is not None else _int64
    if dtype is None:
        return [None if v is None else convert_to_tensor(v, dtype=target) for v, _ in values]
    return [None if v is None else P.cast(convert_to_tensor(v), target) for v, _ in values]
