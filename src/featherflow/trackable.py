"""Trackable objects: attribute assignment names the edges of the checkpoint's object graph.

An ``AutoTrackable`` (the base of ``tf.Module`` and ``tf.train.Checkpoint``)
records every trackable value assigned to one of its attributes as a named
child, in assignment order, as TensorFlow's ``AutoTrackable`` does. Lists,
dicts and tuples assigned to attributes are wrapped (``ListWrapper``,
``_DictWrapper``, ``_TupleWrapper``), and each wrapper is a node of its own
whose children are named ``"0"``, ``"1"``, ... or by the dict's keys. A
checkpoint position waiting for a child that does not exist yet is kept in
``_deferred_dependencies`` and restored the moment the child is tracked:
that is how a variable created after ``restore()`` gets its saved value.

``tf.Variable`` is a trackable leaf (one attribute, ``VARIABLE_VALUE``, no
children); featherflow keeps its restore bookkeeping in the variable's
``__dict__`` so ``variable.py`` stays free of checkpoint code.

>>> import featherflow as tf
>>> from featherflow.trackable import AutoTrackable
>>> root = AutoTrackable()
>>> root.layers = [tf.Variable(1.0)]
>>> type(root.layers).__name__, list(root._trackable_children()), list(root.layers._trackable_children())
('ListWrapper', ['layers'], ['0'])
"""

from __future__ import annotations

import collections
import copy
from typing import Any

# the base of the object graph; all of it is re-exported: the checkpoint, the optimizers and the tests import it
# from here
from .trackable_base import OBJECT_GRAPH_PROTO_KEY as OBJECT_GRAPH_PROTO_KEY
from .trackable_base import SERIALIZE_TO_TENSORS_NAME as SERIALIZE_TO_TENSORS_NAME
from .trackable_base import VARIABLE_VALUE_KEY as VARIABLE_VALUE_KEY
from .trackable_base import Trackable as Trackable
from .trackable_base import TrackableReference as TrackableReference
from .trackable_base import children_of as children_of
from .trackable_base import has_serialize_to_tensors as has_serialize_to_tensors
from .trackable_base import is_trackable as is_trackable
from .trackable_base import new_uid as new_uid
from .trackable_base import set_update_uid as set_update_uid
from .trackable_base import update_uid as update_uid


class AutoTrackable(Trackable):
    """Tracks trackable values assigned to attributes, wrapping lists, dicts and tuples (TF's ``AutoTrackable``)."""

    def __setattr__(self, name: str, value: Any) -> None:
        try:
            if getattr(self, name) is value:
                return  # reassigning the same object keeps its wrapper and its position
        except AttributeError:
            pass
        if self.__dict__.get("_self_setattr_tracking", True):
            value = sticky_attribute_assignment(self, name, value)
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        self._delete_tracking(name)
        super().__delattr__(name)

    def _delete_tracking(self, name: str) -> None:
        self._maybe_initialize_trackable()
        names = self.__dict__["_self_unconditional_dependency_names"]
        if name in names:
            del names[name]
            deps = self.__dict__["_self_unconditional_checkpoint_dependencies"]
            for index, ref in enumerate(deps):
                if ref.name == name:
                    del deps[index]
                    break

    def _no_dependency(self, value: Any) -> NoDependency:
        return NoDependency(value)

    def _add_trackable_child(self, name: str, value: Any) -> None:
        self.__setattr__(name, value)


# ---------------------------------------------------------------- wrapping containers (data_structures.py)


