"""TF's "Introduction to Tensors" and "Tensor slicing" guides (tensorflow/docs site/en/guide/tensor.ipynb and
tensor_slicing.ipynb), their code cells run in order under real TensorFlow and under featherflow: each cell prints
the same text (errors: the same type and message).

The cells are the guides', in order, but for one change: a cell whose last line is a bare expression (the notebook
displays its repr) prints that repr, since ``exec`` displays nothing. ``np`` is NumPy, imported once here.
Beyond the guides: their ops on other inputs and errors (``VARIATION_CELLS``). Float32 softmax is compared by
value: TF's oneDNN kernel has other last bits than NumPy's exp (see the test).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import featherflow as ff
from tests._cells import run_cells

TENSOR_CELLS = [
    """
# This will be an int32 tensor by default; see "dtypes" below.
rank_0_tensor = tf.constant(4)
print(rank_0_tensor)
""",
    """
# Let's make this a float tensor.
rank_1_tensor = tf.constant([2.0, 3.0, 4.0])
print(rank_1_tensor)
""",
    """
# If you want to be specific, you can set the dtype (see below) at creation time
rank_2_tensor = tf.constant([[1, 2],
                             [3, 4],
                             [5, 6]], dtype=tf.float16)
print(rank_2_tensor)
""",
    """
# There can be an arbitrary number of
# axes (sometimes called "dimensions")
rank_3_tensor = tf.constant([
  [[0, 1, 2, 3, 4],
   [5, 6, 7, 8, 9]],
  [[10, 11, 12, 13, 14],
   [15, 16, 17, 18, 19]],
  [[20, 21, 22, 23, 24],
   [25, 26, 27, 28, 29]],])

print(rank_3_tensor)
""",
    "print(repr(np.array(rank_2_tensor)))",
    "print(repr(rank_2_tensor.numpy()))",
    """
a = tf.constant([[1, 2],
                 [3, 4]])
b = tf.constant([[1, 1],
                 [1, 1]]) # Could have also said `tf.ones([2,2])`

print(tf.add(a, b), "\\n")
print(tf.multiply(a, b), "\\n")
print(tf.matmul(a, b), "\\n")
""",
    """
print(a + b, "\\n") # element-wise addition
print(a * b, "\\n") # element-wise multiplication
print(a @ b, "\\n") # matrix multiplication
""",
    """
c = tf.constant([[4.0, 5.0], [10.0, 1.0]])

# Find the largest value
print(tf.reduce_max(c))
# Find the index of the largest value
print(tf.argmax(c))
# Compute the softmax
print(tf.nn.softmax(c))
""",
    "rank_4_tensor = tf.zeros([3, 2, 4, 5])",
    """
print("Type of every element:", rank_4_tensor.dtype)
print("Number of axes:", rank_4_tensor.ndim)
print("Shape of tensor:", rank_4_tensor.shape)
print("Elements along axis 0 of tensor:", rank_4_tensor.shape[0])
print("Elements along the last axis of tensor:", rank_4_tensor.shape[-1])
print("Total number of elements (3*2*4*5): ", tf.size(rank_4_tensor).numpy())
""",
    """
rank_1_tensor = tf.constant([0, 1, 1, 2, 3, 5, 8, 13, 21, 34])
print(rank_1_tensor.numpy())
""",
    """
print("First:", rank_1_tensor[0].numpy())
print("Second:", rank_1_tensor[1].numpy())
print("Last:", rank_1_tensor[-1].numpy())
""",
    """
print("Everything:", rank_1_tensor[:].numpy())
print("Before 4:", rank_1_tensor[:4].numpy())
print("From 4 to the end:", rank_1_tensor[4:].numpy())
print("From 2, before 7:", rank_1_tensor[2:7].numpy())
print("Every other item:", rank_1_tensor[::2].numpy())
print("Reversed:", rank_1_tensor[::-1].numpy())
""",
    "print(rank_2_tensor.numpy())",
    """
# Pull out a single value from a 2-rank tensor
print(rank_2_tensor[1, 1].numpy())
""",
    """
# Get row and column tensors
print("Second row:", rank_2_tensor[1, :].numpy())
print("Second column:", rank_2_tensor[:, 1].numpy())
print("Last row:", rank_2_tensor[-1, :].numpy())
print("First item in last column:", rank_2_tensor[0, -1].numpy())
print("Skip the first row:")
print(rank_2_tensor[1:, :].numpy(), "\\n")
""",
    "print(rank_3_tensor[:, :, 4])",
    """
