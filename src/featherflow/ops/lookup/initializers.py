"""Table initializers (``tf.lookup.KeyValueTensorInitializer``, ``TextFileInitializer``, ``TextFileIndex``) and
the kernel ``InitializeTableFromTextFileV2``, which reads a vocabulary file as TF's does.

>>> import featherflow as tf
>>> init = tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2])
>>> init.key_dtype, init.value_dtype
(tf.string, tf.int32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...dtypes import as_dtype as _as_dtype
from ...dtypes import int64 as _int64
from ...dtypes import string as _string
from ...errors import NotFoundError
from ...tensor import Tensor, kernel_error
from ..convert import tensor
from ..registry import register
from .kernels import TableResource, lookup_table_import_op

_op_uid = iter(range(1, 1 << 62))  # TF's ops.uid(): eager initializers get unique names


def check_table_dtypes(table: Any, key_dtype: Any, value_dtype: Any) -> None:
    """TF's check that an initializer's dtypes are the table's."""
    if key_dtype.base_dtype != table.key_dtype:
        raise TypeError(f"Invalid key dtype for table, expected {table.key_dtype} but got {key_dtype}.")
    if value_dtype.base_dtype != table.value_dtype:
        raise TypeError(f"Invalid value dtype for table, expected {table.value_dtype} but got {value_dtype}.")


class KeyValueDtypes:
    """The key and value dtypes that tables and their initializers declare."""

    def __init__(self, key_dtype: Any, value_dtype: Any) -> None:
        self._key_dtype = _as_dtype(key_dtype)
        self._value_dtype = _as_dtype(value_dtype)

    @property
    def key_dtype(self) -> Any:
        """The dtype of the keys."""
        return self._key_dtype

    @property
    def value_dtype(self) -> Any:
        """The dtype of the values."""
        return self._value_dtype


class TableInitializerBase(KeyValueDtypes):
    """The base of table initializers: the key and value dtypes, and ``initialize(table)``."""

    def initialize(self, table: Any) -> None:
        """Fills ``table`` (a ``tf.lookup`` table) with this initializer's entries."""
        raise NotImplementedError

    @property
    def _shared_name(self) -> str:
        return str(next(_op_uid))


class KeyValueTensorInitializer(TableInitializerBase):
    """A table's entries from a tensor of keys and one of values (``tf.lookup.KeyValueTensorInitializer``)."""

    def __init__(self, keys: Any, values: Any, key_dtype: Any = None, value_dtype: Any = None,
                 name: str | None = None) -> None:
        self._keys = tensor(keys, _as_dtype(key_dtype) if key_dtype is not None else None)
        self._values = tensor(values, _as_dtype(value_dtype) if value_dtype is not None else None)
        self._name = (name if name is not None else "key_value_init") + str(next(_op_uid))
        super().__init__(self._keys.dtype, self._values.dtype)

    def initialize(self, table: Any) -> None:
        """Imports the keys and values into ``table`` (TF's ``LookupTableImportV2``)."""
        check_table_dtypes(table, self._keys.dtype, self._values.dtype)
        lookup_table_import_op(self._keys, self._values, table=table._resource)


class TextFileIndex:
    """Special column indices of ``TextFileInitializer``: the whole line, or the line number."""

    WHOLE_LINE = -2
    LINE_NUMBER = -1


_PARSED = {"int64": "int64", "int32": "int32", "float32": "float", "float64": "double"}


def _parse(field: bytes, dtype: Any, line: int) -> Any:
    if dtype is _string:
        return field
    try:
        text = field.decode("ascii")
        if dtype.is_integer:
            value = int(text)
            info = np.iinfo(dtype.as_numpy_dtype)
            if not info.min <= value <= info.max:
                raise ValueError
            return value
        if dtype.is_floating:
            return float(text)
    except ValueError:
        pass
    raise kernel_error("InitializeTableFromTextFileV2",
                       f"Field {field.decode('utf-8', 'replace')} in line {line} is not a valid "
                       f"{_PARSED.get(dtype.name, dtype.name)}.")


def _column(fields: list, index: int, line_bytes: bytes, line: int, offset: int, dtype: Any) -> Any:
    if index == TextFileIndex.LINE_NUMBER:
        return line + offset
    if index == TextFileIndex.WHOLE_LINE:
        return _parse(line_bytes, dtype, line)
    return _parse(fields[index], dtype, line)


