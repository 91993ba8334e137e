"""tf.data with RaggedTensor and SparseTensor elements: the tf.data cells of TF's ragged and sparse guides
(site/en/guide/ragged_tensor.ipynb, sparse_tensor.ipynb) and more cases, each run under real TensorFlow and
under featherflow, printing the same text (errors: the same type and message).

The guides' ``feature_tensors`` come from ``tf.io.parse_example``; here the same values are built with
``tf.ragged.constant``.
"""

from __future__ import annotations

import pytest

import featherflow as ff
from tests._cells import run_cells

SETUP = '''
def print_dictionary_dataset(dataset):
  for i, element in enumerate(dataset):
    print("Element {}:".format(i))
    for (feature_name, feature_value) in element.items():
      print('{:>14} = {}'.format(feature_name, feature_value))

def pprint_sparse_tensor(st):
  s = "<SparseTensor shape=%s \\n values={" % (st.dense_shape.numpy().tolist(),)
  for (index, value) in zip(st.indices, st.values):
    s += f"\\n  %s: %s" % (index.numpy().tolist(), value.numpy().tolist())
  return s + "}>"

feature_tensors = {
    "colors": tf.ragged.constant([["red", "blue"], ["orange"], ["black", "yellow"], ["blue", "green"]]),
    "lengths": tf.ragged.constant([[7], [], [3, 5, 1], [3, 1]], dtype=tf.int64),
}
dataset = tf.data.Dataset.from_tensor_slices(feature_tensors)
rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
r3 = tf.ragged.constant([[[1], [2, 3]], [[4]], []])
sp = tf.sparse.SparseTensor(indices=[[0, 0], [1, 2], [2, 1]], values=[1.0, 2.0, 3.0], dense_shape=[3, 4])
'''

