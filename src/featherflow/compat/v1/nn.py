"""``tf.compat.v1.nn``: ``tf.nn``, with TF 1's ``convolution``, ``conv2d``, ``max_pool``, ``avg_pool``,
``conv2d_transpose``, ``ctc_loss``, ``ctc_beam_search_decoder``, ``in_top_k``, ``softmax``, ``dropout``, ``moments``,
cross entropies, ``depth_to_space`` and ``space_to_depth`` (TF 1's other nn functions whose signature differs
from v2's are not here).

>>> import featherflow as tf
>>> x = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
>>> tf.compat.v1.nn.convolution(x, tf.ones([2, 2, 1, 1]), "VALID").shape
TensorShape([1, 3, 3, 1])
"""

from ...nn import all_candidate_sampler as all_candidate_sampler
from ...nn import approx_max_k as approx_max_k
from ...nn import approx_min_k as approx_min_k
from ...nn import atrous_conv2d as atrous_conv2d
from ...nn import atrous_conv2d_transpose as atrous_conv2d_transpose
from ...nn import avg_pool as avg_pool_v2  # noqa: F401 - TF's name
from ...nn import avg_pool1d as avg_pool1d
from ...nn import avg_pool3d as avg_pool3d
from ...nn import batch_normalization as batch_normalization
from ...nn import bias_add as bias_add
from ...nn import collapse_repeated as collapse_repeated
from ...nn import compute_accidental_hits as compute_accidental_hits
from ...nn import conv1d_transpose as conv1d_transpose
from ...nn import conv_transpose as conv_transpose
from ...nn import ctc_beam_search_decoder as ctc_beam_search_decoder_v2  # noqa: F401 - TF's name
from ...nn import ctc_greedy_decoder as ctc_greedy_decoder
from ...nn import ctc_unique_labels as ctc_unique_labels
from ...nn import depthwise_conv2d_backprop_filter as depthwise_conv2d_backprop_filter
from ...nn import depthwise_conv2d_backprop_filter as depthwise_conv2d_native_backprop_filter  # noqa: F401 - TF's name
from ...nn import depthwise_conv2d_backprop_input as depthwise_conv2d_backprop_input
from ...nn import depthwise_conv2d_backprop_input as depthwise_conv2d_native_backprop_input  # noqa: F401 - TF's name
from ...nn import elu as elu
from ...nn import fixed_unigram_candidate_sampler as fixed_unigram_candidate_sampler
from ...nn import l2_loss as l2_loss
from ...nn import l2_normalize as l2_normalize
from ...nn import leaky_relu as leaky_relu
from ...nn import learned_unigram_candidate_sampler as learned_unigram_candidate_sampler
from ...nn import local_response_normalization as local_response_normalization
from ...nn import log_poisson_loss as log_poisson_loss
from ...nn import lrn as lrn
from ...nn import max_pool as max_pool_v2  # noqa: F401 - TF's name
from ...nn import max_pool1d as max_pool1d
from ...nn import max_pool2d as max_pool2d
from ...nn import max_pool3d as max_pool3d
from ...nn import normalize_moments as normalize_moments
from ...nn import relu as relu
from ...nn import relu6 as relu6
from ...nn import selu as selu
from ...nn import sigmoid as sigmoid
from ...nn import sigmoid_cross_entropy_with_logits as sigmoid_cross_entropy_with_logits
from ...nn import silu as silu
from ...nn import softplus as softplus
from ...nn import softsign as softsign
from ...nn import swish as swish
from ...nn import tanh as tanh
from ...nn import top_k as top_k
from ...nn import with_space_to_batch as with_space_to_batch
from ...nn import zero_fraction as zero_fraction
from ...ops.compat_v1.basic import log_softmax as log_softmax
from ...ops.compat_v1.basic import softmax as softmax
from ...ops.compat_v1.nn import avg_pool as avg_pool
from ...ops.compat_v1.nn import avg_pool as avg_pool2d  # noqa: F401 - TF's name
from ...ops.compat_v1.nn import conv2d as conv2d
from ...ops.compat_v1.nn import conv2d_transpose as conv2d_transpose
from ...ops.compat_v1.nn import convolution as convolution
from ...ops.compat_v1.nn import ctc_beam_search_decoder as ctc_beam_search_decoder
from ...ops.compat_v1.nn import ctc_loss as ctc_loss
from ...ops.compat_v1.nn import depth_to_space as depth_to_space
from ...ops.compat_v1.nn import dropout as dropout
from ...ops.compat_v1.nn import in_top_k as in_top_k
from ...ops.compat_v1.nn import max_pool as max_pool
from ...ops.compat_v1.nn import moments as moments
from ...ops.compat_v1.nn import softmax_cross_entropy_with_logits as softmax_cross_entropy_with_logits
from ...ops.compat_v1.nn import space_to_depth as space_to_depth
from ...ops.compat_v1.nn import sparse_softmax_cross_entropy_with_logits as sparse_softmax_cross_entropy_with_logits
from ...random import log_uniform_candidate_sampler as log_uniform_candidate_sampler
from ...random import uniform_candidate_sampler as uniform_candidate_sampler
