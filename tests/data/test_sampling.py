"""Dataset.random, counter, choose_from_datasets and sample_from_datasets against real TensorFlow: seeded values
bit for bit, reprs, cardinalities and errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff

from ._oracle import assert_same


def _a(tf):
    return tf.data.Dataset.range(0, 5)


def _b(tf):
    return tf.data.Dataset.range(100, 103)


def _choices(tf):
    return tf.data.Dataset.from_tensor_slices(tf.constant([0, 1, 1, 0, 2, 0], tf.int64))


CASES = {
    "random": lambda tf: tf.data.Dataset.random(seed=4),
    "random_rerandomize": lambda tf: tf.data.Dataset.random(seed=4, rerandomize_each_iteration=True),
    "counter": lambda tf: tf.data.Dataset.counter(3, 2),
    "counter_int32": lambda tf: tf.data.Dataset.counter(3, -2, dtype=tf.int32),
    "sample": lambda tf: tf.data.Dataset.sample_from_datasets([_a(tf), _b(tf)], seed=3),
    "sample_seed7": lambda tf: tf.data.Dataset.sample_from_datasets([_a(tf), _b(tf)], seed=7),
    "sample_weights": lambda tf: tf.data.Dataset.sample_from_datasets([_a(tf), _b(tf)], weights=[0.2, 0.8], seed=11),
    "sample_three": lambda tf: tf.data.Dataset.sample_from_datasets(
        [_a(tf), _b(tf), tf.data.Dataset.range(50, 60)], weights=[0.5, 0.3, 0.2], seed=1),
    "sample_weights_tensor": lambda tf: tf.data.Dataset.sample_from_datasets(
        [_a(tf), _b(tf)], weights=tf.constant([0.2, 0.8]), seed=5),
    "sample_weights_float64": lambda tf: tf.data.Dataset.sample_from_datasets(
        [_a(tf), _b(tf)], weights=tf.constant([0.6, 0.4], tf.float64), seed=5),
    "sample_stop": lambda tf: tf.data.Dataset.sample_from_datasets([_a(tf), _b(tf)], seed=9,
                                                                   stop_on_empty_dataset=True),
    "sample_infinite": lambda tf: tf.data.Dataset.sample_from_datasets([_a(tf).repeat(), _b(tf).repeat()], seed=3),
    "sample_one": lambda tf: tf.data.Dataset.sample_from_datasets([_a(tf)], seed=3),
    "sample_zero_weight": lambda tf: tf.data.Dataset.sample_from_datasets([_a(tf), _b(tf)], [0.0, 1.0], seed=3),
    "sample_weights_dataset": lambda tf: tf.data.Dataset.sample_from_datasets(
        [_a(tf), _b(tf)], tf.data.Dataset.from_tensors([0.3, 0.7]).repeat(), seed=4),
    "sample_empty": lambda tf: tf.data.Dataset.sample_from_datasets([], seed=3),
    "sample_weights_length": lambda tf: tf.data.Dataset.sample_from_datasets([_a(tf), _b(tf)], [1.0], seed=3),
    "sample_weights_int": lambda tf: tf.data.Dataset.sample_from_datasets([_a(tf), _b(tf)], tf.constant([1, 2]),
                                                                          seed=3),
    "sample_incompatible": lambda tf: tf.data.Dataset.sample_from_datasets(
        [_a(tf), tf.data.Dataset.range(3).map(lambda x: tf.cast(x, tf.int32))], seed=3),
    "sample_shapes": lambda tf: tf.data.Dataset.sample_from_datasets(
        [tf.data.Dataset.from_tensors([1, 2]), tf.data.Dataset.from_tensors([1, 2, 3])], seed=3),
    "choose": lambda tf: tf.data.Dataset.choose_from_datasets([_a(tf), _b(tf), tf.data.Dataset.range(7, 8)],
                                                              _choices(tf)),
    "choose_no_stop": lambda tf: tf.data.Dataset.choose_from_datasets(
        [_a(tf), _b(tf), tf.data.Dataset.range(7, 8)], _choices(tf).repeat(2), stop_on_empty_dataset=False),
    "choose_stop": lambda tf: tf.data.Dataset.choose_from_datasets([_a(tf), _b(tf), tf.data.Dataset.range(7, 8)],
                                                                   _choices(tf).repeat(2)),
    "choose_out_of_range": lambda tf: tf.data.Dataset.choose_from_datasets([_a(tf), _b(tf)], _choices(tf)),
    "choose_int32": lambda tf: tf.data.Dataset.choose_from_datasets(
        [_a(tf), _b(tf)], tf.data.Dataset.range(2).map(lambda x: tf.cast(x, tf.int32))),
    "choose_empty": lambda tf: tf.data.Dataset.choose_from_datasets([], _choices(tf)),
    "choose_list": lambda tf: tf.data.Dataset.choose_from_datasets([_a(tf), _b(tf)], [0, 1]),
    "choose_infinite": lambda tf: tf.data.Dataset.choose_from_datasets([_a(tf).repeat(), _b(tf)],
                                                                       _choices(tf).take(4)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(tf_oracle, name) -> None:
    assert_same(ff, tf_oracle, CASES[name])


def test_random_follows_the_global_seed(tf_oracle) -> None:
    got = []
    for tf in (ff, tf_oracle):
        tf.random.set_seed(7)
        got.append([[int(x) for x in tf.data.Dataset.random().take(2)] for _ in range(2)])
    assert got[0] == got[1]


def test_random_passes(tf_oracle) -> None:
    # without rerandomize_each_iteration every pass repeats the sequence; with it, each pass draws new seeds
    for flag in (False, True):
        passes = []
        for tf in (ff, tf_oracle):
            ds = tf.data.Dataset.random(seed=4, rerandomize_each_iteration=flag).take(3)
            passes.append([[int(x) for x in ds] for _ in range(3)])
        assert passes[0] == passes[1]


@settings(max_examples=15)
@given(seed=st.integers(0, 2**31 - 1), weights=st.lists(st.floats(0.05, 1.0), min_size=2, max_size=4))
def test_sample_from_datasets_draws_as_tensorflow(tf_oracle, seed, weights) -> None:
    assert_same(ff, tf_oracle, lambda tf: tf.data.Dataset.sample_from_datasets(
        [tf.data.Dataset.range(i * 100, i * 100 + 6) for i in range(len(weights))], weights, seed=seed))
