"""tnp's elementwise math: NumPy's promotion on the inputs, then featherflow's ops (TF's np_math_ops)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...tensor import Tensor
from ..array import core as array_ops
from ..array.create import cast, fill
from ..math import api as m
from ..math.clip import clip_by_value
from ._dtypes import asarray, is_inexact, promote, promote_binary, result_type
from ._dtypes import tf_dtypes as _dtypes

_bool = _dtypes.bool


def _bin_op(fn: Callable, a: Any, b: Any) -> Tensor:
    x, y = promote_binary(a, b)
    return fn(x, y)


def _scalar(fn: Callable, x: Any, promote_to_float: bool = False) -> Tensor:
    t = asarray(x)
    if promote_to_float and not is_inexact(t):
        t = cast(t, result_type(float))
    return fn(t)


def _boolean(logical: Callable, numeric: Callable) -> Callable:
    def f(x: Tensor, y: Tensor) -> Tensor:
        return logical(x, y) if x._dtype is _bool else numeric(x, y)

    return f


def add(x1: Any, x2: Any) -> Tensor:
    """x1 + x2 with NumPy's promotion (OR for bools).

    >>> add(1, 2.5).numpy()
    np.float64(3.5)
    """
    return _bin_op(_boolean(m.logical_or, m.add), x1, x2)


def subtract(x1: Any, x2: Any) -> Tensor:
    """x1 - x2 with NumPy's promotion."""
    return _bin_op(m.subtract, x1, x2)


def multiply(x1: Any, x2: Any) -> Tensor:
    """x1 * x2 with NumPy's promotion (AND for bools)."""
    return _bin_op(_boolean(m.logical_and, m.multiply), x1, x2)


def true_divide(x1: Any, x2: Any) -> Tensor:
    """x1 / x2: ints divide as TF's truediv (int8/16 to float32, int32/64 to float64); bools as floats."""
    def f(a: Tensor, b: Tensor) -> Tensor:
        if a._dtype is _bool:
            target = result_type(float)
            a, b = cast(a, target), cast(b, target)
        if not np.dtype(np.float64) == np.dtype(result_type(float)._np) and a._dtype is b._dtype and \
                a._dtype in (_dtypes.int32, _dtypes.int64):  # float64 turned off
            a, b = cast(a, _dtypes.float32), cast(b, _dtypes.float32)
        return m.truediv(a, b)

    return _bin_op(f, x1, x2)


divide = true_divide


def _int8_bools(fn: Callable) -> Callable:
    def f(a: Tensor, b: Tensor) -> Tensor:
        if a._dtype is _bool:
            a, b = cast(a, _dtypes.int8), cast(b, _dtypes.int8)
        return fn(a, b)

    return f


def floor_divide(x1: Any, x2: Any) -> Tensor:
    """floor(x1 / x2) elementwise."""
    return _bin_op(_int8_bools(m.floordiv), x1, x2)


def mod(x1: Any, x2: Any) -> Tensor:
    """The remainder of floor division (the sign of x2)."""
    return _bin_op(_int8_bools(m.floormod), x1, x2)


remainder = mod


def divmod(x1: Any, x2: Any) -> tuple[Tensor, Tensor]:  # noqa: A001 - NumPy's name
    """(floor_divide(x1, x2), mod(x1, x2))."""
    return floor_divide(x1, x2), mod(x1, x2)


def maximum(x1: Any, x2: Any) -> Tensor:
    """The elementwise maximum (OR for bools)."""
    if isinstance(x2, (int, float)) and not isinstance(x2, bool) and x2 == 0 and isinstance(x1, Tensor) \
            and x1._dtype is not _bool:
        from ..nn.core import relu

        return relu(x1)
    return _bin_op(_boolean(m.logical_or, m.maximum), x1, x2)


def minimum(x1: Any, x2: Any) -> Tensor:
    """The elementwise minimum (AND for bools)."""
    return _bin_op(_boolean(m.logical_and, m.minimum), x1, x2)


def _broadcast(*ts: Tensor) -> list[Tensor]:
    shape = np.broadcast_shapes(*[t._value.shape for t in ts])
    return [t if t._value.shape == shape else array_ops.broadcast_to(t, list(shape)) for t in ts]


