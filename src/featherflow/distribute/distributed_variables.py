"""Distributed variables: ``MirroredVariable`` (kept the same on every replica: writes from replica context are
aggregated by the variable's ``tf.VariableAggregation`` and applied to every component) and
``SyncOnReadVariable`` (each replica writes its own component; reads in cross-replica context, and checkpoints,
see the components aggregated). A strategy's scope makes them from ``tf.Variable(...)``: one component per
device, named as TF names them (``v``, ``v/replica_1``, ...).

A distributed variable is a ``tf.Variable`` whose buffer is the component of the replica the thread runs for
(in ``strategy.run``, or in an ``extended.update`` for one replica), and the first component elsewhere; every
read and op on it therefore sees that component.

>>> import featherflow as tf
>>> strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
>>> with strategy.scope():
...     v = tf.Variable(1.0)
>>> print(v)
MirroredVariable:{
  0: <tf.Variable 'Variable:0' shape=() dtype=float32, numpy=1.0>
}
"""

from __future__ import annotations

import weakref
from typing import Any, Callable

import numpy as np

from ..device import device_scope
from ..dtypes import as_dtype
from ..ops.array.core import identity
from ..ops.array.create import cast
from ..tensor import Tensor
from ..variable import Variable
from ..variable_policy import VariableAggregation, VariableAggregationV2, VariableSynchronization
from . import context as _ctx
from .reduce_util import ReduceOp
from .values import DistributedValues, Mirrored, PerReplica, regroup
from .values import current_replica_id as _replica_id

_NONE = (VariableAggregation.NONE, VariableAggregationV2.NONE)
_ONLY_FIRST = (VariableAggregation.ONLY_FIRST_REPLICA, VariableAggregationV2.ONLY_FIRST_REPLICA)
_SUM = (VariableAggregation.SUM, VariableAggregationV2.SUM)
_MEAN = (VariableAggregation.MEAN, VariableAggregationV2.MEAN)


def _in_cross_replica() -> bool:
    """Cross-replica context, and not inside an update for one replica (TF's test before aggregating)."""
    return _ctx.get_update_replica_id() is None and _replica_id() is None


