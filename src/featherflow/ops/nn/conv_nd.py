"""The rank-generic wrappers (``tf.nn.convolution``, ``conv_transpose``, ``conv1d_transpose``, ``pool``), as TF's
``nn_ops.py`` writes them: the 1-, 2- or 3-D op chosen by the filter's (or window's) rank, and dilations other than
one done TF's way, by moving the dilation into the batch (``space_to_batch``), running the undilated op and moving
it back (TF's ``with_space_to_batch``), so values and gradients follow TF's ops.

>>> import featherflow as tf
>>> tf.nn.convolution(tf.ones([1, 4, 1]), tf.ones([2, 1, 1]), dilations=2).numpy().ravel().tolist()
[2.0, 2.0]
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...tensor import Tensor
from ..convert import int_list, tensor
from .conv import conv1d, conv2d, conv2d_transpose, get_sequence
from .conv3d import conv3d, conv3d_transpose
from .space import batch_to_space, space_to_batch

_CHANNELS_LAST = ("NWC", "NHC", "NHWC", "NWHC", "NDHWC", "NDWHC", "NHDWC", "NHWDC", "NWDHC", "NWHDC")


def _strides_and_rates(n: int, strides: Any, rates: Any) -> tuple:
    """TF's _get_strides_and_dilation_rate: both as n-long arrays, checked."""
    rates = [1] * n if rates is None else list(rates) if isinstance(rates, (list, tuple)) else [rates] * n
    if len(rates) != n:
        raise ValueError(f"`len(dilation_rate)` should be {n}. Received: dilation_rate={rates} of length "
                         f"{len(rates)}")
    rates = np.array(rates, dtype=np.int32)
    if np.any(rates < 1):
        raise ValueError(f"all values of `dilation_rate` must be positive. Received: dilation_rate={rates}")
    strides = [1] * n if strides is None else list(strides) if isinstance(strides, (list, tuple)) else [strides] * n
    if len(strides) != n:
        raise ValueError(f"`len(strides)` should be {n}. Received: strides={strides} of length {len(strides)}")
    strides = np.array(strides, dtype=np.int32)
    if np.any(strides < 1):
        raise ValueError(f"all values of `strides` must be positive. Received: strides={strides}")
    if np.any(strides > 1) and np.any(rates > 1):
        raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
                         f"strides={strides} and dilation_rate={rates}")
    return strides, rates


