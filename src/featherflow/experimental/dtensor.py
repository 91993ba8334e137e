"""``tf.experimental.dtensor``: DTensor, TF's mesh-sharded tensors, which featherflow does not implement.
Keras's TensorFlow backend imports the module when it loads (its ``keras.distribution`` API runs on it); every
name of it refuses with an error that says so, rather than failing later."""

from __future__ import annotations


def __getattr__(name: str) -> object:
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotImplementedError(
        f"tf.experimental.dtensor.{name}: featherflow does not implement DTensor (mesh-sharded tensors), so "
        "keras.distribution's DataParallel/ModelParallel cannot run on it; use a tf.distribute strategy instead")
