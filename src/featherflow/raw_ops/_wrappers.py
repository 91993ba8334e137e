"""The raw ops with attrs, each a keyword-only function named and shaped as TF's generated one (TF's op-def
argument and attr names and defaults), mapped onto featherflow's public functions.

>>> from featherflow.raw_ops._wrappers import EXPLICIT
>>> EXPLICIT["Sum"](input=[[1, 2], [3, 4]], axis=1, keep_dims=True).numpy().tolist()
[[3], [7]]
"""

from __future__ import annotations

from typing import Any, Callable

from ..dtypes import as_dtype as _as_dtype
from ..dtypes import int32 as _int32
from ..dtypes import int64 as _int64
from ..errors import InvalidArgumentError
from ..ops.array import core as _core
from ..ops.array import create as _create
from ..ops.array import gather as _gather
from ..ops.array import join as _join
from ..ops.array import slicing as _slicing
from ..ops.array.core import op_error
from ..ops.array.unique_axis import unique_v2 as _unique_v2
from ..ops.array.unique_axis import unique_with_counts_v2 as _unique_with_counts_v2
from ..ops.compat_v1 import array as _compat_v1_array
from ..ops.convert import tensor
from ..ops.image.projective import image_projective_transform
from ..ops.linalg import core as _linalg
from ..ops.linalg.core import _check_matmul  # TF's shape checks of MatMul, which tf.linalg.matmul batches past
from ..ops.math import api as _math
from ..ops.math import cumulative as _cumulative
from ..ops.math import reduce as _reduce
from ..ops.math.bucketize import bucketize as _bucketize
from ..ops.nn import conv as _conv
from ..ops.nn import core as _nn
from ..python_values import type_string
from ..tensor import Tensor
from ..variable import Variable
from ._generic import convert_inputs, keyword_only

EXPLICIT: dict[str, Callable] = {}


def _raw(op_name: str) -> Callable[[Callable], Callable]:
    def wrap(fn: Callable) -> Callable:
        code = fn.__code__
        EXPLICIT[op_name] = keyword_only(fn, list(code.co_varnames[:code.co_argcount]))
        return fn

    return wrap


# --- the ops Keras's TensorFlow backend calls --------------------------------------------------------


@_raw("CudnnRNNV3")
def cudnn_rnnv3(input: Any, input_h: Any, input_c: Any, params: Any, sequence_lengths: Any,  # noqa: A002
                 rnn_mode: str = "lstm", input_mode: str = "linear_input", direction: str = "unidirectional",
                 dropout: float = 0, seed: int = 0, seed2: int = 0, num_proj: int = 0, is_training: bool = True,
                 time_major: bool = True, name: str | None = None) -> Any:
    """featherflow has no cuDNN kernels: TF's error for an op with none registered (what a TF build without
    cuDNN raises; Keras's LSTM and GRU then take their generic path)."""
    from ..errors import NotFoundError
    from ..ops.convert import tensor
    from ..python_values import TF_TYPE_NAMES

    dtype = tensor(input).dtype
    attrs = (f'T=DT_{TF_TYPE_NAMES.get(dtype.name, dtype.name).upper()}, direction="{direction}", dropout={dropout:g}, input_mode="{input_mode}", '
             f'is_training={str(bool(is_training)).lower()}, num_proj={num_proj}, rnn_mode="{rnn_mode}", '
             f'seed={seed}, seed2={seed2}, time_major={str(bool(time_major)).lower()}')
    raise NotFoundError(None, None, f"Could not find device for node: {{{{node CudnnRNNV3}}}} = CudnnRNNV3[{attrs}]\n"
                                    "All kernels registered for op CudnnRNNV3:\n  <no registered kernels>\n "
                                    "[Op:CudnnRNNV3]")



@_raw("Bucketize")
def bucketize(input: Any, boundaries: Any, name: str | None = None) -> Any:  # noqa: A002
    """Bucket indices of ``input`` for sorted ``boundaries`` (a value on a boundary goes above it)."""
    return _bucketize(input, boundaries)


@_raw("UniqueV2")
def unique_v2(x: Any, axis: Any, out_idx: Any = _int32, name: str | None = None) -> Any:
    """The distinct slices of ``x`` along ``axis`` (a 1-D tensor of at most one axis)."""
    return _unique_v2(x, axis, out_idx)


@_raw("UniqueWithCountsV2")
def unique_with_counts_v2(x: Any, axis: Any, out_idx: Any = _int32, name: str | None = None) -> Any:
    """``UniqueV2`` plus how often each distinct slice occurs."""
    return _unique_with_counts_v2(x, axis, out_idx)


