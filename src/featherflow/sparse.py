"""``tf.sparse`` (re-exports)."""

from .ops.sparse import SparseTensor as SparseTensor
from .ops.sparse import add as add
from .ops.sparse import bincount as bincount
from .ops.sparse import concat as concat
from .ops.sparse import cross as cross
from .ops.sparse import cross_hashed as cross_hashed
from .ops.sparse import expand_dims as expand_dims
from .ops.sparse import eye as eye
from .ops.sparse import fill_empty_rows as fill_empty_rows
from .ops.sparse import from_dense as from_dense
from .ops.sparse import map_values as map_values
from .ops.sparse import mask as mask
from .ops.sparse import maximum as maximum
from .ops.sparse import minimum as minimum
from .ops.sparse import reduce_max as reduce_max
from .ops.sparse import reduce_sum as reduce_sum
from .ops.sparse import reorder as reorder
from .ops.sparse import reset_shape as reset_shape
from .ops.sparse import reshape as reshape
from .ops.sparse import retain as retain
from .ops.sparse import sampled_addmm as sampled_addmm
from .ops.sparse import segment_mean as segment_mean
from .ops.sparse import segment_sqrt_n as segment_sqrt_n
from .ops.sparse import segment_sum as segment_sum
from .ops.sparse import slice as slice  # noqa: A004
from .ops.sparse import softmax as softmax
from .ops.sparse import sparse_dense_matmul as sparse_dense_matmul
from .ops.sparse import split as split
from .ops.sparse import to_dense as to_dense
from .ops.sparse import to_indicator as to_indicator
from .ops.sparse import transpose as transpose
