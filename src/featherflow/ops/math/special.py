"""Special functions NumPy lacks (erf, erfc, lgamma, digamma, polygamma, zeta): their ops and gradients, and
kernels vectorized over any array namespace ``xp`` (NumPy or CuPy). Kernels compute in float64 (Cephes'
rational approximations) and cast back to the input's dtype: float32 results are correctly rounded where
TF's are within an ulp.

>>> import numpy as np
>>> float(erf(np, np.array(0.5)))
0.5204998778130465
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor
from ..convert import FLOATS
from .elementwise import F32_64, _c, _unary, add_op, exp_op, kernel, mul_op, neg_op, square_op

_LOGPI = 1.14472988584940017414
_LS2PI = 0.91893853320467274178  # log(sqrt(2 pi))


def _poly(xp: Any, x: Any, coefs: tuple, monic: bool = False) -> Any:
    """Horner's rule; ``monic`` adds a leading coefficient 1 (Cephes' p1evl)."""
    acc = x + coefs[0] if monic else xp.full_like(x, coefs[0])
    for c in coefs[1:]:
        acc = acc * x + c
    return acc


def _f64(xp: Any, x: Any) -> Any:
    return x if x.dtype == np.float64 else x.astype(np.float64)


def _back(out: Any, x: Any) -> Any:
    return out if out.dtype == x.dtype else out.astype(x.dtype)


# --- erf, erfc (Cephes ndtr.c) ---------------------------------------------------------------------

_T = (9.60497373987051638749e0, 9.00260197203842689217e1, 2.23200534594684319226e3, 7.00332514112805075473e3,
      5.55923013010394962768e4)
_U = (3.35617141647503099647e1, 5.21357949780152679795e2, 4.59432382970980127987e3, 2.26290000613890934246e4,
      4.92673942608635921086e4)
_P = (2.46196981473530512524e-10, 5.64189564831068821977e-1, 7.46321056442269912687e0, 4.86371970985681366614e1,
      1.96520832956077098242e2, 5.26445194995477358631e2, 9.34528527171957607540e2, 1.02755188689515710272e3,
      5.57535335369399327526e2)
_Q = (1.32281951154744992508e1, 8.67072140885989742329e1, 3.54937778887819891062e2, 9.75708501743205489753e2,
      1.82390916687909736289e3, 2.24633760818710981792e3, 1.65666309194161350182e3, 5.57535340817727675546e2)
_R = (5.64189583547755073984e-1, 1.27536670759978104416e0, 5.01905042251180477414e0, 6.16021097993053585195e0,
      7.40974269950448939160e0, 2.97886665372100240670e0)
_S = (2.26052863220117276590e0, 9.39603524938001434673e0, 1.20489539808096656605e1, 1.70814450747565897222e1,
      9.60896809063285878198e0, 3.36907645100081516050e0)


def _erf_small(xp: Any, x: Any) -> Any:
    """erf on |x| <= 1."""
    z = x * x
    return x * _poly(xp, z, _T) / _poly(xp, z, _U, monic=True)


def _exp_neg_square(xp: Any, a: Any) -> Any:
    """exp(-a*a) without the rounding error of squaring a: a = m + f with m a multiple of 1/128 (m*m exact)."""
    m = xp.floor(a * 128.0 + 0.5) / 128.0
    f = a - m
    return xp.exp(-m * m) * xp.exp(-(2.0 * m * f + f * f))


def _erfc_large(xp: Any, a: Any) -> Any:
    """erfc on a >= 1 (a is |x|)."""
    small = a < 8.0
    p = xp.where(small, _poly(xp, a, _P), _poly(xp, a, _R))
    q = xp.where(small, _poly(xp, a, _Q, monic=True), _poly(xp, a, _S, monic=True))
    return _exp_neg_square(xp, a) * p / q


def erf(xp: Any, x: Any) -> Any:
    v = _f64(xp, x)
    a = xp.abs(v)
    inner = a <= 1.0
    tail = 1.0 - _erfc_large(xp, xp.where(inner, 1.0, xp.minimum(a, 30.0)))
    out = xp.where(inner, _erf_small(xp, xp.where(inner, v, 0.0)), xp.where(v < 0, -tail, tail))
    if x.dtype == np.float64:  # TF's double kernel squares x first: nan once x * x overflows (|x| > 1.34e154)
        out = xp.where(a > 1.3407807929942596e154, np.nan, out)
    return _back(xp.where(xp.isnan(v), v, out), x)


def erfc(xp: Any, x: Any) -> Any:
    v = _f64(xp, x)
    a = xp.abs(v)
    inner = a < 1.0
    tail = _erfc_large(xp, xp.where(inner, 1.0, xp.minimum(a, 30.0)))  # erfc(30) underflows to 0
    outer = xp.where(v < 0, 2.0 - tail, tail)
    out = xp.where(inner, 1.0 - _erf_small(xp, xp.where(inner, v, 0.0)), outer)
    return _back(xp.where(xp.isnan(v), v, out), x)


# --- lgamma (Cephes lgam: Stirling's series above 13, a rational fit on [2, 3] below, reflection below 0) ----

_A = (8.11614167470508450300e-4, -5.95061904284301438324e-4, 7.93650340457716943945e-4, -2.77777777730099687205e-3,
      8.33333333333331927722e-2)
_B = (-1.37825152569120859100e3, -3.88016315134637840924e4, -3.31612992738871184744e5, -1.16237097492762307383e6,
      -1.72173700820839662146e6, -8.53555664245765465627e5)
_C = (-3.51815701436523470549e2, -1.70642106651881159223e4, -2.20528590553854454839e5, -1.13933444367982507207e6,
      -2.53252307177582951285e6, -2.01889141433532773231e6)


def _lgamma_positive(xp: Any, q: Any) -> Any:
    """log Gamma(q) for q > 0 (any value where q <= 0)."""
    big = q >= 13.0
    # Stirling's series for q >= 13
    qb = xp.where(big, q, 13.0)
    inv2 = 1.0 / (qb * qb)
    stirling = (qb - 0.5) * xp.log(qb) - qb + _LS2PI + _poly(xp, inv2, _A) / qb
    stirling = xp.where(qb == np.inf, np.inf, stirling)
    # recurrence into [2, 3) for q < 13: Gamma(u) = Gamma(u - 1) (u - 1), Gamma(u) = Gamma(u + 1) / u
    u = xp.where(big, 2.5, xp.where(q > 0, q, 1.0))
    z = xp.ones_like(u)
    for _ in range(11):  # at most 10 steps down from [12, 13)
        down = u >= 3.0
        u = xp.where(down, u - 1.0, u)
        z = xp.where(down, z * u, z)
    for _ in range(2):  # at most 2 steps up from (0, 1)
        up = u < 2.0
        z = xp.where(up, z / u, z)
        u = xp.where(up, u + 1.0, u)
    t = u - 2.0
    small = xp.log(xp.abs(z)) + t * _poly(xp, t, _B) / _poly(xp, t, _C, monic=True)
    return xp.where(big, stirling, small)


def lgamma(xp: Any, x: Any) -> Any:
    v = _f64(xp, x)
    neg = v < 0
    q = xp.abs(v)
    pos = _lgamma_positive(xp, q)
    # reflection: lgamma(x) = log(pi / |x sin(pi x)|) - lgamma(-x), with sin(pi x) from the fractional part
    frac = q - xp.floor(q)
    frac = xp.where(frac > 0.5, 1.0 - frac, frac)
    reflected = _LOGPI - xp.log(xp.abs(q * xp.sin(np.pi * frac))) - pos
    out = xp.where(neg, reflected, pos)
    out = xp.where((v <= 0) & (v == xp.floor(v)), np.inf, out)  # poles, and -inf
    return _back(xp.where(xp.isnan(v), v, out), x)


# --- digamma, polygamma, zeta ----------------------------------------------------------------------


def digamma(xp: Any, x: Any) -> Any:
    """psi(x): reflection below 1/2, recurrence up to 10, then the asymptotic series."""
    v = _f64(xp, x)
    reflect = v < 0.5
    z = xp.where(reflect, 1.0 - v, v)
    acc = xp.zeros_like(z)
    for _ in range(10):
        small = z < 10.0
        acc = acc - xp.where(small, 1.0 / z, 0.0)
        z = xp.where(small, z + 1.0, z)
    inv = 1.0 / z
    inv2 = inv * inv
    series = (xp.log(z) - 0.5 * inv
              - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132))))))
    result = acc + series
    near = v - xp.round(v)  # tan has period pi: the distance to the nearest integer is exact and keeps precision
    result = xp.where(reflect, result - np.pi / xp.tan(np.pi * near), result)
    result = xp.where((v <= 0) & (v == xp.floor(v)), np.nan, result)
    result = xp.where(v == -np.inf, np.nan, result)
    return _back(result, x)


# Euler-Maclaurin correction coefficients (Cephes zeta.c): (2k)! / B_2k
_ZA = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10,
       -2.950130727918164224e12, 1.1646782814350067249e14, -4.5979787224074726105e15, 1.8152105401943546773e17,
       -7.1661652561756670113e18)


def zeta(xp: Any, s: Any, q: Any) -> Any:
    """Hurwitz zeta(s, q) = sum_k (q + k)^-s for s > 1, by Euler-Maclaurin summation (Cephes)."""
    sv, qv = xp.broadcast_arrays(_f64(xp, s), _f64(xp, q))
    dtype = np.result_type(s.dtype, q.dtype)
    neg = qv < 0
    out = _zeta_sum(xp, sv, xp.where(neg, qv - xp.floor(qv), qv))
    if xp is not np or neg.any():  # (a host branch only where q is host data)
        # q < 0 (integer s; other s are nan, below): the m = -floor(q) terms below 0 are (f - j)^-s for
        # j = 1..m, f = q + m, which sum to (-1)^s (zeta(s, 1 - f) - zeta(s, 1 - q)): three sums of 10 terms
        # each rather than m + 10 direct ones, with no host sync for m
        qn = xp.where(neg, qv, -0.5)
        z_f, z_q = _zeta_sum(xp, sv, (xp.floor(qn) + 1.0) - qn), _zeta_sum(xp, sv, 1.0 - qn)
        odd = xp.floor(sv / 2) * 2 != sv  # (adding zeta(s, f) first: it cancels zeta(s, 1 - f) exactly at f = 1/2)
        out = xp.where(neg, xp.where(odd, (out - z_f) + z_q, (out + z_f) - z_q), out)
    out = xp.where(sv == 1.0, np.inf, out)
    out = xp.where(sv < 1.0, np.nan, out)
    pole = (qv <= 0) & (qv == xp.floor(qv))
    out = xp.where(pole & (sv > 1), np.inf, out)
    out = xp.where((qv < 0) & ~pole & ((sv != xp.floor(sv)) | (qv <= -1e6)), np.nan, out)
    return out.astype(dtype)


def _zeta_sum(xp: Any, sv: Any, qv: Any) -> Any:
    """zeta(s, q) for q >= 0: ten terms summed directly, then the Euler-Maclaurin tail from q + 10."""
    total = xp.zeros_like(sv)
    a = qv.copy()
    for _ in range(10):
        total = total + xp.where(a == 0, np.inf, a ** -sv)
        a = a + 1.0
    b = a ** -sv
    # the tail's integral, plus half its first term (0 once the terms underflow: s or q huge)
    total = total + xp.where(b == 0, 0.0, a * b / (sv - 1.0) + 0.5 * b)
    fact = xp.ones_like(sv)
    k = 0.0
    for coef in _ZA:
        fact = fact * (sv + k)
        b = b / a
        total = total + xp.where(b == 0, 0.0, fact * b / coef)
        k += 1.0
        fact = fact * (sv + k)
        b = b / a
        k += 1.0
    return total


def polygamma(xp: Any, n: Any, x: Any) -> Any:
    """psi^(n)(x) = (-1)^(n+1) n! zeta(n + 1, x) for integer n >= 1; digamma for n = 0; nan otherwise."""
    nv, xv = xp.broadcast_arrays(_f64(xp, n), _f64(xp, x))
    dtype = np.result_type(n.dtype, x.dtype)
    lgfact = lgamma(xp, nv + 1.0)
    n1 = nv + 1.0  # the parity of n + 1 in floating point, as TF: n = 1e30 counts as even
    sign = xp.where(xp.floor(n1 / 2) * 2 == n1, 1.0, -1.0)
    out = sign * xp.exp(lgfact) * zeta(xp, nv + 1.0, xv)
    out = xp.where(nv == 0, digamma(xp, xv), out)
    out = xp.where((nv != xp.floor(nv)) | (nv < 0), np.nan, out)
    return out.astype(dtype)


# --- the ops ----------------------------------------------------------------------------------------

_TWO_OVER_ROOT_PI = 2 / np.sqrt(np.pi)
_NO_BF16 = frozenset({_dtypes.bfloat16})

erf_op = _unary("Erf", erf, lambda g, ans, x: mul_op(mul_op(g, _c(x, _TWO_OVER_ROOT_PI)), exp_op(
    neg_op(square_op(x)))), FLOATS)
erfc_op = _unary("Erfc", erfc, lambda g, ans, x: mul_op(mul_op(g, _c(x, -_TWO_OVER_ROOT_PI)),
                                                         exp_op(neg_op(square_op(x)))), FLOATS)
lgamma_op = _unary("Lgamma", lgamma, lambda g, ans, x: mul_op(g, digamma_op(x)), FLOATS - _NO_BF16)
digamma_op = _unary("Digamma", digamma, lambda g, ans, x: mul_op(g, polygamma_op(_c(x, 1), x)), FLOATS - _NO_BF16)


@kernel("Zeta", F32_64)
def zeta_op(xp: Any, x: Any, q: Any) -> Any:
    return zeta(xp, x, q)


@zeta_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, q: Tensor) -> tuple:
    return None, mul_op(mul_op(neg_op(x), zeta_op(add_op(x, _c(x, 1)), q)), g)


@kernel("Polygamma", F32_64)
def polygamma_op(xp: Any, a: Any, x: Any) -> Any:
    return polygamma(xp, a, x)


@polygamma_op.gradient
def _(g: Tensor, ans: Tensor, a: Tensor, x: Tensor) -> tuple:
    return None, mul_op(polygamma_op(add_op(a, _c(a, 1)), x), g)


# --- the derivative of a Gamma sample (Eigen's gamma_sample_der_alpha) -----------------------------

_MACHEP, _BIG, _BIGINV = 1.11022302462515654042e-16, 4.503599627370496e15, 2.22044604925031308085e-16  # Cephes


def _sample_der_series(xp: Any, a: Any, x: Any) -> Any:
    """For x <= max(1, a): forward-mode derivative in a of igamma's power series."""
    r, c, ans = a, xp.ones_like(a), xp.ones_like(a)
    dc_da, dans_da = xp.zeros_like(a), xp.zeros_like(a)
    active = xp.ones(a.shape, bool)
    for _ in range(500):  # Eigen's limit for double
        r = r + 1
        term = x / r
        dc_da = xp.where(active, term * dc_da - x / (r * r) * c, dc_da)
        dans_da = xp.where(active, dans_da + dc_da, dans_da)
        c = xp.where(active, c * term, c)
        ans = xp.where(active, ans + c, ans)
        active &= ~(xp.abs(dc_da) <= _MACHEP * xp.abs(dans_da))
        if not active.any():
            break
    return -(dans_da + ans * (xp.log(x) - digamma(xp, a + 1))) * x / a