# Shape returns a `TensorShape` object that shows the size along each axis
x = tf.constant([[1], [2], [3]])
print(x.shape)
""",
    """
# You can convert this object into a Python list, too
print(x.shape.as_list())
""",
    """
# You can reshape a tensor to a new shape.
# Note that you're passing in a list
reshaped = tf.reshape(x, [1, 3])
""",
    """
print(x.shape)
print(reshaped.shape)
""",
    "print(rank_3_tensor)",
    """
# A `-1` passed in the `shape` argument says "Whatever fits".
print(tf.reshape(rank_3_tensor, [-1]))
""",
    """
print(tf.reshape(rank_3_tensor, [3*2, 5]), "\\n")
print(tf.reshape(rank_3_tensor, [3, -1]))
""",
    """
# Bad examples: don't do this

# You can't reorder axes with reshape.
print(tf.reshape(rank_3_tensor, [2, 3, 5]), "\\n")

# This is a mess
print(tf.reshape(rank_3_tensor, [5, 6]), "\\n")

# This doesn't work at all
try:
  tf.reshape(rank_3_tensor, [7, -1])
except Exception as e:
  print(f"{type(e).__name__}: {e}")
""",
    """
the_f64_tensor = tf.constant([2.2, 3.3, 4.4], dtype=tf.float64)
the_f16_tensor = tf.cast(the_f64_tensor, dtype=tf.float16)
# Now, cast to an uint8 and lose the decimal precision
the_u8_tensor = tf.cast(the_f16_tensor, dtype=tf.uint8)
print(the_u8_tensor)
""",
    """
x = tf.constant([1, 2, 3])

y = tf.constant(2)
z = tf.constant([2, 2, 2])
# All of these are the same computation
print(tf.multiply(x, 2))
print(x * y)
print(x * z)
""",
    """
# These are the same computations
x = tf.reshape(x,[3,1])
y = tf.range(1, 5)
print(x, "\\n")
print(y, "\\n")
print(tf.multiply(x, y))
""",
    """
x_stretch = tf.constant([[1, 1, 1, 1],
                         [2, 2, 2, 2],
                         [3, 3, 3, 3]])

y_stretch = tf.constant([[1, 2, 3, 4],
                         [1, 2, 3, 4],
                         [1, 2, 3, 4]])

print(x_stretch * y_stretch)  # Again, operator overloading
""",
    "print(tf.broadcast_to(tf.constant([1, 2, 3]), [3, 3]))",
    """
ragged_list = [
    [0, 1, 2, 3],
    [4, 5],
    [6, 7, 8],
    [9]]
""",
    """
try:
  tensor = tf.constant(ragged_list)
except Exception as e:
  print(f"{type(e).__name__}: {e}")
""",
    """
ragged_tensor = tf.ragged.constant(ragged_list)
print(ragged_tensor)
""",
    "print(ragged_tensor.shape)",
    """
# Tensors can be strings, too here is a scalar string.
scalar_string_tensor = tf.constant("Gray wolf")
print(scalar_string_tensor)
""",
    """
# If you have three string tensors of different lengths, this is OK.
tensor_of_strings = tf.constant(["Gray wolf",
                                 "Quick brown fox",
                                 "Lazy dog"])
# Note that the shape is (3,). The string length is not included.
print(tensor_of_strings)
""",
    'print(repr(tf.constant("🥳👍")))',
    """
# You can use split to split a string into a set of tensors
print(tf.strings.split(scalar_string_tensor, sep=" "))
""",
    """
# ...but it turns into a `RaggedTensor` if you split up a tensor of strings,
# as each string might be split into a different number of parts.
print(tf.strings.split(tensor_of_strings))
""",
    """
text = tf.constant("1 10 100")
print(tf.strings.to_number(tf.strings.split(text, " ")))
""",
    """
byte_strings = tf.strings.bytes_split(tf.constant("Duck"))
byte_ints = tf.io.decode_raw(tf.constant("Duck"), tf.uint8)
print("Byte strings:", byte_strings)
print("Bytes:", byte_ints)
""",
    """
# Or split it up as unicode and then decode it
unicode_bytes = tf.constant("アヒル 🦆")
unicode_char_bytes = tf.strings.unicode_split(unicode_bytes, "UTF-8")
unicode_values = tf.strings.unicode_decode(unicode_bytes, "UTF-8")

