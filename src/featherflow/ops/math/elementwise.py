"""Elementwise math ops (``tf.math``): arithmetic, comparisons, logic and unary functions, each with the
dtypes TF's CPU kernels accept and its gradient rule (complex inputs follow TF's conjugate convention).

>>> import featherflow as tf
>>> tf.add(tf.constant([1.0, 2.0]), 1).numpy()
array([2., 3.], dtype=float32)
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np

from ... import dtypes as _dtypes
from ...device import _scope
from ...errors import InternalError
from ...tensor import Tensor, kernel_error
from .. import convert
from ..convert import ALL, COMPLEX, FLOATS, INEXACT, INTS, NUMERIC, REAL, SIGNED_INTS, tensor
from ..registry import Op, register

_bool = _dtypes.bool
BOOL = frozenset({_bool})
F32_64 = frozenset({_dtypes.float32, _dtypes.float64})
SIGNED_REAL = FLOATS | SIGNED_INTS
_FLOAT8 = frozenset({_dtypes.float8_e4m3fn, _dtypes.float8_e5m2})  # Cast's only kernels for float8
_FLOAT8_NAMES = ("float8_e4m3fn", "float8_e5m2")

# --- numpy warns on overflow, 0/0, log(-1)...; TF's kernels never do. NumPy attributes a ufunc's warning to
# the Python frame that called it, so one filter on featherflow's own modules silences the kernels at no cost
# per op (an errstate context costs 0.3-2 us per call); the user's own NumPy code keeps its warnings.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"featherflow(\.|$)")


# --- dtype rules: each op declares the dtypes it has a kernel for; the dispatcher checks them (TF's op
# definition says which others are NotFoundError, no kernel, rather than InvalidArgumentError) -------------


def kernel(name: str, allowed: frozenset, differentiable: bool = True, n_outputs: int = 1) -> Callable[[Callable], Op]:
    """Registers a forward with the dtypes it has a kernel for."""
    def wrap(forward: Callable) -> Op:
        return register(name, n_outputs=n_outputs, differentiable=differentiable, dtypes=allowed)(forward)

    return wrap


def no_gradient(g: Any, ans: Any, *inputs: Any, **attrs: Any) -> None:
    """The rule of ops whose TF gradient function gives None for every input (Floor, ArgMax): registered, so
    ``tape.gradient`` gives None where an op without a rule raises TF's LookupError."""
    return None


def run_binary(op: Op, x: Tensor, y: Tensor) -> Tensor:
    """Runs a broadcasting binary op; NumPy's broadcast ValueError becomes TF's InvalidArgumentError."""
    try:
        return op(x, y)
    except ValueError:
        try:
            np.broadcast_shapes(x._value.shape, y._value.shape)
        except ValueError:
            raise convert.incompatible_shapes(op.name, x, y) from None
        raise



def is_float(dtype: Any) -> bool:
    """Whether a NumPy dtype is a real floating type (bfloat16 included: its NumPy kind is 'V')."""
    return dtype.kind == "f" or _dtypes.is_bfloat16(dtype)


def conj(x: Tensor) -> Tensor:
    """Complex conjugate (the identity for real dtypes, with no op run)."""
    return conj_op(x) if x._dtype in COMPLEX else x


def _c(x: Tensor, v: Any) -> Tensor:
    from ..registry import constant_like
    return constant_like(v, x)


def _int_divisor_check(xp: Any, op_name: str, y: Any) -> None:
    # TF's CPU kernels check the divisor; its GPU kernels do not (a check there would copy y to the host)
    if xp is np and y.dtype.kind in "iu" and not y.all():
        raise kernel_error(op_name, "Integer division by zero")


# --- binary arithmetic ------------------------------------------------------------------------------


@kernel("AddV2", NUMERIC | {_dtypes.string})
def add_op(xp: Any, x: Any, y: Any) -> Any:
    return xp.add(x, y)


@add_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    return g, g


@kernel("Sub", NUMERIC)
def sub_op(xp: Any, x: Any, y: Any) -> Any:
    return xp.subtract(x, y)


