"""What the root ``conftest.py`` of Keras's repository gives its tests, for running the tests the Keras wheel
ships (``keras/src/**/*_test.py``) outside that repository; ``tools/keras_suite.py`` loads it as a plugin
(``-p conftest`` with this folder on ``PYTHONPATH``), under real TensorFlow and under featherflow alike.

- the markers Keras's tests use (``requires_trainable_backend``, ``multi_device``), with Keras's skips: the
  TensorFlow backend is trainable; tests marked ``multi_device`` need several JAX or PyTorch devices;
- ``skip_if_backend``, which some test modules import (``from conftest import skip_if_backend``);
- PyTorch imported before anything else, as Keras's conftest does (TensorFlow imported first makes a later
  ``import torch`` crash);
- a per-test time limit, ``KERAS_SUITE_TEST_TIMEOUT`` seconds (default 300; 0 turns it off), since
  pytest-timeout is not a dependency: past it the test fails with :class:`TestTimeout` (raised by SIGALRM in
  the main thread); at twice the limit (a test stuck where no Python signal handler runs) the process dumps
  every thread's stack and exits, which pytest-xdist reports as a crashed worker.

Example (from the repository root)::

    PYTHONPATH=tools/keras_suite_conftest KERAS_BACKEND=tensorflow .venv/bin/python -m pytest -p conftest \\
        .venv/lib/python3.11/site-packages/keras/src/layers/core/dense_test.py
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import threading
from typing import Any

import pytest

try:  # noqa: SIM105 -- Keras's conftest: torch first, or importing it after TensorFlow segfaults
    import torch  # noqa: F401
except ImportError:
    pass


class TestTimeout(Exception):
    """A test ran past ``KERAS_SUITE_TEST_TIMEOUT`` seconds."""

    __test__ = False  # not a test class for pytest's collection


def _backend() -> str:
    # imported here, not at module level: the featherflow plugin must make `tensorflow` featherflow before
    # Keras is first imported, in its pytest_configure
    from keras.src.backend import backend

    return backend()


def skip_if_backend(given_backend: str, reason: str) -> Any:
    return pytest.mark.skipif(_backend() == given_backend, reason=reason)


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "requires_trainable_backend: mark test for trainable backend only")
    config.addinivalue_line("markers", "multi_device: mark test for running with multiple devices only")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    backend = _backend()
    has_multiple_devices = False
    if backend == "jax":
        import jax

        has_multiple_devices = jax.device_count() > 1
    elif backend == "torch":
        import torch

        has_multiple_devices = torch.cuda.is_available() and torch.cuda.device_count() > 1
    requires_trainable = pytest.mark.skipif(
        backend in ("numpy", "openvino"), reason="Trainer not implemented for NumPy and OpenVINO backend."
    )
    for item in items:
        if "requires_trainable_backend" in item.keywords:
            item.add_marker(requires_trainable)
        if not has_multiple_devices and "multi_device" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="Requires multiple devices"))


def _timeout_s() -> float:
    return float(os.environ.get("KERAS_SUITE_TEST_TIMEOUT", "300"))


def _on_alarm(signum: int, frame: Any) -> None:
    raise TestTimeout(f"test ran past KERAS_SUITE_TEST_TIMEOUT={_timeout_s():g} s")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: Any, nextitem: Any) -> Any:
    limit = _timeout_s()
    if limit <= 0:
        yield
        return
    in_main_thread = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
    if in_main_thread:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, limit)
    faulthandler.dump_traceback_later(2 * limit, exit=True, file=sys.stderr)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        if in_main_thread:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
