"""``tf.conv`` (the generic Conv op: 2 or 3 spatial dimensions, any number of batch dimensions) and
``tf.conv2d_backprop_input_v2`` / ``tf.conv2d_backprop_filter_v2`` (the backprop ops that take the input and
filter tensors rather than their shapes), on featherflow's convolution kernels.

TF 2.21 registers no kernel for the two V2 backprop ops (only XLA lowers them), so TF's eager runtime raises
NotFoundError for them; featherflow runs them as their op definitions say (Conv2DBackpropInput/Filter with
the shape taken from the given tensor).

>>> import featherflow as tf
>>> tf.conv(tf.ones([1, 3, 3, 1]), tf.ones([2, 2, 1, 1]), [1, 1, 1, 1], "VALID").numpy().ravel().tolist()
[4.0, 4.0, 4.0, 4.0]
"""

from __future__ import annotations

from typing import Any

from ...dtypes import bfloat16 as _bfloat16
from ...dtypes import float16 as _float16
from ...dtypes import float32 as _float32
from ...dtypes import float64 as _float64
from ...dtypes import int32 as _int32
from ...errors import InvalidArgumentError, UnimplementedError
from ...tensor import Tensor
from .._kernel_errors import kernel_error, on_cpu_without_xla, slow_path
from ..convert import tensor
from ..registry import register
from .conv import _backprop_filter, _backprop_input, conv_inputs, to_nchw, to_nhwc
from .conv3d import _conv_forward

# TF registers no kernel for the V2 backprop ops; these are the dtypes of Conv2DBackpropInput's CPU kernels
_V2_DTYPES = frozenset({_float16, _bfloat16, _float32, _float64, _int32})


@register("Conv")
def conv_op(xp: Any, x: Any, f: Any, strides: tuple, pads: tuple, dilations: tuple, batch_dims: int) -> Any:
    if batch_dims == 1:
        return _conv_forward(xp, x, f, strides, pads, dilations)
    lead = x.shape[:batch_dims]
    out = _conv_forward(xp, x.reshape((-1,) + x.shape[batch_dims:]), f, strides, pads, dilations)
    return out.reshape(lead + out.shape[1:])


@register("Conv2DBackpropInputV2", dtypes=_V2_DTYPES)
def conv2d_backprop_input_v2_op(xp: Any, x: Any, f: Any, g: Any, strides: tuple, pads: tuple,
                                dilations: tuple) -> Any:
    return _backprop_input(xp, f, g, x.shape, strides, pads, dilations)


@register("Conv2DBackpropFilterV2", dtypes=_V2_DTYPES)
def conv2d_backprop_filter_v2_op(xp: Any, x: Any, f: Any, g: Any, strides: tuple, pads: tuple,
                                 dilations: tuple) -> Any:
    return _backprop_filter(xp, x, g, f.shape, strides, pads, dilations)


def _window(op: str, sizes: tuple, k: tuple, s: tuple, d: tuple, padding: str, explicit: list) -> tuple:
    """(before, after) per spatial dimension and the output sizes, with TF's GetWindowedOutputSizeVerbose check."""
    pads, out = [], []
    for i, (size, kk, st, dd) in enumerate(zip(sizes, k, s, d)):
        eff = (kk - 1) * dd + 1
        if padding == "VALID":
            n, before, after = (size - eff + st) // st, 0, 0
        elif padding == "SAME":
            n = (size + st - 1) // st
            total = max((n - 1) * st + eff - size, 0)
            before, after = total // 2, total - total // 2
        else:
            before, after = explicit[2 * i], explicit[2 * i + 1]
            n = (size + before + after - eff + st) // st
        if n < 0:
            raise kernel_error(op, f"Computed output size would be negative: {n} [input_size: {size}, "
                                   f"effective_filter_size: {eff}, stride: {st}]", kernel=op)
        pads += [before, after]
        out.append(n)
    return tuple(pads), tuple(out)


def _check_padding(op: str, padding: str, explicit: list, n_dims: int, first: bool) -> None:
    """TF's CheckValidPadding."""
    if padding == "EXPLICIT":
        if len(explicit) != 2 * n_dims:
            raise kernel_error(op, f"explicit_paddings attribute must contain {2 * n_dims} values, but got: "
                                   f"{len(explicit)}", kernel=op)
        if any(v < 0 for v in explicit):
            raise kernel_error(op, "All elements of explicit_paddings must be nonnegative", kernel=op)
        b, c = 0, (1 if first else n_dims - 1)
        if explicit[2 * b] or explicit[2 * b + 1] or explicit[2 * c] or explicit[2 * c + 1]:
            raise kernel_error(op, "Nonzero explicit padding in the batch or depth dimensions is not supported",
                               kernel=op)
    elif explicit:
        raise kernel_error(op, "explicit_paddings attribute must be empty if the padding attribute is not EXPLICIT",
                           kernel=op)


