"""The cluster messages of ``tf.train`` (``ClusterDef``, ``JobDef``, ``ServerDef``), built at run time (no protoc).

File names, packages, field names and numbers are TF 2.21's (``tensorflow/core/protobuf/cluster.proto``,
``device_filters.proto``, ``tensorflow_server.proto``), so the bytes and text format match TF's. They live in
their own private pool for the reason ``checkpoint._protos`` gives; the descriptor helpers are that module's.

``ServerDef.default_session_config`` is TF's ``ConfigProto``, of which this file declares the fields a server
definition uses (thread counts, device counts and filters, placement flags, timeouts, ``cluster_def``); its
option messages (``gpu_options``, ``graph_options``, ``rpc_options``, ``experimental``,
``pluggable_device_options``) are not declared: parsed from TF's bytes they are kept as unknown fields and written
back unchanged.

>>> from featherflow.training import _protos
>>> _protos.JobDef(name="ps", tasks={0: "h:1"}).SerializeToString()
b'\\n\\x02ps\\x12\\x07\\x08\\x00\\x12\\x03h:1'
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2

from ..checkpoint._protos import _F, _field, _file, _message, message_pool

_INT32, _INT64, _BOOL, _STRING, _MESSAGE = _F.TYPE_INT32, _F.TYPE_INT64, _F.TYPE_BOOL, _F.TYPE_STRING, _F.TYPE_MESSAGE


def _map_entry(key_type: int, value_type: int, value_type_name: str = "") -> descriptor_pb2.DescriptorProto:
    entry = _message("TasksEntry" if key_type == _INT32 else "DeviceCountEntry", _field("key", 1, key_type),
                     _field("value", 2, value_type, value_type_name))
    entry.options.map_entry = True
    return entry


def _files() -> list[descriptor_pb2.FileDescriptorProto]:
    cluster = _file(
        "tensorflow/core/protobuf/cluster.proto",
        _message("JobDef", _field("name", 1, _STRING),
                 _field("tasks", 2, _MESSAGE, ".tensorflow.JobDef.TasksEntry", repeated=True),
                 nested=(_map_entry(_INT32, _STRING),)),
        _message("ClusterDef", _field("job", 1, _MESSAGE, ".tensorflow.JobDef", repeated=True)),
    )
    filters = _file(
        "tensorflow/core/protobuf/device_filters.proto",
        _message("TaskDeviceFilters", _field("device_filters", 1, _STRING, repeated=True)),
        _message("JobDeviceFilters", _field("name", 1, _STRING),
                 _field("tasks", 2, _MESSAGE, ".tensorflow.JobDeviceFilters.TasksEntry", repeated=True),
                 nested=(_map_entry(_INT32, _MESSAGE, ".tensorflow.TaskDeviceFilters"),)),
        _message("ClusterDeviceFilters", _field("jobs", 1, _MESSAGE, ".tensorflow.JobDeviceFilters", repeated=True)),
    )
    config = _file(
        "tensorflow/core/protobuf/config.proto",
        _message("ThreadPoolOptionProto", _field("num_threads", 1, _INT32), _field("global_name", 2, _STRING)),
        _message(
            "ConfigProto",
            _field("device_count", 1, _MESSAGE, ".tensorflow.ConfigProto.DeviceCountEntry", repeated=True),
            _field("intra_op_parallelism_threads", 2, _INT32),
            _field("inter_op_parallelism_threads", 5, _INT32),
            _field("use_per_session_threads", 9, _BOOL),
            _field("session_inter_op_thread_pool", 12, _MESSAGE, ".tensorflow.ThreadPoolOptionProto", repeated=True),
            _field("placement_period", 3, _INT32),
            _field("device_filters", 4, _STRING, repeated=True),
            _field("allow_soft_placement", 7, _BOOL),
            _field("log_device_placement", 8, _BOOL),
            _field("operation_timeout_in_ms", 11, _INT64),
            _field("cluster_def", 14, _MESSAGE, ".tensorflow.ClusterDef"),
            _field("isolate_session_state", 15, _BOOL),
            _field("share_cluster_devices_in_session", 17, _BOOL),
            nested=(_map_entry(_STRING, _INT32),),
        ),
        deps=("tensorflow/core/protobuf/cluster.proto",),
    )
    server = _file(
        "tensorflow/core/protobuf/tensorflow_server.proto",
        _message(
            "ServerDef",
            _field("cluster", 1, _MESSAGE, ".tensorflow.ClusterDef"),
            _field("job_name", 2, _STRING),
            _field("replica", 8, _INT32),
            _field("task_index", 3, _INT32),
            _field("default_session_config", 4, _MESSAGE, ".tensorflow.ConfigProto"),
            _field("protocol", 5, _STRING),
            _field("port", 6, _INT32),
            _field("cluster_device_filters", 7, _MESSAGE, ".tensorflow.ClusterDeviceFilters"),
        ),
        deps=("tensorflow/core/protobuf/cluster.proto", "tensorflow/core/protobuf/config.proto",
              "tensorflow/core/protobuf/device_filters.proto"),
    )
    return [cluster, filters, config, server]


_pool, _class = message_pool(_files())


JobDef = _class("tensorflow.JobDef")
ClusterDef = _class("tensorflow.ClusterDef")
TaskDeviceFilters = _class("tensorflow.TaskDeviceFilters")
JobDeviceFilters = _class("tensorflow.JobDeviceFilters")
ClusterDeviceFilters = _class("tensorflow.ClusterDeviceFilters")
ThreadPoolOptionProto = _class("tensorflow.ThreadPoolOptionProto")
ConfigProto = _class("tensorflow.ConfigProto")
ServerDef = _class("tensorflow.ServerDef")
