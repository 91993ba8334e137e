"""``tf.RaggedTensor``: rows of different lengths, as ``values`` (a Tensor or a RaggedTensor) cut by
``row_splits`` (an int64 or int32 Tensor). Values and partitions are Tensors made by registered ops, so a
ragged tensor lives on the device its parts were made on.

>>> import featherflow as tf
>>> rt = tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 2, 3])
>>> rt
<tf.RaggedTensor [[1, 2], [3]]>
>>> rt.to_tensor(default_value=-1).numpy().tolist()
[[1, 2], [3, -1]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...shape import TensorShape
from ...tensor import Tensor
from ..convert import tensor as _tensor
from . import _partition as P

# What the modules of this package that build on the class provide to its methods (conversions, indexing,
# printing, operators): they fill this in when the package is imported, so the class imports none of them.
_IMPL: dict[str, Any] = {}


def _values_arg(values: Any) -> Any:
    return values if isinstance(values, RaggedTensor) else _tensor(values)


def _nrows_of(values: Any) -> int:
    """The static number of rows of a Tensor or RaggedTensor."""
    if isinstance(values, RaggedTensor):
        return P.count(values._row_splits) - 1
    if values._value.ndim == 0:
        raise ValueError("values must have rank at least 1")
    return int(values._value.shape[0])


class RaggedTensor:
    """A tensor whose rows (along one or more inner dimensions) have different lengths (``tf.RaggedTensor``)."""

    is_tensor_like = True  # TF's protocol: tf.is_tensor is True

    __slots__ = ("_values", "_row_splits", "_uniform_row_length", "__weakref__")

    def __init__(self, values: Any, row_splits: Any, internal: bool = False, uniform_row_length: int | None = None
                 ) -> None:
        if not internal:
            raise ValueError("RaggedTensor constructor is private; please use one of the factory methods instead "
                             "(e.g., RaggedTensor.from_row_lengths())")
        self._values = values
        self._row_splits = row_splits
        self._uniform_row_length = uniform_row_length  # rows known to have one length: a static dimension

    # --- factories ------------------------------------------------------------------------------

    @classmethod
    def _checked(cls, values: Any, splits: Tensor, validate: bool, uniform: int | None = None) -> RaggedTensor:
        if isinstance(values, RaggedTensor) and values._row_splits._dtype is not splits._dtype:
            raise ValueError("dtype mismatch: values.row_splits.dtype != row_splits.dtype; use "
                             "RaggedTensor.with_row_splits_dtype() to convert them to compatible dtypes.")
        if validate:
            P.check_nvals(splits, _nrows_of(values))
        return cls(values, splits, internal=True, uniform_row_length=uniform)

    @classmethod
    def from_uniform_rows(cls, values: Any, nrows: int, row_length: int) -> RaggedTensor:
        """``nrows`` rows of ``row_length`` values each (a dense dimension inside a ragged tensor)."""
        dtype = values._row_splits._dtype if isinstance(values, RaggedTensor) else _dtypes.int64
        return cls(values, P.uniform_splits(nrows, row_length, dtype), internal=True, uniform_row_length=row_length)

    @classmethod
    def from_row_splits(cls, values: Any, row_splits: Any, name: str | None = None,
                        validate: bool = True) -> RaggedTensor:
        """Rows ``values[row_splits[i]:row_splits[i + 1]]``.

        >>> RaggedTensor.from_row_splits([3, 1, 4, 1, 5], [0, 2, 2, 5]).to_list()
        [[3, 1], [], [4, 1, 5]]
        """
        values = _values_arg(values)
        splits = P.as_index(row_splits, "row_splits")
        if P.count(splits) == 0:
            raise ValueError("row_splits tensor may not be empty.")
        if validate:
            P.check_splits(splits, _nrows_of(values))
        return cls._checked(values, splits, False)

    @classmethod
    def from_row_lengths(cls, values: Any, row_lengths: Any, name: str | None = None,
                         validate: bool = True) -> RaggedTensor:
        """Rows of ``row_lengths[i]`` values each, in order."""
        values = _values_arg(values)
        lengths = P.as_index(row_lengths, "row_lengths")
        if validate:
            P.check_lengths(lengths)
        return cls._checked(values, P.splits_from_lengths(lengths), validate)

    @classmethod
    def from_value_rowids(cls, values: Any, value_rowids: Any, nrows: Any = None, name: str | None = None,
                          validate: bool = True) -> RaggedTensor:
        """Value ``j`` goes to row ``value_rowids[j]`` (ids sorted); ``nrows`` rows (default: the last id + 1)."""
        from ..math import segment as _segment

        values = _values_arg(values)
        ids = P.as_index(value_rowids, "value_rowids")
        if validate and P.count(ids) != _nrows_of(values):
            raise ValueError(f"Shapes ({_nrows_of(values)},) and ({P.count(ids)},) are incompatible")
        n = None if nrows is None else int(np.asarray(nrows.numpy() if isinstance(nrows, Tensor) else nrows))
        if validate:
            P.check_rowids(ids, n)
        if n is None:
            n = P.host_int(P.nvals(ids)) + 1 if P.count(ids) else 0
        lengths = _segment.unsorted_segment_sum(P._m.ones_like_op(ids), ids, n)
        return cls._checked(values, P.splits_from_lengths(lengths), False)

    @classmethod
    def from_row_starts(cls, values: Any, row_starts: Any, name: str | None = None,
                        validate: bool = True) -> RaggedTensor:
        """Rows starting at ``row_starts[i]`` (the first must be 0), each ending where the next starts."""
        values = _values_arg(values)
        starts = P.as_index(row_starts, "row_starts")
        end = P._create.fill([1], np.asarray(_nrows_of(values), starts._dtype._np))
        splits = P._join.concat([starts, end], 0)
        if validate:
            P.check_splits(splits, _nrows_of(values), "from_row_starts")
        return cls._checked(values, splits, False)

    @classmethod
    def from_row_limits(cls, values: Any, row_limits: Any, name: str | None = None,
                        validate: bool = True) -> RaggedTensor:
        """Rows ending at ``row_limits[i]``, each starting where the previous ends."""
        values = _values_arg(values)
        limits = P.as_index(row_limits, "row_limits")
        splits = P._join.concat([P._create.zeros([1], limits._dtype), limits], 0)
        if validate:
            P.check_splits(splits, _nrows_of(values), "from_row_limits")
        return cls._checked(values, splits, False)

    @classmethod
    def from_uniform_row_length(cls, values: Any, uniform_row_length: Any, nrows: Any = None,
                                validate: bool = True, name: str | None = None) -> RaggedTensor:
        """Rows of ``uniform_row_length`` values each: a uniform (dense) dimension of a ragged tensor."""
        values = _values_arg(values)
        length = int(np.asarray(uniform_row_length.numpy() if isinstance(uniform_row_length, Tensor)
                                else uniform_row_length))
        nvals = _nrows_of(values)
        if nrows is None:
            n = nvals // length if length else 0
        else:
            n = int(np.asarray(nrows.numpy() if isinstance(nrows, Tensor) else nrows))
        if validate and length * n != nvals:
            raise ValueError(f"uniform_row_length={length} times nrows={n} must equal nvals={nvals}")
        dtype = values._row_splits._dtype if isinstance(values, RaggedTensor) else _dtypes.int64
        return cls(values, P.uniform_splits(n, length, dtype), internal=True, uniform_row_length=length)

    @classmethod
    def from_nested_row_splits(cls, flat_values: Any, nested_row_splits: Any, name: str | None = None,
                               validate: bool = True) -> RaggedTensor:
        """``from_row_splits`` applied for each splits tensor, innermost last."""
        if isinstance(nested_row_splits, Tensor):
            raise TypeError("nested_row_splits must be a list of Tensors")
        result = _values_arg(flat_values)
        for splits in reversed(list(nested_row_splits)):
            result = cls.from_row_splits(result, splits, validate=validate)
        return result

    @classmethod
    def from_nested_row_lengths(cls, flat_values: Any, nested_row_lengths: Any, name: str | None = None,
                                validate: bool = True) -> RaggedTensor:
        """``from_row_lengths`` applied for each lengths tensor, innermost last."""
        if isinstance(nested_row_lengths, Tensor):
            raise TypeError("nested_row_lengths must be a list of Tensors")
        result = _values_arg(flat_values)
        for lengths in reversed(list(nested_row_lengths)):
            result = cls.from_row_lengths(result, lengths, validate=validate)
        return result

    @classmethod
    def from_nested_value_rowids(cls, flat_values: Any, nested_value_rowids: Any, nested_nrows: Any = None,
                                 name: str | None = None, validate: bool = True) -> RaggedTensor:
        """``from_value_rowids`` applied for each row-ids tensor (and ``nrows``), innermost last."""
        if isinstance(nested_value_rowids, Tensor):
            raise TypeError("nested_value_rowids must be a list of Tensors")
        ids = list(nested_value_rowids)
        nrows = [None] * len(ids) if nested_nrows is None else list(nested_nrows)
        if len(nrows) != len(ids):
            raise ValueError("Argument `nested_nrows` must have the same length as argument `nested_value_rowids`. "
                             f"len(nested_nrows) = {len(nrows)} vs. len(nested_values_rowids) = {len(ids)}.")
        result = _values_arg(flat_values)
        for rowid, n in reversed(list(zip(ids, nrows))):
            result = cls.from_value_rowids(result, rowid, n, validate=validate)
        return result

    @classmethod
    def from_tensor(cls, tensor: Any, lengths: Any = None, padding: Any = None, ragged_rank: int = 1,
                    name: str | None = None, row_splits_dtype: Any = _dtypes.int64) -> RaggedTensor:
        """A ragged tensor from a dense one; ``lengths`` or ``padding`` (trailing values dropped) cut its rows."""
        return _IMPL["from_tensor"](tensor, lengths, padding, ragged_rank, _dtypes.as_dtype(row_splits_dtype))

    @classmethod
    def from_sparse(cls, st_input: Any, name: str | None = None, row_splits_dtype: Any = _dtypes.int64
                    ) -> RaggedTensor:
        """A ragged tensor from a 2-D SparseTensor in row-major order (each row's values packed to the left)."""
        return _IMPL["from_sparse"](st_input, _dtypes.as_dtype(row_splits_dtype))

    # --- properties -----------------------------------------------------------------------------

    @property
    def values(self) -> Any:
        """The concatenation of the rows (one ragged dimension less)."""
        return self._values

    @property
    def row_splits(self) -> Tensor:
        """Where each row starts and ends in ``values``."""
        return self._row_splits

    @property
    def flat_values(self) -> Tensor:
        """The innermost values: a Tensor."""
        values = self._values
        while isinstance(values, RaggedTensor):
            values = values._values
        return values

    @property
    def nested_row_splits(self) -> tuple:
        """The row splits of each ragged dimension, outermost first."""
        splits = [self._row_splits]
        values = self._values
        while isinstance(values, RaggedTensor):
            splits.append(values._row_splits)
            values = values._values
        return tuple(splits)

    @property
    def dtype(self) -> Any:
        """The dtype of the values."""
        return self.flat_values.dtype

    @property
    def row_splits_dtype(self) -> Any:
        """int64 or int32."""
        return self._row_splits._dtype

    @property
    def ragged_rank(self) -> int:
        """The number of partitioned dimensions."""
        return len(self.nested_row_splits)

    @property
    def uniform_row_length(self) -> Tensor | None:
        """The length of every row when the rows are uniform (``from_uniform_row_length``), else None."""
        if self._uniform_row_length is None:
            return None
        return P.scalar(self._uniform_row_length, self._row_splits)

    @property
    def shape(self) -> TensorShape:
        """The static shape: None for ragged dimensions."""
        dims: list = [P.count(self._row_splits) - 1]
        rt: Any = self
        while isinstance(rt, RaggedTensor):
            dims.append(rt._uniform_row_length)
            rt = rt._values
        return TensorShape(dims + rt.shape.as_list()[1:])

    def get_shape(self) -> TensorShape:
        """The static shape (as ``shape``)."""
        return self.shape

    @property
    def _ndim(self) -> int:
        """The number of dimensions."""
        return self.ragged_rank + self.flat_values._value.ndim

    @property
    def device(self) -> str:
        """The device of the values."""
        return self.flat_values.device

    def nrows(self, out_type: Any = None, name: str | None = None) -> Tensor:
        """The number of rows, as a 0-d Tensor (of the row splits' dtype, or ``out_type``)."""
        n = P.scalar(P.count(self._row_splits) - 1, self._row_splits)
        return n if out_type is None else P.cast(n, _dtypes.as_dtype(out_type))

    def row_lengths(self, axis: int = 1, name: str | None = None) -> Any:
        """The length of each row (``axis`` 1), or of the rows of an inner ragged dimension."""
        if axis == 0:
            return self.nrows()
        if axis == 1:
            return P.lengths(self._row_splits)
        if axis < 0:
            raise ValueError("axis may not be negative")  # (TF resolves it against the rank; we keep it explicit)
        if not isinstance(self._values, RaggedTensor):
            raise ValueError(f"axis={axis} out of bounds: the ragged dimensions are 1..{self.ragged_rank}")
        return self.with_values(self._values.row_lengths(axis - 1))

    def nested_row_lengths(self, name: str | None = None) -> tuple:
        """The row lengths of each ragged dimension, outermost first."""
        return tuple(P.lengths(s) for s in self.nested_row_splits)

    def value_rowids(self, name: str | None = None) -> Tensor:
        """The row of each value."""
        return P.rowids(self._row_splits, _nrows_of(self._values))

    def nested_value_rowids(self, name: str | None = None) -> tuple:
        """The row ids of each ragged dimension, outermost first."""
        out = [self.value_rowids()]
        values = self._values
        while isinstance(values, RaggedTensor):
            out.append(values.value_rowids())
            values = values._values
        return tuple(out)

    def row_starts(self, name: str | None = None) -> Tensor:
        """Where each row starts in ``values``."""
        return P._slicing.getitem(self._row_splits, slice(None, -1))

    def row_limits(self, name: str | None = None) -> Tensor:
        """Where each row ends in ``values``."""
        return P._slicing.getitem(self._row_splits, slice(1, None))

    def bounding_shape(self, axis: Any = None, name: str | None = None, out_type: Any = None) -> Tensor:
        """The smallest dense shape that holds every row (int64, or ``out_type``)."""
        dims = _IMPL["bounding_shape"](self)
        dtype = self._row_splits._dtype if out_type is None else _dtypes.as_dtype(out_type)
        out = _tensor(np.asarray(dims, dtype=dtype._np))
        return out if axis is None else P._gather.gather(out, axis)

    # --- rebuilding -----------------------------------------------------------------------------

    def with_values(self, new_values: Any) -> RaggedTensor:
        """The same outer partition around ``new_values`` (of the same number of rows)."""
        new_values = _values_arg(new_values)
        if _nrows_of(new_values) != _nrows_of(self._values):
            raise ValueError(f"Shapes ({_nrows_of(self._values)},) and ({_nrows_of(new_values)},) are incompatible")
        splits = self._row_splits
        if isinstance(new_values, RaggedTensor) and new_values._row_splits._dtype is not splits._dtype:
            raise ValueError("Dtype mismatch: new_values.row_splits.dtype != self.row_splits.dtype; use "
                             "RaggedTensor.with_row_splits_dtype() to convert them to compatible dtypes.")
        return RaggedTensor(new_values, splits, internal=True, uniform_row_length=self._uniform_row_length)

    def with_flat_values(self, new_values: Any) -> RaggedTensor:
        """The same partitions around new flat values."""
        if isinstance(self._values, RaggedTensor):
            inner = self._values.with_flat_values(new_values)
        else:
            inner = _values_arg(new_values)
        return RaggedTensor(inner, self._row_splits, internal=True, uniform_row_length=self._uniform_row_length)

    def with_row_splits_dtype(self, dtype: Any) -> RaggedTensor:
        """The same tensor with int32 or int64 row partitions."""
        dtype = _dtypes.as_dtype(dtype)
        if dtype not in P._SPLIT_DTYPES:
            raise ValueError(f"dtype must be int32 or int64, but got {dtype!r}")
        values = self._values
        if isinstance(values, RaggedTensor):
            values = values.with_row_splits_dtype(dtype)
        return RaggedTensor(values, P.cast(self._row_splits, dtype), internal=True,
                            uniform_row_length=self._uniform_row_length)

    def merge_dims(self, outer_axis: int, inner_axis: int) -> Any:
        """Merges dimensions ``outer_axis`` to ``inner_axis`` (inclusive) into one."""
        return _IMPL["merge_dims"](self, outer_axis, inner_axis)

    # --- conversion -----------------------------------------------------------------------------

    def numpy(self) -> np.ndarray:
        """Rows as NumPy arrays: a 1-D object array of rows when lengths differ (TF's ``RaggedTensor.numpy``)."""
        return _IMPL["to_numpy"](self)

    def to_list(self) -> list:
        """Nested Python lists (a host transfer)."""
        splits = np.asarray(self._row_splits.numpy())
        values = self._values.to_list() if isinstance(self._values, RaggedTensor) else self._values.numpy().tolist()
        return [values[splits[i]:splits[i + 1]] for i in range(len(splits) - 1)]

    def to_tensor(self, default_value: Any = None, name: str | None = None, shape: Any = None) -> Tensor:
        """A dense tensor, rows padded with ``default_value`` (zero / empty string by default), cut or padded to
        ``shape`` where it is given."""
        return _IMPL["to_tensor"](self, default_value, shape)

    def to_sparse(self, name: str | None = None) -> Any:
        """A SparseTensor of the values at their (row, column, ...) positions."""
        return _IMPL["to_sparse"](self)

    @property
    def _type_spec(self) -> Any:
        return _IMPL["spec"].from_value(self)

    def _to_components(self) -> list:
        """TF's components of a RaggedTensor (what ``tf.nest`` expands it into): flat values, then each row splits."""
        return [self.flat_values, *self.nested_row_splits]

    def _gradient_tensors(self) -> list:
        """What a GradientTape differentiates for this value: its flat values."""
        return [self.flat_values]

    def _from_gradient_tensors(self, grads: list) -> Any:
        """The gradient as TF gives it: this tensor's partitions around the flat values' gradient (None: None)."""
        return None if grads[0] is None else self.with_flat_values(grads[0])

    def consumers(self) -> list:
        """Graph consumers: none in eager mode."""
        return []

    # --- indexing, printing, operators ----------------------------------------------------------

    def __getitem__(self, key: Any) -> Any:
        return _IMPL["getitem"](self, key)

    def __repr__(self) -> str:
        return f"<tf.RaggedTensor {_IMPL['to_text'](self)}>"

    __str__ = __repr__

    def __bool__(self) -> bool:
        raise TypeError("RaggedTensor may not be used as a boolean.")

    __nonzero__ = __bool__


def _operator(name: str, api_name: str, reflected: bool = False) -> None:
    def method(self: RaggedTensor, other: Any) -> Any:
        fn = _IMPL[api_name]
        return fn(other, self) if reflected else fn(self, other)

    method.__name__ = name
    setattr(RaggedTensor, name, method)


for _name, _api in (("add", "add"), ("sub", "subtract"), ("mul", "multiply"), ("truediv", "truediv"),
                    ("floordiv", "floordiv"), ("mod", "floormod"), ("pow", "pow"), ("and", "and_"),
                    ("or", "or_"), ("xor", "xor")):
    _operator(f"__{_name}__", _api)
    _operator(f"__r{_name}__", _api, reflected=True)
for _name, _api in (("lt", "less"), ("le", "less_equal"), ("gt", "greater"), ("ge", "greater_equal"),
                    ("eq", "equal"), ("ne", "not_equal")):
    _operator(f"__{_name}__", _api)


def _unary_operator(name: str, api_name: str) -> None:
    def method(self: RaggedTensor) -> Any:
        return _IMPL[api_name](self)

    method.__name__ = name
    setattr(RaggedTensor, name, method)


RaggedTensor.__hash__ = object.__hash__  # type: ignore[method-assign]  # (== is elementwise, as in TF)

for _name, _api in (("neg", "negative"), ("abs", "abs_"), ("invert", "invert")):
    _unary_operator(f"__{_name}__", _api)
