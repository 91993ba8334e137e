"""The inverse error functions: TF's ``Erfinv`` and ``Ndtri`` ops (and ``erfcinv``, which TF composes from
ndtri). Kernels in float64: a rational first guess (Giles' approximation), then Newton steps on erf near 0
and on log(erfc) in the tails, where the inverse needs the relative precision of small tail masses.

>>> import featherflow as tf
>>> round(float(tf.math.erfinv(0.5)), 6)
0.476936
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import Tensor
from ..convert import tensor
from ..registry import register
from .elementwise import _c, exp_op, mul_op, neg_op, square_op
from .special import _back, _f64, erf, erfc

_SQRT_PI_2 = np.sqrt(np.pi) / 2
_SQRT2 = np.sqrt(2.0)
_CENTER = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
           -0.00417768164, 0.246640727, 1.50140941)
_TAIL = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
         0.00943887047, 1.00167406, 2.83297682)


def _horner(xp: Any, w: Any, coefs: tuple) -> Any:
    p = xp.full_like(w, coefs[0])
    for c in coefs[1:]:
        p = p * w + c
    return p


def _erfcinv_pos(xp: Any, y: Any, z: Any) -> Any:
    """t >= 0 with erf(t) = y = 1 - z (both given, z in (0, 1] exact: the tail mass)."""
    w = -xp.log(z * (2.0 - z))
    guess = xp.where(w < 5.0, _horner(xp, w - 2.5, _CENTER), _horner(xp, xp.sqrt(w) - 3.0, _TAIL)) * y
    # beyond the fit (w > 36): erfc(t) ~ exp(-t^2) / (t sqrt(pi)), solved by one fixed-point step
    t0 = xp.sqrt(-xp.log(z))
    far = xp.sqrt(xp.maximum(-xp.log(z) - xp.log(xp.maximum(t0, 1.0) * np.sqrt(np.pi)), 0.0))
    guess = xp.where(w > 36.0, far, guess)
    t = xp.minimum(xp.maximum(guess, 0.0), 26.5)
    central = y <= 0.5
    logz = xp.log(z)
    for _ in range(6):
        deriv = np.float64(1 / _SQRT_PI_2) * xp.exp(-t * t)
        # near 0: Newton on erf(t) - y; in the tail: on log(erfc(t)) - log(z), whose slope stays moderate
        ec = erfc(xp, t)
        step_c = (erf(xp, t) - y) / deriv
        step_t = -(xp.log(xp.where(ec > 0, ec, 1e-320)) - logz) * ec / deriv
        t = t - xp.where(central, step_c, step_t)
        t = xp.minimum(xp.maximum(t, 0.0), 27.0)
    return t


def erfinv_kernel(xp: Any, x: Any) -> Any:
    # TF's (Eigen's) erfinv is ndtri((x + 1) / 2) / sqrt(2), the argument rounded in x's dtype: |x| below
    # half an ulp of 1 gives 0
    p = (x + x.dtype.type(1)) * x.dtype.type(0.5)
    return _back(ndtri_kernel(xp, p) / _SQRT2, x)


def ndtri_kernel(xp: Any, x: Any) -> Any:
    """The inverse of the standard normal CDF: -sqrt(2) erfcinv(2p), solved on the smaller tail."""
    p = _f64(xp, x)
    inside = (p > 0) & (p < 1)
    q = xp.where(inside, p, 0.5)
    lower = q < 0.5
    z = xp.where(lower, 2.0 * q, 2.0 * (1.0 - q))  # twice the tail mass, exact for q < 0.5
    t = _erfcinv_pos(xp, 1.0 - z, z)
    out = _SQRT2 * xp.where(lower, -t, t)
    out = xp.where(q == 0.5, 0.0, out)
    out = xp.where(p == 0, -np.inf, xp.where(p == 1, np.inf, out))
    out = xp.where((p < 0) | (p > 1) | xp.isnan(p), np.nan, out)
    return _back(out, x)


erfinv_op = register("Erfinv")(erfinv_kernel)
ndtri_op = register("Ndtri")(ndtri_kernel)


@erfinv_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Tensor:
    return mul_op(g, mul_op(_c(x, _SQRT_PI_2), exp_op(square_op(ans))))


@ndtri_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Tensor:
    return mul_op(g, mul_op(_c(x, np.sqrt(2 * np.pi)), exp_op(mul_op(square_op(ans), _c(x, 0.5)))))


def erfinv(x: Any, name: str | None = None) -> Tensor:
    """The inverse of erf on (-1, 1), elementwise."""
    return erfinv_op(tensor(x))


def ndtri(x: Any, name: str | None = None) -> Tensor:
    """The inverse of the standard normal CDF on (0, 1), elementwise."""
    return ndtri_op(tensor(x))


def erfcinv(x: Any, name: str | None = None) -> Tensor:
    """The inverse of erfc on (0, 2): -ndtri(x / 2) / sqrt(2), as TF composes it."""
    t = tensor(x)
    return mul_op(neg_op(ndtri_op(mul_op(t, _c(t, 0.5)))), _c(t, 1 / _SQRT2))
