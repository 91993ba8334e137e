"""The public ``tf.math`` functions: thin wrappers that convert inputs as TF does, check dtypes, run one op.

TF converts the inputs of most ops like its generated wrappers do (a Tensor input fixes the dtype and the
other values must convert to it exactly, else TypeError); ``add`` and the division functions have their own
rules. Both are kept here so each public function states which it follows.

>>> import featherflow as tf
>>> tf.math.multiply([1.0, 2.0], 3).numpy()
array([3., 6.], dtype=float32)
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ... import dtypes as _dtypes
from ...errors import InvalidArgumentError
from ...tensor import Tensor, convert_to_tensor
from .. import dispatch as _dispatch
from .._contract import check_inputs
from ..array import selection as _selection
from ..convert import COMPLEX, INTS, binary, incompatible_shapes, tensor
from ..registry import Op, call_binary
from . import elementwise as m
from . import special as sp

_bool = _dtypes.bool
_NUMERIC_KINDS = "fiuc"


def _snake(op_name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in op_name).lstrip("_")


def matching(x: Any, y: Any, op_name: str) -> tuple[Tensor, Tensor]:
    """Two inputs converted as TF's generated op wrappers do: a Tensor input fixes the dtype and the other
    value must convert to it (TypeError otherwise); without one, the first value's dtype is used."""
    if type(x) is Tensor:
        if type(y) is not Tensor:
            y = convert_to_tensor(y, dtype=x._dtype)
    elif type(y) is Tensor:
        x = convert_to_tensor(x, dtype=y._dtype)
    else:
        x = tensor(x)
        y = convert_to_tensor(y, dtype=x._dtype)
    return x, y  # (two Tensors of different dtypes: the op's contract raises TF's mismatch)


def _fixed_bool(x: Any) -> Tensor:
    """An input of an op whose type is fixed to bool (the logical ops): values convert to bool; tensors of
    another dtype the op's contract refuses, with TF's kernel mismatch."""
    if type(x) is Tensor:
        t = x
    elif hasattr(x, "__tf_tensor__"):  # a variable is read with its own dtype, which the kernel then rejects
        t = convert_to_tensor(x)
    else:
        t = convert_to_tensor(x, dtype=_bool)
    return t


def raise_if_unbroadcastable(op_name: str, x: Tensor, y: Tensor) -> None:
    """TF's InvalidArgumentError when NumPy's ValueError came from shapes that do not broadcast."""
    try:
        np.broadcast_shapes(x._value.shape, y._value.shape)
    except ValueError:
        raise incompatible_shapes(op_name, x, y) from None


def _binary_fn(op: Op, doc: str, convert: Callable = matching) -> Callable[..., Tensor]:
    # The hot path of every binary operator: two Tensors of one dtype skip conversion, and the op runs here
    # rather than through run_binary (the dispatcher checks the dtype).
    op_name = op.name

    def fn(x: Any, y: Any, name: str | None = None) -> Tensor:
        if type(x) is Tensor and type(y) is Tensor and x._dtype is y._dtype:
            a, b = x, y
        else:
            try:
                a, b = convert(x, y, op_name)
            except (TypeError, ValueError) as e:  # a RaggedTensor or SparseTensor operand: its override
                return _dispatch.fallback(fn, (x, y), {}, e)
        try:
            return call_binary(op, a, b)
        except ValueError:
            raise_if_unbroadcastable(op_name, a, b)
            raise

    fn.op = op  # for the operators' own fast path (ops/operators.py)
    fn.__doc__ = doc
    fn.__name__ = fn.__qualname__ = _snake(op.name)
    return _dispatch.register_binary_elementwise_api(fn)


add = _binary_fn(m.add_op, "x + y, elementwise with broadcasting (strings concatenate).\n\n"
                 "    >>> add([1, 2], 3).numpy()\n    array([4, 5], dtype=int32)\n", convert=binary)
