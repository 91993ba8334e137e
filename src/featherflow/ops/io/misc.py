"""The rest of ``tf.io``: SparseTensors as TensorProto bytes (``serialize_sparse``, ``serialize_many_sparse``,
``deserialize_many_sparse``), ``decode_json_example`` and ``match_filenames_once``, on the host.

>>> import featherflow as tf
>>> sp = tf.sparse.SparseTensor([[0, 1], [2, 0]], [1.5, 2.5], [3, 4])
>>> tf.io.deserialize_many_sparse(tf.io.serialize_many_sparse(sp), tf.float32).values.numpy()
array([1.5, 2.5], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...dtypes import as_dtype as _as_dtype
from ...dtypes import int64 as _int64
from ...dtypes import string as _string
from ...python_values import type_string
from ...tensor import Tensor, kernel_error
from ...variable import Variable
from ..convert import shape_text
from ..registry import register
from ..sparse import SparseTensor
from ..strings.core import on_host
from ._fs import bytes_vector
from .files import matching_files, string_tensor
from .tensor_proto import from_proto, to_proto


def _serialized(indices: np.ndarray, values: np.ndarray, shape: np.ndarray, dtype: Any) -> list:
    return [to_proto(indices, _int64).SerializeToString(),
            to_proto(values, dtype, strings_as_content=True).SerializeToString(),
            to_proto(shape, _int64).SerializeToString()]


@register("SerializeSparse", host_only=True)
def serialize_sparse_op(xp: Any, indices: Any, values: Any, shape: Any, dtype: Any) -> Any:
    return bytes_vector(_serialized(indices, values, shape, dtype))


@register("SerializeManySparse", host_only=True)
def serialize_many_sparse_op(xp: Any, indices: Any, values: Any, shape: Any, dtype: Any) -> Any:
    if shape.size < 2:
        raise kernel_error("SerializeManySparse", f"Rank of input SparseTensor should be > 1, but saw rank: "
                                                  f"{shape.size}")
    out = np.empty((int(shape[0]), 3), dtype=object)
    for i in range(int(shape[0])):
        rows = indices[:, 0] == i
        out[i] = _serialized(np.ascontiguousarray(indices[rows, 1:]), values[rows], shape[1:], dtype)
    return out


def _sparse_parts(sp_input: Any, out_type: Any) -> tuple:
    if _as_dtype(out_type) is not _string:
        raise NotImplementedError(f"serialize_sparse: out_type={_as_dtype(out_type).name} is not supported by "
                                  "featherflow (only tf.string)")
    if not isinstance(sp_input, SparseTensor):
        raise TypeError(f"Input must be a SparseTensor. Received: {sp_input!r}")
    return sp_input.indices, sp_input.values, sp_input.dense_shape


@on_host
def serialize_sparse(sp_input: Any, out_type: Any = _string, name: str | None = None) -> Tensor:
    """A SparseTensor as 3 strings: the TensorProto bytes of its indices, values and dense shape."""
    indices, values, shape = _sparse_parts(sp_input, out_type)
    return serialize_sparse_op(indices, values, shape, dtype=values.dtype)


@on_host
def serialize_many_sparse(sp_input: Any, out_type: Any = _string, name: str | None = None) -> Tensor:
    """Each entry along a SparseTensor's first dimension serialized as by ``serialize_sparse``: an ``[N, 3]``
    string matrix."""
    indices, values, shape = _sparse_parts(sp_input, out_type)
    return serialize_many_sparse_op(indices, values, shape, dtype=values.dtype)


@register("DeserializeManySparse", n_outputs=3, host_only=True)
def deserialize_many_sparse_op(xp: Any, serialized: Any, dtype: Any) -> Any:
    op = "DeserializeManySparse"
    if serialized.ndim != 2 or serialized.shape[1] != 3:
        raise kernel_error(op, f"Serialized sparse should be a matrix with 3 columns, but got shape: "
                               f"{shape_text(serialized.shape)}")
    from . import _protos

    parts = []
    for i, row in enumerate(serialized):
        parsed = []
        for j, data in enumerate(row):
            proto = _protos.TensorProto()
            try:
                proto.ParseFromString(data)
                parsed.append(from_proto(proto, op))
            except (*_protos.PARSE_ERRORS, IndexError):
                raise kernel_error(op, f"Could not parse serialized_sparse[{i}, {j}]") from None
        (_, idx), (vdtype, vals), (_, shp) = parsed
        if vdtype is not dtype:
            raise kernel_error(op, f"Requested SparseTensor of type {type_string(dtype)} but "
                                   f"SparseTensor[{i}].values.dtype() == {type_string(vdtype)}")
        parts.append((idx, vals, shp))
    rank = max((len(s) for _, _, s in parts), default=0)
    shape = np.array([len(parts)] + [max(int(s[d]) for _, _, s in parts) for d in range(rank)], dtype=np.int64)
    indices = np.concatenate([np.concatenate([np.full((len(v), 1), i, np.int64), ix.astype(np.int64)], axis=1)
                              for i, (ix, v, _) in enumerate(parts)]) if parts else np.zeros((0, 1), np.int64)
    values = np.concatenate([v for _, v, _ in parts]) if parts else np.zeros(0, dtype=dtype.as_numpy_dtype)
    return indices, values, shape


@on_host
def deserialize_many_sparse(serialized_sparse: Any, dtype: Any, rank: int | None = None,
                            name: str | None = None) -> Any:
    """The SparseTensor an ``[N, 3]`` matrix from ``serialize_many_sparse`` holds, its first dimension ``N``."""
    dtype = _as_dtype(dtype)
    indices, values, shape = deserialize_many_sparse_op(string_tensor(serialized_sparse, "DeserializeManySparse"),
                                                        dtype=dtype)
    if rank is not None and indices.shape[1] != rank:
        raise ValueError(f"Tensor's shape {tuple(indices.shape)} is not compatible with supplied shape (None, {rank}).")
    return SparseTensor(indices, values, shape)


@register("DecodeJSONExample", host_only=True)
def decode_json_example_op(xp: Any, json_examples: Any) -> Any:
    from google.protobuf import json_format

    from . import _protos

    def one(text: bytes) -> bytes:
        try:
            return json_format.Parse(text.decode("utf-8"), _protos.Example()).SerializeToString()
        except (json_format.ParseError, UnicodeDecodeError) as e:
            raise kernel_error("DecodeJSONExample", f"Error while parsing JSON: {e}") from None

    out = np.empty(json_examples.shape, dtype=object)
    for index, text in np.ndenumerate(json_examples):
        out[index] = one(text)
    return out


@on_host
def decode_json_example(json_examples: Any, name: str | None = None) -> Tensor:
    """``tf.train.Example`` protos written in JSON, as their binary serialization (``tf.io.decode_json_example``)."""
    return decode_json_example_op(string_tensor(json_examples, "DecodeJSONExample"))


def match_filenames_once(pattern: Any, name: str | None = None) -> Variable:
    """A variable holding the file names matching ``pattern``, found once, when it is made."""
    return Variable(matching_files(pattern), trainable=False, validate_shape=False, name=name)
