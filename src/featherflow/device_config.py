"""``tf.config``'s devices: physical and logical devices, visibility, logical device configurations, memory growth,
memory statistics and device details, as TF 2's eager context keeps them (``python/eager/context.py``).

Configuration is applied when it is set, and only until the runtime starts (the first tensor, variable, op,
``tf.device`` scope or ``list_logical_devices``); after that a change raises TF's RuntimeError. The logical
devices built here are what ``device.resolve`` places on: ``set_logical_device_configuration(cpu, [...] * 3)``
gives ``CPU:0..2`` (all NumPy), two configurations on one GPU give ``GPU:0`` and ``GPU:1`` on that card, each
with its own memory pool and limit, and hidden GPUs are gone, the rest renumbered from 0.

Every GPU allocation goes through one allocator installed on the GPU's array namespace (``cuda.set_allocator``,
CuPy's call, which the simulated GPU has too): it takes memory from the pool of the logical device ops run on
now, counts its peak, and turns the pool's out-of-memory error into TF's ResourceExhaustedError.

>>> import featherflow as tf
>>> tf.config.list_physical_devices("CPU")
[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]
"""

from __future__ import annotations

import contextlib
import re
from typing import Any, Callable, Iterator, NamedTuple

import numpy

from . import device as _device
from . import errors as _errors
from .device import CPU, Device, LogicalDevice, PhysicalDevice, _Flags


class LogicalDeviceConfiguration(NamedTuple):
    """``tf.config.LogicalDeviceConfiguration``: one logical device to make from a physical one (memory_limit in MB)."""

    memory_limit: int | None = None
    experimental_priority: int | None = None
    experimental_device_ordinal: int | None = None


VirtualDeviceConfiguration = LogicalDeviceConfiguration  # tf.config.experimental's older name


# --- the configuration, as TF's context keeps it ---------------------------------------------------

_visible: list[PhysicalDevice] | None = None  # None: every physical device
_virtual: dict[PhysicalDevice, Any] = {}  # physical device -> its logical device configurations
_growth: dict[PhysicalDevice, bool | None] = {}  # GPU -> memory growth (None: never set)
_logical_cpus: dict[int, Device] = {0: CPU}  # CPU:k, kept so that a device is one object for the process


def _physical_name(d: Device) -> PhysicalDevice:
    return PhysicalDevice(f"/physical_device:{d.device_type}:{d.index}", d.device_type)


def _physical() -> list[PhysicalDevice]:
    return [_physical_name(d) for d in _device.physical_devices()]


def _check_known(dev: Any) -> None:
    if dev not in _physical():
        raise ValueError(f"Unrecognized device: {dev!r}")


def list_physical_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """The machine's devices (the CPU, and the GPUs CuPy sees), whether visible or not, as TF lists them."""
    devices = _physical()
    for d in _device.gpus():  # from the first look at the GPUs on, their allocations are counted (peak memory)
        _install(d.xp)
    if device_type is not None:
        devices = [d for d in devices if d.device_type == device_type]  # case-sensitive, as TF
    return devices


def list_logical_devices(device_type: str | None = None) -> list[LogicalDevice]:
    """The devices ops can be placed on; as in TF, this starts the runtime (configuration is final)."""
    _Flags.started = True
    return [LogicalDevice(f"/device:{d.device_type}:{d.index}", d.device_type)
            for d in _device.logical_devices(device_type)]


def get_visible_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """The physical devices the runtime uses (all of them unless ``set_visible_devices`` hid some)."""
    devices = _physical() if _visible is None else list(_visible)
    if device_type is not None:
        devices = [d for d in devices if d.device_type == device_type]
    return devices


