"""Depthwise-based and dilated 2-D convolutions TF writes in Python (``tf.nn.separable_conv2d``,
``atrous_conv2d``) and the depthwise backprop functions (``tf.nn.depthwise_conv2d_backprop_input``/``_filter``,
TF's DepthwiseConv2dNativeBackpropInput/Filter ops, registered with the depthwise op in ``conv``).

>>> import featherflow as tf
>>> tf.nn.separable_conv2d(tf.ones([1, 2, 2, 1]), tf.ones([2, 2, 1, 1]), tf.ones([1, 1, 1, 1]), [1, 1, 1, 1],
...                        "VALID").numpy().ravel()
array([4.], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import Tensor
from ..convert import int_list, tensor
from ..registry import OPS
from .conv import (
    conv2d,
    conv2d_transpose,
    convert_padding,
    depthwise_conv2d,
    get_sequence,
    spatial_pads,
    to_nchw,
    to_nhwc,
)
from .conv_nd import with_space_to_batch
from .space import batch_to_space, space_to_batch


def separable_conv2d(input: Any, depthwise_filter: Any, pointwise_filter: Any, strides: Any,  # noqa: A002
                     padding: str, data_format: str | None = None, dilations: Any = None,
                     name: str | None = None) -> Tensor:
    """A depthwise convolution (dilated by ``dilations``) followed by a 1x1 pointwise one
    (``tf.nn.separable_conv2d``).

    >>> separable_conv2d(np.ones((1, 3, 3, 1), np.float32), np.ones((2, 2, 1, 2), np.float32),
    ...                  np.ones((1, 1, 2, 1), np.float32), [1, 1, 1, 1], "VALID").numpy().ravel()
    array([8., 8., 8., 8.], dtype=float32)
    """
    x = tensor(input)
    dw = depthwise_filter if isinstance(depthwise_filter, Tensor) else tensor(depthwise_filter)
    pw = pointwise_filter if isinstance(pointwise_filter, Tensor) else tensor(pointwise_filter)
    ps = pw._value.shape
    if len(ps) != 4:
        raise ValueError(f"Shape {pw.shape} must have rank 4")
    for dim in (0, 1):
        if ps[dim] != 1:
            raise ValueError(f"Dimensions {ps[dim]} and 1 are not compatible")
    rate = [1, 1] if dilations is None else list(dilations) if isinstance(dilations, (list, tuple)) else [dilations] * 2
    rates = np.array(rate, dtype=np.int32)
    if len(rates) != 2:
        raise ValueError(f"`len(dilation_rate)` should be 2. Received: dilation_rate={rate} of length {len(rate)}")
    if np.any(rates < 1):
        raise ValueError(f"all values of `dilation_rate` must be positive. Received: dilation_rate={rates}")
    channels_first = data_format is not None and data_format.startswith("NC")
    spatial = range(2, 4) if channels_first else range(1, 3)

    def op(converted: Tensor, pad: str) -> Tensor:
        return depthwise_conv2d(converted, dw, strides, pad, data_format=data_format)

    depthwise = with_space_to_batch(x, rates, padding, op, spatial, tuple(dw._value.shape[:2]))
    return conv2d(depthwise, pw, [1, 1, 1, 1], "VALID", data_format=data_format or "NHWC")


def atrous_conv2d(value: Any, filters: Any, rate: int, padding: str, name: str | None = None) -> Tensor:
    """2-D convolution with holes: ``filters`` dilated by ``rate`` in both spatial dimensions
    (``tf.nn.atrous_conv2d``).

    >>> atrous_conv2d(np.ones((1, 3, 3, 1), np.float32), np.ones((2, 2, 1, 1), np.float32), 2,
    ...               "VALID").numpy().ravel()
    array([4.], dtype=float32)
    """
    from .conv_nd import convolution

    return convolution(value, filters, padding=padding, dilations=[int(v) for v in np.broadcast_to(rate, (2,))])


def _depthwise_args(strides: Any, padding: Any, data_format: str, dilations: Any) -> tuple:
    nchw = (data_format or "NHWC").startswith("NC")
    strides = get_sequence(strides, 2, 1 if nchw else 3, "strides")
    dilations = get_sequence(dilations, 2, 1 if nchw else 3, "dilations")
    padding, explicit = convert_padding(padding)
    hw = (2, 3) if nchw else (1, 2)
    return nchw, padding, explicit, (strides[hw[0]], strides[hw[1]]), (dilations[hw[0]], dilations[hw[1]])


def depthwise_conv2d_backprop_input(input_sizes: Any, filter: Any, out_backprop: Any, strides: Any,  # noqa: A002
                                    padding: Any, data_format: str = "NHWC", dilations: Any = None,
                                    name: str | None = None) -> Tensor:
    """The gradient of ``depthwise_conv2d`` with respect to its input, of shape ``input_sizes``
    (``tf.nn.depthwise_conv2d_backprop_input``).

    >>> depthwise_conv2d_backprop_input([1, 2, 2, 1], np.ones((2, 2, 1, 1), np.float32),
    ...                                 np.ones((1, 1, 1, 1), np.float32), [1, 1, 1, 1], "VALID").numpy().ravel()
    array([1., 1., 1., 1.], dtype=float32)
    """
    from ..array.core import reshape

    nchw, padding, explicit, s, d = _depthwise_args(strides, padding, data_format, dilations)
    g = tensor(out_backprop)
    f = filter if isinstance(filter, Tensor) else tensor(filter)
    sizes = tuple(int_list(input_sizes))
    nhwc = (sizes[0], sizes[2], sizes[3], sizes[1]) if nchw else sizes
    fs = f._value.shape
    pads = spatial_pads("DepthwiseConv2dNativeBackpropInput", padding, explicit, nhwc[1:3], fs[:2], s, d, nchw,
                        "DepthwiseConv2dNativeBackpropInput")
    g = to_nhwc(g) if nchw else g
    grouped = reshape(f, (fs[0], fs[1], 1, fs[2] * fs[3]))  # one group per input channel, as the forward runs
    out = OPS["DepthwiseConv2dNativeBackpropInput"](grouped, g, input_shape=nhwc, strides=s, pads=pads, dilations=d)
    return to_nchw(out) if nchw else out


def depthwise_conv2d_backprop_filter(input: Any, filter_sizes: Any, out_backprop: Any, strides: Any,  # noqa: A002
                                     padding: Any, data_format: str = "NHWC", dilations: Any = None,
                                     name: str | None = None) -> Tensor:
    """The gradient of ``depthwise_conv2d`` with respect to its filter, of shape ``filter_sizes``
    (``tf.nn.depthwise_conv2d_backprop_filter``).

    >>> depthwise_conv2d_backprop_filter(np.ones((1, 2, 2, 1), np.float32), [2, 2, 1, 1],
    ...                                  np.ones((1, 1, 1, 1), np.float32), [1, 1, 1, 1], "VALID").numpy().ravel()
    array([1., 1., 1., 1.], dtype=float32)
    """
    from ..array.core import reshape

    nchw, padding, explicit, s, d = _depthwise_args(strides, padding, data_format, dilations)
    x = tensor(input)
    g = out_backprop if isinstance(out_backprop, Tensor) else tensor(out_backprop)
    sizes = tuple(int_list(filter_sizes))
    x = to_nhwc(x) if nchw else x
    g = to_nhwc(g) if nchw else g
    pads = spatial_pads("DepthwiseConv2dNativeBackpropFilter", padding, explicit, x._value.shape[1:3], sizes[:2], s,
                        d, nchw, "DepthwiseConv2dNativeBackpropFilter")
    grouped = (sizes[0], sizes[1], 1, sizes[2] * sizes[3])
    df = OPS["DepthwiseConv2dNativeBackpropFilter"](x, g, filter_shape=grouped, strides=s, pads=pads, dilations=d)
    return reshape(df, sizes)


def atrous_conv2d_transpose(value: Any, filters: Any, output_shape: Any, rate: int, padding: str,
                            name: str | None = None) -> Tensor:
    """The transpose of ``atrous_conv2d`` (``tf.nn.atrous_conv2d_transpose``): TF's space_to_batch, an undilated
    conv2d_transpose and batch_to_space.

    >>> atrous_conv2d_transpose(np.ones((1, 1, 1, 1), np.float32), np.ones((2, 2, 1, 1), np.float32), [1, 3, 3, 1],
    ...                         2, "VALID").numpy().ravel().tolist()
    [1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0]
    """
    x = tensor(value)
    f = filters if isinstance(filters, Tensor) else tensor(filters, x.dtype)
    xs, fs = x.shape, f.shape
    if xs[3] != fs[3]:
        raise ValueError("`value` channel count must be compatible with `filters` input channel count. Received: "
                         f"value.shape={xs} with channel count {xs[3]} and filters.shape={fs} with input channel "
                         f"count {fs[3]}.")
    if rate < 1:
        raise ValueError(f"`rate` cannot be less than one. Received: rate={rate}")
    if rate == 1:
        return conv2d_transpose(x, f, output_shape, strides=[1, 1, 1, 1], padding=padding, data_format="NHWC")
    sizes = list(int_list(output_shape))
    if len(sizes) != 4:
        raise ValueError(f"`output_shape` must have shape (4,). Received: output_shape=({len(sizes)},)")
    if fs[2] != sizes[3]:
        raise ValueError("`output_shape` channel count must be compatible with `filters` output channel count. "
                         f"Received: output_shape={list(output_shape)} with channel count {sizes[3]} and "
                         f"filters.shape={fs} with output channel count {fs[3]}.")
    if padding == "SAME":
        up_h, up_w = fs[0] + (fs[0] - 1) * (rate - 1), fs[1] + (fs[1] - 1) * (rate - 1)
        top, left = (up_h - 1) // 2, (up_w - 1) // 2
        bottom, right = up_h - 1 - top, up_w - 1 - left
    elif padding == "VALID":
        top = bottom = left = right = 0
    else:
        raise ValueError(f"`padding` must be either 'VALID' or 'SAME'. Received: padding={padding}")
    in_h, in_w = sizes[1] + top + bottom, sizes[2] + left + right
    extra_h, extra_w = (rate - in_h % rate) % rate, (rate - in_w % rate) % rate
    moved = space_to_batch(x, [rate, rate], [[0, extra_h], [0, extra_w]])
    input_sizes = [rate * rate * sizes[0], (in_h + extra_h) // rate, (in_w + extra_w) // rate, sizes[3]]
    out = conv2d_transpose(moved, f, tensor(np.array(input_sizes, np.int32)), [1, 1, 1, 1], "VALID")
    return batch_to_space(out, [rate, rate], [[top, bottom + extra_h], [left, right + extra_w]])
