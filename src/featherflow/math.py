"""``tf.math`` (re-exports)."""

from .ops.array.selection import in_top_k as in_top_k
from .ops.array.selection import top_k as top_k
from .ops.math.api import *  # noqa: F403 - the namespace is the module's public functions
from .ops.math.clip import l2_normalize as l2_normalize
from .ops.math.cumulative import cumprod as cumprod
from .ops.math.cumulative import cumsum as cumsum
from .ops.math.cumulative import cumulative_logsumexp as cumulative_logsumexp
from .ops.math.reduce import argmax as argmax
from .ops.math.reduce import argmin as argmin
from .ops.math.reduce import count_nonzero as count_nonzero
from .ops.math.reduce import reduce_all as reduce_all
from .ops.math.reduce import reduce_any as reduce_any
from .ops.math.reduce import reduce_euclidean_norm as reduce_euclidean_norm
from .ops.math.reduce import reduce_logsumexp as reduce_logsumexp
from .ops.math.reduce import reduce_max as reduce_max
from .ops.math.reduce import reduce_mean as reduce_mean
from .ops.math.reduce import reduce_min as reduce_min
from .ops.math.reduce import reduce_prod as reduce_prod
from .ops.math.reduce import reduce_std as reduce_std
from .ops.math.reduce import reduce_sum as reduce_sum
from .ops.math.reduce import reduce_variance as reduce_variance
from .ops.math.segment import bincount as bincount
from .ops.math.segment import confusion_matrix as confusion_matrix
from .ops.math.segment import segment_max as segment_max
from .ops.math.segment import segment_mean as segment_mean
from .ops.math.segment import segment_min as segment_min
from .ops.math.segment import segment_prod as segment_prod
from .ops.math.segment import segment_sum as segment_sum
from .ops.math.segment import unsorted_segment_max as unsorted_segment_max
from .ops.math.segment import unsorted_segment_mean as unsorted_segment_mean
from .ops.math.segment import unsorted_segment_min as unsorted_segment_min
from .ops.math.segment import unsorted_segment_prod as unsorted_segment_prod
from .ops.math.segment import unsorted_segment_sqrt_n as unsorted_segment_sqrt_n
from .ops.math.segment import unsorted_segment_sum as unsorted_segment_sum
from .ops.nn.core import log_softmax as log_softmax
from .ops.nn.core import softmax as softmax
