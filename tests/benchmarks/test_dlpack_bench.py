"""benchmarks/bench_dlpack.py: every case it times is a zero-copy exchange that works, on the host and on the
simulated GPU, and its tables have a row per case. No timing is asserted (the times are the benchmark's output)."""

from __future__ import annotations

import importlib.util
import pathlib
import sys
from typing import Any

import numpy as np
import pytest

from featherflow.device import _simulating

BENCHMARKS = pathlib.Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def bench() -> Any:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location("featherflow_dlpack_bench", BENCHMARKS / "bench_dlpack.py")
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


def _pointer(x: Any) -> int:
    if hasattr(x, "data_ptr"):
        return x.data_ptr()
    if hasattr(x, "_value"):
        x = x._value
    if hasattr(x, "__array_interface__"):
        return x.__array_interface__["data"][0]
    return x.data.ptr  # a CuPy (or simulated) array


def test_host_cases_share_memory(bench, tf_oracle, monkeypatch):
    torch = pytest.importorskip("torch")
    monkeypatch.setattr(bench, "N", 64)
    cases = bench._cases(torch, tf_oracle)
    assert set(cases) == {"np.from_dlpack(x)", "torch.from_dlpack(x)", "from_dlpack(numpy array)",
                          "to_dlpack + from_dlpack"}
    assert set(cases["np.from_dlpack(x)"]) == {"featherflow", "numpy", "torch", "tensorflow"}
    for libs in cases.values():
        for fn in libs.values():
            out = fn()
            assert tuple(out.shape) == (64,) and np.asarray(out)[5] == 5
    mine = cases["np.from_dlpack(x)"]["featherflow"]
    assert _pointer(mine()) == _pointer(mine())  # the same buffer every call: nothing copied


def test_gpu_rows_on_the_simulated_gpu(bench, monkeypatch):
    monkeypatch.setattr(bench, "N", 64)
    assert bench._gpu_cases(None) == {}  # no GPU: no rows
    with _simulating(1):
        cases = bench._gpu_cases(None)
        assert set(cases) == {"GPU simulated.from_dlpack(x)", "GPU from_dlpack(simulated array)"}
        for libs in cases.values():
            assert set(libs) == {"featherflow", "simulated"}
            results = [fn() for fn in libs.values()]
            assert all(tuple(r.shape) == (64,) for r in results)
        ours = cases["GPU from_dlpack(simulated array)"]["featherflow"]()
        assert ours.device.endswith("GPU:0") and _pointer(ours) == _pointer(
            cases["GPU from_dlpack(simulated array)"]["simulated"]())


def test_tables(bench, monkeypatch):
    monkeypatch.setattr(bench, "N", 64)
    monkeypatch.setattr(bench, "optional", lambda name: None)  # NumPy and featherflow only: a quick run
    monkeypatch.setattr(bench, "median_times", lambda libs, **kwargs: {lib: 1e-6 for lib in libs})
    text = bench.run()
    assert "| np.from_dlpack(x) | 1.00 us | 1.00 us |" in text and "on GPU:0" not in text
    with _simulating(1):
        assert "| GPU simulated.from_dlpack(x) | 1.00 us | 1.00 us |" in bench.run()
