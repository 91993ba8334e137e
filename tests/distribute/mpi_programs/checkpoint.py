"""Training that checkpoints every step with tf.train.CheckpointManager under MultiWorkerMirroredStrategy:
the chief writes to argv[1], the other workers to a temporary directory they remove (TF's
distributed_file_utils); a job restarted with a larger step count (argv[2]) resumes from the last checkpoint.
The chief prints the step it resumed from and writes the final value and the one an uninterrupted run in one
process reaches to argv[1]/result.json."""

import json
import os
import sys

import numpy as np

import featherflow as tf
from featherflow.distribute.distributed_file_utils import remove_temp_dirpath, write_dirpath

GLOBAL_BATCH = 4
DATA = np.arange(GLOBAL_BATCH * 2, dtype=np.float64).reshape(GLOBAL_BATCH, 2) / 10.0


def step_fn(w, optimizer, x):
    with tf.GradientTape() as tape:
        loss = tf.nn.compute_average_loss(tf.reduce_sum(tf.square(x * w - 1.0), axis=1),
                                          global_batch_size=GLOBAL_BATCH)
    optimizer.apply_gradients([(tape.gradient(loss, w), w)])


def main(directory, total_steps):
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    with strategy.scope():
        w = tf.Variable([1.0, -1.0], dtype=tf.float64)
        step = tf.Variable(0, dtype=tf.int64)
        optimizer = tf.optimizers.SGD(0.5, momentum=0.9)
    checkpoint = tf.train.Checkpoint(w=w, step=step, optimizer=optimizer)
    manager = tf.train.CheckpointManager(checkpoint, write_dirpath(directory, strategy), max_to_keep=2)
    latest = tf.train.latest_checkpoint(directory)  # the chief's: every worker resumes from it
    if latest:
        checkpoint.restore(latest)
    resumed = int(step.numpy())
    dataset = tf.data.Dataset.from_tensors(DATA).repeat(total_steps - resumed)
    for x in strategy.experimental_distribute_dataset(dataset):
        strategy.run(step_fn, args=(w, optimizer, x))
        step.assign_add(1)
        manager.save(checkpoint_number=int(step.numpy()))
    remove_temp_dirpath(directory, strategy)
    if strategy.extended.should_checkpoint:
        reference, ref_optimizer = tf.Variable([1.0, -1.0], dtype=tf.float64), tf.optimizers.SGD(0.5, momentum=0.9)
        for _ in range(total_steps):
            step_fn(reference, ref_optimizer, tf.constant(DATA))
        with open(os.path.join(directory, "result.json"), "w") as f:
            json.dump({"resumed": resumed, "step": int(step.numpy()), "w": w.numpy().tolist(),
                       "reference": reference.numpy().tolist()}, f)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
