"""Clipping and normalizing: ``tf.clip_by_value``, ``clip_by_norm``, ``clip_by_global_norm`` and
``tf.math.l2_normalize``. Each is TF's composition of primitive ops, so values, dtype errors and gradients
follow from those ops' rules exactly as in TF.

>>> import featherflow as tf
>>> tf.clip_by_value([1.0, 5.0, 10.0], 2.0, 8.0).numpy()
array([2., 5., 8.], dtype=float32)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ...errors import InvalidArgumentError
from ...tensor import Tensor, type_string
from ..convert import FLOATS, tensor
from ..registry import OPS
from . import api
from . import elementwise as m
from .reduce import reduce_sum, sum_op


def _assert_same_shape(values: Tensor, result: Tensor) -> None:
    """TF refuses clipping bounds that would broadcast the input to a larger shape."""
    a, b = values._value.shape, result._value.shape
    if a != b:
        raise ValueError(f"Shapes {a} and {b} are incompatible")


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any, name: str | None = None) -> Tensor:
    """min(max(t, clip_value_min), clip_value_max) elementwise; the bounds may be tensors that broadcast to t.

    >>> clip_by_value([1, 5, 10], 2, 8).numpy()
    array([2, 5, 8], dtype=int32)
    """
    values = tensor(t)
    t_min = api.minimum(values, clip_value_max)
    _assert_same_shape(values, t_min)
    t_max = api.maximum(t_min, clip_value_min)
    _assert_same_shape(values, t_max)
    return t_max


def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """t scaled so that its L2 norm over ``axes`` is at most ``clip_norm``.

    >>> clip_by_norm([3.0, 4.0], 1.0).numpy()
    array([0.6, 0.8], dtype=float32)
    """
    values = tensor(t)
    if np.isscalar(clip_norm):
        clip_norm = max(clip_norm, 0)
    else:
        clip_norm = tensor(clip_norm)
        clip_norm = m.cast_op(api.maximum(clip_norm, m._c(clip_norm, 0)), dtype=values._dtype._np)
    l2sum = reduce_sum(api.multiply(values, values), axes, keepdims=True)
    positive = m.greater_op(l2sum, m._c(l2sum, 0))  # a constant made on the device: no host copy
    # the two-select trick keeps NaN out of the gradient where the norm is 0
    l2sum_safe = m.select_op(positive, l2sum, m.ones_like_op(l2sum))
    l2norm = m.select_op(positive, api.sqrt(l2sum_safe), l2sum)
    intermediate = api.multiply(values, clip_norm)
    _assert_same_shape(values, intermediate)
    return api.truediv(intermediate, api.maximum(l2norm, clip_norm))


def _sequence(t_list: Any) -> list:
    if not isinstance(t_list, Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    return list(t_list)


def global_norm(t_list: Any, name: str | None = None) -> Tensor:
    """sqrt(sum of squares of every element of every tensor in ``t_list``) (``None`` entries are skipped).

    >>> float(global_norm([[3.0], [4.0]]))
    5.0
    """
    values = [None if v is None else tensor(v) for v in _sequence(t_list)]
    halves = []
    for v in values:
        if v is not None:
            OPS["L2Loss"].check(v)
            halves.append(m.mul_op(sum_op(m.square_op(v)), m._c(v, 0.5)))
    if not halves:
        total = tensor(np.float32(0))
    else:
        for i, h in enumerate(halves[1:], 1):
            if h._dtype is not halves[0]._dtype:
                raise InvalidArgumentError(
                    None, None, f"cannot compute Pack as input #{i}(zero-based) was expected to be a "
                    f"{type_string(halves[0]._dtype)} tensor but is a {type_string(h._dtype)} tensor [Op:Pack] "
                    "name: stack")
        total = halves[0]
        for h in halves[1:]:
            total = m.add_op(total, h)
    return m.sqrt_op(m.mul_op(total, m._c(total, 2.0)))


def clip_by_global_norm(t_list: Any, clip_norm: Any, use_norm: Any = None,
                        name: str | None = None) -> tuple[list, Tensor]:
    """Scales every tensor in ``t_list`` by clip_norm / max(global_norm, clip_norm); returns the clipped
    list and the global norm (NaN everywhere when the norm is not finite).

    >>> clipped, norm = clip_by_global_norm([[3.0, 4.0]], 1.0)
    >>> clipped[0].numpy(), float(norm)
    (array([0.6, 0.8], dtype=float32), 5.0)
    """
    t_list = _sequence(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list)
    norm_dtype = use_norm.dtype  # (TF's AttributeError for a Python number)
    norm = tensor(use_norm)
    one = m._c(norm, 1.0) if norm._dtype is norm_dtype else tensor(1.0, norm_dtype)  # made on the norm's device
    scale_for_finite = api.multiply(clip_norm, api.minimum(api.truediv(one, use_norm), api.truediv(one, clip_norm)))
    scale = api.add(scale_for_finite, api.subtract(use_norm, use_norm))  # NaN unless the norm is finite
    clipped = []
    for v in t_list:
        if v is None:
            clipped.append(None)
            continue
        v = tensor(v)
        clipped.append(api.multiply(v, m.cast_like(scale, v)))
    return clipped, use_norm


def l2_normalize(x: Any, axis: Any = None, epsilon: float = 1e-12, name: str | None = None,
                 dim: Any = None) -> Tensor:
    """x / sqrt(max(sum(x ** 2, axis), epsilon)).

    >>> l2_normalize([3.0, 4.0]).numpy()
    array([0.6, 0.8], dtype=float32)
    """
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'dim' and 'axis'.")
        axis = dim
    x = tensor(x)
    if x._dtype in m.COMPLEX:
        re, im = m.real_op(x), m.imag_op(x)
        square_sum = reduce_sum(m.add_op(m.square_op(re), m.square_op(im)), axis, keepdims=True)
        inv_norm = api.rsqrt(api.maximum(square_sum, _epsilon(epsilon, square_sum)))
        return m.complex_op(m.mul_op(re, inv_norm), m.mul_op(im, inv_norm))
    square_sum = reduce_sum(api.square(x), axis, keepdims=True)
    inv_norm = api.rsqrt(api.maximum(square_sum, _epsilon(epsilon, square_sum)))
    return api.multiply(x, inv_norm)


def _epsilon(epsilon: Any, like: Tensor) -> Any:
    """A Python number as a constant of ``like``'s float dtype made on its device (TF's conversion would round
    it the same way, through a host->device copy); anything else is left to the op's conversion."""
    if type(epsilon) is float and like._dtype in FLOATS:
        return m._c(like, epsilon)
    return epsilon

