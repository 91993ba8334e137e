"""Sparse gradients: a rule may return ``tf.IndexedSlices``; the tape passes them through variable reads,
concatenates two of them, densifies them when added to a dense gradient or fed to another rule, exactly
where TensorFlow does. Checked against TF's gather, whose gradient is IndexedSlices."""

from __future__ import annotations

import numpy as np
import pytest

from .diff import check

# every test runs on the CPU and on a simulated GPU (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("device")

TABLE = np.arange(6.0, dtype=np.float32).reshape(3, 2) / 4


def _sparse_gather_op():
    """GatherV2 (axis 0) with TF's sparse gradient, not registered, so that the tape is tested on its own."""
    import featherflow as ff
    from featherflow.ops.registry import Op

    def forward(xp, params, indices):
        return xp.take(params, indices, axis=0)

    op = Op("SparseGatherForTest", forward, 1, True)

    @op.gradient
    def _(g, ans, params, indices):
        rows = ff.reshape(g, [-1] + list(params.shape[1:]))
        shape = ff.constant(list(params.shape), ff.int32)
        return ff.IndexedSlices(rows, ff.reshape(indices, [-1]), shape), None

    return lambda params, indices: op(ff.convert_to_tensor(params), ff.convert_to_tensor(indices))


def _gather(tf):
    if tf.__name__ == "featherflow":
        return _sparse_gather_op()
    return tf.gather


def p_variable(tf):
    gather = _gather(tf)
    table = tf.Variable(TABLE)
    with tf.GradientTape(persistent=True) as t:
        y = tf.reduce_sum(gather(table, [0, 2, 0]) * 2)
        twice = tf.reduce_sum(gather(table, [0, 2])) + tf.reduce_sum(gather(table, [1]))
        mixed = tf.reduce_sum(gather(table, [0, 2, 0]) * 2) + tf.reduce_sum(table)
        rows = gather(table, [[1], [2]])
        nested = tf.reduce_sum(rows * rows)
    return (t.gradient(y, table), t.gradient(twice, table), t.gradient(mixed, table), t.gradient(nested, table),
            t.gradient(y, table, unconnected_gradients="zero"), tf.convert_to_tensor(t.gradient(y, table)),
            t.jacobian(nested, table))


def p_tensor_and_intermediate(tf):
    gather = _gather(tf)
    table = tf.constant(TABLE)
    with tf.GradientTape(persistent=True) as t:
        t.watch(table)
        r = gather(table, [0, 2])
        y = tf.reduce_sum(r * r)
    return t.gradient(y, table), t.gradient(y, [table, r])


def p_dense_rule_after_sparse(tf):
    """A sparse gradient that flows into another op's rule is made dense first."""
    gather = _gather(tf)
    base = tf.Variable(TABLE)
    with tf.GradientTape() as t:
        table = base * 3.0
        y = tf.reduce_sum(gather(table, [1, 1]))
    return t.gradient(y, base)


PROGRAMS = [v for k, v in sorted(globals().items()) if k.startswith("p_")]


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.__name__[2:] for p in PROGRAMS])
def test_same_as_tensorflow(program, tf_oracle):
    check(program, tf_oracle, logs=False)  # TF warns when its pfor densifies an IndexedSlices


def test_second_order_through_densified_slices():
    import featherflow as tf

    gather = _sparse_gather_op()
    table = tf.Variable(TABLE.astype(np.float64))
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = tf.reduce_sum(gather(table, [0, 2, 0]) ** 3)
        g = tf.convert_to_tensor(inner.gradient(y, table))
        s = tf.reduce_sum(g)
    h = tf.convert_to_tensor(outer.gradient(s, table))  # through the gather again: IndexedSlices
    counts = np.array([2, 0, 1])[:, None]
    np.testing.assert_allclose(g.numpy(), 3 * TABLE ** 2 * counts, rtol=1e-12)
    np.testing.assert_allclose(h.numpy(), 6 * TABLE * counts, rtol=1e-12)


def test_tf_gather_gradient_is_indexed_slices(tf_oracle):
    import featherflow as ff

    table = ff.Variable(TABLE)
    with ff.GradientTape() as t:
        y = ff.reduce_sum(ff.gather(table, [0, 2, 0]))
    assert isinstance(t.gradient(y, table), ff.IndexedSlices)

    def program(tf):
        v = tf.Variable(TABLE)
        with tf.GradientTape() as t:
            y = tf.reduce_sum(tf.gather(v, [0, 2, 0]) * 2) + tf.reduce_sum(tf.gather(v, [1]))
        g = t.gradient(y, v)
        # the slices of two reads are concatenated; their order may differ from TF's, their sum may not
        return type(g).__name__, tf.convert_to_tensor(g), sorted(np.asarray(g.indices).tolist())

    check(program, tf_oracle, logs=False)
