"""``tf.autodiff.ForwardAccumulator``'s semantics, run side by side with TensorFlow: nesting with accumulators
and tapes, variables, nests, integer and non-differentiable outputs, scopes and threads, and TF's errors."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff

from ._forwardprop_support import outcome as _outcome


def _x(tf: Any) -> Any:
    return tf.constant([1.0, 2.0])


def _acc(tf: Any, primals: Any, tangents: Any) -> Any:
    return tf.autodiff.ForwardAccumulator(primals, tangents)


def _tape_inside(tf: Any) -> Any:
    x = _x(tf)
    with _acc(tf, x, tf.constant([1.0, 0.0])) as acc:
        with tf.GradientTape() as t:
            t.watch(x)
            y = x * x
        j = acc.jvp(y)
    return t.gradient(j, x)  # an inner tape ignores the outer accumulator's products


def _tape_outside(tf: Any) -> Any:
    x = _x(tf)
    with tf.GradientTape() as t:
        t.watch(x)
        with _acc(tf, x, tf.constant([1.0, 0.0])) as acc:
            y = tf.sin(x) * x
        j = acc.jvp(y)
    return j, t.gradient(j, x)  # backward-over-forward


def _unconnected(tf: Any) -> Any:
    x = _x(tf)
    with _acc(tf, x, tf.constant([1.0, 0.0])) as acc:
        z = tf.constant(3.0) * 2
    return acc.jvp(z), acc.jvp(z, unconnected_gradients="zero"), acc.jvp(x)


def _reenter(tf: Any) -> Any:
    acc = _acc(tf, _x(tf), tf.constant([1.0, 0.0]))
    with acc:
        try:
            acc.__enter__()
        except ValueError as e:
            first = str(e)
    try:
        acc._pop_accumulator()
    except ValueError as e:
        return first, str(e)


def _stop_gradient(tf: Any) -> Any:
    x = _x(tf)
    with _acc(tf, x, tf.constant([1.0, 1.0])) as acc:
        y = tf.stop_gradient(x) * x
        z = tf.stop_gradient(x * 3.0)
    return acc.jvp(y), acc.jvp(z)


def _variable(tf: Any) -> Any:
    v = tf.Variable([1.0, 2.0])
    with _acc(tf, v, tf.constant([1.0, 1.0])) as acc:
        y = v * v
        v.assign([3.0, 4.0])
        y2 = v * 1.0
        y3 = v.assign_add([1.0, 1.0]) * 2.0
    return acc.jvp(y), acc.jvp(y2), acc.jvp(v), acc.jvp(y3)


def _integers(tf: Any) -> Any:
    x = _x(tf)
    with _acc(tf, x, tf.constant([1.0, 1.0])) as acc:
        i = tf.cast(x, tf.int32)
        f = tf.cast(i, tf.float32)
        outs = [i, f, tf.argmax(x), tf.shape(x), tf.cast(x, tf.float64), tf.floor(x), tf.round(x), tf.sign(x),
                tf.zeros_like(x), tf.ones_like(x)]
    return [acc.jvp(o) for o in outs]


def _nests(tf: Any) -> Any:
    x, v = _x(tf), tf.Variable([1.0, 2.0])
    with _acc(tf, {"a": x, "b": [v]}, {"a": tf.constant([1.0, 0.0]), "b": [tf.constant([0.0, 1.0])]}) as acc:
        y = x * v
    return acc.jvp({"y": y, "l": [y, x], "t": (v,)})


def _int_primal(tf: Any) -> Any:
    i = tf.constant([1, 2])
    with _acc(tf, i, tf.constant([1, 1])) as acc:
        y = i * 2
    return acc.jvp(i), acc.jvp(y)


def _scalar_tangent(tf: Any) -> Any:
    x = _x(tf)
    with _acc(tf, x, tf.constant(1.0)) as acc:
        y = x * x
    return acc.jvp(y), acc.jvp(x)


def _indexed_slices_tangent(tf: Any) -> Any:
    p = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    t = tf.IndexedSlices(tf.constant([[1.0, 1.0]]), tf.constant([0]), tf.constant([2, 2]))
    with _acc(tf, p, t) as acc:
        y = p * 2
    return acc.jvp(y), acc.jvp(p)


def _indexed_slices_jvp(tf: Any) -> Any:
    v = tf.Variable([1.0, 2.0, 3.0])
    with _acc(tf, v, tf.constant([1.0, 1.0, 1.0])) as acc:
        with tf.GradientTape() as t:
            y = tf.reduce_sum(tf.gather(v, [0, 2]) ** 2)
        g = t.gradient(y, v)
    return acc.jvp(g)


def _custom_gradient(tf: Any) -> Any:
    @tf.custom_gradient
    def f(a: Any) -> Any:
        def grad(dy: Any) -> Any:
            return dy * 10.0

        return a * 2.0, grad

    x = _x(tf)
    with _acc(tf, x, tf.constant([1.0, 1.0])) as acc:
        y = f(x)
    return acc.jvp(y)  # f's own ops give the JVP, as in TF (its gradient function is not transposed)


def _multi_output(tf: Any) -> Any:
    m = tf.constant([[2.0, 1.0], [1.0, 3.0]])
    with _acc(tf, m, tf.constant([[1.0, 0.0], [0.0, 0.0]])) as acc:
        a, b = tf.unstack(m)
        e = tf.linalg.eigh(m)[0]  # (its eigenvectors' signs are featherflow's own)
        s = tf.split(m, 2, axis=1)
    return acc.jvp(a), acc.jvp(b), acc.jvp(e), acc.jvp(s)


def _forward_over_forward(tf: Any) -> Any:
    p = tf.constant(0.7)
    with _acc(tf, p, tf.constant(1.0)) as a3:
        with _acc(tf, p, tf.constant(1.0)) as a2:
            with _acc(tf, p, tf.constant(1.0)) as a1:
                out = tf.tanh(p) * tf.exp(p)
    j1 = a1.jvp(out)
    j2 = a2.jvp(j1)
    return j1, j2, a3.jvp(j2), a2.jvp(out), a1.jvp(a2.jvp(out))


def _backward_over_forward_variable(tf: Any) -> Any:
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        with _acc(tf, v, tf.constant([1.0, 0.0])) as acc:
            y = tf.reduce_sum(tf.sin(v) ** 3.0)
        j = acc.jvp(y)
    return j, tape.gradient(j, v)


def _jvp_inside(tf: Any) -> Any:
    x = _x(tf)
    with _acc(tf, x, tf.constant([1.0, 0.0])) as acc:
        y = x * x
        j = acc.jvp(y)
        z = j * 2
    return acc.jvp(j), acc.jvp(z)


def _reentered(tf: Any) -> Any:
    x = _x(tf)
    acc = _acc(tf, x, tf.constant([1.0, 0.0]))
    y0 = x * 5
    with acc:
        y = x * x
    z = y * 2
    with acc:
        w = y * 3
    return acc.jvp(y0), acc.jvp(z), acc.jvp(w)


def _two_accumulators(tf: Any) -> Any:
    x = _x(tf)
    with _acc(tf, x, tf.constant([1.0, 0.0])) as a, _acc(tf, x, tf.constant([0.0, 1.0])) as b:
        y = tf.reduce_prod(x) * x
    return a.jvp(y), b.jvp(y), a.jvp(b.jvp(y)), b.jvp(a.jvp(y))


def _scopes(tf: Any) -> Any:
    x = _x(tf)
    with _acc(tf, x, tf.constant([1.0, 0.0])) as a:
        with tf.init_scope():
            y = x * 2
        with tf.GradientTape() as t:
            t.watch(x)
            with t.stop_recording():
                z = x * 2
    return a.jvp(y), a.jvp(z)


def _errors(tf: Any) -> Any:
    x = _x(tf)
    acc = _acc(tf, x, tf.constant([1.0, 0.0]))
    out = []
    for call in (lambda: acc.jvp(x, unconnected_gradients="foo"), lambda: _acc(tf, [x, x], [x, x]),
                 lambda: _acc(tf, x, tf.constant([1, 0])), lambda: _acc(tf, x, tf.constant([1.0], tf.float64)),
                 lambda: _acc(tf, x, None), lambda: _acc(tf, 1.0, 2.0), lambda: acc.jvp(None),
                 lambda: acc.jvp([1.0]), lambda: acc.jvp(np.ones(2))):
        try:
            call()
            out.append("no error")
        except Exception as e:  # noqa: BLE001
            out.append(f"{type(e).__name__}: {e}")
    return out


def _structures(tf: Any) -> Any:
    x = _x(tf)
    out = []
    for primals, tangents in (([x], [x, x]), ({"a": x}, {"b": x}), (x, [1.0, 0.0])):
        try:
            _acc(tf, primals, tangents)
        except ValueError as e:
            out.append(str(e).split("\n")[0])
    return out


def _function(tf: Any) -> Any:
    @tf.function
    def f(a: Any) -> Any:
        return tf.reduce_sum(a ** 3)

    x = _x(tf)
    with _acc(tf, x, tf.constant([1.0, 1.0])) as acc:
        y = f(x)
    return acc.jvp(y)


def _other_thread(tf: Any) -> Any:
    import threading

    x, out = _x(tf), {}
    with _acc(tf, x, tf.constant([1.0, 1.0])) as acc:
        worker = threading.Thread(target=lambda: out.setdefault("y", x * 3))
        worker.start()
        worker.join()
        z = x * 3
    return acc.jvp(out["y"]), acc.jvp(z)  # an accumulator sees only its own thread's ops


def _forward_over_jacobian(tf: Any) -> Any:
    x = _x(tf)
    with _acc(tf, x, tf.constant([1.0, 0.0])) as acc:
        with tf.GradientTape(persistent=True) as t:
            t.watch(x)
            y = tf.sin(x) * tf.reduce_sum(x)
        j = t.jacobian(y, x)
    return acc.jvp(j)


def _variables_unwatched_and_assigned(tf: Any) -> Any:
    x, v, w = _x(tf), tf.Variable(2.0), tf.Variable([1.0, 2.0])
    with _acc(tf, x, tf.constant([1.0, 0.0])) as acc:
        y = v * x
        w.assign(x * 2)  # a variable's value carries no tangent: only a watched variable's reads do
        z = w * 1.0
    return acc.jvp(v), acc.jvp(y), acc.jvp(z), acc.jvp(w, unconnected_gradients="zero")


def _complex(tf: Any) -> Any:
    c = tf.constant([1 + 2j, 3 - 1j], tf.complex128)
    with _acc(tf, c, tf.constant([1 + 0j, 1j], tf.complex128)) as acc:
        y = c * c
        r = tf.abs(c)
    return tf.math.real(acc.jvp(y)), tf.math.imag(acc.jvp(y)), acc.jvp(r)


def _mismatched_tangent(tf: Any) -> Any:
    x = _x(tf)
    with _acc(tf, x, tf.constant([1.0, 0.0, 3.0])) as acc:
        y = x * x
    return acc.jvp(y)


SCENARIOS = [_tape_inside, _tape_outside, _unconnected, _reenter, _stop_gradient, _variable, _integers, _nests,
             _int_primal, _scalar_tangent, _indexed_slices_tangent, _indexed_slices_jvp, _custom_gradient,
             _multi_output, _forward_over_forward, _backward_over_forward_variable, _jvp_inside, _reentered,
             _two_accumulators, _scopes, _errors, _structures, _function, _other_thread, _forward_over_jacobian,
             _variables_unwatched_and_assigned, _complex]


def test_a_tangent_of_another_shape_raises_as_tensorflow(tf_oracle: Any) -> None:
    """TF's message names a node of the traced JVP function; featherflow's names the op and input."""
    ours, want = _outcome(ff, _mismatched_tangent), _outcome(tf_oracle, _mismatched_tangent)
    prefix = "ValueError: Dimensions must be equal, but are 3 and 2 for "
    assert ours.startswith(prefix) and want.startswith(prefix)
    assert ours.endswith("with input shapes: [3], [2].") and want.endswith("with input shapes: [3], [2].")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__.strip("_"))
def test_semantics_match_tensorflow(scenario: Callable, tf_oracle: Any) -> None:
    assert _outcome(ff, scenario) == _outcome(tf_oracle, scenario)
