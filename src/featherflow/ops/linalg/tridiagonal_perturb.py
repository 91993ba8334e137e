"""TF's TridiagonalSolve with ``perturb_singular=True``: a row-pivoted LU of each tridiagonal matrix (LAPACK's
xLAGTF + xLAGTS) whose tiny pivots are perturbed by about eps * max|U| instead of failing, as inverse
iteration (``tf.linalg.eigh_tridiagonal``'s eigenvectors) needs for the singular systems (T - lambda I) x = b.

Vectorised over the batch in the device's array namespace, the branches of TF's kernel as selections; the
loop runs over the rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _real(xp: Any, v: Any) -> Any:
    return v.real if v.dtype.kind == "c" else v


def _copysign(xp: Any, mag: Any, like: Any) -> Any:
    return xp.where(xp.signbit(like), -mag, mag)


def _perturb_pivot(xp: Any, perturb: Any, pivot: Any, row: Any) -> tuple:
    """TF's MaybePerturbPivot for each matrix of the batch: (pivot, row), a tiny pivot grown (or both scaled up)
    so that ``row / pivot`` and ``1 / pivot`` cannot overflow."""
    rdt = np.finfo(_real(xp, pivot).dtype)
    safemin = rdt.dtype.type(rdt.tiny)
    bignum = rdt.dtype.type(1) / safemin
    a = xp.abs(pivot)
    active = a < 1
    perturb = _copysign(xp, xp.maximum(xp.abs(perturb), safemin), _real(xp, pivot))
    max_factor = xp.abs(row).max(axis=-1) if row.shape[-1] else xp.zeros_like(a)
    # each step at least doubles the perturbation, which starts at >= safemin: the loop ends within the exponent
    # range; on the host it stops once every pivot is settled
    for _ in range(rdt.maxexp - rdt.minexp + 4):
        if xp is np and not active.any():
            break
        small = a < safemin
        grow = active & ((small & ((a == 0) | (max_factor * safemin > a))) | (~small & (max_factor > a * bignum)))
        scale = active & small & ~grow
        pivot = xp.where(grow, pivot + perturb, xp.where(scale, pivot * bignum, pivot))
        row = xp.where(scale[..., None], row * bignum, row)
        perturb = xp.where(grow, perturb * 2, perturb)
        a = xp.abs(pivot)
        active = grow & (a < 1)
    return pivot, row


def solve_perturb_singular(xp: Any, sup: Any, main: Any, sub: Any, rhs: Any) -> Any:
    """x with T x = rhs for each tridiagonal T (superdiagonal ``sup``, diagonal ``main``, subdiagonal ``sub``:
    [..., n]; ``rhs`` [..., n, k]), near-singular pivots perturbed as TF's kernel does."""
    n = main.shape[-1]
    shape = np.broadcast_shapes(main.shape[:-1], rhs.shape[:-2])
    sup, main, sub = (xp.broadcast_to(d, shape + (n,)) for d in (sup, main, sub))
    rhs = xp.broadcast_to(rhs, shape + rhs.shape[-2:])
    if n == 0:
        return xp.zeros(rhs.shape, dtype=rhs.dtype)
    eps = np.finfo(_real(xp, main).dtype).eps
    one = rhs.dtype.type(1)
    if n == 1:
        denom, row = _perturb_pivot(xp, eps * xp.abs(main[..., 0]), main[..., 0], rhs[..., 0, :])
        return (row * (one / denom)[..., None])[..., None, :]
    zero = xp.zeros(shape, dtype=main.dtype)
    u0, u1, u2 = [None] * n, [None] * n, [zero] * n
    x = [None] * n
    u0[0], u1[0] = main[..., 0], sup[..., 0]
    max_abs_u = xp.maximum(xp.abs(u0[0]), xp.abs(u1[0]))
    scale1 = xp.abs(u0[0]) + xp.abs(u1[0])
    x[0] = rhs[..., 0, :]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for k in range(n - 1):
            d1, s, sp, r1 = main[..., k + 1], sub[..., k + 1], sup[..., k + 1], rhs[..., k + 1, :]
            scale2 = xp.abs(s) + xp.abs(d1)
            if k < n - 2:
                scale2 = scale2 + xp.abs(sp)
            zero_sub = s == 0
            piv1 = xp.where(u0[k] == 0, 0, xp.abs(u0[k]) / scale1)
            piv2 = xp.abs(s) / scale2
            keep = ~zero_sub & (piv2 <= piv1)
            swap = ~zero_sub & ~keep
            f_keep = s / u0[k]
            f_swap = u0[k] / s
            new_u0k1 = xp.where(zero_sub, d1, xp.where(keep, d1 - f_keep * u1[k], u1[k] - f_swap * d1))
            new_xk1 = xp.where(zero_sub[..., None], r1, xp.where(keep[..., None], r1 - f_keep[..., None] * x[k],
                                                                 x[k] - f_swap[..., None] * r1))
            x[k] = xp.where(swap[..., None], r1, x[k])
            x[k + 1] = new_xk1
            new_u1k = xp.where(swap, d1, u1[k])
            if k < n - 2:
                u2[k] = xp.where(swap, sp, 0)
                u1[k + 1] = xp.where(swap, -f_swap * sp, sp)
            else:
                u1[k + 1] = sp  # (unused by the back substitution)
            u0[k] = xp.where(swap, s, u0[k])
            u1[k] = new_u1k
            u0[k + 1] = new_u0k1
            scale1 = xp.where(swap, scale1, scale2)
            if k < n - 2:
                for v in (u0[k], u1[k], u2[k]):
                    max_abs_u = xp.maximum(max_abs_u, xp.abs(v))
        max_abs_u = xp.maximum(max_abs_u, xp.abs(u0[n - 1]))
        tol = eps * max_abs_u
        denom, row = _perturb_pivot(xp, tol, u0[n - 1], x[n - 1])
        x[n - 1] = row * (one / denom)[..., None]
        denom = u0[n - 2]
        row = x[n - 2] - u1[n - 2][..., None] * x[n - 1]
        denom, row = _perturb_pivot(xp, _copysign(xp, tol, _real(xp, denom)), denom, row)
        x[n - 2] = row * (one / denom)[..., None]
        for k in range(n - 3, -1, -1):
            row = x[k] - u1[k][..., None] * x[k + 1] - u2[k][..., None] * x[k + 2]
            denom = u0[k]
            denom, row = _perturb_pivot(xp, _copysign(xp, tol, _real(xp, denom)), denom, row)
            x[k] = row * (one / denom)[..., None]
    return xp.stack(x, axis=-2).astype(rhs.dtype, copy=False)
