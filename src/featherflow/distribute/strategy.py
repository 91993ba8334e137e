"""``tf.distribute.Strategy`` and ``StrategyExtended``: the API every strategy shares, and the hooks
(``_call_for_each_replica``, ``_reduce_to``, ``_update``, ``_create_variable``...) each one implements.

A strategy's ``scope()`` pushes its cross-replica mode on the thread's stack (``context``), enters a variable
creator that makes new variables its own (placed on its devices), and its default device if it has one.
``run`` calls the function once per replica, each in a replica context; reductions go through the extended
object, which a multi-device strategy backs with a ``CrossDeviceOps``.

>>> import featherflow as tf
>>> strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
>>> strategy.reduce("SUM", strategy.run(lambda x: x * 2, args=(tf.constant([1.0, 2.0]),)), axis=0).numpy()
np.float32(6.0)
"""

from __future__ import annotations

import copy
import sys
import threading
import weakref
from typing import Any, Callable

from .. import nest
from ..autodiff._log import get_logger
from ..device import DeviceSpec, device_scope
from ..device import _scope as _device_state  # the thread's tf.device scope
from ..dtypes import int64 as _int64
from ..indexed_slices import IndexedSlices
from ..ops.array.core import identity
from ..ops.array.create import cast
from ..ops.control_flow.deps import group
from ..ops.math.api import truediv
from ..ops.math.reduce import reduce_prod, reduce_sum
from ..tensor import Tensor, constant
from ..variable_creator import variable_creator_scope
from . import context as _ctx
from .collective_util import CommunicationOptions
from .input_context import InputReplicationMode, ValueContext
from .reduce_util import ReduceOp, as_reduce_op
from .values import DistributedValues

_SUM, _MEAN = ReduceOp.SUM, ReduceOp.MEAN
_NO_OPTIONS = CommunicationOptions()  # the defaults, shared: ``reduce_to`` is called per step (never mutated)

_CONTEXT_DEVICE = DeviceSpec("localhost", 0, 0, "CPU", 0)


def resolve_device(name: Any) -> str:
    """The full TF name of a device spec, whether or not the device exists (TF's ``device_util.resolve``)."""
    if isinstance(name, DeviceSpec):
        name = name.to_string()
    spec = _CONTEXT_DEVICE.make_merged_spec(DeviceSpec.from_string(name))
    return spec.to_string()


def current_device() -> str:
    """The full name of the thread's ``tf.device`` scope, "" outside any (TF's ``device_util.current``)."""
    spec = _device_state.spec
    return spec.to_string() if spec is not None else ""


_warned: set = set()


def deprecated_once(name: str, instructions: str) -> None:
    """Logs TF's deprecation notice for ``name`` (a method of ``distribute_lib``), once per process, naming the
    caller of the deprecated method."""
    if name in _warned:
        return
    _warned.add(name)
    caller = sys._getframe(2)
    get_logger().warning("From %s:%d: %s (from tensorflow.python.distribute.distribute_lib) is deprecated and will be "
                         "removed in a future version.\nInstructions for updating:\n%s", caller.f_code.co_filename,
                         caller.f_lineno, name, instructions)


class _CurrentDistributionContext:
    """What ``strategy.scope()`` returns for a strategy other than the default one."""

    def __init__(self, strategy: Strategy, creator: Callable, default_device: str | None = None) -> None:
        self._mode = _ctx.cross_replica_mode(strategy)
        self._creator = creator
        self._default_device = default_device
        self._entered: list = []
        self._same_scope_again_count = 0

    def __enter__(self) -> Strategy:
        strategy = self._mode.strategy
        if _ctx.has_strategy():
            _ctx.require_cross_replica_or_default_context(strategy.extended)
            self._same_scope_again_count += 1
            return strategy
        _ctx.push(self._mode)
        scopes = [variable_creator_scope(self._creator)]
        if self._default_device:
            scopes.append(device_scope(self._default_device))
        for scope in scopes:
            scope.__enter__()
        self._entered.append(scopes)
        return strategy

    def __exit__(self, *exc: Any) -> None:
        if self._same_scope_again_count > 0:
            self._same_scope_again_count -= 1
            return
        for scope in reversed(self._entered.pop()):
            scope.__exit__(*exc)
        _ctx.pop()


