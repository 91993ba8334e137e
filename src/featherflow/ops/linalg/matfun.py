"""Matrix functions: ``tf.linalg.sqrtm`` (TF's MatrixSquareRoot, with TF's gradient, a Sylvester equation solved
through its Kronecker form) and ``tf.linalg.logm`` (TF's MatrixLogarithm, complex only, no gradient).

Both are host-only: they need a general (non-Hermitian) eigendecomposition, which CuPy lacks (TF's kernels for
both are CPU-only too). The square root is the Denman-Beavers iteration, which converges for every matrix with no
eigenvalue on the closed negative real axis (defective ones included); a matrix with a negative real eigenvalue
has no real principal root, and TF's real Schur kernel returns NaN for it, as this does. The logarithm is
``V diag(log e) V^-1`` of the eigendecomposition: exact for diagonalizable matrices (TF uses Schur-Parlett, which
also handles defective ones).

>>> import featherflow as tf
>>> tf.linalg.sqrtm([[4.0, 0.0], [0.0, 9.0]]).numpy().tolist()
[[2.0, 0.0], [0.0, 3.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import Tensor
from .._kernel_errors import kernel_error, slow_path
from ..convert import tensor
from ..registry import register


def _sqrtm_one(a: np.ndarray) -> np.ndarray:
    n = a.shape[-1]
    if n == 0:
        return a.copy()
    e = np.linalg.eigvals(a)
    if np.iscomplexobj(a) is False and np.any((e.real < 0) & (np.abs(e.imag) <= 1e-12 * max(1.0, np.abs(e).max()))):
        return np.full_like(a, np.nan)
    y, z = a.astype(np.complex128 if np.iscomplexobj(a) else np.float64), np.eye(n, dtype=a.dtype)
    try:
        for _ in range(100):
            y_inv, z_inv = np.linalg.inv(y), np.linalg.inv(z)
            y_next, z = (y + z_inv) / 2, (z + y_inv) / 2
            done = np.linalg.norm(y_next - y) <= 1e-15 * max(np.linalg.norm(y_next), 1e-300)
            y = y_next
            if done:
                break
        return y
    except np.linalg.LinAlgError:  # a singular matrix: its eigendecomposition's square root
        vals, vecs = np.linalg.eig(a)
        root = (vecs * np.sqrt(vals.astype(complex))) @ np.linalg.inv(vecs)
        return root if np.iscomplexobj(a) else root.real


# Host-only: the iteration and its checks need the matrix values on the host (TF's kernel is CPU-only)
@register("MatrixSquareRoot", host_only=True)
def sqrtm_op(xp: Any, x: Any) -> Any:
    if x.size == 0:
        return x.copy()
    flat = x.reshape((-1,) + x.shape[-2:])
    out = np.stack([_sqrtm_one(m) for m in flat])
    return out.reshape(x.shape).astype(x.dtype)


@sqrtm_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    """TF's _MatrixSquareRootGrad: dA = R dR + dR R, solved for dR as (I kron R^T + R kron I) vec(dR) = vec(dA)."""
    from ..array.core import reshape_op, transpose_op
    from .core import matrix_transpose
    from .decomp import _identity_like, solve_op

    shape = ans._value.shape
    m = shape[-1]
    batch = shape[:-2]
    eye = _identity_like(ans)

    def kron(b1: Tensor, b2: Tensor) -> Tensor:
        left = reshape_op(b1, shape=batch + (m, 1, m, 1))
        right = reshape_op(b2, shape=batch + (1, m, 1, m))
        return reshape_op(left * right, shape=batch + (m * m, m * m))

    ksum = kron(eye, matrix_transpose(ans)) + kron(ans, eye)
    vec_da = reshape_op(matrix_transpose(g), shape=batch + (m * m, 1))
    vec_dr = solve_op(ksum, vec_da)
    rank = len(shape)
    perm = tuple(range(rank - 2)) + (rank - 1, rank - 2)
    return transpose_op(reshape_op(vec_dr, shape=shape), perm=perm)


@register("MatrixLogarithm", host_only=True)
def logm_op(xp: Any, x: Any) -> Any:
    if x.size == 0:
        return x.copy()
    flat = x.reshape((-1,) + x.shape[-2:])
    out = np.empty_like(flat)
    for i, a in enumerate(flat):
        vals, vecs = np.linalg.eig(a)
        out[i] = (vecs * np.log(vals)) @ np.linalg.inv(vecs)
    return out.reshape(x.shape)


def _checked(op: Any, input: Any) -> Tensor:  # noqa: A002
    x = tensor(input)
    tail = None if isinstance(input, (list, tuple)) else ""
    with slow_path(taken=tail is None):
        op.check(x)
    shape = x._value.shape
    if len(shape) < 2:
        raise kernel_error(op.name, f"Input tensor 0 must have rank >= 2, got {len(shape)}", name=tail)
    if shape[-1] != shape[-2]:
        raise kernel_error(op.name, "Input matrix must be square.", name=tail)
    return x


def sqrtm(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The principal square root of each square matrix (``tf.linalg.sqrtm``).

    >>> sqrtm(np.array([[1.0, 0.0], [0.0, 4.0]])).numpy().tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    return sqrtm_op(_checked(sqrtm_op, input))


def logm(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The principal logarithm of each square complex matrix (``tf.linalg.logm``).

    >>> logm(np.array([[1.0 + 0j, 0.0], [0.0, 1.0]])).numpy().real.tolist()
    [[0.0, 0.0], [0.0, 0.0]]
    """
    return logm_op(_checked(logm_op, input))
