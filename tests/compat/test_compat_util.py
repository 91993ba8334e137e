"""``tf.compat``'s helpers against TensorFlow's: text and bytes, Dimension values, forward compatibility."""

from __future__ import annotations

import pathlib

import numpy as np
import pytest

import featherflow as ff

from ._support import assert_same, outcome

TEXTS = ["héllo", b"h\xc3\xa9llo", bytearray(b"ab"), np.str_("np"), 7, None, ("a", "b"), (b"a",)]


def test_public_names_are_tfs(tf_oracle):
    public = {n for n in dir(tf_oracle.compat) if not n.startswith("_")}
    assert {n for n in dir(ff.compat) if not n.startswith("_")} == public


def test_v2_is_featherflow():
    assert ff.compat.v2 is ff


@pytest.mark.parametrize("name", ["as_bytes", "as_text", "as_str", "as_str_any", "path_to_str"])
@pytest.mark.parametrize("value", TEXTS, ids=repr)
def test_text_conversions(tf_oracle, name, value):
    want = outcome(lambda: getattr(tf_oracle.compat, name)(value))
    assert_same(outcome(lambda: getattr(ff.compat, name)(value)), want)


@pytest.mark.parametrize("name", ["as_bytes", "as_text"])
def test_encodings(tf_oracle, name):
    value = "é" if name == "as_bytes" else "é".encode("latin-1")
    assert getattr(ff.compat, name)(value, "latin-1") == getattr(tf_oracle.compat, name)(value, "latin-1")
    want = outcome(lambda: getattr(tf_oracle.compat, name)(value, "no-such-codec"))
    assert_same(outcome(lambda: getattr(ff.compat, name)(value, "no-such-codec")), want)


def test_path_to_str(tf_oracle):
    path = pathlib.Path("./a/../b")
    assert ff.compat.path_to_str(path) == tf_oracle.compat.path_to_str(path)


def test_type_tuples(tf_oracle):
    for name in ("bytes_or_text_types", "complex_types", "integral_types", "real_types"):
        assert getattr(ff.compat, name) == getattr(tf_oracle.compat, name)


def test_dimension_value_and_at_index(tf_oracle):
    for value in (3, None, ff.compat.v1.Dimension(4), ff.compat.v1.Dimension(None)):
        want_value = value if not isinstance(value, ff.compat.v1.Dimension) else tf_oracle.compat.v1.Dimension(
            value.value)
        assert ff.compat.dimension_value(value) == tf_oracle.compat.dimension_value(want_value)
    for dims, index in (([2, None, 3], 0), ([2, None, 3], 1), ([2, None, 3], -1), (None, 5)):
        got = ff.compat.dimension_at_index(ff.TensorShape(dims), index)
        want = tf_oracle.compat.dimension_at_index(tf_oracle.TensorShape(dims), index)
        assert repr(got) == repr(want)
    assert ff.compat.v1.dimension_value is ff.compat.dimension_value


def test_forward_compatible(tf_oracle):
    for date in ((2026, 1, 15), (2026, 1, 16), (2026, 1, 17), (2019, 5, 1), (2030, 1, 1)):
        assert ff.compat.forward_compatible(*date) == tf_oracle.compat.forward_compatible(*date)
    with ff.compat.forward_compatibility_horizon(2031, 1, 1), \
            tf_oracle.compat.forward_compatibility_horizon(2031, 1, 1):
        for date in ((2030, 12, 31), (2031, 1, 1)):
            assert ff.compat.forward_compatible(*date) == tf_oracle.compat.forward_compatible(*date)
    assert not ff.compat.forward_compatible(2030, 1, 1)
