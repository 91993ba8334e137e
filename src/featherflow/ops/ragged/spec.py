"""``tf.RaggedTensorSpec``: the type of a RaggedTensor (shape with None for ragged dimensions, dtype, ragged
rank, row-splits dtype)."""

from __future__ import annotations

from typing import Any

from ... import dtypes as _dtypes
from ...shape import TensorShape
from ...tensor_spec import TypeSpec
from .tensor import _IMPL, RaggedTensor


class RaggedTensorSpec(TypeSpec):
    """The type of a RaggedTensor (``tf.RaggedTensorSpec``).

    >>> RaggedTensorSpec([2, None], tf.int32)
    RaggedTensorSpec(TensorShape([2, None]), tf.int32, 1, tf.int64)
    """

    __slots__ = ("_shape", "_dtype", "_ragged_rank", "_row_splits_dtype", "_flat_values_spec")

    def __init__(self, shape: Any = None, dtype: Any = _dtypes.float32, ragged_rank: int | None = None,
                 row_splits_dtype: Any = _dtypes.int64, flat_values_spec: Any = None) -> None:
        self._shape = TensorShape(shape)
        self._dtype = _dtypes.as_dtype(dtype)
        self._row_splits_dtype = _dtypes.as_dtype(row_splits_dtype)
        if self._row_splits_dtype not in (_dtypes.int32, _dtypes.int64):
            raise ValueError(f"row_splits_dtype must be int32 or int64; got {self._row_splits_dtype!r}")
        rank = self._shape.rank
        if ragged_rank is None:
            if rank is None:
                raise ValueError("Must specify ragged_rank or a shape with a known rank.")
            ragged_rank = rank - 1
        if not isinstance(ragged_rank, int):
            raise TypeError(f"Argument `ragged_rank` must be an int. Received {ragged_rank}.")
        if rank is not None and not 0 <= ragged_rank < rank and not (ragged_rank == 0 and rank == 0):
            raise ValueError(f"Argument `ragged_rank` ({ragged_rank}) must be less than the rank of `shape` "
                             f"({rank}).")
        self._ragged_rank = ragged_rank
        self._flat_values_spec = flat_values_spec

    @classmethod
    def from_value(cls, value: RaggedTensor) -> RaggedTensorSpec:
        """The spec of ``value``."""
        return cls(value.shape, value.dtype, value.ragged_rank, value.row_splits_dtype)

    @property
    def shape(self) -> TensorShape:
        """The static shape."""
        return self._shape

    @property
    def dtype(self) -> Any:
        """The dtype of the values."""
        return self._dtype

    @property
    def ragged_rank(self) -> int:
        """The number of ragged dimensions."""
        return self._ragged_rank

    @property
    def row_splits_dtype(self) -> Any:
        """int64 or int32."""
        return self._row_splits_dtype

    @property
    def flat_values_spec(self) -> Any:
        """The TensorSpec of the flat values, when one was given."""
        return self._flat_values_spec

    @property
    def value_type(self) -> type:
        """RaggedTensor."""
        return RaggedTensor

    def is_compatible_with(self, other: Any) -> bool:
        """Whether ``other`` (a spec or a RaggedTensor) has this dtype, ragged rank and a compatible shape."""
        if isinstance(other, RaggedTensor):
            other = RaggedTensorSpec.from_value(other)
        if not isinstance(other, RaggedTensorSpec):
            return False
        return (self._dtype == other._dtype and self._ragged_rank == other._ragged_rank
                and self._row_splits_dtype == other._row_splits_dtype
                and self._shape.is_compatible_with(other._shape))

    def _from_components(self, components: list) -> RaggedTensor:
        """The RaggedTensor of ``[flat_values, *nested_row_splits]`` (unvalidated, as TF's), uniform dimensions
        from this spec's shape."""
        result = components[0]
        dims = self._shape.as_list() if self._shape.rank is not None else [None] * (len(components) + 1)
        for level in range(len(components) - 1, 0, -1):
            result = RaggedTensor(result, components[level], internal=True, uniform_row_length=dims[level])
        return result

    def __eq__(self, other: Any) -> bool:
        return (type(other) is RaggedTensorSpec and self._shape == other._shape and self._dtype == other._dtype
                and self._ragged_rank == other._ragged_rank and self._row_splits_dtype == other._row_splits_dtype)

    def __hash__(self) -> int:
        return hash((tuple(self._shape.as_list()) if self._shape.rank is not None else None, self._dtype,
                     self._ragged_rank, self._row_splits_dtype))

    def __repr__(self) -> str:
        return (f"RaggedTensorSpec({self._shape!r}, {self._dtype!r}, {self._ragged_rank}, "
                f"{self._row_splits_dtype!r})")


_IMPL["spec"] = RaggedTensorSpec
