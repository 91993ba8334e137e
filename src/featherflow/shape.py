"""``tf.TensorShape`` and ``Dimension``: shapes with unknown dimensions or rank.

>>> import featherflow as tf
>>> s = tf.TensorShape([2, None])
>>> s, str(s), s.rank, s.is_fully_defined()
(TensorShape([2, None]), '(2, None)', 2, False)
"""

from __future__ import annotations

from typing import Any, Iterator


class Dimension:
    """One dimension of a shape, known or unknown (``tf.compat.v1.Dimension``)."""

    __slots__ = ("_value",)

    def __init__(self, value: Any) -> None:
        self._value = _dim_value(value)

    @property
    def value(self) -> int | None:
        return self._value

    def __repr__(self) -> str:
        return f"Dimension({self._value!r})"

    def __str__(self) -> str:
        return "?" if self._value is None else str(self._value)

    def __eq__(self, other: Any) -> Any:
        other = other.value if isinstance(other, Dimension) else other
        if self._value is None or other is None:
            return None
        return self._value == other

    def __ne__(self, other: Any) -> Any:
        eq = self.__eq__(other)
        return None if eq is None else not eq

    def __hash__(self) -> int:
        return hash(self._value)

    def __int__(self) -> int:
        return self._value  # type: ignore[return-value]

    __index__ = __int__

    def is_compatible_with(self, other: Any) -> bool:
        other = other.value if isinstance(other, Dimension) else other
        return self._value is None or other is None or self._value == other


def _dim_value(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, Dimension):
        return value.value
    if isinstance(value, int):
        result = value
    else:
        try:
            result = int(value.__index__())
        except AttributeError:
            raise TypeError(
                f"Dimension value must be integer or None or have an __index__ method, "
                f"got value '{value!r}' with type '{type(value)}'"
            ) from None
    if result < 0:
        raise ValueError(f"Dimension {result} must be >= 0")
    return result