def set_visible_devices(devices: Any, device_type: str | None = None) -> None:
    """Which physical devices the runtime uses (of ``device_type``, if given): hidden GPUs get no logical device,
    and the visible ones are numbered from GPU:0. Only before the runtime starts."""
    physical = _physical()
    if not isinstance(devices, list):
        devices = [devices]
    for d in devices:
        if d not in physical or device_type is not None and d.device_type != device_type:
            raise ValueError(f"Unrecognized device: {d!r}")
    current = get_visible_devices()
    new = [d for d in current if d.device_type != device_type] if device_type is not None else []
    new += devices
    if new == current:
        return
    if _Flags.started:
        raise RuntimeError("Visible devices cannot be modified after being initialized")
    if not any(d.device_type == "CPU" for d in new):
        # TF accepts this and then fails to start ("No CPU devices are available in this process"); featherflow
        # refuses it here, since host memory backs every CPU tensor and every string
        raise _errors.NotFoundError(None, None, "No CPU devices are available in this process")
    global _visible
    _visible = new
    _rebuild()


def get_memory_growth(device: Any) -> bool | None:
    """Whether a physical GPU's memory grows as arrays need it: what ``set_memory_growth`` set, else None, as TF
    reports it (featherflow's pools, CuPy's, grow either way)."""
    _check_known(device)
    if device.device_type != "GPU":
        raise KeyError(device)  # TF looks the device up in its table of GPUs
    return _growth.get(device)


def set_memory_growth(device: Any, enable: bool) -> None:
    """Memory growth for a physical GPU: True, its pool takes memory as arrays need it (CuPy's default, and
    featherflow's when it was never set); False, as TF without growth, its pool takes nearly all of the card's free
    memory when the runtime starts and serves arrays from it. Only before the runtime starts, and not on a GPU
    with logical devices configured."""
    _check_known(device)
    if device in _virtual:
        raise ValueError("Cannot set memory growth on device when virtual devices configured")
    if device.device_type != "GPU":
        raise ValueError("Cannot set memory growth on non-GPU and non-Pluggable devices")
    enable = bool(enable)
    if _growth.get(device) == enable:
        return
    if _Flags.started:
        raise RuntimeError("Physical devices cannot be modified after being initialized")
    _growth[device] = enable


def get_logical_device_configuration(device: Any) -> Any:
    """The logical device configurations set for a physical device, or None."""
    _check_known(device)
    return _virtual.get(device)


def set_logical_device_configuration(device: Any, logical_devices: Any) -> None:
    """Makes one logical device of ``device`` per configuration: logical CPUs, or logical GPUs on one card with
    ``memory_limit`` MB each (a limit its pool enforces). Only before the runtime starts."""
    _check_known(device)
    if device.device_type == "CPU":
        for vdev in logical_devices:
            if vdev.memory_limit is not None:
                raise ValueError("Setting memory limit on CPU virtual devices is currently not supported")
            if vdev.experimental_priority is not None:
                raise ValueError("Setting experimental_priority on CPU virtual  devices is currently not supported")
            if vdev.experimental_device_ordinal is not None:
                raise ValueError("Setting experimental_device_ordinal on CPU virtual  devices is currently not "
                                 "supported")
    elif device.device_type == "GPU":
        for vdev in logical_devices:
            if vdev.memory_limit is None:
                raise ValueError("Setting memory limit is required for GPU virtual devices")
            if vdev.experimental_priority is not None:  # CUDA stream priorities: no stream per logical device here
                raise NotImplementedError("LogicalDeviceConfiguration(experimental_priority=...) is not supported by "
                                          "featherflow")
    else:
        raise ValueError(f"Virtual devices are not supported for {device.device_type}")
    if _virtual.get(device) == logical_devices:
        return
    if _Flags.started:
        raise RuntimeError("Virtual devices cannot be modified after being initialized")
    if device.device_type == "CPU" and not logical_devices:  # TF accepts it, then fails to start
        raise _errors.NotFoundError(None, None, "No CPU devices are available in this process")
    ordinals = [v.experimental_device_ordinal for v in logical_devices]
    if any(o is not None for o in ordinals) and None in ordinals:  # TF's check, made when it starts
        raise ValueError("device_ordinals must be specified for all virtual devices")
    _virtual[device] = logical_devices
    _rebuild()


