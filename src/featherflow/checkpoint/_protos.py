"""The protobuf messages of TensorFlow checkpoints, built at run time (no protoc).

Field numbers, names, packages and file names are TensorFlow 2.21's own
(``tensorflow/core/protobuf/tensor_bundle.proto``,
``trackable_object_graph.proto``, ``framework/{types,tensor_shape,
tensor_slice,versions}.proto``, ``python/training/checkpoint_state.proto``),
so serialized bytes and text format match what TF writes.

The messages live in a private ``DescriptorPool``: a process that also
imports real TensorFlow (the differential tests do) would otherwise hit
"duplicate symbol" errors in protobuf's default pool. This module imports
protobuf, so the rest of featherflow imports it only when a checkpoint is
read or written.

>>> from featherflow.checkpoint import _protos
>>> _protos.BundleHeaderProto(num_shards=1, version={"producer": 1}).SerializeToString().hex()
'08011a020801'
"""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, wrappers_pb2
from google.protobuf.message import DecodeError

# What parsing hostile bytes can raise: upb's DecodeError, or the recursion limit on deep nesting.
PARSE_ERRORS = (DecodeError, RecursionError, ValueError)

_F = descriptor_pb2.FieldDescriptorProto
_INT32, _INT64, _BOOL, _STRING = _F.TYPE_INT32, _F.TYPE_INT64, _F.TYPE_BOOL, _F.TYPE_STRING
_DOUBLE, _FIXED32, _ENUM, _MESSAGE = _F.TYPE_DOUBLE, _F.TYPE_FIXED32, _F.TYPE_ENUM, _F.TYPE_MESSAGE

# Every DataType TF 2.21 defines (framework/types.proto); *_REF types are value + 100.
_DATA_TYPES = [
    "DT_INVALID", "DT_FLOAT", "DT_DOUBLE", "DT_INT32", "DT_UINT8", "DT_INT16", "DT_INT8", "DT_STRING",
    "DT_COMPLEX64", "DT_INT64", "DT_BOOL", "DT_QINT8", "DT_QUINT8", "DT_QINT32", "DT_BFLOAT16", "DT_QINT16",
    "DT_QUINT16", "DT_UINT16", "DT_COMPLEX128", "DT_HALF", "DT_RESOURCE", "DT_VARIANT", "DT_UINT32",
    "DT_UINT64", "DT_FLOAT8_E5M2", "DT_FLOAT8_E4M3FN", "DT_FLOAT8_E4M3FNUZ", "DT_FLOAT8_E4M3B11FNUZ",
    "DT_FLOAT8_E5M2FNUZ", "DT_INT4", "DT_UINT4", "DT_INT2", "DT_UINT2", "DT_FLOAT4_E2M1FN",
]  # fmt: skip


def _field(
    name: str, number: int, ftype: int, type_name: str = "", repeated: bool = False, oneof: int | None = None
) -> _F:
    field = _F(name=name, number=number, type=ftype, label=_F.LABEL_REPEATED if repeated else _F.LABEL_OPTIONAL)
    if type_name:
        field.type_name = type_name
    if oneof is not None:
        field.oneof_index = oneof
    return field


def _message(
    name: str, *fields: _F, nested: tuple = (), enums: tuple = (), oneofs: tuple = (), reserved: tuple = ()
) -> descriptor_pb2.DescriptorProto:
    msg = descriptor_pb2.DescriptorProto(name=name, field=fields, nested_type=nested, enum_type=enums)
    for oneof in oneofs:
        msg.oneof_decl.add(name=oneof)
    for number, reserved_name in reserved:
        msg.reserved_range.add(start=number, end=number + 1)
        msg.reserved_name.append(reserved_name)
    return msg


def _enum(name: str, values: list[tuple[str, int]]) -> descriptor_pb2.EnumDescriptorProto:
    return descriptor_pb2.EnumDescriptorProto(
        name=name, value=[descriptor_pb2.EnumValueDescriptorProto(name=n, number=v) for n, v in values]
    )


def _file(
    name: str, *messages: descriptor_pb2.DescriptorProto, deps: tuple = (), enums: tuple = ()
) -> descriptor_pb2.FileDescriptorProto:
    return descriptor_pb2.FileDescriptorProto(
        name=name, package="tensorflow", syntax="proto3", dependency=deps, message_type=messages, enum_type=enums
    )


