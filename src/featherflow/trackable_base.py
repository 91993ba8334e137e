"""The base of the checkpoint's object graph: ``Trackable`` (named children, deferred restores), the named
edge ``TrackableReference``, restore ordering ids, and the helpers that treat a ``tf.Variable`` as a leaf node.

``trackable`` builds automatic tracking on this (``AutoTrackable`` and the list, dict and tuple wrappers), as
TensorFlow's ``trackable/autotrackable.py`` and ``data_structures.py`` build on ``trackable/base.py``.

>>> from featherflow.trackable_base import Trackable, children_of
>>> import featherflow as tf
>>> node = Trackable()
>>> v = node._track_trackable(tf.Variable(1.0), "v")
>>> list(children_of(node)), children_of(v)
(['v'], {})
"""

from __future__ import annotations

import functools
from typing import Any

from .variable import Variable

VARIABLE_VALUE_KEY = "VARIABLE_VALUE"
OBJECT_GRAPH_PROTO_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"
SERIALIZE_TO_TENSORS_NAME = ".TENSORS"


# ---------------------------------------------------------------- the base classes


class TrackableReference:
    """A named edge to a child (``name``, ``ref``); unpacks like a pair."""

    __slots__ = ("_name", "_ref")

    def __init__(self, name: str, ref: Any) -> None:
        self._name = name
        self._ref = ref

    @property
    def name(self) -> str:
        return self._name

    @property
    def ref(self) -> Any:
        return self._ref

    def __iter__(self) -> Any:
        yield self._name
        yield self._ref

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(name={self._name}, ref={self._ref})"


_uids = iter(range(1, 1 << 62))


def new_uid() -> int:
    """A process-wide increasing id (TF's ``ops.uid``): orders restores, newest wins."""
    return next(_uids)


class Trackable:
    """An object that can have named children in a checkpoint (no automatic tracking).

    The bookkeeping attributes are created lazily by ``_maybe_initialize_trackable``
    under TF's names, so ``tf.Module._flatten()`` sees the same attributes as in TF.
    """

    def _maybe_initialize_trackable(self) -> None:
        d = self.__dict__
        if "_self_unconditional_checkpoint_dependencies" in d:
            return
        d.setdefault("_self_setattr_tracking", True)
        d["_self_unconditional_checkpoint_dependencies"] = []
        d["_self_unconditional_dependency_names"] = {}
        d["_self_unconditional_deferred_dependencies"] = {}
        d["_self_update_uid"] = -1
        d["_self_name_based_restores"] = set()
        d["_self_saveable_object_factories"] = {}

    @property
    def _update_uid(self) -> int:
        self._maybe_initialize_trackable()
        return self.__dict__["_self_update_uid"]

    @_update_uid.setter
    def _update_uid(self, value: int) -> None:
        self._maybe_initialize_trackable()
        self.__dict__["_self_update_uid"] = value

    @property
    def _checkpoint_dependencies(self) -> list[TrackableReference]:
        self._maybe_initialize_trackable()
        return self.__dict__["_self_unconditional_checkpoint_dependencies"]

    @property
    def _deferred_dependencies(self) -> dict[str, list]:
        """Checkpoint positions waiting for a child of that name to be tracked."""
        self._maybe_initialize_trackable()
        return self.__dict__["_self_unconditional_deferred_dependencies"]

    def _lookup_dependency(self, name: str, cached_dependencies: dict | None = None) -> Any:
        if cached_dependencies:
            return cached_dependencies.get(name)
        self._maybe_initialize_trackable()
        return self.__dict__["_self_unconditional_dependency_names"].get(name)

    def _trackable_children(self, save_type: str = "checkpoint", **kwargs: Any) -> dict[str, Any]:
        """This object's children, name -> object, in the order they were first tracked."""
        return {ref.name: ref.ref for ref in self._checkpoint_dependencies}

    def _track_trackable(self, trackable: Any, name: str, overwrite: bool = False) -> Any:
        """Declares ``trackable`` a child called ``name`` and restores any value waiting for it."""
        self._maybe_initialize_trackable()
        if not is_trackable(trackable):
            raise TypeError("Trackable._track_trackable() can only be used to track objects of type Trackable. "
                            f"Got type {type(trackable)}.")
        if not self.__dict__.get("_manual_tracking", True):
            return trackable
        names = self.__dict__["_self_unconditional_dependency_names"]
        deps = self.__dict__["_self_unconditional_checkpoint_dependencies"]
        current = names.get(name)
        if current is not None and current is not trackable:
            if not overwrite:
                raise ValueError(f"Called Trackable._track_trackable() with name='{name}', but a Trackable with this "
                                 "name is already declared as a dependency. Names must be unique (or overwrite=True).")
            for index, ref in enumerate(deps):
                if ref.name == name:  # the replacement keeps the old child's position
                    deps[index] = TrackableReference(name, trackable)
        elif current is None:
            deps.append(TrackableReference(name, trackable))
            self._handle_deferred_dependencies(name, trackable)
        names[name] = trackable
        return trackable

    def _handle_deferred_dependencies(self, name: str, trackable: Any) -> None:
        """Restores the checkpoint values queued for child ``name`` into ``trackable``, newest restore first."""
        pending = self._deferred_dependencies.pop(name, ())
        for position in sorted(pending, key=lambda p: p.restore_uid, reverse=True):
            position.restore(trackable)

    def _serialize_to_tensors(self) -> dict[str, Any]:
        """Override (with ``_restore_from_tensors``) to save tensors other than through variables."""
        raise NotImplementedError

    def _restore_from_tensors(self, restored_tensors: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _add_variable_with_custom_getter(self, name: str, initializer: Any, dtype: Any = None,
                                         trainable: bool = True, overwrite: bool = False, **kwargs: Any) -> Variable:
        """Creates a variable child ``name``; a restore waiting for it supplies its value."""
        variable = Variable(initializer, dtype=dtype, trainable=trainable, name=name)
        return self._track_trackable(variable, name=name, overwrite=overwrite)


def _no_tracking(method: Any) -> Any:
    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        previous = self.__dict__.get("_self_setattr_tracking", True)
        self.__dict__["_self_setattr_tracking"] = False
        try:
            return method(self, *args, **kwargs)
        finally:
            self.__dict__["_self_setattr_tracking"] = previous

    return wrapper


no_automatic_dependency_tracking = _no_tracking


def is_trackable(obj: Any) -> bool:
    """Whether ``obj`` can be a node of the object graph (a Trackable or a ``tf.Variable``)."""
    return isinstance(obj, (Trackable, Variable))


def children_of(obj: Any) -> dict[str, Any]:
    """``obj``'s children in the object graph; a variable has none."""
    if isinstance(obj, Trackable):
        return obj._trackable_children()
    return {}


def update_uid(obj: Any) -> int:
    if isinstance(obj, Trackable):
        return obj._update_uid
    return obj.__dict__.get("_self_update_uid", -1)


def set_update_uid(obj: Any, value: int) -> None:
    if isinstance(obj, Trackable):
        obj._update_uid = value
    else:
        obj.__dict__["_self_update_uid"] = value


def has_serialize_to_tensors(obj: Any) -> bool:
    return isinstance(obj, Trackable) and type(obj)._serialize_to_tensors is not Trackable._serialize_to_tensors
