"""``tf.io.serialize_tensor`` and ``parse_tensor``: a tensor as the bytes of TF's ``TensorProto``.

Serializing writes what TF's ``Tensor::AsProtoTensorContent`` writes (the raw little-endian buffer in
``tensor_content``; strings in ``string_val``), so the bytes equal TF's; parsing takes any TensorProto TF
would (``tensor_content`` or the typed ``*_val`` fields, a short ``*_val`` list filled with its last value).

>>> import featherflow as tf
>>> tf.io.serialize_tensor(tf.constant([1, 2], tf.int8)).numpy()
b'\\x08\\x06\\x12\\x04\\x12\\x02\\x08\\x02"\\x02\\x01\\x02'
>>> tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant([1.5])), tf.float32).numpy()
array([1.5], dtype=float32)
"""

from __future__ import annotations

import base64
import sys
from typing import Any

import numpy as np

from ...dtypes import DType as _DType
from ...dtypes import as_dtype as _as_dtype
from ...dtypes import string as _string
from ...errors import InvalidArgumentError
from ...python_values import type_string
from ...tensor import Tensor, kernel_error
from ..convert import shape_text
from ..convert import tensor as _tensor
from ..registry import register
from ..strings.core import on_host
from ._fs import scalar_bytes
from .files import string_tensor

_LITTLE = sys.byteorder == "little"
# the repeated field that holds each dtype's values when tensor_content is empty (TF's ProtoHelper)
_VAL_FIELDS = {
    "float32": "float_val", "float64": "double_val", "int32": "int_val", "uint8": "int_val", "int16": "int_val",
    "int8": "int_val", "uint16": "int_val", "int64": "int64_val", "bool": "bool_val", "complex64": "scomplex_val",
    "complex128": "dcomplex_val", "float16": "half_val", "bfloat16": "half_val", "uint32": "uint32_val",
    "uint64": "uint64_val", "string": "string_val",
}  # fmt: skip


def _protos() -> Any:
    from . import _protos

    return _protos


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        value |= (byte & 0x7F) << shift
        pos, shift = pos + 1, shift + 7
        if not byte & 0x80:
            return value, pos


def to_proto(array: np.ndarray, dtype: Any, strings_as_content: bool = False) -> Any:
    """``array`` (of featherflow dtype ``dtype``) as a TensorProto message, as TF's AsProtoField (strings in
    ``string_val``, what SerializeTensor writes) or, with ``strings_as_content``, AsProtoTensorContent (strings as
    their varint lengths then their bytes in ``tensor_content``, what SerializeSparse writes)."""
    proto = _protos().TensorProto(dtype=dtype.as_datatype_enum)
    proto.tensor_shape.SetInParent()  # TF writes the shape even for a scalar (an empty message)
    for n in array.shape:
        proto.tensor_shape.dim.add(size=n)
    if dtype is _string and strings_as_content:
        items = array.reshape(-1).tolist()
        if items:
            proto.tensor_content = b"".join(_varint(len(b)) for b in items) + b"".join(items)
    elif dtype is _string:
        proto.string_val.extend(array.reshape(-1).tolist())
    elif array.size:
        data = np.ascontiguousarray(array)
        if not _LITTLE and data.dtype.itemsize > 1:
            data = data.byteswap()
        proto.tensor_content = data.tobytes()
    return proto


@register("SerializeTensor", differentiable=False, host_only=True)
def serialize_tensor_op(xp: Any, x: Any, dtype: Any) -> Any:
    return scalar_bytes(to_proto(x, dtype).SerializeToString())


@on_host
def serialize_tensor(tensor: Any, name: str | None = None) -> Tensor:  # noqa: A002 - TF's name
    """The bytes of ``tensor`` as TF's ``TensorProto`` (``tf.io.serialize_tensor``)."""
    t = _tensor(tensor)
    return serialize_tensor_op(t, dtype=t.dtype)


