"""``tf.compat.v1``: TF 1's API as eager TensorFlow 2.21 runs it. Functions TF 1 and TF 2 share are featherflow's
own; those whose v1 signature or behaviour differs (``pad``, ``gather``, ``cond``, ``where``, ``while_loop``, the
v1 initializers, ...) are thin wrappers in ``featherflow.ops.compat_v1``; the default graph keeps collections
only, and the placeholders and ``disable_eager_execution`` raise (featherflow executes eagerly only).

>>> import featherflow as tf
>>> tf.compat.v1.cond(True, fn1=lambda: 1, fn2=lambda: 2)
1
>>> tf.compat.v1.gather([[1, 2], [3, 4]], [1, 0], None, "g", 1).numpy().tolist()
[[2, 1], [4, 3]]
"""

# Generated from TF 2.21's tf.compat.v1: the names whose signature is v2's (featherflow's functions), TF 1's
# aliases of v2 functions (``log`` for ``tf.math.log``...), and TF 1's own functions (``ops.compat_v1``).

from ... import AggregationMethod as AggregationMethod
from ... import Assert as Assert
from ... import DType as DType
from ... import GradientTape as GradientTape
from ... import IndexedSlices as IndexedSlices
from ... import IndexedSlicesSpec as IndexedSlicesSpec
from ... import Module as Module
from ... import NoneTensorSpec as NoneTensorSpec
from ... import OptionalSpec as OptionalSpec
from ... import RaggedTensor as RaggedTensor
from ... import RaggedTensorSpec as RaggedTensorSpec
from ... import RegisterGradient as RegisterGradient
from ... import SparseTensor as SparseTensor
from ... import SparseTensorSpec as SparseTensorSpec
from ... import Tensor as Tensor
from ... import TensorArray as TensorArray
from ... import TensorArraySpec as TensorArraySpec
from ... import TensorShape as TensorShape
from ... import TensorSpec as TensorSpec
from ... import TypeSpec as TypeSpec
from ... import UnconnectedGradients as UnconnectedGradients
from ... import VariableSynchronization as VariableSynchronization
from ... import abs as abs  # noqa: A004 - TF's name
from ... import acos as acos
from ... import acosh as acosh
from ... import add as add
from ... import add_n as add_n
from ... import approx_top_k as approx_top_k
from ... import argsort as argsort
from ... import as_dtype as as_dtype
from ... import as_string as as_string
from ... import asin as asin
from ... import asinh as asinh
from ... import atan as atan
from ... import atan2 as atan2
from ... import atanh as atanh
from ... import bfloat16 as bfloat16
from ... import bitcast as bitcast
from ... import bool as bool  # noqa: A004 - TF's name
from ... import broadcast_dynamic_shape as broadcast_dynamic_shape
from ... import broadcast_static_shape as broadcast_static_shape
from ... import broadcast_to as broadcast_to
from ... import case as case
from ... import cast as cast
from ... import clip_by_global_norm as clip_by_global_norm
from ... import clip_by_norm as clip_by_norm
from ... import clip_by_value as clip_by_value
from ... import complex as complex  # noqa: A004 - TF's name
from ... import complex64 as complex64
from ... import complex128 as complex128
from ... import concat as concat
from ... import control_dependencies as control_dependencies
from ... import conv as conv
from ... import conv2d_backprop_filter_v2 as conv2d_backprop_filter_v2
from ... import conv2d_backprop_input_v2 as conv2d_backprop_input_v2
from ... import cos as cos
from ... import cosh as cosh
from ... import cumsum as cumsum
from ... import custom_gradient as custom_gradient
from ... import divide as divide
from ... import double as double
from ... import dynamic_partition as dynamic_partition
from ... import dynamic_stitch as dynamic_stitch
from ... import edit_distance as edit_distance
from ... import einsum as einsum
from ... import ensure_shape as ensure_shape
from ... import equal as equal
from ... import exp as exp
from ... import extract_volume_patches as extract_volume_patches
from ... import eye as eye
from ... import fftnd as fftnd
from ... import fill as fill
from ... import fingerprint as fingerprint
from ... import float16 as float16
from ... import float32 as float32
from ... import float64 as float64
from ... import floor as floor
from ... import function as function
from ... import get_logger as get_logger
from ... import get_static_value as get_static_value
from ... import grad_pass_through as grad_pass_through
from ... import greater as greater
from ... import greater_equal as greater_equal
from ... import group as group
from ... import guarantee_const as guarantee_const
from ... import half as half
from ... import histogram_fixed_width as histogram_fixed_width
from ... import histogram_fixed_width_bins as histogram_fixed_width_bins
from ... import identity as identity
from ... import identity_n as identity_n
from ... import ifftnd as ifftnd
from ... import init_scope as init_scope
from ... import int8 as int8
from ... import int16 as int16
from ... import int32 as int32
from ... import int64 as int64
from ... import irfftnd as irfftnd
from ... import is_symbolic_tensor as is_symbolic_tensor
from ... import is_tensor as is_tensor
from ... import less as less
from ... import less_equal as less_equal
from ... import linspace as linspace
from ... import logical_and as logical_and
from ... import logical_not as logical_not
from ... import logical_or as logical_or
from ... import make_ndarray as make_ndarray
from ... import make_tensor_proto as make_tensor_proto
from ... import matmul as matmul
from ... import matrix_square_root as matrix_square_root
from ... import maximum as maximum
from ... import meshgrid as meshgrid
from ... import minimum as minimum
from ... import multiply as multiply
from ... import negative as negative
from ... import no_gradient as no_gradient
from ... import no_op as no_op
from ... import not_equal as not_equal
from ... import numpy_function as numpy_function
from ... import one_hot as one_hot
from ... import ones as ones
from ... import parallel_stack as parallel_stack
from ... import pow as pow  # noqa: A004 - TF's name
from ... import print as print  # noqa: A004 - TF's name
from ... import py_function as py_function
from ... import qint8 as qint8
from ... import qint16 as qint16
from ... import qint32 as qint32
from ... import quint8 as quint8
from ... import quint16 as quint16
from ... import ragged_fill_empty_rows as ragged_fill_empty_rows
from ... import ragged_fill_empty_rows_grad as ragged_fill_empty_rows_grad
from ... import random_index_shuffle as random_index_shuffle
from ... import range as range  # noqa: A004 - TF's name
from ... import rank as rank
from ... import realdiv as realdiv
from ... import recompute_grad as recompute_grad
from ... import register_tensor_conversion_function as register_tensor_conversion_function
from ... import repeat as repeat
from ... import required_space_to_batch_paddings as required_space_to_batch_paddings
from ... import reshape as reshape
from ... import resource as resource
from ... import reverse as reverse
from ... import rfftnd as rfftnd
from ... import roll as roll
from ... import round as round  # noqa: A004 - TF's name
from ... import saturate_cast as saturate_cast
from ... import scalar_mul as scalar_mul
from ... import scatter_nd as scatter_nd
from ... import searchsorted as searchsorted
from ... import sequence_mask as sequence_mask
from ... import shape_n as shape_n
from ... import sigmoid as sigmoid
from ... import sign as sign
from ... import sin as sin
from ... import sinh as sinh
from ... import slice as slice  # noqa: A004 - TF's name
from ... import sort as sort
from ... import space_to_batch_nd as space_to_batch_nd
from ... import split as split
from ... import sqrt as sqrt
from ... import square as square
from ... import stack as stack
from ... import stop_gradient as stop_gradient
from ... import strided_slice as strided_slice
from ... import string as string
from ... import subtract as subtract
from ... import switch_case as switch_case
from ... import tan as tan
from ... import tanh as tanh
from ... import tensor_scatter_nd_add as tensor_scatter_nd_add
from ... import tensor_scatter_nd_max as tensor_scatter_nd_max
from ... import tensor_scatter_nd_min as tensor_scatter_nd_min
from ... import tensor_scatter_nd_sub as tensor_scatter_nd_sub
from ... import tensor_scatter_nd_update as tensor_scatter_nd_update
from ... import tensordot as tensordot
from ... import tile as tile
from ... import timestamp as timestamp
from ... import truediv as truediv
from ... import truncatediv as truncatediv
from ... import truncatemod as truncatemod
from ... import type_spec_from_value as type_spec_from_value
from ... import uint8 as uint8
from ... import uint16 as uint16
from ... import uint32 as uint32
from ... import uint64 as uint64
from ... import unique as unique
from ... import unique_with_counts as unique_with_counts
from ... import unravel_index as unravel_index
from ... import unstack as unstack
from ... import variant as variant
from ... import vectorized_map as vectorized_map
from ... import zeros as zeros
from ..._compat_util import dimension_at_index as dimension_at_index
from ..._compat_util import dimension_value as dimension_value
from ..._lazy import lazy as _lazy
from ...autodiff.symbolic_v1 import gradients as gradients
from ...autodiff.symbolic_v1 import hessians as hessians
from ...debugging import assert_proper_iterable as assert_proper_iterable
from ...debugging import assert_same_float_dtype as assert_same_float_dtype
from ...debugging import check_numerics as check_numerics
from ...debugging import is_numeric_tensor as is_numeric_tensor
from ...image import random_crop as random_crop
from ...io import FixedLenFeature as FixedLenFeature
from ...io import FixedLenSequenceFeature as FixedLenSequenceFeature
from ...io import SparseFeature as SparseFeature
from ...io import VarLenFeature as VarLenFeature
from ...io import decode_base64 as decode_base64
from ...io import decode_compressed as decode_compressed
from ...io import decode_json_example as decode_json_example
from ...io import deserialize_many_sparse as deserialize_many_sparse
from ...io import encode_base64 as encode_base64
from ...io import matching_files as matching_files
from ...io import parse_single_sequence_example as parse_single_sequence_example
from ...io import parse_tensor as parse_tensor
from ...io import read_file as read_file
from ...io import serialize_tensor as serialize_tensor
from ...io import write_file as write_file
from ...linalg import band_part as matrix_band_part  # noqa: F401 - TF's name
from ...linalg import cholesky as cholesky
from ...linalg import cholesky_solve as cholesky_solve
from ...linalg import cross as cross
from ...linalg import det as matrix_determinant  # noqa: F401 - TF's name
from ...linalg import diag as matrix_diag  # noqa: F401 - TF's name
from ...linalg import diag_part as matrix_diag_part  # noqa: F401 - TF's name
from ...linalg import eigh as self_adjoint_eig  # noqa: F401 - TF's name
from ...linalg import eigvalsh as self_adjoint_eigvals  # noqa: F401 - TF's name
from ...linalg import global_norm as global_norm
from ...linalg import inv as matrix_inverse  # noqa: F401 - TF's name
from ...linalg import lstsq as matrix_solve_ls  # noqa: F401 - TF's name
from ...linalg import matrix_transpose as matrix_transpose
from ...linalg import qr as qr
from ...linalg import set_diag as matrix_set_diag  # noqa: F401 - TF's name
from ...linalg import solve as matrix_solve  # noqa: F401 - TF's name
from ...linalg import svd as svd
from ...linalg import tensor_diag as diag  # noqa: F401 - TF's name
from ...linalg import tensor_diag_part as diag_part  # noqa: F401 - TF's name
from ...linalg import trace as trace
from ...linalg import triangular_solve as matrix_triangular_solve  # noqa: F401 - TF's name
from ...math import accumulate_n as accumulate_n
from ...math import angle as angle
from ...math import betainc as betainc
from ...math import ceil as ceil
from ...math import conj as conj
from ...math import cumprod as cumprod
from ...math import digamma as digamma
from ...math import divide_no_nan as div_no_nan  # noqa: F401 - TF's name
from ...math import erf as erf
from ...math import erfc as erfc
from ...math import expm1 as expm1
from ...math import floordiv as floordiv
from ...math import floormod as floormod
from ...math import floormod as mod  # noqa: F401 - TF's name
from ...math import igamma as igamma
from ...math import igammac as igammac
from ...math import imag as imag
from ...math import invert_permutation as invert_permutation
from ...math import is_finite as is_finite
from ...math import is_inf as is_inf
from ...math import is_nan as is_nan
from ...math import is_non_decreasing as is_non_decreasing
from ...math import is_strictly_increasing as is_strictly_increasing
from ...math import lbeta as lbeta
from ...math import lgamma as lgamma
from ...math import log as log
from ...math import log1p as log1p
from ...math import log_sigmoid as log_sigmoid
from ...math import logical_xor as logical_xor
from ...math import polygamma as polygamma
from ...math import real as real
from ...math import reciprocal as reciprocal
from ...math import rint as rint
from ...math import rsqrt as rsqrt
from ...math import segment_max as segment_max
from ...math import segment_mean as segment_mean
from ...math import segment_min as segment_min
from ...math import segment_prod as segment_prod
from ...math import segment_sum as segment_sum
from ...math import squared_difference as squared_difference
from ...math import unsorted_segment_max as unsorted_segment_max
from ...math import unsorted_segment_mean as unsorted_segment_mean
from ...math import unsorted_segment_min as unsorted_segment_min
from ...math import unsorted_segment_prod as unsorted_segment_prod
from ...math import unsorted_segment_sqrt_n as unsorted_segment_sqrt_n
from ...math import unsorted_segment_sum as unsorted_segment_sum
from ...math import zeta as zeta
from ...ops.compat_v1.array import boolean_mask as boolean_mask
from ...ops.compat_v1.array import gather as gather
from ...ops.compat_v1.array import gather_nd as gather_nd
from ...ops.compat_v1.array import pad as pad
from ...ops.compat_v1.array import sparse_concat as sparse_concat
from ...ops.compat_v1.array import where as where
from ...ops.compat_v1.basic import argmax as argmax
from ...ops.compat_v1.basic import argmin as argmin
from ...ops.compat_v1.basic import constant as constant
from ...ops.compat_v1.basic import convert_to_tensor as convert_to_tensor
from ...ops.compat_v1.basic import expand_dims as expand_dims
from ...ops.compat_v1.basic import ones_like as ones_like
from ...ops.compat_v1.basic import reduce_all as reduce_all
from ...ops.compat_v1.basic import reduce_any as reduce_any
from ...ops.compat_v1.basic import reduce_logsumexp as reduce_logsumexp
from ...ops.compat_v1.basic import reduce_max as reduce_max
from ...ops.compat_v1.basic import reduce_mean as reduce_mean
from ...ops.compat_v1.basic import reduce_min as reduce_min
from ...ops.compat_v1.basic import reduce_prod as reduce_prod
from ...ops.compat_v1.basic import reduce_sum as reduce_sum
from ...ops.compat_v1.basic import shape as shape
from ...ops.compat_v1.basic import size as size
from ...ops.compat_v1.basic import squeeze as squeeze
from ...ops.compat_v1.basic import transpose as transpose
from ...ops.compat_v1.basic import zeros_like as zeros_like
from ...ops.compat_v1.control_flow import cond as cond
from ...ops.compat_v1.control_flow import while_loop as while_loop
from ...ops.compat_v1.graph import Graph as Graph
from ...ops.compat_v1.graph import GraphKeys as GraphKeys
from ...ops.compat_v1.graph import add_to_collection as add_to_collection
from ...ops.compat_v1.graph import add_to_collections as add_to_collections
from ...ops.compat_v1.graph import assign as assign
from ...ops.compat_v1.graph import assign_add as assign_add
from ...ops.compat_v1.graph import assign_sub as assign_sub
from ...ops.compat_v1.graph import disable_eager_execution as disable_eager_execution
from ...ops.compat_v1.graph import disable_v2_behavior as disable_v2_behavior
from ...ops.compat_v1.graph import enable_eager_execution as enable_eager_execution
from ...ops.compat_v1.graph import enable_v2_behavior as enable_v2_behavior
from ...ops.compat_v1.graph import get_collection as get_collection
from ...ops.compat_v1.graph import get_collection_ref as get_collection_ref
from ...ops.compat_v1.graph import get_default_graph as get_default_graph
from ...ops.compat_v1.graph import placeholder as placeholder
from ...ops.compat_v1.graph import reset_default_graph as reset_default_graph
from ...ops.compat_v1.graph import sparse_placeholder as sparse_placeholder
from ...ops.compat_v1.init import random_normal_initializer as random_normal_initializer
from ...ops.compat_v1.init import random_uniform_initializer as random_uniform_initializer
from ...ops.compat_v1.nn import depth_to_space as depth_to_space
from ...ops.compat_v1.nn import space_to_depth as space_to_depth
from ...ops.control_flow.map import foldl as foldl
from ...ops.control_flow.map import foldr as foldr
from ...ops.control_flow.map import map_fn as map_fn
from ...ops.control_flow.map import scan as scan
from ...random import gamma as random_gamma  # noqa: F401 - TF's name
from ...random import normal as random_normal  # noqa: F401 - TF's name
from ...random import shuffle as random_shuffle  # noqa: F401 - TF's name
from ...random import truncated_normal as truncated_normal
from ...random import uniform as random_uniform  # noqa: F401 - TF's name
from ...shape import Dimension as Dimension
from ...signal import fft as fft
from ...signal import fft2d as fft2d
from ...signal import fft3d as fft3d
from ...signal import ifft as ifft
from ...signal import ifft2d as ifft2d
from ...signal import ifft3d as ifft3d
from ...sparse import fill_empty_rows as sparse_fill_empty_rows  # noqa: F401 - TF's name
from ...sparse import mask as sparse_mask  # noqa: F401 - TF's name
from ...sparse import maximum as sparse_maximum  # noqa: F401 - TF's name
from ...sparse import minimum as sparse_minimum  # noqa: F401 - TF's name
from ...sparse import reorder as sparse_reorder  # noqa: F401 - TF's name
from ...sparse import reset_shape as sparse_reset_shape  # noqa: F401 - TF's name
from ...sparse import reshape as sparse_reshape  # noqa: F401 - TF's name
from ...sparse import retain as sparse_retain  # noqa: F401 - TF's name
from ...sparse import slice as sparse_slice  # noqa: F401 - TF's name
from ...sparse import softmax as sparse_softmax  # noqa: F401 - TF's name
from ...sparse import sparse_dense_matmul as sparse_tensor_dense_matmul  # noqa: F401 - TF's name
from ...sparse import to_dense as sparse_tensor_to_dense  # noqa: F401 - TF's name
from ...sparse import to_indicator as sparse_to_indicator  # noqa: F401 - TF's name
from ...sparse import transpose as sparse_transpose  # noqa: F401 - TF's name
from ...strings import join as string_join  # noqa: F401 - TF's name
from ...strings import regex_replace as regex_replace
from ...strings import strip as string_strip  # noqa: F401 - TF's name
from ...strings import to_hash_bucket_fast as string_to_hash_bucket_fast  # noqa: F401 - TF's name
from ...strings import to_hash_bucket_strong as string_to_hash_bucket_strong  # noqa: F401 - TF's name
from ...tensor import executing_eagerly as executing_eagerly

newaxis = None

# TF's v1 namespaces: their own modules (v1 wrappers where v1 differs), loaded on first access.
__getattr__, __dir__ = _lazy(__name__, globals(), {
    "compat": ("...compat", None),
    "Event": ("...training.summary_protos", "Event"),
    "HistogramProto": ("...training.summary_protos", "HistogramProto"),
    "Summary": ("...training.summary_protos", "Summary"),
    "SummaryMetadata": ("...training.summary_protos", "SummaryMetadata"),
    "bitwise": (".bitwise", None),
    "data": (".data", None),
    "debugging": (".debugging", None),
    "dtypes": (".dtypes", None),
    "errors": (".errors", None),
    "image": (".image", None),
    "io": (".io", None),
    "linalg": (".linalg", None),
    "lookup": (".lookup", None),
    "math": (".math", None),
    "nest": (".nest", None),
    "nn": (".nn", None),
    "ragged": (".ragged", None),
    "random": (".random", None),
    "sets": (".sets", None),
    "signal": (".signal", None),
    "sparse": (".sparse", None),
    "strings": (".strings", None),
    "train": (".train", None),
})
