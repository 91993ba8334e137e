"""``tf.cast`` of an ``IndexedSlices`` (a sparse gradient): TF casts its values and keeps it sparse, so an
optimizer that casts its gradient (Keras's do) still updates only the gathered rows; and Cast's string errors
name TF's types ("float", not "float32"). Compared with real TensorFlow."""

from __future__ import annotations

import pytest

import featherflow as ff
from tests._cells import run_cells

SETUP = """
g = tf.IndexedSlices(tf.constant([[1.5, 2.5]]), tf.constant([1]), tf.constant([3, 2]))
def show(x):
    print(type(x).__name__, repr(x.values), repr(x.indices), repr(x.dense_shape))
"""

CELLS = [
    "show(tf.cast(g, tf.int32))",
    "c = tf.cast(g, tf.float32); show(c); print(c is g, c.values is g.values)",
    "show(tf.cast(tf.IndexedSlices(tf.constant([[1.5, 2.5]]), tf.constant([1])), tf.float64))",
    "show(tf.cast(g, 'float16'))",
    "tf.cast(g, tf.string)",
    "tf.cast(tf.constant([1.0]), tf.string)",
    "tf.cast(tf.constant(['a']), tf.float32)",
    "tf.cast(tf.constant([1], tf.int64), tf.string)",
    """
v = tf.Variable(tf.ones([3, 2]))
v.scatter_sub(tf.cast(g, tf.float32) * 0.5)
print(v.numpy())""",
]


@pytest.fixture(scope="module")
def outputs(tf_oracle) -> tuple[list[str], list[str]]:
    return run_cells(ff, CELLS, SETUP), run_cells(tf_oracle, CELLS, SETUP)


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_case_prints_what_tensorflow_prints(outputs, index: int) -> None:
    ours, theirs = outputs[0][index], outputs[1][index]
    assert ours == theirs, f"case {index}:\n{CELLS[index]}"
