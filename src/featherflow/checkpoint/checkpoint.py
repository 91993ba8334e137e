"""``tf.train.Checkpoint``: object-based checkpoints in TensorFlow's own file format.

``save`` numbers checkpoints with a lazily created ``save_counter`` and
updates the ``checkpoint`` state file; ``write`` writes exactly one prefix;
``restore``/``read`` match saved nodes to live objects by the names of their
edges and return a status object whose assertions raise what TF raises.
Values for objects that don't exist yet are restored when they are created
and tracked.

>>> import os, tempfile
>>> import featherflow as tf
>>> model = tf.Module()
>>> model.v = tf.Variable([1.0, 2.0])
>>> path = tf.train.Checkpoint(model=model).save(os.path.join(tempfile.mkdtemp(), "ckpt"))
>>> os.path.basename(path)
'ckpt-1'
>>> fresh = tf.Module()
>>> status = tf.train.Checkpoint(model=fresh).restore(path)
>>> fresh.v = tf.Variable([0.0, 0.0])  # restored on creation
>>> fresh.v.numpy()
array([1., 2.], dtype=float32)
"""

from __future__ import annotations

import copy
import os
import weakref
from typing import Any

from .. import errors
from ..trackable import (
    OBJECT_GRAPH_PROTO_KEY,
    AutoTrackable,
    TrackableDataStructure,
    TrackableReference,
    children_of,
    is_trackable,
    update_uid,
)
from ..variable import Variable
from . import graph as _graph
from .restore import CheckpointPosition, RestoreCoordinator


class CheckpointOptions:
    """Options for ``save``/``write``/``restore``/``read`` (``tf.train.CheckpointOptions``).

    featherflow always reads and writes on the host and synchronously; the device
    and async options are accepted and kept for compatibility.

    >>> saved = []
    >>> options = CheckpointOptions(experimental_write_callbacks=[saved.append])
    >>> len(options.experimental_write_callbacks)
    1
    """

    __slots__ = ("experimental_io_device", "experimental_enable_async_checkpoint", "experimental_write_callbacks",
                 "enable_async", "experimental_sharding_callback", "experimental_skip_slot_variables")

    def __init__(self, experimental_io_device: str | None = None, experimental_enable_async_checkpoint: bool = False,
                 experimental_write_callbacks: list | None = None, enable_async: bool = False,
                 experimental_skip_slot_variables: bool = False, experimental_sharding_callback: Any = None) -> None:
        self.experimental_io_device = experimental_io_device
        self.enable_async = experimental_enable_async_checkpoint or enable_async
        self.experimental_enable_async_checkpoint = self.enable_async
        if experimental_write_callbacks is not None:
            import inspect  # on first use: it is slow to import

            for callback in experimental_write_callbacks:
                assert len(inspect.signature(callback).parameters) <= 1
        self.experimental_write_callbacks = experimental_write_callbacks
        self.experimental_sharding_callback = experimental_sharding_callback
        self.experimental_skip_slot_variables = experimental_skip_slot_variables

    def __copy__(self) -> CheckpointOptions:
        copied = CheckpointOptions.__new__(CheckpointOptions)
        for slot in self.__slots__:
            setattr(copied, slot, getattr(self, slot))
        return copied


def _execute_callbacks(callbacks: list, save_path: str) -> None:
    import inspect

    for callback in callbacks:
        count = len(inspect.signature(callback).parameters)
        if count == 0:
            callback()
        elif count == 1:
            callback(save_path)
        else:
            raise AssertionError("Callback functions for checkpoint are required to have 0 or 1parameters, but this "
                                 f"has {count} parameters: {callback}")


def list_objects(root: Any, attached: list | None = None, skip_slot_variables: bool = False) -> list[Any]:
    """Every object a save of ``root`` would write, in node order (slot variables last, unless skipped)."""
    objects = _graph.breadth_first(root, attached)[0]
    if skip_slot_variables or not any(hasattr(obj, "get_slot_names") for obj in objects):
        return objects
    return _graph.object_graph(root, attached)[0]


def _objects_with_attributes(objects: Any) -> list[Any]:
    return [o for o in objects if isinstance(o, Variable) or _graph.has_serialize_to_tensors(o)]


def _identity_difference(objects: list[Any], remove: list[Any]) -> list[Any]:
    removed = {id(o) for o in remove}
    return [o for o in objects if id(o) not in removed]


class _LoadStatus:
    def expect_partial(self) -> _LoadStatus:
        """Silences the warning about values left unrestored."""
        return self

    def run_restore_ops(self, session: Any = None) -> None:
        """A no-op: restoring runs eagerly."""

    def initialize_or_restore(self, session: Any = None) -> None:
        """A no-op: restoring and initialization run eagerly."""


