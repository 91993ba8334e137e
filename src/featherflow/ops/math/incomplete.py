"""The regularized incomplete gamma and beta functions: TF's ``Igamma``, ``Igammac``, ``IgammaGradA`` and
``Betainc`` ops, with Cephes' algorithms (igam.c's power series and continued fraction, incbet.c's power
series and two continued fractions), vectorized with masks and computed in float64.

The iterations stop once every element converged on the CPU; on other devices they run their full count
(a convergence test would read the device back).

>>> import featherflow as tf
>>> round(float(tf.math.igamma(2.0, 1.0)), 6)
0.264241
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import Tensor
from ..convert import tensor
from ..registry import register
from .api import matching
from .elementwise import F32_64, _c, add_op, exp_op, kernel, log1p_op, log_op, mul_op, neg_op, sub_op
from .special import _f64, digamma, igammac_fraction_da, lgamma, lgamma_op

_MACHEP = 1.11022302462515654042e-16
_MAXLOG = 7.09782712893383996843e2
_BIG = 4.503599627370496e15
_BIGINV = 2.22044604925031308085e-16


def _done(xp: Any, active: Any) -> bool:
    """Whether every element converged: asked of host arrays only (a device array would be read back)."""
    return xp is np and not active.any()


def _igam_series(xp: Any, a: Any, x: Any) -> Any:
    """P(a, x) by its power series (x <= max(1, a))."""
    r, c, ans = a.copy(), xp.ones_like(a), xp.ones_like(a)
    active = xp.ones(a.shape, bool)
    for _ in range(2000):
        r = r + 1.0
        c = xp.where(active, c * x / r, c)
        ans = xp.where(active, ans + c, ans)
        active &= c / ans > _MACHEP
        if _done(xp, active):
            break
    logax = a * xp.log(x) - x - lgamma(xp, a)
    return xp.where(logax < -_MAXLOG, 0.0, ans * xp.exp(logax) / a)


def _igamc_fraction(xp: Any, a: Any, x: Any) -> Any:
    """Q(a, x) by its continued fraction (x > max(1, a))."""
    y = 1.0 - a
    z = x + y + 1.0
    c = xp.zeros_like(a)
    pkm2, qkm2, pkm1, qkm1 = xp.ones_like(a), x, x + 1.0, z * x
    ans = pkm1 / qkm1
    active = xp.ones(a.shape, bool)
    for _ in range(2000):
        c, y, z = c + 1.0, y + 1.0, z + 2.0
        yc = y * c
        pk, qk = pkm1 * z - pkm2 * yc, qkm1 * z - qkm2 * yc
        nonzero = qk != 0
        r = pk / xp.where(nonzero, qk, 1.0)
        t = xp.where(nonzero, xp.abs((ans - r) / xp.where(r != 0, r, 1.0)), 1.0)
        ans = xp.where(active & nonzero, r, ans)
        pkm2, pkm1 = xp.where(active, pkm1, pkm2), xp.where(active, pk, pkm1)
        qkm2, qkm1 = xp.where(active, qkm1, qkm2), xp.where(active, qk, qkm1)
        scale = xp.where(xp.abs(pk) > _BIG, _BIGINV, 1.0)
        pkm2, pkm1, qkm2, qkm1 = pkm2 * scale, pkm1 * scale, qkm2 * scale, qkm1 * scale
        active &= t > _MACHEP
        if _done(xp, active):
            break
    logax = a * xp.log(x) - x - lgamma(xp, a)
    return xp.where(logax < -_MAXLOG, 0.0, ans * xp.exp(logax))


def _igamma(xp: Any, a: Any, x: Any, upper: bool) -> Any:
    av, xv = xp.broadcast_arrays(_f64(xp, a), _f64(xp, x))
    dtype = np.result_type(a.dtype, x.dtype)
    bad = (xv < 0) | (av <= 0) | xp.isnan(av) | xp.isnan(xv)
    fraction = (xv > 1.0) & (xv > av) & ~bad & xp.isfinite(xv)
    series = ~fraction & ~bad & (xv > 0)
    a_s, x_s = xp.where(series, av, 1.0), xp.where(series, xv, 0.5)
    a_f, x_f = xp.where(fraction, av, 1.0), xp.where(fraction, xv, 2.0)
    p = _igam_series(xp, a_s, x_s)
    q = _igamc_fraction(xp, a_f, x_f)
    lower = xp.where(fraction, 1.0 - q, p)
    out = 1.0 - lower if upper else lower
    if upper:
        out = xp.where(fraction, q, out)
    out = xp.where(xv == 0, 1.0 if upper else 0.0, out)
    out = xp.where(xv == np.inf, 0.0 if upper else 1.0, out)
    out = xp.where(bad, np.nan, out)
    return out.astype(dtype)


@kernel("Igamma", F32_64)
def igamma_op(xp: Any, a: Any, x: Any) -> Any:
    return _igamma(xp, a, x, False)


@kernel("Igammac", F32_64)
def igammac_op(xp: Any, a: Any, x: Any) -> Any:
    return _igamma(xp, a, x, True)


def _der_series(xp: Any, a: Any, x: Any) -> Any:
    """d P(a, x) / d a for x <= max(1, a): the power series differentiated term by term in a (Eigen's
    igamma_series_impl in its derivative mode)."""
    r, c, ans = a.copy(), xp.ones_like(a), xp.ones_like(a)
    dc_da, dans_da = xp.zeros_like(a), xp.zeros_like(a)
    active = xp.ones(a.shape, bool)
    for _ in range(2000):
        r = r + 1.0
        term = x / r
        dc_da = xp.where(active, term * dc_da - x / (r * r) * c, dc_da)
        dans_da = xp.where(active, dans_da + dc_da, dans_da)
        c = xp.where(active, c * term, c)
        ans = xp.where(active, ans + c, ans)
        active &= ~(xp.abs(dc_da) <= _MACHEP * xp.abs(dans_da))
        if _done(xp, active):
            break
    logax = a * xp.log(x) - x - lgamma(xp, a + 1.0)
    dlogax_da = xp.log(x) - digamma(xp, a + 1.0)
    return xp.exp(logax) * (dans_da + ans * dlogax_da)


def _der_fraction(xp: Any, a: Any, x: Any) -> Any:
    """d P(a, x) / d a for x > max(1, a): minus Q's continued fraction differentiated in a."""
    ans, dans = igammac_fraction_da(xp, a, x, 2000, _done)
    logax = a * xp.log(x) - x - lgamma(xp, a)
    dlogax_da = xp.log(x) - digamma(xp, a)
    return -xp.exp(logax) * (dans + ans * dlogax_da)


