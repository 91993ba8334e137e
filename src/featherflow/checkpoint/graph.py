"""The object graph of a checkpoint: TF's breadth-first node order, keys, and the ``TrackableObjectGraph`` proto.

``serialize(root)`` returns the tensors to write, in the order TF's saver
writes them (nodes breadth first, then the graph itself), and the graph proto
TF would build for the same objects: node 0 is the root, each node lists its
children in tracking order, a node's key path is its first breadth-first path,
and slot variables of optimizers that have ``get_slot_names`` come after every
other node.

>>> import featherflow as tf
>>> from featherflow.trackable import AutoTrackable
>>> root = AutoTrackable()
>>> root.v = tf.Variable(1.0)
>>> tensors, proto = serialize(root)
>>> list(tensors)
['v/.ATTRIBUTES/VARIABLE_VALUE', '_CHECKPOINTABLE_OBJECT_GRAPH']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from ..trackable import (
    OBJECT_GRAPH_PROTO_KEY,
    SERIALIZE_TO_TENSORS_NAME,
    VARIABLE_VALUE_KEY,
    children_of,
    has_serialize_to_tensors,
    is_trackable,
)
from ..variable import Variable

OBJECT_ATTRIBUTES_NAME = ".ATTRIBUTES"
_OPTIMIZER_SLOTS_NAME = ".OPTIMIZER_SLOT"


# ---------------------------------------------------------------- key naming (trackable_utils.py)


def escape_local_name(name: str) -> str:
    """``.`` becomes ``..`` and ``/`` becomes ``.S``, so names can't collide with the key syntax."""
    if "." not in name and "/" not in name:
        return name
    return name.replace(".", "..").replace("/", ".S")


def object_path_to_string(names: Any) -> str:
    return "/".join(escape_local_name(name) for name in names)


def checkpoint_key(object_path: str, local_name: str) -> str:
    """``<object path>/.ATTRIBUTES/<escaped attribute>``: the bundle key of one saved tensor."""
    suffix = "" if local_name == SERIALIZE_TO_TENSORS_NAME else escape_local_name(local_name)
    return f"{object_path}/{OBJECT_ATTRIBUTES_NAME}/{suffix}"


def slot_variable_key(variable_path: str, optimizer_path: str, slot_name: str) -> str:
    return f"{variable_path}/{_OPTIMIZER_SLOTS_NAME}/{optimizer_path}/{escape_local_name(slot_name)}"


# ---------------------------------------------------------------- the graph


def list_children(obj: Any, root: Any = None, attached: list | None = None) -> list[tuple[str, Any]]:
    """``obj``'s ``(name, child)`` edges; the root also gets the Checkpoint's attached dependencies."""
    children = list(children_of(obj).items())
    if attached and obj is root:
        children.extend((ref.name, ref.ref) for ref in attached)
    for name, child in children:
        if not is_trackable(child):
            raise TypeError(f"{child!r} (child {name!r} of {obj!r}) is not trackable")
    return children


def breadth_first(root: Any, attached: list | None = None
                  ) -> tuple[list[Any], dict[int, tuple[str, ...]], list[list[tuple[str, Any]]]]:
    """All objects reachable from ``root`` (breadth first, each once), each one's first path of names,
    and each one's edges (so children are listed once per traversal)."""
    order = [root]
    paths: dict[int, tuple[str, ...]] = {id(root): ()}
    edges = []
    for current in order:  # grows while it is walked: a queue
        children = list_children(current, root, attached)
        edges.append(children)
        prefix = paths[id(current)]
        for name, child in children:
            if id(child) not in paths:
                paths[id(child)] = prefix + (name,)
                order.append(child)
    return order, paths, edges


def _slot_variables(objects: list[Any], node_ids: dict[int, int], names: dict[int, str]) -> dict[int, list]:
    """TF's ``serialize_slot_variables``: slots of optimizers with ``get_slot_names``, appended as new nodes."""
    from . import _protos

    reference = _protos.TrackableObjectGraph.TrackableObject.SlotVariableReference
    non_slot = list(objects)
    slots: dict[int, list] = {}
    for trackable in non_slot:
        if not hasattr(trackable, "get_slot_names"):
            continue
        for slot_name in trackable.get_slot_names():
            for original_id, original in enumerate(non_slot):
                try:
                    slot = trackable.get_slot(original, slot_name)
                except (AttributeError, KeyError):
                    slot = None
                if slot is None:
                    continue
                if children_of(slot):
                    raise NotImplementedError("Currently only variables with no dependencies can be saved as slot "
                                              "variables. File a feature request if this limitation bothers you.")
                if id(slot) in node_ids:
                    raise NotImplementedError(f"A slot variable was re-used as a dependency of a Trackable object: "
                                              f"{slot}. This is not currently allowed. File a feature request if this "
                                              "limitation bothers you.")
                names[id(slot)] = slot_variable_key(names[id(original)], names[id(trackable)], slot_name)
                node_ids[id(slot)] = len(objects)
                objects.append(slot)
                slots.setdefault(id(trackable), []).append(
                    reference(slot_name=slot_name, original_variable_node_id=original_id,
                              slot_variable_node_id=node_ids[id(slot)]))
    return slots


