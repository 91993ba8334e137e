"""The op spec table: every ``tf.math`` elementwise function, with its NumPy reference, the dtypes TF accepts
and the input domain. One set of drivers checks each row against NumPy, against real TensorFlow (values,
dtypes, shapes, error types, over hypothesis-drawn dtypes and broadcast shapes), and checks every gradient
numerically (float64 central differences) and against TensorFlow's GradientTape (float64 and complex128).
``test_reduce.py`` and ``test_math_more.py`` reuse the helpers here."""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, field
from typing import Any, Callable

import ml_dtypes
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

import featherflow as ff

# every test runs on the CPU and on a simulated GPU (tests/conftest.py), except checks only TF's CPU kernels make
pytestmark = pytest.mark.usefixtures("device")
cpu_only = pytest.mark.parametrize("device", ["CPU"], indirect=True)

FLOATS = ("bfloat16", "float16", "float32", "float64")
UINTS = ("uint8", "uint16", "uint32", "uint64")
SINTS = ("int8", "int16", "int32", "int64")
COMPLEX = ("complex64", "complex128")
INTS = UINTS + SINTS
REAL = FLOATS + INTS
NUMERIC = REAL + COMPLEX
INEXACT = FLOATS + COMPLEX
ALL = NUMERIC + ("bool",)
F32_64 = ("float32", "float64")

# relative (and absolute, near 0) tolerance per dtype when comparing with TF's or NumPy's float results
TOL = {"bfloat16": 2e-2, "float16": 4e-3, "float32": 3e-5, "float64": 1e-11, "complex64": 3e-5, "complex128": 1e-11}


def np_dtype(name: str) -> np.dtype:
    return np.dtype(ml_dtypes.bfloat16) if name == "bfloat16" else np.dtype(name)


@dataclass(frozen=True)
class D:
    """An input domain: uniform in [lo, hi] (real and imaginary parts), optionally kept ``away`` from 0."""

    lo: float = -3.0
    hi: float = 3.0
    away: float = 0.0  # |x| >= away (floats); ints: != 0 when away > 0
    integral: bool = False  # floats rounded to integers


def sample(rng: np.random.Generator, dtype: str, shape: tuple, dom: D) -> np.ndarray:
    if dtype == "bool":
        return rng.random(shape) < 0.5
    dt = np_dtype(dtype)
    if dtype in INTS:
        info = np.iinfo(dt)
        lo, hi = max(int(math.floor(dom.lo)), info.min), min(int(math.ceil(dom.hi)), info.max)
        x = rng.integers(lo, hi, shape, dtype=dt, endpoint=True)
        if dom.away:
            x = np.where(x == 0, dt.type(1), x).astype(dt)
        return x
    def part() -> np.ndarray:
        v = rng.uniform(dom.lo, dom.hi, shape)
        if dom.away:
            v = np.where(np.abs(v) < dom.away, np.copysign(dom.away, v) + v, v)
        return v
    if dtype in COMPLEX:
        return (part() + 1j * part()).astype(dt)
    return (np.round(part()) if dom.integral else part()).astype(dt)


@dataclass(frozen=True)
class Spec:
    """One public function: ``name`` resolves the same way in featherflow and TensorFlow ("math.add")."""

    name: str
    ref: Callable | None  # NumPy reference: float inputs come as float64/complex128, integers as they are
    dtypes: tuple  # the dtypes TF accepts
    domains: tuple = (D(),)  # one per input; its length is the arity
    grad: bool = False  # differentiable: numerical and TF gradient checks
    out: Callable[[str], str] | None = None  # result dtype from the input dtype (default: the same)
    tol: float = 1.0  # multiplies TOL
    kwargs: dict = field(default_factory=dict)
    no_grad_inputs: tuple = ()  # inputs TF gives no gradient (None)

    @property
    def arity(self) -> int:
        return len(self.domains)

    def fn(self, module: Any) -> Callable:
        obj = module
        for part in self.name.split("."):
            obj = getattr(obj, part)
        return obj

    def __repr__(self) -> str:
        return self.name


def _truediv_out(d: str) -> str:
    return {"int8": "float32", "uint8": "float32", "int16": "float32", "uint16": "float32"}.get(
        d, "float64" if d in INTS else d)


def _real_out(d: str) -> str:
    return {"complex64": "float32", "complex128": "float64"}.get(d, d)


