"""Runs every benchmarks/bench_*.py, then gpu.py, and prints their tables (medians; ratios measured in the same run)."""

from __future__ import annotations

import importlib.util
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main(names: list[str]) -> None:
    for path in [*sorted(HERE.glob("bench_*.py")), HERE / "gpu.py"]:  # gpu: one line saying why where no GPU
        if names and path.stem not in names and path.stem.removeprefix("bench_") not in names:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        print(module.run(), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