def _all_converged(xp: Any, active: Any) -> bool:
    return not active.any()


def igammac_fraction_da(xp: Any, a: Any, x: Any, iterations: int,
                        converged: Callable[[Any, Any], bool] = _all_converged) -> tuple[Any, Any]:
    """For x > max(1, a): igammac's continued fraction (Cephes' igamc) and its forward-mode derivative in a.
    ``converged(xp, active)`` ends the loop early (IgammaGradA asks it of host arrays only)."""
    y, z, c = 1 - a, x + 2 - a, xp.zeros_like(a)
    pkm2, qkm2, pkm1, qkm1 = xp.ones_like(a), x, x + 1, (x + 2 - a) * x
    ans = pkm1 / qkm1
    dpkm2, dqkm2, dpkm1, dqkm1 = xp.zeros_like(a), xp.zeros_like(a), xp.zeros_like(a), -x
    dans = (dpkm1 - ans * dqkm1) / qkm1
    active = xp.ones(a.shape, bool)
    for _ in range(iterations):
        c, y, z = c + 1, y + 1, z + 2
        yc = y * c
        pk, qk = pkm1 * z - pkm2 * yc, qkm1 * z - qkm2 * yc
        dpk = dpkm1 * z - pkm1 - dpkm2 * yc + pkm2 * c
        dqk = dqkm1 * z - qkm1 - dqkm2 * yc + qkm2 * c
        step = active & (qk != 0)
        safe_qk = xp.where(step, qk, 1)
        ans_new = pk / safe_qk
        dans_new = (dpk - ans_new * dqk) / safe_qk
        done = step & (xp.abs(dans_new - dans) <= _MACHEP)
        ans, dans = xp.where(step, ans_new, ans), xp.where(step, dans_new, dans)
        active &= ~done
        pkm2, pkm1 = xp.where(active, pkm1, pkm2), xp.where(active, pk, pkm1)
        qkm2, qkm1 = xp.where(active, qkm1, qkm2), xp.where(active, qk, qkm1)
        dpkm2, dpkm1 = xp.where(active, dpkm1, dpkm2), xp.where(active, dpk, dpkm1)
        dqkm2, dqkm1 = xp.where(active, dqkm1, dqkm2), xp.where(active, dqk, dqkm1)
        scale = xp.where(active & (xp.abs(pk) > _BIG), _BIGINV, 1.0)
        pkm2, pkm1, qkm2, qkm1 = pkm2 * scale, pkm1 * scale, qkm2 * scale, qkm1 * scale
        dpkm2, dpkm1, dqkm2, dqkm1 = dpkm2 * scale, dpkm1 * scale, dqkm2 * scale, dqkm1 * scale
        if converged(xp, active):
            break
    return ans, dans