@kernel("IgammaGradA", F32_64)
def igamma_grad_a_op(xp: Any, a: Any, x: Any) -> Any:
    """d igamma(a, x) / d a, in float64: both expansions differentiated in a, each where it converges."""
    av, xv = xp.broadcast_arrays(_f64(xp, a), _f64(xp, x))
    dtype = np.result_type(a.dtype, x.dtype)
    bad = (xv < 0) | (av <= 0) | xp.isnan(av) | xp.isnan(xv)
    live = ~bad & (xv > 0) & xp.isfinite(xv)
    fraction = live & (xv > 1.0) & (xv > av)
    series = live & ~fraction
    out = xp.where(series, _der_series(xp, xp.where(series, av, 1.0), xp.where(series, xv, 0.5)), 0.0)
    out = xp.where(fraction, _der_fraction(xp, xp.where(fraction, av, 1.0), xp.where(fraction, xv, 2.0)), out)
    out = xp.where(bad, np.nan, out)
    return out.astype(dtype)


def _density(a: Tensor, x: Tensor) -> Tensor:
    """d igamma(a, x) / d x = exp(-x + (a - 1) log x - lgamma(a)) (TF's formula)."""
    return exp_op(sub_op(sub_op(mul_op(sub_op(a, _c(a, 1)), log_op(x)), x), lgamma_op(a)))


