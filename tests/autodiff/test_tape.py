"""GradientTape semantics, each program run under featherflow and real TensorFlow: values, None-ness,
errors and the warnings logged must agree."""

from __future__ import annotations

import numpy as np
import pytest

from .diff import attempt, check

# every test runs on the CPU and on a simulated GPU (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("device")


def p_basic_watch(tf):
    x = tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    return g.gradient(y, x)


def p_second_call_nonpersistent(tf):
    x = tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    first = g.gradient(y, x)
    return first, attempt(lambda: g.gradient(y, x)), attempt(lambda: g.jacobian(y, x))


def p_gradient_before_enter(tf):
    x = tf.constant(3.0)
    g = tf.GradientTape()
    return attempt(lambda: g.gradient(x, x)), attempt(lambda: g.watch(x)), g.watched_variables()


def p_variables_watched(tf):
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b", trainable=False)
    c = tf.Variable(3.0, name="c")
    with tf.GradientTape() as g:
        y = c * a + b  # c is read before a: watched_variables() is in creation order anyway
    names = [v.name for v in g.watched_variables()]
    return names, g.gradient(y, [a, b, c]), [v.name for v in g.watched_variables()]


def p_watch_non_trainable(tf):
    b = tf.Variable(2.0, trainable=False)
    with tf.GradientTape() as g:
        g.watch(b)
        y = b * b
    return g.gradient(y, b), len(g.watched_variables())


def p_watch_accessed_false(tf):
    x = tf.Variable(2.0)
    w = tf.Variable(5.0)
    with tf.GradientTape(watch_accessed_variables=False, persistent=True) as tape:
        tape.watch(x)
        y = x ** 2
        z = w ** 3
    return tape.gradient(y, x), tape.gradient(z, w), [v.numpy() for v in tape.watched_variables()]


def p_int_variable_read(tf):
    vi = tf.Variable(3)
    vf = tf.Variable(1.0)
    x = tf.constant(2.0)
    with tf.GradientTape() as g:
        vi * 2
        z = vf * 2
        g.watch(x)
    return [v.dtype.name for v in g.watched_variables()], g.gradient(z, [vi, vf, x])


def p_watch_int_and_string(tf):
    xi = tf.constant([1, 2])
    s = tf.constant("a")
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as g:
        g.watch(xi)
        g.watch([s, x])
        yi = xi * 2
        y = tf.cast(tf.cast(x, tf.int32), tf.float32)
        z = tf.cast(x, tf.float64) * 2
    return (g.gradient(yi, xi), g.gradient(xi, xi), g.gradient(y, x), g.gradient(z, x), g.gradient(x, xi),
            g.gradient(z, [s, x]), g.gradient(x, xi, unconnected_gradients="zero"))


def p_watch_errors(tf):
    x = tf.constant(1.0)
    with tf.GradientTape() as g:
        return attempt(lambda: g.watch(1.0)), attempt(lambda: g.watch([x, "a"])), attempt(lambda: g.__enter__())


def p_persistent(tf):
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x
        z = y * y
    return g.gradient(z, x), g.gradient(y, x), g.gradient(z, y)


def p_persistent_inside_context(tf):
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x ** 3
        dy = t.gradient(y, x)  # recorded on t itself: differentiable again
        dy_again = t.gradient(y, x)
    return dy, dy_again, t.gradient(dy, x)


def p_nonpersistent_inside_context(tf):
    x = tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
        first = t.gradient(y, x)  # stops the tape: z is not recorded
        z = y * y
    return first, attempt(lambda: t.gradient(z, x))


def p_reenter_used_tape(tf):
    x = tf.constant(3.0)
    t = tf.GradientTape()
    with t:
        t.watch(x)
        y = x * x
    first = t.gradient(y, x)
    with t:  # a fresh recording
        t.watch(x)
        z = x * x * x
    return first, t.gradient(z, x)


