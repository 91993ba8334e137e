"""3-D pooling (``tf.nn.max_pool3d``, ``avg_pool3d``): TF's MaxPool3D, AvgPool3D and their gradient ops.

The kernels loop over the window's taps (one strided view per tap), never over voxels. TF's MaxPool3DGrad gives
the gradient to every input equal to its window's maximum (ties share it), unlike the 2-D MaxPoolGrad.

>>> import featherflow as tf
>>> tf.nn.max_pool3d(tf.reshape(tf.range(8.0), [1, 2, 2, 2, 1]), 2, 2, "VALID").numpy().ravel()
array([7.], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import UnimplementedError
from ...tensor import Tensor
from .._kernel_errors import kernel_error, on_cpu_without_xla, slow_path
from ..convert import tensor
from ..registry import register
from .conv import _LOW, _lowest, get_sequence, mkl
from .conv3d import out_shape, pad, same_or_valid_pads, tap, taps

_ONES = (1, 1, 1)


def _wide(x: Any) -> Any:
    return x.astype(np.float32) if x.dtype in _LOW else x


def _out(x_shape: tuple, ksize: tuple, strides: tuple, pads: tuple) -> tuple:
    return out_shape(x_shape, ksize, strides, _ONES, pads)


@register("MaxPool3D")
def max_pool3d_op(xp: Any, x: Any, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    out = _out(x.shape, ksize, strides, pads)
    xpad = pad(xp, x, pads, fill=_lowest(x.dtype))
    best = None
    for _, _, offsets in taps(ksize, _ONES):
        v = tap(xpad, offsets, strides, out)
        best = v.copy() if best is None else xp.maximum(best, v)
    return best


@max_pool3d_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    return max_pool3d_grad_op(x, ans, g, ksize=ksize, strides=strides, pads=pads)


@register("MaxPool3DGrad", inputs=("TInput", "TInput", "T"))
def max_pool3d_grad_op(xp: Any, x: Any, y: Any, g: Any, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    out = g.shape[1:4]
    xpad = pad(xp, x, pads, fill=_lowest(x.dtype))
    grid = xp.zeros(xpad.shape, dtype=g.dtype)
    zero = xp.zeros((), dtype=g.dtype)
    for _, _, offsets in taps(ksize, _ONES):
        view = tap(grid, offsets, strides, out)
        view += xp.where(tap(xpad, offsets, strides, out) == y, g, zero)
    index = (slice(None),) + tuple(slice(pads[2 * i], pads[2 * i] + n) for i, n in enumerate(x.shape[1:4]))
    return grid[index]


@max_pool3d_grad_op.gradient
def _(gg: Tensor, ans: Tensor, x: Tensor, y: Tensor, g: Tensor, ksize: tuple, strides: tuple, pads: tuple) -> tuple:
    from ..math.elementwise import zeros_like_op

    return (zeros_like_op(x), zeros_like_op(y),
            max_pool3d_grad_grad_op(x, y, gg, ksize=ksize, strides=strides, pads=pads))


@register("MaxPool3DGradGrad")
def max_pool3d_grad_grad_op(xp: Any, x: Any, y: Any, gg: Any, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    # each output takes the incoming gradient of the first input (row-major) that holds its window's maximum
    out = y.shape[1:4]
    xpad = pad(xp, x, pads, fill=_lowest(x.dtype))
    ggpad = pad(xp, gg, pads)
    result = xp.zeros(y.shape, dtype=gg.dtype)
    found = xp.zeros(y.shape, dtype=bool)
    for _, _, offsets in taps(ksize, _ONES):
        hit = (tap(xpad, offsets, strides, out) == y) & ~found
        result = xp.where(hit, tap(ggpad, offsets, strides, out), result)
        found = found | hit
    return result


@max_pool3d_grad_grad_op.gradient
def _(g3: Tensor, ans: Tensor, x: Tensor, y: Tensor, gg: Tensor, ksize: tuple, strides: tuple, pads: tuple) -> tuple:
    from ..math.elementwise import zeros_like_op

    return zeros_like_op(x), zeros_like_op(y), max_pool3d_grad_op(x, y, g3, ksize=ksize, strides=strides, pads=pads)


def _sums(xp: Any, x: Any, ksize: tuple, strides: tuple, pads: tuple, out: tuple) -> Any:
    xpad = pad(xp, x, pads)
    total = None
    for _, _, offsets in taps(ksize, _ONES):
        v = tap(xpad, offsets, strides, out)
        total = v.copy() if total is None else xp.add(total, v, out=total)
    return total


def _counts(xp: Any, shape: tuple, ksize: tuple, strides: tuple, pads: tuple, out: tuple) -> Any:
    """How many real (unpadded) inputs each window covers: SAME average pooling divides by these."""
    return _sums(xp, xp.ones((1,) + tuple(shape[1:4]) + (1,), dtype=np.float32), ksize, strides, pads, out)


@register("AvgPool3D")
def avg_pool3d_op(xp: Any, x: Any, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    out = _out(x.shape, ksize, strides, pads)
    total = _sums(xp, _wide(x), ksize, strides, pads, out)
    return (total / _counts(xp, x.shape, ksize, strides, pads, out)).astype(x.dtype, copy=False)


@avg_pool3d_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    return avg_pool3d_grad_op(g, input_shape=x._value.shape, ksize=ksize, strides=strides, pads=pads)


@register("AvgPool3DGrad", inputs=("T",))  # the input's shape is an attr
def avg_pool3d_grad_op(xp: Any, g: Any, input_shape: tuple, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    out = g.shape[1:4]
    share = _wide(g) / _counts(xp, input_shape, ksize, strides, pads, out)
    grid = xp.zeros((input_shape[0],) + tuple(n + pads[2 * i] + pads[2 * i + 1] for i, n in
                                              enumerate(input_shape[1:4])) + (input_shape[4],), dtype=share.dtype)
    for _, _, offsets in taps(ksize, _ONES):
        view = tap(grid, offsets, strides, out)
        view += share
    index = (slice(None),) + tuple(slice(pads[2 * i], pads[2 * i] + n) for i, n in enumerate(input_shape[1:4]))
    return grid[index].astype(g.dtype)


@avg_pool3d_grad_op.gradient
def _(gg: Tensor, ans: Tensor, g: Tensor, input_shape: tuple, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    return avg_pool3d_op(gg, ksize=ksize, strides=strides, pads=pads)


def _pool3d(op: Any, input: Any, ksize: Any, strides: Any, padding: Any, data_format: str) -> Tensor:  # noqa: A002
    name = op.name
    data_format = data_format or "NDHWC"
    ncdhw = data_format.startswith("NC")
    ci = 1 if ncdhw else 4
    ksize = [int(k) for k in get_sequence(ksize, 3, ci, "ksize")]
    strides = [int(s) for s in get_sequence(strides, 3, ci, "strides")]
    if not isinstance(padding, str):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    x = tensor(input)
    with slow_path(input):
        op.check(x, ksize=ksize, strides=strides, padding=padding, data_format=data_format)  # before the shapes
        dt = x._dtype
        kernel = f"__MklNative{name}" if name == "AvgPool3D" and mkl(dt) else name
        if any(k <= 0 for k in ksize):
            raise kernel_error(name, "Sliding window ksize must be positive. The specified or inferred ksize is: "
                                     f"{','.join(map(str, ksize))}", kernel=kernel)
        if any(s <= 0 for s in strides):
            raise kernel_error(name, f"Stride must be > 0, but got {min(strides)}", kernel=kernel)
        if ksize[0] != 1 or strides[0] != 1:
            raise kernel_error(name, "Pooling is not yet supported on the batch dimension.", kernel=kernel,
                               cls=UnimplementedError)
        if ksize[ci] != 1 or strides[ci] != 1:
            msg = ("Pooling is not yet supported on the depth dimension." if name == "MaxPool3D" else
                   "AvgPooling3D supports exactly one of pooling across depth or pooling across depth/width/height.")
            raise kernel_error(name, msg, kernel=kernel, cls=UnimplementedError)
        if x._value.ndim != 5:
            raise kernel_error(name, f"tensor_in must be 5-dimensional: {x._value.ndim}", kernel=kernel)
        if ncdhw and on_cpu_without_xla() and not mkl(dt):
            raise kernel_error(name, f"Default {name} implementation only supports NDHWC on device type CPU",
                               kernel=kernel, cls=UnimplementedError)
        sp = (2, 3, 4) if ncdhw else (1, 2, 3)
        k, s = tuple(ksize[i] for i in sp), tuple(strides[i] for i in sp)
        if ncdhw:
            from ..array.core import transpose_op

            x = transpose_op(x, perm=(0, 2, 3, 4, 1))
        sizes = x._value.shape[1:4]
        for size, kk, st in zip(sizes, k, s):
            if padding == "VALID" and (size - kk + st) // st < 0:
                raise kernel_error(name, f"Computed output size would be negative: {(size - kk + st) // st} "
                                         f"[input_size: {size}, effective_filter_size: {kk}, stride: {st}]",
                                   kernel=kernel)
        pads = same_or_valid_pads(padding, sizes, k, s, _ONES)
        out = op(x, ksize=k, strides=s, pads=pads)
        if ncdhw:
            from ..array.core import transpose_op

            out = transpose_op(out, perm=(0, 4, 1, 2, 3))
        return out


def max_pool3d(input: Any, ksize: Any, strides: Any, padding: str, data_format: str = "NDHWC",  # noqa: A002
               name: str | None = None) -> Tensor:
    """Max over each ``ksize`` window of NDHWC volumes (``tf.nn.max_pool3d``).

    >>> float(max_pool3d(np.arange(8.0, dtype=np.float32).reshape(1, 2, 2, 2, 1), 2, 1, "SAME").numpy().max())
    7.0
    """
    return _pool3d(max_pool3d_op, input, ksize, strides, padding, data_format)


def avg_pool3d(input: Any, ksize: Any, strides: Any, padding: str, data_format: str = "NDHWC",  # noqa: A002
               name: str | None = None) -> Tensor:
    """Mean over each ``ksize`` window of NDHWC volumes; SAME averages real inputs only (``tf.nn.avg_pool3d``).

    >>> avg_pool3d(np.arange(8.0, dtype=np.float32).reshape(1, 2, 2, 2, 1), 2, 2, "VALID").numpy().ravel()
    array([3.5], dtype=float32)
    """
    return _pool3d(avg_pool3d_op, input, ksize, strides, padding, data_format)
