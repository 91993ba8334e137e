"""``tf.grad_pass_through``: runs a function forward, and passes the gradient through it unchanged (as if it
were the identity), as TF builds it from ``custom_gradient``.

>>> import featherflow as tf
>>> x = tf.Variable(2.0)
>>> with tf.GradientTape() as tape:
...     y = tf.grad_pass_through(lambda v: tf.round(v * v))(x)
>>> float(tape.gradient(y, x))
1.0
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from .custom_gradient import custom_gradient


def grad_pass_through(f: Callable) -> Callable:
    """``f`` with the gradient of the identity: each output's gradient goes to the input unchanged."""

    @custom_gradient
    def _grad_pass_through_op(*args: Any, **kwargs: Any) -> Any:
        def grad(*dys: Any, **grad_kwargs: Any) -> Any:
            variables = grad_kwargs.get("variables")
            if variables is not None:  # variables ``f`` read: no gradient reaches them
                return dys, [None] * len(variables)
            return dys

        return f(*args, **kwargs), grad

    return functools.wraps(f)(_grad_pass_through_op)
