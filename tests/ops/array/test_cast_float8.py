"""``tf.cast`` to and from float8 (e4m3fn, e5m2): TF's CPU kernels convert between them and the floats, and from
them on to ints, bool and complex; every other pairing is TF's UnimplementedError. Printed under real TensorFlow
and under featherflow and compared."""

from __future__ import annotations

import pytest

import featherflow as ff
from tests._cells import run_cells

SETUP = """
E = tf.dtypes.experimental
x = tf.constant([1.5, -2.25, 300.0, 1e6, -1e6, float("nan"), 0.1, 500.0])
F8 = [E.float8_e4m3fn, E.float8_e5m2]
def each(f):
    for d in F8:
        try:
            print(repr(f(d)))
        except Exception as e:
            print(type(e).__name__, e)
"""

_FLOATS = ["tf.float32", "tf.float16", "tf.bfloat16", "tf.float64", "E.float8_e4m3fn", "E.float8_e5m2"]
_OTHERS = ["tf.int32", "tf.int64", "tf.bool", "tf.uint8", "tf.int8", "tf.int16", "tf.uint16", "tf.complex64",
           "tf.complex128"]

CELLS = (
    [f"each(lambda d: tf.cast(tf.cast(x, {s}), d))" for s in _FLOATS + _OTHERS]
    + [f"each(lambda d: tf.cast(tf.cast(tf.constant([1.5, -2.25, 300.0, 0.1]), d), {s}))" for s in _FLOATS + _OTHERS]
    + [
        "each(lambda d: tf.cast(tf.cast(x, d), tf.float32) * 2)",
        "each(lambda d: tf.cast(tf.constant(['a']), d))",
        "each(lambda d: tf.cast(tf.cast(x, d), tf.string))",
        "each(lambda d: tf.cast(tf.cast(x, d), E.float8_e4m3fnuz))",
        "print(tf.cast(x, E.float8_e5m2fnuz))",
        "each(lambda d: tf.cast(tf.cast(tf.constant([1, 2]), E.int4), d))",
        "each(lambda d: tf.cast(tf.cast(x, d), E.int4))",
        "each(lambda d: tf.cast(x, d) + tf.cast(x, d))",
        "each(lambda d: tf.cast(tf.constant([1e300, 0.1, 448.0000001, 464.0], tf.float64), d))",
    ]
)


@pytest.fixture(scope="module")
def outputs(tf_oracle) -> tuple[list[str], list[str]]:
    return run_cells(ff, CELLS, SETUP), run_cells(tf_oracle, CELLS, SETUP)


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_case_prints_what_tensorflow_prints(outputs, index: int) -> None:
    ours, theirs = outputs[0][index], outputs[1][index]
    assert ours == theirs, f"case {index}:\n{CELLS[index]}"


def test_float8_cast_has_no_gradient(tf_oracle) -> None:
    for tf in (ff, tf_oracle):
        x = tf.constant([1.5, -2.25])
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cast(tf.cast(x, tf.dtypes.experimental.float8_e5m2), tf.float32)
        assert tape.gradient(y, x) is None