CELLS = [
    # --- the ragged guide's tf.data section
    "print_dictionary_dataset(dataset)",
    """
batched_dataset = dataset.batch(2)
print_dictionary_dataset(batched_dataset)
""",
    """
unbatched_dataset = batched_dataset.unbatch()
print_dictionary_dataset(unbatched_dataset)
""",
    """
non_ragged_dataset = tf.data.Dataset.from_tensor_slices([1, 5, 3, 2, 8])
non_ragged_dataset = non_ragged_dataset.map(tf.range)
batched_non_ragged_dataset = non_ragged_dataset.apply(
    tf.data.experimental.dense_to_ragged_batch(2))
for element in batched_non_ragged_dataset:
  print(element)
""",
    """
def transform_lengths(features):
  return {
      'mean_length': tf.math.reduce_mean(features['lengths']),
      'length_ranges': tf.ragged.range(features['lengths'])}
transformed_dataset = dataset.map(transform_lengths)
print_dictionary_dataset(transformed_dataset)
""",
    # --- the sparse guide's tf.data section
    """
dataset_st = tf.data.Dataset.from_tensor_slices(sp)
for element in dataset_st:
  print(pprint_sparse_tensor(element))
""",
    """
batched_dataset_st = dataset_st.batch(2)
for element in batched_dataset_st:
  print(pprint_sparse_tensor(element))
""",
    """
unbatched_dataset_st = batched_dataset_st.unbatch()
for element in unbatched_dataset_st:
  print(pprint_sparse_tensor(element))
""",
    # --- element specs and printing
    """
ds = tf.data.Dataset.from_tensor_slices(rt)
print(ds.element_spec)
print(ds)
for e in ds: print(e)
""",
    """
ds = tf.data.Dataset.from_tensor_slices(r3)
print(ds.element_spec)
for e in ds: print(e)
for e in ds.batch(2): print(e)
print(ds.batch(2).element_spec)
""",
    """
ds = tf.data.Dataset.from_tensor_slices(sp)
print(ds.element_spec)
for e in ds: print(e)
print(ds.batch(2).element_spec, ds.batch(2, drop_remainder=True).element_spec)
print(ds.batch(2).unbatch().element_spec)
for e in ds.batch(2): print(e)
""",
    """
print(tf.data.Dataset.from_tensors(rt).element_spec)
print(tf.data.Dataset.from_tensors(sp))
for e in tf.data.Dataset.from_tensors(sp): print(e)
""",
    """
ds = tf.data.Dataset.from_tensor_slices(rt)
print(ds.batch(2).element_spec)
for e in ds.batch(2): print(e)
print(ds.batch(2).unbatch().element_spec)
for e in ds.batch(2).unbatch(): print(e)
""",
    """
s3 = tf.sparse.SparseTensor([[0, 0, 1], [1, 2, 0]], [1, 2], [2, 3, 2])
for e in tf.data.Dataset.from_tensor_slices(s3): print(e)
for e in tf.data.Dataset.from_tensor_slices(s3).batch(2): print(e)
""",
    """
ds = tf.data.Dataset.from_tensor_slices({"a": rt, "b": [1, 2, 3], "c": sp})
print(ds.element_spec)
for e in ds.batch(2): print(e)
""",
    """
print(list(tf.data.Dataset.from_tensor_slices(rt).as_numpy_iterator()))
print(list(tf.data.Dataset.from_tensor_slices(sp).as_numpy_iterator()))
""",
    # --- ragged_batch
    """
dense = tf.data.Dataset.from_tensor_slices(tf.constant([[1, 2], [3, 4], [5, 6]]))
print(dense.ragged_batch(2).element_spec)
for e in dense.ragged_batch(2): print(e)
""",
    """
ranges = tf.data.Dataset.range(5).map(lambda x: tf.range(x))
print(ranges.ragged_batch(2).element_spec)
for e in ranges.ragged_batch(2, drop_remainder=True): print(e)
print(ranges.ragged_batch(2, row_splits_dtype=tf.int32).element_spec)
for e in ranges.ragged_batch(2, row_splits_dtype=tf.int32): print(e.row_splits)
""",
    """
print(tf.data.Dataset.range(3).map(lambda x: tf.zeros([x, 2])).ragged_batch(2).element_spec)
for e in tf.data.Dataset.range(3).map(lambda x: tf.zeros([x, 2])).ragged_batch(2): print(e)
""",
    """
ds = tf.data.Dataset.from_tensor_slices(rt)
print(ds.ragged_batch(2).element_spec)
print(ds.batch(2).ragged_batch(2).element_spec)
for e in ds.batch(2).ragged_batch(2): print(e)
print(tf.data.Dataset.from_tensor_slices(sp).ragged_batch(2).element_spec)
""",
    """
ds = tf.data.Dataset.range(4).map(lambda x: tf.ragged.range(x))
print(ds.element_spec)
for e in ds.batch(2): print(e)
for e in ds.ragged_batch(2): print(e)
""",
]


def _run(module: object) -> list[str]:
    return run_cells(module, CELLS, SETUP)


@pytest.fixture(scope="module")
def outputs(tf_oracle) -> tuple[list[str], list[str]]:
    return _run(ff), _run(tf_oracle)


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_cell_prints_what_tensorflow_prints(outputs, index: int) -> None:
    ours, theirs = outputs[0][index], outputs[1][index]
    assert ours == theirs, f"cell {index}:\n{CELLS[index]}"


def test_composite_rows_keep_dtype_and_cardinality() -> None:
    rt = ff.ragged.constant([[1.5], [], [2.5, 3.5]], dtype=ff.float64)
    ds = ff.data.Dataset.from_tensor_slices(rt)
    assert len(ds) == 3 and len(ds.batch(2)) == 2 and len(ds.ragged_batch(2, drop_remainder=True)) == 1
    rows = list(ds)
    assert [r.dtype for r in rows] == [ff.float64] * 3
    assert [r.numpy().tolist() for r in rows] == [[1.5], [], [2.5, 3.5]]
    assert ds.batch(3).element_spec.is_compatible_with(next(iter(ds.batch(3))))


def test_mismatched_slices_raise() -> None:
    rt = ff.ragged.constant([[1], [2, 3]])
    with pytest.raises(ValueError, match="Dimensions 2 and 3 are not compatible"):
        ff.data.Dataset.from_tensor_slices((rt, [1, 2, 3]))
