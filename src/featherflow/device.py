"""Devices: TF's device names, the ``tf.device`` scope stack, placement and its logging.

>>> import featherflow as tf
>>> with tf.device("CPU:0"):
...     x = tf.constant(1.0)
>>> x.device
'/job:localhost/replica:0/task:0/device:CPU:0'
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from types import ModuleType
from typing import Any, Iterator

import numpy

from . import backends
from . import errors as _errors

_VALID_TYPES = ("CPU", "GPU", "TPU", "CUSTOM", "EPU")


class Device:
    """A physical place for arrays: a canonical TF name, a type, an index and an array namespace."""

    __slots__ = ("name", "device_type", "index", "xp")

    def __init__(self, device_type: str, index: int, xp: ModuleType) -> None:
        self.device_type = device_type
        self.index = index
        self.name = f"/job:localhost/replica:0/task:0/device:{device_type}:{index}"
        self.xp = xp

    def __repr__(self) -> str:
        return f"Device({self.name!r})"

    def put(self, array: Any) -> Any:
        """``array`` (from any device) as an array of this device: a counted, explicit copy."""
        xp = self.xp
        if xp is numpy:
            return backends.to_numpy(array)
        with xp.cuda.Device(self.index):
            if type(array) is xp.ndarray:  # another card's array: ``copy`` copies onto the current card
                return array.copy()
            return xp.asarray(array)  # host data: one host->device copy

    def activate(self) -> Any:
        """A context in which this device's card is current (a no-op on the CPU), for work on a device's
        buffers outside the dispatcher (variable and optimizer updates): CuPy runs a kernel on the current
        card, and a card's arrays may not be used while another is current."""
        if self.xp is numpy:
            return _NO_CARD
        return self.xp.cuda.Device(self.index)

    def _make_current(self) -> None:
        # The dispatcher runs every op on the scope's device, so selecting a device also selects its card:
        # ops on GPU:1 run with card 1 current, and the per-op path pays nothing for it.
        if self.xp is not numpy:
            self.xp.cuda.Device(self.index).use()


_NO_CARD = contextlib.nullcontext()
CPU = Device("CPU", 0, numpy)


class DeviceSpec:
    """A parsed device string (``tf.DeviceSpec``): job, replica, task, device_type, device_index."""

    __slots__ = ("_job", "_replica", "_task", "_device_type", "_device_index", "_string")

    def __init__(self, job: str | None = None, replica: int | None = None, task: int | None = None,
                 device_type: str | None = None, device_index: int | None = None) -> None:
        self._job = None if job is None else str(job)
        self._replica = None if replica is None else int(replica)
        self._task = None if task is None else int(task)
        # TF upper-cases these two for backwards compatibility, and keeps any other type as given
        self._device_type = device_type.upper() if device_type in ("cpu", "gpu") else (
            None if device_type is None else str(device_type))
        self._device_index = None if device_index is None else int(device_index)
        out = ""
        if self._job is not None:
            out += f"/job:{self._job}"
        if self._replica is not None:
            out += f"/replica:{self._replica}"
        if self._task is not None:
            out += f"/task:{self._task}"
        if self._device_type is not None:
            out += f"/device:{self._device_type}:{'*' if self._device_index is None else self._device_index}"
        self._string = out

    job = property(lambda self: self._job)
    replica = property(lambda self: self._replica)
    task = property(lambda self: self._task)
    device_type = property(lambda self: self._device_type)
    device_index = property(lambda self: self._device_index)

    @classmethod
    def from_string(cls, spec: str | None) -> DeviceSpec:
        return cls(*_parse(spec))

    def parse_from_string(self, spec: str | None) -> DeviceSpec:
        return self.from_string(spec)

    def to_string(self) -> str:
        return self._string

    def make_merged_spec(self, dev: DeviceSpec) -> DeviceSpec:
        """A spec with ``dev``'s fields where it has them, else this spec's."""
        mine = (self._job, self._replica, self._task, self._device_type, self._device_index)
        theirs = (dev.job, dev.replica, dev.task, dev.device_type, dev.device_index)
        return DeviceSpec(*[b if b is not None else a for a, b in zip(mine, theirs)])

    def replace(self, **kwargs: Any) -> DeviceSpec:
        fields = {"job": self._job, "replica": self._replica, "task": self._task, "device_type": self._device_type,
                  "device_index": self._device_index}
        fields.update(kwargs)
        return DeviceSpec(**fields)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, DeviceSpec) and self._string == other._string

    def __hash__(self) -> int:
        return hash(self._string)

    def __repr__(self) -> str:
        return (f"<DeviceSpec(job={self._job}, replica={self._replica}, task={self._task}, "
                f"device_type={self._device_type}, device_index={self._device_index})>")


