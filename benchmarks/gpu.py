"""GPU benchmarks (issue 11): featherflow on GPU:0 against the same CuPy call and PyTorch CUDA, in one run.

Rows appear only where featherflow sees a GPU; without one ``run()`` returns one line saying why. The tables:

- small ops (``x + x``, ``tf.matmul`` 2x2, ``v.assign_add``, a tape step): wall time per call, the libraries'
  batches interleaved, the device synchronized at the end of every batch so that queued kernels are paid for
  (goal: featherflow <= 1.3x CuPy's own call and <= PyTorch's);
- 8192x8192 float32 and bfloat16 matmul: kernel time from CUDA events on each library's stream, in TFLOP/s
  (goal: >= 90% of CuPy's and PyTorch's throughput); float32 is IEEE float32 in all three (TF32 in all three
  with CUPY_TF32=1);
- 256 MiB host->device and device->host copies, in GB/s (goal: >= 80% of CuPy's bandwidth);
- the MLP Adam step of ``bench_training`` on GPU:0 against PyTorch CUDA.

Every time is a median over interleaved repeats, after warm-up (first-call kernel compilation, allocator pools,
cuBLAS handles). With ``FEATHERFLOW_SIMULATED_GPUS=1`` the simulated GPU (NumPy underneath) runs the same code
paths with featherflow's column only, at tiny sizes: a check of this benchmark, not a speed measure
(``FF_BENCH_GPU_TINY=1`` shrinks sizes and timing on a real GPU too). Run: ``python benchmarks/run.py gpu``.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from common import OneThread, optional, table

FF = "featherflow"
SMALL_OP_CUPY_FACTOR = 1.3  # featherflow's small op at most this many times CuPy's own call
MATMUL_SHARE = 0.9  # featherflow's matmul throughput at least this share of CuPy's and PyTorch's
COPY_SHARE = 0.8  # featherflow's copy bandwidth at least this share of CuPy's

Fn = Callable[[], Any]


class Sizes:
    """Problem sizes and timing budget: the real ones, or tiny ones that only exercise the code paths."""

    def __init__(self, tiny: bool) -> None:
        self.tiny = tiny
        self.matmul_n = 64 if tiny else 8192
        self.copy_bytes = (1 if tiny else 256) << 20
        self.batch_time = 0.002 if tiny else 0.03  # seconds one batch of calls lasts at least
        self.repeats = 3 if tiny else 21

    @classmethod
    def from_env(cls, simulated: bool = False) -> Sizes:
        """Tiny with FF_BENCH_GPU_TINY=1, and always on the simulated GPU (NumPy would take minutes at full size)."""
        return cls(simulated or os.environ.get("FF_BENCH_GPU_TINY", "").strip() not in ("", "0"))


class Gpu:
    """What featherflow's GPU:0 is ("cupy" or "simulated"), the baselines present, and how each library waits
    for its queued work (featherflow's GPU work runs on CuPy's current stream, so CuPy's sync covers it)."""

    def __init__(self, ff: Any, backend: str, cupy: Any, torch: Any, torch_device: str = "cuda") -> None:
        self.ff, self.backend, self.cupy, self.torch = ff, backend, cupy, torch
        self.torch_device = torch_device  # PyTorch's GPU ("cpu" only where a test stands in for CUDA)
        no_wait: Fn = lambda: None  # noqa: E731 - the simulated GPU computes synchronously
        self.sync: dict[str, Fn] = {FF: no_wait}
        if cupy is not None:
            self.sync[FF] = self.sync["cupy"] = cupy.cuda.Device(0).synchronize
        if torch is not None:
            self.sync["torch"] = torch.cuda.synchronize

    def describe(self) -> str:
        """One line naming the GPU and the library versions the rows come from."""
        if self.backend == "simulated":
            return ("GPU:0 is featherflow's simulated GPU (FEATHERFLOW_SIMULATED_GPUS, NumPy underneath): the rows "
                    "check the benchmark's code paths, they are not GPU times; CuPy and PyTorch CUDA columns n/a.")
        cupy = self.cupy
        name = cupy.cuda.runtime.getDeviceProperties(0)["name"]
        name = name.decode() if isinstance(name, bytes) else str(name)
        text = f"GPU:0 is {name} (CuPy {cupy.__version__}, CUDA runtime {cupy.cuda.runtime.runtimeGetVersion()}"
        if self.torch is not None:
            text += f"; PyTorch {self.torch.__version__}, CUDA {self.torch.version.cuda}"
        else:
            text += "; PyTorch CUDA not available: its columns n/a"
        return text + ")."


def host_threads(gpu: Gpu) -> Any:
    """One BLAS and PyTorch thread where the host computes (the simulated GPU, PyTorch on the CPU in tests), as
    the CPU benchmarks run: on a busy machine more threads measure its scheduler. Nothing changes on a GPU."""
    if gpu.backend == "simulated" or gpu.torch_device == "cpu":
        return OneThread(gpu.torch)
    return contextlib.nullcontext()


def probe(ff: Any) -> Gpu | str:
    """The GPU to benchmark, or the one-line reason there is none."""
    if not ff.config.list_physical_devices("GPU"):
        return ("GPU benchmarks skipped: featherflow sees no GPU (CuPy not installed or no CUDA device; "
                "FEATHERFLOW_SIMULATED_GPUS=1 runs them on the simulated GPU).")
    with ff.device("GPU:0"):
        kind = type(ff.constant([1.0])._value)
    if kind.__module__.split(".")[0] == "cupy":
        torch = optional("torch")
        if torch is not None and not torch.cuda.is_available():
            torch = None
        return Gpu(ff, "cupy", sys.modules["cupy"], torch)
    if kind.__module__ == "featherflow.backends.simulated":
        return Gpu(ff, "simulated", None, None)
    return f"GPU benchmarks skipped: featherflow's GPU:0 holds {kind.__module__}.{kind.__name__} arrays."


# --- timing ---------------------------------------------------------------------------------------


def _calls(fn: Fn, n: int) -> None:
    for _ in range(n):
        fn()


def wall_times(fns: dict[str, Fn], sync: dict[str, Fn], sizes: Sizes) -> dict[str, float]:
    """Median wall seconds per call of each library's ``fn``: batches of calls ending in a device sync,
    interleaved (one batch of each library in turn), so that a change in the machine's load weighs on all."""
    counts = {}
    for lib, fn in fns.items():
        _calls(fn, 3)  # warm up
        sync[lib]()
        n = 1
        while True:
            start = time.perf_counter()
            _calls(fn, n)
            sync[lib]()
            if time.perf_counter() - start >= sizes.batch_time or n >= 1 << 16:
                break
            n *= 2
        counts[lib] = n
    samples: dict[str, list[float]] = {lib: [] for lib in fns}
    for _ in range(sizes.repeats):
        for lib, fn in fns.items():
            start = time.perf_counter()
            _calls(fn, counts[lib])
            sync[lib]()
            samples[lib].append((time.perf_counter() - start) / counts[lib])
    return {lib: statistics.median(s) for lib, s in samples.items()}


class _HostClock:
    """Wall time from the host, after a sync: the stopwatch where there are no CUDA events."""

    def __init__(self, sync: Fn) -> None:
        self._sync = sync

    def start(self) -> None:
        self._sync()
        self._t = time.perf_counter()

    def stop(self) -> float:
        self._sync()
        return time.perf_counter() - self._t


class _CupyEvents:
    """GPU time between two CUDA events recorded on CuPy's current stream (featherflow's kernels run there)."""

    def __init__(self, cupy: Any) -> None:
        self._cupy = cupy
        self._begin, self._end = cupy.cuda.Event(), cupy.cuda.Event()

    def start(self) -> None:
        self._begin.record()

    def stop(self) -> float:
        self._end.record()
        self._end.synchronize()
        return self._cupy.cuda.get_elapsed_time(self._begin, self._end) / 1e3


class _TorchEvents:
    """GPU time between two CUDA events recorded on PyTorch's current stream."""

    def __init__(self, torch: Any) -> None:
        self._begin = torch.cuda.Event(enable_timing=True)
        self._end = torch.cuda.Event(enable_timing=True)

    def start(self) -> None:
        self._begin.record()

    def stop(self) -> float:
        self._end.record()
        self._end.synchronize()
        return self._begin.elapsed_time(self._end) / 1e3


def stopwatch(gpu: Gpu, lib: str) -> Any:
    """How to time ``lib``'s kernels: CUDA events on its stream, or the host clock on the simulated GPU."""
    if lib == "torch":
        return _TorchEvents(gpu.torch)
    if gpu.cupy is not None:
        return _CupyEvents(gpu.cupy)
    return _HostClock(gpu.sync[lib])


def kernel_times(fns: dict[str, Fn], gpu: Gpu, sizes: Sizes, host_timed: tuple[str, ...] = ()) -> dict[str, float]:
    """Median device seconds per call of each library's ``fn``: batches between two events, interleaved (the
    libraries in ``host_timed`` by the host clock: their work is not all on the card's stream)."""
    watches = {lib: _HostClock(gpu.sync[lib]) if lib in host_timed else stopwatch(gpu, lib) for lib in fns}
    counts = {}
    for lib, fn in fns.items():
        _calls(fn, 2)  # warm up
        watch = watches[lib]
        watch.start()
        fn()
        once = max(watch.stop(), 1e-7)
        counts[lib] = max(1, min(1 << 12, round(sizes.batch_time / once)))
    samples: dict[str, list[float]] = {lib: [] for lib in fns}
    for _ in range(sizes.repeats):
        for lib, fn in fns.items():
            watch = watches[lib]
            watch.start()
            _calls(fn, counts[lib])
            samples[lib].append(watch.stop() / counts[lib])
    return {lib: statistics.median(s) for lib, s in samples.items()}


def _error(e: BaseException) -> str:
    return f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:160]