@_raw("ImageProjectiveTransformV2")
def image_projective_transform_v2(images: Any, transforms: Any, output_shape: Any, interpolation: str,
                                  fill_mode: str = "CONSTANT", name: str | None = None) -> Any:
    """Projective transforms of a batch of images, points outside filled with 0 (``fill_mode`` CONSTANT)."""
    return image_projective_transform(images, transforms, output_shape, interpolation, fill_mode)


@_raw("ImageProjectiveTransformV3")
def image_projective_transform_v3(images: Any, transforms: Any, output_shape: Any, fill_value: Any,
                                  interpolation: str, fill_mode: str = "CONSTANT", name: str | None = None) -> Any:
    """Projective transforms of a batch of images, points outside given ``fill_value`` (CONSTANT)."""
    return image_projective_transform(images, transforms, output_shape, interpolation, fill_mode, fill_value)


# --- math and arrays ---------------------------------------------------------------------------------


@_raw("MatMul")
def mat_mul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False, grad_a: bool = False,
            grad_b: bool = False, name: str | None = None) -> Any:
    """``a @ b`` of two matrices (``grad_a``/``grad_b`` are hints for TF's kernels only)."""
    a, b = convert_inputs([a, b], ("T", "T"))
    if a.shape.rank != 2 or b.shape.rank != 2:  # (``matmul`` would multiply batches)
        _check_matmul("MatMul", a, b, transpose_a, transpose_b)
    return _linalg.matmul(a, b, transpose_a=transpose_a, transpose_b=transpose_b)


@_raw("BatchMatMulV2")
def batch_mat_mul_v2(x: Any, y: Any, adj_x: bool = False, adj_y: bool = False, grad_x: bool = False,
                     grad_y: bool = False, name: str | None = None) -> Any:
    """Batched matrix products, broadcasting the batch dimensions."""
    x, y = convert_inputs([x, y], ("T", "T"))
    return _linalg.matmul(x, y, adjoint_a=adj_x, adjoint_b=adj_y)


@_raw("Cast")
def cast(x: Any, DstT: Any, Truncate: bool = False, name: str | None = None) -> Any:  # noqa: N803 (TF's attrs)
    """``x`` converted to ``DstT``."""
    dst = _as_dtype(DstT)
    t = tensor(x)
    if Truncate and t.dtype.is_floating and dst.is_floating and dst.size < t.dtype.size:
        raise NotImplementedError("Cast with Truncate=True between floating dtypes (mantissa truncation instead of "
                                  "rounding) is not implemented by featherflow")
    return _create.cast(t, dst)


@_raw("Reshape")
def reshape(tensor: Any, shape: Any, name: str | None = None) -> Any:  # noqa: F811 (TF's argument name)
    """``tensor`` with a new shape (one dimension may be -1)."""
    return _core.reshape(tensor, shape)


@_raw("Transpose")
def transpose(x: Any, perm: Any, name: str | None = None) -> Any:
    """``x`` with its dimensions permuted by ``perm``."""
    return _core.transpose(x, perm)


@_raw("ConcatV2")
def concat_v2(values: Any, axis: Any, name: str | None = None) -> Any:
    """``values`` joined along ``axis``."""
    return _join.concat(values, axis)


@_raw("Pack")
def pack(values: Any, axis: int = 0, name: str | None = None) -> Any:
    """``values`` stacked along a new axis."""
    return _core.stack(values, axis)


def _reduction(fn: Callable) -> Callable:
    def reduce(input: Any, axis: Any, keep_dims: bool = False, name: str | None = None) -> Any:  # noqa: A002
        return fn(input, axis, keepdims=keep_dims)

    return reduce


for _op, _fn, _name in (("Sum", _reduce.reduce_sum, "_sum"), ("Mean", _reduce.reduce_mean, "mean"),
                        ("Max", _reduce.reduce_max, "_max"), ("Min", _reduce.reduce_min, "_min"),
                        ("Prod", _reduce.reduce_prod, "prod"), ("All", _reduce.reduce_all, "_all"),
                        ("Any", _reduce.reduce_any, "_any")):
    _f = _reduction(_fn)
    _f.__name__ = _f.__qualname__ = _name
    _f.__doc__ = f"TF's ``{_op}`` over ``axis`` (``keep_dims``: keep reduced dimensions of length 1)."
    _raw(_op)(_f)


@_raw("ArgMax")
def arg_max(input: Any, dimension: Any, output_type: Any = _int64, name: str | None = None) -> Any:  # noqa: A002
    """The index of the largest value along ``dimension``."""
    return _reduce.argmax(input, dimension, output_type=output_type)


@_raw("ArgMin")
def arg_min(input: Any, dimension: Any, output_type: Any = _int64, name: str | None = None) -> Any:  # noqa: A002
    """The index of the smallest value along ``dimension``."""
    return _reduce.argmin(input, dimension, output_type=output_type)


