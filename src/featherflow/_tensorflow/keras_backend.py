"""What featherflow supplies to Keras's TensorFlow backend in place of graph tracing.

Keras builds functional models by inferring each layer's output shape symbolically: its TensorFlow backend traces
the call into a scratch ``FuncGraph`` fed by placeholders. featherflow has no graphs, so it infers shapes eagerly,
as Keras's own NumPy and PyTorch backends do: the call runs on zero-filled tensors twice, with every unknown
dimension (``None``) given two different sizes (83, then 89), and an output dimension that differs between the
two runs is unknown. Shapes that depend on values (``tf.unique``) come out as the zeros' sizes, where a graph would
say ``None``. :func:`install` puts :func:`compute_output_spec` into the backend when Keras loads it.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

_BACKEND_CORE = "keras.src.backend.tensorflow.core"
_FILL = (83, 89)  # Keras's NumPy backend's sizes: primes unlikely to equal a real dimension


def compute_output_spec(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """The KerasTensors ``fn(*args, **kwargs)`` returns, for KerasTensor arguments."""
    from keras.src import tree
    from keras.src.backend.common import standardize_dtype
    from keras.src.backend.common.keras_tensor import KerasTensor
    from keras.src.backend.common.stateless_scope import StatelessScope
    from keras.src.backend.common.symbolic_scope import SymbolicScope

    import featherflow as tf

    def unknown(x: Any) -> bool:
        return isinstance(x, KerasTensor) and None in x.shape

    def realize(x: Any, fill: int) -> Any:
        if not isinstance(x, KerasTensor):
            return x
        shape = [fill if d is None else d for d in x.shape]
        if x.sparse:
            return tf.SparseTensor(tf.zeros([0, len(shape)], tf.int64), tf.zeros([0], x.dtype), shape)
        return tf.zeros(shape, x.dtype)

    def spec(x: Any) -> Any:
        if isinstance(x, tf.SparseTensor):
            return KerasTensor(x.shape, standardize_dtype(x.dtype), sparse=True)
        if isinstance(x, tf.RaggedTensor):
            return KerasTensor(x.shape, standardize_dtype(x.dtype), ragged=True)
        if tf.is_tensor(x):
            return KerasTensor(x.shape, standardize_dtype(x.dtype))
        return x

    with StatelessScope(), SymbolicScope():
        structure = (args, kwargs)
        first = fn(*tree.map_structure(lambda x: realize(x, _FILL[0]), args),
                   **tree.map_structure(lambda x: realize(x, _FILL[0]), kwargs))
        outputs = tree.map_structure(spec, first)
        if any(unknown(x) for x in tree.flatten(structure)):
            second = fn(*tree.map_structure(lambda x: realize(x, _FILL[1]), args),
                        **tree.map_structure(lambda x: realize(x, _FILL[1]), kwargs))
            merged = []
            for a, b in zip(tree.flatten(outputs), tree.flatten(tree.map_structure(spec, second))):
                if isinstance(a, KerasTensor):
                    shape = [d if d == e else None for d, e in zip(a.shape, b.shape)]
                    a = KerasTensor(shape, a.dtype, sparse=a.sparse, ragged=a.ragged)
                merged.append(a)
            outputs = tree.pack_sequence_as(outputs, merged)
    return outputs


class _PatchOnLoad(importlib.abc.Loader):
    """Runs Keras's module, then puts featherflow's functions into it."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        self.loader.exec_module(module)
        module.compute_output_spec = compute_output_spec


class KerasBackendFinder(importlib.abc.MetaPathFinder):
    """Finds Keras's TensorFlow backend core as usual, and patches it as it loads."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != _BACKEND_CORE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _PatchOnLoad(spec.loader)
        return spec


def install() -> None:
    """Makes Keras's TensorFlow backend infer shapes with :func:`compute_output_spec` (before Keras loads)."""
    if _BACKEND_CORE in sys.modules:
        sys.modules[_BACKEND_CORE].compute_output_spec = compute_output_spec
        for name in ("keras.src.backend.tensorflow", "keras.src.backend"):
            if name in sys.modules:
                sys.modules[name].compute_output_spec = compute_output_spec
    elif not any(isinstance(f, KerasBackendFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, KerasBackendFinder())
