"""``tf.nn`` functions TF writes in Python over other ops (``nn_impl.py``, ``nn_ops.py``): ``crelu``,
``log_poisson_loss``, ``sufficient_statistics``, ``normalize_moments``, ``weighted_moments``. Each follows TF's
sequence of ops, so values, dtypes and gradients come out as TF's.

>>> import featherflow as tf
>>> tf.nn.crelu([1.0, -2.0]).numpy().tolist()
[1.0, 0.0, 0.0, 2.0]
"""

from __future__ import annotations

import math
from typing import Any

from ... import dtypes as _dtypes
from ...tensor import Tensor
from ..convert import tensor


def crelu(features: Any, axis: int = -1, name: str | None = None) -> Tensor:
    """relu of ``features`` and of ``-features``, concatenated along ``axis`` (``tf.nn.crelu``).

    >>> crelu([[1.0, -1.0]]).numpy().tolist()
    [[1.0, 0.0, 0.0, 1.0]]
    """
    from ..array.join import concat
    from ..nn.core import relu

    x = tensor(features)
    return relu(concat([x, -x], axis))


def log_poisson_loss(targets: Any, log_input: Any, compute_full_loss: bool = False,
                     name: str | None = None) -> Tensor:
    """exp(c) - z * c for log-rates c and counts z, plus Stirling's term for log(z!) where z > 1 when
    ``compute_full_loss`` (``tf.nn.log_poisson_loss``).

    >>> log_poisson_loss([1.0], [0.0]).numpy().tolist()
    [1.0]
    """
    from ..array.create import ones_like, zeros_like
    from ..math import api as m
    from ..registry import constant_like

    c = tensor(log_input)
    z = tensor(targets)
    cs, zs = c._value.shape, z._value.shape
    if len(cs) != len(zs) or cs != zs:
        raise ValueError("`log_input` and `targets` must have the same shape, received "
                         f"({c.shape} vs {z.shape}).")
    result = m.exp(c) - c * z
    if compute_full_loss:
        half, two_pi = constant_like(0.5, z), constant_like(2 * math.pi, z)
        stirling = (z * m.log(z)) - z + (half * m.log(two_pi * z))
        zeros, ones = zeros_like(z), ones_like(z)
        cond = m.logical_and(m.greater_equal(z, zeros), m.less_equal(z, ones))
        result = result + m.where(cond, zeros, stirling)
    return result


def _axes(axes: Any) -> list:
    return list(dict.fromkeys(int(a) for a in axes)) if isinstance(axes, (list, tuple)) else [int(axes)]


def sufficient_statistics(x: Any, axes: Any, shift: Any = None, keepdims: bool = False,
                          name: str | None = None) -> tuple:
    """(count, sum of x - shift, sum of (x - shift)^2, shift) over ``axes`` (``tf.nn.sufficient_statistics``).

    >>> [t.numpy().tolist() for t in sufficient_statistics([1.0, 3.0], [0])[:3]]
    [2.0, 4.0, 10.0]
    """
    from ..math import api as m
    from ..math.reduce import reduce_sum

    # TF iterates a set of the axes (one order for small ints): the product is the same in any order
    axes = sorted(set(_axes(axes)))
    x = tensor(x)
    count = 1
    for d in axes:
        count *= x._value.shape[d]
    counts = tensor(count, dtype=x._dtype)
    if shift is not None:
        shift = tensor(shift)
        m_ss, v_ss = m.subtract(x, shift), m.squared_difference(x, shift)
    else:
        m_ss, v_ss = x, m.square(x)
    return (counts, reduce_sum(m_ss, axes, keepdims=keepdims), reduce_sum(v_ss, axes, keepdims=keepdims), shift)


def normalize_moments(counts: Any, mean_ss: Any, variance_ss: Any, shift: Any, name: str | None = None) -> tuple:
    """Mean and variance from sufficient statistics (``tf.nn.normalize_moments``).

    >>> [t.numpy().tolist() for t in normalize_moments(2.0, 4.0, 10.0, None)]
    [2.0, 1.0]
    """
    from ..math import api as m

    divisor = m.reciprocal(counts)
    shifted_mean = m.multiply(mean_ss, divisor)
    mean = m.add(shifted_mean, shift) if shift is not None else shifted_mean
    variance = m.subtract(m.multiply(variance_ss, divisor), m.square(shifted_mean))
    return mean, variance


def weighted_moments(x: Any, axes: Any, frequency_weights: Any, keepdims: bool = False,
                     name: str | None = None) -> tuple:
    """Frequency-weighted mean and variance over ``axes`` (``tf.nn.weighted_moments``).

    >>> [t.numpy().tolist() for t in weighted_moments([1.0, 3.0], [0], [1.0, 3.0])]
    [2.5, 0.75]
    """
    from ..array.core import squeeze
    from ..array.create import cast, zeros_like
    from ..math import api as m
    from ..math.reduce import reduce_sum

    x = tensor(x)
    w = tensor(frequency_weights)
    needs_cast = x._dtype == _dtypes.float16  # TF accumulates half-precision moments in float32
    if needs_cast:
        x = cast(x, _dtypes.float32)
    if w._dtype != x._dtype:
        w = cast(w, x._dtype)
    axes = _axes(axes)
    weighted_sum = reduce_sum(w * x, axes, keepdims=True)
    sum_of_weights = reduce_sum(w + zeros_like(x), axes, keepdims=True)
    mean = m.divide_no_nan(weighted_sum, sum_of_weights)
    distsq = reduce_sum(w * m.squared_difference(x, mean), axes, keepdims=True)
    variance = m.divide_no_nan(distsq, sum_of_weights)
    if not keepdims:
        mean, variance = squeeze(mean, axis=axes), squeeze(variance, axis=axes)
    if needs_cast:
        mean, variance = cast(mean, _dtypes.float16), cast(variance, _dtypes.float16)
    return mean, variance
