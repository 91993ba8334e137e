"""Restoring a checkpoint into live objects, and deferring what has no object yet (TF's ``restore.py``).

A ``CheckpointPosition`` is one node of the saved object graph. Restoring a
position binds it to a Python object, assigns the object's saved tensors, and
walks the node's children: a child that exists is restored now; one that
doesn't is queued in the parent's ``_deferred_dependencies`` and restored when
it is tracked (``Trackable._track_trackable``). The coordinator holds what one
``restore()`` call needs: the proto, the open bundle, which nodes matched, and
the warning printed when it is dropped with values left unrestored.
"""

from __future__ import annotations

import collections
import weakref
from typing import Any

import numpy as np

from .. import errors
from .._logs import LazyLogger
from ..shape import TensorShape
from ..trackable import (
    SERIALIZE_TO_TENSORS_NAME,
    VARIABLE_VALUE_KEY,
    children_of,
    has_serialize_to_tensors,
    new_uid,
    set_update_uid,
    update_uid,
)
from ..variable import Variable

_logger = LazyLogger("featherflow")


class _ObjectMap:
    """proto id -> object, weakly where the object allows it (TF: a WeakValueDictionary), so a
    pending restore doesn't keep a model alive."""

    def __init__(self) -> None:
        self._refs: dict[int, Any] = {}

    def get(self, key: int, default: Any = None) -> Any:
        ref = self._refs.get(key)
        obj = ref() if ref is not None else None
        return default if obj is None else obj

    def __setitem__(self, key: int, obj: Any) -> None:
        try:
            self._refs[key] = weakref.ref(obj)
        except TypeError:  # tuples can't be weakly referenced
            self._refs[key] = lambda obj=obj: obj

    def __getitem__(self, key: int) -> Any:
        obj = self.get(key)
        if obj is None:
            raise KeyError(key)
        return obj

    def __contains__(self, key: int) -> bool:
        return self.get(key) is not None

    def items(self) -> list[tuple[int, Any]]:
        return [(k, o) for k in list(self._refs) if (o := self.get(k)) is not None]

    def values(self) -> list[Any]:
        return [o for _, o in self.items()]

    def __len__(self) -> int:
        return len(self.items())


def node_names(proto: Any) -> dict[int, str]:
    """``(root).model.layer`` for every node, and a slot's description (TF's pretty printer)."""
    paths = {0: ("(root)",)}
    queue = collections.deque([0])
    while queue:
        node_id = queue.popleft()
        for child in proto.nodes[node_id].children:
            if child.node_id not in paths:
                paths[child.node_id] = paths[node_id] + (child.local_name,)
                queue.append(child.node_id)
    names = {node_id: ".".join(path) for node_id, path in paths.items()}
    for node_id, node in enumerate(proto.nodes):
        for slot in node.slot_variables:
            names[slot.slot_variable_node_id] = (
                f"{names.get(node_id)}'s state '{slot.slot_name}' for {names.get(slot.original_variable_node_id)}")
    return names


class _Unrestored:
    """What the warning on deletion needs; kept apart from the coordinator so ``weakref.finalize`` can hold it."""

    def __init__(self, proto: Any, matched: set, unused_attributes: dict) -> None:
        self.expect_partial = False
        self.proto = proto
        self.matched = matched
        self.unused_attributes = unused_attributes

    def report(self) -> None:
        if self.expect_partial:
            return
        names = None
        unused_nodes = []
        for node_id, node in enumerate(self.proto.nodes):
            if node.attributes and node_id not in self.matched:
                names = names or node_names(self.proto)
                unused_nodes.append(names.get(node_id))
        if not unused_nodes and not self.unused_attributes:
            return
        names = names or node_names(self.proto)
        _logger.warning("Detecting that an object or model or tf.train.Checkpoint is being deleted with unrestored "
                        "values. See the following logs for the specific values in question. To silence these "
                        "warnings, use `status.expect_partial()`. See "
                        "https://www.tensorflow.org/api_docs/python/tf/train/Checkpoint#restorefor details about the "
                        "status object returned by the restore function.")
        for path in unused_nodes:
            _logger.warning("Value in checkpoint could not be found in the restored object: %s", path)
        for node_id, attributes in self.unused_attributes.items():
            for attribute in attributes:
                _logger.warning("An attribute in the restored object could not be found in the checkpoint. Object: "
                                "%s, attribute: %s", names.get(node_id), attribute)


