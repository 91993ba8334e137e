"""SparseTensor and the ``tf.sparse`` ops: ``tensor`` (the value types), ``kernels`` and ``layout`` (the
registered ops, under TF's names), ``api`` and ``reshaping`` (the public functions), ``overrides`` (SparseTensor
arguments to ``tf.math`` and array functions, through ``ops.dispatch``).

>>> import featherflow as tf
>>> s = tf.sparse.SparseTensor(indices=[[0, 0], [1, 2]], values=[1, 2], dense_shape=[3, 4])
>>> tf.sparse.to_dense(s).numpy().tolist()
[[1, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0]]
"""

from . import overrides as _overrides  # noqa: F401  (registers the dispatch overrides)
from .api import add as add
from .api import expand_dims as expand_dims
from .api import eye as eye
from .api import from_dense as from_dense
from .api import map_values as map_values
from .api import maximum as maximum
from .api import minimum as minimum
from .api import reduce_max as reduce_max
from .api import reduce_sum as reduce_sum
from .api import reorder as reorder
from .api import reset_shape as reset_shape
from .api import retain as retain
from .api import softmax as softmax
from .api import sparse_dense_matmul as sparse_dense_matmul
from .api import to_dense as to_dense
from .api import to_indicator as to_indicator
from .api import transpose as transpose
from .counting import bincount as bincount
from .counting import mask as mask
from .counting import sampled_addmm as sampled_addmm
from .cross import cross as cross
from .cross import cross_hashed as cross_hashed
from .reshaping import concat as concat
from .reshaping import fill_empty_rows as fill_empty_rows
from .reshaping import reshape as reshape
from .reshaping import segment_mean as segment_mean
from .reshaping import segment_sqrt_n as segment_sqrt_n
from .reshaping import segment_sum as segment_sum
from .reshaping import slice as slice  # noqa: A004
from .reshaping import split as split
from .tensor import SparseTensor as SparseTensor
from .tensor import SparseTensorSpec as SparseTensorSpec