def _ff_placement(gpu: Gpu, fns: dict[str, Fn]) -> str:
    """Where featherflow's call put its result, when not on GPU:0 (then the row does not measure the GPU)."""
    fn = fns.get(FF)
    if fn is None:
        return ""
    with gpu.ff.device("GPU:0"):
        found = getattr(fn(), "device", "")
    return "" if found.endswith("GPU:0") else f"featherflow's result is on {found or 'the host'}! "


# --- small ops --------------------------------------------------------------------------------------


def small_op_cases(gpu: Gpu) -> dict[str, dict[str, Fn]]:
    """Each small-op row's callables by library; featherflow's inputs on GPU:0 (its calls run in that scope)."""
    from bench_small_ops import _tape

    ff, cupy, torch = gpu.ff, gpu.cupy, gpu.torch
    a = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    v3 = np.array([1.0, 2.0, 3.0], np.float32)
    with ff.device("GPU:0"):
        xa, ya, va = ff.constant(a), ff.constant(a.copy()), ff.Variable(a)
        tape = _tape(ff)
    rows: dict[str, dict[str, Fn]] = {
        "x + x": {FF: lambda: xa + xa},
        "tf.matmul 2x2": {FF: lambda: ff.matmul(xa, ya)},
        "v.assign_add(x)": {FF: lambda: va.assign_add(xa)},
        "tape step: reduce_sum(v * v) + gradient": {FF: tape},
    }
    if cupy is not None:
        ca, cb, cv, c3 = cupy.asarray(a), cupy.asarray(a), cupy.asarray(a), cupy.asarray(v3)
        rows["x + x"]["cupy"] = lambda: ca + ca
        rows["tf.matmul 2x2"]["cupy"] = lambda: cupy.matmul(ca, cb)
        rows["v.assign_add(x)"]["cupy"] = lambda: cupy.add(cv, ca, out=cv)
        # CuPy has no tape: the same computation, its gradient written out (as the CPU benchmark's NumPy row)
        rows["tape step: reduce_sum(v * v) + gradient"]["cupy"] = lambda: ((c3 * c3).sum(), 2 * c3)
    if torch is not None:
        ta, tb, tv = (torch.tensor(a, device=gpu.torch_device) for _ in range(3))
        t3 = torch.tensor(v3, device=gpu.torch_device, requires_grad=True)
        rows["x + x"]["torch"] = lambda: ta + ta
        rows["tf.matmul 2x2"]["torch"] = lambda: torch.matmul(ta, tb)
        rows["v.assign_add(x)"]["torch"] = lambda: tv.add_(ta)
        rows["tape step: reduce_sum(v * v) + gradient"]["torch"] = lambda: torch.autograd.grad((t3 * t3).sum(), t3)
    return rows


