"""The default strategy: what ``tf.distribute.get_strategy()`` returns outside any strategy's scope. One
replica, no placement of its own; reductions return their input. Its scope checks that no other strategy is
current, and ``run`` calls the function in a replica context.

>>> import featherflow as tf
>>> strategy = tf.distribute.get_strategy()
>>> strategy.num_replicas_in_sync, tf.distribute.has_strategy()
(1, False)
"""

from __future__ import annotations

from typing import Any, Callable

from ..device import device_scope
from ..variable_creator import variable_creator_scope
from . import context as _ctx
from .input_context import InputContext
from .replica_context import ReplicaContext
from .strategy import SingleReplicaExtended, Strategy

_creating_default_strategy_singleton = [False]


class _DefaultDistributionContext:
    """What the default strategy's ``scope()`` returns."""

    __slots__ = ("_var_creator_scope", "_strategy", "_nested_count")

    def __init__(self, strategy: Strategy) -> None:
        self._var_creator_scope: Any = None
        self._strategy = strategy
        self._nested_count = 0

    def __enter__(self) -> Strategy:
        if _ctx.has_strategy():
            raise RuntimeError("Must not nest tf.distribute.Strategy scopes.")
        if self._nested_count == 0:
            strategy = self._strategy

            def creator(next_creator: Callable, **kwargs: Any) -> Any:
                _ctx.require_strategy_scope_strategy(strategy)
                return next_creator(**kwargs)

            self._var_creator_scope = variable_creator_scope(creator)
            self._var_creator_scope.__enter__()
        self._nested_count += 1
        return self._strategy

    def __exit__(self, *exc: Any) -> None:
        self._nested_count -= 1
        if self._nested_count == 0:
            scope, self._var_creator_scope = self._var_creator_scope, None
            scope.__exit__(*exc)


class _DefaultDistributionStrategy(Strategy):
    """The strategy current outside every other strategy's scope (one per process)."""

    def __init__(self) -> None:
        if not _creating_default_strategy_singleton[0]:
            raise RuntimeError("Should only create a single instance of _DefaultDistributionStrategy")
        super().__init__(_DefaultDistributionExtended(self))

    def __deepcopy__(self, memo: dict) -> Any:
        raise RuntimeError("Should only create a single instance of _DefaultDistributionStrategy")


class _DefaultDistributionExtended(SingleReplicaExtended):
    def _scope(self, strategy: Strategy) -> _DefaultDistributionContext:
        return _DefaultDistributionContext(strategy)

    def colocate_vars_with(self, colocate_with_variable: Any) -> Any:
        _ctx.require_strategy_scope_extended(self)
        return device_scope(colocate_with_variable.device)  # TF's eager ops.colocate_with: the variable's device

    def variable_created_in_scope(self, v: Any) -> bool:
        return getattr(v, "_distribute_strategy", None) is None

    def _experimental_distribute_dataset(self, dataset: Any, options: Any) -> Any:
        return dataset

    def _distribute_datasets_from_function(self, dataset_fn: Callable, options: Any) -> Any:
        return dataset_fn(InputContext())

    def _broadcast_to(self, tensor: Any, destinations: Any) -> Any:
        if destinations is None:
            return tensor
        # the default strategy has no devices to copy to; TF refuses with exactly this message
        raise NotImplementedError("TODO")

    def _call_for_each_replica(self, fn: Callable, args: Any, kwargs: dict) -> Any:
        with ReplicaContext(self._container_strategy(), replica_id_in_sync_group=0):
            return fn(*args, **kwargs)

    def _update_scope(self, colocate_with: Any) -> Any:
        return _ctx.UpdateContext(colocate_with)

    @property
    def worker_devices(self) -> tuple:
        raise RuntimeError("worker_devices() method unsupported by default tf.distribute.Strategy.")

    @property
    def parameter_devices(self) -> tuple:
        raise RuntimeError("parameter_devices() method unsupported by default tf.distribute.Strategy.")

    def non_slot_devices(self, var_list: Any) -> Any:
        return min(var_list, key=lambda x: x.name)


class _DefaultReplicaContext(ReplicaContext):
    """The replica context outside every strategy's scope: replica 0 of the default strategy."""

    @property
    def replica_id_in_sync_group(self) -> int:
        return 0


def _make_defaults() -> None:
    _creating_default_strategy_singleton[0] = True
    try:
        strategy = _DefaultDistributionStrategy()
    finally:
        _creating_default_strategy_singleton[0] = False
    _ctx.set_defaults(strategy, _DefaultReplicaContext(strategy, replica_id_in_sync_group=0))


_make_defaults()
