"""tf.nn.fractional_max_pool / fractional_avg_pool against real TensorFlow: the pooling sequences bit for bit for a
given seed (random and pseudo-random, overlapping or not), the pooled values, their gradients, errors; the
simulated GPU."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check
from .._linalg_nn_support import check_grad_numeric, check_same

RNG = np.random.default_rng(5)


pytestmark = pytest.mark.usefixtures("same_seed_state")

SHAPES = [((2, 10, 13, 3), [1.0, 1.5, 1.7, 1.0]), ((1, 20, 13, 2), [1.0, 1.44, 1.73, 1.0]),
          ((1, 9, 9, 1), [1.0, 3.0, 3.0, 1.0]), ((2, 7, 8, 2), [1.0, 1.4, 2.5, 1.0])]
CASES = [(shape, ratio, pseudo, overlap, seed)
         for shape, ratio in SHAPES for pseudo in (False, True) for overlap in (False, True) for seed in (5, 123)]


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("shape,ratio,pseudo,overlap,seed", CASES[::3] + CASES[1::7])
def test_sequences_and_values_match_tensorflow(tf_oracle, kind, shape, ratio, pseudo, overlap, seed):
    x = RNG.standard_normal(shape)
    ours = getattr(ff.nn, f"fractional_{kind}_pool")(x, ratio, pseudo, overlap, seed)
    theirs = getattr(tf_oracle.nn, f"fractional_{kind}_pool")(x, ratio, pseudo, overlap, seed)
    for a, b in zip(ours, theirs):
        assert a.dtype.name == b.dtype.name
        np.testing.assert_array_equal(a.numpy(), b.numpy())  # float64: the same additions in the same order


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.int64])
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_dtypes(tf_oracle, kind, dtype):
    x = (RNG.standard_normal((2, 9, 11, 2)) * 20).astype(dtype)
    path = f"nn.fractional_{kind}_pool"
    check_same(tf_oracle, path, x, [1.0, 1.6, 1.3, 1.0], seed=9, overlapping=True, rtol=1e-6)


ERRORS = [
    ((np.ones((1, 10, 10, 1)), [1.0, 1.5, 1.7, 2.0, 1.0]), {}),
    ((np.ones((1, 10, 10, 1)), [2.0, 1.5, 1.7, 1.0]), {}),
    ((np.ones((1, 10, 10, 1)), [0.5, 1.5]), {}),
    ((np.ones((1, 10, 10, 1)), [1.0, 0.5, 1.5, 1.0]), {}),
    ((np.ones((1, 10, 10, 1)), 0.5), {}),
    ((np.ones((1, 10, 10, 1)), "x"), {}),
    ((np.ones((10, 10, 1)), [1.0, 1.5, 1.5, 1.0]), {}),
    ((np.ones((1, 10, 10, 1)), [1.0, 20.0, 1.5, 1.0]), {}),
    ((np.ones((1, 10, 10, 1), np.float16), [1.0, 1.5, 1.5, 1.0]), {}),
]


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("args,kwargs", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors_match_tensorflow(tf_oracle, kind, args, kwargs):
    errors = []
    for m in (ff, tf_oracle):
        with pytest.raises(Exception) as info:
            getattr(m.nn, f"fractional_{kind}_pool")(*args, seed=1, **kwargs)
        errors.append(info.value)
    ours, theirs = errors
    assert type(ours).__name__ == type(theirs).__name__
    # (TF's eager runtime leaves the " name: " tail off the first error a new kernel raises in a process)
    assert str(ours).removesuffix(" name: ") == str(theirs).removesuffix(" name: ")


def test_scalar_and_short_ratios(tf_oracle):
    x = RNG.standard_normal((1, 10, 10, 1))
    for ratio in (1.5, [1.7], [1.2, 1.9]):
        check_same(tf_oracle, "nn.fractional_max_pool", x, ratio, seed=4)


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("overlap", [False, True])
def test_gradients(tf_oracle, kind, overlap):
    x = RNG.standard_normal((2, 7, 8, 2))

    def run(m, xv):
        with m.GradientTape() as tape:
            t = m.constant(xv)
            tape.watch(t)
            y = getattr(m.nn, f"fractional_{kind}_pool")(t, [1.0, 1.4, 1.6, 1.0], overlapping=overlap, seed=7)[0]
            loss = m.reduce_sum(y * m.constant(np.arange(np.prod(y.shape)).reshape(y.shape), y.dtype))
        return tape.gradient(loss, t).numpy()

    np.testing.assert_allclose(run(ff, x), run(tf_oracle, x), rtol=1e-12, atol=1e-14)
    check_grad_numeric(lambda t: getattr(ff.nn, f"fractional_{kind}_pool")(t, [1.0, 1.4, 1.6, 1.0],
                                                                            overlapping=overlap, seed=7)[0],
                       x, rtol=1e-5, atol=1e-7)


def test_unseeded_sequences_are_valid_and_vary():
    x = np.ones((1, 30, 30, 1))
    seqs = {tuple(ff.nn.fractional_max_pool(x, [1.0, 1.5, 1.5, 1.0])[1].numpy()) for _ in range(6)}
    for s in seqs:
        assert s[0] == 0 and s[-1] == 30 and set(np.diff(s)) <= {1, 2}
    assert len(seqs) > 1


@pytest.mark.parametrize("kind", ["max", "avg"])
def test_runs_on_the_device(device, kind):
    data = RNG.standard_normal((2, 9, 10, 3))

    def case(t):
        return getattr(ff.nn, f"fractional_{kind}_pool")(t["x"], [1.0, 1.5, 1.4, 1.0], overlapping=True, seed=3)

    # the two pooling sequences are made on the host and uploaded (the forward's only copies)
    check(device, lambda: {"x": ff.constant(data)}, case, "x", moved=(2, 0))


def test_global_seed_joins_the_op_seed(tf_oracle):
    x = RNG.standard_normal((1, 17, 11, 1))
    seqs = []
    for m in (ff, tf_oracle):
        m.random.set_seed(321)
        out = m.nn.fractional_avg_pool(x, [1.0, 1.6, 1.5, 1.0], pseudo_random=True, seed=8)
        seqs.append((out[1].numpy().tolist(), out[2].numpy().tolist()))
    assert seqs[0] == seqs[1]
