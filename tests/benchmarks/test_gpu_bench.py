"""benchmarks/gpu.py runs: it skips in one line without a GPU, builds its tables on the simulated GPU with tiny
sizes, and its featherflow calls make exactly the host transfers their rows name. No timing is asserted (the
times are the benchmark's output, measured on a real GPU)."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import subprocess
import sys
import time
import types
from typing import Any

import pytest

import featherflow as ff
from featherflow.backends import simulated
from featherflow.device import _simulating

_ISOLATED = "FEATHERFLOW_TEST_ISOLATED"
BENCHMARKS = pathlib.Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def bench() -> Any:
    """benchmarks/gpu.py as a module (its imports, ``common`` and ``bench_*``, resolve in benchmarks/)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location("featherflow_gpu_bench", BENCHMARKS / "gpu.py")
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        import bench_small_ops  # noqa: F401 - the helpers gpu.py imports lazily: loaded while the path is set
        import bench_training  # noqa: F401
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


def _tables(text: str) -> dict[str, list[list[str]]]:
    """Each markdown table of ``text`` by title: its rows split into cells, the header first."""
    tables: dict[str, list[list[str]]] = {}
    title = None
    for line in text.splitlines():
        if line.startswith("### "):
            title = line[4:]
            tables[title] = []
        elif line.startswith("|") and title is not None and not line.startswith("|---"):
            tables[title].append([c.strip() for c in line.strip().strip("|").split("|")])
    return tables


def _case_rows(text: str) -> dict[str, dict[str, str]]:
    """Every row of every table as {column header: cell}, by case."""
    rows = {}
    for lines in _tables(text).values():
        head = lines[0]
        for cells in lines[1:]:
            assert len(cells) == len(head), (head, cells)  # well-formed markdown: no missing or extra cells
            rows[cells[0]] = dict(zip(head, cells))
    return rows


def test_no_gpu_is_one_line_saying_why(bench: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ff.config, "list_physical_devices", lambda device_type=None: [])
    out = bench.run(bench.Sizes(tiny=True))
    assert "\n" not in out and out.startswith("GPU benchmarks skipped: featherflow sees no GPU")


def test_tables_on_the_simulated_gpu(bench: Any) -> None:
    with _simulating(1):
        out = bench.run(bench.Sizes(tiny=True))
    assert out.startswith("GPU:0 is featherflow's simulated GPU")
    assert len(_tables(out)) == 4
    rows = _case_rows(out)
    assert sorted(rows) == sorted([
        "x + x", "tf.matmul 2x2", "v.assign_add(x)", "tape step: reduce_sum(v * v) + gradient",
        "matmul 64x64 float32", "matmul 64x64 bfloat16",
        "host->device 1 MiB: tf.identity under GPU:0", "device->host 1 MiB: .numpy()",
        "device->host 1 MiB: tf.identity under CPU:0", "MLP 64-256-256-10 Adam step, batch 64"])
    for case, cells in rows.items():
        assert set(cells) == {"case", "featherflow", "target"}  # no CuPy or PyTorch CUDA column here
        assert cells["featherflow"].endswith("s") or "failed" in cells["target"], (case, cells)
        assert "!" not in cells["target"]  # featherflow's results were on GPU:0
    assert ("featherflow holds float32 made under GPU:0 on GPU:0 as featherflow.SimArray of float32; its matmul "
            "gives float32 on GPU:0") in rows["matmul 64x64 float32"]["target"]
    assert rows["host->device 1 MiB: tf.identity under GPU:0"]["target"].startswith("GB/s: featherflow ")


def test_featherflow_calls_make_only_the_transfers_their_rows_name(bench: Any) -> None:
    with _simulating(1):
        gpu = bench.probe(ff)
        assert gpu.backend == "simulated" and gpu.cupy is None and gpu.torch is None
        on_device = {**bench.small_op_cases(gpu), "MLP step": bench.mlp_cases(gpu)}
        copies = bench.copy_cases(gpu, 1 << 20)
        expected = {case: (0, 0) for case in on_device}
        expected.update({case: (1, 0) if case.startswith("host->device") else (0, 1) for case in copies})
        seen = {}
        with ff.device("GPU:0"):
            for case, fns in {**on_device, **copies}.items():
                fns["featherflow"]()  # warm up: the optimizer makes its slots, on the device
                simulated.reset_transfers()
                fns["featherflow"]()
                seen[case] = simulated.transfers()
    assert seen == expected