_PARSE_CACHE: dict[str, tuple] = {}


def _parse(spec: str | None) -> tuple:
    """TF's DeviceSpec parsing, with its errors."""
    spec = spec or ""
    cached = _PARSE_CACHE.get(spec)
    if cached is not None:
        return cached
    job = replica = task = device_type = device_index = None
    for part in spec.split("/"):
        y = part.split(":")
        n = len(y)
        if n == 2 and y[0] == "job":
            job = y[1]
        elif n == 2 and y[0] == "replica":
            replica = y[1]  # DeviceSpec makes it an int (a ValueError there, as TF's)
        elif n == 2 and y[0] == "task":
            task = y[1]
        elif n in (1, 2) and y[0].upper() in _VALID_TYPES:
            if device_type is not None:
                raise ValueError(f"Multiple device types are not allowed while parsing the device spec: {spec}.")
            device_type = y[0].upper()
            if n == 2 and y[1] != "*":
                device_index = int(y[1])
        elif n == 3 and y[0] == "device":
            if device_type is not None:
                raise ValueError(f"Multiple device types are not allowed while parsing the device spec: {spec}.")
            device_type = y[1]
            if y[2] != "*":
                device_index = int(y[2])
        elif n and y[0] != "":
            raise ValueError(f"Unknown attribute '{y[0]}' is encountered while parsing the device spec: '{spec}'.")
    result = (job, replica, task, device_type, device_index)
    _PARSE_CACHE[spec] = result
    return result


# --- physical devices ---------------------------------------------------------------------------

_gpus: list[Device] | None = None
_SIMULATED_ENV = "FEATHERFLOW_SIMULATED_GPUS"
_simulated: dict[int, Device] = {}  # one Device per simulated card, kept so that identity checks hold


def _simulated_count() -> int:
    text = os.environ.get(_SIMULATED_ENV, "").strip()
    if not text:
        return 0
    if not text.isdigit():
        raise ValueError(f"{_SIMULATED_ENV} must be a number of GPUs, got {text!r}")
    return int(text)


def _simulated_gpus(count: int) -> list[Device]:
    from .backends import simulated

    simulated.configure(count)
    for i in range(count):
        if i not in _simulated:
            _simulated[i] = Device("GPU", i, simulated.xp)
    return [_simulated[i] for i in range(count)]


def gpus() -> list[Device]:
    """The GPUs: CuPy's (probed on first call; none without CuPy or a GPU), or the simulated ones that
    FEATHERFLOW_SIMULATED_GPUS=N asks for (tests only: they replace real GPUs)."""
    global _gpus
    if _gpus is None:
        count = _simulated_count()
        cp = None if count else backends.cupy_or_none()
        if count:
            _gpus = _simulated_gpus(count)
        elif cp is None:
            _gpus = []
        else:
            _gpus = [Device("GPU", i, cp) for i in range(cp.cuda.runtime.getDeviceCount())]
    return _gpus


@contextlib.contextmanager
def _simulating(count: int, default: bool = True) -> Iterator[list[Device]]:
    """For tests: ``count`` simulated GPUs inside the block, and, with ``default``, TF's placement on a GPU
    machine there (new tensors and variables on GPU:0); the GPUs and default device before it come back after."""
    global _gpus
    device = _scope.device  # first: decides the default device if nothing has yet
    saved = (_gpus, _default, device, _scope.spec)
    _gpus = _simulated_gpus(count)
    _scope.spec = None  # outside any tf.device scope, whatever a test before left open
    _set_default(_gpus[0] if count and default else CPU)
    try:
        yield _gpus
    finally:
        _gpus = saved[0]
        if _gpus and _gpus[0] is _simulated.get(0):
            _simulated_gpus(len(_gpus))
        _set_default(saved[1])
        _scope.device, _scope.spec = saved[2], saved[3]


def physical_devices(device_type: str | None = None) -> list[Device]:
    devices = [CPU, *gpus()]
    if device_type is not None:
        devices = [d for d in devices if d.device_type == device_type]  # case-sensitive, as TF
    return devices


# The logical devices ops are placed on, when tf.config (device_config) made them differ from the physical ones:
# hidden devices, several logical CPUs, several logical GPUs on one card. None: one per physical device.
_logical: list[Device] | None = None


def logical_devices(device_type: str | None = None) -> list[Device]:
    """The devices ops can be placed on (TF's logical devices), in TF's order and numbering."""
    devices = _logical if _logical is not None else [CPU, *gpus()]
    if device_type is not None:
        devices = [d for d in devices if d.device_type == device_type]
    return devices


