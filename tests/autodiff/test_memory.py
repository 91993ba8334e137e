"""What a tape holds is freed when TF frees it: after ``gradient`` for a non-persistent tape, when the tape is
deleted for a persistent one. Proven with weak references while the cyclic garbage collector is off (so
reference counting alone must free them: no cycles), and with a 10,000-step training loop whose memory
(Python objects, resident set) does not grow."""

from __future__ import annotations

import gc
import os
import weakref

import numpy as np
import pytest

import featherflow as tf

# every test runs on the CPU and on a simulated GPU (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("device")


@pytest.fixture
def no_gc():
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def _record(tape_kwargs):
    """A tape over a small computation, with weak references to everything it recorded."""
    w = tf.Variable(np.ones((4, 3), np.float32))
    x = tf.constant(np.arange(8.0, dtype=np.float32).reshape(2, 4))
    with tf.GradientTape(**tape_kwargs) as tape:
        h = tf.tanh(tf.matmul(x, w))
        loss = tf.reduce_sum(h * h)
    refs = [weakref.ref(t) for t in (h, loss)]
    record_ref = weakref.ref(tape._tape)
    return tape, w, loss, refs, record_ref


def test_non_persistent_tape_frees_after_gradient(no_gc):
    tape, w, loss, refs, record_ref = _record({})
    assert all(r() is not None for r in refs[:1])  # h: only the tape holds it
    grad = tape.gradient(loss, w)
    del loss
    assert record_ref() is None
    assert all(r() is None for r in refs), "the tape still holds its intermediates after gradient()"
    assert tape.watched_variables() == (w,)  # what TF keeps: the watched variables
    assert grad.shape == (4, 3)


def test_persistent_tape_frees_when_deleted(no_gc):
    tape, w, loss, refs, record_ref = _record({"persistent": True})
    tape.gradient(loss, w)
    tape.gradient(loss, w)
    del loss
    assert refs[0]() is not None and record_ref() is not None  # kept for further gradients
    tape_ref = weakref.ref(tape)
    del tape
    assert tape_ref() is None and record_ref() is None
    assert all(r() is None for r in refs)


def test_unused_tape_frees_when_deleted(no_gc):
    tape, w, loss, refs, record_ref = _record({})
    del tape, loss
    assert record_ref() is None and all(r() is None for r in refs)


def test_custom_gradient_and_nested_tapes_leave_no_cycles(no_gc):
    @tf.custom_gradient
    def scaled(x):
        def grad(dy):
            return dy * 3.0

        return x * 3.0, grad

    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(scaled(x) ** 2)
        g = inner.gradient(y, x)
    h = outer.gradient(g, x)
    refs = [weakref.ref(o) for o in (y, g, outer, inner)]
    del y, g, outer, inner
    assert all(r() is None for r in refs)
    np.testing.assert_allclose(h.numpy(), [18.0, 18.0])


def test_training_loop_does_not_grow():
    rng = np.random.default_rng(0)
    x = tf.constant(rng.standard_normal((16, 8)).astype(np.float32))
    y = tf.constant(rng.standard_normal((16, 1)).astype(np.float32))
    w1 = tf.Variable(rng.standard_normal((8, 16)).astype(np.float32) * 0.1)
    b1 = tf.Variable(np.zeros(16, np.float32))
    w2 = tf.Variable(rng.standard_normal((16, 1)).astype(np.float32) * 0.1)
    params = [w1, b1, w2]

    def step():
        with tf.GradientTape() as tape:
            h = tf.tanh(tf.matmul(x, w1) + b1)
            d = tf.matmul(h, w2) - y
            loss = tf.reduce_mean(d * d)
        for p, g in zip(params, tape.gradient(loss, params)):
            p.assign_sub(0.01 * g)
        return loss

    first = float(step())
    for _ in range(500):  # warm caches (op tables, dtype lookups, the allocator) before measuring
        step()
    gc.collect()
    objects, rss = len(gc.get_objects()), _rss()
    for _ in range(10_000):
        step()
    gc.collect()
    # a leak of one small object per step would show as 10,000 objects, of one tape record per step as
    # several megabytes
    assert len(gc.get_objects()) - objects < 200
    assert _rss() - rss < 4 * 2**20, f"resident memory grew by {(_rss() - rss) / 2**20:.1f} MiB in 10,000 steps"
    assert float(step()) < first  # and it trained


def _rss() -> int:
    """Resident set size in bytes (Linux), else the peak (ru_maxrss) as a bound."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