def _within(ours: float, theirs: float | None, factor: float, text: str) -> str:
    if theirs is None:
        return ""
    return ("met: " if ours <= factor * theirs else "MISSED: ") + text


def small_ops(gpu: Gpu, sizes: Sizes) -> str:
    """The small-op table: featherflow against CuPy's own call and PyTorch CUDA."""
    rows, notes = [], {}
    for case, fns in small_op_cases(gpu).items():
        placement = _ff_placement(gpu, fns)
        with gpu.ff.device("GPU:0"):
            times = wall_times(fns, gpu.sync, sizes)
        rows.append((case, times))
        verdicts = [_within(times[FF], times.get("cupy"), SMALL_OP_CUPY_FACTOR, f"<= {SMALL_OP_CUPY_FACTOR:g}x cupy"),
                    _within(times[FF], times.get("torch"), 1.0, "<= torch")]
        notes[case] = placement + ("; ".join(v for v in verdicts if v) or "n/a: no CuPy or PyTorch CUDA column")
    return table("GPU small ops on GPU:0 (median wall time per call, interleaved batches, each ending in a device "
                 "sync)", rows, notes=notes)


# --- large matmul ---------------------------------------------------------------------------------


def _bfloat16() -> Any:
    import ml_dtypes

    return ml_dtypes.bfloat16


