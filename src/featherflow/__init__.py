"""featherflow: TensorFlow 2's eager tensors, variables and the state around them, on NumPy.

>>> import featherflow as tf
>>> v = tf.Variable([1.0, 2.0])
>>> v.assign_add([1, 1]).numpy()
array([2., 3.], dtype=float32)
"""

from . import autodiff as autodiff
from . import bitwise as bitwise
from . import config as config
from . import debugging as debugging
from . import errors as errors
from . import experimental as experimental
from . import linalg as linalg
from . import math as math
from . import nest as nest
from . import nn as nn
from . import ragged as ragged
from . import random as random
from . import sparse as sparse
from . import strings as strings
from . import train as train
from ._control_scopes import init_scope as init_scope
from .autodiff._log import get_logger as get_logger
from .autodiff.custom_gradient import custom_gradient as custom_gradient
from .autodiff.custom_gradient import recompute_grad as recompute_grad
from .autodiff.pass_through import grad_pass_through as grad_pass_through
from .autodiff.symbolic import AggregationMethod as AggregationMethod
from .autodiff.symbolic import gradients as gradients
from .autodiff.symbolic import hessians as hessians
from .autodiff.tape import GradientTape as GradientTape
from .autodiff.tape import UnconnectedGradients as UnconnectedGradients
from .device import DeviceSpec as DeviceSpec
from .device import device_scope as device
from .dtypes import DType as DType
from .dtypes import as_dtype as as_dtype
from .dtypes import bfloat16 as bfloat16
from .dtypes import bool as bool  # noqa: A004 - TF's name
from .dtypes import complex64 as complex64
from .dtypes import complex128 as complex128
from .dtypes import double as double
from .dtypes import float16 as float16
from .dtypes import float32 as float32
from .dtypes import float64 as float64
from .dtypes import half as half
from .dtypes import int8 as int8
from .dtypes import int16 as int16
from .dtypes import int32 as int32
from .dtypes import int64 as int64
from .dtypes import qint8 as qint8
from .dtypes import qint16 as qint16
from .dtypes import qint32 as qint32
from .dtypes import quint8 as quint8
from .dtypes import quint16 as quint16
from .dtypes import resource as resource
from .dtypes import string as string
from .dtypes import uint8 as uint8
from .dtypes import uint16 as uint16
from .dtypes import uint32 as uint32
from .dtypes import uint64 as uint64
from .dtypes import variant as variant
from .function import function as function
from .function import inside_function as inside_function
from .indexed_slices import IndexedSlices as IndexedSlices
from .indexed_slices import IndexedSlicesSpec as IndexedSlicesSpec
from .module import Module as Module
from .naming import get_current_name_scope as get_current_name_scope
from .naming import name_scope as name_scope
from .ops import operators as _operators  # noqa: F401 - installs x + y, x[i], ... on Tensor and Variable
from .ops.array.core import broadcast_to as broadcast_to
from .ops.array.core import ensure_shape as ensure_shape
from .ops.array.core import expand_dims as expand_dims
from .ops.array.core import identity as identity
from .ops.array.core import identity_n as identity_n
from .ops.array.core import rank as rank
from .ops.array.core import reshape as reshape
from .ops.array.core import shape as shape
from .ops.array.core import size as size
from .ops.array.core import squeeze as squeeze
from .ops.array.core import stack as stack
from .ops.array.core import stop_gradient as stop_gradient
from .ops.array.core import transpose as transpose
from .ops.array.core import unstack as unstack
from .ops.array.create import bitcast as bitcast
from .ops.array.create import cast as cast
from .ops.array.create import eye as eye
from .ops.array.create import fill as fill
from .ops.array.create import linspace as linspace
from .ops.array.create import meshgrid as meshgrid
from .ops.array.create import one_hot as one_hot
from .ops.array.create import ones as ones
from .ops.array.create import ones_like as ones_like
from .ops.array.create import range_ as range  # noqa: A004
from .ops.array.create import sequence_mask as sequence_mask
from .ops.array.create import zeros as zeros
from .ops.array.create import zeros_like as zeros_like
from .ops.array.gather import boolean_mask as boolean_mask
from .ops.array.gather import gather as gather
from .ops.array.gather import gather_nd as gather_nd
from .ops.array.join import broadcast_dynamic_shape as broadcast_dynamic_shape
from .ops.array.join import broadcast_static_shape as broadcast_static_shape
from .ops.array.join import concat as concat
from .ops.array.join import pad as pad
from .ops.array.join import repeat as repeat
from .ops.array.join import reverse as reverse
from .ops.array.join import roll as roll
from .ops.array.join import split as split
from .ops.array.join import tile as tile
from .ops.array.partition import dynamic_partition as dynamic_partition
from .ops.array.partition import dynamic_stitch as dynamic_stitch
from .ops.array.permute import reverse_sequence as reverse_sequence
from .ops.array.scatter import scatter_nd as scatter_nd
from .ops.array.scatter import tensor_scatter_nd_add as tensor_scatter_nd_add
from .ops.array.scatter import tensor_scatter_nd_max as tensor_scatter_nd_max
from .ops.array.scatter import tensor_scatter_nd_min as tensor_scatter_nd_min
from .ops.array.scatter import tensor_scatter_nd_sub as tensor_scatter_nd_sub
from .ops.array.scatter import tensor_scatter_nd_update as tensor_scatter_nd_update
from .ops.array.slicing import slice as slice  # noqa: A004
from .ops.array.slicing import strided_slice as strided_slice
from .ops.array.sort import argsort as argsort
from .ops.array.sort import searchsorted as searchsorted
from .ops.array.sort import sort as sort
from .ops.array.sort import unique as unique
from .ops.array.sort import unique_with_counts as unique_with_counts
from .ops.array.utility import guarantee_const as guarantee_const
from .ops.array.utility import parallel_stack as parallel_stack
from .ops.array.utility import saturate_cast as saturate_cast
from .ops.array.utility import shape_n as shape_n
from .ops.array.utility import timestamp as timestamp
from .ops.array.utility import unravel_index as unravel_index
from .ops.array.volume_patches import extract_volume_patches as extract_volume_patches
from .ops.control_flow.cond import case as case
from .ops.control_flow.cond import cond as cond
from .ops.control_flow.cond import switch_case as switch_case
from .ops.control_flow.deps import control_dependencies as control_dependencies
from .ops.control_flow.deps import group as group
from .ops.control_flow.deps import no_op as no_op
from .ops.control_flow.deps import tuple as tuple  # noqa: A004 - TF's name
from .ops.control_flow.loops import while_loop as while_loop
from .ops.control_flow.map import foldl as foldl
from .ops.control_flow.map import foldr as foldr
from .ops.control_flow.map import map_fn as map_fn
from .ops.control_flow.map import scan as scan
from .ops.control_flow.map import vectorized_map as vectorized_map
from .ops.control_flow.tensor_array import TensorArray as TensorArray
from .ops.control_flow.tensor_array import TensorArraySpec as TensorArraySpec
from .ops.debugging.checks import Assert as Assert
from .ops.debugging.checks import assert_equal as assert_equal
from .ops.debugging.checks import assert_greater as assert_greater
from .ops.debugging.checks import assert_less as assert_less
from .ops.debugging.checks import assert_rank as assert_rank
from .ops.debugging.print_ops import print_v2 as print  # noqa: A004 - TF's name
from .ops.edit_distance import edit_distance as edit_distance
from .ops.gradient_registry import RegisterGradient as RegisterGradient
from .ops.gradient_registry import no_gradient as no_gradient
from .ops.init_ops import constant_initializer as constant_initializer
from .ops.init_ops import ones_initializer as ones_initializer
from .ops.init_ops import random_normal_initializer as random_normal_initializer
from .ops.init_ops import random_uniform_initializer as random_uniform_initializer
from .ops.init_ops import zeros_initializer as zeros_initializer
from .ops.linalg.core import einsum as einsum
from .ops.linalg.core import matmul as matmul
from .ops.linalg.core import norm as norm
from .ops.linalg.core import tensordot as tensordot
from .ops.linalg.eig import eig as eig
from .ops.linalg.eig import eigvals as eigvals
from .ops.linalg.matfun import sqrtm as matrix_square_root
from .ops.math.api import abs as abs  # noqa: A004
from .ops.math.api import acos as acos
from .ops.math.api import acosh as acosh
from .ops.math.api import add as add
from .ops.math.api import add_n as add_n
from .ops.math.api import asin as asin
from .ops.math.api import asinh as asinh
from .ops.math.api import atan as atan
from .ops.math.api import atan2 as atan2
from .ops.math.api import atanh as atanh
from .ops.math.api import complex as complex  # noqa: A004
from .ops.math.api import cos as cos
from .ops.math.api import cosh as cosh
from .ops.math.api import divide as divide
from .ops.math.api import equal as equal
from .ops.math.api import exp as exp
from .ops.math.api import floor as floor
from .ops.math.api import greater as greater
from .ops.math.api import greater_equal as greater_equal
from .ops.math.api import less as less
from .ops.math.api import less_equal as less_equal
from .ops.math.api import logical_and as logical_and
from .ops.math.api import logical_not as logical_not
from .ops.math.api import logical_or as logical_or
from .ops.math.api import maximum as maximum
from .ops.math.api import minimum as minimum
from .ops.math.api import multiply as multiply
from .ops.math.api import negative as negative
from .ops.math.api import not_equal as not_equal
from .ops.math.api import pow as pow  # noqa: A004
from .ops.math.api import realdiv as realdiv
from .ops.math.api import round as round  # noqa: A004
from .ops.math.api import scalar_mul as scalar_mul
from .ops.math.api import sigmoid as sigmoid
from .ops.math.api import sign as sign
from .ops.math.api import sin as sin
from .ops.math.api import sinh as sinh
from .ops.math.api import sqrt as sqrt
from .ops.math.api import square as square
from .ops.math.api import subtract as subtract
from .ops.math.api import tan as tan
from .ops.math.api import tanh as tanh
from .ops.math.api import truediv as truediv
from .ops.math.api import truncatediv as truncatediv
from .ops.math.api import truncatemod as truncatemod
from .ops.math.api import where as where
from .ops.math.clip import clip_by_global_norm as clip_by_global_norm
from .ops.math.clip import clip_by_norm as clip_by_norm
from .ops.math.clip import clip_by_value as clip_by_value
from .ops.math.cumulative import cumsum as cumsum
from .ops.math.histogram import histogram_fixed_width as histogram_fixed_width
from .ops.math.histogram import histogram_fixed_width_bins as histogram_fixed_width_bins
from .ops.math.reduce import argmax as argmax
from .ops.math.reduce import argmin as argmin
from .ops.math.reduce import reduce_all as reduce_all
from .ops.math.reduce import reduce_any as reduce_any
from .ops.math.reduce import reduce_logsumexp as reduce_logsumexp
from .ops.math.reduce import reduce_max as reduce_max
from .ops.math.reduce import reduce_mean as reduce_mean
from .ops.math.reduce import reduce_min as reduce_min
from .ops.math.reduce import reduce_prod as reduce_prod
from .ops.math.reduce import reduce_sum as reduce_sum
from .ops.nn.space import batch_to_space as batch_to_space
from .ops.nn.space import space_to_batch as space_to_batch
from .ops.nn.space import space_to_batch as space_to_batch_nd
from .ops.nn.space_batch_op import required_space_to_batch_paddings as required_space_to_batch_paddings
from .ops.none_tensor import NoneTensorSpec as NoneTensorSpec
from .ops.ragged import RaggedTensor as RaggedTensor
from .ops.ragged import RaggedTensorSpec as RaggedTensorSpec
from .ops.random.index_shuffle import random_index_shuffle as random_index_shuffle
from .ops.script_ops import numpy_function as numpy_function
from .ops.script_ops import py_function as py_function
from .ops.sparse import SparseTensor as SparseTensor
from .ops.sparse import SparseTensorSpec as SparseTensorSpec
from .ops.strings.core import as_string as as_string
from .ops.strings.hashing import fingerprint as fingerprint
from .ops.type_spec import type_spec_from_value as type_spec_from_value
from .shape import TensorShape as TensorShape
from .tensor import Tensor as Tensor
from .tensor import constant as constant
from .tensor import convert_to_tensor as convert_to_tensor
from .tensor import executing_eagerly as executing_eagerly
from .tensor import get_static_value as get_static_value
from .tensor import is_symbolic_tensor as is_symbolic_tensor
from .tensor import is_tensor as is_tensor
from .tensor import register_tensor_conversion_function as register_tensor_conversion_function
from .tensor_spec import TensorSpec as TensorSpec
from .tensor_spec import TypeSpec as TypeSpec
from .variable import Variable as Variable
from .variable_creator import variable_creator_scope as variable_creator_scope
from .variable_policy import VariableAggregationV2 as VariableAggregation
from .variable_policy import VariableSynchronization as VariableSynchronization