@_raw("Softmax")
def softmax(logits: Any, name: str | None = None) -> Any:
    """Softmax over the last dimension."""
    return _nn.softmax(logits)


@_raw("LogSoftmax")
def log_softmax(logits: Any, name: str | None = None) -> Any:
    """Log-softmax over the last dimension."""
    return _nn.log_softmax(logits)


@_raw("LeakyRelu")
def leaky_relu(features: Any, alpha: float = 0.2, name: str | None = None) -> Any:
    """``max(features, alpha * features)``."""
    return _nn.leaky_relu(features, alpha)


@_raw("BiasAdd")
def bias_add(value: Any, bias: Any, data_format: str = "NHWC", name: str | None = None) -> Any:
    """``value`` plus a bias on its channel dimension."""
    return _nn.bias_add(value, bias, data_format=data_format)


@_raw("Conv2D")
def conv2d(input: Any, filter: Any, strides: Any, padding: str, use_cudnn_on_gpu: bool = True,  # noqa: A002
           explicit_paddings: Any = (), data_format: str = "NHWC", dilations: Any = (1, 1, 1, 1),
           name: str | None = None) -> Any:
    """2-D convolution; ``padding`` "EXPLICIT" takes the 8 values of ``explicit_paddings``."""
    pads = list(explicit_paddings)
    if padding == "EXPLICIT":
        padding = [pads[i:i + 2] for i in range(0, len(pads), 2)]
    return _conv.conv2d(input, filter, list(strides), padding, data_format=data_format, dilations=list(dilations))


@_raw("Fill")
def fill(dims: Any, value: Any, name: str | None = None) -> Any:
    """A tensor of shape ``dims`` holding ``value``."""
    return _create.fill(dims, value)


@_raw("Range")
def _range(start: Any, limit: Any, delta: Any, name: str | None = None) -> Any:
    """``start, start + delta, ...`` up to ``limit`` (excluded)."""
    values = [start, limit, delta]
    if any(isinstance(v, Tensor) for v in values):
        values = convert_inputs(values, ("Tidx", "Tidx", "Tidx"))
    else:  # TF's fast path converts Python values to the attr's default, int32
        values = [tensor(v, _int32) for v in values]
    return _create.range_(*values)


@_raw("StridedSlice")
def strided_slice(input: Any, begin: Any, end: Any, strides: Any, begin_mask: int = 0, end_mask: int = 0,  # noqa: A002
                  ellipsis_mask: int = 0, new_axis_mask: int = 0, shrink_axis_mask: int = 0,
                  name: str | None = None) -> Any:
    """Python's slicing, as ``input[begin:end:strides]`` with TF's masks."""
    return _slicing.strided_slice(input, begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask,
                                  shrink_axis_mask)


@_raw("Slice")
def _slice(input: Any, begin: Any, size: Any, name: str | None = None) -> Any:  # noqa: A002
    """``size`` elements from ``begin`` on in each dimension (-1: all the rest)."""
    return _slicing.slice(input, begin, size)


@_raw("Select")
def select(condition: Any, x: Any, y: Any, name: str | None = None) -> Any:
    """``x`` where ``condition`` holds, else ``y`` (of one shape; ``condition`` of it, or a vector over its rows)."""
    return _compat_v1_array.where(condition, x, y)


@_raw("SelectV2")
def select_v2(condition: Any, t: Any, e: Any, name: str | None = None) -> Any:
    """``t`` where ``condition`` holds, else ``e`` (all three broadcast)."""
    return _math.where(condition, t, e)


@_raw("GatherV2")
def gather_v2(params: Any, indices: Any, axis: Any, batch_dims: int = 0, name: str | None = None) -> Any:
    """Slices of ``params`` at ``indices`` along ``axis``."""
    return _gather.gather(params, indices, axis=axis, batch_dims=batch_dims)


@_raw("AddN")
def add_n(inputs: Any, name: str | None = None) -> Any:
    """The elementwise sum of a list of tensors of one shape and dtype."""
    return _math.add_n(inputs)


@_raw("Shape")
def shape(input: Any, out_type: Any = _int32, name: str | None = None) -> Any:  # noqa: A002
    """The shape of ``input`` as a 1-D tensor."""
    return _core.shape(input, out_type=out_type)


@_raw("ExpandDims")
def expand_dims(input: Any, axis: Any, name: str | None = None) -> Any:  # noqa: A002
    """``input`` with a dimension of length 1 inserted at ``axis``."""
    return _core.expand_dims(input, axis)


@_raw("Squeeze")
def squeeze(input: Any, axis: Any = (), name: str | None = None) -> Any:  # noqa: A002
    """``input`` without its dimensions of length 1 (those in ``axis``, if given)."""
    return _core.squeeze(input, list(axis) or None)


