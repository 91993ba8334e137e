"""``tf.autodiff.ForwardAccumulator``: JVPs of a range of ops against real TensorFlow and against central
differences (float64, jvp == J @ v), ops without a second derivative, the examples of TF's docstring, what an
accumulator keeps alive, and runs on the simulated GPU. Its semantics: test_forwardprop_semantics.py."""

from __future__ import annotations

import gc
import weakref
from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff

from ..conftest import assert_no_transfers
from ._forwardprop_support import outcome as _outcome
from ._forwardprop_support import show as _show

_RNG = np.random.default_rng(7)


def _a(*shape: int, lo: float = -1.5, hi: float = 1.5) -> np.ndarray:
    return _RNG.uniform(lo, hi, shape)


# name -> (function of (tf, *inputs), input arrays); every input is a primal with a random tangent
CASES: dict[str, tuple[Callable, list]] = {
    "exp_log_sin": (lambda tf, x: tf.exp(x) * tf.math.log(x) + tf.sin(x), [_a(2, 3, lo=0.3)]),
    "tanh_sigmoid_sqrt": (lambda tf, x: tf.tanh(x) - tf.sigmoid(x) * tf.sqrt(x), [_a(4, lo=0.2)]),
    "pow_div_broadcast": (lambda tf, x, y: x ** 2.5 / (y + 3.0) - x * y, [_a(2, 3, lo=0.5), _a(3)]),
    "maximum_where": (lambda tf, x, y: tf.where(x > 0, tf.maximum(x, y), x * y), [_a(5), _a(5)]),
    "matmul": (lambda tf, a, b: tf.matmul(a, b, transpose_b=True), [_a(3, 4), _a(2, 4)]),
    "batch_matmul": (lambda tf, a, b: a @ b, [_a(2, 3, 4), _a(2, 4, 2)]),
    "reductions": (lambda tf, x: tf.stack([tf.reduce_sum(x), tf.reduce_mean(x ** 2), tf.reduce_max(x),
                                           tf.reduce_prod(x), tf.reduce_logsumexp(x)]), [_a(2, 3)]),
    "reduce_axis": (lambda tf, x: tf.reduce_sum(x, axis=1) * tf.reduce_mean(x, axis=1), [_a(3, 4)]),
    "reshape_transpose": (lambda tf, x: tf.transpose(tf.reshape(x, [3, 2, 2]), [2, 0, 1]) * 2.0, [_a(4, 3)]),
    "gather": (lambda tf, x: tf.gather(x, [2, 0, 2]) ** 2, [_a(3, 2)]),
    "gather_axis1": (lambda tf, x: tf.gather(tf.sin(x), [1, 1, 0], axis=1), [_a(2, 3)]),
    "concat_stack_slice": (lambda tf, x, y: tf.concat([x, tf.stack([y, y * y])], 0)[1:, ::2],
                           [_a(2, 3), _a(3)]),
    "softmax": (lambda tf, x: tf.nn.softmax(x), [_a(2, 4)]),
    "log_softmax_xent": (lambda tf, x: tf.nn.log_softmax(x) * tf.constant([[0.0, 1.0, 0.0]], x.dtype), [_a(2, 3)]),
    "relu_elu": (lambda tf, x: tf.nn.relu(x) + tf.nn.elu(x * 2.0), [_a(6)]),
    "conv2d": (lambda tf, x, w: tf.nn.conv2d(x, w, strides=1, padding="SAME"), [_a(1, 4, 4, 2), _a(3, 3, 2, 3)]),
    "conv2d_valid_stride": (lambda tf, x, w: tf.nn.conv2d(x, w, strides=2, padding="VALID"),
                            [_a(2, 5, 5, 1), _a(2, 2, 1, 2)]),
    "max_pool": (lambda tf, x: tf.nn.max_pool2d(x * x, 2, 2, "VALID"), [_a(1, 4, 4, 1)]),
    "cumsum_square": (lambda tf, x: tf.math.cumsum(x * x, axis=0), [_a(4, 2)]),
    "norm": (lambda tf, x: tf.norm(x) * x, [_a(3)]),
    "cond": (lambda tf, x: tf.cond(tf.reduce_sum(x) > -100.0, lambda: tf.sin(x) * x, lambda: x), [_a(3)]),
    "while_loop": (lambda tf, x: tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, tf.sin(a) * x),
                                               (0, x))[1], [_a(3)]),
    "complex_and_int_casts": (lambda tf, x: tf.math.real(tf.square(tf.complex(x, x * 0.5)))
                              * tf.cast(tf.cast(x * 3.0, tf.int32), x.dtype), [_a(3)]),
    "unstack_split": (lambda tf, x: tf.split(x, 2, axis=1)[1] * tf.unstack(x)[0][0], [_a(2, 4)]),
    "einsum": (lambda tf, a, b: tf.einsum("ij,jk->ik", a, b), [_a(2, 3), _a(3, 2)]),
    "inv": (lambda tf, a: tf.linalg.inv(a + tf.eye(3, dtype=a.dtype) * 3.0), [_a(3, 3)]),
}