subtract = _binary_fn(m.sub_op, "x - y, elementwise with broadcasting.")
multiply = _binary_fn(m.mul_op, "x * y, elementwise with broadcasting.")
floordiv = _binary_fn(m.floordiv_op, "floor(x / y) elementwise; integer division by zero is an error.\n\n"
                      "    >>> floordiv([7, -7], 2).numpy()\n    array([ 3, -4], dtype=int32)\n")
floormod = _binary_fn(m.floormod_op, "The remainder of floor division (the sign of y, as Python's %).")
mod = floormod
truncatediv = _binary_fn(m.truncatediv_op, "x / y rounded towards zero.")
truncatemod = _binary_fn(m.truncatemod_op, "The remainder of truncated division (the sign of x, as C's fmod).")
realdiv = _binary_fn(m.div_op, "x / y for floating and complex inputs.")
pow = _binary_fn(m.pow_op, "x ** y elementwise; integers to negative powers are an error.")  # noqa: A001
maximum = _binary_fn(m.maximum_op, "max(x, y) elementwise (NaN if either is NaN).")
minimum = _binary_fn(m.minimum_op, "min(x, y) elementwise (NaN if either is NaN).")
squared_difference = _binary_fn(m.squared_difference_op, "(x - y) * conj(x - y) elementwise.")
multiply_no_nan = _binary_fn(m.mul_no_nan_op, "x * y, with 0 where y is 0 (even if x is NaN or inf).")
xlogy = _binary_fn(m.xlogy_op, "x * log(y), with 0 where x is 0.")
xlog1py = _binary_fn(m.xlog1py_op, "x * log1p(y), with 0 where x is 0.")
xdivy = _binary_fn(m.xdivy_op, "x / y, with 0 where x is 0.")
equal = _binary_fn(m.equal_op, "x == y elementwise, as bools.")
not_equal = _binary_fn(m.not_equal_op, "x != y elementwise, as bools.")
less = _binary_fn(m.less_op, "x < y elementwise, as bools.")
less_equal = _binary_fn(m.less_equal_op, "x <= y elementwise, as bools.")
greater = _binary_fn(m.greater_op, "x > y elementwise, as bools.")
greater_equal = _binary_fn(m.greater_equal_op, "x >= y elementwise, as bools.")
bitwise_and = _binary_fn(m.bitwise_and_op, "x & y elementwise for integers.")
bitwise_or = _binary_fn(m.bitwise_or_op, "x | y elementwise for integers.")
bitwise_xor = _binary_fn(m.bitwise_xor_op, "x ^ y elementwise for integers.")
left_shift = _binary_fn(m.left_shift_op, "x << y elementwise (the shift clamped to [0, bits - 1]).")
right_shift = _binary_fn(m.right_shift_op, "x >> y elementwise, arithmetic for signed integers.")
_atan2 = _binary_fn(m.atan2_op, "")
_zeta = _binary_fn(sp.zeta_op, "")
_polygamma = _binary_fn(sp.polygamma_op, "")


def atan2(y: Any, x: Any, name: str | None = None) -> Tensor:
    """arctan(y / x) elementwise, in the quadrant of the point (x, y)."""
    return _atan2(y, x)


def zeta(x: Any, q: Any, name: str | None = None) -> Tensor:
    """The Hurwitz zeta function: the sum over k >= 0 of (q + k) ** -x."""
    return _zeta(x, q)


def polygamma(a: Any, x: Any, name: str | None = None) -> Tensor:
    """The a-th derivative of digamma at x (a a non-negative integer, as a float)."""
    return _polygamma(a, x)


def _logical(op: Op, doc: str) -> Callable[..., Tensor]:
    def fn(x: Any, y: Any, name: str | None = None) -> Tensor:
        try:
            a, b = _fixed_bool(x), _fixed_bool(y)
        except (TypeError, ValueError) as e:  # a RaggedTensor or SparseTensor operand: its override
            return _dispatch.fallback(fn, (x, y), {}, e)
        return m.run_binary(op, a, b)

    fn.__doc__ = doc
    return _dispatch.register_binary_elementwise_api(fn)


