"""``tf.data.Iterator`` / ``IteratorSpec`` / ``NumpyIterator`` and ``tf.experimental.Optional``.

>>> import featherflow as tf
>>> it = iter(tf.data.Dataset.range(2))
>>> isinstance(it, tf.data.Iterator), int(it.get_next()), bool(it.get_next_as_optional().has_value())
(True, 0, True)
"""

from __future__ import annotations

import abc
from typing import Any

from .. import _tape_hooks, nest
from ..errors import InvalidArgumentError, OutOfRangeError
from ..tensor_spec import TypeSpec
from ..trackable_base import Trackable
from . import composite as _composite

_CPU = "/job:localhost/replica:0/task:0/device:CPU:0"


def _op_message(op: str, element_spec: Any, text: str) -> str:
    """TF's eager message for a failed iterator op (its function_node prefix counts the element's components)."""
    n = len(nest.flatten(element_spec))
    return f"{{{{function_node __wrapped__{op}_output_types_{n}_device_{_CPU}}}}} {text} [Op:{op}] name: "


class Iterator(abc.ABC):
    """An iterator over the elements of a ``tf.data.Dataset``."""

    @property
    @abc.abstractmethod
    def element_spec(self) -> Any:
        """The structure of TypeSpecs of one element."""

    @abc.abstractmethod
    def get_next(self) -> Any:
        """The next element; raises ``tf.errors.OutOfRangeError`` at the end."""

    @abc.abstractmethod
    def get_next_as_optional(self) -> Optional:
        """The next element as a ``tf.experimental.Optional`` (empty at the end)."""

    @abc.abstractmethod
    def __next__(self) -> Any:
        """The next element; raises ``StopIteration`` at the end."""


_STATE_PREFIX = b"featherflow.data iterator position "


class OwnedIterator(Iterator, Trackable):
    """The iterator ``iter(dataset)`` returns. It is trackable: a ``tf.train.Checkpoint`` saves its position
    (under TF's key ``ITERATOR_STATE``, as a one-element string tensor where TF saves its internal iterator state)
    and restoring replays the dataset to that position: a pipeline that yields the same order on every pass resumes
    where it was, while one that reshuffles each pass (``shuffle`` with ``reshuffle_each_iteration``) resumes at the
    position in a new order, where TF restores its shuffle buffer. TF's own iterator states cannot be read (nor
    ours by TF)."""

    def __init__(self, dataset: Any) -> None:
        self._dataset = dataset
        self._it = dataset._make_iter()
        self._position = 0

    def __iter__(self) -> OwnedIterator:
        return self

    def __next__(self) -> Any:
        if _tape_hooks.tracing:  # the pipeline's position is Python-side state
            _tape_hooks.refuse("it reads a dataset iterator")
        element = next(self._it)
        self._position += 1
        return element

    def next(self) -> Any:
        """The next element (Python 2 spelling of ``__next__``)."""
        return self.__next__()

    def get_next(self) -> Any:
        """The next element; raises ``tf.errors.OutOfRangeError`` at the end."""
        try:
            return self.__next__()
        except StopIteration:
            raise OutOfRangeError(None, None, _op_message("IteratorGetNext", self.element_spec, "End of sequence")) from None

    def get_next_as_optional(self) -> Optional:
        """The next element as a ``tf.experimental.Optional`` (empty at the end)."""
        try:
            return _OptionalImpl(self.__next__(), self.element_spec)
        except StopIteration:
            return Optional.empty(self.element_spec)

    def _serialize_to_tensors(self) -> dict[str, Any]:
        from ..tensor import constant

        return {"ITERATOR_STATE": constant([_STATE_PREFIX + str(self._position).encode()])}

    def _restore_from_tensors(self, restored_tensors: dict[str, Any]) -> None:
        import numpy as np

        state = np.asarray(restored_tensors["ITERATOR_STATE"]).reshape(-1)
        record = state[0] if state.size == 1 and isinstance(state[0], bytes) else b""
        if not record.startswith(_STATE_PREFIX):
            raise InvalidArgumentError(None, None, "featherflow restores only the iterator positions it saves: this "
                                                   "checkpoint holds another iterator state (TF's own, a DT_VARIANT)")
        position = int(record[len(_STATE_PREFIX):])
        self._it, self._position = self._dataset._make_iter(), 0
        for _ in range(position):
            self.__next__()

    @property
    def element_spec(self) -> Any:
        """The structure of TypeSpecs of one element."""
        return self._dataset.element_spec

    @property
    def _type_spec(self) -> IteratorSpec:
        return IteratorSpec(self.element_spec)


