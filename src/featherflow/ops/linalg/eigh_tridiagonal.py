"""``tf.linalg.eigh_tridiagonal``: the eigenvalues (bisection on Sturm sequence counts) and eigenvectors
(inverse iteration from seeded normal vectors, clusters re-orthogonalised by QR) of a Hermitian tridiagonal
matrix, composed of ops step for step as TF composes it, so the values and the (composite) gradients are TF's.

>>> import featherflow as tf
>>> [round(v, 6) for v in tf.linalg.eigh_tridiagonal([0.0, 0.0, 0.0], [1.0, 1.0]).numpy().tolist()]
[-1.414214, 0.0, 1.414214]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...dtypes import int32 as _int32
from ...errors import InvalidArgumentError
from ...tensor import Tensor
from ..array.core import broadcast_to, expand_dims, transpose
from ..array.create import cast, range_, zeros, zeros_like
from ..array.join import concat, tile
from ..convert import tensor
from ..math import api as m
from ..math.reduce import reduce_any, reduce_max, reduce_min
from .core import norm


def _sturm(alpha: Tensor, beta_sq: Tensor, pivmin: Tensor, alpha0_perturbation: Tensor, x: Tensor) -> Tensor:
    """The number of eigenvalues below each ``x`` (the Sturm sequence's sign changes), int32."""
    n = alpha.shape[0]
    zeros = _zeros_int(x)
    ones = zeros + 1
    q = alpha[0] - x
    count = m.where(m.less(q, 0), ones, zeros)
    q = m.where(m.equal(alpha[0], x), alpha0_perturbation, q)
    for i in range(1, n):
        q = alpha[i] - beta_sq[i - 1] / q - x
        small = m.less_equal(q, pivmin)
        count = m.where(small, count + 1, count)
        q = m.where(small, m.minimum(q, -pivmin), q)
    return count


def _zeros_int(x: Tensor) -> Tensor:
    return zeros(x.shape, _int32)


def _compute_eigenvalues(alpha: Tensor, beta: Tensor, select: str, select_range: Any, tol: Any) -> Tensor:
    n = alpha.shape[0]
    if alpha.dtype.is_complex:
        alpha = m.real(alpha)
        beta_sq = m.real(m.conj(beta) * beta)
        beta_abs = m.sqrt(beta_sq)
    else:
        beta_sq = m.square(beta)
        beta_abs = m.abs(beta)
    np_dtype = alpha.dtype.as_numpy_dtype
    finfo = np.finfo(np_dtype)
    off_diag_abs_row_sum = concat([beta_abs[:1], beta_abs[:-1] + beta_abs[1:], beta_abs[-1:]], axis=0)
    lambda_est_max = m.minimum(finfo.max, reduce_max(alpha + off_diag_abs_row_sum))
    lambda_est_min = m.maximum(finfo.min, reduce_min(alpha - off_diag_abs_row_sum))
    t_norm = m.maximum(m.abs(lambda_est_min), m.abs(lambda_est_max))
    one = np.ones([], dtype=np_dtype)
    safemin = np.maximum(one / finfo.max, (one + finfo.eps) * finfo.tiny)
    pivmin = safemin * m.maximum(one, reduce_max(beta_sq))
    alpha0_perturbation = m.square(finfo.eps * beta_abs[0])
    abs_tol = finfo.eps * t_norm
    if tol:
        abs_tol = m.maximum(tol, abs_tol)
    max_it = finfo.nmant + 1
    if select == "a":
        target_counts = range_(n)
    elif select == "i":
        lo, hi = select_range[0], select_range[1]
        if not bool(np.asarray(m.less_equal(lo, hi))):
            raise InvalidArgumentError(None, None, _assert_text("Got empty index range in select_range.", lo, hi, "<="))
        target_counts = range_(lo, hi + 1)
    elif select == "v":
        lo, hi = select_range[0], select_range[1]
        if not bool(np.asarray(m.less(lo, hi))):
            raise InvalidArgumentError(None, None, _assert_text("Got empty interval in select_range.", lo, hi, "<"))
    else:
        raise ValueError("'select must have a value in {'a', 'i', 'v'}.")
    fudge = 2.1  # TF widens the Gershgorin interval a bit
    norm_slack = cast(n, alpha.dtype) * fudge * finfo.eps * t_norm
    if select in {"a", "i"}:
        lower = lambda_est_min - norm_slack - 2 * fudge * pivmin
        upper = lambda_est_max + norm_slack + fudge * pivmin
    else:
        lower = select_range[0] - norm_slack - 2 * fudge * pivmin
        upper = select_range[1] + norm_slack + fudge * pivmin
        first = _sturm(alpha, beta_sq, pivmin, alpha0_perturbation, lower)
        last = _sturm(alpha, beta_sq, pivmin, alpha0_perturbation, upper)
        target_counts = range_(first, last)
    upper = m.minimum(upper, finfo.max)
    lower = m.maximum(lower, finfo.min)
    target_shape = target_counts.shape
    lower = broadcast_to(lower, target_shape)
    upper = broadcast_to(upper, target_shape)
    pivmin = broadcast_to(pivmin, target_shape)
    alpha0_perturbation = broadcast_to(alpha0_perturbation, target_shape)
    i = 0
    # a while_loop in TF: its condition reads the interval widths (one host read per step, as TF's loop does)
    while i < max_it and bool(np.asarray(m.less(abs_tol, reduce_max(upper - lower)))):
        mid = 0.5 * lower + 0.5 * upper
        counts = _sturm(alpha, beta_sq, pivmin, alpha0_perturbation, mid)
        lower = m.where(m.less_equal(counts, target_counts), mid, lower)
        upper = m.where(m.greater(counts, target_counts), mid, upper)
        i += 1
    return 0.5 * lower + 0.5 * upper


def _assert_text(message: str, lo: Any, hi: Any, rel: str) -> str:
    return (f"{message}\nCondition x {rel} y did not hold element-wise:\nx (shape=()) = \n{np.asarray(lo)}\n"
            f"y (shape=()) = \n{np.asarray(hi)}")


def _compute_eigenvectors(alpha: Tensor, beta: Tensor, eigvals: Tensor) -> Tensor:
    # imported on first use: the random ops' tables cost ~15 ms of `import featherflow`
    from ..array.scatter import tensor_scatter_nd_update
    from ..random.stateless import stateless_normal
    from .decomp import qr
    from .tridiagonal import tridiagonal_solve

    k = eigvals.shape[0]
    n = alpha.shape[0]
    alpha = cast(alpha, beta.dtype)
    gap = eigvals[1:] - eigvals[:-1]
    eps = np.finfo(eigvals.dtype.as_numpy_dtype).eps
    t_norm = m.maximum(m.abs(eigvals[0]), m.abs(eigvals[-1]))
    gaptol = np.sqrt(eps) * t_norm
    close = np.asarray(m.less(gap, gaptol))  # the clusters' bounds: TF's where_v2 (a host read)
    left = np.concatenate([[False], close])
    right = np.concatenate([close, [False]])
    starts = np.flatnonzero(~left & right)
    ends = np.flatnonzero(left & ~right) + 1
    v0 = cast(stateless_normal(shape=(k, n), seed=[7, 42]), beta.dtype)
    nrm_v = norm(v0, axis=1)
    v = v0 / nrm_v[:, None]
    nrm_old = zeros_like(nrm_v)
    eigvals_cast = cast(eigvals, beta.dtype)
    alpha_shifted = alpha[None, :] - eigvals_cast[:, None]
    beta_t = tile(beta[None, :], [k, 1])
    diags = [beta_t, alpha_shifted, m.conj(beta_t)]
    growth = tensor(np.asarray(1 + 0.1, dtype=nrm_v.dtype.as_numpy_dtype))
    i = 0
    while i < 5 and bool(np.asarray(reduce_any(m.greater_equal(m.real(nrm_v), m.real(growth * nrm_old))))):
        v = tridiagonal_solve(diags, v, diagonals_format="sequence", partial_pivoting=True, perturb_singular=True)
        nrm_old = nrm_v
        nrm_v = norm(v, axis=1)
        v = v / nrm_v[:, None]
        for start, end in zip(starts.tolist(), ends.tolist()):
            q, _ = qr(transpose(v[start:end, :]))
            v = tensor_scatter_nd_update(v, expand_dims(range_(start, end), -1), transpose(q))
        i += 1
    return transpose(v)


def eigh_tridiagonal(alpha: Any, beta: Any, eigvals_only: bool = True, select: str = "a", select_range: Any = None,
                     tol: Any = None, name: str | None = None) -> Any:
    """The eigenvalues (ascending) of the Hermitian tridiagonal matrix with diagonal ``alpha`` and superdiagonal
    ``beta``, and with ``eigvals_only=False`` the eigenvectors (columns); ``select`` 'a' all, 'v' those in
    (select_range[0], select_range[1]], 'i' those of indices select_range[0]..select_range[1]."""
    alpha = tensor(alpha)
    n = alpha.shape[0]
    if n <= 1:  # TF returns the diagonal alone, even when eigenvectors were asked for
        return m.real(alpha)
    beta = tensor(beta)
    if alpha.dtype != beta.dtype:
        raise ValueError("'alpha' and 'beta' must have the same type.")
    eigvals = _compute_eigenvalues(alpha, beta, select, select_range, tol)
    if eigvals_only:
        return eigvals
    return eigvals, _compute_eigenvectors(alpha, beta, eigvals)