def variable_value(variable: Variable) -> np.ndarray:
    """The variable's value as host memory, without a copy when it already is host memory. A distributed
    variable saves one copy: its primary component's value (a sync-on-read one: the aggregated value)."""
    checkpoint_array = getattr(variable, "_checkpoint_array", None)
    value = variable._array if checkpoint_array is None else checkpoint_array()
    if not isinstance(value, np.ndarray):
        value = value.get()  # CuPy: one variable's bytes at a time
    return value


def _serialized(obj: Any) -> dict[str, Any]:
    """The tensors ``obj`` saves itself, attribute name -> value-getter (a variable: its value)."""
    if isinstance(obj, Variable):
        return {VARIABLE_VALUE_KEY: obj}
    if has_serialize_to_tensors(obj):
        return dict(obj._serialize_to_tensors())
    return {}


def _as_array(value: Any) -> np.ndarray:
    if isinstance(value, Variable):
        return variable_value(value)
    if hasattr(value, "_value") and hasattr(value, "_dtype"):  # a Tensor
        array = value._value
        return array if isinstance(array, np.ndarray) else array.get()
    return np.asarray(value)


class _LazyTensors(Mapping):
    """Keys in save order; each value is fetched only when the bundle writer reaches it, so a GPU
    variable's host copy lives only while it is written."""

    def __init__(self, sources: dict[str, Any]) -> None:
        self._sources = sources

    def __getitem__(self, key: str) -> np.ndarray:
        return _as_array(self._sources[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


def _with_values(children: list[list[int]], valued: set[int]) -> set[int]:
    """Nodes that hold values or have a descendant that does (TF's ``add_checkpoint_values_check``)."""
    parents: dict[int, list[int]] = {}
    for node_id, child_ids in enumerate(children):
        for child in child_ids:
            parents.setdefault(child, []).append(node_id)
    result = set(valued)
    to_visit = list(valued)
    while to_visit:
        for parent in parents.get(to_visit.pop(), ()):
            if parent not in result:
                result.add(parent)
                to_visit.append(parent)
    return result


def object_graph(root: Any, attached: list | None = None) -> tuple[list[Any], dict[int, str], Any, dict[str, Any]]:
    """(objects in node order, id -> object path, the ``TrackableObjectGraph``, key -> value source)."""
    from . import _protos

    objects, paths, edges = breadth_first(root, attached)
    names = {key: object_path_to_string(path) for key, path in paths.items()}
    node_ids = {id(obj): i for i, obj in enumerate(objects)}
    traversed = len(objects)
    slots = _slot_variables(objects, node_ids, names)  # appends slot variables to ``objects``
    children = [[node_ids[id(child)] for _, child in node_edges] for node_edges in edges]
    children.extend([] for _ in range(len(objects) - traversed))
    sources: dict[str, Any] = {}
    attributes: list[list[tuple[str, str, str]]] = []
    for obj in objects:
        node_attributes = []
        full_name = ""
        if isinstance(obj, Variable):
            full_name = obj.name[:-2] if obj.name.endswith(":0") else obj.name  # TF's ``_shared_name``
        for attribute, value in _serialized(obj).items():
            key = checkpoint_key(names[id(obj)], attribute)
            if key in sources:
                raise ValueError("Received multiple tensors with the same checkpoint key and slice spec. This is "
                                 "invalid because one will overwrite the other in the checkpoint. This indicates a "
                                 "bug in the Checkpoint key-generation.")
            node_attributes.append((escape_local_name(attribute), full_name, key))
            sources[key] = value
        attributes.append(node_attributes)
    valued = {i for i, node_attributes in enumerate(attributes) if node_attributes}
    valued.update(node_ids[key] for key in slots)
    with_values = _with_values(children, valued)
    proto = _protos.TrackableObjectGraph()
    node_type = _protos.TrackableObjectGraph.TrackableObject
    reference, tensor = node_type.ObjectReference, node_type.SerializedTensor
    nodes = []
    for i, obj in enumerate(objects):
        node = node_type(
            children=[reference(node_id=child_id, local_name=name)
                      for child_id, (name, _) in zip(children[i], edges[i] if i < traversed else ())],
            attributes=[tensor(name=n, full_name=f, checkpoint_key=k) for n, f, k in attributes[i]],
            slot_variables=slots.get(id(obj), ()))
        node.has_checkpoint_values.value = i in with_values
        nodes.append(node)
    proto.nodes.extend(nodes)
    return objects, names, proto, sources


def serialize(root: Any, attached: list | None = None) -> tuple[Mapping[str, np.ndarray], Any]:
    """The tensors to write for ``root`` (a lazy mapping, in TF's order, the graph last) and the graph proto."""
    _, _, proto, sources = object_graph(root, attached)
    sources[OBJECT_GRAPH_PROTO_KEY] = np.array(proto.SerializeToString(), dtype=object)
    return _LazyTensors(sources), proto
