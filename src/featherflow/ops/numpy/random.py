"""``tnp.random``: NumPy's sampling functions on TF's global-seeded random ops (TF's np_random)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import Tensor
from ..random import core as random_ops
from ._dtypes import asarray, result_type
from ._dtypes import tf_dtypes as _dtypes


def seed(s: Any) -> None:
    """Sets the global random seed (``tf.random.set_seed``)."""
    try:
        s = int(s)
    except TypeError:
        raise ValueError(f"Argument `s` got an invalid value {s}. Only integers are supported.") from None
    random_ops.set_seed(s)


def _size(size: Any) -> Any:
    if size is None:
        return ()
    if np.ndim(size) == 0:
        return (size,)
    return size


def standard_normal(size: Any = None) -> Tensor:
    """Standard normal samples of shape ``size`` (float64)."""
    return random_ops.normal(list(_size(size)), dtype=result_type(float))


def randn(*args: Any) -> Tensor:
    """Standard normal samples of shape ``args``."""
    return standard_normal(size=args)


def uniform(low: Any = 0.0, high: Any = 1.0, size: Any = None) -> Tensor:
    """Uniform samples in [low, high)."""
    dtype = result_type(float)
    lo, hi = asarray(low, dtype), asarray(high, dtype)
    if size is None:
        size = np.broadcast_shapes(lo._value.shape, hi._value.shape)
    return random_ops.uniform(list(_size(size)) if np.ndim(size) == 0 else list(size), minval=lo, maxval=hi,
                              dtype=dtype)


def random(size: Any = None) -> Tensor:
    """Uniform samples in [0, 1)."""
    return uniform(0.0, 1.0, size)


def rand(*size: Any) -> Tensor:
    """Uniform samples in [0, 1) of shape ``size``."""
    return uniform(0.0, 1.0, size)


def poisson(lam: Any = 1.0, size: Any = None) -> Tensor:
    """Poisson(lam) samples (int64)."""
    return random_ops.poisson(list(_size(size)), lam, dtype=_dtypes.int64)


def randint(low: Any, high: Any = None, size: Any = None, dtype: Any = np.int64) -> Tensor:
    """Uniform integers in [low, high) (int32 or int64)."""
    low = int(low)
    if high is None:
        high, low = low, 0
    if size is None:
        size = ()
    elif isinstance(size, int):
        size = (size,)
    target = result_type(dtype)
    if target not in (_dtypes.int32, _dtypes.int64):
        raise ValueError(f"Argument `dtype` got an invalid value {dtype}. Only those convertible to "
                         f"{(np.int32, np.int64)} are supported.")
    return random_ops.uniform(list(size), minval=low, maxval=high, dtype=target)