class DistributedVariable(DistributedValues, Variable):
    """A variable with one component per replica (``tf.distribute.DistributedValues`` and ``tf.Variable``)."""

    def __init__(self, strategy: Any, values: list, aggregation: Any) -> None:  # Variable.__init__ is not run
        self.__dict__["_values"] = tuple(values)
        self.__dict__["_distribute_strategy"] = strategy
        self.__dict__["_policy_aggregation"] = aggregation
        for v in values:
            v._distributed_container = weakref.ref(self)  # TF's: called to get the container back

    # --- the components -----------------------------------------------------------------------------------

    @property
    def distribute_strategy(self) -> Any:
        return self._distribute_strategy

    @property
    def name(self) -> str:
        return self._primary.name

    @property
    def _unique_id(self) -> str:
        return self._primary._unique_id

    @property
    def aggregation(self) -> Any:
        return self._policy_aggregation

    @property
    def synchronization(self) -> Any:
        return self._primary.synchronization

    def _component(self) -> Variable:
        return self._get_on_device_or_primary()

    def __repr__(self) -> str:
        body = ",\n".join(f"  {i}: {v!r}" for i, v in enumerate(self._values))
        return f"{type(self).__name__}:{{\n{body}\n}}"

    __str__ = __repr__

    # TF's distributed variables are no numbers: Python's own conversions refuse them, and any is truthy
    def __float__(self) -> float:
        raise TypeError(f"float() argument must be a string or a real number, not '{type(self).__name__}'")

    def __int__(self) -> int:
        raise TypeError(f"int() argument must be a string, a bytes-like object or a real number, not "
                        f"'{type(self).__name__}'")

    def __complex__(self) -> complex:
        raise TypeError(f"complex() first argument must be a string or a number, not '{type(self).__name__}'")

    def __bool__(self) -> bool:
        return True

    def __copy__(self) -> DistributedVariable:
        return self

    def __deepcopy__(self, memo: Any) -> Any:
        raise NotImplementedError(f"deepcopy of a {type(self).__name__} is not supported; copy its value instead")

    def __reduce__(self) -> Any:
        raise TypeError(f"cannot pickle a {type(self).__name__}")

    # --- checkpoints: one copy --------------------------------------------------------------------------------

    def _checkpoint_array(self) -> Any:
        """The value a checkpoint stores (the primary's; a sync-on-read variable's aggregated value)."""
        return self._primary._array

    def _restore_components(self, value: np.ndarray) -> None:
        """Writes a checkpoint's value into every component (on each one's device)."""
        from ..checkpoint.restore import assign_restored

        for v in self._values:
            assign_restored(v, value.copy())

    # --- updates --------------------------------------------------------------------------------------------

    def _update(self, update_fn: Callable, value: Any, **kwargs: Any) -> Any:
        if _ctx.get_update_replica_id() is not None:  # inside an update for one replica: that component
            return update_fn(self._get_on_device_or_primary(), value, **kwargs)
        if _replica_id() is not None:
            return self._update_replica(update_fn, value, **kwargs)
        return self._update_cross_replica(update_fn, value, **kwargs)

    def _update_cross_replica(self, update_fn: Callable, value: Any, **kwargs: Any) -> Any:
        return self._distribute_strategy.extended.update(self, update_fn, args=(value,), kwargs=kwargs, group=True)

    def _update_replica(self, update_fn: Callable, value: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("must be implemented in descendants")

    def assign(self, value: Any, use_locking: bool | None = None, name: str | None = None,
               read_value: bool = True) -> Any:
        return self._update(lambda v, x, **kw: v.assign(x, **kw), value, use_locking=use_locking, name=name,
                            read_value=read_value)

    def assign_add(self, delta: Any, use_locking: bool | None = None, name: str | None = None,
                   read_value: bool = True) -> Any:
        return self._update(lambda v, x, **kw: v.assign_add(x, **kw), delta, use_locking=use_locking, name=name,
                            read_value=read_value)

    def assign_sub(self, delta: Any, use_locking: bool | None = None, name: str | None = None,
                   read_value: bool = True) -> Any:
        return self._update(lambda v, x, **kw: v.assign_sub(x, **kw), delta, use_locking=use_locking, name=name,
                            read_value=read_value)


def _forwarded(slot: str) -> property:
    def get(self: DistributedVariable) -> Any:
        return getattr(self._get_on_device_or_primary(), slot)

    def set_(self: DistributedVariable, value: Any) -> None:
        setattr(self._get_on_device_or_primary(), slot, value)

    return property(get, set_)


for _slot in Variable.__slots__:
    if _slot not in ("__weakref__", "__dict__"):
        setattr(DistributedVariable, _slot, _forwarded(_slot))


def apply_aggregation(strategy: Any, value: Any, aggregation: Any, destinations: Any) -> Any:
    """``value`` (per replica) combined by ``aggregation`` and placed on ``destinations``."""
    if aggregation in _ONLY_FIRST:
        return strategy.extended.broadcast_to(strategy.experimental_local_results(value)[0],
                                              destinations=destinations)
    return strategy.extended.reduce_to(ReduceOp.from_variable_aggregation(aggregation), value, destinations)


class MirroredVariable(DistributedVariable):
    """A variable kept the same on every replica (``tf.distribute`` ``MirroredVariable``)."""

    _is_mirrored = True

    @property
    def synchronization(self) -> Any:
        sync = self._primary.synchronization
        return VariableSynchronization.ON_WRITE if sync == VariableSynchronization.AUTO else sync

    def _update_replica(self, update_fn: Callable, value: Any, **kwargs: Any) -> Any:
        if self._policy_aggregation in _NONE:  # TF: each replica updates its own component
            return update_fn(self._get_on_device_or_primary(), value, **kwargs)

        def merge_fn(strategy: Any, value: Any, **kwargs: Any) -> Any:
            if (self._policy_aggregation in _MEAN and not self.dtype.is_floating
                    and isinstance(value, PerReplica)):
                raise ValueError("Cannot update non-float variables with tf.VariableAggregation.MEAN aggregation in "
                                 "replica context. Either change the variable dtype to float or update it in "
                                 "cross-replica context.")
            v = apply_aggregation(strategy, value, self._policy_aggregation, self)
            return self._update_cross_replica(update_fn, v, **kwargs)

        return _ctx.get_replica_context().merge_call(merge_fn, args=(value,), kwargs=kwargs)


def _scatter_refused(method: str) -> Callable:
    def refuse(self: SyncOnReadVariable, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"Variables with `synchronization=ON_READ` doesn't support `{method}`")

    refuse.__name__ = method
    return refuse


class SyncOnReadVariable(DistributedVariable):
    """A variable each replica updates on its own; read in cross-replica context, its components aggregated
    (``tf.distribute`` ``SyncOnReadVariable``)."""

    def _update_replica(self, update_fn: Callable, value: Any, **kwargs: Any) -> Any:
        return update_fn(self._get_on_device_or_primary(), value, **kwargs)

    def _get_cross_replica(self) -> Any:
        if self._policy_aggregation in _ONLY_FIRST:
            return self._primary.value()
        strategy = self._distribute_strategy
        reduce_op = ReduceOp.from_variable_aggregation(self._policy_aggregation)
        if _ctx.get_strategy() is strategy:
            return strategy.reduce(reduce_op, self, axis=None)
        with strategy.scope():
            return strategy.reduce(reduce_op, self, axis=None)

    def value(self) -> Tensor:
        if _in_cross_replica():
            return self._get_cross_replica()
        return self._get_on_device_or_primary().value()

    def read_value(self) -> Tensor:
        return identity(self.value())

    def __tf_tensor__(self, dtype: Any = None, name: Any = None) -> Tensor:
        if dtype is not None and as_dtype(dtype) is not self.dtype:
            raise ValueError(f"Incompatible type conversion requested to type {as_dtype(dtype).name} for "
                             f"`tf.Variable of type {self.dtype.name}. (Variable: {self!r})")
        return self.value()

    def _numpy(self) -> Any:
        if _in_cross_replica():
            return self._get_cross_replica().numpy()
        return self._get_on_device_or_primary()._numpy()

    def _checkpoint_array(self) -> Any:
        value = self._get_cross_replica()._value
        return value if isinstance(value, np.ndarray) else value.get()

    def _restore_components(self, value: np.ndarray) -> None:
        if self._policy_aggregation in _SUM:  # each replica holds its share of the saved sum
            value = (value / len(self._values)).astype(value.dtype)
        super()._restore_components(value)

    def _assign_on_each_device(self, method: str, value: Any, read_value: bool) -> Any:
        for v in self._values:
            with device_scope(v.device):
                getattr(v, method)(value, read_value=False)
        return self.read_value() if read_value else None

    def assign(self, value: Any, use_locking: bool | None = None, name: str | None = None,
               read_value: bool = True) -> Any:
        if not _in_cross_replica():
            return super().assign(value, use_locking, name, read_value)
        if self._policy_aggregation in _SUM:
            value = cast(value / self._distribute_strategy.num_replicas_in_sync, self.dtype)
        return self._assign_on_each_device("assign", value, read_value)

    def assign_add(self, delta: Any, use_locking: bool | None = None, name: str | None = None,
                   read_value: bool = True) -> Any:
        if not _in_cross_replica():
            return super().assign_add(delta, use_locking, name, read_value)
        if self._policy_aggregation in _SUM:
            raise ValueError("SyncOnReadVariable does not support `assign_add` in cross-replica context when "
                             "aggregation is set to `tf.VariableAggregation.SUM`.")
        return self._assign_on_each_device("assign_add", delta, read_value)

    def assign_sub(self, delta: Any, use_locking: bool | None = None, name: str | None = None,
                   read_value: bool = True) -> Any:
        if not _in_cross_replica():
            return super().assign_sub(delta, use_locking, name, read_value)
        if self._policy_aggregation in _SUM:
            raise ValueError("SyncOnReadVariable does not support `assign_sub` in cross-replica context when "
                             "aggregation is set to `tf.VariableAggregation.SUM`.")
        return self._assign_on_each_device("assign_sub", delta, read_value)


for _method in ("scatter_sub", "scatter_add", "scatter_mul", "scatter_div", "scatter_min", "scatter_max",
                "scatter_update"):
    setattr(SyncOnReadVariable, _method, _scatter_refused(_method))


def create_distributed_variable(strategy: Any, devices: tuple, next_creator: Callable, **kwargs: Any) -> Any:
    """One component per device through ``next_creator`` (the first with the given initial value and name,
    the others copies of it named ``<name>/replica_<i>``), wrapped as the synchronization asks."""
    synchronization = kwargs.get("synchronization", VariableSynchronization.AUTO)
    aggregation = kwargs.get("aggregation", VariableAggregation.NONE)
    if synchronization == VariableSynchronization.NONE:
        raise ValueError(f"`NONE` variable synchronization mode is not supported with tf.distribute strategy. "
                         f"Please change the `synchronization` for variable: {kwargs.get('name')}")
    components: list = []
    for i, device in enumerate(devices):
        with device_scope(device):
            if i > 0:
                kwargs["initial_value"] = identity(components[0].value())
                kwargs["name"] = f"{components[0].name.split(':')[0]}/replica_{i}/"
            components.append(next_creator(**kwargs))
    if aggregation in _MEAN and not components[0].dtype.is_floating:
        raise ValueError("creating distributed tf.Variable with aggregation=MEAN and a non-floating dtype is not "
                         "supported, please use a different aggregation or dtype")
    kind = SyncOnReadVariable if synchronization == VariableSynchronization.ON_READ else MirroredVariable
    return kind(strategy, components, aggregation)


def update_regroup(extended: Any, updates: list, group: bool) -> Any:
    """The per-replica results of an update, as TF's ``update_regroup``: grouped, a ``Mirrored`` value of their
    values where they differ (tensors and variables read, so that every update has run; None for results that
    are not values); ungrouped, a tuple per replica."""
    from .. import nest

    if not group:
        return nest.map_structure(extended._local_results, regroup(updates, Mirrored))

    def grouped(values: Any) -> Any:
        if len(values) == 1:
            return Mirrored(values)
        if not all(isinstance(v, (Tensor, Variable)) for v in values):
            return None  # TF's tf.group of them, which eagerly is None
        with_dep = []
        for v in values:
            with device_scope(v.device):
                with_dep.append(identity(v))
        return Mirrored(with_dep)

    return regroup(updates, grouped)