@igamma_op.gradient
def _(g: Tensor, ans: Tensor, a: Tensor, x: Tensor, skip: tuple = ()) -> tuple:
    # (the derivative in a, a long iteration, only where a's gradient is needed)
    return (None if 0 in skip else mul_op(g, igamma_grad_a_op(a, x)),
            None if 1 in skip else mul_op(g, _density(a, x)))


@igammac_op.gradient
def _(g: Tensor, ans: Tensor, a: Tensor, x: Tensor, skip: tuple = ()) -> tuple:
    return (None if 0 in skip else neg_op(mul_op(g, igamma_grad_a_op(a, x))),
            None if 1 in skip else neg_op(mul_op(g, _density(a, x))))


def igamma(a: Any, x: Any, name: str | None = None) -> Tensor:
    """The lower regularized incomplete gamma function P(a, x), elementwise."""
    return igamma_op(*matching(a, x, "Igamma"))


def igammac(a: Any, x: Any, name: str | None = None) -> Tensor:
    """The upper regularized incomplete gamma function Q(a, x) = 1 - P(a, x), elementwise."""
    return igammac_op(*matching(a, x, "Igammac"))


# --- the regularized incomplete beta function I_x(a, b) (Cephes incbet.c) -----------------------------


def _continued_fraction(xp: Any, a: Any, b: Any, x: Any, second: bool) -> Any:
    """Cephes' incbcf (``second`` False) or incbd, with the masks of converged elements."""
    if second:
        z = x / (1.0 - x)
        k1, k2, k3, k4, k5, k6, k7, k8 = a, b - 1.0, a, a + 1.0, xp.ones_like(a), a + b, a + 1.0, a + 2.0
    else:
        z = x
        k1, k2, k3, k4, k5, k6, k7, k8 = a, a + b, a, a + 1.0, xp.ones_like(a), b - 1.0, a + 1.0, a + 2.0
    pkm2, qkm2, pkm1, qkm1 = xp.zeros_like(a), xp.ones_like(a), xp.ones_like(a), xp.ones_like(a)
    ans = xp.ones_like(a)
    active = xp.ones(a.shape, bool)
    for _ in range(300):
        xk = -(z * k1 * k2) / (k3 * k4)
        pk, qk = pkm1 + pkm2 * xk, qkm1 + qkm2 * xk
        pkm2, pkm1, qkm2, qkm1 = pkm1, pk, qkm1, qk
        xk = (z * k5 * k6) / (k7 * k8)
        pk, qk = pkm1 + pkm2 * xk, qkm1 + qkm2 * xk
        pkm2, pkm1, qkm2, qkm1 = pkm1, pk, qkm1, qk
        r = pk / xp.where(qk != 0, qk, 1.0)
        has = (qk != 0) & (r != 0)
        t = xp.where(has, xp.abs((ans - r) / xp.where(r != 0, r, 1.0)), 1.0)
        ans = xp.where(active & has, r, ans)
        active &= ~(t < 3.0 * _MACHEP)
        k1, k3, k4, k5, k7, k8 = k1 + 1.0, k3 + 2.0, k4 + 2.0, k5 + 1.0, k7 + 2.0, k8 + 2.0
        if second:
            k2, k6 = k2 - 1.0, k6 + 1.0
        else:
            k2, k6 = k2 + 1.0, k6 - 1.0
        big = (xp.abs(qk) + xp.abs(pk)) > _BIG
        small = (xp.abs(qk) < _BIGINV) | (xp.abs(pk) < _BIGINV)
        scale = xp.where(big, _BIGINV, xp.where(small, _BIG, 1.0))
        pkm2, pkm1, qkm2, qkm1 = pkm2 * scale, pkm1 * scale, qkm2 * scale, qkm1 * scale
        if _done(xp, active):
            break
    return ans


