"""The rest of tf.io against TensorFlow: SparseTensor serialization, decode_json_example, match_filenames_once."""

from __future__ import annotations

import pytest

import featherflow as ff


def outcome(fn, mod):
    try:
        return "ok", repr(fn(mod))
    except Exception as e:  # noqa: BLE001 - the error's type and text are what is compared
        return type(e).__name__, str(e).removesuffix(" name: ")


def sp(tf):
    return tf.sparse.SparseTensor([[0, 1], [2, 0]], [1.5, 2.5], [3, 4])


def sp3(tf):
    return tf.sparse.SparseTensor([[0, 1, 1], [2, 0, 0], [2, 0, 3]], ["a", "b", "c"], [3, 4, 5])


JSON = '{"features": {"feature": {"a": {"int64List": {"value": ["1", "2"]}}, "b": {"floatList": {"value": [1.5]}}}}}'

CASES = {
    "serialize_sparse": lambda tf: tf.io.serialize_sparse(sp(tf)),
    "serialize_many_sparse": lambda tf: tf.io.serialize_many_sparse(sp(tf)),
    "serialize_many_sparse_strings": lambda tf: tf.io.serialize_many_sparse(sp3(tf)),
    "serialize_many_sparse_rank_1": lambda tf: tf.io.serialize_many_sparse(tf.sparse.SparseTensor([[0]], [1], [3])),
    "deserialize_round_trip": lambda tf: tf.io.deserialize_many_sparse(tf.io.serialize_many_sparse(sp(tf)), tf.float32),
    "deserialize_3d": lambda tf: tf.io.deserialize_many_sparse(tf.io.serialize_many_sparse(sp3(tf)), tf.string),
    "deserialize_slice": lambda tf: tf.io.deserialize_many_sparse(tf.io.serialize_many_sparse(sp3(tf))[:2],
                                                                  tf.string),
    "deserialize_wrong_type": lambda tf: tf.io.deserialize_many_sparse(tf.io.serialize_many_sparse(sp(tf)), tf.int32),
    "deserialize_wrong_rank": lambda tf: tf.io.deserialize_many_sparse(tf.io.serialize_many_sparse(sp(tf)),
                                                                       tf.float32, rank=3),
    "decode_json_example": lambda tf: tf.train.Example.FromString(tf.io.decode_json_example([JSON]).numpy()[0]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_like_tensorflow(case, tf_oracle):
    fn = CASES[case]
    ours, theirs = outcome(fn, ff), outcome(fn, tf_oracle)
    assert ours == theirs


def test_decode_json_example_refuses_bad_json():
    with pytest.raises(ff.errors.InvalidArgumentError, match="Error while parsing JSON"):
        ff.io.decode_json_example("{bad")


def test_serialize_sparse_refuses_variant_output():
    with pytest.raises(NotImplementedError, match="out_type=variant"):
        ff.io.serialize_sparse(sp(ff), out_type=ff.variant)


def test_match_filenames_once_is_a_variable_of_the_matches(tmp_path, tf_oracle):
    for name in ("b.txt", "a.txt", "c.csv"):
        (tmp_path / name).write_bytes(b"")
    pattern = str(tmp_path / "*.txt")
    ours, theirs = ff.io.match_filenames_once(pattern), tf_oracle.io.match_filenames_once(pattern)
    assert isinstance(ours, ff.Variable) and not ours.trainable
    assert ours.numpy().tolist() == theirs.numpy().tolist()
