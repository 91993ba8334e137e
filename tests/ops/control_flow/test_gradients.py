"""Gradients through control flow: GradientTape through cond, case, switch_case, while_loop, map_fn,
vectorized_map, scan, foldl/foldr and TensorArray, against real TF (float64) and central differences;
``tf.stop_gradient`` inside each stops what it should."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

X = np.array([[0.5, -1.25, 2.0], [1.5, 0.75, -0.5]])


def _ta_program(tf, x):
    ta = tf.TensorArray(tf.float64, size=2, clear_after_read=False)
    ta = ta.unstack(x)
    ta2 = tf.TensorArray(tf.float64, size=0, dynamic_size=True)
    ta2 = ta2.write(0, ta.read(1) * ta.read(0)).write(1, tf.sin(ta.read(0)))
    ta2 = ta2.scatter([2, 3], x * 3.0)
    ta3 = tf.TensorArray(tf.float64, size=2).split(tf.reshape(x, [-1]), [2, 4])
    return (tf.reduce_sum(ta2.stack() ** 2) + tf.reduce_sum(ta2.gather([1, 3]) * 2.0)
            + tf.reduce_sum(ta2.concat()) + tf.reduce_sum(ta3.concat() ** 3) + tf.reduce_sum(ta3.read(1)))


PROGRAMS = {
    "cond true": lambda tf, x: tf.cond(tf.reduce_sum(x) > 0, lambda: tf.reduce_sum(x ** 2), lambda: tf.reduce_sum(x)),
    "cond false": lambda tf, x: tf.cond(tf.reduce_sum(x) < 0, lambda: tf.reduce_sum(x ** 2),
                                        lambda: tf.reduce_sum(tf.exp(x))),
    "cond stop_gradient": lambda tf, x: tf.cond(True, lambda: tf.reduce_sum(tf.stop_gradient(x) * x), lambda: 0.0),
    "case": lambda tf, x: tf.case([(x[0, 0] > 1, lambda: tf.reduce_sum(x)),
                                   (x[0, 1] < 0, lambda: tf.reduce_sum(x * x * x))], default=lambda: 0.0),
    "switch_case": lambda tf, x: tf.switch_case(tf.constant(1), [lambda: tf.reduce_sum(x),
                                                                  lambda: tf.reduce_prod(x)]),
    "while_loop": lambda tf, x: tf.reduce_sum(tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, tf.sin(y) * x),
                                                            [0, x])[1]),
    "while_loop maximum_iterations": lambda tf, x: tf.reduce_sum(tf.while_loop(
        lambda y: tf.reduce_sum(y) < 1e9, lambda y: [y * x + 1.0], [x], maximum_iterations=2)[0]),
    "while_loop stop_gradient": lambda tf, x: tf.reduce_sum(tf.while_loop(
        lambda i, y: i < 2, lambda i, y: (i + 1, tf.stop_gradient(y) * x), [0, x])[1]),
    "map_fn": lambda tf, x: tf.reduce_sum(tf.map_fn(lambda r: tf.reduce_sum(r * r) * r, x)),
    "map_fn nest": lambda tf, x: tf.reduce_sum(tf.map_fn(lambda p: (p[0] * p[1], p[1]), (x, tf.exp(x)))[0]),
    "map_fn signature": lambda tf, x: tf.reduce_sum(tf.map_fn(lambda r: tf.reduce_max(r), x,
                                                              fn_output_signature=tf.float64)),
    "map_fn stop_gradient": lambda tf, x: tf.reduce_sum(tf.map_fn(lambda r: tf.stop_gradient(r) * r, x)),
    "vectorized_map": lambda tf, x: tf.reduce_sum(tf.vectorized_map(lambda r: tf.tanh(r) * r[0], x)),
    "scan": lambda tf, x: tf.reduce_sum(tf.scan(lambda a, r: a * r + 1.0, x)),
    "scan reverse initializer": lambda tf, x: tf.reduce_sum(tf.scan(lambda a, r: a * tf.cos(r), x,
                                                                    initializer=tf.ones([3], tf.float64),
                                                                    reverse=True)),
    "foldl": lambda tf, x: tf.reduce_sum(tf.foldl(lambda a, r: a * r - r, x)),
    "foldr initializer": lambda tf, x: tf.reduce_sum(tf.foldr(lambda a, r: a + r * r, x,
                                                              initializer=tf.zeros([3], tf.float64))),
    "foldl stop_gradient": lambda tf, x: tf.reduce_sum(tf.foldl(lambda a, r: tf.stop_gradient(a) * r, x)),
    "TensorArray": _ta_program,
    "TensorArray stop_gradient": lambda tf, x: tf.reduce_sum(
        tf.TensorArray(tf.float64, size=2).unstack(tf.stop_gradient(x) * x).stack() * x),
    "scan stop_gradient": lambda tf, x: tf.reduce_sum(tf.scan(lambda a, r: tf.stop_gradient(a) * r + a, x)),
    "map_fn back_prop=False": lambda tf, x: tf.reduce_sum(tf.map_fn(lambda r: r * r, x, back_prop=False)),
    "while_loop back_prop=False": lambda tf, x: tf.reduce_sum(tf.while_loop(
        lambda i, y: i < 2, lambda i, y: (i + 1, y * x), [0, x], back_prop=False)[1]),
}


def _grad(tf, program, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = program(tf, x)
    return y, tape.gradient(y, x)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_gradient_matches_tf(name, tf_oracle):
    y, g = _grad(ff, PROGRAMS[name], X)
    ty, tg = _grad(tf_oracle, PROGRAMS[name], X)
    np.testing.assert_allclose(y.numpy(), ty.numpy(), rtol=1e-12)
    assert g.dtype == ff.float64
    np.testing.assert_allclose(g.numpy(), tg.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(n for n in PROGRAMS if "stop_gradient" not in n and "back_prop" not in n))
def test_gradient_numerically(name):
    _, g = _grad(ff, PROGRAMS[name], X)
    eps = 1e-6
    numeric = np.zeros_like(X)
    for idx in np.ndindex(*X.shape):
        up, down = X.copy(), X.copy()
        up[idx] += eps
        down[idx] -= eps
        numeric[idx] = (float(PROGRAMS[name](ff, ff.constant(up))) - float(PROGRAMS[name](ff, ff.constant(down)))) / (
            2 * eps)
    np.testing.assert_allclose(g.numpy(), numeric, rtol=1e-5, atol=1e-6)


def test_variable_gradient_through_while_loop(tf_oracle):
    def program(tf):
        v = tf.Variable([1.0, 2.0], dtype=tf.float64)
        with tf.GradientTape() as tape:
            out = tf.while_loop(lambda i, acc: i < 3, lambda i, acc: (i + 1, acc * v), [0, tf.ones([2], tf.float64)])
            loss = tf.reduce_sum(out[1])
        return tape.gradient(loss, v)

    np.testing.assert_allclose(program(ff).numpy(), program(tf_oracle).numpy())
