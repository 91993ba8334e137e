"""``tf.summary``'s writers and state: event files, the default writer, the step, ``record_if``, ``write``.

An event file is a TFRecord file of ``Event`` messages, named as TF's ``EventsWriter`` names it
(``events.out.tfevents.<seconds>.<host>.<pid>.<counter><suffix>``) and opened by a ``file_version:
"brain.Event:2"`` event. Events are queued as in TF's ``SummaryFileWriter``: written once more than
``max_queue`` wait or ``flush_millis`` have passed since the last flush, and on ``flush()``/``close()``. A summary's
tensor is stored as TF's ``WriteSummary`` kernel stores it (``AsProtoTensorContent``).

>>> import featherflow as tf, os, tempfile
>>> logdir = tempfile.mkdtemp()
>>> with tf.summary.create_file_writer(logdir).as_default():
...     bool(tf.summary.write("x", tf.constant([1, 2]), step=0))
True
>>> sorted(os.listdir(logdir))[0].startswith("events.out.tfevents.")
True
"""

from __future__ import annotations

import itertools
import os
import re
import socket
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Callable

import numpy as np

from .._logs import LazyLogger
from ..dtypes import bool as _bool
from ..dtypes import int64 as _int64
from ..dtypes import string as _string
from ..naming import get_current_name_scope
from ..naming import name_scope as _name_scope
from ..ops.io.tensor_proto import to_proto
from ..ops.io.tfrecord import frame
from ..tensor import Tensor, convert_to_tensor
from ..trackable_base import Trackable

_log = LazyLogger("tensorflow")
_ANONYMOUS = itertools.count()
_FILE_COUNTER = itertools.count()  # TF's EventsWriter numbers the files a process opens
_NO_STEP = ("No step set. Please specify one either through the `step` argument or through "
            "tf.summary.experimental.set_step()")


def _protos() -> Any:
    from . import summary_protos

    return summary_protos


class _SummaryState(threading.local):
    def __init__(self) -> None:
        self.is_recording: Any = None
        self.is_recording_distribution_strategy: Any = True
        self.writer: SummaryWriter | None = None
        self.step: Any = None


_state = _SummaryState()


class _EventFile:
    """One open event file and its queue of serialized events (TF's ``SummaryFileWriter``)."""

    def __init__(self, logdir: str, max_queue: int, flush_millis: int, suffix: str) -> None:
        os.makedirs(logdir, exist_ok=True)
        seconds = int(time.time())
        name = (f"events.out.tfevents.{seconds:010d}.{socket.gethostname()}.{os.getpid()}."
                f"{next(_FILE_COUNTER)}{suffix}")
        self.path = os.path.join(logdir, name)
        self._file: Any = open(self.path, "wb")  # noqa: SIM115 - held until close()
        self._max_queue, self._flush_seconds = max_queue, flush_millis / 1000
        self._queue: list[bytes] = []
        self._lock = threading.Lock()
        first = _protos().Event(wall_time=seconds, file_version="brain.Event:2")
        first.source_metadata.writer = "tensorflow.core.util.events_writer"
        self._file.write(frame(first.SerializeToString()))
        self._file.flush()
        self._last_flush = time.monotonic()

    def add(self, event: Any) -> None:
        with self._lock:
            self._queue.append(event.SerializeToString())
            if len(self._queue) > self._max_queue or time.monotonic() - self._last_flush > self._flush_seconds:
                self._flush_locked()

    def _flush_locked(self) -> None:
        if self._file is None:
            return
        self._file.write(b"".join(frame(record) for record in self._queue))
        self._queue.clear()
        self._file.flush()
        self._last_flush = time.monotonic()

    def flush(self) -> None:
        with self._lock:
            self._flush_locked()

    def close(self) -> None:
        with self._lock:
            self._flush_locked()
            if self._file is not None:
                self._file.close()
                self._file = None


class _SummaryContextManager:
    """What ``SummaryWriter.as_default(step)`` returns: makes the writer (and the step) the default inside."""

    def __init__(self, writer: SummaryWriter, step: Any = None) -> None:
        self._writer, self._step = writer, step
        self._old_writer: Any = None
        self._old_step: Any = None

    def __enter__(self) -> SummaryWriter:
        self._old_writer = _state.writer
        _state.writer = self._writer
        if self._step is not None:
            self._old_step = _state.step
            _state.step = self._step
        return self._writer

    def __exit__(self, *exc: Any) -> bool:
        _state.writer.flush()
        _state.writer = self._old_writer
        if self._step is not None:
            _state.step = self._old_step
        return False


