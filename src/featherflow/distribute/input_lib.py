"""Distributed input: ``tf.distribute.DistributedDataset`` and ``DistributedIterator``. A distributed dataset
reads one dataset per worker (featherflow runs one worker per process) and hands each global batch to the
worker's replicas: with one replica, the batch itself, copied to the replica's device; with several, the
batch split along its first dimension as evenly as possible (the first replicas get one more row), as TF's
rebatching does, in a ``PerReplica`` value.

>>> import featherflow as tf
>>> strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
>>> [batch.numpy().tolist() for batch in strategy.experimental_distribute_dataset(tf.data.Dataset.range(4).batch(2))]
[[0, 1], [2, 3]]
"""

from __future__ import annotations

import collections.abc
from typing import Any, Callable

import numpy as np

from .. import nest
from ..data.iterator import Optional
from ..errors import OutOfRangeError
from ..ops.array.join import split
from .input_context import InputContext
from .strategy import copy_to_device
from .values import PerReplica, PerReplicaSpec, regroup


class InputWorkers:
    """The input workers of a strategy: each is a host device and the compute devices it feeds."""

    def __init__(self, worker_device_pairs: list) -> None:
        self._worker_device_pairs = [(worker, tuple(devices)) for worker, devices in worker_device_pairs]

    @property
    def num_workers(self) -> int:
        return len(self._worker_device_pairs)

    @property
    def worker_devices(self) -> tuple:
        return tuple(worker for worker, _ in self._worker_device_pairs)

    def compute_devices_for_worker(self, worker_index: int) -> tuple:
        return self._worker_device_pairs[worker_index][1]

    def __repr__(self) -> str:
        pairs = "\n".join(f"{worker}: {devices}" for worker, devices in self._worker_device_pairs)
        return f"InputWorkers:\n{pairs}"


def _one_worker(input_workers: InputWorkers) -> tuple:
    if input_workers.num_workers != 1:
        raise ValueError(f"featherflow runs one worker per process; this strategy has {input_workers.num_workers} "
                         "input workers in this process")
    return input_workers.compute_devices_for_worker(0)


def _split_sizes(batch: int, parts: int) -> list:
    base, extra = divmod(batch, parts)
    return [base + 1 if i < extra else base for i in range(parts)]


def _split_batch(element: Any, devices: tuple) -> list:
    """One element of a dataset, split along the first dimension into one part per device."""
    flat = nest.flatten(element)
    parts: list[list] = [[] for _ in devices]
    for leaf in flat:
        pieces = split(leaf, _split_sizes(int(leaf.shape[0]), len(devices)), axis=0)
        for i, piece in enumerate(pieces):
            parts[i].append(piece)
    return [nest.pack_sequence_as(element, part) for part in parts]


def _place(element: Any, device: str) -> Any:
    """``element``'s tensors on ``device`` (those already there as they are: a dataset's elements are new)."""
    return nest.map_structure(lambda x: x if getattr(x, "device", device) == device else copy_to_device(x, device),
                              element)


class DistributedIterator(collections.abc.Iterator):
    """An iterator over a distributed dataset (``tf.distribute.DistributedIterator``): each element is what
    every replica of the worker gets, a ``PerReplica`` value where there are several."""

    def __init__(self, next_parts: Callable[[], list], devices: tuple, element_spec: Any) -> None:
        self._next_parts = next_parts  # one element per device; raises StopIteration at the end
        self._devices = devices
        self._element_spec = element_spec

    def __iter__(self) -> DistributedIterator:
        return self

    def __next__(self) -> Any:
        parts = self._next_parts()
        return regroup([_place(part, device) for part, device in zip(parts, self._devices)], PerReplica)

    def next(self) -> Any:
        """The next element (``__next__``)."""
        return self.__next__()

    def get_next(self) -> Any:
        """The next element; raises ``tf.errors.OutOfRangeError`` at the end."""
        try:
            return self.__next__()
        except StopIteration:
            raise OutOfRangeError(None, None, "End of sequence") from None

    def get_next_as_optional(self) -> Optional:
        """The next element as a ``tf.experimental.Optional`` (empty at the end)."""
        try:
            value = self.__next__()
        except StopIteration:
            return Optional.empty(self._element_spec)
        from ..data.iterator import _OptionalImpl

        return _OptionalImpl(value, self._element_spec)

    @property
    def element_spec(self) -> Any:
        """The structure of TypeSpecs of one element."""
        return self._element_spec


