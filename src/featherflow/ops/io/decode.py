"""Byte decoding: ``tf.io.decode_raw``, ``decode_base64``/``encode_base64`` (web-safe alphabet) and
``decode_compressed`` (ZLIB, GZIP), on the host.

>>> import featherflow as tf
>>> tf.io.decode_raw([b"\\x01\\x00\\x02\\x00"], tf.int16).numpy()
array([[1, 2]], dtype=int16)
>>> tf.io.encode_base64(b"hi?").numpy()
b'aGk_'
"""

from __future__ import annotations

import base64
import re
import zlib
from typing import Any

import numpy as np

from ...dtypes import as_dtype as _as_dtype
from ...dtypes import bool as _bool
from ...dtypes import int32 as _int32
from ...errors import DataLossError
from ...python_values import type_string
from ...tensor import Tensor, kernel_error
from ..convert import tensor
from ..registry import register
from ..strings.core import map_strings, on_host
from .files import string_tensor


def _np_type(out_type: Any, little_endian: bool) -> np.dtype:
    # complex types swap each of their two parts, as NumPy's byte order does (TF's DecodeRaw too)
    return np.dtype(out_type.as_numpy_dtype).newbyteorder("<" if little_endian else ">")


def _stack(rows: list, shape: tuple, np_type: np.dtype, n: int, out_type: Any) -> np.ndarray:
    out = np.empty(shape + (n,), dtype=np.dtype(out_type.as_numpy_dtype))
    flat = out.reshape(len(rows), n)
    for i, row in enumerate(rows):
        values = np.frombuffer(row, dtype=np_type)
        flat[i] = values != 0 if out_type is _bool else values
    return out


