"""``tensorflow.python.eager.context``: the eager context Keras reaches (``context.context()``,
``async_wait``). featherflow runs every op eagerly and synchronously, so the context is always eager, has nothing
queued to wait for and no kernel cache to clear; what it reports about devices is featherflow's own.

>>> from featherflow._tensorflow.python.eager import context
>>> context.executing_eagerly()
True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import featherflow as _tf

DEVICE_PLACEMENT_EXPLICIT = 0
DEVICE_PLACEMENT_WARN = 1
DEVICE_PLACEMENT_SILENT = 2
DEVICE_PLACEMENT_SILENT_FOR_INT32 = 3
SYNC = 0
ASYNC = 1


class Context:
    """The process's eager context (TF's ``context.context()``)."""

    def ensure_initialized(self) -> None:
        _tf.config.list_logical_devices()

    def executing_eagerly(self) -> bool:
        return True

    def clear_kernel_cache(self) -> None:
        """Nothing to clear: featherflow keeps no compiled kernels between ops."""

    def async_wait(self) -> None:
        """Nothing to wait for: every op has finished when it returns."""

    def async_clear_error(self) -> None:
        """No asynchronous errors exist to clear."""

    @property
    def device_name(self) -> str:
        return _tf.constant(0)._device

    def list_logical_devices(self, device_type: str | None = None) -> list:
        return _tf.config.list_logical_devices(device_type)

    def list_physical_devices(self, device_type: str | None = None) -> list:
        return _tf.config.list_physical_devices(device_type)

    def num_gpus(self) -> int:
        return len(_tf.config.list_logical_devices("GPU"))

    @property
    def device_policy(self) -> int:
        names = {"explicit": 0, "warn": 1, "silent": 2, "silent_for_int32": 3}
        return names[_tf.config.experimental.get_device_policy()]

    def is_tfrt_enabled(self) -> bool:
        return False


_CONTEXT = Context()


def context() -> Context:
    return _CONTEXT


def context_safe() -> Context:
    return _CONTEXT


def ensure_initialized() -> None:
    _CONTEXT.ensure_initialized()


def executing_eagerly() -> bool:
    return True


def async_wait() -> None:
    _CONTEXT.async_wait()


def num_gpus() -> int:
    return _CONTEXT.num_gpus()


def is_tfrt_enabled() -> bool:
    return False


@contextlib.contextmanager
def eager_mode() -> Iterator[None]:
    """Already eager: featherflow has no other mode."""
    yield


def graph_mode() -> Any:
    raise RuntimeError("featherflow executes eagerly only: it has no graph mode to enter")


def _reset_context() -> None:
    """A new eager context, as TF's (tests call it): the runtime unstarted and unconfigured again (devices can be
    configured anew), no global seed. Tensors and variables made before it stay where they are."""
    from ....device_config import reset_runtime
    from ....ops.random.core import reset_random_state

    reset_runtime()
    reset_random_state()


def device(name: Any) -> Any:
    return _tf.device(name)
