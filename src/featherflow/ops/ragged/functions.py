"""The ``tf.ragged`` functions: ``constant``, ``range``, ``map_flat_values``, ``boolean_mask``, ``stack``,
``stack_dynamic_partitions``, ``row_splits_to_segment_ids``, ``segment_ids_to_row_splits``."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ... import dtypes as _dtypes
from ...errors import InvalidArgumentError
from ...tensor import Tensor
from ..array import core as _core
from ..array import gather as _gather
from ..array import sort as _sort
from ..convert import tensor as _tensor
from ..math import elementwise as _m
from . import _partition as P
from .elementwise import check_same_partitions
from .ops import gather_rows, ragged_boolean_mask, ragged_stack
from .tensor import RaggedTensor


def _depth(value: Any) -> int:
    """How deeply ``value`` nests lists (0 for a scalar); the deepest element counts."""
    if isinstance(value, (list, tuple)):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, np.ndarray):
        return value.ndim
    return 0


def _check_depths(value: Any, depth: int) -> None:
    """TF's check that every scalar is nested equally deep."""
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_depths(item, depth - 1)
    elif depth != 0 and not isinstance(value, np.ndarray):
        raise ValueError("all scalar values must have the same nesting depth")


def constant(pylist: Any, dtype: Any = None, ragged_rank: int | None = None, inner_shape: Any = None,
             name: str | None = None, row_splits_dtype: Any = _dtypes.int64) -> Any:
    """A RaggedTensor from nested Python lists whose rows may differ in length (``tf.ragged.constant``).

    >>> constant([[0, 1, 2, 3], [4, 5], [6, 7, 8], [9]])
    <tf.RaggedTensor [[0, 1, 2, 3], [4, 5], [6, 7, 8], [9]]>
    """
    from ...tensor import constant as dense_constant

    splits_dtype = _dtypes.as_dtype(row_splits_dtype)
    depth = _depth(pylist)
    _check_depths(pylist, depth)
    if depth == 0:
        return dense_constant(pylist, dtype=dtype)
    inner = () if inner_shape is None else tuple(inner_shape)
    rank = depth - 1 - len(inner) if ragged_rank is None else ragged_rank
    if rank < 1 and ragged_rank is None:
        rank = 1
    if rank < 0:
        raise ValueError(f"Invalid pylist={pylist!r}: incompatible with ragged_rank={ragged_rank}")
    if rank == 0:
        return dense_constant(pylist, dtype=dtype)

    def build(rows: list, ragged_left: int) -> Any:
        if ragged_left == 0:
            if not rows and inner:
                return dense_constant(np.zeros((0,) + inner), dtype=dtype or _dtypes.float32)
            flat = dense_constant(rows, dtype=dtype)
            if inner and tuple(flat.shape.as_list()[1:]) != inner:
                return _core.reshape(flat, (-1,) + inner)
            return flat
        lengths = np.asarray([len(row) for row in rows], dtype=splits_dtype._np)
        flat_rows = [item for row in rows for item in row]
        return RaggedTensor(build(flat_rows, ragged_left - 1), P.splits_from_lengths(_tensor(lengths)),
                            internal=True)

    return build(list(pylist), rank)


def map_flat_values(op: Callable, *args: Any, **kwargs: Any) -> Any:
    """``op`` applied to the flat values of the ragged arguments (which must share their partitions).

    >>> map_flat_values(tf.ones_like, constant([[1, 2], [3]]))
    <tf.RaggedTensor [[1, 1], [1]]>
    """
    partitioned: list[RaggedTensor] = []

    def flat(value: Any) -> Any:
        if isinstance(value, RaggedTensor):
            partitioned.append(value)
            return value.flat_values
        if isinstance(value, list):
            return [flat(v) for v in value]
        if isinstance(value, tuple):
            return tuple(flat(v) for v in value)
        if isinstance(value, dict):
            return {k: flat(v) for k, v in value.items()}
        return value

    new_args = [flat(a) for a in args]
    new_kwargs = {k: flat(v) for k, v in kwargs.items()}
    if not partitioned:
        return op(*args, **kwargs)
    first = partitioned[0]
    for other in partitioned[1:]:
        check_same_partitions(first, other, "RowPartition._merge_precomputed_encodings: partitions have "
                              "incompatible row_splits\n")
    n = int(first.flat_values._value.shape[0])
    result = op(*new_args, **new_kwargs)
    if isinstance(result, Tensor) and (result._value.ndim == 0 or int(result._value.shape[0]) != n):
        raise ValueError(f"tf.ragged.map_flat_values requires that the output of `op` have the outermost dimension "
                         f"size equal to the outermost dimension size of the `flat_values` of the ragged inputs; "
                         f"got {result.shape[0] if result._value.ndim else None} and {n}")
    return first.with_flat_values(result)


