"""``tf.sparse``: the public functions over SparseTensors (thin wrappers over the registered sparse ops).

>>> import featherflow as tf
>>> a = tf.sparse.SparseTensor([[0, 1]], [2.0], [2, 2])
>>> tf.sparse.to_dense(tf.sparse.add(a, a)).numpy().tolist()
[[0.0, 4.0], [0.0, 0.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...errors import InvalidArgumentError
from ...tensor import Tensor, _make_typed, _make_typed_host, convert_to_tensor, kernel_error
from ..array.core import host_tensor, reshape_op, stack, transpose_op
from ..array.create import cast, ones, range_, zeros
from ..array.gather import gather_nd_op, gather_op
from ..array.join import concat
from ..convert import tensor
from ..math.api import where
from ..registry import constant_like
from . import kernels as k
from .tensor import SparseTensor, as_sparse


def _new(indices: Tensor, values: Tensor, shape: tuple) -> SparseTensor:
    return SparseTensor(indices, values, host_tensor(np.array(shape, dtype=np.int64)))


def _shape_error(op: str, a: tuple, b: tuple) -> None:
    if len(a) != len(b):
        raise kernel_error(op, f"Input indices must have the same dimension, got {len(a)} and {len(b)}")
    for d, (x, y) in enumerate(zip(a, b)):
        if x != y:
            raise kernel_error(op, f"Operands' shapes do not match: got {x} and {y} for dimension {d}")


def _check_indices(sp: SparseTensor, validate_order: bool) -> None:
    """TF's SparseToDense checks: every index inside the dense shape and, when ``validate_order``, in strictly
    increasing row-major order (reads the indices, as TF's CPU kernel)."""
    shape = sp._shape
    idx = np.asarray(sp.indices._numpy()).reshape(-1, len(shape))
    if not len(idx):
        return
    text = ",".join(map(str, shape))
    outside = ((idx < 0) | (idx >= np.array(shape, dtype=np.int64))).any(axis=1)
    if not validate_order:
        if outside.any():
            raise kernel_error("SparseToDense", f"Indices are not valid (out of bounds).  Shape: [{text}]")
        return
    step = np.diff(np.asarray(k.keys(np, idx, shape)))
    unordered = np.concatenate([[False], step <= 0])
    bad = np.flatnonzero(outside | unordered)
    if bad.size:
        i = int(bad[0])
        at = ",".join(map(str, idx[i].tolist()))
        if outside[i]:
            raise kernel_error("SparseToDense", f"indices[{i}] = [{at}] is out of bounds: need 0 <= index < [{text}]")
        if step[i - 1] == 0:
            raise kernel_error("SparseToDense", f"indices[{i}] = [{at}] is repeated")
        raise kernel_error("SparseToDense", f"indices[{i}] = [{at}] is out of order. Many sparse ops require sorted "
                                            "indices.\n    Use `tf.sparse.reorder` to create a correctly ordered "
                                            "copy.\n\n")


def to_dense(sp_input: SparseTensor, default_value: Any = None, validate_indices: bool = True,
             name: str | None = None) -> Tensor:
    """The dense tensor a SparseTensor stands for (``default_value``, 0 by default, elsewhere)."""
    sp_input = as_sparse(sp_input)
    values = sp_input.values
    if default_value is None:  # TF's zeros([], dtype): 0, False or b"" (made where the values are)
        if values._dtype.name == "string":
            default = _make_typed_host(np.array(b"", dtype=object), values._dtype)
        else:
            default = constant_like(0, values)
    else:
        default = convert_to_tensor(default_value, dtype=values._dtype)
    _check_indices(sp_input, bool(validate_indices))
    return k.sparse_to_dense_op(sp_input.indices, values, default, shape=sp_input._shape)


def from_dense(tensor_: Any, name: str | None = None) -> SparseTensor:
    """The nonzero entries of a dense tensor as a SparseTensor (values gathered with GatherNd, as TF's, so
    gradients flow through them)."""

    dense = tensor(tensor_)
    x = dense._value
    xp = dense._device.xp
    if x.ndim == 0:
        raise kernel_error("Where", "WhereOp : Unhandled input dimensions: 0")
    nonzero = x != b"" if x.dtype == object else x != 0
    indices = _make_typed(xp.argwhere(nonzero).astype(np.int64), _dtypes.int64, dense._device)
    return _new(indices, gather_nd_op(dense, indices), tuple(x.shape))


def reorder(sp_input: SparseTensor, name: str | None = None) -> SparseTensor:
    """The same SparseTensor with its entries in row-major order (values gathered, so gradients flow)."""
    sp_input = as_sparse(sp_input)
    idx, val, _ = k.sparse_reorder_op(sp_input.indices, sp_input.values, shape=sp_input._shape)
    return SparseTensor(idx, val, sp_input.dense_shape)


def add(a: Any, b: Any, threshold: Any = 0) -> Any:
    """``a + b`` for two SparseTensors (sums below ``threshold`` in magnitude dropped), or a SparseTensor and a
    dense tensor (a dense result)."""
    a_sparse, b_sparse = isinstance(a, SparseTensor), isinstance(b, SparseTensor)
    if not (a_sparse or b_sparse):
        raise TypeError("At least one input should be SparseTensor; do you mean to use tf.add()?")
    if a_sparse and b_sparse:
        thresh = host_tensor(threshold, _dtypes.as_dtype(a.dtype).real_dtype)
        _shape_error("SparseAdd", a._shape, b._shape)
        idx, val = k.sparse_add_op(a.indices, a.values, b.indices, b.values, shape=a._shape,
                                   thresh=thresh._numpy()[()])
        return _new(idx, val, a._shape)
    sp, dense = (a, b) if a_sparse else (b, a)
    dense = convert_to_tensor(dense, dtype=sp.dtype)
    if dense._value.ndim != len(sp._shape):
        raise kernel_error("SparseTensorDenseAdd", f"Two operands have different ranks; received: {len(sp._shape)} "
                                                   f"and {dense._value.ndim}")
    for d, (x, y) in enumerate(zip(sp._shape, dense.shape)):
        if x != y:
            raise kernel_error("SparseTensorDenseAdd", f"Dimension {d} does not equal (no broadcasting is "
                                                       f"supported): sparse side {x} vs dense side {y}")
    return k.sparse_dense_add_op(sp.indices, sp.values, dense)


def sparse_dense_matmul(sp_a: Any, b: Any, adjoint_a: bool = False, adjoint_b: bool = False,
                        name: str | None = None) -> Tensor:
    """``sp_a @ b`` with a SparseTensor ``sp_a`` (or ``sp_a @ b`` with a SparseTensor ``b``), each optionally
    adjointed."""
    if isinstance(b, SparseTensor):  # (B' A')' = A B, as TF does it
        if adjoint_a != adjoint_b:
            return transpose_op(sparse_dense_matmul(b, sp_a, adjoint_a, adjoint_b), perm=(1, 0))
        return transpose_op(sparse_dense_matmul(b, sp_a, adjoint_a=not adjoint_a, adjoint_b=not adjoint_b),
                            perm=(1, 0))
    sp_a = as_sparse(sp_a)
    dense = tensor(b)
    if len(sp_a._shape) != 2:
        raise kernel_error("SparseTensorDenseMatMul", "Tensor 'a_shape' must have 2 elements")
    if dense._value.ndim != 2:
        raise kernel_error("SparseTensorDenseMatMul", "Tensor 'b' is not a matrix")
    inner = sp_a._shape[0] if adjoint_a else sp_a._shape[1]
    b_inner = dense.shape[1] if adjoint_b else dense.shape[0]
    if inner != b_inner:
        raise kernel_error("SparseTensorDenseMatMul", f"Cannot multiply A and B because inner dimension does not "
                                                      f"match: {inner} vs. {b_inner}.  Did you forget a transpose?  "
                                                      f"Dimensions of A: [{sp_a._shape[0]}, {sp_a._shape[1]}).  "
                                                      f"Dimensions of B: [{dense.shape[0]},{dense.shape[1]}]")
    return k.sparse_dense_matmul_op(sp_a.indices, sp_a.values, dense, shape=sp_a._shape, adjoint_a=adjoint_a,
                                    adjoint_b=adjoint_b)


def _axes(op: str, axis: Any, rank: int) -> tuple:
    if axis is None:
        return tuple(range(rank))
    values = np.asarray(axis._numpy() if isinstance(axis, Tensor) else axis).reshape(-1)
    out = []
    for a in values.tolist():
        if not -rank <= a < rank:
            raise kernel_error(op, f"Invalid reduction dimension {a}, for input with {rank} dimensions.")
        out.append(a % rank)
    return tuple(sorted(set(out)))


def reduce_sum(sp_input: SparseTensor, axis: Any = None, keepdims: bool = False, output_is_sparse: bool = False,
               name: str | None = None) -> Any:
    """The sum of a SparseTensor's values over ``axis`` (all by default); sparse when ``output_is_sparse``."""
    return _reduce("sum", sp_input, axis, keepdims, output_is_sparse)


def reduce_max(sp_input: SparseTensor, axis: Any = None, keepdims: bool = False, output_is_sparse: bool = False,
               name: str | None = None) -> Any:
    """The max of a SparseTensor's values over ``axis`` (implicit zeros not counted; an empty group is 0)."""
    return _reduce("max", sp_input, axis, keepdims, output_is_sparse)


def _reduce(kind: str, sp: Any, axis: Any, keepdims: bool, output_is_sparse: bool) -> Any:
    sp = as_sparse(sp)
    shape = sp._shape
    name = ("SparseReduceSum" if kind == "sum" else "SparseReduceMax") + ("Sparse" if output_is_sparse else "")
    axes = _axes(name, axis, len(shape))
    kept = tuple(1 if d in axes else n for d, n in enumerate(shape))
    out_shape = kept if keepdims else tuple(n for d, n in enumerate(shape) if d not in axes)
    if output_is_sparse:
        op = k.sparse_reduce_sum_sparse_op if kind == "sum" else k.sparse_reduce_max_sparse_op
        group_shape = tuple(n for d, n in enumerate(shape) if d not in axes)
        idx, val = op(sp.indices, sp.values, shape=shape, axes=axes, out_shape=group_shape)
        if keepdims:
            idx = _insert_zero_columns(idx, axes, len(shape))
        return _new(idx, val, out_shape)
    if kind == "sum":
        out, _ = k.sparse_reduce_sum_op(sp.indices, sp.values, shape=shape, axes=axes)
    else:
        out = k.sparse_reduce_max_op(sp.indices, sp.values, shape=shape, axes=axes)
    return out if keepdims else reshape_op(out, shape=out_shape)


def _insert_zero_columns(idx: Tensor, axes: tuple, rank: int) -> Tensor:
    n = int(idx.shape[0])
    cols, j = [], 0
    for d in range(rank):
        if d in axes:
            cols.append(zeros([n, 1], dtype=_dtypes.int64))
        else:
            cols.append(idx[:, j:j + 1])
            j += 1
    return concat(cols, axis=1)


def maximum(sp_a: SparseTensor, sp_b: SparseTensor, name: str | None = None) -> SparseTensor:
    """The elementwise max of two SparseTensors of one shape (an entry missing from one meets its zero)."""
    return _extremum(k.sparse_maximum_op, sp_a, sp_b)


def minimum(sp_a: SparseTensor, sp_b: SparseTensor, name: str | None = None) -> SparseTensor:
    """The elementwise min of two SparseTensors of one shape (an entry missing from one meets its zero)."""
    return _extremum(k.sparse_minimum_op, sp_a, sp_b)


def _extremum(op: Any, a: Any, b: Any) -> SparseTensor:
    a, b = as_sparse(a), as_sparse(b)
    _shape_error(op.name, a._shape, b._shape)
    idx, val = op(a.indices, a.values, b.indices, b.values, shape=a._shape)
    return _new(idx, val, a._shape)


def softmax(sp_input: SparseTensor, name: str | None = None) -> SparseTensor:
    """Softmax over the last dimension of a SparseTensor, among the entries present."""
    sp = as_sparse(sp_input)
    if len(sp._shape) < 2:
        raise kernel_error("SparseSoftmax", f"Input should have rank >= 2, but received shape: "
                                            f"{','.join(map(str, sp._shape))}")
    return SparseTensor(sp.indices, k.sparse_softmax_op(sp.indices, sp.values, shape=sp._shape), sp.dense_shape)


def retain(sp_input: SparseTensor, to_retain: Any) -> SparseTensor:
    """The entries of ``sp_input`` where the bool vector ``to_retain`` is True."""
    sp = as_sparse(sp_input)
    keep = tensor(to_retain)
    if keep._value.ndim != 1:
        raise ValueError(f"Shape {keep.shape} must have rank 1")
    if keep.shape[0] != sp.values.shape[0]:
        raise ValueError(f"Dimensions {sp.values.shape[0]} and {keep.shape[0]} are not compatible")
    where_true = reshape_op(where(keep), shape=(-1,))
    return SparseTensor(gather_op(sp.indices, where_true, axis=0, batch_dims=0),
                        gather_op(sp.values, where_true, axis=0, batch_dims=0), sp.dense_shape)


def reset_shape(sp_input: SparseTensor, new_shape: Any = None) -> SparseTensor:
    """The same entries in a dense shape ``new_shape`` (by default the tightest shape holding them)."""
    sp = as_sparse(sp_input)
    if new_shape is None:
        idx = np.asarray(sp.indices._numpy())
        shape = tuple(int(d) + 1 for d in idx.max(axis=0)) if len(idx) else (0,) * len(sp._shape)
        return _new(sp.indices, sp.values, shape)
    shape = tuple(int(d) for d in np.asarray(host_tensor(new_shape)._numpy()).reshape(-1))
    if len(shape) != len(sp._shape):
        raise ValueError(f"Dimensions {len(shape)} and {len(sp._shape)} are not compatible")
    if not all(a <= b for a, b in zip(sp._shape, shape)):
        raise ValueError(f"Requested new_shape should have dimension sizes >= sp_input.shape.  Found new_shape "
                         f"({np.array(sp._shape)}), sp_input.shape ({np.array(shape)}).")
    return _new(sp.indices, sp.values, shape)


def expand_dims(sp_input: SparseTensor, axis: Any = None, name: str | None = None) -> SparseTensor:
    """``sp_input`` with a new dimension of size 1 at ``axis`` (last by default)."""
    sp = as_sparse(sp_input)
    rank = len(sp._shape)
    axis = -1 if axis is None else axis
    if not isinstance(axis, (int, np.integer, Tensor)):
        raise TypeError("axis must be an integer value in range [-rank(sp_input) - 1, rank(sp_input)]")
    a = int(axis._numpy()) if isinstance(axis, Tensor) else int(axis)
    a = a if a >= 0 else a + rank + 1
    n = int(sp.indices.shape[0])
    idx = concat([sp.indices[:, :a], zeros([n, 1], dtype=_dtypes.int64), sp.indices[:, a:]], axis=1)
    return _new(idx, sp.values, sp._shape[:a] + (1,) + sp._shape[a:])


def eye(num_rows: Any, num_columns: Any = None, dtype: Any = _dtypes.float32, name: str | None = None) -> SparseTensor:
    """A sparse identity matrix of ``num_rows`` x ``num_columns``."""
    rows = int(host_tensor(num_rows, _dtypes.int64)._numpy())
    cols = rows if num_columns is None else int(host_tensor(num_columns, _dtypes.int64)._numpy())
    diag = range_(min(rows, cols), dtype=_dtypes.int64)
    return _new(stack([diag, diag], axis=1), ones([min(rows, cols)], dtype=dtype), (rows, cols))


def transpose(sp_input: SparseTensor, perm: Any = None, name: str | None = None) -> SparseTensor:
    """``sp_input`` with its dimensions permuted by ``perm`` (reversed by default), entries reordered."""
    sp = as_sparse(sp_input)
    rank = len(sp._shape)
    perm = tuple(range(rank - 1, -1, -1)) if perm is None else tuple(
        int(p) for p in np.asarray(host_tensor(perm)._numpy()).reshape(-1))
    idx = concat([sp.indices[:, p:p + 1] for p in perm], axis=1) if perm else sp.indices
    return reorder(_new(idx, sp.values, tuple(sp._shape[p] for p in perm)))


def map_values(op: Any, *args: Any, **kwargs: Any) -> SparseTensor:
    """``op`` applied to the values of the SparseTensors among the arguments (which share their indices)."""
    found: list[SparseTensor] = []

    def swap(x: Any) -> Any:
        if isinstance(x, SparseTensor):
            found.append(x)
            return x.values
        return x

    new_args = [swap(a) for a in args]
    new_kwargs = {key: swap(v) for key, v in kwargs.items()}
    if not found:
        raise ValueError("No SparseTensor in argument list of map_values")
    first = found[0]
    for other in found[1:]:
        if other._shape != first._shape or not np.array_equal(np.asarray(other.indices._numpy()),
                                                              np.asarray(first.indices._numpy())):
            raise InvalidArgumentError(None, None, "Condition x == y did not hold.")
    return SparseTensor(first.indices, op(*new_args, **new_kwargs), first.dense_shape)


def to_indicator(sp_input: SparseTensor, vocab_size: Any, name: str | None = None) -> Tensor:
    """A dense bool tensor, one more dimension of ``vocab_size``: True at [..., id] for each id in a row."""
    sp = as_sparse(sp_input)
    size = int(host_tensor(vocab_size, _dtypes.int64)._numpy())
    ids = reshape_op(cast(sp.values, _dtypes.int64), shape=(-1, 1))
    idx = concat([sp.indices[:, :-1], ids], axis=1)
    shape = sp._shape[:-1] + (size,)
    merged = reorder(_new(idx, _ones_bool(int(sp.values.shape[0])), shape))
    return to_dense(merged, validate_indices=False)  # the default: False, made on the device


def _ones_bool(n: int) -> Tensor:
    return ones([n], dtype=_dtypes.bool)
