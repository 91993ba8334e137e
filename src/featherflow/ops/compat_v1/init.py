"""TF 1's random initializers (``tf.compat.v1.random_uniform_initializer``, ``random_normal_initializer``): a
dtype given to the constructor, TF 1's defaults (uniform in [0, 1), normal of stddev 1), and a global-seed
random op per call (v2's use stateless ops when seeded).

>>> from featherflow.ops.compat_v1.init import RandomUniform
>>> RandomUniform(seed=3).get_config()
{'minval': 0.0, 'maxval': None, 'seed': 3, 'dtype': 'float32'}
"""

from __future__ import annotations

from typing import Any

from ...dtypes import DType, as_dtype
from ...dtypes import float32 as _float32
from ...tensor import Tensor


class Initializer:
    """TF 1's initializer base: ``init(shape, dtype=None, partition_info=None)``."""

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        raise NotImplementedError

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        return cls(**config)


def _assert_float_dtype(dtype: DType) -> DType:
    if not dtype.is_floating:
        raise ValueError(f"Argument `dtype` is expected to be floating point. Received: {dtype}.")
    return dtype


class RandomUniform(Initializer):
    """Uniform samples in ``[minval, maxval)`` (``maxval`` None: 1 for floats; integers need one)."""

    def __init__(self, minval: Any = 0.0, maxval: Any = None, seed: int | None = None, dtype: Any = _float32) -> None:
        self.minval = minval
        self.maxval = maxval
        self.seed = seed
        self.dtype = as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        from ..random.core import uniform

        if dtype is None:
            dtype = self.dtype
        return uniform(shape, self.minval, self.maxval, dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed, "dtype": self.dtype.name}


class RandomNormal(Initializer):
    """Normal samples of ``mean`` and ``stddev`` (floating dtypes only)."""

    def __init__(self, mean: Any = 0.0, stddev: Any = 1.0, seed: int | None = None, dtype: Any = _float32) -> None:
        self.mean = mean
        self.stddev = stddev
        self.seed = seed
        self.dtype = _assert_float_dtype(as_dtype(dtype))

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        from ..random.core import normal

        if dtype is None:
            dtype = self.dtype
        return normal(shape, self.mean, self.stddev, dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed, "dtype": self.dtype.name}


# TF's public names for the classes
random_uniform_initializer = RandomUniform
random_normal_initializer = RandomNormal
