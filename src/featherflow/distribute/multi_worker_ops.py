"""All-reduce and all-gather among the replicas of every worker of an MPI job: what
``MultiWorkerMirroredStrategy`` reduces with when the job has several workers.

A reduction first sums the components of this worker's replicas, then sums those across workers with one MPI
``Allreduce`` per pack on contiguous host buffers (Horovod's tensor fusion): small values of one dtype are
copied into one buffer, up to ``CommunicationOptions.bytes_per_pack`` bytes a pack (0: one pack per dtype),
and a lone large value is reduced out of place, with no copy. ``MEAN`` divides by every replica of every
worker. IndexedSlices are all-gathered (values and indices), as TF's collectives do. Each collective honours
``timeout_seconds`` (``tf.errors.DeadlineExceededError``). Values on GPUs go through NCCL instead, device to
device (``nccl_collectives``), unless ``implementation`` is ``RING``.

>>> import featherflow as tf
>>> strategy = tf.distribute.MultiWorkerMirroredStrategy()  # under mpiexec -n 2: two workers
>>> strategy.reduce("SUM", tf.constant(1.0), axis=None).numpy() == strategy.extended._num_workers
np.True_
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from typing import Any

import numpy as np

from .. import _tape_hooks
from ..device import _NO_CARD, device_scope
from ..device import _Flags as _device_flags
from ..device import _scope as _device_state
from ..indexed_slices import IndexedSlices
from ..ops.math.api import add_n
from ..tensor import _make_typed, _make_typed_host
from .collective_util import CommunicationImplementation, CommunicationOptions
from .cross_device_ops import CollectiveAllReduce, get_devices_from
from .mpi_world import _NATIVE
from .reduce_util import ReduceOp
from .strategy import copy_to_device, resolve_device
from .values import DistributedValues, Mirrored, PerReplica, regroup

_SUM = ReduceOp.SUM


def _host_array(value: Any) -> np.ndarray:
    """The host array of a tensor, C-contiguous and of its own shape (no copy on the CPU)."""
    array = np.asarray(value)
    return array if array.flags.c_contiguous else array.copy(order="C")


def _local_sum(per_replica_value: Any) -> Any:
    components = per_replica_value.values
    return components[0] if len(components) == 1 else add_n(list(components))


def merged_options(base: CommunicationOptions, options: Any) -> CommunicationOptions:
    """``base.merge(options)`` without its deep copy where ``options`` changes nothing (the common case)."""
    if options is None or options is base or (options.bytes_per_pack == 0 and options.timeout_seconds is None
                                                and options.implementation is CommunicationImplementation.AUTO):
        return base
    return base.merge(options)


class ReceiveBuffers:
    """Receive buffers of large all-reduces, reused once nothing holds them any more (the tensor that wrapped
    the last result is gone): a fresh buffer of hundreds of megabytes costs its first-touch page faults, as
    much as the reduction itself."""

    MIN_BYTES = 64 << 10

    def __init__(self, max_shapes: int = 8, per_shape: int = 2) -> None:
        self._pools: OrderedDict = OrderedDict()  # (shape, dtype) -> [arrays]
        self._max_shapes = max_shapes
        self._per_shape = per_shape

    def like(self, array: np.ndarray) -> np.ndarray:
        if array.nbytes < self.MIN_BYTES:
            return np.empty_like(array)
        key = (array.shape, array.dtype.str)
        pool = self._pools.pop(key, [])
        self._pools[key] = pool  # most recently used last
        for candidate in pool:
            if sys.getrefcount(candidate) <= 3:  # the pool, this loop, getrefcount's argument: nothing else
                return candidate
        fresh = np.empty_like(array)
        pool.append(fresh)
        if len(pool) > self._per_shape:
            pool.pop(0)
        while len(self._pools) > self._max_shapes:
            self._pools.popitem(last=False)
        return fresh


def pack_ranges(sizes: list, itemsize: int, bytes_per_pack: int) -> list:
    """Index ranges ``(start, stop)`` of consecutive values whose total is at most ``bytes_per_pack`` bytes (a
    value larger than that is a pack of its own); 0: one pack of everything."""
    if not sizes:
        return []
    if bytes_per_pack <= 0:
        return [(0, len(sizes))]
    packs, start, total = [], 0, 0
    for i, size in enumerate(sizes):
        nbytes = size * itemsize
        if i > start and total + nbytes > bytes_per_pack:
            packs.append((start, i))
            start, total = i, 0
        total += nbytes
    packs.append((start, len(sizes)))
    return packs


class MultiWorkerAllReduce(CollectiveAllReduce):
    """Collective all-reduce among all replicas of all workers of the MPI job."""

    def __init__(self, devices: Any, world: Any, num_replicas_in_sync: int,
                 options: CommunicationOptions | None = None, nccl: Any = None) -> None:
        super().__init__(devices, options)
        self._world = world
        self._nccl = nccl  # NcclCollectives on the first local GPU, or None
        self._num_replicas_in_sync = num_replicas_in_sync
        self._receive = ReceiveBuffers()
        self._resolved: dict = {}  # destination name -> device names
        self._fast_devices: dict = {}  # destination name -> the one host Device of reduce_tensor's results

    @property
    def _num_between_graph_workers(self) -> int:
        return self._world.size

    def reduce_tensor(self, reduce_op: ReduceOp, tensor: Any, destinations: str, timeout: float | None) -> Any:
        """The fast path of ``reduce`` for one dense host tensor of this worker's one replica onto one device
        named by ``destinations``: one all-reduce, with no packing and no walks of structures. None where it
        does not apply (the general path then runs, and resolves ``destinations`` for the next call)."""
        device = self._fast_devices.get(destinations)
        array = tensor._value
        if (device is None or type(array) is not np.ndarray or array.dtype not in _NATIVE
                or not array.flags.c_contiguous or _device_flags.log_placement):
            return None
        if _tape_hooks.tracing:  # a host read, as ``np.asarray(tensor)`` is: a tf.function's trace is refused
            _tape_hooks.host_read(tensor)
        receive = np.empty_like(array) if array.nbytes < ReceiveBuffers.MIN_BYTES else self._receive.like(array)
        reduced = self._world.allreduce(array, receive, timeout)
        if reduce_op is not _SUM:
            reduced = self._finish(reduce_op, reduced, None)[0]
        return _make_typed(reduced, tensor.dtype, device)

    def _remember_fast_device(self, destinations: str, devices: tuple) -> None:
        """The device object ``reduce_tensor`` places results on for ``destinations`` (a host device only)."""
        if len(devices) == 1 and len(self._devices) == 1:
            with device_scope(devices[0]):
                device = _device_state.device
            if device.xp is np:
                self._fast_devices[destinations] = device

    def reduce_implementation(self, reduce_op: ReduceOp, per_replica_value: Any, destinations: Any,
                              options: Any) -> Any:
        return self._batch_all_reduce_to(reduce_op, [(per_replica_value, destinations)], options)[0]

    def batch_reduce_implementation(self, reduce_op: ReduceOp, value_destination_pairs: list, options: Any) -> list:
        return self._batch_all_reduce_to(reduce_op, value_destination_pairs, options)

    def _batch_all_reduce(self, reduce_op: ReduceOp, per_replica_values: list) -> list:
        return self._batch_all_reduce_to(reduce_op, [(v, v) for v in per_replica_values], self._options)

    # --- reduction ------------------------------------------------------------------------------------------

    def _batch_all_reduce_to(self, reduce_op: ReduceOp, pairs: list, options: Any) -> list:
        options = merged_options(self._options, options)
        timeout = options.timeout_seconds or None
        results: list = [None] * len(pairs)
        dense: dict = {}  # (collectives, dtype) -> [(index, local sum as an array of those collectives)]
        for i, (value, _) in enumerate(pairs):
            local = _local_sum(value)
            if isinstance(local, IndexedSlices):
                results[i] = self._all_gather_slices(reduce_op, value, timeout, options)
            else:
                collectives, array = self._collective_array(local, options)
                dense.setdefault((collectives, array.dtype), []).append((i, array, local.dtype))
        for (collectives, _), entries in dense.items():
            arrays = [a for _, a, _ in entries]
            for start, stop in pack_ranges([a.size for a in arrays], arrays[0].dtype.itemsize,
                                           options.bytes_per_pack):
                reduced_pack = self._reduce_pack(collectives, arrays[start:stop], timeout)
                for (i, _, dtype), reduced in zip(entries[start:stop], reduced_pack):
                    results[i] = self._finish(reduce_op, reduced, dtype)
        return [self._place(result, pairs[i][1]) for i, result in enumerate(results)]

    def _collectives_for(self, tensor: Any, options: CommunicationOptions) -> Any:
        """NCCL for a tensor on a GPU (unless ``RING`` is asked for), else MPI on host buffers."""
        nccl = self._nccl
        if (nccl is None or type(tensor._value) is np.ndarray
                or options.implementation is CommunicationImplementation.RING):
            return self._world
        return nccl

    def _collective_array(self, tensor: Any, options: CommunicationOptions) -> tuple:
        """The collectives that reduce ``tensor`` and its array for them: a contiguous array on the NCCL card,
        or a host array."""
        collectives = self._collectives_for(tensor, options)
        if collectives is not self._world and collectives.supports(tensor._value.dtype):
            return collectives, collectives.contiguous(tensor._value)
        return self._world, _host_array(tensor)

    def _reduce_pack(self, collectives: Any, arrays: list, timeout: float | None) -> list:
        if len(arrays) == 1:  # out of place: no copy into a pack buffer
            receive = (self._receive.like(arrays[0]) if collectives is self._world
                       else collectives.empty_like(arrays[0]))
            return [collectives.allreduce(arrays[0], receive, timeout=timeout)]
        if collectives is self._world:
            buffer = np.concatenate([a.reshape(-1) for a in arrays])
        else:
            with collectives.device.activate():
                buffer = collectives.device.xp.concatenate([a.reshape(-1) for a in arrays])
        collectives.allreduce(buffer, timeout=timeout)
        out, offset = [], 0
        for a in arrays:
            out.append(buffer[offset:offset + a.size].reshape(a.shape))
            offset += a.size
        return out

    def _finish(self, reduce_op: ReduceOp, reduced: np.ndarray, dtype: Any) -> Any:
        if reduce_op == ReduceOp.MEAN:
            n = self._num_replicas_in_sync
            reduced = reduced // n if reduced.dtype.kind in "iu" else (reduced / n).astype(reduced.dtype)
        elif reduce_op != ReduceOp.SUM:
            raise ValueError("`reduce_op` must be Reduce.SUM or Reduce.MEAN.")
        return reduced, dtype

    def _place(self, result: Any, destinations: Any) -> Any:
        """The reduced value on every device of ``destinations`` (a ``Mirrored`` value where several)."""
        if destinations is None:
            devices = self._devices
        elif isinstance(destinations, str):  # resolved once per name: parsing a device name is not free
            devices = self._resolved.get(destinations)
            if devices is None:
                devices = self._resolved[destinations] = get_devices_from(destinations)
                self._remember_fast_device(destinations, devices)
        else:
            devices = get_devices_from(destinations)
        if isinstance(result, IndexedSlices):
            return regroup([copy_to_device(result, d) for d in devices], wrap_class=Mirrored)
        array, dtype = result
        placed = []
        for d in devices:
            with device_scope(d):
                placed.append(self._wrap(array, dtype, fresh=bool(placed)))
        return regroup(placed, wrap_class=Mirrored)

    def _wrap(self, array: Any, dtype: Any, fresh: bool = False) -> Any:
        """A result array as a tensor on the current device: a host one as converted values are, one on the NCCL
        card as it is there, and copied where it is elsewhere (``fresh``: never the array itself)."""
        if type(array) is np.ndarray:
            return _make_typed_host(array.copy() if fresh else array, dtype)
        device = _device_state.device
        return _make_typed(array if device is self._nccl.device and not fresh else device.put(array), dtype, device)

    def _all_gather_slices(self, reduce_op: ReduceOp, per_replica_value: Any, timeout: float | None,
                           options: CommunicationOptions) -> Any:
        parts = per_replica_value.values
        first = parts[0]
        values = self._gather_rows([p.values for p in parts], 0, timeout, options)
        indices = self._gather_rows([p.indices for p in parts], 0, timeout, options)
        if reduce_op == ReduceOp.MEAN:
            values = (values / self._num_replicas_in_sync).astype(values.dtype)
        with device_scope(resolve_device(first.values.device)):
            return IndexedSlices(self._wrap(values, first.values.dtype), self._wrap(indices, first.indices.dtype),
                                 first.dense_shape)

    def _gather_rows(self, components: list, axis: int, timeout: float | None, options: CommunicationOptions) -> Any:
        """Every replica's component of every worker concatenated along ``axis``: through NCCL where the
        components are on GPUs, else MPI on host arrays."""
        collectives = self._collectives_for(components[0], options)
        if collectives is self._world:
            arrays, xp = [_host_array(c) for c in components], np
        else:
            arrays, xp = [collectives.contiguous(c._value) for c in components], collectives.device.xp
        rank = arrays[0].ndim
        if rank == 0:
            raise ValueError("all_gather needs values of rank >= 1 to concatenate along an axis")
        axis = axis + rank if axis < 0 else axis
        with _NO_CARD if collectives is self._world else collectives.device.activate():
            local = xp.concatenate(arrays, axis=axis) if len(arrays) > 1 else arrays[0]
            gathered = collectives.allgather_rows(xp.moveaxis(local, axis, 0), timeout=timeout)
            return xp.ascontiguousarray(xp.moveaxis(gathered, 0, axis))

    # --- gather ---------------------------------------------------------------------------------------------

    def _gather_implementation(self, per_replica_value: Any, destinations: Any, axis: int, options: Any) -> Any:
        options = merged_options(self._options, options)
        components = per_replica_value.values
        gathered = self._gather_rows(list(components), axis, options.timeout_seconds or None, options)
        return self._place((gathered, components[0].dtype), destinations)


def as_per_replica(value: Any) -> Any:
    """A value for the collectives: a distributed value (a distributed variable too: its components, never its
    cross-replica read, which is itself a reduction) as it is, anything else one component."""
    from ..tensor import convert_to_tensor, is_tensor

    if isinstance(value, DistributedValues):
        return value
    if not is_tensor(value) and not isinstance(value, IndexedSlices):
        value = convert_to_tensor(value)
    return PerReplica((value,))
