"""Moving blocks between space, depth and batch (``tf.nn.depth_to_space``, ``space_to_depth``,
``tf.space_to_batch``/``space_to_batch_nd``, ``tf.batch_to_space``): TF's DepthToSpace, SpaceToDepth,
SpaceToBatchND and BatchToSpaceND, each the gradient of its inverse. Each is one reshape, transpose and reshape.

>>> import featherflow as tf
>>> tf.nn.depth_to_space(tf.reshape(tf.range(4), [1, 1, 1, 4]), 2).numpy().ravel().tolist()
[0, 1, 2, 3]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import InvalidArgumentError, NotFoundError
from ...tensor import Tensor
from .._kernel_errors import kernel_error, on_cpu_without_xla, slow_path
from ..convert import int_list, tensor
from ..registry import register


@register("DepthToSpace")
def depth_to_space_op(xp: Any, x: Any, block_size: int, data_format: str = "NHWC") -> Any:
    if data_format == "NCHW":
        return xp.transpose(depth_to_space_op.forward(xp, xp.transpose(x, (0, 2, 3, 1)), block_size), (0, 3, 1, 2))
    n, h, w, c = x.shape
    b = block_size
    y = xp.transpose(x.reshape(n, h, w, b, b, c // (b * b)), (0, 1, 3, 2, 4, 5))
    return y.reshape(n, h * b, w * b, c // (b * b))


@register("SpaceToDepth")
def space_to_depth_op(xp: Any, x: Any, block_size: int, data_format: str = "NHWC") -> Any:
    if data_format == "NCHW":
        return xp.transpose(space_to_depth_op.forward(xp, xp.transpose(x, (0, 2, 3, 1)), block_size), (0, 3, 1, 2))
    n, h, w, c = x.shape
    b = block_size
    y = xp.transpose(x.reshape(n, h // b, b, w // b, b, c), (0, 1, 3, 2, 4, 5))
    return y.reshape(n, h // b, w // b, c * b * b)


@depth_to_space_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, block_size: int, data_format: str = "NHWC") -> Any:
    return space_to_depth_op(g, block_size=block_size, data_format=data_format)


@space_to_depth_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, block_size: int, data_format: str = "NHWC") -> Any:
    return depth_to_space_op(g, block_size=block_size, data_format=data_format)


def _block_error(op: str, block_size: int) -> InvalidArgumentError:
    from ..registry import OPS

    summary = OPS[op].contract.summary
    return InvalidArgumentError(None, None, f"Value for attr 'block_size' of {block_size} must be at least minimum 2"
                                            f"\n\t; NodeDef: {{{{node {op}}}}}; Op<name={op}; {summary}> [Op:{op}] "
                                            "name: ")


def _space_depth(op: Any, input: Any, block_size: Any, data_format: str) -> Tensor:  # noqa: A002
    name = op.name
    x = tensor(input)
    block_size = int(block_size)
    op.check(x, block_size=block_size, data_format=data_format)  # the dtype and the data_format's value
    if block_size < 2:
        raise _block_error(name, block_size)
    if data_format == "NCHW_VECT_C" or data_format == "NCHW" and on_cpu_without_xla():
        # TF's CPU kernels take NHWC only; NCHW_VECT_C (int8 vectors of 4) exists for qint8 GPU kernels only
        raise NotFoundError(None, None, f"Could not find device for node: {{{{node {name}}}}} = {name}[T="
                                        f"DT_{x._dtype.name.upper()}, block_size={block_size}, data_format="
                                        f"\"{data_format}\"] [Op:{name}] name: ")
    shape = x._value.shape
    if len(shape) != 4:
        text = ("Input rank should be: 4 instead of: " if name == "DepthToSpace" else
                "Input rank should be 4 instead of ")
        raise kernel_error(name, f"{text}{len(shape)}")
    c, h, w = (shape[1], shape[2], shape[3]) if data_format == "NCHW" else (shape[3], shape[1], shape[2])
    if name == "DepthToSpace" and c % (block_size * block_size):
        raise kernel_error(name, f"Input depth dimension {c} should be divisible by: {block_size * block_size}")
    if name == "SpaceToDepth" and (h % block_size or w % block_size):
        raise kernel_error(name, f"Image width {w} and height {h} should be divisible by block_size: {block_size}")
    return op(x, block_size=block_size, data_format=data_format)


def depth_to_space(input: Any, block_size: Any, data_format: str = "NHWC",  # noqa: A002
                   name: str | None = None) -> Tensor:
    """Rearranges depth into ``block_size`` x ``block_size`` spatial blocks (``tf.nn.depth_to_space``).

    >>> depth_to_space(np.arange(4.0).reshape(1, 1, 1, 4), 2).numpy().ravel().tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    return _space_depth(depth_to_space_op, input, block_size, data_format)


