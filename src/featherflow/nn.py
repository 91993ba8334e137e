"""``tf.nn`` (re-exports)."""

from . import _nn_experimental as experimental  # noqa: F401 - TF's name
from ._lazy import lazy as _lazy
from .ops.array.selection import in_top_k as in_top_k
from .ops.array.selection import top_k as top_k
from .ops.math.api import sigmoid as sigmoid
from .ops.math.api import softplus as softplus
from .ops.math.api import tanh as tanh
from .ops.math.clip import l2_normalize as l2_normalize
from .ops.math.composite import approx_max_k as approx_max_k
from .ops.math.composite import approx_min_k as approx_min_k
from .ops.math.composite import zero_fraction as zero_fraction
from .ops.nn.composite import crelu as crelu
from .ops.nn.composite import log_poisson_loss as log_poisson_loss
from .ops.nn.composite import normalize_moments as normalize_moments
from .ops.nn.composite import sufficient_statistics as sufficient_statistics
from .ops.nn.composite import weighted_moments as weighted_moments
from .ops.nn.conv import conv1d as conv1d
from .ops.nn.conv import conv2d as conv2d
from .ops.nn.conv import conv2d_transpose as conv2d_transpose
from .ops.nn.conv import depthwise_conv2d as depthwise_conv2d
from .ops.nn.conv3d import conv3d as conv3d
from .ops.nn.conv3d import conv3d_transpose as conv3d_transpose
from .ops.nn.conv_nd import conv1d_transpose as conv1d_transpose
from .ops.nn.conv_nd import conv_transpose as conv_transpose
from .ops.nn.conv_nd import convolution as convolution
from .ops.nn.conv_nd import pool as pool
from .ops.nn.core import bias_add as bias_add
from .ops.nn.core import elu as elu
from .ops.nn.core import gelu as gelu
from .ops.nn.core import l2_loss as l2_loss
from .ops.nn.core import leaky_relu as leaky_relu
from .ops.nn.core import log_softmax as log_softmax
from .ops.nn.core import relu as relu
from .ops.nn.core import relu6 as relu6
from .ops.nn.core import selu as selu
from .ops.nn.core import silu as silu
from .ops.nn.core import softmax as softmax
from .ops.nn.core import softsign as softsign
from .ops.nn.core import swish as swish
from .ops.nn.ctc import collapse_repeated as collapse_repeated
from .ops.nn.ctc import ctc_greedy_decoder as ctc_greedy_decoder
from .ops.nn.ctc import ctc_loss as ctc_loss
from .ops.nn.ctc import ctc_unique_labels as ctc_unique_labels
from .ops.nn.ctc_beam import ctc_beam_search_decoder as ctc_beam_search_decoder
from .ops.nn.embedding_sparse import embedding_lookup_sparse as embedding_lookup_sparse
from .ops.nn.embedding_sparse import safe_embedding_lookup_sparse as safe_embedding_lookup_sparse
from .ops.nn.impl import batch_norm_with_global_normalization as batch_norm_with_global_normalization
from .ops.nn.impl import batch_normalization as batch_normalization
from .ops.nn.impl import dropout as dropout
from .ops.nn.impl import embedding_lookup as embedding_lookup
from .ops.nn.impl import moments as moments
from .ops.nn.impl import sigmoid_cross_entropy_with_logits as sigmoid_cross_entropy_with_logits
from .ops.nn.impl import softmax_cross_entropy_with_logits as softmax_cross_entropy_with_logits
from .ops.nn.impl import sparse_softmax_cross_entropy_with_logits as sparse_softmax_cross_entropy_with_logits
from .ops.nn.impl import weighted_cross_entropy_with_logits as weighted_cross_entropy_with_logits
from .ops.nn.lrn import local_response_normalization as local_response_normalization
from .ops.nn.lrn import local_response_normalization as lrn  # noqa: F401 - TF's name
from .ops.nn.morphology import dilation2d as dilation2d
from .ops.nn.morphology import erosion2d as erosion2d
from .ops.nn.pooling import avg_pool as avg_pool
from .ops.nn.pooling import avg_pool1d as avg_pool1d
from .ops.nn.pooling import avg_pool2d as avg_pool2d
from .ops.nn.pooling import max_pool as max_pool
from .ops.nn.pooling import max_pool1d as max_pool1d
from .ops.nn.pooling import max_pool2d as max_pool2d
from .ops.nn.pooling3d import avg_pool3d as avg_pool3d
from .ops.nn.pooling3d import max_pool3d as max_pool3d
from .ops.nn.pooling_argmax import max_pool_with_argmax as max_pool_with_argmax
from .ops.nn.separable import atrous_conv2d as atrous_conv2d
from .ops.nn.separable import atrous_conv2d_transpose as atrous_conv2d_transpose
from .ops.nn.separable import depthwise_conv2d_backprop_filter as depthwise_conv2d_backprop_filter
from .ops.nn.separable import depthwise_conv2d_backprop_input as depthwise_conv2d_backprop_input
from .ops.nn.separable import separable_conv2d as separable_conv2d
from .ops.nn.space import depth_to_space as depth_to_space
from .ops.nn.space import space_to_batch as space_to_batch
from .ops.nn.space import space_to_depth as space_to_depth
from .ops.nn.space_batch_op import with_space_to_batch as with_space_to_batch

# Loaded on first access (PEP 562): ``import featherflow`` does not pay for them.
_LAZY = {
    "all_candidate_sampler": (".ops.random.candidate_sampling", "all_candidate_sampler"),
    "compute_average_loss": (".distribute.losses", "compute_average_loss"),
    "compute_accidental_hits": (".ops.random.candidate_sampling", "compute_accidental_hits"),
    "fixed_unigram_candidate_sampler": (".ops.random.candidate_sampling", "fixed_unigram_candidate_sampler"),
    "fractional_avg_pool": (".ops.nn.fractional_pool", "fractional_avg_pool"),
    "fractional_max_pool": (".ops.nn.fractional_pool", "fractional_max_pool"),
    "isotonic_regression": (".ops.nn.isotonic", "isotonic_regression"),
    "learned_unigram_candidate_sampler": (".ops.random.candidate_sampling", "learned_unigram_candidate_sampler"),
    "nce_loss": (".ops.nn.sampled_losses", "nce_loss"),
    "sampled_softmax_loss": (".ops.nn.sampled_losses", "sampled_softmax_loss"),
    "scale_regularization_loss": (".distribute.losses", "scale_regularization_loss"),
}
__getattr__, __dir__ = _lazy(__name__, globals(), _LAZY)