_SlotVariableRestoration = collections.namedtuple("_SlotVariableRestoration",
                                                  ["optimizer_id", "slot_variable_id", "slot_name"])
_DeferredSlot = collections.namedtuple("_DeferredSlot", ["original_variable", "slot_variable_id", "slot_name"])


class RestoreCoordinator:
    """The state of one ``restore()``/``read()`` (TF's ``_CheckpointRestoreCoordinator``)."""

    def __init__(self, proto: Any, save_path: str, reader: Any, options: Any) -> None:
        self.object_graph_proto = proto
        self.save_path_string = save_path
        self.reader = reader
        self.options = options
        self.restore_uid = new_uid()
        self.unused_attributes: dict[int, list[str]] = {}
        self.object_by_proto_id = _ObjectMap()
        self.matched_proto_ids: set[int] = set()
        self.all_python_objects: dict[int, Any] = {}
        self.slot_restorations: dict[int, list] = collections.defaultdict(list)
        self.deferred_slot_restorations: dict[int, list] = {}
        if not getattr(options, "experimental_skip_slot_variables", False):
            for node_index, node in enumerate(proto.nodes):
                for slot in node.slot_variables:
                    self.slot_restorations[slot.original_variable_node_id].append(
                        _SlotVariableRestoration(node_index, slot.slot_variable_node_id, slot.slot_name))
        self._unrestored = _Unrestored(proto, self.matched_proto_ids, self.unused_attributes)
        # Runs when the coordinator is dropped, or at exit while a status is still alive (as TF's __del__ does).
        weakref.finalize(self, self._unrestored.report)

    @property
    def expect_partial(self) -> bool:
        return self._unrestored.expect_partial

    @expect_partial.setter
    def expect_partial(self, value: bool) -> None:
        self._unrestored.expect_partial = value

    def restore_values(self, requests: list[tuple[Any, int, dict[str, str]]]) -> None:
        """Reads and assigns ``(object, proto id, {attribute: checkpoint key})`` as one batch, like one
        ``RestoreV2`` op: every dtype and shape is checked (from the index) before anything is read, then
        each tensor is read, CRC-checked and assigned in turn, so at most one tensor is held in extra memory."""
        count = sum(len(attributes) for _, _, attributes in requests)
        for obj, _, attributes in requests:
            if isinstance(obj, Variable):
                key = attributes[VARIABLE_VALUE_KEY]
                self._check_dtype(key, obj.dtype, count)
        for obj, _, attributes in requests:
            if isinstance(obj, Variable):
                shape = TensorShape(self.reader.shape_of(attributes[VARIABLE_VALUE_KEY]))
                if not obj.shape.is_compatible_with(shape):
                    raise ValueError(f"Received incompatible tensor with shape {shape} when attempting to restore "
                                     f"variable with shape {obj.shape} and name {obj.name}.")
        for obj, _, attributes in requests:
            if isinstance(obj, Variable):
                assign_restored(obj, self.reader.read(attributes[VARIABLE_VALUE_KEY]))
            else:
                obj._restore_from_tensors({name: self.reader.read(key) for name, key in attributes.items()})

    def _check_dtype(self, key: str, dtype: Any, count: int) -> None:
        """RestoreV2's check: the stored dtype must be the variable's, exactly (no casting)."""
        stored = self.reader.datatype_of(key)
        if stored != dtype._enum:
            raise errors.InvalidArgumentError(
                None, None,
                f"{{{{function_node __wrapped__RestoreV2_dtypes_{count}_device_/job:localhost/replica:0/task:0/"
                f"device:CPU:0}}}} tensor_name = {key}; expected dtype {_type_text(dtype._enum)} does not equal "
                f"original dtype {_type_text(stored)} [Op:RestoreV2]")


