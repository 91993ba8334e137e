"""``tf.init_scope``, ``tf.no_op``/``group``/``tuple``/``control_dependencies`` and ``tf.autograph``, against TF."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from .ops.control_flow._support import same


def _init_scope_gradient(tf):
    x = tf.constant(3.0)
    v = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        with tf.init_scope():
            paused = x * x + v * 2.0
            with tf.GradientTape() as inner:  # a tape entered inside still records inside
                inner.watch(x)
                z = x * 4.0
            dz = inner.gradient(z, x)
        y = x * 5.0 + v * 3.0
    return tape.gradient(paused, [x, v]), tape.gradient(y, [x, v]), dz


def _cond_in_init_scope(tf):
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tf.init_scope():
            a = tf.cond(x > 0, lambda: x * x, lambda: x)
        b = tf.map_fn(lambda r: r * x, tf.constant([1.0, 2.0]))
    return tape.gradient([a, b], x)


def _control_dependencies(tf):
    calls = []
    with tf.control_dependencies([tf.constant(1), lambda: calls.append(1)]):
        y = tf.constant(2) + 1
    with tf.control_dependencies(None):
        pass
    return y, len(calls)


PROGRAMS = {
    "init_scope pauses tapes": _init_scope_gradient,
    "init_scope around cond": _cond_in_init_scope,
    "no_op": lambda tf: tf.no_op(),
    "no_op named": lambda tf: tf.no_op(name="n"),
    "group": lambda tf: tf.group(tf.constant(1), [tf.constant(2)], name="g"),
    "group of non-tensors": lambda tf: tf.group(1, "a"),
    "tuple": lambda tf: tf.tuple([tf.constant(1), tf.constant(2.0), None]),
    "tuple control_inputs": lambda tf: tf.tuple([tf.constant(1)], control_inputs=[tf.constant(3)]),
    "tuple python values": lambda tf: tf.tuple([1, 2]),
    "tuple of a tensor": lambda tf: tf.tuple(tf.constant(1)),
    "control_dependencies": _control_dependencies,
    "control_dependencies of ints": lambda tf: tf.control_dependencies([3]).__enter__(),
    "do_not_convert": lambda tf: tf.autograph.experimental.do_not_convert(lambda x: x + 1)(tf.constant(1)),
    "do_not_convert()": lambda tf: tf.autograph.experimental.do_not_convert()(lambda x: x * 2)(3),
    "do_not_convert non-callable": lambda tf: tf.autograph.experimental.do_not_convert(3)(),
    "to_graph": lambda tf: tf.autograph.to_graph(lambda x: x + 1 if x > 0 else x - 1)(tf.constant(1)),
    "set_verbosity": lambda tf: tf.autograph.set_verbosity(3, alsologtostdout=False),
    "set_loop_options": lambda tf: tf.autograph.experimental.set_loop_options(parallel_iterations=3),
    "Feature": lambda tf: [f.value for f in tf.autograph.experimental.Feature],
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_as_tf(name, tf_oracle):
    same(PROGRAMS[name], tf_oracle)


def test_init_scope_is_a_no_op_without_tapes():
    with ff.init_scope():
        assert float(ff.constant(2.0) * 3.0) == 6.0


def test_do_not_convert_keeps_metadata():
    def f(x: int) -> int:
        """doc"""
        return x

    wrapped = ff.autograph.experimental.do_not_convert(f)
    assert wrapped.__name__ == "f" and wrapped.__doc__ == "doc" and wrapped(4) == 4
    assert ff.autograph.to_graph(f).__name__ == "f"


def test_to_code_and_class_to_graph_are_refused():
    with pytest.raises(NotImplementedError, match="to_code"):
        ff.autograph.to_code(lambda x: x)
    with pytest.raises(NotImplementedError, match="to_graph"):
        ff.autograph.to_graph(int)


def test_verbosity_and_trace(capsys, monkeypatch):
    from featherflow import _autograph_impl

    monkeypatch.setattr(_autograph_impl, "_VERBOSITY", [None])
    monkeypatch.setenv("AUTOGRAPH_VERBOSITY", "2")
    assert _autograph_impl.get_verbosity() == 2
    ff.autograph.set_verbosity(5)
    assert _autograph_impl.get_verbosity() == 5
    ff.autograph.trace("a", ff.constant([1, 2]), 3)
    assert capsys.readouterr().out == "a tf.Tensor([1 2], shape=(2,), dtype=int32) 3\n"


def test_trace_prints_as_tf(capsys, tf_oracle):
    tf_oracle.autograph.trace("x", tf_oracle.constant(np.float32(1.5)))
    theirs = capsys.readouterr().out
    ff.autograph.trace("x", ff.constant(np.float32(1.5)))
    assert capsys.readouterr().out == theirs
