"""Values that hold one component per replica: ``tf.distribute.DistributedValues`` and its kinds, ``PerReplica``
(each replica's own value, as ``strategy.run`` returns them) and ``Mirrored`` (the same value on every device,
as a reduction broadcast to several devices returns it), printed as TF prints them.

>>> import featherflow as tf
>>> print(PerReplica((tf.constant(1.0), tf.constant(2.0))))
PerReplica:{
  0: tf.Tensor(1.0, shape=(), dtype=float32),
  1: tf.Tensor(2.0, shape=(), dtype=float32)
}
"""

from __future__ import annotations

from typing import Any, Callable

from .. import nest
from ..ops.type_spec import type_spec_from_value
from ..tensor import convert_to_tensor
from ..tensor_spec import TypeSpec
from .context import default_replica_context, get_replica_context, get_update_replica_id


def current_replica_id() -> Any:
    """The replica the thread runs for: an update's, else the replica context's, else None."""
    replica_id = get_update_replica_id()
    if replica_id is None:
        context = get_replica_context()
        if context is not None and context is not default_replica_context():
            replica_id = context._replica_id
    return replica_id if isinstance(replica_id, int) else None


class DistributedValues:
    """The base class of values with one component per replica (``tf.distribute.DistributedValues``); a
    subclass holds the components, in the order of the strategy's devices, in ``_values``."""

    __slots__ = ()

    _values: tuple

    @property
    def values(self) -> tuple:
        return self._values

    @property
    def _devices(self) -> tuple:
        return tuple(v.device for v in self._values)

    @property
    def _primary(self) -> Any:
        return self._values[0]

    def _get_replica(self, replica_id: int) -> Any:
        return self._values[replica_id]

    def _get_on_device_or_primary(self) -> Any:
        """The component of the replica the thread runs for, or the first one outside replica context."""
        replica_id = current_replica_id()
        return self._primary if replica_id is None else self._values[replica_id]


class _Values(DistributedValues):
    """Components, one per replica in the order of the strategy's devices."""

    __slots__ = ("_values", "__weakref__")

    def __init__(self, values: Any) -> None:
        self._values = tuple(values)

    def __str__(self) -> str:
        body = ",\n".join(f"  {i}: {v!s}" for i, v in enumerate(self._values))
        return f"{type(self).__name__}:{{\n{body}\n}}"

    def __repr__(self) -> str:
        body = ",\n".join(f"  {i}: {v!r}" for i, v in enumerate(self._values))
        return f"{type(self).__name__}:{{\n{body}\n}}"


class PerReplicaSpec(TypeSpec):
    """Describes a ``PerReplica``: the spec of each component."""

    __slots__ = ("_value_specs",)

    def __init__(self, *value_specs: Any) -> None:
        self._value_specs = tuple(value_specs)

    @property
    def value_type(self) -> type:
        return PerReplica

    def _serialize(self) -> tuple:
        return self._value_specs

    @property
    def _component_specs(self) -> tuple:
        return self._value_specs

    def _to_components(self, value: PerReplica) -> tuple:
        return value._values

    def _from_components(self, components: Any) -> PerReplica:
        return PerReplica(components)

    def __eq__(self, other: Any) -> bool:
        return type(other) is type(self) and self._value_specs == other._value_specs

    def __hash__(self) -> int:
        return hash(self._value_specs)

    def __repr__(self) -> str:
        return "PerReplicaSpec(" + ", ".join(repr(s) for s in self._value_specs) + ")"


class PerReplica(_Values):
    """Each replica's own value (what ``strategy.run`` returns with several replicas); a composite tensor
    whose components are the replicas' values."""

    __slots__ = ()

    @property
    def _type_spec(self) -> PerReplicaSpec:
        return PerReplicaSpec(*(type_spec_from_value(v) for v in self._values))

    def _to_components(self) -> tuple:
        return self._values


def _delegate(name: str) -> Callable:
    def method(self: Mirrored, *args: Any) -> Any:
        primary = self._get_on_device_or_primary()
        return getattr(primary, name)(*args)

    method.__name__ = name
    return method


class Mirrored(_Values):
    """The same value on every device of a strategy; reads (operators, attributes, conversion to a tensor) use
    the component of the current replica, or the first one."""

    __slots__ = ()

    _is_mirrored = True

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(self._get_on_device_or_primary(), name)

    def __tf_tensor__(self, dtype: Any = None, name: Any = None) -> Any:
        return convert_to_tensor(self._get_on_device_or_primary(), dtype=dtype, name=name)

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        array = self._get_on_device_or_primary().numpy()
        return array if dtype is None else array.astype(dtype)


for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
              "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__", "__matmul__",
              "__rmatmul__", "__neg__", "__abs__", "__lt__", "__le__", "__gt__", "__ge__", "__and__", "__rand__",
              "__or__", "__ror__", "__xor__", "__rxor__", "__invert__", "__getitem__"):
    setattr(Mirrored, _name, _delegate(_name))


def regroup(values: Any, wrap_class: type = PerReplica, always_wrap: bool = False) -> Any:
    """One structure of distributed values from one structure per replica: the structures are walked together,
    and leaves that differ between replicas are wrapped in ``wrap_class`` (a leaf that is the same object on
    every replica stays as it is, unless ``always_wrap``)."""
    v0 = values[0]
    if isinstance(v0, list):
        return [regroup(tuple(v[i] for v in values), wrap_class, always_wrap) for i in range(len(v0))]
    if isinstance(v0, tuple) and not hasattr(v0, "_fields"):
        return tuple(regroup(tuple(v[i] for v in values), wrap_class, always_wrap) for i in range(len(v0)))
    if isinstance(v0, tuple):  # a namedtuple
        return type(v0)(*(regroup(tuple(v[i] for v in values), wrap_class, always_wrap) for i in range(len(v0))))
    if isinstance(v0, dict):
        return type(v0)((k, regroup(tuple(v[k] for v in values), wrap_class, always_wrap)) for k in v0)
    if not always_wrap and all(v is v0 for v in values[1:]):
        return v0
    return wrap_class(values)


def select_replica(replica_id: int, structured: Any) -> Any:
    """The component of replica ``replica_id`` of every distributed value in ``structured``."""
    def select(x: Any) -> Any:
        if isinstance(x, _Values):
            return x._values[replica_id]
        return x

    return nest.map_structure(select, structured)