def _type_text(datatype: int) -> str:
    """TF's ``DataTypeString``: float, double, half, int32, string, ..."""
    from ..dtypes import DType
    from ..tensor import type_string
    from . import _protos

    dtype = DType._by_enum.get(datatype)
    return type_string(dtype) if dtype is not None else _protos.data_type_name(datatype)[3:].lower()


def assign_restored(variable: Variable, value: np.ndarray) -> None:
    """Makes a freshly read array (dtype and shape already checked) the variable's value.

    The array is new and referenced by nothing else, so it becomes the variable's
    buffer directly (copied to the variable's device first when that is a GPU):
    no second copy of every restored byte. Earlier reads keep the old buffer,
    as they would after an ``assign``.
    """
    restore_components = getattr(variable, "_restore_components", None)
    if restore_components is not None:  # a distributed variable: the value goes into every replica's component
        restore_components(value)
        return
    device = variable._device
    with variable._lock:
        current = variable._array
        if current.dtype != value.dtype:  # the stored dtype was checked against the variable's already
            raise ValueError(f"Cannot restore a {value.dtype} array of shape {value.shape} into {variable!r}")
        variable._array = value if device.xp is np else device.put(value)


class CheckpointPosition:
    """A node of the saved graph within one restore (TF's ``CheckpointPosition``)."""

    __slots__ = ("_checkpoint", "_proto_id")

    def __init__(self, checkpoint: RestoreCoordinator, proto_id: int) -> None:
        self._checkpoint = checkpoint
        self._proto_id = proto_id

    @property
    def checkpoint(self) -> RestoreCoordinator:
        return self._checkpoint

    @property
    def proto_id(self) -> int:
        return self._proto_id

    @property
    def restore_uid(self) -> int:
        return self._checkpoint.restore_uid

    @property
    def object_proto(self) -> Any:
        return self._checkpoint.object_graph_proto.nodes[self._proto_id]

    @property
    def trackable(self) -> Any:
        return self._checkpoint.object_by_proto_id[self._proto_id]

    def __repr__(self) -> str:
        return repr(self.object_proto)

    def is_simple_variable(self) -> bool:
        attributes = self.object_proto.attributes
        return len(attributes) == 1 and attributes[0].name == VARIABLE_VALUE_KEY and not self.object_proto.children

    def value_shape(self) -> TensorShape | None:
        for attribute in self.object_proto.attributes:
            if attribute.name == VARIABLE_VALUE_KEY:
                return TensorShape(self._checkpoint.reader.shape_of(attribute.checkpoint_key))
        return None

    def value_tensors(self) -> dict[str, np.ndarray]:
        """The node's saved tensors, attribute name -> array (for restore-on-create)."""
        reader = self._checkpoint.reader
        return {a.name: reader.read(a.checkpoint_key) for a in self.object_proto.attributes}

    def restore(self, trackable: Any) -> None:
        """Binds ``trackable`` to this node and restores it and every descendant that exists."""
        if self.bind_object(trackable):
            self._restore_descendants()

    def bind_object(self, trackable: Any) -> bool:
        """Records the node <-> object match; False when the node was already bound."""
        checkpoint = self._checkpoint
        checkpoint.all_python_objects[id(trackable)] = trackable
        current = checkpoint.object_by_proto_id.get(self._proto_id)
        checkpoint.matched_proto_ids.add(self._proto_id)
        if current is None:
            checkpoint.object_by_proto_id[self._proto_id] = trackable
            return True
        if current is not trackable:
            _logger.warning("Inconsistent references when loading the checkpoint into this object graph. For example, "
                            "in the saved checkpoint object, `model.layer.weight` and `model.layer_copy.weight` "
                            "reference the same variable, while in the current object these are two different "
                            f"variables. The referenced variables are:({current} and {trackable}).")
        return False

    def _restore_descendants(self) -> None:
        queue = collections.deque([self])
        requests = []
        while queue:
            position = queue.popleft()
            request = position._single_restore()
            if request is not None:
                requests.append(request)
            _queue_children(position, queue)
            _queue_slot_variables(position, queue)
        if requests:
            self._checkpoint.restore_values(requests)

    def _single_restore(self) -> tuple[Any, int, dict[str, str]] | None:
        """The object's own saved tensors, unless a newer restore already covered it."""
        trackable = self.trackable
        checkpoint = self._checkpoint
        if checkpoint.restore_uid <= update_uid(trackable):
            return None
        set_update_uid(trackable, checkpoint.restore_uid)
        attributes = self.object_proto.attributes
        if not attributes:
            return None
        wanted: dict[str, str] = {}
        if isinstance(trackable, Variable):
            for attribute in attributes:
                if attribute.name == VARIABLE_VALUE_KEY:
                    wanted[VARIABLE_VALUE_KEY] = attribute.checkpoint_key
                else:
                    checkpoint.unused_attributes.setdefault(self._proto_id, []).append(attribute.name)
        elif has_serialize_to_tensors(trackable):
            by_name = {a.name: a.checkpoint_key for a in attributes}
            for name in trackable._serialize_to_tensors():
                key = by_name.get(name, by_name.get(SERIALIZE_TO_TENSORS_NAME))
                if key is None:
                    raise errors.NotFoundError(None, None, f"Key {name} not found in checkpoint")
                wanted[name] = key
        else:
            for attribute in attributes:
                checkpoint.unused_attributes.setdefault(self._proto_id, []).append(attribute.name)
        return (trackable, self._proto_id, wanted) if wanted else None


