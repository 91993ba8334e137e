"""LU factorisation with partial pivoting (``tf.linalg.lu``, TF's ``Lu`` op) and the composites TF builds on it:
``lu_solve``, ``lu_matrix_inverse``, ``lu_reconstruct``.

``lu`` holds L (unit diagonal, below it) and U (on and above it) in one matrix; ``p`` is the permutation with
``x[p] == L @ U``. TF registers no gradient for ``Lu``.

>>> import featherflow as tf
>>> lu, p = tf.linalg.lu([[1.0, 2.0], [3.0, 4.0]])
>>> p.numpy().tolist(), lu.numpy().tolist()
([1, 0], [[3.0, 4.0], [0.3333333432674408, 0.6666666269302368]])
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor
from .._kernel_errors import kernel_error, slow_path
from ..convert import hinted, tensor
from ..registry import register

Lu = namedtuple("Lu", ["lu", "p"])


@register("Lu", n_outputs=2)
def lu_op(xp: Any, x: Any, output_idx_type: Any = np.int32) -> Any:
    n = x.shape[-1]
    batch = x.shape[:-2]
    if x.size == 0:
        return x.copy(), xp.zeros(batch + (n,), dtype=output_idx_type)
    a = x.reshape((-1, n, n)).copy()
    perm = xp.broadcast_to(xp.arange(n, dtype=output_idx_type), (a.shape[0], n)).copy()
    rows = xp.arange(a.shape[0])
    # Doolittle elimination, one column at a time over the whole batch: the pivot is the first entry of largest
    # magnitude on or below the diagonal (LAPACK's getrf and Eigen's PartialPivLU pick the same one)
    for k in range(n):
        piv = xp.argmax(xp.abs(a[:, k:, k]), axis=-1) + k
        row_k, row_p = a[rows, k].copy(), a[rows, piv].copy()
        a[rows, k], a[rows, piv] = row_p, row_k
        idx_k, idx_p = perm[rows, k].copy(), perm[rows, piv].copy()
        perm[rows, k], perm[rows, piv] = idx_p, idx_k
        if k + 1 < n:
            a[:, k + 1:, k] /= a[:, k, k][:, None]
            a[:, k + 1:, k + 1:] -= a[:, k + 1:, k:k + 1] * a[:, k:k + 1, k + 1:]
    if xp is np:
        # TF's CPU kernel refuses a singular or non-finite input; its GPU kernel (cuSOLVER's getrf) does not look,
        # and a check there would read the result back
        diagonal = np.abs(np.diagonal(a, axis1=-2, axis2=-1))
        if not (np.isfinite(x).all() and (diagonal > 0).all()):
            raise kernel_error("Lu", "Input is not invertible.")
    return a.reshape(x.shape), perm.reshape(batch + (n,))


def lu(input: Any, output_idx_type: Any = _dtypes.int32, name: str | None = None) -> Lu:  # noqa: A002
    """LU factorisation with partial pivoting of each square matrix: ``(lu, p)`` with ``x[p] == L @ U``.

    >>> lu([[4.0, 3.0], [6.0, 3.0]]).p.numpy().tolist()
    [1, 0]
    """
    x = tensor(input)
    tail = None if isinstance(input, (list, tuple)) else ""
    idx = _dtypes.as_dtype(output_idx_type)
    with slow_path(taken=tail is None):  # the dtype contract before the shapes
        lu_op.check(x, output_idx_type=idx)
    shape = x._value.shape
    if len(shape) < 2:
        raise kernel_error("Lu", f"Input tensor must have rank >= 2, got {len(shape)}", name=tail)
    if shape[-1] != shape[-2]:
        raise kernel_error("Lu", "Input matrix must be square.", name=tail)
    with slow_path(taken=tail is None):
        return Lu(*lu_op(x, output_idx_type=idx._np))


def _inputs(lower_upper: Any, perm: Any) -> tuple[Tensor, Tensor]:
    # TF's static shape checks. ``validate_args`` adds runtime assertions only for shapes unknown statically,
    # which eager shapes never are: these checks are all it does here.
    lu_t = lower_upper if type(lower_upper) is Tensor else hinted(lower_upper, _dtypes.float32)
    p = perm if type(perm) is Tensor else hinted(perm, _dtypes.int32)
    shape = lu_t._value.shape
    if len(shape) < 2:
        raise ValueError("Input `lower_upper` must have at least 2 dimensions.")
    if len(shape) != p._value.ndim + 1:
        raise ValueError("`rank(lower_upper)` must equal `rank(perm) + 1`")
    if shape[-1] != shape[-2]:
        raise ValueError("`lower_upper` must be square.")
    return lu_t, p


def _lower_unit(lu_t: Tensor) -> Tensor:
    from ..array.create import ones
    from .diag import band_part, set_diag

    return set_diag(band_part(lu_t, -1, 0), ones(lu_t._value.shape[:-1], dtype=lu_t._dtype))


def lu_solve(lower_upper: Any, perm: Any, rhs: Any, validate_args: bool = False, name: str | None = None) -> Tensor:
    """Solves ``A @ X = rhs`` from ``A``'s ``lu``, ``p`` (``tf.linalg.lu_solve``).

    >>> lu_solve(*lu([[2.0, 0.0], [0.0, 4.0]]), rhs=[[2.0], [2.0]]).numpy().ravel().tolist()
    [1.0, 0.5]
    """
    from ..array.core import broadcast_to, reshape
    from ..array.gather import gather
    from .decomp import triangular_solve

    lu_t, p = _inputs(lower_upper, perm)
    b = rhs if type(rhs) is Tensor else hinted(rhs, lu_t._dtype)
    if b._value.ndim < 2:
        raise ValueError("Input `rhs` must have at least 2 dimensions.")
    if lu_t._value.shape[-1] != b._value.shape[-2]:
        raise ValueError("`lower_upper.shape[-1]` must equal `rhs.shape[-1]`.")
    if b._value.ndim == 2 and p._value.ndim == 1:
        permuted = gather(b, p, axis=-2)
    else:
        batch = np.broadcast_shapes(b._value.shape[:-2], p._value.shape[:-1])
        d, m = b._value.shape[-2:]
        bb = reshape(broadcast_to(b, batch + (d, m)), [-1, d, m])
        pp = reshape(broadcast_to(p, batch + (d,)), [-1, d])
        permuted = reshape(gather(bb, pp, axis=1, batch_dims=1), batch + (d, m))
    return triangular_solve(lu_t, triangular_solve(_lower_unit(lu_t), permuted), lower=False)


def lu_matrix_inverse(lower_upper: Any, perm: Any, validate_args: bool = False, name: str | None = None) -> Tensor:
    """The inverse of each matrix from its ``lu``, ``p`` (``tf.linalg.lu_matrix_inverse``).

    >>> lu_matrix_inverse(*lu([[2.0, 0.0], [0.0, 4.0]])).numpy().tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    from ..array.create import eye

    lu_t, p = _inputs(lower_upper, perm)
    shape = lu_t._value.shape
    return lu_solve(lu_t, p, eye(shape[-1], batch_shape=shape[:-2], dtype=lu_t._dtype))


def lu_reconstruct(lower_upper: Any, perm: Any, validate_args: bool = False, name: str | None = None) -> Tensor:
    """The matrices whose factorisation ``lu``, ``p`` is (``tf.linalg.lu_reconstruct``).

    >>> lu_reconstruct(*lu([[1.0, 2.0], [3.0, 4.0]])).numpy().tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    """
    from ..array.core import reshape
    from ..array.gather import gather
    from ..array.selection import top_k
    from .core import matmul
    from .diag import band_part

    lu_t, p = _inputs(lower_upper, perm)
    shape = lu_t._value.shape
    x = matmul(_lower_unit(lu_t), band_part(lu_t, 0, -1))
    # the inverse permutation (TF's InvertPermutation): the positions of 0, 1, ... in p, the order of -p's top k
    inverse = top_k(-p, k=shape[-1], sorted=True).indices
    if len(shape) == 2:
        return gather(x, inverse)
    d = shape[-1]
    x = gather(reshape(x, [-1, d, d]), reshape(inverse, [-1, d]), axis=1, batch_dims=1)
    return reshape(x, shape)
