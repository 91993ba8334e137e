"""TensorFlow's ``TensorProto`` and ``tf.train.Example`` messages, built at run time from TF 2.21's definitions.

The file names, packages, field names and numbers are those of ``tensorflow/core/framework/{types,
tensor_shape,resource_handle,tensor}.proto`` and ``tensorflow/core/example/{feature,example}.proto``, so the
bytes are wire-compatible with TF's. The descriptors are written in protobuf's text format (no protoc, no
generated code) and live in a private ``DescriptorPool``, as ``checkpoint._protos`` does: a process that also
imports real TensorFlow would otherwise hit protobuf's "duplicate symbol" errors. Importing this module imports
protobuf, so featherflow imports it only on first use of an op that needs it.

>>> from featherflow.ops.io import _protos
>>> _protos.Int64List(value=[1, 2]).SerializeToString()
b'\\n\\x02\\x01\\x02'
"""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, text_format
from google.protobuf.message import DecodeError

# What parsing hostile bytes can raise: upb's DecodeError, or the recursion limit on deep nesting.
PARSE_ERRORS = (DecodeError, RecursionError, ValueError)

# Every DataType of TF 2.21 (framework/types.proto), in number order; *_REF types are value + 100.
DATA_TYPES = [
    "DT_INVALID", "DT_FLOAT", "DT_DOUBLE", "DT_INT32", "DT_UINT8", "DT_INT16", "DT_INT8", "DT_STRING",
    "DT_COMPLEX64", "DT_INT64", "DT_BOOL", "DT_QINT8", "DT_QUINT8", "DT_QINT32", "DT_BFLOAT16", "DT_QINT16",
    "DT_QUINT16", "DT_UINT16", "DT_COMPLEX128", "DT_HALF", "DT_RESOURCE", "DT_VARIANT", "DT_UINT32",
    "DT_UINT64", "DT_FLOAT8_E5M2", "DT_FLOAT8_E4M3FN", "DT_FLOAT8_E4M3FNUZ", "DT_FLOAT8_E4M3B11FNUZ",
    "DT_FLOAT8_E5M2FNUZ", "DT_INT4", "DT_UINT4", "DT_INT2", "DT_UINT2", "DT_FLOAT4_E2M1FN",
]  # fmt: skip


def _field(name: str, number: int, kind: str, *, repeated: bool = False, type_name: str = "",
           oneof: int | None = None) -> str:
    label = "LABEL_REPEATED" if repeated else "LABEL_OPTIONAL"
    text = f'field {{ name: "{name}" number: {number} label: {label} type: TYPE_{kind}'
    if type_name:
        text += f' type_name: ".tensorflow.{type_name}"'
    if oneof is not None:
        text += f" oneof_index: {oneof}"
    return text + " }"


def _packed(name: str, number: int, kind: str) -> str:
    # proto3 packs repeated scalars by default; TF's files also say so explicitly
    return _field(name, number, kind, repeated=True)[:-2] + " options { packed: true } }"


def _map_entry(name: str, value_type: str) -> str:
    return (f'nested_type {{ name: "{name}" {_field("key", 1, "STRING")} '
            f'{_field("value", 2, "MESSAGE", type_name=value_type)} options {{ map_entry: true }} }}')


def _file(name: str, body: str, *deps: str) -> descriptor_pb2.FileDescriptorProto:
    head = f'name: "tensorflow/core/{name}.proto" package: "tensorflow" syntax: "proto3" '
    head += " ".join(f'dependency: "tensorflow/core/{d}.proto"' for d in deps)
    return text_format.Parse(head + " " + body, descriptor_pb2.FileDescriptorProto())


