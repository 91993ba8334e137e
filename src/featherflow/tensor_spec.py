"""``tf.TensorSpec``: the shape and dtype a tensor is expected to have.

>>> import featherflow as tf
>>> tf.TensorSpec([None, 2], tf.float32)
TensorSpec(shape=(None, 2), dtype=tf.float32, name=None)
"""

from __future__ import annotations

from typing import Any

from . import dtypes as _dtypes
from .shape import TensorShape, as_shape


class TypeSpec:
    """The base of the specs of TF values (``tf.TypeSpec``): abstract, as TF's, so it is never built itself.

    TF's subclasses also implement its private component protocol (``_to_components``...), which featherflow's
    specs, with no graphs to rebuild values in, do not.
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> TypeSpec:
        if cls is TypeSpec:
            raise TypeError("Can't instantiate abstract class TypeSpec with abstract methods _component_specs, "
                            "_from_components, _serialize, _to_components, value_type")
        return object.__new__(cls)


class TensorSpec(TypeSpec):
    """Describes a tensor: a (possibly partial) shape, a dtype and an optional name."""

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape: Any, dtype: Any = _dtypes.float32, name: str | None = None) -> None:
        self._shape = as_shape(shape)
        self._dtype = _dtypes.as_dtype(dtype)
        self._name = name

    @classmethod
    def from_tensor(cls, tensor: Any, name: str | None = None) -> TensorSpec:
        return cls(tensor.shape, tensor.dtype, name)

    @classmethod
    def from_spec(cls, spec: Any, name: str | None = None) -> TensorSpec:
        return cls(spec.shape, spec.dtype, name if name is not None else spec.name)

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> _dtypes.DType:
        return self._dtype

    @property
    def name(self) -> str | None:
        return self._name

    @property
    def value_type(self) -> type:
        """The class of the values this spec describes: ``tf.Tensor``."""
        from .tensor import Tensor

        return Tensor

    def is_compatible_with(self, spec_or_tensor: Any) -> bool:
        """Whether a tensor or spec has this dtype and a compatible shape."""
        dtype = getattr(spec_or_tensor, "dtype", None)
        shape = getattr(spec_or_tensor, "shape", None)
        if dtype is None or shape is None:
            return False
        return _dtypes.as_dtype(dtype) is self._dtype and self._shape.is_compatible_with(shape)

    def most_specific_compatible_type(self, other: TensorSpec) -> TensorSpec:
        if other.dtype is not self._dtype:
            raise ValueError(f"No TypeSpec is compatible with both {self} and {other}")
        return TensorSpec(self._shape.most_specific_compatible_shape(other.shape), self._dtype)

    def __eq__(self, other: Any) -> bool:
        return (isinstance(other, TensorSpec) and self._shape == other._shape and self._dtype is other._dtype
                and self._name == other._name)

    def __hash__(self) -> int:
        return hash((self._shape, self._dtype, self._name))

    def __repr__(self) -> str:
        name = "None" if self._name is None else repr(self._name)
        return f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={name})"
