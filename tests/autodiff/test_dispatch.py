"""The dispatcher (``Op.__call__``) and what it records: unrolled paths for one and two inputs, attrs, several
outputs; recording only on tapes that watch an input; rules told which inputs need no gradient."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as tf
from featherflow.ops.registry import Op

# every test runs on the CPU and on a simulated GPU (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("device")


def _op(name, forward, n_outputs=1, differentiable=True):
    return Op(name, forward, n_outputs, differentiable)  # not registered: private to these tests


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_arities_and_attrs(n, device):
    from featherflow.backends import simulated

    seen = []

    def forward(xp, *arrays, scale=1.0):
        seen.append((xp, len(arrays)))
        total = xp.zeros((2,), np.float32) if not arrays else sum(arrays)
        return (total * scale).astype(np.float32)

    op = _op(f"Sum{n}", forward)
    xs = [tf.constant([1.0, 2.0]) * float(i + 1) for i in range(n)]
    plain = op(*xs)
    scaled = op(*xs, scale=2.0)
    assert type(plain) is tf.Tensor and plain.dtype == tf.float32
    np.testing.assert_array_equal(scaled.numpy(), 2 * plain.numpy())
    np.testing.assert_array_equal(plain.numpy(), sum(x.numpy() for x in xs) if n else np.zeros(2))
    xp = np if device == "CPU" else simulated.xp  # the forward sees the arrays of the op's device
    assert seen == [(xp, n), (xp, n)]


def test_several_outputs_and_gradient():
    op = _op("SplitHalves", lambda xp, x: (x[:2], x[2:]), n_outputs=0)

    @op.gradient
    def _(gs, ans, x):
        return tf.concat(list(gs), 0)

    x = tf.constant([1.0, 2.0, 3.0, 4.0])
    with tf.GradientTape() as t:
        t.watch(x)
        a, b = op(x)
        y = tf.reduce_sum(b * b)  # a unused: its gradient reaches the rule as zeros
    assert isinstance(a, tf.Tensor) and a.shape == (2,)
    np.testing.assert_array_equal(t.gradient(y, x).numpy(), [0.0, 0.0, 6.0, 8.0])


def test_records_only_watched_and_differentiable():
    twice = _op("TwiceForTest", lambda xp, x: x * 2)
    twice.gradient(lambda g, ans, x: g * 2)
    frozen = _op("FrozenForTest", lambda xp, x: x * 2, differentiable=False)
    x, c = tf.constant(1.0), tf.constant(5.0)
    with tf.GradientTape() as outer:
        outer.watch(c)
        with tf.GradientTape() as inner:
            inner.watch(x)
            twice(x)
            twice(c)
            frozen(x)
    assert [r[0].name for r in inner._tape.records] == ["TwiceForTest"]
    assert [r[0].name for r in outer._tape.records] == ["TwiceForTest"]
    assert inner._tape.records[0][1][0] is x and outer._tape.records[0][1][0] is c


def test_rules_are_told_which_inputs_need_no_gradient():
    calls = []
    mul = _op("MulForTest", lambda xp, x, y: x * y)

    @mul.gradient
    def _(g, ans, x, y, skip=()):
        calls.append(skip)
        return (None if 0 in skip else g * y), (None if 1 in skip else g * x)

    x, c = tf.constant(3.0), tf.constant(4.0)
    v = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y1 = mul(x, c)
        y2 = mul(c, v.value())
        y3 = mul(x, x)
    assert mul.grad_skip
    assert [float(g) for g in t.gradient(y1, [x])] == [4.0] and calls[-1] == (1,)
    assert float(t.gradient(y2, v)) == 4.0 and calls[-1] == (0,)
    assert float(t.gradient(y3, x)) == 6.0 and calls[-1] == ()
    assert t.gradient(y1, c) is None


def test_no_tape_no_hooks():
    from featherflow import _tape_hooks

    assert not _tape_hooks.active
    with tf.GradientTape():
        assert _tape_hooks.active
        with tf.GradientTape() as inner:
            with inner.stop_recording():
                assert _tape_hooks.active  # the outer tape still records
    assert not _tape_hooks.active


def test_tapes_record_only_their_own_thread():
    import threading

    x = tf.constant(2.0)
    v = tf.Variable(3.0)
    done = threading.Event()
    started = threading.Event()

    def other():
        with tf.GradientTape() as t:  # a tape of its own, entered and left while the main tape records
            t.watch(x)
            started.set()
            y = x * v
        assert float(t.gradient(y, v)) == 2.0
        done.wait(5)

    with tf.GradientTape() as tape:
        tape.watch(x)
        worker = threading.Thread(target=other)
        worker.start()
        started.wait(5)
        z = x * x
        done.set()
        worker.join()
    assert tape.watched_variables() == ()  # v was read in the other thread only
    assert [r[0].name for r in tape._tape.records] == ["Mul"]
    assert float(tape.gradient(z, x)) == 4.0
