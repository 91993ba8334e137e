"""``tf.IndexedSlices``: rows of a larger tensor given as (values, indices, dense_shape).

The dense tensor an ``IndexedSlices`` stands for has ``dense[indices[i], ...] = values[i, ...]``, with the
values of repeated indices summed (TF's ``unsorted_segment_sum``). ``tf.convert_to_tensor`` makes it dense;
``Variable.scatter_*`` apply it to a variable.

>>> import featherflow as tf
>>> s = tf.IndexedSlices(tf.constant([10., 20.]), tf.constant([0, 2]), tf.constant([4]))
>>> tf.convert_to_tensor(s).numpy()
array([10.,  0., 20.,  0.], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes as _dtypes
from ._op_table import OPS  # filled by ops.registry when ops load (ops sit above this layer)
from .shape import TensorShape, as_shape
from .tensor import Tensor, convert_to_tensor
from .tensor_spec import TypeSpec


class IndexedSlices:
    """A sparse set of slices of a tensor (``tf.IndexedSlices``): ``values``, their row ``indices`` and,
    optionally, the ``dense_shape`` of the whole tensor. The parts are kept as given, as TF keeps them."""

    is_tensor_like = True  # TF's protocol: tf.is_tensor is True

    __slots__ = ("_values", "_indices", "_dense_shape", "__weakref__")

    def __init__(self, values: Any, indices: Any, dense_shape: Any = None) -> None:
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    @property
    def values(self) -> Any:
        """The values of the slices."""
        return self._values

    @property
    def indices(self) -> Any:
        """The row of the dense tensor each slice of ``values`` belongs to."""
        return self._indices

    @property
    def dense_shape(self) -> Any:
        """The shape of the dense tensor (None when unknown)."""
        return self._dense_shape

    @property
    def shape(self) -> TensorShape:
        if self._dense_shape is None:
            return TensorShape(None)
        return TensorShape([int(d) for d in np.asarray(convert_to_tensor(self._dense_shape)._numpy()).reshape(-1)])

    @property
    def dtype(self) -> _dtypes.DType:
        return self._values.dtype

    @property
    def device(self) -> str:
        return self._values.device

    @property
    def name(self) -> str:
        return self._values.name

    @property
    def op(self) -> Any:
        return self._values.op

    @property
    def graph(self) -> Any:
        return self._values.graph

    def consumers(self) -> list:
        return []

    @property
    def _type_spec(self) -> IndexedSlicesSpec:
        """TF's spec of this value: dense shape merged from values' trailing dims and ``dense_shape``."""
        values, indices = self._values, self._indices
        indices_shape = TensorShape(indices.shape).merge_with(TensorShape(values.shape)[:1])
        dense = TensorShape([None]).concatenate(TensorShape(values.shape)[1:])
        dense_shape_dtype = None
        if self._dense_shape is not None:
            dense_shape_dtype = self._dense_shape.dtype
            dense = dense.merge_with(self.shape)
        return IndexedSlicesSpec(dense, values.dtype, indices.dtype, dense_shape_dtype, indices_shape)

    def __neg__(self) -> IndexedSlices:
        return IndexedSlices(-self._values, self._indices, self._dense_shape)

    def __str__(self) -> str:
        shape = f", dense_shape={self._dense_shape!s}" if self._dense_shape is not None else ""
        return f"IndexedSlices(indices={self._indices!s}, values={self._values!s}{shape})"

    def __tf_tensor__(self, dtype: Any = None, name: Any = None) -> Tensor:
        """The dense tensor (TF's conversion: values of repeated indices are summed)."""
        if dtype is not None and not _dtypes.as_dtype(dtype).is_compatible_with(self.dtype):
            raise ValueError(f"Incompatible tensor conversion requested to `dtype` {_dtypes.as_dtype(dtype).name} for "
                             f"IndexedSlices ({self}) with dtype {self.dtype.name}")
        if self._dense_shape is None:
            raise ValueError("Tensor conversion requested for IndexedSlices for argument `value` without dense_shape: "
                             f"{self!s}")
        values = convert_to_tensor(self._values)
        indices = convert_to_tensor(self._indices)
        rows = int(np.asarray(convert_to_tensor(self._dense_shape)._numpy()).reshape(-1)[0])
        return OPS["UnsortedSegmentSum"](values, indices, num_segments=rows)  # differentiable, on values' device


def _key(shape: TensorShape) -> Any:
    return None if shape.rank is None else tuple(shape.as_list())


class IndexedSlicesSpec(TypeSpec):
    """Describes an ``IndexedSlices`` (``tf.IndexedSlicesSpec``): dense shape, dtypes of its parts, indices shape."""

    __slots__ = ("_shape", "_dtype", "_indices_dtype", "_dense_shape_dtype", "_indices_shape")

    def __init__(self, shape: Any = None, dtype: Any = _dtypes.float32, indices_dtype: Any = _dtypes.int64,
                 dense_shape_dtype: Any = None, indices_shape: Any = None) -> None:
        self._shape = as_shape(shape)
        self._dtype = _dtypes.as_dtype(dtype)
        self._indices_dtype = _dtypes.as_dtype(indices_dtype)
        self._dense_shape_dtype = None if dense_shape_dtype is None else _dtypes.as_dtype(dense_shape_dtype)
        self._indices_shape = as_shape(indices_shape).with_rank(1)

    @property
    def value_type(self) -> type:
        """The class of the values this spec describes: ``tf.IndexedSlices``."""
        return IndexedSlices

    def _serialize(self) -> tuple:
        return (self._shape, self._dtype, self._indices_dtype, self._dense_shape_dtype, self._indices_shape)

    def is_compatible_with(self, spec_or_value: Any) -> bool:
        """Whether a spec or an ``IndexedSlices`` has these dtypes and compatible shapes."""
        other = spec_or_value
        if isinstance(other, IndexedSlices):
            other = other._type_spec
        if type(other) is not type(self):
            return False
        return (self._dtype is other._dtype and self._indices_dtype is other._indices_dtype
                and self._dense_shape_dtype is other._dense_shape_dtype
                and self._shape.is_compatible_with(other._shape)
                and self._indices_shape.is_compatible_with(other._indices_shape))

    def __eq__(self, other: Any) -> bool:
        return type(other) is type(self) and self._key() == other._key()

    def __ne__(self, other: Any) -> bool:
        return not self == other

    def _key(self) -> tuple:
        return (_key(self._shape), self._dtype, self._indices_dtype, self._dense_shape_dtype, _key(self._indices_shape))

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return "IndexedSlicesSpec(" + ", ".join(repr(p) for p in self._serialize()) + ")"
