"""``tf.init_scope``: eagerly, TF's init_scope only pauses the gradient tapes of the thread (its graph lifting
has nothing to lift out of), so code in it, such as a lazily created variable's initializer, is not recorded.

>>> import featherflow as tf
>>> x = tf.constant(3.0)
>>> with tf.GradientTape() as tape:
...     tape.watch(x)
...     with tf.init_scope():
...         y = x * x
>>> print(tape.gradient(y, x))
None
"""

from __future__ import annotations

from typing import Any

from .autodiff import tape as _tape


class _Stopped(list):
    """The thread's tape list while stopped: tapes enter and leave it, but no op or read reaches them (TF's
    thread-wide stop flag stops the tapes started inside the scope too)."""

    __slots__ = ()

    def __iter__(self) -> Any:
        return iter(())


class _InitScope:
    """Stops this thread's tapes on entry (variable watchers still watch, as in TF) and resumes them on exit."""

    __slots__ = ("_paused", "_stopped")

    def __enter__(self) -> None:
        state = _tape._state
        self._paused = state.tapes
        self._stopped = state.tapes = _Stopped()

    def __exit__(self, *exc: Any) -> bool:
        # a tape entered inside and still open records again from here, as in TF
        self._paused.extend(list.__iter__(self._stopped))
        _tape._state.tapes = self._paused
        return False


def init_scope() -> _InitScope:
    """A scope in which no GradientTape records (``tf.init_scope``, which TF runs eagerly as
    ``stop_recording``)."""
    return _InitScope()
