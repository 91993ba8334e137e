"""``tf.distribute.OneDeviceStrategy``: one replica on one device. Everything ``run`` calls runs there, the
variables created in its scope are placed there, and a distributed dataset's elements are copied there.

>>> import featherflow as tf
>>> strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
>>> with strategy.scope():
...     v = tf.Variable(1.0)
>>> v.device, strategy.extended.variable_created_in_scope(v)
('/job:localhost/replica:0/task:0/device:CPU:0', True)
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator

from ..device import DeviceSpec, device_scope
from ..variable import Variable
from . import context as _ctx
from .input_context import InputContext
from .input_lib import DistributedDataset, DistributedDatasetsFromFunction, InputWorkers
from .replica_context import ReplicaContext
from .strategy import (
    InProcessExtended,
    SingleReplicaExtended,
    Strategy,
    StrategyExtended,
    check_replication_mode,
    resolve_device,
)
from .values import select_replica


class OneDeviceStrategy(Strategy):
    """A strategy that places variables and computation on one device (``tf.distribute.OneDeviceStrategy``)."""

    def __init__(self, device: Any) -> None:
        super().__init__(OneDeviceExtended(self, device))


def host_for_device(device: str) -> str:
    """The CPU of the host ``device`` belongs to (TF's ``device_util.get_host_for_device``)."""
    spec = DeviceSpec.from_string(device)
    return DeviceSpec(job=spec.job, replica=spec.replica, task=spec.task, device_type="CPU",
                      device_index=0).to_string()


def validate_colocate(v: Any, extended: StrategyExtended) -> None:
    """TF's check that ``colocate_vars_with`` names a variable of this strategy."""
    if not isinstance(v, Variable) and not hasattr(v, "_distribute_strategy"):
        raise ValueError("`colocate_vars_with` must only be passed a variable created in this "
                         f"tf.distribute.Strategy.scope(), not: {v!r}")
    variable_strategy = getattr(v, "_distribute_strategy", None)
    if not variable_strategy or variable_strategy.extended is not extended:
        raise ValueError("`colocate_vars_with` must only be passed a variable created in this "
                         f"tf.distribute.Strategy.scope(), not {v} created in scope: {variable_strategy}")


class LocalDevicesExtended(InProcessExtended):
    """The hooks the strategies over devices of this machine share (``OneDeviceStrategy``,
    ``MirroredStrategy``): subclasses set ``_devices`` (one per replica) and ``_host_device`` (where input
    pipelines run)."""

    _devices: tuple
    _host_device: str

    def colocate_vars_with(self, colocate_with_variable: Any) -> Any:
        _ctx.require_strategy_scope_extended(self)
        validate_colocate(colocate_with_variable, self)
        return super().colocate_vars_with(colocate_with_variable)

    def _input_workers_with_options(self, options: Any = None) -> InputWorkers:
        if not options or options.experimental_fetch_to_device:
            return InputWorkers([(self._host_device, self._devices)])
        return InputWorkers([(self._host_device, (self._host_device,) * len(self._devices))])

    def _experimental_distribute_dataset(self, dataset: Any, options: Any) -> DistributedDataset:
        check_replication_mode(options, "distribute_dataset")
        return DistributedDataset(dataset, self._input_workers_with_options(options), self._container_strategy(),
                                  options=options)

    def _distribute_datasets_from_function(self, dataset_fn: Callable, options: Any) -> Any:
        check_replication_mode(options, "distribute_datasets_from_function")
        context = InputContext(num_input_pipelines=1, input_pipeline_id=0,
                               num_replicas_in_sync=self._num_replicas_in_sync)
        return DistributedDatasetsFromFunction(dataset_fn, self._input_workers_with_options(options), [context],
                                               self._container_strategy(), options=options)

    @property
    def worker_devices(self) -> tuple:
        return self._devices

    @property
    def parameter_devices(self) -> tuple:
        return self._devices

    def non_slot_devices(self, var_list: Any) -> tuple:
        return self._devices

    @property
    def experimental_should_init(self) -> bool:
        return True

    @property
    def experimental_between_graph(self) -> bool:
        return False


class OneDeviceExtended(SingleReplicaExtended, LocalDevicesExtended):
    """``OneDeviceStrategy.extended``."""

    def __init__(self, container_strategy: Strategy, device: Any) -> None:
        super().__init__(container_strategy)
        self._device = resolve_device(device)
        self._devices = (self._device,)
        self._host_device = host_for_device(self._device)

    def _create_variable(self, next_creator: Callable, colocate_with: Any = None, **kwargs: Any) -> Any:
        with device_scope(self._device if colocate_with is None else colocate_with.device):
            return next_creator(**kwargs)

    def _broadcast_to(self, tensor: Any, destinations: Any) -> Any:
        return tensor

    def _call_for_each_replica(self, fn: Callable, args: Any, kwargs: dict) -> Any:
        args, kwargs = select_replica(0, (tuple(args), kwargs))  # a PerReplica argument: this replica's part
        with device_scope(self._device), _OneDeviceReplicaContext(self._container_strategy()):
            return fn(*args, **kwargs)

    def _update_scope(self, colocate_with: Any) -> Any:
        return _device_and_update_scope(self._device)


@contextlib.contextmanager
def _device_and_update_scope(device: str) -> Iterator[None]:
    with device_scope(device), _ctx.UpdateContext(device):
        yield


class _OneDeviceReplicaContext(ReplicaContext):
    """The replica context inside ``OneDeviceStrategy.run``."""

    def __init__(self, strategy: Strategy) -> None:
        super().__init__(strategy, replica_id_in_sync_group=0)

    @property
    def devices(self) -> tuple:
        return self._strategy.extended.worker_devices
