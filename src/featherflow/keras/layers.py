"""A minimal ``tf.keras.layers``: ``Layer`` and ``Dense``, enough for TensorFlow's guides that build a layer
and differentiate through it. Weights are Keras-style variables: ``name`` is the bare name (``kernel``) and
``path`` is ``layer/name``.

>>> import featherflow as tf
>>> layer = tf.keras.layers.Dense(2, activation="relu")
>>> layer(tf.ones([1, 3])).shape
TensorShape([1, 2])
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ..dtypes import as_dtype as _as_dtype
from ..module import Module
from ..optimizers.base import _CAMEL, _unique_name
from ..trackable import NoDependency
from ..variable import Variable


class KerasVariable(Variable):
    """A Keras 3 weight: a tf.Variable whose ``name`` has no ``:0`` and which knows its ``path``."""

    def __init__(self, initial_value: Any, name: str, path: str, trainable: bool = True, dtype: Any = None) -> None:
        super().__init__(initial_value, name=name, trainable=trainable, dtype=dtype)
        self._name = name  # no name scope, no ":0": Keras 3's names
        self.__dict__["_keras_path"] = path

    @property
    def path(self) -> str:
        return self.__dict__["_keras_path"]

    def __repr__(self) -> str:
        return (f"<Variable path={self.path}, shape={tuple(self._array.shape)}, dtype={self._dtype.name}, "
                f"value={self._numpy()}>")


def _activation(identifier: Any) -> Callable | None:
    if identifier is None or callable(identifier):
        return identifier
    from ..ops.math import api as math_api
    from ..ops.nn import core as nn  # the ops themselves: the tf.nn namespace sits above this layer

    table = {"relu": nn.relu, "sigmoid": math_api.sigmoid, "tanh": math_api.tanh, "softmax": nn.softmax,
             "linear": None, "elu": nn.elu, "selu": nn.selu, "softplus": math_api.softplus, "gelu": nn.gelu,
             "swish": nn.silu, "silu": nn.silu, "relu6": nn.relu6, "leaky_relu": nn.leaky_relu,
             "log_softmax": nn.log_softmax, "exponential": math_api.exp}
    if identifier not in table:
        raise ValueError(f"Could not interpret activation function identifier: {identifier}")
    return table[identifier]


class Layer(Module):
    """A module that builds its weights on first call, from the input's shape."""

    def __init__(self, name: str | None = None, dtype: Any = None, trainable: bool = True, **kwargs: Any) -> None:
        super().__init__(name=name or _unique_name(_CAMEL.sub(r"_\1", type(self).__name__).lower()))
        self.built = False
        self.trainable = trainable
        self._compute_dtype = _as_dtype(dtype or "float32")
        self._weights: list = NoDependency([])  # creation order, which Keras reports weights in

    def add_weight(self, shape: Any = None, initializer: Any = "glorot_uniform", dtype: Any = None,
                   trainable: bool = True, name: str | None = None) -> KerasVariable:
        shape = tuple(int(d) for d in shape or ())
        dt = _as_dtype(dtype or self._compute_dtype)
        value = _initialize(initializer, shape, dt)
        weight = KerasVariable(value, name=name or "variable", path=f"{self.name}/{name or 'variable'}",
                               trainable=trainable, dtype=dt)
        self._weights.append(weight)
        return weight

    def build(self, input_shape: Any) -> None:
        self.built = True

    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        return inputs

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        from ..ops.convert import tensor

        x = tensor(inputs)
        if not self.built:
            self.build(x.shape)
            self.built = True
        return self.call(x, *args, **kwargs)

    @property
    def trainable_variables(self) -> tuple:
        return tuple(w for w in self._weights if w.trainable) if self.trainable else ()

    @property
    def non_trainable_variables(self) -> tuple:
        return tuple(w for w in self._weights if not w.trainable or not self.trainable)

    @property
    def weights(self) -> list:
        return list(self.trainable_variables) + list(self.non_trainable_variables)


def _initialize(initializer: Any, shape: tuple, dtype: Any) -> Any:
    from ..ops.random import core as random

    if callable(initializer):
        return initializer(shape, dtype=dtype)
    if initializer == "zeros":
        return np.zeros(shape, dtype=dtype._np)
    if initializer == "ones":
        return np.ones(shape, dtype=dtype._np)
    fan_in = shape[-2] if len(shape) >= 2 else (shape[0] if shape else 1)
    fan_out = shape[-1] if shape else 1
    if initializer == "glorot_uniform":
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return random.uniform(shape, -limit, limit, dtype=dtype)
    if initializer == "glorot_normal":
        return random.truncated_normal(shape, stddev=math.sqrt(2.0 / (fan_in + fan_out)) / 0.87962566103423978,
                                       dtype=dtype)
    if initializer == "he_normal":
        return random.truncated_normal(shape, stddev=math.sqrt(2.0 / fan_in) / 0.87962566103423978, dtype=dtype)
    if initializer == "random_normal":
        return random.normal(shape, stddev=0.05, dtype=dtype)
    raise ValueError(f"Could not interpret initializer identifier: {initializer}")


class Dense(Layer):
    """``activation(inputs @ kernel + bias)``."""

    def __init__(self, units: int, activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros", name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.units = int(units)
        self.activation = _activation(activation)
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer

    def build(self, input_shape: Any) -> None:
        self.kernel = self.add_weight((input_shape[-1], self.units), self.kernel_initializer, name="kernel")
        if self.use_bias:
            self.bias = self.add_weight((self.units,), self.bias_initializer, name="bias")
        self.built = True

    def call(self, inputs: Any) -> Any:
        from ..ops.linalg.core import matmul

        y = matmul(inputs, self.kernel)
        if self.use_bias:
            y = y + self.bias
        return self.activation(y) if self.activation is not None else y
