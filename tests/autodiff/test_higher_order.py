"""Second derivatives of the smooth elementwise ops through nested tapes: against TensorFlow's, and against
central differences of the first derivative (float64)."""

from __future__ import annotations

import numpy as np
import pytest

# every test runs on the CPU and on a simulated GPU (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("device")

# (op in tf.math, points inside its domain)
_ANY = np.array([-1.3, -0.4, 0.2, 0.9, 1.7])
_POS = np.array([0.3, 0.8, 1.5, 2.5, 4.0])
_UNIT = np.array([-0.8, -0.3, 0.1, 0.5, 0.7])
SMOOTH = {
    "exp": _ANY, "expm1": _ANY, "log": _POS, "log1p": _POS - 0.2, "sin": _ANY, "cos": _ANY, "tan": _UNIT,
    "sinh": _ANY, "cosh": _ANY, "tanh": _ANY, "asin": _UNIT, "acos": _UNIT, "atan": _ANY, "asinh": _ANY,
    "acosh": _POS + 1.1, "atanh": _UNIT, "sigmoid": _ANY, "softplus": _ANY, "sqrt": _POS, "rsqrt": _POS,
    "reciprocal": _POS, "square": _ANY, "erf": _ANY, "erfc": _ANY, "lgamma": _POS,
}


def _derivatives(tf, name, points):
    fn = getattr(tf.math, name)
    x = tf.constant(points)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = fn(x)
        first = inner.gradient(y, x)
    second = outer.gradient(first, x)
    return first.numpy(), second.numpy()


@pytest.mark.parametrize("name", sorted(SMOOTH))
def test_second_derivative(name, tf_oracle):
    import featherflow as ff

    if not hasattr(ff.math, name):
        pytest.skip(f"tf.math.{name} is not in featherflow yet")
    points = SMOOTH[name]
    first, second = _derivatives(ff, name, points)
    tf_first, tf_second = _derivatives(tf_oracle, name, points)
    np.testing.assert_allclose(first, tf_first, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(second, tf_second, rtol=1e-9, atol=1e-12)
    h = 1e-5
    plus, _ = _derivatives(ff, name, points + h)
    minus, _ = _derivatives(ff, name, points - h)
    np.testing.assert_allclose(second, (plus - minus) / (2 * h), rtol=1e-5, atol=1e-6)


def test_third_derivative_of_a_composition(tf_oracle):
    def derivatives(tf):
        x = tf.constant(np.array([0.3, -0.7, 1.1]))
        w = tf.Variable(np.array([0.5, 2.0, -1.0]))
        with tf.GradientTape() as t3:
            t3.watch(x)
            with tf.GradientTape() as t2:
                t2.watch(x)
                with tf.GradientTape() as t1:
                    t1.watch(x)
                    y = tf.reduce_sum(tf.tanh(x * w) * tf.exp(x) + x * x * x / w)
                d1 = t1.gradient(y, x)
            d2 = t2.gradient(d1, x)
        d3 = t3.gradient(d2, [x, w])
        return [d1.numpy(), d2.numpy()] + [d.numpy() for d in d3]

    import featherflow as ff

    for ours, theirs in zip(derivatives(ff), derivatives(tf_oracle)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_mixed_partials_of_a_variable_and_an_input():
    import featherflow as tf

    x = tf.constant(np.array([0.4, 1.3]))
    w = tf.Variable(np.array([1.5, -0.5]))
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            y = tf.reduce_sum(tf.math.sin(x * w) * w)
        dw = inner.gradient(y, w)  # cos(xw) x w + sin(xw)
    dwdx = outer.jacobian(dw, x)
    xs, ws = x.numpy(), w.numpy()
    expected = np.diag(-np.sin(xs * ws) * ws * xs * ws + np.cos(xs * ws) * ws + np.cos(xs * ws) * ws)
    np.testing.assert_allclose(dwdx.numpy(), expected, rtol=1e-12)
