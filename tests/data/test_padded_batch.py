"""``Dataset.padded_batch`` against TensorFlow's: padding to each batch's largest shape or to the shapes given,
padding values, element specs, and TF's errors (composites refused, incompatible shapes and padding values)."""

from __future__ import annotations

import re

import pytest

import featherflow as ff
from tests._cells import run_cells

SETUP = """
d = tf.data.Dataset.range(5).map(lambda x: tf.fill([x], x))
dense = tf.data.Dataset.from_tensor_slices(tf.reshape(tf.range(6.0), [3, 2]))
"""

CELLS = [
    "for e in d.padded_batch(2): print(e)",
    "for e in d.padded_batch(2, padded_shapes=[5], padding_values=tf.constant(-1, tf.int64)): print(e)",
    "print(d.padded_batch(2, padded_shapes=5, drop_remainder=True).element_spec)",
    "for e in d.padded_batch(2, padded_shapes=[3]): print(e)",
    """
z = tf.data.Dataset.zip((d, tf.data.Dataset.range(5)))
for e in z.padded_batch(3, padding_values=(tf.constant(9, tf.int64), tf.constant(0, tf.int64))): print(e)
""",
    'for e in tf.data.Dataset.from_tensor_slices([["a"], ["b"]]).padded_batch(2, padded_shapes=[3]): print(e)',
    "for e in tf.data.Dataset.from_tensor_slices([[True], [False]]).padded_batch(2, padded_shapes=[2]): print(e)",
    "tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1], [2, 3]])).padded_batch(2)",
    "tf.data.Dataset.from_tensor_slices(tf.sparse.eye(2)).padded_batch(2)",
    "d.padded_batch(0)",
    "d.padded_batch(2, padding_values=tf.constant(1, tf.int32))",
    """
print(dense.padded_batch(2).element_spec)
print(dense.padded_batch(2, padded_shapes=[4]).element_spec)
print(dense.padded_batch(2, padded_shapes=[-1]).element_spec)
print(dense.padded_batch(2, padded_shapes=tf.TensorShape([4])).element_spec)
for e in dense.padded_batch(2, padded_shapes=[4], padding_values=-1.0): print(e)
""",
    "dense.padded_batch(2, padded_shapes=[1])",
    "dense.padded_batch(2, padded_shapes=[None, 2])",
    """
ds = tf.data.Dataset.from_tensor_slices({"a": tf.zeros([2, 1]), "b": [1, 2]})
for e in ds.padded_batch(2, padded_shapes={"a": [3], "b": []}, padding_values={"a": 7.0, "b": 0}): print(e)
""",
]


def _message(e: BaseException) -> str:
    # TF prefixes kernel errors with the name of the function that ran them; the message follows
    return re.sub(r" name: $", "", re.sub(r"^{{function_node [^}]*}} ", "", str(e)))


def _run(module: object) -> list[str]:
    return run_cells(module, CELLS, SETUP, message=_message)


@pytest.fixture(scope="module")
def outputs(tf_oracle) -> tuple[list[str], list[str]]:
    return _run(ff), _run(tf_oracle)


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_case_prints_what_tensorflow_prints(outputs, index: int) -> None:
    ours, theirs = outputs[0][index], outputs[1][index]
    assert ours == theirs, f"case {index}:\n{CELLS[index]}"


def test_cardinality() -> None:
    ds = ff.data.Dataset.range(5).map(lambda x: ff.fill([x], x))
    assert len(ds.padded_batch(2)) == 3 and len(ds.padded_batch(2, drop_remainder=True)) == 2
