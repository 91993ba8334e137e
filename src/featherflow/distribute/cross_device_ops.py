"""How a strategy moves values between its devices: ``tf.distribute.CrossDeviceOps`` (reduce, batch_reduce,
broadcast, gather over ``PerReplica`` values) and ``ReductionToOneDevice``, which copies every replica's value
to one device, reduces there (``tf.math.add_n`` unless told otherwise) and broadcasts the result back.

>>> import featherflow as tf
>>> from featherflow.distribute.values import PerReplica
>>> ops = tf.distribute.ReductionToOneDevice()
>>> ops.reduce(tf.distribute.ReduceOp.MEAN, PerReplica((tf.constant(1.0), tf.constant(3.0))), destinations="/cpu:0").numpy()
np.float32(2.0)
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..device import device_scope
from ..indexed_slices import IndexedSlices
from ..ops.array.join import concat
from ..ops.math.api import add_n
from ..tensor import Tensor, convert_to_tensor, is_tensor
from ..variable import Variable
from .collective_util import CommunicationOptions
from .reduce_util import ReduceOp
from .strategy import copy_to_device, resolve_device
from .values import DistributedValues, Mirrored, PerReplica, regroup


def check_destinations(destinations: Any) -> bool:
    """Whether ``destinations`` names at least one device."""
    if isinstance(destinations, (Variable, Tensor)):
        return bool(destinations.device)
    return bool(destinations)


def validate_destinations(destinations: Any) -> None:
    if not isinstance(destinations, (DistributedValues, Tensor, IndexedSlices, Variable, str)):
        raise ValueError("destinations must be one of a `DistributedValues` object, a tf.Variable object, or a "
                         "device string.")
    if not check_destinations(destinations):
        raise ValueError("destinations can not be empty")


def get_devices_from(destinations: Any) -> tuple:
    """The full names of the devices ``destinations`` (a distributed value, a tensor, a variable or a device
    name) lives on."""
    if isinstance(destinations, DistributedValues):
        return destinations._devices
    if isinstance(destinations, str):
        return (resolve_device(destinations),)
    return (resolve_device(destinations.device),)


def _devices_match(left: Any, right: Any) -> bool:
    return left is right or set(get_devices_from(left)) == set(get_devices_from(right))


def _all_devices_match(value_destination_pairs: list) -> bool:
    if not all(_devices_match(v, d) for v, d in value_destination_pairs):
        return False
    first = value_destination_pairs[0][0]
    return all(_devices_match(v, first) for v, _ in value_destination_pairs[1:])


def _make_tensor_into_per_replica(input_tensor: Any) -> Any:
    if isinstance(input_tensor, DistributedValues):
        return input_tensor
    if not is_tensor(input_tensor) and not isinstance(input_tensor, IndexedSlices):
        input_tensor = convert_to_tensor(input_tensor)
    return PerReplica((input_tensor,))


def _normalize_value_destination_pairs(value_destination_pairs: Any) -> list:
    result = []
    for pair in list(value_destination_pairs):
        if not isinstance(pair, tuple):
            raise ValueError("Each element of `value_destination_pairs` should be a tuple.")
        if len(pair) != 2:
            raise ValueError("Each element of `value_destination_pairs` should be a tuple of size 2.")
        result.append((_make_tensor_into_per_replica(pair[0]), pair[1]))
    return result


def simple_broadcast(value: Any, destinations: Any, always_mirrored: bool = False) -> Any:
    """``value`` copied to each device of ``destinations``: a ``Mirrored`` value, or the copy itself where there
    is one device (with ``always_mirrored`` too, as in TF: regrouping one value gives that value)."""
    devices = get_devices_from(destinations)
    if len(devices) == 1 and not always_mirrored:
        return copy_to_device(value, devices[0])
    return regroup([copy_to_device(value, d) for d in devices], wrap_class=Mirrored)


def aggregate_tensors_or_indexed_slices(values: Any, accumulation_fn: Callable = add_n) -> Any:
    """The sum of ``values``: IndexedSlices are concatenated (rows of the same index add up when made dense)."""
    if any(isinstance(v, IndexedSlices) for v in values):
        if all(isinstance(v, IndexedSlices) for v in values):
            return IndexedSlices(concat([v.values for v in values], axis=0),
                                 concat([v.indices for v in values], axis=0), values[0].dense_shape)
        return add_n([convert_to_tensor(v) for v in values])
    return accumulation_fn(list(values))


def divide_by_n_tensors_or_indexed_slices(value: Any, n: int) -> Any:
    if isinstance(value, IndexedSlices):
        return IndexedSlices(value.values / n, value.indices, value.dense_shape)
    return value / n


def _simple_reduce(per_replica_value: Any, reduce_to_device: str, accumulation_fn: Callable,
                   reduce_op: ReduceOp) -> Any:
    all_values = per_replica_value.values
    if not all_values:
        raise ValueError("`per_replica_value` must be non-empty")
    with device_scope(reduce_to_device):
        reduced = aggregate_tensors_or_indexed_slices([copy_to_device(v, resolve_device(reduce_to_device))
                                                       for v in all_values], accumulation_fn)
        if reduce_op == ReduceOp.MEAN:
            reduced = divide_by_n_tensors_or_indexed_slices(reduced, len(all_values))
        elif reduce_op != ReduceOp.SUM:
            raise ValueError("`reduce_op` must be Reduce.SUM or Reduce.MEAN.")
    return reduced


def _simple_gather(per_replica_value: Any, reduce_to_device: str, axis: int) -> Any:
    all_values = per_replica_value.values
    if not all_values:
        raise ValueError("`per_replica_value` must be non-empty")
    with device_scope(reduce_to_device):
        return concat(list(all_values), axis)


def reduce_non_distributed_value(reduce_op: ReduceOp, value: Any, destinations: Any,
                                 num_replicas_in_graph: int) -> Any:
    """The reduction of a value that is the same on every replica (a Python number, a tensor made outside
    ``run``): MEAN is the value; SUM only where there is one replica."""
    if isinstance(value, DistributedValues):
        raise ValueError("You are passing a `DistributedValues` to `reduce_non_distributed_value`, which is not "
                         "allowed.")
    if not is_tensor(value) and np.all(value == 0):
        return np.zeros(np.shape(value), dtype=np.asarray(value).dtype)
    if reduce_op == ReduceOp.MEAN:
        return value
    if num_replicas_in_graph != 1:
        raise ValueError(f"A non-DistributedValues value {value} cannot be reduced with the given reduce op "
                         f"{reduce_op}.")
    validate_destinations(destinations)
    return simple_broadcast(value, destinations)


class CrossDeviceOps:
    """The base class of cross-device reduction and broadcast algorithms (``tf.distribute.CrossDeviceOps``)."""

    @property
    def _num_between_graph_workers(self) -> int:
        return 1

    def reduce(self, reduce_op: Any, per_replica_value: Any, destinations: Any, options: Any = None) -> Any:
        """``per_replica_value`` reduced and placed on ``destinations`` (a ``Mirrored`` value where those are
        several devices)."""
        if options is None:
            options = CommunicationOptions()
        per_replica_value, copied = self._validate_or_copy_one(per_replica_value, destinations)
        if copied is not None:
            return copied
        return self.reduce_implementation(reduce_op, per_replica_value, destinations, options)

    def _validate_or_copy_one(self, per_replica_value: Any, destinations: Any) -> tuple:
        """``(per_replica_value as a PerReplica, None)`` after checking ``destinations``; a single-worker value
        with one component already on ``destinations`` gives ``(..., a Mirrored copy of it)``, which ``reduce``
        and ``_gather`` return as it is."""
        per_replica_value = _make_tensor_into_per_replica(per_replica_value)
        validate_destinations(destinations)
        if (self._num_between_graph_workers == 1 and len(per_replica_value.values) == 1
                and _devices_match(per_replica_value, destinations)):
            only = per_replica_value.values[0]
            return per_replica_value, regroup((copy_to_device(only, resolve_device(only.device)),),
                                              wrap_class=Mirrored)
        return per_replica_value, None

    def batch_reduce(self, reduce_op: Any, value_destination_pairs: Any, options: Any = None) -> list:
        """``reduce`` over a list of ``(per_replica_value, destinations)`` pairs."""
        if options is None:
            options = CommunicationOptions()
        if not (value_destination_pairs and isinstance(value_destination_pairs, (list, tuple))
                and all(isinstance(p, tuple) and isinstance(p[0], PerReplica) for p in value_destination_pairs)):
            value_destination_pairs = _normalize_value_destination_pairs(value_destination_pairs)
        for _, d in value_destination_pairs:
            validate_destinations(d)
        if (self._num_between_graph_workers == 1 and _all_devices_match(value_destination_pairs)
                and len(value_destination_pairs[0][0].values) == 1):
            return [regroup(v.values, wrap_class=Mirrored) for v, _ in value_destination_pairs]
        return self.batch_reduce_implementation(reduce_op, value_destination_pairs, options)

    def broadcast(self, tensor: Any, destinations: Any) -> Any:
        """``tensor`` copied to every device of ``destinations`` (a ``Mirrored`` value)."""
        validate_destinations(destinations)
        return self.broadcast_implementation(tensor, destinations)

    def _gather(self, per_replica_value: Any, destinations: Any, axis: int, options: Any = None) -> Any:
        if isinstance(per_replica_value, IndexedSlices):
            raise NotImplementedError("gather/all_gather does not support IndexedSlices")
        if options is None:
            options = CommunicationOptions()
        per_replica_value, copied = self._validate_or_copy_one(per_replica_value, destinations)
        if copied is not None:
            return copied
        return self._gather_implementation(per_replica_value, destinations, axis, options)

    def reduce_implementation(self, reduce_op: ReduceOp, per_replica_value: Any, destinations: Any,
                              options: Any) -> Any:
        raise NotImplementedError("_reduce method must be implemented in descendants.")

    def batch_reduce_implementation(self, reduce_op: ReduceOp, value_destination_pairs: list, options: Any) -> list:
        raise NotImplementedError("batch_reduce_implementation method must be implemented in descendants.")

    def broadcast_implementation(self, tensor: Any, destinations: Any) -> Any:
        return simple_broadcast(tensor, destinations, always_mirrored=True)

    def _gather_implementation(self, per_replica_value: Any, destinations: Any, axis: int, options: Any) -> Any:
        raise NotImplementedError("_gather method must be implemented in descendants.")


class ReductionToOneDevice(CrossDeviceOps):
    """Copies every value to one device (``reduce_to_device``, else the first destination), reduces there
    with ``accumulation_fn`` (``tf.math.add_n``), and broadcasts the result to the destinations
    (``tf.distribute.ReductionToOneDevice``)."""

    def __init__(self, reduce_to_device: str | None = None, accumulation_fn: Callable | None = None) -> None:
        self.reduce_to_device = reduce_to_device
        self.accumulation_fn = accumulation_fn or add_n

    def _target(self, per_replica_value: Any, destinations: Any) -> str:
        devices = get_devices_from(destinations if check_destinations(destinations) else per_replica_value)
        return self.reduce_to_device or devices[0]

    def reduce_implementation(self, reduce_op: ReduceOp, per_replica_value: Any, destinations: Any,
                              options: Any) -> Any:
        target = self._target(per_replica_value, destinations)
        reduced = _simple_reduce(per_replica_value, target, self.accumulation_fn, reduce_op)
        return self.broadcast(reduced, destinations)

    def _gather_implementation(self, per_replica_value: Any, destinations: Any, axis: int, options: Any) -> Any:
        target = self._target(per_replica_value, destinations)
        return self.broadcast(_simple_gather(per_replica_value, target, axis), destinations)

    def batch_reduce_implementation(self, reduce_op: ReduceOp, value_destination_pairs: list, options: Any) -> list:
        return [self.reduce_implementation(reduce_op, t, destinations=v, options=options)
                for t, v in value_destination_pairs]


_TYPE_ENUM_NAMES = {"float32": "FLOAT", "float64": "DOUBLE", "float16": "HALF", "complex64": "COMPLEX64"}


def _is_gpu(device: str) -> bool:
    return "device:GPU:" in device


class _AllReduceCrossDeviceOps(CrossDeviceOps):
    """All-reduce among the devices the values are on: each device gets the reduced value. Where the
    destinations are other devices, the reduction goes through ``ReductionToOneDevice`` (as TF's)."""

    def _all_reduce(self, reduce_op: ReduceOp, per_replica_value: Any) -> Any:
        devices = [resolve_device(v.device) for v in per_replica_value.values]
        reduced = _simple_reduce(per_replica_value, devices[0], add_n, reduce_op)
        return regroup([copy_to_device(reduced, d) for d in devices], wrap_class=Mirrored)

    def reduce_implementation(self, reduce_op: ReduceOp, per_replica_value: Any, destinations: Any,
                              options: Any) -> Any:
        if _devices_match(per_replica_value, destinations):
            return self._batch_all_reduce(reduce_op, [per_replica_value])[0]
        return ReductionToOneDevice().reduce(reduce_op, per_replica_value, destinations)

    def batch_reduce_implementation(self, reduce_op: ReduceOp, value_destination_pairs: list, options: Any) -> list:
        if _all_devices_match(value_destination_pairs):
            return self._batch_all_reduce(reduce_op, [v for v, _ in value_destination_pairs])
        return [self.reduce_implementation(reduce_op, value, dest, options) for value, dest in value_destination_pairs]

    def _batch_all_reduce(self, reduce_op: ReduceOp, per_replica_values: list) -> list:
        return [self._all_reduce(reduce_op, v) for v in per_replica_values]

    def _gather_implementation(self, per_replica_value: Any, destinations: Any, axis: int, options: Any) -> Any:
        return ReductionToOneDevice()._gather(per_replica_value, destinations, axis, options)


class HierarchicalCopyAllReduce(_AllReduceCrossDeviceOps):
    """All-reduce by copying the values to one device, reducing there and copying the result back (TF's
    hierarchical copy, which for one group of up to eight devices is exactly this)
    (``tf.distribute.HierarchicalCopyAllReduce``)."""

    def __init__(self, num_packs: int = 1) -> None:
        if num_packs < 0:
            raise ValueError(f"HierarchicalCopy requires num_packs >= 0, but {num_packs} is specified")
        self.num_packs = num_packs


class NcclAllReduce(_AllReduceCrossDeviceOps):
    """All-reduce with NCCL among GPUs (``tf.distribute.NcclAllReduce``). TF has NCCL kernels only for GPUs: an
    all-reduce among other devices fails as TF's does. Among featherflow's GPUs the reduction runs device to
    device (on the simulated GPU, and on CuPy's GPUs through the same device copies)."""

    def __init__(self, num_packs: int = 1) -> None:
        if num_packs < 0:
            raise ValueError(f"NCCL all-reduce requires num_packs >= 0, but {num_packs} is specified")
        self.num_packs = num_packs

    def _all_reduce(self, reduce_op: ReduceOp, per_replica_value: Any) -> Any:
        devices = [v.device for v in per_replica_value.values]
        if not all(_is_gpu(d) for d in devices):
            from ..errors import InvalidArgumentError

            dtype = per_replica_value.values[0].dtype
            raise InvalidArgumentError(
                None, None,
                "No OpKernel was registered to support Op 'NcclAllReduce' used by {{node NcclAllReduce}} with these "
                f'attrs: [num_devices={len(devices)}, T=DT_{_TYPE_ENUM_NAMES.get(dtype.name, dtype.name.upper())}, '
                'shared_name="c0", '
                'reduction="sum"]\nRegistered devices: [CPU]\nRegistered kernels:\n  <no registered kernels>\n\n\t '
                "[[NcclAllReduce]] [Op:__inference__all_reduce]")
        return super()._all_reduce(reduce_op, per_replica_value)


class CollectiveAllReduce(_AllReduceCrossDeviceOps):
    """All-reduce among the replicas of one worker with collective semantics (every replica contributes and
    receives the reduced value): what ``MirroredStrategy`` uses unless given other ``cross_device_ops``, and
    ``MultiWorkerMirroredStrategy`` on one worker (TF's ``CollectiveAllReduce``)."""

    def __init__(self, devices: Any = (), options: CommunicationOptions | None = None) -> None:
        self._devices = tuple(devices)
        self._options = options or CommunicationOptions()