# tf.config.experimental's older names
get_virtual_device_configuration = get_logical_device_configuration
set_virtual_device_configuration = set_logical_device_configuration


# --- the logical devices -------------------------------------------------------------------------------


class _LogicalGPU(Device):
    """A logical GPU whose card is not its index: a card split into several logical GPUs, or one renumbered
    because a GPU before it is hidden. Its arrays live on ``card``."""

    __slots__ = ("card",)

    def __init__(self, index: int, xp: Any, card: int) -> None:
        super().__init__("GPU", index, xp)
        self.card = card

    def put(self, array: Any) -> Any:
        xp = self.xp
        scope = _device._scope
        saved = scope.device
        scope.device = self  # the copy's memory is this device's (its card may hold other logical GPUs' pools)
        try:
            with xp.cuda.Device(self.card):
                if type(array) is xp.ndarray:  # another device's array: ``copy`` copies onto the current card
                    return array.copy()
                return xp.asarray(array)
        finally:
            scope.device = saved

    def activate(self) -> Any:
        return self.xp.cuda.Device(self.card)

    def _make_current(self) -> None:
        self.xp.cuda.Device(self.card).use()


def _card(dev: Device) -> int:
    return dev.card if type(dev) is _LogicalGPU else dev.index


def _rebuild() -> None:
    """The logical devices for the current configuration (``device._logical``), and their memory pools."""
    visible = get_visible_devices()
    table: list[Device] = []
    cpu = _physical_name(CPU)
    if cpu in visible:
        configs = _virtual.get(cpu)
        for k in range(1 if configs is None else len(configs)):
            if k not in _logical_cpus:
                _logical_cpus[k] = Device("CPU", k, numpy)
            table.append(_logical_cpus[k])
    gpus: list[tuple] = []  # (ordinal, physical position, position in its configuration, physical device, limit)
    for pos, d in enumerate(_device.gpus()):
        if _physical_name(d) not in visible:
            continue
        configs = _virtual.get(_physical_name(d))
        if not configs:  # none, or an empty list: TF's one logical device with all of the card
            gpus.append((0, pos, 0, d, None))
        else:
            gpus.extend((c.experimental_device_ordinal or 0, pos, j, d, c.memory_limit) for j, c in enumerate(configs))
    gpus.sort(key=lambda g: g[:3])  # a lower ordinal gets a lower id; ties keep the physical order, as TF
    _records.clear()
    for k, (_, _, _, d, limit) in enumerate(gpus):
        dev = d if limit is None and d.index == k else _LogicalGPU(k, d.xp, d.index)
        table.append(dev)
        if limit is not None:
            pool = d.xp.cuda.MemoryPool()
            with d.xp.cuda.Device(d.index):
                pool.set_limit(size=int(limit) << 20)  # memory_limit is in MB, as TF's memory_limit_mb
            _records[dev] = _Memory(dev, pool)
    default = table == [CPU, *_device.gpus()]
    _device._logical = None if default else table
    if _device._default is not None:  # the placement default is decided already (a test's simulated machine)
        found = [d for d in table if d.device_type == "GPU"]
        _device._set_default(found[0] if found else CPU)
    for d in _device.gpus():
        _install(d.xp)


# --- memory: pools, statistics and limits --------------------------------------------------------------


