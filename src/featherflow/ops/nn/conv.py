"""Convolutions and pooling (``tf.nn.conv2d``, ``conv1d``, ``conv2d_transpose``, ``depthwise_conv2d``,
``max_pool2d``, ``avg_pool2d``), with TF's gradient ops.

The kernels are vectorised: a strided window view of the padded input contracted with the filter by one
``tensordot`` (im2col); the backward pass to the input and the pools loop over the kernel's taps (a strided
view of the input per tap), never over pixels. The ops work
in NHWC; NCHW (which TF's CPU kernels accept only through oneDNN, for float32 and bfloat16) is a transpose.

>>> import featherflow as tf
>>> x = tf.ones([1, 3, 3, 1])
>>> tf.nn.conv2d(x, tf.ones([2, 2, 1, 1]), strides=1, padding="VALID").numpy().ravel().tolist()
[4.0, 4.0, 4.0, 4.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ... import dtypes as _dtypes
from ...errors import InvalidArgumentError, UnimplementedError
from ...tensor import Tensor
from .._kernel_errors import kernel_error, on_cpu, on_cpu_without_xla, slow_path
from ..convert import shape_text, tensor
from ..registry import register

_d = _dtypes
_LOW = _d.HALF_FLOATS  # float16, and bfloat16 once ml_dtypes is loaded


def _wide(x: Any) -> Any:
    return x.astype(np.float32) if x.dtype in _LOW else x


def _pad(xp: Any, x: Any, pads: tuple, fill: Any = 0) -> Any:
    pt, pb, pl, pr = pads
    return xp.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)), constant_values=fill) if any(pads) else x


def _taps(k: tuple, d: tuple) -> Any:
    """(tap index, row, column, row offset, column offset) for every filter tap."""
    for i in range(k[0]):
        for j in range(k[1]):
            yield i * k[1] + j, i, j, i * d[0], j * d[1]


def _tap(x: Any, r: int, c: int, s: tuple, out: tuple) -> Any:
    """The (N, OH, OW, C) strided view of the padded input that filter tap (r, c) meets at every output pixel."""
    return x[:, r : r + (out[0] - 1) * s[0] + 1 : s[0], c : c + (out[1] - 1) * s[1] + 1 : s[1], :]


def _out_shape(x_shape: tuple, k: tuple, s: tuple, d: tuple, pads: tuple) -> tuple:
    h = x_shape[1] + pads[0] + pads[1]
    w = x_shape[2] + pads[2] + pads[3]
    return (h - (k[0] - 1) * d[0] - 1) // s[0] + 1, (w - (k[1] - 1) * d[1] - 1) // s[1] + 1


def _windows(xp: Any, x: Any, k: tuple, s: tuple, d: tuple, out: tuple) -> Any:
    """(N, OH, OW, C, KH, KW) view of the padded input: every window the kernel visits, without copying."""
    if xp is not np:
        # a device array has no window view in every backend: stack the taps' strided slices instead (the copy
        # the contraction of a window view makes anyway)
        taps = [_tap(x, r, c, s, out) for _, _, _, r, c in _taps(k, d)]
        return xp.stack(taps, axis=-1).reshape(x.shape[0], out[0], out[1], x.shape[3], k[0], k[1])
    eh, ew = (k[0] - 1) * d[0] + 1, (k[1] - 1) * d[1] + 1
    view = sliding_window_view(x, (eh, ew), axis=(1, 2))
    return view[:, : (out[0] - 1) * s[0] + 1 : s[0], : (out[1] - 1) * s[1] + 1 : s[1], :, :: d[0], :: d[1]]


def _conv_forward(xp: Any, x: Any, f: Any, strides: tuple, pads: tuple, dilations: tuple) -> Any:
    out = _out_shape(x.shape, f.shape[:2], strides, dilations, pads)
    n, kh, kw, cg, o = x.shape[0], *f.shape
    if min(out) <= 0 or n == 0:
        return xp.zeros((n, max(out[0], 0), max(out[1], 0), o), dtype=x.dtype)
    groups = x.shape[3] // cg
    win = _windows(xp, _pad(xp, _wide(x), pads), (kh, kw), strides, dilations, out)
    fw = _wide(f)
    if groups == 1:  # im2col: the window view copied into (N*OH*OW, KH*KW*C), one matrix product
        result = xp.tensordot(win, fw, axes=([4, 5, 3], [0, 1, 2]))
    else:
        win = win.reshape(n, out[0], out[1], groups, cg, kh, kw)
        result = xp.einsum("nhwgckl,klcgo->nhwgo", win, fw.reshape(kh, kw, cg, groups, o // groups), optimize=True)
    return result.reshape(n, out[0], out[1], o).astype(x.dtype, copy=False)


def _cpu_backprop_limits(op: str, xp: Any, dtype: Any, dilations: tuple, depth: int, filter_depth: int) -> None:
    """TF's CPU Conv2D backprop kernels outside oneDNN (all but float32 and bfloat16): no dilations, no groups."""
    if xp is not np or dtype == np.float32 or _d.is_bfloat16(dtype):
        return
    if max(dilations) > 1:
        raise kernel_error(op, "Current CPU implementations do not yet support dilation rates larger than 1.")
    if depth != filter_depth:
        raise kernel_error(op, "Gradients for grouped convolutions are not supported on CPU. Please file a feature "
                               f"request if you run into this issue. Computed input depth {depth} doesn't match "
                               f"filter input depth {filter_depth}")


