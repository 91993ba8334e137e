"""Device purity of the math family (``ops/math``: ``elementwise``, ``api``, ``special``, ``reduce``, ``cumulative``, ``clip``,
``ops/debugging/checks`` and the Python operators): every op runs forward and backward on a simulated GPU with no copy
between the host and the card, and leaves its result on the card. Each test also runs on the CPU, where it
checks the same values.

The data-dependent exceptions, which copy to the host by design and are tested as such below:
``check_numerics`` (its NaN/Inf flags) and the ``tf.debugging`` assertions (whether the condition held).
Python numbers given by the caller (``x + 1.0``, ``clip_by_value(x, 0.0, 1.0)``) are converted to tensors on
the host and copied to the card, as TF does; these tests pass tensors.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff

from ...conftest import assert_no_transfers
from .test_math import GRAD_SPECS, SPECS, Spec, make_inputs

pytestmark = pytest.mark.usefixtures("device")


def _on(device: str, *results: Any) -> None:
    for r in results:
        if r is not None:
            assert r.device.endswith(f"device:{device}:0"), r.device


def _check(device: str, fn: Callable, arrays: list, grad: bool = True) -> None:
    """fn(*tensors) and its gradient (with respect to the inexact inputs), without host transfers on the GPU;
    the same values as on the CPU."""
    xs = [ff.constant(a) for a in arrays]
    sources = [x for x in xs if x.dtype.is_floating or x.dtype.is_complex] if grad else []
    with assert_no_transfers():
        with ff.GradientTape(persistent=True) as tape:
            tape.watch(sources)
            y = fn(*xs)
        ys = list(y) if isinstance(y, (list, tuple)) else [y]
        grads = tape.gradient(ys, sources) if sources else []
    _on(device, *ys, *grads)
    with ff.device("CPU:0"):
        want = fn(*[ff.constant(a) for a in arrays])
    for got, expected in zip(ys, want if isinstance(want, (list, tuple)) else [want]):
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)


def _dtypes(spec: Spec) -> list[str]:
    """One dtype of each kind the op takes: float32, a signed integer, complex64, bool."""
    picks = []
    for group in (("float32",), ("int32", "int64", "int8"), ("complex64",), ("bool",)):
        found = [d for d in group if d in spec.dtypes]
        picks += found[:1]
    return picks


@pytest.mark.parametrize("spec", SPECS, ids=repr)
def test_elementwise_ops_stay_on_the_device(device: str, spec: Spec) -> None:
    for dtype in _dtypes(spec):
        arrays = make_inputs(spec, dtype, [(2, 3), (3,)][:spec.arity], seed=5)
        _check(device, spec.fn(ff), arrays, grad=spec.grad and dtype != "int32" and dtype[0] in "fc")


@pytest.mark.parametrize("spec", GRAD_SPECS[:3], ids=repr)
def test_gradients_with_explicit_upstream_stay_on_the_device(device: str, spec: Spec) -> None:
    xs = [ff.constant(a) for a in make_inputs(spec, "float32", [(2, 3)] * spec.arity, seed=2)]
    upstream = ff.constant(np.full((2, 3), 0.5, np.float32))
    with assert_no_transfers():
        with ff.GradientTape() as tape:
            tape.watch(xs)
            y = spec.fn(ff)(*xs)
        grads = tape.gradient(y, xs, output_gradients=upstream)
    _on(device, *grads)


def test_integer_division_checks_are_the_cpu_kernels(device: str) -> None:
    """TF's CPU kernels refuse integer division by zero and negative integer powers; its GPU kernels do not
    check (a check there would copy the divisor to the host)."""
    x, zero, minus = ff.constant([7, 8]), ff.constant([2, 0]), ff.constant([2, -1])
    calls = [lambda: ff.math.floordiv(x, zero), lambda: ff.math.floormod(x, zero), lambda: ff.truncatediv(x, zero),
             lambda: ff.truncatemod(x, zero), lambda: ff.pow(x, minus), lambda: x // zero, lambda: x ** minus]
    for call in calls:
        if device == "CPU":
            with pytest.raises((ff.errors.InvalidArgumentError, ff.errors.InternalError)):
                call()
        else:
            with assert_no_transfers():
                result = call()
            _on(device, result)
    if device == "GPU":
        np.testing.assert_array_equal(ff.math.floordiv(x, zero).numpy()[0], 3)


def test_math_api_compositions_stay_on_the_device(device: str) -> None:
    f = np.array([[0.5, -1.5, 2.0], [0.0, 3.0, -0.25]], np.float32)
    c = (f + 1j * f[::-1]).astype(np.complex64)
    b = f > 0
    cases = [
        (lambda x: ff.math.angle(x), [f]),
        (lambda x: ff.math.reciprocal_no_nan(x), [f]),
        (lambda x: ff.math.reciprocal_no_nan(x), [c]),
        (lambda x: ff.math.sign(x), [c]),
        (lambda x: ff.math.abs(x), [c]),
        (lambda x: ff.math.log_sigmoid(x), [f]),
        (lambda x, y: ff.add_n([x, y, x]), [f, f]),
        (lambda s, x: ff.math.scalar_mul(s, x), [np.float32(2.0), f]),
        (lambda c, x, y: ff.where(c, x, y), [b, f, f[::-1]]),
        (lambda x, y: ff.complex(x, y), [f, f[::-1]]),
        (lambda x, y: ff.math.divide(x, y), [f, f + 4]),
        (lambda x, y: ff.math.truediv(x, y), [np.array([3, 4], np.int32), np.array([2, 8], np.int32)]),
        (lambda x, y: ff.math.logical_xor(x, y), [b, b[::-1]]),
        (lambda x: ff.math.real(x) + ff.math.imag(x), [c]),
    ]
    for fn, arrays in cases:
        _check(device, fn, arrays)


def test_python_operators_stay_on_the_device(device: str) -> None:
    f = np.array([[0.5, -1.5, 2.0], [1.0, 3.0, -0.25]], np.float32)
    i = np.array([[5, -7, 9], [2, 3, -4]], np.int32)
    b = np.array([True, False, True])
    binary = [lambda x, y: x + y, lambda x, y: x - y, lambda x, y: x * y, lambda x, y: x / y,
              lambda x, y: x // y, lambda x, y: x % y, lambda x, y: x < y, lambda x, y: x >= y,
              lambda x, y: x == y, lambda x, y: x != y]
    for op in binary:
        _check(device, op, [f, f[::-1] + 4])
        _check(device, op, [i, i[::-1] + 10], grad=False)
    _check(device, lambda x, y: x ** y, [np.abs(f) + 1, f])
    _check(device, lambda x, y: x ** y, [i, np.abs(i)], grad=False)
    for op in (lambda x, y: x & y, lambda x, y: x | y, lambda x, y: x ^ y, lambda x, y: x * y):
        _check(device, op, [b, b[::-1]], grad=False)
        _check(device, op, [i, i[::-1]], grad=False)
    for op in (lambda x: -x, lambda x: abs(x)):
        _check(device, op, [f])
    _check(device, lambda x: ~x, [b], grad=False)
    _check(device, lambda x: ~x, [i], grad=False)


# --- reductions and scans ---------------------------------------------------------------------------------

REDUCE: list[tuple[str, Callable, bool]] = [
    ("reduce_sum", ff.reduce_sum, True), ("reduce_mean", ff.reduce_mean, True),
    ("reduce_max", ff.reduce_max, True), ("reduce_min", ff.reduce_min, True),
    ("reduce_prod", ff.reduce_prod, True), ("reduce_euclidean_norm", ff.math.reduce_euclidean_norm, True),
    ("reduce_logsumexp", ff.reduce_logsumexp, True), ("reduce_variance", ff.math.reduce_variance, True),
    ("reduce_std", ff.math.reduce_std, True), ("count_nonzero", ff.math.count_nonzero, False),
]


@pytest.mark.parametrize("axis,keepdims", [(None, False), (1, False), ([0, 2], True), (-1, True)], ids=str)
@pytest.mark.parametrize("name,fn,grad", REDUCE, ids=[r[0] for r in REDUCE])
def test_reductions_stay_on_the_device(device: str, name: str, fn: Callable, grad: bool, axis: Any,
                                       keepdims: bool) -> None:
    x = np.random.default_rng(3).uniform(0.5, 2.0, (2, 3, 4)).astype(np.float32)
    _check(device, lambda t: fn(t, axis=axis, keepdims=keepdims), [x], grad=grad)
    if name in ("reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "count_nonzero"):
        ints = np.array([[[-7, 2, 3, 0]] * 3] * 2, np.int32)
        _check(device, lambda t: fn(t, axis=axis, keepdims=keepdims), [ints], grad=False)
    if name == "reduce_mean":
        _check(device, lambda t: fn(t, axis=axis), [x[:, :, :0]], grad=False)  # the mean of nothing
    if name == "reduce_max":
        _check(device, lambda t: fn(t, axis=axis), [x[:, :, :0]], grad=False)


def test_bool_and_arg_reductions_stay_on_the_device(device: str) -> None:
    b = np.array([[True, False, True], [True, True, True]])
    x = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, -1.0]], np.float32)
    for fn in (ff.reduce_any, ff.reduce_all):
        _check(device, lambda t, f=fn: f(t, axis=1), [b], grad=False)
    for fn in (ff.math.argmax, ff.math.argmin):
        _check(device, lambda t, f=fn: f(t, axis=1), [x], grad=False)  # NaNs are skipped, as on the CPU
        _check(device, lambda t, f=fn: f(t, axis=0, output_type=ff.int32), [x], grad=False)


@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("name", ["cumsum", "cumprod", "cumulative_logsumexp"])
def test_scans_stay_on_the_device(device: str, name: str, exclusive: bool, reverse: bool) -> None:
    fn = getattr(ff.math, name)
    x = np.random.default_rng(4).uniform(-2.0, 2.0, (3, 5)).astype(np.float32)
    for axis in (0, 1):
        _check(device, lambda t, a=axis: fn(t, axis=a, exclusive=exclusive, reverse=reverse), [x])
    if name != "cumulative_logsumexp":
        ints = np.arange(-3, 12, dtype=np.int32).reshape(3, 5)
        _check(device, lambda t: fn(t, axis=1, exclusive=exclusive, reverse=reverse), [ints], grad=False)


def test_logsumexp_scan_of_a_long_axis_matches_the_cpu(device: str) -> None:
    """The GPU's log-space scan sums in a different order than the CPU's: equal within rounding."""
    x = np.random.default_rng(6).uniform(-30.0, 30.0, (2, 37)).astype(np.float64)
    x[0, 5] = -np.inf
    _check(device, lambda t: ff.math.cumulative_logsumexp(t, axis=1), [x])


# --- clipping, special functions, checks ------------------------------------------------------------------


def test_clipping_stays_on_the_device(device: str) -> None:
    x = np.array([[3.0, -4.0, 0.5], [1.0, 2.0, -2.0]], np.float32)
    lo, hi, norm = np.float32(-1.0), np.float32(1.5), np.float32(2.0)
    _check(device, lambda t, a, b: ff.clip_by_value(t, a, b), [x, lo, hi])
    _check(device, lambda t, n: ff.clip_by_norm(t, n), [x, norm])
    _check(device, lambda t, n: ff.clip_by_norm(t, n, axes=[1]), [x, norm])
    _check(device, lambda t, u, n: ff.clip_by_global_norm([t, u], n)[0], [x, x[:1], norm])
    _check(device, lambda t: ff.math.l2_normalize(t, axis=1), [x])
    _check(device, lambda t: ff.math.l2_normalize(t), [(x + 1j * x[::-1]).astype(np.complex64)])


def test_zeta_of_negative_q_needs_no_host_sync(device: str) -> None:
    """zeta(s, q < 0) shifts q above 0 without a data-dependent number of terms."""
    s = np.array([2.0, 3.0, 4.0, 2.5, 3.0, 5.0])
    q = np.array([-2.5, -0.5, -17.25, -1.5, 1.5, -3.0])
    _check(device, lambda a, b: ff.math.zeta(a, b), [s, q], grad=False)
    want = [sum((qi + k) ** -si for k in range(200000)) for si, qi in zip(s[:3], q[:3])]
    got = ff.math.zeta(ff.constant(s), ff.constant(q))
    np.testing.assert_allclose(got.numpy()[:3], want, rtol=1e-5)
    assert np.isnan(got.numpy()[3]) and np.isinf(got.numpy()[5])  # non-integer s; a pole


def test_check_numerics_copies_only_its_flags(device: str) -> None:
    """check_numerics is data-dependent: on a GPU it copies two flags to the host, nothing else."""
    from featherflow.backends import simulated

    x = ff.constant([1.0, 2.0])
    before = simulated.transfers()
    with ff.GradientTape() as tape:
        tape.watch(x)
        y = ff.debugging.check_numerics(x * x, "x")
    g = tape.gradient(y, x)
    moved = tuple(a - b for a, b in zip(simulated.transfers(), before))
    assert moved == ((0, 2) if device == "GPU" else (0, 0))  # the forward's flags, and the gradient's
    _on(device, y, g)
    with pytest.raises(ff.errors.InvalidArgumentError, match="x : Tensor had NaN values"):
        ff.debugging.check_numerics(ff.constant([np.nan, 1.0]), "x")


def test_assertions_run_on_the_device(device: str) -> None:
    """The tf.debugging assertions compare on the device and copy the outcome to the host (data-dependent)."""
    x, y = ff.constant([1.0, 2.0]), ff.constant([1.0, 3.0])
    ff.debugging.assert_less_equal(x, y)
    ff.debugging.assert_positive(x)
    ff.debugging.assert_near(x, x)
    with pytest.raises(ff.errors.InvalidArgumentError):
        ff.debugging.assert_equal(x, y)
    with pytest.raises(ff.errors.InvalidArgumentError):
        ff.debugging.assert_negative(x)


@pytest.mark.parametrize("device", ["GPU"], indirect=True)
def test_ops_and_gradients_on_the_second_card_run_there(device: str) -> None:
    """Ops of GPU:1 (and the constants their gradient rules make) run with card 1 current, and stay there."""
    from featherflow.backends import simulated

    with ff.device("GPU:1"):
        x, n = ff.constant([1.0, 4.0]), ff.constant(1.0)
        simulated.reset_transfers()
        with ff.GradientTape() as tape:
            tape.watch(x)
            y = ff.reduce_sum(ff.sqrt(x) * ff.math.erf(x)) + ff.reduce_mean(ff.clip_by_norm(x, n))
        g = tape.gradient(y, x)
    assert simulated.transfers() == (0, 0) and simulated.peer_copies() == 0
    assert set(simulated.launches()) == {1}
    assert y.device.endswith("GPU:1") and g.device.endswith("GPU:1")