class SummaryWriter:
    """A summary writer (``tf.summary.SummaryWriter``): ``as_default``/``set_as_default`` make it the one
    ``tf.summary`` functions write to; ``flush``, ``close`` and ``init`` are the subclass's."""

    def set_as_default(self, step: Any = None) -> None:
        """Makes this writer the default for the rest of the thread (and ``step`` the default step)."""
        self.as_default(step).__enter__()

    def as_default(self, step: Any = None) -> Any:
        """A context manager in which this writer is the default (and ``step``, when given, the step)."""
        return _SummaryContextManager(self, step)

    def init(self) -> Any:
        raise NotImplementedError()

    def flush(self) -> Any:
        raise NotImplementedError()

    def close(self) -> Any:
        raise NotImplementedError()


class _ResourceSummaryWriter(SummaryWriter):
    """The writer ``create_file_writer`` makes: one event file, opened when the writer is made."""

    def __init__(self, logdir: str, max_queue: int, flush_millis: int, suffix: str) -> None:
        self._file = _EventFile(logdir, max_queue, flush_millis, suffix)
        self._resource_name = f"_AnonymousVar{next(_ANONYMOUS)}"  # TF's eager resource name (its own counter)
        self._closed = False
        self._finalizer = weakref.finalize(self, self._file.close)  # TF's resource deleter flushes and closes

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(f"SummaryWriter {self!r} is already closed")

    def set_as_default(self, step: Any = None) -> None:
        self._check_open()
        super().set_as_default(step)

    def as_default(self, step: Any = None) -> Any:
        self._check_open()
        return super().as_default(step)

    def init(self) -> None:
        """The writer's file is opened when it is made: a no-op on an open writer, as in eager TF."""
        self._check_open()

    def flush(self) -> None:
        """Writes the queued events out."""
        if not self._closed:
            self._file.flush()

    def close(self) -> None:
        """Flushes and closes the file; later writes through this writer are refused."""
        if not self._closed:
            try:
                self._file.close()
            finally:
                self._closed = True

    def _write(self, event: Any) -> None:
        if self._closed:  # TF's kernel finds the writer's resource deleted
            from ..errors import NotFoundError

            raise NotFoundError(None, None, "{{function_node __wrapped__WriteSummary_device_/job:localhost/replica:0/"
                                f"task:0/device:CPU:0}}}} Resource localhost/{self._resource_name}/"
                                "N10tensorflow22SummaryWriterInterfaceE does not exist. [Op:WriteSummary]")
        self._file.add(event)


class _TrackableResourceSummaryWriter(_ResourceSummaryWriter, Trackable):
    """``create_file_writer(experimental_trackable=True)``: the writer is a node of the object graphs that
    checkpoints save (TF's ``TrackableResource``), with no values of its own."""


class _NoopSummaryWriter(SummaryWriter):
    """A writer that writes nothing (``tf.summary.create_noop_writer``)."""

    def set_as_default(self, step: Any = None) -> None:
        pass

    @contextmanager
    def as_default(self, step: Any = None) -> Iterator[None]:
        yield

    def init(self) -> None:
        pass

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


def _python_value(value: Any, name: str) -> Any:
    if isinstance(value, Tensor):
        value = value.numpy()
    if hasattr(value, "item"):
        value = value.item()
    return value.decode() if isinstance(value, bytes) and name in ("logdir", "filename_suffix") else value


def create_file_writer(logdir: Any, max_queue: Any = None, flush_millis: Any = None, filename_suffix: Any = None,
                       name: str | None = None, experimental_trackable: bool = False,
                       experimental_mesh: Any = None) -> SummaryWriter:
    """A writer of event files in ``logdir`` (``tf.summary.create_file_writer``): events are written once more
    than ``max_queue`` (10) are queued or ``flush_millis`` (120000) have passed; file names end in
    ``filename_suffix`` (".v2")."""
    if logdir is None:
        raise ValueError("Argument `logdir` cannot be None")
    if experimental_mesh is not None:
        raise NotImplementedError("create_file_writer: experimental_mesh (DTensor) is not supported by featherflow")
    logdir = os.fspath(_python_value(logdir, "logdir"))
    max_queue = 10 if max_queue is None else int(_python_value(max_queue, "max_queue"))
    flush_millis = 120000 if flush_millis is None else int(_python_value(flush_millis, "flush_millis"))
    suffix = ".v2" if filename_suffix is None else _python_value(filename_suffix, "filename_suffix")
    kind = _TrackableResourceSummaryWriter if experimental_trackable else _ResourceSummaryWriter
    return kind(logdir, max_queue, flush_millis, suffix)