class NumpyIterator:
    """The iterator ``Dataset.as_numpy_iterator()`` returns: elements as NumPy values."""

    def __init__(self, dataset: Any) -> None:
        self._iterator = iter(dataset)

    def __iter__(self) -> NumpyIterator:
        return self

    def __next__(self) -> Any:
        return nest.map_structure(_composite.to_numpy, next(self._iterator))

    def next(self) -> Any:
        """The next element as NumPy values."""
        return self.__next__()

    def __repr__(self) -> str:
        return f"NumpyIterator(iterator={self._iterator!r})"


class IteratorSpec(TypeSpec):
    """The TypeSpec of a ``tf.data.Iterator``: the structure of its elements' specs."""

    __slots__ = ("_element_spec",)

    def __init__(self, element_spec: Any) -> None:
        self._element_spec = element_spec

    @property
    def value_type(self) -> type:
        return OwnedIterator

    def __eq__(self, other: Any) -> bool:
        return type(other) is type(self) and self._element_spec == other._element_spec

    def __hash__(self) -> int:
        return hash((type(self), repr(self._element_spec)))

    def __repr__(self) -> str:
        return f"IteratorSpec({self._element_spec!r},)"


class OptionalSpec(TypeSpec):
    """The TypeSpec of a ``tf.experimental.Optional``."""

    __slots__ = ("_element_spec",)

    def __init__(self, element_spec: Any) -> None:
        self._element_spec = element_spec

    @property
    def value_type(self) -> type:
        return _OptionalImpl

    def __eq__(self, other: Any) -> bool:
        return type(other) is type(self) and self._element_spec == other._element_spec

    def __hash__(self) -> int:
        return hash((type(self), repr(self._element_spec)))

    def __repr__(self) -> str:
        return f"OptionalSpec({self._element_spec!r},)"


class Optional(abc.ABC):
    """A value that may be absent (``tf.experimental.Optional``)."""

    @staticmethod
    def from_value(value: Any) -> Optional:
        """An Optional holding ``value`` (a nested structure of tensors)."""
        value = _composite.structure_tensors(value)
        return _OptionalImpl(value, _composite.structure_spec(value))

    @staticmethod
    def empty(element_spec: Any) -> Optional:
        """An Optional with no value, of the given element structure."""
        return _OptionalImpl(None, element_spec, has_value=False)

    @abc.abstractmethod
    def has_value(self, name: str | None = None) -> Any:
        """A scalar bool tensor: whether a value is present."""

    @abc.abstractmethod
    def get_value(self, name: str | None = None) -> Any:
        """The value; raises ``InvalidArgumentError`` when there is none."""

    @property
    @abc.abstractmethod
    def element_spec(self) -> Any:
        """The structure of TypeSpecs of the value."""


class _OptionalImpl(Optional):
    def __init__(self, value: Any, element_spec: Any, has_value: bool = True) -> None:
        self._value = value
        self._element_spec = element_spec
        self._has_value = has_value

    def has_value(self, name: str | None = None) -> Any:
        from ..ops.convert import tensor

        return tensor(self._has_value)

    def get_value(self, name: str | None = None) -> Any:
        if not self._has_value:
            raise InvalidArgumentError(None, None, _op_message("OptionalGetValue", self._element_spec,
                                                               "The given optional does not have a value."))
        return self._value

    @property
    def element_spec(self) -> Any:
        return self._element_spec

    @property
    def _type_spec(self) -> OptionalSpec:
        return OptionalSpec(self._element_spec)


def get_next_as_optional(iterator: Iterator) -> Optional:
    """The next element of ``iterator`` as an Optional (deprecated TF alias of ``Iterator.get_next_as_optional``)."""
    return iterator.get_next_as_optional()