@register("DecodeRaw", differentiable=False, host_only=True)
def decode_raw_op(xp: Any, data: Any, out_type: Any, little_endian: bool) -> Any:
    rows = list(data.reshape(-1))
    size = np.dtype(out_type.as_numpy_dtype).itemsize
    first = len(rows[0]) if rows else 0
    for i, row in enumerate(rows):
        if len(row) != first:
            raise kernel_error("DecodeRaw", f"DecodeRaw requires input strings to all be the same size, but element "
                                            f"{i} has size {first} != {len(row)}")
    if first % size:
        raise kernel_error("DecodeRaw", f"Input to DecodeRaw has length {first} that is not a multiple of {size}, "
                                        f"the size of {type_string(out_type)}")
    return _stack(rows, data.shape, _np_type(out_type, little_endian), first // size, out_type)


@register("DecodePaddedRaw", differentiable=False, host_only=True)
def decode_padded_raw_op(xp: Any, data: Any, fixed_length: Any, out_type: Any, little_endian: bool) -> Any:
    length = int(fixed_length)
    size = np.dtype(out_type.as_numpy_dtype).itemsize
    if length % size:
        raise kernel_error("DecodePaddedRaw", f"fixed_length ({length}) must be a multiple of the size of out_type "
                                              f"({size})")
    if length < 0:
        raise kernel_error("DecodePaddedRaw", f"fixed_length ({length}) must be non-negative")
    rows = [row[:length].ljust(length, b"\x00") for row in data.reshape(-1)]
    return _stack(rows, data.shape, _np_type(out_type, little_endian), length // size, out_type)


@on_host
def decode_raw(input_bytes: Any, out_type: Any, little_endian: bool = True, fixed_length: Any = None,
               name: str | None = None) -> Tensor:
    """Each string's bytes as a vector of ``out_type`` (``tf.io.decode_raw``); ``fixed_length``: each string cut
    or zero-padded to that many bytes first."""
    out_type = _as_dtype(out_type)
    data = string_tensor(input_bytes, "DecodeRaw")
    if fixed_length is None:
        decode_raw_op.check_attr("out_type", out_type)
        return decode_raw_op(data, out_type=out_type, little_endian=bool(little_endian))
    length = tensor(fixed_length, _int32)
    decode_padded_raw_op.check_input(1, length)
    decode_padded_raw_op.check_attr("out_type", out_type)
    return decode_padded_raw_op(data, length, out_type=out_type, little_endian=bool(little_endian))


_WEB_SAFE = re.compile(rb"[A-Za-z0-9_-]*")


def _decode_base64(s: bytes) -> bytes:
    body = s[:-2].rstrip(b"=") + s[-2:].rstrip(b"=") if s.endswith(b"=") else s  # TF drops up to two trailing '='
    if not _WEB_SAFE.fullmatch(body):
        raise kernel_error("DecodeBase64", "Invalid character found in base64.")
    if len(body) % 4 == 1:
        raise kernel_error("DecodeBase64", "Base64 string length cannot be 1 modulo 4.")
    return base64.urlsafe_b64decode(body + b"=" * (-len(body) % 4))


@register("DecodeBase64", differentiable=False, host_only=True)
def decode_base64_op(xp: Any, x: Any) -> Any:
    return map_strings(_decode_base64, x)


@on_host
def decode_base64(input: Any, name: str | None = None) -> Tensor:  # noqa: A002 - TF's name
    """Decodes web-safe base64 (``-`` and ``_`` for ``+`` and ``/``; padding optional)."""
    return decode_base64_op(string_tensor(input, "DecodeBase64"))


@register("EncodeBase64", differentiable=False, host_only=True)
def encode_base64_op(xp: Any, x: Any, pad: bool) -> Any:
    return map_strings(lambda s: base64.urlsafe_b64encode(s) if pad else base64.urlsafe_b64encode(s).rstrip(b"="), x)


@on_host
def encode_base64(input: Any, pad: bool = False, name: str | None = None) -> Tensor:  # noqa: A002
    """Encodes as web-safe base64, ``=``-padded only with ``pad=True`` (``tf.io.encode_base64``)."""
    return encode_base64_op(string_tensor(input, "EncodeBase64"), pad=bool(pad))


_ZLIB_ERROR = re.compile(r"Error (-?\d+) while (?:decompressing|preparing to decompress) data:? ?(.*)")
WINDOW_BITS = {"ZLIB": 15, "GZIP": 31}  # zlib's window bits for each format (+16: a gzip header and trailer)


TRUNCATED = "inflate() failed with error -5: unexpected end of data"


def zlib_message(error: zlib.error) -> str:
    """TF's text for a zlib failure (``inflate() failed with error -3: incorrect header check``)."""
    found = _ZLIB_ERROR.fullmatch(str(error))
    code, text = (found.group(1), found.group(2)) if found else ("-3", str(error))
    return f"inflate() failed with error {code}: {text}"


def inflate(data: bytes, kind: str, op_name: str) -> bytes:
    """``data`` decompressed as ``kind`` ("ZLIB" or "GZIP"); TF's DataLossError for a corrupt stream."""
    try:
        out = zlib.decompressobj(WINDOW_BITS[kind])
        result = out.decompress(data) + out.flush()
    except zlib.error as e:
        raise kernel_error(op_name, zlib_message(e), cls=DataLossError) from None
    if not out.eof:
        raise kernel_error(op_name, TRUNCATED, cls=DataLossError)
    return result


@register("DecodeCompressed", host_only=True)
def decode_compressed_op(xp: Any, x: Any, compression_type: str) -> Any:
    if compression_type == "":
        return x.copy()
    return map_strings(lambda s: inflate(s, compression_type, "DecodeCompressed"), x)


@on_host
def decode_compressed(bytes: Any, compression_type: str = "", name: str | None = None) -> Tensor:  # noqa: A002
    """Decompresses each string: ``"ZLIB"``, ``"GZIP"`` or ``""`` (none) (``tf.io.decode_compressed``)."""
    data = string_tensor(bytes, "DecodeCompressed")
    if compression_type == "ZSTD":
        raise NotImplementedError("decode_compressed: compression_type='ZSTD' is not supported by featherflow")
    if compression_type not in ("", "ZLIB", "GZIP"):
        raise kernel_error("DecodeCompressed", "Only ZLIB, ZSTD, GZIP or NONE are supported compressions")
    return decode_compressed_op(data, compression_type=compression_type)

