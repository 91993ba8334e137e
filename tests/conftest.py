"""Shared fixtures. ``tf_oracle`` is real TensorFlow (tensorflow-cpu, a test-only dependency), imported once
per worker; tests that need it skip where it is not installed."""

from __future__ import annotations

import contextlib
import os

import pytest
from hypothesis import settings

from . import _gpu_mode

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# The same examples every run (CI included): a failure found once is found again, and a pass is not luck.
settings.register_profile("featherflow", derandomize=True, deadline=None)
settings.load_profile("featherflow")


@pytest.fixture(scope="session")
def tf_oracle():
    return pytest.importorskip("tensorflow")


@pytest.fixture
def same_seed_state() -> None:
    """featherflow's and TF's seeded kernels start afresh under one global seed, for tests comparing seeded random
    ops: a test before, in this worker, may have set a global seed or run those kernels on one side only (each
    call of a seeded kernel moves its stream on)."""
    import sys

    import featherflow as ff

    for m in (ff, sys.modules.get("tensorflow")):
        if m is not None:
            m.random.set_seed(20261202)


# --- devices: the CPU and a simulated GPU ------------------------------------------------------------
# Tests that take the ``device`` fixture run twice: on the CPU, and on a machine with two simulated GPUs
# (featherflow.backends.simulated), where TF's placement puts new tensors and variables on GPU:0. The GPUs
# exist only inside those tests, so every other test sees the CPU-only machine TF's oracle runs on.
# ``pytestmark = pytest.mark.usefixtures("device")`` runs a whole module on both.


# FEATHERFLOW_TEST_GPU=real (tools/gpu_check.sh on a GPU machine) runs the GPU half on the machine's real GPU instead
# (tests/_gpu_mode.py).
def pytest_configure(config):
    _gpu_mode.install(config)


@pytest.fixture(params=["CPU", "GPU"])
def device(request):
    from featherflow.backends import simulated

    if request.param == "CPU":
        yield "CPU"
        return
    with _gpu_mode.gpu_machine():
        simulated.reset_transfers()
        yield "GPU"


@contextlib.contextmanager
def assert_no_transfers():
    """Fails if the block copies between the host and a simulated GPU (in either direction)."""
    from featherflow.backends import simulated

    if not _gpu_mode.counting():  # a real GPU: CuPy counts no copies (the block's other checks still run)
        yield
        return
    before = simulated.transfers()
    yield
    after = simulated.transfers()
    moved = (after[0] - before[0], after[1] - before[1])
    assert moved == (0, 0), f"host->device and device->host copies in a block that should make none: {moved}"