class Strategy:
    """A state and compute distribution policy on a list of devices (``tf.distribute.Strategy``)."""

    def __init__(self, extended: StrategyExtended) -> None:
        self._extended = extended

    @property
    def extended(self) -> StrategyExtended:
        """The ``tf.distribute.StrategyExtended`` with the strategy's lower-level API."""
        return self._extended

    def scope(self) -> Any:
        """A context manager that makes this strategy current and distributes the variables created inside."""
        return self._extended._scope(self)

    def run(self, fn: Callable, args: Any = (), kwargs: dict | None = None, options: Any = None) -> Any:
        """Calls ``fn(*args, **kwargs)`` on each replica, in its replica context; returns each replica's results
        (one replica: the results themselves; several: ``PerReplica`` values)."""
        del options  # TPU compilation options
        if not isinstance(args, (list, tuple)):
            kind = "<class 'tensorflow.python.framework.ops.EagerTensor'>" if isinstance(args, Tensor) else type(args)
            raise ValueError(f"positional args must be a list or tuple, got {kind}")
        with self.scope():
            return self._extended.call_for_each_replica(fn, args=args, kwargs=kwargs)

    def reduce(self, reduce_op: Any, value: Any, axis: Any) -> Any:
        """Reduces ``value`` across replicas (and along ``axis`` within each) to one value, in cross-replica
        context."""
        _ctx.require_cross_replica_or_default_context(self._extended)
        reduce_op = as_reduce_op(reduce_op)
        if axis is None:
            return self._extended._reduce(reduce_op, value)
        hash(axis)  # TF keeps a function per axis in a dict: a list axis is a TypeError there
        if reduce_op == ReduceOp.SUM:
            value = self.run(lambda v: reduce_sum(v, axis=axis), args=(value,))
            return self._extended._reduce(reduce_op, value)
        if reduce_op != ReduceOp.MEAN:
            raise TypeError(f"Expected `reduce_op` to be a `tf.distribute.ReduceOp`, not: {reduce_op!r}")

        def mean_reduce_helper(v: Any) -> tuple:
            def dimension(a: int) -> Any:
                rank = v.shape.rank
                if a < 0:
                    if a + rank < 0:
                        raise ValueError(f"`axis` = {a!r} out of range for `value` with rank {rank}")
                    a += rank
                elif a >= rank:
                    raise ValueError(f"`axis` = {a!r} out of range for `value` with rank {rank}")
                return constant(v.shape[a], dtype=_int64)

            if isinstance(axis, int):
                denom = dimension(axis)
            elif isinstance(axis, (tuple, list)):
                denom = reduce_prod([dimension(a) for a in axis])
            else:
                raise TypeError(f"Expected `axis` to be an integer, tuple or list not: {axis!r}")
            return reduce_sum(v, axis=axis), denom

        numer, denom = self.run(mean_reduce_helper, args=(value,))
        numer = self._extended._reduce(ReduceOp.SUM, numer)
        denom = self._extended._reduce(ReduceOp.SUM, denom)
        return truediv(numer, cast(denom, numer.dtype))

    def gather(self, value: Any, axis: int) -> Any:
        """Concatenates the replicas' values along ``axis`` onto the current device, in cross-replica context."""
        _ctx.require_cross_replica_or_default_context(
            self._extended, "tf.distribute.Strategy.gather method requires cross-replica context, use "
                            "get_replica_context().all_gather() instead")
        destination = current_device() or self._extended._default_device or "/device:CPU:0"
        if isinstance(value, IndexedSlices):
            raise NotImplementedError("gather does not support IndexedSlices")
        return self._extended._local_results(self._extended._gather_to(value, destination, axis))[0]

    def experimental_local_results(self, value: Any) -> tuple:
        """The components of ``value`` on this worker's replicas, as a tuple."""
        return self._extended._local_results(value)

    def unwrap(self, value: Any) -> tuple:
        """Deprecated: ``experimental_local_results``."""
        deprecated_once("StrategyBase.unwrap", "use `experimental_local_results` instead.")
        return self._extended._local_results(value)

    def experimental_run(self, fn: Callable, input_iterator: Any = None) -> Any:
        """Deprecated: ``run(fn, args=(input_iterator.get_next(),))``."""
        deprecated_once("StrategyBase.experimental_run", "use run() instead")
        with self.scope():
            args = (input_iterator.get_next(),) if input_iterator is not None else ()
        return self.run(fn, args=args)

    def colocate_vars_with(self, colocate_with_variable: Any) -> Any:
        """``extended.colocate_vars_with``."""
        return self._extended.colocate_vars_with(colocate_with_variable)

    def group(self, value: Any, name: str | None = None) -> Any:
        """``value``'s local results grouped into one op: eagerly, the value itself where there is one."""
        values = nest.flatten(self._extended._local_results(value))
        if len(values) != 1 or name is not None:
            return group(*values, name=name)
        return values[0]

    def configure(self, session_config: Any = None, cluster_spec: Any = None, task_type: Any = None,
                  task_id: Any = None) -> None:
        """Deprecated (TF 1 sessions): does nothing for the strategies here."""
        deprecated_once("StrategyBase.configure", "use `update_config_proto` instead.")

    def update_config_proto(self, config_proto: Any) -> Any:
        """A copy of ``config_proto`` (TF 1 sessions): the strategies here need nothing in it."""
        return copy.deepcopy(config_proto)

    def experimental_distribute_dataset(self, dataset: Any, options: Any = None) -> Any:
        """``dataset`` with each global batch split across the replicas (a ``DistributedDataset``)."""
        return self._extended._experimental_distribute_dataset(dataset, options)

    def distribute_datasets_from_function(self, dataset_fn: Callable, options: Any = None) -> Any:
        """A ``DistributedDataset`` from ``dataset_fn(input_context)``, called once per input pipeline."""
        return self._extended._distribute_datasets_from_function(dataset_fn, options)

    def experimental_distribute_datasets_from_function(self, dataset_fn: Callable, options: Any = None) -> Any:
        return self.distribute_datasets_from_function(dataset_fn, options)

    def experimental_distribute_values_from_function(self, value_fn: Callable) -> Any:
        """A distributed value from ``value_fn(value_context)``, called once per replica."""
        return self._extended._experimental_distribute_values_from_function(value_fn)

    @property
    def num_replicas_in_sync(self) -> int:
        """The number of replicas over which gradients are aggregated."""
        return self._extended._num_replicas_in_sync

    @property
    def cluster_resolver(self) -> Any:
        """The cluster resolver of a multi-worker strategy, else None."""
        return getattr(self._extended, "_cluster_resolver", None)

    def __deepcopy__(self, memo: dict) -> Strategy:
        cls = type(self)
        result = cls.__new__(cls)
        memo[id(self)] = result
        for k, v in self.__dict__.items():
            setattr(result, k, copy.deepcopy(v, memo))
        result._extended._container_strategy_weakref = weakref.ref(result)
        return result

    def __copy__(self) -> Any:
        raise RuntimeError("Must only deepcopy DistributionStrategy.")


