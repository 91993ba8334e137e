"""``tf.experimental.DynamicRaggedShape``: what ``tf.shape`` gives for a RaggedTensor (its row partitions and the
shape of its flat values), with the eager parts of TF's API: printing, ``rank``, ``num_row_partitions``,
``inner_shape``, ``static_lengths``, ``is_uniform``, indexing uniform dimensions, and ``tf.ones`` / ``tf.zeros`` /
``tf.fill`` of such a shape (``tf.reshape`` to one is not supported yet).

>>> rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
>>> tf.shape(rt)
<DynamicRaggedShape lengths=[3, (2, 1, 3)] num_row_partitions=1>
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor
from .. import dispatch as _dispatch
from ..array import create as _create
from ..convert import tensor as _tensor
from .tensor import RaggedTensor


class DynamicRaggedShape:
    """The shape of a RaggedTensor: one row partition per ragged (or uniform) partitioned dimension, then the
    shape of the flat values (``inner_shape``)."""

    __slots__ = ("_splits", "_uniform", "_nrows", "_inner", "_dtype")

    def __init__(self, splits: list, uniform: list, nrows: int, inner: tuple, dtype: Any) -> None:
        self._splits = splits  # row splits per partition, outermost first, as host arrays of ``dtype``
        self._uniform = uniform  # per partition: its uniform row length, or None when rows differ
        self._nrows = nrows
        self._inner = inner  # the flat values' shape: (nvals, *inner dims)
        self._dtype = dtype

    @classmethod
    def from_tensor(cls, rt: Any, dtype: Any = _dtypes.int64) -> DynamicRaggedShape:
        """The shape of ``rt`` (a RaggedTensor), its lengths in ``dtype`` (int32 or int64)."""
        dtype = _dtypes.as_dtype(dtype)
        splits, uniform = [], []
        level = rt
        while isinstance(level, RaggedTensor):
            splits.append(np.asarray(level.row_splits.numpy(), dtype._np))
            uniform.append(level._uniform_row_length)
            level = level.values
        return cls(splits, uniform, len(splits[0]) - 1, tuple(level.shape.as_list()), dtype)

    @property
    def dtype(self) -> Any:
        """The dtype of the lengths (int32 or int64)."""
        return self._dtype

    @property
    def num_row_partitions(self) -> int:
        """The number of partitioned dimensions."""
        return len(self._splits)

    @property
    def rank(self) -> int:
        """The number of dimensions."""
        return self.num_row_partitions + len(self._inner)

    @property
    def inner_shape(self) -> Tensor:
        """The shape of the flat values."""
        return _tensor(np.asarray(self._inner, self._dtype._np))

    def is_uniform(self, axis: int) -> bool:
        """Whether every row has the same length along ``axis``."""
        if not isinstance(axis, int):
            raise TypeError("axis must be an integer")
        if axis < 0:
            raise IndexError("Negative axis values are not supported")
        if axis >= self.rank:
            raise IndexError(f"Expected axis={axis} < rank={self.rank}")
        return axis == 0 or axis > self.num_row_partitions or self._uniform[axis - 1] is not None

    def static_lengths(self, ragged_lengths: bool = True) -> list:
        """The lengths: rows, then per partition its uniform length or its row lengths (None when
        ``ragged_lengths`` is False), then the inner dimensions."""
        lengths: list = [self._nrows]
        for splits, uniform in zip(self._splits, self._uniform):
            if uniform is not None:
                lengths.append(np.asarray(uniform, self._dtype._np)[()])  # TF gives the partition's scalar: a NumPy integer
            else:
                lengths.append(tuple(np.diff(splits).tolist()) if ragged_lengths else None)
        return lengths + list(self._inner[1:])

    def __getitem__(self, index: Any) -> Tensor:
        if isinstance(index, slice):
            raise NotImplementedError("slicing a DynamicRaggedShape is not supported")
        if not isinstance(index, int):
            raise TypeError("Argument is not an int or a slice")
        rank = self.rank
        if index < 0:
            index += rank
        partitions = self.num_row_partitions
        if index > partitions + 1 and index >= rank:
            raise IndexError(f"Index is too big: {index}>={rank}")
        if index < 0:
            raise IndexError(f"Index must be non-negative: {index}")
        if not self.is_uniform(index):
            raise ValueError(f"Index {index} is not uniform")
        if index == 0:
            value = self._nrows
        elif index > partitions:
            value = self._inner[index - partitions]
        else:
            value = self._uniform[index - 1]
        return _tensor(np.asarray(value, self._dtype._np))

    def __iter__(self) -> Any:
        raise TypeError("'DynamicRaggedShape' object is not iterable")

    def __repr__(self) -> str:
        return (f"<DynamicRaggedShape lengths=[{', '.join(str(x) for x in self.static_lengths())}] "
                f"num_row_partitions={self.num_row_partitions}>")

    def _filled(self, fill: Any, dtype: Any) -> RaggedTensor:
        """A RaggedTensor of this shape holding ``fill(flat shape, dtype)``."""
        result = fill(list(self._inner), dtype=dtype)
        for splits, uniform in zip(reversed(self._splits), reversed(self._uniform)):
            result = RaggedTensor(result, _tensor(splits), internal=True, uniform_row_length=uniform)
        return result


def shape(input: Any, out_type: Any = None, name: str | None = None) -> DynamicRaggedShape:  # noqa: A002
    """``tf.shape`` of a RaggedTensor (int32 lengths by default, as TF's)."""
    return DynamicRaggedShape.from_tensor(input, _dtypes.int32 if out_type is None else out_type)


def ones(shape: DynamicRaggedShape, dtype: Any = _dtypes.float32, name: str | None = None,
         layout: Any = None) -> RaggedTensor:
    """``tf.ones`` of a DynamicRaggedShape: a RaggedTensor of ones with its partitions."""
    return shape._filled(_create.ones, dtype)


def zeros(shape: DynamicRaggedShape, dtype: Any = _dtypes.float32, name: str | None = None,
          layout: Any = None) -> RaggedTensor:
    """``tf.zeros`` of a DynamicRaggedShape: a RaggedTensor of zeros with its partitions."""
    return shape._filled(_create.zeros, dtype)


def fill(dims: DynamicRaggedShape, value: Any, name: str | None = None, layout: Any = None) -> RaggedTensor:
    """``tf.fill`` of a DynamicRaggedShape: a RaggedTensor of ``value`` with its partitions."""
    return dims._filled(lambda flat_shape, dtype: _create.fill(flat_shape, value), None)


_dispatch.dispatch_for_api(_create.fill, {"dims": DynamicRaggedShape})(fill)
_dispatch.dispatch_for_api(_create.ones, {"shape": DynamicRaggedShape})(ones)
_dispatch.dispatch_for_api(_create.zeros, {"shape": DynamicRaggedShape})(zeros)
