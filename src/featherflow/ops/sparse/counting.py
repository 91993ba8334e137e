"""``tf.sparse.bincount`` (TF's ``DenseCountSparseOutput`` and ``SparseCountSparseOutput``),
``tf.sparse.mask`` (``ListDiff``) and ``tf.sparse.sampled_addmm``.

>>> import featherflow as tf
>>> tf.sparse.bincount(tf.constant([1, 2, 2, 5])).values.numpy().tolist()
[1, 2, 1]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...indexed_slices import IndexedSlices
from ...tensor import Tensor, convert_to_tensor, kernel_error
from .. import dispatch as _dispatch
from ..array.core import host_tensor, reshape_op, transpose
from ..array.gather import gather_nd, gather_op
from ..array.join import concat
from ..convert import tensor
from ..math.reduce import reduce_sum
from ..registry import register
from .kernels import unkeys
from .tensor import SparseTensor


def _count(xp: Any, rows: Any, v: Any, w: Any, shape: tuple, binary: bool, dtype: Any) -> tuple:
    """The (indices, counts) of each distinct (row, value), in row-major order; values past the last column
    dropped (``maxlength``)."""
    size = shape[-1]
    keep = v < size
    rows, v = rows[keep], v[keep]
    key = rows.astype(np.int64) * size + v.astype(np.int64)
    uniq, inverse = xp.unique(key, return_inverse=True)
    inverse = inverse.reshape(-1)
    if binary:
        counts = xp.ones(uniq.shape[0], dtype=dtype)
    elif w.size:
        counts = xp.zeros(uniq.shape[0], dtype=w.dtype)
        xp.add.at(counts, inverse, w[keep])
    else:
        counts = xp.bincount(inverse, minlength=uniq.shape[0]).astype(dtype)
    idx = unkeys(xp, uniq, shape) if len(shape) == 2 else uniq.reshape(-1, 1)
    return idx, counts


# weights: an empty array when none are given (as TF passes them)
@register("DenseCountSparseOutput", n_outputs=2, inputs=("T", ""))
def dense_count_op(xp: Any, values: Any, weights: Any, shape: tuple, binary_output: bool) -> tuple:
    if values.ndim == 2:
        rows = xp.broadcast_to(xp.arange(values.shape[0], dtype=np.int64)[:, None], values.shape).reshape(-1)
    else:
        rows = xp.zeros(values.size, dtype=np.int64)
    return _count(xp, rows, values.reshape(-1), weights.reshape(-1), shape, binary_output, values.dtype)


@register("SparseCountSparseOutput", n_outputs=2, inputs=("", "T", ""))
def sparse_count_op(xp: Any, indices: Any, values: Any, weights: Any, shape: tuple, binary_output: bool) -> tuple:
    rows = indices[:, 0] if len(shape) == 2 else xp.zeros(values.shape[0], dtype=np.int64)
    return _count(xp, rows, values, weights, shape, binary_output, values.dtype)


@_dispatch.add_dispatch_support  # (a RaggedTensor ``values``: ops/ragged/counting registers the override)
def bincount(values: Any, weights: Any = None, axis: int | None = 0, minlength: Any = None, maxlength: Any = None,
             binary_output: bool = False, name: str | None = None) -> SparseTensor:
    """The count (or summed weight) of each value, as a SparseTensor: over all of ``values`` (``axis=0``) or
    per row (``axis=-1``)."""
    sparse_in = isinstance(values, SparseTensor)
    if not sparse_in:
        values = tensor(values)
    if weights is not None and not isinstance(weights, SparseTensor):
        weights = tensor(weights)
    if weights is not None and binary_output:
        raise ValueError("Arguments `binary_output` and `weights` are mutually exclusive. Please specify only one.")
    axis = 0 if axis is None else axis
    if axis not in (0, -1):
        raise ValueError(f"Unsupported value for argument axis={axis}. Only 0 and -1 are currently supported.")
    if axis == 0:
        if sparse_in:
            weights = weights.values if isinstance(weights, SparseTensor) else weights
            values = values.values
            sparse_in = False
        else:
            weights = None if weights is None else reshape_op(weights, shape=(-1,))
            values = reshape_op(values, shape=(-1,))
    flat = values.values if sparse_in else values
    if weights is None:
        w = flat[:0]  # empty, where the values are
    else:
        w = weights.values if isinstance(weights, SparseTensor) else weights
    op = sparse_count_op if sparse_in else dense_count_op
    host = np.asarray(flat._numpy())  # TF's CPU kernel reads the values: its checks and the output's size
    if (host < 0).any():
        raise kernel_error(op.name, "Input values must all be non-negative")
    maxlength = -1 if maxlength is None else int(maxlength)
    minlength = -1 if minlength is None else int(minlength)
    if maxlength > 0:
        host = host[host < maxlength]
        size = maxlength
    else:
        size = max(int(host.max()) + 1 if host.size else 1, minlength)
    if sparse_in:
        rank = len(values._shape)
        shape = (values._shape[0], size) if rank == 2 else (size,)
        idx, counts = op(values.indices, flat, w, shape=shape, binary_output=bool(binary_output))
    else:
        shape = (int(flat.shape[0]), size) if flat._value.ndim == 2 else (size,)
        idx, counts = op(flat, w, shape=shape, binary_output=bool(binary_output))
    return SparseTensor(idx, counts, host_tensor(np.array(shape, dtype=np.int64)))


@register("ListDiff", n_outputs=2)
def list_diff_op(xp: Any, x: Any, y: Any, out_idx: Any = np.int32) -> tuple:
    """(the entries of ``x`` not in ``y``, in order; their positions in ``x``)."""
    where = xp.flatnonzero(~xp.isin(x, y))
    return x[where], where.astype(out_idx)


def mask(a: IndexedSlices, mask_indices: Any, name: str | None = None) -> IndexedSlices:
    """The slices of ``a`` whose index is not in ``mask_indices``."""
    indices = tensor(a.indices)
    out_indices, to_gather = list_diff_op(indices, tensor(mask_indices, indices.dtype))
    values: Tensor = gather_op(tensor(a.values), to_gather, axis=0, batch_dims=0)
    return IndexedSlices(values, out_indices, a.dense_shape)




def sampled_addmm(indices: Any, values: Any, dense_shape: Any, mat1: Any, mat2: Any, beta: Any = 1.0,
                  alpha: Any = 1.0, output_type: Any = _dtypes.float32) -> tuple:
    """``alpha * (mat1 @ mat2)`` at ``indices`` plus ``beta * values``: the (indices, values, dense_shape) of a
    sparse result (batched over leading dimensions), as TF composes it."""
    indices = tensor(indices)
    values = convert_to_tensor(values, dtype=output_type)
    dense_shape = convert_to_tensor(dense_shape, dtype=_dtypes.int32)
    mat1 = convert_to_tensor(mat1, dtype=output_type)
    mat2 = convert_to_tensor(mat2, dtype=output_type)
    output_shape = host_tensor(np.array([mat1.shape[-2], mat2.shape[-1]], dtype=np.int32))
    if np.asarray(dense_shape._numpy()).tolist() != np.asarray(output_shape._numpy()).tolist():
        raise ValueError(f"Dense shape: {dense_shape} does not match output shape: {output_shape}")
    rank = mat1._value.ndim
    batch = indices[..., :-2]
    rows = gather_nd(mat1, indices[..., :-1], batch_dims=rank - 2)
    perm = list(range(rank - 2)) + [rank - 1, rank - 2]
    cols = gather_nd(transpose(mat2, perm), concat([batch, indices[..., -1:]], axis=-1), batch_dims=rank - 2)
    dot = reduce_sum(rows * cols, axis=-1)
    return indices, dot * alpha + values * beta, dense_shape
