"""``tf.distribute.ReplicaContext``: what code running on one replica (inside ``strategy.run``) sees, and its
ways out to the other replicas: ``all_reduce``, ``all_gather``, and ``merge_call`` (run a function once, in
cross-replica context, with the strategy as its first argument).

>>> import featherflow as tf
>>> context = tf.distribute.get_replica_context()
>>> context.all_reduce("SUM", tf.constant(3.0)).numpy(), context.num_replicas_in_sync
(np.float32(3.0), 1)
"""

from __future__ import annotations

from typing import Any, Callable

from .. import nest
from ..autodiff.custom_gradient import custom_gradient
from ..dtypes import int32 as _int32
from ..indexed_slices import IndexedSlices
from ..ops.array.core import reshape
from ..ops.array.create import range_
from ..ops.array.gather import gather
from ..ops.math.reduce import reduce_sum
from ..tensor import Tensor, constant, is_tensor
from . import context as _ctx
from .collective_util import CommunicationOptions
from .reduce_util import ReduceOp, as_reduce_op
from .strategy import current_device, deprecated_once


def _batch_reduce_destination(x: Any) -> Any:
    return x.device if isinstance(x, Tensor) else x


class ReplicaContext:
    """The context of one replica, inside ``strategy.run`` (``tf.distribute.ReplicaContext``)."""

    def __init__(self, strategy: Any, replica_id_in_sync_group: Any) -> None:
        self._strategy = strategy
        self._thread_context = _ctx.in_replica_mode(self)
        if not (replica_id_in_sync_group is None or is_tensor(replica_id_in_sync_group)
                or isinstance(replica_id_in_sync_group, int)):
            raise ValueError("replica_id_in_sync_group can only be an integer, a Tensor or None.")
        self._replica_id_in_sync_group = replica_id_in_sync_group
        if strategy:
            self._local_replica_id = strategy.extended._get_local_replica_id(replica_id_in_sync_group)

    def __enter__(self) -> None:
        _ctx.push(self._thread_context)

    def __exit__(self, *exc: Any) -> None:
        _ctx.pop()

    def merge_call(self, merge_fn: Callable, args: Any = (), kwargs: dict | None = None) -> Any:
        """Calls ``merge_fn(strategy, *args, **kwargs)`` once for all replicas, in cross-replica context;
        distributed values among the replicas' arguments come to it grouped."""
        _ctx.require_replica_context(self)
        if kwargs is None:
            kwargs = {}
        return self._merge_call(merge_fn, args, kwargs)

    def _merge_call(self, merge_fn: Callable, args: Any, kwargs: dict) -> Any:
        _ctx.push(_ctx.cross_replica_mode(self._strategy))
        try:
            return merge_fn(self._strategy, *args, **kwargs)
        finally:
            _ctx.pop()

    @property
    def num_replicas_in_sync(self) -> int:
        """The number of replicas whose values are combined."""
        return self._strategy.num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self) -> Any:
        """This replica's index among all replicas, an int32 tensor."""
        if is_tensor(self._replica_id_in_sync_group):
            return self._replica_id_in_sync_group
        return constant(self._replica_id_in_sync_group, _int32, name="replica_id_in_sync_group")

    @property
    def _replica_id(self) -> Any:
        return self._local_replica_id

    @property
    def strategy(self) -> Any:
        """The strategy this replica belongs to."""
        return self._strategy

    @property
    def devices(self) -> tuple:
        """The devices this replica runs on (deprecated in TF, which logs so once)."""
        deprecated_once("ReplicaContextBase.devices", "Please avoid relying on devices property.")
        _ctx.require_replica_context(self)
        return (current_device(),)

    def all_reduce(self, reduce_op: Any, value: Any, options: Any = None) -> Any:
        """``value`` (a nested structure of tensors and IndexedSlices) reduced across all replicas; every
        replica gets the result. Its gradient is the all-reduce of the incoming gradients."""
        flattened_value = nest.flatten(value)
        has_indexed_slices = any(isinstance(v, IndexedSlices) for v in flattened_value)
        reduce_op = as_reduce_op(reduce_op)
        if options is None:
            options = CommunicationOptions()

        def batch_all_reduce(strategy: Any, *value_flat: Any) -> list:
            return strategy.extended.batch_reduce_to(
                reduce_op, [(v, _batch_reduce_destination(v)) for v in value_flat], options)

        extended = self._strategy.extended
        if extended._use_merge_call():
            def reduce_flat(xs: Any) -> Any:
                return self.merge_call(batch_all_reduce, args=tuple(xs))
        else:
            def reduce_flat(xs: Any) -> Any:
                return extended._replica_ctx_all_reduce(reduce_op, list(xs), options)

        if has_indexed_slices:
            return nest.pack_sequence_as(value, reduce_flat(flattened_value))

        @custom_gradient
        def grad_wrapper(*xs: Any) -> Any:
            ys = reduce_flat(xs)
            return ys, lambda *dy_s: self.all_reduce(reduce_op, dy_s)

        reduced = grad_wrapper(*flattened_value)
        if len(flattened_value) == 1 and not isinstance(reduced, (list, tuple)):  # custom_gradient unwraps one
            reduced = [reduced]
        return nest.pack_sequence_as(value, reduced)

    def all_gather(self, value: Any, axis: int, options: Any = None) -> Any:
        """``value`` (a nested structure of tensors) concatenated along ``axis`` across all replicas, in
        replica order; every replica gets the result."""
        for v in nest.flatten(value):
            if isinstance(v, IndexedSlices):
                raise NotImplementedError("all_gather does not support IndexedSlices")
        if options is None:
            options = CommunicationOptions()

        def batch_all_gather(strategy: Any, *value_flat: Any) -> list:
            return strategy.extended._batch_gather_to(
                [(v, _batch_reduce_destination(v)) for v in value_flat], axis, options)

        @custom_gradient
        def grad_wrapper(*xs: Any) -> Any:
            ys = self.merge_call(batch_all_gather, args=xs)

            def grad(*dy_s: Any) -> list:
                grads = self.all_reduce(ReduceOp.SUM, dy_s)
                new_grads = []
                for x, g in zip(xs, grads):
                    axis_dim = reshape(constant(x.shape[axis], _int32), [1])
                    sizes = self.all_gather(axis_dim, axis=0)
                    begin = reduce_sum(sizes[: self.replica_id_in_sync_group])
                    new_grads.append(gather(g, axis=axis, indices=range_(begin, begin + x.shape[axis])))
                return new_grads

            return ys, grad

        return nest.pack_sequence_as(value, grad_wrapper(*nest.flatten(value)))

    def _update(self, var: Any, fn: Callable, args: Any = (), kwargs: dict | None = None, group: bool = True) -> Any:
        if kwargs is None:
            kwargs = {}
        return self._strategy.extended._replica_ctx_update(var, fn, args=args, kwargs=kwargs, group=group)
