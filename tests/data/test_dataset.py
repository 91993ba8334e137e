"""tf.data.Dataset: elements, structure, cardinality and reprs equal to real TensorFlow's."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff


def _np_list(ds) -> list:
    return [ff.nest.map_structure(lambda x: np.asarray(x).tolist(), e) for e in ds.as_numpy_iterator()]


PIPELINES = [
    ("slices", lambda tf: tf.data.Dataset.from_tensor_slices([1, 2, 3])),
    ("slices2d", lambda tf: tf.data.Dataset.from_tensor_slices([[1.0, 2.0], [3.0, 4.0]])),
    ("tuple", lambda tf: tf.data.Dataset.from_tensor_slices(({"a": [1, 2]}, [3.0, 4.0]))),
    ("tensors", lambda tf: tf.data.Dataset.from_tensors([1, 2])),
    ("range", lambda tf: tf.data.Dataset.range(5)),
    ("range3", lambda tf: tf.data.Dataset.range(2, 11, 3)),
    ("batch", lambda tf: tf.data.Dataset.range(5).batch(2)),
    ("batch_drop", lambda tf: tf.data.Dataset.range(5).batch(2, drop_remainder=True)),
    ("map", lambda tf: tf.data.Dataset.range(4).map(lambda x: x * 2)),
    ("map_tuple", lambda tf: tf.data.Dataset.range(3).map(lambda x: (x, x + 1)).map(lambda a, b: a * b)),
    ("filter", lambda tf: tf.data.Dataset.range(6).filter(lambda x: x % 2 == 0)),
    ("repeat", lambda tf: tf.data.Dataset.range(2).repeat(3)),
    ("take_skip", lambda tf: tf.data.Dataset.range(7).take(5).skip(2)),
    ("zip", lambda tf: tf.data.Dataset.zip((tf.data.Dataset.range(3), tf.data.Dataset.range(3, 6)))),
    ("enumerate", lambda tf: tf.data.Dataset.from_tensor_slices([7, 8]).enumerate(start=5)),
    ("cache_prefetch", lambda tf: tf.data.Dataset.range(3).cache().prefetch(tf.data.AUTOTUNE)),
    ("concat", lambda tf: tf.data.Dataset.range(2).concatenate(tf.data.Dataset.range(5, 7))),
    ("unbatch", lambda tf: tf.data.Dataset.range(5).batch(2).unbatch()),
    ("batch_structure", lambda tf: tf.data.Dataset.from_tensor_slices(([1, 2, 3], [[1.0], [2.0], [3.0]])).batch(2)),
]


@pytest.mark.parametrize("name,build", PIPELINES, ids=[p[0] for p in PIPELINES])
def test_pipeline_matches_tensorflow(tf_oracle, name, build) -> None:
    ours, theirs = build(ff), build(tf_oracle)
    assert _np_list(ours) == _np_list(theirs)
    assert repr(ours) == repr(theirs)
    assert int(ours.cardinality()) == int(theirs.cardinality())
    got = [ff.nest.map_structure(lambda t: t.dtype.name, e) for e in ours]
    want = [tf_oracle.nest.map_structure(lambda t: t.dtype.name, e) for e in theirs]
    assert got == want


def test_iteration_prints_tensors_as_tensorflow(tf_oracle) -> None:
    ours = [str(x) for x in ff.data.Dataset.from_tensor_slices([1.5, 2.5])]
    theirs = [str(x) for x in tf_oracle.data.Dataset.from_tensor_slices([1.5, 2.5])]
    assert ours == theirs


def test_len_errors() -> None:
    assert len(ff.data.Dataset.range(5).batch(2)) == 3
    with pytest.raises(TypeError, match="length is unknown"):
        len(ff.data.Dataset.range(5).filter(lambda x: x > 2))
    with pytest.raises(TypeError, match="infinite"):
        len(ff.data.Dataset.range(5).repeat())


def test_mismatched_slices_raise_like_tensorflow() -> None:
    with pytest.raises(ValueError, match="Dimensions 2 and 1 are not compatible"):
        ff.data.Dataset.from_tensor_slices(([1, 2], [3]))
    with pytest.raises(ValueError, match="non-rectangular"):
        ff.data.Dataset.from_tensor_slices([[1, 2], [3]])


def test_shuffle_is_a_seeded_buffered_permutation() -> None:
    ds = ff.data.Dataset.range(100).shuffle(10, seed=3)
    first, second = _np_list(ds), _np_list(ds)
    assert sorted(first) == list(range(100))
    assert first != list(range(100))
    assert first != second  # reshuffled each iteration by default
    again = _np_list(ff.data.Dataset.range(100).shuffle(10, seed=3))
    assert again == first  # same seed, same order
    # a buffer of 10 cannot emit element i before position i - 9
    assert all(pos >= value - 9 for pos, value in enumerate(first))
    fixed = ff.data.Dataset.range(20).shuffle(5, seed=1, reshuffle_each_iteration=False)
    assert _np_list(fixed) == _np_list(fixed)
    assert _np_list(ff.data.Dataset.range(10).shuffle(1, seed=1)) == list(range(10))


def test_random_ops_in_map_draw_as_in_tfs_traced_function(tf_oracle, same_seed_state) -> None:
    """An unseeded random op in a map function takes op seed 0, 1, ... of the traced function, and its kernel
    starts afresh with each iterator: every epoch draws the same (Keras's shuffling relies on it)."""
    results = []
    for lib in (ff, tf_oracle):
        lib.random.set_seed(11)
        ds = lib.data.Dataset.range(3).map(lambda x, lib=lib: (lib.random.shuffle(lib.range(5)),
                                                                 lib.random.uniform([2])))
        epochs = [[[a.tolist(), np.round(b, 6).tolist()] for a, b in ds.as_numpy_iterator()] for _ in range(2)]
        results.append(epochs)
    assert results[0] == results[1]
    assert results[0][0] == results[0][1]