logical_and = _logical(m.logical_and_op, "x AND y elementwise, for bools.")
logical_or = _logical(m.logical_or_op, "x OR y elementwise, for bools.")


@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def logical_not(x: Any, name: str | None = None) -> Tensor:
    """NOT x elementwise, for bools."""
    return m.logical_not_op(_fixed_bool(x))


@_dispatch.register_binary_elementwise_api
@_dispatch.add_dispatch_support
def logical_xor(x: Any, y: Any, name: str = "LogicalXor") -> Tensor:
    """x XOR y elementwise, for bools (TF composes it: (x OR y) AND NOT (x AND y)).

    >>> logical_xor([True, False], [True, True]).numpy()
    array([False,  True])
    """
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)))


# --- division ---------------------------------------------------------------------------------------

_TRUEDIV = {_dtypes.uint8: _dtypes.float32, _dtypes.int8: _dtypes.float32, _dtypes.uint16: _dtypes.float32,
            _dtypes.int16: _dtypes.float32, _dtypes.uint32: _dtypes.float64, _dtypes.int32: _dtypes.float64,
            _dtypes.uint64: _dtypes.float64, _dtypes.int64: _dtypes.float64, _dtypes.bfloat16: None,
            _dtypes.float16: None, _dtypes.float32: None, _dtypes.float64: None, _dtypes.complex64: None,
            _dtypes.complex128: None}
_TRUEDIV_NAMES = ", ".join(repr(d) for d in _TRUEDIV)


def _division(op: Op, where: str, x: Tensor, y: Tensor) -> Tensor:
    if x._dtype is not y._dtype:
        raise TypeError(f"`x` and `y` must have the same dtype, got {x._dtype!r} != {y._dtype!r}.")
    try:
        target = _TRUEDIV[x._dtype]
    except KeyError:
        raise TypeError(f"Invalid dtype {x._dtype!r} in {where}. Expected one of {{{_TRUEDIV_NAMES}}}.") from None
    if target is not None:  # TF divides integers in floating point
        x, y = m.cast_op(x, dtype=target._np), m.cast_op(y, dtype=target._np)
    return m.run_binary(op, x, y)


@_dispatch.register_binary_elementwise_api
@_dispatch.add_dispatch_support
def truediv(x: Any, y: Any, name: str | None = None) -> Tensor:
    """x / y; integers are divided as floats (8 and 16 bits as float32, 32 and 64 bits as float64).

    >>> truediv([7, -7], 2).numpy()
    array([ 3.5, -3.5])
    """
    x = tensor(x)
    y = y if type(y) is Tensor else convert_to_tensor(y, dtype_hint=x._dtype)
    return _division(m.div_op, "__truediv__", x, y)


@_dispatch.register_binary_elementwise_api
@_dispatch.add_dispatch_support
def divide(x: Any, y: Any, name: str | None = None) -> Tensor:
    """x / y, as Python 3's ``/`` on tensors (see ``truediv``)."""
    if type(x) is not Tensor:
        x = convert_to_tensor(x, dtype=y.dtype if type(y) is Tensor else None)
    return truediv(x, y)


@_dispatch.register_binary_elementwise_api
@_dispatch.add_dispatch_support
def divide_no_nan(x: Any, y: Any, name: str | None = None) -> Tensor:
    """x / y, with 0 where y is 0; integers are divided as floats, as in ``truediv``.

    >>> divide_no_nan([1.0, 2.0], [0.0, 4.0]).numpy()
    array([0. , 0.5], dtype=float32)
    """
    if type(x) is not Tensor and type(y) is Tensor:
        x = convert_to_tensor(x, dtype=y._dtype)
    else:
        x = tensor(x)
        y = y if type(y) is Tensor else convert_to_tensor(y, dtype_hint=x._dtype)
    return _division(m.div_no_nan_op, "tf.math.divide_no_nan", x, y)


