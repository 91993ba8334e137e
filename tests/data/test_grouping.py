"""Dataset.group_by_window and bucket_by_sequence_length against real TensorFlow."""

from __future__ import annotations

import pytest

import featherflow as ff

from ._oracle import assert_same


def _sequences(tf):
    return tf.data.Dataset.range(1, 9).map(lambda x: tf.fill([x], x))


def _length(tf):
    return lambda x: tf.shape(x)[0]


CASES = {
    "window": lambda tf: tf.data.Dataset.range(10).group_by_window(lambda x: x % 3, lambda k, w: w.batch(2), 2),
    "key_order": lambda tf: tf.data.Dataset.from_tensor_slices([5, 1, 3, 5, 2, 1, 5]).group_by_window(
        lambda x: tf.cast(x, tf.int64), lambda k, w: w.batch(5), window_size=2),
    "size_func": lambda tf: tf.data.Dataset.range(10).group_by_window(
        lambda x: x % 3, lambda k, w: w.batch(10), window_size_func=lambda k: k + 1),
    "both_sizes": lambda tf: tf.data.Dataset.range(10).group_by_window(
        lambda x: x % 3, lambda k, w: w.batch(10), window_size=2, window_size_func=lambda k: k + 1),
    "no_size": lambda tf: tf.data.Dataset.range(10).group_by_window(lambda x: x % 3, lambda k, w: w.batch(10)),
    "reduce_not_dataset": lambda tf: tf.data.Dataset.range(10).group_by_window(lambda x: x % 3, lambda k, w: k, 2),
    "size_zero": lambda tf: tf.data.Dataset.range(10).group_by_window(
        lambda x: x % 3, lambda k, w: w.batch(10), window_size_func=lambda k: k),
    "bucket": lambda tf: _sequences(tf).bucket_by_sequence_length(_length(tf), [3, 5], [2, 2, 2]),
    "bucket_sizes": lambda tf: _sequences(tf).bucket_by_sequence_length(_length(tf), [2, 4], [3, 2, 1]),
    "bucket_no_padding": lambda tf: tf.data.Dataset.range(1, 9).map(lambda x: tf.fill([2], x))
    .bucket_by_sequence_length(_length(tf), [3, 5], [2, 2, 2], no_padding=True),
    "bucket_drop": lambda tf: _sequences(tf).bucket_by_sequence_length(_length(tf), [3, 5], [2, 3, 2],
                                                                       drop_remainder=True),
    "bucket_padded_shapes": lambda tf: _sequences(tf).bucket_by_sequence_length(
        _length(tf), [3, 5], [2, 2, 2], padded_shapes=[8], padding_values=tf.constant(-1, tf.int64)),
    "bucket_boundary": lambda tf: _sequences(tf).take(5).bucket_by_sequence_length(
        _length(tf), [3, 9], [2, 2, 2], pad_to_bucket_boundary=True),
    "bucket_lengths": lambda tf: _sequences(tf).bucket_by_sequence_length(_length(tf), [3, 5], [2, 2]),
    "bucket_unsorted": lambda tf: _sequences(tf).bucket_by_sequence_length(_length(tf), [5, 3], [2, 2, 2]),
    "bucket_tuple": lambda tf: _sequences(tf).map(lambda x: (x, tf.shape(x)[0])).bucket_by_sequence_length(
        lambda x, n: n, [3, 5], [2, 2, 2]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(tf_oracle, name) -> None:
    assert_same(ff, tf_oracle, CASES[name])


def test_reduce_func_gets_the_key(tf_oracle) -> None:
    got = []
    for tf in (ff, tf_oracle):
        ds = tf.data.Dataset.range(7).group_by_window(
            lambda x: x % 2, lambda k, w, tf=tf: w.batch(3).map(lambda b: (k, tf.reduce_sum(b))), window_size=3)
        got.append([(int(k), int(s)) for k, s in ds])
    assert got[0] == got[1]
