"""``tf.distribute.experimental.CentralStorageStrategy``: one copy of each variable, on the parameter device (the
CPU by default), and the computation replicated on the compute devices (the GPUs, else the CPU). Each replica
reads the variables from the parameter device (the read is copied to its device); writes from replica context
are aggregated by the variable's ``tf.VariableAggregation`` and applied once, to the one copy. With several
replicas a variable is an ``AggregatingVariable`` (TF's name), which refuses writes from replica context without
an aggregation, with TF's error.

>>> import featherflow as tf
>>> strategy = tf.distribute.experimental.CentralStorageStrategy()
>>> with strategy.scope():
...     v = tf.Variable(1.0)
>>> v.device
'/job:localhost/replica:0/task:0/device:CPU:0'
"""

from __future__ import annotations

from typing import Any, Callable

from ..device import device_scope, logical_devices
from ..variable import Variable
from ..variable_policy import VariableAggregation, VariableAggregationV2
from . import context as _ctx
from . import cross_device_ops as _cdo
from .distributed_variables import _NONE, apply_aggregation
from .mirrored_strategy import MirroredExtended
from .strategy import Strategy, resolve_device
from .values import PerReplica

_VALID = (*_NONE, VariableAggregation.SUM, VariableAggregation.MEAN, VariableAggregation.ONLY_FIRST_REPLICA,
          VariableAggregationV2.SUM, VariableAggregationV2.MEAN, VariableAggregationV2.ONLY_FIRST_REPLICA)

_AGGREGATION_ERROR = (
    "You must specify an aggregation method to update a {variable_type} in Replica Context. You can do so by "
    "passing an explicit value for argument `aggregation` to tf.Variable(..).e.g. `tf.Variable(..., "
    "aggregation=tf.VariableAggregation.SUM)``tf.VariableAggregation` lists the possible aggregation methods.This "
    "is required because {variable_type} should always be kept in sync. When updating them or assigning to them "
    "in a replica context, we automatically try to aggregate the values before updating the variable. For this "
    "aggregation, we need to know the aggregation method. Another alternative is to not try to update such "
    "{variable_type} in replica context, but in cross replica context. You can enter cross replica context by "
    "calling `tf.distribute.get_replica_context().merge_call(merge_fn, ..)`.Inside `merge_fn`, you can then "
    "update the {variable_type} using `tf.distribute.StrategyExtended.update()`.")


class CentralStorageStrategy(Strategy):
    """Variables on one device, computation replicated across the compute devices
    (``tf.distribute.experimental.CentralStorageStrategy``)."""

    def __init__(self, compute_devices: Any = None, parameter_device: Any = None) -> None:
        super().__init__(ParameterServerStrategyExtended(self, compute_devices, parameter_device))


class AggregatingVariable(Variable):
    """The one copy of a variable of a ``CentralStorageStrategy`` with several replicas: reads and ops see the
    variable; writes from replica context are aggregated first (TF's ``ps_values.AggregatingVariable``)."""

    def __init__(self, strategy: Any, v: Variable, aggregation: Any) -> None:  # Variable.__init__ is not run
        self.__dict__["_v"] = v
        self.__dict__["_distribute_strategy"] = strategy
        self.__dict__["_policy_aggregation"] = aggregation
        v._aggregating_container = self

    def get(self) -> Variable:
        return self._v

    @property
    def distribute_strategy(self) -> Any:
        return self._distribute_strategy

    @property
    def aggregation(self) -> Any:
        return self._policy_aggregation

    def __repr__(self) -> str:
        return repr(self._v)

    def _assign_func(self, method: str, value: Any, **kwargs: Any) -> Any:
        def update(v: Any, x: Any, **kw: Any) -> Any:
            target = v._v if isinstance(v, AggregatingVariable) else v
            return getattr(target, method)(x, **kw)

        replica_context = _ctx.get_replica_context()
        if replica_context is None or replica_context is _ctx.default_replica_context():
            if _ctx.get_update_replica_id() is not None:
                return update(self._v, value, **kwargs)
            return self._distribute_strategy.extended.update(self, update, args=(value,), kwargs=kwargs)
        if self._policy_aggregation in _NONE:
            raise ValueError(_AGGREGATION_ERROR.format(variable_type="AggregatingVariable"))

        def merge_fn(strategy: Any, value: Any, **kw: Any) -> Any:
            v = apply_aggregation(strategy, value, self._policy_aggregation, self)
            if isinstance(kw.get("name"), PerReplica):
                kw["name"] = kw["name"].values[0]
            return strategy.extended.update(self, update, args=(v,), kwargs=kw)

        return replica_context.merge_call(merge_fn, args=(value,), kwargs=kwargs)

    def assign(self, value: Any, use_locking: bool | None = None, name: str | None = None,
               read_value: bool = True) -> Any:
        return self._assign_func("assign", value, use_locking=use_locking, name=name, read_value=read_value)

    def assign_add(self, delta: Any, use_locking: bool | None = None, name: str | None = None,
                   read_value: bool = True) -> Any:
        return self._assign_func("assign_add", delta, use_locking=use_locking, name=name, read_value=read_value)

    def assign_sub(self, delta: Any, use_locking: bool | None = None, name: str | None = None,
                   read_value: bool = True) -> Any:
        return self._assign_func("assign_sub", delta, use_locking=use_locking, name=name, read_value=read_value)


