"""Conversions of ragged tensors: to and from dense and sparse tensors, ``merge_dims``, NumPy and printing.

Dense conversions run as array ops on the values' device (a scatter into a filled tensor), reading on the host
only the largest row length of each ragged dimension (the dense shape, as TF's kernel does).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...shape import TensorShape
from ...tensor import Tensor
from ..array import core as _core
from ..array import gather as _gather
from ..array import join as _join
from ..array import scatter as _scatter
from ..convert import tensor as _tensor
from ..math import elementwise as _m
from ..math import reduce as _reduce
from . import _partition as P
from .tensor import _IMPL, RaggedTensor, _nrows_of


def bounding_shape(rt: RaggedTensor) -> list[int]:
    """The dense shape that holds every row: the largest row length of each ragged dimension (host reads)."""
    dims = [P.count(rt._row_splits) - 1]
    level: Any = rt
    while isinstance(level, RaggedTensor):
        if level._uniform_row_length is not None:
            dims.append(level._uniform_row_length)
        elif P.count(level._row_splits) > 1:
            dims.append(max(P.host_int(_reduce.reduce_max(P.lengths(level._row_splits))), 0))
        else:
            dims.append(0)
        level = level._values
    return dims + list(level._value.shape[1:])


def _positions(splits: Tensor, n_values: int) -> tuple[Tensor, Tensor]:
    """(row, column) of each value of a partition."""
    rows = P.rowids(splits, n_values)
    cols = _m.sub_op(P._create.range_(0, n_values, 1, dtype=splits._dtype), _gather.gather(splits, rows))
    return rows, cols


def to_tensor(rt: RaggedTensor, default_value: Any = None, shape: Any = None) -> Tensor:
    """``rt.to_tensor``: rows scattered into a tensor filled with ``default_value``."""
    flat = rt.flat_values
    full = bounding_shape(rt)
    target = list(full)
    if shape is not None:
        given = TensorShape(shape)
        if given.rank is not None:
            if given.rank != len(full):
                raise ValueError(f"Shape {given} must have rank {len(full)}")
            target = [f if s is None or s == -1 else int(s) for f, s in zip(full, given.as_list())]
    inner = rt.ragged_rank + 1
    if target[inner:] != full[inner:]:
        raise NotImplementedError("to_tensor(shape=...) changing a uniform inner dimension is not supported")
    if default_value is None:
        fill = _tensor(np.zeros((), flat._value.dtype) if flat._dtype is not _dtypes.string else b"", flat._dtype)
    else:
        fill = _tensor(default_value, flat._dtype)
        if fill._value.ndim > len(target) - inner:
            raise ValueError(f"Shape {fill.shape} must have rank at most {len(target) - inner}")
    return _dense(rt, target, fill, full)


def _dense(rt: RaggedTensor, target: list[int], fill: Tensor, full: list[int]) -> Tensor:
    values = rt._values
    if isinstance(values, RaggedTensor):
        rows_in = _nrows_of(values)
        inner = _dense(values, [rows_in] + target[2:], fill, [rows_in] + full[2:])
    else:
        inner = values
    rows, cols = _positions(rt._row_splits, _nrows_of(values))
    if P.count(rows) and (target[0] < full[0] or target[1] < full[1]):  # cut: keep the values that fit
        keep = _m.logical_and_op(_m.less_op(rows, P.scalar(target[0], rows)),
                                 _m.less_op(cols, P.scalar(target[1], cols)))
        rows, cols, inner = (_gather.boolean_mask(rows, keep), _gather.boolean_mask(cols, keep),
                             _gather.boolean_mask(inner, keep))
    base = _core.broadcast_to_op(fill, shape=tuple(target))
    if not P.count(rows):
        return base
    indices = _core.stack([rows, cols], axis=1)
    return _scatter.tensor_scatter_update_op(base, indices, inner)


def from_tensor(tensor: Any, lengths: Any, padding: Any, ragged_rank: int, splits_dtype: Any) -> RaggedTensor:
    """``RaggedTensor.from_tensor``."""
    t = _tensor(tensor)
    if not isinstance(ragged_rank, int) or ragged_rank < 1:
        raise ValueError(f"ragged_rank must be greater than 0; got {ragged_rank}")
    if t._value.ndim <= ragged_rank:
        raise ValueError(f"Expected tensor with rank >= {ragged_rank + 1}, got rank {t._value.ndim}")
    if lengths is not None and padding is not None:
        raise ValueError("Specify argument `lengths` or `padding`, but not both.")
    shape = t._value.shape
    if ragged_rank > 1:
        if lengths is not None or padding is not None:
            raise NotImplementedError("from_tensor with ragged_rank > 1 and lengths or padding is not supported")
        flat = _core.reshape_op(t, shape=(shape[0] * shape[1],) + tuple(shape[2:]))
        values = from_tensor(flat, None, None, ragged_rank - 1, splits_dtype)
        return RaggedTensor(values, P.uniform_splits(shape[0], shape[1], splits_dtype), internal=True,
                            uniform_row_length=int(shape[1]))
    n, m = int(shape[0]), int(shape[1])
    if padding is not None:
        pad = _tensor(padding, t._dtype)
        is_pad = _m.equal_op(t, pad)
        if is_pad._value.ndim > 2:
            is_pad = _reduce.reduce_all(is_pad, axis=list(range(2, is_pad._value.ndim)))
        trailing = _reduce.reduce_sum(P._cumulative.cumprod(P.cast(_join.reverse(is_pad, [1]), splits_dtype), axis=1),
                                      axis=1)
        lengths = _m.sub_op(P.scalar(m, trailing), trailing)
    if lengths is not None:
        lens = P.as_index(lengths, "lengths", splits_dtype)
        lens = _m.minimum_op(_m.maximum_op(lens, P.scalar(0, lens)), P.scalar(m, lens))  # TF clips them to [0, m]
        mask = P._create.sequence_mask(lens, m)
        values = _gather.boolean_mask(t, mask)
        return RaggedTensor(values, P.splits_from_lengths(lens), internal=True)
    values = _core.reshape_op(t, shape=(n * m,) + tuple(shape[2:]))
    return RaggedTensor(values, P.uniform_splits(n, m, splits_dtype), internal=True, uniform_row_length=m)


def from_sparse(st: Any, splits_dtype: Any) -> RaggedTensor:
    """``RaggedTensor.from_sparse``: rows of a 2-D SparseTensor, values packed to the left."""
    from ..sparse import SparseTensor

    if not isinstance(st, SparseTensor):
        raise TypeError(f"Expected SparseTensor, got {type(st).__name__}")
    dense_shape = st.dense_shape
    if int(dense_shape._value.shape[0]) != 2:
        raise ValueError("rank(st_input) must be 2.")
    rows = P.cast(_gather.gather(st.indices, 0, axis=1), splits_dtype)
    nrows = P.host_int(_gather.gather(dense_shape, 0))
    return RaggedTensor.from_value_rowids(st.values, rows, nrows, validate=False)


def to_sparse(rt: RaggedTensor) -> Any:
    """``RaggedTensor.to_sparse``: the index of each value and the bounding shape."""
    from ..sparse import SparseTensor

    level: Any = rt
    paths = None
    while isinstance(level, RaggedTensor):
        rows, cols = _positions(P.cast(level._row_splits, _dtypes.int64), _nrows_of(level._values))
        column = _core.reshape_op(cols, shape=(P.count(cols), 1))
        if paths is None:
            paths = _join.concat([_core.reshape_op(rows, shape=(P.count(rows), 1)), column], 1)
        else:
            paths = _join.concat([_gather.gather(paths, rows), column], 1)
        level = level._values
    flat = level
    inner = tuple(flat._value.shape[1:])
    if inner:
        size = int(np.prod(inner))
        n = P.count(paths)
        repeat = _m.floordiv_op(P._create.range_(0, n * size, 1, dtype=_dtypes.int64), P.scalar(size, paths))
        offsets = _tensor(np.indices(inner).reshape(len(inner), -1).T.astype(np.int64))
        paths = _join.concat([_gather.gather(paths, repeat), _join.tile(offsets, [n, 1])], 1)
        flat = _core.reshape_op(flat, shape=(n * size,))
    shape = _tensor(np.asarray(bounding_shape(rt), np.int64))
    return SparseTensor(paths, flat, shape)


def merge_dims(rt: RaggedTensor, outer_axis: int, inner_axis: int) -> Any:
    """``RaggedTensor.merge_dims``: dimensions ``outer_axis..inner_axis`` as one."""
    ndim = rt._ndim
    outer = outer_axis + ndim if outer_axis < 0 else outer_axis
    inner = inner_axis + ndim if inner_axis < 0 else inner_axis
    if not 0 <= outer < ndim or not 0 <= inner < ndim:
        raise ValueError(f"axis={outer_axis if not 0 <= outer < ndim else inner_axis} out of bounds: expected "
                         f"{-ndim}<=axis<{ndim}")
    if outer > inner:
        raise ValueError(f"Expected outer_axis ({outer_axis}) to be less than or equal to inner_axis ({inner_axis})")
    if outer == inner:
        return rt
    return _merge(rt, outer, inner)


def _merge(value: Any, outer: int, inner: int) -> Any:
    if not isinstance(value, RaggedTensor):
        shape = tuple(value._value.shape)
        merged = int(np.prod(shape[outer:inner + 1]))
        return _core.reshape_op(value, shape=shape[:outer] + (merged,) + shape[inner + 1:])
    if outer == 0:
        values = value._values
        return values if inner == 1 else _merge(values, 0, inner - 1)
    if outer > 1:
        return value.with_values(_merge(value._values, outer - 1, inner - 1))
    # outer == 1: each row keeps its bounds, mapped through the partitions that the merge flattens
    splits = value._row_splits
    level = value._values
    remaining = inner - outer
    while remaining > 0:
        if isinstance(level, RaggedTensor):
            splits = _gather.gather(level._row_splits, splits)
            level = level._values
            remaining -= 1
        else:
            splits = _m.mul_op(splits, P.scalar(int(np.prod(level._value.shape[1:1 + remaining])), splits))
            break
    return RaggedTensor(_merge(value._values, 0, inner - 1), splits, internal=True)


# --- NumPy and printing ------------------------------------------------------------------------------------


def to_numpy(rt: RaggedTensor) -> np.ndarray:
    """Rows as NumPy arrays: a 1-D object array of rows when lengths differ (TF's ``RaggedTensor.numpy``)."""
    values = rt._values.numpy()
    splits = np.asarray(rt._row_splits.numpy())
    rows = [values[splits[i]:splits[i + 1]] for i in range(len(splits) - 1)]
    if not rows:
        return np.zeros((0, 0) + np.shape(values)[1:], dtype=values.dtype)
    if any(len(row) != len(rows[0]) for row in rows):  # (TF: rows of ragged lengths make a 1-D object array)
        try:
            return np.array(rows, dtype=object)
        except ValueError:  # rows whose inner dimensions NumPy would try to broadcast
            out = np.empty(len(rows), dtype=object)
            for i, row in enumerate(rows):
                out[i] = row
            return out
    return np.array(rows)


def _formatter(x: Any) -> str:
    if isinstance(x, np.ndarray):
        if x.size != 0:
            return np.array2string(x, separator=", ")
        return repr(x.tolist())
    return str(x)


def to_text(rt: RaggedTensor) -> str:
    """The nested rows as TF prints them (NumPy's formatting of each row, joined with ", ")."""
    # numpy's printoptions formatter recurses into rows; array2string adds the ", " separators (TF does this)
    with np.printoptions(formatter={"all": _formatter}):
        return _formatter(rt.numpy())


_IMPL.update(from_tensor=from_tensor, from_sparse=from_sparse, bounding_shape=bounding_shape, merge_dims=merge_dims,
             to_numpy=to_numpy, to_tensor=to_tensor, to_sparse=to_sparse, to_text=to_text)