def boolean_mask(data: Any, mask: Any, name: str | None = None) -> Any:
    """The values of ``data`` where ``mask`` is True, keeping the rows (``tf.ragged.boolean_mask``).

    >>> boolean_mask([[1, 2, 3], [4, 5, 6]], [[True, False, True], [False, False, True]])
    <tf.RaggedTensor [[1, 3], [6]]>
    """
    if not isinstance(mask, RaggedTensor):
        m = _tensor(mask)
        if m._value.ndim >= 2 and not isinstance(data, RaggedTensor):
            mask = RaggedTensor.from_tensor(m, ragged_rank=m._value.ndim - 1)
            data = RaggedTensor.from_tensor(_tensor(data), ragged_rank=m._value.ndim - 1)
    return ragged_boolean_mask(data, mask)


def ragged_range(starts: Any, limits: Any = None, deltas: Any = 1, dtype: Any = None, name: str | None = None,
                 row_splits_dtype: Any = _dtypes.int64) -> RaggedTensor:
    """Row ``i`` is ``range(starts[i], limits[i], deltas[i])`` (scalars broadcast) (``tf.ragged.range``).

    >>> ragged_range([3, 5, 2], [7, 7, 3])
    <tf.RaggedTensor [[3, 4, 5, 6], [5, 6], [2]]>
    """
    if limits is None:
        starts, limits = 0, starts
    dt = None if dtype is None else _dtypes.as_dtype(dtype)
    s, lim, d = (_tensor(v, dt) if dt is not None or isinstance(v, Tensor) else _tensor(v)
                 for v in (starts, limits, deltas))
    if dt is None:
        for kind in (_dtypes.float64, _dtypes.float32, _dtypes.int64, _dtypes.int32):
            if kind in (s._dtype, lim._dtype, d._dtype):
                dt = kind
                break
        s, lim, d = (P.cast(v, dt) for v in (s, lim, d))
    if any(v._value.ndim > 1 for v in (s, lim, d)):
        raise ValueError("starts, limits and deltas must be scalars or vectors")
    host_d = np.asarray(d.numpy())
    if np.any(host_d == 0):
        raise InvalidArgumentError(None, None, "Requires delta != 0")
    sizes = [int(v._value.shape[0]) for v in (s, lim, d) if v._value.ndim]
    n = 0 if 0 in sizes else max(sizes, default=1)  # an empty vector broadcasts the scalars to no rows
    s, lim, d = (_core.broadcast_to_op(v, shape=(n,)) for v in (s, lim, d))
    splits_dtype = _dtypes.as_dtype(row_splits_dtype)
    span = P.cast(_m.sub_op(lim, s), _dtypes.float64)
    count = _m.ceil_op(_m.div_op(span, P.cast(d, _dtypes.float64)))
    lengths = P.cast(_m.maximum_op(count, _m.zeros_like_op(count)), splits_dtype)
    splits = P.splits_from_lengths(lengths)
    total = P.host_int(P.nvals(splits)) if n else 0
    ids = P.rowids(splits, total)
    step = P.cast(_m.sub_op(P._create.range_(0, total, 1, dtype=splits_dtype), _gather.gather(splits, ids)), dt)
    values = _m.add_op(_gather.gather(s, ids), _m.mul_op(step, _gather.gather(d, ids)))
    return RaggedTensor(values, splits, internal=True)


