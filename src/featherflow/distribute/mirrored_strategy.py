"""``tf.distribute.MirroredStrategy``: synchronous data parallelism over the devices of this machine. One replica
per device; ``run`` calls the function once per replica (``mirrored_run``), variables made in its scope are
``MirroredVariable``s (or ``SyncOnReadVariable``s) with a component on every device, and values move between
devices through a ``CrossDeviceOps`` (TF's default: collective all-reduce among the local devices).

>>> import featherflow as tf
>>> strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
>>> with strategy.scope():
...     v = tf.Variable(2.0)
>>> strategy.reduce("SUM", strategy.run(lambda: v * 3), axis=None).numpy()
np.float32(6.0)
"""

from __future__ import annotations

from typing import Any, Callable

from .. import nest
from ..device import device_scope, logical_devices
from ..dtypes import int32 as _int32
from ..ops.array.core import identity
from . import context as _ctx
from . import cross_device_ops as _cdo
from .collective_util import CommunicationOptions
from .distributed_variables import DistributedVariable, create_distributed_variable, update_regroup
from .input_context import ValueContext
from .mirrored_run import call_for_each_replica, current_replica_thread
from .one_device_strategy import LocalDevicesExtended, host_for_device
from .reduce_util import ReduceOp
from .replica_context import ReplicaContext
from .strategy import Strategy, copy_to_device, resolve_device
from .values import DistributedValues, Mirrored, regroup, select_replica


def all_local_devices() -> tuple:
    """TF's default devices: every (logical) GPU of this machine, else every logical CPU."""
    found = logical_devices("GPU") or logical_devices("CPU")
    return tuple(resolve_device(d.name) for d in found)


class MirroredStrategy(Strategy):
    """Synchronous training across the devices of one machine (``tf.distribute.MirroredStrategy``)."""

    def __init__(self, devices: Any = None, cross_device_ops: Any = None) -> None:
        super().__init__(MirroredExtended(self, devices=devices, cross_device_ops=cross_device_ops))


