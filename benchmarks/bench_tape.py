"""GradientTape: one tape step on a small variable, and the gradient of a 3-layer MLP (64-256-256-10, batch 64,
tanh and relu, mean squared error) against the same backward pass written by hand in NumPy (target: within
1.5x), PyTorch eager and TensorFlow eager (each where installed). Medians per call, with BLAS and PyTorch on
one thread, so that the ratios measure the frameworks, not how a busy machine schedules BLAS threads
(TensorFlow keeps its own thread pools: they cannot be changed once it has started)."""

from __future__ import annotations

import numpy as np
from common import OneThread, median_time, optional, table

SIZES = [64, 256, 256, 10]
BATCH = 64


def _data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, SIZES[0])).astype(np.float32)
    y = rng.standard_normal((BATCH, SIZES[-1])).astype(np.float32)
    weights = [((rng.standard_normal((a, b)) * np.sqrt(1 / a)).astype(np.float32), np.zeros(b, np.float32))
               for a, b in zip(SIZES[:-1], SIZES[1:])]
    return x, y, weights


def _tape_step(tf):
    v = tf.Variable([1.0, 2.0, 3.0])

    def step():
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(v * v)
        return tape.gradient(y, v)

    return step


def _tf_like_mlp(tf, x, y, weights):
    (w1, b1), (w2, b2), (w3, b3) = [(tf.Variable(w), tf.Variable(b)) for w, b in weights]
    params = [w1, b1, w2, b2, w3, b3]
    relu = (lambda h: tf.maximum(h, 0.0)) if not hasattr(tf, "nn") else tf.nn.relu
    xt, yt = tf.constant(x), tf.constant(y)

    def grads():
        with tf.GradientTape() as tape:
            h = tf.tanh(tf.matmul(xt, w1) + b1)
            h = relu(tf.matmul(h, w2) + b2)
            out = tf.matmul(h, w3) + b3
            loss = tf.reduce_mean(tf.square(out - yt))
        return tape.gradient(loss, params)

    return grads


def _numpy_mlp(x, y, weights):
    (w1, b1), (w2, b2), (w3, b3) = weights

    def grads():
        h1 = np.tanh(x @ w1 + b1)
        z2 = h1 @ w2 + b2
        h2 = np.maximum(z2, 0)
        d = (h2 @ w3 + b3 - y) * np.float32(2 / y.size)
        gw3, gb3 = h2.T @ d, d.sum(0)
        d = (d @ w3.T) * (z2 > 0)
        gw2, gb2 = h1.T @ d, d.sum(0)
        d = (d @ w2.T) * (1 - h1 * h1)
        return [x.T @ d, d.sum(0), gw2, gb2, gw3, gb3]

    return grads


def _torch_tape_step(torch):
    v = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)

    def step():
        y = (v * v).sum()
        return torch.autograd.grad(y, v)

    return step


def _torch_mlp(torch, x, y, weights):
    params = [torch.tensor(a, requires_grad=True) for pair in weights for a in pair]
    xt, yt = torch.tensor(x), torch.tensor(y)

    def grads():
        w1, b1, w2, b2, w3, b3 = params
        h = torch.tanh(xt @ w1 + b1)
        h = torch.relu(h @ w2 + b2)
        loss = ((h @ w3 + b3 - yt) ** 2).mean()
        return torch.autograd.grad(loss, params)

    return grads


def check_numpy_matches(ff, x, y, weights) -> None:
    """The hand-written NumPy backward is the same computation: gradients agree."""
    ours = [g.numpy() for g in _tf_like_mlp(ff, x, y, weights)()]
    for a, b in zip(ours, _numpy_mlp(x, y, weights)()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def run() -> str:
    import featherflow as ff

    torch, tf = optional("torch"), optional("tensorflow")  # torch first (see common.optional)
    with OneThread(torch):
        return _run(ff, torch, tf)


def _run(ff, torch, tf) -> str:
    x, y, weights = _data()
    check_numpy_matches(ff, x, y, weights)
    step = {"featherflow": median_time(_tape_step(ff))}
    mlp = {"featherflow": median_time(_tf_like_mlp(ff, x, y, weights)),
           "numpy by hand": median_time(_numpy_mlp(x, y, weights))}
    if torch is not None:
        step["pytorch eager"] = median_time(_torch_tape_step(torch))
        mlp["pytorch eager"] = median_time(_torch_mlp(torch, x, y, weights))
    if tf is not None:
        step["tensorflow eager"] = median_time(_tape_step(tf))
        mlp["tensorflow eager"] = median_time(_tf_like_mlp(tf, x, y, weights))
    return table("GradientTape (median per call; BLAS and PyTorch on one thread)", [
        ("tape step: reduce_sum(v * v), v of 3 floats", step),
        ("gradient of MLP 64-256-256-10, batch 64", mlp),
    ])


if __name__ == "__main__":
    print(run())
