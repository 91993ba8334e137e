"""Shared fixtures. ``tf_oracle`` is real TensorFlow (tensorflow-cpu, a test-only dependency), imported once
per worker; tests that need it skip where it is not installed."""

from __future__ import annotations

import contextlib
import os

import pytest
from hypothesis import settings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# The same examples every run (CI included): a failure found once is found again, and a pass is not luck.
settings.register_profile("featherflow", derandomize=True, deadline=None)
settings.load_profile("featherflow")


@pytest.fixture(scope="session")
def tf_oracle():
    return pytest.importorskip("tensorflow")


# --- devices: the CPU and a simulated GPU ------------------------------------------------------------
# Tests that take the ``device`` fixture run twice: on the CPU, and on a machine with two simulated GPUs
# (featherflow.backends.simulated), where TF's placement puts new tensors and variables on GPU:0. The GPUs
# exist only inside those tests, so every other test sees the CPU-only machine TF's oracle runs on.
# ``pytestmark = pytest.mark.usefixtures("device")`` runs a whole module on both.


@pytest.fixture(params=["CPU", "GPU"])
def device(request):
    from featherflow.backends import simulated
    from featherflow.device import _simulating

    if request.param == "CPU":
        yield "CPU"
        return
    with _simulating(2):
        simulated.reset_transfers()
        yield "GPU"


@contextlib.contextmanager
def assert_no_transfers():
    """Fails if the block copies between the host and a simulated GPU (in either direction)."""
    from featherflow.backends import simulated

    before = simulated.transfers()
    yield
    after = simulated.transfers()
    moved = (after[0] - before[0], after[1] - before[1])
    assert moved == (0, 0), f"host->device and device->host copies in a block that should make none: {moved}"