def _ff_holding(gpu: Gpu, tensor: Any) -> tuple[str, bool]:
    """How featherflow holds ``tensor`` (its device and dtype, and the array type holding it there), and whether
    that is an array of GPU:0's backend (else its work is not all kernels on the card's stream)."""
    value = tensor._value
    module = type(value).__module__.split(".")[0]
    on_card = tensor.device.endswith("GPU:0") and (gpu.cupy is None or module == "cupy")
    return (f"featherflow holds {tensor.dtype.name} made under GPU:0 on {tensor.device.rsplit('device:', 1)[-1]} "
            f"as {module}.{type(value).__name__} of {value.dtype}", on_card)


def matmul_cases(gpu: Gpu, n: int, dtype: str, tiny: bool) -> tuple[dict[str, Fn], list[str], bool]:
    """``n x n`` matmul callables by library, notes on what each library does with ``dtype``, and whether
    featherflow's inputs are arrays on GPU:0's card (if not, featherflow is timed at tiny sizes only: a
    bfloat16 matmul on the host would run for hours)."""
    ff, cupy, torch = gpu.ff, gpu.cupy, gpu.torch
    rng = np.random.default_rng(0)
    host = [rng.standard_normal((n, n), dtype=np.float32) for _ in range(2)]
    typed = host if dtype == "float32" else [h.astype(_bfloat16()) for h in host]
    fns: dict[str, Fn] = {}
    notes: list[str] = []
    on_card = False
    try:
        with ff.device("GPU:0"):
            fa, fb = (ff.constant(h) for h in typed)
        text, on_card = _ff_holding(gpu, fa)
        if on_card or tiny:
            fns[FF] = lambda: ff.matmul(fa, fb)
            with ff.device("GPU:0"):
                out = fns[FF]()
            text += f"; its matmul gives {out.dtype.name} on {out.device.rsplit('device:', 1)[-1]}"
        notes.append(text + ("" if on_card else " (not on the card: " + (
            "timed by the host clock)" if tiny else "not timed)")))
    except Exception as e:  # the row says what featherflow does with this dtype on a GPU
        fns.pop(FF, None)
        notes.append(f"featherflow failed: {_error(e)}")
    if cupy is not None:
        try:
            ca, cb = (cupy.asarray(h) for h in typed)
            fns["cupy"] = lambda: ca @ cb
            fns["cupy"]()
        except Exception as e:  # CuPy before 14 has no bfloat16
            fns.pop("cupy", None)
            notes.append(f"CuPy {cupy.__version__} cannot: {_error(e)}")
    if torch is not None:
        kind = torch.float32 if dtype == "float32" else torch.bfloat16
        ta, tb = (torch.from_numpy(h).to(gpu.torch_device, kind) for h in host)
        fns["torch"] = lambda: ta @ tb
    return fns, notes, on_card


