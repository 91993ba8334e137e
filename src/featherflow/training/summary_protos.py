"""TensorFlow's event-file messages (``Event``, ``Summary``, ``SummaryMetadata``, ``HistogramProto``...), built at
run time (no protoc).

File names, packages, field names and numbers are TF 2.21's (``tensorflow/core/util/event.proto``,
``tensorflow/core/framework/summary.proto``, ``xla/tsl/protobuf/histogram.proto``), so the bytes and text format
match what TF writes and reads. ``Summary.Value.tensor`` is a ``TensorProto``: its files are those of
``ops.io._protos``, added to this module's own private pool (for the reason ``checkpoint._protos`` gives).

>>> from featherflow.training import summary_protos
>>> summary_protos.Event(step=3, file_version="brain.Event:2").SerializeToString()
b'\\x10\\x03\\x1a\\rbrain.Event:2'
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2
from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper

from ..checkpoint._protos import _F, _enum, _field, _file, _message, message_pool
from ..ops.io import _protos as _io_protos

_INT32, _INT64, _STRING, _BYTES, _FLOAT, _DOUBLE = (_F.TYPE_INT32, _F.TYPE_INT64, _F.TYPE_STRING, _F.TYPE_BYTES,
                                                    _F.TYPE_FLOAT, _F.TYPE_DOUBLE)
_ENUM, _MESSAGE = _F.TYPE_ENUM, _F.TYPE_MESSAGE


def _packed(name: str, number: int, ftype: int) -> _F:
    field = _field(name, number, ftype, repeated=True)
    field.options.packed = True
    return field


def _files() -> list[descriptor_pb2.FileDescriptorProto]:
    histogram = _file(
        "xla/tsl/protobuf/histogram.proto",
        _message("HistogramProto", _field("min", 1, _DOUBLE), _field("max", 2, _DOUBLE), _field("num", 3, _DOUBLE),
                 _field("sum", 4, _DOUBLE), _field("sum_squares", 5, _DOUBLE), _packed("bucket_limit", 6, _DOUBLE),
                 _packed("bucket", 7, _DOUBLE)),
    )
    image = _message("Image", _field("height", 1, _INT32), _field("width", 2, _INT32),
                     _field("colorspace", 3, _INT32), _field("encoded_image_string", 4, _BYTES))
    audio = _message("Audio", _field("sample_rate", 1, _FLOAT), _field("num_channels", 2, _INT64),
                     _field("length_frames", 3, _INT64), _field("encoded_audio_string", 4, _BYTES),
                     _field("content_type", 5, _STRING))
    value = _message(
        "Value", _field("node_name", 7, _STRING), _field("tag", 1, _STRING),
        _field("metadata", 9, _MESSAGE, ".tensorflow.SummaryMetadata"),
        _field("simple_value", 2, _FLOAT, oneof=0), _field("obsolete_old_style_histogram", 3, _BYTES, oneof=0),
        _field("image", 4, _MESSAGE, ".tensorflow.Summary.Image", oneof=0),
        _field("histo", 5, _MESSAGE, ".tensorflow.HistogramProto", oneof=0),
        _field("audio", 6, _MESSAGE, ".tensorflow.Summary.Audio", oneof=0),
        _field("tensor", 8, _MESSAGE, ".tensorflow.TensorProto", oneof=0), oneofs=("value",))
    summary = _file(
        "tensorflow/core/framework/summary.proto",
        _message("SummaryDescription", _field("type_hint", 1, _STRING)),
        _message("SummaryMetadata",
                 _field("plugin_data", 1, _MESSAGE, ".tensorflow.SummaryMetadata.PluginData"),
                 _field("display_name", 2, _STRING), _field("summary_description", 3, _STRING),
                 _field("data_class", 4, _ENUM, ".tensorflow.DataClass"),
                 nested=(_message("PluginData", _field("plugin_name", 1, _STRING), _field("content", 2, _BYTES)),)),
        _message("Summary", _field("value", 1, _MESSAGE, ".tensorflow.Summary.Value", repeated=True),
                 nested=(image, audio, value)),
        deps=("xla/tsl/protobuf/histogram.proto", "tensorflow/core/framework/tensor.proto"),
        enums=(_enum("DataClass", [("DATA_CLASS_UNKNOWN", 0), ("DATA_CLASS_SCALAR", 1), ("DATA_CLASS_TENSOR", 2),
                                   ("DATA_CLASS_BLOB_SEQUENCE", 3)]),),
    )
    level = _enum("Level", [("UNKNOWN", 0), ("DEBUGGING", 10), ("INFO", 20), ("WARN", 30), ("ERROR", 40),
                            ("FATAL", 50)])
    status = _enum("SessionStatus", [("STATUS_UNSPECIFIED", 0), ("START", 1), ("STOP", 2), ("CHECKPOINT", 3)])
    event = _file(
        "tensorflow/core/util/event.proto",
        _message("Event", _field("wall_time", 1, _DOUBLE), _field("step", 2, _INT64),
                 _field("file_version", 3, _STRING, oneof=0), _field("graph_def", 4, _BYTES, oneof=0),
                 _field("summary", 5, _MESSAGE, ".tensorflow.Summary", oneof=0),
                 _field("log_message", 6, _MESSAGE, ".tensorflow.LogMessage", oneof=0),
                 _field("session_log", 7, _MESSAGE, ".tensorflow.SessionLog", oneof=0),
                 _field("tagged_run_metadata", 8, _MESSAGE, ".tensorflow.TaggedRunMetadata", oneof=0),
                 _field("meta_graph_def", 9, _BYTES, oneof=0),
                 _field("source_metadata", 10, _MESSAGE, ".tensorflow.SourceMetadata"), oneofs=("what",)),
        _message("SourceMetadata", _field("writer", 1, _STRING)),
        _message("LogMessage", _field("level", 1, _ENUM, ".tensorflow.LogMessage.Level"),
                 _field("message", 2, _STRING), enums=(level,)),
        _message("SessionLog", _field("status", 1, _ENUM, ".tensorflow.SessionLog.SessionStatus"),
                 _field("checkpoint_path", 2, _STRING), _field("msg", 3, _STRING), enums=(status,)),
        _message("TaggedRunMetadata", _field("tag", 1, _STRING), _field("run_metadata", 2, _BYTES)),
        _message("WatchdogConfig", _field("timeout_ms", 1, _INT64)),
        _message("RequestedExitCode", _field("exit_code", 1, _INT32)),
        _message("WorkerHeartbeatRequest",
                 _field("shutdown_mode", 1, _ENUM, ".tensorflow.WorkerShutdownMode"),
                 _field("watchdog_config", 2, _MESSAGE, ".tensorflow.WatchdogConfig"),
                 _field("exit_code", 3, _MESSAGE, ".tensorflow.RequestedExitCode")),
        _message("WorkerHeartbeatResponse", _field("health_status", 1, _ENUM, ".tensorflow.WorkerHealth"),
                 _field("worker_log", 2, _MESSAGE, ".tensorflow.Event", repeated=True),
                 _field("hostname", 3, _STRING)),
        deps=("tensorflow/core/framework/summary.proto",),
        enums=(_enum("WorkerHealth", [("OK", 0), ("RECEIVED_SHUTDOWN_SIGNAL", 1), ("INTERNAL_ERROR", 2),
                                      ("SHUTTING_DOWN", 3)]),
               _enum("WorkerShutdownMode", [("DEFAULT", 0), ("NOT_CONFIGURED", 1), ("WAIT_FOR_COORDINATOR", 2),
                                            ("SHUTDOWN_AFTER_TIMEOUT", 3)])),
    )
    return [histogram, summary, event]


# types, tensor_shape, resource_handle, tensor; then ours
_pool, _class = message_pool(_io_protos._files()[:4] + _files())


TensorProto = _class("tensorflow.TensorProto")
HistogramProto = _class("tensorflow.HistogramProto")
SummaryDescription = _class("tensorflow.SummaryDescription")
SummaryMetadata = _class("tensorflow.SummaryMetadata")
Summary = _class("tensorflow.Summary")
Event = _class("tensorflow.Event")
SourceMetadata = _class("tensorflow.SourceMetadata")
LogMessage = _class("tensorflow.LogMessage")
SessionLog = _class("tensorflow.SessionLog")
TaggedRunMetadata = _class("tensorflow.TaggedRunMetadata")
WatchdogConfig = _class("tensorflow.WatchdogConfig")
RequestedExitCode = _class("tensorflow.RequestedExitCode")
WorkerHeartbeatRequest = _class("tensorflow.WorkerHeartbeatRequest")
WorkerHeartbeatResponse = _class("tensorflow.WorkerHeartbeatResponse")
_event_file = _pool.FindFileByName("tensorflow/core/util/event.proto")
WorkerHealth = EnumTypeWrapper(_event_file.enum_types_by_name["WorkerHealth"])
WorkerShutdownMode = EnumTypeWrapper(_event_file.enum_types_by_name["WorkerShutdownMode"])
DataClass = EnumTypeWrapper(_pool.FindEnumTypeByName("tensorflow.DataClass"))