class _Memory:
    """A logical GPU's memory: its pool (the card's default pool unless it has a limit) and its peak."""

    __slots__ = ("device", "pool", "card", "peak")

    def __init__(self, device: Device, pool: Any) -> None:
        self.device = device
        self.pool = pool
        self.card = _card(device)
        with device.activate():
            self.peak = pool.used_bytes()  # what was allocated before featherflow's allocator was installed

    def malloc(self, size: int) -> Any:
        try:
            memory = self.pool.malloc(size)
        except MemoryError:  # CuPy's OutOfMemoryError: over the limit, or the card is full
            raise _errors.ResourceExhaustedError(
                None, None, f"OOM when allocating tensor of {size} bytes on {self.device.name} by allocator "
                            f"GPU_{self.device.index}_bfc") from None
        used = self.pool.used_bytes()
        if used > self.peak:
            self.peak = used
        return memory

    def used(self) -> int:
        with self.device.activate():
            return self.pool.used_bytes()


_RESERVED_FRACTION = 0.95  # of a card's free memory, taken up front without memory growth (TF takes nearly all)


def _reserve_up_front() -> None:
    """When the runtime starts: each GPU whose memory growth was set to False has its pool take most of the card's
    free memory at once (kept by the pool as a free block that later arrays are cut from), as TF reserves it."""
    for physical, growth in _growth.items():
        if growth is not False:
            continue
        index = int(physical.name.rsplit(":", 1)[1])
        for dev in _device.logical_devices("GPU"):
            if _card(dev) == index:
                rec = _record(dev)
                with dev.activate():
                    free, _ = dev.xp.cuda.runtime.memGetInfo()
                    size = int(free * _RESERVED_FRACTION) // 512 * 512
                    if size > 0:
                        rec.pool.malloc(size)  # freed at once: the pool keeps the block for later arrays
                break


_device.START_HOOKS.append(_reserve_up_front)

_records: dict[Device, _Memory] = {}  # logical GPU -> its memory (made on first use for one without a limit)
_installed: dict[int, Callable] = {}  # id(array namespace) -> featherflow's allocator installed on it


def _record(dev: Device) -> _Memory:
    rec = _records.get(dev)
    if rec is None:
        rec = _records[dev] = _Memory(dev, dev.xp.get_default_memory_pool())
    return rec


def _on_card(xp: Any, card: int) -> _Memory | None:
    """The memory an allocation on ``card`` outside any of its logical devices is charged to: its first one."""
    for dev in _device.logical_devices("GPU"):
        if dev.xp is xp and _card(dev) == card:
            return _record(dev)
    for dev in _device.gpus():  # a hidden card (a copy made there directly): its own default pool
        if dev.xp is xp and dev.index == card:
            return _record(dev)
    return None  # a card featherflow does not use now (arrays made with the namespace directly)


def _install(xp: Any) -> None:
    """Installs featherflow's allocator on a GPU array namespace (once)."""
    if id(xp) in _installed:
        return
    runtime = xp.cuda.runtime
    default = xp.get_default_memory_pool()

    def malloc(size: int) -> Any:
        # the pool of the device ops run on now, if its card is the current one (it is, inside the dispatcher)
        dev = _device._scope.device
        rec = _records.get(dev)
        card = runtime.getDevice()
        if rec is None or rec.card != card:
            if dev.device_type == "GPU" and type(dev) is not _device._Unplaceable and dev.xp is xp \
                    and _card(dev) == card:
                rec = _record(dev)
            else:
                rec = _on_card(xp, card)
                if rec is None:
                    return default.malloc(size)
        return rec.malloc(size)

    xp.cuda.set_allocator(malloc)
    _installed[id(xp)] = malloc


_NAME = re.compile(r"(?:/job:[^/]+)?(?:/replica:\d+)?(?:/task:\d+)?(?:(?:/device:|/|^)([A-Za-z_]+):(\d+))?")