def scalar_mul(scalar: Any, x: Any, name: str | None = None) -> Tensor:
    """scalar * x, for a 0-d scalar of x's dtype."""
    t = tensor(x)
    s = convert_to_tensor(scalar, dtype=t._dtype)
    if s._value.ndim != 0:
        raise ValueError(f"The input scalar must be a 0-D value. Received shape {s.shape}.")
    return multiply(s, t)


def add_n(inputs: Any, name: str | None = None) -> Tensor:
    """Sums a list of tensors of one dtype and shape (no broadcasting).

    >>> add_n([[1, 2], [3, 4], [5, 6]]).numpy()
    array([ 9, 12], dtype=int32)
    """
    if inputs is None or isinstance(inputs, (str, bytes)) or not hasattr(inputs, "__iter__") or (
            isinstance(inputs, (list, tuple)) and not inputs):
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype and "
                         "shape.")
    xs = [tensor(x) for x in inputs]
    if len(xs) == 1:
        return xs[0]
    m.add_n_op.check(*xs)  # dtypes before shapes, as TF
    shape = xs[0]._value.shape
    for i, x in enumerate(xs[1:], 1):
        if x._value.shape != shape:
            raise InvalidArgumentError(
                None, None, f"{{{{function_node __wrapped__AddN_N_{len(xs)}_device_{m.device_name()}}}}} Inputs to "
                f"operation AddN of type AddN must have the same size and shape.  Input 0: "
                f"[{','.join(map(str, shape))}] != input {i}: [{','.join(map(str, x._value.shape))}] "
                f"[Op:AddN] name: ")
    return m.add_n_op(*xs)


# --- unary ------------------------------------------------------------------------------------------


def _unary_fn(op: Op, doc: str) -> Callable[..., Tensor]:
    def fn(x: Any, name: str | None = None) -> Tensor:
        if type(x) is Tensor:
            return op(x)
        try:
            t = tensor(x)
        except (TypeError, ValueError) as e:  # a RaggedTensor or SparseTensor: its override
            return _dispatch.fallback(fn, (x,), {}, e)
        return op(t)

    fn.__doc__ = doc
    fn.__name__ = fn.__qualname__ = _snake(op.name)
    return _dispatch.register_unary_elementwise_api(fn)


