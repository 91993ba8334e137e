"""``tf.TypeSpec`` (abstract base of the specs) and ``tf.IndexedSlicesSpec`` against real TF."""

from __future__ import annotations

from typing import Any

import pytest

import featherflow as ff


def _specs(tf: Any) -> list:
    return [tf.TensorSpec([1, None]), tf.SparseTensorSpec([2, 3]), tf.RaggedTensorSpec([2, None]),
            tf.TensorArraySpec(), tf.IndexedSlicesSpec([None, 3])]


def test_specs_are_type_specs(tf_oracle):
    expected = [(isinstance(s, tf_oracle.TypeSpec), s.value_type.__name__) for s in _specs(tf_oracle)]
    assert [(isinstance(s, ff.TypeSpec), s.value_type.__name__) for s in _specs(ff)] == expected
    assert not isinstance(ff.TensorShape([1]), ff.TypeSpec)
    assert all(not hasattr(s, "__dict__") for s in _specs(ff))  # the base adds no per-instance dict


def test_type_spec_is_abstract(tf_oracle):
    with pytest.raises(TypeError) as expected:
        tf_oracle.TypeSpec()
    with pytest.raises(TypeError) as got:
        ff.TypeSpec()
    assert str(got.value) == str(expected.value)


ARGS = [
    ((), {}),
    (([None, 3], "float32", "int64", "int32", [2]), {}),
    (([4, 3], "float64"), {"indices_dtype": "int32", "indices_shape": [None]}),
    (([4, 2], "float32", "int64", "int32", [2]), {}),
    (([None, 3], "float32", "int64", "int32", [3]), {}),
    ((None, "float32", "int64", "int64"), {}),
]


def _make(tf: Any, args: tuple, kwargs: dict) -> Any:
    return tf.IndexedSlicesSpec(*args, **kwargs)


@pytest.mark.parametrize("i", range(len(ARGS)))
def test_indexed_slices_spec_repr_eq_compat(tf_oracle, i):
    def summary(tf: Any) -> tuple:
        s = _make(tf, *ARGS[i])
        others = [_make(tf, *a) for a in ARGS]
        return (repr(s), s.value_type.__name__, [s == o for o in others], [s != o for o in others],
                [s.is_compatible_with(o) for o in others], [hash(s) == hash(o) for o in others if s == o],
                s.is_compatible_with(tf.TensorSpec([None, 3])))

    assert summary(ff) == summary(tf_oracle)


def test_indexed_slices_spec_bad_indices_shape(tf_oracle):
    with pytest.raises(ValueError):
        tf_oracle.IndexedSlicesSpec(indices_shape=[2, 2])
    with pytest.raises(ValueError):
        ff.IndexedSlicesSpec(indices_shape=[2, 2])


def test_indexed_slices_spec_compatible_with_value(tf_oracle):
    def check(tf: Any) -> list:
        v = tf.IndexedSlices(tf.constant([[1.0, 2.0, 3.0]]), tf.constant([0], tf.int64), tf.constant([4, 3], tf.int64))
        return [tf.IndexedSlicesSpec([None, 3], dense_shape_dtype=tf.int64).is_compatible_with(v),
                tf.IndexedSlicesSpec([None, 3]).is_compatible_with(v),
                tf.IndexedSlicesSpec([None, 2], dense_shape_dtype=tf.int64).is_compatible_with(v)]

    assert check(ff) == check(tf_oracle)


def test_indexed_slices_type_spec_from_value(tf_oracle):
    def specs(tf: Any) -> list:
        values = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        with_shape = tf.IndexedSlices(values, tf.constant([0, 3], tf.int64), tf.constant([5, 3], tf.int32))
        without = tf.IndexedSlices(values, tf.constant([1, 2]))
        return [repr(tf.type_spec_from_value(with_shape)), repr(tf.type_spec_from_value(without))]

    assert specs(ff) == specs(tf_oracle)