class NoDependency:
    """Assigns a value to an attribute without making it a checkpoint dependency (and without wrapping it)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _should_wrap_tuple(t: tuple) -> bool:
    for element in t:
        if isinstance(element, NoDependency) or is_trackable(element):
            return True
        if type(element) in (dict, collections.OrderedDict, list):
            return True
        if isinstance(element, tuple) and _should_wrap_tuple(element):
            return True
    return False


def wrap_or_unwrap(value: Any) -> Any:
    """Plain lists, dicts and tuples holding trackables become trackable wrappers; NoDependency is unwrapped."""
    if isinstance(value, NoDependency):
        return value.value
    if is_trackable(value):
        return value
    if type(value) in (dict, collections.OrderedDict):
        return _DictWrapper(value)
    if type(value) is list:
        return ListWrapper(value)
    if isinstance(value, tuple) and _should_wrap_tuple(value):
        return _TupleWrapper(value)
    return value


def sticky_attribute_assignment(trackable: Trackable, name: str, value: Any) -> Any:
    """Wraps ``value`` and tracks it as child ``name`` of ``trackable``; returns what to store."""
    add_dependency = not isinstance(value, NoDependency)
    value = wrap_or_unwrap(value)
    if add_dependency and is_trackable(value):
        trackable._track_trackable(value, name=name, overwrite=True)
    return value


class TrackableDataStructure(Trackable):
    """Base of the wrappers: a node whose children are its trackable elements."""

    def _track_value(self, value: Any, name: Any) -> Any:
        value = sticky_attribute_assignment(self, name, value)
        if not is_trackable(value):
            raise _UntrackableError(value)
        return value


class _UntrackableError(ValueError):
    def __init__(self, value: Any) -> None:
        super().__init__(f"Only trackable objects (such as Layers or Optimizers) may be stored in a List object. Got "
                         f"{value}, which does not inherit from Trackable.")


def _same_items(a: Any, b: Any) -> bool:
    """Element identity, so variables (whose == is elementwise) never get compared by value."""
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


_NON_APPEND = ("Unable to save the object {} (a list wrapper constructed to track trackable TensorFlow objects). A "
               "list element was replaced (__setitem__, __setslice__), deleted (__delitem__, __delslice__), or moved "
               "(sort). In order to support restoration on object creation, tracking is exclusively for append-only "
               "data structures.\n\nIf you don't need this list checkpointed, wrap it in a non-trackable object; it "
               "will be subsequently ignored.")
_LIST_EXTERNAL = ("Unable to save the object {} (a list wrapper constructed to track trackable TensorFlow objects). The "
                  "wrapped list was modified outside the wrapper (its final value was {}, its value when a checkpoint "
                  "dependency was added was None), which breaks restoration on object creation.\n\nIf you don't need "
                  "this list checkpointed, wrap it in a NoDependency object; it will be subsequently ignored.")


class ListWrapper(TrackableDataStructure, list):
    """A list assigned to a trackable's attribute: children ``"0"``, ``"1"``, ... (TF's ``ListWrapper``).

    Appends are tracked; replacing, deleting or moving an element that is a
    trackable makes the list unsaveable, as in TF (restore-on-create relies on
    positions). The wrapper keeps the user's original list in step with its
    own changes, so a change made to the original list behind the wrapper's
    back is detected at save time. Unlike TF's (which shares the original's
    storage), such a change is not visible through the wrapper.
    """

    def __init__(self, wrapped_list: Any = ()) -> None:
        original = wrapped_list if type(wrapped_list) is list else None
        list.__init__(self, wrapped_list)
        self.__dict__["_self_original"] = original
        self.__dict__["_non_append_mutation"] = False
        self.__dict__["_external_modification"] = False
        for index, element in enumerate(list(self)):
            list.__setitem__(self, index, self._track_value(element, str(index)))
        self._sync()

    def _track_value(self, value: Any, name: Any) -> Any:
        try:
            return super()._track_value(value, name)
        except ValueError:  # non-trackable elements are allowed, just not tracked
            return sticky_attribute_assignment(self, name, value)

    def _sync(self) -> None:
        original = self.__dict__["_self_original"]
        if original is not None and not self.__dict__["_external_modification"]:
            original[:] = self

    def _check_external_modification(self, full: bool = True) -> None:
        """Compares the original list with the wrapper: fully at save time, by length on each append
        (a full comparison per append would make building a long list quadratic)."""
        original = self.__dict__["_self_original"]
        d = self.__dict__
        if d["_external_modification"] or d["_non_append_mutation"] or original is None:
            return
        if len(original) != len(self) or (full and not _same_items(original, self)):
            d["_external_modification"] = True

    def _has_mutation_or_trackable(self) -> bool:
        return self.__dict__["_non_append_mutation"] or any(is_trackable(e) for e in self)

    def _mark_non_append(self) -> None:
        self.__dict__["_non_append_mutation"] = True

    def _trackable_children(self, save_type: str = "checkpoint", **kwargs: Any) -> dict[str, Any]:
        self._check_external_modification()
        if self.__dict__["_non_append_mutation"]:
            raise ValueError(_NON_APPEND.format(self))
        if self.__dict__["_external_modification"]:
            raise ValueError(_LIST_EXTERNAL.format(self, self.__dict__["_self_original"]))
        return super()._trackable_children(save_type, **kwargs)

    # -- mutations: appends are tracked, anything that moves a trackable marks the list unsaveable

    def append(self, value: Any) -> None:
        self._check_external_modification(full=False)
        value = self._track_value(value, str(len(self)))
        list.append(self, value)
        original = self.__dict__["_self_original"]
        if original is not None and not self.__dict__["_external_modification"]:
            original.append(value)

    def extend(self, values: Any) -> None:
        for value in list(values):
            self.append(value)

    def __iadd__(self, values: Any) -> ListWrapper:
        self.extend(values)
        return self

    def __imul__(self, y: int) -> ListWrapper:
        if y <= 0:
            self._check_external_modification()
            if self._has_mutation_or_trackable():
                self._mark_non_append()
            list.__imul__(self, y)
            self._sync()
            return self
        n = len(self)
        for _ in range(y - 1):
            for i in range(n):
                self.append(self[i])
        return self

    def __setitem__(self, key: Any, value: Any) -> None:
        self._check_external_modification()
        if isinstance(key, slice):
            before = list(self)
            list.__setitem__(self, key, value)
            for i in range(max(len(before), len(self))):
                now = list.__getitem__(self, i) if i < len(self) else None
                old = before[i] if i < len(before) else None
                if is_trackable(old):
                    self._mark_non_append()
                if now is not None and now is not old:
                    list.__setitem__(self, i, self._track_value(now, str(i)))
        else:
            if is_trackable(list.__getitem__(self, key)):
                self._mark_non_append()
            index = key if key >= 0 else key + len(self)
            list.__setitem__(self, key, self._track_value(value, str(index)))
        self._sync()

    def _removing(self, mutate: Any, *args: Any) -> Any:
        self._check_external_modification()
        if self._has_mutation_or_trackable():
            self._mark_non_append()
        result = mutate(self, *args)
        self._sync()
        return result

    def __delitem__(self, key: Any) -> None:
        self._removing(list.__delitem__, key)

    def pop(self, index: int = -1) -> Any:
        return self._removing(list.pop, index)

    def remove(self, value: Any) -> None:
        self._removing(list.remove, value)

    def clear(self) -> None:
        self._removing(list.clear)

    def sort(self, *args: Any, **kwargs: Any) -> None:
        self._removing(lambda s: list.sort(s, *args, **kwargs))

    def reverse(self) -> None:
        self._removing(list.reverse)

    def insert(self, index: int, obj: Any) -> None:
        self._check_external_modification()
        if self._has_mutation_or_trackable() or is_trackable(obj):
            self._mark_non_append()
        list.insert(self, index, obj)
        self._sync()

    def __copy__(self) -> ListWrapper:
        copied = ListWrapper(list(self))
        copied.__dict__["_non_append_mutation"] = self.__dict__["_non_append_mutation"]
        copied.__dict__["_external_modification"] = self.__dict__["_external_modification"]
        return copied

    def __deepcopy__(self, memo: dict) -> ListWrapper:
        return ListWrapper(copy.deepcopy(list(self), memo))

    copy = __copy__

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (self.__class__, (list(self),))

    def __repr__(self) -> str:
        return f"ListWrapper({list.__repr__(self)})"

    __hash__ = None  # type: ignore[assignment]


_NON_STRING_KEY = ("Unable to save the object {} (a dictionary wrapper constructed automatically on attribute "
                   "assignment). The wrapped dictionary contains a non-string key which maps to a trackable object or "
                   "mutable data structure.\n\nIf you don't need this dictionary checkpointed, wrap it in a "
                   "non-trackable object; it will be subsequently ignored.")
_DICT_EXTERNAL = ("Unable to save the object {} (a dictionary wrapper constructed automatically on attribute "
                  "assignment). The wrapped dictionary was modified outside the wrapper (its final value was {}, its "
                  "value when a checkpoint dependency was added was None), which breaks restoration on object "
                  "creation.\n\nIf you don't need this dictionary checkpointed, wrap it in a non-trackable object; it "
                  "will be subsequently ignored.")


class _DictWrapper(TrackableDataStructure, dict):
    """A dict assigned to a trackable's attribute: children named by its string keys (TF's ``_DictWrapper``).

    Children are ordered by insertion. A non-string key holding a trackable makes
    the dict unsaveable, as in TF; changes made to the original dict behind the
    wrapper's back are detected at save time (but, unlike TF, not seen through
    the wrapper).
    """

    def __init__(self, wrapped_dict: Any = None) -> None:
        if wrapped_dict is None:
            wrapped_dict = {}
        original = wrapped_dict if type(wrapped_dict) in (dict, collections.OrderedDict) else None
        dict.__init__(self, wrapped_dict)
        self.__dict__["_self_original"] = original
        self.__dict__["_self_non_string_key"] = False
        self.__dict__["_self_external_modification"] = False
        for key, value in list(self.items()):
            dict.__setitem__(self, key, self._track_value(value, key))
        self._sync()

    def _track_value(self, value: Any, name: Any) -> Any:
        string_key = isinstance(name, str)
        if not string_key:
            name = "-non_string_key"
        try:
            no_dependency = isinstance(value, NoDependency)
            value = super()._track_value(value, name)
            if not (string_key or no_dependency):
                self.__dict__["_self_non_string_key"] = True
            return value
        except ValueError:
            return sticky_attribute_assignment(self, name, value)

    def _sync(self) -> None:
        original = self.__dict__["_self_original"]
        if original is not None and not self.__dict__["_self_external_modification"]:
            original.clear()
            original.update(dict.items(self))

    def _check_self_external_modification(self) -> None:
        d = self.__dict__
        original = d["_self_original"]
        if d["_self_external_modification"] or d["_self_non_string_key"] or original is None:
            return
        if list(original) != list(dict.keys(self)) or not _same_items(list(original.values()), list(self.values())):
            d["_self_external_modification"] = True

    def _trackable_children(self, save_type: str = "checkpoint", **kwargs: Any) -> dict[str, Any]:
        self._check_self_external_modification()
        if self.__dict__["_self_non_string_key"]:
            raise ValueError(_NON_STRING_KEY.format(dict.__repr__(self)))
        if self.__dict__["_self_external_modification"]:
            raise ValueError(_DICT_EXTERNAL.format(dict.__repr__(self), dict.__repr__(self)))
        return super()._trackable_children(save_type, **kwargs)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._check_self_external_modification()
        self._maybe_initialize_trackable()
        no_dep = isinstance(value, NoDependency)
        if isinstance(key, str):
            value = self._track_value(value, key)
        else:
            value = wrap_or_unwrap(value)
            if not no_dep and is_trackable(value):
                self.__dict__["_self_non_string_key"] = True
        dict.__setitem__(self, key, value)
        self._sync()

    def __delitem__(self, key: Any) -> None:
        self._check_self_external_modification()
        dict.__delitem__(self, key)
        self._sync()

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key: Any, *default: Any) -> Any:
        self._check_self_external_modification()
        result = dict.pop(self, key, *default)
        self._sync()
        return result

    def popitem(self) -> Any:
        self._check_self_external_modification()
        result = dict.popitem(self)
        self._sync()
        return result

    def clear(self) -> None:
        self._check_self_external_modification()
        dict.clear(self)
        self._sync()

    def __ior__(self, other: Any) -> _DictWrapper:
        self.update(other)
        return self

    def __copy__(self) -> _DictWrapper:
        copied = _DictWrapper(dict(self))
        copied.__dict__["_self_external_modification"] = self.__dict__["_self_external_modification"]
        copied.__dict__["_self_non_string_key"] = self.__dict__["_self_non_string_key"]
        return copied

    def __deepcopy__(self, memo: dict) -> _DictWrapper:
        return _DictWrapper(copy.deepcopy(dict(self), memo))

    copy = __copy__

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (self.__class__, (dict(self),))

    def __repr__(self) -> str:
        return f"DictWrapper({dict.__repr__(self)})"

    __hash__ = None  # type: ignore[assignment]


class _TupleWrapper(TrackableDataStructure, tuple):
    """A tuple holding trackables: children ``"0"``, ``"1"``, ... (and a namedtuple's field names first)."""

    def __new__(cls, original: tuple = ()) -> _TupleWrapper:
        return tuple.__new__(cls, [wrap_or_unwrap(e) for e in original])

    def __init__(self, original: tuple = ()) -> None:
        self.__dict__["_self_wrapped"] = original
        fields = getattr(original, "_fields", None)
        depend = [not isinstance(e, NoDependency) for e in original]
        if fields is not None:
            for name, should, element in zip(fields, depend, self):
                if should:
                    self._track_value(element, name)
        for index, (should, element) in enumerate(zip(depend, self)):
            if should:
                self._track_value(element, str(index))

    def _track_value(self, value: Any, name: Any) -> Any:
        try:
            return super()._track_value(value, name)
        except ValueError:
            return sticky_attribute_assignment(self, name, value)

    def __getattr__(self, name: str) -> Any:  # a namedtuple's fields and methods
        if name.startswith("__") or name == "_self_wrapped":
            raise AttributeError(name)
        return getattr(self.__dict__["_self_wrapped"], name)

    def __repr__(self) -> str:
        return f"_TupleWrapper({self.__dict__['_self_wrapped']!r})"

    def __copy__(self) -> _TupleWrapper:
        return _TupleWrapper(copy.copy(self.__dict__["_self_wrapped"]))

    def __deepcopy__(self, memo: dict) -> _TupleWrapper:
        return _TupleWrapper(copy.deepcopy(self.__dict__["_self_wrapped"], memo))

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (self.__class__, (self.__dict__["_self_wrapped"],))