def _queue_children(position: CheckpointPosition, queue: collections.deque) -> None:
    """Binds and queues children that exist; defers, on the parent, those that don't."""
    trackable = position.trackable
    children = children_of(trackable)
    checkpoint = position.checkpoint
    for child in position.object_proto.children:
        if checkpoint.object_by_proto_id.get(child.node_id) is not None:
            continue
        child_position = CheckpointPosition(checkpoint, child.node_id)
        local = children.get(child.local_name)
        if local is None:
            proto = child_position.object_proto
            if proto.HasField("has_checkpoint_values"):
                has_value = proto.has_checkpoint_values.value
            else:
                has_value = bool(proto.children or proto.attributes or proto.slot_variables
                                 or proto.HasField("registered_saver"))
            deferred = getattr(trackable, "_deferred_dependencies", None)
            if has_value and deferred is not None:
                deferred.setdefault(child.local_name, []).append(child_position)
        elif child_position.bind_object(local):
            queue.append(child_position)


def _queue_slot_variables(position: CheckpointPosition, queue: collections.deque) -> None:
    """Slot variables: restored through the optimizer's ``_create_or_restore_slot_variable`` once both the
    optimizer and the original variable are bound (TF 1 / Keras 2 optimizers)."""
    trackable = position.trackable
    checkpoint = position.checkpoint
    for deferred in checkpoint.deferred_slot_restorations.pop(position.proto_id, ()):
        _restore_slot(position, trackable, deferred.original_variable, deferred.slot_variable_id,
                      deferred.slot_name, queue)
    for slot in checkpoint.slot_restorations.pop(position.proto_id, ()):
        optimizer = checkpoint.object_by_proto_id.get(slot.optimizer_id)
        if optimizer is None:
            checkpoint.deferred_slot_restorations.setdefault(slot.optimizer_id, []).append(
                _DeferredSlot(trackable, slot.slot_variable_id, slot.slot_name))
        elif hasattr(optimizer, "_create_or_restore_slot_variable"):
            _restore_slot(position, optimizer, trackable, slot.slot_variable_id, slot.slot_name, queue)


def _restore_slot(position: CheckpointPosition, optimizer: Any, variable: Any, slot_id: int, slot_name: str,
                  queue: collections.deque) -> None:
    slot_position = CheckpointPosition(position.checkpoint, slot_id)
    slot = optimizer._create_or_restore_slot_variable(slot_variable_position=slot_position, variable=variable,
                                                      slot_name=slot_name)
    if slot is not None and slot_position.bind_object(slot):
        queue.append(slot_position)
