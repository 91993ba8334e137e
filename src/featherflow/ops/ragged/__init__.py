"""``tf.RaggedTensor`` and the ragged ops: the class and its factories (``tensor``), conversions (``convert``),
indexing (``getitem``), TF's ragged dispatch of the public ops (``elementwise``, ``reduce``, ``ops``, ``shape_ops``, ``counting``: importing
this package registers them) and the ``tf.ragged`` functions (``functions``; ``cross``, loaded by ``tf.ragged`` on first use)."""

from . import convert as convert
from . import counting as counting
from . import dynamic_shape as dynamic_shape
from . import elementwise as elementwise
from . import getitem as getitem
from . import ops as ops
from . import reduce as reduce
from . import shape_ops as shape_ops
from .functions import boolean_mask as boolean_mask
from .functions import constant as constant
from .functions import map_flat_values as map_flat_values
from .functions import ragged_range as ragged_range
from .functions import row_splits_to_segment_ids as row_splits_to_segment_ids
from .functions import segment_ids_to_row_splits as segment_ids_to_row_splits
from .functions import stack as stack
from .functions import stack_dynamic_partitions as stack_dynamic_partitions
from .spec import RaggedTensorSpec as RaggedTensorSpec
from .tensor import RaggedTensor as RaggedTensor
