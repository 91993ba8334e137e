"""TF's sparse tensor guide (tensorflow/docs site/en/guide/sparse_tensor.ipynb), its code cells run in order
under real TensorFlow and under featherflow: each cell prints the same text (errors: the same type and message).

The cells are the guide's, in order; left out are the Keras cell (Keras's sparse inputs: the Keras issue) and
the ``tf.data`` cells (datasets of SparseTensors: not in featherflow's ``tf.data`` yet).
"""

from __future__ import annotations

import featherflow as ff
from tests._cells import run_cells

CELLS = [
    """
st1 = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]],
                      values=[10, 20],
                      dense_shape=[3, 10])
""",
    "print(st1)",
    """
def pprint_sparse_tensor(st):
  s = "<SparseTensor shape=%s \\n values={" % (st.dense_shape.numpy().tolist(),)
  for (index, value) in zip(st.indices, st.values):
    s += f"\\n  %s: %s" % (index.numpy().tolist(), value.numpy().tolist())
  return s + "}>"
""",
    "print(pprint_sparse_tensor(st1))",
    """
st2 = tf.sparse.from_dense([[1, 0, 0, 8], [0, 0, 0, 0], [0, 0, 3, 0]])
print(pprint_sparse_tensor(st2))
""",
    """
st3 = tf.sparse.to_dense(st2)
print(st3)
""",
    """
st_a = tf.sparse.SparseTensor(indices=[[0, 2], [3, 4]],
                       values=[31, 2],
                       dense_shape=[4, 10])

st_b = tf.sparse.SparseTensor(indices=[[0, 2], [7, 0]],
                       values=[56, 38],
                       dense_shape=[4, 10])

st_sum = tf.sparse.add(st_a, st_b)

print(pprint_sparse_tensor(st_sum))
""",
    """
st_c = tf.sparse.SparseTensor(indices=([0, 1], [1, 0], [1, 1]),
                       values=[13, 15, 17],
                       dense_shape=(2,2))

mb = tf.constant([[4], [6]])
product = tf.sparse.sparse_dense_matmul(st_c, mb)

print(product)
""",
    """
sparse_pattern_A = tf.sparse.SparseTensor(indices = [[2,4], [3,3], [3,4], [4,3], [4,4], [5,4]],
                         values = [1,1,1,1,1,1],
                         dense_shape = [8,5])
sparse_pattern_B = tf.sparse.SparseTensor(indices = [[0,2], [1,1], [1,3], [2,0], [2,4], [2,5], [3,5],
                                              [4,5], [5,0], [5,4], [5,5], [6,1], [6,3], [7,2]],
                         values = [1,1,1,1,1,1,1,1,1,1,1,1,1,1],
                         dense_shape = [8,6])
sparse_pattern_C = tf.sparse.SparseTensor(indices = [[3,0], [4,0]],
                         values = [1,1],
                         dense_shape = [8,6])

sparse_patterns_list = [sparse_pattern_A, sparse_pattern_B, sparse_pattern_C]
sparse_pattern = tf.sparse.concat(axis=1, sp_inputs=sparse_patterns_list)
print(tf.sparse.to_dense(sparse_pattern))
""",
    """
sparse_slice_A = tf.sparse.slice(sparse_pattern_A, start = [0,0], size = [8,5])
sparse_slice_B = tf.sparse.slice(sparse_pattern_B, start = [0,5], size = [8,6])
sparse_slice_C = tf.sparse.slice(sparse_pattern_C, start = [0,10], size = [8,6])
print(tf.sparse.to_dense(sparse_slice_A))
print(tf.sparse.to_dense(sparse_slice_B))
print(tf.sparse.to_dense(sparse_slice_C))
""",
    """
st2_plus_5 = tf.sparse.map_values(tf.add, st2, 5)
print(tf.sparse.to_dense(st2_plus_5))
""",
    """
st2_plus_5 = tf.sparse.SparseTensor(
    st2.indices,
    st2.values + 5,
    st2.dense_shape)
print(tf.sparse.to_dense(st2_plus_5))
""",
    """
@tf.function
def f(x,y):
  return tf.sparse.sparse_dense_matmul(x,y)

a = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]],
                    values=[15, 25],
                    dense_shape=[3, 10])

b = tf.sparse.to_dense(tf.sparse.transpose(a))

c = f(a,b)

print(c)
""",
    "print(tf.sparse.reduce_max(tf.sparse.from_dense([-5, 0, -3])))",
    "print(tf.math.reduce_max([-5, 0, -3]))",
]


def _run(lib) -> list[str]:
    return run_cells(lib, CELLS)


def test_guide_cells_print_what_tensorflow_prints(tf_oracle) -> None:
    ours, theirs = _run(ff), _run(tf_oracle)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert a == b, f"cell {i}:\n{CELLS[i]}"
