"""TensorFlow's V2 checkpoint files (the "tensor bundle"): ``PREFIX.index`` + ``PREFIX.data-*``.

``write_bundle`` writes the same bytes TensorFlow's ``BundleWriter`` (the
``SaveV2`` op) writes for the same tensors in the same order; ``BundleReader``
reads what TF writes, checking every CRC, and reports damage with TF's
``tf.errors`` classes and messages.

>>> import os, tempfile, numpy as np
>>> prefix = os.path.join(tempfile.mkdtemp(), "ckpt-1")
>>> write_bundle(prefix, {"w": np.eye(2, dtype=np.float32), "step": np.int64(3)})
>>> reader = BundleReader(prefix)
>>> reader.keys(), reader.shape_of("w"), reader.dtype_of("step")
(['step', 'w'], (2, 2), dtype('int64'))
>>> reader.read("w")
array([[1., 0.],
       [0., 1.]], dtype=float32)
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from ..errors import (
    DataLossError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    OpError,
    OutOfRangeError,
    UnimplementedError,
)
from . import _crc, _table

TF_VERSION = "2.21.0"  # quoted in version errors, as TF quotes its own
BUNDLE_VERSION = 1  # kTensorBundleVersion: written as producer, checked against min_consumer
BUNDLE_MIN_PRODUCER = 0  # kTensorBundleMinProducer

DT_STRING = 7
# TF DataType value -> ml_dtypes/numpy type name; every type whose tensors TF
# saves as raw element bytes (float8/int4/int2/float4 take one byte each, as in TF).
_NUMERIC_DATATYPES = {
    1: "float32", 2: "float64", 3: "int32", 4: "uint8", 5: "int16", 6: "int8", 8: "complex64", 9: "int64",
    10: "bool", 14: "bfloat16", 17: "uint16", 18: "complex128", 19: "float16", 22: "uint32", 23: "uint64",
    24: "float8_e5m2", 25: "float8_e4m3fn", 26: "float8_e4m3fnuz", 27: "float8_e4m3b11fnuz",
    28: "float8_e5m2fnuz", 29: "int4", 30: "uint4", 31: "int2", 32: "uint2", 33: "float4_e2m1fn",
}  # fmt: skip
_MAX_DIMS = 254  # TensorShape::MaxDimensions()
_NUMPY_MAX_DIMS = 64  # NPY_MAXDIMS: valid TF shapes beyond it can't be read into NumPy
_INT64_MAX = (1 << 63) - 1
_UINT32_MAX = 0xFFFFFFFF
_WRITE_CHUNK = 4 << 20  # CRC a chunk while it is still in cache, then write it
_HAS_PREADV = hasattr(os, "preadv")

_numpy_by_datatype: dict[int, np.dtype] = {}
_datatype_by_numpy: dict[np.dtype, int] = {}


def _dtype_tables() -> tuple[dict[int, np.dtype], dict[np.dtype, int]]:
    if not _numpy_by_datatype:
        import ml_dtypes  # only here: most imports of featherflow never touch a checkpoint

        for value, name in _NUMERIC_DATATYPES.items():
            dtype = np.dtype(getattr(ml_dtypes, name, None) or name)
            _numpy_by_datatype[value] = dtype
            _datatype_by_numpy[dtype] = value
    return _numpy_by_datatype, _datatype_by_numpy


def datatype_to_numpy(datatype: int) -> np.dtype:
    """The NumPy dtype for a TF ``DataType`` value: ``1 -> float32``, ``DT_STRING -> object``.

    >>> datatype_to_numpy(14)
    dtype(bfloat16)
    """
    if datatype == DT_STRING:
        return np.dtype(object)
    dtype = _dtype_tables()[0].get(datatype)
    if dtype is None:
        from . import _protos

        raise UnimplementedError(None, None, f"Data type {_protos.data_type_name(datatype)} not supported")
    return dtype


def numpy_to_datatype(dtype: Any) -> int:
    """The TF ``DataType`` value for a NumPy dtype; bytes, str and object arrays are ``DT_STRING``.

    >>> numpy_to_datatype(np.float16), numpy_to_datatype(object)
    (19, 7)
    """
    dtype = np.dtype(dtype)
    if dtype.kind in "OSU":
        return DT_STRING
    datatype = _dtype_tables()[1].get(dtype.newbyteorder("=") if dtype.byteorder in "<>" else dtype)
    if datatype is None:
        raise TypeError(f"dtype {dtype} has no TensorFlow DataType")
    return datatype


def data_filename(prefix: str, shard_id: int, num_shards: int) -> str:
    """``PREFIX.data-00000-of-00001``: TF's ``DataFilename`` (printf ``%05d``, so -1 is ``-0001``)."""
    return f"{prefix}.data-{shard_id:05d}-of-{num_shards:05d}"