def matmuls(gpu: Gpu, sizes: Sizes) -> str:
    """The float32 and bfloat16 matmul table, in TFLOP/s."""
    n = sizes.matmul_n
    rows, notes = [], {}
    torch = gpu.torch
    saved = None if torch is None else torch.get_float32_matmul_precision()
    if torch is not None:
        # CuPy (so featherflow) multiplies float32 in IEEE float32 unless CUPY_TF32=1: PyTorch does the same
        torch.set_float32_matmul_precision("high" if os.environ.get("CUPY_TF32", "0") == "1" else "highest")
    try:
        for dtype in ("float32", "bfloat16"):
            case = f"matmul {n}x{n} {dtype}"
            fns, text, on_card = matmul_cases(gpu, n, dtype, sizes.tiny)
            if not fns:
                notes[case] = "; ".join(text)
                rows.append((case, {}))
                continue
            with gpu.ff.device("GPU:0"):
                times = kernel_times(fns, gpu, sizes, host_timed=() if on_card else (FF,))
            rows.append((case, times))
            rate = ", ".join(f"{lib} {2 * n ** 3 / t / 1e12:.4g}" for lib, t in times.items())
            verdicts = [_within(times[FF], times.get(lib), 1 / MATMUL_SHARE, f">= {MATMUL_SHARE:.0%} of {lib}")
                        for lib in ("cupy", "torch") if FF in times]
            notes[case] = "; ".join([f"TFLOP/s: {rate}", *text, *(v for v in verdicts if v)])
    finally:
        if torch is not None:
            torch.set_float32_matmul_precision(saved)
    return table("GPU matmul throughput (median kernel time from CUDA events; cupy / featherflow = featherflow's "
                 "share of CuPy's throughput)", rows, notes=notes)


# --- host <-> device copies -----------------------------------------------------------------------