negative = _unary_fn(m.neg_op, "-x elementwise (wrapping around for the most negative integer).")
square = _unary_fn(m.square_op, "x * x elementwise.")
sqrt = _unary_fn(m.sqrt_op, "Square root elementwise (NaN below 0 for real inputs).")
rsqrt = _unary_fn(m.rsqrt_op, "1 / sqrt(x) elementwise.")
exp = _unary_fn(m.exp_op, "e ** x elementwise.\n\n    >>> exp([0.0]).numpy()\n    array([1.], dtype=float32)\n")
expm1 = _unary_fn(m.expm1_op, "exp(x) - 1 elementwise, accurate near 0.")
log = _unary_fn(m.log_op, "Natural logarithm elementwise.")
log1p = _unary_fn(m.log1p_op, "log(1 + x) elementwise, accurate near 0.")
sin = _unary_fn(m.sin_op, "Sine elementwise.")
cos = _unary_fn(m.cos_op, "Cosine elementwise.")
tan = _unary_fn(m.tan_op, "Tangent elementwise.")
asin = _unary_fn(m.asin_op, "Arcsine elementwise.")
acos = _unary_fn(m.acos_op, "Arccosine elementwise.")
atan = _unary_fn(m.atan_op, "Arctangent elementwise.")
sinh = _unary_fn(m.sinh_op, "Hyperbolic sine elementwise.")
cosh = _unary_fn(m.cosh_op, "Hyperbolic cosine elementwise.")
tanh = _unary_fn(m.tanh_op, "Hyperbolic tangent elementwise.")
asinh = _unary_fn(m.asinh_op, "Inverse hyperbolic sine elementwise.")
acosh = _unary_fn(m.acosh_op, "Inverse hyperbolic cosine elementwise.")
atanh = _unary_fn(m.atanh_op, "Inverse hyperbolic tangent elementwise.")
sigmoid = _unary_fn(m.sigmoid_op, "1 / (1 + exp(-x)) elementwise.")
reciprocal = _unary_fn(m.reciprocal_op, "1 / x elementwise.")
floor = _unary_fn(m.floor_op, "Largest integer <= x, elementwise.")
ceil = _unary_fn(m.ceil_op, "Smallest integer >= x, elementwise.")
rint = _unary_fn(m.rint_op, "Nearest integer elementwise, halves to even.")
erf = _unary_fn(sp.erf_op, "The Gauss error function elementwise.")
erfc = _unary_fn(sp.erfc_op, "1 - erf(x) elementwise, accurate for large x.")
lgamma = _unary_fn(sp.lgamma_op, "log |Gamma(x)| elementwise.")
digamma = _unary_fn(sp.digamma_op, "The derivative of lgamma elementwise.")
invert = _unary_fn(m.invert_op, "Bitwise NOT elementwise, for integers.")
is_nan = _unary_fn(m.is_nan_op, "Whether x is NaN, elementwise.")
is_inf = _unary_fn(m.is_inf_op, "Whether x is +-inf, elementwise.")
is_finite = _unary_fn(m.is_finite_op, "Whether x is finite, elementwise.")


@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def softplus(features: Any, name: str | None = None) -> Tensor:
    """log(exp(x) + 1) elementwise, without overflow."""
    return m.softplus_op(tensor(features))


@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def log_sigmoid(x: Any, name: str | None = None) -> Tensor:
    """log(sigmoid(x)) = -softplus(-x), elementwise."""
    return m.neg_op(m.softplus_op(m.neg_op(tensor(x))))


