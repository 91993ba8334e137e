"""tf.nn.nce_loss and tf.nn.sampled_softmax_loss against real TensorFlow: values and gradients, with the
samples given or drawn (the same seeds give the same negatives), sharded weights, accidental hits removed."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

RNG = np.random.default_rng(7)
CLASSES, DIM, BATCH = 12, 4, 3
W = RNG.standard_normal((CLASSES, DIM))
B = RNG.standard_normal(CLASSES)
X = RNG.standard_normal((BATCH, DIM))
LABELS = {1: [[2], [5], [0]], 2: [[2, 3], [5, 5], [0, 11]]}
SAMPLED = [3, 0, 7, 5, 10]


def sampled_values(m, num_true, dtype=np.float32):
    """Fixed negatives and expected counts (of the logits' dtype, as TF subtracts their log), some of them hits."""
    true_counts = np.linspace(0.1, 0.9, BATCH * num_true).reshape(BATCH, num_true)
    return (m.constant(SAMPLED, m.int64), m.constant(true_counts.astype(dtype)),
            m.constant(np.linspace(0.2, 0.6, len(SAMPLED)).astype(dtype)))


def loss_and_grads(m, fn, dtype, num_true, sharded, given, remove, seed=None):
    w = m.Variable(W.astype(dtype))
    b = m.Variable(B.astype(dtype))
    x = m.constant(X.astype(dtype))
    with m.GradientTape() as tape:
        tape.watch(x)
        weights = [w[:4], w[4:8], w[8:]] if sharded else w
        kwargs = dict(num_true=num_true, remove_accidental_hits=remove)
        if given:
            kwargs["sampled_values"] = sampled_values(m, num_true, dtype)
        if seed is not None:
            kwargs["seed"] = seed
        loss = fn(m)(weights, b, m.constant(LABELS[num_true]), x, len(SAMPLED), CLASSES, **kwargs)
        total = m.reduce_sum(loss * loss)
    grads = tape.gradient(total, [w, b, x])
    return [loss.numpy()] + [m.convert_to_tensor(g).numpy() for g in grads]


LOSSES = {"nce": lambda m: m.nn.nce_loss, "softmax": lambda m: m.nn.sampled_softmax_loss}


@pytest.mark.parametrize("loss", ["nce", "softmax"])
@pytest.mark.parametrize("num_true", [1, 2])
@pytest.mark.parametrize("remove", [False, True])
@pytest.mark.parametrize("sharded", [False, True])
def test_given_samples_match_tf(tf_oracle, loss, num_true, remove, sharded):
    ours = loss_and_grads(ff, LOSSES[loss], np.float64, num_true, sharded, True, remove)
    theirs = loss_and_grads(tf_oracle, LOSSES[loss], np.float64, num_true, sharded, True, remove)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("loss", ["nce", "softmax"])
def test_drawn_samples_match_tf(tf_oracle, loss):
    ff.random.set_seed(4)
    ours = loss_and_grads(ff, LOSSES[loss], np.float32, 1, False, False, loss == "softmax",
                          seed=9 if loss == "softmax" else None)
    tf_oracle.random.set_seed(4)
    theirs = loss_and_grads(tf_oracle, LOSSES[loss], np.float32, 1, False, False, loss == "softmax",
                            seed=9 if loss == "softmax" else None)
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("loss", ["nce", "softmax"])
def test_numerical_gradients(loss):
    def value(w, b, x):
        out = LOSSES[loss](ff)(ff.constant(w), ff.constant(b), ff.constant(LABELS[2]), ff.constant(x), len(SAMPLED), CLASSES,
                               num_true=2, sampled_values=sampled_values(ff, 2, np.float64), remove_accidental_hits=True)
        return float(ff.reduce_sum(out * out).numpy())

    _, gw, gb, gx = loss_and_grads(ff, LOSSES[loss], np.float64, 2, False, True, True)
    eps = 1e-6
    for arg, grad in ((0, gw), (1, gb), (2, gx)):
        base = [W.copy(), B.copy(), X.copy()]
        flat = base[arg].reshape(-1)
        for i in range(0, flat.size, 3):
            up = [a.copy() for a in base]
            down = [a.copy() for a in base]
            up[arg].reshape(-1)[i] += eps
            down[arg].reshape(-1)[i] -= eps
            numeric = (value(*up) - value(*down)) / (2 * eps)
            np.testing.assert_allclose(grad.reshape(-1)[i], numeric, rtol=1e-6, atol=1e-8)


def test_label_dtype_and_names(tf_oracle):
    out = ff.nn.nce_loss(W.astype(np.float32), B.astype(np.float32), np.array([[1], [2], [3]], np.int32),
                         X.astype(np.float32), len(SAMPLED), CLASSES, sampled_values=sampled_values(ff, 1))
    assert out.shape == (BATCH,) and out.dtype == ff.float32
    with pytest.raises(TypeError):
        ff.nn.nce_loss(W, B, np.array(LABELS[1]), X, 2, CLASSES, partition_strategy="mod")  # TF 2 has none
    with pytest.raises(AttributeError):
        ff.nn.nce_loss(W, B, LABELS[1], X, 2, CLASSES)  # TF reads labels.dtype: a list has none


@pytest.mark.parametrize("loss", ["nce", "softmax"])
def test_on_the_device(device, loss):
    from .._device_support import check

    def inputs():
        return {"w": ff.constant(W), "b": ff.constant(B), "x": ff.constant(X),
                "labels": ff.constant(np.array(LABELS[1])), "sampled": sampled_values(ff, 1, np.float64)}

    def case(t):
        return LOSSES[loss](ff)(t["w"], t["b"], t["labels"], t["x"], len(SAMPLED), CLASSES,
                                sampled_values=t["sampled"], remove_accidental_hits=False)

    # one host->device copy: the Python ``num_true`` the true labels are divided by (TF copies that constant too)
    check(device, inputs, case, "w", moved=(1, 0), rtol=1e-12)
