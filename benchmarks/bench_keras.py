"""Keras 3's ``model.fit`` of an MLP (64-128-64-10, Adam, batch 32) on scikit-learn's digits (the data of
``make demo``): Keras on featherflow (its TensorFlow backend, as ``tf.keras``) against the same Keras on PyTorch
(its torch backend, eager) and on real TensorFlow (which compiles ``train_step`` with ``tf.function``).

Each backend runs in its own interpreter (Keras picks one backend per process), the runs interleaved and
repeated; the table shows medians. "epoch" is one pass over the 1,437 training digits after a warm-up epoch;
"cold start" is a fresh interpreter's ``import`` of the library and Keras, building and compiling the model and
its first ``fit`` step. Issue 12's targets: an epoch faster than Keras on PyTorch and at most 1.5x Keras on
TensorFlow. Run: ``python benchmarks/bench_keras.py [RUNS]``.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys

from common import table

RUNS = 3
EPOCHS = 5

_PROGRAM = """
import time
start = time.perf_counter()
{prelude}
import keras
import numpy as np
from sklearn.datasets import load_digits
digits = load_digits()
x = (digits.data / 16.0).astype("float32")
y = digits.target.astype("int64")
x, y = x[: int(0.8 * len(x))], y[: int(0.8 * len(y))]
keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(128, activation="relu"),
                          keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10)])
model.compile(optimizer=keras.optimizers.Adam(1e-3),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
model.fit(x[:32], y[:32], batch_size=32, epochs=1, verbose=0)
cold = time.perf_counter() - start
model.fit(x, y, batch_size=32, epochs=1, verbose=0)
times = []
for _ in range({epochs}):
    t = time.perf_counter()
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    times.append(time.perf_counter() - t)
times.sort()
print(cold, times[len(times) // 2])
"""

BACKENDS = {
    "featherflow": ("tensorflow", "import featherflow\\nfeatherflow.use_as_tensorflow()"),
    "keras on pytorch": ("torch", "import torch"),
    "keras on tensorflow": ("tensorflow", "import tensorflow"),
}


def _available(lib: str) -> bool:
    module = {"featherflow": "featherflow", "keras on pytorch": "torch", "keras on tensorflow": "tensorflow"}[lib]
    return all(importlib.util.find_spec(m) is not None for m in (module, "keras", "sklearn"))


def _once(lib: str) -> tuple[float, float]:
    backend, prelude = BACKENDS[lib]
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": "",
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    code = _PROGRAM.format(prelude=prelude.replace("\\n", "\n"), epochs=EPOCHS)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{lib} failed:\n{done.stderr[-3000:]}")
    cold, epoch = (float(v) for v in done.stdout.split()[-2:])
    return cold, epoch


def run(runs: int = RUNS) -> str:
    libs = [lib for lib in BACKENDS if _available(lib)]
    if "featherflow" not in libs:
        return "### Keras fit\n\nKeras or scikit-learn is not installed (pip install 'featherflow[keras,demo]').\n"
    samples: dict[str, list[tuple[float, float]]] = {lib: [] for lib in libs}
    for _ in range(runs):
        for lib in libs:  # interleaved: a change in the machine's load weighs on every library alike
            samples[lib].append(_once(lib))
    cold = {lib: statistics.median(s[0] for s in samples[lib]) for lib in libs}
    epoch = {lib: statistics.median(s[1] for s in samples[lib]) for lib in libs}
    return table(f"Keras fit: MLP 64-128-64-10 on the digits, batch 32, Adam (medians of {runs} fresh processes; "
                 "BLAS on one thread)", [("epoch (1,437 digits)", epoch), ("cold start: import, build, first step",
                                                                          cold)])


if __name__ == "__main__":
    print(run(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS))
