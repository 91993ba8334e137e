"""``tf.ragged`` (re-exports)."""

from ._lazy import lazy as _lazy
from .ops.ragged import RaggedTensor as RaggedTensor
from .ops.ragged import RaggedTensorSpec as RaggedTensorSpec
from .ops.ragged import boolean_mask as boolean_mask
from .ops.ragged import constant as constant
from .ops.ragged import map_flat_values as map_flat_values
from .ops.ragged import ragged_range as range  # noqa: A004, F401 - TF's name
from .ops.ragged import row_splits_to_segment_ids as row_splits_to_segment_ids
from .ops.ragged import segment_ids_to_row_splits as segment_ids_to_row_splits
from .ops.ragged import stack as stack
from .ops.ragged import stack_dynamic_partitions as stack_dynamic_partitions

# Loaded on first access (PEP 562): ``import featherflow`` does not pay for RaggedCross's hashing.
__getattr__, __dir__ = _lazy(__name__, globals(), {"cross": (".ops.ragged.cross", "cross"),
                                                    "cross_hashed": (".ops.ragged.cross", "cross_hashed")})
