"""TF 2's ``tf.*`` initializers (``init_ops_v2``): ``constant_initializer``, ``zeros_initializer``,
``ones_initializer``, ``random_normal_initializer`` and ``random_uniform_initializer``. Each is called as
``init(shape, dtype)``; a seeded random one draws from the stateless ops with the seed ``[seed, 0]``, as TF's
``_RandomGenerator`` does, so its values equal TF's.

>>> import featherflow as tf
>>> tf.constant_initializer(2)([2], tf.float32).numpy()
array([2., 2.], dtype=float32)
"""

from __future__ import annotations

from typing import Any

from .. import dtypes as _dtypes
from ..tensor import Tensor, constant


class Initializer:
    """The base of the initializers: ``__call__(shape, dtype)``, ``get_config`` and ``from_config``."""

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
        raise NotImplementedError("Initializer subclasses must implement the `__call__()` method.")

    def get_config(self) -> dict:
        """The initializer's arguments, as a dict ``from_config`` takes."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        """An initializer made from ``get_config``'s dict."""
        config.pop("dtype", None)
        return cls(**config)


def _numeric_or_bool(dtype: Any) -> _dtypes.DType:
    d = _dtypes.as_dtype(dtype)
    if not (d.is_floating or d.is_integer or d.is_complex or d.is_bool):
        raise ValueError(f"Argument `dtype` expected to be numeric or boolean. Received <dtype: '{d.name}'>.")
    return d


class Zeros(Initializer):
    """Makes tensors of zeros."""

    def __call__(self, shape: Any, dtype: Any = _dtypes.float32, **kwargs: Any) -> Tensor:
        from .array.create import zeros

        return zeros(shape, _numeric_or_bool(dtype))


class Ones(Initializer):
    """Makes tensors of ones."""

    def __call__(self, shape: Any, dtype: Any = _dtypes.float32, **kwargs: Any) -> Tensor:
        from .array.create import ones

        return ones(shape, _numeric_or_bool(dtype))


class Constant(Initializer):
    """Makes tensors of ``value`` (a scalar, filled in, or a value of the requested shape's size)."""

    def __init__(self, value: Any = 0, support_partition: bool = False) -> None:
        if not (isinstance(value, (int, float, complex, bool, list, tuple)) or hasattr(value, "shape")
                or hasattr(value, "dtype")):
            raise TypeError(f"Invalid type for initial value={value} of type: {type(value).__name__}. Expected "
                            "Python scalar, list or tuple of values, or numpy.ndarray.")
        self.value = value
        self.support_partition = support_partition

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
        if kwargs and not self.support_partition:
            raise ValueError("Constant initializer doesn't support partition-related arguments")
        return constant(self.value, dtype=None if dtype is None else _dtypes.as_dtype(dtype), shape=shape)

    def get_config(self) -> dict:
        return {"value": self.value}


def _float_dtype(dtype: Any) -> _dtypes.DType:
    d = _dtypes.as_dtype(dtype)
    if not d.is_floating:
        raise ValueError(f"Argument `dtype` is expected to be floating point. Received: <dtype: '{d.name}'>.")
    return d


class RandomNormal(Initializer):
    """Makes tensors of normal samples of ``mean`` and ``stddev``."""

    def __init__(self, mean: Any = 0.0, stddev: Any = 0.05, seed: int | None = None) -> None:
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape: Any, dtype: Any = _dtypes.float32, **kwargs: Any) -> Tensor:
        d = _float_dtype(dtype)
        if kwargs:
            raise ValueError("RandomNormal initializer doesn't support partition-related arguments")
        if self.seed is not None:
            from .random.stateless import stateless_normal

            return stateless_normal(shape, [self.seed, 0], mean=self.mean, stddev=self.stddev, dtype=d)
        from .random.core import normal

        return normal(shape, mean=self.mean, stddev=self.stddev, dtype=d)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(Initializer):
    """Makes tensors of uniform samples in ``[minval, maxval)`` (float or integer dtypes)."""

    def __init__(self, minval: Any = -0.05, maxval: Any = 0.05, seed: int | None = None) -> None:
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def __call__(self, shape: Any, dtype: Any = _dtypes.float32, **kwargs: Any) -> Tensor:
        d = _dtypes.as_dtype(dtype)
        if not d.is_floating and not d.is_integer:
            # (TF's message, though bool is refused)
            raise ValueError(f"Argument `dtype` expected to be numeric or boolean. Received <dtype: '{d.name}'>.")
        if kwargs:
            raise ValueError("RandomUniform initializer doesn't support partition-related arguments")
        if self.seed is not None:
            from .random.stateless import stateless_uniform

            return stateless_uniform(shape, [self.seed, 0], minval=self.minval, maxval=self.maxval, dtype=d)
        from .random.core import uniform

        return uniform(shape, minval=self.minval, maxval=self.maxval, dtype=d)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


# TF's public names for the classes (``tf.constant_initializer`` is the class itself)
constant_initializer = Constant
zeros_initializer = Zeros
ones_initializer = Ones
random_normal_initializer = RandomNormal
random_uniform_initializer = RandomUniform
