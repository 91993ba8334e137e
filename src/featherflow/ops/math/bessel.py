"""The modified Bessel functions of the first kind I0, I1 and their exponentially scaled forms (TF's
``BesselI0``, ``BesselI0e``, ``BesselI1``, ``BesselI1e``): Cephes' Chebyshev series on [0, 8] and (8, inf),
computed in float64 and rounded to the input's dtype.

>>> import featherflow as tf
>>> round(float(tf.math.bessel_i0(1.0)), 6)
1.266066
"""

from __future__ import annotations

from typing import Any

from ...tensor import Tensor
from ..convert import tensor
from ..registry import register
from .elementwise import _c, add_op, div_op, equal_op, mul_op, select_op, sign_op, sub_op
from .special import _back, _f64

# Cephes i0.c: exp(-x) I0(x) on [0, 8] (in x / 2 - 2) and exp(-x) sqrt(x) I0(x) on (8, inf) (in 32 / x - 2)
_I0E_A = (-4.41534164647933937950e-18, 3.33079451882223809783e-17, -2.43127984654795469359e-16,
          1.71539128555513303061e-15, -1.16853328779934516808e-14, 7.67618549860493561688e-14,
          -4.85644678311192946090e-13, 2.95505266312963983461e-12, -1.72682629144155570723e-11,
          9.67580903537323691224e-11, -5.18979560163526290666e-10, 2.65982372468238665035e-9,
          -1.30002500998624804212e-8, 6.04699502254191894932e-8, -2.67079385394061173391e-7,
          1.11738753912010371815e-6, -4.41673835845875056359e-6, 1.64484480707288970893e-5,
          -5.75419501008210370398e-5, 1.88502885095841655729e-4, -5.76375574538582365885e-4,
          1.63947561694133579842e-3, -4.32430999505057594430e-3, 1.05464603945949983183e-2,
          -2.37374148058994688156e-2, 4.93052842396707084878e-2, -9.49010970480476444210e-2,
          1.71620901522208775349e-1, -3.04682672343198398683e-1, 6.76795274409476084995e-1)
_I0E_B = (-7.23318048787475395456e-18, -4.83050448594418207126e-18, 4.46562142029675999901e-17,
          3.46122286769746109310e-17, -2.82762398051658348494e-16, -3.42548561967721913462e-16,
          1.77256013305652638360e-15, 3.81168066935262242075e-15, -9.55484669882830764870e-15,
          -4.15056934728722208663e-14, 1.54008621752140982691e-14, 3.85277838274214270114e-13,
          7.18012445138366623367e-13, -1.79417853150680611778e-12, -1.32158118404477131188e-11,
          -3.14991652796324136454e-11, 1.18891471078464383424e-11, 4.94060238822496958910e-10,
          3.39623202570838634515e-9, 2.26666899049817806459e-8, 2.04891858946906374183e-7,
          2.89137052083475648297e-6, 6.88975834691682398426e-5, 3.36911647825569408990e-3,
          8.04490411014108831608e-1)
# Cephes i1.c: exp(-x) I1(x) / x on [0, 8], exp(-x) sqrt(x) I1(x) on (8, inf)
_I1E_A = (2.77791411276104639959e-18, -2.11142121435816608115e-17, 1.55363195773620046921e-16,
          -1.10559694773538630805e-15, 7.60068429473540693410e-15, -5.04218550472791168711e-14,
          3.22379336594557470981e-13, -1.98397439776494371520e-12, 1.17361862988909016308e-11,
          -6.66348972350202774223e-11, 3.62559028155211703701e-10, -1.88724975172282928790e-9,
          9.38153738649577178388e-9, -4.44505912879632808065e-8, 2.00329475355213526229e-7,
          -8.56872026469545474066e-7, 3.47025130813767847674e-6, -1.32731636560394358279e-5,
          4.78156510755005422638e-5, -1.61760815825896745588e-4, 5.12285956168575772895e-4,
          -1.51357245063125314899e-3, 4.15642294431288815669e-3, -1.05640848946261981558e-2,
          2.47264490306265168283e-2, -5.29459812080949914269e-2, 1.02643658689847095384e-1,
          -1.76416518357834055153e-1, 2.52587186443633654823e-1)
