"""The tensor bundle (TF's V2 checkpoint files): format vectors, round trips, errors, atomicity,
and byte-for-byte agreement with real TensorFlow (when it is installed)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest

from featherflow import errors
from featherflow.checkpoint import _crc, _protos, _table
from featherflow.checkpoint.bundle import (
    BundleReader,
    datatype_to_numpy,
    numpy_to_datatype,
    write_bundle,
)
from featherflow.checkpoint.state_file import read_checkpoint_state, write_checkpoint_state

SRC = os.path.join(os.path.dirname(__file__), "..", "..", "src")
DATA = ".data-00000-of-00001"

rng = np.random.default_rng(0)
# One tensor of every dtype the bundle stores, with scalars, 0-element and string cases.
ALL_DTYPES = {
    "f16": rng.standard_normal((3, 4)).astype(np.float16),
    "bf16": rng.standard_normal(5).astype(ml_dtypes.bfloat16),
    "f32": rng.standard_normal((2, 3, 4)).astype(np.float32),
    "f64": np.float64(3.5),
    "i8": np.array([-128, 127], np.int8),
    "i16": np.array([-300, 7], np.int16),
    "i32": np.arange(-3, 4, dtype=np.int32).reshape(7, 1),
    "i64": np.int64(-(2**62)),
    "u8": np.array([0, 255], np.uint8),
    "u16": np.array([65535], np.uint16),
    "u32": np.array([1, 2**32 - 1], np.uint32),
    "u64": np.array([2**64 - 1], np.uint64),
    "bool": np.array([[True, False], [False, True]]),
    "c64": np.array([1 + 2j, -3.5j], np.complex64),
    "c128": np.array([[1 - 1j]], np.complex128),
    "str": np.array([b"hello", b"", "wörld".encode(), b"\0nul\0"], dtype=object),
    "str_scalar": np.array(b"scalar", dtype=object),
    "str_matrix": np.array([[b"a", b"bc"], [b"", b"d" * 300]], dtype=object),
    "empty_f32": np.zeros((0, 3), np.float32),
    "empty_str": np.zeros((2, 0), dtype=object),
    "f8": np.array([1, -2, 0.5], ml_dtypes.float8_e4m3fn),
    "f8e5m2": np.array([1, 2], ml_dtypes.float8_e5m2),
    "i4": np.array([1, -2, 7], ml_dtypes.int4),
}


def assert_same(actual: np.ndarray, expected: np.ndarray) -> None:
    assert actual.dtype == expected.dtype and actual.shape == expected.shape
    if expected.dtype == object:
        assert actual.tolist() == expected.tolist()
    else:
        assert actual.tobytes() == np.ascontiguousarray(expected).tobytes()


def read_all(prefix: str) -> dict[str, np.ndarray]:
    with BundleReader(prefix) as reader:
        return {key: reader.read(key) for key in reader}


# ---------------------------------------------------------------- spec vectors


def test_crc32c_and_mask_vectors():
    assert _crc.value(b"123456789") == 0xE3069283
    assert _crc.extend(0, b"123456789") == 0xE3069283
    assert _crc.extend(_crc.value(b"1234"), b"56789") == 0xE3069283
    assert _crc.mask(0) == 0xA282EAD8
    assert _crc.mask(0xE3069283) == 0xC78AB0E5
    for crc in (0, 1, 0xE3069283, 0xFFFFFFFF, 0x80000000):
        assert _crc.unmask(_crc.mask(crc)) == crc
    assert _crc.value(np.frombuffer(b"123456789", np.uint8)) == 0xE3069283


def test_file_layout_matches_spec_bytes(tmp_path):
    prefix = str(tmp_path / "c")
    write_bundle(prefix, {"n": np.int64(7), "s": np.array([b"hello", b"", "wörld".encode()], dtype=object)})
    entries = dict(_table.read_table(Path(prefix + ".index").read_bytes()))
    assert entries[b""] == bytes.fromhex("08011a020801")  # num_shards 1, version {producer 1}
    data = Path(prefix + DATA).read_bytes()
    assert data[:8] == np.int64(7).tobytes()
    crc = _crc.mask(_crc.value(data[:8])).to_bytes(4, "little")
    assert entries[b"n"] == bytes.fromhex("08091200280835") + crc  # scalar shape is `12 00`; offset 0 omitted
    assert data[8:] == bytes.fromhex("050006fe2141ea") + b"hello" + "wörld".encode()  # spec §5 example
    index = Path(prefix + ".index").read_bytes()
    assert index[-8:] == bytes.fromhex("57fb808b247547db")
    assert bytes.fromhex("0000000001000000" + "00" + "c0f2a1b0") in index  # the empty metaindex block
    empty = str(tmp_path / "e")
    write_bundle(empty, {"z": np.zeros((0,), np.float32)})
    entry = _protos.BundleEntryProto.FromString(dict(_table.read_table(Path(empty + ".index").read_bytes()))[b"z"])
    assert entry.size == 0 and entry.crc32c == 0xA282EAD8 and next(iter(entry.shape.dim)).size == 0


def test_datatype_mapping():
    expected = {
        np.float32: 1, np.float64: 2, np.int32: 3, np.uint8: 4, np.int16: 5, np.int8: 6, object: 7,
        np.complex64: 8, np.int64: 9, np.bool_: 10, ml_dtypes.bfloat16: 14, np.uint16: 17, np.complex128: 18,
        np.float16: 19, np.uint32: 22, np.uint64: 23,
    }  # fmt: skip
    for dtype, value in expected.items():
        assert numpy_to_datatype(dtype) == value
        assert datatype_to_numpy(value) == np.dtype(dtype)
    assert numpy_to_datatype(">f4") == 1 and numpy_to_datatype("S3") == 7 and numpy_to_datatype("U2") == 7
    with pytest.raises(TypeError):
        numpy_to_datatype("datetime64[s]")
    with pytest.raises(errors.UnimplementedError, match="DT_VARIANT"):
        datatype_to_numpy(21)


# ---------------------------------------------------------------- round trips


def test_round_trip_every_dtype(tmp_path):
    prefix = str(tmp_path / "ckpt-1")
    write_bundle(prefix, ALL_DTYPES)
    assert sorted(os.listdir(tmp_path)) == ["ckpt-1" + DATA, "ckpt-1.index"]  # no temp files left
    with BundleReader(prefix) as reader:
        assert reader.keys() == sorted(ALL_DTYPES)
        for key, value in ALL_DTYPES.items():
            assert reader.has(key) and key in reader
            assert reader.dtype_of(key) == value.dtype
            assert reader.shape_of(key) == value.shape
            assert_same(reader.read(key), value)
        assert not reader.has("missing")


def test_big_endian_bundle_round_trip(tmp_path):
    prefix = str(tmp_path / "be")
    tensors = {k: v for k, v in ALL_DTYPES.items() if not k.startswith(("f8", "i4"))}
    write_bundle(prefix, tensors, _big_endian=True)
    entries = dict(_table.read_table(Path(prefix + ".index").read_bytes()))
    assert _protos.BundleHeaderProto.FromString(entries[b""]).endianness == 1
    assert Path(prefix + DATA).read_bytes()[:2] == tensors["f16"].reshape(-1)[:1].astype(">f2").tobytes()
    for key, value in read_all(prefix).items():
        assert_same(value, tensors[key])


def test_inputs_are_converted_like_tf(tmp_path):
    prefix = str(tmp_path / "c")
    base = np.arange(24, dtype=np.float64).reshape(4, 6)
    write_bundle(prefix, {
        "strided": base[::2, ::3], "fortran": np.asfortranarray(base), "swapped": base.astype(">i4"),
        "list": [[1.5, 2.5]], "unicode": np.array(["a", "ü"]), "fixed_bytes": np.array([b"ab", b"c"]),
        b"bytes_key": np.float32(1), "str_elements": np.array(["x", b"y"], dtype=object),
    })  # fmt: skip
    values = read_all(prefix)
    assert_same(values["strided"], base[::2, ::3].copy())
    assert_same(values["fortran"], base)
    assert_same(values["swapped"], base.astype(np.int32))
    assert_same(values["list"], np.array([[1.5, 2.5]]))
    assert values["unicode"].tolist() == [b"a", "ü".encode()]
    assert values["fixed_bytes"].tolist() == [b"ab", b"c"]
    assert values["str_elements"].tolist() == [b"x", b"y"]
    assert_same(values["bytes_key"], np.float32(1))


def test_keys_sorted_bytewise_and_data_in_mapping_order(tmp_path):
    prefix = str(tmp_path / "c")
    write_bundle(prefix, {"b": np.int8(2), "a": np.int8(1), "B": np.int8(3), "é": np.int8(4), "a/b": np.int8(5)})
    assert Path(prefix + DATA).read_bytes() == bytes([2, 1, 3, 4, 5])
    assert BundleReader(prefix).keys() == ["B", "a", "a/b", "b", "é"]


def test_bad_keys_and_values(tmp_path):
    prefix = str(tmp_path / "c")
    with pytest.raises(errors.InvalidArgumentError, match="duplicate key: a"):
        write_bundle(prefix, {"a": np.int8(1), b"a": np.int8(2)})
    with pytest.raises(errors.InvalidArgumentError):
        write_bundle(prefix, {"": np.int8(1)})
    with pytest.raises(TypeError):
        write_bundle(prefix, {"s": np.array([1, "x"], dtype=object)})
    assert os.listdir(tmp_path) == []  # failures clean up their temp files


def test_reads_without_pread(tmp_path, monkeypatch):
    from featherflow.checkpoint import bundle

    monkeypatch.setattr(bundle, "_HAS_PREADV", False)  # the seek + readinto path, as on Windows
    prefix = str(tmp_path / "c")
    write_bundle(prefix, {k: ALL_DTYPES[k] for k in ("f32", "str", "empty_f32", "str_scalar")})
    for key, value in read_all(prefix).items():
        assert_same(value, ALL_DTYPES[key])


def test_writes_stream_without_copies(tmp_path):
    import tracemalloc

    big = np.ones(8 << 20, np.float32)  # 32 MiB
    tracemalloc.start()
    try:
        write_bundle(str(tmp_path / "contiguous"), {"big": big, "small": np.arange(3)})
        contiguous_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        write_bundle(str(tmp_path / "strided"), {"big": big[::2]})
        strided_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert contiguous_peak < 4 << 20  # only write buffers: the array's memory is written in place
    assert strided_peak < big.nbytes // 2 + (4 << 20)  # one contiguous copy of the one tensor that needs it
    assert_same(BundleReader(str(tmp_path / "strided")).read("big"), big[::2].copy())


def test_import_is_light():
    # protobuf and the CRC extension load on the first checkpoint read or write, not on import.
    code = (
        "import sys, featherflow.checkpoint.bundle; "
        "print(sorted(m for m in ('google.protobuf', 'google_crc32c') if m in sys.modules))"
    )
    env = dict(os.environ, PYTHONPATH=os.path.abspath(SRC))
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert output.stdout.strip() == "[]"


def test_multi_block_index(tmp_path):
    prefix = str(tmp_path / "many")
    tensors = {
        f"model/layer_{i:05d}/kernel/.ATTRIBUTES/VARIABLE_VALUE": np.full(2, i, np.float32) for i in range(10_000)
    }
    write_bundle(prefix, tensors)
    index = Path(prefix + ".index").read_bytes()
    assert len(_table.index_handles(index)) > 1
    with BundleReader(prefix) as reader:
        keys = reader.keys()
        assert keys == sorted(tensors)
        for key in keys[::997] + keys[-3:]:
            assert_same(reader.read(key), tensors[key])


def test_huge_entries_flush_blocks_like_tf():
    builder = _table.TableBuilder()
    items = [(b"", b"h"), (b"a" * 600_000, b"v"), (b"b", b"w"), (b"c" * 300_000, b""), (b"d", b"x")]
    for key, value in items:
        builder.add(key, value)
    table = builder.finish()
    assert len(_table.index_handles(table)) == 4
    assert _table.read_table(table) == items
    with pytest.raises(ValueError):
        builder = _table.TableBuilder()
        builder.add(b"b", b"")
        builder.add(b"a", b"")


def _snappy_compress(raw: bytes) -> bytes:
    """A tiny raw-Snappy encoder for tests: literals, and a 4-byte copy wherever the data repeats with period 4."""
    out = bytearray()
    _table.put_varint(out, len(raw))
    literal = bytearray()

    def flush() -> None:
        if literal:
            out.extend(bytes([(len(literal) - 1) << 2]) + literal)
            literal.clear()

    i = 0
    while i < len(raw):
        if 4 <= i <= len(raw) - 4 and raw[i : i + 4] == raw[i - 4 : i]:
            flush()
            out.extend(bytes([(4 - 1) << 2 | 2, 4, 0]))  # copy-2: length 4, offset 4
            i += 4
        else:
            literal.append(raw[i])
            i += 1
            if len(literal) == 60:
                flush()
    flush()
    return bytes(out)


def test_snappy():
    assert _table.snappy_uncompress(bytes([5, 0 << 2, ord("a"), (4 - 1) << 2 | 2, 1, 0])) == b"aaaaa"  # overlap
    long_literal = bytes(range(256)) * 2
    stream = bytearray()
    _table.put_varint(stream, len(long_literal))
    stream += bytes([61 << 2]) + (len(long_literal) - 1).to_bytes(2, "little") + long_literal
    assert _table.snappy_uncompress(bytes(stream)) == long_literal
    for bad in (b"", bytes([200]), bytes([3, 0, 1]), bytes([4, 2 << 2 | 2, 9, 0]), bytes([0xFF] * 6), bytes([1, 8, 1])):
        with pytest.raises(errors.DataLossError, match="corrupted compressed block contents"):
            _table.snappy_uncompress(bad)
    # A table whose data block is Snappy-compressed reads like an uncompressed one.
    block = _table._BlockBuilder(16)
    block.add(b"", b"abcd" * 40)
    contents = block.finish()
    compressed = _snappy_compress(contents)
    assert len(compressed) < len(contents) and _table.snappy_uncompress(compressed) == contents
    assert _table.read_table(_table_with_raw_block(compressed, block_type=1)) == [(b"", b"abcd" * 40)]
    assert _table.read_table(_table_with_raw_block(contents, block_type=0)) == [(b"", b"abcd" * 40)]
    with pytest.raises(errors.DataLossError, match="^bad block type$"):
        _table.read_table(_table_with_raw_block(contents, block_type=2))


def _table_with_raw_block(contents: bytes, block_type: int) -> bytes:
    """A one-data-block table whose data block is `contents` stored with `block_type`."""
    out = bytearray(contents) + bytes([block_type])
    out += _crc.mask(_crc.value(bytes(out))).to_bytes(4, "little")
    data_handle = bytearray()
    _table.put_varint(data_handle, 0)
    _table.put_varint(data_handle, len(contents))
    index = _table._BlockBuilder(1)
    index.add(b"\x01", bytes(data_handle))
    handles = bytearray()
    for block in (_table._BlockBuilder(16), index):
        raw = block.finish()
        _table.put_varint(handles, len(out))
        _table.put_varint(handles, len(raw))
        out += raw + b"\0" + _crc.mask(_crc.extend(_crc.value(raw), b"\0")).to_bytes(4, "little")
    return bytes(out + bytes(handles).ljust(40, b"\0") + bytes.fromhex("57fb808b247547db"))


def test_multi_shard_bundle(tmp_path):
    # Two single-shard bundles merged the way MergeV2Checkpoints does: renamed data files, one index.
    write_bundle(str(tmp_path / "p0"), {"a": np.arange(3.0), "s": np.array([b"x"], dtype=object)})
    write_bundle(str(tmp_path / "p1"), {"b": np.int32(5)})
    builder = _table.TableBuilder()
    builder.add(b"", _protos.BundleHeaderProto(num_shards=2, version={"producer": 1}).SerializeToString())
    merged = {}
    for shard, part in enumerate(("p0", "p1")):
        os.rename(tmp_path / (part + DATA), tmp_path / f"m.data-{shard:05d}-of-00002")
        for key, value in _table.read_table(Path(tmp_path / (part + ".index")).read_bytes())[1:]:
            entry = _protos.BundleEntryProto.FromString(value)
            entry.shard_id = shard
            merged[key] = entry.SerializeToString()
    for key in sorted(merged):
        builder.add(key, merged[key])
    (tmp_path / "m.index").write_bytes(builder.finish())
    values = read_all(str(tmp_path / "m"))
    assert_same(values["a"], np.arange(3.0))
    assert_same(values["b"], np.int32(5))
    assert values["s"].tolist() == [b"x"]


# ---------------------------------------------------------------- errors


def _rewrite_index(prefix: str, new_prefix: str, header=None, **entry_changes) -> None:
    """Copies a bundle, replacing its header and/or editing the entry of key "x" (shape dims as `dims=`)."""
    builder = _table.TableBuilder()
    for key, value in _table.read_table(Path(prefix + ".index").read_bytes()):
        if key == b"" and header is not None:
            value = header
        elif key == b"x" and entry_changes:
            entry = _protos.BundleEntryProto.FromString(value)
            for name, change in entry_changes.items():
                if name == "dims":
                    del entry.shape.dim[:]
                    for d in change:
                        entry.shape.dim.add(size=d)
                elif name == "slices":
                    entry.slices.add()
                else:
                    setattr(entry, name, change)
            value = entry.SerializeToString()
        builder.add(key, value)
    Path(new_prefix + ".index").write_bytes(builder.finish())
    Path(new_prefix + DATA).write_bytes(Path(prefix + DATA).read_bytes())


def test_missing_things_are_not_found(tmp_path):
    with pytest.raises(errors.NotFoundError) as info:
        BundleReader(str(tmp_path / "nope"))
    assert str(info.value) == (
        f"Unsuccessful TensorSliceReader constructor: Failed to find any matching files for {tmp_path / 'nope'}"
    )
    prefix = str(tmp_path / "c")
    write_bundle(prefix, {"x": np.arange(3, dtype=np.float32)})
    reader = BundleReader(prefix)
    with pytest.raises(errors.NotFoundError, match="^Key nokey not found in checkpoint$"):
        reader.read("nokey")
    with pytest.raises(errors.NotFoundError):
        reader.shape_of("nokey")
    reader.close()
    os.remove(prefix + DATA)
    with pytest.raises(errors.NotFoundError, match=f"^{prefix}{DATA}; No such file or directory$"):
        BundleReader(prefix).read("x")


def test_checksum_errors_have_tf_messages(tmp_path):
    prefix = str(tmp_path / "c")
    write_bundle(prefix, {"x": np.arange(3, dtype=np.float32), "s": np.array([b"ab", b"cde"], dtype=object)})
    data = bytearray(Path(prefix + DATA).read_bytes())
    entries = {
        k: _protos.BundleEntryProto.FromString(v)
        for k, v in _table.read_table(Path(prefix + ".index").read_bytes())[1:]
    }
    data[0] ^= 1
    Path(prefix + DATA).write_bytes(data)
    stored = _crc.unmask(entries[b"x"].crc32c)
    actual = _crc.value(bytes(data[:12]))
    with pytest.raises(errors.DataLossError) as info:
        BundleReader(prefix).read("x")
    assert str(info.value) == (
        f"TensorBundle at {prefix} shard 0 (12 bytes): Checksum does not match: stored {stored:08d} vs. "
        f"calculated on the restored bytes {actual}"
    )
    data[0] ^= 1
    data[12] ^= 1  # the first string length
    Path(prefix + DATA).write_bytes(data)
    with pytest.raises(errors.DataLossError, match="^The length checksum does not match: expected "):
        BundleReader(prefix).read("s")
    data[12] ^= 1
    data[-1] ^= 1  # the last string byte
    Path(prefix + DATA).write_bytes(data)
    with pytest.raises(errors.DataLossError, match=r"shard 0 \(11 bytes\): Checksum does not match"):
        BundleReader(prefix).read("s")
    Path(prefix + DATA).write_bytes(data[:10])
    with pytest.raises(errors.OutOfRangeError, match="^Read less bytes than requested$"):
        BundleReader(prefix).read("x")


def test_index_damage_is_data_loss(tmp_path):
    prefix = str(tmp_path / "c")
    write_bundle(prefix, {"x": np.arange(3, dtype=np.float32)})
    index = Path(prefix + ".index").read_bytes()
    cases = {
        "short": (index[:47], "^file is too short to be an sstable$"),
        "magic": (index[:-1] + b"\0", r"^not an sstable \(bad magic number\)$"),
        "index block": (_flip(index, len(index) - 49), "^block checksum mismatch$"),
        "data block": (_flip(index, 3), r"\(failed to seek to header entry\): block checksum mismatch$"),
    }
    for damaged, message in cases.values():
        Path(prefix + ".index").write_bytes(damaged)
        with pytest.raises(errors.DataLossError, match=message):
            BundleReader(prefix)


def _flip(data: bytes, position: int, bits: int = 0x01) -> bytes:
    return data[:position] + bytes([data[position] ^ bits]) + data[position + 1 :]


def test_bad_headers_and_entries(tmp_path):
    base = str(tmp_path / "base")
    write_bundle(base, {"x": np.arange(3, dtype=np.float32)})
    header = _protos.BundleHeaderProto
    cases = [
        ({"header": header(num_shards=1, version={"producer": 1, "min_consumer": 5}).SerializeToString()},
         errors.InvalidArgumentError, "Checkpoint min consumer version 5 above current version 1 for TensorFlow"),
        ({"header": header(num_shards=1, version={"producer": -1}).SerializeToString()},
         errors.InvalidArgumentError, "Checkpoint producer version -1 below min producer 0"),
        ({"header": header(num_shards=1, version={"producer": 2, "bad_consumers": [1]}).SerializeToString()},
         errors.InvalidArgumentError, "Checkpoint disallows consumer version 1"),
        ({"header": b"\xff"}, errors.DataLossError, r"\(unable to parse header\): Entry for key  not parseable."),
        ({"header": header(num_shards=3, version={"producer": 1}).SerializeToString()},
         errors.NotFoundError, "h.data-00000-of-00003; No such file"),
        ({"size": 16}, errors.DataLossError, "^Invalid size in bundle entry: key x; stored size 16; expected size 12$"),
        ({"offset": 8}, errors.OutOfRangeError, "^Read less bytes than requested$"),
        ({"offset": -1}, errors.OutOfRangeError, "^Read less bytes than requested$"),
        ({"shard_id": 1}, errors.NotFoundError, r"h.data-00001-of-00001; No such file"),
        ({"dims": [3, -1]}, errors.DataLossError, r"^Invalid tensor shape: x dim \{ size: 3 \} dim \{ size: -1 \}$"),
        ({"dims": [1] * 255}, errors.DataLossError, "^Invalid tensor shape: x "),
        ({"dims": [2**40, 2**40]}, errors.DataLossError, "^Invalid tensor shape: x "),
        ({"dims": [1] * 65}, errors.UnimplementedError, "65 dimensions"),
        ({"dims": [0, 2**62, 4], "size": 0}, errors.UnimplementedError, "shape"),
        ({"dtype": 21}, errors.UnimplementedError, "DT_VARIANT"),
        ({"dtype": 7, "size": 2}, errors.DataLossError, "expected size is at least 3"),
        ({"slices": True}, errors.UnimplementedError, "Sliced"),
    ]  # fmt: skip
    for i, (change, error, message) in enumerate(cases):
        prefix = str(tmp_path / f"{i}h")
        _rewrite_index(base, prefix, **change)
        with pytest.raises(error, match=message), BundleReader(prefix) as reader:
            reader.read("x")
    prefix = str(tmp_path / "garbage_entry")
    _rewrite_index(base, prefix)  # copies the data file; the index is replaced below
    builder = _table.TableBuilder()
    builder.add(b"", header(num_shards=1, version={"producer": 1}).SerializeToString())
    builder.add(b"x", b"\xff\xff")
    Path(prefix + ".index").write_bytes(builder.finish())
    with pytest.raises(errors.DataLossError, match=r"^Entry for key x not parseable.$"):
        BundleReader(prefix).dtype_of("x")
    unknown_rank = str(tmp_path / "unknown_rank")  # TF 2.21 ignores the flag on a stored shape
    _rewrite_index(base, unknown_rank, dims=[3])
    assert_same(BundleReader(unknown_rank).read("x"), np.arange(3, dtype=np.float32))


# ---------------------------------------------------------------- atomicity

_CHILD = """
import sys, time, numpy as np
sys.path.insert(0, {src!r})
from collections.abc import Mapping
from featherflow.checkpoint import _table, bundle