class TensorShape:
    """The static shape of a tensor: a tuple of known (int) or unknown (None) dims, or unknown rank."""

    __slots__ = ("_dims",)

    # TensorShapeProto is one of the checkpoint protos (state layer; protobuf loads on first use): the checkpoint
    # package installs this builder, ``dims (None: unknown rank) -> proto``, when it loads.
    _proto_builder: Any = None

    def __init__(self, dims: Any) -> None:
        if isinstance(dims, (tuple, list)):
            self._dims: tuple[int | None, ...] | None = tuple(_dim_value(d) for d in dims)
        elif dims is None:
            self._dims = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif hasattr(dims, "unknown_rank") and hasattr(dims, "dim"):  # a TensorShapeProto
            self._dims = None if dims.unknown_rank else tuple(None if d.size == -1 else d.size for d in dims.dim)
        else:
            try:
                items = iter(dims)
            except TypeError:
                self._dims = (_dim_value(dims),)  # a single dimension
            else:
                converted = []
                for d in items:
                    try:
                        converted.append(_dim_value(d))
                    except TypeError as e:
                        raise TypeError(f"Failed to convert '{dims!r}' to a shape: '{d!r}'could not be converted to a "
                                        "dimension. A shape should either be single dimension (e.g. 10), or an "
                                        "iterable of dimensions (e.g. [1, 10, None]).") from e
                self._dims = tuple(converted)

    @classmethod
    def _from_tuple(cls, dims: tuple[int, ...]) -> TensorShape:
        """Builds a fully known shape without validation (the hot path: array shapes)."""
        self = object.__new__(cls)
        self._dims = dims
        return self

    @property
    def rank(self) -> int | None:
        return None if self._dims is None else len(self._dims)

    ndims = rank

    @property
    def dims(self) -> list[Dimension] | None:
        return None if self._dims is None else [Dimension(d) for d in self._dims]

    def as_list(self) -> list[int | None]:
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def num_elements(self) -> int | None:
        if self._dims is None or None in self._dims:
            return None
        n = 1
        for d in self._dims:
            n *= d  # type: ignore[operator]
        return n

    def is_fully_defined(self) -> bool:
        return self._dims is not None and None not in self._dims

    def assert_is_fully_defined(self) -> None:
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    def is_compatible_with(self, other: Any) -> bool:
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def assert_is_compatible_with(self, other: Any) -> None:
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are incompatible")

    def is_subtype_of(self, other: Any) -> bool:
        if not isinstance(other, TensorShape):
            return False
        if other._dims is None:
            return True
        if self._dims is None or len(self._dims) != len(other._dims):
            return False
        return all(b is None or a == b for a, b in zip(self._dims, other._dims))

    def merge_with(self, other: Any) -> TensorShape:
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        return TensorShape([a if a is not None else b for a, b in zip(self._dims, other._dims)])

    def most_specific_compatible_shape(self, other: Any) -> TensorShape:
        other = as_shape(other)
        if self._dims is None or other._dims is None or len(self._dims) != len(other._dims):
            return TensorShape(None)
        return TensorShape([a if a == b else None for a, b in zip(self._dims, other._dims)])

    def concatenate(self, other: Any) -> TensorShape:
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape(self._dims + other._dims)

    def assert_same_rank(self, other: Any) -> None:
        other = as_shape(other)
        if self.rank is not None and other.rank is not None and self.rank != other.rank:
            raise ValueError(f"Shapes {self} and {other} must have the same rank")

    def assert_has_rank(self, rank: int) -> None:
        if self.rank not in (None, rank):
            raise ValueError(f"Shape {self} must have rank {rank}")

    def with_rank(self, rank: int) -> TensorShape:
        if self._dims is None:
            return TensorShape([None] * rank)
        if len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    def with_rank_at_least(self, rank: int) -> TensorShape:
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank: int) -> TensorShape:
        if self._dims is not None and len(self._dims) > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    def as_proto(self) -> Any:
        """The shape as a ``TensorShapeProto`` (unknown dimensions as -1)."""
        return TensorShape._proto_builder(self._dims)

    def __len__(self) -> int:
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __bool__(self) -> bool:
        return self._dims is not None

    def __iter__(self) -> Iterator[int | None]:
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key: Any) -> Any:
        if self._dims is None:
            if not isinstance(key, slice):
                return None
            # TF's rules for slicing an unknown shape: a known length only for [start:stop] with both >= 0
            start = key.start if key.start is not None else 0
            if key.step is not None:
                raise ValueError("Steps are not yet handled")
            if key.stop is None or start < 0 or key.stop < 0:
                return TensorShape(None)
            return TensorShape([None] * (key.stop - start))
        if isinstance(key, slice):
            return TensorShape(self._dims[key])
        return self._dims[key]

    def __eq__(self, other: Any) -> bool:
        try:
            other = as_shape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other: Any) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return hash(self._dims)

    def __add__(self, other: Any) -> TensorShape:
        return self.concatenate(other)

    def __radd__(self, other: Any) -> TensorShape:
        return as_shape(other).concatenate(self)

    def __reduce__(self) -> Any:
        return (TensorShape, (None if self._dims is None else list(self._dims),))

    def __repr__(self) -> str:
        if self._dims is None:
            return "TensorShape(None)"
        return f"TensorShape({list(self._dims)!r})"

    def __str__(self) -> str:
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return f"({self._dims[0]},)"
        return "(" + ", ".join(str(d) for d in self._dims) + ")"


def as_shape(shape: Any) -> TensorShape:
    """Converts a list, tuple, int or None to a ``TensorShape`` (``tf.TensorShape`` passes through)."""
    if isinstance(shape, TensorShape):
        return shape
    return TensorShape(shape)


def unknown_shape(rank: int | None = None) -> TensorShape:
    return TensorShape(None if rank is None else [None] * rank)
