"""Bessel functions of the first and second kind J0, J1, Y0, Y1 and the modified ones of the second kind K0,
K1 (and exponentially scaled K0e, K1e): TF's ``BesselJ0``...``BesselK1e`` ops (``tf.math.special``), by the
Cephes algorithms Eigen runs for doubles (rational fits near 0, Hankel's asymptotic forms beyond), computed in
float64 and rounded to the input's dtype.

>>> import featherflow as tf
>>> round(float(tf.math.special.bessel_j0(1.0)), 6)
0.765198
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import Tensor
from ..convert import tensor
from ..registry import register
from .bessel import _chbevl, i0, i1
from .elementwise import _c, div_op, equal_op, mul_op, neg_op, reciprocal_op, select_op, sub_op
from .special import _back, _f64

_SQ2OPI = 7.9788456080286535587989e-1  # sqrt(2 / pi)
_TWOOPI = 0.636619772367581343075535  # 2 / pi
_PIO4 = 0.7853981633974483096
_THPIO4 = 2.35619449019234492885

# j0.c / j1.c: the asymptotic forms' P and Q rational functions in 25 / x^2, for |x| > 5
_PP0 = (7.96936729297347051624e-4, 8.28352392107440799803e-2, 1.23953371646414299388e0, 5.44725003058768775090e0,
        8.74716500199817011941e0, 5.30324038235394892183e0, 9.99999999999999997821e-1)
_PQ0 = (9.24408810558863637013e-4, 8.56288474354474431428e-2, 1.25352743901058953537e0, 5.47097740330417105182e0,
        8.76190883237069594232e0, 5.30605288235394617618e0, 1.00000000000000000218e0)
_QP0 = (-1.13663838898469149931e-2, -1.28252718670509318512e0, -1.95539544257735972385e1, -9.32060152123768231369e1,
        -1.77681167980488050595e2, -1.47077505154951170175e2, -5.14105326766599330220e1, -6.05014350600728481186e0)
_QQ0 = (1.0, 6.43178256118178023184e1, 8.56430025976980587198e2, 3.88240183605401609683e3, 7.24046774195652478189e3,
        5.93072701187316984827e3, 2.06209331660327847417e3, 2.42005740240291393179e2)
_RP0 = (-4.79443220978201773821e9, 1.95617491946556577543e12, -2.49248344360967716204e14, 9.70862251047306323952e15)
_RQ0 = (1.0, 4.99563147152651017219e2, 1.73785401676374683123e5, 4.84409658339962045305e7, 1.11855537045356834862e10,
        2.11277520115489217587e12, 3.10518229857422583814e14, 3.18121955943204943306e16, 1.71086294081043136091e18)
_YP0 = (1.55924367855235737965e4, -1.46639295903971606143e7, 5.43526477051876500413e9, -9.82136065717911466409e11,
        8.75906394395366999549e13, -3.46628303384729719441e15, 4.42733268572569800351e16, -1.84950800436986690637e16)
_YQ0 = (1.0, 1.04128353664259848412e3, 6.26107330137134956842e5, 2.68919633393814121987e8, 8.64002487103935000337e10,
        2.02979612750105546709e13, 3.17157752842975028269e15, 2.50596256172653059228e17)
_PP1 = (7.62125616208173112003e-4, 7.31397056940917570436e-2, 1.12719608129684925192e0, 5.11207951146807644818e0,
        8.42404590141772420927e0, 5.21451598682361504063e0, 1.00000000000000000254e0)
_PQ1 = (5.71323128072548699714e-4, 6.88455908754495404082e-2, 1.10514232634061696926e0, 5.07386386128601488557e0,
        8.39985554327604159757e0, 5.20982848682361821619e0, 9.99999999999999997461e-1)
_QP1 = (5.10862594750176621635e-2, 4.98213872951233449420e0, 7.58238284132545283818e1, 3.66779609360150777800e2,
        7.10856304998926107277e2, 5.97489612400613639965e2, 2.11688757100572135698e2, 2.52070205858023719784e1)
_QQ1 = (1.0, 7.42373277035675149943e1, 1.05644886038262816351e3, 4.98641058337653607651e3, 9.56231892404756170795e3,
        7.99704160447350683650e3, 2.82619278517639096600e3, 3.36093607810698293419e2)
_RP1 = (-8.99971225705559398224e8, 4.52228297998194034323e11, -7.27494245221818276015e13, 3.68295732863852883286e15)
_RQ1 = (1.0, 6.20836478118054335476e2, 2.56987256757748830383e5, 8.35146791431949253037e7, 2.21511595479792499675e10,
        4.74914122079991414898e12, 7.84369607876235854894e14, 8.95222336184627338078e16, 5.32278620332680085395e18)
_YP1 = (1.26320474790178026440e9, -6.47355876379160291031e11, 1.14509511541823727583e14, -8.12770255501325109621e15,
        2.02439475713594898196e17, -7.78877196265950026825e17)
_YQ1 = (1.0, 5.94301592346128195359e2, 2.35564092943068577943e5, 7.34811944459721705660e7, 1.87601316108706159478e10,
        3.88231277496238566008e12, 6.20557727146953693363e14, 6.87141087355300489866e16, 3.97270608116560655612e18)
_DR1, _DR2 = 5.78318596294678452118e0, 3.04712623436620863991e1  # squares of j0's first zeros
_Z1, _Z2 = 1.46819706421238932572e1, 4.92184563216946036703e1  # squares of j1's first zeros
# k0.c / k1.c: Chebyshev series in x^2 - 2 on (0, 2] and in 8 / x - 2 beyond
_K0A = (1.37446543561352307156e-16, 4.25981614279661018399e-14, 1.03496952576338420167e-11, 1.90451637722020886025e-9,
        2.53479107902614945675e-7, 2.28621210311945178607e-5, 1.26461541144692592338e-3, 3.59799365153615016266e-2,
        3.44289899924628486886e-1, -5.35327393233902768720e-1)
_K0B = (5.30043377268626276149e-18, -1.64758043015242134646e-17, 5.21039150503902756861e-17,
        -1.67823109680541210385e-16, 5.51205597852431940784e-16, -1.84859337734377901440e-15,
        6.34007647740507060557e-15, -2.22751332699166985548e-14, 8.03289077536357521100e-14,
        -2.98009692317273043925e-13, 1.14034058820847496303e-12, -4.51459788337394416547e-12,
        1.85594911495471785253e-11, -7.95748924447710747776e-11, 3.57739728140030116597e-10,
        -1.69753450938905987466e-9, 8.57403401741422608519e-9, -4.66048989768794782956e-8, 2.76681363944501510342e-7,
        -1.83175552271911948767e-6, 1.39498137188764993662e-5, -1.28495495816278026384e-4, 1.56988388573005337491e-3,
        -3.14481013119645005427e-2, 2.44030308206595545468e0)
_K1A = (-7.02386347938628759343e-18, -2.42744985051936593393e-15, -6.66690169419932900609e-13,
        -1.41148839263352776110e-10, -2.21338763073472585583e-8, -2.43340614156596823496e-6,
        -1.73028895751305206302e-4, -6.97572385963986435018e-3, -1.22611180822657148235e-1,
        -3.53155960776544875667e-1, 1.52530022733894777053e0)
_K1B = (-5.75674448366501715755e-18, 1.79405087314755922667e-17, -5.68946255844285935196e-17,
        1.83809354436663880070e-16, -6.05704724837331885336e-16, 2.03870316562433424052e-15,
        -7.01983709041831346144e-15, 2.47715442448130437068e-14, -8.97670518232499435011e-14,
        3.34841966607842919884e-13, -1.28917396095102890680e-12, 5.13963967348173025100e-12,
        -2.12996783842756842877e-11, 9.21831518760500529508e-11, -4.19035475934189648750e-10,
        2.01504975519703286596e-9, -1.03457624656780970260e-8, 5.74108412545004946722e-8, -3.50196060308781257119e-7,
        2.40648494783721712015e-6, -1.93619797416608296024e-5, 1.95215518471351631108e-4, -2.85781685962277938680e-3,
        1.03923736576817238437e-1, 2.72062619048444266945e0)


def _polevl(x: Any, coefs: tuple) -> Any:
    """Horner's rule, coefficients from the highest degree down (Cephes' polevl)."""
    acc = x * 0.0 + coefs[0]
    for c in coefs[1:]:
        acc = acc * x + c
    return acc


def _hankel(xp: Any, y: Any, pp: tuple, pq: tuple, qp: tuple, qq: tuple, phase: float, second: bool) -> Any:
    """sqrt(2 / (pi y)) (P cos(y - phase) - 5/y Q sin(y - phase)) (first kind), or with sin and cos swapped and
    +5/y (second kind), for y > 5."""
    yb = xp.where(y > 5.0, y, 5.0)
    s = 25.0 / (yb * yb)
    p = _polevl(s, pp) / _polevl(s, pq)
    q = _polevl(s, qp) / _polevl(s, qq)
    yn = yb - phase
    if second:
        p = p * xp.sin(yn) + (5.0 / yb) * q * xp.cos(yn)
    else:
        p = p * xp.cos(yn) - (5.0 / yb) * q * xp.sin(yn)
    return p * _SQ2OPI / xp.sqrt(yb)


def _j0(xp: Any, v: Any) -> Any:
    y = xp.abs(v)
    z = y * y
    near = xp.where(y < 1e-5, 1.0 - z / 4.0, (z - _DR1) * (z - _DR2) * _polevl(z, _RP0) / _polevl(z, _RQ0))
    return xp.where(y <= 5.0, near, _hankel(xp, y, _PP0, _PQ0, _QP0, _QQ0, _PIO4, False))


def _j1(xp: Any, v: Any) -> Any:
    y = xp.abs(v)
    z = y * y
    near = _polevl(z, _RP1) / _polevl(z, _RQ1) * v * (z - _Z1) * (z - _Z2)
    far = _hankel(xp, y, _PP1, _PQ1, _QP1, _QQ1, _THPIO4, False)
    return xp.where(y <= 5.0, near, xp.where(v < 0, -far, far))


def j0(xp: Any, x: Any) -> Any:
    v = _f64(xp, x)
    return _back(xp.where(xp.isnan(v), v, _j0(xp, v)), x)


def j1(xp: Any, x: Any) -> Any:
    v = _f64(xp, x)
    return _back(xp.where(xp.isnan(v), v, _j1(xp, v)), x)


def y0(xp: Any, x: Any) -> Any:
    v = _f64(xp, x)
    z = v * v
    pos = xp.where(v > 0, v, 1.0)
    near = _polevl(z, _YP0) / _polevl(z, _YQ0) + _TWOOPI * xp.log(pos) * _j0(xp, v)
    out = xp.where(v <= 5.0, near, _hankel(xp, v, _PP0, _PQ0, _QP0, _QQ0, _PIO4, True))
    return _back(xp.where(v <= 0, -np.inf, xp.where(xp.isnan(v), v, out)), x)


def y1(xp: Any, x: Any) -> Any:
    v = _f64(xp, x)
    z = v * v
    pos = xp.where(v > 0, v, 1.0)
    near = v * _polevl(z, _YP1) / _polevl(z, _YQ1) + _TWOOPI * (_j1(xp, pos) * xp.log(pos) - 1.0 / pos)
    out = xp.where(v <= 5.0, near, _hankel(xp, v, _PP1, _PQ1, _QP1, _QQ1, _THPIO4, True))
    out = xp.where(v <= 0, -np.inf, xp.where(xp.isnan(v), v, out))
    if x.dtype != np.float64:  # TF's float kernel tests x < 0 (not <= 0): at 0 its log(0) * j1(0) is nan
        out = xp.where(v == 0, np.nan, out)
    return _back(out, x)


def _k(xp: Any, x: Any, order: int, scaled: bool) -> Any:
    v = _f64(xp, x)
    small = v <= 2.0
    pos = xp.where(v > 0, xp.minimum(v, 2.0), 1.0)
    if order == 0:
        near = _chbevl(xp, pos * pos - 2.0, _K0A) - xp.log(0.5 * pos) * i0(xp, pos)
    else:
        near = _chbevl(xp, pos * pos - 2.0, _K1A) / pos + xp.log(0.5 * pos) * i1(xp, pos)
    if scaled:
        near = near * xp.exp(pos)
    big = xp.where(small, 4.0, v)
    far = _chbevl(xp, 8.0 / big - 2.0, _K0B if order == 0 else _K1B) / xp.sqrt(big)
    if not scaled:
        far = far * xp.exp(-big)
    out = xp.where(small, near, far)
    return _back(xp.where(v <= 0, np.inf, xp.where(xp.isnan(v), v, out)), x)


def k0(xp: Any, x: Any) -> Any:
    return _k(xp, x, 0, False)


def k0e(xp: Any, x: Any) -> Any:
    return _k(xp, x, 0, True)


def k1(xp: Any, x: Any) -> Any:
    return _k(xp, x, 1, False)


def k1e(xp: Any, x: Any) -> Any:
    return _k(xp, x, 1, True)


bessel_j0_op = register("BesselJ0")(j0)
bessel_j1_op = register("BesselJ1")(j1)
bessel_y0_op = register("BesselY0")(y0)
bessel_y1_op = register("BesselY1")(y1)
bessel_k0_op = register("BesselK0")(k0)
bessel_k0e_op = register("BesselK0e")(k0e)
bessel_k1_op = register("BesselK1")(k1)
bessel_k1e_op = register("BesselK1e")(k1e)

# TF's gradients (math_grad.py), term for term
bessel_j0_op.gradient(lambda g, ans, x: mul_op(g, neg_op(bessel_j1_op(x))))
bessel_y0_op.gradient(lambda g, ans, x: mul_op(g, neg_op(bessel_y1_op(x))))
bessel_y1_op.gradient(lambda g, ans, x: mul_op(g, sub_op(bessel_y0_op(x), div_op(ans, x))))
bessel_k0_op.gradient(lambda g, ans, x: mul_op(g, neg_op(bessel_k1_op(x))))
bessel_k0e_op.gradient(lambda g, ans, x: mul_op(g, sub_op(ans, bessel_k1e_op(x))))
bessel_k1_op.gradient(lambda g, ans, x: mul_op(g, sub_op(neg_op(bessel_k0_op(x)), div_op(ans, x))))
bessel_k1e_op.gradient(lambda g, ans, x: mul_op(g, sub_op(mul_op(ans, sub_op(_c(x, 1), reciprocal_op(x))),
                                                          bessel_k0e_op(x))))


@bessel_j1_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Tensor:
    zero = equal_op(x, _c(x, 0))
    safe = select_op(zero, _c(x, 1), x)
    return mul_op(g, select_op(zero, _c(x, 0.5), sub_op(bessel_j0_op(x), div_op(ans, safe))))


def _public(op: Any, doc: str) -> Any:
    def fn(x: Any, name: str | None = None) -> Tensor:
        return op(tensor(x))

    fn.__doc__ = doc
    name = "bessel_" + op.name[len("Bessel"):].lower()
    fn.__name__ = fn.__qualname__ = name
    return fn


bessel_j0 = _public(bessel_j0_op, "The Bessel function of the first kind of order 0, elementwise.")
bessel_j1 = _public(bessel_j1_op, "The Bessel function of the first kind of order 1, elementwise.")
bessel_y0 = _public(bessel_y0_op, "The Bessel function of the second kind of order 0 (-inf at x <= 0).")
bessel_y1 = _public(bessel_y1_op, "The Bessel function of the second kind of order 1 (-inf at x <= 0).")
bessel_k0 = _public(bessel_k0_op, "The modified Bessel function of the second kind of order 0 (inf at x <= 0).")
bessel_k0e = _public(bessel_k0e_op, "exp(x) K0(x) elementwise (inf at x <= 0).")
bessel_k1 = _public(bessel_k1_op, "The modified Bessel function of the second kind of order 1 (inf at x <= 0).")
bessel_k1e = _public(bessel_k1e_op, "exp(x) K1(x) elementwise (inf at x <= 0).")