def p_reset(tf):
    x = tf.constant(2.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
        t.reset()
        z = x * 3
    a = t.gradient(y, x)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
        t.reset()
        t.watch(x)
        z = x * 3
    b = t.gradient(z, x)
    fresh = tf.GradientTape()
    return a, b, attempt(t.reset), attempt(fresh.reset)


def p_stop_recording(tf):
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * x
        with t.stop_recording():
            z = y * 3
        w = y * 5
    fresh = tf.GradientTape()

    def stop(tape):
        with tape.stop_recording():
            pass

    return t.gradient(z, x), t.gradient(w, x), attempt(lambda: stop(fresh)), attempt(lambda: stop(t))


def p_watch_after_use(tf):
    x = tf.constant(2.0)
    with tf.GradientTape() as t:
        y = x * x
        t.watch(x)
    return t.gradient(y, x)


def p_targets_and_sources(tf):
    v = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as t:
        y = v * v
    return (t.gradient([y, y], v), t.gradient({"a": y, "b": [y * 2]}, {"k": v, "j": (v,), "l": [v, v]}),
            t.gradient(v, v), t.gradient(y, (v,)), t.gradient(y, [[v]]))


def p_bad_targets_and_sources(tf):
    v = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as t:
        y = v * v
    return (attempt(lambda: t.gradient(None, v)), attempt(lambda: t.gradient(y, None)),
            attempt(lambda: t.gradient(y, [v, None])), attempt(lambda: t.gradient(y, 1.0)),
            attempt(lambda: t.gradient(2.0, v)), attempt(lambda: t.gradient(y, v, unconnected_gradients="bad")))


def p_unconnected(tf):
    x = tf.constant(2.0)
    u = tf.constant([1.0, 2.0])
    k = tf.constant([1, 2])
    v = tf.Variable([[1.0], [2.0]])
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * x
    return (t.gradient(y, [x, u, v]), t.gradient(y, [x, u, v, k], unconnected_gradients="zero"),
            t.gradient(y, u, unconnected_gradients=tf.UnconnectedGradients.ZERO),
            t.gradient(x * 0, x, unconnected_gradients=tf.UnconnectedGradients.ZERO))


def p_unwatched_sources(tf):
    x = tf.constant(2.0)
    u = tf.constant([1.0, 3.0])
    w = tf.Variable(2.0, trainable=False)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * u * w
    return t.gradient(y, [x, u, w]), t.gradient(y, u, unconnected_gradients="zero"), t.gradient(u, u)


def p_output_gradients(tf):
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as t:
        y = v * v
        s = tf.reduce_sum(v)
    return (t.gradient(y, v, output_gradients=tf.constant([1.0, 10.0])), t.gradient(y, v, output_gradients=[[1.0, 10.0]]),
            t.gradient(s, v, output_gradients=tf.constant(2.0)), t.gradient([y, s], v, output_gradients=[[3.0, 1.0], 5.0]))


def p_non_scalar_target(tf):
    x = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    b = tf.Variable([0.5, -1.0])
    with tf.GradientTape() as t:
        y = tf.tanh(x * b + 1.0)
    return t.gradient(y, [x, b])


def p_broadcasting(tf):
    a = tf.Variable(np.arange(6.0, dtype=np.float32).reshape(2, 3))
    r = tf.Variable([[2.0, 3.0, 4.0]])
    c = tf.Variable([[1.0], [5.0]])
    s = tf.Variable(2.0)
    with tf.GradientTape() as t:
        y = tf.reduce_sum((a * r - c) * s + a / r)
    return t.gradient(y, [a, r, c, s])


def p_intermediate(tf):
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * x
        z = y * y + x
    return t.gradient(z, [x, y]), t.gradient(z, y), t.gradient(y, z)


def p_stop_gradient(tf):
    x = tf.constant([1.0, 2.0])
    v = tf.Variable(2.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.reduce_sum(tf.stop_gradient(x) * x) + tf.stop_gradient(v) * v
    return t.gradient(y, [x, v]), tf.stop_gradient(v), tf.stop_gradient([1, 2])


def p_assign_cuts(tf):
    v = tf.Variable(2.0)
    w = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as t:
        v2 = v.assign(v * 3)
        y = v2 * v
        z = v.assign_add(1.0)
        w.assign(w * w)
        q = w * 2
    return t.gradient(y, v), t.gradient(z, v), t.gradient(q, w), float(v.numpy()), float(w.numpy())


def p_complex(tf):
    c = tf.Variable([1 + 2j, -0.5 + 1j], dtype=tf.complex64)
    with tf.GradientTape() as t:
        y = c * c * tf.constant(2 - 1j, tf.complex64)
    return t.gradient(y, c)


def p_getitem_reshape_matmul(tf):
    v = tf.Variable(np.arange(12.0, dtype=np.float32).reshape(3, 4) / 10)
    w = tf.Variable(np.ones((4, 2), np.float32))
    with tf.GradientTape() as t:
        h = tf.matmul(v, w)
        y = tf.reduce_sum(tf.reshape(h, [-1])[1:4] * tf.exp(v[0, :2]))
    return t.gradient(y, [v, w])


def p_nested_tapes(tf):
    x = tf.constant(5.0)
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(x)
        with tf.GradientTape() as gg:
            gg.watch(x)
            y = x * x
        dy_dx = gg.gradient(y, x)
    d2 = g.gradient(dy_dx, x)
    with tf.GradientTape() as t1:
        with tf.GradientTape() as t2:
            y = v * v * v
        g2 = t2.gradient(y, v)
    return dy_dx, d2, g2, t1.gradient(g2, v)


def p_control_flow(tf):
    x = tf.constant(1.0)
    v0 = tf.Variable(2.0)
    v1 = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        if x > 0.0:
            result = v0
        else:
            result = v1 ** 2
        acc = tf.constant(1.0)
        for i in range(3):
            acc = acc * x + float(i)
    dv0, dv1 = tape.gradient(result, [v0, v1])
    return dv0, dv1, tape.gradient(acc, x), tape.gradient(x, x)


def p_integer_and_string_sources(tf):
    x = tf.constant(10)
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    return g.gradient(y, x)


PROGRAMS = [v for k, v in sorted(globals().items()) if k.startswith("p_")]


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.__name__[2:] for p in PROGRAMS])
def test_same_as_tensorflow(program, tf_oracle):
    check(program, tf_oracle)


