"""The element spec of Dataset.map as TF's tracing finds it (dimensions that vary between elements unknown),
what later transformations build on it, and seeded random ops in map_func giving TF's values (finding the spec
draws nothing)."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from ._oracle import assert_same


def _keras_array_pipeline(tf):
    """The shape of Keras's array adapter: index batches by flat_map, inputs gathered by map."""
    x = np.arange(16, dtype="float32").reshape(8, 2)
    y = np.arange(8, dtype="int64")

    def batches(indices):
        full = tf.data.Dataset.from_tensor_slices(tf.reshape(tf.slice(indices, [0], [6]), [2, 3]))
        return full.concatenate(tf.data.Dataset.from_tensors(tf.slice(indices, [6], [2])))

    indices = tf.data.Dataset.range(1).repeat(2).map(lambda _: tf.range(8, dtype=tf.int64)).flat_map(batches)
    data = tf.data.Dataset.zip((indices, tf.data.Dataset.from_tensors((tf.constant(x), tf.constant(y))).repeat()))
    return data.map(lambda i, d: (tf.gather(d[0], i, axis=0), tf.gather(d[1], i, axis=0))).prefetch(1)


CASES = {
    "fill": lambda tf: tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([x], x)),
    "fixed": lambda tf: tf.data.Dataset.range(3).map(lambda x: tf.zeros([2, 3]) + tf.cast(x, tf.float32)),
    "padded_batch_of_fixed": lambda tf: tf.data.Dataset.range(3).map(lambda x: tf.zeros([3])).padded_batch(2),
    "padded_batch_of_varying": lambda tf: tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([x], x)).padded_batch(2),
    "batch_then_map": lambda tf: tf.data.Dataset.range(5).batch(2).map(lambda b: b * 2),
    "keras_array_pipeline": _keras_array_pipeline,
    "concatenate_shapes": lambda tf: tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4]]).concatenate(
        tf.data.Dataset.from_tensors([5])),
    "concatenate_incompatible": lambda tf: tf.data.Dataset.range(2).concatenate(tf.data.Dataset.from_tensors([5.0])),
    "sparse_components": lambda tf: tf.data.Dataset.range(1, 5).map(lambda x: tf.fill([x], x)).sparse_batch(
        2, [5]).map(lambda s: (s.indices, s.values, s.dense_shape)),
    "empty_input": lambda tf: tf.data.Dataset.range(0).map(lambda x: (x, tf.fill([x], 1.0))),
    "tuple_input": lambda tf: tf.data.Dataset.from_tensor_slices(([1, 2], [[1.0], [2.0]])).map(
        lambda a, b: tf.reshape(b, [-1, 1]) * tf.cast(a, tf.float32)),
    "refuses_stand_ins": lambda tf: tf.data.Dataset.from_tensor_slices([1.0, 2.0]).map(
        lambda x: tf.debugging.check_numerics(tf.math.log(x - 1.0) + 1.0, "x")).take(0),
    # the functions of other transformations: their output specs as TF's tracing finds them
    "flat_map_range": lambda tf: tf.data.Dataset.range(3).flat_map(lambda x: tf.data.Dataset.from_tensors(
        tf.range(x))),
    "flat_map_empty_input": lambda tf: tf.data.Dataset.range(0).flat_map(lambda x: tf.data.Dataset.from_tensors(
        tf.range(x))),
    "interleave_fill": lambda tf: tf.data.Dataset.range(4).interleave(
        lambda x: tf.data.Dataset.from_tensors(tf.fill([x, 2], x)), cycle_length=2),
    "scan_output_from_state": lambda tf: tf.data.Dataset.range(4).scan(
        tf.constant(0, tf.int64), lambda s, x: (s + x, tf.range(s))),
    "group_by_window_map": lambda tf: tf.data.Dataset.range(6).group_by_window(
        lambda x: x % 2, lambda k, w: w.map(lambda v: tf.fill([v], v)), 2),
    "group_by_reducer_range": lambda tf: tf.data.Dataset.range(6).apply(tf.data.experimental.group_by_reducer(
        lambda x: x % 2, tf.data.experimental.Reducer(lambda k: tf.constant(0, tf.int64), lambda s, x: s + x,
                                                      lambda s: tf.range(s)))),
    # what batching builds on those specs
    "flat_map_padded_batch": lambda tf: tf.data.Dataset.range(3).flat_map(
        lambda x: tf.data.Dataset.from_tensors(tf.fill([3], x))).padded_batch(2),
    "flat_map_padded_batch_varying": lambda tf: tf.data.Dataset.range(1, 4).flat_map(
        lambda x: tf.data.Dataset.from_tensors(tf.fill([x], x))).padded_batch(2),
    "flat_map_ragged_batch": lambda tf: tf.data.Dataset.range(1, 4).flat_map(
        lambda x: tf.data.Dataset.from_tensors(tf.fill([x], x))).ragged_batch(2),
    "map_ragged_batch": lambda tf: tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([x], x)).ragged_batch(2),
    "map_ragged_batch_fixed": lambda tf: tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([2], x)).ragged_batch(2),
    "generator_padded_batch": lambda tf: tf.data.Dataset.from_generator(
        lambda: iter([[1], [2, 3]]), output_signature=tf.TensorSpec([None], tf.int32)).padded_batch(2),
}


def test_building_a_pipeline_reads_no_element(tf_oracle) -> None:
    # TF traces the functions: a generator shared between passes loses nothing to building the pipeline
    for tf in (ff, tf_oracle):
        shared = iter(range(6))
        source = tf.data.Dataset.from_generator(lambda shared=shared: shared, output_types=tf.int64,
                                                output_shapes=[])
        ds = source.group_by_window(lambda x: x % 2, lambda k, w: w.batch(3), 3).flat_map(
            lambda b, tf=tf: tf.data.Dataset.from_tensors(b))
        assert [b.numpy().tolist() for b in ds] == [[0, 2, 4], [1, 3, 5]]


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(tf_oracle, name) -> None:
    assert_same(ff, tf_oracle, CASES[name])


def test_seeded_random_ops_in_map_func_give_tensorflow_values(tf_oracle) -> None:
    got = []
    for tf in (ff, tf_oracle):
        ds = tf.data.Dataset.range(3).map(lambda x, tf=tf: tf.random.uniform([2], seed=6) + tf.cast(x, tf.float32))
        assert ds.element_spec == tf.TensorSpec([2], tf.float32)
        got.append([v.numpy().tolist() for v in ds])
    assert got[0] == got[1]


def test_tracing_prints_nothing(capfd) -> None:
    ds = ff.data.Dataset.range(2).map(lambda x: (ff.print("value", x), x)[1])
    ds.element_spec  # noqa: B018
    first = capfd.readouterr()
    list(ds)
    assert "value 0" in first.err + first.out  # the first element is computed once to learn the spec
    assert "value 1" not in first.err + first.out