def _backprop_input(xp: Any, f: Any, g: Any, input_shape: tuple, strides: tuple, pads: tuple,
                    dilations: tuple) -> Any:
    n, h, w, c = input_shape
    kh, kw, cg, o = f.shape
    groups = c // cg
    out = g.shape[1:3]
    gw, fw = _wide(g), _wide(f)
    if groups == 1:
        cols = xp.tensordot(gw, fw, axes=([3], [3]))  # (N, OH, OW, KH, KW, C): each tap's share of the input
    else:
        gg = gw.reshape(n, out[0], out[1], groups, o // groups)
        cols = xp.einsum("nhwgo,klcgo->nhwklgc", gg, fw.reshape(kh, kw, cg, groups, o // groups), optimize=True)
        cols = cols.reshape(n, out[0], out[1], kh, kw, c)
    pt, pb, pl, pr = pads
    grid = xp.zeros((n, h + pt + pb, w + pl + pr, c), dtype=cols.dtype)
    for _, i, j, r, cc in _taps((kh, kw), dilations):
        view = _tap(grid, r, cc, strides, out)
        view += cols[:, :, :, i, j, :]
    return grid[:, pt : pt + h, pl : pl + w, :].astype(g.dtype)


def _backprop_filter(xp: Any, x: Any, g: Any, filter_shape: tuple, strides: tuple, pads: tuple,
                     dilations: tuple) -> Any:
    kh, kw, cg, o = filter_shape
    groups = x.shape[3] // cg
    win = _windows(xp, _pad(xp, _wide(x), pads), (kh, kw), strides, dilations, g.shape[1:3])
    gw = _wide(g)
    if groups == 1:
        df = xp.tensordot(win, gw, axes=([0, 1, 2], [0, 1, 2]))  # (C, KH, KW, O)
        return xp.transpose(df, (1, 2, 0, 3)).astype(g.dtype)
    n, oh, ow = g.shape[:3]
    win = win.reshape(n, oh, ow, groups, cg, kh, kw)
    df = xp.einsum("nhwgckl,nhwgo->klcgo", win, gw.reshape(n, oh, ow, groups, o // groups), optimize=True)
    return df.reshape(filter_shape).astype(g.dtype)


def _conv_ops(name: str, cpu_limits: bool) -> tuple:
    """A convolution op and its two backprop ops, each the gradient of the others (TF's nn_grad)."""
    bi_name, bf_name = name + "BackpropInput", name + "BackpropFilter"

    def backprop_input(xp: Any, f: Any, g: Any, input_shape: tuple, strides: tuple, pads: tuple,
                       dilations: tuple) -> Any:
        if cpu_limits:
            _cpu_backprop_limits(bi_name, xp, g.dtype, dilations, input_shape[3], f.shape[2])
        return _backprop_input(xp, f, g, input_shape, strides, pads, dilations)

    def backprop_filter(xp: Any, x: Any, g: Any, filter_shape: tuple, strides: tuple, pads: tuple,
                        dilations: tuple) -> Any:
        if cpu_limits:
            _cpu_backprop_limits(bf_name, xp, g.dtype, dilations, x.shape[3], filter_shape[2])
        return _backprop_filter(xp, x, g, filter_shape, strides, pads, dilations)

    conv = register(name)(_conv_forward)
    bi = register(bi_name, inputs=("T", "T"))(backprop_input)  # the input's shape is an attr
    bf = register(bf_name, inputs=("T", "T"))(backprop_filter)

    @conv.gradient
    def _(g: Tensor, ans: Tensor, x: Tensor, f: Tensor, **attrs: Any) -> tuple:
        return bi(f, g, input_shape=x._value.shape, **attrs), bf(x, g, filter_shape=f._value.shape, **attrs)

    @bi.gradient
    def _(gg: Tensor, ans: Tensor, f: Tensor, g: Tensor, input_shape: tuple, **attrs: Any) -> tuple:
        return bf(gg, g, filter_shape=f._value.shape, **attrs), conv(gg, f, **attrs)

    @bf.gradient
    def _(gg: Tensor, ans: Tensor, x: Tensor, g: Tensor, filter_shape: tuple, **attrs: Any) -> tuple:
        return bi(gg, g, input_shape=x._value.shape, **attrs), conv(x, gg, **attrs)

    return conv, bi, bf


conv2d_op, conv2d_backprop_input_op, conv2d_backprop_filter_op = _conv_ops("Conv2D", cpu_limits=True)
# depthwise convolutions run as grouped ones (one group per input channel); TF's CPU kernels differentiate them
depthwise_conv2d_op = _conv_ops("DepthwiseConv2dNative", cpu_limits=False)[0]


# --- pooling -------------------------------------------------------------------------------------------------


def _lowest(dtype: Any) -> Any:
    return -np.inf if dtype.kind == "f" or dtype in _LOW else np.iinfo(dtype).min


def _max_and_tap(xp: Any, x: Any, k: tuple, s: tuple, pads: tuple, out: tuple) -> tuple:
    """Each window's max, and which tap holds it: the first maximum in row-major order, as TF's kernel picks."""
    xpad = _pad(xp, x, pads, fill=_lowest(x.dtype))
    best = which = None
    for t, _, _, r, c in _taps(k, (1, 1)):
        v = _tap(xpad, r, c, s, out)
        if best is None:
            best, which = v.copy(), xp.zeros(v.shape, dtype=np.int32)
        else:
            better = v > best
            best = xp.where(better, v, best)
            which = xp.where(better, t, which)  # elementwise: a masked write would sync on a GPU
    return best, which


@register("MaxPool")
def max_pool_op(xp: Any, x: Any, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    return _max_and_tap(xp, x, ksize, strides, pads, _out_shape(x.shape, ksize, strides, (1, 1), pads))[0]


@max_pool_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    return max_pool_grad_op(x, ans, g, ksize=ksize, strides=strides, pads=pads)


@register("MaxPoolGrad")
def max_pool_grad_op(xp: Any, x: Any, y: Any, g: Any, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    which = _max_and_tap(xp, x, ksize, strides, pads, g.shape[1:3])[1]
    pt, pb, pl, pr = pads
    grid = xp.zeros((x.shape[0], x.shape[1] + pt + pb, x.shape[2] + pl + pr, x.shape[3]), dtype=g.dtype)
    zero = xp.zeros((), dtype=g.dtype)
    for t, _, _, r, c in _taps(ksize, (1, 1)):
        view = _tap(grid, r, c, strides, g.shape[1:3])
        view += xp.where(which == t, g, zero)
    return grid[:, pt : pt + x.shape[1], pl : pl + x.shape[2], :]


@max_pool_grad_op.gradient
def _(gg: Tensor, ans: Tensor, x: Tensor, y: Tensor, g: Tensor, ksize: tuple, strides: tuple, pads: tuple) -> tuple:
    from ..math.elementwise import zeros_like_op

    return zeros_like_op(x), zeros_like_op(y), max_pool_grad_grad_op(x, y, gg, ksize=ksize, strides=strides, pads=pads)


@register("MaxPoolGradGrad")
def max_pool_grad_grad_op(xp: Any, x: Any, y: Any, gg: Any, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    which = _max_and_tap(xp, x, ksize, strides, pads, y.shape[1:3])[1]
    ggpad = _pad(xp, gg, pads)
    out = xp.zeros(y.shape, dtype=gg.dtype)
    for t, _, _, r, c in _taps(ksize, (1, 1)):
        out = xp.where(which == t, _tap(ggpad, r, c, strides, y.shape[1:3]), out)
    return out


@max_pool_grad_grad_op.gradient
def _(g3: Tensor, ans: Tensor, x: Tensor, y: Tensor, gg: Tensor, ksize: tuple, strides: tuple, pads: tuple) -> tuple:
    from ..math.elementwise import zeros_like_op

    return zeros_like_op(x), zeros_like_op(y), max_pool_grad_op(x, y, g3, ksize=ksize, strides=strides, pads=pads)


def _window_sums(xp: Any, x: Any, k: tuple, s: tuple, pads: tuple, out: tuple) -> Any:
    xpad = _pad(xp, x, pads)
    total = None
    for _, _, _, r, c in _taps(k, (1, 1)):
        v = _tap(xpad, r, c, s, out)
        total = v.copy() if total is None else xp.add(total, v, out=total)
    return total


def _counts(xp: Any, shape: tuple, ksize: tuple, strides: tuple, pads: tuple, out: tuple) -> Any:
    """How many real (unpadded) inputs each window covers: SAME average pooling divides by these."""
    return _window_sums(xp, xp.ones((1, shape[1], shape[2], 1), dtype=np.float32), ksize, strides, pads, out)


@register("AvgPool")
def avg_pool_op(xp: Any, x: Any, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    out = _out_shape(x.shape, ksize, strides, (1, 1), pads)
    total = _window_sums(xp, _wide(x), ksize, strides, pads, out)
    return (total / _counts(xp, x.shape, ksize, strides, pads, out)).astype(x.dtype, copy=False)


@avg_pool_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    return avg_pool_grad_op(g, input_shape=x._value.shape, ksize=ksize, strides=strides, pads=pads)


@register("AvgPoolGrad", inputs=("T",))
def avg_pool_grad_op(xp: Any, g: Any, input_shape: tuple, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    share = _wide(g) / _counts(xp, input_shape, ksize, strides, pads, g.shape[1:3])
    n, h, w, c = input_shape
    pt, pb, pl, pr = pads
    grid = xp.zeros((n, h + pt + pb, w + pl + pr, c), dtype=share.dtype)
    for _, _, _, r, cc in _taps(ksize, (1, 1)):
        view = _tap(grid, r, cc, strides, g.shape[1:3])
        view += share
    return grid[:, pt : pt + h, pl : pl + w, :].astype(g.dtype)


@avg_pool_grad_op.gradient
def _(gg: Tensor, ans: Tensor, g: Tensor, input_shape: tuple, ksize: tuple, strides: tuple, pads: tuple) -> Any:
    return avg_pool_op(gg, ksize=ksize, strides=strides, pads=pads)


# --- argument handling, as TF's Python wrappers and kernels check it -------------------------------------------


def get_sequence(value: Any, n: int, channel_index: int, name: str) -> list:
    """TF's _get_sequence: an int or list of length 1, n or n + 2 as the full per-dimension list."""
    if value is None:
        return [1] * (n + 2)
    if isinstance(value, (list, tuple)):
        value = list(value)
    elif isinstance(value, (int, np.integer)):
        value = [value]
    elif not hasattr(value, "__len__"):
        value = [value]
    else:
        value = list(value)
    if len(value) == n + 2:
        return value
    if len(value) == 1:
        value = value * n
    elif len(value) != n:
        raise ValueError(f"{name} should be of length 1, {n} or {n + 2}. Received: {name}={value} of length "
                         f"{len(value)}")
    return [1, 1] + value if channel_index == 1 else [1] + value + [1]


def convert_padding(padding: Any, expected_length: int = 4) -> tuple[Any, list]:
    explicit: list = []
    if padding == "EXPLICIT":
        raise ValueError("'EXPLICIT' is not a valid value for `padding`. To use explicit padding, `padding` must be a "
                         "list.")
    if isinstance(padding, (list, tuple)):
        for i, dim in enumerate(padding):
            if not isinstance(dim, (list, tuple)):
                raise ValueError("When `padding` is a list, each element of `padding` must be a list/tuple of size 2. "
                                 f"Received: padding={padding} with element at index {i} of type {type(dim)}")
            if len(dim) != 2:
                raise ValueError("When `padding` is a list, each element of `padding` must be a list/tuple of size 2. "
                                 f"Received: padding={padding} with element at index {i} of size {len(dim)}")
            explicit.extend(dim)
        if len(padding) != expected_length:
            raise ValueError(f"When padding is a list, it must be of size {expected_length}. Received: "
                             f"padding={padding} of size {len(padding)}")
        padding = "EXPLICIT"
    return padding, explicit


def spatial_pads(op: str, padding: str, explicit: list, in_hw: tuple, k: tuple, s: tuple, d: tuple,
                 nchw: bool, kernel: str) -> tuple:
    """(top, bottom, left, right) padding, with TF's output-size checks (GetWindowedOutputSize)."""
    if padding == "EXPLICIT":
        e = [int(v) for v in explicit]
        if any(v < 0 for v in e):
            raise kernel_error(op, "All elements of explicit_paddings must be nonnegative", kernel=kernel)
        hw = (4, 6) if nchw else (2, 4)
        if any(e[i] for i in range(8) if not (hw[0] <= i < hw[1] + 2)):
            raise kernel_error(op, "Nonzero explicit padding in the batch or depth dimensions is not supported",
                               kernel=kernel)
        pads = tuple(e[hw[0]:hw[0] + 4])
    pads_out = []
    for dim in range(2):
        size, eff, stride = in_hw[dim], (k[dim] - 1) * d[dim] + 1, s[dim]
        if padding == "VALID":
            out = (size - eff + stride) // stride
            before = after = 0
        elif padding == "SAME":
            out = (size + stride - 1) // stride
            total = max((out - 1) * stride + eff - size, 0)
            before, after = total // 2, total - total // 2
        else:
            before, after = pads[2 * dim], pads[2 * dim + 1]
            out = (size + before + after - eff + stride) // stride
        if out < 0:
            raise kernel_error(op, f"Computed output size would be negative: {out} [input_size: {size}, "
                                   f"effective_filter_size: {eff}, stride: {stride}]", kernel=kernel)
        pads_out += [before, after]
    return tuple(pads_out)


def to_nhwc(x: Tensor) -> Tensor:
    from ..array.core import transpose_op

    return transpose_op(x, perm=(0, 2, 3, 1))


def to_nchw(x: Tensor) -> Tensor:
    from ..array.core import transpose_op

    return transpose_op(x, perm=(0, 3, 1, 2))


def mkl(dt: Any) -> bool:
    """Whether TF runs this dtype through oneDNN on this device (which also accepts NCHW on the CPU)."""
    return dt in (_d.float32, _d.bfloat16) and on_cpu()


def conv_inputs(input: Any, filters: Any) -> tuple[Tensor, Tensor]:
    x = tensor(input)
    return x, filters if type(filters) is Tensor else _hint(filters, x._dtype)


def _hint(value: Any, dtype: Any) -> Tensor:
    from ..convert import hinted

    return hinted(value, dtype)


def conv2d(input: Any, filters: Any, strides: Any, padding: Any, data_format: str = "NHWC",  # noqa: A002
           dilations: Any = None, name: str | None = None) -> Tensor:
    """2-D convolution (cross-correlation) of NHWC (or NCHW) images with a [KH, KW, C_in/groups, C_out] filter.

    >>> conv2d(tensor(np.ones((1, 2, 2, 1), np.float32)), tensor(np.ones((2, 2, 1, 1), np.float32)), 1,
    ...        "VALID").numpy().ravel()
    array([4.], dtype=float32)
    """
    op = "Conv2D"
    data_format = data_format or "NHWC"
    nchw = data_format.startswith("NC")
    padding, explicit = convert_padding(padding)
    strides = get_sequence(strides, 2, 1 if nchw else 3, "strides")
    dilations = get_sequence(dilations, 2, 1 if nchw else 3, "dilations")
    x, f = conv_inputs(input, filters)
    conv2d_op.check(x, f, padding=padding, data_format=data_format)  # before the shapes
    dt = x._dtype
    xs, fs = x._value.shape, f._value.shape
    if len(xs) != 4:
        raise kernel_error(op, f"convolution input must be 4-dimensional: {shape_text(xs)}", dt,
                           name=None if isinstance(input, (list, tuple)) else "")
    if len(fs) != 4:
        raise kernel_error(op, f"convolution filter must be 4-dimensional: {shape_text(fs)}", dt)
    return conv2d_checked(x, f, strides, padding, explicit, nchw, dilations)


def conv2d_checked(x: Tensor, f: Tensor, strides: list, padding: str, explicit: list, nchw: bool,
                   dilations: list, op_fn: Any = None) -> Tensor:
    op, dt = "Conv2D", x._dtype
    kernel = "__MklNativeConv2D" if mkl(dt) else op
    hw = (2, 3) if nchw else (1, 2)
    bc = (0, 1) if nchw else (0, 3)
    if any(v <= 0 for v in strides):
        raise kernel_error(op, "Row and column strides should be larger than 0." if not mkl(dt) else
                           f"Stride must be > 0, but got {min(strides)}", kernel=kernel)
    if any(strides[i] != 1 for i in bc):
        raise kernel_error(op, "Current implementation does not yet support strides in the batch and depth "
                               "dimensions.", kernel=kernel, cls=UnimplementedError)
    if any(v <= 0 for v in dilations):
        raise kernel_error(op, "Dilated rates should be larger than 0.", kernel=kernel)
    if any(dilations[i] != 1 for i in bc):
        raise kernel_error(op, "Current implementation does not yet support dilations in the batch and depth "
                               "dimensions.", kernel=kernel, cls=InvalidArgumentError if mkl(dt) else UnimplementedError)
    xs, fs = x._value.shape, f._value.shape
    c = xs[1] if nchw else xs[3]
    if fs[2] == 0 or c % fs[2]:
        raise kernel_error(op, f"input depth must be evenly divisible by filter depth: {c} vs {fs[2]}", kernel=kernel)
    groups = c // fs[2]
    if fs[3] % groups:
        raise kernel_error(op, f"output depth must be evenly divisible by number of groups: {fs[3]} vs {groups}",
                           kernel=kernel)
    if nchw and not mkl(dt) and on_cpu_without_xla():  # TF's GPU kernels (and XLA) take NCHW
        raise kernel_error(op, "The Conv2D op currently only supports the NHWC tensor format on the CPU. The op was "
                               "given the format: NCHW", kernel=kernel, cls=UnimplementedError)
    s, d = (strides[hw[0]], strides[hw[1]]), (dilations[hw[0]], dilations[hw[1]])
    pads = spatial_pads(op, padding, explicit, (xs[hw[0]], xs[hw[1]]), fs[:2], s, d, nchw, kernel)
    x = to_nhwc(x) if nchw else x
    out = (op_fn or conv2d_op)(x, f, strides=s, pads=pads, dilations=d)
    return to_nchw(out) if nchw else out


def conv1d(input: Any, filters: Any, stride: Any, padding: Any, data_format: str = "NWC",  # noqa: A002
           dilations: Any = None, name: str | None = None) -> Tensor:
    """1-D convolution of NWC (or NCW) sequences with a [K, C_in, C_out] filter: a conv2d of height one.

    >>> conv1d(tensor(np.ones((1, 3, 1), np.float32)), tensor(np.ones((2, 1, 1), np.float32)), 1,
    ...        "VALID").numpy().ravel()
    array([2., 2.], dtype=float32)
    """
    from ..array.core import reshape_op

    if data_format is None or data_format in ("NHWC", "NWC"):
        data_format, spatial, channel_index = "NHWC", -3, 2
    elif data_format in ("NCHW", "NCW"):
        data_format, spatial, channel_index = "NCHW", -2, 1
    else:
        raise ValueError(f"`data_format` must be 'NWC' or 'NCW'. Received: data_format={data_format}")
    strides = [1] + get_sequence(stride, 1, channel_index, "stride")
    dilations = [1] + get_sequence(dilations, 1, channel_index, "dilations")
    x = tensor(input)
    f = filters if type(filters) is Tensor else _hint(filters, x._dtype)
    xs = list(x._value.shape)
    xs.insert(len(xs) + spatial + 1, 1)
    x = reshape_op(x, shape=tuple(xs))
    f = reshape_op(f, shape=(1,) + f._value.shape)
    out = conv2d(x, f, strides, padding, data_format=data_format, dilations=dilations)
    shape = list(out._value.shape)
    del shape[len(shape) + spatial]
    return reshape_op(out, shape=tuple(shape))


def conv2d_transpose(input: Any, filters: Any, output_shape: Any, strides: Any, padding: Any = "SAME",  # noqa: A002
                     data_format: str = "NHWC", dilations: Any = None, name: str | None = None) -> Tensor:
    """The gradient of conv2d with respect to its input, as a layer ("deconvolution"); ``filters`` is
    [KH, KW, C_out, C_in].

    >>> conv2d_transpose(tensor(np.ones((1, 1, 1, 1), np.float32)), tensor(np.ones((2, 2, 1, 1), np.float32)),
    ...                  [1, 2, 2, 1], 2, "VALID").numpy().ravel()
    array([1., 1., 1., 1.], dtype=float32)
    """
    from ..convert import int_list

    op = "Conv2DBackpropInput"
    data_format = data_format or "NHWC"
    nchw = data_format.startswith("NC")
    strides = get_sequence(strides, 2, 1 if nchw else 3, "strides")
    dilations = get_sequence(dilations, 2, 1 if nchw else 3, "dilations")
    padding, explicit = convert_padding(padding)
    g, f = conv_inputs(input, filters)
    with slow_path(output_shape):  # (TF's input_sizes, a list: its slow path)
        conv2d_backprop_input_op.check(f, g)  # before the shapes
    dt = g._dtype
    sizes = tuple(int_list(output_shape))
    if nchw and not mkl(dt) and on_cpu_without_xla():
        raise kernel_error(op, "Conv2DBackpropInputOp only supports NHWC on the CPU.", dt, name=None,
                           cls=UnimplementedError)
    hw = (2, 3) if nchw else (1, 2)
    s, d = (strides[hw[0]], strides[hw[1]]), (dilations[hw[0]], dilations[hw[1]])
    fs, gs = f._value.shape, g._value.shape
    if len(sizes) != 4 or len(fs) != 4 or len(gs) != 4:
        raise ValueError(f"conv2d_transpose needs 4-D input, filters and output_shape; got {shape_text(gs)}, "
                         f"{shape_text(fs)} and {list(sizes)}")
    nhwc_sizes = (sizes[0], sizes[2], sizes[3], sizes[1]) if nchw else sizes
    pads = spatial_pads(op, padding, explicit, nhwc_sizes[1:3], fs[:2], s, d, nchw, op)
    g = to_nhwc(g) if nchw else g
    if g._value.shape[3] != fs[3]:
        raise kernel_error(op, "Conv2DCustomBackpropInput: filter and out_backprop must have the same out_depth", dt,
                           name=None if isinstance(output_shape, (list, tuple)) else "")
    for dim in range(2):
        computed = _out_shape(nhwc_sizes, fs[:2], s, d, pads)[dim]
        if computed != g._value.shape[1 + dim]:
            raise kernel_error(op, f"Conv2DCustomBackpropInput: Size of out_backprop doesn't match computed: actual = "
                                   f"{g._value.shape[1 + dim]}, computed = {computed} spatial_dim: {dim + 1} input: "
                                   f"{nhwc_sizes[1 + dim]} filter: {fs[dim]} output: {g._value.shape[1 + dim]} "
                                   f"stride: {s[dim]} dilation: {d[dim]}", dt, name=None)
    out = conv2d_backprop_input_op(f, g, input_shape=nhwc_sizes, strides=s, pads=pads, dilations=d)
    return to_nchw(out) if nchw else out


def depthwise_conv2d(input: Any, filter: Any, strides: Any, padding: Any, data_format: str | None = None,  # noqa: A002
                     dilations: Any = None, name: str | None = None) -> Tensor:
    """Each input channel convolved with its own [KH, KW] filters (``filter`` is [KH, KW, C, multiplier]); the
    outputs of channel c are c * multiplier ... c * multiplier + multiplier - 1.

    >>> depthwise_conv2d(tensor(np.ones((1, 2, 2, 2), np.float32)), tensor(np.ones((2, 2, 2, 1), np.float32)),
    ...                  [1, 1, 1, 1], "VALID").numpy().ravel()
    array([4., 4.], dtype=float32)
    """
    from ..array.core import reshape_op

    data_format = data_format or "NHWC"
    nchw = data_format.startswith("NC")
    x, f = conv_inputs(input, filter)
    depthwise_conv2d_op.check(x, f)  # before the shapes
    fs = f._value.shape
    if len(fs) != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {len(fs)}")
    depth = x._value.shape[1 if nchw else 3] if x._value.ndim == 4 else None
    if depth is not None and depth != fs[2]:
        raise kernel_error("DepthwiseConv2dNative", f"input and filter must have the same depth: {depth} vs {fs[2]}",
                           x._dtype)
    f = reshape_op(f, shape=(fs[0], fs[1], 1, fs[2] * fs[3]))
    rate = [1, 1] if dilations is None else list(dilations)
    dil = [1, 1] + rate if nchw else [1] + rate + [1]
    padding, explicit = convert_padding(padding)
    return conv2d_checked(x, f, list(strides), padding, explicit, nchw, dil, depthwise_conv2d_op)