def _power_series(xp: Any, a: Any, b: Any, x: Any) -> Any:
    """Cephes' pseries: I_x(a, b) for b x <= 1 and x <= 0.95."""
    ai = 1.0 / a
    u = (1.0 - b) * x
    v = u / (a + 1.0)
    t1, t = v, u
    n = 2.0
    s = xp.zeros_like(a)
    z = _MACHEP * ai
    active = xp.abs(v) > z
    for _ in range(2000):
        u = (n - b) * x / n
        t = xp.where(active, t * u, t)
        v = t / (a + n)
        s = xp.where(active, s + v, s)
        n += 1.0
        active &= xp.abs(v) > z
        if _done(xp, active):
            break
    s = s + t1 + ai
    logt = lgamma(xp, a + b) - lgamma(xp, a) - lgamma(xp, b) + a * xp.log(x) + xp.log(s)
    return xp.exp(logt)


def betainc_kernel(xp: Any, a: Any, b: Any, x: Any) -> Any:
    av, bv, xv = xp.broadcast_arrays(_f64(xp, a), _f64(xp, b), _f64(xp, x))
    dtype = np.result_type(a.dtype, b.dtype, x.dtype)
    bad = (av <= 0) | (bv <= 0) | (xv < 0) | (xv > 1) | xp.isnan(av) | xp.isnan(bv) | xp.isnan(xv)
    inner = ~bad & (xv > 0) & (xv < 1)
    a1, b1, x1 = xp.where(inner, av, 1.0), xp.where(inner, bv, 1.0), xp.where(inner, xv, 0.5)
    direct = (b1 * x1 <= 1.0) & (x1 <= 0.95)
    # the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where x is above the mean a / (a + b)
    flip = ~direct & (x1 > a1 / (a1 + b1))
    a2, b2 = xp.where(flip, b1, a1), xp.where(flip, a1, b1)
    x2, xc = xp.where(flip, 1.0 - x1, x1), xp.where(flip, x1, 1.0 - x1)
    series_after_flip = flip & (b2 * x2 <= 1.0) & (x2 <= 0.95)
    ps = _power_series(xp, xp.where(direct, a1, a2), xp.where(direct, b1, b2), xp.where(direct, x1, x2))
    first = (x2 * (a2 + b2 - 2.0) - (a2 - 1.0)) < 0.0
    w = xp.where(first, _continued_fraction(xp, a2, b2, x2, False),
                 _continued_fraction(xp, a2, b2, x2, True) / xc)
    logt = (a2 * xp.log(x2) + b2 * xp.log(xc) + lgamma(xp, a2 + b2) - lgamma(xp, a2) - lgamma(xp, b2)
            + xp.log(w / a2))
    cf = xp.exp(logt)
    out = xp.where(direct, ps, xp.where(series_after_flip, 1.0 - ps, xp.where(flip, 1.0 - cf, cf)))
    out = xp.where(xv == 0, 0.0, xp.where(xv == 1, 1.0, out))
    out = xp.where(bad, np.nan, out)
    return out.astype(dtype)


betainc_op = register("Betainc")(betainc_kernel)


@betainc_op.gradient
def _(g: Tensor, ans: Tensor, a: Tensor, b: Tensor, x: Tensor) -> tuple:
    # TF: no gradient in a and b; in x, x^(a-1) (1-x)^(b-1) / B(a, b)
    one = _c(x, 1)
    log_beta = sub_op(add_op(lgamma_op(a), lgamma_op(b)), lgamma_op(add_op(a, b)))
    partial = exp_op(sub_op(add_op(mul_op(sub_op(b, one), log1p_op(neg_op(x))), mul_op(sub_op(a, one), log_op(x))),
                            log_beta))
    return None, None, mul_op(g, partial)


def betainc(a: Any, b: Any, x: Any, name: str | None = None) -> Tensor:
    """The regularized incomplete beta function I_x(a, b), elementwise (a, b, x broadcast together)."""
    ta = tensor(a)
    tb = b if isinstance(b, Tensor) else tensor(b, ta._dtype)
    tx = x if isinstance(x, Tensor) else tensor(x, ta._dtype)
    return betainc_op(ta, tb, tx)
