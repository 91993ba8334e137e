"""Tridiagonal systems (``tf.linalg.tridiagonal_matmul``, ``tridiagonal_solve``): TF's TridiagonalMatMul and
TridiagonalSolve with their gradients, and the three diagonal formats TF's wrappers take (compact [..., 3, M],
a sequence of three [..., M], the [..., M, M] matrix); and banded triangular solves
(``tf.linalg.banded_triangular_solve``).

The solve with partial pivoting is a dense LU solve of the tridiagonal matrix (LAPACK's pivots on a tridiagonal
matrix are gtsv's: the larger of the diagonal and the subdiagonal entry); without pivoting it is the Thomas
algorithm, a loop over the rows vectorised over the batch, which gives NaN at a zero pivot as TF's kernel does.

>>> import featherflow as tf
>>> d = tf.constant([[1.0, 0.0], [2.0, 2.0], [0.0, 1.0]])  # superdiag, diag, subdiag
>>> tf.linalg.tridiagonal_matmul(d, tf.constant([[1.0], [1.0]])).numpy().ravel().tolist()
[3.0, 3.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import Tensor
from ..convert import tensor
from ..registry import register


def _dense(xp: Any, sup: Any, main: Any, sub: Any) -> Any:
    """The [..., M, M] matrix with the given diagonals (each [..., M]; sup's last and sub's first unused)."""
    m = main.shape[-1]
    a = xp.zeros(main.shape + (m,), dtype=main.dtype)
    i = xp.arange(m)
    a[..., i, i] = main
    if m > 1:
        a[..., i[:-1], i[1:]] = sup[..., :-1]
        a[..., i[1:], i[:-1]] = sub[..., 1:]
    return a


@register("TridiagonalMatMul")
def tridiagonal_matmul_op(xp: Any, sup: Any, main: Any, sub: Any, rhs: Any) -> Any:
    main_, sup_, sub_ = main[..., 0, :], sup[..., 0, :], sub[..., 0, :]
    out = main_[..., :, None] * rhs
    if rhs.shape[-2] > 1:
        out[..., :-1, :] += sup_[..., :-1, None] * rhs[..., 1:, :]
        out[..., 1:, :] += sub_[..., 1:, None] * rhs[..., :-1, :]
    return out


def _shift_up(x: Tensor) -> Tensor:
    """x[..., i + 1, :] at row i, zeros in the last row (TF's _LeftShift)."""
    from ..array.join import pad

    rank = x._value.ndim
    return pad(x[..., 1:, :], [[0, 0]] * (rank - 2) + [[0, 1], [0, 0]])


def _shift_down(x: Tensor) -> Tensor:
    """x[..., i - 1, :] at row i, zeros in the first row (TF's _RightShift)."""
    from ..array.join import pad

    rank = x._value.ndim
    return pad(x[..., :-1, :], [[0, 0]] * (rank - 2) + [[1, 0], [0, 0]])


@tridiagonal_matmul_op.gradient
def _(g: Tensor, ans: Tensor, sup: Tensor, main: Tensor, sub: Tensor, rhs: Tensor) -> tuple:
    from ..array.core import expand_dims
    from ..math.api import conj
    from ..math.reduce import reduce_sum
    from .core import matrix_transpose

    sup_c, main_c, sub_c = (matrix_transpose(conj(d)) for d in (sup, main, sub))
    rhs_c = conj(rhs)
    sup_g = expand_dims(reduce_sum(_shift_up(rhs_c) * g, axis=-1), -2)
    main_g = expand_dims(reduce_sum(rhs_c * g, axis=-1), -2)
    sub_g = expand_dims(reduce_sum(_shift_down(rhs_c) * g, axis=-1), -2)
    rhs_g = _shift_down(sup_c * g) + main_c * g + _shift_up(sub_c * g)
    return sup_g, main_g, sub_g, rhs_g


@register("TridiagonalSolve")
def tridiagonal_solve_op(xp: Any, diags: Any, rhs: Any, partial_pivoting: bool = True,
                         perturb_singular: bool = False) -> Any:
    sup, main, sub = diags[..., 0, :], diags[..., 1, :], diags[..., 2, :]
    if perturb_singular:
        from .tridiagonal_perturb import solve_perturb_singular

        return solve_perturb_singular(xp, sup, main, sub, rhs)
    if partial_pivoting:
        a = _dense(xp, sup, main, sub)
        if xp is np:
            try:
                return np.linalg.solve(a, rhs)
            except np.linalg.LinAlgError:  # TF's kernel leaves NaN for a singular system; so does a device solver
                return _solve_each(a, rhs)
        return xp.linalg.solve(a, rhs)
    return _thomas(xp, sup, main, sub, rhs)


def _solve_each(a: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    out = np.empty(np.broadcast_shapes(a.shape[:-2], rhs.shape[:-2]) + rhs.shape[-2:], dtype=rhs.dtype)
    a_b = np.broadcast_to(a, out.shape[:-2] + a.shape[-2:])
    r_b = np.broadcast_to(rhs, out.shape)
    for idx in np.ndindex(out.shape[:-2]):
        try:
            out[idx] = np.linalg.solve(a_b[idx], r_b[idx])
        except np.linalg.LinAlgError:
            out[idx] = np.nan
    return out


def _thomas(xp: Any, sup: Any, main: Any, sub: Any, rhs: Any) -> Any:
    m = main.shape[-1]
    c = [None] * m
    d = [None] * m
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(m):
            denom = main[..., i] if i == 0 else main[..., i] - sub[..., i] * c[i - 1]
            c[i] = sup[..., i] / denom
            rest = rhs[..., i, :] if i == 0 else rhs[..., i, :] - sub[..., i, None] * d[i - 1]
            d[i] = rest / denom[..., None]
        x = [None] * m
        x[m - 1] = d[m - 1]
        for i in range(m - 2, -1, -1):
            x[i] = d[i] - c[i][..., None] * x[i + 1]
    return xp.stack(x, axis=-2)


@tridiagonal_solve_op.gradient
def _(g: Tensor, ans: Tensor, diags: Tensor, rhs: Tensor, partial_pivoting: bool = True,
      perturb_singular: bool = False) -> tuple:
    from ..array.core import stack
    from ..array.join import pad
    from ..math.reduce import reduce_sum

    rank = diags._value.ndim
    lead = [[0, 0]] * (rank - 2)
    # the transposed matrix's diagonals: its superdiagonal is the subdiagonal moved left, and so on
    t_sup = pad(diags[..., 2, 1:], lead + [[0, 1]])
    t_sub = pad(diags[..., 0, :-1], lead + [[1, 0]])
    transposed = stack([t_sup, diags[..., 1, :], t_sub], axis=-2)
    grad_rhs = tridiagonal_solve_op(transposed, g, partial_pivoting=partial_pivoting,
                                    perturb_singular=perturb_singular)
    x = ans
    main_g = reduce_sum(grad_rhs * x, axis=-1)
    sup_g = reduce_sum(grad_rhs * _shift_up(x), axis=-1)
    sub_g = reduce_sum(grad_rhs * _shift_down(x), axis=-1)
    return -stack([sup_g, main_g, sub_g], axis=-2), grad_rhs


def _from_format(diagonals: Any, fmt: str) -> tuple:
    from ..array.join import pad
    from .diag import diag_part

    if fmt == "compact":
        d = tensor(diagonals)
        return d[..., 0, :], d[..., 1, :], d[..., 2, :]
    if fmt == "sequence":
        if not isinstance(diagonals, (tuple, list)) or len(diagonals) != 3:
            raise ValueError("Expected diagonals to be a sequence of length 3.")
        sup, main, sub = (tensor(d) for d in diagonals)
        m = main._value.shape[-1]

        def padded(t: Tensor, what: str, last: list) -> Tensor:
            n = t._value.shape[-1]
            if n == m:
                return t
            if n == m - 1:
                return pad(t, [[0, 0]] * (t._value.ndim - 1) + [last])
            raise ValueError(f"Expected {what} to be have length {m} or {m - 1}, got {n}.")

        return padded(sup, "superdiagonal", [0, 1]), main, padded(sub, "subdiagonal", [1, 0])
    if fmt == "matrix":
        d = tensor(diagonals)
        m1, m2 = d._value.shape[-1], d._value.shape[-2]
        if m1 != m2:
            raise ValueError(f"Expected last two dimensions of diagonals to be same, got {m1} and {m2}")
        three = diag_part(d, k=(-1, 1), padding_value=0.0, align="LEFT_RIGHT")
        return three[..., 0, :], three[..., 1, :], three[..., 2, :]
    raise ValueError(f"Unrecognized diagonals_format: {fmt}")


def tridiagonal_matmul(diagonals: Any, rhs: Any, diagonals_format: str = "compact",
                       name: str | None = None) -> Tensor:
    """The product of tridiagonal matrices (given by their diagonals) with ``rhs`` [..., M, N]
    (``tf.linalg.tridiagonal_matmul``).

    >>> tridiagonal_matmul(([1.0, 0.0], [1.0, 1.0], [0.0, 1.0]), tensor(np.eye(2, dtype=np.float32)),
    ...                    diagonals_format="sequence").numpy().tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    from .._kernel_errors import kernel_error
    from ..array.core import expand_dims

    if diagonals_format == "sequence" and isinstance(diagonals, (tuple, list)) and len(diagonals) == 3:
        sup, main, sub = (tensor(d) for d in diagonals)  # TF pads short diagonals for the solve only
    else:
        sup, main, sub = _from_format(diagonals, diagonals_format)
    b = rhs if isinstance(rhs, Tensor) else tensor(rhs)
    for what, t in (("superdiagonal", sup), ("subdiagonal", sub)):
        if t._value.shape != main._value.shape:
            raise kernel_error("TridiagonalMatMul", f"Invalid {what} shape.")
    return tridiagonal_matmul_op(expand_dims(sup, -2), expand_dims(main, -2), expand_dims(sub, -2), b)


def tridiagonal_solve(diagonals: Any, rhs: Any, diagonals_format: str = "compact", transpose_rhs: bool = False,
                      conjugate_rhs: bool = False, name: str | None = None, partial_pivoting: bool = True,
                      perturb_singular: bool = False) -> Tensor:
    """Solves tridiagonal systems A x = rhs (``tf.linalg.tridiagonal_solve``); ``rhs`` [..., M, K] or [..., M].

    >>> tridiagonal_solve(tensor(np.array([[0.0, 0.0], [2.0, 4.0], [0.0, 0.0]])), tensor(np.array([2.0, 2.0]))).numpy()
    array([1. , 0.5])
    """
    from ..array.core import expand_dims, squeeze, stack
    from ..math.api import conj
    from .core import matrix_transpose

    if perturb_singular and not partial_pivoting:
        raise ValueError("partial_pivoting must be True if perturb_singular is.")
    if diagonals_format == "compact":
        d = tensor(diagonals)
    else:
        d = stack(list(_from_format(diagonals, diagonals_format)), axis=-2)
    b = rhs if isinstance(rhs, Tensor) else tensor(rhs)
    d_rank, b_rank = d._value.ndim, b._value.ndim
    if d_rank < 2:
        raise ValueError(f"Expected diagonals to have rank at least 2, got {d_rank}")
    if b_rank != d_rank and b_rank != d_rank - 1:
        raise ValueError(f"Expected the rank of rhs to be {d_rank - 1} or {d_rank}, got {b_rank}")
    if d._value.shape[:-2] != b._value.shape[:d_rank - 2]:
        raise ValueError(f"Batch shapes {d.shape[:-2]} and {b.shape[:d_rank - 2]} are incompatible")
    if d._value.shape[-2] != 3:
        raise ValueError(f"Expected 3 diagonals got {d._value.shape[-2]}")
    m = d._value.shape[-1]
    if b_rank == d_rank - 1:
        if b._value.shape[-1] != m:
            raise ValueError("Expected number of left-hand sided and right-hand sides to be equal, got "
                             f"{m} and {b._value.shape[-1]}")
        out = tridiagonal_solve_op(d, expand_dims(b, -1), partial_pivoting=partial_pivoting,
                                   perturb_singular=perturb_singular)
        return squeeze(out, -1)
    if transpose_rhs:
        b = matrix_transpose(b, conjugate=conjugate_rhs)
    elif conjugate_rhs:
        b = conj(b)
    if b._value.shape[-2] != m:
        raise ValueError("Expected number of left-hand sided and right-hand sides to be equal, got "
                         f"{m} and {b._value.shape[-2]}")
    return tridiagonal_solve_op(d, b, partial_pivoting=partial_pivoting, perturb_singular=perturb_singular)


def banded_triangular_solve(bands: Any, rhs: Any, lower: bool = True, adjoint: bool = False,
                            name: str | None = None) -> Tensor:
    """Solves triangular systems given by their ``K`` bands ([..., K, M], 'LEFT_RIGHT' aligned: the diagonal on
    top when ``lower``, at the bottom otherwise) (``tf.linalg.banded_triangular_solve``). The banded matrix is
    assembled (``set_diag``) and solved by ``triangular_solve``, so the gradient reaches the bands through both.

    >>> banded_triangular_solve([[2.0, 3.0, 4.0], [1.0, 2.0, 3.0]], np.ones((3, 1), np.float32)).numpy().ravel()
    array([0.5 , 0.  , 0.25], dtype=float32)
    """
    from ..array.core import broadcast_to
    from ..array.create import zeros
    from .decomp import triangular_solve
    from .diag import set_diag

    b = tensor(bands)
    r = rhs if isinstance(rhs, Tensor) else tensor(rhs, b.dtype)
    k, m = b._value.shape[-2:]
    batch = np.broadcast_shapes(b._value.shape[:-2], r._value.shape[:-2])
    dense = set_diag(zeros(batch + (m, m), dtype=b.dtype), broadcast_to(b, batch + (k, m)),
                     k=(-(k - 1), 0) if lower else (0, k - 1), align="LEFT_RIGHT")
    return triangular_solve(dense, r, lower=lower, adjoint=adjoint)
