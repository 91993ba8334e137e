"""``tf.experimental.RowPartition``: every factory, accessor, static property, dtype choice and validation error,
printed under real TensorFlow and under featherflow and compared."""

from __future__ import annotations

import pytest

import featherflow as ff
from tests._cells import run_cells

SETUP = """
import numpy as np
RP = tf.experimental.RowPartition
p = RP.from_value_rowids([0, 0, 2, 2, 3], nrows=5)
q = RP.from_uniform_row_length(3, nvals=12)
def show(part):
    print(repr(part), part.dtype, part.static_nrows, part.static_nvals, part.static_uniform_row_length)
    for name in ["row_splits", "value_rowids", "nrows", "row_lengths", "row_starts", "row_limits",
                 "uniform_row_length", "nvals", "offsets_in_rows", "is_uniform"]:
        print(name, repr(getattr(part, name)()))
"""

CELLS = [
    "show(p)",
    "show(q)",
    "show(RP.from_value_rowids(tf.constant([0, 1, 1], tf.int32)))",
    "show(RP.from_value_rowids([]))",
    "RP.from_value_rowids([0, 1, 1], nrows=1)",
    "RP.from_value_rowids([0, 1, 1], nrows=-1)",
    "RP.from_value_rowids([1, 0, 1])",
    "RP.from_value_rowids([-1, 0, 1])",
    "print(RP.from_value_rowids([1, 0, 1], validate=False).row_splits())",
    "RP.from_value_rowids([0.5])",
    "RP.from_value_rowids([[0]])",
    "RP.from_value_rowids([0, 1], validate=1)",
    "show(RP.from_row_splits([0, 2, 5]))",
    "RP.from_row_splits([])",
    "RP.from_row_splits([1, 2])",
    "RP.from_row_splits([0, 3, 2])",
    "print(RP.from_row_splits([0, 3, 5], dtype=tf.int32).dtype, RP.from_row_splits([0, 3, 5], dtype_hint=tf.int32).dtype)",
    "RP.from_row_splits(tf.constant([0, 3, 5]), dtype=tf.int64)",
    "RP.from_row_splits([0, 3, 5], dtype=tf.float32)",
    "print(RP.from_row_splits(np.array([0, 3, 5], np.int32)).dtype)",
    "show(RP.from_row_lengths([2, 0, 3]))",
    "RP.from_row_lengths([2, -1, 3])",
    "show(RP.from_row_starts([0, 2, 2], nvals=5))",
    "RP.from_row_starts([1, 2, 2], nvals=5)",
    "RP.from_row_starts([0, 3, 2], nvals=5)",
    "RP.from_row_starts([0, 2, 6], nvals=5)",
    "show(RP.from_row_limits([2, 2, 5]))",
    "RP.from_row_limits([-1, 2, 5])",
    "RP.from_row_limits([3, 2, 5])",
    "show(RP.from_uniform_row_length(0, nrows=4))",
    "show(RP.from_uniform_row_length(0, nvals=0))",
    "RP.from_uniform_row_length(3, nvals=10)",
    "RP.from_uniform_row_length(3, nvals=12, nrows=3)",
    "print(RP.from_uniform_row_length(3, nrows=2).nvals())",
    "RP.from_uniform_row_length(-3, nrows=2)",
    "RP.from_uniform_row_length(3)",
    "show(RP.from_uniform_row_length(3, nrows=2, dtype=tf.int32))",
    "show(RP.from_uniform_row_length(tf.constant(3, tf.int32), nrows=2))",
    "show(RP.from_uniform_row_length(3, nrows=2).with_dtype(tf.int32))",
    "show(p.with_dtype(tf.int32)); print(p.with_dtype(tf.int64) is p)",
    "p.with_dtype(tf.int16)",
    "RP(tf.constant([0, 1]))",
    # Keras's array_slicing: row ids of a sparse matrix to row splits
    "print(RP.from_value_rowids(tf.constant([0, 0, 3], tf.int64), nrows=tf.constant(5, tf.int64)).row_splits())",
]


@pytest.fixture(scope="module")
def outputs(tf_oracle) -> tuple[list[str], list[str]]:
    return run_cells(ff, CELLS, SETUP), run_cells(tf_oracle, CELLS, SETUP)


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_case_prints_what_tensorflow_prints(outputs, index: int) -> None:
    ours, theirs = outputs[0][index], outputs[1][index]
    assert ours == theirs, f"case {index}:\n{CELLS[index]}"
