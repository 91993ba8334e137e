"""Keras ``model.fit`` under MultiWorkerMirroredStrategy (run by mpiexec), as TF's multi-worker Keras tutorial:
a small float64 Sequential model trained on a dataset of global batches; then, on the chief, the same model
trained in one process on the whole global batches. Each worker writes its final weights (and the chief the
reference's) to argv[1]/keras-<rank>.npz."""

import os
import sys

import featherflow as ff

ff.use_as_tensorflow()

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import keras  # noqa: E402

GLOBAL_BATCH, STEPS, EPOCHS = 8, 4, 2


def data():
    rng = np.random.RandomState(0)
    x = rng.randn(GLOBAL_BATCH * STEPS, 4)
    return x, np.tanh(x @ rng.randn(4, 1)) + 0.1 * rng.randn(GLOBAL_BATCH * STEPS, 1)


class Sequential(keras.Sequential):
    """Keras 3's ``fit`` reduces each replica's logs with ``strategy.reduce("MEAN", value, axis=0)`` under a
    multi-worker ``MultiWorkerMirroredStrategy``: scalar logs (the loss, the metrics) fail there, under real
    TensorFlow as here (tensorflow/tensorflow#72388). Logs of shape [1] are reduced as Keras means them to be:
    the mean over the replicas."""

    def train_step(self, data):
        return {name: tf.reshape(value, [1]) for name, value in super().train_step(data).items()}


def build():
    model = Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)])
    rng = np.random.RandomState(1)
    model.set_weights([rng.randn(*w.shape) * 0.5 for w in model.get_weights()])
    model.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.5), loss="mse", metrics=["mae"])
    return model


def main(directory):
    keras.backend.set_floatx("float64")
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    x, y = data()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH)
    with strategy.scope():
        model = build()
    history = model.fit(dataset, epochs=EPOCHS, verbose=0)
    rank = strategy.cluster_resolver.task_id
    result = {f"distributed_{i}": w for i, w in enumerate(model.get_weights())}
    result["loss"] = np.array(history.history["loss"]).reshape(-1)
    if rank == 0:
        reference = build()
        reference_history = reference.fit(dataset, epochs=EPOCHS, verbose=0)
        result.update({f"reference_{i}": w for i, w in enumerate(reference.get_weights())})
        result["reference_loss"] = np.array(reference_history.history["loss"]).reshape(-1)
    np.savez(os.path.join(directory, f"keras-{rank}.npz"), workers=strategy.extended._num_workers,
             replicas=strategy.num_replicas_in_sync, **result)


if __name__ == "__main__":
    main(sys.argv[1])
