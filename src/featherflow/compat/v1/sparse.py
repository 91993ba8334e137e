"""``tf.compat.v1.sparse``: the ``tf.sparse`` functions TF 1 shares with TF 2, and TF 1's ``concat``
(``concat_dim``, ``expand_nonconcat_dim``); TF 1's others whose signature differs are not here.

>>> import featherflow as tf
>>> tf.compat.v1.sparse.concat is tf.compat.v1.sparse_concat
True
"""

from ...ops.compat_v1.array import sparse_concat as concat  # noqa: F401 - TF's name
from ...sparse import SparseTensor as SparseTensor
from ...sparse import bincount as bincount
from ...sparse import cross as cross
from ...sparse import cross_hashed as cross_hashed
from ...sparse import expand_dims as expand_dims
from ...sparse import eye as eye
from ...sparse import fill_empty_rows as fill_empty_rows
from ...sparse import from_dense as from_dense
from ...sparse import mask as mask
from ...sparse import maximum as maximum
from ...sparse import minimum as minimum
from ...sparse import reorder as reorder
from ...sparse import reset_shape as reset_shape
from ...sparse import reshape as reshape
from ...sparse import retain as retain
from ...sparse import slice as slice  # noqa: A004 - TF's name
from ...sparse import softmax as softmax
from ...sparse import sparse_dense_matmul as sparse_dense_matmul
from ...sparse import to_dense as to_dense
from ...sparse import to_indicator as to_indicator
from ...sparse import transpose as transpose