def _spatial(values: list, first: bool, n: int) -> tuple:
    return tuple(values[2:2 + n]) if first else tuple(values[1:1 + n])


def conv(input: Any, filter: Any, strides: Any, padding: str, explicit_paddings: Any = (),  # noqa: A002
         data_format: str = "CHANNELS_LAST", dilations: Any = (), batch_dims: int = 1, groups: int = 1,
         name: str | None = None) -> Tensor:
    """The Conv op: a 2-D or 3-D convolution of ``input`` ([*batch, *spatial, C], or channels first) with an
    HWIO (DHWIO) ``filter``; ``batch_dims`` leading dimensions are batch."""
    with slow_path(input, filter):  # (Python lists take TF's slow path: its errors lack the " name: " tail)
        return _conv(input, filter, strides, padding, explicit_paddings, data_format, dilations, batch_dims, groups)


def _conv(input: Any, filter: Any, strides: Any, padding: str, explicit_paddings: Any,  # noqa: A002
          data_format: str, dilations: Any, batch_dims: int, groups: int) -> Tensor:
    op = "Conv"
    x, f = conv_inputs(input, filter)
    conv_op.check(x, f, padding=padding, data_format=data_format)
    if groups != 1:
        raise kernel_error(op, "Grouped/Depthwise Convolutions are not supported yet.", kernel=op,
                           cls=UnimplementedError)
    strides, dilations = [int(v) for v in strides], [int(v) for v in dilations]
    explicit = [int(v) for v in explicit_paddings]
    first = data_format == "CHANNELS_FIRST"
    xs, fs = x._value.shape, f._value.shape
    n = len(xs) - 1 - batch_dims
    if n not in (2, 3):
        raise kernel_error(op, f"The input must have 2 or 3 spatial dimensions but got {n}", kernel=op)
    if f._value.size == 0:
        raise kernel_error(op, "filter must not have zero elements (i.e. all dimensions must be non-zero)", kernel=op)
    if len(fs) not in (4, 5):
        raise kernel_error(op, f"The filter must be rank 4 or 5 but got {len(fs)}", kernel=op)
    if len(strides) != n + 2:
        raise kernel_error(op, f"Sliding window strides field must specify {n + 2} dimensions", kernel=op)
    c = 1 if first else n + 1
    if strides[0] != 1 or strides[c] != 1:
        raise kernel_error(op, "Current implementation does not support strides in the batch and depth dimensions.",
                           kernel=op)
    if any(v <= 0 for v in _spatial(strides, first, n)):
        raise kernel_error(op, "Spatial strides should be larger than 0.", kernel=op)
    if not dilations:
        dilations = [1] * (n + 2)
    elif len(dilations) != n + 2:
        raise kernel_error(op, f"Dilation rates field must specify{n + 2}dimensions", kernel=op)
    elif dilations[0] != 1 or dilations[c] != 1:
        raise kernel_error(op, "Current implementation does not support dilation rates in the batch and depth "
                               "dimensions.", kernel=op)
    elif any(v <= 0 for v in _spatial(dilations, first, n)):
        raise kernel_error(op, "Dilated rates should be larger than 0.", kernel=op)
    _check_padding(op, padding, explicit, n + 2, first)
    inner = xs[batch_dims - 1:] if batch_dims else (1,) + xs  # one batch dimension, as the kernel flattens them
    depth, patch = (inner[1], fs[-2]) if first else (inner[-1], fs[-2])
    if patch <= 0:
        raise kernel_error(op, f"filter depth must be stricly positive, got {patch}", kernel=op)
    if depth != patch:
        raise kernel_error(op, f"Input depth must be equal to filter depth: {depth} vs {patch}", kernel=op)
    if padding == "EXPLICIT" and n == 3:  # TF reads only the H and W paddings, and its Conv3D kernel aborts
        raise kernel_error(op, "Eigen does not have explicit padding enum value", kernel=op, cls=UnimplementedError)
    sizes = tuple(inner[2:]) if first else tuple(inner[1:-1])
    s, d = _spatial(strides, first, n), _spatial(dilations, first, n)
    dims = range(2, 2 + n) if first else range(1, 1 + n)
    pair = [v for j in dims for v in explicit[2 * j:2 * j + 2]] if padding == "EXPLICIT" else []
    pads, _ = _window(op, sizes, fs[:n], s, d, padding, pair)
    if on_cpu_without_xla():  # (XLA's CPU backend takes these)
        if first and n == 2:
            raise kernel_error(op, "The Conv2D op currently only supports the NHWC tensor format on the CPU. The op "
                                   "was given the format: NCHW", kernel=op, cls=UnimplementedError)
        if n == 3 and max(d) > 1:
            raise kernel_error(op, "CPU implementation of Conv3D currently only supports dilated rates of 1.",
                               kernel=op)
        if first:
            raise kernel_error(op, "CPU implementation of Conv3D currently only supports the NHWC tensor format.",
                               kernel=op)
    if first:  # the kernels run channels-last
        from ..array.core import transpose_op

        rank = len(xs)
        x = transpose_op(x, perm=tuple(range(batch_dims)) + tuple(range(batch_dims + 1, rank)) + (batch_dims,))
    out = conv_op(x, f, strides=s, pads=pads, dilations=d, batch_dims=batch_dims)
    if first:
        from ..array.core import transpose_op

        rank = len(xs)
        out = transpose_op(out, perm=tuple(range(batch_dims)) + (rank - 1,) + tuple(range(batch_dims, rank - 1)))
    return out


