"""``tf.nn.with_space_to_batch``: runs an op on the input with its dilation moved into the batch dimension
(space_to_batch_nd, the op with VALID padding, batch_to_space_nd), as TF's ``_WithSpaceToBatch`` does.

>>> import featherflow as tf
>>> x = tf.reshape(tf.range(6.0), [1, 6, 1])
>>> pool = lambda inp, n, padding: tf.nn.max_pool1d(inp, 2, 1, padding)
>>> tf.nn.with_space_to_batch(x, [2], "VALID", pool).numpy().ravel().tolist()  # max over x[i], x[i + 2]
[2.0, 3.0, 4.0, 5.0]
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...tensor import Tensor
from ..convert import tensor
from .space import batch_to_space, space_to_batch


def _adjust(values: list, fill: Any, spatial_dims: list) -> list:
    """TF's _with_space_to_batch_adjust: ``values`` at the spatial dims, ``fill`` at the other dims from 1 on."""
    out = [fill] * spatial_dims[-1]
    for v, d in zip(values, spatial_dims):
        out[d - 1] = v
    return out


def _convert_padding(padding: Any) -> tuple:
    """TF's nn_ops.convert_padding: "SAME"/"VALID", or a list of four (before, after) pairs ("EXPLICIT")."""
    if padding == "EXPLICIT":
        raise ValueError("'EXPLICIT' is not a valid value for `padding`. To use explicit padding, `padding` must be "
                         "a list.")
    if not isinstance(padding, (list, tuple)):
        return padding, None
    for i, pair in enumerate(padding):
        if not isinstance(pair, (list, tuple)):
            raise ValueError("When `padding` is a list, each element of `padding` must be a list/tuple of size 2. "
                             f"Received: padding={padding} with element at index {i} of type {type(pair)}")
        if len(pair) != 2:
            raise ValueError("When `padding` is a list, each element of `padding` must be a list/tuple of size 2. "
                             f"Received: padding={padding} with element at index {i} of size {len(pair)}")
    if len(padding) != 4:
        raise ValueError(f"When padding is a list, it must be of size 4. Received: padding={padding} of size "
                         f"{len(padding)}")
    return "EXPLICIT", [v for pair in padding for v in pair]


def with_space_to_batch(input: Any, dilation_rate: Any, padding: str, op: Callable,  # noqa: A002
                        filter_shape: Any = None, spatial_dims: Any = None, data_format: str | None = None) -> Tensor:
    """``op(converted, num_spatial_dims, padding)`` run on ``input`` with the dilation ``dilation_rate`` moved
    into the batch (``tf.nn.with_space_to_batch``)."""
    x = tensor(input)
    rates = np.asarray(dilation_rate.numpy() if hasattr(dilation_rate, "numpy") else dilation_rate)
    if rates.ndim != 1:
        raise ValueError(f"`dilation_rate.shape.rank` must be 1. Received: dilation_rate={tensor(rates.astype(np.int32))}"
                         f" of rank {rates.ndim}")
    n = rates.shape[0]
    start = 2 if data_format is not None and data_format.startswith("NC") else 1
    if spatial_dims is None:
        spatial_dims = range(start, n + start)
    orig = list(spatial_dims)
    dims = sorted({int(d) for d in orig})
    if dims != orig or any(d < 1 for d in dims):
        raise ValueError("`spatial_dims` must be a monotonically increasing sequence of positive integers. "
                         f"Received: spatial_dims={orig}")
    rank = dims[-1] if start == 2 else dims[-1] + 1
    shape = x._value.shape
    if len(shape) < rank:
        raise ValueError(f"`input.shape.rank` must be at least {rank}. Received: input.shape={x.shape} with rank "
                         f"{len(shape)}")
    if np.any(rates < 1):
        raise ValueError(f"`dilation_rate` must be positive. Received: dilation_rate={rates}")
    if np.all(rates == 1):
        return op(x, n, padding)
    padding, explicit = _convert_padding(padding)
    if padding == "SAME":
        if filter_shape is None:
            raise ValueError(f"`filter_shape` must be specified for `padding='SAME'`. Received: filter_shape="
                             f"{filter_shape} and padding={padding}")
        fs = np.asarray(filter_shape.numpy() if hasattr(filter_shape, "numpy") else filter_shape)[:n]
        extra = (fs - 1) * rates
        base = [(int(e // 2), int(e - e // 2)) for e in extra]
    elif padding == "VALID":
        base = [(0, 0)] * n
    elif padding == "EXPLICIT":
        pairs = np.asarray(explicit).reshape(-1, 2)
        base = [tuple(int(v) for v in p) for p in (pairs[2:] if start == 2 else pairs[1:-1])]
    else:
        raise ValueError(f"`padding` must be one of 'SAME' or 'VALID'. Received: padding={padding}")
    paddings, crops = [], []
    for d, (lo, hi), r in zip(dims, base, rates.tolist()):
        full = shape[d] + lo + hi
        end_extra = (r - full % r) % r
        paddings.append([lo, hi + end_extra])
        crops.append([0, end_extra])
    block = _adjust([int(r) for r in rates.tolist()], 1, dims)
    converted = space_to_batch(x, block, _adjust(paddings, [0, 0], dims))
    return batch_to_space(op(converted, n, "VALID"), block, _adjust(crops, [0, 0], dims))


def required_space_to_batch_paddings(input_shape: Any, block_shape: Any, base_paddings: Any = None,
                                     name: str | None = None) -> tuple[Tensor, Tensor]:
    """(paddings, crops), int32 [N, 2]: the least end padding past ``base_paddings`` that makes ``block_shape``
    divide ``input_shape``, and the crops that undo it (TF computes them in NumPy, eagerly).

    >>> [t.numpy().tolist() for t in required_space_to_batch_paddings([5, 7], [2, 3])]
    [[[0, 1], [0, 2]], [[0, 1], [0, 2]]]
    """
    from ...dtypes import int32

    shape_t = tensor(input_shape, int32)
    block_t = tensor(block_shape, int32)
    if block_t._value.ndim != 1:
        raise ValueError(f"Shape {tuple(block_t._value.shape)} must have rank 1")
    n = block_t._value.shape[0]
    if n == 0:
        empty = np.zeros((0, 2), np.int32)
        return tensor(empty), tensor(empty)
    if shape_t._value.shape != (n,):
        raise ValueError(f"Shapes {tuple(shape_t._value.shape)} and [{n}] are incompatible")
    if base_paddings is not None:
        base_t = tensor(base_paddings, int32)
        if base_t._value.shape != (n, 2):
            raise ValueError(f"Shapes {tuple(base_t._value.shape)} and [{n}, 2] are incompatible")
        base = np.asarray(base_t._numpy())
    else:
        base = np.zeros((n, 2), np.int32)
    block, size = np.asarray(block_t._numpy()), np.asarray(shape_t._numpy())  # TF's constant_value: NumPy
    full = size + base[:, 0] + base[:, 1]
    extra = (block - full % block) % block
    paddings = np.stack([base[:, 0], base[:, 1] + extra], axis=1).astype(np.int32)
    crops = np.stack([np.zeros_like(extra), extra], axis=1).astype(np.int32)
    return tensor(paddings), tensor(crops)
