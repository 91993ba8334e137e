"""Timing helpers for the benchmarks: medians of repeated runs, ratios against other libraries."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def median_time(fn: Callable[[], Any], min_time: float = 0.2, repeats: int = 7) -> float:
    """Median seconds per call of ``fn`` over ``repeats`` batches, each batch lasting about ``min_time``."""
    fn()  # warm up
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_time / repeats or n >= 1 << 20:
            break
        n *= 2
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        samples.append((time.perf_counter() - start) / n)
    return statistics.median(samples)


def _calibrated(fn: Callable[[], Any], batch_time: float) -> int:
    """How many calls of ``fn`` make one batch of about ``batch_time`` seconds: the largest of three tries,
    since one preemption while calibrating would leave batches of a few cold calls."""
    sizes = []
    for _ in range(3):
        n = 1
        while True:
            start = time.perf_counter()
            for _ in range(n):
                fn()
            if time.perf_counter() - start >= batch_time or n >= 1 << 20:
                break
            n *= 2
        sizes.append(n)
    return max(sizes)


def _clock() -> Callable[[], float]:
    """Wall time, or with FF_BENCH_CLOCK=cpu this thread's CPU time: on a machine shared with other jobs, the
    time a library computes rather than the time it waited for a core (TensorFlow's own threads uncounted)."""
    return time.thread_time if os.environ.get("FF_BENCH_CLOCK") == "cpu" else time.perf_counter


def median_times(fns: dict[str, Callable[[], Any]], min_time: float = 1.0, repeats: int = 41) -> dict[str, float]:
    """Median seconds per call of each library's ``fn``, their batches interleaved (one batch of each library
    in turn, ``repeats`` times), so that a change in the machine's load weighs on every library alike."""
    sizes = {}
    for lib, fn in fns.items():
        fn()  # warm up
        sizes[lib] = _calibrated(fn, min_time / repeats)
    samples: dict[str, list[float]] = {lib: [] for lib in fns}
    clock = _clock()
    for _ in range(repeats):
        for lib, fn in fns.items():
            n = sizes[lib]
            start = clock()
            for _ in range(n):
                fn()
            samples[lib].append((clock() - start) / n)
    return {lib: statistics.median(s) for lib, s in samples.items()}


class OneThread:
    """BLAS and PyTorch on one thread while timing (restored after, for the benchmarks that follow), so that
    ratios measure the frameworks, not how a busy machine schedules BLAS threads."""

    def __init__(self, torch: Any) -> None:
        self._torch = torch

    def __enter__(self) -> None:
        try:
            from threadpoolctl import threadpool_limits

            self._limits = threadpool_limits(1)
        except ImportError:  # the BLAS keeps its threads (set OPENBLAS_NUM_THREADS=1 by hand)
            self._limits = None
        if self._torch is not None:
            self._threads = self._torch.get_num_threads()
            self._torch.set_num_threads(1)

    def __exit__(self, *exc: Any) -> None:
        if self._limits is not None:
            self._limits.restore_original_limits()
        if self._torch is not None:
            self._torch.set_num_threads(self._threads)


def optional(module: str) -> Any:
    """The module if it imports, else None (benchmarks skip what is not installed)."""
    try:
        found = __import__(module)
    except Exception:
        return None
    if module == "torch":
        # PyTorch's optimizers import its compiler, whose Triton library crashes the process when TensorFlow
        # has loaded first (conflicting LLVM symbols): it is loaded now, before any TensorFlow import.
        try:
            import torch._dynamo  # noqa: F401
        except Exception:
            pass
    return found


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def table(title: str, rows: list[tuple[str, dict[str, float | None]]], baseline: str = "featherflow",
          notes: dict[str, str] | None = None) -> str:
    """A markdown table: one row per case, one column per library, plus ratios to the baseline (and a last
    column of ``notes`` per case, when given)."""
    libs: list[str] = []
    for _, times in rows:
        for lib in times:
            if lib not in libs:
                libs.append(lib)
    others = [lib for lib in libs if lib != baseline]
    head = "| " + " | ".join(["case", *libs, *(f"{o} / {baseline}" for o in others)]) + " |"  # no empty cells
    sep = "|---" * (1 + len(libs) + len(others)) + "|"
    if notes is not None:
        head += " target |"
        sep += "---|"
    lines = [f"### {title}", "", head, sep]
    for case, times in rows:
        base = times.get(baseline)
        cells = [fmt_time(times.get(lib)) for lib in libs]
        ratios = []
        for o in others:
            t = times.get(o)
            ratios.append(f"{t / base:.2f}x" if t and base else "-")
        line = "| " + " | ".join([case, *cells, *ratios]) + " |"
        if notes is not None:
            line += f" {notes.get(case, '')} |"
        lines.append(line)
    return "\n".join(lines) + "\n"


def mlp_logits(tf: Any, params: list, x: Any) -> Any:
    """The benchmarks' MLP: ``params`` alternate weights and biases, ReLU between layers (``tf``: featherflow or
    TensorFlow)."""
    h = x
    for i in range(0, len(params), 2):
        h = tf.matmul(h, params[i]) + params[i + 1]
        if i < len(params) - 2:
            h = tf.nn.relu(h)
    return h
