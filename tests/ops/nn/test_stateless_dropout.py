"""tf.nn.experimental.stateless_dropout and general_dropout: masks bit-exact with TF's (Philox, every float dtype,
noise_shape, rng_alg), TF's errors, the gradient, and the simulated GPU."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check
from .._linalg_nn_support import check_same

X = np.random.default_rng(2).standard_normal((4, 7, 5))

CASES = [
    (X.astype(np.float32), {"rate": 0.3, "seed": [1, 2]}),
    (X, {"rate": 0.5, "seed": [7, 3], "noise_shape": [4, 1, 5]}),
    (X.astype(np.float16), {"rate": 0.4, "seed": [1, 2], "rng_alg": "philox"}),
    (X.astype(np.float32), {"rate": 0.4, "seed": [1, 2], "rng_alg": "threefry"}),
    (X, {"rate": 0.0, "seed": [3, 4]}),
    (X, {"rate": 1.0, "seed": [3, 4]}),
    (X.astype(np.int32), {"rate": 0.5, "seed": [3, 4]}),
    (X, {"rate": np.float64(0.25), "seed": np.array([5, 6], np.int64)}),
    (X.astype(np.float32), {"rate": 0.2, "seed": [9, 9], "noise_shape": [1, 7, 1]}),
]


@pytest.mark.parametrize("x,kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_matches_tensorflow_bit_for_bit(tf_oracle, x, kwargs):
    check_same(tf_oracle, "nn.experimental.stateless_dropout", x, rtol=0, atol=0, **kwargs)


def test_rate_as_a_tensor_matches_tensorflow(tf_oracle):
    ours = ff.nn.experimental.stateless_dropout(X, ff.constant(0.3, ff.float64), seed=[4, 4])
    theirs = tf_oracle.nn.experimental.stateless_dropout(X, tf_oracle.constant(0.3, tf_oracle.float64), seed=[4, 4])
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_general_dropout_uses_the_callers_sampler(tf_oracle):
    def run(m):
        return m.nn.experimental.general_dropout(
            X, 0.5, lambda shape, dtype: m.random.stateless_uniform(shape, seed=[1, 1], dtype=dtype)).numpy()
    np.testing.assert_array_equal(run(ff), run(tf_oracle))


def test_gradient_matches_tensorflow(tf_oracle):
    def grad(m):
        x = m.constant(X)
        with m.GradientTape() as tape:
            tape.watch(x)
            y = m.nn.experimental.stateless_dropout(x, 0.4, seed=[2, 3])
            loss = m.reduce_sum(y * y)
        return tape.gradient(loss, x).numpy()
    np.testing.assert_array_equal(grad(ff), grad(tf_oracle))


def _copies() -> tuple:
    from featherflow.backends import simulated

    before = simulated.transfers()
    ff.random.stateless_uniform([4, 7, 5], seed=[2, 3], dtype=ff.float64)
    after = simulated.transfers()
    return after[0] - before[0], after[1] - before[1]


def test_on_the_device(device):
    """The dropout itself copies nothing: it makes the copies its stateless random op makes for the seed."""
    check(device, lambda: {"x": ff.constant(X)}, lambda t: ff.nn.experimental.stateless_dropout(
        t["x"], 0.4, seed=[2, 3]), "x", moved=_copies)
