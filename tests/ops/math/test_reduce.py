"""Reductions, arg-reductions, scans and top-k: a table of reduction specs run against NumPy and TensorFlow
over hypothesis-drawn dtypes, shapes, axes and keepdims, with numerical and TF gradient checks."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import featherflow as ff

from .test_math import (
    FLOATS,
    INEXACT,
    NUMERIC,
    REAL,
    SAMPLE_DTYPES,
    D,
    assert_close,
    compare_with_tf,
    ff_gradient,
    np_dtype,
    numerical_gradient,
    run,
    sample,
    tf_gradient,
    to_np,
)

# every test runs on the CPU and on a simulated GPU (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("device")


def _wide(x: np.ndarray) -> np.ndarray:
    return x.astype(np.complex128 if x.dtype.kind == "c" else np.float64) if x.dtype.kind in "fcV" else x


def _sum(x: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    if x.dtype.kind in "iu":
        return np.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
    return np.sum(_wide(x), axis=axis, keepdims=keepdims)


def _mean(x: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    if x.dtype.kind in "iu":  # a 64-bit sum, divided with truncation towards zero
        total = np.sum(x, axis=axis, keepdims=keepdims, dtype=np.int64 if x.dtype.kind == "i" else np.uint64)
        n = max(x.size // max(np.size(total), 1), 1)
        return np.fix(total / n).astype(x.dtype)
    out = np.mean(_wide(x), axis=axis, keepdims=keepdims)
    return np.where(np.isnan(out), 0, out) if x.dtype.kind == "c" and x.size == 0 else out  # TF: 0 for complex


def _extreme(fn: Callable, lowest: bool) -> Callable:
    def ref(x: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
        if x.dtype.kind in "iu":
            init = np.iinfo(x.dtype).min if lowest else np.iinfo(x.dtype).max
        else:
            init = -np.inf if lowest else np.inf
        return fn(_wide(x), axis=axis, keepdims=keepdims, initial=init)
    return ref


def _prod(x: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    if x.dtype.kind in "iu":
        return np.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
    return np.prod(_wide(x), axis=axis, keepdims=keepdims)


def _logsumexp(x: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    x = _wide(x)
    m = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def _norm(x: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    out = np.sqrt(np.sum(np.abs(_wide(x).astype(np.complex128)) ** 2, axis=axis, keepdims=keepdims))
    if x.dtype.kind in "iu":
        return np.floor(out.real + 1e-9)
    return out if x.dtype.kind == "c" else out.real


def _var(x: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    return np.var(_wide(x), axis=axis, keepdims=keepdims)


def _std(x: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    return np.std(_wide(x), axis=axis, keepdims=keepdims)


def _count(x: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    return np.asarray(np.count_nonzero(x, axis=axis, keepdims=keepdims), np.int64)


def _same(d: str) -> str:
    return d


def _real(d: str) -> str:
    return {"complex64": "float32", "complex128": "float64"}.get(d, d)


@dataclass(frozen=True)
class Reduction:
    name: str
    ref: Callable  # ref(x, axis, keepdims) in NumPy
    dtypes: tuple
    dom: D = D()
    grad: bool = False
    out: Callable[[str], str] = _same
    tol: float = 1.0

    def fn(self, module: Any) -> Callable:
        return getattr(module.math, self.name)

    def __repr__(self) -> str:
        return self.name


REDUCTIONS = [
    Reduction("reduce_sum", _sum, NUMERIC, grad=True, tol=4),
    Reduction("reduce_mean", _mean, NUMERIC, grad=True, tol=4),
    Reduction("reduce_max", _extreme(np.max, True), REAL, grad=True),
    Reduction("reduce_min", _extreme(np.min, False), REAL, grad=True),
    Reduction("reduce_prod", _prod, NUMERIC, D(-2.0, 2.0), grad=True, tol=4),
    Reduction("reduce_any", lambda x, axis, keepdims: np.any(x, axis=axis, keepdims=keepdims), ("bool",)),
    Reduction("reduce_all", lambda x, axis, keepdims: np.all(x, axis=axis, keepdims=keepdims), ("bool",)),
    Reduction("reduce_logsumexp", _logsumexp, FLOATS, grad=True, tol=4),
    Reduction("reduce_variance", _var, INEXACT, grad=True, out=_real, tol=10),
    Reduction("reduce_std", _std, INEXACT, grad=True, out=_real, tol=10),
    Reduction("reduce_euclidean_norm", _norm, NUMERIC, D(-3.0, 3.0), grad=True, tol=4),
    Reduction("count_nonzero", _count, NUMERIC + ("bool",), D(-1.0, 1.0), out=lambda d: "int64"),
]


@st.composite
def _reduction_cases(draw: Any) -> tuple:
    spec = draw(st.sampled_from(REDUCTIONS))
    dtype = draw(st.sampled_from(spec.dtypes))
    shape = draw(array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
    rank = len(shape)
    if rank == 0:
        axis = None
    else:
        axis = draw(st.one_of(st.none(), st.integers(-rank, rank - 1),
                              st.lists(st.integers(0, rank - 1), unique=True, max_size=rank)))
    return spec, dtype, shape, axis, draw(st.booleans()), draw(st.integers(0, 2**16))


def _np_axis(axis: Any, rank: int) -> Any:
    if axis is None:
        return None
    return tuple(a % rank for a in ([axis] if isinstance(axis, int) else axis))


@settings(max_examples=250, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(case=_reduction_cases())
def test_reductions_match_numpy_and_tf(tf_oracle: Any, case: tuple) -> None:
    spec, dtype, shape, axis, keepdims, seed = case
    x = sample(np.random.default_rng(seed), dtype, shape, spec.dom)
    got = spec.fn(ff)(ff.constant(x), axis=axis, keepdims=keepdims)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's "mean of empty slice"
        want = np.asarray(spec.ref(x, _np_axis(axis, len(shape)), keepdims)).astype(np_dtype(spec.out(dtype)))
    assert_close(to_np(got), want, spec.out(dtype), spec.tol)
    compare_with_tf(tf_oracle, spec.fn(ff), spec.fn(tf_oracle), [x], dtype, spec.tol, axis=axis, keepdims=keepdims)


@pytest.mark.parametrize("spec", REDUCTIONS, ids=repr)
def test_reduction_dtypes_match_tf(tf_oracle: Any, spec: Reduction) -> None:
    for dtype in SAMPLE_DTYPES:
        x = sample(np.random.default_rng(0), dtype, (2, 3), spec.dom)
        tf_ok = run(spec.fn(tf_oracle), tf_oracle.constant(x))[0] == "ok"
        assert tf_ok == (dtype in spec.dtypes), (spec.name, dtype)
        compare_with_tf(tf_oracle, spec.fn(ff), spec.fn(tf_oracle), [x], dtype, spec.tol, axis=1)


@pytest.mark.parametrize("axis", [0, -1, 2, -3, [0, 0], [1, -1], [], 1.0, [[0, 1]]], ids=repr)
def test_reduction_axis_errors_match_tf(tf_oracle: Any, axis: Any) -> None:
    x = np.arange(6.0).reshape(2, 3)
    for name in ("reduce_sum", "reduce_max", "reduce_logsumexp"):
        compare_with_tf(tf_oracle, getattr(ff.math, name), getattr(tf_oracle.math, name), [x], "float64", axis=axis)
    compare_with_tf(tf_oracle, ff.reduce_sum, tf_oracle.reduce_sum, [np.float32(3)], "float32", axis=0)


def test_integer_mean_truncates_and_sum_wraps() -> None:
    assert int(ff.reduce_mean(ff.constant([-7, 0]))) == -3
    assert int(ff.reduce_mean(ff.constant([200, 200], ff.uint8))) == 200  # accumulated in 64 bits
    assert int(ff.reduce_sum(ff.constant([127, 127, 127], ff.int8))) == 125  # wraps in the input's type
    assert ff.reduce_mean(ff.constant([1, 2], ff.uint8)).dtype == ff.uint8
    assert int(ff.reduce_mean(ff.constant([], ff.int32))) == 0
    assert np.isnan(float(ff.reduce_mean(ff.constant([], ff.float32))))
    assert float(ff.reduce_max(ff.constant([], ff.float32))) == -np.inf
    assert int(ff.reduce_min(ff.constant([], ff.uint8))) == 255


def test_float32_mean_keeps_float32_and_float16_overflows_as_tf(tf_oracle: Any) -> None:
    for x in (np.array([6e4, 6e4], np.float16), np.full(5000, 1.5, np.float16), np.arange(1e6, dtype=np.float32)):
        compare_with_tf(tf_oracle, ff.reduce_mean, tf_oracle.reduce_mean, [x], x.dtype.name)
    assert ff.reduce_mean(ff.constant([1.0, 2.0])).dtype == ff.float32


# --- gradients of reductions ----------------------------------------------------------------------------

GRAD_AXES = [(None, False), (1, False), ([0, 2], True), (-1, True)]


@pytest.mark.parametrize("axis,keepdims", GRAD_AXES, ids=str)
@pytest.mark.parametrize("spec", [s for s in REDUCTIONS if s.grad], ids=repr)
def test_reduction_gradients(tf_oracle: Any, spec: Reduction, axis: Any, keepdims: bool) -> None:
    rng = np.random.default_rng(3)
    fn_ff = lambda x: spec.fn(ff)(x, axis=axis, keepdims=keepdims)  # noqa: E731
    fn_tf = lambda x: spec.fn(tf_oracle)(x, axis=axis, keepdims=keepdims)  # noqa: E731
    for dtype in ("float64", "complex128"):
        if dtype not in spec.dtypes:
            continue
        x = sample(rng, dtype, (2, 3, 4), spec.dom)
        if spec.name == "reduce_prod":
            x.ravel()[[0, 5]] = 0  # zeros in the product: TF's rule stays exact there
        out = fn_ff(ff.constant(x))
        upstream = sample(rng, spec.out(dtype), tuple(out.shape), D(-1.0, 1.0))
        ours = ff_gradient(fn_ff, [x], upstream)[0]
        theirs = tf_gradient(tf_oracle, fn_tf, [x], upstream)[0]
        assert_close(to_np(ours), to_np(theirs), dtype, 10)
        if dtype == "float64":
            forward = lambda v: fn_ff(ff.constant(v)).numpy()  # noqa: E731
            np.testing.assert_allclose(to_np(ours), numerical_gradient(forward, [x], upstream, 0), rtol=1e-5,
                                       atol=1e-6)


def test_max_gradient_splits_ties_as_tf(tf_oracle: Any) -> None:
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    for name in ("reduce_max", "reduce_min"):
        ours = ff_gradient(lambda t, name=name: getattr(ff.math, name)(t, axis=1), [x], np.ones(2))[0]
        theirs = tf_gradient(tf_oracle, lambda t, name=name: getattr(tf_oracle.math, name)(t, axis=1), [x],
                             np.ones(2))[0]
        np.testing.assert_allclose(ours.numpy(), theirs.numpy())


# --- argmax, argmin -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_arg_reductions_match_tf(tf_oracle: Any, name: str) -> None:
    rng = np.random.default_rng(5)
    fns = getattr(ff.math, name), getattr(tf_oracle.math, name)
    for dtype in SAMPLE_DTYPES:
        x = sample(rng, dtype, (3, 4), D(-2.0, 2.0))  # small range: ties
        for axis in (None, 0, 1, -1, 2, [1]):
            compare_with_tf(tf_oracle, *fns, [x], dtype, axis=axis)
    nan = np.array([[np.nan, 1.0, np.nan, 3.0], [np.nan, np.nan, np.nan, np.nan], [-np.inf, np.nan, -np.inf, 0]])
    for axis in (0, 1):
        compare_with_tf(tf_oracle, *fns, [nan], "float64", axis=axis)
    for output_type in (ff.int32, ff.int16, ff.float32):
        ours = run(fns[0], ff.constant(np.arange(4.0)), output_type=output_type)
        theirs = run(fns[1], tf_oracle.constant(np.arange(4.0)), output_type=tf_oracle.as_dtype(output_type.name))
        assert ours[0] == theirs[0]
        if ours[0] == "ok":
            assert ours[1].dtype.name == theirs[1].dtype.name == output_type.name
    for bad in (np.float32(1), np.zeros((0,), np.float32), np.zeros((2, 0), np.float32)):
        compare_with_tf(tf_oracle, *fns, [bad], "float32")


def test_argmax_defaults() -> None:
    x = ff.constant([[1.0, 5.0], [7.0, 2.0]])
    assert ff.argmax(x).dtype == ff.int64
    np.testing.assert_array_equal(ff.argmax(x).numpy(), [1, 0])
    np.testing.assert_array_equal(ff.math.argmin(x, axis=1).numpy(), [0, 1])
    assert int(ff.argmax([1, 3, 3])) == 1  # the first of ties
    assert int(ff.argmax([np.nan, 1.0, np.nan])) == 1  # NaNs are skipped, as in TF


# --- cumsum, cumprod, cumulative_logsumexp --------------------------------------------------------------

SCANS = [("cumsum", NUMERIC), ("cumprod", NUMERIC), ("cumulative_logsumexp", FLOATS)]


@pytest.mark.parametrize("name,dtypes", SCANS, ids=[s[0] for s in SCANS])
def test_scans_match_numpy_and_tf(tf_oracle: Any, name: str, dtypes: tuple) -> None:
    rng = np.random.default_rng(9)
    fns = getattr(ff.math, name), getattr(tf_oracle.math, name)
    for dtype in SAMPLE_DTYPES:
        x = sample(rng, dtype, (3, 4), D(-2.0, 2.0))
        compare_with_tf(tf_oracle, *fns, [x], dtype, 4)
        if dtype not in dtypes:
            continue
        for axis in (0, 1, -1, -2):
            for exclusive in (False, True):
                for reverse in (False, True):
                    kw = {"axis": axis, "exclusive": exclusive, "reverse": reverse}
                    compare_with_tf(tf_oracle, *fns, [x], dtype, 4, **kw)
                    if name != "cumulative_logsumexp":
                        got = to_np(fns[0](ff.constant(x), **kw))
                        assert_close(got, _scan_ref(name, x, **kw), dtype, 4)
    for axis in (2, -3, [0], 0.5):
        compare_with_tf(tf_oracle, *fns, [np.ones((2, 2), np.float32)], "float32", axis=axis)
    for x in (np.float32(2), np.zeros((0, 3), np.float32), np.zeros((2, 0), np.float32)):
        compare_with_tf(tf_oracle, *fns, [x], "float32", axis=-1, exclusive=True)


def _scan_ref(name: str, x: np.ndarray, axis: int, exclusive: bool, reverse: bool) -> np.ndarray:
    ufunc = np.add if name == "cumsum" else np.multiply
    identity = 0 if name == "cumsum" else 1
    v = np.flip(x, axis) if reverse else x
    dtype = x.dtype if x.dtype.kind in "iu" else None
    out = ufunc.accumulate(_wide(v), axis=axis, dtype=dtype)
    if exclusive:
        pad = np.full_like(np.take(out, [0], axis=axis), identity)
        out = np.concatenate([pad, np.delete(out, -1, axis=axis)], axis=axis)
    out = np.flip(out, axis) if reverse else out
    return out.astype(x.dtype)


def test_integer_cumsum_wraps() -> None:
    np.testing.assert_array_equal(ff.math.cumsum(ff.constant([100, 100], ff.int8)).numpy(), [100, -56])


@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("name", ["cumsum", "cumprod", "cumulative_logsumexp"])
def test_scan_gradients(tf_oracle: Any, name: str, exclusive: bool, reverse: bool) -> None:
    rng = np.random.default_rng(4)
    kw = {"axis": 1, "exclusive": exclusive, "reverse": reverse}
    fn_ff = lambda t: getattr(ff.math, name)(t, **kw)  # noqa: E731
    fn_tf = lambda t: getattr(tf_oracle.math, name)(t, **kw)  # noqa: E731
    for dtype in ("float64", "complex128"):
        if name == "cumulative_logsumexp" and dtype == "complex128":
            continue
        x = sample(rng, dtype, (2, 4), D(0.5, 2.0))
        upstream = sample(rng, dtype, (2, 4), D(-1.0, 1.0))
        ours = ff_gradient(fn_ff, [x], upstream)[0]
        assert_close(to_np(ours), to_np(tf_gradient(tf_oracle, fn_tf, [x], upstream)[0]), dtype, 10)
        if dtype == "float64":  # (an exclusive logsumexp starts at -inf: a constant, and NaN in differences)
            forward = lambda v: np.nan_to_num(fn_ff(ff.constant(v)).numpy(), neginf=0.0)  # noqa: E731
            np.testing.assert_allclose(ours.numpy(), numerical_gradient(forward, [x], upstream, 0), rtol=1e-5)


# --- top_k, in_top_k ------------------------------------------------------------------------------------


def test_top_k_matches_tf(tf_oracle: Any) -> None:
    rng = np.random.default_rng(6)
    for dtype in SAMPLE_DTYPES:
        x = sample(rng, dtype, (3, 5), D(-3.0, 3.0))  # integers: many ties
        for k in (0, 1, 3, 5, 6, -1):
            compare_with_tf(tf_oracle, ff.math.top_k, tf_oracle.math.top_k, [x], dtype, k=k)
            # unsorted: TF leaves its heap's order, which it does not specify; the same elements, in input order
            unsorted = run(ff.math.top_k, ff.constant(x), k=k, sorted=False)
            if unsorted[0] == "ok":
                theirs = tf_oracle.math.top_k(x, k=k, sorted=False)
                np.testing.assert_array_equal(np.sort(to_np(unsorted[1].indices)), np.sort(to_np(theirs.indices)))
                if k < x.shape[-1]:
                    assert (np.diff(to_np(unsorted[1].indices)) > 0).all()
    x = np.array([3.0, 1.0, np.nan, 2.0, 5.0, -np.inf])
    compare_with_tf(tf_oracle, ff.math.top_k, tf_oracle.math.top_k, [x], "float64", k=3)
    compare_with_tf(tf_oracle, ff.math.top_k, tf_oracle.math.top_k, [np.float32(1)], "float32")
    ours = ff.math.top_k([3, 1, 2], k=2, index_type=ff.int64)
    assert ours.indices.dtype == ff.int64 and ours.values.numpy().tolist() == [3, 2]


def test_top_k_gradient_matches_tf(tf_oracle: Any) -> None:
    x = np.array([[0.5, 2.0, -1.0, 3.0], [1.0, 0.0, 4.0, 2.5]])
    upstream = np.array([[1.0, -2.0], [0.5, 3.0]])
    ours = ff_gradient(lambda t: ff.math.top_k(t, k=2).values, [x], upstream)[0]
    theirs = tf_gradient(tf_oracle, lambda t: tf_oracle.math.top_k(t, k=2).values, [x], upstream)[0]
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_in_top_k_matches_tf(tf_oracle: Any) -> None:
    preds = np.array([[0.1, 0.9, 0.9, 0.2], [0.5, np.nan, 0.4, 0.5], [np.inf, 1.0, 2.0, 3.0]], np.float32)
    for targets in ([1, 0, 0], [2, 1, 3], [3, 3, 1], [-1, 4, 2]):
        for k in (0, 1, 2, 4):
            ours = run(ff.math.in_top_k, targets, ff.constant(preds), k)
            theirs = run(tf_oracle.math.in_top_k, targets, tf_oracle.constant(preds), k)
            assert ours[0] == theirs[0]
            if ours[0] == "ok":
                np.testing.assert_array_equal(ours[1].numpy(), theirs[1].numpy())
    for targets, p in (([0, 1, 2], preds[:2]), ([[0]], preds[:1]), ([0.0], preds[:1])):
        assert run(ff.math.in_top_k, targets, p, 1) == ("error", run(tf_oracle.math.in_top_k, targets, p, 1)[1])

