"""Small top-level names against TF: tf.get_logger and tf.debugging.assert_same_float_dtype."""

from __future__ import annotations

import pytest

import featherflow as ff


def test_get_logger_is_tensorflows_logger(tf_oracle) -> None:
    assert ff.get_logger() is tf_oracle.get_logger()
    assert ff.get_logger().name == "tensorflow"


@pytest.mark.parametrize("args", [
    lambda m: ([m.constant(1.0)], None),
    lambda m: (None, None),
    lambda m: (None, m.float64),
    lambda m: ([m.constant(1.0, m.float16), m.constant([2.0], m.float16)], m.float16),
])
def test_assert_same_float_dtype_matches_tf(tf_oracle, args) -> None:
    assert ff.debugging.assert_same_float_dtype(*args(ff)).name == \
        tf_oracle.debugging.assert_same_float_dtype(*args(tf_oracle)).name


@pytest.mark.parametrize("args", [
    lambda m: ([m.constant(1)], None),
    lambda m: (None, m.int32),
    lambda m: ([m.constant(1.0), m.constant(1.0, m.float64)], None),
    lambda m: ([m.constant(1.0)], m.float64),
])
def test_assert_same_float_dtype_errors_match_tf(tf_oracle, args) -> None:
    messages = []
    for mod in (tf_oracle, ff):
        with pytest.raises(ValueError) as e:
            mod.debugging.assert_same_float_dtype(*args(mod))
        messages.append(str(e.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize("value", [
    lambda m: m.constant([1, 2]), lambda m: [1.0, 2.0], lambda m: "ab", lambda m: m.sparse.from_dense([[1]]),
    lambda m: m.ragged.constant([[1], [2, 3]]),
])
def test_type_spec_from_value_matches_tf(tf_oracle, value) -> None:
    assert repr(ff.type_spec_from_value(value(ff))) == repr(tf_oracle.type_spec_from_value(value(tf_oracle)))


def test_type_spec_from_value_errors(tf_oracle) -> None:
    value = object()
    messages = []
    for mod in (tf_oracle, ff):
        with pytest.raises(TypeError) as e:
            mod.type_spec_from_value(value)
        messages.append(str(e.value))
    assert messages[0] == messages[1]
    with pytest.raises(NotImplementedError, match="VariableSpec"):
        ff.type_spec_from_value(ff.Variable(1.0))