def _jvp(tf: Any, fn: Callable, arrays: list, tangents: list, dtype: Any) -> np.ndarray:
    xs = [tf.constant(a, dtype) for a in arrays]
    ts = [tf.constant(t, dtype) for t in tangents]
    with tf.autodiff.ForwardAccumulator(xs, ts) as acc:
        y = fn(tf, *xs)
    return acc.jvp(y).numpy()


def _tangents(arrays: list) -> list:
    rng = np.random.default_rng(len(arrays))
    return [rng.uniform(-1.0, 1.0, a.shape) for a in arrays]


@pytest.mark.parametrize("name", sorted(CASES))
def test_jvp_matches_tensorflow(name: str, tf_oracle: Any) -> None:
    fn, arrays = CASES[name]
    tangents = _tangents(arrays)
    ours = _jvp(ff, fn, arrays, tangents, ff.float32)
    want = _jvp(tf_oracle, fn, arrays, tangents, tf_oracle.float32)
    assert ours.dtype == want.dtype and ours.shape == want.shape
    np.testing.assert_allclose(ours, want, rtol=2e-4, atol=2e-5)


@pytest.mark.parametrize("name", sorted(CASES))
def test_jvp_is_the_jacobian_times_the_tangent(name: str) -> None:
    fn, arrays = CASES[name]
    tangents = _tangents(arrays)
    ours = _jvp(ff, fn, arrays, tangents, ff.float64)
    h = 1e-6

    def at(sign: float) -> np.ndarray:
        return fn(ff, *[ff.constant(a + sign * h * t) for a, t in zip(arrays, tangents)]).numpy()

    np.testing.assert_allclose(ours, (at(1.0) - at(-1.0)) / (2 * h), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["matmul", "softmax", "conv2d", "gather", "pow_div_broadcast"])
def test_jvp_is_the_transpose_of_the_tapes_vjp(name: str) -> None:
    """<J t, w> == <t, J^T w>: forward mode agrees with the tape's backward pass."""
    fn, arrays = CASES[name]
    tangents = _tangents(arrays)
    xs = [ff.constant(a) for a in arrays]
    with ff.autodiff.ForwardAccumulator(xs, [ff.constant(t) for t in tangents]) as acc:
        with ff.GradientTape() as tape:
            tape.watch(xs)
            y = fn(ff, *xs)
    w = np.random.default_rng(3).uniform(-1.0, 1.0, y.shape)
    vjps = tape.gradient(y, xs, output_gradients=ff.constant(w))
    lhs = np.sum(acc.jvp(y).numpy() * w)
    rhs = sum(np.sum(ff.convert_to_tensor(g).numpy() * t) for g, t in zip(vjps, tangents))
    np.testing.assert_allclose(lhs, rhs, rtol=1e-10)


# --- TF's docstring examples, printed alike --------------------------------------------------------------


