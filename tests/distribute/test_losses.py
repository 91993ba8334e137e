"""``tf.nn.compute_average_loss`` and ``scale_regularization_loss``, and a custom training loop under
``OneDeviceStrategy``, against real TensorFlow."""

from __future__ import annotations

import numpy as np

import featherflow as ff

from ._support import outcome, same


def _losses(tf):
    average, scale = tf.nn.compute_average_loss, tf.nn.scale_regularization_loss
    one = tf.distribute.OneDeviceStrategy("/cpu:0")
    steps = [outcome(lambda: average([1.0, 2.0, 3.0])), outcome(lambda: average([1.0, 2.0, 3.0], global_batch_size=6)),
             outcome(lambda: average([1.0, 2.0, 3.0], global_batch_size=0)),
             outcome(lambda: average([1.0, 2.0, 3.0], sample_weight=[1.0, 0.0, 2.0])),
             outcome(lambda: average([1.0, 2.0, 3.0], sample_weight=2.0)),
             outcome(lambda: average([[1.0], [2.0]], sample_weight=[1.0, 2.0])),
             outcome(lambda: average([1.0, 2.0], sample_weight=[[1.0], [2.0]])),
             outcome(lambda: average(tf.constant([1.0, 2.0], tf.float64), sample_weight=[1.0, 2.0])),
             outcome(lambda: average(tf.constant([1.0, 2.0], tf.float16), global_batch_size=4)),
             outcome(lambda: average([1, 2])), outcome(lambda: average([[1.0, 2.0], [3.0, 4.0]])),
             outcome(lambda: average(1.0)), outcome(lambda: average([1.0, 2.0], global_batch_size=2.0)),
             outcome(lambda: average([1.0, 2.0], global_batch_size=-2)),
             outcome(lambda: average([1.0, 2.0], global_batch_size=[2])),
             outcome(lambda: average([1.0, 2.0], global_batch_size=tf.constant(4, tf.int64))),
             outcome(lambda: scale([1.0, 2.0])), outcome(lambda: scale(3.0)), outcome(lambda: scale([1, 2])),
             outcome(lambda: one.run(lambda: average([1.0, 2.0]))), outcome(lambda: one.run(lambda: scale([4.0])))]
    with one.scope():
        steps += [outcome(lambda: average([1.0, 2.0])), outcome(lambda: average([1.0, 2.0], global_batch_size=4)),
                  outcome(lambda: scale(1.0))]
    return steps


def test_loss_scaling_as_tensorflow(tf_oracle) -> None:
    same(_losses, ff, tf_oracle)


def _training(tf):
    """A linear model trained for three epochs with a custom loop, as TF's distributed-training guide writes it."""
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    features = np.linspace(-1.0, 1.0, 16, dtype=np.float32).reshape(8, 2)
    labels = features @ np.array([[2.0], [-1.0]], np.float32) + 0.5
    dataset = tf.data.Dataset.from_tensor_slices((features, labels)).batch(4)
    with strategy.scope():
        w = tf.Variable(tf.zeros([2, 1]), name="w")
        b = tf.Variable(0.0, name="b")
        momentum = [tf.Variable(tf.zeros_like(v)) for v in (w, b)]
    distributed = strategy.experimental_distribute_dataset(dataset)

    def apply(strategy, grads_and_vars):
        for (grad, var), slot in zip(grads_and_vars, momentum):
            strategy.extended.update(slot, lambda s, g: s.assign(0.9 * s + g), args=(grad,))
            strategy.extended.update(var, lambda v, s: v.assign_sub(0.1 * s), args=(slot,))

    def step(x, y):
        with tf.GradientTape() as tape:
            per_example = tf.reduce_sum(tf.square(tf.matmul(x, w) + b - y), axis=1)
            loss = tf.nn.compute_average_loss(per_example, global_batch_size=4)
            loss += tf.nn.scale_regularization_loss(0.01 * tf.nn.l2_loss(w))
        grads = tape.gradient(loss, [w, b])
        grads = tf.distribute.get_replica_context().all_reduce("SUM", grads)
        tf.distribute.get_replica_context().merge_call(apply, args=(list(zip(grads, [w, b])),))
        return loss

    losses = []
    for _ in range(3):
        for x, y in distributed:
            per_replica = strategy.run(step, args=(x, y))
            losses.append(float(strategy.reduce("SUM", per_replica, axis=None).numpy()))
    return losses, w.numpy(), b.numpy(), w.device


def test_a_training_loop_under_one_device_strategy_as_tensorflow(tf_oracle) -> None:
    ours, theirs = _training(ff), _training(tf_oracle)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-5)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-5)
    assert ours[3] == theirs[3]
    assert ours[0][-1] < ours[0][0]