@register("InitializeTableFromTextFileV2", n_outputs=0, differentiable=False, host_only=True, inputs=("",))
def initialize_table_from_text_file_op(xp: Any, filename: Any, table: TableResource, key_index: int,
                                       value_index: int, vocab_size: int, delimiter: str, offset: int) -> Any:
    op = "InitializeTableFromTextFileV2"
    path = filename[()].decode("utf-8") if isinstance(filename[()], bytes) else str(filename[()])
    if len(delimiter) != 1:
        raise kernel_error(op, "delimiter should be only 1 char")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise kernel_error(op, f"{path}; No such file or directory", NotFoundError) from None
    sep = delimiter.encode("utf-8")
    need = max(key_index, value_index) + 1
    keys, values = [], []
    position = line = 0
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the final newline ends the last line; it does not start another
    for text in lines:
        if vocab_size != -1 and line >= vocab_size:
            break
        position += len(text) + 1
        if text.endswith(b"\r"):
            text = text[:-1]
        if not text:
            raise kernel_error(op, f"Invalid content in {path}: empty line found at position {position}.")
        fields = text.split(sep)
        if len(fields) < need:
            raise kernel_error(op, f"Invalid number of columns in {path} line {line} "
                                   f"({text.decode('utf-8', 'replace')}) : expected at least {need} got "
                                   f"{len(fields)}")
        keys.append(_column(fields, key_index, text, line, 0, table.key_dtype))
        values.append(_column(fields, value_index, text, line, offset, table.value_dtype))
        line += 1
    if vocab_size != -1 and line < vocab_size:
        raise kernel_error(op, f"Invalid vocab_size in {path}: expected {vocab_size} but got {line}")
    key_array = np.empty(len(keys), object if table.key_dtype is _string else table.key_dtype.as_numpy_dtype)
    key_array[:] = keys
    value_array = np.empty(len(values), object if table.value_dtype is _string
                           else table.value_dtype.as_numpy_dtype)
    value_array[:] = values
    lookup_table_import_op.forward(xp, key_array, value_array, table=table)
    return ()


class TextFileInitializer(TableInitializerBase):
    """A table's entries from the lines of a text file (``tf.lookup.TextFileInitializer``): the key and value
    are columns split at ``delimiter``, the whole line (``TextFileIndex.WHOLE_LINE``) or the line number
    (``TextFileIndex.LINE_NUMBER``)."""

    def __init__(self, filename: Any, key_dtype: Any, key_index: int, value_dtype: Any, value_index: int,
                 vocab_size: int | None = None, delimiter: str = "\t", name: str | None = None,
                 value_index_offset: int = 0) -> None:
        if not isinstance(filename, Tensor) and not filename:
            raise ValueError("`filename` argument required for tf.lookup.TextFileInitializer")
        key_dtype = _as_dtype(key_dtype)
        value_dtype = _as_dtype(value_dtype)
        if key_index < -2:
            raise ValueError(f"`key_index` should be >= -2, received: {key_index}.")
        if key_index == TextFileIndex.LINE_NUMBER and key_dtype != _int64:
            raise ValueError("`key_dtype` must be int64 if `key_index` is "
                             f"{TextFileIndex.LINE_NUMBER}, received: {key_dtype}")
        if key_index == TextFileIndex.WHOLE_LINE and not key_dtype.is_integer and key_dtype != _string:
            raise ValueError("`key_dtype` should be either integer or string for `key_index` "
                             f"{TextFileIndex.WHOLE_LINE}, received: {key_dtype}")
        if value_index < -2:
            raise ValueError(f"`value_index` should be >= -2, received: {value_index}")
        if value_index == TextFileIndex.LINE_NUMBER and value_dtype != _int64:
            raise ValueError("`value_dtype` must be int64 for `value_index` "
                             f"{TextFileIndex.LINE_NUMBER}, received: {value_dtype}")
        if value_index == TextFileIndex.WHOLE_LINE and not value_dtype.is_integer and value_dtype != _string:
            raise ValueError("`value_dtype` should be either integer or string for `value_index` "
                             f"{TextFileIndex.WHOLE_LINE}, received: {value_dtype}")
        if vocab_size is not None and vocab_size <= 0:
            raise ValueError(f"`vocab_size` should be > 0, received: {vocab_size}")
        self._filename_arg = filename
        self._key_index = key_index
        self._value_index = value_index
        self._vocab_size = vocab_size
        self._delimiter = delimiter
        self._name = name
        self._offset = value_index_offset
        super().__init__(key_dtype, value_dtype)

    def initialize(self, table: Any) -> None:
        """Reads the file into ``table`` (TF's ``InitializeTableFromTextFileV2``)."""
        check_table_dtypes(table, self.key_dtype, self.value_dtype)
        filename = tensor(self._filename_arg, _string)
        initialize_table_from_text_file_op(filename, table=table._resource, key_index=int(self._key_index),
                                           value_index=int(self._value_index),
                                           vocab_size=-1 if self._vocab_size is None else int(self._vocab_size),
                                           delimiter=self._delimiter, offset=int(self._offset))
