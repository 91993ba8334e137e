"""``tf.sparse.SparseTensor`` and ``tf.SparseTensorSpec``.

>>> import featherflow as tf
>>> s = tf.sparse.SparseTensor(indices=[[0, 0], [1, 2]], values=[1, 2], dense_shape=[3, 4])
>>> s.shape
TensorShape([3, 4])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...shape import TensorShape
from ...tensor import Tensor, convert_to_tensor, kernel_error
from ...tensor_spec import TypeSpec
from ..array.core import host_tensor
from ..convert import tensor
from . import kernels as k


class SparseTensor:
    """A sparse tensor: ``values[i]`` sits at ``indices[i]`` of a tensor of shape ``dense_shape``."""

    is_tensor_like = True  # TF's protocol: tf.is_tensor is True

    __slots__ = ("_indices", "_values", "_dense_shape", "_shape")

    def __init__(self, indices: Any, values: Any, dense_shape: Any) -> None:
        self._indices = _int64("indices", indices)
        self._values = tensor(values)
        # the dense shape is host data (TF keeps it in host memory on a GPU too): reading it costs no transfer
        self._dense_shape = _int64("dense_shape", dense_shape, host=True)
        if self._dense_shape._value.ndim > 1:  # TF's message: it reads the shape as a list of ints first
            raise TypeError("only integer scalar arrays can be converted to a scalar index")
        if self._indices._value.ndim != 2:
            raise ValueError(f"Shape {self._indices.shape} must have rank 2")
        if self._values._value.ndim != 1:
            raise ValueError(f"Shape {self._values.shape} must have rank 1")
        if self._dense_shape._value.ndim != 1:
            raise ValueError(f"Shape {self._dense_shape.shape} must have rank 1")
        self._shape = tuple(int(d) for d in np.asarray(self._dense_shape._numpy()))
        n, rank = self._indices._value.shape
        if n != self._values._value.shape[0]:
            raise ValueError(f"Dimensions {n} and {self._values._value.shape[0]} are not compatible")
        if rank != len(self._shape):
            raise ValueError(f"Dimensions {rank} and {len(self._shape)} are not compatible")

    @classmethod
    def from_value(cls, sparse_tensor_value: Any) -> SparseTensor:
        """``sparse_tensor_value`` as a SparseTensor (a SparseTensor is returned as is)."""
        if isinstance(sparse_tensor_value, SparseTensor):  # a new SparseTensor of the same parts, as TF's
            v = sparse_tensor_value
            return SparseTensor(v.indices, v.values, v.dense_shape)
        raise TypeError(f"Neither a SparseTensor nor SparseTensorValue: {sparse_tensor_value}.")

    @property
    def indices(self) -> Tensor:
        """The int64 [N, rank] positions of the values."""
        return self._indices

    @property
    def values(self) -> Tensor:
        """The [N] values."""
        return self._values

    @property
    def dense_shape(self) -> Tensor:
        """The int64 [rank] shape of the dense tensor this stands for."""
        return self._dense_shape

    @property
    def dtype(self) -> Any:
        """The values' dtype."""
        return self._values.dtype

    @property
    def shape(self) -> TensorShape:
        """The dense shape, as a TensorShape."""
        return TensorShape(list(self._shape))

    def get_shape(self) -> TensorShape:
        """The dense shape, as a TensorShape."""
        return self.shape

    def set_shape(self, shape: Any) -> None:
        """Checks that ``shape`` is compatible with the (known) dense shape."""
        TensorShape(list(self._shape)).assert_is_compatible_with(TensorShape(shape))

    @property
    def _type_spec(self) -> SparseTensorSpec:
        return SparseTensorSpec(self.shape, self.dtype)

    def _to_components(self) -> list:
        """TF's components of a SparseTensor (what ``tf.nest`` expands it into)."""
        return [self._indices, self._values, self._dense_shape]

    def _gradient_tensors(self) -> list:
        raise ValueError("Type SparseTensor is not supported as a gradient source or gradient target.")

    def with_values(self, new_values: Any) -> SparseTensor:
        """The same indices and dense shape with other values."""
        new_values = tensor(new_values)
        if new_values._value.shape[:1] != self._values._value.shape[:1]:
            raise ValueError(f"Dimensions {self._values._value.shape[0]} and {new_values._value.shape[0]} are not "
                             "compatible")
        return SparseTensor(self._indices, new_values, self._dense_shape)

    def consumers(self) -> list:
        """The ops that consume this tensor: none, eagerly."""
        return []

    def __mul__(self, other: Any) -> SparseTensor:
        return _cwise("mul", self, other)

    def __truediv__(self, other: Any) -> SparseTensor:
        return _cwise("div", self, other)

    __div__ = __truediv__

    def __repr__(self) -> str:
        return (f"SparseTensor(indices={self._indices!s}, values={self._values!s}, "
                f"dense_shape={self._dense_shape!s})")


