"""tf.custom_gradient and tf.recompute_grad against TensorFlow."""

from __future__ import annotations

import numpy as np
import pytest

from .diff import attempt, check

# every test runs on the CPU and on a simulated GPU (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("device")


def p_log1pexp(tf):
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(upstream):
            return upstream * (1 - 1 / (1 + e))

        return tf.math.log(1 + e), grad

    x = tf.constant([100.0, 0.5, -3.0])
    with tf.GradientTape() as t:
        t.watch(x)
        y = log1pexp(x)
    return y, t.gradient(y, x), log1pexp.__name__, log1pexp(1.0)


def p_two_inputs_and_none(tf):
    @tf.custom_gradient
    def f2(a, b):
        def grad(dy):
            return dy * 2.0, dy * 3.0

        return a * b, grad

    @tf.custom_gradient
    def only_first(a, b):
        def grad(dy):
            return dy, None

        return a + b, grad

    @tf.custom_gradient
    def too_few(a, b):
        def grad(dy):
            return dy

        return a + b, grad

    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch([a, b])
        y1, y2, y3 = f2(a, b), only_first(a, b), too_few(a, b)
    return t.gradient(y1, [a, b]), t.gradient(y2, [a, b]), attempt(lambda: t.gradient(y3, [a, b]))


def p_variables(tf):
    v = tf.Variable(2.0)
    x = tf.constant(3.0)

    @tf.custom_gradient
    def with_vars(x):
        def grad(dy, variables=None):
            return dy * v, [dy * x * 10]

        return x * v, grad

    @tf.custom_gradient
    def missing_kwarg(x):
        def grad(dy):
            return dy * v

        return x * v, grad

    @tf.custom_gradient
    def variable_argument(x, w):
        def grad(dy):
            return dy * w, dy * x

        return x * w, grad

    @tf.custom_gradient
    def no_variables_read(x):
        def grad(dy, variables=None):
            return dy * 2.0 if variables is None else dy * 100.0

        return x * 2.0, grad

    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y1 = with_vars(x)
        y3 = variable_argument(x, v)
        y4 = no_variables_read(x)
    return (t.gradient(y1, [x, v]), attempt(lambda: missing_kwarg(x)), t.gradient(y3, [x, v]),
            t.gradient(y4, [x, v]))


def p_non_trainable_variable_needs_no_kwarg(tf):
    vn = tf.Variable(2.0, trainable=False)

    @tf.custom_gradient
    def f(x):
        def grad(dy):
            return dy * vn

        return x * vn, grad

    x = tf.constant(1.5)
    with tf.GradientTape() as t:
        t.watch(x)
        y = f(x)
    return y, t.gradient(y, x)


def p_multiple_and_nested_outputs(tf):
    @tf.custom_gradient
    def two(x):
        def grad(dy1, dy2):
            return dy1 + 10 * dy2

        return (x * 2, x * 3), grad

    @tf.custom_gradient
    def as_dict(x):
        def grad(dy_a, dy_b):
            return dy_a + 100 * dy_b

        return {"a": x * 2, "b": x * 3}, grad

    x = tf.constant(1.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y1, y2 = two(x)
        r = as_dict(x)
    return t.gradient(y1, x), t.gradient(y2, x), t.gradient([y1, y2], x), r, t.gradient(r, x), t.gradient(r["b"], x)


def p_nested_custom_gradients(tf):
    @tf.custom_gradient
    def inner(x):
        def grad(dy):
            return dy * 3

        return x * x, grad

    @tf.custom_gradient
    def outer(x):
        y = inner(x)

        def grad(dy):
            return dy * 7

        return y, grad

    def uses_inner(x):
        return inner(x) * 2

    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = outer(x)
        z = uses_inner(x)
    return t.gradient(y, x), t.gradient(z, x)


def p_second_order(tf):
    @tf.custom_gradient
    def sq(x):
        def grad(dy):
            return dy * 2 * x

        return x * x, grad

    x = tf.constant(3.0)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = sq(x)
        g = t1.gradient(y, x)
    return g, t2.gradient(g, x)


def p_kwargs_and_lists(tf):
    @tf.custom_gradient
    def scaled(a, scale=2.0):
        def grad(dy):
            return dy * scale

        return a * scale, grad

    @tf.custom_gradient
    def pair_sum(xs):
        def grad(dy):
            return [dy * 1, dy * 2]

        return xs[0] + xs[1], grad

    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch([a, b])
        y1 = scaled(a, scale=5.0)
        y2 = pair_sum([a, b])
    return t.gradient(y1, a), t.gradient(y2, [a, b])


def p_method(tf):
    class M:
        def __init__(self):
            self.w = tf.Variable(3.0)

        @tf.custom_gradient
        def __call__(self, x):
            def grad(dy, variables):
                return dy * 100, [dy * 1000]

            return x * self.w, grad

    m = M()
    x = tf.constant(2.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = m(x)
    return y, t.gradient(y, [x, m.w])


def p_recompute_grad(tf):
    v = tf.Variable(2.0)
    calls = []

    def block(x):
        calls.append(1)
        return tf.tanh(x) * v

    rg = tf.recompute_grad(block)
    x = tf.constant(0.75)
    with tf.GradientTape() as t:
        t.watch(x)
        r = x
        for _ in range(3):
            r = rg(r)
    forward_calls = len(calls)
    grads = t.gradient(r, [x, v])
    return grads, forward_calls, len(calls), rg.__name__, rg.__wrapped__ is block


def p_recompute_grad_second_order(tf):
    rg = tf.recompute_grad(lambda x: x * x * x)
    x = tf.constant(2.0)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = rg(x)
        g = t1.gradient(y, x)
    return g, attempt(lambda: t2.gradient(g, x))


def p_in_function_variable_argument(tf):
    # inside a tf.function TF's graph-mode decorator converts the arguments (variables too) to tensors before the
    # function reads them, so the variable is an input, not a variable grad_fn must take
    v = tf.Variable(2.0)
    seen = []

    @tf.custom_gradient
    def scaled(a):
        def grad(upstream, variables=None):
            seen.append(variables)
            return upstream * 3.0
        return a * 2.0, grad

    @tf.function(autograph=False)
    def step():
        with tf.GradientTape() as tape:
            y = scaled(v)
        return tape.gradient(y, v)

    return [float(step()) for _ in range(2)], seen[:1]


def p_in_function_keywords(tf):
    @tf.custom_gradient
    def f(x, y=None):
        return x * 2.0, lambda g: g

    return attempt(lambda: tf.function(lambda x: f(x, y=1.0), autograph=False)(tf.constant(1.0)))


PROGRAMS = [v for k, v in sorted(globals().items()) if k.startswith("p_")]


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.__name__[2:] for p in PROGRAMS])
def test_same_as_tensorflow(program, tf_oracle):
    check(program, tf_oracle)


def test_recompute_grad_keeps_only_inputs_on_the_tape():
    """The forward of a recompute_grad function leaves one record (its custom op) on the tape."""
    import featherflow as tf

    def block(x):
        for _ in range(10):
            x = tf.tanh(x) * 1.1
        return x

    x = tf.constant(np.linspace(-1, 1, 5, dtype=np.float32))
    sizes = []
    for fn in (block, tf.recompute_grad(block)):
        with tf.GradientTape(persistent=True) as t:
            t.watch(x)
            y = fn(x)
        sizes.append(len(t._tape.records))
        g = t.gradient(y, x)
        sizes.append(g.numpy())
    assert sizes[2] == 1 and sizes[0] == 20
    np.testing.assert_allclose(sizes[1], sizes[3], rtol=1e-6)