def clip(a: Any, a_min: Any, a_max: Any) -> Tensor:
    """``a`` limited to [a_min, a_max] (either may be None, not both)."""
    if a_min is None and a_max is None:
        raise ValueError("Not more than one of `a_min` and `a_max` may be `None`.")
    if a_min is None:
        return minimum(a, a_max)
    if a_max is None:
        return maximum(a, a_min)
    a, lo, hi = promote(a, a_min, a_max)
    return clip_by_value(*_broadcast(a, lo, hi))


def power(x1: Any, x2: Any) -> Tensor:
    """x1 ** x2 with NumPy's promotion."""
    return _bin_op(m.pow, x1, x2)


float_power = power


def arctan2(x1: Any, x2: Any) -> Tensor:
    """atan2(x1, x2) with NumPy's promotion."""
    return _bin_op(m.atan2, x1, x2)


def heaviside(x1: Any, x2: Any) -> Tensor:
    """0 where x1 < 0, 1 where x1 > 0, x2 where x1 == 0 (a float result)."""
    def f(a: Tensor, b: Tensor) -> Tensor:
        zero = fill([], np.zeros((), b._dtype._np))
        one = fill([], np.ones((), b._dtype._np))
        return m.where(m.less(a, cast(0, a._dtype)), zero, m.where(m.greater(a, cast(0, a._dtype)), one, b))

    y = _bin_op(f, x1, x2)
    return y if is_inexact(y) else cast(y, result_type(float))


def hypot(x1: Any, x2: Any) -> Tensor:
    """sqrt(x1 ** 2 + x2 ** 2)."""
    return sqrt(add(square(x1), square(x2)))


def logaddexp(x1: Any, x2: Any) -> Tensor:
    """log(exp(x1) + exp(x2)), computed stably."""
    amax = maximum(x1, x2)
    delta = subtract(x1, x2)
    return _where(isnan(delta), add(x1, x2), add(amax, log1p(exp(negative(abs(delta))))))


def logaddexp2(x1: Any, x2: Any) -> Tensor:
    """log2(2 ** x1 + 2 ** x2), computed stably."""
    amax = maximum(x1, x2)
    delta = subtract(x1, x2)
    return _where(isnan(delta), add(x1, x2), add(amax, true_divide(log1p(exp2(negative(abs(delta)))), np.log(2))))


def _where(c: Tensor, x: Tensor, y: Tensor) -> Tensor:
    x, y = promote(x, y)
    return m.where(c, x, y)


def isclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Tensor:
    """|a - b| <= atol + rtol * |b| elementwise (equality for ints)."""
    def f(x: Tensor, y: Tensor) -> Tensor:
        if is_inexact(x):
            real = x._dtype.real_dtype
            rtol_, atol_ = cast(rtol, real), cast(atol, real)
            result = m.less_equal(m.abs(x - y), atol_ + rtol_ * m.abs(y))
            if equal_nan:
                result = m.logical_or(result, m.logical_and(m.is_nan(x), m.is_nan(y)))
            return result
        return m.equal(x, y)

    return _bin_op(f, a, b)


def allclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Tensor:
    """Whether every element of a and b is close."""
    from ..math.reduce import reduce_all

    return reduce_all(isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def _tf_gcd(x1: Tensor, x2: Tensor) -> Tensor:
    if not (x1._dtype.is_integer and x2._dtype.is_integer):
        raise ValueError("Arguments to gcd must be integers.")
    a, b = _broadcast(m.abs(x1), m.abs(x2))
    zero, one = cast(0, b._dtype), cast(1, b._dtype)
    # Euclid's algorithm, elementwise, until every divisor is 0 (TF's while_loop, run eagerly)
    while _any_nonzero(b):
        nonzero = m.not_equal(b, zero)
        safe = m.where(nonzero, b, one)
        a, b = m.where(nonzero, b, a), m.where(nonzero, m.floormod(a, safe), zero)
        smaller = m.less(a, b)
        a, b = m.where(smaller, b, a), m.where(smaller, a, b)
    return a


def _any_nonzero(t: Tensor) -> bool:
    from ..math.reduce import reduce_any

    return bool(reduce_any(m.not_equal(t, cast(0, t._dtype))).numpy())


def gcd(x1: Any, x2: Any) -> Tensor:
    """The greatest common divisor of |x1| and |x2|."""
    return _bin_op(_tf_gcd, x1, x2)


def lcm(x1: Any, x2: Any) -> Tensor:
    """The least common multiple of |x1| and |x2|."""
    def f(a: Tensor, b: Tensor) -> Tensor:
        d = _tf_gcd(a, b)
        zero, one = cast(0, d._dtype), cast(1, d._dtype)
        is_zero = m.equal(d, zero)
        d_safe = m.where(is_zero, one, d)
        return m.where(is_zero, zero, m.abs(a) * m.floordiv(m.abs(b), d_safe))

    return _bin_op(f, x1, x2)


def _bitwise(fn: Callable) -> Callable:
    def f(a: Tensor, b: Tensor) -> Tensor:
        if a._dtype is _bool:
            return cast(fn(cast(a, _dtypes.int8), cast(b, _dtypes.int8)), _bool)
        return fn(a, b)

    return f


def bitwise_and(x1: Any, x2: Any) -> Tensor:
    """x1 & x2 (ints and bools)."""
    return _bin_op(_bitwise(m.bitwise_and), x1, x2)


def bitwise_or(x1: Any, x2: Any) -> Tensor:
    """x1 | x2 (ints and bools)."""
    return _bin_op(_bitwise(m.bitwise_or), x1, x2)


def bitwise_xor(x1: Any, x2: Any) -> Tensor:
    """x1 ^ x2 (ints and bools)."""
    return _bin_op(_bitwise(m.bitwise_xor), x1, x2)


def bitwise_not(x: Any) -> Tensor:
    """~x (NOT for bools)."""
    return _scalar(lambda t: m.logical_not(t) if t._dtype is _bool else m.invert(t), x)


def _unary(fn: Callable, name: str, promote_to_float: bool = True) -> Callable[[Any], Tensor]:
    def f(x: Any) -> Tensor:
        return _scalar(fn, x, promote_to_float)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"NumPy's ``{name}`` elementwise" + (" (integers computed as float64)." if promote_to_float else ".")
    return f


log = _unary(m.log, "log")
exp = _unary(m.exp, "exp")
sqrt = _unary(m.sqrt, "sqrt")
abs = _unary(m.abs, "abs", False)  # noqa: A001
absolute = abs
fabs = abs
ceil = _unary(m.ceil, "ceil")
floor = _unary(m.floor, "floor")
conj = _unary(m.conj, "conj", False)
conjugate = conj
negative = _unary(m.negative, "negative", False)
reciprocal = _unary(m.reciprocal, "reciprocal", False)
sin = _unary(m.sin, "sin")
cos = _unary(m.cos, "cos")
tan = _unary(m.tan, "tan")
sinh = _unary(m.sinh, "sinh")
cosh = _unary(m.cosh, "cosh")
tanh = _unary(m.tanh, "tanh")
arcsin = _unary(m.asin, "arcsin")
arccos = _unary(m.acos, "arccos")
arctan = _unary(m.atan, "arctan")
arcsinh = _unary(m.asinh, "arcsinh")
arccosh = _unary(m.acosh, "arccosh")
arctanh = _unary(m.atanh, "arctanh")
expm1 = _unary(m.expm1, "expm1")
log1p = _unary(m.log1p, "log1p")
isnan = _unary(m.is_nan, "isnan")
isfinite = _unary(m.is_finite, "isfinite")
square = _unary(m.square, "square", False)
positive = _unary(lambda t: t, "positive", False)


def signbit(x: Any) -> Tensor:
    """x < 0 elementwise (False for bools)."""
    def f(t: Tensor) -> Tensor:
        if t._dtype is _bool:
            return array_ops.broadcast_to(cast(False, _bool), list(t._value.shape))
        return m.less(t, cast(0, t._dtype))

    return _scalar(f, x)


def deg2rad(x: Any) -> Tensor:
    """Degrees to radians."""
    return _scalar(lambda t: t * cast(np.pi / 180.0, t._dtype), x, True)


def rad2deg(x: Any) -> Tensor:
    """Radians to degrees (TF multiplies with the ``*`` operator: Tensors promote only under numpy behavior)."""
    if isinstance(x, Tensor):
        return x * (180.0 / np.pi)
    return multiply(x, 180.0 / np.pi)


def angle(z: Any, deg: bool = False) -> Tensor:
    """The angle of complex values (pi for negative reals, 0 otherwise)."""
    def f(t: Tensor) -> Tensor:
        if t._dtype.is_floating:
            # TF converts the constants on their own: a float32 result whatever the input's float type
            return m.where(m.less(t, cast(0, t._dtype)), cast(np.pi, _dtypes.float32), cast(0, _dtypes.float32))
        return m.angle(t)

    y = _scalar(f, z, True)
    return rad2deg(y) if deg else y


def cbrt(x: Any) -> Tensor:
    """The real cube root."""
    def f(t: Tensor) -> Tensor:
        rt = m.pow(m.abs(t), cast(1.0 / 3, t._dtype))
        return m.where(m.less(t, cast(0, t._dtype)), m.negative(rt), rt)

    return _scalar(f, x, True)


def exp2(x: Any) -> Tensor:
    """2 ** x."""
    return _scalar(lambda t: m.pow(cast(2, t._dtype), t), x, True)


def fix(x: Any) -> Tensor:
    """Rounds towards zero."""
    return _scalar(lambda t: m.where(m.less(t, cast(0, t._dtype)), m.ceil(t), m.floor(t)), x, True)


def sinc(x: Any) -> Tensor:
    """sin(pi x) / (pi x), 1 at 0."""
    def f(t: Tensor) -> Tensor:
        pi_x = t * cast(np.pi, t._dtype)
        return m.where(m.equal(t, cast(0, t._dtype)), m.add(m.square(t) * cast(0, t._dtype), cast(1, t._dtype)),
                       m.sin(pi_x) / pi_x)

    return _scalar(f, x, True)


def isinf(x: Any) -> Any:
    """Whether x is +-inf (False for non-floats, as TF's tnp)."""
    if asarray(x)._dtype.is_floating:
        return _scalar(m.is_inf, x, True)
    return False


def isneginf(x: Any) -> Any:
    """Whether x is -inf (False for non-floats)."""
    t = asarray(x)
    if t._dtype.is_floating:
        return m.equal(t, cast(-np.inf, t._dtype))
    return False


def isposinf(x: Any) -> Any:
    """Whether x is +inf (False for non-floats)."""
    t = asarray(x)
    if t._dtype.is_floating:
        return m.equal(t, cast(np.inf, t._dtype))
    return False


def log2(x: Any) -> Tensor:
    """The base-2 logarithm."""
    return true_divide(log(x), np.log(2))


def log10(x: Any) -> Tensor:
    """The base-10 logarithm."""
    return true_divide(log(x), np.log(10))


def real(val: Any) -> Tensor:
    """The real part."""
    return m.real(asarray(val))


def imag(val: Any) -> Tensor:
    """The imaginary part (zeros for reals)."""
    return m.imag(asarray(val))


def iscomplex(x: Any) -> Tensor:
    """Whether the imaginary part is nonzero."""
    return not_equal(imag(x), 0)


def isreal(x: Any) -> Tensor:
    """Whether the imaginary part is zero."""
    return equal(imag(x), 0)


def iscomplexobj(x: Any) -> bool:
    """Whether x's dtype is complex."""
    return asarray(x)._dtype.is_complex


def isrealobj(x: Any) -> bool:
    """Whether x's dtype is not complex."""
    return not iscomplexobj(x)


def sign(x: Any, out: Any = None, where: Any = None, **kwargs: Any) -> Tensor:
    """-1, 0 or 1 by the sign of x."""
    if out:
        raise ValueError("tf.numpy doesnt support setting out.")
    if where:
        raise ValueError("tf.numpy doesnt support setting where.")
    if kwargs:
        raise ValueError(f"tf.numpy doesnt support setting {kwargs.keys()}")
    return m.sign(asarray(x))


def around(a: Any, decimals: int = 0) -> Tensor:
    """Rounds half to even at ``decimals`` decimal places, in a's dtype."""
    t = asarray(a)
    dtype = t._dtype
    factor = 10.0 ** decimals
    if is_inexact(t):
        f = cast(factor, dtype)
    else:
        float_dtype = result_type(float)
        t = cast(t, float_dtype)
        f = cast(factor, float_dtype)
    return cast(m.divide(m.round(m.multiply(t, f)), f), dtype)


round = around  # noqa: A001 - NumPy's name


def _comparison(fn: Callable, x1: Any, x2: Any, cast_bool_to_int: bool = False) -> Tensor:
    dtype = result_type(x1, x2)
    a, b = asarray(x1, dtype), asarray(x2, dtype)
    if cast_bool_to_int and a._dtype is _bool:
        a, b = cast(a, _dtypes.int32), cast(b, _dtypes.int32)
    return fn(a, b)


def equal(x1: Any, x2: Any) -> Tensor:
    """x1 == x2 elementwise."""
    return _comparison(m.equal, x1, x2)


def not_equal(x1: Any, x2: Any) -> Tensor:
    """x1 != x2 elementwise."""
    return _comparison(m.not_equal, x1, x2)


def greater(x1: Any, x2: Any) -> Tensor:
    """x1 > x2 elementwise."""
    return _comparison(m.greater, x1, x2, True)


def greater_equal(x1: Any, x2: Any) -> Tensor:
    """x1 >= x2 elementwise."""
    return _comparison(m.greater_equal, x1, x2, True)


def less(x1: Any, x2: Any) -> Tensor:
    """x1 < x2 elementwise."""
    return _comparison(m.less, x1, x2, True)


def less_equal(x1: Any, x2: Any) -> Tensor:
    """x1 <= x2 elementwise."""
    return _comparison(m.less_equal, x1, x2, True)


def array_equal(a1: Any, a2: Any) -> Tensor:
    """Whether a1 and a2 have one shape and equal elements."""
    def f(x: Tensor, y: Tensor) -> Tensor:
        from ..math.reduce import reduce_all

        if x._value.shape != y._value.shape:
            return cast(False, _bool)
        return reduce_all(m.equal(x, y))

    return _comparison(f, a1, a2)


def _logical(fn: Callable) -> Callable:
    def f(x1: Any, x2: Any) -> Tensor:
        return fn(asarray(x1, np.bool_), asarray(x2, np.bool_))

    f.__name__ = fn.__name__
    f.__doc__ = f"NumPy's ``{fn.__name__}``: the inputs as bools."
    return f


logical_and = _logical(m.logical_and)
logical_or = _logical(m.logical_or)
logical_xor = _logical(m.logical_xor)


def logical_not(x: Any) -> Tensor:
    """NOT x, x as bools."""
    return m.logical_not(asarray(x, np.bool_))


def nextafter(x1: Any, x2: Any) -> Tensor:
    """The next representable float after x1 towards x2 (float32 and float64)."""
    from ..array.create import bitcast

    def f(a: Tensor, b: Tensor) -> Tensor:
        if a._dtype not in (_dtypes.float32, _dtypes.float64):
            raise TypeError(f"nextafter supports float32 and float64, got {a._dtype.name}")
        a, b = _broadcast(a, b)
        ints = _dtypes.int32 if a._dtype is _dtypes.float32 else _dtypes.int64
        bits = bitcast(a, ints)
        one = cast(1, ints)
        zero = cast(0, a._dtype)
        up = m.equal(m.less(a, b), m.greater(a, zero))  # moving away from zero
        moved = bitcast(m.where(up, bits + one, bits - one), a._dtype)
        tiny = cast(np.nextafter(np.zeros((), a._dtype._np), 1), a._dtype)
        at_zero = m.where(m.greater(b, zero), tiny, m.negative(tiny))
        out = m.where(m.equal(a, zero), at_zero, moved)
        out = m.where(m.equal(a, b), b, out)
        return m.where(m.logical_or(m.is_nan(a), m.is_nan(b)), a + b, out)

    return _bin_op(f, x1, x2)
