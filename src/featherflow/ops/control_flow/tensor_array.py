"""``tf.TensorArray`` as TF runs it eagerly: a Python list of tensors.

Every value goes in and comes out through registered ops (``Unpack``, ``Pack``, ``ConcatV2``, ``SplitV``), and
``read``/``write`` hand the tensor itself back, so a ``GradientTape`` sees through a TensorArray as TF's
does (TF's eager TensorArray is the same list; its ``grad`` is unsupported there too).

>>> import featherflow as tf
>>> ta = tf.TensorArray(tf.float32, size=2).write(0, 1.0).write(1, 2.0)
>>> ta.stack().numpy()
array([1., 2.], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...errors import InvalidArgumentError, OutOfRangeError
from ...shape import TensorShape, as_shape
from ...tensor import Tensor, constant, convert_to_tensor
from ...tensor_spec import TypeSpec
from ..array.core import stack, unstack
from ..array.create import zeros
from ..array.join import concat
from ..array.join import split as _split


def _host_index(index: Any) -> Any:
    """An index as a host value (TF reads an index tensor with ``.numpy()`` too: a host copy on a GPU)."""
    return index.numpy() if isinstance(index, Tensor) else index


class TensorArray:
    """A list of tensors of one dtype that loops write into and read from (``tf.TensorArray``)."""

    def __init__(self, dtype: Any, size: Any = None, dynamic_size: bool | None = None,
                 clear_after_read: bool | None = None, tensor_array_name: str | None = None, handle: Any = None,
                 flow: Any = None, infer_shape: bool = True, element_shape: Any = None,
                 colocate_with_first_write_call: bool = True, name: str | None = None) -> None:
        del flow, tensor_array_name, name  # no graph: nothing to name or thread through
        if handle is not None:
            raise ValueError("TensorArray handles are not supported when eager execution is enabled.")
        if size is None:
            raise ValueError("Size must be declared for TensorArrays when eager execution is enabled.")
        self._infer_shape = infer_shape
        self._element_shape = as_shape(element_shape)
        self._colocate_with_first_write_call = colocate_with_first_write_call
        self._dtype = _dtypes.as_dtype(dtype).base_dtype
        self._dynamic_size = dynamic_size or False
        self._clear_after_read = True if clear_after_read is None else clear_after_read
        self._previously_read_indices: list[int] = []
        self._tensor_array: list = [None for _ in range(int(_host_index(size)))]

    @property
    def flow(self) -> Tensor:
        """The flow tensor (a constant 0: eager TensorArrays need no data dependency); made when asked for, so
        that a TensorArray costs no upload to an accelerator."""
        return constant(0, dtype=_dtypes.int32)

    @property
    def dtype(self) -> _dtypes.DType:
        """The dtype of the elements."""
        return self._dtype

    @property
    def handle(self) -> None:
        """None: an eager TensorArray has no resource handle."""
        return None

    @property
    def element_shape(self) -> TensorShape:
        """The shape every element has (merged from the writes when ``infer_shape``)."""
        return self._element_shape

    @property
    def dynamic_size(self) -> bool:
        """Whether writes past the end grow the array."""
        return self._dynamic_size

    def identity(self) -> TensorArray:
        """This TensorArray (eagerly there is no flow to renew)."""
        return self

    def grad(self, source: Any, flow: Any = None, name: str | None = None) -> Any:
        """Unsupported eagerly, as in TF: the tape differentiates through the ops instead."""
        raise NotImplementedError(
            "TensorArray.grad is not supported when executing eagerly; eager's gradient implementation does not "
            "use/need this function to compute gradients of operations that use TensorArrays.")

    def read(self, index: Any, name: str | None = None) -> Tensor:
        """The tensor at ``index`` (zeros of the element shape if never written)."""
        index = _host_index(index)
        if index < 0:
            raise OutOfRangeError(None, None, f"Reading from negative indices (index {index}) is not allowed.")
        if index >= len(self._tensor_array):
            raise OutOfRangeError(None, None, f"Tried to read from index {index} but array size is: "
                                                  f"{len(self._tensor_array)} ")
        value = self._tensor_array[index]
        if value is None:
            if index in self._previously_read_indices:
                raise InvalidArgumentError(
                    None, None, f"Could not read index {index} twice because it was cleared after a previous read "
                                "(perhaps try setting clear_after_read = false?)")
            value = self._maybe_zero(index)
        if self._clear_after_read:
            self._tensor_array[index] = None
            self._previously_read_indices.append(index)
        return value

    def _write(self, index: Any, value: Any) -> None:
        index = _host_index(index)
        if index < 0:
            raise OutOfRangeError(None, None, f"Writing to negative indices (index {index}) is not allowed.")
        size = len(self._tensor_array)
        if index >= size:
            if not self._dynamic_size:
                raise OutOfRangeError(None, None, f"Tried to write to index {index} but array is not resizeable "
                                                  f"and size is: {size} ")
            self._tensor_array.extend(None for _ in range(index - size + 1))
        if not isinstance(value, Tensor):
            value = convert_to_tensor(value, dtype_hint=self._dtype)
        if self._dtype is not value.dtype:
            raise InvalidArgumentError(None, None, f"TensorArray dtype is {self._dtype.name} but Op is trying to "
                                                   f"write dtype {value.dtype.name} ")
        if not self._element_shape.is_compatible_with(value.shape):
            raise ValueError(f"Incompatible shape for value ({value.shape}), expected ({self._element_shape})")
        if self._infer_shape:
            self._element_shape = self._element_shape.merge_with(value.shape)
        self._tensor_array[index] = value

    def write(self, index: Any, value: Any, name: str | None = None) -> TensorArray:
        """Writes ``value`` at ``index`` (TF eagerly lets a later write replace an earlier one)."""
        self._write(index, value)
        return self

    def _maybe_zero(self, ix: int) -> Tensor:
        value = self._tensor_array[ix]
        if value is None:
            if not self._element_shape.is_fully_defined():  # TF's zeros(shape=element_shape) refuses it
                raise ValueError(f"Cannot convert a partially known TensorShape {self._element_shape} to a Tensor.")
            value = self._tensor_array[ix] = zeros(self._element_shape.as_list(), dtype=self._dtype)
        return value

    def stack(self, name: str | None = None) -> Tensor:
        """The elements stacked along a new first axis."""
        for ix in range(len(self._tensor_array)):
            self._maybe_zero(ix)
        if not self._tensor_array:
            if self._element_shape.is_fully_defined():
                return zeros([0] + self._element_shape.as_list(), dtype=self._dtype)
            return convert_to_tensor(np.zeros([0], self._dtype.as_numpy_dtype))
        return stack(self._tensor_array, name="packed")  # TF converts the list: its Pack is "packed"

    def gather(self, indices: Any, name: str | None = None) -> Tensor:
        """The elements at ``indices``, stacked."""
        indices = _host_index(indices)
        return stack([self._maybe_zero(i) for i in indices])

    def concat(self, name: str | None = None) -> Tensor:
        """The elements concatenated along their first axis."""
        parts = [self._maybe_zero(ix) for ix in range(len(self._tensor_array))]
        ndims = [p.shape.ndims for p in parts]
        if 0 in ndims:  # TF's ConcatV2 error, reworded by TensorArray.concat
            raise InvalidArgumentError(None, None, f"Concat saw a scalar shape at index {ndims.index(0)} but "
                                                   "requires at least vectors.")
        if not parts:  # TF's ConcatV2 of no inputs finds no kernel
            raise InvalidArgumentError(None, None, "OpKernel 'ConcatV2' has constraint on attr 'T' not in NodeDef "
                                                   "'[N=0, Tidx=DT_INT32]' [Op:ConcatV2] name: concat")
        return concat(parts, 0)

    def unstack(self, value: Any, name: str | None = None) -> TensorArray:
        """Replaces the elements by the slices of ``value`` along its first axis."""
        tensors = unstack(value)
        if len(tensors) > len(self._tensor_array) and not self._dynamic_size:
            raise ValueError(f"Cannot unstack {len(tensors)} tensors into a TensorArray of static size "
                             f"{len(self._tensor_array)} ")
        self._tensor_array = tensors
        return self

    def scatter(self, indices: Any, value: Any, name: str | None = None) -> TensorArray:
        """Writes the slices of ``value`` along its first axis at ``indices``."""
        indices = _host_index(indices)
        for index, val in zip(indices, unstack(value)):
            self._write(index, val)
        return self

    def split(self, value: Any, lengths: Any, name: str | None = None) -> TensorArray:
        """Replaces the elements by the pieces of ``value`` of the given ``lengths`` along its first axis."""
        value = convert_to_tensor(value, dtype_hint=self._dtype)
        # TF reads the lengths on the host; a Python list stays there
        lengths = lengths.numpy() if isinstance(lengths, Tensor) else np.asarray(lengths)
        if lengths.ndim != 1:
            raise InvalidArgumentError(None, None, "Expected lengths to be a vector, received shape: "
                                                   f"{list(lengths.shape)} ")
        sum_lengths = int(lengths.sum())
        if value.shape.ndims == 0:
            raise InvalidArgumentError(None, None, "Expected value to be at least a vector, but received "
                                                   f"shape: {value.shape.as_list()} ")
        if sum_lengths != value.shape.as_list()[0]:
            raise InvalidArgumentError(None, None, "Expected sum of lengths to be equal to values.shape[0], but sum "
                                                   f"of lengths is {sum_lengths} and value's shape is: "
                                                   f"{value.shape.as_list()} ")
        if not self._dynamic_size and lengths.shape[0] != len(self._tensor_array):
            raise InvalidArgumentError(None, None, "TensorArray's size is not equal to the size of lengths "
                                                   f"({len(self._tensor_array)} vs. {len(lengths)}), and the "
                                                   "TensorArray is not marked as dynamically resizeable.")
        self._tensor_array = _split(value, [int(n) for n in lengths])
        return self

    def size(self, name: str | None = None) -> Tensor:
        """The number of elements, as an int32 scalar."""
        return constant(len(self._tensor_array))

    def close(self, name: str | None = None) -> None:
        """Drops every element."""
        del self._tensor_array[:]


class TensorArraySpec(TypeSpec):
    """The type of a TensorArray: element shape, dtype, dynamic_size and infer_shape (``tf.TensorArraySpec``)."""

    __slots__ = ("_element_shape", "_dtype", "_dynamic_size", "_infer_shape")

    def __init__(self, element_shape: Any = None, dtype: Any = _dtypes.float32, dynamic_size: bool = False,
                 infer_shape: bool = True) -> None:
        self._element_shape = as_shape(element_shape)
        self._dtype = _dtypes.as_dtype(dtype)
        self._dynamic_size = dynamic_size
        self._infer_shape = infer_shape

    value_type = property(lambda self: TensorArray)

    @staticmethod
    def from_value(value: Any) -> TensorArraySpec:
        """The spec of a TensorArray."""
        if not isinstance(value, TensorArray):
            raise TypeError(f"Expected value to be a TensorArray, but got: `{type(value)}`")
        return TensorArraySpec(dtype=value.dtype, element_shape=value.element_shape,
                               dynamic_size=value.dynamic_size, infer_shape=value._infer_shape)

    def is_compatible_with(self, other: Any) -> bool:
        """Same dtype and dynamic_size, compatible element shapes (infer_shape is left out, as in TF)."""
        if isinstance(other, TensorArray):
            other = TensorArraySpec.from_value(other)
        return (isinstance(other, TensorArraySpec) and self._dtype is other._dtype
                and self._element_shape.is_compatible_with(other._element_shape)
                and self._dynamic_size == other._dynamic_size)

    def is_subtype_of(self, other: Any) -> bool:
        """Whether ``other`` is a TensorArraySpec of the same dtype and dynamic_size."""
        return (isinstance(other, TensorArraySpec) and self._dtype is other._dtype
                and self._dynamic_size == other._dynamic_size)

    def _serialize(self) -> tuple:
        return (self._element_shape, self._dtype, self._dynamic_size, self._infer_shape)

    def __eq__(self, other: Any) -> bool:
        return type(other) is TensorArraySpec and self._serialize() == other._serialize()

    def __hash__(self) -> int:
        return hash(self._serialize())

    def __repr__(self) -> str:
        shape, dtype, dynamic, infer = self._serialize()
        return f"TensorArraySpec({shape!r}, {dtype!r}, {dynamic}, {infer})"