class MirroredExtended(LocalDevicesExtended):
    """``MirroredStrategy.extended``."""

    def __init__(self, container_strategy: Strategy, devices: Any = None, cross_device_ops: Any = None) -> None:
        super().__init__(container_strategy)
        if not devices:  # (TF: None or empty)
            devices = all_local_devices()
        devices = tuple(resolve_device(d) for d in devices)  # (a string is a sequence of names, as in TF)
        assert len(set(devices)) == len(devices), f"No duplicates allowed in `devices` argument: {devices}"
        self._devices = devices
        self._host_device = host_for_device(devices[0])
        self._collective_ops = _cdo.CollectiveAllReduce(devices)
        self._cross_device_ops = cross_device_ops or self._collective_ops
        self._communication_options = CommunicationOptions()
        self._input_workers_devices = ((self._host_device, devices),)

    # --- variables ------------------------------------------------------------------------------------------

    def _create_variable(self, next_creator: Callable, colocate_with: Any = None, **kwargs: Any) -> Any:
        if colocate_with is None:
            devices = self._devices
        elif isinstance(colocate_with, DistributedVariable):
            devices = colocate_with._devices
        else:
            devices = (colocate_with.device,)
        return create_distributed_variable(self._container_strategy(), devices, next_creator, **kwargs)

    def read_var(self, replica_local_var: Any) -> Any:
        if isinstance(replica_local_var, DistributedVariable):
            return replica_local_var.read_value()
        return identity(replica_local_var)

    def value_container(self, value: Any) -> Any:
        container = getattr(value, "_distributed_container", None)
        return value if container is None else container()

    # --- replicas -------------------------------------------------------------------------------------------

    def _call_for_each_replica(self, fn: Callable, args: Any, kwargs: dict) -> Any:
        strategy = self._container_strategy()
        if len(self._devices) == 1:  # one replica: no thread needed, merge_call runs in place
            args, kwargs = select_replica(0, (tuple(args), kwargs))
            with device_scope(self._devices[0]), MirroredReplicaContext(strategy, 0):
                return fn(*args, **kwargs)
        return call_for_each_replica(strategy, self._devices, lambda i: MirroredReplicaContext(strategy, i), fn,
                                     args, kwargs)

    # --- reductions -----------------------------------------------------------------------------------------

    def _get_cross_device_ops(self, value: Any) -> Any:
        values = value.values if isinstance(value, DistributedValues) else (value,)
        if any(getattr(v, "dtype", None) is _int32 for v in values):
            return _cdo.ReductionToOneDevice()
        return self._cross_device_ops

    def _reduce_to(self, reduce_op: ReduceOp, value: Any, destinations: Any, options: Any) -> Any:
        if getattr(value, "_is_mirrored", False) or isinstance(value, Mirrored):
            if reduce_op == ReduceOp.MEAN:
                return value
        options = self._communication_options.merge(options)

        def get_values(value: Any) -> Any:
            if not isinstance(value, DistributedValues):
                return _cdo.reduce_non_distributed_value(reduce_op, value, destinations, len(self._devices))
            if (not _cdo._devices_match(value, destinations)
                    or any("cpu" in d.lower() for d in _cdo.get_devices_from(destinations))):
                return _cdo.ReductionToOneDevice().reduce(reduce_op, value, destinations)
            return self._get_cross_device_ops(value).reduce(reduce_op, value, destinations=destinations,
                                                            options=options)

        return nest.map_structure(get_values, value)

    def _batch_reduce_to(self, reduce_op: ReduceOp, value_destination_pairs: Any, options: Any) -> list:
        cross_device_ops = None
        for value, _ in value_destination_pairs:
            if cross_device_ops is None:
                cross_device_ops = self._get_cross_device_ops(value)
            elif cross_device_ops is not self._get_cross_device_ops(value):  # (two int32 values too, as in TF)
                raise ValueError("Inputs to batch_reduce_to must be either all on the host or all on the compute "
                                 "devices.")
        return cross_device_ops.batch_reduce(reduce_op, value_destination_pairs,
                                             options=self._communication_options.merge(options))

    def _gather_to_implementation(self, value: Any, destinations: Any, axis: int, options: Any) -> Any:
        if not isinstance(value, DistributedValues):
            return value
        return self._get_cross_device_ops(value)._gather(value, destinations=destinations, axis=axis,
                                                          options=self._communication_options.merge(options))

    def _broadcast_to(self, tensor: Any, destinations: Any) -> Any:
        if isinstance(tensor, (float, int)):
            return tensor
        if destinations is None or isinstance(destinations, str) and not destinations:
            destinations = self._devices[0] if len(self._devices) == 1 else Mirrored(
                [copy_to_device(tensor, d) for d in self._devices])
        return self._get_cross_device_ops(tensor).broadcast(tensor, destinations)

    # --- updates --------------------------------------------------------------------------------------------

    def _update(self, var: Any, fn: Callable, args: Any, kwargs: dict, group: bool) -> Any:
        updates = []
        components = var.values if isinstance(var, DistributedVariable) else (var,)
        for i, v in enumerate(components):
            with device_scope(v.device), _ctx.UpdateContext(i):
                updates.append(fn(v, *select_replica(i, tuple(args)), **select_replica(i, kwargs)))
        return update_regroup(self, updates, group)

    def _update_non_slot(self, colocate_with: Any, fn: Callable, args: Any, kwargs: dict, group: bool) -> Any:
        updates = []
        for i, d in enumerate(colocate_with):
            with device_scope(d), _ctx.UpdateContext(i):
                updates.append(fn(*select_replica(i, tuple(args)), **select_replica(i, kwargs)))
        return update_regroup(self, updates, group)

    def _local_results(self, value: Any) -> tuple:
        if isinstance(value, DistributedVariable):
            return value._values
        return super()._local_results(value)

    # --- input ----------------------------------------------------------------------------------------------

    def _experimental_distribute_values_from_function(self, value_fn: Callable) -> Any:
        per_replica = []
        for i, device in enumerate(self._devices):
            with device_scope(device):
                per_replica.append(value_fn(ValueContext(i, self._num_replicas_in_sync)))
        return regroup(per_replica, always_wrap=True)

    # --- properties -----------------------------------------------------------------------------------------

    @property
    def _num_replicas_in_sync(self) -> int:
        return len(self._devices)

    def _get_local_replica_id(self, replica_id_in_sync_group: Any) -> Any:
        return replica_id_in_sync_group


class MirroredReplicaContext(ReplicaContext):
    """The replica context of one replica inside ``MirroredStrategy.run``; ``merge_call`` waits for every
    replica (see ``mirrored_run``)."""

    def _merge_call(self, merge_fn: Callable, args: Any, kwargs: dict) -> Any:
        thread = current_replica_thread()
        if thread is None:  # one replica, run in the caller's thread
            return super()._merge_call(merge_fn, args, kwargs)
        return thread.pause_for_merge(merge_fn, tuple(args), kwargs)

    @property
    def devices(self) -> list:
        """``[[device]]``: this replica's entry of TF's ``worker_devices_by_replica``, in a list (as TF's)."""
        _ctx.require_replica_context(self)
        return [[self._strategy.extended.worker_devices[self._local_replica_id]]]

