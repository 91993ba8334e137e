"""Prints, per TF namespace, how many of TF's public names featherflow has and which it lacks, as a Markdown
table: what the op-breadth work still owes. Reads an installed TensorFlow (the test-only oracle).

Run from the repository root: ``.venv/bin/python tools/api_coverage.py [--names]``.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

import featherflow as ff  # noqa: E402

NAMESPACES = ["", "math", "math.special", "linalg", "nn", "image", "signal", "io", "io.gfile", "lookup",
              "lookup.experimental", "strings", "sparse", "ragged", "random", "experimental.numpy", "debugging",
              "bitwise", "dtypes", "data", "train", "autograph", "autograph.experimental", "config"]

# Whole subsystems that belong to other issues or that an eager runtime does not have; not op breadth.
ELSEWHERE = {"": {"compat", "distribute", "dtensor", "estimator", "feature_column", "keras", "lite", "mlir",
                  "profiler", "saved_model", "summary", "tpu", "xla", "sysconfig", "tools", "version",
                  "security", "types", "test", "graph_util", "queue", "quantization", "metrics", "losses",
                  "optimizers", "initializers", "audio", "raw_ops"}}


def resolve(module: object, dotted: str) -> object | None:
    for part in dotted.split(".") if dotted else []:
        module = getattr(module, part, None)
        if module is None:
            return None
    return module


def main() -> None:
    show_names = "--names" in sys.argv
    print("| namespace | TF names | featherflow has | missing |")
    print("|---|---:|---:|---|")
    for ns in NAMESPACES:
        theirs = resolve(tf, ns)
        if theirs is None:
            continue
        names = sorted(n for n in dir(theirs) if not n.startswith("_") and n not in ELSEWHERE.get(ns, ()))
        ours = resolve(ff, ns)
        missing = names if ours is None else [n for n in names if not hasattr(ours, n)]
        shown = ", ".join(missing) if show_names else f"{len(missing)}"
        print(f"| tf{'.' + ns if ns else ''} | {len(names)} | {len(names) - len(missing)} | {shown} |")


if __name__ == "__main__":
    main()
