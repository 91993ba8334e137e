"""``tf.config``'s deprecated names: each logs TF's deprecation notice once per process (TF's ``warn_once``) and
does what its replacement does."""

from __future__ import annotations

import sys
from typing import Any

from .autodiff._log import get_logger
from .device_config import get_memory_info
from .function import functions_run_eagerly, run_functions_eagerly

_warned: set[str] = set()


def _deprecated(name: str, module: str, instructions: str) -> None:
    if name in _warned:
        return
    _warned.add(name)
    caller = sys._getframe(2)
    get_logger().warning("From %s:%d: %s (from %s) is deprecated and will be removed in a future version.\n"
                         "Instructions for updating:\n%s", caller.f_code.co_filename, caller.f_lineno, name, module,
                         instructions)


_EAGER_RUN = "tensorflow.python.eager.polymorphic_function.eager_function_run"


def get_memory_usage(device: str) -> int:
    """Deprecated: ``tf.config.experimental.get_memory_info(device)['current']``."""
    _deprecated("get_memory_usage", "tensorflow.python.framework.config",
                "Use tf.config.experimental.get_memory_info(device)['current'] instead.")
    return get_memory_info(device)["current"]


def experimental_run_functions_eagerly(run_eagerly: bool) -> None:
    """Deprecated: ``tf.config.run_functions_eagerly``."""
    _deprecated("experimental_run_functions_eagerly", _EAGER_RUN,
                "Use `tf.config.run_functions_eagerly` instead of the experimental version.")
    run_functions_eagerly(run_eagerly)


def experimental_functions_run_eagerly() -> Any:
    """Deprecated: ``tf.config.functions_run_eagerly``."""
    _deprecated("experimental_functions_run_eagerly", _EAGER_RUN,
                "Use tf.config.functions_run_eagerly instead of the experimental version.")
    return functions_run_eagerly()
