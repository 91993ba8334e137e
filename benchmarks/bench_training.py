"""One training step of a 64-256-256-10 MLP on a batch of 64 with Adam: featherflow (eager, and in a tf.function,
which replays the step's trace) vs TensorFlow eager, TensorFlow tf.function and PyTorch eager (same shapes, same
step)."""

from __future__ import annotations

import numpy as np
from common import OneThread, median_time, mlp_logits, optional, table

SIZES = [64, 256, 256, 10]
BATCH = 64


def _data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, SIZES[0])).astype(np.float32)
    y = rng.integers(0, SIZES[-1], BATCH).astype(np.int64)
    weights = [((rng.standard_normal((a, b)) * np.sqrt(2 / a)).astype(np.float32), np.zeros(b, np.float32))
               for a, b in zip(SIZES[:-1], SIZES[1:])]
    return x, y, weights


def _tf_like_step(tf, x, y, weights):
    params = [tf.Variable(a) for pair in weights for a in pair]
    opt = tf.optimizers.Adam(1e-3)  # featherflow: its own optimizers (tf.keras would load Keras beside TF here)
    xt, yt = tf.constant(x), tf.constant(y)

    def step():
        with tf.GradientTape() as tape:
            h = mlp_logits(tf, params, xt)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=yt, logits=h))
        grads = tape.gradient(loss, params)
        opt.apply_gradients(zip(grads, params))
        return loss

    return step


def _torch_step(torch, x, y, weights, device=None):
    """PyTorch's step, its parameters, data and Adam state on ``device`` (the CPU by default)."""
    params = [torch.tensor(a, device=device, requires_grad=True) for pair in weights for a in pair]
    opt = torch.optim.Adam(params, lr=1e-3)
    xt, yt = torch.tensor(x, device=device), torch.tensor(y, device=device)

    def step():
        opt.zero_grad()
        h = xt
        for i in range(0, len(params), 2):
            h = h @ params[i] + params[i + 1]
            if i < len(params) - 2:
                h = torch.relu(h)
        loss = torch.nn.functional.cross_entropy(h, yt)
        loss.backward()
        opt.step()
        return loss

    return step


def run() -> str:
    import featherflow as ff

    x, y, weights = _data()
    torch = optional("torch")  # before TensorFlow (see common.optional)
    tf = optional("tensorflow")
    with OneThread(torch):  # BLAS threads on a busy machine measure its scheduler, not the frameworks
        times: dict[str, float | None] = {"featherflow": median_time(_tf_like_step(ff, x, y, weights)),
                                          "featherflow tf.function": median_time(ff.function(_tf_like_step(
                                              ff, x, y, weights)))}
        if tf is not None:
            times["tensorflow eager"] = median_time(_tf_like_step(tf, x, y, weights))
            times["tensorflow tf.function"] = median_time(tf.function(_tf_like_step(tf, x, y, weights)))
        if torch is not None:
            times["pytorch eager"] = median_time(_torch_step(torch, x, y, weights))
    return table("Training step: MLP 64-256-256-10, batch 64, Adam (median per step; BLAS and PyTorch on one "
                 "thread)", [("train step", times)])
