"""More array op checks against real TensorFlow: which dtypes each op takes (and the errors for the others),
range and linspace numerics, gather/scatter with random (duplicate, out-of-range) indices, sorting with ties,
and the conversion rules of list inputs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import featherflow as ff

from ._array_support import ALL, SORTABLE_TYPES, assert_same_outcome, const, shapes, values

EVERY_DTYPE = ALL + ["string"]


def _zeros(mod: Any, shape: list, dtype: str) -> Any:
    return mod.zeros(shape, getattr(mod, dtype))


DTYPE_CASES = {
    "tile": lambda tf, d: tf.tile(_zeros(tf, [2], d), [2]),
    "unique": lambda tf, d: tf.unique(_zeros(tf, [2], d)),
    "slice": lambda tf, d: tf.slice(_zeros(tf, [2], d), [0], [1]),
    "reverse": lambda tf, d: tf.reverse(_zeros(tf, [2], d), [0]),
    "roll": lambda tf, d: tf.roll(_zeros(tf, [2], d), 1, 0),
    "pad": lambda tf, d: tf.pad(_zeros(tf, [2], d), [[1, 1]]),
    "pad_reflect": lambda tf, d: tf.pad(_zeros(tf, [2], d), [[1, 1]], "REFLECT"),
    "gather": lambda tf, d: tf.gather(_zeros(tf, [2], d), [1]),
    "gather_nd": lambda tf, d: tf.gather_nd(_zeros(tf, [2], d), [[1]]),
    "scatter_nd": lambda tf, d: tf.scatter_nd([[1]], _zeros(tf, [1], d), [2]),
    "tensor_scatter_update": lambda tf, d: tf.tensor_scatter_nd_update(_zeros(tf, [2], d), [[1]], _zeros(tf, [1], d)),
    "tensor_scatter_add": lambda tf, d: tf.tensor_scatter_nd_add(_zeros(tf, [2], d), [[1]], _zeros(tf, [1], d)),
    "tensor_scatter_min": lambda tf, d: tf.tensor_scatter_nd_min(_zeros(tf, [2], d), [[1]], _zeros(tf, [1], d)),
    "concat": lambda tf, d: tf.concat([_zeros(tf, [2], d)] * 2, 0),
    "stack": lambda tf, d: tf.stack([_zeros(tf, [2], d)] * 2, 1),
    "split": lambda tf, d: tf.split(_zeros(tf, [2], d), 2),
    "split_sizes": lambda tf, d: tf.split(_zeros(tf, [2], d), [1, 1]),
    "transpose": lambda tf, d: tf.transpose(_zeros(tf, [2, 1], d)),
    "ones_like": lambda tf, d: tf.ones_like(_zeros(tf, [2], d)),
    "zeros_like": lambda tf, d: tf.zeros_like(_zeros(tf, [2], d)),
    "fill": lambda tf, d: tf.fill([2], _zeros(tf, [], d)),
    "repeat": lambda tf, d: tf.repeat(_zeros(tf, [2], d), 2),
    "boolean_mask": lambda tf, d: tf.boolean_mask(_zeros(tf, [2], d), [True, False]),
    "getitem": lambda tf, d: _zeros(tf, [2, 2], d)[::-1, 1],
    "sort": lambda tf, d: tf.sort(_zeros(tf, [2], d)),
    "argsort": lambda tf, d: tf.argsort(_zeros(tf, [2], d)),
    "searchsorted": lambda tf, d: tf.searchsorted(_zeros(tf, [2], d), _zeros(tf, [2], d)),
    "meshgrid": lambda tf, d: tf.meshgrid(_zeros(tf, [2], d), _zeros(tf, [2], d)),
    "eye": lambda tf, d: tf.eye(2, dtype=getattr(tf, d)),
    "zeros": lambda tf, d: tf.zeros([2], getattr(tf, d)),
    "ones": lambda tf, d: tf.ones([2], getattr(tf, d)),
    "one_hot": lambda tf, d: tf.one_hot([1], 2, dtype=getattr(tf, d)),
    "sequence_mask": lambda tf, d: tf.sequence_mask([1], 2, dtype=getattr(tf, d)),
    "cast_to": lambda tf, d: tf.cast(tf.constant([1.5, -2.0]), getattr(tf, d)),
    "cast_from": lambda tf, d: tf.cast(_zeros(tf, [2], d), tf.float32),
    "linspace": lambda tf, d: tf.linspace(_zeros(tf, [], d), _zeros(tf, [], d), 3),
    "range": lambda tf, d: tf.range(_zeros(tf, [], d), tf.ones([], getattr(tf, d))),
    "range_dtype": lambda tf, d: tf.range(3, dtype=getattr(tf, d)),
    "identity_n": lambda tf, d: tf.identity_n([_zeros(tf, [2], d)]),
    "bitcast": lambda tf, d: tf.bitcast(_zeros(tf, [2], d), tf.uint8),
    "unique_with_counts": lambda tf, d: tf.unique_with_counts(_zeros(tf, [3], d)),
}


@pytest.mark.parametrize("case", sorted(DTYPE_CASES))
def test_dtype_support_matches_tensorflow(tf_oracle: Any, case: str) -> None:
    for dtype in EVERY_DTYPE:
        if case in ("cast_to", "cast_from") and dtype == "string":
            continue  # checked by the error table (TF raises UnimplementedError for both)
        assert_same_outcome(tf_oracle, lambda mod, d=dtype: DTYPE_CASES[case](mod, d))


# --- range, linspace -------------------------------------------------------------------------------

numbers = st.one_of(st.integers(-20, 20), st.floats(-20, 20).map(lambda f: round(f, 2) + 0.0))  # no -0.0


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=numbers, limit=st.one_of(st.none(), numbers), delta=numbers.filter(lambda d: abs(d) >= 0.25),
       dtype=st.sampled_from([None, "int32", "int64", "float32", "float64", "float16"]))
def test_range_matches_tensorflow(tf_oracle: Any, start: Any, limit: Any, delta: Any, dtype: Any) -> None:
    assert_same_outcome(tf_oracle, lambda mod: mod.range(start, limit, delta, dtype=getattr(mod, dtype, None)),
                        message=True)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.lists(numbers, min_size=0, max_size=3), stop=numbers, num=st.integers(-1, 9),
       axis=st.integers(-2, 1), dtype=st.sampled_from(["float32", "float64"]))
def test_linspace_matches_tensorflow(tf_oracle: Any, start: list, stop: Any, num: int, axis: int, dtype: str) -> None:
    lo = np.asarray(start if start else 1.5, dtype)
    hi = np.asarray(stop, dtype)
    assert_same_outcome(tf_oracle, lambda mod: mod.linspace(mod.constant(lo), mod.constant(hi), num, axis=axis))


def test_range_with_tensors_and_numpy_scalars(tf_oracle: Any) -> None:
    cases = [
        lambda tf: tf.range(tf.constant(3, tf.int64)),
        lambda tf: tf.range(np.float64(3)),
        lambda tf: tf.range(np.int64(2), 7, 2),
        lambda tf: tf.range(2**40, 2**40 + 3),
        lambda tf: tf.range(1, 5, 2.5),
        lambda tf: tf.range(tf.constant(1.0, tf.float16), 3),
        lambda tf: tf.range(0, 1, 0.1),
        lambda tf: tf.range(10, 0, -3),
        lambda tf: tf.range(0),
    ]
    for case in cases:
        assert_same_outcome(tf_oracle, case)


# --- gather, scatter with random indices -----------------------------------------------------------


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=shapes(1, 4, 0, 4), data=st.data())
def test_gather_random_indices_match_tensorflow(tf_oracle: Any, shape: tuple, data: Any) -> None:
    nd = len(shape)
    batch_dims = data.draw(st.integers(0, nd - 1), label="batch_dims")
    axis = data.draw(st.integers(batch_dims, nd - 1), label="axis") if data.draw(st.booleans()) else None
    a = batch_dims if axis is None else axis
    index_shape = shape[:batch_dims] + data.draw(shapes(0, 2, 0, 3), label="index shape")
    high = shape[a] + data.draw(st.sampled_from([0, 0, 0, 1]), label="overflow")
    rng = np.random.default_rng(data.draw(st.integers(0, 999)))
    indices = rng.integers(0, max(high, 1), index_shape).astype(data.draw(st.sampled_from(["int32", "int64"])))
    x = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    assert_same_outcome(tf_oracle, lambda mod: mod.gather(x, indices, axis=axis, batch_dims=batch_dims),
                        message=True)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=shapes(1, 3, 1, 4), data=st.data())
def test_gather_nd_and_scatter_random_indices_match_tensorflow(tf_oracle: Any, shape: tuple, data: Any) -> None:
    k = data.draw(st.integers(1, len(shape)), label="index depth")
    rows = data.draw(st.integers(0, 5), label="rows")
    rng = np.random.default_rng(data.draw(st.integers(0, 999)))
    overflow = data.draw(st.sampled_from([0, 0, 0, 1]), label="overflow")
    indices = np.stack([rng.integers(0, shape[j] + overflow, rows) for j in range(k)], -1).astype(np.int32)
    x = rng.integers(-9, 9, shape).astype(np.float64)
    updates = rng.integers(-9, 9, (rows,) + shape[k:]).astype(np.float64)
    op = data.draw(st.sampled_from(["gather_nd", "scatter_nd", "tensor_scatter_nd_update", "tensor_scatter_nd_add",
                                    "tensor_scatter_nd_sub", "tensor_scatter_nd_min", "tensor_scatter_nd_max"]))
    if op == "gather_nd":
        call = lambda mod: mod.gather_nd(x, indices)  # noqa: E731
    elif op == "scatter_nd":
        call = lambda mod: mod.scatter_nd(indices, updates, shape)  # noqa: E731
    elif op == "tensor_scatter_nd_update":  # duplicate indices: the last update wins (TF's CPU kernel)
        call = lambda mod: mod.tensor_scatter_nd_update(x, indices, updates)  # noqa: E731
    else:
        call = lambda mod: getattr(mod, op)(x, indices, updates)  # noqa: E731
    assert_same_outcome(tf_oracle, call, message=True)


def test_scatter_nd_of_bools_and_strings(tf_oracle: Any) -> None:
    assert_same_outcome(tf_oracle, lambda tf: tf.scatter_nd([[1], [1]], [True, False], [3]))
    assert_same_outcome(tf_oracle, lambda tf: tf.scatter_nd([[1], [2]], ["a", "b"], [3]))
    assert_same_outcome(tf_oracle, lambda tf: tf.tensor_scatter_nd_update(["a", "b"], [[0]], ["c"]))
    assert_same_outcome(tf_oracle, lambda tf: tf.scatter_nd(tf.constant([[1]], tf.int64), [7], [5]))
    assert_same_outcome(tf_oracle, lambda tf: tf.tensor_scatter_nd_add([[1, 2], [3, 4]], [[1]], [[5, 6]]))


# --- sorting, unique, searchsorted -----------------------------------------------------------------


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=shapes(1, 3, 0, 5), dtype=st.sampled_from(SORTABLE_TYPES), axis=st.integers(-3, 2),
       direction=st.sampled_from(["ASCENDING", "DESCENDING"]), seed=st.integers(0, 999))
def test_sort_with_ties_matches_tensorflow(tf_oracle: Any, shape: tuple, dtype: str, axis: int, direction: str,
                                           seed: int) -> None:
    x = values(dtype, shape, np.random.default_rng(seed))
    x = (x // 16).astype(dtype) if dtype not in ("float16", "float32", "float64") else np.round(x)  # many ties
    for fn in (lambda mod: mod.sort(x, axis=axis, direction=direction),
               lambda mod: mod.argsort(x, axis=axis, direction=direction)):
        assert_same_outcome(tf_oracle, fn, message=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(0, 12), dtype=st.sampled_from(["int32", "int64", "float32", "uint8", "bool", "string"]),
       seed=st.integers(0, 999))
def test_unique_matches_tensorflow(tf_oracle: Any, n: int, dtype: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    if dtype == "string":
        x = np.array([f"s{v}".encode() for v in rng.integers(0, 4, n)], dtype=object)
    else:
        x = rng.integers(0, 4, n).astype(dtype)
    assert_same_outcome(tf_oracle, lambda mod: mod.unique(x))
    assert_same_outcome(tf_oracle, lambda mod: mod.unique_with_counts(x, out_idx=mod.int64))


def test_unique_keeps_each_nan(tf_oracle: Any) -> None:
    assert_same_outcome(tf_oracle, lambda tf: tf.unique([1.0, np.nan, 1.0, np.nan]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=shapes(0, 2, 1, 3), n=st.integers(1, 6), m=st.integers(0, 5), seed=st.integers(0, 999),
       side=st.sampled_from(["left", "right"]))
def test_searchsorted_batches_match_tensorflow(tf_oracle: Any, batch: tuple, n: int, m: int, seed: int,
                                               side: str) -> None:
    rng = np.random.default_rng(seed)
    seq = np.sort(rng.integers(0, 6, batch + (n,)), axis=-1).astype(np.float32)
    vals = rng.integers(-1, 7, batch + (m,)).astype(np.float32)
    assert_same_outcome(tf_oracle, lambda mod: mod.searchsorted(seq, vals, side=side, out_type=mod.int64))


# --- creation functions ----------------------------------------------------------------------------

CREATION = [
    lambda tf: tf.one_hot([0, 2, -1, 5], 3),
    lambda tf: tf.one_hot([[0, 2], [1, 1]], 3, on_value=5),
    lambda tf: tf.one_hot([0, 2], 3, on_value=5, dtype=tf.float32),
    lambda tf: tf.one_hot([0, 2], 3, axis=0),
    lambda tf: tf.one_hot([[0, 2]], 4, axis=1, off_value=-1.0),
    lambda tf: tf.one_hot([0, 2], 3, on_value=True, off_value=False),
    lambda tf: tf.one_hot([0, 2], 3, on_value="a", off_value="b"),
    lambda tf: tf.one_hot(tf.constant([0, 2], tf.uint8), 3),
    lambda tf: tf.eye(2, 3, dtype=tf.int32),
    lambda tf: tf.eye(2, batch_shape=[3]),
    lambda tf: tf.eye(2, 3, batch_shape=[3, 1], dtype=tf.bool),
    lambda tf: tf.eye(0),
    lambda tf: tf.fill([2], "a"),
    lambda tf: tf.fill([], 1),
    lambda tf: tf.fill([2], [1]),
    lambda tf: tf.fill(tf.constant([2, 1], tf.int64), 2.5),
    lambda tf: tf.zeros(3),
    lambda tf: tf.zeros((2,), "int64"),
    lambda tf: tf.zeros(tf.TensorShape([2, 1]), tf.string),
    lambda tf: tf.zeros(tf.constant([2])),
    lambda tf: tf.ones([2], tf.bool),
    lambda tf: tf.ones([2, 0], tf.complex64),
    lambda tf: tf.zeros_like([1, 2], tf.float64),
    lambda tf: tf.zeros_like(["a"]),
    lambda tf: tf.ones_like([[True]], tf.int8),
    lambda tf: tf.sequence_mask([1, 3, 2]),
    lambda tf: tf.sequence_mask([[1, 3], [2, 0]]),
    lambda tf: tf.sequence_mask([1, -3, 2], 2),
    lambda tf: tf.sequence_mask([1.0, 3, 2], 5),
    lambda tf: tf.sequence_mask(3, 5),
    lambda tf: tf.sequence_mask([], 2),
    lambda tf: tf.sequence_mask(tf.constant([1, 3], tf.int64), dtype=tf.float32),
    lambda tf: tf.meshgrid([1, 2], [3, 4, 5]),
    lambda tf: tf.meshgrid([1, 2], [3, 4, 5], [6], indexing="ij"),
    lambda tf: tf.meshgrid([[1, 2]], [3, 4, 5]),
    lambda tf: tf.meshgrid(1, 2),
    lambda tf: tf.meshgrid([True, False], [True]),
    lambda tf: tf.meshgrid(),
    lambda tf: tf.identity_n([1, [2.0, 3.0]]),
    lambda tf: tf.identity_n(5),
    lambda tf: tf.broadcast_static_shape(tf.TensorShape([None, 1]), tf.TensorShape([3])),
    lambda tf: tf.broadcast_static_shape(tf.TensorShape(None), tf.TensorShape([3])),
    lambda tf: tf.broadcast_static_shape(tf.TensorShape([1, None]), tf.TensorShape([2, 1])),
    lambda tf: tf.broadcast_dynamic_shape([2, 1], [3]),
    lambda tf: tf.broadcast_dynamic_shape(tf.constant([2], tf.int64), [1]),
    lambda tf: tf.broadcast_dynamic_shape(tf.constant([2], tf.int64), tf.constant([1], tf.int32)),
    lambda tf: tf.bitcast(tf.constant([1.0, 2.0], tf.float32), tf.complex64),
    lambda tf: tf.bitcast(tf.constant([1 + 2j], tf.complex64), tf.float32),
    lambda tf: tf.bitcast(tf.constant([1.0], tf.float32), tf.complex64),
    lambda tf: tf.shape(tf.zeros([2, 3]), out_type=None),
    lambda tf: tf.size(tf.zeros([2, 3]), out_type=tf.float32),
    lambda tf: tf.ensure_shape([1, 2], None),
    lambda tf: tf.ensure_shape([1, 2], tf.TensorShape([None])),
    lambda tf: tf.where([[1, 0], [0, 2]]),
    lambda tf: tf.where([True, False], [1, 2], [3, 4]),
]


@pytest.mark.parametrize("index", range(len(CREATION)))
def test_creation_and_utilities_match_tensorflow(tf_oracle: Any, index: int) -> None:
    assert_same_outcome(tf_oracle, CREATION[index], message=True)


# --- list conversion, axis arguments as tensors ----------------------------------------------------

CONVERSIONS = [
    lambda tf: tf.concat([tf.constant([1.0]), np.array([2])], 0),
    lambda tf: tf.concat([np.array([2.0]), tf.constant([1.0])], 0),
    lambda tf: tf.concat([[1], np.array([2.5])], 0),
    lambda tf: tf.concat([[1], [2]], tf.constant(0)),
    lambda tf: tf.concat(tf.constant([[1, 2], [3, 4]]), 5),
    lambda tf: tf.concat([tf.constant([1])], 7),
    lambda tf: tf.stack([1, 2.0]),
    lambda tf: tf.stack([tf.constant(1.0), 2]),
    lambda tf: tf.stack([tf.constant(1), 2.0]),
    lambda tf: tf.stack([np.float64(1), 2.0]),
    lambda tf: tf.stack([[1, 2], [3]]),
    lambda tf: tf.stack([]),
    lambda tf: tf.stack(tf.constant([[1, 2]]), axis=1),
    lambda tf: tf.unstack(tf.constant([[1, 2]]), num=1),
    lambda tf: tf.split(tf.zeros([6]), tf.constant(3)),
    lambda tf: tf.split(tf.zeros([6]), np.int64(3)),
    lambda tf: tf.split(tf.zeros([6]), tf.constant([1, 5])),
    lambda tf: tf.split(tf.zeros([6, 2]), [2, 4], axis=tf.constant(0)),
    lambda tf: tf.gather([1, 2, 3], 1),
    lambda tf: tf.gather([[1, 2], [3, 4]], [[0], [1]], batch_dims=-1),
    lambda tf: tf.gather([[1, 2], [3, 4]], [0, 1], axis=tf.constant(1)),
    lambda tf: tf.gather([1, 2, 3], tf.constant([1], tf.int16)),
    lambda tf: tf.gather_nd([[1, 2], [3, 4]], [1]),
    lambda tf: tf.reshape(tf.zeros([6]), 6),
    lambda tf: tf.reshape(tf.zeros([6]), tf.constant([2, 3], tf.int64)),
    lambda tf: tf.reshape(tf.zeros([2, 3]), tf.TensorShape([3, 2])),
    lambda tf: tf.reshape(tf.zeros([0, 3]), [-1, 0]),
    lambda tf: tf.reshape(tf.zeros([0, 3, 5]), [-1, 0, 2]),
    lambda tf: tf.reshape(tf.zeros([0]), [2, -1]),
    lambda tf: tf.reshape(tf.zeros([6]), [0, -1]),
    lambda tf: tf.transpose(tf.zeros([2, 3]), [-1, 0]),
    lambda tf: tf.squeeze(tf.zeros([1, 3, 1]), [0, 0]),
    lambda tf: tf.expand_dims(tf.zeros([2]), [0]),
    lambda tf: tf.pad([1, 2, 3], [[1, 2]], "Symmetric", constant_values=5),
    lambda tf: tf.pad(["a"], [[1, 0]]),
    lambda tf: tf.pad(["a"], [[1, 0]], constant_values="z"),
    lambda tf: tf.pad([1.0], [[1, 0]], constant_values=tf.constant(2.0)),
    lambda tf: tf.pad([1, 2], [[1, 1]], constant_values=tf.constant(1.0)),
    lambda tf: tf.squeeze(tf.zeros([1, 2]), []),
    lambda tf: tf.repeat([1, 2], [1, -1]),
    lambda tf: tf.roll(tf.range(6), [1, 2], [0, 0]),
    lambda tf: tf.roll(tf.range(6), -1, -1),
    lambda tf: tf.reverse(tf.zeros([2, 3]), tf.constant([-1], tf.int64)),
    lambda tf: tf.repeat(5, 3),
    lambda tf: tf.repeat([[1, 2]], [[1, 2]][0], axis=1),
    lambda tf: tf.repeat([[1, 2]], tf.constant(2, tf.int64)),
    lambda tf: tf.tensordot([[1.0, 2.0]], [[3.0], [4.0]], [[1], [0]]),
    lambda tf: tf.einsum("ij,jk->ik", tf.constant([[1.0, 2.0]]), tf.constant([[3.0], [4.0]])),
    lambda tf: tf.cast(tf.constant([1.7, -1.7, 300.0]), tf.uint8),
    lambda tf: tf.cast(tf.constant([1 + 2j]), tf.float32),
    lambda tf: tf.cast([True, False], tf.float16),
    lambda tf: tf.slice([[1, 2, 3]], tf.constant([0, 1], tf.int64), [-1, 2]),
    lambda tf: tf.sort([3, 1, 2], axis=0.0),
    lambda tf: tf.sort(tf.constant([3, 1, -128], tf.int8)),
    lambda tf: tf.sort(tf.constant([-0.0, 0.0, -0.0])),
]


@pytest.mark.parametrize("index", range(len(CONVERSIONS)))
def test_argument_conversions_match_tensorflow(tf_oracle: Any, index: int) -> None:
    assert_same_outcome(tf_oracle, CONVERSIONS[index], message=True)


def test_bfloat16_round_trips(tf_oracle: Any) -> None:
    x = np.array([[1.5, -2.0], [0.25, 8.0]], np.float32)
    for fn in (lambda mod: mod.gather(const(mod, x, "bfloat16"), [1, 0]),
               lambda mod: mod.concat([const(mod, x, "bfloat16")] * 2, 1),
               lambda mod: mod.sort(const(mod, x, "bfloat16")),
               lambda mod: mod.pad(const(mod, x, "bfloat16"), [[1, 0], [0, 1]], "REFLECT")):
        assert_same_outcome(tf_oracle, fn)


def test_results_share_memory_where_tensorflow_would_alias() -> None:
    # reshape, transpose, expand_dims, squeeze and broadcast_to return views: no copy of a large input
    x = ff.zeros([256, 256])
    for out in (ff.reshape(x, [-1]), ff.transpose(x), ff.expand_dims(x, 0), ff.broadcast_to(x, [2, 256, 256]),
                ff.squeeze(ff.reshape(x, [1, 256, 256])), ff.identity(x), ff.stop_gradient(x), ff.reverse(x, [0])):
        assert np.shares_memory(out._value, x._value)


def test_an_empty_tensor_shape_is_an_int32_shape_argument(tf_oracle) -> None:
    for lib in (ff, tf_oracle):
        x = lib.constant(3, lib.int16)
        out = [lib.broadcast_to(x, lib.TensorShape([])), lib.reshape(x, lib.TensorShape([]))]
        assert [(t.shape.as_list(), t.dtype.name, int(t)) for t in out] == [([], "int16", 3)] * 2
