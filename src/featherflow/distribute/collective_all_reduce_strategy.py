"""``tf.distribute.MultiWorkerMirroredStrategy`` (TF's ``CollectiveAllReduceStrategy``): synchronous training
on the local devices of each worker, with all-reduce among all replicas of all workers.

With no cluster (no ``TF_CONFIG``, or a ``TF_CONFIG`` naming one worker) TF runs one worker on this machine's
devices (its GPUs, else its first CPU): so does featherflow, as a mirrored strategy over those devices with
collective all-reduce; ``extended._in_multi_worker_mode()`` is False and this worker is the chief. A cluster
of several workers needs featherflow's MPI launcher, which does not exist yet: such a ``TF_CONFIG`` is refused
rather than run as one worker.

>>> import featherflow as tf
>>> strategy = tf.distribute.MultiWorkerMirroredStrategy()
>>> strategy.extended._in_multi_worker_mode(), strategy.cluster_resolver.task_type
(False, None)
"""

from __future__ import annotations

from typing import Any

from ..device import _Flags, logical_devices
from .cluster_resolver import TFConfigClusterResolver
from .collective_util import CommunicationImplementation, CommunicationOptions
from .cross_device_ops import CollectiveAllReduce
from .mirrored_strategy import MirroredExtended
from .strategy import Strategy, resolve_device


def _local_devices() -> tuple:
    gpus = logical_devices("GPU")
    if gpus:
        return tuple(resolve_device(d.name) for d in gpus)
    return (resolve_device("/device:CPU:0"),)


class MultiWorkerMirroredStrategy(Strategy):
    """Synchronous training across workers, each with its local devices
    (``tf.distribute.MultiWorkerMirroredStrategy``)."""

    def __init__(self, cluster_resolver: Any = None, communication_options: Any = None) -> None:
        if communication_options is None:
            communication_options = CommunicationOptions()
        if not isinstance(communication_options, CommunicationOptions):
            raise ValueError("communication_options must be an instance of "
                             "tf.distribute.experimental.CommunicationOptions")
        super().__init__(CollectiveAllReduceExtended(self, cluster_resolver, communication_options))


MultiWorkerMirroredStrategy.__name__ = MultiWorkerMirroredStrategy.__qualname__ = "CollectiveAllReduceStrategy"


class _ExperimentalMeta(type):
    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, MultiWorkerMirroredStrategy)


class _CollectiveAllReduceStrategyExperimental(MultiWorkerMirroredStrategy, metaclass=_ExperimentalMeta):
    """``tf.distribute.experimental.MultiWorkerMirroredStrategy``: the older signature (a
    ``CommunicationImplementation`` rather than options)."""

    def __init__(self, communication: Any = CommunicationImplementation.AUTO, cluster_resolver: Any = None) -> None:
        super().__init__(cluster_resolver=cluster_resolver,
                         communication_options=CommunicationOptions(implementation=communication))


_CollectiveAllReduceStrategyExperimental.__name__ = "CollectiveAllReduceStrategy"  # as TF's export names it


_configured: list = []  # [the cluster collectives were configured for], once a strategy with a cluster exists


def _configure_collectives(cluster: dict) -> None:
    """TF configures its collectives for a cluster once, before its runtime starts: a cluster (even of one
    worker) given after the first op, or a different one later, is TF's RuntimeError."""
    if not cluster:
        return
    if _configured:
        if _configured[0] == cluster:
            return
    elif not _Flags.started:
        _configured.append(cluster)
        _Flags.started = True  # TF starts its runtime here, configured for the cluster
        return
    raise RuntimeError("Collective ops must be configured at program startup")


class CollectiveAllReduceExtended(MirroredExtended):
    """``MultiWorkerMirroredStrategy.extended``."""

    def __init__(self, container_strategy: Strategy, cluster_resolver: Any,
                 communication_options: CommunicationOptions) -> None:
        if cluster_resolver is None:
            cluster_resolver = TFConfigClusterResolver()
        cluster = cluster_resolver.cluster_spec().as_dict()
        tasks = sum(len(addresses) for job, addresses in cluster.items() if job in ("chief", "worker"))
        if tasks > 1:
            raise NotImplementedError(
                f"This cluster has {tasks} workers ({cluster}): featherflow runs multi-worker training over MPI, "
                "with one process per worker started by its MPI launcher, which is not available yet. Run one "
                "worker (no TF_CONFIG, or a TF_CONFIG naming one worker) or use MirroredStrategy on this machine.")
        _configure_collectives(cluster)
        devices = _local_devices()
        super().__init__(container_strategy, devices=devices, cross_device_ops=None)
        self._cluster_resolver = cluster_resolver
        self._communication_options = communication_options
        self._collective_ops = CollectiveAllReduce(devices, communication_options)
        self._cross_device_ops = self._collective_ops
        self._task_type = cluster_resolver.task_type
        self._task_id = cluster_resolver.task_id
        self._num_workers = 1
        self._is_chief = True

    def _in_multi_worker_mode(self) -> bool:
        return False

    @property
    def experimental_between_graph(self) -> bool:
        return True

    @property
    def experimental_should_init(self) -> bool:
        return True

    @property
    def should_checkpoint(self) -> bool:
        return self._is_chief

    @property
    def should_save_summary(self) -> bool:
        return self._is_chief