@sub_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    return g, neg_op(g)


@kernel("Mul", NUMERIC)
def mul_op(xp: Any, x: Any, y: Any) -> Any:
    return xp.multiply(x, y)


@mul_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    return mul_op(g, conj(y)), mul_op(conj(x), g)


@kernel("RealDiv", INEXACT)
def div_op(xp: Any, x: Any, y: Any) -> Any:
    return xp.true_divide(x, y)


@div_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    cx, cy = conj(x), conj(y)
    return div_op(g, cy), mul_op(g, div_op(div_op(neg_op(cx), cy), cy))


@kernel("FloorDiv", REAL)
def floordiv_op(xp: Any, x: Any, y: Any) -> Any:
    if x.dtype.kind in "iu":
        _int_divisor_check(xp, "FloorDiv", y)
        return xp.floor_divide(x, y)
    out = xp.true_divide(x, y)  # TF: floor(x / y); NumPy's floor_divide rounds 1 // 0.1 to 9
    return xp.floor(out, out=out) if isinstance(out, xp.ndarray) else xp.floor(out)


@floordiv_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    return None, None


@kernel("FloorMod", REAL)
def floormod_op(xp: Any, x: Any, y: Any) -> Any:
    if x.dtype.kind in "iu":
        _int_divisor_check(xp, "FloorMod", y)
        return xp.remainder(x, y)
    r = xp.fmod(x, y)  # TF: fmod, moved by y when the signs differ (keeps fmod's -0.0, unlike np.remainder)
    return xp.where((r != 0) & ((y < 0) != (r < 0)), r + y, r)


@floormod_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    return g, mul_op(g, neg_op(floordiv_op(conj(x), conj(y))))


@kernel("TruncateDiv", REAL)
def truncatediv_op(xp: Any, x: Any, y: Any) -> Any:
    if x.dtype.kind in "iu":
        if xp is np and not y.all():  # a CPU kernel's check, as in _int_divisor_check
            raise kernel_error("TruncateDiv", "Unexpected error in binary operator (only integer div and mod should "
                                              "have errors)", cls=InternalError)
        q = xp.floor_divide(x, y)
        if x.dtype.kind == "u":
            return q
        return q + ((q * y != x) & ((x < 0) != (y < 0))).astype(q.dtype)
    return xp.trunc(xp.true_divide(x, y))


@truncatediv_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    return None, None


@kernel("TruncateMod", frozenset({_dtypes.int32, _dtypes.int64}) | F32_64)
def truncatemod_op(xp: Any, x: Any, y: Any) -> Any:
    if xp is np and x.dtype.kind in "iu" and not y.all():  # a CPU kernel's check, as in _int_divisor_check
        raise kernel_error("TruncateMod", "Unexpected error in binary operator (only integer div and mod should "
                                          "have errors)", cls=InternalError)
    return xp.fmod(x, y)


@kernel("Pow", FLOATS | SIGNED_INTS | COMPLEX)
def pow_op(xp: Any, x: Any, y: Any) -> Any:
    if x.dtype.kind == "i":
        if xp is np:
            if (y < 0).any():  # a CPU kernel's check, as in _int_divisor_check
                raise kernel_error("Pow", "Integers to negative integer powers are not allowed")
        else:  # a GPU's kernel does not check: 1 / x ** -y, truncated (CuPy's rule; NumPy would raise)
            negative = y < 0
            power = xp.power(x, xp.where(negative, 0, y).astype(y.dtype))
            inverse = xp.where(x == 1, 1, xp.where(x == -1, xp.where((y & 1) == 1, -1, 1), 0))
            return xp.where(negative, inverse, power).astype(power.dtype)
    return xp.power(x, y)


@pow_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    cx, cy = conj(x), conj(y)
    gx = mul_op(mul_op(g, cy), pow_op(cx, sub_op(cy, _c(y, 1))))
    zero = zeros_like_op(x)
    mask = not_equal_op(cx, zero) if x._dtype in COMPLEX else greater_op(cx, zero)
    log_x = select_op(mask, log_op(select_op(mask, cx, ones_like_op(x))), zero)
    return gx, mul_op(mul_op(g, conj(ans)), log_x)