_I1E_B = (7.51729631084210481353e-18, 4.41434832307170791151e-18, -4.65030536848935832153e-17,
          -3.20952592199342395980e-17, 2.96262899764595013876e-16, 3.30820231092092828324e-16,
          -1.88035477551078244854e-15, -3.81440307243700780478e-15, 1.04202769841288027642e-14,
          4.27244001671195135429e-14, -2.10154184277266431302e-14, -4.08355111109219731823e-13,
          -7.19855177624590851209e-13, 2.03562854414708950722e-12, 1.41258074366137813316e-11,
          3.25260358301548823856e-11, -1.89749581235054123450e-11, -5.58974346219658380687e-10,
          -3.83538038596423702205e-9, -2.63146884688951950684e-8, -2.51223623787020892529e-7,
          -3.88256480887769039346e-6, -1.10588938762623716291e-4, -9.76109749136146840777e-3,
          7.78576235018280120474e-1)


def _chbevl(xp: Any, x: Any, coefs: tuple) -> Any:
    """Cephes' Chebyshev series evaluation (coefficients from the highest degree down)."""
    b0, b1, b2 = xp.full_like(x, coefs[0]), xp.zeros_like(x), xp.zeros_like(x)
    for c in coefs[1:]:
        b2, b1 = b1, b0
        b0 = x * b1 - b2 + c
    return 0.5 * (b0 - b2)


def _scaled(xp: Any, a: Any, small: tuple, large: tuple, times_x: bool) -> Any:
    """The series for exp(-a) I(a), a >= 0, on whichever interval holds a."""
    inner = a <= 8.0
    s = xp.where(inner, a, 8.0)
    low = _chbevl(xp, s / 2.0 - 2.0, small)
    if times_x:
        low = low * s
    big = xp.where(inner, 8.0, a)
    high = _chbevl(xp, 32.0 / big - 2.0, large) / xp.sqrt(big)
    return xp.where(inner, low, high)


def i0e(xp: Any, x: Any) -> Any:
    v = _f64(xp, x)
    return _back(_scaled(xp, xp.abs(v), _I0E_A, _I0E_B, False), x)


def i0(xp: Any, x: Any) -> Any:
    a = xp.abs(_f64(xp, x))
    return _back(xp.exp(a) * _scaled(xp, a, _I0E_A, _I0E_B, False), x)


def i1e(xp: Any, x: Any) -> Any:
    v = _f64(xp, x)
    out = _scaled(xp, xp.abs(v), _I1E_A, _I1E_B, True)
    return _back(xp.where(v < 0, -out, out), x)


def i1(xp: Any, x: Any) -> Any:
    v = _f64(xp, x)
    a = xp.abs(v)
    out = xp.exp(a) * _scaled(xp, a, _I1E_A, _I1E_B, True)
    return _back(xp.where(v < 0, -out, out), x)


bessel_i0_op = register("BesselI0")(i0)
bessel_i0e_op = register("BesselI0e")(i0e)
bessel_i1_op = register("BesselI1")(i1)
bessel_i1e_op = register("BesselI1e")(i1e)


@bessel_i0_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Tensor:
    return mul_op(g, bessel_i1_op(x))


@bessel_i0e_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Tensor:
    return mul_op(g, sub_op(bessel_i1e_op(x), mul_op(sign_op(x), ans)))


@bessel_i1_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Tensor:
    # d/dx I1 = I0 - I1 / x; at 0 TF imputes 1 (the limit is 1/2: TF's value is kept, as its tape gives it)
    zero = equal_op(x, _c(x, 0))
    safe = select_op(zero, _c(x, 1), x)
    return mul_op(g, select_op(zero, _c(x, 1.0), sub_op(bessel_i0_op(x), div_op(ans, safe))))


@bessel_i1e_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Tensor:
    zero = equal_op(x, _c(x, 0))
    safe = select_op(zero, _c(x, 1), x)
    slope = sub_op(bessel_i0e_op(x), mul_op(ans, add_op(sign_op(x), div_op(_c(x, 1), safe))))
    return mul_op(g, select_op(zero, _c(x, 0.5), slope))


def bessel_i0(x: Any, name: str | None = None) -> Tensor:
    """The modified Bessel function of the first kind of order 0, elementwise."""
    return bessel_i0_op(tensor(x))


def bessel_i0e(x: Any, name: str | None = None) -> Tensor:
    """exp(-|x|) I0(x) elementwise (no overflow for large |x|)."""
    return bessel_i0e_op(tensor(x))


def bessel_i1(x: Any, name: str | None = None) -> Tensor:
    """The modified Bessel function of the first kind of order 1, elementwise."""
    return bessel_i1_op(tensor(x))


def bessel_i1e(x: Any, name: str | None = None) -> Tensor:
    """exp(-|x|) I1(x) elementwise (no overflow for large |x|)."""
    return bessel_i1e_op(tensor(x))