def create_noop_writer() -> SummaryWriter:
    """A writer that writes nothing (``tf.summary.create_noop_writer``)."""
    return _NoopSummaryWriter()


def _resolve(value: Any) -> Any:
    return value() if callable(value) else value


def _truth(value: Any) -> bool:
    if isinstance(value, Tensor) or hasattr(value, "numpy"):
        value = value.numpy()
    return bool(value)


def _should_record() -> bool:
    if _state.writer is None:
        return False
    cond = _resolve(_state.is_recording)
    if cond is None:
        cond = True
    return _truth(_resolve(_state.is_recording_distribution_strategy)) and _truth(cond)


def should_record_summaries() -> Tensor:
    """Whether summaries are recorded here: a default writer is set and ``record_if`` allows it."""
    return convert_to_tensor(_should_record(), _bool)


@contextmanager
def record_if(condition: Any) -> Iterator[None]:
    """Records summaries only where ``condition`` (a bool, a boolean tensor, or a callable returning one)
    holds (``tf.summary.record_if``)."""
    old = _state.is_recording
    try:
        _state.is_recording = condition
        yield
    finally:
        _state.is_recording = old


def get_step() -> Any:
    """The default step (``tf.summary.experimental.get_step``): what ``set_step`` set, or None."""
    return _state.step


def set_step(step: Any) -> None:
    """Sets the default step of the summaries written in this thread (``tf.summary.experimental.set_step``)."""
    _state.step = step


_INVALID_SCOPE_CHARACTERS = re.compile(r"[^-_/.A-Za-z0-9]")


@contextmanager
def summary_scope(name: Any, default_name: str = "summary", values: Any = None) -> Iterator[tuple[str, str]]:
    """Opens a name scope for a summary and yields ``(tag, scope)``: the tag is the name under the current name
    scope (``tf.summary.experimental.summary_scope``)."""
    name = name or default_name
    current = get_current_name_scope()
    tag = current + "/" + name if current else name
    name = _INVALID_SCOPE_CHARACTERS.sub("", name) or default_name
    with _name_scope(name) as scope:
        yield tag, scope


def _choose_step(step: Any) -> Tensor:
    step = convert_to_tensor(step, _int64)
    if step.shape.num_elements() != 1:
        raise ValueError(f"Argument `step` must be a scalar. Received step with shape {step.shape}.")
    return step


def _false() -> Tensor:
    return convert_to_tensor(False, _bool)


def _text(value: Any) -> str:
    if isinstance(value, Tensor):
        value = value.numpy()
    return value.decode() if isinstance(value, bytes) else str(value)


def _emit(step: Any, fill: Callable[[Any], None]) -> Tensor:
    step = int(_choose_step(step).numpy().reshape(-1)[0])
    event = _protos().Event(wall_time=time.time(), step=step)
    fill(event)
    _state.writer._write(event)
    return convert_to_tensor(True, _bool)


def write(tag: Any, tensor: Any, step: Any = None, metadata: Any = None, name: str | None = None) -> Tensor:
    """Writes ``tensor`` (or what a callable returns, called only when recording) under ``tag`` with the
    ``SummaryMetadata`` ``metadata`` (a message or its bytes) to the default writer (``tf.summary.write``).
    True when written; False when there is no default writer or recording is off."""
    if step is not None:
        _choose_step(step)
    if _state.writer is None:
        return _false()
    if step is None:
        step = get_step()
    if metadata is None:
        serialized = b""
    elif hasattr(metadata, "SerializeToString"):
        serialized = metadata.SerializeToString()
    else:
        serialized = _python_value(metadata, "metadata")
    if not _should_record():
        return _false()
    if step is None:
        raise ValueError(_NO_STEP)
    value = convert_to_tensor(tensor() if callable(tensor) else tensor)
    if not hasattr(_state.writer, "_write"):  # a noop writer made the default by hand
        return convert_to_tensor(True, _bool)

    def fill(event: Any) -> None:
        entry = event.summary.value.add(tag=_text(tag))
        array = value.numpy()
        if not isinstance(array, np.ndarray):  # a scalar reads back as a NumPy scalar, a string one as bytes
            array = np.array(array, dtype=object if value.dtype == _string else None)
        entry.tensor.CopyFrom(_protos().TensorProto.FromString(to_proto(array, value.dtype).SerializeToString()))
        if serialized:  # the WriteSummary kernel parses non-empty metadata only
            entry.metadata.ParseFromString(serialized)

    return _emit(step, fill)


