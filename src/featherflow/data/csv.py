"""``tf.data.experimental.CsvDataset``: the records of CSV files, one scalar per kept column, parsed as TF's
``CSVDatasetV2`` kernel parses them (RFC 4180 quotes, fields spanning lines, ``\\r\\n``, ``na_value``,
``select_cols`` / ``exclude_cols``, GZIP/ZLIB), with its errors. A bad record raises at iteration and the next
one is read after it (so ``ignore_errors`` skips just that record).

>>> import featherflow as tf, os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "a.csv")
>>> tf.io.write_file(path, 'n,x\\n1,"a,b"\\n2,\\n')
>>> [(int(n), x.numpy()) for n, x in tf.data.experimental.CsvDataset(path, [0, "-"], header=True)]
[(1, b'a,b'), (2, b'-')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..dtypes import DType
from ..dtypes import as_dtype as _as_dtype
from ..dtypes import float32 as _float32
from ..dtypes import float64 as _float64
from ..dtypes import int32 as _int32
from ..dtypes import int64 as _int64
from ..dtypes import string as _string
from ..errors import InvalidArgumentError, OpError
from ..ops.strings.core import _parse_number  # TF's strtod/strtol rules (whitespace, hex floats, nan)
from ..tensor import Tensor, _make_typed_host
from ..tensor_spec import TensorSpec
from ._resumable import StepIterator
from .dataset import UNKNOWN_CARDINALITY, Dataset
from .iterator import _op_message
from .transforms import next_error

_ACCEPTABLE = (_float32, _float64, _int32, _int64, _string)
_TYPE_NAMES = {_int32: "int32", _int64: "int64", _float32: "float", _float64: "double"}


def _as_csv_type(value: Any) -> DType | None:
    """The dtype ``value`` names when TF's ``value in _ACCEPTABLE_CSV_TYPES`` holds (DType equality converts the
    value: a number equal to a type enum, 9 or 9.0 for int64, or a type name, counts as that type)."""
    if isinstance(value, (Tensor, np.ndarray, list, tuple)):
        return None
    try:
        dtype = value if isinstance(value, DType) else _as_dtype(value)
    except (TypeError, ValueError, KeyError):
        return None
    return dtype if dtype in _ACCEPTABLE else None


def _defaults(record_defaults: Any) -> list:
    """(dtype, default value or None when the field is required) per output column."""
    from ..ops.convert import tensor

    out = []
    for i, value in enumerate(record_defaults):
        dtype = _as_csv_type(value)
        if dtype is not None:
            out.append((dtype, None))
            continue
        if isinstance(value, DType):
            raise ValueError(f"Attempt to convert a value ({value!r}) with an unsupported type ({type(value)}) to "
                             "a Tensor.")
        t = value if isinstance(value, Tensor) else tensor(value)
        array = np.asarray(t.numpy())
        out.append((t.dtype, array, i))
    return out


def _check(defaults: list, spec: tuple, select: list, exclude: list, field_delim: str) -> None:
    def refuse(text: str) -> InvalidArgumentError:
        return InvalidArgumentError(None, None, _op_message("CSVDatasetV2", spec, text))

    for i, entry in enumerate(defaults):
        if entry[1] is None:
            continue
        if entry[1].ndim > 1:
            raise refuse("Each record default should be at most rank 1")
        if entry[1].size > 1:
            raise refuse(f"There should only be 1 default per field but field {i} has {entry[1].size}")
    if len(field_delim) != 1:
        raise refuse("field_delim should be only 1 char")
    if select and len(select) != len(defaults):
        raise refuse("select_cols should match output size")
    if any(a >= b for a, b in zip(select, select[1:])):
        raise refuse("select_cols should be strictly increasing indices")
    if select and select[0] < 0:
        raise refuse("select_cols should be non-negative indices")
    if select and exclude:
        raise refuse("Either select_cols or exclude_cols should be empty")
    if any(a >= b for a, b in zip(exclude, exclude[1:])):
        raise refuse("exclude_cols should be strictly increasing indices")
    if exclude and exclude[0] < 0:
        raise refuse("exclude_cols should be non-negative indices")


class _Parser:
    """TF's record reader over one file's bytes. ``record()`` returns, in order, the fields to keep (bytes) and
    the errors met (str); the position moves past the whole record either way."""

    def __init__(self, data: bytes, delim: int, quotes: bool) -> None:
        self.data, self.pos, self.delim, self.quotes = data, 0, delim, quotes
        self._run = re.compile(b"[^" + re.escape(bytes([delim])) + b"\r\n]*")  # an unquoted field's bytes

    def at_end(self) -> bool:
        return self.pos >= len(self.data)

    def _line_end(self, ch: int) -> None:
        if ch == 13 and self.pos < len(self.data) and self.data[self.pos] == 10:  # \r\n
            self.pos += 1

    def _quoted(self) -> tuple[bytes | None, bool, str | None]:
        data, size = self.data, len(self.data)
        start, error = self.pos, None
        self.pos += 1
        while True:
            if self.pos >= size:
                return None, True, "Reached end of file without closing quoted field in record"
            if data[self.pos] != 34:
                self.pos += 1
                continue
            self.pos += 1
            if self.pos >= size:
                return (None if error else data[start + 1:self.pos - 1].replace(b'""', b'"')), True, error
            following = data[self.pos]
            self.pos += 1
            if following == self.delim or following in (10, 13):
                close = self.pos - 2
                self._line_end(following)
                field = None if error else data[start + 1:close].replace(b'""', b'"')
                return field, following != self.delim, error
            if following != 34 and error is None:  # TF notes it, drops the field, reads on to its end
                error = "Quote inside a string has to be escaped by another quote"

    def _unquoted(self) -> tuple[bytes, bool, str | None]:
        data, start = self.data, self.pos
        end = self._run.match(data, start).end()
        error = "Unquoted fields cannot have quotes inside" if self.quotes and data.find(b'"', start, end) >= 0 \
            else None
        if end >= len(data):
            self.pos = end
            return data[start:], True, error
        ch = data[end]
        self.pos = end + 1
        self._line_end(ch)
        return data[start:end], ch != self.delim, error

    def record(self, select: list, exclude: list) -> list:
        events: list = []
        column = selected = excluded = 0
        end, every = False, not select and not exclude
        while not end:
            explicit_exclude = not every and excluded < len(exclude) and exclude[excluded] == column
            include = every or (selected < len(select) and select[selected] == column) or \
                (bool(exclude) and not explicit_exclude)
            if self.pos >= len(self.data):  # the record ends with an empty last field
                field, end, error = b"", True, None
            elif self.quotes and self.data[self.pos] == 34:
                field, end, error = self._quoted()
            else:
                field, end, error = self._unquoted()
            if error is not None:
                events.append(error)
            if include and field is not None:
                events.append(field)
            column += 1
            selected += include
            excluded += explicit_exclude
        return events


def _convert(field: bytes, index: int, entry: tuple, na_value: bytes) -> Any:
    dtype, default = entry[0], entry[1]
    missing = field == b"" or field == na_value
    if missing and (default is None or default.size != 1):
        return f"Field {index} is required but missing in record!"
    is_string = dtype is _string  # DTypes are one object per type
    if missing:
        value = default.reshape(-1)[0]
    elif is_string:
        value = field
    else:
        value = _parse_number(field, dtype._np.type)
        if value is None:
            return f"Field {index} in record is not a valid {_TYPE_NAMES[dtype]}: " \
                   f"{field.decode('utf-8', 'replace')}"
    if is_string:
        out = np.empty((), dtype=object)
        out[()] = bytes(value)
        return _make_typed_host(out, _string)
    return _make_typed_host(np.array(value, dtype=dtype._np), dtype)


class CsvDataset(Dataset):
    """The records of CSV files as tuples of scalars, one per kept column (``tf.data.experimental.CsvDataset``).

    ``record_defaults``: one entry per output column, a dtype (the field is required) or a default value.
    """

    _kind = "CsvDatasetV2"

    def __init__(self, filenames: Any, record_defaults: Any, compression_type: Any = None, buffer_size: Any = None,
                 header: bool = False, field_delim: str = ",", use_quote_delim: bool = True, na_value: str = "",
                 select_cols: Any = None, exclude_cols: Any = None) -> None:
        from ..ops.convert import tensor

        names = [n.decode("utf-8", "surrogateescape") for n in
                 np.asarray(tensor(filenames, _string).numpy(), dtype=object).reshape(-1)]
        defaults = _defaults(record_defaults)
        spec = tuple(TensorSpec([], entry[0]) for entry in defaults)
        select = [int(c) for c in (select_cols or [])]
        exclude = [int(c) for c in (exclude_cols or [])]
        _check(defaults, spec, select, exclude, field_delim)
        compression = compression_type or ""
        if compression not in ("", "ZLIB", "GZIP"):
            raise InvalidArgumentError(None, None, _op_message("CSVDatasetV2", spec,
                                                               f"Unsupported compression_type: {compression}."))
        delim, na = field_delim.encode()[0], na_value.encode()
        n = len(spec)

        def open_file(path: str) -> _Parser:
            from ..ops.io.tfrecord import file_bytes

            try:
                data = file_bytes(path, compression)
            except OpError as error:
                if header and "No such file" not in error.message:  # TF reads the header when opening the file
                    raise next_error(InvalidArgumentError, spec, "Can't read header of file") from None
                raise type(error)(None, None, error.message.replace("_output_types_1_", f"_output_types_{n}_")) \
                    from None
            parser = _Parser(data, delim, use_quote_delim)
            if header and not parser.at_end():
                if any(isinstance(event, str) for event in parser.record([], [])):
                    raise next_error(InvalidArgumentError, spec, "Can't read header of file")
            return parser

        def make() -> Iterator[Any]:
            files = iter(names)
            current: list = [None]

            def step() -> Any:
                while current[0] is None or current[0].at_end():
                    path = next(files)  # StopIteration: the last file is done
                    current[0] = None
                    current[0] = open_file(path)
                problem, values = None, []
                for event in current[0].record(select, exclude):
                    if isinstance(event, str):
                        problem = problem or event
                    elif len(values) >= n:
                        problem = problem or f"Expect {n} fields but have more in record"
                    else:
                        out = _convert(event, len(values), defaults[len(values)], na)
                        if isinstance(out, str):
                            problem = problem or out
                        values.append(out)
                if problem is not None:
                    raise next_error(InvalidArgumentError, spec, problem)
                if len(values) != n:
                    raise next_error(InvalidArgumentError, spec, f"Expect {n} fields but have {len(values)} in "
                                                                 "record")
                return tuple(values)

            return StepIterator(step)

        super().__init__(make, spec, UNKNOWN_CARDINALITY)