def _forwarded(slot: str) -> property:
    return property(lambda self: getattr(self._v, slot), lambda self, value: setattr(self._v, slot, value))


for _slot in Variable.__slots__:
    if _slot not in ("__weakref__", "__dict__"):
        setattr(AggregatingVariable, _slot, _forwarded(_slot))


class ParameterServerStrategyExtended(MirroredExtended):
    """``CentralStorageStrategy.extended`` (TF's class of that name, with no cluster)."""

    def __init__(self, container_strategy: Strategy, compute_devices: Any = None, parameter_device: Any = None) -> None:
        if compute_devices is None:
            gpus = logical_devices("GPU")
            compute_devices = [d.name for d in gpus] if gpus else ["/device:CPU:0"]
        compute = [resolve_device(d) for d in compute_devices]
        if parameter_device is None:
            parameter_device = compute[0] if len(compute) == 1 else resolve_device("/device:CPU:0")
        super().__init__(container_strategy, devices=compute,
                         cross_device_ops=_cdo.ReductionToOneDevice(reduce_to_device="/device:CPU:0"))
        self._compute_devices = compute
        self._parameter_devices = (parameter_device,)
        self._variable_device = resolve_device(parameter_device)

    def _create_variable(self, next_creator: Callable, colocate_with: Any = None, **kwargs: Any) -> Any:
        aggregation = kwargs.pop("aggregation", VariableAggregation.NONE)
        kwargs.pop("caching_device", None)
        device = self._variable_device if colocate_with is None else colocate_with.device
        with device_scope(device):
            if self._num_replicas_in_sync <= 1:
                return next_creator(aggregation=aggregation, **kwargs)
            if aggregation not in _VALID:
                raise ValueError(f"Invalid variable aggregation mode: {aggregation} for variable: {kwargs.get('name')}")
            return AggregatingVariable(self._container_strategy(), next_creator(**kwargs), aggregation)

    def _update(self, var: Any, fn: Callable, args: Any, kwargs: dict, group: bool) -> Any:
        from .values import select_replica

        with device_scope(var.device), _ctx.UpdateContext(var.device):
            result = fn(var, *select_replica(0, tuple(args)), **select_replica(0, kwargs))
        return result if group else self._local_results(result)

    def _update_non_slot(self, colocate_with: Any, fn: Callable, args: Any, kwargs: dict, group: bool) -> Any:
        with device_scope(colocate_with.device), _ctx.UpdateContext(colocate_with.device):
            result = fn(*args, **kwargs)
        return result if group else self._local_results(result)

    def _reduce_to(self, reduce_op: Any, value: Any, destinations: Any, options: Any) -> Any:
        from .values import DistributedValues

        if not isinstance(value, DistributedValues):
            return _cdo.reduce_non_distributed_value(reduce_op, value, destinations, self._num_replicas_in_sync)
        return self._cross_device_ops.reduce(reduce_op, value, destinations=destinations, options=options)

    def _batch_reduce_to(self, reduce_op: Any, value_destination_pairs: Any, options: Any) -> list:
        return self._cross_device_ops.batch_reduce(reduce_op, value_destination_pairs, options=options)

    def _broadcast_to(self, tensor: Any, destinations: Any) -> Any:
        if not _cdo.check_destinations(destinations):
            destinations = self._compute_devices[0]
        return self._cross_device_ops.broadcast(tensor, destinations)

    def read_var(self, var: Any) -> Any:
        from ..ops.array.core import identity

        return identity(var)

    def value_container(self, value: Any) -> Any:
        return getattr(value, "_aggregating_container", value)

    def non_slot_devices(self, var_list: Any) -> Any:
        return min(var_list, key=lambda x: x.name)

    def _local_results(self, value: Any) -> tuple:
        if isinstance(value, AggregatingVariable):
            return (value,)
        return super()._local_results(value)

    @property
    def worker_devices(self) -> list:
        return list(self._compute_devices)

    @property
    def parameter_devices(self) -> tuple:
        return self._parameter_devices

    @property
    def experimental_between_graph(self) -> bool:
        return False