# --- the scope stack and flags --------------------------------------------------------------------


class _Flags:
    """Process-wide switches read by the dispatcher (class attributes: one load each)."""

    log_placement = False  # in effect: fixed once the runtime has started, as TF's
    log_placement_requested = False  # what set_log_device_placement was last given
    soft_placement = True
    started = False  # set when the first tensor or variable is made (TF: the eager context is initialized)


# Where ops run outside any tf.device scope: TF's default, GPU:0 when there is a GPU, else the CPU. None until
# the runtime starts (the first read of the current device: the first tensor, variable, op or tf.device scope),
# when ``_decide_default`` probes for GPUs once: without CuPy installed that is a path lookup and the CPU,
# so ``import featherflow`` never pays for CuPy's import or the CUDA driver's start.
_default: Device | None = None


def _decide_default() -> Device:
    """The default device, decided on first use: GPU:0 if there is a GPU (CuPy's, or a simulated one), else the
    CPU, as TF places new tensors and variables."""
    global _default
    if _default is None:
        found = logical_devices("GPU")
        _default = found[0] if found else CPU
        for hook in START_HOOKS:  # what higher layers do when the runtime starts (tf.config's reservations)
            hook()
    return _default


START_HOOKS: list = []  # callables run once when the runtime starts (injected by higher layers)


class _UndecidedDevice:
    """``_Scope.device`` until the runtime starts: a non-data descriptor, so the first read in a thread decides the
    default device and stores it in the thread's own attributes, which every later read finds first. The
    dispatcher's read of ``_scope.device`` stays one attribute load."""

    def __get__(self, scope: Any, owner: Any = None) -> Any:
        if scope is None:
            return self
        dev = scope.device = _decide_default()  # outside any scope: a tf.device scope reads this first
        dev._make_current()
        return dev


class _Scope(threading.local):
    device = _UndecidedDevice()  # where ops run now (an instance attribute once the default is decided)

    def __init__(self) -> None:
        self.spec: DeviceSpec | None = None  # the merged tf.device spec in force (None: no scope)
        if _default is not None:  # a thread started after the runtime: placed as the rest of the process
            self.device = _default
            _default._make_current()


_scope = _Scope()


def _set_default(dev: Device) -> None:
    """Makes ``dev`` the device of ops outside any tf.device scope (in this thread, and threads made later)."""
    global _default
    _default = dev
    if _scope.spec is None:
        _scope.device = dev
    dev._make_current()


def default_device() -> Device:
    found = logical_devices("GPU")
    return found[0] if found else CPU


def current() -> Device:
    """The device ops run on now."""
    return _scope.device


class _Unplaceable(Device):
    """What a ``tf.device`` scope resolves to when its spec names no device: TF raises the placement error
    when an op or a constant is first made there, so every use of this device raises it."""

    __slots__ = ("_error",)

    def __init__(self, spec: DeviceSpec, error: Exception) -> None:
        self.device_type = spec.device_type or "CPU"
        self.index = spec.device_index or 0
        self.name = spec.to_string()
        self._error = error

    @property  # type: ignore[override]
    def xp(self) -> ModuleType:
        raise self._error

    def put(self, array: Any) -> Any:
        raise self._error

    def _make_current(self) -> None:
        """Nothing to select: placing something here raises."""


def _full(spec: DeviceSpec) -> DeviceSpec:
    return spec.replace(job=spec.job or "localhost", replica=spec.replica or 0, task=spec.task or 0,
                        device_type=spec.device_type or "CPU", device_index=spec.device_index or 0)


def resolve(spec: DeviceSpec) -> Device:
    """The device a spec names, with TF's soft placement for devices that don't exist."""
    if spec.job not in (None, "localhost") or spec.replica not in (None, 0) or spec.task not in (None, 0):
        raise _errors.InvalidArgumentError(None, None, f"{_full(spec).to_string()} unknown device.")
    if spec.device_type is None:
        return default_device()
    kind = spec.device_type.upper()
    index = spec.device_index or 0
    candidates = logical_devices(kind)
    for d in candidates:
        if d.index == index:
            return d
    if not _Flags.soft_placement:
        every = logical_devices()
        types = ", ".join(dict.fromkeys(d.device_type for d in reversed(every)))
        names = ", ".join(d.name for d in every)
        raise _errors.InvalidArgumentError(
            None, None, f"Could not satisfy device specification '{_full(spec).to_string()}'. enable_soft_placement=0. "
                        f"Supported device types [{types}]. All available devices [{names}].")
    return candidates[0] if candidates else CPU


# The spec a scope opened outside any other merges into: TF's first context device.
_CONTEXT_DEVICE = DeviceSpec("localhost", 0, 0, "CPU", 0)


