"""Linear algebra built from the decompositions (``tf.linalg``): logdet, cholesky_solve, lstsq, pinv, expm.
Their gradients come from the ops they are made of, as in TF.

>>> import featherflow as tf
>>> tf.linalg.expm([[0.0]]).numpy()
array([[1.]], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor
from .. import dispatch as _dispatch
from ..convert import hinted, tensor
from ..registry import register
from .core import matmul
from .decomp import _c, _expand, _identity_like, cholesky, solve, svd, triangular_solve
from .diag import diag_part_op

_d = _dtypes


@_dispatch.add_dispatch_support
def logdet(matrix: Any, name: str | None = None) -> Tensor:
    """Log determinant of Hermitian positive definite matrices, through Cholesky (``tf.linalg.logdet``).

    >>> logdet([[4.0]]).numpy()
    np.float32(1.3862944)
    """
    from ..math import api as ma
    from ..math.reduce import reduce_sum

    chol = cholesky(tensor(matrix))  # converted here, so a LinearOperator dispatches logdet, not cholesky
    diagonal = diag_part_op(chol, lo=0, hi=0, padding_value=0, align="RIGHT_LEFT")
    total = reduce_sum(ma.log(ma.real(diagonal)), axis=[-1])
    return _c(total, 2.0) * total


def cholesky_solve(chol: Any, rhs: Any, name: str | None = None) -> Tensor:
    """Solves ``A x = rhs`` given the Cholesky factor of ``A`` (``tf.linalg.cholesky_solve``).

    >>> cholesky_solve([[2.0]], [[8.0]]).numpy()
    array([[2.]], dtype=float32)
    """
    y = triangular_solve(chol, rhs, lower=True, adjoint=False)
    return triangular_solve(chol, y, lower=True, adjoint=True)


def _regularized_gramian_cholesky(matrix: Tensor, l2_regularizer: Any, first_kind: bool) -> Tensor:
    gramian = matmul(matrix, matrix, adjoint_a=first_kind, adjoint_b=not first_kind)
    if isinstance(l2_regularizer, Tensor) or l2_regularizer != 0:
        if isinstance(l2_regularizer, (int, float)):  # a Python number: made on the device, not copied there
            l2_regularizer = _c(gramian, l2_regularizer)
        gramian = gramian + l2_regularizer * _identity_like(gramian)
    return cholesky(gramian)


@register("MatrixSolveLs")
def solve_ls_op(xp: Any, matrix: Any, rhs: Any, fast: bool = False) -> Any:
    # the complete-orthogonal-decomposition path: the minimum-norm least-squares solution, matrix by matrix
    shape = np.broadcast_shapes(matrix.shape[:-2], rhs.shape[:-2])
    a = xp.broadcast_to(matrix, shape + matrix.shape[-2:]).reshape((-1,) + matrix.shape[-2:])
    b = xp.broadcast_to(rhs, shape + rhs.shape[-2:]).reshape((-1,) + rhs.shape[-2:])
    out = [xp.linalg.lstsq(a[i], b[i], rcond=None)[0] for i in range(a.shape[0])]
    n, k = matrix.shape[-1], rhs.shape[-1]
    return (xp.stack(out) if out else xp.zeros((0, n, k), matrix.dtype)).reshape(shape + (n, k))


@solve_ls_op.gradient
def _(g: Tensor, ans: Tensor, matrix: Tensor, rhs: Tensor, fast: bool = False) -> tuple:
    raise ValueError("Gradient not defined for fast=False")


def lstsq(matrix: Any, rhs: Any, l2_regularizer: Any = 0.0, fast: bool = True, name: str | None = None) -> Tensor:
    """Least-squares solutions of ``matrix @ x = rhs`` (``tf.linalg.lstsq``); ``fast`` solves the regularized
    normal equations through Cholesky.

    >>> lstsq([[1.0], [1.0]], [[1.0], [3.0]]).numpy().round(5)  # TF's Cholesky path gives 1.9999999
    array([[2.]], dtype=float32)
    """
    a = tensor(matrix)
    if a._dtype is _d.complex128 and l2_regularizer != 0:
        raise NotImplementedError("matrix_solve_ls is currently disabled for complex128 and l2_regularizer != 0 due "
                                  "to poor accuracy.")
    b = rhs if type(rhs) is Tensor else hinted(rhs, a._dtype)
    if fast:
        m, n = a._value.shape[-2:]
        if m >= n:
            chol = _regularized_gramian_cholesky(a, l2_regularizer, first_kind=True)
            return cholesky_solve(chol, matmul(a, b, adjoint_a=True))
        chol = _regularized_gramian_cholesky(a, l2_regularizer, first_kind=False)
        return matmul(a, cholesky_solve(chol, b), adjoint_a=True)
    return solve_ls_op(a, b, fast=False)


def pinv(a: Any, rcond: Any = None, validate_args: bool = False, name: str | None = None) -> Tensor:
    """Moore-Penrose pseudo-inverse through the SVD (``tf.linalg.pinv``).

    >>> pinv([[2.0, 0.0]]).numpy()
    array([[0.5],
           [0. ]], dtype=float32)
    """
    from ..math import api as ma
    from ..math.reduce import reduce_max

    x = _tensor(a)
    if not x._dtype.is_floating:
        raise TypeError(f"Input `a` must have `float`-like `dtype` (saw {x._dtype.name}).")
    if x._value.ndim < 2:
        raise ValueError(f"Input `a` must have at least 2 dimensions (saw: {x._value.ndim}).")
    dtype = x._dtype._np
    if rcond is None:
        rcond = 10.0 * float(max(x._value.shape[-2:])) * np.finfo(dtype).eps
    rcond = _c(x, rcond) if isinstance(rcond, (int, float)) else _tensor(rcond, x._dtype)
    s, u, v = svd(x, full_matrices=False, compute_uv=True)
    cutoff = rcond * reduce_max(s, axis=-1)
    s = ma.where(s > _expand(cutoff, -1), s, _c(s, np.inf))
    return matmul(v / _expand(s, -2), u, adjoint_b=True)


def matrix_rank(a: Any, tol: Any = None, validate_args: bool = False, name: str | None = None) -> Tensor:
    """Number of singular values above ``tol`` (default eps * max(rows, cols) * largest singular value).

    >>> matrix_rank([[1.0, 2.0], [2.0, 4.0]]).numpy()
    np.int32(1)
    """
    from ..array.create import cast
    from ..math.reduce import reduce_max, reduce_sum

    x = _tensor(a, _d.float32) if not hasattr(a, "dtype") and not isinstance(a, Tensor) else _tensor(a)
    if not x._dtype.is_floating:
        raise TypeError(f"Input `a` must have `float`-like `dtype` (saw {x._dtype.name}).")
    if x._value.ndim < 2:
        raise ValueError(f"Input `a` must have at least 2 dimensions (saw: {x._value.ndim}).")
    s = svd(x, compute_uv=False)
    if tol is None:
        eps = np.finfo(x._dtype._np).eps
        tol = _c(s, eps * max(x._value.shape[-2:])) * reduce_max(s, axis=-1, keepdims=True)
    return reduce_sum(cast(s > tol, _d.int32), axis=-1)


_PADE = {
    3: [120.0, 60.0, 12.0],
    5: [30240.0, 15120.0, 3360.0, 420.0, 30.0],
    7: [17297280.0, 8648640.0, 1995840.0, 277200.0, 25200.0, 1512.0, 56.0],
    9: [17643225600.0, 8821612800.0, 2075673600.0, 302702400.0, 30270240.0, 2162160.0, 110880.0, 3960.0, 90.0],
    13: [64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0, 129060195264000.0,
         10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0, 40840800.0, 960960.0, 16380.0, 182.0],
}


def _pade(matrix: Tensor, order: int) -> tuple[Tensor, Tensor]:
    """TF's _matrix_exp_padeN: the numerator and denominator terms (u, v), summed in TF's order."""
    b = [_c(matrix, x) for x in _PADE[order]]
    ident = _identity_like(matrix)
    m2 = matmul(matrix, matrix)
    powers = {0: ident, 2: m2}
    if order >= 5:
        powers[4] = matmul(m2, m2)
    if order >= 7:
        powers[6] = matmul(powers[4], m2)
    if order == 13:
        m4, m6 = powers[4], powers[6]
        tmp_u = matmul(m6, m6 + b[11] * m4 + b[9] * m2) + b[7] * m6 + b[5] * m4 + b[3] * m2 + b[1] * ident
        tmp_v = b[12] * m6 + b[10] * m4 + b[8] * m2
        return matmul(matrix, tmp_u), matmul(m6, tmp_v) + b[6] * m6 + b[4] * m4 + b[2] * m2 + b[0] * ident
    if order == 9:
        powers[8] = matmul(powers[6], m2)
    top = order - 1
    tmp, v = powers[top], b[top] * powers[top]
    for j in range(top - 1, 0, -2):
        tmp = tmp + b[j] * powers[j - 1]
    for j in range(top - 2, -1, -2):
        v = v + b[j] * powers[j]
    return matmul(matrix, tmp), v


def expm(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Matrix exponential by scaling and squaring with Pade approximants, as TF computes it (``tf.linalg.expm``).

    >>> expm([[0.0]]).numpy()
    array([[1.]], dtype=float32)
    """
    from ..array.core import reshape_op
    from ..array.create import cast
    from ..math import api as ma
    from ..math.reduce import reduce_max, reduce_sum

    matrix = _tensor(input)
    shape = matrix._value.shape
    if shape[-2:] == (0, 0):
        return matrix
    matrix = reshape_op(matrix, shape=(-1,) + shape[-2:])
    l1 = reduce_max(reduce_sum(ma.abs(matrix), axis=1), axis=-1)
    l1 = reshape_op(l1, shape=l1._value.shape + (1, 1))
    dt = matrix._dtype

    def const(x: float) -> Tensor:
        return _c(l1, x)

    def nest_where(conds: tuple, cases: tuple) -> Tensor:
        if len(conds) == 1:
            return ma.where(l1 < const(conds[0]), cases[0], cases[1])
        return ma.where(l1 < const(conds[0]), cases[0], nest_where(conds[1:], cases[1:]))

    if dt in (_d.float16, _d.float32, _d.complex64):
        maxnorm, orders, conds = 3.925724783138660, (3, 5, 7), (4.258730016922831e-001, 1.880152677804762e+000)
    elif dt in (_d.float64, _d.complex128):
        maxnorm, orders = 5.371920351148152, (3, 5, 7, 9, 13)
        conds = (1.495585217958292e-002, 2.539398330063230e-001, 9.504178996162932e-001, 2.097847961257068e+000)
    else:
        raise ValueError(f"tf.linalg.expm does not support matrices of type {dt}")
    squarings = ma.maximum(ma.floor(ma.log(l1 / const(maxnorm)) / ma.log(const(2.0))), const(0))
    pairs = [_pade(matrix, k) for k in orders[:-1]]
    pairs.append(_pade(matrix / cast(ma.pow(const(2.0), squarings), dt), orders[-1]))
    u = nest_where(conds, tuple(p[0] for p in pairs))
    v = nest_where(conds, tuple(p[1] for p in pairs))
    # TF's eager code reads back whether the norms are finite and how many squarings to run; one read tells both
    # (the largest number of squarings is inf or NaN exactly where a norm is)
    max_squarings = float(np.asarray(reduce_max(squarings)._numpy()))
    finite = bool(np.isfinite(max_squarings))
    if finite:
        result = solve(-u + v, u + v)
    else:
        from ..math.elementwise import zeros_like_op

        result = zeros_like_op(matrix) + _c(matrix, np.nan)
    i = 0.0
    while finite and i < max_squarings:
        result = ma.where(const(i) < squarings, matmul(result, result), result)
        i += 1
    return reshape_op(result, shape=shape[:-2] + result._value.shape[-2:])


_tensor = tensor
