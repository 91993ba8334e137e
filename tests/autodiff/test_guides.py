"""The examples of TensorFlow's guides "Introduction to gradients and automatic differentiation" and
"Advanced automatic differentiation", run under featherflow and TensorFlow (Keras layers written out as
matmuls; random inputs replaced by fixed NumPy ones)."""

from __future__ import annotations

import numpy as np
import pytest

from .diff import check

# every test runs on the CPU and on a simulated GPU (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("device")

RNG = np.random.default_rng(7)
W32 = RNG.standard_normal((3, 2)).astype(np.float32)
X75 = RNG.standard_normal((7, 5)).astype(np.float32)
K510 = (RNG.standard_normal((5, 10)) / 3).astype(np.float32)
K58 = (RNG.standard_normal((5, 8)) / 3).astype(np.float32)
K86 = (RNG.standard_normal((8, 6)) / 3).astype(np.float32)


def p_gradient_tapes(tf):
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x ** 2
    return tape.gradient(y, x)


def p_gradients_of_variables(tf):
    w = tf.Variable(W32, name="w")
    b = tf.Variable(tf.zeros(2, dtype=tf.float32), name="b")
    x = [[1.0, 2.0, 3.0]]
    with tf.GradientTape(persistent=True) as tape:
        y = x @ w + b
        loss = tf.reduce_mean(y ** 2)
    return tape.gradient(loss, [w, b]), tape.gradient(loss, {"w": w, "b": b})


def p_controlling_what_is_watched(tf):
    x0 = tf.Variable(3.0, name="x0")
    x1 = tf.Variable(3.0, name="x1", trainable=False)
    x2 = tf.Variable(2.0, name="x2") + 1.0  # a Tensor, not a Variable
    x3 = tf.constant(3.0, name="x3")
    with tf.GradientTape() as tape:
        y = (x0 ** 2) + (x1 ** 2) + (x2 ** 2)
    grad = tape.gradient(y, [x0, x1, x2, x3])
    return grad, [var.name for var in tape.watched_variables()]


def p_watch_a_constant(tf):
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x ** 2
    return tape.gradient(y, x)