@kernel("Maximum", REAL)
def maximum_op(xp: Any, x: Any, y: Any) -> Any:
    return xp.maximum(x, y)


@kernel("Minimum", REAL)
def minimum_op(xp: Any, x: Any, y: Any) -> Any:
    return xp.minimum(x, y)


def _minmax_grad(g: Tensor, x_wins: Tensor) -> tuple:
    zeros = zeros_like_op(g)
    return select_op(x_wins, g, zeros), select_op(x_wins, zeros, g)


@maximum_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    return _minmax_grad(g, greater_equal_op(x, y))


@minimum_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    return _minmax_grad(g, less_equal_op(x, y))


@kernel("SquaredDifference", FLOATS | COMPLEX | {_dtypes.int32, _dtypes.int64})
def squared_difference_op(xp: Any, x: Any, y: Any) -> Any:
    d = xp.subtract(x, y)
    if d.dtype.kind == "c":
        return xp.multiply(d, xp.conj(d))
    return xp.multiply(d, d, out=d) if isinstance(d, xp.ndarray) else d * d


@squared_difference_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    d = mul_op(mul_op(_c(g, 2), g), sub_op(x, y))
    return d, neg_op(d)


@kernel("Atan2", FLOATS)
def atan2_op(xp: Any, y: Any, x: Any) -> Any:
    return xp.arctan2(y, x)


@atan2_op.gradient
def _(g: Tensor, ans: Tensor, y: Tensor, x: Tensor) -> tuple:
    inv = div_op(g, add_op(square_op(y), square_op(x)))
    return mul_op(x, inv), mul_op(neg_op(y), inv)


@kernel("DivNoNan", INEXACT)
def div_no_nan_op(xp: Any, x: Any, y: Any) -> Any:
    return xp.where(y == 0, 0, xp.true_divide(x, y))


@div_no_nan_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    cx, cy = conj(x), conj(y)
    return div_no_nan_op(g, cy), mul_op(g, div_no_nan_op(div_no_nan_op(neg_op(cx), cy), cy))


@kernel("MulNoNan", INEXACT)
def mul_no_nan_op(xp: Any, x: Any, y: Any) -> Any:
    return xp.where(y == 0, 0, xp.multiply(x, y))


@mul_no_nan_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    return mul_no_nan_op(g, y), mul_no_nan_op(x, g)


@kernel("Xlogy", INEXACT)
def xlogy_op(xp: Any, x: Any, y: Any) -> Any:
    return xp.where(x == 0, 0, xp.multiply(x, xp.log(y)))


@kernel("Xlog1py", INEXACT)
def xlog1py_op(xp: Any, x: Any, y: Any) -> Any:
    return xp.where(x == 0, 0, xp.multiply(x, xp.log1p(y)))


@kernel("Xdivy", INEXACT)
def xdivy_op(xp: Any, x: Any, y: Any) -> Any:
    return xp.where(x == 0, 0, xp.true_divide(x, y))


def _x_nonzero(x: Tensor) -> Tensor:
    return cast_like(not_equal_op(x, zeros_like_op(x)), x)


@xlogy_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    return mul_op(xlogy_op(_x_nonzero(x), y), g), mul_op(xdivy_op(x, y), g)


@xlog1py_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    return mul_op(xlog1py_op(_x_nonzero(x), y), g), mul_op(xdivy_op(x, add_op(y, _c(y, 1))), g)


@xdivy_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor) -> tuple:
    return mul_op(xdivy_op(_x_nonzero(x), y), g), mul_op(xdivy_op(neg_op(x), square_op(y)), g)


@register("AddN", dtypes=NUMERIC)
def add_n_op(xp: Any, *xs: Any) -> Any:
    total = xs[0] + xs[1]
    for x in xs[2:]:
        total = xp.add(total, x, out=total) if isinstance(total, xp.ndarray) else total + x
    return total


