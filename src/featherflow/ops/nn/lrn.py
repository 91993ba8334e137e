"""Local response normalisation (``tf.nn.local_response_normalization``, ``tf.nn.lrn``): TF's LRN and LRNGrad.

Each value is divided by ``(bias + alpha * sum of squares over the 2 * depth_radius + 1 neighbouring channels)
** beta``; the window sums are ``2 * depth_radius + 1`` shifted slices added, never a loop over elements.

>>> import featherflow as tf
>>> tf.nn.lrn([[[[1.0, 1.0]]]], depth_radius=1, bias=0.0, alpha=1.0, beta=1.0).numpy().ravel().tolist()
[0.5, 0.5]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor
from .._kernel_errors import kernel_error, slow_path
from ..convert import tensor
from ..registry import register

_KERNEL_TYPES = (_dtypes.float16, _dtypes.bfloat16, _dtypes.float32)


def _wide(x: Any) -> Any:
    return x if x.dtype == np.float32 else x.astype(np.float32)


def _window_sums(xp: Any, x: Any, radius: int) -> Any:
    """For each channel d, the sum of x over channels d - radius ... d + radius (those that exist)."""
    depth = x.shape[-1]
    total = xp.zeros(x.shape, dtype=x.dtype)
    for offset in range(-radius, radius + 1):
        lo, hi = max(0, -offset), min(depth, depth - offset)
        if lo < hi:
            total[..., lo:hi] += x[..., lo + offset:hi + offset]
    return total


@register("LRN")
def lrn_op(xp: Any, x: Any, depth_radius: int = 5, bias: float = 1.0, alpha: float = 1.0, beta: float = 0.5) -> Any:
    w = _wide(x)
    norm = bias + alpha * _window_sums(xp, w * w, depth_radius)
    return (w * norm ** -beta).astype(x.dtype, copy=False)


@lrn_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, depth_radius: int = 5, bias: float = 1.0, alpha: float = 1.0,
      beta: float = 0.5) -> Any:
    return lrn_grad_op(g, x, ans, depth_radius=depth_radius, bias=bias, alpha=alpha, beta=beta)


@register("LRNGrad")
def lrn_grad_op(xp: Any, g: Any, x: Any, y: Any, depth_radius: int = 5, bias: float = 1.0, alpha: float = 1.0,
                beta: float = 0.5) -> Any:
    # out_i = x_i * N_i^-beta with N_i = bias + alpha * sum_{j in window(i)} x_j^2, so
    # dx_j = g_j * N_j^-beta - 2 * alpha * beta * x_j * sum_{i in window(j)} g_i * x_i * N_i^(-beta - 1)
    gw, xw = _wide(g), _wide(x)
    norm = bias + alpha * _window_sums(xp, xw * xw, depth_radius)
    scaled = gw * xw * norm ** (-beta - 1)
    dx = gw * norm ** -beta - (2 * alpha * beta) * xw * _window_sums(xp, scaled, depth_radius)
    return dx.astype(g.dtype, copy=False)


def local_response_normalization(input: Any, depth_radius: int = 5, bias: float = 1.0,  # noqa: A002
                                 alpha: float = 1.0, beta: float = 0.5, name: str | None = None) -> Tensor:
    """Local response normalisation across the last (channel) axis of 4-D inputs (``tf.nn.lrn``).

    >>> local_response_normalization(np.ones((1, 1, 1, 1), np.float32), 0, 0.0, 1.0, 1.0).numpy().ravel()
    array([1.], dtype=float32)
    """
    listed = not isinstance(input, Tensor)
    x = tensor(input)
    if listed and x._dtype not in _KERNEL_TYPES:
        # TF's conversion for an op whose T defaults to float: a value whose own dtype LRN refuses is made float32
        x = tensor(np.asarray(input, np.float32))
    attrs = {"depth_radius": int(depth_radius), "bias": float(bias), "alpha": float(alpha), "beta": float(beta)}
    with slow_path(taken=True):  # TF's fast path fails on a refused dtype and its slow path raises the error
        lrn_op.check(x, **attrs)
    with slow_path(taken=listed):
        if x._value.ndim != 4:
            raise kernel_error("LRN", "in must be 4-dimensional")
        if attrs["depth_radius"] < 0:
            raise kernel_error("LRN", f"depth_radius = {attrs['depth_radius']} larger than int max")
        return lrn_op(x, **attrs)