class StrategyExtended:
    """The lower-level API of a strategy (``tf.distribute.StrategyExtended``); subclasses implement the
    underscored hooks."""

    def __init__(self, container_strategy: Strategy) -> None:
        self._container_strategy_weakref = weakref.ref(container_strategy)
        self._default_device: str | None = None
        self._require_static_shapes = False
        self._colocation = threading.local()  # .stack: the variables colocate_vars_with scopes name

    def __deepcopy__(self, memo: dict) -> StrategyExtended:
        cls = type(self)
        result = cls.__new__(cls)
        memo[id(self)] = result
        for k, v in self.__dict__.items():
            setattr(result, k, threading.local() if k == "_colocation" else copy.deepcopy(v, memo))
        return result

    def _container_strategy(self) -> Strategy:
        strategy = self._container_strategy_weakref()
        assert strategy is not None
        return strategy

    # --- scope and variables --------------------------------------------------------------------------------

    def _scope(self, strategy: Strategy) -> Any:
        def creator(next_creator: Callable, **kwargs: Any) -> Any:
            _ctx.require_strategy_scope_extended(self)
            stack = getattr(self._colocation, "stack", None)
            created = self._create_variable(next_creator, colocate_with=stack[-1] if stack else None, **kwargs)
            created._distribute_strategy = strategy
            return created

        return _CurrentDistributionContext(strategy, creator, self._default_device)

    def _create_variable(self, next_creator: Callable, colocate_with: Any = None, **kwargs: Any) -> Any:
        raise NotImplementedError("must be implemented in descendants")

    def variable_created_in_scope(self, v: Any) -> bool:
        """Whether ``v`` was created inside this strategy's scope."""
        return getattr(v, "_distribute_strategy", None) is self._container_strategy_weakref()

    def colocate_vars_with(self, colocate_with_variable: Any) -> Any:
        """A scope in which new variables are placed with ``colocate_with_variable`` (optimizer slots)."""
        _ctx.require_strategy_scope_extended(self)
        extended = self

        def create_colocated_variable(next_creator: Callable, **kwargs: Any) -> Any:
            _ctx.require_strategy_scope_extended(extended)
            stack = extended._colocation.__dict__.setdefault("stack", [])
            stack.append(colocate_with_variable)
            try:
                return next_creator(**kwargs)
            finally:
                stack.pop()

        return variable_creator_scope(create_colocated_variable)

    # --- replicas -------------------------------------------------------------------------------------------

    def call_for_each_replica(self, fn: Callable, args: Any = (), kwargs: dict | None = None) -> Any:
        """Runs ``fn`` once per replica, in cross-replica context (``strategy.run`` without its checks)."""
        _ctx.require_cross_replica_or_default_context(self)
        if kwargs is None:
            kwargs = {}
        with self._container_strategy().scope():
            return self._call_for_each_replica(fn, args, kwargs)

    def _call_for_each_replica(self, fn: Callable, args: Any, kwargs: dict) -> Any:
        raise NotImplementedError("must be implemented in descendants")

    def _get_local_replica_id(self, replica_id_in_sync_group: Any) -> Any:
        return replica_id_in_sync_group

    def _use_merge_call(self) -> bool:
        """Whether replica-context code must go through ``merge_call`` to synchronize."""
        return True

    # --- reductions -----------------------------------------------------------------------------------------

    def _reduce(self, reduce_op: ReduceOp, value: Any) -> Any:
        destination = current_device() or self._default_device or "/device:CPU:0"
        return self._local_results(self.reduce_to(reduce_op, value, destination))[0]

    def reduce_to(self, reduce_op: Any, value: Any, destinations: Any, options: Any = None) -> Any:
        """Combines the replicas' ``value`` (mirrored, or per replica) onto ``destinations``."""
        if options is None:
            options = _NO_OPTIONS
        _ctx.require_cross_replica_or_default_context(self)
        assert not isinstance(destinations, (list, tuple))
        reduce_op = as_reduce_op(reduce_op)
        assert reduce_op is _SUM or reduce_op is _MEAN  # (not ``in (ReduceOp.SUM, ...)``: enum lookups are slow)
        return self._reduce_to(reduce_op, value, destinations, options)

    def _reduce_to(self, reduce_op: ReduceOp, value: Any, destinations: Any, options: Any) -> Any:
        raise NotImplementedError("must be implemented in descendants")

    def batch_reduce_to(self, reduce_op: Any, value_destination_pairs: Any, options: Any = None) -> list:
        """``reduce_to`` over a list of ``(value, destinations)`` pairs, in one batch where the strategy can."""
        if options is None:
            options = CommunicationOptions()
        _ctx.require_cross_replica_or_default_context(self)
        reduce_op = as_reduce_op(reduce_op)
        return self._batch_reduce_to(reduce_op, value_destination_pairs, options)

    def _batch_reduce_to(self, reduce_op: ReduceOp, value_destination_pairs: Any, options: Any) -> list:
        return [self.reduce_to(reduce_op, t, destinations=v, options=options) for t, v in value_destination_pairs]

    def _gather_to(self, value: Any, destinations: Any, axis: int, options: Any = None) -> Any:
        _ctx.require_cross_replica_or_default_context(self)
        assert not isinstance(destinations, (list, tuple))
        if options is None:
            options = CommunicationOptions()
        return self._gather_to_implementation(value, destinations, axis, options)

    def _gather_to_implementation(self, value: Any, destinations: Any, axis: int, options: Any) -> Any:
        raise NotImplementedError("_gather_to must be implemented in descendants")

    def _batch_gather_to(self, value_destination_pairs: Any, axis: int, options: Any = None) -> list:
        _ctx.require_cross_replica_or_default_context(self)
        if options is None:
            options = CommunicationOptions()
        return [self._gather_to(t, destinations=v, axis=axis, options=options) for t, v in value_destination_pairs]

    def broadcast_to(self, tensor: Any, destinations: Any) -> Any:
        """``tensor`` copied to ``destinations``, in cross-replica context."""
        assert destinations is not None
        _ctx.require_cross_replica_or_default_context(self)
        assert not isinstance(destinations, (list, tuple))
        return self._broadcast_to(tensor, destinations)

    def _broadcast_to(self, tensor: Any, destinations: Any) -> Any:
        raise NotImplementedError("must be implemented in descendants")

    # --- updates --------------------------------------------------------------------------------------------

    def update(self, var: Any, fn: Callable, args: Any = (), kwargs: dict | None = None, group: bool = True) -> Any:
        """Runs ``fn(var_component, *args, **kwargs)`` for each component of ``var``, on its device; from
        replica context, through ``merge_call``. ``group=False`` returns each result as a tuple per replica."""
        if kwargs is None:
            kwargs = {}
        replica_context = _ctx.get_replica_context()
        if replica_context is None or replica_context is _ctx.default_replica_context():
            with self._container_strategy().scope():
                return self._update(var, fn, args, kwargs, group)
        return self._replica_ctx_update(var, fn, args=args, kwargs=kwargs, group=group)

    def _update(self, var: Any, fn: Callable, args: Any, kwargs: dict, group: bool) -> Any:
        raise NotImplementedError("must be implemented in descendants")

    def _replica_ctx_update(self, var: Any, fn: Callable, args: Any = (), kwargs: dict | None = None,
                            group: bool = True) -> Any:
        replica_context = _ctx.get_replica_context()
        if not replica_context:
            raise ValueError("`StrategyExtended._replica_ctx_update` must be called in a replica context.")

        def merge_fn(_: Any, *merged_args: Any, **merged_kwargs: Any) -> Any:
            return self.update(var, fn, merged_args, merged_kwargs, group=group)

        return replica_context.merge_call(merge_fn, args=args, kwargs=kwargs)

    def _replica_ctx_all_reduce(self, reduce_op: ReduceOp, value: Any, options: Any = None) -> Any:
        if options is None:
            options = CommunicationOptions()
        replica_context = _ctx.get_replica_context()
        assert replica_context, "`StrategyExtended._replica_ctx_all_reduce` must be called in a replica context"

        def merge_fn(_: Any, flat_value: list) -> list:
            return self.batch_reduce_to(reduce_op, [(v, v) for v in flat_value], options)

        reduced = replica_context.merge_call(merge_fn, args=(nest.flatten(value),))
        return nest.pack_sequence_as(value, reduced)

    def update_non_slot(self, colocate_with: Any, fn: Callable, args: Any = (), kwargs: dict | None = None,
                        group: bool = True) -> Any:
        """Runs ``fn(*args, **kwargs)`` once per device of ``colocate_with`` (a ``non_slot_devices`` result)."""
        _ctx.require_cross_replica_or_default_context(self)
        if kwargs is None:
            kwargs = {}
        with self._container_strategy().scope():
            return self._update_non_slot(colocate_with, fn, args, kwargs, group)

    def _update_non_slot(self, colocate_with: Any, fn: Callable, args: Any, kwargs: dict, group: bool) -> Any:
        raise NotImplementedError("must be implemented in descendants")

    def read_var(self, v: Any) -> Any:
        """The value of ``v`` (a sync-on-read variable's reduced value), in cross-replica context."""
        raise NotImplementedError("must be implemented in descendants")

    def value_container(self, value: Any) -> Any:
        """The distributed variable ``value`` (a replica's component) belongs to, or ``value`` itself."""
        raise NotImplementedError("must be implemented in descendants")

    def non_slot_devices(self, var_list: Any) -> Any:
        """The devices of the variables an optimizer keeps one of per model, rather than one per variable."""
        raise NotImplementedError("must be implemented in descendants")

    def _local_results(self, value: Any) -> tuple:
        if isinstance(value, DistributedValues):
            return value._values
        if nest.is_nested(value):
            def get_values(x: Any, index: int) -> Any:
                return x._values[index] if isinstance(x, DistributedValues) else x

            return tuple(nest.map_structure(lambda x, i=i: get_values(x, i), value)
                         for i in range(len(self.worker_devices)))
        return (value,)

    # --- devices and properties -----------------------------------------------------------------------------

    @property
    def experimental_require_static_shapes(self) -> bool:
        """Whether the strategy needs every input's shape known statically."""
        return self._require_static_shapes

    @property
    def _num_replicas_in_sync(self) -> int:
        raise NotImplementedError("must be implemented in descendants")

    @property
    def worker_devices(self) -> tuple:
        """The devices of this worker's replicas."""
        raise NotImplementedError("must be implemented in descendants")

    @property
    def parameter_devices(self) -> tuple:
        """The devices variables are placed on."""
        raise NotImplementedError("must be implemented in descendants")

    def _in_multi_worker_mode(self) -> bool:
        raise NotImplementedError("must be implemented in descendants")

    @property
    def experimental_between_graph(self) -> bool:
        """Whether each worker runs its own program (between-graph replication)."""
        raise NotImplementedError("must be implemented in descendants")

    @property
    def experimental_should_init(self) -> bool:
        """Whether this worker initializes the variables."""
        raise NotImplementedError("must be implemented in descendants")

    @property
    def should_checkpoint(self) -> bool:
        """Whether this worker writes checkpoints."""
        raise NotImplementedError("must be implemented in descendants")

    @property
    def should_save_summary(self) -> bool:
        """Whether this worker writes summaries."""
        raise NotImplementedError("must be implemented in descendants")

    def _experimental_distribute_dataset(self, dataset: Any, options: Any) -> Any:
        raise NotImplementedError("must be implemented in descendants")

    def _distribute_datasets_from_function(self, dataset_fn: Callable, options: Any) -> Any:
        raise NotImplementedError("must be implemented in descendants")

    def _experimental_distribute_values_from_function(self, value_fn: Callable) -> Any:
        raise NotImplementedError("must be implemented in descendants")