@add_n_op.gradient
def _(g: Tensor, ans: Tensor, *xs: Tensor) -> tuple:
    return (g,) * len(xs)



# --- comparisons, logic and bits (no gradient) -------------------------------------------------------


def _elementwise(name: str, ufunc: str, allowed: frozenset) -> Op:
    fn = getattr(np, ufunc)

    def forward(xp: Any, x: Any, y: Any) -> Any:
        return (fn if xp is np else getattr(xp, ufunc))(x, y)

    forward.__name__ = ufunc
    return kernel(name, allowed, differentiable=False)(forward)


equal_op = _elementwise("Equal", "equal", ALL)
not_equal_op = _elementwise("NotEqual", "not_equal", ALL)
less_op = _elementwise("Less", "less", REAL)
less_equal_op = _elementwise("LessEqual", "less_equal", REAL)
greater_op = _elementwise("Greater", "greater", REAL)
greater_equal_op = _elementwise("GreaterEqual", "greater_equal", REAL)
logical_and_op = _elementwise("LogicalAnd", "logical_and", BOOL)
logical_or_op = _elementwise("LogicalOr", "logical_or", BOOL)
bitwise_and_op = _elementwise("BitwiseAnd", "bitwise_and", INTS)
bitwise_or_op = _elementwise("BitwiseOr", "bitwise_or", INTS)
bitwise_xor_op = _elementwise("BitwiseXor", "bitwise_xor", INTS)


def _shift(name: str, ufunc: str) -> Op:
    def forward(xp: Any, x: Any, y: Any) -> Any:
        # TF clamps the shift amount to [0, bits - 1]; NumPy's result for other amounts is undefined
        return getattr(xp, ufunc)(x, xp.clip(y, 0, x.dtype.itemsize * 8 - 1))

    forward.__name__ = ufunc
    return kernel(name, INTS, differentiable=False)(forward)


left_shift_op = _shift("LeftShift", "left_shift")
right_shift_op = _shift("RightShift", "right_shift")


@kernel("Select", ALL)
def select_op(xp: Any, cond: Any, x: Any, y: Any) -> Any:
    return xp.where(cond, x, y)


@select_op.gradient
def _(g: Tensor, ans: Tensor, cond: Tensor, x: Tensor, y: Tensor) -> tuple:
    zeros = zeros_like_op(g)
    return None, select_op(cond, g, zeros), select_op(cond, zeros, g)


@register("ZerosLike", differentiable=False)
def zeros_like_op(xp: Any, x: Any) -> Any:
    return xp.zeros_like(x)


@register("OnesLike", differentiable=False)
def ones_like_op(xp: Any, x: Any) -> Any:
    return xp.ones_like(x)


@kernel("Cast", ALL | _FLOAT8)
def cast_op(xp: Any, x: Any, dtype: Any) -> Any:
    if x.dtype.itemsize == 1 and x.dtype.name in _FLOAT8_NAMES:  # float8 (ml_dtypes): exactly a float32 first
        x = x.astype(xp.float32)
    if x.dtype.kind == "c" and dtype.kind != "c":
        x = x.real
    if dtype.kind in "iu" and is_float(x.dtype):
        return xp.trunc(x).astype(dtype)
    return x.astype(dtype)


@cast_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, dtype: Any) -> Any:
    if x._dtype in INEXACT and ans._dtype in INEXACT:
        return cast_op(g, dtype=x._dtype._np)
    return None


def cast_like(x: Tensor, like: Tensor) -> Tensor:
    return x if x._dtype is like._dtype else cast_op(x, dtype=like._dtype._np)


# --- unary ops --------------------------------------------------------------------------------------


def _unary(name: str, fn: str | Callable, grad: Callable | bool | None, allowed: frozenset) -> Op:
    """A unary op from a ufunc name (looked up on ``xp``: NumPy or CuPy) or a function ``fn(xp, x)``; ``grad``:
    its gradient rule, None for no gradient registered (LookupError), False for TF's NotDifferentiable."""
    if isinstance(fn, str):
        np_fn = getattr(np, fn)

        def forward(xp: Any, x: Any) -> Any:
            return np_fn(x) if xp is np else getattr(xp, fn)(x)

        forward.__name__ = name
    else:
        forward = fn
    op = kernel(name, allowed, differentiable=grad is not False)(forward)
    if grad is not None and grad is not False:
        op.gradient(grad)
    return op


