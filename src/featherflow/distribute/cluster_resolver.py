"""``tf.distribute.cluster_resolver``: where the workers of a job are. ``TFConfigClusterResolver`` reads the
``TF_CONFIG`` environment variable (JSON: ``cluster`` maps job names to task addresses, ``task`` names this
process's ``type`` and ``index``), as TF's does, and gives the cluster as a ``tf.train.ClusterSpec``.

>>> import os
>>> os.environ.pop("TF_CONFIG", None) and None
>>> resolver = TFConfigClusterResolver()
>>> resolver.task_type, resolver.task_id, resolver.cluster_spec().as_dict()
(None, None, {})
"""

from __future__ import annotations

import collections
import json
import os
from typing import Any


def _tf_config() -> dict:
    return json.loads(os.environ.get("TF_CONFIG", "{}") or "{}")


class TFConfigClusterResolver:
    """The cluster ``TF_CONFIG`` describes (``tf.distribute.cluster_resolver.TFConfigClusterResolver``)."""

    def __init__(self, task_type: str | None = None, task_id: int | None = None, rpc_layer: str | None = None,
                 environment: str | None = None) -> None:
        self._task_type = task_type
        self._task_id = task_id
        self._rpc_layer = rpc_layer
        self._environment = environment

    @property
    def task_type(self) -> str | None:
        if self._task_type is None:
            task_type = _tf_config().get("task", {}).get("type", None)
            return str(task_type) if task_type is not None else None
        return self._task_type

    @task_type.setter
    def task_type(self, task_type: str) -> None:
        self._task_type = task_type

    @property
    def task_id(self) -> int | None:
        if self._task_id is None:
            task_index = _tf_config().get("task", {}).get("index", None)
            return int(task_index) if task_index is not None else None
        return self._task_id

    @task_id.setter
    def task_id(self, task_id: int) -> None:
        self._task_id = task_id

    @property
    def environment(self) -> str | None:
        return self._environment

    @property
    def rpc_layer(self) -> str | None:
        if self._rpc_layer is None:
            return _tf_config().get("rpc_layer", None)
        return self._rpc_layer

    @rpc_layer.setter
    def rpc_layer(self, rpc_layer: str) -> None:
        self._rpc_layer = rpc_layer

    def cluster_spec(self) -> Any:
        """The cluster of ``TF_CONFIG`` as a ``tf.train.ClusterSpec`` (empty without one)."""
        from ..training.server_lib import ClusterSpec

        return ClusterSpec(_tf_config().get("cluster", {}))

    def master(self, task_type: str | None = None, task_id: int | None = None, rpc_layer: str | None = None) -> str:
        """The address of the given task (this one by default), with the RPC layer's prefix; '' without one."""
        task_type = self.task_type if task_type is None else task_type
        task_id = self.task_id if task_id is None else task_id
        if task_type is None or task_id is None:
            return ""
        address = self.cluster_spec().task_address(task_type, task_id)
        layer = rpc_layer or self.rpc_layer
        return f"{layer}://{address}" if layer else address

    def num_accelerators(self, task_type: str | None = None, task_id: int | None = None,
                         config_proto: Any = None) -> dict:
        """The accelerators of this machine by type (``{'GPU': n}``; empty where there are none)."""
        from ..device import logical_devices

        counts: dict = collections.defaultdict(int)
        gpus = logical_devices("GPU")
        if gpus:
            counts["GPU"] = len(gpus)
        return counts
