"""Data-parallel training of a small float64 MLP under MultiWorkerMirroredStrategy (run by mpiexec), then, on
the chief, the same steps in one process on the whole global batch; writes both final weights to argv[1].
argv[2], if given: CommunicationOptions.bytes_per_pack (gradients then all-reduced in several packs)."""

import sys

import numpy as np

import featherflow as tf

GLOBAL_BATCH, STEPS = 8, 5


def data():
    rng = np.random.RandomState(0)
    return rng.randn(GLOBAL_BATCH * STEPS, 4), rng.randn(GLOBAL_BATCH * STEPS, 1)


def make_model():
    rng = np.random.RandomState(1)
    return [tf.Variable(rng.randn(4, 8) * 0.5, name="w1"), tf.Variable(np.zeros(8), name="b1"),
            tf.Variable(rng.randn(8, 1) * 0.5, name="w2"), tf.Variable(np.zeros(1), name="b2")]


def per_example_loss(weights, x, y):
    w1, b1, w2, b2 = weights
    hidden = tf.nn.tanh(tf.matmul(x, w1) + b1)
    return tf.reduce_sum(tf.square(tf.matmul(hidden, w2) + b2 - y), axis=1)


def train_step(weights, optimizer, x, y):
    with tf.GradientTape() as tape:
        loss = tf.nn.compute_average_loss(per_example_loss(weights, x, y), global_batch_size=GLOBAL_BATCH)
    optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
    return loss


def main(out_path, bytes_per_pack=0):
    options = tf.distribute.experimental.CommunicationOptions(bytes_per_pack=bytes_per_pack)
    strategy = tf.distribute.MultiWorkerMirroredStrategy(communication_options=options)
    x, y = data()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH)
    with strategy.scope():
        weights = make_model()
        optimizer = tf.optimizers.Adam(0.05)
    for batch_x, batch_y in strategy.experimental_distribute_dataset(dataset):
        per_replica = strategy.run(train_step, args=(weights, optimizer, batch_x, batch_y))
        strategy.reduce("SUM", per_replica, axis=None)
    distributed = [w.numpy() for w in weights]
    if not strategy.extended.should_checkpoint:
        return
    reference, ref_optimizer = make_model(), tf.optimizers.Adam(0.05)
    for batch_x, batch_y in dataset:
        train_step(reference, ref_optimizer, batch_x, batch_y)
    np.savez(out_path, workers=strategy.extended._num_workers, replicas=strategy.num_replicas_in_sync,
             **{f"distributed_{i}": w for i, w in enumerate(distributed)},
             **{f"reference_{i}": w.numpy() for i, w in enumerate(reference)})


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:]))
