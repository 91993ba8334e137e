"""Pooling wrappers (``tf.nn.max_pool2d``, ``avg_pool2d``, the 1-D and generic forms), with TF's argument
checks; the ops and their gradients live in ``conv``.

>>> import featherflow as tf
>>> tf.nn.max_pool2d(tf.reshape(tf.range(4.0), [1, 2, 2, 1]), 2, 2, "VALID").numpy().ravel()
array([3.], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...errors import InvalidArgumentError, UnimplementedError
from ...tensor import Tensor
from .._kernel_errors import kernel_error, on_cpu_without_xla
from ..convert import tensor
from .conv import (
    avg_pool_op,
    convert_padding,
    get_sequence,
    max_pool_op,
    mkl,
    spatial_pads,
    to_nchw,
    to_nhwc,
)

_d = _dtypes


def _pool(op: str, input: Any, ksize: Any, strides: Any, padding: Any, data_format: str) -> Tensor:
    data_format = data_format or "NHWC"
    nchw = data_format.startswith("NC")
    ci = 1 if nchw else 3
    ksize = [int(k) for k in get_sequence(ksize, 2, ci, "ksize")]
    strides = [int(s) for s in get_sequence(strides, 2, ci, "strides")]
    is_max = op == "MaxPool"
    if is_max:
        padding, explicit = convert_padding(padding)
        # MaxPool's T defaults to float: TF converts a non-tensor input to float32
        x = input if isinstance(input, Tensor) or hasattr(input, "__tf_tensor__") else tensor(
            np.asarray(input, dtype=np.float32))
        x = tensor(x)
    else:
        if not isinstance(padding, str):
            raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
        explicit = []
        x = tensor(input)
    dt = x._dtype
    (max_pool_op if is_max else avg_pool_op).check(x, padding=padding)  # before the shapes
    kernel = "__MklNativeAvgPool" if not is_max and mkl(dt) else op
    shape = x._value.shape
    if len(shape) != 4:
        msg = ("Input must be 4 or 5-dimensional" if is_max or mkl(dt) else
               f"tensor_in_shape must have 2 spatial dimensions. {len(shape)} 0")
        raise kernel_error(op, msg, kernel=kernel)
    if any(k <= 0 for k in ksize):
        raise kernel_error(op, "Sliding window ksize must be positive. The specified or inferred ksize is: "
                               f"{','.join(map(str, ksize))}", kernel=kernel)
    if any(s <= 0 for s in strides):
        raise kernel_error(op, f"Stride must be > 0, but got {min(strides)}", kernel=kernel)
    if ksize[0] != 1 or strides[0] != 1:
        raise kernel_error(op, "Pooling is not yet supported on the batch dimension.", kernel=kernel,
                           cls=UnimplementedError)
    hw = (2, 3) if nchw else (1, 2)
    k, s = (ksize[hw[0]], ksize[hw[1]]), (strides[hw[0]], strides[hw[1]])
    if ksize[ci] != 1 or strides[ci] != 1:
        if k != (1, 1) or s != (1, 1) or not is_max:
            raise kernel_error(op, "MaxPooling supports exactly one of pooling across depth or pooling across "
                                   "width/height.", kernel=kernel, cls=UnimplementedError)
        return _depth_max_pool(x, ksize[ci], strides[ci], ci)
    if nchw and not mkl(dt) and on_cpu_without_xla():  # TF's GPU kernels (and XLA) take NCHW
        raise kernel_error(op, f"Default {'MaxPoolingOp' if is_max else 'AvgPoolingOp'} only supports NHWC on device "
                               "type CPU", kernel=kernel)
    pads = spatial_pads(op, padding, explicit, (shape[hw[0]], shape[hw[1]]), k, s, (1, 1), nchw, kernel)
    x = to_nhwc(x) if nchw else x
    out = (max_pool_op if is_max else avg_pool_op)(x, ksize=k, strides=s, pads=pads)
    return to_nchw(out) if nchw else out


def _depth_max_pool(x: Tensor, window: int, stride: int, axis: int) -> Tensor:
    from ..array.core import reshape_op
    from ..math.reduce import reduce_max

    depth = x._value.shape[axis]
    if window != stride:
        raise InvalidArgumentError(None, None, "Depthwise max pooling requires the depth window to equal the depth "
                                               "stride.")
    if depth % window:
        raise InvalidArgumentError(None, None, "Depthwise max pooling requires the depth window to evenly divide the "
                                               "input depth.")
    shape = list(x._value.shape)
    shape[axis: axis + 1] = [depth // window, window]
    return reduce_max(reshape_op(x, shape=tuple(shape)), axis=axis + 1)


def max_pool2d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",  # noqa: A002
               name: str | None = None) -> Tensor:
    """Max over each ``ksize`` window of NHWC images (``tf.nn.max_pool2d``); SAME pads with -inf.

    >>> max_pool2d(tensor(np.arange(4.0, dtype=np.float32).reshape(1, 2, 2, 1)), 2, 1, "SAME").numpy().ravel()
    array([3., 3., 3., 3.], dtype=float32)
    """
    return _pool("MaxPool", input, ksize, strides, padding, data_format)


def avg_pool2d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",  # noqa: A002
               name: str | None = None) -> Tensor:
    """Mean over each ``ksize`` window of NHWC images (``tf.nn.avg_pool2d``); SAME averages real inputs only.

    >>> avg_pool2d(tensor(np.arange(4.0, dtype=np.float32).reshape(1, 2, 2, 1)), 2, 2, "VALID").numpy().ravel()
    array([1.5], dtype=float32)
    """
    return _pool("AvgPool", input, ksize, strides, padding, data_format)


def _pool1d(op: str, input: Any, ksize: Any, strides: Any, padding: Any, data_format: str) -> Tensor:
    from ..array.core import reshape_op

    data_format = data_format or "NWC"
    ci = 1 if data_format.startswith("NC") else 2
    ksize = [1] + get_sequence(ksize, 1, ci, "ksize")
    strides = [1] + get_sequence(strides, 1, ci, "strides")
    if op == "MaxPool":
        padding, explicit = convert_padding(padding, 3)
        if padding == "EXPLICIT":
            padding = [[0, 0]] + [list(explicit[i:i + 2]) for i in range(0, len(explicit), 2)]
    expand = 1 if data_format == "NWC" else 2
    data_format = "NHWC" if data_format == "NWC" else "NCHW"
    x = tensor(input)
    shape = list(x._value.shape)
    shape.insert(expand, 1)
    out = _pool(op, reshape_op(x, shape=tuple(shape)), ksize, strides, padding, data_format)
    shape = list(out._value.shape)
    del shape[expand]
    return reshape_op(out, shape=tuple(shape))


def max_pool1d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC",  # noqa: A002
               name: str | None = None) -> Tensor:
    """Max pooling of NWC sequences (``tf.nn.max_pool1d``).

    >>> max_pool1d(tensor(np.array([[[1.0], [3.0], [2.0]]], np.float32)), 2, 1, "VALID").numpy().ravel()
    array([3., 3.], dtype=float32)
    """
    return _pool1d("MaxPool", input, ksize, strides, padding, data_format)


def avg_pool1d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC",  # noqa: A002
               name: str | None = None) -> Tensor:
    """Average pooling of NWC sequences (``tf.nn.avg_pool1d``).

    >>> avg_pool1d(tensor(np.array([[[1.0], [3.0], [2.0]]], np.float32)), 2, 1, "VALID").numpy().ravel()
    array([2. , 2.5], dtype=float32)
    """
    return _pool1d("AvgPool", input, ksize, strides, padding, data_format)


def _generic(pool1: Any, pool2: Any, input: Any, ksize: Any, strides: Any, padding: Any, data_format: Any) -> Tensor:
    x = input if isinstance(input, Tensor) else tensor(input)
    n = x._value.ndim - 2 if x._value.ndim else -2
    if not 1 <= n <= 3:
        raise ValueError(f"`input.shape.rank` must be 3, 4 or 5. Received: input.shape={x.shape} of rank {n + 2}.")
    if n == 3:
        from .pooling3d import avg_pool3d, max_pool3d

        fn = max_pool3d if pool1 is max_pool1d else avg_pool3d
        return fn(input, ksize, strides, padding, data_format or "NDHWC")
    fn = pool1 if n == 1 else pool2
    return fn(input, ksize, strides, padding, data_format or ("NWC" if n == 1 else "NHWC"))


def max_pool(input: Any, ksize: Any, strides: Any, padding: Any, data_format: Any = None,  # noqa: A002
             name: str | None = None) -> Tensor:
    """Max pooling of 1-D or 2-D inputs, chosen by rank (``tf.nn.max_pool``).

    >>> max_pool(tensor(np.array([[[1.0], [3.0]]], np.float32)), 2, 1, "VALID").numpy().ravel()
    array([3.], dtype=float32)
    """
    return _generic(max_pool1d, max_pool2d, input, ksize, strides, padding, data_format)


def avg_pool(input: Any, ksize: Any, strides: Any, padding: Any, data_format: Any = None,  # noqa: A002
             name: str | None = None) -> Tensor:
    """Average pooling of 1-D or 2-D inputs, chosen by rank (``tf.nn.avg_pool``).

    >>> avg_pool(tensor(np.array([[[1.0], [3.0]]], np.float32)), 2, 1, "VALID").numpy().ravel()
    array([2.], dtype=float32)
    """
    return _generic(avg_pool1d, avg_pool2d, input, ksize, strides, padding, data_format)