def _docstring(tf: Any) -> list[str]:
    out = []
    primal = tf.constant(1.1)
    with tf.autodiff.ForwardAccumulator(primal, tf.constant(1.0)) as outer:
        with tf.autodiff.ForwardAccumulator(primal, tf.constant(1.0)) as inner:
            primal_out = primal ** tf.constant(3.5)
    inner_jvp = inner.jvp(primal_out)
    out += [repr(inner_jvp), repr(outer.jvp(inner_jvp))]
    v = tf.Variable([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, 0.0])) as acc:
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(v ** 3.0)
        backward = tape.gradient(y, v)
    out += [repr(backward), repr(acc.jvp(backward))]
    # the linear regression, with Dense(1)'s kernel and bias as variables: JVPs column by column == gradients
    x = tf.constant([[2.0, 3.0], [1.0, 4.0]])
    targets = tf.constant([[1.0], [-1.0]])
    kernel = tf.Variable([[0.5], [-0.25]])
    bias = tf.Variable([0.1])

    def loss_fn() -> Any:
        return tf.reduce_sum((tf.matmul(x, kernel) + bias - targets) ** 2.0)

    kernel_fprop = []
    with tf.autodiff.ForwardAccumulator(kernel, tf.constant([[1.0], [0.0]])) as acc:
        kernel_fprop.append(acc.jvp(loss_fn()))
    with tf.autodiff.ForwardAccumulator(kernel, tf.constant([[0.0], [1.0]])) as acc:
        kernel_fprop.append(acc.jvp(loss_fn()))
    with tf.autodiff.ForwardAccumulator(bias, tf.constant([1.0])) as acc:
        bias_fprop = acc.jvp(loss_fn())
    with tf.GradientTape() as tape:
        loss = loss_fn()
    kernel_grad, bias_grad = tape.gradient(loss, (kernel, bias))
    np.testing.assert_allclose(kernel_grad, tf.stack(kernel_fprop)[:, tf.newaxis])
    np.testing.assert_allclose(bias_grad, bias_fprop[tf.newaxis])
    out += [repr(kernel_grad), repr(bias_fprop)]
    return out


def test_docstring_examples_print_as_tensorflow(tf_oracle: Any) -> None:
    ours = _docstring(ff)
    assert ours == _docstring(tf_oracle)
    inner, outer = (float(r.split("numpy=")[1].rstrip(">")) for r in ours[:2])
    np.testing.assert_allclose([inner, outer], [3.5 * 1.1 ** 2.5, 3.5 * 2.5 * 1.1 ** 1.5], rtol=1e-6)


# --- bookkeeping: what an accumulator holds, and the hooks --------------------------------------------------


def test_intermediates_are_not_kept_alive() -> None:
    x = ff.constant([1.0, 2.0])
    with ff.autodiff.ForwardAccumulator(x, ff.constant([1.0, 1.0])) as acc:
        y = ff.sin(x)
        ref = weakref.ref(y)
        z = y * 2.0
        del y
        gc.collect()
        assert ref() is None  # as in TF: a JVP lives only as long as its primal
        assert acc.jvp(z) is not None
    assert len(acc._tangents) == 2  # x's and z's


def test_the_hooks_go_back_to_the_tapes_and_then_off() -> None:
    from featherflow import _tape_hooks
    from featherflow.autodiff import tape as tape_module

    x = ff.constant(2.0)
    assert not _tape_hooks.active
    with ff.GradientTape() as tape:
        tape.watch(x)
        with ff.autodiff.ForwardAccumulator(x, ff.constant(1.0)) as acc:
            y = x * x
        assert _tape_hooks.active == tape_module._HOOKS
        z = y * x
    assert not _tape_hooks.active
    assert float(acc.jvp(y)) == 4.0 and acc.jvp(z) is None
    assert float(tape.gradient(z, x)) == 12.0


# ops whose gradient rules run ops that have no gradient (or none TF declares): their JVPs fail, or are None,
# exactly as TF's
NOT_TWICE_DIFFERENTIABLE: dict[str, tuple[Callable, list]] = {
    "max_pool_with_argmax": (lambda tf, x: tf.nn.max_pool_with_argmax(x, 2, 1, "SAME")[0], [_a(1, 3, 3, 1)]),
    "dilation2d": (lambda tf, x, w: tf.nn.dilation2d(x, w, [1, 1, 1, 1], "SAME", "NHWC", [1, 1, 1, 1]),
                   [_a(1, 4, 4, 1), _a(2, 2, 1)]),
    "resize_bilinear": (lambda tf, x: tf.image.resize(x, [3, 3]), [_a(1, 2, 2, 1)]),
    "resize_nearest": (lambda tf, x: tf.image.resize(x, [3, 3], method="nearest"), [_a(1, 2, 2, 1)]),
    "local_response_normalization": (lambda tf, x: tf.nn.local_response_normalization(x), [_a(1, 2, 2, 3)]),
    "unique": (lambda tf, x: tf.unique(x)[0], [_a(4)]),
}


