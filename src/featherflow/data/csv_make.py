"""``tf.data.experimental.make_csv_dataset``: batches of CSV records as dicts of columns (and a label), with
column names read from the header and column types inferred from the first rows, as TF does (Python's ``csv``
module for the probing, ``CsvDataset`` for the reading, TF's legacy interleave over the files).

>>> import featherflow as tf, os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "a.csv")
>>> tf.io.write_file(path, "x,y\\n1,a\\n2,b\\n")
>>> batch = next(iter(tf.data.experimental.make_csv_dataset(path, 2, shuffle=False, num_epochs=1)))
>>> batch["x"].numpy().tolist(), batch["y"].numpy().tolist()
([1, 2], [b'a', b'b'])
"""

from __future__ import annotations

import collections
import csv as _csv
import gzip
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from ..dtypes import float32 as _float32
from ..dtypes import float64 as _float64
from ..dtypes import int32 as _int32
from ..dtypes import int64 as _int64
from ..dtypes import string as _string
from ..tensor import _make_typed_host
from .csv import CsvDataset, _as_csv_type
from .dataset import AUTOTUNE, Dataset
from .experimental_ops import legacy_interleave


def _is_valid_int32(text: str) -> bool:
    try:
        return np.int32(text) == np.int64(text)
    except (ValueError, OverflowError):
        return False


def _is_valid_int64(text: str) -> bool:
    try:
        np.int64(text)
        return True
    except (ValueError, OverflowError):
        return False


def _is_valid_float(text: str, np_type: type) -> bool:
    try:
        with np.errstate(over="ignore"):
            return bool(np_type(text) < np.inf)
    except ValueError:
        return False


_TYPES = [(_int32, _is_valid_int32), (_int64, _is_valid_int64),
          (_float32, lambda t: _is_valid_float(t, np.float32)), (_float64, lambda t: _is_valid_float(t, np.float64)),
          (_string, lambda t: True)]


def _infer_type(text: str, na_value: str, previous: Any) -> Any:
    """The least permissive type that fits ``text`` and every value seen before in the column."""
    if text in ("", na_value):
        return previous
    allowed = [t for t, _ in _TYPES]
    for i, (dtype, valid) in enumerate(_TYPES):
        if valid(text) and (previous is None or previous in allowed[:i + 1]):
            return dtype
    return None


def _rows(filenames: list, num_cols: int, field_delim: str, use_quote_delim: bool, header: bool,
          open_file: Callable) -> Iterator[list]:
    for name in filenames:
        with open_file(name) as f:
            reader = _csv.reader(f, delimiter=field_delim,
                                 quoting=_csv.QUOTE_MINIMAL if use_quote_delim else _csv.QUOTE_NONE)
            row_num = 1
            if header:
                next(reader)
                row_num += 1
            for row in reader:
                if len(row) != num_cols:
                    raise ValueError(f"Problem inferring types: CSV row {row_num} has {len(row)} number of fields. "
                                     f"Expected: {num_cols}.")
                row_num += 1
                yield row


def _column_names(filenames: list, field_delim: str, use_quote_delim: bool, open_file: Callable) -> list:
    kwargs = {"delimiter": field_delim, "quoting": _csv.QUOTE_MINIMAL if use_quote_delim else _csv.QUOTE_NONE}
    with open_file(filenames[0]) as f:
        try:
            names = next(_csv.reader(f, **kwargs))
        except StopIteration:
            raise ValueError(f"Failed when reading the header line of {filenames[0]}. Is it an empty file?") from None
    for name in filenames[1:]:
        with open_file(name) as f:
            try:
                if next(_csv.reader(f, **kwargs)) != names:
                    raise ValueError("All input CSV files should have the same column names in the header row. File "
                                     f"{name} has different column names.")
            except StopIteration:
                raise ValueError(f"Failed when reading the header line of {name}. Is it an empty file?") from None
    return names


def _sorted_indices(select_columns: list, column_names: list) -> list:
    indices = {n: i for i, n in enumerate(column_names)}
    num_cols = len(column_names)
    results = []
    for v in select_columns:
        if isinstance(v, int):
            if v < 0 or v >= num_cols:
                raise ValueError(f"Column index {v} specified in `select_columns` should be > 0  and <= {num_cols}, "
                                 "which is the number of columns.")
            results.append(v)
        elif v not in indices:
            raise ValueError(f"Column {v} specified in `select_columns` must be of one of the columns: "
                             f"{indices.keys()}.")
        else:
            results.append(indices[v])
    results = sorted(set(results))
    if len(results) != len(select_columns):
        raise ValueError(f"The `select_columns` argument contains duplicate columns: {set()}.")
    return results


def _file_names(file_pattern: Any) -> list:
    from ..ops.io.files import matching_files

    patterns = file_pattern if isinstance(file_pattern, list) else [file_pattern]
    if isinstance(file_pattern, list) and not file_pattern:
        raise ValueError("Argument `file_pattern` should not be empty.")
    names = [n.decode("utf-8", "surrogateescape") for p in patterns
             for n in np.asarray(matching_files(p).numpy(), dtype=object).reshape(-1)]
    if not names:
        raise ValueError(f"No files match `file_pattern` {file_pattern}.")
    return sorted(names)