def pause():
    print("paused", flush=True)
    time.sleep(60)

class Tensors(Mapping):  # pauses once half the data file is written
    def __init__(self): self.keys_ = [f"t{{i}}" for i in range(8)]
    def __iter__(self): return iter(self.keys_)
    def __len__(self): return len(self.keys_)
    def __getitem__(self, key):
        if key == "t4" and {where!r} == "data":
            pause()
        return np.full(1 << 20, 2.0, np.float32)

if {where!r} == "index":
    finish = _table.TableBuilder.finish
    _table.TableBuilder.finish = lambda self: (pause(), finish(self))[1]
bundle.write_bundle({prefix!r}, Tensors())
"""


@pytest.mark.parametrize("where", ["data", "index"])
def test_killed_save_leaves_previous_checkpoint_intact(tmp_path, where):
    prefix = str(tmp_path / "ckpt")
    old = {f"t{i}": np.full(1 << 20, 1.0, np.float32) for i in range(8)}
    old["extra"] = np.array([b"old"], dtype=object)
    write_bundle(prefix, old)
    before = {ext: Path(prefix + ext).read_bytes() for ext in (".index", DATA)}
    script = _CHILD.format(src=os.path.abspath(SRC), where=where, prefix=prefix)
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], stdout=subprocess.PIPE)
    try:
        assert child.stdout.readline() == b"paused\n"
        temps = [tmp_path / name for name in os.listdir(tmp_path) if ".tempstate" in name]
        assert any(os.path.getsize(temp) > 0 for temp in temps)  # it really was mid-save
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert {ext: Path(prefix + ext).read_bytes() for ext in (".index", DATA)} == before
    for key, value in read_all(prefix).items():
        assert_same(value, old[key])
    write_bundle(prefix, {"new": np.int8(1)})  # leftover temp files don't get in the way of the next save
    assert BundleReader(prefix).keys() == ["new"]


# ---------------------------------------------------------------- the `checkpoint` state file


def test_checkpoint_state_round_trip(tmp_path):
    d = str(tmp_path)
    assert read_checkpoint_state(d) is None
    write_checkpoint_state(
        d, os.path.join(d, "ckpt-3"), [os.path.join(d, "ckpt-2"), "ckpt-3"],
        all_model_checkpoint_timestamps=[1795551688.7087286, 1795551688.7226164],
        last_preserved_timestamp=1795551687.5927236,
    )  # fmt: skip
    assert Path(os.path.join(d, "checkpoint")).read_text() == (
        'model_checkpoint_path: "ckpt-3"\n'
        'all_model_checkpoint_paths: "ckpt-2"\n'
        'all_model_checkpoint_paths: "ckpt-3"\n'
        "all_model_checkpoint_timestamps: 1795551688.7087286\n"
        "all_model_checkpoint_timestamps: 1795551688.7226164\n"
        "last_preserved_timestamp: 1795551687.5927236\n"
    )
    state = read_checkpoint_state(d)
    assert state.model_checkpoint_path == os.path.join(d, "ckpt-3")
    assert list(state.all_model_checkpoint_paths) == [os.path.join(d, "ckpt-2"), os.path.join(d, "ckpt-3")]
    write_checkpoint_state(d, "ckpt-4", [])
    assert Path(os.path.join(d, "checkpoint")).read_text() == (
        'model_checkpoint_path: "ckpt-4"\nall_model_checkpoint_paths: "ckpt-4"\n'
    )
    assert os.listdir(d) == ["checkpoint"]
    with pytest.raises(ValueError, match="timestamps"):
        write_checkpoint_state(d, "ckpt-5", ["ckpt-5"], all_model_checkpoint_timestamps=[1.0, 2.0])
    Path(os.path.join(d, "checkpoint")).write_text("not_a_field: 1\n")
    assert read_checkpoint_state(d) is None  # TF ignores a state file it can't parse
    Path(os.path.join(d, "checkpoint")).write_text("")
    with pytest.raises(ValueError, match="Invalid checkpoint state loaded from"):
        read_checkpoint_state(d)


# ---------------------------------------------------------------- against real TensorFlow


@pytest.fixture(scope="module")
def tf(tf_oracle):
    return tf_oracle  # real TensorFlow, from tests/conftest.py; these tests skip without it


def _tf_save(tf, prefix: str, tensors: dict) -> None:
    values = [tf.constant(v.tolist(), tf.string) if v.dtype == object else tf.constant(v) for v in tensors.values()]
    tf.raw_ops.SaveV2(prefix=prefix, tensor_names=list(tensors), shape_and_slices=[""] * len(tensors), tensors=values)


def _same_files(a: str, b: str) -> None:
    for ext in (".index", DATA):
        assert Path(a + ext).read_bytes() == Path(b + ext).read_bytes(), ext


def test_byte_identical_to_tensorflow_and_readable_both_ways(tf, tmp_path):
    cases = {
        "dtypes": ALL_DTYPES,
        "many": {f"m/{i:05d}/.ATTRIBUTES/VARIABLE_VALUE": np.full(2, i, np.int64) for i in range(10_000)},
        "huge_keys": {"a" * 600_000: np.int8(1), "b": np.int8(2), "c" * 300_000: np.int8(3), "d": np.int8(4)},
    }
    for name, tensors in cases.items():
        ours, theirs = str(tmp_path / f"ff_{name}"), str(tmp_path / f"tf_{name}")
        write_bundle(ours, tensors)
        _tf_save(tf, theirs, tensors)
        _same_files(ours, theirs)
    assert len(_table.index_handles(Path(tmp_path / "ff_many.index").read_bytes())) > 1
    tf_reader = tf.train.load_checkpoint(str(tmp_path / "ff_dtypes"))
    for key, value in ALL_DTYPES.items():
        assert_same(np.asarray(tf_reader.get_tensor(key), dtype=value.dtype), value)
    big = str(tmp_path / "big_endian")
    tensors = {k: v for k, v in ALL_DTYPES.items() if v.dtype.itemsize > 1 or v.dtype == object}
    write_bundle(big, tensors, _big_endian=True)
    tf_reader = tf.train.load_checkpoint(big)
    for key, value in tensors.items():
        assert_same(np.asarray(tf_reader.get_tensor(key), dtype=value.dtype), value)
    # A sharded checkpoint as TF's MergeV2Checkpoints makes it.
    _tf_save(tf, str(tmp_path / "part0"), {"a": np.arange(4.0), "s": np.array([b"x", b"yz"], dtype=object)})
    _tf_save(tf, str(tmp_path / "part1"), {"b": np.int32(5)})
    merged = str(tmp_path / "merged")
    tf.raw_ops.MergeV2Checkpoints(
        checkpoint_prefixes=[str(tmp_path / "part0"), str(tmp_path / "part1")], destination_prefix=merged
    )
    with BundleReader(merged) as reader:
        assert reader.num_shards == 2
        assert_same(reader.read("a"), np.arange(4.0))
        assert_same(reader.read("b"), np.int32(5))
        assert reader.read("s").tolist() == [b"x", b"yz"]


def test_protos_match_tensorflow_descriptors(tf):
    from google.protobuf import descriptor_pb2
    from tensorflow.core.framework import tensor_shape_pb2, tensor_slice_pb2, types_pb2, versions_pb2
    from tensorflow.core.protobuf import tensor_bundle_pb2, trackable_object_graph_pb2
    from tensorflow.python.training import checkpoint_state_pb2

    def normalized(file_descriptor) -> descriptor_pb2.FileDescriptorProto:
        proto = descriptor_pb2.FileDescriptorProto()
        file_descriptor.CopyToProto(proto)
        proto.ClearField("options")
        if proto.name.endswith("types.proto"):
            proto.ClearField("message_type")  # SerializedDType, which checkpoints don't use

        def strip(message):
            for field in message.field:
                field.ClearField("json_name")
            for nested in message.nested_type:
                strip(nested)

        for message in proto.message_type:
            strip(message)
        return proto

    modules = (types_pb2, tensor_shape_pb2, tensor_slice_pb2, versions_pb2, tensor_bundle_pb2,
               trackable_object_graph_pb2, checkpoint_state_pb2)  # fmt: skip
    for module in modules:
        ours = _protos._pool.FindFileByName(module.DESCRIPTOR.name)
        assert normalized(ours) == normalized(module.DESCRIPTOR), module.DESCRIPTOR.name


def test_checkpoint_state_matches_tensorflow(tf, tmp_path, monkeypatch):
    from tensorflow.python.checkpoint import checkpoint_management

    monkeypatch.chdir(tmp_path)  # relative directories and paths are resolved against the working directory
    for side in ("ours", "theirs"):
        (tmp_path / side).mkdir()  # TF's writer doesn't create the directory
    timestamps = {"all_model_checkpoint_timestamps": [1.5, 1795551688.7226164], "last_preserved_timestamp": 0.25}
    cases = [  # (directory, model path, earlier paths, extra arguments)
        (str(tmp_path / "{}"), str(tmp_path / "{}" / "ckpt-2"), [str(tmp_path / "{}" / "ckpt-1")], timestamps),
        ("{}", "{}/ckpt-3", ["{}/ckpt-2", str(tmp_path / "{}" / "ckpt-3")], {}),
        ("{}", "ckpt-4", [], {}),
        (str(tmp_path / "{}"), "ckpt-5", ["ckpt-4"], {}),
    ]
    for directory, model_path, paths, extra in cases:
        texts = []
        for side in ("ours", "theirs"):
            args = (directory.format(side), model_path.format(side), [p.format(side) for p in paths])
            if side == "ours":
                write_checkpoint_state(*args, **extra)
            else:
                checkpoint_management.update_checkpoint_state_internal(*args, save_relative_paths=True, **extra)
            texts.append((tmp_path / side / "checkpoint").read_text())
        assert texts[0] == texts[1], (directory, model_path)
        for side in ("ours", "theirs"):
            theirs = tf.train.get_checkpoint_state(directory.format(side))
            ours = read_checkpoint_state(directory.format(side))
            assert ours.model_checkpoint_path == theirs.model_checkpoint_path
            assert list(ours.all_model_checkpoint_paths) == list(theirs.all_model_checkpoint_paths)
    write_bundle(str(tmp_path / "ours" / "ckpt-5"), {"x": np.int8(1)})
    assert tf.train.latest_checkpoint(str(tmp_path / "ours")) == str(tmp_path / "ours" / "ckpt-5")


def test_errors_match_tensorflow(tf, tmp_path):
    base = str(tmp_path / "base")
    write_bundle(base, {"x": np.arange(3, dtype=np.float32), "s": np.array([b"ab", b"cde"], dtype=object)})
    index = Path(base + ".index").read_bytes()
    data = Path(base + DATA).read_bytes()
    cases = {
        "missing": None,
        "crc": (index, _flip(data, 0)),
        "length_crc": (index, _flip(data, 12)),
        "string_crc": (index, _flip(data, len(data) - 1)),
        "truncated_data": (index, data[:10]),
        "short_index": (index[:40], data),
        "magic": (_flip(index, len(index) - 1), data),
        "index_block": (_flip(index, len(index) - 49), data),
        "no_data": (index, None),
    }
    for name, files in cases.items():
        prefix = str(tmp_path / name)
        if files is not None:
            Path(prefix + ".index").write_bytes(files[0])
            if files[1] is not None:
                Path(prefix + DATA).write_bytes(files[1])
        for key, dtype in (("x", tf.float32), ("s", tf.string), ("nokey", tf.float32)):
            try:
                tf.raw_ops.RestoreV2(prefix=prefix, tensor_names=[key], shape_and_slices=[""], dtypes=[dtype])
                expected = None
            except tf.errors.OpError as e:
                expected = (type(e).__name__, e.message.split("}} ", 1)[-1].removesuffix(" [Op:RestoreV2]"))
            try:
                BundleReader(prefix).read(key)
                actual = None
            except errors.OpError as e:
                actual = (type(e).__name__, str(e))
            assert actual == expected, (name, key)
