"""``tf.config`` on a real NVIDIA GPU through CuPy: logical GPUs on one card with their own pools and limits, memory
statistics, TF's out-of-memory error, and device details from the CUDA runtime. Skipped without CuPy and a GPU
(CI runs the same code on the simulated GPU: tests/test_device_config.py)."""

from __future__ import annotations

import gc
import os

import pytest

import featherflow as ff
from featherflow import backends
from featherflow.device_config import _fresh_runtime

pytestmark = pytest.mark.skipif(bool(os.environ.get("FEATHERFLOW_SIMULATED_GPUS")) or backends.cupy_or_none() is None,
                                reason="needs CuPy and a real GPU")


@pytest.fixture
def fresh():
    with _fresh_runtime():
        yield ff.config.list_physical_devices("GPU")


def test_two_logical_gpus_on_the_first_card(fresh: list) -> None:
    cp = backends.cupy_or_none()
    ff.config.set_logical_device_configuration(fresh[0], [ff.config.LogicalDeviceConfiguration(memory_limit=64)] * 2)
    names = [d.name for d in ff.config.list_logical_devices("GPU")]
    assert names[:2] == ["/device:GPU:0", "/device:GPU:1"] and len(names) == len(fresh) + 1
    info = ff.config.experimental.get_memory_info
    with ff.device("GPU:1"):
        a = ff.ones((1000, 1000))  # 4 MB in GPU:1's pool, on card 0
    assert isinstance(a._value, cp.ndarray) and a._value.device.id == 0
    assert info("GPU:1")["current"] >= 4000000 and info("GPU:1")["peak"] >= 4000000
    assert info("GPU:0")["current"] < 4000000
    with pytest.raises(ff.errors.ResourceExhaustedError, match="OOM when allocating"):
        with ff.device("GPU:1"):
            ff.ones((5000, 5000))  # 100 MB: over GPU:1's 64 MB
    with ff.device("GPU:0"):  # the same card's other logical GPU has its own 64 MB
        b = ff.ones((3000, 3000))
        assert float(ff.reduce_sum(b)) == 9000000.0
        top = b[:1000, :1000]
    with ff.device("GPU:1"):
        c = a * 2.0 + top  # ``top`` copied from GPU:0 to GPU:1
    assert c.device.endswith("GPU:1") and float(c[0, 0]) == 3.0
    del a, c
    gc.collect()
    ff.config.experimental.reset_memory_stats("GPU:1")
    assert info("GPU:1")["peak"] == info("GPU:1")["current"]


def test_device_details_come_from_the_cuda_runtime(fresh: list) -> None:
    cp = backends.cupy_or_none()
    props = cp.cuda.runtime.getDeviceProperties(0)
    details = ff.config.experimental.get_device_details(fresh[0])
    assert details == {"device_name": props["name"].decode(), "compute_capability": (props["major"], props["minor"])}