def _matched_device(name: Any) -> Device:
    """The logical device a memory-statistics name means, with TF's errors."""
    if not isinstance(name, str):
        raise TypeError(f"incompatible function arguments: the device must be a str (like \"GPU:0\"), got {name!r}")
    m = _NAME.fullmatch(name)
    if m is None:
        raise ValueError(f"Failed parsing device name: '{name}'. Note a valid device string should at least contain "
                         f"a device type and a device index, like \"GPU:0\".")
    job = re.match(r"/job:([^/]+)", name)
    kind, index = m.group(1), m.group(2)
    found = [d for d in _device.logical_devices()
             if (job is None or job.group(1) == "localhost") and (kind is None or d.device_type == kind)
             and (index is None or d.index == int(index))]
    if not found:
        raise ValueError(f"No matching devices found for '{name}'")
    if len(found) > 1:
        raise ValueError(f"Multiple devices match the provided string '{name}': '{found[0].name}' and "
                         f"'{found[1].name}'.")
    return found[0]


def get_memory_info(device: str) -> dict[str, int]:
    """``{'current': bytes in use, 'peak': most bytes in use}`` for a GPU (``"GPU:0"``): the live bytes of its arrays.
    NumPy's host memory has no allocator statistics, so a CPU raises TF's ValueError for that."""
    _Flags.started = True
    dev = _matched_device(device)
    if dev.device_type != "GPU":
        raise ValueError(f"Allocator stats not available for device '{device}'")
    _install(dev.xp)
    rec = _record(dev)
    current = rec.used()
    return {"current": current, "peak": max(rec.peak, current)}


def reset_memory_stats(device: str) -> None:
    """Sets a GPU's peak to its current use, to measure the peak of a part of a program."""
    _Flags.started = True
    dev = _matched_device(device)
    if dev.device_type != "GPU":
        raise ValueError(f"Cannot reset memory stats for device '{device}'")
    _install(dev.xp)
    rec = _record(dev)
    rec.peak = rec.used()


def get_device_details(device: Any) -> dict[str, Any]:
    """A physical GPU's ``device_name`` and ``compute_capability`` (from the CUDA runtime); ``{}`` for the CPU."""
    if not isinstance(device, PhysicalDevice) or isinstance(device, LogicalDevice):
        raise ValueError(f"device must be a tf.config.PhysicalDevice, but got: {device}")
    physical = _physical()
    if device not in physical:
        raise ValueError(f"The PhysicalDevice must be one obtained from calling `tf.config.list_physical_devices`, "
                         f"but got: {device}")
    if device.device_type != "GPU":
        return {}
    gpu = next(d for d in _device.gpus() if _physical_name(d) == device)
    props = gpu.xp.cuda.runtime.getDeviceProperties(gpu.index)
    name = props["name"]
    return {"device_name": name.decode() if isinstance(name, bytes) else str(name),
            "compute_capability": (int(props["major"]), int(props["minor"]))}


def reset_runtime() -> None:
    """The runtime as at a process start, not yet started and unconfigured (TF's ``context._reset_context()``):
    device visibility, logical devices and memory settings can be configured again."""
    global _visible, _virtual, _growth
    _Flags.started = False
    _visible, _virtual, _growth = None, {}, {}
    _records.clear()
    _device._logical = None
    _device._default = None
    _device._scope.spec = None
    _device._scope.__dict__.pop("device", None)  # undecided: the first read decides the default, as at a start


# --- tests ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _fresh_runtime() -> Iterator[None]:
    """For tests: a runtime that has not started (configuration allowed), with no configuration; everything
    before it (started flag, configuration, logical devices, default placement) comes back after."""
    global _visible, _virtual, _growth
    scope = _device._scope
    saved = (_Flags.started, _Flags.log_placement, _Flags.log_placement_requested, _Flags.soft_placement,
             _visible, _virtual, _growth, dict(_records), _device._logical, _device._default,
             scope.__dict__.get("device"), scope.spec)
    reset_runtime()
    try:
        yield
    finally:
        (_Flags.started, _Flags.log_placement, _Flags.log_placement_requested, _Flags.soft_placement,
         _visible, _virtual, _growth, records, _device._logical, _device._default, device, scope.spec) = saved
        _records.clear()
        _records.update(records)
        if device is None:
            scope.__dict__.pop("device", None)
        else:
            scope.device = device
            device._make_current()