def test_gradient_inside_persistent_context_warns_once_per_line(tf_oracle):
    def program(tf):
        x = tf.constant(2.0)
        out = []
        with tf.GradientTape(persistent=True) as t:
            t.watch(x)
            y = x * x
            for _ in range(3):
                out.append(t.gradient(y, x))  # one line: warned once
            out.append(t.gradient(y, x))  # another line: warned again
        return out

    check(program, tf_oracle)


def test_watch_int_warns_five_times_per_line(tf_oracle):
    def program(tf):
        xi = tf.constant(1)
        with tf.GradientTape() as t:
            for _ in range(7):
                t.watch(xi)
        return t.watched_variables()

    check(program, tf_oracle)


_SCRIPT = """
import sys
tf = __import__(sys.argv[1])
x = tf.constant(1)
y = tf.constant(2.0)
with tf.GradientTape(persistent=True) as t:
    t.watch([x, y])
    z = y * y
    print(float(t.gradient(z, y)))
"""


def test_warnings_printed_like_tensorflow(tf_oracle, device):
    """TF prints its warnings on stderr as ``WARNING:tensorflow:<message>`` (an unconfigured logging setup)."""
    import os
    import subprocess
    import sys

    if device == "GPU":
        pytest.skip("the programs run in fresh processes, which see no simulated GPU")

    outputs = []
    for lib in ("featherflow", "tensorflow"):
        done = subprocess.run([sys.executable, "-c", _SCRIPT, lib], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
        assert done.returncode == 0, done.stderr
        outputs.append((done.stdout, [line for line in done.stderr.splitlines() if ":tensorflow:" in line]))
    assert outputs[0] == outputs[1]
    assert len(outputs[0][1]) == 2


def _tape_program(tf, where):
    """The tape's own work: seeds, sums of a value's gradients, unbroadcasting, zeros for an unconnected source,
    output gradients, jacobian rows and batch jacobian columns."""
    from ..conftest import assert_no_transfers

    with tf.device(where):
        v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
        x = tf.constant([0.5, -1.0])
        w = tf.constant([[2.0], [1.0]])
        unused = tf.constant(3.0)
        ones = tf.constant([[1.0], [1.0]])
        with assert_no_transfers():
            with tf.GradientTape(persistent=True) as tape:
                tape.watch([x, unused])
                y = v * x  # x is broadcast: its gradient is summed back
                z = tf.matmul(y, w) + tf.matmul(v, w)  # v used twice: its gradients are added
                total = tf.reduce_sum(z * z)
            out = tape.gradient(total, [v, x, unused], unconnected_gradients=tf.UnconnectedGradients.ZERO)
            out.append(tape.gradient(z, x, output_gradients=ones))
            out.append(tape.jacobian(z, x))
            out.append(tape.jacobian(z, v, experimental_use_pfor=False))
            out.append(tape.batch_jacobian(z, v))
    return out


def test_gradients_and_jacobians_stay_on_the_device(device):
    """On a simulated GPU (card 1 too) the tape makes no host copy, and every gradient is on the sources' device."""
    import featherflow as ff

    from .._gpu_mode import cards

    want = [t.numpy() for t in _tape_program(ff, "CPU:0")]
    for where in (["CPU:0"] if device == "CPU" else [f"GPU:{i}" for i in range(min(cards(), 2))]):
        got = _tape_program(ff, where)
        for ours, theirs in zip(got, want):
            assert ours.device.endswith(where)
            np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-6)
