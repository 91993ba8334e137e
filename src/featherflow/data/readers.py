"""File-reading datasets: ``tf.data.TFRecordDataset``, ``TextLineDataset`` and ``FixedLengthRecordDataset``.

Each element is a scalar string; files are read in order, or interleaved one record at a time from
``num_parallel_reads`` files at once, as TF's deterministic interleave. Errors (a missing file, a corrupt
record) surface when iteration reaches them, as TF's ``IteratorGetNext`` reports them.

>>> import featherflow as tf, os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
>>> tf.io.write_file(path, "x\\ny\\n")
>>> [line.numpy() for line in tf.data.TextLineDataset(path)]
[b'x', b'y']
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from ..dtypes import string as _dt_string
from ..errors import InvalidArgumentError
from ..tensor import Tensor, _make_typed_host
from ..tensor_spec import TensorSpec
from .dataset import UNKNOWN_CARDINALITY, Dataset

_STRING_SPEC = TensorSpec([], _dt_string)


def _tfrecord():
    """The record readers (ops.io), loaded with the first file dataset: tf.data itself loads with featherflow."""
    from ..ops.io import tfrecord

    return tfrecord


def _filenames(filenames: Any) -> Callable[[], list[str]]:
    """The file names a reader is given (a string, a list or tensor of them, a dataset of them), as a function
    returning them (a dataset is read at each pass)."""
    if isinstance(filenames, Dataset):
        return lambda: [t.numpy().decode("utf-8", "surrogateescape") for t in filenames]
    from ..ops.convert import tensor

    t = filenames if isinstance(filenames, Tensor) else tensor(filenames if not isinstance(filenames, list) or
                                                               filenames else np.array([], dtype=object))
    if t.dtype is not _dt_string:
        raise TypeError(f"The `filenames` argument must contain `tf.string` elements. Got `{t.dtype!r}` elements.")
    names = [n.decode("utf-8", "surrogateescape") for n in np.asarray(t.numpy(), dtype=object).reshape(-1)]
    return lambda: names


def _string(value: bytes) -> Tensor:
    out = np.empty((), dtype=object)
    out[()] = value
    return _make_typed_host(out)


def _interleave(readers: list[Iterator[bytes]], cycle: int) -> Iterator[bytes]:
    """Records taken one at a time from ``cycle`` open files in turn, a finished file's slot going to the next."""
    pending = iter(readers)
    open_ = [r for _, r in zip(range(cycle), pending)]
    while open_:
        for reader in list(open_):
            record = next(reader, None)
            if record is None:
                replacement = next(pending, None)
                if replacement is None:
                    open_.remove(reader)
                else:
                    open_[open_.index(reader)] = replacement
                continue
            yield record


class _FileDataset(Dataset):
    """A reader: ``files`` is what it was given (names, or a dataset of names), which ``with_files`` replaces
    (the auto-shard rewrite gives each worker its share)."""

    _kind = ""

    def __init__(self, filenames: Any, read: Callable[[str], Iterator[bytes]], num_parallel_reads: Any) -> None:
        cycle = None if num_parallel_reads is None else int(num_parallel_reads)
        if cycle is not None and cycle < 1 and cycle != -1:  # -1: AUTOTUNE
            raise ValueError(f"`num_parallel_reads` must be positive or AUTOTUNE, got {cycle}")
        self._read, self._cycle = read, cycle
        super().__init__(self._records(filenames), _STRING_SPEC, UNKNOWN_CARDINALITY)

    def _records(self, filenames: Any) -> Callable[[], Iterator[Tensor]]:
        names = _filenames(filenames)
        self.files = filenames
        read, cycle = self._read, self._cycle

        def make() -> Iterator[Tensor]:
            files = names()
            if cycle is None or cycle == 1:
                records: Iterator[bytes] = (r for f in files for r in read(f))
            else:
                records = _interleave([read(f) for f in files], len(files) if cycle == -1 else cycle)
            for record in records:
                yield _string(record)

        return make

    def file_names(self) -> list[str]:
        """The names of the files this reader reads (a dataset of names is read for them)."""
        return _filenames(self.files)()

    def with_files(self, filenames: Any) -> _FileDataset:
        """This reader, with its options, over ``filenames`` instead."""
        out = copy.copy(self)
        out._make_iter = out._records(filenames)
        return out


def _compression(compression_type: Any) -> str:
    return _tfrecord().TFRecordOptions.get_compression_type_string(compression_type) if compression_type else ""


class TFRecordDataset(_FileDataset):
    """The records of TFRecord files (``tf.data.TFRecordDataset``); ``compression_type``: ``""``, ``"ZLIB"``,
    ``"GZIP"``."""

    _kind = "TFRecordDatasetV2"

    def __init__(self, filenames: Any, compression_type: Any = None, buffer_size: Any = None,
                 num_parallel_reads: Any = None, name: str | None = None) -> None:
        kind = compression_type if compression_type in ("ZLIB", "GZIP") else ""  # TF reads anything else plain
        super().__init__(filenames, lambda f: _tfrecord().read_records(f, kind), num_parallel_reads)


def _checked(compression_type: Any) -> str:
    kind = compression_type or ""
    if kind not in ("", "ZLIB", "GZIP"):
        raise _Deferred("Unsupported compression_type.")
    return kind


class _Deferred(Exception):
    """An argument error TF reports only when iteration starts."""


def _deferred(read: Callable[[str], Iterator[bytes]], node: str) -> Callable[[str], Iterator[bytes]]:
    def wrapped(f: str) -> Iterator[bytes]:
        try:
            yield from read(f)
        except _Deferred as e:
            raise _tfrecord().iterator_error(str(e), InvalidArgumentError, node) from None

    return wrapped


class TextLineDataset(_FileDataset):
    """The lines of text files, without their line ends (``tf.data.TextLineDataset``)."""

    _kind = "TextLineDatasetV2"

    def __init__(self, filenames: Any, compression_type: Any = None, buffer_size: Any = None,
                 num_parallel_reads: Any = None, name: str | None = None) -> None:
        read = _deferred(lambda f: _tfrecord().read_lines(f, _checked(compression_type)), "TextLineDataset")
        super().__init__(filenames, read, num_parallel_reads)


class FixedLengthRecordDataset(_FileDataset):
    """The ``record_bytes``-long records of files, after ``header_bytes`` and before ``footer_bytes``
    (``tf.data.FixedLengthRecordDataset``)."""

    _kind = "FixedLengthRecordDatasetV2"

    def __init__(self, filenames: Any, record_bytes: int, header_bytes: int | None = None,
                 footer_bytes: int | None = None, buffer_size: Any = None, compression_type: Any = None,
                 num_parallel_reads: Any = None, name: str | None = None) -> None:
        size, head, foot = int(record_bytes), int(header_bytes or 0), int(footer_bytes or 0)

        def read(f: str) -> Iterator[bytes]:
            if size <= 0:
                raise _Deferred("`record_bytes` must be > 0")
            if head < 0 or foot < 0:
                raise _Deferred("`header_bytes` and `footer_bytes` must be >= 0")
            return _tfrecord().read_fixed(f, size, head, foot, _checked(compression_type))

        super().__init__(filenames, _deferred(read, "FixedLengthRecordDatasetV2"), num_parallel_reads)
