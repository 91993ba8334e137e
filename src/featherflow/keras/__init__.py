"""``tf.keras``: Keras 3, with its TensorFlow backend running on featherflow.

With Keras installed (``pip install 'featherflow[keras]'``), every name here is Keras's own
(``keras._tf_keras.keras``, what TensorFlow 2.21's ``tf.keras`` is): ``tf.keras.Sequential``, ``layers``,
``losses``, ``callbacks``, ... Keras is imported on the first access, never by ``import featherflow``, and for
its ``import tensorflow`` to find featherflow that access makes featherflow this process's ``tensorflow``
(:func:`featherflow.use_as_tensorflow`). Without Keras, ``tf.keras.optimizers`` is featherflow's own
Keras-3-compatible optimizers (also ``tf.optimizers``) and any other name says to install the extra.

>>> import featherflow as tf
>>> tf.keras.optimizers.SGD(learning_rate=0.1).learning_rate.numpy()
np.float32(0.1)
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from typing import Any

_SUPPORTED = ((3, 15), (3, 16))  # the tested range of Keras versions, as pinned by the `keras` extra
_keras: Any = None


def _load() -> Any:
    """Keras's ``tf.keras`` module, running on featherflow; None when Keras is not installed."""
    global _keras
    if _keras is not None:
        return _keras
    if sys.modules.get("keras") is None and importlib.util.find_spec("keras") is None:
        return None
    from .._tensorflow import use_as_tensorflow

    use_as_tensorflow()
    backend = os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    if backend != "tensorflow":
        raise ImportError(f"tf.keras is Keras with its TensorFlow backend, but KERAS_BACKEND={backend!r}: unset it "
                          "or set it to 'tensorflow' to use Keras on featherflow")
    import keras

    version = tuple(int(p) for p in keras.__version__.split(".")[:2])
    if not _SUPPORTED[0] <= version < _SUPPORTED[1]:
        raise ImportError(f"featherflow runs Keras {_SUPPORTED[0][0]}.{_SUPPORTED[0][1]}.x; Keras "
                          f"{keras.__version__} is installed: pip install 'featherflow[keras]'")
    if keras.backend.backend() != "tensorflow":
        raise ImportError(f"Keras is already imported with its {keras.backend.backend()!r} backend; tf.keras is Keras "
                          "with its TensorFlow backend (set KERAS_BACKEND=tensorflow before Keras is imported)")
    _keras = importlib.import_module("keras._tf_keras.keras")
    return _keras


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    keras = _load()
    if keras is None:
        if name == "optimizers":
            from .. import optimizers

            return optimizers
        raise ModuleNotFoundError(
            f"tf.keras.{name} is Keras 3's, and Keras is not installed: pip install 'featherflow[keras]' (without "
            "it, featherflow's tf.keras has only optimizers)", name="keras")
    return getattr(keras, name)


def __dir__() -> list[str]:
    keras = _load()
    return sorted(dir(keras)) if keras is not None else ["optimizers"]
