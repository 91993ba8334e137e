"""Array ops on ragged tensors (TF's ragged dispatch of ``tf.concat``, ``tf.stack``, ``tf.gather``, ``tf.where``,
``tf.expand_dims``, ``tf.cast``, ``tf.size``...): partitions rebuilt with array ops, values moved with gathers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor
from .. import dispatch as _dispatch
from ..array import core as _core
from ..array import create as _create
from ..array import gather as _gather
from ..array import join as _join
from ..convert import tensor as _tensor
from ..math import api as _api
from ..math import elementwise as _m
from . import _partition as P
from .elementwise import check_same_partitions
from .tensor import RaggedTensor, _nrows_of


def gather_rows(value: Any, indices: Tensor) -> Any:
    """Rows ``indices`` (1-D) of a Tensor or RaggedTensor."""
    if not isinstance(value, RaggedTensor):
        return _gather.gather(value, indices)
    starts = _gather.gather(value.row_starts(), indices)
    lengths = _gather.gather(P.lengths(value._row_splits), indices)
    positions, splits = P.ragged_range(starts, lengths)
    return RaggedTensor(gather_rows(value._values, positions), splits, internal=True,
                        uniform_row_length=value._uniform_row_length)


def _as_ragged(value: Any, ragged_rank: int, splits_dtype: Any) -> RaggedTensor:
    if isinstance(value, RaggedTensor):
        if value.ragged_rank != ragged_rank:
            raise ValueError(f"All RaggedTensors must have the same ragged_rank; got {value.ragged_rank} and "
                             f"{ragged_rank}")
        return value.with_row_splits_dtype(splits_dtype) if value.row_splits_dtype is not splits_dtype else value
    return RaggedTensor.from_tensor(value, ragged_rank=ragged_rank, row_splits_dtype=splits_dtype)


def _common(values: list) -> list[RaggedTensor]:
    ragged = [v for v in values if isinstance(v, RaggedTensor)]
    rank = max(v.ragged_rank for v in ragged)
    dtype = _dtypes.int64 if any(v.row_splits_dtype is _dtypes.int64 for v in ragged) else _dtypes.int32
    return [_as_ragged(v, rank, dtype) for v in values]


def _concat_rows(parts: list) -> Any:
    """Concatenation along dimension 0 of Tensors or of RaggedTensors of one ragged rank."""
    if not isinstance(parts[0], RaggedTensor):
        return _join.concat(parts, 0)
    values = _concat_rows([p._values for p in parts])
    splits = [parts[0]._row_splits]
    offset = P.nvals(parts[0]._row_splits)
    for p in parts[1:]:
        rest = _m.add_op(P._slicing.getitem(p._row_splits, slice(1, None)), offset)
        splits.append(rest)
        offset = _m.add_op(offset, P.nvals(p._row_splits))
    uniform = {p._uniform_row_length for p in parts}
    return RaggedTensor(values, _join.concat(splits, 0), internal=True,
                        uniform_row_length=uniform.pop() if len(uniform) == 1 else None)


def ragged_concat(values: list, axis: Any, name: str = "concat") -> Any:
    """``tf.concat`` of values of which at least one is ragged."""
    parts = _common(list(values))
    ndim = parts[0]._ndim
    a = int(axis) + ndim if int(axis) < 0 else int(axis)
    if not 0 <= a < ndim:
        raise ValueError(f"axis={axis} out of bounds: expected {-ndim}<=axis<{ndim}")
    if a == 0:
        return _concat_rows(parts)
    if a == 1:
        return ragged_stack(parts, 1).merge_dims(1, 2)
    nrows = {_nrows_of(p) for p in parts}
    if len(nrows) != 1:
        raise ValueError("Input tensors have incompatible shapes.")
    return parts[0].with_values(ragged_concat([p._values for p in parts], a - 1))


def ragged_stack(values: list, axis: int = 0, name: str = "stack") -> Any:
    """``tf.stack`` of values of which at least one is ragged."""
    parts = _common(list(values))
    ndim = parts[0]._ndim + 1
    a = int(axis) + ndim if int(axis) < 0 else int(axis)
    if not 0 <= a < ndim:
        raise ValueError(f"axis={axis} out of bounds: expected {-ndim}<=axis<{ndim}")
    if a == 0:
        lengths = _tensor(np.asarray([_nrows_of(p) for p in parts], parts[0].row_splits_dtype._np))
        return RaggedTensor(_concat_rows(parts), P.splits_from_lengths(lengths), internal=True)
    nrows = {_nrows_of(p) for p in parts}
    if len(nrows) != 1:
        raise ValueError("Input tensors have incompatible shapes.")
    n, k = nrows.pop(), len(parts)
    if a == 1:
        order = _tensor(np.asarray([j * n + i for i in range(n) for j in range(k)], np.int64))
        rows = gather_rows(_concat_rows(parts), order)
        return RaggedTensor(rows, P.uniform_splits(n, k, parts[0].row_splits_dtype), internal=True)
    return parts[0].with_values(ragged_stack([p._values for p in parts], a - 1))


def ragged_gather(params: Any, indices: Any, validate_indices: Any = None, axis: Any = None, batch_dims: int = 0,
                  name: str | None = None) -> Any:
    """``tf.gather`` with ragged params or ragged indices, along any axis (TF's ``ragged_gather_ops.gather``)."""
    if not isinstance(params, RaggedTensor):
        params = _tensor(params)
    if not isinstance(indices, RaggedTensor):
        indices = _tensor(indices)
    if batch_dims:
        raise NotImplementedError("tf.gather of a RaggedTensor with batch_dims is not supported")
    rank = params._ndim if isinstance(params, RaggedTensor) else params._value.ndim
    a = 0 if axis is None else int(axis)
    if not -rank <= a < rank:
        raise ValueError(f"axis={axis} out of bounds: expected {-rank}<=axis<{rank}")
    return _gather_any(params, indices, a + rank if a < 0 else a)


def _gather_any(params: Any, indices: Any, axis: int) -> Any:
    """TF's ``_gather`` (axis non-negative, no batch dimensions)."""
    if not isinstance(params, RaggedTensor) and not isinstance(indices, RaggedTensor):
        return _gather.gather(params, indices, axis=axis)
    if axis > 1:  # gather within the rows of dimension 1
        if not isinstance(params, RaggedTensor):
            params = RaggedTensor.from_tensor(params, ragged_rank=1, row_splits_dtype=indices.row_splits_dtype)
        return params.with_values(_gather_any(params._values, indices, axis - 1))
    if axis == 1:  # gather from dimensions 0 and 1 merged, each row's indices moved on by the row's start
        if isinstance(params, RaggedTensor):
            flat, starts = params._values, params.row_starts()
        else:
            dims = params._value.shape
            flat = _core.reshape_op(params, shape=(-1, *dims[2:]))
            starts = _api.multiply(_create.range_(0, dims[0], 1, dtype=_dtypes.int64), dims[1])
        return _gather_any(flat, _offset_per_row(indices, starts), 0)
    if isinstance(indices, RaggedTensor):
        return indices.with_values(_gather_any(params, indices._values, 0))
    return _gather_rows_of_ragged(params, indices)


def _offset_per_row(indices: Any, starts: Tensor) -> Any:
    """``indices + starts[b]`` for each row b of params, stacked along a new outer dimension: TF's
    ``indices + starts`` broadcast (starts given trailing size-1 dimensions), in ``indices``' dtype."""
    n = int(starts._value.shape[0])
    starts = P.cast(starts, indices.dtype)
    if not isinstance(indices, RaggedTensor):
        dims = indices._value.shape
        return _api.add(_core.reshape_op(starts, shape=(n,) + (1,) * len(dims)), indices)
    k = _nrows_of(indices)
    copies = gather_rows(indices, _join.tile(_create.range_(0, k, 1, dtype=_dtypes.int64), [n]))
    flat = copies.flat_values
    per_copy = int(np.prod(flat._value.shape[:1], dtype=np.int64)) // n if n else 0
    offsets = _gather.gather(starts, _repeat(n, per_copy, _dtypes.int64))
    offsets = _core.reshape_op(offsets, shape=(-1,) + (1,) * (flat._value.ndim - 1))
    return RaggedTensor(copies.with_flat_values(_api.add(flat, offsets)),
                        P.uniform_splits(n, k, indices.row_splits_dtype), internal=True, uniform_row_length=k)


def _without_uniform_lengths(value: Any) -> Any:
    """``value`` with no ragged dimension marked uniform (TF's ``from_nested_row_splits``: sizes unknown)."""
    if not isinstance(value, RaggedTensor):
        return value
    return RaggedTensor(_without_uniform_lengths(value._values), value._row_splits, internal=True)


def _gather_rows_of_ragged(params: RaggedTensor, indices: Tensor) -> Any:
    """``RaggedGather``: rows of ragged ``params`` along dimension 0, at dense ``indices`` (checked)."""
    idx = indices
    if idx._value.ndim == 0:
        return params[int(idx.numpy())]
    flat = _core.reshape_op(idx, shape=(int(np.prod(idx._value.shape)),))
    n = _nrows_of(params)
    host = np.asarray(flat.numpy())
    bad = (host < 0) | (host >= n)
    if bad.any():  # TF's kernel checks the row indices
        from ...device import _scope
        from ...errors import InvalidArgumentError

        kernel = (f"RaggedGather_OUTPUT_RAGGED_RANK_{params.ragged_rank + idx._value.ndim - 1}_PARAMS_RAGGED_RANK_"
                  f"{params.ragged_rank}")
        raise InvalidArgumentError(None, None, f"{{{{function_node __wrapped__{kernel}_device_"
                                   f"{_scope.device.name}}}}} indices[{int(np.flatnonzero(bad)[0])}] = "
                                   f"{host[bad][0]} is not in [0, {n}) [Op:RaggedGather] name: ")
    result = _without_uniform_lengths(gather_rows(params, flat))  # TF's RaggedGather output: all from splits
    for size in reversed(idx._value.shape[1:]):
        rows = _nrows_of(result) // size if size else 0
        result = RaggedTensor(result, P.uniform_splits(rows, size, params.row_splits_dtype), internal=True)
    return result


def ragged_one_hot(indices: RaggedTensor, depth: Any, on_value: Any = None, off_value: Any = None, axis: Any = None,
                   dtype: Any = None, name: str | None = None) -> RaggedTensor:
    """``tf.one_hot`` of ragged indices: of their flat values (a non-negative ``axis`` counts the ragged
    dimensions, which it must come after)."""
    if isinstance(axis, int) and axis >= 0:
        if axis <= indices.ragged_rank:
            raise ValueError(f"axis ({axis}) must be greater than indices.ragged_rank ({indices.ragged_rank}).")
        axis -= indices.ragged_rank
    return indices.with_flat_values(_create.one_hot(indices.flat_values, depth, on_value, off_value, axis, dtype))


def expand_dims(input: Any, axis: Any, name: str | None = None) -> Any:  # noqa: A002 - TF's name
    """``tf.expand_dims`` of a RaggedTensor."""
    rt = input
    ndim = rt._ndim + 1
    a = int(axis) + ndim if int(axis) < 0 else int(axis)
    if not 0 <= a < ndim:
        raise ValueError(f"axis={axis} out of bounds: expected {-ndim}<=axis<{ndim}")
    if a == 0:
        n = _nrows_of(rt)
        return RaggedTensor(rt, P.uniform_splits(1, n, rt.row_splits_dtype), internal=True, uniform_row_length=n)
    if a == 1:
        return RaggedTensor(rt, P.uniform_splits(_nrows_of(rt), 1, rt.row_splits_dtype), internal=True,
                            uniform_row_length=1)
    if a > rt.ragged_rank:
        return rt.with_flat_values(_core.expand_dims(rt.flat_values, a - rt.ragged_rank))
    return rt.with_values(expand_dims(rt._values, a - 1))


def _repeat(n: int, times: int, dtype: Any) -> Tensor:
    """``[0] * times + [1] * times + ...`` for ``n`` rows."""
    positions = P._create.range_(0, n * times, 1, dtype=dtype)
    return _m.floordiv_op(positions, P.scalar(max(times, 1), positions))


def _tile_rows(value: Any, multiples: list[int]) -> Any:
    """Tiles the dimensions below dimension 0 of ``value``: each row's content repeated."""
    if not isinstance(value, RaggedTensor):
        if any(m != 1 for m in multiples):
            return _join.tile(value, [1] + multiples)
        return value
    inner = _tile_rows(value._values, multiples[1:])
    rt = RaggedTensor(inner, value._row_splits, internal=True, uniform_row_length=value._uniform_row_length)
    times = multiples[0]
    if times == 1:
        return rt
    n = _nrows_of(rt)
    copies = gather_rows(rt, _repeat(n, times, rt.row_splits_dtype))
    grouped = RaggedTensor(copies, P.uniform_splits(n, times, rt.row_splits_dtype), internal=True,
                           uniform_row_length=times)
    return grouped.merge_dims(1, 2)


def ragged_tile(input: Any, multiples: Any, name: str | None = None) -> Any:  # noqa: A002 - TF's name
    """``tf.tile`` of a RaggedTensor: every dimension, ragged ones included, repeated ``multiples`` times."""
    times = [int(m) for m in np.asarray(multiples.numpy() if isinstance(multiples, Tensor) else multiples).ravel()]
    if len(times) != input._ndim:
        raise ValueError(f"multiples must have {input._ndim} elements; got {len(times)}")
    result = _tile_rows(input, times[1:])
    if times[0] != 1:
        n = _nrows_of(result)
        positions = P._create.range_(0, n * times[0], 1, dtype=input.row_splits_dtype)
        result = gather_rows(result, _m.floormod_op(positions, P.scalar(max(n, 1), positions)))
    return result


def ragged_where(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Any:
    """``tf.where`` of ragged tensors of one partition."""
    if x is None and y is None:
        from ..array import selection as _selection

        return _selection.where_indices(condition.to_tensor()) if isinstance(condition, RaggedTensor) else (
            _selection.where_indices(condition))
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    parts = [v for v in (condition, x, y) if isinstance(v, RaggedTensor)]
    for other in parts[1:]:
        check_same_partitions(parts[0], other)
    flat = [v.flat_values if isinstance(v, RaggedTensor) else v for v in (condition, x, y)]
    return parts[0].with_flat_values(_api.where(*flat))


def ragged_boolean_mask(data: Any, mask: Any, name: str | None = None) -> Any:
    """``tf.ragged.boolean_mask``: the values (or rows) of ``data`` where ``mask`` is True. (TF's
    ``tf.boolean_mask`` and ``tf.unstack`` do not dispatch ragged tensors: they raise, as here.)"""
    if isinstance(mask, RaggedTensor):
        if not isinstance(data, RaggedTensor):
            data = RaggedTensor.from_tensor(data, ragged_rank=mask.ragged_rank)
        if data.ragged_rank == mask.ragged_rank:
            check_same_partitions(data, mask)
        return _mask_level(data, mask)
    m = _tensor(mask)
    if m._dtype is not _dtypes.bool:
        raise TypeError(f"Expected bool for argument 'mask' not {m._dtype!r}.")
    if m._value.ndim == 1 and isinstance(data, RaggedTensor):
        keep = _core.reshape_op(_selection_where(m), shape=(-1,))
        return gather_rows(data, keep)
    if isinstance(data, RaggedTensor):
        return ragged_boolean_mask(data, RaggedTensor.from_tensor(m, ragged_rank=data.ragged_rank))
    return _gather.boolean_mask(data, m)


def _selection_where(m: Tensor) -> Tensor:
    from ..array import selection as _selection

    return _selection.where_indices(m)


def _mask_level(data: Any, mask: Any) -> Any:
    if not isinstance(mask, RaggedTensor):
        return _gather.boolean_mask(data, mask)
    inner = _mask_level(data._values, mask._values)
    if isinstance(mask._values, RaggedTensor):
        return RaggedTensor(inner, data._row_splits, internal=True)
    from ..math import segment as _segment

    kept = _segment.unsorted_segment_sum(P.cast(mask._values, data.row_splits_dtype), data.value_rowids(),
                                         _nrows_of(data))
    return RaggedTensor(inner, P.splits_from_lengths(kept), internal=True)


def _flat(fn: Any) -> Any:
    def override(input: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: A002 - TF's name
        kwargs.pop("name", None)
        return input.with_flat_values(fn(input.flat_values, *args, **kwargs))

    return override


def _size(input: Any, out_type: Any = None, name: str | None = None) -> Tensor:  # noqa: A002
    return _core.size(input.flat_values, out_type=out_type)


def _rank(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    return _tensor(np.asarray(input._ndim, np.int32))


def _shape(input: Any, out_type: Any = None, name: str | None = None) -> Any:  # noqa: A002
    from .dynamic_shape import shape

    return shape(input, out_type)


def _cast(x: Any, dtype: Any, name: str | None = None) -> Any:
    return x.with_flat_values(_create.cast(x.flat_values, dtype))


def _like(fn: Any) -> Any:
    def override(input: Any, dtype: Any = None, name: str | None = None, layout: Any = None) -> Any:  # noqa: A002
        return input.with_flat_values(fn(input.flat_values, dtype=dtype))

    return override


_R = RaggedTensor
_dispatch.dispatch_for_api(_join.concat, {"values": list[_R | Tensor]})(ragged_concat)
_dispatch.dispatch_for_api(_core.stack, {"values": list[_R | Tensor]})(ragged_stack)
_dispatch.dispatch_for_api(_gather.gather, {"params": _R}, {"indices": _R})(ragged_gather)
_dispatch.dispatch_for_api(_create.one_hot, {"indices": _R})(ragged_one_hot)
_dispatch.dispatch_for_api(_core.expand_dims, {"input": _R})(expand_dims)
_dispatch.dispatch_for_api(_join.tile, {"input": _R})(ragged_tile)
_dispatch.dispatch_for_api(_api.where, {"condition": _R}, {"x": _R}, {"y": _R})(ragged_where)
_dispatch.dispatch_for_api(_core.size, {"input": _R})(_size)
_dispatch.dispatch_for_api(_core.rank, {"input": _R})(_rank)
_dispatch.dispatch_for_api(_core.shape, {"input": _R})(_shape)
_dispatch.dispatch_for_api(_create.cast, {"x": _R})(_cast)
_dispatch.dispatch_for_api(_create.zeros_like, {"input": _R})(_like(_create.zeros_like))
_dispatch.dispatch_for_api(_create.ones_like, {"input": _R})(_like(_create.ones_like))
