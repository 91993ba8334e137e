"""Segment reductions, bincount, confusion_matrix, clipping, l2_normalize, one-argument where, add_n, the
special functions' numerics, and TF's input-conversion rules — against NumPy and real TensorFlow."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap
from typing import Any

import numpy as np
import pytest

import featherflow as ff

from .test_math import (
    REAL,
    SAMPLE_DTYPES,
    D,
    assert_close,
    compare_with_tf,
    ff_gradient,
    numerical_gradient,
    run,
    sample,
    tf_gradient,
    to_np,
)

# every test runs on the CPU and on a simulated GPU (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("device")

# --- segment reductions ---------------------------------------------------------------------------------

SORTED = ["segment_sum", "segment_mean", "segment_prod", "segment_max", "segment_min"]
UNSORTED = ["unsorted_segment_sum", "unsorted_segment_prod", "unsorted_segment_max", "unsorted_segment_min",
            "unsorted_segment_mean", "unsorted_segment_sqrt_n"]
_SEGMENT_REF = {"sum": np.add, "prod": np.multiply, "max": np.maximum, "min": np.minimum}


def _segment_ref(kind: str, data: np.ndarray, ids: np.ndarray, num: int, empty: Any) -> np.ndarray:
    flat = data.reshape((ids.size,) + data.shape[ids.ndim:])
    out = np.full((num,) + flat.shape[1:], empty, data.dtype)
    for s in range(num):
        rows = flat[ids.ravel() == s]
        if len(rows):
            out[s] = _SEGMENT_REF[kind].reduce(rows, axis=0, dtype=data.dtype)
    return out


@pytest.mark.parametrize("name", SORTED)
def test_sorted_segments_match_numpy_and_tf(tf_oracle: Any, name: str, device: str) -> None:
    rng = np.random.default_rng(1)
    fns = getattr(ff.math, name), getattr(tf_oracle.math, name)
    for dtype in SAMPLE_DTYPES:
        data = sample(rng, dtype, (6, 2), D(-3.0, 3.0))
        for ids in ([0, 0, 1, 3, 3, 3], [2, 2, 2, 2, 4, 4], [0, 1, 2, 3, 4, 5]):
            ids = np.array(ids, np.int32)
            compare_with_tf(tf_oracle, fns[0], fns[1], [data, ids], dtype, 4)
            kind = name.split("_")[1]
            if dtype in REAL and kind != "mean" and run(fns[0], data, ids)[0] == "ok":
                empty = 1 if kind == "prod" else 0
                want = _segment_ref(kind, data, ids, int(ids[-1]) + 1, empty)
                if kind in ("max", "min"):  # TF fills empty sorted segments with 0
                    present = np.isin(np.arange(int(ids[-1]) + 1), ids)
                    want[~present] = 0
                assert_close(to_np(fns[0](data, ids)), want, dtype, 4)
    bad_cases = [([1.0, 2.0], [0]), ([1.0, 2.0], [[0, 0]]), (np.float32(1), [0]),
                 ([1.0, 2.0], np.array([0.0, 0.0], np.float32)), (np.zeros((0, 2), np.float32), np.zeros(0, np.int32))]
    if device == "CPU":  # checks of the ids' values, which only TF's CPU kernels make (unsorted, negative)
        bad_cases += [([1.0, 2.0, 3.0], [0, 1, 0]), ([1.0, 2.0], [-1, 0])]
    for data, ids in bad_cases:
        compare_with_tf(tf_oracle, fns[0], fns[1], [np.asarray(data, np.float32), np.asarray(ids)], "float32")


@pytest.mark.parametrize("name", UNSORTED)
def test_unsorted_segments_match_tf(tf_oracle: Any, name: str, device: str) -> None:
    rng = np.random.default_rng(2)
    fns = getattr(ff.math, name), getattr(tf_oracle.math, name)
    for dtype in SAMPLE_DTYPES:
        data = sample(rng, dtype, (2, 3, 2), D(-3.0, 3.0))
        for ids, num in (([[0, 3, -1], [0, 1, 1]], 4), ([1, 0], 3), ([[2, 2, 2], [2, 2, 2]], 3)):
            ids = np.array(ids, np.int32)
            ours = run(fns[0], ff.constant(data), ff.constant(ids), num)
            theirs = run(fns[1], tf_oracle.constant(data), tf_oracle.constant(ids), num)
            assert ours[0] == theirs[0] and (ours[0] == "ok" or ours[1] == theirs[1]), (dtype, ours, theirs)
            if ours[0] == "ok":
                assert_close(to_np(ours[1]), to_np(theirs[1]), dtype, 4)
    # ([0, 5], 3): ids out of range, which only TF's CPU kernels check
    for ids, num in (([0, 5], 3), ([0, 1], -1), ([0, 1], [2]), ([0, 1, 1], 2), ([0, 1], 2.5))[device == "GPU":]:
        ours = run(fns[0], np.ones((2, 2), np.float32), ids, num)
        theirs = run(fns[1], np.ones((2, 2), np.float32), ids, num)
        assert ours[0] == theirs[0] == "error" and ours[1] == theirs[1], (ids, num, ours, theirs)


@pytest.mark.parametrize("name", SORTED + UNSORTED)
def test_segment_gradients(tf_oracle: Any, name: str) -> None:
    unsorted = name.startswith("unsorted")
    ids = np.array([0, 0, 2, 2, 2, 3] if not unsorted else [3, 0, -1, 0, 3, 1], np.int32)
    fn_ff = (lambda d: getattr(ff.math, name)(d, ids, 4)) if unsorted else (lambda d: getattr(ff.math, name)(d, ids))
    fn_tf = (lambda d: getattr(tf_oracle.math, name)(d, ids, 4)) if unsorted else (
        lambda d: getattr(tf_oracle.math, name)(d, ids))
    rng = np.random.default_rng(3)
    for dtype in ("float64", "complex128"):
        if dtype == "complex128" and any(k in name for k in ("max", "min", "unsorted_segment_mean", "sqrt_n")):
            continue  # no complex kernels (the unsorted means take a maximum)
        data = sample(rng, dtype, (6, 2), D(0.5, 2.0))
        if "prod" in name:
            data[2, 0] = 0  # one zero in a segment
            data[3, 1] = data[4, 1] = 0  # two zeros
        out_shape = tuple(fn_ff(ff.constant(data)).shape)
        upstream = sample(rng, dtype, out_shape, D(-1.0, 1.0))
        ours = ff_gradient(fn_ff, [data], upstream)[0]
        assert_close(to_np(ours), to_np(tf_gradient(tf_oracle, fn_tf, [data], upstream)[0]), dtype, 10)
        if dtype == "float64":
            forward = lambda v: fn_ff(ff.constant(v)).numpy()  # noqa: E731
            np.testing.assert_allclose(ours.numpy(), numerical_gradient(forward, [data], upstream, 0), rtol=1e-5,
                                       atol=1e-7)


def test_segment_examples(device: str) -> None:
    np.testing.assert_array_equal(ff.math.segment_sum([1, 2, 3, 4], [0, 0, 2, 2]).numpy(), [3, 0, 7])
    np.testing.assert_array_equal(ff.math.segment_mean([1, 2, 3, 4], [0, 0, 2, 2]).numpy(), [1, 0, 3])
    np.testing.assert_array_equal(ff.math.unsorted_segment_sum([1, 2, 3, 4], [0, 3, -1, 0], 4).numpy(), [5, 0, 0, 2])
    assert ff.math.unsorted_segment_mean([1, 2], [0, 0], 1).dtype == ff.float64  # divides as `/` does
    if device == "CPU":  # (a check of the ids' values: TF's GPU kernels skip it)
        with pytest.raises(ff.errors.InvalidArgumentError, match="segment ids are not increasing"):
            ff.math.segment_sum([1, 2, 3], [0, 1, 0])


# --- bincount, confusion_matrix -------------------------------------------------------------------------

BINCOUNT_CASES = [
    ([1, 1, 3], {}), ([1, 1, 3], {"minlength": 6}), ([1, 1, 3], {"maxlength": 2}), ([1, 1, 3], {"minlength": -1}),
    ([1, 1, 3], {"weights": [0.5, 1.0, 2.0]}), ([1, 1, 3], {"dtype": ff.float32}), ([1, 2], {"dtype": ff.int64}),
    ([1, 1, 3], {"binary_output": True}), ([[1, 1], [3, 0]], {"axis": -1}), ([[1, 1], [3, 0]], {"axis": 0}),
    ([[1, 1], [3, 0]], {"axis": 1}), ([1, -1, 3], {}), ([], {}), ([1.0, 2.0], {}), ([1, 2], {"weights": [1, 2]}),
    ([1, 2], {"weights": [1, 2, 3]}), ([[1, 2]], {"weights": [[1.0, 2.0]]}), (3, {}), ([1, 2], {"dtype": ff.int16}),
    ([1, 2], {"weights": [1.0, 2.0], "binary_output": True}), ([[1, 2], [0, 5]], {"axis": -1, "maxlength": 3}),
]


@pytest.mark.parametrize("arr,kwargs", BINCOUNT_CASES, ids=[str(i) for i in range(len(BINCOUNT_CASES))])
def test_bincount_matches_tf(tf_oracle: Any, arr: Any, kwargs: dict) -> None:
    tf_kwargs = {k: (tf_oracle.as_dtype(v.name) if isinstance(v, ff.DType) else v) for k, v in kwargs.items()}
    ours = run(ff.math.bincount, arr, **kwargs)
    theirs = run(tf_oracle.math.bincount, arr, **tf_kwargs)
    assert ours[0] == theirs[0], (ours, theirs)
    if ours[0] == "error":
        assert ours[1] == theirs[1]
    else:
        assert ours[1].dtype.name == theirs[1].dtype.name
        np.testing.assert_array_equal(to_np(ours[1]), to_np(theirs[1]))
    if ours[0] == "ok" and not kwargs and np.ndim(arr) == 1 and len(arr):
        np.testing.assert_array_equal(to_np(ours[1]), np.bincount(np.asarray(arr, np.int64)))


CONFUSION_CASES = [
    ([0, 1, 2], [0, 2, 2], {}), ([0, 1, 2], [0, 2, 2], {"num_classes": 4}), ([0, 1, 2], [0, 2, 2], {"num_classes": 2}),
    ([0, 1, 2], [0, 2, 2], {"weights": [1.0, 2.0, 3.0]}), ([0, 1, 1], [1, 1, 1], {"dtype": ff.float64}),
    ([0, 1, -2], [0, 2, 2], {}), ([0, 1], [0, 2, 2], {}), ([0.0, 1.0], [0.0, 2.0], {}), ([[0, 1]], [[0, 2]], {}),
    ([0, 1, 2], [0, -1, 2], {}), ([0, 1, 2], [0, 5, 2], {"num_classes": 3}),
    ([0, 1], [1, 1], {"weights": [1.5, 2.5], "dtype": ff.float32}),
]


@pytest.mark.parametrize("labels,preds,kwargs", CONFUSION_CASES, ids=[str(i) for i in range(len(CONFUSION_CASES))])
def test_confusion_matrix_matches_tf(tf_oracle: Any, labels: Any, preds: Any, kwargs: dict) -> None:
    tf_kwargs = {k: (tf_oracle.as_dtype(v.name) if isinstance(v, ff.DType) else v) for k, v in kwargs.items()}
    ours = run(ff.math.confusion_matrix, labels, preds, **kwargs)
    theirs = run(tf_oracle.math.confusion_matrix, labels, preds, **tf_kwargs)
    assert ours[0] == theirs[0], (ours, theirs)
    if ours[0] == "error":
        assert ours[1] == theirs[1]
    else:
        assert ours[1].dtype.name == theirs[1].dtype.name
        np.testing.assert_array_equal(to_np(ours[1]), to_np(theirs[1]))


# --- clipping and normalizing ---------------------------------------------------------------------------


CLIP_CASES = [
    ([1.0, 5.0, 10.0], 2.0, 8.0), ([1, 5, 10], 2, 8), ([1, 5, 10], 2.5, 8), ([1.0, 5.0, 10.0], [2.0, 3.0, 4.0], 8.0),
    ([1.0, 5.0], [[2.0, 3.0], [1.0, 1.0]], 8.0), ([1.0, 5.0], 8.0, 2.0), ([True], False, True), ([1j], 0j, 1j),
    ([np.nan, -np.inf, np.inf], -1.0, 1.0),
]


@pytest.mark.parametrize("t,lo,hi", CLIP_CASES, ids=[str(i) for i in range(len(CLIP_CASES))])
def test_clip_by_value_matches_tf(tf_oracle: Any, t: Any, lo: Any, hi: Any) -> None:
    ours, theirs = run(ff.clip_by_value, t, lo, hi), run(tf_oracle.clip_by_value, t, lo, hi)
    assert ours[0] == theirs[0] and (ours[0] == "ok" or ours[1] == theirs[1]), (ours, theirs)
    if ours[0] == "ok":
        assert_close(to_np(ours[1]), to_np(theirs[1]), ours[1].dtype.name)


NORM_CASES = [([3.0, 4.0], 1.0, None), ([[3.0, 4.0], [0.0, 0.0]], 1.0, [1]), ([3.0, 4.0], -1.0, None),
              ([3, 4], 1, None), ([3j, 4.0], 1.0, None), ([3.0, 4.0], [1.0, 2.0], None),
              ([3.0, 4.0], [[1.0, 2.0]], None), ([[1.0, 2.0], [3.0, 4.0]], 2.0, [0, 1])]


@pytest.mark.parametrize("t,clip,axes", NORM_CASES, ids=[str(i) for i in range(len(NORM_CASES))])
def test_clip_by_norm_matches_tf(tf_oracle: Any, t: Any, clip: Any, axes: Any) -> None:
    ours, theirs = run(ff.clip_by_norm, t, clip, axes), run(tf_oracle.clip_by_norm, t, clip, axes)
    assert ours[0] == theirs[0] and (ours[0] == "ok" or ours[1] == theirs[1]), (ours, theirs)
    if ours[0] == "ok":
        assert_close(to_np(ours[1]), to_np(theirs[1]), ours[1].dtype.name)


def test_clip_by_global_norm_matches_tf(tf_oracle: Any) -> None:
    cases = [
        (lambda m: [m.constant([3.0, 4.0]), None, m.constant([[12.0]])], 5.0, None),
        (lambda m: [m.constant([3.0, 4.0]), m.constant([12.0], m.float64)], 5.0, None),
        (lambda m: [[3.0, 4.0]], 5.0, None), (lambda m: [m.constant([np.inf, 4.0])], 5.0, None),
        (lambda m: [m.constant([3, 4])], 5, None), (lambda m: [], 5.0, None),
        (lambda m: m.constant([3.0, 4.0]), 5.0, None), (lambda m: [m.constant([3.0, 4.0])], 5.0, 2.0),
        (lambda m: [m.constant([0.3, 0.4], m.float64)], 5.0, None),
    ]
    for make, clip, use_norm in cases:
        ours = run(ff.clip_by_global_norm, make(ff), clip, use_norm)
        theirs = run(tf_oracle.clip_by_global_norm, make(tf_oracle), clip, use_norm)
        assert ours[0] == theirs[0] and (ours[0] == "ok" or ours[1] == theirs[1]), (ours, theirs)
        if ours[0] == "ok":
            for a, b in zip(ours[1][0], theirs[1][0]):
                assert (a is None) == (b is None)
                if a is not None:
                    assert_close(to_np(a), to_np(b), a.dtype.name)
            assert_close(to_np(ours[1][1]), to_np(theirs[1][1]), ours[1][1].dtype.name)


L2_CASES = [([3.0, 4.0], {}), ([[3.0, 4.0], [0.0, 0.0]], {"axis": 1}), ([[3.0, 4.0], [0.0, 0.0]], {"dim": 1}),
            ([[3.0, 4.0]], {"axis": 1, "dim": 0}), ([3j, 4.0], {}), ([3.0, 4.0], {"epsilon": 100.0}), ([3, 4], {}),
            ([[1.0, 2.0], [3.0, 4.0]], {"axis": [0, 1]})]


@pytest.mark.parametrize("x,kwargs", L2_CASES, ids=[str(i) for i in range(len(L2_CASES))])
def test_l2_normalize_matches_tf(tf_oracle: Any, x: Any, kwargs: dict) -> None:
    ours, theirs = run(ff.math.l2_normalize, x, **kwargs), run(tf_oracle.math.l2_normalize, x, **kwargs)
    assert ours[0] == theirs[0] and (ours[0] == "ok" or ours[1] == theirs[1]), (ours, theirs)
    if ours[0] == "ok":
        assert_close(to_np(ours[1]), to_np(theirs[1]), ours[1].dtype.name)


@pytest.mark.parametrize("name", ["clip_by_value", "clip_by_norm", "clip_by_global_norm", "l2_normalize"])
def test_clipping_gradients_match_tf(tf_oracle: Any, name: str) -> None:
    x = np.array([[0.5, -2.0, 3.0], [1.5, 0.2, -0.7]])
    upstream = np.random.default_rng(0).uniform(-1, 1, x.shape)

    def call(m: Any, t: Any) -> Any:
        if name == "clip_by_value":
            return m.clip_by_value(t, -1.0, 1.0)
        if name == "clip_by_norm":
            return m.clip_by_norm(t, 2.0, axes=[1])
        if name == "clip_by_global_norm":
            return m.clip_by_global_norm([t], 2.0)[0][0]
        return m.math.l2_normalize(t, axis=0)

    ours = ff_gradient(lambda t: call(ff, t), [x], upstream)[0]
    theirs = tf_gradient(tf_oracle, lambda t: call(tf_oracle, t), [x], upstream)[0]
    assert_close(to_np(ours), to_np(theirs), "float64", 10)
    forward = lambda v: call(ff, ff.constant(v)).numpy()  # noqa: E731
    np.testing.assert_allclose(ours.numpy(), numerical_gradient(forward, [x], upstream, 0), rtol=1e-5, atol=1e-8)


# --- where (one argument), add_n, scalar_mul ------------------------------------------------------------


@pytest.mark.parametrize("dtype", SAMPLE_DTYPES + ("string",))
def test_where_indices_match_tf(tf_oracle: Any, dtype: str) -> None:
    rng = np.random.default_rng(4)
    for shape in ((5,), (2, 3), (2, 0, 3), (1, 2, 1, 2), ()):
        if dtype == "string":
            x = np.array(["", "a"] * 3)[: int(np.prod(shape))].reshape(shape) if shape else np.array("a")
        else:
            x = sample(rng, dtype, shape, D(-1.0, 1.0))
        compare_with_tf(tf_oracle, ff.where, tf_oracle.where, [x], dtype)
    assert ff.where([True, False, True]).dtype == ff.int64
    assert ff.where([[True, False], [False, True]]).numpy().tolist() == [[0, 0], [1, 1]]


def test_add_n_matches_tf(tf_oracle: Any) -> None:
    cases = [
        lambda m: [m.constant([1, 2]), m.constant([3, 4]), m.constant([5, 6])], lambda m: [[1.0, 2.0], [3.0, 4.0]],
        lambda m: [m.constant([1, 2]), m.constant([1.0, 2.0])], lambda m: [m.constant([1, 2]), m.constant([1, 2, 3])],
        lambda m: [m.constant([1, 2]), m.constant([[1, 2]])], lambda m: [m.constant([True])],
        lambda m: [m.constant([True]), m.constant([True])], lambda m: m.constant([1, 2]), lambda m: [],
        lambda m: [m.constant(1.5)], lambda m: [m.constant([1j]), m.constant([2.0 + 0j])],
    ]
    for make in cases:
        ours, theirs = run(ff.add_n, make(ff)), run(tf_oracle.add_n, make(tf_oracle))
        assert ours[0] == theirs[0] and (ours[0] == "ok" or ours[1] == theirs[1]), (ours, theirs)
        if ours[0] == "ok":
            assert_close(to_np(ours[1]), to_np(theirs[1]), ours[1].dtype.name)
    xs = [np.array([1.0, 2.0]), np.array([3.0, -1.0]), np.array([0.5, 0.5])]
    ours = ff_gradient(lambda a, b, c: ff.add_n([a, b, c]), xs, np.array([2.0, 3.0]))
    theirs = tf_gradient(tf_oracle, lambda a, b, c: tf_oracle.add_n([a, b, c]), xs, np.array([2.0, 3.0]))
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_scalar_mul_and_reciprocal_no_nan_match_tf(tf_oracle: Any) -> None:
    for scalar, x in ((2, [1.0, 2.0]), (2.5, [1, 2]), ([2.0], [1.0, 2.0]), (2.0, [1j])):
        ours = run(ff.math.scalar_mul, scalar, ff.constant(x))
        theirs = run(tf_oracle.math.scalar_mul, scalar, tf_oracle.constant(x))
        assert ours[0] == theirs[0] and (ours[0] == "ok" or ours[1] == theirs[1]), (ours, theirs)


# --- conversion rules -----------------------------------------------------------------------------------

CONVERSIONS = [
    ("math.multiply", [1, 2], 2.5), ("math.multiply", 2.5, [1, 2]), ("math.multiply", "T:int32", 2.5),
    ("math.multiply", 2.5, "T:int32"), ("math.add", [1, 2], 2.5), ("math.add", 2.5, "T:int32"),
    ("math.add", "T:float32", np.array([1.0, 2.0])), ("math.multiply", "T:float32", np.array([1, 2])),
    ("math.subtract", [1, 2], 2.5), ("math.maximum", "T:int32", 2.5), ("math.equal", "T:int32", 2.5),
    ("math.equal", "T:int32", "a"), ("math.equal", "T:int32", "T:float32"), ("math.less", "T:int32", 2.5),
    ("math.floordiv", "T:int32", 2.5), ("math.floordiv", 2.5, "T:int32"), ("math.pow", "T:int32", 2.5),
    ("math.pow", 2, "T:float32"), ("math.truediv", [1, 2], 2.5), ("math.truediv", 2.5, [1, 2]),
    ("math.truediv", "T:int32", "T:float32"), ("math.divide", 2.5, "T:int32"), ("math.divide", [1, 2], 2.5),
    ("math.divide_no_nan", 2, "T:float32"), ("math.divide_no_nan", "T:int32", "T:float32"),
    ("math.logical_and", [1], [1]), ("math.logical_and", "T:bool", "T:int32"), ("math.logical_and", True, [False]),
    ("math.logical_xor", "T:int32", "T:int32"), ("math.squared_difference", 2.5, [1, 2]),
    ("math.multiply", [], 2.5), ("math.add", ["a"], ["b"]), ("math.truediv", ["a"], ["b"]),
]


@pytest.mark.parametrize("name,x,y", CONVERSIONS, ids=[f"{c[0]}-{i}" for i, c in enumerate(CONVERSIONS)])
def test_input_conversion_matches_tf(tf_oracle: Any, name: str, x: Any, y: Any) -> None:
    def arg(m: Any, v: Any) -> Any:
        if isinstance(v, str) and v.startswith("T:"):
            dtype = v[2:]
            return m.constant([True, False]) if dtype == "bool" else m.cast(m.constant([1, 2]), dtype)
        return v

    fn_ff, fn_tf = ff, tf_oracle
    for part in name.split("."):
        fn_ff, fn_tf = getattr(fn_ff, part), getattr(fn_tf, part)
    ours, theirs = run(fn_ff, arg(ff, x), arg(ff, y)), run(fn_tf, arg(tf_oracle, x), arg(tf_oracle, y))
    assert ours[0] == theirs[0] and (ours[0] == "ok" or ours[1] == theirs[1]), (ours, theirs)
    if ours[0] == "ok":
        assert ours[1].dtype.name == theirs[1].dtype.name
        np.testing.assert_array_equal(to_np(ours[1]), to_np(theirs[1]))


def test_type_error_messages() -> None:
    with pytest.raises(TypeError, match="Cannot convert 2.5 to EagerTensor of dtype int32"):
        ff.math.multiply(ff.constant([1, 2]), 2.5)
    with pytest.raises(ff.errors.InvalidArgumentError, match="cannot compute AddV2 as input #1"):
        ff.math.add([1, 2], 2.5)
    with pytest.raises(ff.errors.InvalidArgumentError, match="Value for attr 'T' of int32 is not in the list"):
        ff.math.sqrt([4, 9])
    with pytest.raises(ff.errors.NotFoundError, match=r"Could not find device for node: \{\{node Lgamma\}\}"):
        ff.math.lgamma(ff.constant([1.0], ff.bfloat16))
    with pytest.raises(TypeError, match="Expected numeric or variant tensor, got dtype tf.bool"):
        ff.math.conj([True])
    with pytest.raises(ff.errors.InvalidArgumentError, match=r"Incompatible shapes: \[2\] vs. \[3\]"):
        ff.add([1, 2], [1, 2, 3])


# --- special functions: numerics over wide ranges -------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["erf", "erfc", "lgamma", "digamma"])
def test_special_functions_match_tf_over_wide_ranges(tf_oracle: Any, name: str, dtype: str) -> None:
    rng = np.random.default_rng(7)
    x = np.concatenate([rng.uniform(-40, 40, 4000), rng.uniform(-3, 3, 4000), rng.standard_normal(500) * 1e-3,
                        [0.0, 1.0, 2.0, 0.5, -0.5, 1e-30, 1e30, -1e30, 27.0, -27.0, 8.0, -8.0, -2.5, -3.5]])
    x = x.astype(dtype)
    ours, theirs = getattr(ff.math, name)(x).numpy(), getattr(tf_oracle.math, name)(x).numpy()
    same = (ours == theirs) | (np.isnan(ours) & np.isnan(theirs))
    with np.errstate(all="ignore"):
        err = np.where(same, 0.0, np.abs(ours.astype(np.float64) - theirs) / np.maximum(np.abs(theirs), 1.0))
    # relative error, absolute below 1 (digamma and lgamma have roots); float32: TF computes in float32
    assert err.max() < (2e-6 if dtype == "float32" else 1e-10), (x[err.argmax()], ours[err.argmax()],
                                                                  theirs[err.argmax()])


def test_special_functions_match_the_math_module() -> None:
    x = np.linspace(-6, 6, 2001)
    np.testing.assert_allclose(ff.math.erf(x).numpy(), [math.erf(v) for v in x], rtol=1e-15, atol=1e-16)
    np.testing.assert_allclose(ff.math.erfc(x).numpy(), [math.erfc(v) for v in x], rtol=3e-15)
    pos = x[x > 0]
    np.testing.assert_allclose(ff.math.lgamma(pos).numpy(), [math.lgamma(v) for v in pos], rtol=1e-14, atol=1e-15)


# --- no NumPy warnings leak; float32 stays float32 ------------------------------------------------------


def test_no_numpy_warnings_from_kernels() -> None:
    """Kernels never warn (TF's don't), even in a program run with -W error; the user's own NumPy code still
    does (featherflow silences only warnings raised in its own modules)."""
    program = textwrap.dedent("""
        import numpy as np
        import featherflow as ff
        x = ff.constant([-1.0, 0.0, np.inf, np.nan, 1e30])
        for fn in (ff.sqrt, ff.math.log, ff.math.acos, ff.math.atanh, ff.exp, ff.math.reciprocal, ff.math.lgamma,
                   ff.math.digamma, ff.math.erf):
            fn(x)
        ff.math.floordiv(x, 0.0)
        ff.math.floormod(x, 0.0)
        ff.math.pow(x, -1.0)
        ff.add(ff.constant([6e4], ff.float16), ff.constant([6e4], ff.float16))
        ff.math.reduce_mean(ff.constant([], ff.float32))
        try:
            np.log(np.array([-1.0]))
        except RuntimeWarning:
            print("user warning kept")
    """)
    result = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-c", program], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "user warning kept"


@pytest.mark.parametrize("name", ["add", "multiply", "truediv", "maximum", "sqrt", "exp", "tanh", "sigmoid",
                                  "reduce_sum", "reduce_mean", "reduce_max", "cumsum", "reduce_logsumexp"])
def test_float32_stays_float32(name: str) -> None:
    fn = getattr(ff.math, name)
    x = ff.constant(np.linspace(0.5, 2.0, 8, dtype=np.float32))
    out = fn(x, x) if name in ("add", "multiply", "truediv", "maximum") else fn(x)
    assert out.dtype == ff.float32 and out.numpy().dtype == np.float32



def test_exp_of_short_float32_tensors_is_bit_exact_with_tensorflow(tf_oracle) -> None:
    rng = np.random.default_rng(7)
    for n in range(1, 8):
        x = (rng.standard_normal(n) * 5).astype(np.float32)
        np.testing.assert_array_equal(ff.exp(x).numpy(), tf_oracle.exp(x).numpy())
