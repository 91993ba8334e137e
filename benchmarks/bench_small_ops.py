"""Small ops, the tape step and the MLP Adam step: featherflow against NumPy, PyTorch eager and TensorFlow eager,
measured in one run with interleaved batches (medians per call; BLAS and PyTorch on one thread).

The rows are issue 9's targets: each small op at or below PyTorch's time, the tape step at most 0.8x
PyTorch's, the MLP Adam step at or below PyTorch's, and all at least 8x faster than TensorFlow eager. In
PyTorch a variable is an ``nn.Parameter`` (``v + x`` records an autograd node, as PyTorch always does for
it); ``v.assign_add(x)`` is its in-place ``add_``. Run: ``python benchmarks/bench_small_ops.py``.
"""

from __future__ import annotations

import numpy as np
from common import OneThread, median_times, optional, table

TARGETS = {  # case -> (the most featherflow may take as a fraction of PyTorch's time, its text)
    "x + x": (1.0, "<= torch"), "x * y": (1.0, "<= torch"), "x + 1.0": (1.0, "<= torch"), "v + x": (1.0, "<= torch"),
    "tf.matmul 2x2": (1.0, "<= torch"), "v.assign_add(x)": (1.0, "<= torch"),
    "tape step: reduce_sum(v * v) + gradient": (0.8, "<= 0.8x torch"),
    "MLP 64-256-256-10 Adam step, batch 64": (1.0, "<= torch"),
}
TF_FACTOR = 8.0  # featherflow at least this many times faster than TensorFlow eager


def _tape(lib):
    v = lib.Variable([1.0, 2.0, 3.0])

    def step():
        with lib.GradientTape() as tape:
            y = lib.reduce_sum(v * v)
        return tape.gradient(y, v)

    return step


def _numpy_adam_step(x, y, weights):
    """The training step by hand in NumPy: forward, softmax cross-entropy, backward, Adam (TF's defaults)."""
    params = [a.copy() for pair in weights for a in pair]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    onehot = np.eye(weights[-1][0].shape[1], dtype=np.float32)[y]
    count = [0]

    def step():
        w1, b1, w2, b2, w3, b3 = params
        z1 = x @ w1 + b1
        h1 = np.maximum(z1, 0)
        z2 = h1 @ w2 + b2
        h2 = np.maximum(z2, 0)
        logits = h2 @ w3 + b3
        e = np.exp(logits - logits.max(1, keepdims=True))
        p = e / e.sum(1, keepdims=True)
        loss = -np.log(p[np.arange(len(y)), y]).mean()
        d = (p - onehot) / np.float32(len(y))
        grads = [None, None, None, None, h2.T @ d, d.sum(0)]
        d = (d @ w3.T) * (z2 > 0)
        grads[2:4] = h1.T @ d, d.sum(0)
        d = (d @ w2.T) * (z1 > 0)
        grads[0:2] = x.T @ d, d.sum(0)
        count[0] += 1
        lr = 1e-3 * np.sqrt(1 - 0.999 ** count[0]) / (1 - 0.9 ** count[0])
        for param, g, (m, v) in zip(params, grads, moments):
            m += (g - m) * np.float32(0.1)
            v += (g * g - v) * np.float32(0.001)
            param -= np.float32(lr) * m / (np.sqrt(v) + np.float32(1e-7))
        return loss

    return step


def cases(ff, torch, tf) -> dict[str, dict[str, object]]:
    """Each row's callables, by library."""
    from bench_training import _data, _tf_like_step, _torch_step

    a = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    b, vn, v3 = a.copy(), a.copy(), np.array([1.0, 2.0, 3.0], np.float32)
    x, y, weights = _data()
    rows: dict[str, dict[str, object]] = {
        "x + x": {"numpy": lambda: a + a},
        "x * y": {"numpy": lambda: a * b},
        "x + 1.0": {"numpy": lambda: a + 1.0},
        "v + x": {"numpy": lambda: vn + a},
        "tf.matmul 2x2": {"numpy": lambda: np.matmul(a, b)},
        "v.assign_add(x)": {"numpy": lambda: np.add(vn, a, out=vn)},
        "tape step: reduce_sum(v * v) + gradient": {"numpy": lambda: ((v3 * v3).sum(), 2 * v3)},
        "MLP 64-256-256-10 Adam step, batch 64": {"numpy": _numpy_adam_step(x, y, weights)},
    }
    for name, lib in (("featherflow", ff), ("tensorflow", tf)):
        if lib is None:
            continue
        xa, ya, va = lib.constant(a), lib.constant(b), lib.Variable(a)
        rows["x + x"][name] = lambda xa=xa: xa + xa
        rows["x * y"][name] = lambda xa=xa, ya=ya: xa * ya
        rows["x + 1.0"][name] = lambda xa=xa: xa + 1.0
        rows["v + x"][name] = lambda xa=xa, va=va: va + xa
        rows["tf.matmul 2x2"][name] = lambda lib=lib, xa=xa, ya=ya: lib.matmul(xa, ya)
        rows["v.assign_add(x)"][name] = lambda xa=xa, va=va: va.assign_add(xa)
        rows["tape step: reduce_sum(v * v) + gradient"][name] = _tape(lib)
        rows["MLP 64-256-256-10 Adam step, batch 64"][name] = _tf_like_step(lib, x, y, weights)
    if torch is not None:
        ta, tb, tv = torch.tensor(a), torch.tensor(b), torch.tensor(a)
        tp = torch.nn.Parameter(torch.tensor(a))
        t3 = torch.tensor(v3, requires_grad=True)

        def torch_tape():
            return torch.autograd.grad((t3 * t3).sum(), t3)

        rows["x + x"]["torch"] = lambda: ta + ta
        rows["x * y"]["torch"] = lambda: ta * tb
        rows["x + 1.0"]["torch"] = lambda: ta + 1.0
        rows["v + x"]["torch"] = lambda: tp + ta
        rows["tf.matmul 2x2"]["torch"] = lambda: torch.matmul(ta, tb)
        rows["v.assign_add(x)"]["torch"] = lambda: tv.add_(ta)
        rows["tape step: reduce_sum(v * v) + gradient"]["torch"] = torch_tape
        rows["MLP 64-256-256-10 Adam step, batch 64"]["torch"] = _torch_step(torch, x, y, weights)
    order = ("featherflow", "numpy", "torch", "tensorflow")
    return {case: {lib: fns[lib] for lib in order if lib in fns} for case, fns in rows.items()}


def _verdict(case: str, times: dict[str, float]) -> str:
    factor, text = TARGETS[case]
    ours, parts = times["featherflow"], []
    if "torch" in times:
        parts.append(("met: " if ours <= factor * times["torch"] else "MISSED: ") + text)
    if "tensorflow" in times:
        parts.append(("met: " if ours * TF_FACTOR <= times["tensorflow"] else "MISSED: ") + f">= {TF_FACTOR:g}x tf")
    return "; ".join(parts)


def run(names: list[str] | None = None) -> str:
    import featherflow as ff

    torch, tf = optional("torch"), optional("tensorflow")
    rows, notes = [], {}
    with OneThread(torch):
        for case, fns in cases(ff, torch, tf).items():
            if names and case not in names:
                continue
            times = median_times(fns)
            rows.append((case, times))
            notes[case] = _verdict(case, times)
    return table("Small ops, tape step, MLP Adam step (median per call, interleaved; one BLAS/PyTorch thread)",
                 rows, notes=notes)


if __name__ == "__main__":
    import sys

    print(run(sys.argv[1:]))
