"""TFRecord files: ``tf.io.TFRecordWriter`` / ``TFRecordOptions`` and the record readers behind
``tf.data.TFRecordDataset``, ``TextLineDataset`` and ``FixedLengthRecordDataset``.

A record is ``uint64 length, uint32 masked_crc32c(length), data, uint32 masked_crc32c(data)``, all
little-endian; ``"ZLIB"`` and ``"GZIP"`` files are that stream deflated with TF's zlib settings (level -1,
memory level 9, 15 window bits, +16 for GZIP's header), so the bytes equal TF's.

>>> import featherflow as tf, os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "a.tfrecord")
>>> with tf.io.TFRecordWriter(path) as writer:
...     writer.write(b"abc")
>>> open(path, "rb").read().hex()
'0300000000000000b099490e6162636e57f121'
"""

from __future__ import annotations

import enum
import itertools
import struct
import zlib
from collections.abc import Iterator
from typing import Any

from ... import errors
from ...device import _scope
from . import _crc, decode
from ._fs import os_error, text

_HEADER = struct.Struct("<QI")
_CRC = struct.Struct("<I")


class TFRecordCompressionType(enum.IntEnum):
    """The compression of a TFRecord file (``tf.compat.v1.io.TFRecordCompressionType``)."""

    NONE = 0
    ZLIB = 1
    GZIP = 2


class TFRecordOptions:
    """How a TFRecord file is compressed (``tf.io.TFRecordOptions``): ``compression_type`` ``""``, ``"ZLIB"`` or
    ``"GZIP"`` and zlib's settings (``compression_level``, ``window_bits``, ``mem_level``,
    ``compression_strategy``; ``None``: TF's defaults)."""

    compression_type_map = {TFRecordCompressionType.ZLIB: "ZLIB", TFRecordCompressionType.GZIP: "GZIP",
                            TFRecordCompressionType.NONE: ""}

    def __init__(self, compression_type: Any = None, flush_mode: int | None = None,
                 input_buffer_size: int | None = None, output_buffer_size: int | None = None,
                 window_bits: int | None = None, compression_level: int | None = None,
                 compression_method: int | None = None, mem_level: int | None = None,
                 compression_strategy: int | None = None) -> None:
        if compression_type is not None and not isinstance(compression_type, TFRecordCompressionType) \
                and compression_type not in self.compression_type_map.values():
            raise ValueError(f'Not a valid compression_type: "{compression_type}"')
        self.compression_type = compression_type
        self.flush_mode = flush_mode
        self.input_buffer_size = input_buffer_size
        self.output_buffer_size = output_buffer_size
        self.window_bits = window_bits
        self.compression_level = compression_level
        self.compression_method = compression_method
        self.mem_level = mem_level
        self.compression_strategy = compression_strategy

    @classmethod
    def get_compression_type_string(cls, options: Any) -> str:
        """``""``, ``"ZLIB"`` or ``"GZIP"`` for options, a compression type, or its name."""
        if not options:
            return ""
        if isinstance(options, TFRecordOptions):
            return cls.get_compression_type_string(options.compression_type)
        if isinstance(options, TFRecordCompressionType):
            return cls.compression_type_map[options]
        if options in cls.compression_type_map.values():
            return options
        raise ValueError(f'Not a valid compression_type: "{options}"')


def _compressor(options: TFRecordOptions, kind: str) -> Any:
    if options.flush_mode not in (None, zlib.Z_NO_FLUSH):
        raise NotImplementedError(f"TFRecordOptions: flush_mode={options.flush_mode} is not supported by "
                                  "featherflow (only Z_NO_FLUSH, the default)")
    if options.compression_method not in (None, zlib.DEFLATED):
        raise errors.InvalidArgumentError(None, None, f"Invalid compression method {options.compression_method}")
    bits = 15 if options.window_bits is None else options.window_bits
    level = -1 if options.compression_level is None else options.compression_level
    return zlib.compressobj(level, zlib.DEFLATED, bits + 16 if kind == "GZIP" else bits,
                            9 if options.mem_level is None else options.mem_level,
                            options.compression_strategy or 0)


def frame(record: bytes) -> bytes:
    """One record as it is stored: length, its masked CRC, the data, the data's masked CRC."""
    length = struct.pack("<Q", len(record))
    return length + _CRC.pack(_crc.mask(_crc.value(length))) + record + _CRC.pack(_crc.mask(_crc.value(record)))


class TFRecordWriter:
    """Writes records to a TFRecord file (``tf.io.TFRecordWriter``); ``options``: a ``TFRecordOptions`` or
    a compression type string."""

    def __init__(self, path: Any, options: Any = None) -> None:
        if not isinstance(options, TFRecordOptions):
            options = TFRecordOptions(compression_type=options)
        kind = TFRecordOptions.get_compression_type_string(options)
        self._deflate = _compressor(options, kind) if kind else None
        path = text(path)
        try:
            self._file: Any = open(path, "wb")  # noqa: SIM115 - held open until close()
        except OSError as e:
            raise os_error(path, e) from None

    def _out(self, data: bytes) -> None:
        if self._file is None:
            raise errors.FailedPreconditionError(None, None, "Writer is closed.")
        self._file.write(self._deflate.compress(data) if self._deflate is not None else data)

    def write(self, record: Any) -> None:
        """Appends one record (bytes, or a str encoded UTF-8)."""
        if hasattr(record, "numpy"):
            record = record.numpy()
        self._out(frame(record.encode("utf-8") if isinstance(record, str) else bytes(record)))

    def flush(self) -> None:
        """Writes out what is buffered (in a compressed file, a zlib partial flush, as TF's)."""
        if self._file is None:
            raise errors.FailedPreconditionError(None, None, "Writer is closed.")
        if self._deflate is not None:
            self._file.write(self._deflate.flush(zlib.Z_PARTIAL_FLUSH))
        self._file.flush()

    def close(self) -> None:
        """Finishes and closes the file."""
        if self._file is None:
            return
        if self._deflate is not None:
            self._file.write(self._deflate.flush(zlib.Z_FINISH))
        self._file.close()
        self._file = None

    def __enter__(self) -> TFRecordWriter:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def iterator_error(message: str, cls: type = errors.DataLossError, node: str = "") -> Exception:
    """An error of a dataset's reader, as TF raises it from its ``IteratorGetNext`` kernel; ``node``: the
    dataset op whose arguments TF checks when iteration starts (inside the flat-map over the file names)."""
    if node:
        message = (f"Error in user-defined function passed to FlatMapDataset:{next(_FLAT_MAPS)} transformation with "
                   f"iterator: Iterator::Root::Prefetch::FlatMap: {message}\n\t [[{{{{node {node}}}}}]]")
    return cls(None, None, f"{{{{function_node __wrapped__IteratorGetNext_output_types_1_device_"
                           f"{_scope.device.name}}}}} {message} [Op:IteratorGetNext] name: ")