def _sample_der_fraction(xp: Any, a: Any, x: Any) -> Any:
    """For x > max(1, a): forward-mode derivative in a of igammac's continued fraction."""
    ans, dans = igammac_fraction_da(xp, a, x, 500)
    return (dans + ans * (xp.log(x) - digamma(xp, a))) * x


@kernel("RandomGammaGrad", F32_64)
def random_gamma_grad_op(xp: Any, alpha: Any, sample: Any) -> Any:
    """d sample / d alpha of Gamma(alpha, 1) samples: implicit differentiation of their CDF igamma(alpha, x)
    (TF's kernel; computed in float64, where TF's float32 kernel computes in float32)."""
    a, x = xp.broadcast_arrays(_f64(xp, alpha), _f64(xp, sample))
    shape = a.shape
    a, x = a.reshape(-1), x.reshape(-1)
    out = xp.zeros(a.shape, np.float64)
    # where x^a e^-x / Gamma(a) underflows in the kernel's dtype, igamma is flat: derivative 0 (Eigen's
    # ``ax == 0``), as at x = 0
    logax = a * xp.log(x) - x - lgamma(xp, a)
    live = (x > 0) & (a > 0) & xp.isfinite(x) & (logax >= -np.log(np.finfo(sample.dtype).max))
    fraction = live & (x > 1) & (x > a)
    series = live & ~fraction
    if series.any():
        out[series] = _sample_der_series(xp, a[series], x[series])
    if fraction.any():
        out[fraction] = _sample_der_fraction(xp, a[fraction], x[fraction])
    out = xp.where((x > 1) & (x > a) & (a > 0) & ~live, -0.0, out)  # Eigen's continued fraction: -0 when flat
    out = xp.where((x != 0) & ((x < 0) | (a <= 0) | xp.isnan(a) | xp.isnan(x)), np.nan, out)
    return out.reshape(shape).astype(sample.dtype)