def _files() -> list[descriptor_pb2.FileDescriptorProto]:
    values = [(n, i) for i, n in enumerate(DATA_TYPES)] + [(n + "_REF", i + 100) for i, n in
                                                           enumerate(DATA_TYPES) if i]
    enum = " ".join(f'value {{ name: "{n}" number: {i} }}' for n, i in values)
    types = _file("framework/types", f'enum_type {{ name: "DataType" {enum} }}')
    shape = _file("framework/tensor_shape", 'message_type { name: "TensorShapeProto" '
                  + _field("dim", 2, "MESSAGE", repeated=True, type_name="TensorShapeProto.Dim")
                  + _field("unknown_rank", 3, "BOOL")
                  + ' nested_type { name: "Dim" ' + _field("size", 1, "INT64") + _field("name", 2, "STRING") + " } }")
    handle = _file(
        "framework/resource_handle",
        'message_type { name: "ResourceHandleProto" ' + _field("device", 1, "STRING") + _field("container", 2, "STRING")
        + _field("name", 3, "STRING") + _field("hash_code", 4, "UINT64") + _field("maybe_type_name", 5, "STRING")
        + _field("dtypes_and_shapes", 6, "MESSAGE", repeated=True, type_name="ResourceHandleProto.DtypeAndShape")
        + ' nested_type { name: "DtypeAndShape" ' + _field("dtype", 1, "ENUM", type_name="DataType")
        + _field("shape", 2, "MESSAGE", type_name="TensorShapeProto") + " } reserved_range { start: 7 end: 8 } }",
        "framework/tensor_shape", "framework/types")
    tensor = _file(
        "framework/tensor",
        'message_type { name: "TensorProto" ' + _field("dtype", 1, "ENUM", type_name="DataType")
        + _field("tensor_shape", 2, "MESSAGE", type_name="TensorShapeProto") + _field("version_number", 3, "INT32")
        + _field("tensor_content", 4, "BYTES") + _packed("half_val", 13, "INT32") + _packed("float_val", 5, "FLOAT")
        + _packed("double_val", 6, "DOUBLE") + _packed("int_val", 7, "INT32")
        + _field("string_val", 8, "BYTES", repeated=True) + _packed("scomplex_val", 9, "FLOAT")
        + _packed("int64_val", 10, "INT64") + _packed("bool_val", 11, "BOOL") + _packed("dcomplex_val", 12, "DOUBLE")
        + _field("resource_handle_val", 14, "MESSAGE", repeated=True, type_name="ResourceHandleProto")
        + _field("variant_val", 15, "MESSAGE", repeated=True, type_name="VariantTensorDataProto")
        + _packed("uint32_val", 16, "UINT32") + _packed("uint64_val", 17, "UINT64") + _field("float8_val", 18, "BYTES")
        + ' } message_type { name: "VariantTensorDataProto" ' + _field("type_name", 1, "STRING")
        + _field("metadata", 2, "BYTES") + _field("tensors", 3, "MESSAGE", repeated=True, type_name="TensorProto") + " }",
        "framework/resource_handle", "framework/tensor_shape", "framework/types")
    feature = _file(
        "example/feature",
        'message_type { name: "BytesList" ' + _field("value", 1, "BYTES", repeated=True) + " } "
        'message_type { name: "FloatList" ' + _packed("value", 1, "FLOAT") + " } "
        'message_type { name: "Int64List" ' + _packed("value", 1, "INT64") + " } "
        'message_type { name: "Feature" ' + _field("bytes_list", 1, "MESSAGE", type_name="BytesList", oneof=0)
        + _field("float_list", 2, "MESSAGE", type_name="FloatList", oneof=0)
        + _field("int64_list", 3, "MESSAGE", type_name="Int64List", oneof=0) + ' oneof_decl { name: "kind" } } '
        'message_type { name: "Features" '
        + _field("feature", 1, "MESSAGE", repeated=True, type_name="Features.FeatureEntry")
        + _map_entry("FeatureEntry", "Feature") + " } "
        'message_type { name: "FeatureList" ' + _field("feature", 1, "MESSAGE", repeated=True, type_name="Feature")
        + " } message_type { name: \"FeatureLists\" "
        + _field("feature_list", 1, "MESSAGE", repeated=True, type_name="FeatureLists.FeatureListEntry")
        + _map_entry("FeatureListEntry", "FeatureList") + " }")
    example = _file(
        "example/example",
        'message_type { name: "Example" ' + _field("features", 1, "MESSAGE", type_name="Features") + " } "
        'message_type { name: "SequenceExample" ' + _field("context", 1, "MESSAGE", type_name="Features")
        + _field("feature_lists", 2, "MESSAGE", type_name="FeatureLists") + " }",
        "example/feature")
    return [types, shape, handle, tensor, feature, example]


_pool = descriptor_pool.DescriptorPool()
for _fdp in _files():
    _pool.Add(_fdp)


def _class(full_name: str) -> Any:
    return message_factory.GetMessageClass(_pool.FindMessageTypeByName(full_name))


TensorShapeProto = _class("tensorflow.TensorShapeProto")
TensorProto = _class("tensorflow.TensorProto")
BytesList = _class("tensorflow.BytesList")
FloatList = _class("tensorflow.FloatList")
Int64List = _class("tensorflow.Int64List")
Feature = _class("tensorflow.Feature")
Features = _class("tensorflow.Features")
FeatureList = _class("tensorflow.FeatureList")
FeatureLists = _class("tensorflow.FeatureLists")
Example = _class("tensorflow.Example")
SequenceExample = _class("tensorflow.SequenceExample")
