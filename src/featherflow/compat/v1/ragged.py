"""``tf.compat.v1.ragged``: the ``tf.ragged`` functions TF 1 shares with TF 2.

>>> import featherflow as tf
>>> tf.compat.v1.ragged.constant([[1], [2, 3]]).shape
TensorShape([2, None])
"""

from ...ragged import boolean_mask as boolean_mask
from ...ragged import constant as constant
from ...ragged import cross as cross
from ...ragged import cross_hashed as cross_hashed
from ...ragged import map_flat_values as map_flat_values
from ...ragged import range as range  # noqa: A004 - TF's name
from ...ragged import row_splits_to_segment_ids as row_splits_to_segment_ids
from ...ragged import segment_ids_to_row_splits as segment_ids_to_row_splits
from ...ragged import stack as stack
from ...ragged import stack_dynamic_partitions as stack_dynamic_partitions
