"""``tensorflow.python.framework.sparse_tensor``: ``SparseTensor``."""

from ....ops.sparse.tensor import SparseTensor as SparseTensor
from ....ops.sparse.tensor import SparseTensorSpec as SparseTensorSpec