# ---------------------------------------------------------------- writing


def write_bundle(prefix: str | os.PathLike, tensors: Mapping[str | bytes, Any], *, _big_endian: bool = False) -> None:
    """Writes ``PREFIX.data-00000-of-00001`` and ``PREFIX.index`` as TF's ``SaveV2`` does.

    Tensors go into the data file in the mapping's order (TF appends them in the
    order the saver adds them); the index lists keys sorted bytewise. Each file
    is written to a ``.tempstate<random>`` name and renamed only once both are
    complete, so an exception or a kill while writing leaves an earlier
    checkpoint at ``prefix`` as it was. Numeric arrays are streamed from their
    own memory; the only copies made are of non-contiguous or byte-swapped
    arrays (one tensor at a time). ``_big_endian`` writes a big-endian bundle,
    for testing the reader.

    >>> import tempfile
    >>> write_bundle(os.path.join(tempfile.mkdtemp(), "c"), {"x": np.zeros(3), "names": np.array([b"a"], object)})
    """
    from . import _protos

    prefix = os.fspath(prefix)
    entries: dict[bytes, Any] = {}
    data_path = data_filename(prefix, 0, 1)
    index_path = prefix + ".index"
    os.makedirs(os.path.dirname(prefix) or ".", exist_ok=True)
    data_temp = f"{data_path}.tempstate{_random64()}"
    index_temp = f"{index_path}.tempstate{_random64()}"
    try:
        with open(data_temp, "wb", buffering=1 << 20) as out:
            offset = 0
            for name, value in tensors.items():
                key = name.encode() if isinstance(name, str) else bytes(name)
                if not key:
                    raise InvalidArgumentError(None, None, "The empty key is reserved for the bundle header")
                if key in entries:
                    raise InvalidArgumentError(None, None, f"Adding duplicate key: {key.decode(errors='replace')}")
                array = np.asarray(value)
                datatype = numpy_to_datatype(array.dtype)
                if datatype == DT_STRING:
                    size, crc = _write_strings(out, array, _big_endian)
                else:
                    size, crc = _write_numeric(out, array, _big_endian)
                entry = _protos.BundleEntryProto(dtype=datatype, offset=offset, size=size, crc32c=_crc.mask(crc))
                entry.shape.SetInParent()  # a scalar's shape is still written, as `12 00`
                for d in array.shape:
                    entry.shape.dim.add(size=d)
                entries[key] = entry
                offset += size
        header = _protos.BundleHeaderProto(num_shards=1, endianness=1 if _big_endian else 0)
        header.version.producer = BUNDLE_VERSION
        builder = _table.TableBuilder()
        builder.add(b"", header.SerializeToString())
        for key in sorted(entries):
            builder.add(key, entries[key].SerializeToString())
        index = builder.finish()
        with open(index_temp, "wb") as out:
            out.write(index)
        # Both renames come last and back to back: an earlier checkpoint at this
        # prefix stays whole until the new one is complete on disk.
        os.replace(data_temp, data_path)
        os.replace(index_temp, index_path)
    except BaseException:
        for temp in (data_temp, index_temp):
            try:
                os.remove(temp)
            except OSError:
                pass
        raise


def _random64() -> int:
    return int.from_bytes(os.urandom(8), "little")


def _write_numeric(out: Any, array: np.ndarray, big_endian: bool) -> tuple[int, int]:
    """Streams the raw element bytes; returns (size, unmasked CRC)."""
    if not array.dtype.isnative:
        array = array.astype(array.dtype.newbyteorder("="))
    if big_endian != (sys.byteorder == "big"):
        array = array.byteswap()  # ml_dtypes types have no non-native dtypes, so swap the values
    flat = np.ascontiguousarray(array).reshape(-1).view(np.uint8)
    crc = 0
    for start in range(0, flat.size, _WRITE_CHUNK):
        chunk = flat[start : start + _WRITE_CHUNK]
        crc = _crc.extend(crc, chunk)
        out.write(chunk)
    return flat.size, crc


