"""``tf.math`` (re-exports)."""

from . import _math_special as special  # noqa: F401 - tf.math.special
from ._lazy import lazy as _lazy
from .ops.array.permute import invert_permutation as invert_permutation
from .ops.array.selection import in_top_k as in_top_k
from .ops.array.selection import top_k as top_k
from .ops.math.api import *  # noqa: F403 - the namespace is the module's public functions
from .ops.math.bessel import bessel_i0 as bessel_i0
from .ops.math.bessel import bessel_i0e as bessel_i0e
from .ops.math.bessel import bessel_i1 as bessel_i1
from .ops.math.bessel import bessel_i1e as bessel_i1e
from .ops.math.clip import l2_normalize as l2_normalize
from .ops.math.composite import accumulate_n as accumulate_n
from .ops.math.composite import approx_max_k as approx_max_k
from .ops.math.composite import approx_min_k as approx_min_k
from .ops.math.composite import is_non_decreasing as is_non_decreasing
from .ops.math.composite import is_strictly_increasing as is_strictly_increasing
from .ops.math.composite import lbeta as lbeta
from .ops.math.composite import nextafter as nextafter
from .ops.math.composite import polyval as polyval
from .ops.math.composite import zero_fraction as zero_fraction
from .ops.math.cumulative import cumprod as cumprod
from .ops.math.cumulative import cumsum as cumsum
from .ops.math.cumulative import cumulative_logsumexp as cumulative_logsumexp
from .ops.math.incomplete import betainc as betainc
from .ops.math.incomplete import igamma as igamma
from .ops.math.incomplete import igammac as igammac
from .ops.math.inverse_erf import erfcinv as erfcinv
from .ops.math.inverse_erf import erfinv as erfinv
from .ops.math.inverse_erf import ndtri as ndtri
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
from .ops.nn.core import softsign as softsign

# Loaded on first access (PEP 562): ``import featherflow`` does not pay for it.
__getattr__, __dir__ = _lazy(__name__, globals(), {"sobol_sample": (".ops.math.sobol", "sobol_sample")})
