"""Dataset.from_generator and Dataset.list_files against real TensorFlow."""

from __future__ import annotations

import os

import pytest

import featherflow as ff

from ._oracle import assert_same


def _pairs():
    for i in range(3):
        yield i, [i] * i


CASES = {
    "signature": lambda tf: tf.data.Dataset.from_generator(
        _pairs, output_signature=(tf.TensorSpec((), tf.int32), tf.TensorSpec((None,), tf.float32))),
    "types": lambda tf: tf.data.Dataset.from_generator(_pairs, output_types=(tf.int64, tf.int64)),
    "types_shapes": lambda tf: tf.data.Dataset.from_generator(_pairs, output_types=(tf.int64, tf.int64),
                                                              output_shapes=((), (None,))),
    "wrong_shape": lambda tf: tf.data.Dataset.from_generator(
        _pairs, output_signature=(tf.TensorSpec((), tf.int32), tf.TensorSpec((2,), tf.float32))),
    "wrong_dtype": lambda tf: tf.data.Dataset.from_generator(lambda: iter([b"a"]),
                                                             output_signature=tf.TensorSpec((), tf.int32)),
    "tuple_for_scalar": lambda tf: tf.data.Dataset.from_generator(lambda: iter([(1, 2)]),
                                                                  output_signature=tf.TensorSpec((), tf.int32)),
    "scalar_for_tuple": lambda tf: tf.data.Dataset.from_generator(
        lambda: iter([3]), output_signature=(tf.TensorSpec((), tf.int32), tf.TensorSpec((), tf.int32))),
    "args": lambda tf: tf.data.Dataset.from_generator(lambda a, b: iter(range(a, b)), output_types=tf.int64,
                                                      args=(2, 5)),
    "string_args": lambda tf: tf.data.Dataset.from_generator(lambda a: iter([a, a]), output_types=tf.string,
                                                             args=("hi",)),
    "no_signature": lambda tf: tf.data.Dataset.from_generator(_pairs),
    "shapes_only": lambda tf: tf.data.Dataset.from_generator(_pairs, output_shapes=((), (None,))),
    "types_and_signature": lambda tf: tf.data.Dataset.from_generator(_pairs, output_types=tf.int64,
                                                                     output_signature=tf.TensorSpec(())),
    "not_callable": lambda tf: tf.data.Dataset.from_generator(3, output_types=tf.int64),
    "dict": lambda tf: tf.data.Dataset.from_generator(
        lambda: iter([{"a": 1, "b": [1.0]}]),
        output_signature={"a": tf.TensorSpec((), tf.int64), "b": tf.TensorSpec((1,), tf.float32)}),
    "strings": lambda tf: tf.data.Dataset.from_generator(lambda: iter(["x", b"y"]),
                                                         output_signature=tf.TensorSpec((), tf.string)),
    "raises": lambda tf: tf.data.Dataset.from_generator(lambda: (1 / 0 for _ in range(2)), output_types=tf.float32),
    "ignore_errors": lambda tf: tf.data.Dataset.from_generator(
        lambda: iter([1, 2, [3], 4]), output_signature=tf.TensorSpec((), tf.int32)).ignore_errors(),
    "padded_batch": lambda tf: tf.data.Dataset.from_generator(
        _pairs, output_signature=(tf.TensorSpec((), tf.int32), tf.TensorSpec((None,), tf.float32))).padded_batch(2),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_from_generator_matches_tensorflow(tf_oracle, name) -> None:
    assert_same(ff, tf_oracle, CASES[name])


def test_generator_is_called_at_each_pass() -> None:
    calls = []

    def gen():
        calls.append(1)
        yield from range(2)

    ds = ff.data.Dataset.from_generator(gen, output_types=ff.int64)
    assert [int(x) for x in ds] == [0, 1] and [int(x) for x in ds] == [0, 1]
    assert len(calls) == 2


@pytest.fixture
def files(tmp_path):
    for name in ("b.txt", "a.txt", "c.txt", "d.csv"):
        (tmp_path / name).write_text("")
    return str(tmp_path)


def test_list_files_matches_tensorflow(tf_oracle, files) -> None:
    for build in (lambda tf: tf.data.Dataset.list_files(os.path.join(files, "*.txt"), shuffle=False),
                  lambda tf: tf.data.Dataset.list_files([os.path.join(files, "c*"), os.path.join(files, "a*")],
                                                        shuffle=False),
                  lambda tf: tf.data.Dataset.list_files(os.path.join(files, "*.txt")).take(0),
                  lambda tf: tf.data.Dataset.list_files(os.path.join(files, "*.zz")),
                  lambda tf: tf.data.Dataset.list_files([os.path.join(files, "*.zz"), os.path.join(files, "*.y")])):
        assert_same(ff, tf_oracle, build)


def test_list_files_shuffles_all_names(files) -> None:
    ds = ff.data.Dataset.list_files(os.path.join(files, "*"), seed=3)
    first, second = [x.numpy() for x in ds], [x.numpy() for x in ds]
    assert sorted(first) == sorted(second) == sorted(os.path.join(files, n).encode() for n in
                                                     ("a.txt", "b.txt", "c.txt", "d.csv"))