def _per_replica_spec(spec: Any, devices: tuple) -> Any:
    if len(devices) == 1:
        return spec
    return nest.map_structure(lambda s: PerReplicaSpec(*([s] * len(devices))), spec)


class DistributedDataset(collections.abc.Iterable):
    """A dataset whose global batches are split across a strategy's replicas (``tf.distribute.DistributedDataset``),
    what ``strategy.experimental_distribute_dataset`` returns."""

    def __init__(self, dataset: Any, input_workers: InputWorkers, strategy: Any, options: Any = None) -> None:
        self._devices = _one_worker(input_workers)
        self._dataset = dataset
        self._input_workers = input_workers
        self._strategy = strategy
        self._options = options

    def __iter__(self) -> DistributedIterator:
        it = iter(self._dataset)
        devices = self._devices
        if len(devices) == 1:
            def next_parts() -> list:
                return [next(it)]
        else:
            def next_parts() -> list:
                return _split_batch(next(it), devices)
        return DistributedIterator(next_parts, devices, self.element_spec)

    @property
    def cardinality(self) -> Any:
        """The number of elements (global batches), or TF's ``INFINITE``/``UNKNOWN`` (-1/-2)."""
        return np.int64(int(self._dataset.cardinality()))

    def reduce(self, initial_state: Any, reduce_fn: Callable) -> Any:
        """``reduce_fn(state, element)`` folded over the elements, from ``initial_state``."""
        state = initial_state
        for element in self:
            state = reduce_fn(state, element)
        return state

    @property
    def element_spec(self) -> Any:
        """The structure of TypeSpecs of one element (``PerReplicaSpec`` leaves where there are several
        replicas)."""
        spec = self._dataset.element_spec
        if len(self._devices) > 1:  # the batch dimension of a split part is not known statically
            from ..tensor_spec import TensorSpec

            spec = nest.map_structure(
                lambda s: TensorSpec([None] + s.shape.as_list()[1:], s.dtype, s.name) if s.shape.rank else s, spec)
        return _per_replica_spec(spec, self._devices)


