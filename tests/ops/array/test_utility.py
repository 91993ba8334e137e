"""tf.shape_n, unravel_index, guarantee_const, timestamp, saturate_cast, parallel_stack, get_current_name_scope
and grad_pass_through against TF."""

from __future__ import annotations

import time

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check


def _outcome(fn, mod):
    try:
        y = fn(mod)
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return type(e).__name__, str(e).split(" name:")[0]
    ys = y if isinstance(y, list) else [y]
    return [(np.asarray(t).tolist(), t.dtype.name) for t in ys]


CASES = [
    lambda m: m.shape_n([[1, 2], [[1]]]),
    lambda m: m.shape_n([np.zeros((2, 0, 3))], out_type=m.int64),
    lambda m: m.shape_n([[1]], out_type=m.float32),
    lambda m: m.unravel_index([1, 5, 4], [2, 3]),
    lambda m: m.unravel_index(4, [2, 3]),
    lambda m: m.unravel_index(m.constant([3, 0], m.int64), [2, 3]),
    lambda m: m.unravel_index([[3, 0]], [2, 3]),
    lambda m: m.unravel_index([1], [[2, 3]]),
    lambda m: m.unravel_index([7], [2, 3]),
    lambda m: m.unravel_index([1], [2, 0]),
    lambda m: m.unravel_index([1.0], [2, 3]),
    lambda m: m.guarantee_const([1.0, 2.0]),
    lambda m: m.saturate_cast([300.0, -5.0, 7.6], m.uint8),
    lambda m: m.dtypes.saturate_cast([70000, -70000], m.int16),
    lambda m: m.saturate_cast([1e10], m.int32),
    lambda m: m.parallel_stack([1, 2]),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_matches_tf(tf_oracle, case) -> None:
    assert _outcome(CASES[case], ff) == _outcome(CASES[case], tf_oracle)


def test_timestamp() -> None:
    before = time.time()
    t = ff.timestamp()
    assert t.dtype == ff.float64 and t.shape == () and before <= float(t) <= time.time()


def test_get_current_name_scope(tf_oracle) -> None:
    for mod in (tf_oracle, ff):
        assert mod.get_current_name_scope() == ""
        with mod.name_scope("outer"):
            with mod.name_scope("inner"):
                assert mod.get_current_name_scope() == "outer/inner"


def test_grad_pass_through(tf_oracle) -> None:
    results = []
    for mod in (tf_oracle, ff):
        x = mod.Variable([2.0, 3.0])
        with mod.GradientTape() as tape:
            y = mod.grad_pass_through(lambda v, m=mod: m.round(v * v))(x) * 3.0
        results.append((y.numpy().tolist(), tape.gradient(y, x).numpy().tolist()))
    assert results[0] == results[1]


@pytest.mark.usefixtures("device")
def test_unravel_index_on_the_device(device) -> None:
    inputs = lambda: {"i": ff.constant([1, 5, 4]), "d": ff.constant([2, 3])}  # noqa: E731
    # the wrapper reads indices and dims back for TF's checks; the kernel reads dims (host data in TF)
    check(device, inputs, lambda t: ff.unravel_index(t["i"], t["d"]), None, moved=(0, 3))
