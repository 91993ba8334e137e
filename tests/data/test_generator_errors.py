"""An exception raised by ``Dataset.from_generator``'s generator surfaces from ``next`` as TF's py_func makes it
(ValueError and TypeError: InvalidArgumentError, NotImplementedError: UnimplementedError, MemoryError:
ResourceExhaustedError, others: UnknownError), its message the exception then its traceback, ending with TF's
``PyFunc`` node; compared with real TF (type, first line, and the message's last lines). Keras's ``PyDataset``
and generator adapters rely on it (``tf.errors.InvalidArgumentError`` for a ValueError)."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

KINDS = [ValueError, TypeError, KeyError, NotImplementedError, MemoryError, RuntimeError, ZeroDivisionError]


def _raised(tf, kind: type) -> tuple:
    def gen():
        yield 1
        raise kind("Expected exception")

    it = iter(tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.int64)))
    first = int(next(it))
    with pytest.raises(Exception) as info:
        next(it)
    message = str(info.value)
    return first, type(info.value).__name__, message.split("\n")[0], message.split("\n")[-3:], \
        "Traceback (most recent call last):\n\n  File " in message


@pytest.mark.parametrize("kind", KINDS, ids=[k.__name__ for k in KINDS])
def test_generator_exception_surfaces_as_tensorflow(tf_oracle, kind: type) -> None:
    assert _raised(ff, kind) == _raised(tf_oracle, kind)


def test_element_of_unexpected_shape_is_an_invalid_argument(tf_oracle) -> None:
    def outcome(tf):
        def gen():
            yield np.ones((2, 3))

        ds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec([None, 2], tf.float64))
        with pytest.raises(Exception) as info:
            next(iter(ds))
        return type(info.value).__name__, str(info.value).split("\n")[0]

    assert outcome(ff) == outcome(tf_oracle)


def test_generator_survives_its_error_under_ignore_errors(tf_oracle) -> None:
    def outcome(tf):
        def gen():
            for i in range(4):
                if i == 1:
                    yield "bad"
                else:
                    yield i

        ds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.int64))
        return [int(x) for x in ds.ignore_errors()]

    assert outcome(ff) == outcome(tf_oracle)