class CheckpointLoadStatus(_LoadStatus):
    """What ``restore``/``read`` return: assertions about how the checkpoint matched the objects."""

    def __init__(self, checkpoint: RestoreCoordinator, root: Any, attached: list | None, options: Any) -> None:
        self._checkpoint = checkpoint
        self._root = root
        self._attached = attached
        self._options = options

    def _live_objects(self) -> list[Any]:
        skip = getattr(self._options, "experimental_skip_slot_variables", False)
        return list_objects(self._root, self._attached, skip)

    def assert_consumed(self) -> CheckpointLoadStatus:
        """Raises AssertionError unless every saved value was matched to an object and every object restored."""
        checkpoint = self._checkpoint
        proto = checkpoint.object_graph_proto
        from .restore import node_names

        self.assert_existing_objects_matched()
        ignore = set()
        if getattr(self._options, "experimental_skip_slot_variables", False):
            ignore = {s.slot_variable_node_id for n in proto.nodes for s in n.slot_variables}
        for node_id, node in enumerate(proto.nodes):
            if not node.attributes or node_id in ignore:
                continue
            if checkpoint.object_by_proto_id.get(node_id) is None:
                raise AssertionError(f"Unresolved object in checkpoint {node_names(proto)[node_id]}: {node}")
        if not getattr(self._options, "experimental_skip_slot_variables", False) and checkpoint.slot_restorations:
            raise AssertionError(f"Unresolved slot restorations: {checkpoint.slot_restorations}")
        if checkpoint.unused_attributes:
            names = node_names(proto)
            lines = [f"{names[node_id]} ({checkpoint.object_by_proto_id.get(node_id)}): {attribute}"
                     for node_id, attribute in checkpoint.unused_attributes.items()]
            raise AssertionError("Unused attributes in these objects (the attributes exist in the checkpoint but were "
                                 "not restored):\n" + "\n".join(lines))
        return self

    def assert_existing_objects_matched(self) -> CheckpointLoadStatus:
        """Raises AssertionError if an object reachable from the root has no value in the checkpoint."""
        checkpoint = self._checkpoint
        for node_id, node in enumerate(checkpoint.object_graph_proto.nodes):
            trackable = checkpoint.object_by_proto_id.get(node_id)
            if trackable is not None and update_uid(trackable) < checkpoint.restore_uid:
                raise AssertionError(f"Object {node} not assigned a value from checkpoint.")
        for obj in self._live_objects():
            if isinstance(obj, TrackableDataStructure) and not children_of(obj):
                continue  # containers without variables don't need a match
            checkpoint.all_python_objects[id(obj)] = obj
        unused = _identity_difference(_objects_with_attributes(checkpoint.all_python_objects.values()),
                                      checkpoint.object_by_proto_id.values())
        if unused:
            shown = min(10, len(unused))
            raise AssertionError(f"Found {len(unused)} Python objects that were not bound to checkpointed values, "
                                 f"likely due to changes in the Python program. Showing {shown} of {len(unused)} "
                                 f"unmatched objects: {unused[:shown]}")
        return self

    def assert_nontrivial_match(self) -> CheckpointLoadStatus:
        """Raises AssertionError if nothing but the root object matched."""
        checkpoint = self._checkpoint
        for obj in self._live_objects():
            checkpoint.all_python_objects[id(obj)] = obj
        if len(checkpoint.object_by_proto_id) <= 1:
            unused = _identity_difference(_objects_with_attributes(checkpoint.all_python_objects.values()),
                                          checkpoint.object_by_proto_id.values())
            if unused:
                raise AssertionError("Nothing except the root object matched a checkpointed value. Typically this "
                                     "means that the checkpoint does not match the Python program. The following "
                                     f"objects have no matching checkpointed value: {unused}")
            raise AssertionError(f"Nothing to load. No dependencies have been added to {self._root} yet.")
        return self

    def expect_partial(self) -> CheckpointLoadStatus:
        self._checkpoint.expect_partial = True
        return self


class InitializationOnlyStatus(_LoadStatus):
    """What ``restore(None)`` returns: nothing was restored, so every assertion fails."""

    def __init__(self, root: Any) -> None:
        self._root = root

    def assert_consumed(self) -> None:
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being restored.")

    assert_existing_objects_matched = assert_consumed
    assert_nontrivial_match = assert_consumed