def row_splits_to_segment_ids(splits: Any, name: str | None = None, out_type: Any = None) -> Tensor:
    """The row of each value of a partition given by ``splits`` (``tf.ragged.row_splits_to_segment_ids``).

    >>> row_splits_to_segment_ids([0, 3, 3, 5, 6, 9]).numpy()
    array([0, 0, 0, 2, 2, 3, 4, 4, 4])
    """
    t = P.as_index(splits, "splits")
    if P.count(t) == 0:
        raise ValueError("Invalid row_splits: []")
    ids = P.rowids(t, P.host_int(P.nvals(t)))
    return ids if out_type is None else P.cast(ids, _dtypes.as_dtype(out_type))


def segment_ids_to_row_splits(segment_ids: Any, num_segments: Any = None, out_type: Any = None,
                              name: str | None = None) -> Tensor:
    """The row splits of sorted segment ids (``tf.ragged.segment_ids_to_row_splits``).

    >>> segment_ids_to_row_splits([0, 0, 0, 2, 2, 3, 4, 4, 4]).numpy()
    array([0, 3, 3, 5, 6, 9])
    """
    from ..math import segment as _segment

    ids = P.as_index(segment_ids, "segment_ids")
    dtype = ids._dtype if out_type is None else _dtypes.as_dtype(out_type)
    if num_segments is None:
        n = P.host_int(_m.add_op(P.nvals(ids), P.scalar(1, ids))) if P.count(ids) else 0
    else:
        n = int(np.asarray(num_segments.numpy() if isinstance(num_segments, Tensor) else num_segments))
    lengths = _segment.unsorted_segment_sum(_m.ones_like_op(ids), ids, n)
    return P.splits_from_lengths(P.cast(lengths, dtype))


def stack(values: Any, axis: int = 0, name: str | None = None) -> Any:
    """Stacks ragged or dense tensors along a new ``axis`` (``tf.ragged.stack``).

    >>> stack([constant([[1, 2], [3]]), constant([[4]])])
    <tf.RaggedTensor [[[1, 2], [3]], [[4]]]>
    """
    values = list(values)
    if not any(isinstance(v, RaggedTensor) for v in values):
        values = [RaggedTensor.from_tensor(_tensor(v)) if _tensor(v)._value.ndim >= 2 else _tensor(v)
                  for v in values]
        if not any(isinstance(v, RaggedTensor) for v in values):  # (TF: int32 row splits, a ragged dimension 1)
            dense = _core.stack(values, axis=axis)
            shape = tuple(dense._value.shape)
            flat = _core.reshape_op(dense, shape=(shape[0] * shape[1],) + shape[2:])
            return RaggedTensor(flat, P.uniform_splits(shape[0], shape[1], _dtypes.int32), internal=True)
    return ragged_stack(values, axis)


def stack_dynamic_partitions(data: Any, partitions: Any, num_partitions: Any, name: str | None = None) -> Any:
    """Row ``p`` holds the items of ``data`` whose partition is ``p`` (``tf.ragged.stack_dynamic_partitions``).

    >>> stack_dynamic_partitions(['a', 'b', 'c', 'd', 'e'], [3, 0, 2, 2, 3], 5)
    <tf.RaggedTensor [[b'b'], [], [b'c', b'd'], [b'a', b'e'], []]>
    """
    from ..math import segment as _segment

    parts = P.cast(_tensor(partitions), _dtypes.int64)
    if parts._value.ndim != 1:
        raise NotImplementedError("stack_dynamic_partitions with partitions of rank other than 1 is not supported")
    n = int(np.asarray(num_partitions.numpy() if isinstance(num_partitions, Tensor) else num_partitions))
    order = _sort.argsort(parts, stable=True)
    rows = gather_rows(data if isinstance(data, RaggedTensor) else _tensor(data), order)
    # TF's row splits: int32 for dense data, the data's own for ragged data
    dtype = data.row_splits_dtype if isinstance(data, RaggedTensor) else _dtypes.int32
    lengths = _segment.unsorted_segment_sum(P.cast(_m.ones_like_op(parts), dtype), parts, n)
    return RaggedTensor(rows, P.splits_from_lengths(lengths), internal=True)