def from_proto(proto: Any, op_name: str) -> tuple[Any, np.ndarray]:
    """The dtype and host array a TensorProto message holds; TF's error for one it cannot hold."""
    try:
        dtype = _DType(proto.dtype)
    except TypeError:
        dtype = None
    shape = tuple(d.size for d in proto.tensor_shape.dim)
    if dtype is None or dtype.name not in _VAL_FIELDS or proto.tensor_shape.unknown_rank or min(shape, default=0) < 0:
        raise kernel_error(op_name, "Could not parse `serialized` as TensorProto")
    n = int(np.prod(shape, dtype=np.int64))
    if dtype is _string and proto.tensor_content:
        data, pos, lengths = proto.tensor_content, 0, []
        for _ in range(n):
            length, pos = _read_varint(data, pos)
            lengths.append(length)
        out = np.empty(n, dtype=object)
        for i, length in enumerate(lengths):
            out[i], pos = data[pos:pos + length], pos + length
        if pos != len(data):
            raise kernel_error(op_name, "Could not parse `serialized` as TensorProto")
        return dtype, out.reshape(shape)
    if dtype is _string:
        values = list(proto.string_val)
        out = np.empty(n, dtype=object)
        values = values[:n]  # (TF ignores values past the shape's count)
        if values:
            out[:len(values)] = values
            out[len(values):] = values[-1]
        elif n:
            out[:] = b""
        return dtype, out.reshape(shape)
    np_dtype = np.dtype(dtype.as_numpy_dtype)
    if proto.tensor_content:
        raw = np.frombuffer(proto.tensor_content, dtype=np_dtype.newbyteorder("<"))
        if raw.size != n:
            raise kernel_error(op_name, "Could not parse `serialized` as TensorProto")
        return dtype, raw.astype(np_dtype).reshape(shape)
    field = list(getattr(proto, _VAL_FIELDS[dtype.name]))
    if dtype.name in ("complex64", "complex128"):
        field = [complex(r, i) for r, i in zip(field[0::2], field[1::2])]
    if dtype.name in ("float16", "bfloat16"):  # the 16-bit patterns, held in int32s
        values = np.array(field, dtype=np.uint16).view(np_dtype)
    else:
        values = np.array(field, dtype=np_dtype)
    values = values[:n]  # (TF ignores values past the shape's count)
    out = np.zeros(n, dtype=np_dtype)
    if values.size:
        out[:values.size] = values
        out[values.size:] = values[-1]
    return dtype, out.reshape(shape)


@register("ParseTensor", differentiable=False, host_only=True)
def parse_tensor_op(xp: Any, serialized: Any, out_type: Any) -> Any:
    if serialized.ndim:
        raise kernel_error("ParseTensor", f"Expected `serialized` to be a scalar, got shape: "
                                          f"{shape_text(serialized.shape)}")
    data = serialized[()]
    protos = _protos()
    proto = protos.TensorProto()
    try:
        proto.ParseFromString(data)
        dtype, array = from_proto(proto, "ParseTensor")
    except (*protos.PARSE_ERRORS, InvalidArgumentError, IndexError):
        raise kernel_error("ParseTensor", "Could not parse `serialized` as TensorProto, base64: "
                                          + base64.b64encode(data).decode()) from None
    if dtype is not out_type:
        raise kernel_error("ParseTensor", f"Type mismatch between parsed tensor ({type_string(dtype)}) and dtype "
                                          f"({type_string(out_type)})")
    return array


@on_host
def parse_tensor(serialized: Any, out_type: Any, name: str | None = None) -> Tensor:
    """The tensor whose ``TensorProto`` bytes are ``serialized``, checked to be of ``out_type``."""
    out_type = _as_dtype(out_type)
    s = string_tensor(serialized, "ParseTensor")
    parse_tensor_op.check_attr("out_type", out_type)
    return parse_tensor_op(s, out_type=out_type)