def _bool_out(d: str) -> str:
    return "bool"


def _floordiv(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.floor_divide(x, y) if x.dtype.kind in "iu" else np.floor(x / y)


def _floormod(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if x.dtype.kind in "iu":
        return np.remainder(x, y)
    r = np.fmod(x, y)
    return np.where((r != 0) & ((y < 0) != (r < 0)), r + y, r)


def _truncdiv(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if x.dtype.kind in "iu":  # Python integers, rounded towards zero, wrapped to the dtype's width
        bits = x.dtype.itemsize * 8
        a, b = np.broadcast_arrays(x, y)
        q = [(abs(int(u)) // abs(int(v))) * (1 if (u < 0) == (v < 0) else -1) for u, v in zip(a.ravel(), b.ravel())]
        return np.array([v % 2**bits for v in q], np.uint64).astype(x.dtype).reshape(a.shape)
    return np.trunc(x / y)


def _vectorize(f: Callable) -> Callable:
    return lambda x: np.vectorize(f, otypes=[np.float64])(x)


def _digamma(x: float) -> float:
    # psi(x) = d/dx lgamma, by a high-order central difference of math.lgamma (accurate to ~1e-11)
    h = 1e-4
    return (-math.lgamma(x + 2 * h) + 8 * math.lgamma(x + h) - 8 * math.lgamma(x - h) + math.lgamma(x - 2 * h)) / (
        12 * h)


def _hurwitz(s: float, q: float) -> float:
    n = 30
    total = sum((q + k) ** -s for k in range(n))
    a = q + n
    tail = a ** (1 - s) / (s - 1) + 0.5 * a ** -s + s * a ** (-s - 1) / 12 - s * (s + 1) * (s + 2) * a ** (-s - 3) / 720
    return total + tail


def _polygamma(n: float, x: float) -> float:
    return _digamma(x) if n == 0 else (-1) ** (n + 1) * math.factorial(int(n)) * _hurwitz(n + 1, x)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _angle(x: np.ndarray) -> np.ndarray:
    return np.angle(x) if x.dtype.kind == "c" else np.where(x < 0, np.pi, 0.0)


def _shift(op: Callable) -> Callable:
    return lambda x, y: op(x, np.clip(y, 0, x.dtype.itemsize * 8 - 1).astype(x.dtype))


POS = D(0.2, 4.0)
UNIT = D(-0.9, 0.9)
NONZERO = D(-3.0, 3.0, away=0.3)
BITS = D(-1000, 1000)

SPECS: list[Spec] = [
    Spec("math.negative", np.negative, FLOATS + SINTS + COMPLEX, grad=True),
    Spec("math.abs", np.abs, FLOATS + SINTS + COMPLEX, (NONZERO,), grad=True, out=_real_out),
    Spec("math.sign", np.sign, FLOATS + SINTS + COMPLEX, (NONZERO,), grad=True),
    Spec("math.square", np.square, NUMERIC, grad=True),
    Spec("math.sqrt", np.sqrt, INEXACT, (POS,), grad=True),
    Spec("math.rsqrt", lambda x: 1 / np.sqrt(x), INEXACT, (POS,), grad=True),
    Spec("math.exp", np.exp, INEXACT, grad=True),
    Spec("math.expm1", np.expm1, INEXACT, grad=True),
    Spec("math.log", np.log, INEXACT, (POS,), grad=True),
    Spec("math.log1p", np.log1p, INEXACT, (D(-0.8, 3.0),), grad=True),
    Spec("math.sin", np.sin, INEXACT, grad=True),
    Spec("math.cos", np.cos, INEXACT, grad=True),
    Spec("math.tan", np.tan, INEXACT, (D(-1.2, 1.2),), grad=True),
    Spec("math.asin", np.arcsin, INEXACT, (UNIT,), grad=True),
    Spec("math.acos", np.arccos, INEXACT, (UNIT,), grad=True),
    Spec("math.atan", np.arctan, INEXACT, grad=True),
    Spec("math.sinh", np.sinh, INEXACT, grad=True),
    Spec("math.cosh", np.cosh, INEXACT, grad=True),
    Spec("math.tanh", np.tanh, INEXACT, grad=True),
    Spec("math.asinh", np.arcsinh, INEXACT, grad=True),
    Spec("math.acosh", np.arccosh, INEXACT, (D(1.2, 4.0),), grad=True),
    Spec("math.atanh", np.arctanh, INEXACT, (UNIT,), grad=True),
    Spec("math.sigmoid", _sigmoid, INEXACT, (D(-6.0, 6.0),), grad=True),
    Spec("math.softplus", lambda x: np.logaddexp(0, x), FLOATS, (D(-6.0, 6.0),), grad=True),
    Spec("math.log_sigmoid", lambda x: -np.logaddexp(0, -x), FLOATS, (D(-6.0, 6.0),), grad=True),
    Spec("math.erf", _vectorize(math.erf), FLOATS, grad=True),
    Spec("math.erfc", _vectorize(math.erfc), FLOATS, grad=True),
    Spec("math.lgamma", _vectorize(math.lgamma), ("float16", "float32", "float64"), (D(0.2, 6.0),), grad=True,
         tol=10),
    Spec("math.digamma", _vectorize(_digamma), ("float16", "float32", "float64"), (D(0.3, 6.0),), grad=True,
         tol=100),
    Spec("math.floor", np.floor, FLOATS),
    Spec("math.ceil", np.ceil, FLOATS),
    Spec("math.round", np.round, REAL, (D(-5.0, 5.0),)),
    Spec("math.rint", np.rint, F32_64, (D(-5.0, 5.0),)),
    Spec("math.reciprocal", np.reciprocal, INEXACT, (NONZERO,), grad=True),
    Spec("math.reciprocal_no_nan", lambda x: np.where(x == 0, 0, 1 / np.where(x == 0, 1, x)), INEXACT, (NONZERO,),
         grad=True),
    Spec("math.real", np.real, NUMERIC, grad=True, out=_real_out),
    Spec("math.imag", np.imag, NUMERIC + ("bool",), grad=True, out=_real_out),
    Spec("math.conj", np.conj, NUMERIC, grad=True),
    Spec("math.angle", _angle, FLOATS + COMPLEX, (NONZERO,), grad=True, out=_real_out),
    Spec("math.is_nan", np.isnan, FLOATS, out=_bool_out),
    Spec("math.is_inf", np.isinf, FLOATS, out=_bool_out),
    Spec("math.is_finite", np.isfinite, FLOATS, out=_bool_out),
    Spec("math.logical_not", np.logical_not, ("bool",)),
    Spec("bitwise.invert", np.invert, INTS, (BITS,)),
    Spec("math.add", np.add, NUMERIC, (D(), D()), grad=True),
    Spec("math.subtract", np.subtract, NUMERIC, (D(), D()), grad=True),
    Spec("math.multiply", np.multiply, NUMERIC, (D(), D()), grad=True),
    Spec("math.truediv", np.true_divide, NUMERIC, (D(), NONZERO), grad=True, out=_truediv_out),
    Spec("math.divide", np.true_divide, NUMERIC, (D(), NONZERO), grad=True, out=_truediv_out),
    Spec("realdiv", np.true_divide, INEXACT, (D(), NONZERO), grad=True),
    Spec("math.divide_no_nan", lambda x, y: np.where(y == 0, 0, x / np.where(y == 0, 1, y)), NUMERIC,
         (D(), D(-3.0, 3.0)), grad=True, out=_truediv_out),
    Spec("math.floordiv", _floordiv, REAL, (D(-9.0, 9.0), NONZERO)),
    Spec("math.floormod", _floormod, REAL, (D(-9.0, 9.0), NONZERO), grad=True),
    Spec("truncatediv", _truncdiv, REAL, (D(-9.0, 9.0), NONZERO)),
    Spec("truncatemod", np.fmod, ("int32", "int64") + F32_64, (D(-9.0, 9.0), NONZERO)),
    Spec("math.pow", np.power, FLOATS + SINTS + COMPLEX, (POS, D(0.0, 3.0)), grad=True, tol=4),
    Spec("math.atan2", np.arctan2, FLOATS, (NONZERO, NONZERO), grad=True),
    Spec("math.maximum", np.maximum, REAL, (D(), D()), grad=True),
    Spec("math.minimum", np.minimum, REAL, (D(), D()), grad=True),
    Spec("math.squared_difference", lambda x, y: np.real(x - y) ** 2 + np.imag(x - y) ** 2 if x.dtype.kind == "c"
         else (x - y) ** 2, FLOATS + ("int32", "int64") + COMPLEX, (D(), D()), grad=True),
    Spec("math.multiply_no_nan", lambda x, y: np.where(y == 0, 0, x * y), INEXACT, (D(), D()), grad=True),
    Spec("math.xlogy", lambda x, y: np.where(x == 0, 0, x * np.log(y)), INEXACT, (D(), POS), grad=True),
    Spec("math.xdivy", lambda x, y: np.where(x == 0, 0, x / y), INEXACT, (D(), NONZERO), grad=True),
    Spec("math.xlog1py", lambda x, y: np.where(x == 0, 0, x * np.log1p(y)), INEXACT, (D(), POS), grad=True),
    Spec("math.zeta", np.vectorize(_hurwitz, otypes=[np.float64]), F32_64, (D(1.5, 5.0), D(0.5, 3.0)), grad=True,
         tol=100, no_grad_inputs=(0,)),
    Spec("math.polygamma", np.vectorize(_polygamma, otypes=[np.float64]), F32_64, (D(0.0, 3.0, integral=True),
                                                                                D(0.5, 4.0)),
         grad=True, tol=1000, no_grad_inputs=(0,)),
    Spec("math.equal", np.equal, ALL, (D(-2.0, 2.0), D(-2.0, 2.0)), out=_bool_out),
    Spec("math.not_equal", np.not_equal, ALL, (D(-2.0, 2.0), D(-2.0, 2.0)), out=_bool_out),
    Spec("math.less", np.less, REAL, (D(-2.0, 2.0), D(-2.0, 2.0)), out=_bool_out),
    Spec("math.less_equal", np.less_equal, REAL, (D(-2.0, 2.0), D(-2.0, 2.0)), out=_bool_out),
    Spec("math.greater", np.greater, REAL, (D(-2.0, 2.0), D(-2.0, 2.0)), out=_bool_out),
    Spec("math.greater_equal", np.greater_equal, REAL, (D(-2.0, 2.0), D(-2.0, 2.0)), out=_bool_out),
    Spec("math.logical_and", np.logical_and, ("bool",), (D(), D())),
    Spec("math.logical_or", np.logical_or, ("bool",), (D(), D())),
    Spec("math.logical_xor", np.logical_xor, ("bool",), (D(), D())),
    Spec("bitwise.bitwise_and", np.bitwise_and, INTS, (BITS, BITS)),
    Spec("bitwise.bitwise_or", np.bitwise_or, INTS, (BITS, BITS)),
    Spec("bitwise.bitwise_xor", np.bitwise_xor, INTS, (BITS, BITS)),
    Spec("bitwise.left_shift", _shift(np.left_shift), INTS, (BITS, D(-2, 70))),
    Spec("bitwise.right_shift", _shift(np.right_shift), INTS, (BITS, D(-2, 70))),
]
BY_NAME = {s.name: s for s in SPECS}
GRAD_SPECS = [s for s in SPECS if s.grad]
SAMPLE_DTYPES = ALL  # every dtype each spec is called with


def make_inputs(spec: Spec, dtype: str, shapes: list, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [sample(rng, dtype, shape, dom) for shape, dom in zip(shapes, spec.domains)]


def run(fn: Callable, *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """("ok", numpy result) or ("error", exception type name)."""
    try:
        out = fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - the type is what is compared
        return "error", type(e).__name__
    return "ok", out


def to_np(t: Any) -> np.ndarray:
    return np.asarray(t.numpy())


def assert_close(got: np.ndarray, want: np.ndarray, dtype: str, scale: float = 1.0) -> None:
    """Same dtype and shape; integers and bools exactly, floats within TOL[dtype] * scale (NaNs equal)."""
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    if got.dtype.kind in "biuSO":
        np.testing.assert_array_equal(got, want)
        return
    tol = TOL.get(dtype, TOL.get(got.dtype.name, 1e-6)) * scale
    wide = np.complex128 if got.dtype.kind == "c" else np.float64
    np.testing.assert_allclose(got.astype(wide), want.astype(wide), rtol=tol, atol=tol, equal_nan=True)


def _ref_value(spec: Spec, arrays: list[np.ndarray], out_dtype: str) -> np.ndarray:
    wide = [a.astype(np.complex128 if a.dtype.kind == "c" else np.float64) if a.dtype.kind in "fcV" else a
            for a in arrays]
    with np.errstate(all="ignore"):
        return np.asarray(spec.ref(*wide)).astype(np_dtype(out_dtype))


# --- the table against NumPy ----------------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=repr)
def test_values_match_numpy(spec: Spec) -> None:
    for dtype in spec.dtypes:
        if spec.ref is None:
            continue
        arrays = make_inputs(spec, dtype, [(2, 3)] * spec.arity, seed=len(dtype))
        got = to_np(spec.fn(ff)(*[ff.constant(a) for a in arrays], **spec.kwargs))
        out_dtype = (spec.out or (lambda d: d))(dtype)
        want = _ref_value(spec, arrays, out_dtype)
        assert_close(got, want, out_dtype if out_dtype in TOL else dtype, spec.tol)


@pytest.mark.parametrize("spec", SPECS, ids=repr)
def test_rejects_the_dtypes_tf_rejects(spec: Spec) -> None:
    for dtype in SAMPLE_DTYPES:
        if dtype in spec.dtypes:
            continue
        arrays = [ff.constant(a) for a in make_inputs(spec, dtype, [(2,)] * spec.arity)]
        with pytest.raises((ff.errors.InvalidArgumentError, ff.errors.NotFoundError, TypeError)):
            spec.fn(ff)(*arrays, **spec.kwargs)


def test_namespaces_and_signatures_match_tf(tf_oracle: Any) -> None:
    for spec in SPECS:
        ours, theirs = inspect.signature(spec.fn(ff)), inspect.signature(spec.fn(tf_oracle))
        assert [(p.name, p.default) for p in ours.parameters.values()] == [
            (p.name, p.default) for p in theirs.parameters.values()], spec.name
    for name in ("add", "subtract", "multiply", "divide", "truediv", "realdiv", "truncatediv",
                 "truncatemod", "pow", "abs", "sign", "square", "sqrt", "exp", "sin", "cos", "tanh", "sigmoid",
                 "maximum", "minimum", "equal", "less", "logical_and", "round", "atan2", "add_n", "scalar_mul",
                 "complex", "clip_by_value", "clip_by_norm", "clip_by_global_norm", "cumsum", "reduce_sum",
                 "reduce_logsumexp", "argmax", "where"):
        assert hasattr(ff, name) and hasattr(tf_oracle, name), name


# --- the table against TensorFlow -----------------------------------------------------------------------


def compare_with_tf(tf: Any, fn_ff: Callable, fn_tf: Callable, args: list, dtype: str, scale: float = 1.0,
                    **kwargs: Any) -> None:
    """Runs both on the same NumPy inputs: same error type, or same dtype, shape and values."""
    ours = run(fn_ff, *[ff.constant(a) for a in args], **kwargs)
    theirs = run(fn_tf, *[tf.constant(a) for a in args], **kwargs)
    where = f"{getattr(fn_ff, '__name__', fn_ff)}({', '.join(repr(a) for a in args)}, {kwargs})"
    assert ours[0] == theirs[0], (where, ours, theirs)
    if ours[0] == "error":
        assert ours[1] == theirs[1], (where, ours, theirs)
        return
    flat_ours = ours[1] if isinstance(ours[1], (tuple, list)) else [ours[1]]
    flat_theirs = theirs[1] if isinstance(theirs[1], (tuple, list)) else [theirs[1]]
    for a, b in zip(flat_ours, flat_theirs):
        assert a.dtype.name == b.dtype.name, where
        try:
            assert_close(to_np(a), to_np(b), dtype if dtype in TOL else b.dtype.name, scale)
        except AssertionError as e:
            raise AssertionError(f"{where}: {e}") from None


@pytest.mark.parametrize("spec", SPECS, ids=repr)
def test_dtype_table_matches_tf(tf_oracle: Any, spec: Spec) -> None:
    """Every dtype: TF accepts exactly the table's dtypes, and both give the same result or error type."""
    for dtype in SAMPLE_DTYPES:
        args = make_inputs(spec, dtype, [(3,)] * spec.arity, seed=1)
        tf_ok = run(spec.fn(tf_oracle), *[tf_oracle.constant(a) for a in args], **spec.kwargs)[0] == "ok"
        assert tf_ok == (dtype in spec.dtypes), (spec.name, dtype)
        compare_with_tf(tf_oracle, spec.fn(ff), spec.fn(tf_oracle), args, dtype, spec.tol, **spec.kwargs)


@st.composite
def _cases(draw: Any) -> tuple:
    spec = draw(st.sampled_from(SPECS))
    dtype = draw(st.sampled_from(spec.dtypes))
    if spec.arity == 1:
        shapes = [draw(array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))]
    else:
        shapes = list(draw(mutually_broadcastable_shapes(num_shapes=spec.arity, max_dims=3, min_side=0,
                                                         max_side=4)).input_shapes)
    return spec, dtype, shapes, draw(st.integers(0, 2**16))


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(case=_cases())
def test_matches_tf_over_dtypes_and_broadcast_shapes(tf_oracle: Any, case: tuple) -> None:
    spec, dtype, shapes, seed = case
    args = make_inputs(spec, dtype, shapes, seed)
    compare_with_tf(tf_oracle, spec.fn(ff), spec.fn(tf_oracle), args, dtype, spec.tol, **spec.kwargs)


@pytest.mark.parametrize("spec", [s for s in SPECS if s.arity == 2], ids=repr)
def test_incompatible_shapes_raise_as_tf(tf_oracle: Any, spec: Spec) -> None:
    dtype = spec.dtypes[-1] if "float32" not in spec.dtypes else "float32"
    args = make_inputs(spec, dtype, [(2,), (3,)])
    ours = run(spec.fn(ff), *[ff.constant(a) for a in args])
    theirs = run(spec.fn(tf_oracle), *[tf_oracle.constant(a) for a in args])
    assert ours == theirs == ("error", "InvalidArgumentError")


@pytest.mark.parametrize("shape", [(), (0,), (2, 0), (0, 3)], ids=str)
def test_empty_and_scalar_inputs_match_tf(tf_oracle: Any, shape: tuple) -> None:
    for spec in SPECS:
        dtype = "float32" if "float32" in spec.dtypes else spec.dtypes[0]
        args = make_inputs(spec, dtype, [shape] * spec.arity, seed=3)
        compare_with_tf(tf_oracle, spec.fn(ff), spec.fn(tf_oracle), args, dtype, spec.tol, **spec.kwargs)


SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 1e30, -1e30])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_nan_inf_and_zero_match_tf(tf_oracle: Any, dtype: str) -> None:
    """NaN, infinities, signed zeros and huge values through every real op (all pairs for binary ops).
    (Complex infinities are left out: TF's results there depend on which Eigen code path ran.)"""
    values = SPECIAL.astype(dtype)
    x, y = np.meshgrid(values, values)
    for spec in SPECS:
        if dtype in spec.dtypes:
            args = [values] if spec.arity == 1 else [x.ravel(), y.ravel()]
            compare_with_tf(tf_oracle, spec.fn(ff), spec.fn(tf_oracle), args, dtype, spec.tol)


# --- edge cases of integer arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize("dtype", INTS)
def test_integer_overflow_wraps_around_as_tf(tf_oracle: Any, dtype: str) -> None:
    info = np.iinfo(dtype)
    x = np.array([info.min, info.max, info.max, info.min + 1, 0], dtype)
    y = np.array([1, 1, 2, info.max, 3], dtype) if dtype in SINTS else np.array([1, 1, 2, 3, 3], dtype)
    for name in ("math.add", "math.subtract", "math.multiply", "math.negative", "math.abs", "math.square",
                 "math.pow", "math.floordiv", "math.floormod"):
        spec = BY_NAME[name]
        args = [x] if spec.arity == 1 else [x, y]
        compare_with_tf(tf_oracle, spec.fn(ff), spec.fn(tf_oracle), args, dtype)


def test_integer_overflow_wraps_around_numpy_only() -> None:
    x = ff.constant([127, -128], ff.int8)
    np.testing.assert_array_equal(ff.add(x, ff.constant([1, -1], ff.int8)).numpy(), [-128, 127])
    np.testing.assert_array_equal(ff.math.negative(x).numpy(), [-127, -128])
    np.testing.assert_array_equal(ff.math.abs(ff.constant([-128], ff.int8)).numpy(), [-128])
    np.testing.assert_array_equal(ff.pow(ff.constant([3], ff.int8), ff.constant([7], ff.int8)).numpy(), [-117])
    np.testing.assert_array_equal(ff.math.floordiv(ff.constant([-128], ff.int8), ff.constant([-1], ff.int8)).numpy(),
                                  [-128])


@pytest.mark.parametrize("name,error", [("math.floordiv", "InvalidArgumentError"),
                                        ("math.floormod", "InvalidArgumentError"),
                                        ("truncatediv", "InternalError"), ("truncatemod", "InternalError")])
@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8"])
@cpu_only  # a GPU's kernels skip the check (test_math_device.py)
def test_integer_division_by_zero_raises_as_tf(tf_oracle: Any, name: str, error: str, dtype: str) -> None:
    spec = BY_NAME[name]
    if dtype not in spec.dtypes:
        return
    x, y = np.array([7, 1], dtype), np.array([2, 0], dtype)
    ours = run(spec.fn(ff), ff.constant(x), ff.constant(y))
    theirs = run(spec.fn(tf_oracle), tf_oracle.constant(x), tf_oracle.constant(y))
    assert ours == theirs == ("error", error)


@cpu_only
def test_integer_division_by_zero_message() -> None:
    with pytest.raises(ff.errors.InvalidArgumentError, match="Integer division by zero"):
        ff.math.floordiv(ff.constant([1, 2]), ff.constant([1, 0]))
    with pytest.raises(ff.errors.InvalidArgumentError, match="Integer division by zero"):
        ff.constant([5]) % 0
    with pytest.raises(ff.errors.InvalidArgumentError, match="Integers to negative integer powers"):
        ff.pow(ff.constant([2]), ff.constant([-1]))
    np.testing.assert_array_equal(ff.math.floordiv(ff.constant([1.0, -1.0]), 0.0).numpy(), [np.inf, -np.inf])


def test_float_floordiv_is_floor_of_the_quotient() -> None:
    # NumPy's floor_divide gives 9.0 here; TF (and featherflow) floor(x / y) = 10
    assert float(ff.math.floordiv(ff.constant(1.0, ff.float64), ff.constant(0.1, ff.float64))) == 10.0
    np.testing.assert_array_equal(ff.math.floormod(ff.constant([5, -5, 5, -5]), ff.constant([3, 3, -3, -3])).numpy(),
                                  [2, 1, -1, -2])
    np.testing.assert_array_equal(ff.truncatediv(ff.constant([5, -5, 5, -5]), ff.constant([3, 3, -3, -3])).numpy(),
                                  [1, -1, -1, 1])


def test_rounding_is_bankers() -> None:
    halves = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5]
    np.testing.assert_array_equal(ff.round(halves).numpy(), [0, 2, 2, -0.0, -2, -2])
    np.testing.assert_array_equal(ff.math.rint(ff.constant(halves, ff.float64)).numpy(), [0, 2, 2, -0.0, -2, -2])
    assert ff.round(ff.constant([3], ff.int64)).dtype == ff.int64


def test_truediv_casts_integers_as_tf() -> None:
    assert ff.math.truediv(ff.constant([1], ff.int16), ff.constant([2], ff.int16)).dtype == ff.float32
    assert ff.math.truediv(ff.constant([1]), ff.constant([2])).dtype == ff.float64
    assert ff.math.truediv(ff.constant([1], ff.uint32), ff.constant([2], ff.uint32)).dtype == ff.float64
    with pytest.raises(TypeError, match="must have the same dtype"):
        ff.math.truediv([1, 2], 2.5)
    with pytest.raises(TypeError, match="Invalid dtype tf.bool in __truediv__"):
        ff.math.truediv([True], [False])


# --- gradients ------------------------------------------------------------------------------------------


def _grad_inputs(spec: Spec, dtype: str, seed: int) -> list[np.ndarray]:
    shapes = [(2, 3), (3,)] if spec.arity == 2 else [(2, 3)]  # the second input broadcasts
    return make_inputs(spec, dtype, shapes, seed)


def ff_gradient(fn: Callable, args: list[np.ndarray], upstream: np.ndarray) -> list:
    xs = [ff.constant(a) for a in args]
    with ff.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        y = fn(*xs)
    return tape.gradient(y, xs, output_gradients=ff.constant(upstream))


def tf_gradient(tf: Any, fn: Callable, args: list[np.ndarray], upstream: np.ndarray) -> list:
    xs = [tf.constant(a) for a in args]
    with tf.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        y = fn(*xs)
    return tape.gradient(y, xs, output_gradients=tf.constant(upstream))


def numerical_gradient(f: Callable, args: list[np.ndarray], upstream: np.ndarray, i: int,
                       h: float = 1e-6) -> np.ndarray:
    """d/d args[i] of sum(f(*args) * upstream), by central differences in float64."""
    g = np.zeros_like(args[i])
    for idx in np.ndindex(args[i].shape):
        plus, minus = [a.copy() for a in args], [a.copy() for a in args]
        plus[i][idx] += h
        minus[i][idx] -= h
        g[idx] = np.sum((f(*plus) - f(*minus)) * upstream) / (2 * h)
    return g


@pytest.mark.parametrize("spec", GRAD_SPECS, ids=repr)
def test_gradient_matches_central_differences(spec: Spec) -> None:
    args = _grad_inputs(spec, "float64", seed=7)
    fn = spec.fn(ff)
    out_shape = np.broadcast_shapes(*[a.shape for a in args])
    upstream = np.random.default_rng(8).uniform(-1, 1, out_shape)
    grads = ff_gradient(fn, args, upstream)
    forward = lambda *a: fn(*[ff.constant(v) for v in a]).numpy().astype(np.float64)  # noqa: E731
    for i, g in enumerate(grads):
        if i in spec.no_grad_inputs:
            assert g is None
            continue
        want = numerical_gradient(forward, args, upstream, i)
        if g is None:  # TF has no gradient for real inputs of imag and angle: they are constant there
            assert spec.name in ("math.imag", "math.angle") and not want.any()
            continue
        np.testing.assert_allclose(g.numpy(), want, rtol=1e-5, atol=1e-6 * spec.tol, err_msg=f"{spec.name} input {i}")


@pytest.mark.parametrize("dtype", ["float64", "complex128"])
@pytest.mark.parametrize("spec", GRAD_SPECS, ids=repr)
def test_gradient_matches_tf(tf_oracle: Any, spec: Spec, dtype: str) -> None:
    """Same inputs and upstream gradient through both tapes: same gradients (TF's conjugate convention for
    complex inputs), and None where TF gives None."""
    if dtype not in spec.dtypes:
        return
    args = _grad_inputs(spec, dtype, seed=11)
    out_shape = np.broadcast_shapes(*[a.shape for a in args])
    out_dtype = (spec.out or (lambda d: d))(dtype)
    upstream = sample(np.random.default_rng(12), out_dtype, out_shape, D(-1.0, 1.0))
    ours = ff_gradient(spec.fn(ff), args, upstream)
    theirs = tf_gradient(tf_oracle, spec.fn(tf_oracle), args, upstream)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert (a is None) == (b is None), (spec.name, i, a, b)
        if a is not None:
            assert_close(to_np(a), to_np(b), dtype, 10 * spec.tol)


def test_second_order_gradients_match_tf(tf_oracle: Any) -> None:
    """Gradient rules are written with ops, so they differentiate again."""
    x = np.linspace(0.3, 2.0, 5)
    for name in ("math.tanh", "math.sigmoid", "math.log", "math.sqrt", "math.lgamma", "math.erf", "math.atan",
                 "math.rsqrt", "math.reciprocal", "math.softplus"):
        results = []
        for lib in (ff, tf_oracle):
            fn = BY_NAME[name].fn(lib)
            t = lib.constant(x)
            with lib.GradientTape() as outer:
                outer.watch(t)
                with lib.GradientTape() as inner:
                    inner.watch(t)
                    y = fn(t)
                g = inner.gradient(y, t)
            results.append(outer.gradient(g, t).numpy())
        np.testing.assert_allclose(results[0], results[1], rtol=1e-9, err_msg=name)


def test_non_differentiable_ops_give_none(tf_oracle: Any) -> None:
    x = np.array([0.3, 1.7, -2.2])
    for name in ("math.floor", "math.ceil", "math.round", "math.rint", "math.floordiv", "truncatediv"):
        spec = BY_NAME[name]
        args = [x] * spec.arity
        ours = ff_gradient(spec.fn(ff), args, np.ones(3))
        theirs = tf_gradient(tf_oracle, spec.fn(tf_oracle), args, np.ones(3))
        assert [g is None for g in ours] == [g is None for g in theirs] == [True] * spec.arity, name
