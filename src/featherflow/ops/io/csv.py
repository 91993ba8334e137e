"""``tf.io.decode_csv``: CSV records into one tensor per column, with TF's field parser (RFC 4180 quotes,
``na_value``, ``select_cols``) and its errors, on the host.

>>> import featherflow as tf
>>> [t.numpy() for t in tf.io.decode_csv(["1,2.5,a", "3,,b"], [[0], [1.0], ["x"]])]
[array([1, 3], dtype=int32), array([2.5, 1. ], dtype=float32), array([b'a', b'b'], dtype=object)]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...device import _scope
from ...errors import InvalidArgumentError
from ...tensor import Tensor
from ..convert import tensor
from ..registry import register
from ..strings.core import _parse_number, on_host
from ._list_attrs import check_list_attr
from .files import string_tensor

_TYPE_NAMES = {np.dtype(np.int32): "int32", np.dtype(np.int64): "int64", np.dtype(np.float32): "float",
               np.dtype(np.float64): "double"}


def _error(n: int, message: str) -> InvalidArgumentError:
    # TF names the kernel after the length of its list attr (DecodeCSV_OUT_TYPE_3), the op after the op
    return InvalidArgumentError(None, None, f"{{{{function_node __wrapped__DecodeCSV_OUT_TYPE_{n}_device_"
                                            f"{_scope.device.name}}}}} {message} [Op:DecodeCSV] name: ")


def _fields(record: bytes, delim: int, quotes: bool, select: set | None, n: int) -> list:
    """TF's ExtractFields: the record's fields (those in ``select`` only, when given), unquoted."""
    fields: list = []
    i, size, column = 0, len(record), 0
    while i < size:
        if record[i] in b"\r\n":  # TF skips line breaks before a field
            i += 1
            continue
        quoted = quotes and record[i] == 34  # '"'
        field = bytearray()
        if not quoted:
            while i < size and record[i] != delim:
                if quotes and record[i] == 34 or record[i] in b"\r\n":
                    raise _error(n, "Unquoted fields cannot have quotes/CRLFs inside")
                field.append(record[i])
                i += 1
            i += 1
        else:
            i += 1
            while i < size - 1 and (record[i] != 34 or record[i + 1] != delim):
                if record[i] != 34:
                    field.append(record[i])
                    i += 1
                else:
                    if record[i + 1] != 34:
                        raise _error(n, "Quote inside a string has to be escaped by another quote")
                    field.append(34)
                    i += 2
            if not (i < size and record[i] == 34 and (i == size - 1 or record[i + 1] == delim)):
                raise _error(n, "Quoted field has to end with quote followed by delim or end")
            i += 2
        if select is None or column in select:
            fields.append(bytes(field))
        column += 1
    if size and record[-1] == delim and (select is None or column in select):  # the last field is empty
        fields.append(b"")
    return fields


@register("DecodeCSV", n_outputs=0, host_only=True, inputs=("=DT_STRING",))
def decode_csv_op(xp: Any, records: Any, *defaults: Any, field_delim: str, use_quote_delim: bool, na_value: str,
                  select_cols: tuple) -> Any:
    n = len(defaults)
    if len(field_delim) != 1:
        raise _error(n, "field_delim should be only 1 char")
    for i, d in enumerate(defaults):
        if d.size >= 2:
            raise _error(n, f"There should only be 1 default per field but field {i} has {d.size}")
    delim = field_delim.encode()[0]
    na = na_value.encode()
    select = set(select_cols) if select_cols else None
    outputs = [np.empty(records.shape, dtype=d.dtype) for d in defaults]
    flats = [o.reshape(-1) for o in outputs]
    for r, record in enumerate(records.reshape(-1)):
        fields = _fields(record, delim, use_quote_delim, select, n)
        if len(fields) != n:
            raise _error(n, f"Expect {n} fields but have {len(fields)} in record {r}")
        for f, (text, default, flat) in enumerate(zip(fields, defaults, flats)):
            if not text or text == na:
                if default.size != 1:
                    raise _error(n, f"Field {f} is required but missing in record {r}!")
                flat[r] = default.reshape(-1)[0]
            elif default.dtype == object:
                flat[r] = text
            else:
                value = _parse_number(text, default.dtype.type)
                if value is None:
                    raise _error(n, f"Field {f} in record {r} is not a valid {_TYPE_NAMES[default.dtype]}: "
                                    f"{text.decode('utf-8', 'replace')}")
                flat[r] = value
    return tuple(outputs)


@on_host
def decode_csv(records: Any, record_defaults: Any, field_delim: str = ",", use_quote_delim: bool = True,
               na_value: str = "", select_cols: Any = None, name: str | None = None) -> list[Tensor]:
    """Parses CSV ``records`` into one tensor per column, typed by ``record_defaults`` (an empty default: the
    field is required) (``tf.io.decode_csv``)."""
    if select_cols is not None:
        cols = [int(c) for c in select_cols]
        if any(a >= b for a, b in zip(cols, cols[1:])):
            raise ValueError("select_cols is not strictly increasing.")
        if cols and cols[0] < 0:
            raise ValueError("select_cols contains negative values.")
        if len(cols) != len(record_defaults):
            raise ValueError("Length of select_cols and record_defaults do not match.")
    data = string_tensor(records, "DecodeCSV")
    defaults = [tensor(d) for d in record_defaults]
    for d in defaults:
        check_list_attr(decode_csv_op, "OUT_TYPE", d.dtype)
    if not defaults:
        raise InvalidArgumentError(None, None, "Length for attr 'OUT_TYPE' of 0 must be at least minimum 1")
    out = decode_csv_op(data, *defaults, field_delim=field_delim, use_quote_delim=bool(use_quote_delim),
                        na_value=na_value, select_cols=tuple(select_cols or ()))
    return list(out)