def _sigmoid(xp: Any, x: Any) -> Any:
    if x.dtype.kind == "c":
        return 1 / (1 + xp.exp(-x))
    e = xp.exp(-xp.abs(x))  # exp of a non-positive number: no overflow
    d = e + 1
    return xp.where(x >= 0, 1, e) / d


def _rsqrt(xp: Any, x: Any) -> Any:
    r = xp.sqrt(x)
    return xp.reciprocal(r, out=r) if isinstance(r, xp.ndarray) else xp.reciprocal(r)


def _softplus(xp: Any, x: Any) -> Any:
    return xp.logaddexp(x.dtype.type(0), x)


def _reciprocal(xp: Any, x: Any) -> Any:
    return xp.reciprocal(x)


neg_op = _unary("Neg", "negative", lambda g, ans, x: neg_op(g), SIGNED_REAL | COMPLEX)
abs_op = _unary("Abs", "absolute", lambda g, ans, x: mul_op(g, sign_op(x)), SIGNED_REAL)
complex_abs_op = _unary("ComplexAbs", "absolute", lambda g, ans, x: div_no_nan_op(
    mul_op(complex_op(g, zeros_like_op(g)), x), complex_op(ans, zeros_like_op(ans))), COMPLEX)
sign_op = _unary("Sign", "sign", lambda g, ans, x: zeros_like_op(x), SIGNED_REAL | COMPLEX)
square_op = _unary("Square", "square", lambda g, ans, x: mul_op(g, mul_op(conj(x), _c(x, 2))), NUMERIC)
sqrt_op = _unary("Sqrt", "sqrt", lambda g, ans, x: div_op(mul_op(g, _c(x, 0.5)), conj(ans)), INEXACT)
rsqrt_op = _unary("Rsqrt", _rsqrt, lambda g, ans, x: mul_op(mul_op(g, _c(x, -0.5)), conj(
    mul_op(ans, square_op(ans)))), INEXACT)
def _exp(xp: Any, x: Any) -> Any:
    if x.dtype == np.float32 and x.size < 8:
        # TF's kernel runs tensors shorter than a vector register through libm's expf, which is correctly
        # rounded; NumPy's SIMD float32 exp is off by one unit in the last place about a third of the time
        return xp.exp(x.astype(np.float64)).astype(np.float32)
    return xp.exp(x)


exp_op = _unary("Exp", _exp, lambda g, ans, x: mul_op(g, conj(ans)), INEXACT)
expm1_op = _unary("Expm1", "expm1", lambda g, ans, x: mul_op(g, exp_op(conj(x))), INEXACT)
log_op = _unary("Log", "log", lambda g, ans, x: mul_op(g, reciprocal_op(conj(x))), INEXACT)
log1p_op = _unary("Log1p", "log1p", lambda g, ans, x: mul_op(g, reciprocal_op(add_op(conj(x), _c(x, 1)))),
                  INEXACT)
sin_op = _unary("Sin", "sin", lambda g, ans, x: mul_op(g, cos_op(conj(x))), INEXACT)
cos_op = _unary("Cos", "cos", lambda g, ans, x: mul_op(neg_op(g), sin_op(conj(x))), INEXACT)
tan_op = _unary("Tan", "tan", lambda g, ans, x: mul_op(square_op(reciprocal_op(cos_op(conj(x)))), g), INEXACT)
asin_op = _unary("Asin", "arcsin", lambda g, ans, x: mul_op(g, reciprocal_op(sqrt_op(sub_op(
    _c(x, 1), square_op(conj(x)))))), INEXACT)
acos_op = _unary("Acos", "arccos", lambda g, ans, x: mul_op(neg_op(g), reciprocal_op(sqrt_op(sub_op(
    _c(x, 1), square_op(conj(x)))))), INEXACT)
