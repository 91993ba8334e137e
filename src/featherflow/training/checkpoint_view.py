"""``tf.train.TrackableView`` and ``tf.train.CheckpointView`` (TF's ``python/checkpoint/trackable_view.py`` and
``checkpoint_view.py``): the object graph of live trackables, and the one saved in a checkpoint, walked the same
way (children, breadth-first descendants) and matched against each other by name and position.

>>> import tempfile
>>> import featherflow as tf
>>> root = tf.Module()
>>> root.v = tf.Variable(1.0)
>>> view = tf.train.CheckpointView(tf.train.Checkpoint(model=root).write(tempfile.mkdtemp() + "/ckpt"))
>>> view.children(0), view.descendants()
({'model': 1}, [0, 1, 2])
>>> matched = view.match(tf.train.Checkpoint(model=root))
>>> sorted(matched), matched[2] is root.v
([0, 1, 2], True)
"""

from __future__ import annotations

import collections
import weakref
from typing import Any

from .._logs import LazyLogger
from ..checkpoint.reader import CheckpointReader
from ..errors import NotFoundError
from ..trackable import TrackableReference, children_of, is_trackable

_log = LazyLogger("tensorflow")
_OBJECT_GRAPH_PROTO_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


class TrackableView:
    """The object graph of live trackables, from a root."""

    def __init__(self, root: Any) -> None:
        self._root_ref = root if isinstance(root, weakref.ref) else weakref.ref(root)

    @classmethod
    def children(cls, obj: Any, save_type: str = "checkpoint", **kwargs: Any) -> dict[str, Any]:
        """The trackables attached to ``obj``, by name."""
        if save_type != "checkpoint":
            raise NotImplementedError(f"TrackableView.children with save_type={save_type!r}: only checkpoint "
                                      f"children are tracked (featherflow writes no SavedModel)")
        if kwargs:
            raise NotImplementedError(f"TrackableView.children with {sorted(kwargs)}: featherflow's trackables "
                                      f"take no options for their children")
        return dict(children_of(obj))

    @property
    def root(self) -> Any:
        derefed = self._root_ref() if isinstance(self._root_ref, weakref.ref) else self._root_ref
        assert derefed is not None  # TF's check: the root was garbage-collected
        return derefed

    def descendants(self) -> list[Any]:
        """Every trackable reachable from the root, breadth first, each once."""
        return self._descendants_with_paths()[0]

    def _descendants_with_paths(self) -> tuple[list[Any], dict[int, tuple]]:
        bfs_sorted = []
        to_visit = collections.deque([self.root])
        node_paths: dict[int, tuple] = {id(self.root): ()}  # by identity, as TF's ObjectIdentityDictionary
        while to_visit:
            current = to_visit.popleft()
            bfs_sorted.append(current)
            for name, dependency in self.children(current).items():
                if id(dependency) not in node_paths:
                    node_paths[id(dependency)] = node_paths[id(current)] + (TrackableReference(name, dependency),)
                    to_visit.append(dependency)
        return bfs_sorted, node_paths


class CheckpointView:
    """The object graph saved in a TF2 (object-based) checkpoint, by node id."""

    def __init__(self, save_path: str) -> None:
        from ..checkpoint import _protos  # protobuf: loaded on first use

        reader = CheckpointReader(save_path)
        try:
            object_graph_string = reader.get_tensor(_OBJECT_GRAPH_PROTO_KEY)
        except NotFoundError as not_found_error:
            raise ValueError(
                f'The specified checkpoint "{save_path}" does not appear to be object-based (saved with TF2) since it '
                f'is missing the key "{_OBJECT_GRAPH_PROTO_KEY}". Likely it was created with the TF1 name-based saver '
                f"and does not contain an object dependency graph.") from not_found_error
        finally:
            reader.close()
        self._object_graph_proto = _protos.TrackableObjectGraph.FromString(object_graph_string)

    def children(self, node_id: int) -> dict[str, int]:
        """The children of node ``node_id``: name to node id."""
        return {child.local_name: child.node_id for child in self._object_graph_proto.nodes[node_id].children}

    def descendants(self) -> list[int]:
        """The node ids reachable from the root (0), breadth first."""
        return list(self._descendants_with_paths().keys())

    def _descendants_with_paths(self) -> dict[int, str]:
        all_nodes_with_paths = {0: "root"}
        to_visit = collections.deque([0])
        while to_visit:
            node_id = to_visit.popleft()
            for child in self._object_graph_proto.nodes[node_id].children:
                if child.node_id == 0 or child.node_id in all_nodes_with_paths:
                    continue
                to_visit.append(child.node_id)
                all_nodes_with_paths[child.node_id] = all_nodes_with_paths[node_id] + "." + child.local_name
        return all_nodes_with_paths

    def match(self, obj: Any) -> dict[int, Any]:
        """The node ids of the checkpoint that a live trackable under ``obj`` fills (same names, same places)."""
        if not is_trackable(obj):
            raise ValueError(f"Expected a Trackable, got {obj} of type {type(obj)}.")
        overlapping_nodes = {0: obj}
        to_visit = collections.deque([(0, obj)])
        visited = set()
        while to_visit:
            current_node_id, current_trackable = to_visit.popleft()
            trackable_children = TrackableView.children(current_trackable)
            for child_name, child_node_id in self.children(current_node_id).items():
                if child_node_id in visited or child_node_id == 0:
                    continue
                if child_name in trackable_children:
                    current_assignment = overlapping_nodes.get(child_node_id)
                    if current_assignment is None:
                        overlapping_nodes[child_node_id] = trackable_children[child_name]
                        to_visit.append((child_node_id, trackable_children[child_name]))
                    elif current_assignment is not trackable_children[child_name]:
                        _log.warning(f"Inconsistent references when matching the checkpoint into this object graph. "
                                     f"The referenced objects are: ({current_assignment} and "
                                     f"{trackable_children[child_name]}).")
            visited.add(current_node_id)
        return overlapping_nodes

    def diff(self, obj: Any) -> tuple[dict[int, Any], list[int], list[Any]]:
        """(``match(obj)``, the node ids only the checkpoint has, the trackables only ``obj``'s graph has)."""
        overlapping_nodes = self.match(obj)
        only_in_checkpoint_view = [n for n in self.descendants() if n not in overlapping_nodes]
        matched = {id(t) for t in overlapping_nodes.values()}
        only_in_trackable = [t for t in TrackableView(obj).descendants() if id(t) not in matched]
        return overlapping_nodes, only_in_checkpoint_view, only_in_trackable
