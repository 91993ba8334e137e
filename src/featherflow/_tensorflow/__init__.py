"""The compat layer: ``import tensorflow`` (and the private ``tensorflow.*`` paths Keras imports) resolving to
featherflow, for programs written for TensorFlow that are run unmodified (``featherflow run script.py``,
:func:`use_as_tensorflow`), and for Keras's TensorFlow backend behind ``tf.keras``.

This package *is* the ``tensorflow`` module of such a process: a public name (``tensorflow.Variable``,
``tensorflow.data``) is featherflow's own object, read through :func:`__getattr__`; a module path below it
(``tensorflow.python.eager.context``) is this package's module of that path where TF's is private, and
featherflow's public namespace of that name otherwise. Nothing else in featherflow imports this layer.

>>> import featherflow as ff
>>> ff.use_as_tensorflow()
>>> import tensorflow as tf
>>> tf.Variable is ff.Variable
True
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

import featherflow as _ff

# The TensorFlow release whose API featherflow follows: what `tf.__version__` says to programs (and to Keras,
# which compares it) when featherflow stands in for TensorFlow. featherflow's own version is featherflow.__version__.
__version__ = "2.21.0"
VERSION = __version__

_PRIVATE = __name__  # "featherflow._tensorflow": private module paths live below it


def __getattr__(name: str) -> Any:
    if name == "__internal__":
        value: Any = importlib.import_module(f"{_PRIVATE}._internal")
    else:
        try:
            value = getattr(_ff, name)
        except AttributeError:
            raise AttributeError(f"module 'tensorflow' has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(dir(_ff)) | {"__internal__", "__version__"})


class _Alias(importlib.abc.Loader):
    """Loads ``tensorflow.<path>`` as an existing featherflow module object (the same object, so ``isinstance``
    and module state are shared)."""

    def __init__(self, module: types.ModuleType) -> None:
        self.module = module

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        self.own_spec = self.module.__spec__
        return self.module

    def exec_module(self, module: types.ModuleType) -> None:
        module.__spec__ = self.own_spec  # the import system set it to the alias's: the module keeps its own


class TensorflowFinder(importlib.abc.MetaPathFinder):
    """Resolves ``tensorflow`` and ``tensorflow.*`` to featherflow (first on ``sys.meta_path``)."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != "tensorflow" and not fullname.startswith("tensorflow."):
            return None
        module = _resolve(fullname)
        if module is None:
            return None  # no such module: the import fails with ModuleNotFoundError, as under TF
        spec = importlib.machinery.ModuleSpec(fullname, _Alias(module), is_package=hasattr(module, "__path__"))
        return spec


def _resolve(fullname: str) -> types.ModuleType | None:
    """featherflow's module for a ``tensorflow`` module path, or None when featherflow has none: a public
    namespace (``tensorflow.data``, ``tensorflow.compat.v1``) first, else this layer's module of that path."""
    if fullname == "tensorflow":
        return sys.modules[__name__]
    relative = fullname[len("tensorflow."):]
    value: Any = sys.modules[__name__]
    for part in relative.split("."):
        value = getattr(value, part, None)
        if not isinstance(value, types.ModuleType):
            break
    else:
        return value
    private = f"{_PRIVATE}.{relative}"
    try:
        return importlib.import_module(private)
    except ModuleNotFoundError as error:
        if error.name is None or not private.startswith(error.name):
            raise  # a module of this layer that exists but failed to import
    return None


_FINDER = TensorflowFinder()

# featherflow's classes as TF's module tree places them: the module here, and the class's name there. Libraries
# written for several backends (Keras's data adapters) recognise TF's values by class name and by a module path
# inside ``tensorflow.python``; in a process where featherflow is `tensorflow`, its classes say they live at these
# paths (each module re-exports its class under that name, so pickling still finds them).
_TF_CLASSES = {
    "python.framework.ops": ("Tensor",),
    "python.framework.sparse_tensor": ("SparseTensor",),
    "python.ops.ragged.ragged_tensor": ("RaggedTensor",),
    "python.data.ops.dataset_ops": ("DatasetV2",),
    "python.distribute.input_lib": ("DistributedDataset", "DistributedDatasetsFromFunction", "DistributedIterator"),
}


def _present_classes_as_tensorflow() -> None:
    for path, names in _TF_CLASSES.items():
        module = importlib.import_module(f"{_PRIVATE}.{path}")
        for name in names:
            cls = getattr(module, name)
            cls.__module__, cls.__name__, cls.__qualname__ = module.__name__, name, name


def use_as_tensorflow() -> None:
    """Makes ``import tensorflow`` (and ``import keras`` with its TensorFlow backend) load featherflow in this
    process. Call it before either is imported; it refuses when real TensorFlow already is."""
    real = sys.modules.get("tensorflow")
    if real is not None and real is not sys.modules[__name__]:
        raise RuntimeError(
            "featherflow cannot stand in for TensorFlow in this process: real TensorFlow "
            f"({getattr(real, '__file__', real)!r}) is already imported. Call featherflow.use_as_tensorflow() "
            "(or start the program with `featherflow run`) before anything imports tensorflow."
        )
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    sys.modules["tensorflow"] = sys.modules[__name__]
    _present_classes_as_tensorflow()
    from .keras_backend import install

    install()


def run_program(program: str, args: list[str], module: bool = False) -> None:
    """Runs a script (or, with ``module``, a module, as ``python -m`` does) as ``__main__``, with featherflow as
    its ``tensorflow`` and ``args`` as its command-line arguments: ``featherflow run``."""
    import os
    import runpy

    use_as_tensorflow()
    sys.argv = [program, *args]
    if module:
        sys.path.insert(0, os.getcwd())
        runpy.run_module(program, run_name="__main__", alter_sys=True)
    else:
        sys.path.insert(0, os.path.dirname(os.path.abspath(program)))
        runpy.run_path(program, run_name="__main__")