print("\\nUnicode bytes:", unicode_bytes)
print("\\nUnicode chars:", unicode_char_bytes)
print("\\nUnicode values:", unicode_values)
""",
    """
# Sparse tensors store values by index in a memory-efficient manner
sparse_tensor = tf.sparse.SparseTensor(indices=[[0, 0], [1, 2]],
                                       values=[1, 2],
                                       dense_shape=[3, 4])
print(sparse_tensor, "\\n")

# You can convert sparse tensors to dense
print(tf.sparse.to_dense(sparse_tensor))
""",
]

SLICING_CELLS = [
    """
t1 = tf.constant([0, 1, 2, 3, 4, 5, 6, 7])

print(tf.slice(t1,
               begin=[1],
               size=[3]))
""",
    "print(t1[1:4])",
    "print(t1[-3:])",
    """
t2 = tf.constant([[0, 1, 2, 3, 4],
                  [5, 6, 7, 8, 9],
                  [10, 11, 12, 13, 14],
                  [15, 16, 17, 18, 19]])

print(t2[:-1, 1:3])
""",
    """
t3 = tf.constant([[[1, 3, 5, 7],
                   [9, 11, 13, 15]],
                  [[17, 19, 21, 23],
                   [25, 27, 29, 31]]
                  ])

print(tf.slice(t3,
               begin=[1, 1, 0],
               size=[1, 1, 2]))
""",
    """
print(tf.gather(t1,
                indices=[0, 3, 6]))

# This is similar to doing

print(repr(t1[::3]))
""",
    """
alphabet = tf.constant(list('abcdefghijklmnopqrstuvwxyz'))

print(tf.gather(alphabet,
                indices=[2, 0, 19, 18]))
""",
    """
t4 = tf.constant([[0, 5],
                  [1, 6],
                  [2, 7],
                  [3, 8],
                  [4, 9]])

print(tf.gather_nd(t4,
                   indices=[[2], [3], [0]]))
""",
    """
t5 = np.reshape(np.arange(18), [2, 3, 3])

print(tf.gather_nd(t5,
                   indices=[[0, 0, 0], [1, 2, 1]]))
""",
    """
# Return a list of two matrices

print(tf.gather_nd(t5,
                   indices=[[[0, 0], [0, 2]], [[1, 0], [1, 2]]]))
""",
    """
# Return one matrix

print(tf.gather_nd(t5,
                   indices=[[0, 0], [0, 2], [1, 0], [1, 2]]))
""",
    """
t6 = tf.constant([10])
indices = tf.constant([[1], [3], [5], [7], [9]])
data = tf.constant([2, 4, 6, 8, 10])

print(tf.scatter_nd(indices=indices,
                    updates=data,
                    shape=t6))
""",
    """
# Gather values from one tensor by specifying indices

new_indices = tf.constant([[0, 2], [2, 1], [3, 3]])
t7 = tf.gather_nd(t2, indices=new_indices)
""",
    """
# Add these values into a new tensor

t8 = tf.scatter_nd(indices=new_indices, updates=t7, shape=tf.constant([4, 5]))

print(t8)
""",
    """
t9 = tf.SparseTensor(indices=[[0, 2], [2, 1], [3, 3]],
                     values=[2, 11, 18],
                     dense_shape=[4, 5])

print(t9)
""",
    """
# Convert the sparse tensor into a dense tensor

t10 = tf.sparse.to_dense(t9)

print(t10)
""",
    """
t11 = tf.constant([[2, 7, 0],
                   [9, 0, 1],
                   [0, 3, 8]])

# Convert the tensor into a magic square by inserting numbers at appropriate indices

t12 = tf.tensor_scatter_nd_add(t11,
                               indices=[[0, 2], [1, 1], [2, 0]],
                               updates=[6, 5, 4])

print(t12)
""",
    """
# Convert the tensor into an identity matrix

t13 = tf.tensor_scatter_nd_sub(t11,
                               indices=[[0, 0], [0, 1], [1, 0], [1, 1], [1, 2], [2, 1], [2, 2]],
                               updates=[1, 7, 9, -1, 1, 3, 7])

print(t13)
""",
    """
t14 = tf.constant([[-2, -7, 0],
                   [-9, 0, 1],
                   [0, -3, -8]])

