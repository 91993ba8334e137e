"""tf.dynamic_partition, tf.dynamic_stitch and parallel_dynamic_stitch against TF: values, errors, gradients
(TF's data_flow_grad rules), and the simulated GPU."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff
from featherflow.ops.array.partition import parallel_dynamic_stitch

from .._device_support import check


def _both(tf, fn):
    """fn(module) under TF and featherflow: the values, or the error type and message."""
    out = []
    for mod in (tf, ff):
        try:
            y = fn(mod)
            out.append([np.asarray(t) for t in y] if isinstance(y, list) else np.asarray(y))
        except Exception as e:  # noqa: BLE001 - the error is what is compared
            out.append((type(e).__name__, str(e).split(" name:")[0]))
    return out


PARTITION_CASES = [
    ([1.0, 2.0, 3.0, 4.0], [0, 1, 0, 1], 2),
    ([[1, 2], [3, 4], [5, 6]], [2, 2, 0], 3),
    (np.arange(12.0).reshape(2, 3, 2), [[0, 1, 0], [1, 1, 0]], 2),
    ([1.0, 2.0], [0, 0], 3),  # empty partitions
    ([True, False], [1, 0], 2),
    ([1.0, 2.0, 3.0, 4.0], [0, 5, 0, 1], 2),  # out of range
    ([1.0, 2.0, 3.0, 4.0], [0, 1, 0], 2),  # shape mismatch
]


@pytest.mark.parametrize("data, parts, n", PARTITION_CASES)
def test_dynamic_partition_matches_tf(tf_oracle, data, parts, n) -> None:
    ours_tf, ours = _both(tf_oracle, lambda m: m.dynamic_partition(data, parts, n))
    if isinstance(ours_tf, tuple):
        assert ours == ours_tf
    else:
        assert len(ours) == len(ours_tf)
        for a, b in zip(ours, ours_tf):
            assert a.dtype == b.dtype and a.shape == b.shape
            np.testing.assert_array_equal(a, b)


STITCH_CASES = [
    ([[0, 2], [1, 2]], [[1.0, 2.0], [3.0, 4.0]]),  # a later list overwrites
    ([[0, 4]], [[1.0, 2.0]]),  # unfilled rows are zeros
    ([[[0], [3]], [1, 2]], [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]),
    ([[0, -1]], [[1.0, 2.0]]),  # negative index
    ([[0, 1]], [[1.0, 2.0, 3.0]]),  # data shape mismatch
    ([6, [4, 1]], [[61.0, 62.0], [[41.0, 42.0], [11.0, 12.0]]]),
]


@pytest.mark.parametrize("indices, data", STITCH_CASES)
@pytest.mark.parametrize("api", ["dynamic_stitch", "parallel_dynamic_stitch"])
def test_dynamic_stitch_matches_tf(tf_oracle, indices, data, api) -> None:
    def run(m):
        if api == "dynamic_stitch":
            return m.dynamic_stitch(indices, data)
        if m is tf_oracle:  # (TF 2 exports the op only as tf.raw_ops.ParallelDynamicStitch)
            return m.raw_ops.ParallelDynamicStitch(indices=[m.constant(i) for i in indices],
                                                   data=[m.constant(d) for d in data])
        return parallel_dynamic_stitch(indices, data)

    ours_tf, ours = _both(tf_oracle, run)
    if isinstance(ours_tf, tuple):
        assert ours == ours_tf
    else:
        assert ours.dtype == ours_tf.dtype
        np.testing.assert_array_equal(ours, ours_tf)


def _grad(mod, fn, x):
    v = mod.Variable(x)
    with mod.GradientTape() as tape:
        y = fn(mod, v)
        parts = y if isinstance(y, list) else [y]
        total = mod.add_n([mod.reduce_sum(t * t * (i + 1.0)) for i, t in enumerate(parts)])
    return np.asarray(tape.gradient(total, v))


@pytest.mark.parametrize("fn", [
    lambda m, v: m.dynamic_partition(v * 1.0, [[0, 2], [1, 0]], 3),
    lambda m, v: m.dynamic_partition(v * 1.0, [1, 1], 2),
    lambda m, v: m.dynamic_stitch([[0, 2], [1, 2]], [v[0] * 3.0, v[1]]),
    lambda m, v: m.dynamic_stitch([[3], [0]], [v[0][:1], v[1][1:]]),
])
def test_gradients_match_tf(tf_oracle, fn) -> None:
    x = np.array([[1.5, -2.0], [0.5, 3.0]])
    np.testing.assert_allclose(_grad(ff, fn, x), _grad(tf_oracle, fn, x), rtol=1e-12)


@pytest.mark.usefixtures("device")
@pytest.mark.parametrize("name", ["partition", "stitch"])
def test_on_the_device(device, name) -> None:
    inputs = lambda: {"x": ff.constant(np.arange(6.0).reshape(3, 2)), "p": ff.constant([1, 0, 1]),  # noqa: E731
                      "i": ff.constant([2, 0, 1])}
    cases = {"partition": lambda t: ff.dynamic_partition(t["x"], t["p"], 2),
             "stitch": lambda t: ff.dynamic_stitch([t["i"], [3]], [t["x"], [[7.0, 8.0]]])}
    # (uploads, reads): the output shapes are data, so the wrapper's index check and each stitch kernel read
    # the indices back; the partition gradient uploads its row positions; the stitch case uploads [3], [[7, 8]]
    moved = {"partition": (1, 3), "stitch": (2, 4)}[name]
    check(device, inputs, cases[name], "x", moved=moved)