class _Event:
    """A CUDA event's interface over the host clock (what CuPy's and PyTorch's events offer)."""

    def __init__(self, enable_timing: bool = True) -> None:
        self.at = 0.0

    def record(self) -> None:
        self.at = time.perf_counter()

    def synchronize(self) -> None:
        """Host work is done when it returns."""

    def elapsed_time(self, end: _Event) -> float:
        return (end.at - self.at) * 1e3


def _cupy_standin() -> Any:
    """CuPy's calls that the benchmark makes, answered by the simulated GPU's CuPy-shaped namespace."""
    xp = simulated.xp
    card = types.SimpleNamespace(synchronize=lambda: None)
    runtime = types.SimpleNamespace(getDeviceProperties=lambda i: {"name": b"Simulated"},
                                    runtimeGetVersion=lambda: 13000)
    cuda = types.SimpleNamespace(Device=lambda i=0: card, Event=_Event, runtime=runtime,
                                 get_elapsed_time=lambda a, b: a.elapsed_time(b))
    return types.SimpleNamespace(__version__="sim", asarray=xp.asarray, matmul=xp.matmul, add=xp.add, cuda=cuda)


class _TorchOnCpu:
    """PyTorch with a host stand-in for ``torch.cuda`` (its synchronize, Event and is_available)."""

    def __init__(self, torch: Any) -> None:
        self._torch = torch
        self.cuda = types.SimpleNamespace(synchronize=lambda: None, Event=_Event, is_available=lambda: True)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._torch, name)


def test_cupy_and_torch_columns(bench: Any) -> None:
    """The baseline columns, ratios and verdicts, with CuPy and CUDA stood in for (the libraries' own calls)."""
    torch = pytest.importorskip("torch")
    if "tensorflow" in sys.modules and not os.environ.get(_ISOLATED):
        # PyTorch's optimizer step imports triton, whose native module crashes a process that has loaded
        # TensorFlow (another test's oracle in this worker): run this test alone in a fresh process instead
        env = {**os.environ, _ISOLATED: "1"}
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                               f"{__file__}::test_cupy_and_torch_columns"], env=env, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
        return
    with _simulating(1):
        gpu = bench.Gpu(ff, "cupy", _cupy_standin(), _TorchOnCpu(torch), torch_device="cpu")
        sizes = bench.Sizes(tiny=True)
        assert gpu.describe() == "GPU:0 is Simulated (CuPy sim, CUDA runtime 13000; PyTorch " \
                                 f"{torch.__version__}, CUDA {torch.version.cuda})."
        precision = torch.get_float32_matmul_precision()
        with bench.host_threads(gpu):
            out = "\n".join([bench.small_ops(gpu, sizes), bench.matmuls(gpu, sizes), bench.copies(gpu, sizes),
                             bench.mlp(gpu, sizes)])
        assert torch.get_float32_matmul_precision() == precision  # restored after the matmul rows
    rows = _case_rows(out)
    assert len(rows) == 10
    for case, cells in rows.items():
        target = cells["target"]
        if case.startswith("matmul") and cells["cupy"] == "-":
            assert "cannot" in target  # CuPy without bfloat16: the row says so
        elif "MLP" not in case:
            assert cells["cupy"].endswith("s") and cells["cupy / featherflow"].endswith("x")
            assert ("met: " in target or "MISSED: " in target) and "cupy" in target, (case, target)
        assert cells["torch"].endswith("s") and cells["torch / featherflow"].endswith("x")
    assert rows["x + x"]["target"].count("met") + rows["x + x"]["target"].count("MISSED") == 2
    assert rows["matmul 64x64 float32"]["target"].startswith("TFLOP/s: featherflow ")
    assert "<= torch" in rows["MLP 64-256-256-10 Adam step, batch 64"]["target"]
    # the stand-in's arrays are not CuPy's: featherflow is timed by the host clock at tiny sizes, never at full
    assert "(not on the card: timed by the host clock)" in rows["matmul 64x64 float32"]["target"]
    with _simulating(1):
        fns, notes, on_card = bench.matmul_cases(gpu, 8, "float32", tiny=False)
    assert not on_card and "featherflow" not in fns and notes[0].endswith("(not on the card: not timed)")
    assert sorted(fns) == ["cupy", "torch"]


def test_tiny_sizes_from_the_environment(bench: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FF_BENCH_GPU_TINY", "1")
    tiny = bench.Sizes.from_env()
    monkeypatch.setenv("FF_BENCH_GPU_TINY", "0")
    full = bench.Sizes.from_env()
    assert (tiny.matmul_n, tiny.copy_bytes) == (64, 1 << 20)
    assert (full.matmul_n, full.copy_bytes) == (8192, 256 << 20)
    assert bench.Sizes.from_env(simulated=True).tiny  # the simulated GPU is NumPy: never the full sizes