@pytest.mark.parametrize("name", sorted(NOT_TWICE_DIFFERENTIABLE))
def test_ops_without_a_second_derivative_fail_as_tensorflow(name: str, tf_oracle: Any) -> None:
    fn, arrays = NOT_TWICE_DIFFERENTIABLE[name]

    def scenario(tf: Any) -> Any:
        xs = [tf.constant(a, tf.float32) for a in arrays]
        with tf.autodiff.ForwardAccumulator(xs, [tf.ones_like(x) for x in xs]) as acc:
            y = fn(tf, *xs)
        return acc.jvp(y)

    assert _outcome(ff, scenario) == _outcome(tf_oracle, scenario)


def test_recompute_grad_refuses_forward_mode_as_tensorflow(tf_oracle: Any) -> None:
    def run(tf: Any) -> str:
        f = tf.recompute_grad(lambda a: a * a)
        x = tf.constant([1.0, 2.0])
        try:
            with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 1.0])) as acc:
                y = f(x)
            return _show(acc.jvp(y))
        except NotImplementedError as e:
            return str(e)

    assert run(ff) == run(tf_oracle)


# --- the simulated GPU -------------------------------------------------------------------------------------


def _transfers() -> tuple:
    from featherflow.backends import simulated

    return simulated.transfers()


def _moved(block: Callable) -> tuple:
    """The host<->device copies ``block`` makes (its own constants: Python lists and numbers are uploads)."""
    before = _transfers()
    out = block()
    after = _transfers()
    return (after[0] - before[0], after[1] - before[1]), out


@pytest.mark.parametrize("name", ["matmul", "softmax", "conv2d", "gather", "while_loop"])
def test_on_the_device_without_host_transfers(name: str, device: str) -> None:
    """Forward over forward on the device: the JVPs stay there, and cost no copy beyond the function's own."""
    fn, arrays = CASES[name]
    tangents = _tangents(arrays)
    xs = [ff.constant(a) for a in arrays]
    ts = [ff.constant(t) for t in tangents]
    where = "GPU:0" if device == "GPU" else "CPU:0"

    def accumulated() -> tuple:
        with ff.autodiff.ForwardAccumulator(xs, ts) as outer:
            with ff.autodiff.ForwardAccumulator(xs, ts) as acc:
                y = fn(ff, *xs)
            j = acc.jvp(y)
        return j, outer.jvp(j)

    plain, _ = _moved(lambda: fn(ff, *xs))
    moved, (j, jj) = _moved(accumulated)
    assert moved == plain
    for t in (j, jj):
        assert t.device.endswith(where)
    with ff.device("CPU:0"):
        want = _jvp(ff, fn, arrays, tangents, ff.float64)
    np.testing.assert_allclose(j.numpy(), want, rtol=1e-12, atol=1e-14)


def test_hessian_vector_product_on_the_device(device: str) -> None:
    v = ff.Variable(np.array([0.5, -1.0, 2.0]))
    u = ff.constant(np.array([1.0, 0.5, -1.0]))
    two = ff.constant(2.0, ff.float64)
    with assert_no_transfers():
        with ff.autodiff.ForwardAccumulator(v, u) as acc:
            with ff.GradientTape() as tape:
                y = ff.reduce_sum(ff.sin(v) * v ** two)
            g = tape.gradient(y, v)
        hvp = acc.jvp(g)
    assert hvp.device.endswith("GPU:0" if device == "GPU" else "CPU:0")
    a = np.array([0.5, -1.0, 2.0])
    diag = -np.sin(a) * a ** 2 + 4 * a * np.cos(a) + 2 * np.sin(a)  # the Hessian is diagonal
    np.testing.assert_allclose(hvp.numpy(), diag * u.numpy(), rtol=1e-12)