_FLAT_MAPS = itertools.count(1)  # TF numbers its dataset ops in the message


_CHUNK = 1 << 20  # bytes read from a file at a time


class _Stream:
    """A file's bytes (decompressed as they are read), read in chunks: TFRecord and text files may be larger
    than memory. Opening it raises TF's error for a missing file; reading, for a corrupt stream."""

    def __init__(self, path: str, compression_type: str) -> None:
        try:
            self._file: Any = open(path, "rb")  # noqa: SIM115 - closed at the end of the data or by close()
        except OSError as e:
            error = os_error(path, e)
            raise iterator_error(str(error), type(error)) from None
        self._inflate = zlib.decompressobj(decode.WINDOW_BITS[compression_type]) if compression_type else None
        self._buffer = bytearray()
        self.eof = False

    def fill(self) -> None:
        """Appends the next chunk to the buffer (sets ``eof`` at the end of the file)."""
        chunk = self._file.read(_CHUNK)
        if not chunk:
            self.eof = True
            self.close()
            if self._inflate is not None and not self._inflate.eof:
                raise iterator_error(decode.TRUNCATED)
            return
        if self._inflate is not None:
            try:
                chunk = self._inflate.decompress(chunk)
            except zlib.error as e:
                self.close()
                raise iterator_error(decode.zlib_message(e)) from None
        self._buffer += chunk

    def read(self, n: int) -> bytes:
        """Up to ``n`` bytes (fewer only at the end of the data)."""
        while len(self._buffer) < n and not self.eof:
            self.fill()
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    def lines(self) -> Iterator[bytes]:
        """The lines, without their ``\\n`` (a last line may lack it)."""
        start = 0
        while True:
            end = self._buffer.find(b"\n", start)
            if end >= 0:
                yield bytes(self._buffer[:end])
                del self._buffer[:end + 1]
                start = 0
                continue
            if self.eof:
                if self._buffer:
                    yield bytes(self._buffer)
                return
            start = len(self._buffer)
            self.fill()

    def close(self) -> None:
        self._file.close()


def file_bytes(path: str, compression_type: str) -> bytes:
    """The whole (decompressed) contents of ``path``; TF's errors for a missing file or a corrupt stream."""
    stream = _Stream(path, compression_type)
    try:
        while not stream.eof:
            stream.fill()
        return stream.read(len(stream._buffer))
    finally:
        stream.close()


def read_records(path: str, compression_type: str = "") -> Iterator[bytes]:
    """The records of the TFRecord file ``path``, their CRCs checked as TF's reader does, read as needed."""
    stream = _Stream(path, compression_type)
    offset = 0
    try:
        while True:
            header = stream.read(_HEADER.size)
            if len(header) < _HEADER.size:  # a partial header at the end is the end, as in TF
                return
            length, masked = _HEADER.unpack(header)
            if _crc.unmask(masked) != _crc.value(header[:8]):
                hint = " (Is this even a TFRecord file?)" if offset == 0 else ""
                raise iterator_error(f"corrupted record at {offset}{hint}")
            start = offset + _HEADER.size
            body = stream.read(length + 4)
            if len(body) < length + 4:
                raise iterator_error(f"truncated record at {offset}' failed with Read less bytes than requested")
            record = body[:length]
            if _crc.unmask(_CRC.unpack_from(body, length)[0]) != _crc.value(record):
                raise iterator_error(f"corrupted record at {start}")
            yield record
            offset = start + length + 4
    finally:
        stream.close()


def read_lines(path: str, compression_type: str = "") -> Iterator[bytes]:
    """The lines of ``path`` without their ``\\n`` (or ``\\r\\n``), as TF's ``TextLineDataset``, read as needed."""
    stream = _Stream(path, compression_type)
    try:
        for line in stream.lines():
            yield line[:-1] if line.endswith(b"\r") else line
    finally:
        stream.close()


def read_fixed(path: str, record_bytes: int, header_bytes: int, footer_bytes: int,
               compression_type: str = "") -> Iterator[bytes]:
    """The ``record_bytes``-long records of ``path`` between its header and footer."""
    data = file_bytes(path, compression_type)
    body = len(data) - header_bytes - footer_bytes
    if body % record_bytes and not compression_type:
        raise iterator_error(f"Excluding the header ({header_bytes} bytes) and footer ({footer_bytes} bytes), input "
                             f'file "{path}" has body length {body} bytes, which is not an exact multiple of the '
                             f"record length ({record_bytes} bytes).", errors.InvalidArgumentError)
    for start in range(header_bytes, header_bytes + body - record_bytes + 1, record_bytes):
        yield data[start:start + record_bytes]