@_raw("Tile")
def tile(input: Any, multiples: Any, name: str | None = None) -> Any:  # noqa: A002
    """``input`` repeated ``multiples[i]`` times along each dimension."""
    return _join.tile(input, multiples)


@_raw("Pad")
def pad(input: Any, paddings: Any, name: str | None = None) -> Any:  # noqa: A002
    """``input`` padded with zeros (``paddings``: [before, after] per dimension)."""
    return _join.pad(input, paddings)


@_raw("OneHot")
def one_hot(indices: Any, depth: Any, on_value: Any, off_value: Any, axis: int = -1, name: str | None = None) -> Any:
    """One-hot vectors of length ``depth`` along ``axis``."""
    return _create.one_hot(indices, depth, on_value, off_value, axis)


@_raw("Cumsum")
def cumsum(x: Any, axis: Any, exclusive: bool = False, reverse: bool = False, name: str | None = None) -> Any:
    """Running sums along ``axis``."""
    return _cumulative.cumsum(x, axis, exclusive=exclusive, reverse=reverse)


# --- resource variables (TF passes ``v.handle``: a featherflow Variable is its own handle) ----------------


def _variable(op: str, resource: Any) -> Variable:
    if not isinstance(resource, Variable):
        raise InvalidArgumentError(None, None, f"cannot compute {op} as input #0(zero-based) was expected to be a "
                                               f"resource tensor but is a {type_string(tensor(resource).dtype)} "
                                               f"tensor [Op:{op}] name: ")
    return resource


@_raw("ReadVariableOp")
def read_variable_op(resource: Any, dtype: Any, name: str | None = None) -> Any:
    """The value of the variable ``resource``, which must have ``dtype``."""
    v = _variable("ReadVariableOp", resource)
    dt = _as_dtype(dtype)
    if dt is not v.dtype:
        raise op_error("ReadVariableOp", f"Trying to read variable with wrong dtype. Expected {type_string(dt)} "
                                         f"got {type_string(v.dtype)}", name="")
    return v.value()


def _update(op: str, resource: Any, value: Any) -> tuple[Variable, Any]:
    v = _variable(op, resource)
    t = tensor(value)
    if t.dtype is not v.dtype:
        raise op_error(op, f"Trying to assign variable with wrong dtype. Expected {type_string(v.dtype)} got "
                           f"{type_string(t.dtype)}")
    return v, t


@_raw("AssignVariableOp")
def assign_variable_op(resource: Any, value: Any, validate_shape: bool = False, name: str | None = None) -> None:
    """Writes ``value`` (of the variable's dtype) into the variable ``resource``."""
    v, t = _update("AssignVariableOp", resource, value)
    if not v.shape.is_compatible_with(t.shape):
        raise NotImplementedError(f"AssignVariableOp of a value of shape {t.shape} to a variable of shape {v.shape}: "
                                  "featherflow does not change a variable's shape")
    v.assign(t, read_value=False)


def _assign_update(op: str, method: str) -> Callable:
    def update(resource: Any, value: Any, name: str | None = None) -> None:
        v, t = _update(op, resource, value)
        if tuple(v.shape) != tuple(t.shape):
            raise op_error(op, f"Cannot update variable with shape {_dims(v.shape)} using a Tensor with shape "
                               f"{_dims(t.shape)}, shapes must be equal.")
        getattr(v, method)(t, read_value=False)

    return update


def _dims(shape: Any) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


for _op, _method, _name in (("AssignAddVariableOp", "assign_add", "assign_add_variable_op"),
                            ("AssignSubVariableOp", "assign_sub", "assign_sub_variable_op")):
    _f = _assign_update(_op, _method)
    _f.__name__ = _f.__qualname__ = _name
    _f.__doc__ = f"TF's ``{_op}``: ``{_method}`` of ``value`` (of the variable's dtype and shape)."
    _raw(_op)(_f)


@_raw("ResourceGather")
def resource_gather(resource: Any, indices: Any, dtype: Any, batch_dims: int = 0, validate_indices: bool = True,
                    name: str | None = None) -> Any:
    """Slices of the variable ``resource`` (of ``dtype``) at ``indices`` along its first dimension."""
    v = _variable("ResourceGather", resource)
    dt = _as_dtype(dtype)
    if dt is not v.dtype:  # (TF's kernel aborts the process here)
        raise op_error("ResourceGather", f"Trying to read variable with wrong dtype. Expected {type_string(dt)} "
                                         f"got {type_string(v.dtype)}", name="")
    return _gather.gather(v.value(), indices, axis=batch_dims, batch_dims=batch_dims)


del _op, _fn, _name, _f, _method