atan_op = _unary("Atan", "arctan", lambda g, ans, x: mul_op(g, reciprocal_op(add_op(_c(x, 1), square_op(conj(x))))),
                 INEXACT)
sinh_op = _unary("Sinh", "sinh", lambda g, ans, x: mul_op(g, cosh_op(conj(x))), INEXACT)
cosh_op = _unary("Cosh", "cosh", lambda g, ans, x: mul_op(g, sinh_op(conj(x))), INEXACT)
tanh_op = _unary("Tanh", "tanh", lambda g, ans, x: mul_op(g, sub_op(_c(x, 1), square_op(conj(ans)))), INEXACT)
asinh_op = _unary("Asinh", "arcsinh", lambda g, ans, x: div_op(g, cosh_op(conj(ans))), INEXACT)
acosh_op = _unary("Acosh", "arccosh", lambda g, ans, x: div_op(g, sinh_op(conj(ans))), INEXACT)
atanh_op = _unary("Atanh", "arctanh", lambda g, ans, x: mul_op(g, reciprocal_op(sub_op(_c(x, 1), square_op(
    conj(x))))), INEXACT)
sigmoid_op = _unary("Sigmoid", _sigmoid, lambda g, ans, x: mul_op(g, mul_op(conj(ans), sub_op(_c(x, 1), conj(ans)))),
                    INEXACT)
softplus_op = _unary("Softplus", _softplus, lambda g, ans, x: mul_op(g, sigmoid_op(x)), FLOATS)
reciprocal_op = _unary("Reciprocal", _reciprocal, lambda g, ans, x: mul_op(neg_op(g), square_op(conj(ans))), INEXACT)
floor_op = _unary("Floor", "floor", no_gradient, FLOATS)
ceil_op = _unary("Ceil", "ceil", no_gradient, FLOATS)
round_op = _unary("Round", lambda xp, x: x if x.dtype.kind in "iu" else xp.rint(x), no_gradient,
                  FLOATS | {_dtypes.int32, _dtypes.int64})
rint_op = _unary("Rint", "rint", no_gradient, F32_64)
conj_op = _unary("Conj", "conjugate", lambda g, ans, x: conj_op(g), COMPLEX)
logical_not_op = _unary("LogicalNot", "logical_not", False, BOOL)
invert_op = _unary("Invert", "invert", False, INTS)
is_nan_op = _unary("IsNan", "isnan", None, FLOATS)
is_inf_op = _unary("IsInf", "isinf", None, FLOATS)
is_finite_op = _unary("IsFinite", "isfinite", None, FLOATS)


@kernel("Real", COMPLEX)
def real_op(xp: Any, x: Any) -> Any:
    return xp.real(x).copy()


@real_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    return complex_op(g, zeros_like_op(g))


@kernel("Imag", COMPLEX)
def imag_op(xp: Any, x: Any) -> Any:
    return xp.imag(x).copy()


@imag_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    return complex_op(zeros_like_op(g), g)


@kernel("Angle", COMPLEX)
def angle_op(xp: Any, x: Any) -> Any:
    return xp.angle(x)


@angle_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    z = reciprocal_op(complex_op(imag_op(x), real_op(x)))
    return mul_op(neg_op(complex_op(g, zeros_like_op(g))), z)


@kernel("Complex", F32_64)
def complex_op(xp: Any, real: Any, imag: Any) -> Any:
    out = xp.empty(np.broadcast_shapes(real.shape, imag.shape),
                   np.complex64 if real.dtype == np.float32 else np.complex128)
    out.real[...] = real  # views written in place (CuPy, like NumPy, views the parts of a complex array)
    out.imag[...] = imag
    return out


@complex_op.gradient
def _(g: Tensor, ans: Tensor, real: Tensor, imag: Tensor) -> tuple:
    return real_op(g), imag_op(g)


def unary(op: Op, x: Any) -> Tensor:
    """Runs a unary op on any input (the dispatcher checks its dtype)."""
    return op(x if type(x) is Tensor else tensor(x))


def device_name() -> str:
    return _scope.device.name