def with_space_to_batch(x: Tensor, rates: np.ndarray, padding: str, op: Callable, spatial: range,
                        filter_spatial: tuple) -> Tensor:
    """TF's with_space_to_batch: ``op(input, padding)`` with its dilation moved into the batch dimension."""
    if np.all(rates == 1):
        return op(x, padding)
    if padding == "SAME":
        extra = [(k - 1) * r for k, r in zip(filter_spatial, rates)]
        base = [(e // 2, e - e // 2) for e in extra]
    else:
        base = [(0, 0)] * len(rates)
    sizes = [x._value.shape[i] for i in spatial]
    paddings, crops = [], []
    for size, (start, end), r in zip(sizes, base, rates):
        end_extra = (int(r) - (size + start + end) % int(r)) % int(r)
        paddings.append([start, end + end_extra])
        crops.append([0, end_extra])
    lead = spatial[0] - 1  # channels-first: the channel axis comes before the spatial ones, a block of one
    block = [1] * lead + [int(r) for r in rates]
    paddings, crops = [[0, 0]] * lead + paddings, [[0, 0]] * lead + crops
    converted = space_to_batch(x, block, paddings)
    return batch_to_space(op(converted, "VALID"), block, crops)


def convolution(input: Any, filters: Any, strides: Any = None, padding: str = "VALID",  # noqa: A002
                data_format: str | None = None, dilations: Any = None, name: str | None = None) -> Tensor:
    """N-D convolution (N = 1, 2, 3, from the filter's rank) with strides, dilations and padding
    (``tf.nn.convolution``).

    >>> convolution(np.ones((1, 3, 3, 1), np.float32), np.ones((2, 2, 1, 1), np.float32)).numpy().ravel()
    array([4., 4., 4., 4.], dtype=float32)
    """
    f = filters if isinstance(filters, Tensor) else tensor(filters)
    x = input if isinstance(input, Tensor) else tensor(input)
    f_rank, x_rank = f._value.ndim, x._value.ndim
    n = f_rank - 2
    if n not in (1, 2, 3):
        raise ValueError(f"`num_spatial_dims` must be 1, 2, or 3. Received: num_spatial_dims={n}.")
    batch_dims = x_rank - n - 1
    channel_index = batch_dims + n if data_format is None or data_format in _CHANNELS_LAST else batch_dims
    dil = get_sequence(dilations, n, channel_index, "dilations")
    dilated = dilations is not None and any(v != 1 for v in dil)
    full_strides = get_sequence(strides, n, channel_index, "strides")
    if batch_dims != 1 and batch_dims >= 0:
        # TF's squeeze_batch_dims: the batch dimensions folded into one around the op
        from ..array.core import reshape

        shape = x._value.shape
        out = convolution(reshape(x, (-1,) + shape[batch_dims:]), f, strides, padding, data_format, dilations)
        return reshape(out, shape[:batch_dims] + out._value.shape[1:])
    fn = {1: conv1d, 2: conv2d, 3: conv3d}[n]
    if not dilated:
        if n == 1:
            stride = full_strides[2] if channel_index == 1 else full_strides[1]
            return conv1d(x, f, stride, padding, data_format=data_format, dilations=dil[2] if channel_index == 1
                          else dil[1])
        return fn(x, f, full_strides, padding, data_format=data_format, dilations=dil)
    sp = slice(2, None) if channel_index == 1 else slice(1, -1)
    s, rates = _strides_and_rates(n, full_strides[sp], dil[sp])
    spatial = range(2, n + 2) if channel_index == 1 else range(1, n + 1)

    def op(converted: Tensor, pad: str) -> Tensor:
        if n == 1:
            return conv1d(converted, f, int(s[0]), pad, data_format=data_format)
        return fn(converted, f, [int(v) for v in s], pad, data_format=data_format)

    return with_space_to_batch(x, rates, padding, op, spatial, tuple(f._value.shape[:n]))


def conv1d_transpose(input: Any, filters: Any, output_shape: Any, strides: Any, padding: str = "SAME",  # noqa: A002
                     data_format: str = "NWC", dilations: Any = None, name: str | None = None) -> Tensor:
    """The gradient of conv1d with respect to its input, as a layer; ``filters`` is [K, C_out, C_in]
    (``tf.nn.conv1d_transpose``).

    >>> conv1d_transpose(np.ones((1, 1, 1), np.float32), np.ones((2, 1, 1), np.float32), [1, 2, 1], 2,
    ...                  "VALID").numpy().ravel()
    array([1., 1.], dtype=float32)
    """
    from ..array.core import reshape

    if data_format is None or data_format == "NWC":
        data_format, axis, channel_index = "NHWC", 1, 2
    elif data_format == "NCW":
        data_format, axis, channel_index = "NCHW", 2, 1
    else:
        raise ValueError(f"`data_format` must be 'NWC' or 'NCW'. Received: data_format={data_format}")
    strides = [1] + get_sequence(strides, 1, channel_index, "stride")
    dilations = [1] + get_sequence(dilations, 1, channel_index, "dilations")
    x = tensor(input)
    f = filters if isinstance(filters, Tensor) else tensor(filters)
    shape = list(int_list(output_shape))
    shape.insert(axis, 1)
    xs = list(x._value.shape)
    xs.insert(axis, 1)
    # TF builds the 4-D output shape with ops: a tensor, so conv2d_transpose's errors are its fast path's
    sizes = tensor(np.array(shape, np.int32))
    out = conv2d_transpose(reshape(x, xs), reshape(f, (1,) + f._value.shape), sizes, strides, padding,
                           data_format=data_format, dilations=dilations)
    final = list(out._value.shape)
    del final[axis]
    return reshape(out, final)


def conv_transpose(input: Any, filters: Any, output_shape: Any, strides: Any, padding: str = "SAME",  # noqa: A002
                   data_format: str | None = None, dilations: Any = None, name: str | None = None) -> Tensor:
    """The transpose of ``convolution`` in 1, 2 or 3 spatial dimensions, chosen by ``output_shape``'s length
    (``tf.nn.conv_transpose``).

    >>> conv_transpose(np.ones((1, 1, 1), np.float32), np.ones((2, 1, 1), np.float32), [1, 2, 1], 2).shape
    TensorShape([1, 2, 1])
    """
    sizes = output_shape.shape[0] if isinstance(output_shape, Tensor) else len(output_shape)
    n = sizes - 2
    fns = {1: conv1d_transpose, 2: conv2d_transpose, 3: conv3d_transpose}
    if n not in fns:
        raise ValueError(f"`output_shape` must be of length 3, 4 or 5. Received: output_shape={output_shape} of "
                         f"length {sizes}.")
    default = {1: "NWC", 2: "NHWC", 3: "NDHWC"}[n]
    return fns[n](input, filters, output_shape, strides, padding=padding, data_format=data_format or default,
                  dilations=dilations)


def pool(input: Any, window_shape: Any, pooling_type: str, strides: Any = None, padding: str = "VALID",  # noqa: A002
         data_format: str | None = None, dilations: Any = None, name: str | None = None) -> Tensor:
    """N-D max or average pooling (N = len(window_shape)) with strides and dilations (``tf.nn.pool``).

    >>> pool(np.arange(4.0, dtype=np.float32).reshape(1, 4, 1), [2], "MAX", strides=[2]).numpy().ravel()
    array([1., 3.], dtype=float32)
    """
    from ..array.core import expand_dims, squeeze
    from .pooling import avg_pool, max_pool
    from .pooling3d import avg_pool3d, max_pool3d

    x = tensor(input)
    window_shape = list(window_shape)
    n = len(window_shape)
    if not 1 <= n <= 3:
        raise ValueError(f"`len(window_shape)` must be 1, 2, or 3. Received: window_shape={window_shape} of length "
                         f"{n}")
    if x._value.ndim != n + 2:
        raise ValueError(f"Shape {x.shape} must have rank {n + 2}")
    s, rates = _strides_and_rates(n, strides, dilations)
    if padding == "SAME" and np.any(rates > 1):
        raise ValueError("pooling with 'SAME' padding is not implemented for `dilation_rate` > 1. Received: "
                         f"padding={padding} and dilation_rate={rates}")
    if np.any(s > np.array(window_shape)):
        raise ValueError("`strides` > `window_shape` not supported due to inconsistency between CPU and GPU "
                         f"implementations. Received: strides={s} and window_shape={window_shape}")
    ops = {("MAX", 1): max_pool, ("MAX", 2): max_pool, ("MAX", 3): max_pool3d, ("AVG", 1): avg_pool,
           ("AVG", 2): avg_pool, ("AVG", 3): avg_pool3d}
    if (pooling_type, n) not in ops:
        raise ValueError(f"{n}-D {pooling_type} pooling is not supported.")
    channels_first = data_format is not None and data_format.startswith("NC")
    window = ([1, 1] + window_shape) if channels_first else ([1] + window_shape + [1])
    steps = ([1, 1] + s.tolist()) if channels_first else ([1] + s.tolist() + [1])
    spatial = range(2, n + 2) if channels_first else range(1, n + 1)
    fmt = data_format
    if n == 1:
        if data_format is None or data_format == "NWC":
            fmt = "NHWC"
        elif data_format == "NCW":
            fmt = "NCHW"
        else:
            raise ValueError(f"data_format must be either 'NWC' or 'NCW'. Received: data_format={data_format}")
        window, steps = [1] + window, [1] + steps

    def op(converted: Tensor, pad: str) -> Tensor:
        if n == 1:
            converted = expand_dims(converted, spatial[0])
        result = ops[(pooling_type, n)](converted, window, steps, pad, data_format=fmt)
        return squeeze(result, [spatial[0]]) if n == 1 else result

    return with_space_to_batch(x, rates, padding, op, spatial, tuple(window_shape))