t15 = tf.tensor_scatter_nd_min(t14,
                               indices=[[0, 2], [1, 1], [2, 0]],
                               updates=[-6, -5, -4])

print(t15)
""",
    """
t16 = tf.tensor_scatter_nd_max(t14,
                               indices=[[0, 2], [1, 1], [2, 0]],
                               updates=[6, 5, 4])

print(t16)
""",
]

# Beyond the guides: their ops on other inputs, errors included (the checks of the scatter kernels, in TF's order).
VARIATION_CELLS = [
    "print(tf.reshape(tf.range(30), [-1, -1]))",
    "print(tf.slice(tf.range(8), [6], [3]))",
    "print(tf.gather_nd(tf.reshape(tf.range(6), [2, 3]), [[2, 0]]))",
    "print(tf.nn.softmax(tf.constant([[4.0, 5.0], [10.0, 1.0]]), axis=0))",
    "print(tf.nn.softmax(tf.constant([[4.0, 5.0], [10.0, 1.0]], tf.float64)))",
    # (not compared: a NaN in a float32 row, and results below float32's normal range, where oneDNN's max and
    # TF's flushing of denormals give other values than NumPy's)
    "print(tf.scatter_nd([[1], [12]], [2, 4], [10]))",
    "print(tf.scatter_nd([[1]], [1], tf.constant([3], tf.int64)))",
    "print(tf.scatter_nd(tf.constant([[1]], tf.int64), [1], tf.constant([3], tf.int32)))",
    "print(tf.scatter_nd(0, [1], [3]))",
    "print(tf.scatter_nd([[0]], [[1]], [[3]]))",
    "print(tf.scatter_nd([[0]], [1, 2], [-1, 2]))",
    "print(tf.scatter_nd([[0]], [1], [0]))",
    "print(tf.scatter_nd([1], [1], [3]))",
    "print(tf.tensor_scatter_nd_add([1, 2, 3], [[0]], [1, 2]))",
    "print(tf.tensor_scatter_nd_sub([[1, 2, 3]], [[[0]]], [[1, 2, 3]]))",
    "print(tf.tensor_scatter_nd_min([[1, 2, 3], [4, 5, 6]], [1], [7, 8, 9]))",
    "print(tf.tensor_scatter_nd_max([[1], [2]], [0], [7]))",
    "print(tf.tensor_scatter_nd_update([1, 2, 3], [[0]], 1))",
    "print(tf.tensor_scatter_nd_update(tf.zeros([0, 3]), [[0]], [[1., 2, 3]]))",
    "print(tf.tensor_scatter_nd_update([[1, 2, 3], [4, 5, 6]], [[1, 0]], [7, 8]))",
]

GUIDES = {"tensor": TENSOR_CELLS, "tensor_slicing": SLICING_CELLS, "variations": VARIATION_CELLS}


def _run(module: object, cells: list[str]) -> list[str]:
    return run_cells(module, cells, namespace={"np": np})


@pytest.fixture(scope="module")
def outputs(tf_oracle) -> dict[str, tuple[list[str], list[str]]]:
    return {name: (_run(ff, cells), _run(tf_oracle, cells)) for name, cells in GUIDES.items()}


_NUMBER = re.compile(r"-?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)")


@pytest.mark.parametrize(("guide", "index"), [(name, i) for name, cells in GUIDES.items() for i in range(len(cells))])
def test_guide_cell_prints_what_tensorflow_prints(outputs, guide: str, index: int) -> None:
    ours, theirs = outputs[guide][0][index], outputs[guide][1][index]
    if "tf.nn.softmax" in GUIDES[guide][index] and "float64" not in GUIDES[guide][index]:
        # TF's CPU runs float32 softmax through oneDNN, whose own exp and summation order give other last bits
        # than NumPy's exp (featherflow's: emulating oneDNN's kernel in NumPy cost 10-40x the op's time): the
        # text agrees but for the last digit of some values, the values within a float32 rounding or two
        assert _NUMBER.sub("#", ours) == _NUMBER.sub("#", theirs), f"{ours}\n{theirs}"
        np.testing.assert_allclose(np.array(_NUMBER.findall(ours), float), np.array(_NUMBER.findall(theirs), float),
                                   rtol=5e-7, atol=1e-12)
        return
    assert ours == theirs, f"{guide} cell {index}:\n{GUIDES[guide][index]}\nfeatherflow:\n{ours}\ntensorflow:\n{theirs}"
