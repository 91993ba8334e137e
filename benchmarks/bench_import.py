"""``import featherflow`` against ``import numpy``, ``import torch`` and ``import tensorflow``: the median wall time
of the import statement and the resident memory after it, each in a fresh interpreter, runs interleaved.

Issue 9's targets: featherflow's import at most NumPy's + 0.06 s, and at most 60 MB resident after it (ml_dtypes,
protobuf and the other heavy imports happen on first use). Bytecode is compiled first, as ``make bytecode`` does,
so a source tree that never wrote its ``.pyc`` files is not charged for compiling. The featherflow modules with
the largest own import time (``python -X importtime``) are listed under the table. Run:
``python benchmarks/bench_import.py [RUNS]``.
"""

from __future__ import annotations

import compileall
import importlib.util
import os
import pathlib
import re
import statistics
import subprocess
import sys

from common import fmt_time

LIBRARIES = ("featherflow", "numpy", "torch", "tensorflow")
RUNS = 10
TIME_MARGIN = 0.06  # seconds over NumPy's import
RSS_LIMIT_MB = 60.0

_PROBE = """
import time
start = time.perf_counter()
import {module}
elapsed = time.perf_counter() - start
rss = 0.0
try:
    with open("/proc/self/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024
except OSError:
    import resource
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform != "darwin" else 1024**2)
print(elapsed, rss)
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return env


def _once(module: str) -> tuple[float, float]:
    """(seconds for the import statement, resident MB after it) in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", "import sys" + _PROBE.format(module=module)], env=_env(),
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"import {module} failed:\n{done.stderr}")
    out = done.stdout.split()
    return float(out[-2]), float(out[-1])


def measure(runs: int = RUNS, libraries: tuple[str, ...] = LIBRARIES) -> dict[str, tuple[float, float]]:
    """Median (seconds, MB) per installed library, runs interleaved so that load on the machine hits all alike."""
    present = [lib for lib in libraries if importlib.util.find_spec(lib) is not None]
    spec = importlib.util.find_spec("featherflow")
    if spec is not None and spec.origin:
        compileall.compile_dir(str(pathlib.Path(spec.origin).parent), quiet=1)
    for lib in present:  # warm the page cache: the first import of a large package reads it from disk
        _once(lib)
    samples: dict[str, list[tuple[float, float]]] = {lib: [] for lib in present}
    for _ in range(runs):
        for lib in present:
            samples[lib].append(_once(lib))
    return {lib: (statistics.median(s for s, _ in got), statistics.median(m for _, m in got))
            for lib, got in samples.items()}


def slowest_own_modules(count: int = 6) -> list[tuple[str, float]]:
    """featherflow's modules with the largest own (self) import time, from ``python -X importtime``."""
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import featherflow"], env=_env(),
                         capture_output=True, text=True, check=True).stderr
    own = []
    for line in err.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(featherflow\S*)", line)
        if found:
            own.append((found.group(2), int(found.group(1)) / 1e6))
    return sorted(own, key=lambda item: -item[1])[:count]


def run(runs: int = RUNS) -> str:
    results = measure(runs)
    head = "| | " + " | ".join(results) + " |"
    lines = [f"### import (median of {runs} fresh interpreters, interleaved)", "", head,
             "|---" * (len(results) + 1) + "|",
             "| import time | " + " | ".join(fmt_time(s) for s, _ in results.values()) + " |",
             "| resident memory after | " + " | ".join(f"{mb:.0f} MB" for _, mb in results.values()) + " |", ""]
    if "featherflow" in results and "numpy" in results:
        ff_time, ff_mb = results["featherflow"]
        over = ff_time - results["numpy"][0]
        verdict_time = "ok" if over <= TIME_MARGIN else "OVER"
        verdict_rss = "ok" if ff_mb <= RSS_LIMIT_MB else "OVER"
        lines.append(f"featherflow - numpy: {over * 1e3:+.1f} ms (target <= +{TIME_MARGIN * 1e3:.0f} ms: "
                     f"{verdict_time}); resident {ff_mb:.0f} MB (target <= {RSS_LIMIT_MB:.0f} MB: {verdict_rss})")
    if "featherflow" in results:
        own = ", ".join(f"{name} {seconds * 1e3:.1f} ms" for name, seconds in slowest_own_modules())
        lines.append(f"largest own import times: {own}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS))
