"""3-D convolution (``tf.nn.conv3d``, ``conv3d_transpose``): TF's Conv3D, Conv3DBackpropInputV2 and
Conv3DBackpropFilterV2, each the gradient of the others (TF's nn_grad).

The kernels loop over the filter's taps (a strided view of the padded input per tap, contracted with that tap's
[C_in, C_out] matrix), never over voxels. The ops work in NDHWC; NCDHW (which TF's CPU kernels refuse) is a
transpose on other devices.

>>> import featherflow as tf
>>> tf.nn.conv3d(tf.ones([1, 2, 2, 2, 1]), tf.ones([2, 2, 2, 1, 1]), [1, 1, 1, 1, 1], "VALID").numpy().ravel()
array([8.], dtype=float32)
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from ...tensor import Tensor
from .._kernel_errors import kernel_error, on_cpu_without_xla, slow_path
from ..convert import int_list, shape_text
from ..registry import register
from .conv import _LOW, conv_inputs, get_sequence, mkl


def _wide(x: Any) -> Any:
    return x.astype(np.float32) if x.dtype in _LOW else x


def taps(k: tuple, d: tuple) -> Any:
    """(tap index, offsets) of every filter tap, in row-major order, offsets scaled by the dilations."""
    for t, idx in enumerate(itertools.product(*[range(n) for n in k])):
        yield t, idx, tuple(i * di for i, di in zip(idx, d))


def tap(x: Any, offsets: tuple, s: tuple, out: tuple) -> Any:
    """The (N, *out, C) strided view of the padded input that the tap at ``offsets`` meets at every output."""
    index = (slice(None),) + tuple(slice(o, o + (n - 1) * st + 1, st) for o, n, st in zip(offsets, out, s))
    return x[index + (slice(None),)]


def pad(xp: Any, x: Any, pads: tuple, fill: Any = 0) -> Any:
    if not any(pads):
        return x
    widths = ((0, 0),) + tuple((pads[2 * i], pads[2 * i + 1]) for i in range(len(pads) // 2)) + ((0, 0),)
    return xp.pad(x, widths, constant_values=fill)


def out_shape(x_shape: tuple, k: tuple, s: tuple, d: tuple, pads: tuple) -> tuple:
    return tuple((x_shape[1 + i] + pads[2 * i] + pads[2 * i + 1] - (k[i] - 1) * d[i] - 1) // s[i] + 1
                 for i in range(len(k)))


def _conv_forward(xp: Any, x: Any, f: Any, strides: tuple, pads: tuple, dilations: tuple) -> Any:
    k = f.shape[:-2]
    out = out_shape(x.shape, k, strides, dilations, pads)
    o = f.shape[-1]
    if min(out) <= 0 or x.shape[0] == 0:
        return xp.zeros((x.shape[0],) + tuple(max(n, 0) for n in out) + (o,), dtype=x.dtype)
    xpad, fw = pad(xp, _wide(x), pads), _wide(f)
    total = None
    for _, idx, offsets in taps(k, dilations):
        part = xp.tensordot(tap(xpad, offsets, strides, out), fw[idx], axes=([-1], [0]))
        total = part if total is None else xp.add(total, part, out=total)
    return total.astype(x.dtype, copy=False)


def _backprop_input(xp: Any, f: Any, g: Any, input_shape: tuple, strides: tuple, pads: tuple,
                    dilations: tuple) -> Any:
    k = f.shape[:-2]
    out = g.shape[1:-1]
    gw, fw = _wide(g), _wide(f)
    grid = xp.zeros((input_shape[0],) + tuple(n + pads[2 * i] + pads[2 * i + 1] for i, n in
                                              enumerate(input_shape[1:-1])) + (input_shape[-1],), dtype=gw.dtype)
    for _, idx, offsets in taps(k, dilations):
        view = tap(grid, offsets, strides, out)
        view += xp.tensordot(gw, fw[idx], axes=([-1], [1]))
    index = (slice(None),) + tuple(slice(pads[2 * i], pads[2 * i] + n) for i, n in enumerate(input_shape[1:-1]))
    return grid[index + (slice(None),)].astype(g.dtype)


def _backprop_filter(xp: Any, x: Any, g: Any, filter_shape: tuple, strides: tuple, pads: tuple,
                     dilations: tuple) -> Any:
    k = filter_shape[:-2]
    out = g.shape[1:-1]
    xpad, gw = pad(xp, _wide(x), pads), _wide(g)
    batch_and_space = list(range(len(out) + 1))
    per_tap = [xp.tensordot(tap(xpad, offsets, strides, out), gw, axes=(batch_and_space, batch_and_space))
               for _, _, offsets in taps(k, dilations)]
    return xp.stack(per_tap).reshape(filter_shape).astype(g.dtype)


conv3d_op = register("Conv3D")(_conv_forward)
conv3d_backprop_input_op = register("Conv3DBackpropInputV2", inputs=("T", "T"))(_backprop_input)
conv3d_backprop_filter_op = register("Conv3DBackpropFilterV2", inputs=("T", "T"))(_backprop_filter)


@conv3d_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, f: Tensor, **attrs: Any) -> tuple:
    return (conv3d_backprop_input_op(f, g, input_shape=x._value.shape, **attrs),
            conv3d_backprop_filter_op(x, g, filter_shape=f._value.shape, **attrs))


@conv3d_backprop_input_op.gradient
def _(gg: Tensor, ans: Tensor, f: Tensor, g: Tensor, input_shape: tuple, **attrs: Any) -> tuple:
    return conv3d_backprop_filter_op(gg, g, filter_shape=f._value.shape, **attrs), conv3d_op(gg, f, **attrs)


@conv3d_backprop_filter_op.gradient
def _(gg: Tensor, ans: Tensor, x: Tensor, g: Tensor, filter_shape: tuple, **attrs: Any) -> tuple:
    return conv3d_backprop_input_op(gg, g, input_shape=x._value.shape, **attrs), conv3d_op(x, gg, **attrs)


def same_or_valid_pads(padding: str, sizes: tuple, k: tuple, s: tuple, d: tuple) -> tuple:
    """(before, after) padding per spatial dimension, as TF's GetWindowedOutputSize computes it."""
    pads: list = []
    for size, kk, st, dd in zip(sizes, k, s, d):
        eff = (kk - 1) * dd + 1
        if padding == "SAME":
            out = (size + st - 1) // st
            total = max((out - 1) * st + eff - size, 0)
            pads += [total // 2, total - total // 2]
        else:
            pads += [0, 0]
    return tuple(pads)


def _transpose(x: Tensor, perm: tuple) -> Tensor:
    from ..array.core import transpose_op

    return transpose_op(x, perm=perm)


_TO_LAST = (0, 2, 3, 4, 1)
_TO_FIRST = (0, 4, 1, 2, 3)


def _common(op: str, data_format: str, strides: Any, dilations: Any, padding: Any) -> tuple:
    data_format = data_format or "NDHWC"
    ncdhw = data_format.startswith("NC")
    strides = [int(v) for v in get_sequence(strides, 3, 1 if ncdhw else 4, "strides")]
    dilations = [int(v) for v in get_sequence(dilations, 3, 1 if ncdhw else 4, "dilations")]
    if not isinstance(padding, str):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    return data_format, ncdhw, strides, dilations


def _checks(op: str, dt: Any, ncdhw: bool, strides: list, dilations: list) -> tuple:
    bc = (0, 1) if ncdhw else (0, 4)
    if any(strides[i] != 1 for i in bc):
        raise kernel_error(op, "Current implementation does not yet support strides in the batch and depth "
                               "dimensions.", dt)
    if any(v <= 0 for v in strides):
        raise kernel_error(op, "Strides should be larger than 0.", dt)
    if any(dilations[i] != 1 for i in bc):
        raise kernel_error(op, "Current implementation does not yet support dilations in the batch and depth "
                               "dimensions.", dt)
    if max(dilations) > 1 and not mkl(dt) and on_cpu_without_xla():
        raise kernel_error(op, f"CPU implementation of {op.rstrip('V2') if 'Backprop' not in op else 'Conv3D'} "
                               "currently only supports dilated rates of 1.", dt)
    sp = (2, 3, 4) if ncdhw else (1, 2, 3)
    return tuple(strides[i] for i in sp), tuple(dilations[i] for i in sp)


def conv3d(input: Any, filters: Any, strides: Any, padding: str, data_format: str = "NDHWC",  # noqa: A002
           dilations: Any = None, name: str | None = None) -> Tensor:
    """3-D convolution (cross-correlation) of NDHWC volumes with a [KD, KH, KW, C_in, C_out] filter.

    >>> conv3d(np.ones((1, 2, 2, 2, 1), np.float32), np.ones((1, 1, 1, 1, 2), np.float32), [1] * 5,
    ...        "VALID").shape
    TensorShape([1, 2, 2, 2, 2])
    """
    op = "Conv3D"
    data_format, ncdhw, strides, dilations = _common(op, data_format, strides, dilations, padding)
    x, f = conv_inputs(input, filters)
    with slow_path(input, filters):
        conv3d_op.check(x, f, padding=padding, data_format=data_format)  # before the shapes
        dt = x._dtype
        xs, fs = x._value.shape, f._value.shape
        if len(xs) != 5:
            raise kernel_error(op, f"input must be 5-dimensional{shape_text(xs)}", dt)
        if len(fs) != 5:
            raise kernel_error(op, f"filter must be 5-dimensional: {shape_text(fs)}", dt)
        s, d = _checks(op, dt, ncdhw, strides, dilations)
        c = xs[1] if ncdhw else xs[4]
        groups = c // fs[3] if fs[3] and c % fs[3] == 0 and fs[4] % (c // fs[3]) == 0 else 0
        if fs[3] != c and not (groups and not on_cpu_without_xla()):  # XLA's CPU backend runs grouped convolutions
            if mkl(dt):
                raise kernel_error(op, f"input and filter must have the same depth: {c} vs {fs[3]}", dt,
                                   kernel="__MklNativeConv3D")
            if c % fs[3]:
                raise kernel_error(op, f"Input depth must be evenly divisible by filter depth: {c} vs {fs[3]}", dt)
            raise kernel_error(op, f"Number of channels in filter ({fs[3]}) must match last dimension of input "
                                   f"({c})", dt)
        if ncdhw and on_cpu_without_xla():
            raise kernel_error(op, "CPU implementation of Conv3D currently only supports the NHWC tensor format.", dt,
                               name=None)
        x = _transpose(x, _TO_LAST) if ncdhw else x
        pads = same_or_valid_pads(padding, x._value.shape[1:4], fs[:3], s, d)
        if fs[3] != c:
            out = _grouped(x, f, groups, s, pads, d)
        else:
            out = conv3d_op(x, f, strides=s, pads=pads, dilations=d)
        return _transpose(out, _TO_FIRST) if ncdhw else out


def _grouped(x: Tensor, f: Tensor, groups: int, strides: tuple, pads: tuple, dilations: tuple) -> Tensor:
    """A grouped NDHWC convolution: each group of input channels with its own slice of the filter's outputs."""
    from ..array.join import concat
    from ..array.slicing import getitem

    cin, cout = f._value.shape[3], f._value.shape[4] // groups
    outs = [conv3d_op(getitem(x, (Ellipsis, slice(g * cin, (g + 1) * cin))),
                      getitem(f, (Ellipsis, slice(g * cout, (g + 1) * cout))), strides=strides, pads=pads,
                      dilations=dilations) for g in range(groups)]
    return concat(outs, -1)


def conv3d_transpose(input: Any, filters: Any, output_shape: Any, strides: Any, padding: str = "SAME",  # noqa: A002
                     data_format: str = "NDHWC", dilations: Any = None, name: str | None = None) -> Tensor:
    """The gradient of conv3d with respect to its input, as a layer; ``filters`` is [KD, KH, KW, C_out, C_in].

    >>> conv3d_transpose(np.ones((1, 1, 1, 1, 1), np.float32), np.ones((2, 2, 2, 1, 1), np.float32),
    ...                  [1, 2, 2, 2, 1], 2, "VALID").numpy().ravel().tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    """
    op = "Conv3DBackpropInputV2"
    data_format, ncdhw, strides, dilations = _common(op, data_format, strides, dilations, padding)
    g, f = conv_inputs(input, filters)
    with slow_path(output_shape, input, filters):
        conv3d_backprop_input_op.check(f, g, padding=padding, data_format=data_format)
        dt = g._dtype
        sizes = tuple(int_list(output_shape))
        fs, gs = f._value.shape, g._value.shape
        if len(sizes) != 5 or len(fs) != 5 or len(gs) != 5:
            raise ValueError(f"conv3d_transpose needs 5-D input, filters and output_shape; got {shape_text(gs)}, "
                             f"{shape_text(fs)} and {list(sizes)}")
        s, d = _checks(op, dt, ncdhw, strides, dilations)
        nd_sizes = (sizes[0], sizes[2], sizes[3], sizes[4], sizes[1]) if ncdhw else sizes
        if ncdhw and on_cpu_without_xla():
            raise kernel_error(op, "Conv3DBackpropInputOpV2 only supports NDHWC on the CPU.", dt, name=None)
        if nd_sizes[4] != fs[3]:
            raise kernel_error(op, "input and filter_sizes must have the same number of channels. Got "
                                   f"{nd_sizes[4]} for input and {fs[3]} for filter_sizes", dt)
        g = _transpose(g, _TO_LAST) if ncdhw else g
        if g._value.shape[4] != fs[4]:
            raise kernel_error(op, "out_backprop and filter_sizes must have the same number of channels. Got "
                                   f"{g._value.shape[4]} for out_backprop and {fs[4]} for filter_sizes", dt)
        pads = same_or_valid_pads(padding, nd_sizes[1:4], fs[:3], s, d)
        want = out_shape(nd_sizes, fs[:3], s, d, pads)
        for dim in range(3):
            if want[dim] != g._value.shape[1 + dim]:
                raise kernel_error(op, f"Conv3DBackpropInputOp: Size of out_backprop doesn't match computed: actual "
                                       f"= {g._value.shape[1 + dim]}, computed = {want[dim]} spatial_dim: {dim + 1} "
                                       f"input: {nd_sizes[1 + dim]} filter: {fs[dim]} output: "
                                       f"{g._value.shape[1 + dim]} stride: {s[dim]} dilation: {d[dim]}", dt)
        out = conv3d_backprop_input_op(f, g, input_shape=nd_sizes, strides=s, pads=pads, dilations=d)
        return _transpose(out, _TO_FIRST) if ncdhw else out
