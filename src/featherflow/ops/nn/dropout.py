"""``tf.nn.experimental.stateless_dropout`` and ``general_dropout``: TF's _dropout with a stateless (seeded by a
shape-[2] seed, Philox as TF's) or a caller's Uniform[0, 1) sampler; bit-exact masks with TF's.

>>> import featherflow as tf
>>> tf.nn.experimental.stateless_dropout(tf.ones([3, 10]), rate=2 / 3, noise_shape=[1, 10],
...                                      seed=[1, 0]).numpy()[0].tolist()
[3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 0.0, 3.0]
"""

from __future__ import annotations

from typing import Any, Callable

from ...tensor import Tensor
from .impl import dropout_with


def stateless_dropout(x: Any, rate: Any, seed: Any, rng_alg: Any = None, noise_shape: Any = None,
                      name: str | None = None) -> Tensor:
    """Dropout whose mask depends only on ``seed`` (``tf.nn.experimental.stateless_dropout``).

    >>> stateless_dropout([1.0, 1.0], 0.0, seed=[1, 2]).numpy().tolist()
    [1.0, 1.0]
    """
    from ..random.stateless import stateless_uniform

    def sampler(shape: tuple, dtype: Any) -> Tensor:
        return stateless_uniform(list(shape), seed=seed, dtype=dtype, alg=rng_alg)

    return dropout_with(x, rate, noise_shape, sampler)


def general_dropout(x: Any, rate: Any, uniform_sampler: Callable, noise_shape: Any = None,
                    name: str | None = None) -> Tensor:
    """Dropout with ``uniform_sampler(shape=, dtype=)`` drawing the Uniform[0, 1) values
    (``tf.nn.experimental.general_dropout``).

    >>> general_dropout([2.0, 2.0], 0.5, lambda shape, dtype: tf.ones(shape, dtype)).numpy().tolist()
    [4.0, 4.0]
    """
    return dropout_with(x, rate, noise_shape, lambda shape, dtype: uniform_sampler(shape=list(shape), dtype=dtype))
