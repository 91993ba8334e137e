"""tf.train.SequenceExample parsing against TensorFlow: ``parse_single_sequence_example`` and
``parse_sequence_example`` give TF's printed results (context, feature lists, lengths) and errors."""

from __future__ import annotations

import pytest

import featherflow as ff


def outcome(fn, mod):
    try:
        return "ok", repr(fn(mod))
    except Exception as e:  # noqa: BLE001 - the error's type and text are what is compared
        return type(e).__name__, str(e).removesuffix(" name: ")


def feature(tf, values):
    if values and isinstance(values[0], float):
        return tf.train.Feature(float_list=tf.train.FloatList(value=values))
    if values and isinstance(values[0], bytes):
        return tf.train.Feature(bytes_list=tf.train.BytesList(value=values))
    return tf.train.Feature(int64_list=tf.train.Int64List(value=values))


def sequence(tf, context, **lists):
    return tf.train.SequenceExample(
        context=tf.train.Features(feature={k: feature(tf, v) for k, v in context.items()}),
        feature_lists=tf.train.FeatureLists(feature_list={
            k: tf.train.FeatureList(feature=[feature(tf, step) for step in steps]) for k, steps in lists.items()}),
    ).SerializeToString()


def s1(tf):
    return sequence(tf, {"c": [7], "w": [0.5, 1.5]}, x=[[1, 2], [3, 4], [5, 6]], v=[[1.5], [0.5], [2.5, 3.5]],
                    s=[[b"a"], [b"b", b"c"]])


def s2(tf):
    return sequence(tf, {"c": [8]}, x=[[9, 9]], v=[[4.5]])


def F(tf, *a, **k):  # noqa: N802 - TF's class names
    return tf.io.FixedLenFeature(*a, **k)


def S(tf, *a, **k):  # noqa: N802
    return tf.io.FixedLenSequenceFeature(*a, **k)


def single(tf, context, lists, data=s1):
    return tf.io.parse_single_sequence_example(data(tf), context, lists)


def batch(tf, context, lists):
    return tf.io.parse_sequence_example([s1(tf), s2(tf)], context, lists)


CASES = {
    "single_all": lambda tf: single(tf, {"c": F(tf, [], tf.int64)}, {"x": S(tf, [2], tf.int64),
                                                                     "v": tf.io.VarLenFeature(tf.float32),
                                                                     "s": tf.io.VarLenFeature(tf.string)}),
    "single_lists_only": lambda tf: single(tf, None, {"x": S(tf, [2], tf.int64)}),
    "single_context_only": lambda tf: single(tf, {"c": F(tf, [], tf.int64), "w": tf.io.VarLenFeature(tf.float32)},
                                             None),
    "single_missing_list": lambda tf: single(tf, None, {"q": S(tf, [2], tf.int64)}),
    "single_missing_allowed": lambda tf: single(tf, None, {"q": S(tf, [2], tf.int64, allow_missing=True)}),
    "single_count_mismatch": lambda tf: single(tf, None, {"x": S(tf, [3], tf.int64)}),
    "single_type_mismatch": lambda tf: single(tf, None, {"x": S(tf, [2], tf.float32)}),
    "single_sparse_type_mismatch": lambda tf: single(tf, None, {"x": tf.io.VarLenFeature(tf.float32)}),
    "single_ragged": lambda tf: single(tf, None, {"v": tf.io.RaggedFeature(tf.float32)}),
    "single_context_missing": lambda tf: single(tf, {"q": F(tf, [], tf.int64)}, None),
    "single_context_default": lambda tf: single(tf, {"q": F(tf, [2], tf.int64, default_value=[1, 2])}, None),
    "neither": lambda tf: single(tf, None, None),
    "fixed_len_in_lists": lambda tf: single(tf, None, {"x": F(tf, [2], tf.int64)}),
    "garbage": lambda tf: tf.io.parse_single_sequence_example(b"garbage", None, {"x": tf.io.VarLenFeature(tf.int64)}),
    "batch": lambda tf: batch(tf, {"c": F(tf, [], tf.int64)}, {"x": S(tf, [2], tf.int64),
                                                               "v": tf.io.VarLenFeature(tf.float32)}),
    "batch_ragged": lambda tf: batch(tf, None, {"v": tf.io.RaggedFeature(tf.float32)}),
    "batch_ragged_int64": lambda tf: batch(tf, None, {"v": tf.io.RaggedFeature(tf.float32,
                                                                               row_splits_dtype=tf.int64)}),
    "batch_string_steps_padded": lambda tf: tf.io.parse_sequence_example(
        [sequence(tf, {}, s=[[b"a"], [b"b"]]), sequence(tf, {}, s=[[b"c"]])], None,
        {"s": S(tf, [], tf.string, allow_missing=True)}),
    "batch_count_error_first": lambda tf: batch(tf, None, {"s": S(tf, [], tf.string)}),
    "batch_context_varlen": lambda tf: batch(tf, {"w": tf.io.VarLenFeature(tf.float32)}, None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_like_tensorflow(case, tf_oracle):
    fn = CASES[case]
    assert outcome(fn, ff) == outcome(fn, tf_oracle)