def _as_bytes(element: Any) -> bytes:
    if isinstance(element, bytes):
        return element
    if isinstance(element, str):
        return element.encode()
    if isinstance(element, (bytearray, memoryview)):
        return bytes(element)
    raise TypeError(f"string tensor elements must be bytes or str, not {type(element).__name__}")


def _lengths_crc(lengths: list[int], order: str) -> int:
    """The CRC over string lengths: each as a uint32 (a uint64 past 4 GiB), not as its varint."""
    if all(n <= _UINT32_MAX for n in lengths):
        return _crc.value(np.array(lengths, dtype=order + "u4"))
    crc = 0
    for n in lengths:
        crc = _crc.extend(crc, struct.pack(order + ("I" if n <= _UINT32_MAX else "Q"), n))
    return crc


def _write_strings(out: Any, array: np.ndarray, big_endian: bool) -> tuple[int, int]:
    """TF's ``WriteStringTensor``: varint64 lengths, masked length CRC, then the bytes."""
    strings = [_as_bytes(s) for s in array.reshape(-1).tolist()]
    lengths = [len(s) for s in strings]
    order = ">" if big_endian else "<"
    crc = _lengths_crc(lengths, order)
    varints = bytearray()
    for n in lengths:
        _table.put_varint(varints, n)
    length_checksum = struct.pack(order + "I", _crc.mask(crc))
    crc = _crc.extend(crc, length_checksum)
    blob = b"".join(strings)
    crc = _crc.extend(crc, blob)
    out.write(varints)
    out.write(length_checksum)
    out.write(blob)
    return len(varints) + 4 + len(blob), crc


# ---------------------------------------------------------------- reading


def _loss(message: str) -> DataLossError:
    return DataLossError(None, None, message)


def _corrupt_file(error: OpError | None, filename: str, detail: str) -> OpError:
    """TF's ``CorruptFileError``: keeps the cause's class, InternalError when there is none."""
    message = (
        f"Unable to read file ({filename}). Perhaps the file is corrupt or was produced by a newer "
        f"version of TensorFlow with format changes ({detail})"
    )
    if error is None:
        return InternalError(None, None, message)
    return type(error)(None, None, f"{message}: {error.message}")


