"""``tf.distribute.MultiWorkerMirroredStrategy`` (TF's ``CollectiveAllReduceStrategy``): synchronous training
on the local devices of each worker, with all-reduce among all replicas of all workers.

With no cluster (no ``TF_CONFIG``, or a ``TF_CONFIG`` naming one worker) TF runs one worker on this machine's
devices (its GPUs, else its first CPU): so does featherflow, as a mirrored strategy over those devices with
collective all-reduce; ``extended._in_multi_worker_mode()`` is False and this worker is the chief.

Several workers run as an MPI job, one process per worker: ``mpiexec -n 4 python train.py`` (or ``srun
--mpi=pmix``, or the MPI Operator's ``MPIJob``) with ``MultiWorkerMirroredStrategy()`` in the program needs
nothing else. The launch is read from the environment (``mpi_world.launch_info``); rank 0 is the chief, the
cluster resolver's task is ``('worker', rank)``; a ``TF_CONFIG`` set as well must describe the same cluster.
Reductions, gathers and the chief's initial variable values go through MPI collectives
(``multi_worker_ops``), on GPUs through NCCL (``nccl_collectives``); an uncaught exception in a worker aborts the job. A ``TF_CONFIG`` of several workers
without an MPI launch is refused.

>>> import featherflow as tf
>>> strategy = tf.distribute.MultiWorkerMirroredStrategy()
>>> strategy.extended._in_multi_worker_mode(), strategy.cluster_resolver.task_type
(False, None)
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import nest
from .._logs import LazyLogger
from ..device import _Flags, device_scope, logical_devices
from ..device import _scope as _device_state
from ..tensor import Tensor, _make_typed, convert_to_tensor
from .cluster_resolver import TFConfigClusterResolver
from .collective_util import CommunicationImplementation, CommunicationOptions
from .cross_device_ops import CollectiveAllReduce
from .input_context import InputContext, ValueContext
from .mirrored_run import call_for_each_replica
from .mirrored_strategy import MirroredExtended, MirroredReplicaContext
from .mpi_world import launch_info, world
from .multi_worker_ops import MultiWorkerAllReduce, as_per_replica, merged_options
from .reduce_util import ReduceOp
from .strategy import Strategy, check_replication_mode, resolve_device
from .values import Mirrored, regroup, select_replica

_log = LazyLogger("tensorflow")


def _nccl_of(world: Any, devices: tuple, options: CommunicationOptions) -> Any:
    """The NCCL collectives of a multi-worker strategy whose local devices are GPUs with NCCL (None with
    ``RING``, or where a worker has none). Every worker must have the same kind and number of local devices:
    they are compared first, so that no worker waits for a collective the others run elsewhere."""
    from .nccl_collectives import NcclCollectives, nccl_available

    with device_scope(devices[0]):
        first = _device_state.device
    gpu = first.device_type == "GPU"
    mine = np.array([len(devices), gpu, gpu and nccl_available(first)], np.int64)
    every = world.allgather_rows(mine.reshape(1, 3))
    if (every != every[0]).any(axis=1).any():
        described = ", ".join(f"worker {r}: {n} {'GPU' if g else 'CPU'}{'s' if n > 1 else ''}"
                              + (" without NCCL" if g and not c else "") for r, (n, g, c) in enumerate(every))
        raise ValueError(f"MultiWorkerMirroredStrategy needs the same local devices on every worker ({described})")
    if not every[:, 2].all() or options.implementation is CommunicationImplementation.RING:
        return None
    return NcclCollectives(world, first)


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


def _workers_of(cluster: dict) -> int:
    return sum(len(addresses) for job, addresses in cluster.items() if job in ("chief", "worker"))


def _rank_of_task(cluster: dict, task_type: Any, task_id: Any) -> int | None:
    """The MPI rank a ``TF_CONFIG`` task stands for: the chief is worker 0, the workers follow it."""
    if task_type == "chief":
        return int(task_id or 0)
    if task_type == "worker" and task_id is not None:
        return int(task_id) + len(cluster.get("chief", ()))
    return None


class MPIClusterResolver(TFConfigClusterResolver):
    """The cluster of an MPI job: one ``worker`` task per rank, this process the one of its rank (what
    ``strategy.cluster_resolver`` is under ``mpiexec``)."""

    def __init__(self, rank: int, size: int, cluster: dict | None = None) -> None:
        super().__init__(task_type="worker", task_id=rank)
        self._cluster = cluster or {"worker": [f"mpi-rank-{i}" for i in range(size)]}
        self._size = size

    @property
    def num_workers(self) -> int:
        """The number of workers of the job (the MPI world's size)."""
        return self._size

    @property
    def environment(self) -> str:
        return "mpi"

    def cluster_spec(self) -> Any:
        from ..training.server_lib import ClusterSpec

        return ClusterSpec(self._cluster)


def resolve_cluster(cluster_resolver: Any) -> tuple:
    """``(cluster resolver, rank, number of workers)`` for a new strategy: the MPI launch where there is one
    (checked against ``TF_CONFIG``), else the given or ``TF_CONFIG`` resolver with one worker."""
    given = cluster_resolver if cluster_resolver is not None else TFConfigClusterResolver()
    cluster = given.cluster_spec().as_dict()
    tasks = _workers_of(cluster)
    launch = launch_info()
    if launch is None:
        if tasks > 1:
            raise RuntimeError(
                f"This cluster has {tasks} workers ({cluster}): featherflow runs multi-worker training as an MPI "
                "job, one process per worker. Launch the program with `mpiexec -n <workers> python ...` (or "
                "`srun --mpi=pmix`, or an MPIJob on Kubernetes); TF_CONFIG is then optional.")
        return given, 0, 1
    rank, size = launch
    if size is None:
        size = world().size
    if tasks:
        task_rank = _rank_of_task(cluster, given.task_type, given.task_id)
        if tasks != size or task_rank != rank:
            raise ValueError(
                f"The cluster in TF_CONFIG has {tasks} workers and this task is {given.task_type}:{given.task_id}, "
                f"but the MPI launch has {size} workers and this process is rank {rank} (task worker:{rank}): "
                "they must agree. Unset TF_CONFIG under mpiexec, or make it describe the MPI job.")
    return MPIClusterResolver(rank, size, cluster or None), rank, size


class CollectiveAllReduceExtended(MirroredExtended):
    """``MultiWorkerMirroredStrategy.extended``."""

    def __init__(self, container_strategy: Strategy, cluster_resolver: Any,
                 communication_options: CommunicationOptions) -> None:
        cluster_resolver, rank, num_workers = resolve_cluster(cluster_resolver)
        _configure_collectives(cluster_resolver.cluster_spec().as_dict())
        devices = _local_devices()
        super().__init__(container_strategy, devices=devices, cross_device_ops=None)
        self._cluster_resolver = cluster_resolver
        self._communication_options = communication_options
        self._task_type = cluster_resolver.task_type
        self._task_id = cluster_resolver.task_id
        self._num_workers = num_workers
        self._rank = rank
        self._is_chief = rank == 0
        self._world = None
        if num_workers > 1:

            self._world = world()
            if (self._world.rank, self._world.size) != (rank, num_workers):
                raise ValueError(f"The MPI world (rank {self._world.rank} of {self._world.size}) does not agree with "
                                 f"the launcher's environment (rank {rank} of {num_workers})")
            self._world.install_abort_hook()
            self._collective_ops = MultiWorkerAllReduce(devices, self._world, self._num_replicas_in_sync,
                                                        communication_options, _nccl_of(self._world, devices,
                                                                                        communication_options))
        else:
            self._collective_ops = CollectiveAllReduce(devices, communication_options)
        self._cross_device_ops = self._collective_ops
        if (communication_options.implementation is CommunicationImplementation.NCCL
                and ":GPU:" not in devices[0]):
            _log.warning("Enabled NCCL communication but no GPUs detected/specified.")

    def _in_multi_worker_mode(self) -> bool:
        return self._num_workers > 1

    @property
    def _num_replicas_in_sync(self) -> int:
        return len(self._devices) * getattr(self, "_num_workers", 1)

    # --- replicas: ids run over every worker's replicas -----------------------------------------------------

    def _replica_offset(self) -> int:
        return self._rank * len(self._devices)

    def _get_local_replica_id(self, replica_id_in_sync_group: Any) -> Any:
        if isinstance(replica_id_in_sync_group, int):
            return replica_id_in_sync_group - self._replica_offset()
        return replica_id_in_sync_group

    def _call_for_each_replica(self, fn: Callable, args: Any, kwargs: dict) -> Any:
        if self._num_workers == 1:
            return super()._call_for_each_replica(fn, args, kwargs)
        strategy = self._container_strategy()
        offset = self._replica_offset()
        if len(self._devices) == 1:
            args, kwargs = select_replica(0, (tuple(args), kwargs))
            with device_scope(self._devices[0]), MirroredReplicaContext(strategy, offset):
                return fn(*args, **kwargs)
        return call_for_each_replica(strategy, self._devices, lambda i: MirroredReplicaContext(strategy, offset + i),
                                     fn, args, kwargs)

    def _experimental_distribute_values_from_function(self, value_fn: Callable) -> Any:
        if self._num_workers == 1:
            return super()._experimental_distribute_values_from_function(value_fn)

        per_replica = []
        for i, device in enumerate(self._devices):
            with device_scope(device):
                per_replica.append(value_fn(ValueContext(self._replica_offset() + i, self._num_replicas_in_sync)))
        return regroup(per_replica, always_wrap=True)

    # --- variables: the chief's initial values ------------------------------------------------------------

    def _create_variable(self, next_creator: Callable, colocate_with: Any = None, **kwargs: Any) -> Any:
        created = super()._create_variable(next_creator, colocate_with=colocate_with, **kwargs)
        if self._world is not None:

            components = getattr(created, "values", None) or (created,)
            timeout = self._communication_options.timeout_seconds or None
            first = convert_to_tensor(components[0])
            collectives = self._collective_ops._collectives_for(first, self._communication_options)
            if collectives is self._world:
                value = np.array(first.numpy(), order="C")
                self._world.bcast(value, root=0, timeout=timeout)
            else:  # on the card: no copy through the host
                with collectives.device.activate():
                    array = collectives.bcast(collectives.contiguous(first._value).copy(), root=0, timeout=timeout)
                value = _make_typed(array, first.dtype, collectives.device)
            for component in components:
                component.assign(value)
        return created

    # --- reductions across workers --------------------------------------------------------------------------

    def _reduce_to(self, reduce_op: Any, value: Any, destinations: Any, options: Any) -> Any:
        if self._num_workers == 1:
            return super()._reduce_to(reduce_op, value, destinations, options)

        options = merged_options(self._communication_options, options)
        if type(value) is Tensor and type(destinations) is str:  # one tensor onto one device: the fast path
            reduced = self._collective_ops.reduce_tensor(reduce_op, value, destinations,
                                                         options.timeout_seconds or None)
            if reduced is not None:
                return reduced
        elif isinstance(value, Mirrored) and reduce_op == ReduceOp.MEAN:
            return value
        return nest.map_structure(
            lambda v: self._collective_ops.reduce(reduce_op, as_per_replica(v), destinations, options), value)

    def _batch_reduce_to(self, reduce_op: Any, value_destination_pairs: Any, options: Any) -> list:
        if self._num_workers == 1:
            return super()._batch_reduce_to(reduce_op, value_destination_pairs, options)
        return self._collective_ops.batch_reduce(reduce_op, list(value_destination_pairs),
                                                 options=merged_options(self._communication_options, options))

    def _gather_to_implementation(self, value: Any, destinations: Any, axis: int, options: Any) -> Any:
        if self._num_workers == 1:
            return super()._gather_to_implementation(value, destinations, axis, options)

        return self._collective_ops._gather(as_per_replica(value), destinations, axis,
                                            options=merged_options(self._communication_options, options))

    # --- input ----------------------------------------------------------------------------------------------

    def _experimental_distribute_dataset(self, dataset: Any, options: Any) -> Any:
        if self._num_workers == 1:
            return super()._experimental_distribute_dataset(dataset, options)
        from .input_lib import MultiWorkerDistributedDataset

        check_replication_mode(options, "distribute_dataset")
        return MultiWorkerDistributedDataset(dataset, self._input_workers_with_options(options),
                                             self._container_strategy(), self._num_workers, self._rank,
                                             options=options)

    def _distribute_datasets_from_function(self, dataset_fn: Callable, options: Any) -> Any:
        if self._num_workers == 1:
            return super()._distribute_datasets_from_function(dataset_fn, options)
        from .input_lib import DistributedDatasetsFromFunction

        check_replication_mode(options, "distribute_datasets_from_function")
        context = InputContext(num_input_pipelines=self._num_workers, input_pipeline_id=self._rank,
                               num_replicas_in_sync=self._num_replicas_in_sync)
        return DistributedDatasetsFromFunction(dataset_fn, self._input_workers_with_options(options), [context],
                                               self._container_strategy(), options=options)

    # --- roles ----------------------------------------------------------------------------------------------

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