class device_scope:
    """``tf.device(name)``: places the ops and variables created inside on a device.

    As in TF, the name is parsed when the scope is entered, and a name no device answers to fails when
    something is placed there, not before.
    """

    __slots__ = ("_spec_string", "_entered")

    def __init__(self, device_name: Any) -> None:
        if callable(device_name) and not isinstance(device_name, DeviceSpec):
            raise RuntimeError("tf.device does not support functions.")
        if isinstance(device_name, DeviceSpec):
            device_name = device_name.to_string()
        elif isinstance(device_name, PhysicalDevice):  # a LogicalDevice: its name
            device_name = device_name.name
        self._spec_string = device_name
        self._entered: list = []

    def __enter__(self) -> None:
        _Flags.started = True
        name = self._spec_string
        if name is not None and not isinstance(name, str):
            raise ValueError(f"Expecting a string device name. Got {type(name)}({name})")
        s = _scope
        if name is None:  # tf.device(None) clears the scope: TF's default placement
            spec, device = None, _decide_default()
        else:
            new = DeviceSpec.from_string(name)  # malformed names fail here, as in TF
            spec = (s.spec if s.spec is not None else _CONTEXT_DEVICE).make_merged_spec(new)
            try:
                device = resolve(spec)
            except _errors.OpError as e:
                device = _Unplaceable(spec, e)
        self._entered.append((s.device, s.spec, spec))
        s.device, s.spec = device, spec
        if device.device_type == "GPU":
            device._make_current()
        return None

    def __exit__(self, *exc: Any) -> None:
        s = _scope
        old_device, old_spec, entered = self._entered[-1]
        if s.spec is not entered:
            raise RuntimeError("Exiting device scope without proper scope nesting")
        self._entered.pop()
        s.device, s.spec = old_device, old_spec
        if old_device.device_type == "GPU":
            old_device._make_current()


def canonical_name(name: str | None) -> str:
    """The full TF name of the device a spec resolves to."""
    if not name:
        return current().name
    return resolve(DeviceSpec.from_string(name)).name


class quiet:
    """Turns placement logging off for a block: for the ops that implement one TF op (which logs once)."""

    __slots__ = ("_saved",)

    def __enter__(self) -> None:
        self._saved = _Flags.log_placement
        _Flags.log_placement = False

    def __exit__(self, *exc: Any) -> None:
        _Flags.log_placement = self._saved


def log_placement(op_name: str, dev: Device) -> None:
    """TF's eager placement log line: an INFO record of its C++ logger (execute.cc) on stderr, hidden when
    TF_CPP_MIN_LOG_LEVEL is above 0, as TF's is."""
    if os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0").strip() not in ("", "0"):
        return
    sys.stderr.write(f"I0000 00:00:{time.time():.6f} {threading.get_native_id():>7} execute.cc:1775] "
                     f"Executing op {op_name} in device {dev.name}\n")


def iter_devices() -> Iterator[Device]:
    return iter(logical_devices())


# --- tf.config ----------------------------------------------------------------------------------

class PhysicalDevice(tuple):
    """``tf.config.PhysicalDevice(name, device_type)``."""

    __slots__ = ()
    _fields = ("name", "device_type")

    def __new__(cls, name: str, device_type: str) -> PhysicalDevice:
        return tuple.__new__(cls, (name, device_type))

    name = property(lambda self: self[0])
    device_type = property(lambda self: self[1])

    def __repr__(self) -> str:
        return f"PhysicalDevice(name={self[0]!r}, device_type={self[1]!r})"


class LogicalDevice(PhysicalDevice):
    """``tf.config.LogicalDevice(name, device_type)``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"LogicalDevice(name={self[0]!r}, device_type={self[1]!r})"


# list_physical_devices, list_logical_devices, visible devices, logical device configurations and memory:
# device_config, which builds ``_logical``.


def set_soft_device_placement(enabled: bool) -> None:
    """Whether a spec naming a device that does not exist falls back to one that does (TF's default: True)."""
    _Flags.soft_placement = bool(enabled)


def get_soft_device_placement() -> bool:
    return _Flags.soft_placement


def set_log_device_placement(enabled: bool) -> None:
    """Log one line per executed op, ``Executing op MatMul in device /job:localhost/.../device:CPU:0``, to
    stderr as TF's INFO log. As in TF, this takes effect only before the first tensor is made."""
    _Flags.log_placement_requested = bool(enabled)
    if not _Flags.started:
        _Flags.log_placement = bool(enabled)


def get_log_device_placement() -> bool:
    return _Flags.log_placement_requested


