"""``tf.no_op``, ``tf.group``, ``tf.tuple`` and ``tf.control_dependencies`` as TF runs them eagerly: ops run in
program order, so there is nothing to group or to wait for.

>>> import featherflow as tf
>>> with tf.control_dependencies([tf.constant(1)]):
...     y = tf.constant(2) + 1
>>> int(y)
3
"""

from __future__ import annotations

from typing import Any


def no_op(name: str | None = None) -> None:
    """Does nothing (``tf.no_op``); eagerly it returns None, as TF's does."""
    return None


def group(*inputs: Any, **kwargs: Any) -> None:
    """Eagerly, every input has already run: None, as TF returns (``tf.group``)."""
    return None


def tuple(tensors: Any, control_inputs: Any = None, name: str | None = None) -> Any:  # noqa: A001 - TF's name
    """``tensors`` unchanged: eagerly each has already been computed (``tf.tuple``)."""
    return tensors


class _NullContext:
    """What TF's eager ``control_dependencies`` returns: a context manager that does nothing."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> bool:
        return False


_NULL = _NullContext()


def control_dependencies(control_inputs: Any) -> _NullContext:
    """A context in which ops run after ``control_inputs`` (``tf.control_dependencies``): eagerly they have
    run already; callables among them are called now, as TF does."""
    if control_inputs:
        for control in control_inputs:
            if callable(control):
                control()
    return _NULL