def make_csv_dataset(file_pattern: Any, batch_size: int, column_names: Any = None, column_defaults: Any = None,
                     label_name: str | None = None, select_columns: Any = None, field_delim: str = ",",
                     use_quote_delim: bool = True, na_value: str = "", header: bool = True, num_epochs: Any = None,
                     shuffle: bool = True, shuffle_buffer_size: int = 10000, shuffle_seed: Any = None,
                     prefetch_buffer_size: Any = None, num_parallel_reads: Any = None, sloppy: bool = False,
                     num_rows_for_inference: int = 100, compression_type: Any = None, ignore_errors: bool = False,
                     encoding: str = "utf-8") -> Dataset:
    """Batches of CSV records as ``OrderedDict``s of columns (``(features, label)`` with ``label_name``)."""
    num_parallel_reads = 1 if num_parallel_reads is None else num_parallel_reads
    filenames = _file_names(file_pattern)
    dataset = Dataset.from_tensor_slices(filenames)
    if shuffle:
        dataset = dataset.shuffle(len(filenames), shuffle_seed)

    def open_file(name: str) -> Any:
        return open(name, encoding=encoding, newline="")  # noqa: SIM115 (closed by the caller's with)

    if column_names is None or column_defaults is None:
        if compression_type == "GZIP":
            def open_file(name: str) -> Any:  # noqa: F811
                return gzip.open(name, "rt", encoding=encoding, newline="")
        elif compression_type == "ZLIB":
            raise ValueError(f"`compression_type` {compression_type} is not supported for probing columns.")
        elif compression_type not in (None, ""):
            raise ValueError(f"Received unknown `compression_type` {compression_type}. Expected: GZIP, ZLIB or  "
                             "(empty string).")
    if column_names is None:
        if not header:
            raise ValueError("Expected `column_names` or `header` arguments. Neither is provided.")
        column_names = _column_names(filenames, field_delim, use_quote_delim, open_file)
    if len(column_names) != len(set(column_names)):
        ordered = sorted(column_names)
        raise ValueError("Either `column_names` argument or CSV header row contains duplicate column names: "
                         f"{set(a for a, b in zip(ordered[:-1], ordered[1:]) if a == b)}.")
    if select_columns is not None:
        select_columns = _sorted_indices(select_columns, column_names)
    if column_defaults is not None:
        column_defaults = [_as_csv_type(x) or x for x in column_defaults]
    else:
        columns = select_columns if select_columns is not None else range(len(column_names))
        inferred: list = [None] * len(columns)
        for i, row in enumerate(_rows(filenames, len(column_names), field_delim, use_quote_delim, header,
                                      open_file)):
            if num_rows_for_inference is not None and i >= num_rows_for_inference:
                break
            for j, c in enumerate(columns):
                inferred[j] = _infer_type(row[c], na_value, inferred[j])
        column_defaults = [_default(t or _string) for t in inferred]
    if select_columns is not None and len(column_defaults) != len(select_columns):
        raise ValueError("If specified, `column_defaults` and `select_columns` must have the same length: "
                         f"`column_defaults` has length {len(column_defaults)}, `select_columns` has length "
                         f"{len(select_columns)}.")
    if select_columns is not None and len(column_names) > len(select_columns):
        column_names = [column_names[i] for i in select_columns]
    if label_name is not None and label_name not in column_names:
        raise ValueError(f"`label_name` provided must be one of the columns: {column_names}. Received: {label_name}.")

    def file_dataset(filename: Any) -> Dataset:
        out = CsvDataset(filename, column_defaults, field_delim=field_delim, use_quote_delim=use_quote_delim,
                         na_value=na_value, select_cols=select_columns, header=header,
                         compression_type=compression_type)
        return out.ignore_errors() if ignore_errors else out

    def to_features(*columns: Any) -> Any:
        features = collections.OrderedDict(zip(column_names, columns))
        if label_name is not None:
            label = features.pop(label_name)
            return features, label
        return features

    if num_parallel_reads == AUTOTUNE:
        dataset = dataset.interleave(file_dataset, num_parallel_calls=num_parallel_reads)
    else:
        dataset = legacy_interleave(dataset, file_dataset, int(num_parallel_reads), 1)
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, shuffle_seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=num_epochs is None)
    return dataset.map(to_features).prefetch(AUTOTUNE if prefetch_buffer_size is None else prefetch_buffer_size)


def _default(dtype: Any) -> Any:
    """TF's inferred default: a one-element vector of 0 (or "") of the column's type."""
    if dtype == _string:
        out = np.empty([1], dtype=object)
        out[0] = b""
        return _make_typed_host(out, _string)
    return _make_typed_host(np.zeros([1], dtype._np), dtype)