class BundleReader:
    """Reads a V2 checkpoint (``PREFIX.index`` + ``PREFIX.data-*-of-*``), verifying every CRC.

    The whole index is read and checked when the reader is made; tensor data is
    read on demand. Errors are ``tf.errors`` classes with TF's messages: a
    missing checkpoint is ``NotFoundError``, damage is ``DataLossError`` (or
    ``OutOfRangeError`` for a data file cut short, as in TF).

    >>> import tempfile
    >>> prefix = os.path.join(tempfile.mkdtemp(), "c")
    >>> write_bundle(prefix, {"s": np.array([b"hi", b""], dtype=object)})
    >>> with BundleReader(prefix) as reader:
    ...     reader.has("s"), reader.read("s")
    (True, array([b'hi', b''], dtype=object))
    """

    def __init__(self, prefix: str | os.PathLike) -> None:
        self.prefix = os.fspath(prefix)
        self._files: dict[int, Any] = {}
        self._parsed: dict[bytes, Any] = {}
        index_path = self.prefix + ".index"
        try:
            with open(index_path, "rb") as f:
                data = f.read()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise NotFoundError(
                None,
                None,
                f"Unsuccessful TensorSliceReader constructor: Failed to find any matching files for {self.prefix}",
            ) from None
        except OSError as e:
            raise NotFoundError(None, None, f"{index_path}; {e.strerror}") from None
        from . import _protos

        handles = _table.index_handles(data)
        entries: list[tuple[bytes, bytes]] = []
        for i, handle in enumerate(handles):
            try:
                entries.extend(_table.data_block_entries(data, handle))
            except OpError as e:
                # TF reads the first data block to find the header and wraps its errors.
                raise (_corrupt_file(e, index_path, "failed to seek to header entry") if i == 0 else e) from None
        if not entries or entries[0][0] != b"":
            raise _corrupt_file(None, index_path, "failed to seek to header entry")
        header = _protos.BundleHeaderProto()
        try:
            header.ParseFromString(entries[0][1])
        except _protos.PARSE_ERRORS:
            raise _corrupt_file(_loss("Entry for key  not parseable."), index_path, "unable to parse header") from None
        self._check_version(header.version)
        self.num_shards: int = header.num_shards
        self.big_endian: bool = header.endianness == 1
        self._entries: dict[bytes, bytes] = {}
        previous = b""
        for key, value in entries[1:]:
            if key <= previous:
                raise _corrupt_file(_loss("keys out of order"), index_path, "bad table")
            self._entries[key] = value
            previous = key

    @staticmethod
    def _check_version(version: Any) -> None:
        """TF's ``CheckVersions`` for "Checkpoint" (producer 1, min producer 0)."""
        if version.producer < BUNDLE_MIN_PRODUCER:
            message = (
                f"Checkpoint producer version {version.producer} below min producer {BUNDLE_MIN_PRODUCER} supported "
                f"by TensorFlow {TF_VERSION}.  Please regenerate your checkpoint."
            )
        elif version.min_consumer > BUNDLE_VERSION:
            message = (
                f"Checkpoint min consumer version {version.min_consumer} above current version {BUNDLE_VERSION} "
                f"for TensorFlow {TF_VERSION}.  Please upgrade TensorFlow."
            )
        elif BUNDLE_VERSION in version.bad_consumers:
            message = (
                f"Checkpoint disallows consumer version {BUNDLE_VERSION}.  Please upgrade TensorFlow: this version "
                "is likely buggy."
            )
        else:
            return
        raise InvalidArgumentError(None, None, message)

    # -- context manager and cleanup

    def close(self) -> None:
        """Closes the data files this reader opened (reading again reopens them)."""
        for f in self._files.values():
            f.close()
        self._files.clear()

    def __enter__(self) -> BundleReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        files = getattr(self, "_files", None)
        if files:
            self.close()

    # -- metadata

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def keys(self) -> list[str]:
        """The tensor keys, sorted bytewise; TF's binary partition-slice keys (``\\x00...``) are hidden."""
        return [k.decode("utf-8", "surrogateescape") for k in self._entries if not k.startswith(b"\0")]

    def has(self, key: str | bytes) -> bool:
        return _key_bytes(key) in self._entries

    __contains__ = has

    def entry(self, key: str | bytes) -> Any:
        """The key's validated ``BundleEntryProto``; ``NotFoundError`` when there is none."""
        raw_key = _key_bytes(key)
        entry = self._parsed.get(raw_key)
        if entry is not None:
            return entry
        value = self._entries.get(raw_key)
        name = raw_key.decode("utf-8", "replace")
        if value is None:
            raise NotFoundError(None, None, f"Key {name} not found in checkpoint")
        from . import _protos

        entry = _protos.BundleEntryProto()
        try:
            entry.ParseFromString(value)
        except _protos.PARSE_ERRORS:
            raise _loss(f"Entry for key {name} not parseable.") from None
        if not _valid_shape(entry.shape):
            from google.protobuf import text_format

            shape_text = text_format.MessageToString(entry.shape, as_one_line=True)
            raise _loss(f"Invalid tensor shape: {name} {shape_text}")
        self._parsed[raw_key] = entry
        return entry

    def datatype_of(self, key: str | bytes) -> int:
        """The key's TF ``DataType`` value (``1`` for float32), unsupported types included."""
        return self.entry(key).dtype

    def dtype_of(self, key: str | bytes) -> np.dtype:
        """The key's NumPy dtype (``object`` for ``DT_STRING``)."""
        return datatype_to_numpy(self.entry(key).dtype)

    def shape_of(self, key: str | bytes) -> tuple[int, ...]:
        return tuple(d.size for d in self.entry(key).shape.dim)

    # -- data

    def read(self, key: str | bytes) -> np.ndarray:
        """The key's tensor as a NumPy array (strings: an object array of ``bytes``), CRC-checked."""
        entry = self.entry(key)
        name = _key_bytes(key).decode("utf-8", "replace")
        if len(entry.slices):
            raise UnimplementedError(None, None, f"Sliced checkpoints are not supported: {name} is partitioned")
        dtype = datatype_to_numpy(entry.dtype)
        shape = self.shape_of(key)
        if len(shape) > _NUMPY_MAX_DIMS:
            raise UnimplementedError(
                None, None, f"{name} has {len(shape)} dimensions; NumPy arrays have at most {_NUMPY_MAX_DIMS}"
            )
        count = 1
        for d in shape:
            count *= d
        bad_size = f"Invalid size in bundle entry: key {name}; stored size {entry.size}; expected size"
        if entry.dtype == DT_STRING:
            if entry.size < count:
                raise _loss(f"{bad_size} is at least {count}")
        elif entry.size != count * dtype.itemsize:
            raise _loss(f"{bad_size} {count * dtype.itemsize}")
        f = self._data_file(entry.shard_id)
        # Every length that sizes an allocation is bounded by the file's size here.
        if entry.offset < 0 or entry.offset + entry.size > os.fstat(f.fileno()).st_size:
            raise OutOfRangeError(None, None, "Read less bytes than requested")
        try:  # NumPy rejects some shapes TF allows, e.g. (0, 2**62, 4): its byte count overflows
            result = np.empty(shape, dtype)
        except ValueError as e:
            raise UnimplementedError(None, None, f"{name} has shape {list(shape)}: {e}") from None
        if entry.dtype == DT_STRING:
            region = bytearray(entry.size)
            _read_exactly(f, memoryview(region), entry.offset)
            strings, actual = self._read_strings(region, count, entry.offset + entry.size)
            flat = result.reshape(-1)
            for i, string in enumerate(strings):  # element-wise: NumPy would unpack equal-length bytes
                flat[i] = string
        else:
            flat = result.reshape(-1).view(np.uint8)
            _read_exactly(f, memoryview(flat), entry.offset)
            actual = _crc.value(flat)
        stored = _crc.unmask(entry.crc32c)
        if stored != actual:
            raise _loss(
                f"TensorBundle at {self.prefix} shard {entry.shard_id} ({entry.size} bytes): Checksum does not "
                f"match: stored {stored:08d} vs. calculated on the restored bytes {actual}"
            )
        if self.big_endian != (sys.byteorder == "big") and entry.dtype != DT_STRING:
            result = result.byteswap()
        return result

    def _data_file(self, shard_id: int) -> Any:
        f = self._files.get(shard_id)
        if f is None:
            path = data_filename(self.prefix, shard_id, self.num_shards)
            try:
                f = open(path, "rb", buffering=0)  # noqa: SIM115 -- kept open for later reads; close() closes it
            except OSError as e:
                raise NotFoundError(None, None, f"{path}; {e.strerror}") from None
            self._files[shard_id] = f
        return f

    def _read_strings(self, region: bytearray, count: int, end_offset: int) -> tuple[list[bytes], int]:
        """TF's ``ReadStringTensor`` over the entry's bytes; returns (strings, CRC)."""
        order = ">" if self.big_endian else "<"
        lengths = []
        pos = 0
        for _ in range(count):
            decoded = _table.get_varint(region, pos, len(region))
            if decoded is None:
                raise _loss(f"String lengths longer than expected offset {end_offset}")
            lengths.append(decoded[0])
            pos = decoded[1]
        crc = _lengths_crc(lengths, order)
        if pos + 4 > len(region):
            raise _loss(f"String lengths longer than expected offset {end_offset}")
        raw_checksum = bytes(region[pos : pos + 4])
        expected = _crc.unmask(struct.unpack(order + "I", raw_checksum)[0])
        if expected != crc:
            raise _loss(f"The length checksum does not match: expected {expected:08d} but actual is {crc:08d}")
        crc = _crc.extend(crc, raw_checksum)
        pos += 4
        total = sum(lengths)
        if pos + total > len(region):
            raise _loss(f"String bytes longer than expected offset {end_offset}")
        crc = _crc.extend(crc, np.frombuffer(region, np.uint8, total, pos))
        view = memoryview(region)
        strings = []
        for n in lengths:
            strings.append(bytes(view[pos : pos + n]))
            pos += n
        return strings, crc


def _read_exactly(f: Any, view: memoryview, offset: int) -> None:
    """Fills ``view`` from ``offset`` straight into its memory; pread, where there is one, keeps
    concurrent reads from different threads independent of a shared file position."""
    done = 0
    while done < len(view):
        if _HAS_PREADV:
            n = os.preadv(f.fileno(), [view[done:]], offset + done)
        else:
            f.seek(offset + done)
            n = f.readinto(view[done:])
        if not n:
            raise OutOfRangeError(None, None, "Read less bytes than requested")
        done += n


def _key_bytes(key: str | bytes) -> bytes:
    return key.encode("utf-8", "surrogateescape") if isinstance(key, str) else bytes(key)


def _valid_shape(shape: Any) -> bool:
    """TF's ``TensorShape::IsValid``: at most 254 dims, none negative, element count fits int64.

    Like TF 2.21 (checked), ``unknown_rank`` is ignored rather than rejected.
    """
    if len(shape.dim) > _MAX_DIMS:
        return False
    count = 1
    for d in shape.dim:
        if d.size < 0:
            return False
        count *= d.size
        if count > _INT64_MAX:
            return False
    return True
