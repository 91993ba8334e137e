"""Grayscale morphology (``tf.nn.dilation2d``, ``erosion2d``): TF's Dilation2D and its backprop ops
Dilation2DBackpropInput/Filter (which TF registers without gradients).

Each output is the max over the (dilated) window of input + filter; the gradient goes to the first maximum in
row-major window order, as TF's kernel picks it. The kernels loop over the filter's taps, never over pixels.

>>> import featherflow as tf
>>> tf.nn.dilation2d(tf.reshape(tf.range(4.0), [1, 2, 2, 1]), tf.zeros([2, 2, 1]), [1, 1, 1, 1], "VALID", "NHWC",
...                  [1, 1, 1, 1]).numpy().ravel().tolist()
[3.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import UnimplementedError
from ...tensor import Tensor
from .._kernel_errors import kernel_error
from ..convert import shape_text, tensor
from ..registry import register
from .conv import _lowest, _out_shape, _pad, _tap, _taps, spatial_pads


def _best(xp: Any, x: Any, f: Any, strides: tuple, rates: tuple, pads: tuple, out: tuple) -> tuple:
    """Each output's max of input + filter over its window, and the tap that holds it (the first maximum)."""
    xpad = _pad(xp, x, pads, fill=_lowest(x.dtype))
    best = which = None
    for t, i, j, r, c in _taps(f.shape[:2], rates):
        v = _tap(xpad, r, c, strides, out) + f[i, j]
        if best is None:
            best, which = v, xp.zeros(v.shape, dtype=np.int32)
        else:
            better = v > best
            best = xp.where(better, v, best)
            which = xp.where(better, t, which)
    return best, which


@register("Dilation2D")
def dilation2d_op(xp: Any, x: Any, f: Any, strides: tuple, rates: tuple, pads: tuple) -> Any:
    out = _out_shape(x.shape, f.shape[:2], strides, rates, pads)
    return _best(xp, x, f, strides, rates, pads, out)[0]


@dilation2d_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, f: Tensor, **attrs: Any) -> tuple:
    return dilation2d_backprop_input_op(x, f, g, **attrs), dilation2d_backprop_filter_op(x, f, g, **attrs)


@register("Dilation2DBackpropInput")
def dilation2d_backprop_input_op(xp: Any, x: Any, f: Any, g: Any, strides: tuple, rates: tuple, pads: tuple) -> Any:
    which = _best(xp, x, f, strides, rates, pads, g.shape[1:3])[1]
    pt, pb, pl, pr = pads
    grid = xp.zeros((x.shape[0], x.shape[1] + pt + pb, x.shape[2] + pl + pr, x.shape[3]), dtype=g.dtype)
    zero = xp.zeros((), dtype=g.dtype)
    for t, _, _, r, c in _taps(f.shape[:2], rates):
        view = _tap(grid, r, c, strides, g.shape[1:3])
        view += xp.where(which == t, g, zero)
    return grid[:, pt:pt + x.shape[1], pl:pl + x.shape[2], :]


@register("Dilation2DBackpropFilter")
def dilation2d_backprop_filter_op(xp: Any, x: Any, f: Any, g: Any, strides: tuple, rates: tuple,
                                  pads: tuple) -> Any:
    which = _best(xp, x, f, strides, rates, pads, g.shape[1:3])[1]
    zero = xp.zeros((), dtype=g.dtype)
    taps = [xp.where(which == t, g, zero).sum(axis=(0, 1, 2)) for t, _, _, _, _ in _taps(f.shape[:2], rates)]
    return xp.stack(taps).reshape(f.shape)


def _four(value: Any, attr: str) -> list:
    from ...errors import InvalidArgumentError
    from ..registry import OPS

    seq = [int(v) for v in value]
    if len(seq) < 4:
        op = "Dilation2D"
        summary = OPS[op].contract.summary
        raise InvalidArgumentError(None, None, f"Length for attr '{attr}' of {len(seq)} must be at least minimum 4\n"
                                               f"\t; NodeDef: {{{{node {op}}}}}; Op<name={op}; {summary}> [Op:{op}] "
                                               "name: ")
    return seq


def dilation2d(input: Any, filters: Any, strides: Any, padding: str, data_format: str,  # noqa: A002
               dilations: Any, name: str | None = None) -> Tensor:
    """Grayscale dilation: the max over each window of input + filter (``tf.nn.dilation2d``); ``filters`` is
    [KH, KW, C].

    >>> dilation2d(np.zeros((1, 2, 2, 1), np.float32), np.ones((1, 1, 1), np.float32), [1, 1, 1, 1], "SAME",
    ...            "NHWC", [1, 1, 1, 1]).numpy().ravel().tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    if data_format != "NHWC":
        raise ValueError(f"`data_format` values other  than 'NHWC' are not supported. Received: "
                         f"data_format={data_format}")
    x = tensor(input)
    f = filters if isinstance(filters, Tensor) else tensor(filters, x.dtype)
    dilation2d_op.check(x, f, padding=padding)
    s, r = _four(strides, "strides"), _four(dilations, "rates")
    if s[0] != 1 or s[3] != 1:
        raise kernel_error("Dilation2D", "Stride is only supported across spatial dimensions.", cls=UnimplementedError)
    if r[0] != 1 or r[3] != 1:
        raise kernel_error("Dilation2D", "Rate is only supported across spatial dimensions.", cls=UnimplementedError)
    if x._value.ndim != 4:
        raise kernel_error("Dilation2D", f"input must be 4-dimensional{shape_text(x._value.shape)}")
    if f._value.ndim != 3:
        raise kernel_error("Dilation2D", f"filter must be 3-dimensional: {shape_text(f._value.shape)}")
    if x._value.shape[3] != f._value.shape[2]:
        raise kernel_error("Dilation2D", "input and filter must have the same depth: "
                                         f"{x._value.shape[3]} vs {f._value.shape[2]}")
    stride, rate = (s[1], s[2]), (r[1], r[2])
    pads = spatial_pads("Dilation2D", padding, [], x._value.shape[1:3], f._value.shape[:2], stride, rate, False,
                        "Dilation2D")
    return dilation2d_op(x, f, strides=stride, rates=rate, pads=pads)


def erosion2d(value: Any, filters: Any, strides: Any, padding: str, data_format: str, dilations: Any,
              name: str | None = None) -> Tensor:
    """Grayscale erosion: -dilation2d(-value, filters reversed spatially) (``tf.nn.erosion2d``).

    >>> erosion2d(np.full((1, 2, 2, 1), 3.0, np.float32), np.ones((1, 1, 1), np.float32), [1, 1, 1, 1], "SAME",
    ...           "NHWC", [1, 1, 1, 1]).numpy().ravel().tolist()
    [2.0, 2.0, 2.0, 2.0]
    """
    from ..array.join import reverse

    if data_format != "NHWC":
        raise ValueError(f"`data_format` values other  than 'NHWC' are not supported. Received: "
                         f"data_format={data_format}")
    x = tensor(value)
    f = filters if isinstance(filters, Tensor) else tensor(filters, x.dtype)
    return -dilation2d(-x, reverse(f, [0, 1]), strides, padding, data_format, dilations)
