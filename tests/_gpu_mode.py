"""Which GPU the ``device`` fixture's GPU runs use: the simulated one (CI), or the machine's real one.

``FEATHERFLOW_TEST_GPU=real`` (tools/gpu_check.sh, on a GPU machine): the ``device`` fixture's GPU runs put new
tensors and variables on CuPy's GPU:0 instead of a simulated card, and checks that need the simulated GPU's
transfer counters (``simulated.transfers()`` and its kin) skip, with the reason, while that real GPU is in use:
CuPy counts no copies. Everything else is as in CI: outside the fixture the tests, and the programs they start,
see the CPU-only machine TF's oracle runs on (the real GPUs are hidden there), and tests that build a simulated
machine themselves (``_simulating(2)``) keep it.
``FEATHERFLOW_TEST_GPU=standin``: the same, with one simulated card standing in for the real GPU, so that the mode's
own logic (the skips, one card instead of two) can be run on a machine without a GPU.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from typing import Any, Callable, Iterator

import pytest

MODE = os.environ.get("FEATHERFLOW_TEST_GPU", "").strip().lower()  # "", "real" or "standin"
if MODE not in ("", "simulated", "real", "standin"):
    raise pytest.UsageError(f"FEATHERFLOW_TEST_GPU must be 'real', 'standin' or unset, got {MODE!r}")
REAL = MODE in ("real", "standin")
NO_COUNTERS = ("host<->device copies and kernel launches are counted only on the simulated GPU; "
               "FEATHERFLOW_TEST_GPU=real runs this on the machine's GPU")

_real: list = []  # the real GPUs (featherflow Devices), found once
_active = [0]  # > 0 while a real GPU is the fixture's GPU


def cards() -> int:
    """How many GPUs the ``device`` fixture's machine has: two simulated cards, or the real machine's."""
    return len(_real) if REAL else 2


def counting() -> bool:
    """Whether the simulated GPU's transfer counters describe what the test runs (False on a real GPU)."""
    return not _active[0]


def gpu_array_type() -> type:
    """The array type of the fixture's GPU: SimArray on the simulated card, cupy.ndarray on a real one."""
    device = importlib.import_module("featherflow.device")  # (featherflow.device is tf.device)

    return device.gpus()[0].xp.ndarray


def install(config: Any) -> None:
    """Finds the real GPUs (real mode), hides them outside the fixture, and makes the counters skip on them."""
    if not REAL or (config.getoption("numprocesses", None) and not hasattr(config, "workerinput")):
        return  # (pytest-xdist's controller runs no test: its workers, started later, find the GPUs)
    from featherflow.backends import cupy_backend, simulated

    device = importlib.import_module("featherflow.device")  # (featherflow.device is tf.device)

    if MODE == "real":
        cp = cupy_backend.load()
        if cp is None:
            raise pytest.UsageError("FEATHERFLOW_TEST_GPU=real needs CuPy and a GPU it can use (pip install "
                                    "'featherflow[gpu]'); none was found")
        _real[:] = [device.Device("GPU", i, cp) for i in range(cp.cuda.runtime.getDeviceCount())]
        # programs the tests start (examples, TF-compared scripts) see the CPU-only machine too; this process's
        # CUDA has started, and keeps the GPUs it found
        os.environ["CUDA_VISIBLE_DEVICES"] = ""
    else:
        _real[:] = device._simulated_gpus(1)
    device._gpus = []  # the CPU-only machine outside the fixture, as TF's CPU oracle sees
    for name in ("transfers", "peer_copies", "launches", "current_card"):
        setattr(simulated, name, _skipping(getattr(simulated, name)))


def _skipping(counter: Callable) -> Callable:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _active[0]:
            pytest.skip(NO_COUNTERS)
        return counter(*args, **kwargs)

    wrapper.__name__ = counter.__name__
    wrapper.__doc__ = counter.__doc__
    return wrapper


@contextlib.contextmanager
def gpu_machine() -> Iterator[list]:
    """The ``device`` fixture's GPU machine: two simulated cards, or the real GPUs (TF's placement: GPU:0 default)."""
    device = importlib.import_module("featherflow.device")  # (featherflow.device is tf.device)

    if not REAL:
        with device._simulating(2) as gpus:
            yield gpus
        return
    current = device._scope.device  # first: decides the default device if nothing has yet
    saved = (device._gpus, device._default, current, device._scope.spec)
    if MODE == "standin":
        device._simulated_gpus(1)  # (a test before may have configured another number of simulated cards)
    device._gpus = list(_real)
    device._scope.spec = None  # outside any tf.device scope, whatever a test before left open
    device._set_default(_real[0])
    _active[0] += 1
    try:
        yield device._gpus
    finally:
        _active[0] -= 1
        device._gpus = saved[0]
        device._set_default(saved[1])
        device._scope.device, device._scope.spec = saved[2], saved[3]
