"""``tf.train.ClusterSpec`` (TF's ``python/training/server_lib.py``): a cluster as a set of jobs, each a set of
tasks at network addresses, convertible to and from the ``tf.train.ClusterDef`` protobuf.

>>> import featherflow as tf
>>> cluster = tf.train.ClusterSpec({"worker": ["w0:2222", "w1:2222"], "ps": {1: "ps1:2222"}})
>>> cluster.num_tasks("worker"), cluster.task_address("ps", 1), cluster.job_tasks("ps")
(2, 'ps1:2222', [None, 'ps1:2222'])
>>> cluster.as_cluster_def().job[0].name
'ps'
"""

from __future__ import annotations

from typing import Any


def _as_bytes(value: Any) -> bytes:
    """TF's ``compat.as_bytes``: str (as UTF-8) or bytes, anything else a TypeError."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    raise TypeError(f"Expected binary or unicode string, got {value!r}")


def _is_cluster_def(value: Any) -> bool:
    """A ClusterDef, featherflow's or another protobuf's (real TF's) of the same message type."""
    descriptor = getattr(value, "DESCRIPTOR", None)
    return getattr(descriptor, "full_name", None) == "tensorflow.ClusterDef"


class ClusterSpec:
    """Represents a cluster as a set of "tasks", organized into "jobs"."""

    def __init__(self, cluster: Any) -> None:
        from . import _protos  # protobuf: loaded on first use

        if isinstance(cluster, dict):
            self._cluster_spec: dict[str, dict[int, Any]] = {}
            for job_name, tasks in cluster.items():
                if isinstance(tasks, (list, tuple)):
                    job_tasks = {i: task for i, task in enumerate(tasks)}
                elif isinstance(tasks, dict):
                    job_tasks = {int(i): task for i, task in tasks.items()}
                else:
                    raise TypeError(f"The tasks for job {job_name!r} must be a list or a dictionary from integers "
                                    f"to strings.")
                self._cluster_spec[job_name] = job_tasks
            self._make_cluster_def()
        elif _is_cluster_def(cluster) or isinstance(cluster, ClusterSpec):
            self._cluster_def = _protos.ClusterDef()
            if isinstance(cluster, ClusterSpec):
                self._cluster_def.MergeFrom(cluster.as_cluster_def())
            elif isinstance(cluster, _protos.ClusterDef):
                self._cluster_def = cluster  # TF keeps the very proto it was given
            else:
                self._cluster_def.ParseFromString(cluster.SerializeToString())
            self._cluster_spec = {}
            for job_def in self._cluster_def.job:
                self._cluster_spec[job_def.name] = {i: t for i, t in job_def.tasks.items()}
        else:
            raise TypeError("`cluster` must be a dictionary mapping one or more job names to lists of network "
                            "addresses, or a `ClusterDef` protocol buffer")

    def __bool__(self) -> bool:
        return bool(self._cluster_spec)

    def __eq__(self, other: object) -> bool:
        return self._cluster_spec == other

    def __ne__(self, other: object) -> bool:
        return self._cluster_spec != other

    __hash__ = None  # type: ignore[assignment]  # equal to dicts, so unhashable, as TF's

    def __repr__(self) -> str:
        key_values = self.as_dict()
        string_items = [repr(k) + ": " + repr(key_values[k]) for k in sorted(key_values)]
        return "ClusterSpec({" + ", ".join(string_items) + "})"

    def as_dict(self) -> dict[str, Any]:
        """Job names to their tasks: a list of addresses where the task indices are dense, else a dict."""
        ret: dict[str, Any] = {}
        for job in self.jobs:
            task_indices = self.task_indices(job)
            if len(task_indices) == 0:
                ret[job] = {}
                continue
            if max(task_indices) + 1 == len(task_indices):
                ret[job] = self.job_tasks(job)
            else:
                ret[job] = {i: self.task_address(job, i) for i in task_indices}
        return ret

    def as_cluster_def(self) -> Any:
        """The ``tf.train.ClusterDef`` protocol buffer of this cluster."""
        return self._cluster_def

    @property
    def jobs(self) -> list[str]:
        """The job names of this cluster."""
        return list(self._cluster_spec.keys())

    def _job(self, job_name: str) -> dict[int, Any]:
        try:
            return self._cluster_spec[job_name]
        except KeyError:
            raise ValueError(f"No such job in cluster: {job_name!r}") from None

    def num_tasks(self, job_name: str) -> int:
        """The number of tasks of ``job_name``."""
        return len(self._job(job_name))

    def task_indices(self, job_name: str) -> list[int]:
        """The task indices of ``job_name``, sorted."""
        return sorted(self._job(job_name).keys())

    def task_address(self, job_name: str, task_index: int) -> Any:
        """The address of task ``task_index`` of ``job_name``."""
        job = self._job(job_name)
        try:
            return job[task_index]
        except KeyError:
            raise ValueError(f"No task with index {task_index!r} in job {job_name!r}") from None

    def job_tasks(self, job_name: str) -> list[Any]:
        """The addresses of ``job_name`` by task index (None where a sparse job has no task)."""
        job = self._job(job_name)
        ret: list[Any] = [None for _ in range(max(job.keys()) + 1)]
        for i, task in job.items():
            ret[i] = task
        return ret

    def _make_cluster_def(self) -> None:
        from . import _protos

        self._cluster_def = _protos.ClusterDef()
        for job_name, tasks in sorted(self._cluster_spec.items()):
            try:
                name = _as_bytes(job_name)
            except TypeError:
                raise TypeError(f"Job name {job_name!r} must be bytes or unicode") from None
            job_def = self._cluster_def.job.add()
            job_def.name = name
            for i, task_address in sorted(tasks.items()):
                try:
                    address = _as_bytes(task_address)
                except TypeError:
                    raise TypeError(f"Task address {task_address!r} must be bytes or unicode") from None
                job_def.tasks[i] = address
