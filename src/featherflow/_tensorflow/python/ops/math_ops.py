"""``tensorflow.python.ops.math_ops``: TF's math module, whose public functions are ``tf.math``'s."""

import featherflow as _tf


def __getattr__(name: str) -> object:
    try:
        return getattr(_tf.math, name)
    except AttributeError:
        return getattr(_tf, name)
