"""The special functions and ``tf.math`` additions of issue 10 against real TF: Bessel I0/I1 (and scaled),
erfinv/ndtri/erfcinv, igamma/igammac/betainc, nextafter, polyval, lbeta, zero_fraction, the monotonicity
tests, accumulate_n, approx_max_k/min_k, invert_permutation and reverse_sequence; their gradients (TF's tape
and central differences in float64), and runs on the simulated GPU."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check

RNG = np.random.default_rng(2)
ULPS32 = 4 * np.finfo(np.float32).eps


def _close(ours: Any, theirs: Any, rtol: float, atol: float = 0.0) -> None:
    assert ours.dtype.name == theirs.dtype.name
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=rtol, atol=atol, equal_nan=True)


UNARY = {
    "bessel_i0": np.concatenate([np.linspace(-40, 40, 81), [0.0, 1e-3, 7.99, 8.01, np.nan]]),
    "bessel_i0e": np.concatenate([np.linspace(-700, 700, 81), [0.0, -1e-3, 8.0, np.inf, -np.inf]]),
    "bessel_i1": np.concatenate([np.linspace(-40, 40, 81), [0.0, 1e-30, -7.99, 8.01]]),
    "bessel_i1e": np.concatenate([np.linspace(-700, 700, 81), [0.0, 1e-30, 8.0, np.inf]]),
    "erfinv": np.concatenate([np.linspace(-1, 1, 81), [1e-30, -0.999999, 0.9999999, 1.5, -2.0, np.nan]]),
    "ndtri": np.concatenate([np.linspace(0, 1, 81), [1e-30, 1e-20, 1 - 1e-7, -0.5, 1.5]]),
    "erfcinv": np.concatenate([np.linspace(0, 2, 81), [1e-30, 1e-10, 1.9999, -1.0, 2.5]]),
}


@pytest.mark.parametrize("name", list(UNARY))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_unary_special_functions_match_tf(tf_oracle: Any, name: str, dtype: str) -> None:
    x = UNARY[name].astype(dtype)
    ours, theirs = getattr(ff.math, name)(x), getattr(tf_oracle.math, name)(x)
    # TF's float32 kernels compute in float32 (a few ulp); featherflow's in float64, rounded once
    _close(ours, theirs, rtol=2 * ULPS32 if dtype == "float32" else 1e-13, atol=1e-37 if dtype == "float32" else 1e-300)


def test_bessel_i1_gradient_at_zero_is_tfs(tf_oracle: Any) -> None:
    """TF imputes 1 at x = 0 for I1 (the true slope is 1/2) and 1/2 for I1e: featherflow's tape gives TF's."""
    for name in ("bessel_i1", "bessel_i1e"):
        fn = lambda t, x, name=name: getattr(t.math, name)(x)  # noqa: E731
        ours = _grads(ff, fn, [np.zeros(2)], np.ones(2))[0].numpy()
        np.testing.assert_array_equal(ours, _grads(tf_oracle, fn, [np.zeros(2)], np.ones(2))[0].numpy())


def test_special_namespace_and_aliases(tf_oracle: Any) -> None:
    assert ff.math.special.bessel_i0 is ff.math.bessel_i0
    assert ff.math.special.bessel_i1e is ff.math.bessel_i1e
    _close(ff.math.bessel_i0e([1.0, 2.0]), tf_oracle.math.special.bessel_i0e([1.0, 2.0]), rtol=ULPS32)
    with pytest.raises(ff.errors.InvalidArgumentError) as ours:
        ff.math.bessel_i0(ff.constant([1, 2]))
    with pytest.raises(tf_oracle.errors.InvalidArgumentError) as theirs:
        tf_oracle.math.bessel_i0(tf_oracle.constant([1, 2]))
    assert str(ours.value) == str(theirs.value)


def _igamma_inputs(dtype: str) -> tuple:
    a = np.concatenate([RNG.uniform(0.05, 25, 60), [0.5, 1.0, 2.0, 100.0, 0.0, -1.0, 3.0, np.nan]])
    x = np.concatenate([RNG.uniform(0, 40, 60), [0.0, 1e-3, 2.0, 90.0, 1.0, 1.0, np.inf, 1.0]])
    return a.astype(dtype), x.astype(dtype)


@pytest.mark.parametrize("name", ["igamma", "igammac"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_igamma_matches_tf(tf_oracle: Any, name: str, dtype: str) -> None:
    a, x = _igamma_inputs(dtype)
    # (TF's float32 kernel loses some digits for large a; its float64 agrees to ~1e-13)
    _close(getattr(ff.math, name)(a, x), getattr(tf_oracle.math, name)(a, x),
           rtol=3e-4 if dtype == "float32" else 1e-12, atol=1e-30)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_betainc_matches_tf(tf_oracle: Any, dtype: str) -> None:
    a = np.concatenate([RNG.uniform(0.05, 20, 60), [0.5, 1.0, 2.0, 100.0, 0.0, -1.0, 3.0]]).astype(dtype)
    b = np.concatenate([RNG.uniform(0.05, 20, 60), [0.5, 3.0, 2.0, 50.0, 1.0, 1.0, 3.0]]).astype(dtype)
    x = np.concatenate([RNG.uniform(0, 1, 60), [0.0, 1e-3, 0.5, 0.7, 0.5, 0.5, 1.0]]).astype(dtype)
    _close(ff.math.betainc(a, b, x), tf_oracle.math.betainc(a, b, x), rtol=1e-4 if dtype == "float32" else 1e-11,
           atol=1e-30)
    _close(ff.math.betainc(2.0, 3.0, [[0.25], [0.75]]), tf_oracle.math.betainc(2.0, 3.0, [[0.25], [0.75]]),
           rtol=1e-6)


def test_igamma_grad_a_matches_tf(tf_oracle: Any) -> None:
    a = np.concatenate([RNG.uniform(0.05, 25, 40), [0.5, 2.0, 100.0, 3.0, -1.0]])
    x = np.concatenate([RNG.uniform(0, 40, 40), [1e-3, 2.0, 90.0, 0.0, 1.0]])
    from featherflow.ops.math.incomplete import igamma_grad_a_op  # (reached through igamma's gradient)

    _close(igamma_grad_a_op(ff.constant(a), ff.constant(x)), tf_oracle.raw_ops.IgammaGradA(a=a, x=x), rtol=1e-11,
           atol=1e-300)


def test_nextafter_matches_tf(tf_oracle: Any) -> None:
    for dtype in ("float32", "float64"):
        x1 = np.array([1.0, 0.0, -1.0, np.inf, 5.0], dtype)
        x2 = np.array([2.0, -1.0, -1.0, 0.0, np.nan], dtype)
        _close(ff.math.nextafter(ff.constant(x1), x2), tf_oracle.math.nextafter(tf_oracle.constant(x1), x2), rtol=0)
        _close(ff.math.nextafter(x1, x2), tf_oracle.math.nextafter(x1, x2), rtol=0)  # (NumPy data: float32)


def test_composites_match_tf(tf_oracle: Any) -> None:
    x = RNG.standard_normal((3, 5)).astype(np.float32)
    _close(ff.math.polyval([1.0, -2.0, 3.0], x), tf_oracle.math.polyval([1.0, -2.0, 3.0], x), rtol=1e-6)
    _close(ff.math.polyval([], x), tf_oracle.math.polyval([], x), rtol=0)
    with pytest.raises(ValueError, match="Argument coeffs must be list type"):
        ff.math.polyval((1.0, 2.0), x)
    _close(ff.math.lbeta(np.abs(x) + 0.1), tf_oracle.math.lbeta(np.abs(x) + 0.1), rtol=1e-5)
    for v in ([0, 1, 0, 2], np.zeros((2, 3)), [[1.5]]):
        _close(ff.math.zero_fraction(v), tf_oracle.math.zero_fraction(v), rtol=0)
    for v in ([1, 1, 2], [1, 2, 3], [3, 2], [], [[1, 2], [3, 3]], [1.0, np.nan]):
        for name in ("is_non_decreasing", "is_strictly_increasing"):
            assert getattr(ff.math, name)(v).numpy() == getattr(tf_oracle.math, name)(v).numpy()
    _close(ff.math.accumulate_n([x, x, 2 * x]), tf_oracle.math.accumulate_n([x, x, 2 * x]), rtol=1e-6)
    with pytest.raises(ValueError):
        ff.math.accumulate_n([])
    _close(ff.math.softsign(x), tf_oracle.math.softsign(x), rtol=1e-6)


def test_approx_top_k_is_exact_and_matches_tf_where_tf_runs(tf_oracle: Any) -> None:
    x = RNG.permutation(40).reshape(4, 10).astype(np.float32)
    ours, theirs = ff.math.approx_max_k(x, 3), tf_oracle.math.approx_max_k(x, 3)
    for o, t in zip(ours, theirs):
        _close(o, t, rtol=0)
    values, indices = ff.math.approx_min_k(x, 2, reduction_dimension=0)  # (TF's CPU kernel: max_k, last axis)
    np.testing.assert_array_equal(values.numpy(), np.sort(x, axis=0)[:2])
    np.testing.assert_array_equal(indices.numpy(), np.argsort(x, axis=0)[:2])
    with pytest.raises(NotImplementedError, match="aggregate_to_topk"):
        ff.math.approx_max_k(x, 3, aggregate_to_topk=False)


def test_invert_permutation_matches_tf(tf_oracle: Any) -> None:
    for dtype in ("int32", "int64"):
        p = RNG.permutation(7).astype(dtype)
        _close(ff.math.invert_permutation(p), tf_oracle.math.invert_permutation(p), rtol=0)
    for bad in ([1, 1, 0], [3, 0, 1], [[0]]):
        with pytest.raises(ff.errors.InvalidArgumentError) as ours:
            ff.math.invert_permutation(bad)
        with pytest.raises(tf_oracle.errors.InvalidArgumentError) as theirs:
            tf_oracle.math.invert_permutation(bad)
        assert str(ours.value).split("}}")[1].split(" [Op")[0] == str(theirs.value).split("}}")[1].split(" [Op")[0]


@pytest.mark.parametrize("seq_axis,batch_axis,lengths", [(1, 0, [2, 3]), (2, 0, [4, 1]), (0, 2, [1, 2, 0, 2]),
                                                        (2, 1, [1, 2, 4]), (2, 0, [0, 4])])
def test_reverse_sequence_matches_tf(tf_oracle: Any, seq_axis: int, batch_axis: int, lengths: list) -> None:
    x = np.arange(24).reshape(2, 3, 4).astype(np.float32)
    if batch_axis == 2:
        x = np.arange(24).reshape(2, 3, 4).transpose(0, 1, 2).astype(np.float32)
    _close(ff.reverse_sequence(x, lengths, seq_axis, batch_axis),
           tf_oracle.reverse_sequence(x, lengths, seq_axis, batch_axis), rtol=0)


def test_reverse_sequence_errors_match_tf(tf_oracle: Any) -> None:
    x = np.arange(6).reshape(2, 3)
    for args in (([2, 5], 1, 0), ([1, 1, 1], 1, 0), ([1, 1], 1, 1), ([1, 1], -1, 0), ([1, 1], 1, 5),
                 ([-1, 1], 1, 0), ([[1, 1]], 1, 0)):
        with pytest.raises(ff.errors.InvalidArgumentError) as ours:
            ff.reverse_sequence(x, *args)
        with pytest.raises(tf_oracle.errors.InvalidArgumentError) as theirs:
            tf_oracle.reverse_sequence(x, *args)
        assert str(ours.value) == str(theirs.value)


# --- gradients ---------------------------------------------------------------------------------------


def _grads(lib: Any, fn: Callable, args: list, upstream: np.ndarray) -> list:
    ts = [lib.constant(a) for a in args]
    with lib.GradientTape() as tape:
        for t in ts:
            tape.watch(t)
        y = fn(lib, *ts)
    return tape.gradient(y, ts, output_gradients=lib.constant(upstream))


GRADS = [
    ("bessel_i0", lambda t, x: t.math.bessel_i0(x), [RNG.uniform(-9, 9, 6)]),
    ("bessel_i0e", lambda t, x: t.math.bessel_i0e(x), [RNG.uniform(-9, 9, 6)]),
    ("bessel_i1", lambda t, x: t.math.bessel_i1(x), [np.array([0.1, -3.0, 0.5, 9.5])]),
    ("bessel_i1e", lambda t, x: t.math.bessel_i1e(x), [np.array([0.0, -3.0, 0.5, 9.5])]),
    ("erfinv", lambda t, x: t.math.erfinv(x), [RNG.uniform(-0.95, 0.95, 6)]),
    ("ndtri", lambda t, x: t.math.ndtri(x), [RNG.uniform(0.02, 0.98, 6)]),
    ("erfcinv", lambda t, x: t.math.erfcinv(x), [RNG.uniform(0.05, 1.95, 6)]),
    ("igamma", lambda t, a, x: t.math.igamma(a, x), [RNG.uniform(0.5, 5, 6), RNG.uniform(0.1, 8, 6)]),
    ("igammac", lambda t, a, x: t.math.igammac(a, x), [RNG.uniform(0.5, 5, 6), RNG.uniform(0.1, 8, 6)]),
    ("betainc_x", lambda t, a, b, x: t.math.betainc(a, b, x), [RNG.uniform(0.5, 5, 5), RNG.uniform(0.5, 5, 5),
                                                             RNG.uniform(0.05, 0.95, 5)]),
    ("nextafter", lambda t, a, b: t.math.nextafter(a, b), [RNG.standard_normal(4), RNG.standard_normal(4)]),
    ("reverse_sequence", lambda t, x: t.reverse_sequence(x, [2, 3], 1, 0), [RNG.standard_normal((2, 4))]),
    ("polyval", lambda t, x: t.math.polyval([2.0 * x, x], x), [RNG.standard_normal(3)]),
]


@pytest.mark.parametrize("name,fn,args", GRADS, ids=[g[0] for g in GRADS])
def test_gradients_match_tf_and_central_differences(tf_oracle: Any, name: str, fn: Callable, args: list) -> None:
    upstream = RNG.standard_normal(tuple(fn(tf_oracle, *[tf_oracle.constant(a) for a in args]).shape))
    ours = _grads(ff, fn, args, upstream)
    theirs = _grads(tf_oracle, fn, args, upstream)
    for i, (o, t) in enumerate(zip(ours, theirs)):
        assert (o is None) == (t is None), f"input {i}"
        if o is None:
            continue
        np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-7, atol=1e-10, err_msg=f"input {i}")
        if name == "nextafter":
            continue  # (a step function: TF defines its derivative as 1 and 0)
        want = np.zeros_like(args[i])
        for idx in np.ndindex(args[i].shape):
            plus, minus = [a.copy() for a in args], [a.copy() for a in args]
            plus[i][idx] += 1e-6
            minus[i][idx] -= 1e-6
            diff = fn(ff, *[ff.constant(a) for a in plus]).numpy() - fn(ff, *[ff.constant(a) for a in minus]).numpy()
            want[idx] = np.sum(diff * upstream) / 2e-6
        np.testing.assert_allclose(o.numpy(), want, rtol=1e-5, atol=1e-7, err_msg=f"input {i}")


# --- the simulated GPU -------------------------------------------------------------------------------


def _inputs() -> dict:
    rng = np.random.default_rng(9)
    return {"x": ff.constant(rng.uniform(-3, 3, 6)), "p": ff.constant(rng.uniform(0.05, 0.95, 6)),
            "a": ff.constant(rng.uniform(0.5, 4, 6)), "z": ff.constant(rng.uniform(0.1, 6, 6)),
            "m": ff.constant(rng.standard_normal((2, 4))), "lengths": ff.constant([3, 1]),
            "perm": ff.constant([2, 0, 1, 3])}


DEVICE = {
    "bessel_i0": (lambda t: ff.math.bessel_i0(t["x"]), "x"),
    "bessel_i0e": (lambda t: ff.math.bessel_i0e(t["x"]), "x"),
    "bessel_i1": (lambda t: ff.math.bessel_i1(t["x"]), "x"),
    "bessel_i1e": (lambda t: ff.math.bessel_i1e(t["x"]), "x"),
    "erfinv": (lambda t: ff.math.erfinv(t["p"]), "p"),
    "ndtri": (lambda t: ff.math.ndtri(t["p"]), "p"),
    "igamma": (lambda t: ff.math.igamma(t["a"], t["z"]), "z"),
    "igamma_a": (lambda t: ff.math.igammac(t["a"], t["z"]), "a"),
    "betainc": (lambda t: ff.math.betainc(t["a"], t["a"], t["p"]), "p"),
    "nextafter": (lambda t: ff.math.nextafter(t["x"], t["p"]), "x"),
    "reverse_sequence": (lambda t: ff.reverse_sequence(t["m"], t["lengths"], 1, 0), "m"),
    "invert_permutation": (lambda t: ff.math.invert_permutation(t["perm"]), None),
}


@pytest.mark.parametrize("name", list(DEVICE))
def test_ops_stay_on_device(device: str, name: str) -> None:
    case, wrt = DEVICE[name]
    check(device, _inputs, case, wrt, rtol=1e-12, atol=1e-15)
