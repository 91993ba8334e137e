"""tf.random.stateless_parameterized_truncated_normal against real TensorFlow: the same bits for each of the
kernel's three samplers (normal rejection, uniform proposals, exponential tail), each dtype, broadcast
parameters, outputs TF splits over its threads, and the same errors."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

CASES = {
    "standard": dict(shape=[7]),
    "randn": dict(shape=[4, 3], means=[0.0, 1.0, -2.0], stddevs=[1.0, 2.0, 0.5], minvals=-5.0, maxvals=[5.0, 9.0, 1.0]),
    "uniform": dict(shape=[6, 2], means=[0.0, 3.0], stddevs=1.0, minvals=[-0.2, 2.5], maxvals=[0.3, 3.1]),
    "exponential": dict(shape=[9], means=0.0, stddevs=1.0, minvals=2.5, maxvals=np.inf),
    "lower_tail": dict(shape=[5, 2], means=[1.0, -1.0], stddevs=[1.0, 3.0], minvals=-np.inf, maxvals=[-2.0, -12.0]),
    "above_mean": dict(shape=[8], means=0.0, stddevs=2.0, minvals=3.0, maxvals=3.5),
    "rank2_params": dict(shape=[3, 2, 2], means=[[0.0, 1.0], [2.0, 3.0]], stddevs=[1.0, 0.5], minvals=-1.0,
                         maxvals=[[1.0, 1.5], [2.5, 10.0]]),
    "split_over_threads": dict(shape=[700, 2], means=[0.0, 1.0], stddevs=1.0, minvals=[-1.0, 1.2], maxvals=[1.0, 9.0]),
}


def call(m, case, dtype, seed):
    kwargs = {k: (np.asarray(v, dtype=dtype) if k != "shape" else v) for k, v in CASES[case].items()}
    for name, default in (("means", 0.0), ("stddevs", 1.0), ("minvals", -2.0), ("maxvals", 2.0)):
        kwargs.setdefault(name, np.asarray(default, dtype))
    shape = kwargs.pop("shape")
    return m.random.stateless_parameterized_truncated_normal(shape, seed, **kwargs)


@pytest.mark.parametrize("case, dtype", [(c, d) for c in CASES for d in ("float16", "float32", "float64")
                                          if (c, d) != ("split_over_threads", "float16")])
def test_matches_tf(tf_oracle, case, dtype):
    for seed in ([1, 2], [-7, 12345]):
        ours, theirs = call(ff, case, dtype, seed), call(tf_oracle, case, dtype, seed)
        assert ours.dtype.name == theirs.dtype.name and ours.shape == theirs.shape
        assert ours.numpy().tobytes() == theirs.numpy().tobytes(), (ours.numpy().ravel()[:6],
                                                                    theirs.numpy().ravel()[:6])


def test_samples_lie_in_the_bounds():
    out = ff.random.stateless_parameterized_truncated_normal([2000], [4, 4], 1.0, 2.0, -0.5, 1.5).numpy()
    assert out.min() >= -0.5 and out.max() <= 1.5
    assert abs(out.mean() - 0.5) < 0.05  # truncated symmetric about 0.5: the mean stays there


def raised(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the type and text are what is compared
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("kwargs", [
    dict(shape=[3], seed=[1, 2], stddevs=-1.0),
    dict(shape=[3], seed=[1, 2], minvals=2.0, maxvals=1.0),
    dict(shape=[3], seed=[1, 2, 3]),
    dict(shape=[3], seed=[1, 2], means=[0.0, 1.0]),
    dict(shape=[2, 3], seed=[1, 2], means=[0.0, 1.0], stddevs=[1.0, 2.0, 3.0]),
    dict(shape=[3], seed=[1, 2], means=np.float64(0.0)),
])
def test_errors_match_tf(tf_oracle, kwargs):
    def run(m):
        return m.random.stateless_parameterized_truncated_normal(**kwargs)

    ours, theirs = raised(lambda: run(ff)), raised(lambda: run(tf_oracle))
    assert theirs is not None
    assert ours == theirs


@pytest.mark.parametrize("case", ["standard", "randn", "uniform", "exponential", "rank2_params"])
def test_gradients_match_tf(tf_oracle, case):
    def grads(m):
        kwargs = {k: (m.constant(np.asarray(v, np.float64)) if k != "shape" else v) for k, v in CASES[case].items()}
        for name, default in (("means", 0.0), ("stddevs", 1.0), ("minvals", -2.0), ("maxvals", 2.0)):
            kwargs.setdefault(name, m.constant(np.float64(default)))
        shape = kwargs.pop("shape")
        params = [kwargs[n] for n in ("means", "stddevs", "minvals", "maxvals")]
        with m.GradientTape() as tape:
            tape.watch(params)
            out = m.random.stateless_parameterized_truncated_normal(shape, [3, 5], **kwargs)
            loss = m.reduce_sum(out * out)
        return [None if g is None else g.numpy() for g in tape.gradient(loss, params)]

    for ours, theirs in zip(grads(ff), grads(tf_oracle)):
        assert (ours is None) == (theirs is None)
        if ours is not None:
            np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-300)


def test_runs_on_the_host_from_a_device_scope(device):
    cpu = ff.random.stateless_parameterized_truncated_normal([4, 2], [5, 6], [0.0, 1.0], 1.0, -1.0, [1.0, 4.0])
    with ff.device(f"/{device}:0"):
        out = ff.random.stateless_parameterized_truncated_normal([4, 2], [5, 6], [0.0, 1.0], 1.0, -1.0, [1.0, 4.0])
    assert out.device.endswith("CPU:0")  # every input of TF's kernel is in host memory
    assert out.numpy().tobytes() == cpu.numpy().tobytes()
