"""Static shapes of ragged values that tf.data produces, as TF gives them: a batch of ragged rows whose spec
knows a row length is uniform there (TF sets the batched spec's shape on the value), while ``tf.gather`` of ragged
rows leaves every ragged dimension unknown (TF's ``RaggedGather`` builds its result from row splits alone):
Keras's ``ArrayDataAdapter`` batches ragged arrays with such a gather, and checks its batches are (N, None)."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff
from tests._cells import run_cells

CELLS = {
    "from_tensor": """
x = tf.RaggedTensor.from_tensor(np.ones((34, 4), np.float32))
print(x.shape, tf.gather(x, [1, 2]).shape, tf.gather(x, [[1], [2]]).shape, x[1:3].shape)
""",
    "batch_of_rows": """
ds = tf.data.Dataset.from_tensor_slices(tf.RaggedTensor.from_tensor(np.ones((34, 4), np.float32))).batch(16)
print(ds.element_spec)
print([b.shape for b in ds])
""",
    "batch_of_ragged_rows": """
rt = tf.RaggedTensor.from_uniform_row_length(tf.ragged.constant([[1], [2, 3], [], [4], [5, 6], [7]]), 2)
ds = tf.data.Dataset.from_tensor_slices(rt)
print(ds.element_spec)
print([b.shape for b in ds.batch(2)])
print([b.shape for b in tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1], [2, 3]])).batch(2)])
""",
    "gather_in_map": """
x = tf.RaggedTensor.from_tensor(np.arange(12, dtype=np.int32).reshape(6, 2))
ds = tf.data.Dataset.from_tensor_slices(np.array([[0, 1, 2], [3, 4, 5]])).map(lambda i: tf.gather(x, i))
print([(b.shape, b.to_list()) for b in ds])
""",
}


def _run(module) -> list[str]:
    return run_cells(module, list(CELLS.values()), namespace={"np": np})


@pytest.fixture(scope="module")
def tensorflow_printed(tf_oracle) -> list[str]:
    return _run(tf_oracle)


@pytest.mark.parametrize("index", range(len(CELLS)), ids=list(CELLS))
def test_ragged_static_shapes_as_tensorflow(tensorflow_printed, index: int) -> None:
    assert _run(ff)[index] == tensorflow_printed[index]