class SparseTensorSpec(TypeSpec):
    """The type of a SparseTensor: its dense shape (maybe partly unknown) and dtype."""

    __slots__ = ("_shape", "_dtype")

    def __init__(self, shape: Any = None, dtype: Any = _dtypes.float32) -> None:
        self._shape = TensorShape(shape)
        self._dtype = _dtypes.as_dtype(dtype)

    @property
    def shape(self) -> TensorShape:
        """The dense shape."""
        return self._shape

    @property
    def dtype(self) -> Any:
        """The values' dtype."""
        return self._dtype

    @property
    def value_type(self) -> type:
        """SparseTensor."""
        return SparseTensor

    @classmethod
    def from_value(cls, value: SparseTensor) -> SparseTensorSpec:
        """The spec of ``value``."""
        return cls(value.shape, value.dtype)

    def is_compatible_with(self, other: Any) -> bool:
        """Whether ``other`` (a spec or a SparseTensor) has a compatible shape and the same dtype."""
        if isinstance(other, SparseTensor):
            other = SparseTensorSpec.from_value(other)
        return (isinstance(other, SparseTensorSpec) and self._dtype == other._dtype
                and self._shape.is_compatible_with(other._shape))

    def _from_components(self, components: list) -> SparseTensor:
        """The SparseTensor of ``[indices, values, dense_shape]``."""
        return SparseTensor(*components)

    def __eq__(self, other: Any) -> bool:
        return (type(other) is SparseTensorSpec and self._dtype == other._dtype
                and self._shape.as_list() == other._shape.as_list() if self._shape.rank is not None
                else type(other) is SparseTensorSpec and self._dtype == other._dtype and other._shape.rank is None)

    def __hash__(self) -> int:
        return hash((str(self._shape), self._dtype))

    def __repr__(self) -> str:
        return f"SparseTensorSpec({self._shape!r}, {self._dtype!r})"


def _cwise(kind: str, sp: SparseTensor, other: Any) -> SparseTensor:
    """``sp * dense`` / ``sp / dense`` (the dense operand broadcast to the sparse one's shape)."""
    if isinstance(other, SparseTensor):  # TF tries to convert it to a dense tensor
        raise ValueError(f"Attempt to convert a value ({other!r}) with an unsupported type ({type(other)!r}) to a "
                         "Tensor.")
    dense = convert_to_tensor(other, dtype=sp.dtype)
    op = k.sparse_dense_cwise_mul_op if kind == "mul" else k.sparse_dense_cwise_div_op
    if kind == "div" and sp.dtype.is_integer:  # Python 3's true division, as TF's (int8/16: float32, else float64)
        from ..array.create import cast
        wide = _dtypes.float32 if sp.dtype.size <= 2 else _dtypes.float64
        sp = SparseTensor(sp.indices, cast(sp.values, wide), sp.dense_shape)
        dense = cast(dense, wide)
    if dense._value.ndim > len(sp._shape) or any(
            d not in (1, n) for d, n in zip(dense.shape[::-1], sp._shape[::-1])):
        raise kernel_error(op.name, f"SparseDenseBinaryOpShared broadcasts dense to sparse only; got incompatible "
                                    f"shapes: [{','.join(map(str, sp._shape))}] vs. "
                                    f"[{','.join(map(str, dense.shape))}]")
    return SparseTensor(sp.indices, op(sp.indices, sp.values, dense, shape=sp._shape), sp.dense_shape)


def _int64(what: str, value: Any, host: bool = False) -> Tensor:
    """``value`` as int64, with TF's error (naming the argument) for a tensor of another dtype."""
    try:
        return host_tensor(value, _dtypes.int64) if host else convert_to_tensor(value, dtype=_dtypes.int64)
    except ValueError as e:
        raise ValueError(f"{what}: {e}") from None


def as_sparse(value: Any) -> SparseTensor:
    """TF's ``_convert_to_sparse_tensor``: a SparseTensor, or TypeError."""
    if isinstance(value, SparseTensor):
        return value
    raise TypeError("Input must be a SparseTensor.")
