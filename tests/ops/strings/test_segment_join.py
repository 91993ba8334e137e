"""tf.strings.unsorted_segment_join against TensorFlow: values, shapes and errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff

CASES = [
    "m.strings.unsorted_segment_join(['a', 'b', 'c'], [1, 0, 1], 2, separator=':')",
    "m.strings.unsorted_segment_join([['a', 'b'], ['c', 'd']], [0, 0], 3, separator=',')",
    "m.strings.unsorted_segment_join([['a', 'b'], ['c', 'd']], [[0, 1], [1, 1]], 2)",
    "m.strings.unsorted_segment_join(['', 'a', ''], [0, 0, 0], 1, separator='-')",
    "m.strings.unsorted_segment_join(m.zeros([0, 2], m.string), m.zeros([0], m.int32), 2)",
    "m.strings.unsorted_segment_join(['a'], m.constant([0], m.int64), m.constant(1, m.int64))",
    "m.strings.unsorted_segment_join(['a'], [3], 2)",
    "m.strings.unsorted_segment_join(['a'], [-1], 2)",
    "m.strings.unsorted_segment_join(['a'], 0, 2)",
    "m.strings.unsorted_segment_join(['a', 'b'], [0], 2)",
    "m.strings.unsorted_segment_join(['a'], [[0]], 2)",
    "m.strings.unsorted_segment_join(['a'], [0], [])",
    "m.strings.unsorted_segment_join([1], [0], 1)",
    "m.strings.unsorted_segment_join(['a'], [0.5], 1)",
]


def _run(m, code):
    try:
        r = eval(code, {"m": m})
    except Exception as e:  # noqa: BLE001 - the error's type and text are compared
        return type(e).__name__, str(e).removesuffix(" name: ")
    return r.dtype.name, tuple(r.shape), r.numpy().tolist()


@pytest.mark.parametrize("code", CASES)
def test_matches_tensorflow(tf_oracle, code):
    assert _run(ff, code) == _run(tf_oracle, code)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.text("ab", max_size=2), st.integers(0, 3)), max_size=8), st.sampled_from(["", ",", "::"]))
def test_random_segments_match_tf(tf_oracle, pairs, sep):
    def run(m):
        strings = m.constant([p[0] for p in pairs], m.string)
        ids = m.constant([p[1] for p in pairs], m.int32)
        return m.strings.unsorted_segment_join(strings, ids, 4, separator=sep).numpy().tolist()

    assert run(ff) == run(tf_oracle)