def _files() -> list[descriptor_pb2.FileDescriptorProto]:
    data_types = [(n, i) for i, n in enumerate(_DATA_TYPES)]
    data_types += [(n + "_REF", i + 100) for i, n in enumerate(_DATA_TYPES) if i]
    types = _file("tensorflow/core/framework/types.proto", enums=(_enum("DataType", data_types),))
    shape = _file(
        "tensorflow/core/framework/tensor_shape.proto",
        _message(
            "TensorShapeProto",
            _field("dim", 2, _MESSAGE, ".tensorflow.TensorShapeProto.Dim", repeated=True),
            _field("unknown_rank", 3, _BOOL),
            nested=(_message("Dim", _field("size", 1, _INT64), _field("name", 2, _STRING)),),
        ),
    )
    extent = _message(
        "Extent", _field("start", 1, _INT64), _field("length", 2, _INT64, oneof=0), oneofs=("has_length_hack",)
    )
    tensor_slice = _file(
        "tensorflow/core/framework/tensor_slice.proto",
        _message(
            "TensorSliceProto",
            _field("extent", 1, _MESSAGE, ".tensorflow.TensorSliceProto.Extent", repeated=True),
            nested=(extent,),
        ),
    )
    versions = _file(
        "tensorflow/core/framework/versions.proto",
        _message(
            "VersionDef",
            _field("producer", 1, _INT32),
            _field("min_consumer", 2, _INT32),
            _field("bad_consumers", 3, _INT32, repeated=True),
        ),
    )
    bundle = _file(
        "tensorflow/core/protobuf/tensor_bundle.proto",
        _message(
            "BundleHeaderProto",
            _field("num_shards", 1, _INT32),
            _field("endianness", 2, _ENUM, ".tensorflow.BundleHeaderProto.Endianness"),
            _field("version", 3, _MESSAGE, ".tensorflow.VersionDef"),
            enums=(_enum("Endianness", [("LITTLE", 0), ("BIG", 1)]),),
        ),
        _message(
            "BundleEntryProto",
            _field("dtype", 1, _ENUM, ".tensorflow.DataType"),
            _field("shape", 2, _MESSAGE, ".tensorflow.TensorShapeProto"),
            _field("shard_id", 3, _INT32),
            _field("offset", 4, _INT64),
            _field("size", 5, _INT64),
            _field("crc32c", 6, _FIXED32),
            _field("slices", 7, _MESSAGE, ".tensorflow.TensorSliceProto", repeated=True),
        ),
        deps=(shape.name, tensor_slice.name, types.name, versions.name),
    )
    obj = ".tensorflow.TrackableObjectGraph.TrackableObject."
    trackable_object = _message(
        "TrackableObject",
        _field("children", 1, _MESSAGE, obj + "ObjectReference", repeated=True),
        _field("attributes", 2, _MESSAGE, obj + "SerializedTensor", repeated=True),
        _field("slot_variables", 3, _MESSAGE, obj + "SlotVariableReference", repeated=True),
        _field("registered_saver", 4, _MESSAGE, ".tensorflow.RegisteredSaver"),
        _field("has_checkpoint_values", 5, _MESSAGE, ".google.protobuf.BoolValue"),
        nested=(
            _message("ObjectReference", _field("node_id", 1, _INT32), _field("local_name", 2, _STRING)),
            _message(
                "SerializedTensor",
                _field("name", 1, _STRING),
                _field("full_name", 2, _STRING),
                _field("checkpoint_key", 3, _STRING),
                reserved=((4, "optional_restore"),),
            ),
            _message(
                "SlotVariableReference",
                _field("original_variable_node_id", 1, _INT32),
                _field("slot_name", 2, _STRING),
                _field("slot_variable_node_id", 3, _INT32),
            ),
        ),
    )
    graph = _file(
        "tensorflow/core/protobuf/trackable_object_graph.proto",
        _message(
            "TrackableObjectGraph",
            _field("nodes", 1, _MESSAGE, obj[:-1], repeated=True),
            nested=(trackable_object,),
        ),
        _message("RegisteredSaver", _field("name", 1, _STRING), _field("object_name", 2, _STRING)),
        deps=("google/protobuf/wrappers.proto",),
    )
    state = _file(
        "tensorflow/python/training/checkpoint_state.proto",
        _message(
            "CheckpointState",
            _field("model_checkpoint_path", 1, _STRING),
            _field("all_model_checkpoint_paths", 2, _STRING, repeated=True),
            _field("all_model_checkpoint_timestamps", 3, _DOUBLE, repeated=True),
            _field("last_preserved_timestamp", 4, _DOUBLE),
        ),
    )
    return [types, shape, tensor_slice, versions, bundle, graph, state]


def message_pool(files: list, serialized: tuple = ()) -> tuple[Any, Any]:
    """A pool of its own holding ``serialized`` files and then ``files`` (FileDescriptorProtos, in dependency
    order), and the function giving a message class of it by full name."""
    pool = descriptor_pool.DescriptorPool()
    for data in serialized:
        pool.AddSerializedFile(data)
    for fdp in files:
        pool.Add(fdp)

    def message_class(full_name: str) -> Any:
        return message_factory.GetMessageClass(pool.FindMessageTypeByName(full_name))

    return pool, message_class


_pool, _class = message_pool(_files(), (wrappers_pb2.DESCRIPTOR.serialized_pb,))


VersionDef = _class("tensorflow.VersionDef")
TensorShapeProto = _class("tensorflow.TensorShapeProto")
TensorSliceProto = _class("tensorflow.TensorSliceProto")
BundleHeaderProto = _class("tensorflow.BundleHeaderProto")
BundleEntryProto = _class("tensorflow.BundleEntryProto")
TrackableObjectGraph = _class("tensorflow.TrackableObjectGraph")
RegisteredSaver = _class("tensorflow.RegisteredSaver")
CheckpointState = _class("tensorflow.CheckpointState")
_data_type_enum = _pool.FindEnumTypeByName("tensorflow.DataType")


def data_type_name(value: int) -> str:
    """TF's name for a ``DataType`` value (``1 -> "DT_FLOAT"``); the number itself when unknown."""
    enum_value = _data_type_enum.values_by_number.get(value)
    return enum_value.name if enum_value is not None else str(value)