class DistributedDatasetsFromFunction(DistributedDataset):
    """The distributed dataset ``strategy.distribute_datasets_from_function`` returns: the function builds each
    input pipeline's dataset of per-replica batches, and the replicas of a worker take its elements in turn."""

    def __init__(self, dataset_fn: Callable, input_workers: InputWorkers, input_contexts: list[InputContext],
                 strategy: Any, options: Any = None) -> None:
        self._devices = _one_worker(input_workers)
        self._dataset = dataset_fn(input_contexts[0])
        self._input_workers = input_workers
        self._strategy = strategy
        self._options = options

    def __iter__(self) -> DistributedIterator:
        it = iter(self._dataset)
        devices = self._devices

        def next_parts() -> list:
            return [next(it) for _ in devices]

        return DistributedIterator(next_parts, devices, self.element_spec)

    @property
    def cardinality(self) -> Any:
        """The number of elements (each replica takes one of the dataset's), or -1/-2 (infinite/unknown)."""
        count = int(self._dataset.cardinality())
        return np.int64(count if count < 0 else count // len(self._devices))

    @property
    def element_spec(self) -> Any:
        """The structure of TypeSpecs of one element."""
        return _per_replica_spec(self._dataset.element_spec, self._devices)


def batch_sizes_for_worker(global_batch_size: int, num_workers: int, num_replicas_per_worker: int,
                           worker_index: int) -> list:
    """TF's ``batch_sizes_for_worker``: the sizes a worker rebatches each global batch into, one per replica
    of every worker (the first ones one larger where the batch does not divide), rotated to the worker."""
    num_subbatches = num_workers * num_replicas_per_worker
    offset = worker_index * num_replicas_per_worker
    floor, num_ceil = divmod(global_batch_size, num_subbatches)
    worker_0 = [floor + 1] * num_ceil + [floor] * (num_subbatches - num_ceil)
    return worker_0[offset:] + worker_0[:offset]


def _split_rows(element: Any, sizes: list) -> list:
    """``element`` split along its first dimension into parts of ``sizes`` rows (a part past the rows of a
    short last batch is empty, as TF's rebatching gives it)."""
    flat = nest.flatten(element)
    parts: list[list] = [[] for _ in sizes]
    for leaf in flat:
        rows = int(leaf.shape[0])
        bounds, start = [], 0
        for size in sizes:
            stop = min(start + size, rows)
            bounds.append((start, stop))
            start = stop
        for i, (a, b) in enumerate(bounds):
            parts[i].append(leaf[a:b])
    return [nest.pack_sequence_as(element, part) for part in parts]


def auto_shard(dataset: Any, num_workers: int, worker_index: int) -> tuple:
    """``(the dataset this worker reads, the policy applied)`` under the dataset's
    ``experimental_distribute.auto_shard_policy``, as TF's auto-shard rewrite: ``FILE`` rebuilds the pipeline
    over this worker's share of its files (TF's ``NotFoundError`` where it reads none); ``AUTO`` does so where
    it finds files, else shards by ``DATA``; ``DATA`` and ``OFF`` read the whole dataset."""
    from ..data.auto_shard import shard_by_files
    from ..data.options import AutoShardPolicy
    from ..errors import NotFoundError

    policy = dataset.options().experimental_distribute.auto_shard_policy
    if policy == AutoShardPolicy.HINT:
        raise NotImplementedError("AutoShardPolicy.HINT needs `tf.data.experimental.SHARD_HINT` placeholders, "
                                  "which featherflow's datasets do not have; use FILE, DATA or OFF")
    if policy in (AutoShardPolicy.OFF, AutoShardPolicy.DATA):
        return dataset, policy
    if policy == AutoShardPolicy.FILE:
        return shard_by_files(dataset, num_workers, worker_index), policy
    try:
        return shard_by_files(dataset, num_workers, worker_index), AutoShardPolicy.FILE
    except NotFoundError:  # TF's AUTO: no file-reading source, so shard by data
        return dataset, AutoShardPolicy.DATA


class MultiWorkerDistributedDataset(DistributedDataset):
    """A distributed dataset of one worker of a multi-worker job (TF's rebatch and auto-shard): each global
    batch is split into one part per replica of every worker. ``AutoShardPolicy.FILE`` (and ``AUTO`` where the
    pipeline reads files): each worker reads its share of the files, its replicas taking the parts of its
    batches in turn. ``DATA`` (and ``AUTO`` otherwise): every worker reads the whole pipeline and keeps its
    replicas' parts of each global batch. ``OFF``: every worker reads all of the data, its replicas taking the
    parts in turn (as TF's rebatching without a shard)."""

    def __init__(self, dataset: Any, input_workers: InputWorkers, strategy: Any, num_workers: int,
                 worker_index: int, options: Any = None) -> None:
        super().__init__(dataset, input_workers, strategy, options)
        self._num_workers = num_workers
        self._worker_index = worker_index
        self._dataset, self._policy = auto_shard(dataset, num_workers, worker_index)
        spec = dataset.element_spec
        shapes = [s.shape for s in nest.flatten(spec)]
        if any(shape.rank == 0 for shape in shapes):
            raise ValueError(f"Call the `batch` method on the input Dataset in order to be able to split your "
                             f"input across {strategy.num_replicas_in_sync} replicas.\n Please see the "
                             "tf.distribute.Strategy guide.")
        batch = shapes[0][0] if shapes and shapes[0].rank else None
        self._global_batch_size = batch  # None: known only per element

    def __iter__(self) -> DistributedIterator:
        from ..data.options import AutoShardPolicy

        it = iter(self._dataset)
        devices = self._devices
        per_worker = len(devices)
        workers, index = self._num_workers, self._worker_index

        if self._policy == AutoShardPolicy.DATA:
            def next_parts() -> list:
                element = next(it)
                rows = int(nest.flatten(element)[0].shape[0])
                batch = self._global_batch_size or rows
                parts = _split_rows(element, batch_sizes_for_worker(batch, workers, per_worker, 0))
                return parts[index * per_worker:(index + 1) * per_worker]
        else:
            pending: list = []

            def next_parts() -> list:
                while len(pending) < per_worker:
                    element = next(it)
                    batch = self._global_batch_size or int(nest.flatten(element)[0].shape[0])
                    pending.extend(_split_rows(element, batch_sizes_for_worker(batch, workers, per_worker, index)))
                taken = pending[:per_worker]
                del pending[:per_worker]
                return taken

        return DistributedIterator(next_parts, devices, self.element_spec)

    @property
    def cardinality(self) -> Any:
        count = int(self._dataset.cardinality())
        from ..data.options import AutoShardPolicy

        if count < 0 or self._policy == AutoShardPolicy.DATA:
            return np.int64(count)
        return np.int64(count * self._num_workers)

    @property
    def element_spec(self) -> Any:
        from ..tensor_spec import TensorSpec

        spec = nest.map_structure(lambda s: TensorSpec([None] + s.shape.as_list()[1:], s.dtype, s.name),
                                  self._dataset.element_spec)
        return _per_replica_spec(spec, self._devices)