def copy_cases(gpu: Gpu, nbytes: int) -> dict[str, dict[str, Fn]]:
    """Copy callables by library: host->device, and device->host by ``.numpy()`` and by tf.device('CPU:0')."""
    ff, cupy, torch = gpu.ff, gpu.cupy, gpu.torch
    host = np.random.default_rng(0).standard_normal(nbytes // 4, dtype=np.float32)
    with ff.device("CPU:0"):
        on_host = ff.constant(host)
    with ff.device("GPU:0"):
        on_gpu = ff.identity(on_host)

    def to_cpu() -> Any:
        with ff.device("CPU:0"):
            return ff.identity(on_gpu)

    mib = nbytes >> 20
    rows: dict[str, dict[str, Fn]] = {
        f"host->device {mib} MiB: tf.identity under GPU:0": {FF: lambda: ff.identity(on_host)},
        f"device->host {mib} MiB: .numpy()": {FF: on_gpu.numpy},
        f"device->host {mib} MiB: tf.identity under CPU:0": {FF: to_cpu},
    }
    up, down, down_scope = rows
    if cupy is not None:
        on_card = cupy.asarray(host)
        rows[up]["cupy"] = lambda: cupy.asarray(host)
        rows[down]["cupy"] = rows[down_scope]["cupy"] = on_card.get
    if torch is not None:
        pageable, on_cuda = torch.from_numpy(host), torch.from_numpy(host).to(gpu.torch_device)
        rows[up]["torch"] = lambda: pageable.to(gpu.torch_device)
        rows[down]["torch"] = rows[down_scope]["torch"] = on_cuda.cpu
    return rows


def copies(gpu: Gpu, sizes: Sizes) -> str:
    """The host<->device copy table, in GB/s."""
    rows, notes = [], {}
    for case, fns in copy_cases(gpu, sizes.copy_bytes).items():
        with gpu.ff.device("GPU:0"):
            times = wall_times(fns, gpu.sync, sizes)
        rows.append((case, times))
        rate = ", ".join(f"{lib} {sizes.copy_bytes / t / 1e9:.4g}" for lib, t in times.items())
        verdict = _within(times[FF], times.get("cupy"), 1 / COPY_SHARE, f">= {COPY_SHARE:.0%} of cupy")
        notes[case] = f"GB/s: {rate}" + (f"; {verdict}" if verdict else "")
    return table("GPU host<->device copies from pageable host memory (median wall time per copy, synced; "
                 "cupy / featherflow = featherflow's share of CuPy's bandwidth)", rows, notes=notes)


# --- the MLP Adam step ----------------------------------------------------------------------------


def mlp_cases(gpu: Gpu) -> dict[str, Fn]:
    """bench_training's MLP Adam step by library, featherflow's variables and data made on GPU:0."""
    from bench_training import _data, _tf_like_step, _torch_step

    x, y, weights = _data()
    with gpu.ff.device("GPU:0"):
        fns: dict[str, Fn] = {FF: _tf_like_step(gpu.ff, x, y, weights)}
    if gpu.torch is not None:
        fns["torch"] = _torch_step(gpu.torch, x, y, weights, device=gpu.torch_device)
    return fns


def mlp(gpu: Gpu, sizes: Sizes) -> str:
    """The MLP Adam step table: featherflow on GPU:0 against PyTorch CUDA."""
    case = "MLP 64-256-256-10 Adam step, batch 64"
    fns = mlp_cases(gpu)
    placement = _ff_placement(gpu, fns)
    with gpu.ff.device("GPU:0"):
        times = wall_times(fns, gpu.sync, sizes)
    verdict = _within(times[FF], times.get("torch"), 1.0, "<= torch (the CPU benchmark's target)")
    return table("GPU training step on GPU:0 (median wall time per step, interleaved, synced)", [(case, times)],
                 notes={case: placement + (verdict or "n/a: no PyTorch CUDA column")})


def run(sizes: Sizes | None = None) -> str:
    """The GPU tables (markdown), or one line saying why there are none."""
    import featherflow as ff

    gpu = probe(ff)
    if isinstance(gpu, str):
        return gpu
    sizes = sizes or Sizes.from_env(gpu.backend == "simulated")
    with host_threads(gpu):
        parts = [gpu.describe() + (" Tiny sizes." if sizes.tiny else ""), "",
                 small_ops(gpu, sizes), matmuls(gpu, sizes), copies(gpu, sizes), mlp(gpu, sizes)]
    return "\n".join(parts)


if __name__ == "__main__":
    print(run())
