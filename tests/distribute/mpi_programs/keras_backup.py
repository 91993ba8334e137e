"""Keras ``model.fit`` with ``BackupAndRestore`` under MultiWorkerMirroredStrategy (run by mpiexec), interrupted
and restarted: with argv[2] ``interrupt`` worker 1 fails after the first batch of epoch 2 (the job ends); run
again (``resume``), every worker restores the backup of epoch 1 and trains epochs 2 and 3 only. The chief then
trains the same model in one process, uninterrupted, for the test to compare: argv[1]/backup-<rank>.npz.

Keras 3's ``BackupAndRestore`` has no multi-worker logic of its own: as TF's multi-worker tutorial arranges it
for Keras 2, the chief backs up into the backup directory, every other worker into a temporary one of its own
(``workertemp_<rank>`` beside it), so no two processes write one file."""

import os
import sys

import featherflow as ff

ff.use_as_tensorflow()

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras_fit import GLOBAL_BATCH, build, data  # noqa: E402

import keras  # noqa: E402

EPOCHS = 4


class Epochs(keras.callbacks.Callback):
    """Records the epochs run; with ``fail``, worker 1 raises after the first batch of epoch 2 (its peers wait
    in that batch's all-reduce: the chief's backup of epoch 1 is complete)."""

    def __init__(self, rank, fail):
        super().__init__()
        self.rank, self.fail, self.epochs, self.epoch = rank, fail, [], None

    def on_epoch_begin(self, epoch, logs=None):
        self.epochs.append(epoch)
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.fail and self.rank == 1 and self.epoch == 2:
            raise RuntimeError("worker 1 interrupted on purpose")


def main(directory, mode):
    keras.backend.set_floatx("float64")
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    rank = strategy.cluster_resolver.task_id
    x, y = data()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH)
    with strategy.scope():
        model = build()
    backup = os.path.join(directory, "backup") if rank == 0 else os.path.join(directory, f"workertemp_{rank}")
    epochs = Epochs(rank, fail=mode == "interrupt")
    model.fit(dataset, epochs=EPOCHS, verbose=0,
              callbacks=[keras.callbacks.BackupAndRestore(backup, delete_checkpoint=False), epochs])
    result = {f"distributed_{i}": w for i, w in enumerate(model.get_weights())}
    result["epochs"] = np.array(epochs.epochs)
    if rank == 0:
        reference = build()
        reference.fit(dataset, epochs=EPOCHS, verbose=0)
        result.update({f"reference_{i}": w for i, w in enumerate(reference.get_weights())})
    np.savez(os.path.join(directory, f"backup-{rank}.npz"), **result)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
