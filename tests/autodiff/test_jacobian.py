"""GradientTape.jacobian and batch_jacobian against TensorFlow, with both experimental_use_pfor values."""

from __future__ import annotations

import numpy as np
import pytest

from .diff import attempt, check

# every test runs on the CPU and on a simulated GPU (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("device")

PFOR = [True, False]


def _jacobians(pfor):
    def program(tf):
        x = tf.constant([1.0, 2.0])
        u = tf.constant(3.0)
        v = tf.Variable([[0.5, -1.0, 2.0]])
        with tf.GradientTape(persistent=True) as t:
            t.watch(x)
            y = x * x
            s = tf.reduce_sum(y)
            m = tf.matmul(tf.reshape(x, [2, 1]), v)  # 2x3, depends on x and v
        return (t.jacobian(y, x, experimental_use_pfor=pfor), t.jacobian(y, [x, u], experimental_use_pfor=pfor),
                t.jacobian(y, [x, u], unconnected_gradients="zero", experimental_use_pfor=pfor),
                t.jacobian(s, x, experimental_use_pfor=pfor), t.jacobian(y, {"a": x}, experimental_use_pfor=pfor),
                t.jacobian(u, x, experimental_use_pfor=pfor), t.jacobian(m, [x, v], experimental_use_pfor=pfor))

    return program


def _batch_jacobians(pfor):
    def program(tf):
        xb = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        with tf.GradientTape(persistent=True) as t:
            t.watch(xb)
            yb = tf.tanh(xb) * 2
            yc = tf.reduce_sum(xb * xb, axis=1, keepdims=True)
            yd = tf.reduce_sum(xb, axis=1)
            ye = tf.reshape(tf.matmul(xb, tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])), [3, 3, 1])
        u = tf.constant(3.0)
        return (t.batch_jacobian(yb, xb, experimental_use_pfor=pfor), t.batch_jacobian(yc, xb, experimental_use_pfor=pfor),
                t.batch_jacobian(ye, xb, experimental_use_pfor=pfor),
                attempt(lambda: t.batch_jacobian(yd, xb, experimental_use_pfor=pfor)),
                attempt(lambda: t.batch_jacobian(yb, u, experimental_use_pfor=pfor)),
                t.batch_jacobian(yb, tf.ones([3, 2]), experimental_use_pfor=pfor),
                attempt(lambda: t.batch_jacobian(yb, tf.ones([4, 2]), experimental_use_pfor=pfor)))

    return program


@pytest.mark.parametrize("pfor", PFOR)
def test_jacobian(pfor, tf_oracle):
    check(_jacobians(pfor), tf_oracle, logs=False)  # TF's pfor logs retracing warnings of its tf.function


@pytest.mark.parametrize("pfor", PFOR)
def test_batch_jacobian(pfor, tf_oracle):
    check(_batch_jacobians(pfor), tf_oracle, logs=False)


def test_pfor_values_agree():
    import featherflow as tf

    rng = np.random.default_rng(0)
    w = tf.Variable(rng.standard_normal((4, 3)).astype(np.float32))
    x = tf.constant(rng.standard_normal((5, 4)).astype(np.float32))
    results = []
    for pfor in PFOR:
        with tf.GradientTape(persistent=True) as t:
            t.watch(x)
            y = tf.tanh(tf.matmul(x, w))
        results.append((t.jacobian(y, [x, w], experimental_use_pfor=pfor),
                        t.batch_jacobian(y, x, experimental_use_pfor=pfor)))
    (ja, ba), (jb, bb) = results
    for a, b in zip(ja + [ba], jb + [bb]):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    # batch_jacobian is the diagonal (in the batch) of the full jacobian
    full = ja[0].numpy()
    np.testing.assert_allclose(ba.numpy(), np.stack([full[i, :, i, :] for i in range(5)]), rtol=1e-6)


def test_non_persistent(tf_oracle):
    def uses(tf, method):
        x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        with tf.GradientTape() as t:
            t.watch(x)
            y = x * x
        compute = getattr(t, method)
        # without pfor a non-persistent tape is refused (and stays usable); with it, it is used up
        return (attempt(lambda: compute(y, x, experimental_use_pfor=False)), compute(y, x),
                attempt(lambda: compute(y, x)), attempt(lambda: t.gradient(y, x)))

    def program(tf):
        return uses(tf, "jacobian"), uses(tf, "batch_jacobian")

    check(program, tf_oracle, logs=False)


def test_variable_and_integer_sources(tf_oracle):
    def program(tf):
        v = tf.Variable([1.0, 2.0])
        xi = tf.constant([1, 2])
        with tf.GradientTape(persistent=True) as t:
            y = v * 2.0
        return t.jacobian(y, v), t.jacobian(y, xi)

    check(program, tf_oracle, logs=False)


def test_hessian_by_nested_jacobian(tf_oracle):
    """The advanced autodiff guide's Hessian: the jacobian of a gradient, through nested tapes."""

    def program(tf):
        x = tf.constant(np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3))
        w = tf.Variable(np.linspace(0.5, -0.5, 12, dtype=np.float32).reshape(3, 4))
        with tf.GradientTape() as t2:
            with tf.GradientTape() as t1:
                y = tf.tanh(tf.matmul(x, w))
                loss = tf.reduce_mean(y ** 2)
            g = t1.gradient(loss, w)
        return g, t2.jacobian(g, w)

    check(program, tf_oracle, rtol=1e-4, atol=1e-6, logs=False)
