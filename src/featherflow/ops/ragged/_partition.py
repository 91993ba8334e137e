"""Row partitions as Tensors computed through registered ops (they stay on the device they were made on).

A partition is a 1-D int32/int64 ``row_splits`` Tensor; lengths, starts, limits and row ids are derived from
it with array ops. The few host reads (a count that becomes a static shape, TF's ``validate`` checks) are
explicit ``.numpy()`` calls: TF's eager kernels read the same values to allocate their outputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...errors import InvalidArgumentError
from ...tensor import Tensor, convert_to_tensor
from ..array import create as _create
from ..array import gather as _gather
from ..array import join as _join
from ..array import slicing as _slicing
from ..array import sort as _sort
from ..math import cumulative as _cumulative
from ..math import elementwise as _m

_SPLIT_DTYPES = (_dtypes.int32, _dtypes.int64)


def as_index(value: Any, what: str, dtype: Any = None) -> Tensor:
    """``value`` as a 1-D int32/int64 Tensor (TF's checks and messages for a partition tensor)."""
    if isinstance(value, Tensor) or hasattr(value, "__tf_tensor__"):
        t = convert_to_tensor(value)
    else:
        array = np.asarray(value)
        if array.dtype.kind not in "iu" and array.size:
            raise ValueError(f"{what} must have dtype int32 or int64")
        t = convert_to_tensor(value, dtype=dtype or _dtypes.int64)
    if t._dtype not in _SPLIT_DTYPES:
        raise ValueError(f"{what} must have dtype int32 or int64")
    if t._value.ndim != 1:
        raise ValueError(f"Shape {tuple(t._value.shape)} must have rank 1")
    if dtype is not None and t._dtype is not dtype:
        t = cast(t, dtype)
    return t


def cast(t: Tensor, dtype: Any) -> Tensor:
    """``t`` as ``dtype`` (a no-op when it already is)."""
    return t if t._dtype is dtype else _m.cast_op(t, dtype=dtype._np)


def host_int(t: Tensor) -> int:
    """A 0-d Tensor read on the host (an explicit transfer)."""
    return int(t.numpy())


def count(t: Tensor) -> int:
    """The static length of a 1-D Tensor (no transfer)."""
    return int(t._value.shape[0])


def scalar(value: int, like: Tensor) -> Tensor:
    """A 0-d integer constant on ``like``'s device, of its dtype."""
    from ..registry import constant_like

    return constant_like(value, like)


def zeros1(like: Tensor) -> Tensor:
    """``[0]`` with ``like``'s dtype and device."""
    return _m.zeros_like_op(_slicing.getitem(like, slice(0, 1))) if count(like) else _create.zeros(
        [1], like._dtype)


def lengths(splits: Tensor) -> Tensor:
    """``splits[1:] - splits[:-1]``."""
    return _m.sub_op(_slicing.getitem(splits, slice(1, None)), _slicing.getitem(splits, slice(None, -1)))


def splits_from_lengths(lengths_: Tensor) -> Tensor:
    """``[0, cumsum(lengths)...]``."""
    zero = _create.zeros([1], lengths_._dtype)
    return _join.concat([zero, _cumulative.cumsum(lengths_)], 0)


def nvals(splits: Tensor) -> Tensor:
    """The last split, as a 0-d Tensor."""
    return _slicing.getitem(splits, -1)


def rowids(splits: Tensor, n_values: int) -> Tensor:
    """The row of each value: ``i`` repeated ``length[i]`` times."""
    positions = _create.range_(0, n_values, 1, dtype=splits._dtype)
    return _sort.searchsorted(_slicing.getitem(splits, slice(1, None)), positions, side="right",
                              out_type=splits._dtype)


def ragged_range(starts: Tensor, lengths_: Tensor) -> tuple[Tensor, Tensor]:
    """The concatenation of ``range(starts[i], starts[i] + lengths[i])`` over the rows, and its splits."""
    splits = splits_from_lengths(lengths_)
    total = host_int(nvals(splits)) if count(splits) > 1 else 0
    ids = rowids(splits, total)
    positions = _create.range_(0, total, 1, dtype=splits._dtype)
    offsets = _m.sub_op(_gather.gather(starts, ids), _gather.gather(splits, ids))
    return _m.add_op(positions, offsets), splits


def uniform_splits(nrows: int, length: int, dtype: Any) -> Tensor:
    """``[0, length, 2 * length, ...]`` for ``nrows`` rows."""
    return _create.range_(0, nrows * length + 1, max(length, 1), dtype=dtype) if length else _create.zeros(
        [nrows + 1], dtype)


# --- TF's validate=True checks -----------------------------------------------------------------------------


def _equal_error(prefix: str, x: Any, y: Any) -> InvalidArgumentError:
    return InvalidArgumentError(None, None, f"{prefix}Condition x == y did not hold.\nFirst 1 elements of x:\n"
                                f"[{x}]\nFirst 1 elements of y:\n[{y}]")


def _nonnegative_error(prefix: str, x: np.ndarray, dtype: Any) -> InvalidArgumentError:
    items = ", ".join(repr(str(v)) for v in x.tolist())
    return InvalidArgumentError(None, None, f"{prefix}  \nCondition x >= 0 did not hold element-wise:\nx (shape="
                                f"({x.size},) dtype={dtype.name}) = \n[{items}]")


def check_splits(splits: Tensor, n_values: int, source: str = "from_row_splits") -> None:
    """TF's checks of ``from_row_splits``: starts at 0, never decreases, ends at the number of values."""
    if count(splits) == 0:
        raise ValueError("row_splits tensor may not be empty.")
    host = np.asarray(splits.numpy())
    if host[0] != 0:
        if source == "from_row_starts":
            raise _equal_error("Arguments to from_row_starts do not form a valid RaggedTensor\n", host[0], 0)
        raise _equal_error(f"Arguments to {source} do not form a valid RaggedTensor:zero\n", host[0], 0)
    diffs = np.diff(host)
    if np.any(diffs < 0):
        raise _nonnegative_error(f"Arguments to {source} do not form a valid RaggedTensor:monotonic.", diffs,
                                 splits._dtype)
    check_nvals(splits, n_values, host)


def check_nvals(splits: Tensor, n_values: int, host: Any = None) -> None:
    """TF's check that the last split is the number of values."""
    last = int((np.asarray(splits.numpy()) if host is None else host)[-1])
    if last != n_values:
        raise _equal_error("Arguments to _from_row_partition do not form a valid RaggedTensor\n", last, n_values)


def check_lengths(lengths_: Tensor) -> None:
    """TF's check that no row length is negative."""
    host = np.asarray(lengths_.numpy())
    if np.any(host < 0):
        raise _nonnegative_error("Arguments to from_row_lengths do not form a valid RowPartition.", host,
                                 lengths_._dtype)


def check_rowids(ids: Tensor, nrows: int | None) -> None:
    """TF's checks of ``from_value_rowids``: ids start at >= 0, never decrease, and stay below ``nrows``."""
    host = np.asarray(ids.numpy())
    prefix = "Arguments to from_value_rowids do not form a valid RowPartition."
    if host.size and host[0] < 0:
        raise _nonnegative_error(prefix, host[:1], ids._dtype)
    diffs = np.diff(host)
    if np.any(diffs < 0):
        raise _nonnegative_error(prefix, diffs, ids._dtype)
    if nrows is not None and host.size and nrows < host[-1] + 1:
        raise ValueError(f"Expected nrows >= value_rowids[-1] + 1; got nrows={nrows}, value_rowids[-1]={host[-1]}")