newaxis = None
__version__ = "0.1.0"

# Namespaces and names loaded on first access (PEP 562): `import featherflow` pays only for the core, and
# tf.io, tf.image, tf.signal, ... load (a few ms each) when a program first touches them.
_LAZY = {
    "autograph": (".autograph", None),
    "compat": (".compat", None),
    "image": (".image", None),
    "io": (".io", None),
    "raw_ops": (".raw_ops", None),
    "lookup": (".lookup", None),
    "sets": (".sets", None),
    "signal": (".signal", None),
    "summary": (".summary", None),
    "fftnd": (".ops.signal.fft", "fftnd"),
    "ifftnd": (".ops.signal.fft", "ifftnd"),
    "irfftnd": (".ops.signal.fft", "irfftnd"),
    "rfftnd": (".ops.signal.fft", "rfftnd"),
    "make_ndarray": (".ops.tensor_util", "make_ndarray"),
    "make_tensor_proto": (".ops.tensor_util", "make_tensor_proto"),
    "approx_top_k": (".ops.nn.approx_top_k", "approx_top_k"),
    "data": (".data", None),
    "distribute": (".distribute", None),
    "keras": (".keras", None),
    "use_as_tensorflow": ("._tensorflow", "use_as_tensorflow"),
    "test": (".test", None),
    "sysconfig": (".sysconfig", None),
    "optimizers": (".optimizers", None),
    "OptionalSpec": (".data.iterator", "OptionalSpec"),
    "ragged_fill_empty_rows": (".ops.ragged.fill_empty_rows", "ragged_fill_empty_rows"),
    "ragged_fill_empty_rows_grad": (".ops.ragged.fill_empty_rows", "ragged_fill_empty_rows_grad"),
    "conv": (".ops.nn.conv_generic", "conv"),
    "conv2d_backprop_filter_v2": (".ops.nn.conv_generic", "conv2d_backprop_filter_v2"),
    "conv2d_backprop_input_v2": (".ops.nn.conv_generic", "conv2d_backprop_input_v2"),
}


def __getattr__(name: str) -> object:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'featherflow' has no attribute {name!r}") from None
    import importlib

    value = importlib.import_module(module, __name__)
    if attr is not None:
        value = getattr(value, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


# tf.dtypes is the public namespace, not the internal module of the same name (importing that one made it this
# package's attribute): bound last, once every internal module has run its own `from . import dtypes`.
from ._api import dtypes as dtypes  # noqa: E402
