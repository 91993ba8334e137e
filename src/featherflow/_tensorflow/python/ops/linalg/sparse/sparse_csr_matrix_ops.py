"""``tensorflow.python.ops.linalg.sparse.sparse_csr_matrix_ops``: the CSR sparse-matrix ops Keras's TensorFlow
backend multiplies two SparseTensors with (``keras.ops.matmul`` of sparse inputs). A ``CSRSparseMatrix`` holds
the matrix (or batch of matrices) in canonical row-major order; the product is computed on the nonzeros only.

>>> import featherflow as tf
>>> from featherflow._tensorflow.python.ops.linalg.sparse import sparse_csr_matrix_ops as csr
>>> a = tf.sparse.from_dense([[1.0, 0.0], [0.0, 2.0]])
>>> m = csr.sparse_tensor_to_csr_sparse_matrix(a.indices, a.values, a.dense_shape)
>>> p = csr.sparse_matrix_sparse_mat_mul(m, m, tf.float32)
>>> tf.sparse.to_dense(csr.csr_sparse_matrix_to_sparse_tensor(p, tf.float32)).numpy()
array([[1., 0.],
       [0., 4.]], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

import featherflow as _tf


class CSRSparseMatrix:
    """A sparse matrix, or a batch of them (rank 2 or 3), in canonical (row-major) order."""

    def __init__(self, indices: np.ndarray, values: np.ndarray, dense_shape: tuple[int, ...], dtype: Any) -> None:
        order = np.lexsort(indices.T[::-1]) if len(indices) else np.arange(0)
        self.indices, self.values = indices[order], values[order]
        self.dense_shape, self.dtype = dense_shape, dtype


def sparse_tensor_to_csr_sparse_matrix(indices: Any, values: Any, dense_shape: Any, name: str | None = None
                                       ) -> CSRSparseMatrix:
    values = _tf.convert_to_tensor(values)
    shape = tuple(int(d) for d in np.asarray(_tf.convert_to_tensor(dense_shape, _tf.int64)))
    if len(shape) not in (2, 3):
        raise _tf.errors.InvalidArgumentError(None, None, f"SparseTensor must have rank 2 or 3; but dense_shape has size "
                                              f"{len(shape)}")
    return CSRSparseMatrix(np.asarray(_tf.convert_to_tensor(indices, _tf.int64)).reshape(-1, len(shape)),
                           values.numpy(), shape, values.dtype)


def sparse_matrix_sparse_mat_mul(a: CSRSparseMatrix, b: CSRSparseMatrix, type: Any,  # noqa: A002 - TF's name
                                 transpose_a: bool = False, transpose_b: bool = False, adjoint_a: bool = False,
                                 adjoint_b: bool = False, name: str | None = None) -> CSRSparseMatrix:
    """``a @ b`` of two sparse matrices (batched when rank 3), computed over the pairs of nonzeros that meet."""
    if (transpose_a and adjoint_a) or (transpose_b and adjoint_b):
        raise _tf.errors.InvalidArgumentError(None, None, "Only one of adjoint_a and transpose_a may be true.")
    a, b = _transposed(a, transpose_a or adjoint_a, adjoint_a), _transposed(b, transpose_b or adjoint_b, adjoint_b)
    rank = len(a.dense_shape)
    if len(b.dense_shape) != rank or a.dense_shape[-1] != b.dense_shape[-2] or a.dense_shape[:-2] != b.dense_shape[:-2]:
        raise _tf.errors.InvalidArgumentError(
            None, None, "Inner product dimensions of A and B do not agree.  Shapes are: "
            f"[{','.join(map(str, a.dense_shape))}] vs. [{','.join(map(str, b.dense_shape))}]")
    batch_a = a.indices[:, 0] if rank == 3 else np.zeros(len(a.indices), np.int64)
    batch_b = b.indices[:, 0] if rank == 3 else np.zeros(len(b.indices), np.int64)
    rows_b = batch_b * b.dense_shape[-2] + b.indices[:, -2]  # b is sorted by (batch, row)
    keys_a = batch_a * b.dense_shape[-2] + a.indices[:, -1]
    start, stop = np.searchsorted(rows_b, keys_a, "left"), np.searchsorted(rows_b, keys_a, "right")
    count = stop - start
    ia = np.repeat(np.arange(len(keys_a)), count)
    ib = np.repeat(start - np.cumsum(count) + count, count) + np.arange(count.sum())
    out_shape = a.dense_shape[:-1] + b.dense_shape[-1:]
    coords = np.stack([batch_a[ia], a.indices[ia, -2], b.indices[ib, -1]], axis=1)[:, 3 - rank:]
    flat = np.ravel_multi_index(coords.T, out_shape) if len(coords) else np.zeros(0, np.int64)
    keys, where = np.unique(flat, return_inverse=True)
    values = np.zeros(len(keys), dtype=a.values.dtype)
    np.add.at(values, where.reshape(-1), a.values[ia] * b.values[ib])
    indices = np.stack(np.unravel_index(keys, out_shape), axis=1).astype(np.int64).reshape(-1, rank)
    return CSRSparseMatrix(indices, values, out_shape, _tf.as_dtype(type))


def _transposed(m: CSRSparseMatrix, transpose: bool, conjugate: bool) -> CSRSparseMatrix:
    if not transpose:
        return m
    indices = m.indices.copy()
    indices[:, [-2, -1]] = indices[:, [-1, -2]]
    values = np.conj(m.values) if conjugate else m.values
    return CSRSparseMatrix(indices, values, m.dense_shape[:-2] + m.dense_shape[:-3:-1], m.dtype)


def csr_sparse_matrix_to_sparse_tensor(sparse_matrix: CSRSparseMatrix, type: Any,  # noqa: A002 - TF's name
                                       name: str | None = None) -> Any:
    return _tf.SparseTensor(sparse_matrix.indices, _tf.constant(sparse_matrix.values, dtype=_tf.as_dtype(type)),
                            sparse_matrix.dense_shape)
