"""``tensorflow.python.framework.composite_tensor``: ``CompositeTensor``, the abstract class of values made of
tensors (SparseTensor, RaggedTensor, IndexedSlices, datasets). featherflow's composites follow its component
protocol (``_type_spec`` and ``_to_components``, see ``featherflow.nest``) rather than inheriting from a base,
so this class recognises them by it (``isinstance`` works; so does subclassing it, as ExtensionTypes do)."""

from __future__ import annotations

import abc
from typing import Any


class CompositeTensor(metaclass=abc.ABCMeta):  # noqa: B024 - a class for isinstance, with no methods to require
    """A value whose parts are tensors (``tf.__internal__.CompositeTensor``)."""

    @classmethod
    def __subclasshook__(cls, subclass: type) -> Any:
        if cls is CompositeTensor and hasattr(subclass, "_to_components") and hasattr(subclass, "_type_spec"):
            return True
        return NotImplemented
