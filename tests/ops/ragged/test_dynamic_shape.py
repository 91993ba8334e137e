"""``tf.shape`` of a RaggedTensor: TF's DynamicRaggedShape (printing, rank, partitions, inner shape, static
lengths, indexing uniform dimensions and its errors, ``tf.ones`` / ``tf.zeros`` of it), printed under real
TensorFlow and under featherflow and compared."""

from __future__ import annotations

import pytest

import featherflow as ff
from tests._cells import run_cells

SETUP = """
rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
s = tf.shape(rt)
u = tf.RaggedTensor.from_uniform_row_length(tf.ragged.constant([[1], [2, 3], [4], [5]]), 2)
e = tf.ragged.constant([[[1.0, 2.0]], []], ragged_rank=1)
"""

CELLS = [
    "print(type(s).__name__); print(s); print(repr(s))",
    "print(s.rank, s.num_row_partitions, s.dtype, s.inner_shape, s.static_lengths())",
    "print(s[0], s[-1])",
    "print(s[1])",
    "print(s[2])",
    "print(s[5])",
    "print(s[-3])",
    "print(s.is_uniform(0), s.is_uniform(1))",
    "print(s.is_uniform(-1))",
    "o = tf.ones(s); print(o, o.row_splits.dtype, o.dtype)",
    "o = tf.zeros(s, tf.int64); print(o, o.row_splits.dtype)",
    "s64 = tf.shape(rt, out_type=tf.int64); print(s64.dtype, s64[0], tf.ones(s64).row_splits.dtype)",
    "su = tf.shape(u); print(su, su[1], su.num_row_partitions, su.rank, su.static_lengths(), su.inner_shape)",
    "print(tf.ones(tf.shape(u), tf.int32))",
    "print(tf.shape(e), tf.shape(e)[2], tf.ones(tf.shape(e)))",
    "print(tf.shape(e).static_lengths(ragged_lengths=False))",
    "print(tf.ones([2, 1]))",
    # the ragged guide's "Dynamic shape" cell (its tf.reshape to a DynamicRaggedShape is not supported yet)
    """
rt = tf.ragged.constant([[1], [2, 3], [], [4, 5, 6]])
rt_shape = tf.shape(rt)
print(rt_shape)
print(f"tf.zeros(rt_shape) = {tf.zeros(rt_shape)}")
print(f"tf.ones(rt_shape) = {tf.ones(rt_shape)}")
print(f"tf.fill(rt_shape, 'x') = {tf.fill(rt_shape, 'x')}")
""",
    "print(tf.fill(tf.shape(u), 2.5))",
]


def _run(module: object) -> list[str]:
    return run_cells(module, CELLS, SETUP)


@pytest.fixture(scope="module")
def outputs(tf_oracle) -> tuple[list[str], list[str]]:
    return _run(ff), _run(tf_oracle)


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_case_prints_what_tensorflow_prints(outputs, index: int) -> None:
    ours, theirs = outputs[0][index], outputs[1][index]
    assert ours == theirs, f"case {index}:\n{CELLS[index]}"


def test_slices_are_refused_by_name() -> None:
    s = ff.shape(ff.ragged.constant([[1], [2, 3]]))
    with pytest.raises(NotImplementedError, match="slicing a DynamicRaggedShape"):
        s[1:]