def space_to_depth(input: Any, block_size: Any, data_format: str = "NHWC",  # noqa: A002
                   name: str | None = None) -> Tensor:
    """Rearranges ``block_size`` x ``block_size`` spatial blocks into depth (``tf.nn.space_to_depth``).

    >>> space_to_depth(np.arange(4.0).reshape(1, 2, 2, 1), 2).numpy().ravel().tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    return _space_depth(space_to_depth_op, input, block_size, data_format)


# --- space <-> batch -----------------------------------------------------------------------------------------


@register("SpaceToBatchND", inputs=("T",))  # block_shape and paddings: attrs here (TF's int32/int64 inputs)
def space_to_batch_op(xp: Any, x: Any, block_shape: tuple, paddings: tuple) -> Any:
    m = len(block_shape)
    rest = x.shape[1 + m:]
    widths = ((0, 0),) + tuple(paddings) + ((0, 0),) * len(rest)
    if any(any(p) for p in paddings):
        x = xp.pad(x, widths)
    n = x.shape[0]
    split = [n]
    for size, b in zip(x.shape[1:1 + m], block_shape):
        split += [size // b, b]
    y = x.reshape(tuple(split) + rest)
    # (b_1, ..., b_M, n, s_1, ..., s_M, rest): the block offsets lead the batch
    order = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)] + list(range(1 + 2 * m, y.ndim))
    y = xp.transpose(y, order)
    return y.reshape((n * int(np.prod(block_shape)),) + tuple(split[1::2]) + rest)


@register("BatchToSpaceND", inputs=("T",))
def batch_to_space_op(xp: Any, x: Any, block_shape: tuple, crops: tuple) -> Any:
    m = len(block_shape)
    rest = x.shape[1 + m:]
    n = x.shape[0] // int(np.prod(block_shape))
    y = x.reshape(tuple(block_shape) + (n,) + x.shape[1:])
    order = [m]
    for i in range(m):
        order += [m + 1 + i, i]
    order += list(range(2 * m + 1, y.ndim))
    y = xp.transpose(y, order)
    full = [size * b for size, b in zip(x.shape[1:1 + m], block_shape)]
    y = y.reshape((n,) + tuple(full) + rest)
    index = (slice(None),) + tuple(slice(c0, size - c1) for (c0, c1), size in zip(crops, full))
    return y[index]


@space_to_batch_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, block_shape: tuple, paddings: tuple) -> Any:
    return batch_to_space_op(g, block_shape=block_shape, crops=paddings)


@batch_to_space_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, block_shape: tuple, crops: tuple) -> Any:
    return space_to_batch_op(g, block_shape=block_shape, paddings=crops)


def _block_args(op: str, x: Tensor, block_shape: Any, pads: Any, what: str) -> tuple:
    blocks = [int(b) for b in np.asarray(int_list(block_shape)).reshape(-1)]
    m = len(blocks)
    arr = np.asarray(pads.numpy() if isinstance(pads, Tensor) else pads, dtype=np.int64)
    if arr.shape != (m, 2):
        raise kernel_error(op, f"{what} should have shape [{m}, 2] instead of [{','.join(map(str, arr.shape))}]")
    if x._value.ndim < 1 + m:
        raise kernel_error(op, f"input rank should be >= {1 + m} instead of {x._value.ndim}")
    for i, b in enumerate(blocks):
        if b < 1:
            raise kernel_error(op, f"All values in block_shape must be positive, got value, {b} at index {i}.")
    if (arr < 0).any():
        raise kernel_error(op, f"{what.capitalize()} must be non-negative")
    return tuple(blocks), tuple((int(a), int(b)) for a, b in arr)


def space_to_batch(input: Any, block_shape: Any, paddings: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Pads the spatial dimensions and moves ``block_shape`` blocks of them into the batch
    (``tf.space_to_batch``, ``tf.space_to_batch_nd``, ``tf.nn.space_to_batch``).

    >>> space_to_batch(np.arange(4.0).reshape(1, 4, 1), [2], [[0, 0]]).numpy().ravel().tolist()
    [0.0, 2.0, 1.0, 3.0]
    """
    x = tensor(input)
    with slow_path(input, block_shape, paddings):
        space_to_batch_op.check(x)
        blocks, pads = _block_args("SpaceToBatchND", x, block_shape, paddings, "paddings")
        for i, (b, (p0, p1)) in enumerate(zip(blocks, pads)):
            padded = x._value.shape[1 + i] + p0 + p1
            if padded % b:
                raise kernel_error("SpaceToBatchND", f"padded_shape[{i}]={padded} is not divisible by "
                                                     f"block_shape[{i}]={b}")
        return space_to_batch_op(x, block_shape=blocks, paddings=pads)


def batch_to_space(input: Any, block_shape: Any, crops: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Moves blocks of the batch back into the spatial dimensions and crops them (``tf.batch_to_space``).

    >>> batch_to_space(np.array([0.0, 2.0, 1.0, 3.0]).reshape(2, 2, 1), [2], [[0, 0]]).numpy().ravel().tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    x = tensor(input)
    with slow_path(input, block_shape, crops):
        batch_to_space_op.check(x)
        blocks, crop = _block_args("BatchToSpaceND", x, block_shape, crops, "crops")
        total = int(np.prod(blocks))
        if x._value.shape[0] % total:
            raise kernel_error("BatchToSpaceND", f"Input batch dimension ({x._value.shape[0]}) is not divisible by "
                                                 f"product of block sizes ({total})")
        for i, (b, (c0, c1)) in enumerate(zip(blocks, crop)):
            full = x._value.shape[1 + i] * b
            if c0 + c1 > full:
                raise kernel_error("BatchToSpaceND", f"crops must be less than or equal to input shape: crop_start[{i}]"
                                                     f"={c0}, crop_end[{i}]={c1}, input_shape[{i + 1}]={full}")
        return batch_to_space_op(x, block_shape=blocks, crops=crop)