def _assert_trackable(obj: Any, name: str) -> None:
    if not is_trackable(obj):
        raise ValueError(f"`Checkpoint` was expecting {name} to be a trackable object (an object derived from "
                         f"`Trackable`), got {obj}. If you believe this object should be trackable (i.e. it is part "
                         "of the TensorFlow Python API and manages state), please open an issue.")


class _WeakReference(TrackableReference):
    __slots__ = ()

    def __init__(self, name: str, ref: Any) -> None:
        try:
            ref = weakref.ref(ref)
        except TypeError:
            ref = (lambda obj: lambda: obj)(ref)
        super().__init__(name, ref)

    @property
    def ref(self) -> Any:
        return self._ref()

    def __iter__(self) -> Any:
        yield self._name
        yield self._ref()


def save_objects(root: Any, attached: list | None, file_prefix: str) -> str:
    """Writes ``root``'s object graph to ``file_prefix`` (atomically: data file, then index)."""
    from .bundle import write_bundle

    tensors, _ = _graph.serialize(root, attached)
    write_bundle(file_prefix, tensors)
    return file_prefix


def restore_objects(root: Any, attached: list | None, save_path: str, options: Any) -> CheckpointLoadStatus:
    """Matches the checkpoint at ``save_path`` to ``root`` and restores (or defers) every value."""
    from . import _protos
    from .bundle import BundleReader

    reader = BundleReader(save_path)
    if not reader.has(OBJECT_GRAPH_PROTO_KEY):
        raise errors.NotFoundError(None, None, f"Key {OBJECT_GRAPH_PROTO_KEY} not found in checkpoint "
                                   "(name-based checkpoints are not supported)")
    proto = _protos.TrackableObjectGraph()
    try:
        proto.ParseFromString(bytes(reader.read(OBJECT_GRAPH_PROTO_KEY).item()))
    except _protos.PARSE_ERRORS:
        raise errors.DataLossError(None, None, f"Unable to parse the object graph of checkpoint {save_path}") from None
    if not proto.nodes:
        raise errors.DataLossError(None, None, f"The object graph of checkpoint {save_path} has no nodes")
    _validate_graph(proto, reader)
    coordinator = RestoreCoordinator(proto, save_path, reader, options)
    CheckpointPosition(coordinator, 0).restore(root)
    for ref in attached or ():
        if ref.name == "root":
            continue  # the root's own edge back to itself
        proto_id = next((c.node_id for c in proto.nodes[0].children if c.local_name == ref.name), None)
        if proto_id is None or proto_id in coordinator.object_by_proto_id:
            continue
        CheckpointPosition(coordinator, proto_id).restore(ref.ref)
    return CheckpointLoadStatus(coordinator, root, attached, options)


def _validate_graph(proto: Any, reader: Any) -> None:
    """Rejects a graph whose references point outside it (a damaged or hostile file), before anything is bound."""
    count = len(proto.nodes)
    for node in proto.nodes:
        for child in node.children:
            if not 0 <= child.node_id < count:
                raise errors.DataLossError(None, None, f"Object graph references node {child.node_id} of {count}")
        for slot in node.slot_variables:
            if not (0 <= slot.original_variable_node_id < count and 0 <= slot.slot_variable_node_id < count):
                raise errors.DataLossError(None, None, "Object graph slot variable references a missing node")
        for attribute in node.attributes:
            if not reader.has(attribute.checkpoint_key):
                raise errors.NotFoundError(None, None, f"Key {attribute.checkpoint_key} not found in checkpoint")


