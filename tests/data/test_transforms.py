"""Dataset.flat_map, interleave, shard, window, scan, take_while, unique, ignore_errors, get_single_element,
rebatch and sparse_batch against real TensorFlow: reprs, cardinalities, values, orders and errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff

from ._oracle import assert_same


def _range(tf, *args):
    return tf.data.Dataset.range(*args)


def _check_numerics(tf):
    return tf.data.Dataset.from_tensor_slices([1.0, 2.0, 0.0, 4.0]).map(
        lambda x: tf.debugging.check_numerics(1.0 / x, "bad"))


CASES = {
    "flat_map": lambda tf: _range(tf, 4).flat_map(lambda x: tf.data.Dataset.range(x)),
    "flat_map_tuple": lambda tf: tf.data.Dataset.from_tensor_slices(([1, 2], [3.0, 4.0])).flat_map(
        lambda a, b: tf.data.Dataset.from_tensors((a, b)).repeat(2)),
    "interleave": lambda tf: _range(tf, 1, 6).interleave(lambda x: tf.data.Dataset.from_tensors(x).repeat(x),
                                                         cycle_length=2),
    "interleave_block": lambda tf: _range(tf, 1, 6).interleave(
        lambda x: tf.data.Dataset.from_tensors(x).repeat(x), cycle_length=3, block_length=2),
    "interleave_parallel": lambda tf: _range(tf, 1, 6).interleave(
        lambda x: tf.data.Dataset.from_tensors(x).repeat(x), cycle_length=3, block_length=2, num_parallel_calls=2,
        deterministic=True),
    "interleave_default_cycle": lambda tf: _range(tf, 1, 6).interleave(
        lambda x: tf.data.Dataset.from_tensors(x).repeat(x)),
    "interleave_cycle0": lambda tf: _range(tf, 3).interleave(lambda x: tf.data.Dataset.range(x), cycle_length=0),
    "interleave_block0": lambda tf: _range(tf, 3).interleave(lambda x: tf.data.Dataset.range(x), block_length=0),
    "interleave_parallel_cycle0": lambda tf: _range(tf, 3).interleave(
        lambda x: tf.data.Dataset.range(x), cycle_length=0, num_parallel_calls=2),
    "interleave_parallel_block0": lambda tf: _range(tf, 3).interleave(
        lambda x: tf.data.Dataset.range(x), block_length=0, num_parallel_calls=2),
    "interleave_parallel_calls0": lambda tf: _range(tf, 3).interleave(
        lambda x: tf.data.Dataset.range(x), num_parallel_calls=0),
    "shard": lambda tf: _range(tf, 10).shard(3, 1),
    "shard_last": lambda tf: _range(tf, 11).shard(3, 2),
    "shard_infinite": lambda tf: _range(tf, 10).repeat().shard(3, 1),
    "shard_unknown": lambda tf: _range(tf, 10).filter(lambda x: x > 2).shard(2, 0),
    "shard_zero": lambda tf: _range(tf, 10).shard(0, 0),
    "shard_index": lambda tf: _range(tf, 10).shard(3, 3),
    "shard_negative_index": lambda tf: _range(tf, 10).shard(3, -1),
    "window": lambda tf: _range(tf, 7).window(3, 2),
    "window_shift1": lambda tf: _range(tf, 7).window(3, 1),
    "window_big_shift": lambda tf: _range(tf, 7).window(2, 3),
    "window_drop": lambda tf: _range(tf, 7).window(3, 2, 2, drop_remainder=True),
    "window_drop_short": lambda tf: _range(tf, 2).window(3, drop_remainder=True),
    "window_stride": lambda tf: _range(tf, 10).window(3, 4, 2),
    "window_tuple": lambda tf: tf.data.Dataset.from_tensor_slices(([1, 2, 3], [4.0, 5.0, 6.0])).window(2),
    "window_dict": lambda tf: tf.data.Dataset.from_tensor_slices({"a": [1, 2, 3]}).window(2),
    "window_flat_map": lambda tf: _range(tf, 7).window(3, 2).flat_map(lambda w: w.batch(3)),
    "window_zip": lambda tf: tf.data.Dataset.from_tensor_slices(([1, 2, 3], [4.0, 5.0, 6.0])).window(2).flat_map(
        lambda a, b: tf.data.Dataset.zip((a.batch(2), b.batch(2)))),
    "window_size0": lambda tf: _range(tf, 7).window(0),
    "window_shift0": lambda tf: _range(tf, 7).window(2, 0),
    "window_stride0": lambda tf: _range(tf, 7).window(2, 1, 0),
    "scan": lambda tf: _range(tf, 5).scan(tf.constant(0, tf.int64), lambda s, x: (s + x, s * 2)),
    "scan_tuple_element": lambda tf: tf.data.Dataset.from_tensor_slices(([1, 2], [3, 4])).scan(
        0, lambda s, x: (s + 1, x)),
    "scan_state_dtype": lambda tf: _range(tf, 5).scan(0, lambda s, x: (x, s)),
    "take_while": lambda tf: _range(tf, 10).take_while(lambda x: x < 4),
    "unique": lambda tf: tf.data.Dataset.from_tensor_slices([1, 3, 1, 2, 3, 5]).unique(),
    "unique_strings": lambda tf: tf.data.Dataset.from_tensor_slices([b"a", b"b", b"a"]).unique(),
    "unique_float": lambda tf: tf.data.Dataset.from_tensor_slices([1.0, 2.0]).unique(),
    "unique_tuple": lambda tf: tf.data.Dataset.from_tensor_slices(([1], [2])).unique(),
    "ignore_errors": lambda tf: _check_numerics(tf).ignore_errors(),
    "single_element": lambda tf: _range(tf, 1).map(lambda x: (x, x + 1)).get_single_element(),
    "single_element_empty": lambda tf: _range(tf, 0).get_single_element(),
    "single_element_two": lambda tf: _range(tf, 2).get_single_element(),
    "rebatch": lambda tf: _range(tf, 10).batch(4).rebatch(3),
    "rebatch_drop": lambda tf: _range(tf, 10).batch(4).rebatch(3, drop_remainder=True),
    "rebatch_sizes": lambda tf: _range(tf, 10).batch(4).rebatch([2, 1]),
    "rebatch_static": lambda tf: _range(tf, 10).batch(4, drop_remainder=True).rebatch(2),
    "rebatch_scalar": lambda tf: _range(tf, 10).rebatch(2),
    "sparse_batch": lambda tf: _range(tf, 1, 5).map(lambda x: tf.fill([x], x)).sparse_batch(2, [5]),
    "sparse_batch_too_small": lambda tf: _range(tf, 1, 5).map(lambda x: tf.fill([x], x)).sparse_batch(2, [2]),
    "sparse_batch_negative": lambda tf: _range(tf, 1, 5).map(lambda x: tf.fill([x], x)).sparse_batch(2, [-1]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(tf_oracle, name) -> None:
    assert_same(ff, tf_oracle, CASES[name])


def test_take_while_predicate_must_return_a_bool_scalar(tf_oracle) -> None:
    # TF refuses when tracing the predicate; featherflow when it first runs it (at the first element)
    for tf in (ff, tf_oracle):
        with pytest.raises(ValueError, match=r"must return a `tf.bool` scalar tensor but its return type "
                                             r"isTensorSpec\(shape=\(\), dtype=tf.int64, name=None\)\."):
            list(tf.data.Dataset.range(3).take_while(lambda x: x))


def test_window_elements_are_datasets_with_their_own_cardinality(tf_oracle) -> None:
    for tf in (ff, tf_oracle):
        first = next(iter(tf.data.Dataset.range(7).window(3, 2)))
        assert repr(first) == "<_VariantDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>"
        assert int(first.cardinality()) == 3
        with pytest.raises(TypeError, match="as_numpy_iterator"):
            tf.data.Dataset.range(7).window(3).as_numpy_iterator()


def test_transformations_pass_options_on() -> None:
    options = ff.data.Options()
    options.deterministic = False
    ds = ff.data.Dataset.range(4).with_options(options).shard(2, 0).window(2).flat_map(lambda w: w)
    assert ds.options().deterministic is False


@settings(max_examples=20)
@given(n=st.integers(0, 12), size=st.integers(1, 4), shift=st.integers(1, 4), stride=st.integers(1, 3),
       drop=st.booleans())
def test_window_any_geometry(tf_oracle, n, size, shift, stride, drop) -> None:
    assert_same(ff, tf_oracle, lambda tf: tf.data.Dataset.range(n).window(size, shift, stride, drop))


@settings(max_examples=20)
@given(n=st.integers(0, 9), cycle=st.integers(1, 4), block=st.integers(1, 3))
def test_interleave_any_cycle_and_block(tf_oracle, n, cycle, block) -> None:
    assert_same(ff, tf_oracle, lambda tf: tf.data.Dataset.range(n).interleave(
        lambda x: tf.data.Dataset.range(x).map(lambda y: y * 10 + x), cycle_length=cycle, block_length=block))


@settings(max_examples=20)
@given(n=st.integers(0, 12), shards=st.integers(1, 4), index=st.integers(0, 3))
def test_shard_any(tf_oracle, n, shards, index) -> None:
    assert_same(ff, tf_oracle, lambda tf: tf.data.Dataset.range(n).shard(shards, index))


@settings(max_examples=20)
@given(n=st.integers(1, 12), batch=st.integers(1, 5), sizes=st.lists(st.integers(1, 4), min_size=1, max_size=3),
       drop=st.booleans())
def test_rebatch_any(tf_oracle, n, batch, sizes, drop) -> None:
    assert_same(ff, tf_oracle, lambda tf: tf.data.Dataset.range(n).batch(batch).rebatch(sizes, drop))