def _backprop_v2(op_fn: Any, input: Any, filter: Any, out_backprop: Any, strides: Any, padding: str,  # noqa: A002
                 explicit_paddings: Any, data_format: str, dilations: Any) -> Tensor:
    op = op_fn.name
    x, f = conv_inputs(input, filter)
    g = tensor(out_backprop) if type(out_backprop) is Tensor else conv_inputs(x, out_backprop)[1]
    op_fn.check(x, f, g, padding=padding, data_format=data_format)
    nchw = data_format == "NCHW"
    strides, dilations = [int(v) for v in strides], [int(v) for v in dilations]
    explicit = [int(v) for v in explicit_paddings]
    for t, what in ((x, "input"), (f, "filter"), (g, "out_backprop")):
        if t._value.ndim != 4:
            raise InvalidArgumentError(None, None, f"{what} must be 4-dimensional [Op:{op}]")
    if len(strides) != 4 or len(dilations) != 4:
        raise kernel_error(op, "Sliding window strides field must specify 4 dimensions", kernel=op)
    c = 1 if nchw else 3
    if strides[0] != 1 or strides[c] != 1:
        raise kernel_error(op, "Current implementation does not yet support strides in the batch and depth "
                               "dimensions.", kernel=op)
    _check_padding(op, padding, explicit, 4, nchw)
    if nchw:
        x, g = to_nhwc(x), to_nhwc(g)
    xs, fs, gs = x._value.shape, f._value.shape, g._value.shape
    hw = (2, 3) if nchw else (1, 2)
    s, d = (strides[hw[0]], strides[hw[1]]), (dilations[hw[0]], dilations[hw[1]])
    if xs[3] % fs[2] or fs[3] != gs[3]:
        raise kernel_error(op, f"input depth {xs[3]}, filter {list(fs)} and out_backprop depth {gs[3]} do not "
                               "match", kernel=op)
    pair = [explicit[2 * hw[0]], explicit[2 * hw[0] + 1], explicit[2 * hw[1]], explicit[2 * hw[1] + 1]] \
        if padding == "EXPLICIT" else []
    pads, out = _window(op, xs[1:3], fs[:2], s, d, padding, pair)
    if tuple(gs[1:3]) != out:
        raise kernel_error(op, f"Size of out_backprop doesn't match computed: actual = {list(gs[1:3])}, computed = "
                               f"{list(out)}", kernel=op)
    result = op_fn(x, f, g, strides=s, pads=pads, dilations=d)
    return to_nchw(result) if nchw and op_fn is conv2d_backprop_input_v2_op else result


def conv2d_backprop_input_v2(input: Any, filter: Any, out_backprop: Any, strides: Any, padding: str,  # noqa: A002
                             use_cudnn_on_gpu: bool = True, explicit_paddings: Any = (), data_format: str = "NHWC",
                             dilations: Any = (1, 1, 1, 1), name: str | None = None) -> Tensor:
    """The gradient of a 2-D convolution with respect to its ``input`` (whose shape is taken from ``input``)."""
    with slow_path(input, filter, out_backprop):
        return _backprop_v2(conv2d_backprop_input_v2_op, input, filter, out_backprop, strides, padding,
                            explicit_paddings, data_format, dilations)


def conv2d_backprop_filter_v2(input: Any, filter: Any, out_backprop: Any, strides: Any, padding: str,  # noqa: A002
                              use_cudnn_on_gpu: bool = True, explicit_paddings: Any = (), data_format: str = "NHWC",
                              dilations: Any = (1, 1, 1, 1), name: str | None = None) -> Tensor:
    """The gradient of a 2-D convolution with respect to its ``filter`` (whose shape is taken from ``filter``)."""
    with slow_path(input, filter, out_backprop):
        return _backprop_v2(conv2d_backprop_filter_v2_op, input, filter, out_backprop, strides, padding,
                            explicit_paddings, data_format, dilations)