def p_watch_accessed_variables_false(tf):
    x0 = tf.Variable(0.0)
    x1 = tf.Variable(10.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(x1)
        y0 = tf.math.sin(x0)
        y1 = tf.math.softplus(x1)
        y = y0 + y1
        ys = tf.reduce_sum(y)
    grad = tape.gradient(ys, {"x0": x0, "x1": x1})
    return grad


def p_intermediate_results(tf):
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    return tape.gradient(z, y)


def p_persistent_tape(tf):
    x = tf.constant([1, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    out = tape.gradient(z, x), tape.gradient(y, x)
    del tape
    return out


def p_non_scalar_targets(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y0 = x ** 2
        y1 = 1 / x
    a = tape.gradient({"y0": y0, "y1": y1}, x)
    with tf.GradientTape() as tape:
        y = x * [3.0, 4.0]
    b = tape.gradient(y, x)
    xs = tf.constant(np.linspace(-10.0, 10.0, 201).astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = tf.sigmoid(xs)
    return a, b, tape.gradient(y, xs)


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
    dv0, dv1 = tape.gradient(result, [v0, v1])
    return dv0, dv1, tape.gradient(result, x)


def p_none_cases(tf):
    out = []
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        z = y * y
    out.append(tape.gradient(z, x))
    x = tf.Variable(2.0)  # replaced a variable with a tensor
    for _ in range(2):
        with tf.GradientTape() as tape:
            y = x + 1
        out.append(tape.gradient(y, x))
        x = x + 1
    x = tf.Variable([[1.0, 2.0], [3.0, 4.0]], dtype=tf.float32)  # calculations outside TensorFlow
    with tf.GradientTape() as tape:
        x2 = x ** 2
        y = np.mean(x2, axis=0)
        y = tf.reduce_mean(y, axis=0)
    out.append(tape.gradient(y, x))
    x = tf.constant(10)  # through an integer
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    out.append(g.gradient(y, x))
    x0 = tf.Variable(3.0)  # through a stateful object
    x1 = tf.Variable(0.0)
    with tf.GradientTape() as tape:
        x1.assign_add(x0)
        y = x1 ** 2
    out.append(tape.gradient(y, x0))
    x = tf.Variable([2.0, 2.0])  # zeros instead of None
    y = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        z = y ** 2
    out.append(tape.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO))
    return out


def p_stop_recording_reset_stop_gradient(tf):
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    with tf.GradientTape() as t:
        x_sq = x * x
        with t.stop_recording():
            y_sq = y * y
        z = x_sq + y_sq
    a = t.gradient(z, {"x": x, "y": y})
    with tf.GradientTape() as t:
        y_sq = y * y
        z = x * x
        t.reset()
        z += y_sq
    b = t.gradient(z, {"x": x, "y": y})
    with tf.GradientTape() as t:
        y_sq = y ** 2
        z = x ** 2 + tf.stop_gradient(y_sq)
    return a, b, t.gradient(z, {"x": x, "y": y})


def p_custom_gradient_clip(tf):
    @tf.custom_gradient
    def clip_gradients(y):
        def backward(dy):
            return tf.clip_by_norm(dy, 0.5)

        return y, backward

    v = tf.Variable(2.0)
    with tf.GradientTape() as t:
        output = clip_gradients(v * v)
    return t.gradient(output, v)


def p_multiple_tapes(tf):
    x0 = tf.constant(0.0)
    x1 = tf.constant(0.0)
    with tf.GradientTape() as tape0, tf.GradientTape() as tape1:
        tape0.watch(x0)
        tape1.watch(x1)
        y0 = tf.math.sin(x0)
        y1 = tf.sigmoid(x1)
        y = y0 + y1
        ys = tf.reduce_sum(y)
    return tape0.gradient(ys, x0), tape1.gradient(ys, x1)


def p_higher_order(tf):
    x = tf.Variable(1.0)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            y = x * x * x
        dy_dx = t1.gradient(y, x)
    return dy_dx, t2.gradient(dy_dx, x)


def p_input_gradient_regularization(tf):
    x = tf.constant(X75)
    kernel = tf.Variable(K510)
    bias = tf.Variable(np.full(10, 0.1, np.float32))

    def layer(v):
        return tf.maximum(tf.matmul(v, kernel) + bias, 0.0)

    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            t1.watch(x)
            out = tf.reduce_sum(layer(x) ** 2)
        g1 = t1.gradient(out, x)
        g1_mag = tf.sqrt(tf.reduce_sum(g1 * g1))
    return g1_mag, t2.gradient(g1_mag, [kernel, bias])


def p_jacobian_scalar_source(tf):
    x = tf.constant(np.linspace(-10.0, 10.0, 201).astype(np.float32))
    delta = tf.Variable(0.0)
    with tf.GradientTape() as tape:
        y = tf.sigmoid(x + delta)
    return tape.jacobian(y, delta)


def p_jacobian_tensor_source(tf):
    x = tf.constant(X75)
    kernel = tf.Variable(K510)
    with tf.GradientTape(persistent=True) as tape:
        y = tf.maximum(tf.matmul(x, kernel), 0.0)
    j = tape.jacobian(y, kernel)
    g = tape.gradient(y, kernel)
    return j, tf.reduce_max(tf.abs(g - tf.reduce_sum(j, axis=[0, 1]))) < 1e-5


def p_batch_jacobian(tf):
    x = tf.constant(X75)
    k1 = tf.Variable(K58)
    k2 = tf.Variable(K86)
    with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
        tape.watch(x)
        y = tf.tanh(tf.matmul(x, k1))
        y = tf.tanh(tf.matmul(y, k2))
    j = tape.jacobian(y, x)
    jb = tape.batch_jacobian(y, x)
    j_sum = tf.reduce_sum(j, axis=2)
    return j.shape, jb, tf.reduce_max(tf.abs(j_sum - jb)) < 1e-6


PROGRAMS = [v for k, v in sorted(globals().items()) if k.startswith("p_")]


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.__name__[2:] for p in PROGRAMS])
def test_guide_example(program, tf_oracle):
    check(program, tf_oracle, rtol=1e-5, atol=1e-6, logs=False)


def test_guide_warnings(tf_oracle):
    """The only warning in the guides' examples: watching an integer tensor."""

    def program(tf):
        x = tf.constant(10)
        with tf.GradientTape() as g:
            g.watch(x)
            y = x * x
        return g.gradient(y, x)

    check(program, tf_oracle)