@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def round(x: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF's name
    """Nearest integer elementwise, halves to even (banker's rounding); integers are returned as they are.

    >>> round([0.5, 1.5, 2.5, -0.5]).numpy()
    array([ 0.,  2.,  2., -0.], dtype=float32)
    """
    t = tensor(x)
    if t._dtype in INTS:
        return t
    return m.round_op(t)


@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def abs(x: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF's name
    """|x| elementwise; complex inputs give their (real) magnitude.

    >>> abs([-1, 2]).numpy()
    array([1, 2], dtype=int32)
    """
    t = tensor(x)
    if t._dtype in COMPLEX:
        return m.complex_abs_op(t)
    return m.abs_op(t)


@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def sign(x: Any, name: str | None = None) -> Tensor:
    """-1, 0 or 1 elementwise (NaN for NaN); x / |x| for complex inputs."""
    t = tensor(x)
    if t._dtype in COMPLEX:  # TF composes it, and differentiates through the composition
        return m.div_no_nan_op(t, m.cast_op(m.complex_abs_op(t), dtype=t._dtype._np))
    return m.sign_op(t)


@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def reciprocal_no_nan(x: Any, name: str | None = None) -> Tensor:
    """1 / x, with 0 where x is 0."""
    t = tensor(x)
    if t._dtype in m.INEXACT:
        return m.div_no_nan_op(m._c(t, 1), t)  # a constant made on t's device: no host copy
    return m.div_no_nan_op(convert_to_tensor(1, dtype=t._dtype), t)  # (TF's conversion, and the op's error)


def _is_numeric(t: Tensor) -> bool:
    return t._dtype._np is not None and t._dtype._kind in _NUMERIC_KINDS


@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def conj(x: Any, name: str | None = None) -> Tensor:
    """Complex conjugate; real inputs are returned as they are."""
    t = tensor(x)
    if t._dtype in COMPLEX:
        return m.conj_op(t)
    if _is_numeric(t):
        return t
    raise TypeError(f"Expected numeric or variant tensor, got dtype {t._dtype!r}.")


@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def real(input: Any, name: str | None = None) -> Tensor:  # noqa: A002 - TF's name
    """The real part; real inputs are returned as they are."""
    t = tensor(input)
    if t._dtype in COMPLEX:
        return m.real_op(t)
    if _is_numeric(t):
        return t
    raise TypeError(f"input must be a numeric tensor, but got tensor with dtype {t._dtype!r}")


@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def imag(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The imaginary part (zeros for real inputs)."""
    t = tensor(input)
    if t._dtype in COMPLEX:
        return m.imag_op(t)
    if t._dtype is _dtypes.string:
        return tensor(np.full(np.shape(t._value), b"", dtype=object), _dtypes.string)
    return m.zeros_like_op(t)


@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def angle(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The complex argument; for real inputs pi where x < 0, else 0."""
    t = tensor(input)
    if t._dtype in COMPLEX:
        return m.angle_op(t)
    if not _is_numeric(t):
        raise TypeError(f"Cannot convert 0 to EagerTensor of dtype {t._dtype.name}")
    if t._dtype._kind != "f" and t._dtype is not _dtypes.bfloat16:
        raise TypeError(f"Cannot convert {np.pi} to EagerTensor of dtype {t._dtype.name}")
    zero = m.zeros_like_op(t)
    return m.select_op(m.less_op(t, zero), m.add_op(zero, m._c(t, np.pi)), zero)


def complex(real: Any, imag: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF's name
    """real + 1j * imag, from float32 (complex64) or float64 (complex128) parts."""
    a, b = tensor(real), tensor(imag)
    if a._dtype is not b._dtype or a._dtype not in m.F32_64:
        raise TypeError(f"real and imag have incorrect types: {a._dtype.name} {b._dtype.name}")
    return m.run_binary(m.complex_op, a, b)


# --- where ------------------------------------------------------------------------------------------


@_dispatch.add_dispatch_support
def where(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """With x and y: ``x if condition else y`` elementwise, broadcasting. Alone: the indices of the true
    values, as an int64 [n, rank] tensor.

    >>> where([True, False, True]).numpy().tolist()
    [[0], [2]]
    """
    cond = tensor(condition)
    if x is None and y is None:
        return _selection.where_indices(cond)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    a, b = binary(x, y, "SelectV2")
    if cond._dtype is not _bool:
        raise TypeError(f"Input 'condition' of 'SelectV2' Op has type {cond._dtype.name} that does not match "
                        "expected type of bool.")
    check_inputs("SelectV2", (cond, a, b))  # TF's kernel checks dtypes before shapes
    try:
        np.broadcast_shapes(cond._value.shape, a._value.shape, b._value.shape)
    except ValueError:
        raise incompatible_shapes("SelectV2", a, b) from None
    return m.select_op(cond, a, b)


__all__ = [
    "abs", "acos", "acosh", "add", "add_n", "angle", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "conj",
    "cos", "cosh", "digamma", "divide", "divide_no_nan", "equal", "erf", "erfc", "exp", "expm1", "floor",
    "floordiv", "floormod", "greater", "greater_equal", "imag", "is_finite", "is_inf", "is_nan", "less",
    "less_equal", "lgamma", "log", "log1p", "log_sigmoid", "logical_and", "logical_not", "logical_or",
    "logical_xor", "maximum", "minimum", "mod", "multiply", "multiply_no_nan", "negative", "not_equal",
    "polygamma", "pow", "real", "reciprocal", "reciprocal_no_nan", "rint", "round", "rsqrt", "scalar_mul",
    "sigmoid", "sign", "sin", "sinh", "softplus", "sqrt", "square", "squared_difference", "subtract", "tan",
    "tanh", "truediv", "xdivy", "xlog1py", "xlogy", "zeta",
]