class InProcessExtended(StrategyExtended):
    """The hooks the strategies of one in-process worker share (the default strategy, ``OneDeviceStrategy``,
    ``MirroredStrategy``): this worker checkpoints and writes summaries."""

    def _in_multi_worker_mode(self) -> bool:
        return False

    @property
    def should_checkpoint(self) -> bool:
        return True

    @property
    def should_save_summary(self) -> bool:
        return True


class SingleReplicaExtended(InProcessExtended):
    """The hooks of a strategy with one replica (the default strategy, ``OneDeviceStrategy``): reductions and
    gathers return their input, each value is its own container."""

    def _experimental_distribute_values_from_function(self, value_fn: Callable) -> Any:
        return value_fn(ValueContext())

    def _reduce_to(self, reduce_op: Any, value: Any, destinations: Any, options: Any) -> Any:
        return value

    def _gather_to_implementation(self, value: Any, destinations: Any, axis: int, options: Any) -> Any:
        return value

    def _update(self, var: Any, fn: Callable, args: Any, kwargs: dict, group: bool) -> Any:
        return self._update_non_slot(var, fn, (var,) + tuple(args), kwargs, group)

    def _update_non_slot(self, colocate_with: Any, fn: Callable, args: Any, kwargs: dict, group: bool) -> Any:
        with self._update_scope(colocate_with):
            result = fn(*args, **kwargs)
            if group:
                return result
            return nest.map_structure(self._local_results, result)

    def _update_scope(self, colocate_with: Any) -> Any:
        """The scope ``_update_non_slot`` runs ``fn`` in."""
        raise NotImplementedError("must be implemented in descendants")

    def read_var(self, replica_local_var: Any) -> Any:
        return identity(replica_local_var)

    def _local_results(self, value: Any) -> tuple:
        return (value,)

    def value_container(self, value: Any) -> Any:
        return value

    @property
    def _num_replicas_in_sync(self) -> int:
        return 1


def check_replication_mode(options: Any, api: str) -> None:
    """TF's refusal of ``InputReplicationMode.PER_REPLICA`` where a strategy has one replica per worker."""
    if options and options.experimental_replication_mode == InputReplicationMode.PER_REPLICA:
        if api == "distribute_dataset":
            raise NotImplementedError("InputReplicationMode.PER_REPLICA is only supported in  "
                                      "`experimental_distribute_datasets_from_function`.")
        raise NotImplementedError("InputReplicationMode.PER_REPLICA is only supported in "
                                  "`experimental_distribute_datasets_from_function` of tf.distribute.MirroredStrategy")


def copy_to_device(value: Any, device: str) -> Any:
    """``value`` (a tensor or an IndexedSlices) copied to ``device``: a new tensor, even on the same device."""
    if isinstance(value, IndexedSlices):
        with device_scope(device):
            return IndexedSlices(identity(value.values), identity(value.indices),
                                 None if value.dense_shape is None else identity(value.dense_shape))
    with device_scope(device):
        return identity(value)