def write_raw_pb(tensor: Any, step: Any = None, name: str | None = None) -> Tensor:
    """Writes serialized ``Summary`` messages (a string tensor) as events (``tf.summary.experimental.write_raw_pb``)."""
    if step is not None:
        _choose_step(step)
    if _state.writer is None:
        return _false()
    if step is None:
        step = get_step()
        if step is None:
            raise ValueError(_NO_STEP)
    if not _should_record():
        return _false()
    value = np.asarray(convert_to_tensor(tensor, _string).numpy(), dtype=object)
    if not hasattr(_state.writer, "_write"):
        return convert_to_tensor(True, _bool)
    result = _false()
    for raw in value.reshape(-1).tolist():
        result = _emit(step, lambda event, raw=raw: event.summary.ParseFromString(raw))
    return result


def flush(writer: Any = None, name: str | None = None) -> None:
    """Flushes ``writer``, or the default writer (``tf.summary.flush``)."""
    if writer is None:
        writer = _state.writer
        if writer is None:
            return None
    if isinstance(writer, SummaryWriter):
        return writer.flush()
    raise ValueError(f"Invalid argument to flush(): {writer!r}")


def graph(graph_data: Any) -> Tensor:
    """``tf.summary.graph``: featherflow runs eagerly and has no ``tf.Graph`` or ``GraphDef`` to write."""
    if _state.writer is None:
        return _false()
    if not _should_record():
        return _false()
    raise ValueError("Argument 'graph_data' is not tf.Graph or tf.compat.v1.GraphDef. Received "
                     f"graph_data={graph_data} of type {type(graph_data).__name__}.")


_trace_lock = threading.Lock()
_trace: tuple[bool, bool] | None = None


def trace_on(graph: bool = True, profiler: bool = False, profiler_outdir: str | None = None) -> None:  # noqa: A002
    """Starts collecting the graphs of the functions run (``tf.summary.trace_on``). featherflow runs everything
    eagerly, so a trace holds no function graphs (what eager TF collects when no ``tf.function`` runs); the
    profiler is not available."""
    global _trace
    with _trace_lock:
        if _trace:
            _log.warning("Trace already enabled")
            return
        if profiler:
            if profiler_outdir is None:
                _log.warning("No `profiler_outdir` passed to trace_on(). Profiler won't be enabled.")
            else:
                raise NotImplementedError("tf.summary.trace_on(profiler=True): featherflow has no profiler")
        _trace = (graph, profiler)


def trace_export(name: Any, step: Any = None, profiler_outdir: str | None = None) -> None:
    """Writes the collected trace as a ``graph_run_metadata_graph`` summary and stops tracing
    (``tf.summary.trace_export``)."""
    global _trace
    if step is not None:
        _choose_step(step)
    with _trace_lock:
        if _trace is None:
            raise ValueError("Must enable trace before export through tf.summary.trace_on.")
        graph_on, profiler = _trace
    metadata = _protos().SummaryMetadata()
    metadata.plugin_data.plugin_name = "graph_run_metadata_graph" if graph_on and not profiler else \
        "graph_run_metadata"
    metadata.plugin_data.content = b"1"
    if graph_on:
        _log.warning("tf.summary.trace_export: featherflow runs every op eagerly, without graphs; the trace holds no "
                     "function graphs")
    with summary_scope(name, metadata.plugin_data.plugin_name + "_summary", [step]) as (tag, _):
        # an empty RunMetadata: no function graphs were collected
        write(tag=tag, tensor=convert_to_tensor(b"", _string), step=step, metadata=metadata)
    trace_off()


def trace_off() -> None:
    """Stops tracing without writing (``tf.summary.trace_off``)."""
    global _trace
    with _trace_lock:
        _trace = None
