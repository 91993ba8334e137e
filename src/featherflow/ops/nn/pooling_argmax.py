"""``tf.nn.max_pool_with_argmax``: TF's MaxPoolWithArgmax (each window's max and the flat index of the input that
holds it: the first maximum in row-major order) and its gradient op MaxPoolGradWithArgmax (a scatter-add of the
incoming gradient at those indices), which TF registers without a gradient.

>>> import featherflow as tf
>>> out, arg = tf.nn.max_pool_with_argmax(tf.reshape(tf.range(4.0), [1, 2, 2, 1]), 2, 2, "VALID")
>>> out.numpy().ravel().tolist(), arg.numpy().ravel().tolist()
([3.0], [3])
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...errors import UnimplementedError
from ...tensor import Tensor
from .._kernel_errors import kernel_error
from ..convert import tensor
from ..registry import register
from .conv import _max_and_tap, _out_shape, get_sequence, spatial_pads

MaxPoolWithArgmax = namedtuple("MaxPoolWithArgmax", ["output", "argmax"])


@register("MaxPoolWithArgmax", n_outputs=2)
def max_pool_with_argmax_op(xp: Any, x: Any, ksize: tuple, strides: tuple, pads: tuple, Targmax: Any,  # noqa: N803
                            include_batch_in_index: bool = False) -> Any:
    n, h, w, c = x.shape
    out = _out_shape(x.shape, ksize, strides, (1, 1), pads)
    best, tap = _max_and_tap(xp, x, ksize, strides, pads, out)
    tap = tap.astype(np.int64)
    row = (xp.arange(out[0], dtype=np.int64) * strides[0] - pads[0])[None, :, None, None] + tap // ksize[1]
    col = (xp.arange(out[1], dtype=np.int64) * strides[1] - pads[2])[None, None, :, None] + tap % ksize[1]
    index = (row * w + col) * c + xp.arange(c, dtype=np.int64)
    if include_batch_in_index:
        index = index + xp.arange(n, dtype=np.int64)[:, None, None, None] * (h * w * c)
    return best, index.astype(Targmax)


@max_pool_with_argmax_op.gradient
def _(gs: tuple, ans: tuple, x: Tensor, ksize: tuple, strides: tuple, pads: tuple, Targmax: Any,  # noqa: N803
      include_batch_in_index: bool = False) -> Any:
    if gs[0] is None:
        return None
    return max_pool_grad_with_argmax_op(x, gs[0], ans[1], include_batch_in_index=include_batch_in_index)


@register("MaxPoolGradWithArgmax")
def max_pool_grad_with_argmax_op(xp: Any, x: Any, g: Any, argmax: Any, include_batch_in_index: bool = False) -> Any:
    n = x.shape[0]
    per = int(np.prod(x.shape[1:], dtype=np.int64))
    index = argmax.astype(np.int64).reshape(n, -1)
    if not include_batch_in_index:
        index = index + xp.arange(n, dtype=np.int64)[:, None] * per
    grid = xp.zeros(n * per, dtype=g.dtype)
    xp.add.at(grid, index.reshape(-1), g.reshape(-1))
    return grid.reshape(x.shape)


def max_pool_with_argmax(input: Any, ksize: Any, strides: Any, padding: str, data_format: str = "NHWC",  # noqa: A002
                         output_dtype: Any = _dtypes.int64, include_batch_in_index: bool = False,
                         name: str | None = None) -> tuple:
    """Max pooling of NHWC images and, for each output, the flat index of its maximum
    (``tf.nn.max_pool_with_argmax``).

    >>> max_pool_with_argmax(np.arange(4.0, dtype=np.float32).reshape(1, 2, 2, 1), 2, 1, "SAME")[1].numpy().ravel()
    array([3, 3, 3, 3])
    """
    if data_format != "NHWC":
        raise ValueError("`data_format` values other  than 'NHWC' are not supported. Received: "
                         f"data_format={data_format}")
    ksize = [int(v) for v in get_sequence(ksize, 2, 3, "ksize")]
    strides = [int(v) for v in get_sequence(strides, 2, 3, "strides")]
    x = tensor(input)
    out_type = _dtypes.as_dtype(output_dtype)
    max_pool_with_argmax_op.check(x, padding=padding)
    max_pool_with_argmax_op.check_attr("Targmax", out_type)
    op = "MaxPoolWithArgmax"
    if any(v <= 0 for v in ksize):
        raise kernel_error(op, f"ksize must be a positive int32 value, got:{min(ksize)}")
    if any(v <= 0 for v in strides):
        raise kernel_error(op, f"Stride must be > 0, but got {min(strides)}")
    # TF's kernel checks ksize's batch and depth entries and the batch stride; a depth stride is not checked,
    # and not used
    if ksize[0] != 1 or strides[0] != 1:
        raise kernel_error(op, "Pooling is not yet supported on the batch dimension.", cls=UnimplementedError)
    if ksize[3] != 1:
        raise kernel_error(op, "MaxPooling supports exactly one of pooling across depth or pooling across "
                               "width/height.", cls=UnimplementedError)
    if x._value.ndim != 4:
        raise kernel_error(op, "tensor_in must be 4-dimensional")
    k, s = (ksize[1], ksize[2]), (strides[1], strides[2])
    pads = spatial_pads(op, padding, [], x._value.shape[1:3], k, s, (1, 1), False, op)
    return MaxPoolWithArgmax(*max_pool_with_argmax_op(x, ksize=k, strides=s, pads=pads, Targmax=out_type._np,
                                                      include_batch_in_index=bool(include_batch_in_index)))
