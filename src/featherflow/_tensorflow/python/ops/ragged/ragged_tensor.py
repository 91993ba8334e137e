"""``tensorflow.python.ops.ragged.ragged_tensor``: ``RaggedTensor``."""

from .....ops.ragged.spec import RaggedTensorSpec as RaggedTensorSpec
from .....ops.ragged.tensor import RaggedTensor as RaggedTensor