class Checkpoint(AutoTrackable):
    """Saves and restores trackable objects (``tf.train.Checkpoint``).

    Keyword arguments become children (sorted by name), and ``root=`` makes
    another object node 0 with the keyword arguments attached to it.
    """

    def __init__(self, root: Any = None, **kwargs: Any) -> None:
        d = self.__dict__
        d["_root"] = root
        d["_kwargs"] = kwargs
        d["_save_counter"] = None  # created lazily, so restore-on-create can supply its value
        d["_checkpoint_options"] = None
        attached = None
        if root:
            trackable_root = root() if isinstance(root, weakref.ref) else root
            _assert_trackable(trackable_root, "root")
            attached = []
            kwargs["root"] = root
            lookup = getattr(trackable_root, "_lookup_dependency", lambda name: None)  # a Variable has no children
            d["_save_counter"] = lookup("save_counter")
        for name, value in sorted(kwargs.items(), key=lambda item: item[0]):
            setattr(self, name, value)
            converted = getattr(self, name)
            if isinstance(converted, weakref.ref):
                converted = converted()
            _assert_trackable(converted, name)
            if root:
                child = lookup(name)
                if child is None:
                    attached.append(_WeakReference(name, converted))
                elif child is not converted:
                    raise ValueError(f"Cannot create a Checkpoint with keyword argument {name} if root.{name} "
                                     "already exists.")
        d["_graph_root"] = root if root else self
        d["_attached_dependencies"] = attached

    def _graph_root_object(self) -> Any:
        root = self.__dict__["_graph_root"]
        return root() if isinstance(root, weakref.ref) else root

    def _maybe_create_save_counter(self) -> None:
        if self.__dict__["_save_counter"] is not None:
            return
        from ..device import device_scope
        from ..dtypes import int64

        with device_scope("/cpu:0"):
            counter = self._add_variable_with_custom_getter("save_counter", initializer=0, dtype=int64,
                                                           trainable=False)
        self.__dict__["_save_counter"] = counter
        attached = self.__dict__["_attached_dependencies"]
        if attached is not None:
            attached.append(TrackableReference("save_counter", counter))
            root = self._graph_root_object()
            pending = getattr(root, "_deferred_dependencies", {}).pop("save_counter", ())
            if pending:
                pending[0].restore(counter)

    @property
    def save_counter(self) -> Variable:
        """An int64 variable, incremented by ``save()`` and used to number checkpoints."""
        self._maybe_create_save_counter()
        return self.__dict__["_save_counter"]

    def write(self, file_prefix: str | os.PathLike, options: CheckpointOptions | None = None) -> str:
        """Writes ``file_prefix.index`` and ``file_prefix.data-00000-of-00001``; no numbering, no state file."""
        return self._write(os.fspath(file_prefix), options)

    def _write(self, file_prefix: str, options: CheckpointOptions | None = None) -> str:
        options = options or CheckpointOptions()
        output = save_objects(self._graph_root_object(), self.__dict__["_attached_dependencies"], file_prefix)
        if options.experimental_write_callbacks:
            _execute_callbacks(options.experimental_write_callbacks, output)
        return output

    def save(self, file_prefix: str | os.PathLike, options: CheckpointOptions | None = None) -> str:
        """Increments ``save_counter``, writes ``file_prefix-<counter>`` and records it in the ``checkpoint`` file."""
        file_prefix = os.fspath(file_prefix)
        options = copy.copy(options) if options is not None else CheckpointOptions()
        number = int(self.save_counter.assign_add(1, read_value=True).numpy())
        callbacks = list(options.experimental_write_callbacks or [])
        callbacks.append(_update_checkpoint_state)
        options.experimental_write_callbacks = callbacks
        return self._write(f"{file_prefix}-{number}", options=options)

    def read(self, save_path: str | os.PathLike, options: CheckpointOptions | None = None) -> CheckpointLoadStatus:
        """Restores a checkpoint written by ``write`` (it does not expect a ``save_counter``)."""
        options = options or CheckpointOptions()
        if save_path is None:
            return InitializationOnlyStatus(self._graph_root_object())
        return restore_objects(self._graph_root_object(), self.__dict__["_attached_dependencies"],
                               os.fspath(save_path), options)

    def restore(self, save_path: str | os.PathLike | None,
                options: CheckpointOptions | None = None) -> CheckpointLoadStatus | InitializationOnlyStatus:
        """Restores a checkpoint written by ``save``; values for objects created later are restored on creation.

        Raises ``tf.errors.NotFoundError`` when there is no checkpoint at ``save_path``.
        """
        original = save_path
        if save_path is not None:
            save_path = os.fspath(save_path)
            variables_dir = os.path.join(save_path, "variables")
            if os.path.isdir(save_path) and (os.path.exists(os.path.join(save_path, "saved_model.pb"))
                                             or os.path.exists(os.path.join(save_path, "saved_model.pbtxt"))):
                save_path = os.path.join(variables_dir, "variables")  # a SavedModel's checkpoint
        try:
            status = self.read(save_path, options=options)
        except errors.NotFoundError as e:
            raise errors.NotFoundError(
                None, None,
                f"Error when restoring from checkpoint or SavedModel at {os.fspath(original)}: {e.message}\nPlease "
                "double-check that the path is correct. You may be missing the checkpoint suffix (e.g. the '-1' in "
                "'path/to/ckpt-1').") from None
        self._maybe_create_save_counter()
        return status

    def sync(self) -> None:
        """A no-op: saving is synchronous."""


def _update_checkpoint_state(file_path: str) -> None:
    from .state_file import write_checkpoint_state

    write_checkpoint_state(os.path.dirname(file_path), file_path, [file_path])
