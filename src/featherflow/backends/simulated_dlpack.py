"""DLPack on the simulated GPU, as CuPy speaks it: ``__dlpack_device__`` is (kDLCUDA, card), ``__dlpack__`` hands
out a capsule whose DLTensor says kDLCUDA and the card (NumPy refuses it as it refuses a CUDA capsule), and
``xp.from_dlpack`` takes such capsules back without a copy.

The memory behind a simulated card is host memory, so a capsule of it may only come back to the simulation:
``from_dlpack`` takes the capsules the simulation made, and refuses any other kDLCUDA capsule (a real GPU's).
"""

from __future__ import annotations

from typing import Any

from . import dlpack

_CUPY_BACKEND = ("CuPy is built against CUDA, different from the backend that backs the incoming DLPack tensor")

# The DLManagedTensors this simulation exported and nobody has taken back yet (by address).
_exported: set[int] = set()


def install(array_type: type, namespace: Any, counts: list[int]) -> None:
    """Gives the simulated arrays ``__dlpack__``/``__dlpack_device__`` and the namespace ``from_dlpack``
    (``counts``: the simulation's transfer counters, [host->device, device->host, device->device])."""

    def __dlpack__(self: Any, *, stream: Any = None, max_version: Any = None, dl_device: Any = None,
                   copy: Any = None) -> Any:
        if stream == 0:  # CuPy's rule for CUDA: 0 is ambiguous (1 is the legacy default stream, 2 per-thread)
            raise ValueError("stream=0 is ambiguous: use 1 for the legacy default stream or 2 for per-thread")
        here = (dlpack.CUDA, self._card)
        if dl_device is not None and tuple(dl_device) != here:
            if tuple(dl_device) != (dlpack.CPU, 0) or copy is False:
                reason = " without a copy" if copy is False else ""
                raise BufferError(f"cannot export an array on {here} to DLPack device {tuple(dl_device)}{reason}")
            counts[1] += 1  # a device->host copy, as CuPy makes for dl_device=(kDLCPU, 0)
            return dlpack.export_host(self._a.copy(), max_version, False, read_only=False)
        a = self._a.copy() if copy else self._a
        capsule = dlpack.export_host(a, max_version, False, here, read_only=False)  # CuPy's arrays are mutable
        _exported.add(dlpack.managed_address(capsule))
        return capsule

    def __dlpack_device__(self: Any) -> tuple[int, int]:
        return (dlpack.CUDA, self._card)

    def from_dlpack(x: Any, *, device: Any = None, copy: Any = None) -> Any:
        """``cupy.from_dlpack``: the array of a kDLCUDA producer (or a capsule) on its card, sharing its memory."""
        if device is not None or copy:
            raise NotImplementedError("the simulated GPU's from_dlpack takes no device= nor copy=True")
        if dlpack.is_capsule(x):
            capsule = x
        else:
            kind, _ = x.__dlpack_device__()
            if kind == dlpack.CPU:  # CuPy's words
                raise TypeError("CPU arrays cannot be directly imported to CuPy. Use "
                                "`cupy.array(numpy.from_dlpack(input))` instead.")
            if kind != dlpack.CUDA:
                raise TypeError(f"Unsupported array type: {kind}")
            capsule = dlpack.take(x, 1)  # CuPy's current stream: the legacy default stream
        if dlpack.capsule_name(capsule) not in (dlpack.LEGACY, dlpack.VERSIONED):
            raise ValueError("A DLPack tensor object cannot be consumed multiple times")
        t = dlpack.dl_tensor(capsule)
        if t.device.device_type != dlpack.CUDA:
            raise RuntimeError(_CUPY_BACKEND)
        address = dlpack.managed_address(capsule)
        if address not in _exported:
            raise BufferError("the simulated GPU takes back only its own capsules: this one is a real device's memory")
        _exported.discard(address)
        card = t.device.device_id
        t.device.device_type, t.device.device_id = dlpack.CPU, 0  # its memory is the host's: NumPy takes it
        host = dlpack.writable(dlpack.to_host(capsule, t))  # NumPy marks legacy imports read-only; CuPy does not
        return array_type(host, card)

    array_type.__dlpack__ = __dlpack__  # type: ignore[attr-defined]
    array_type.__dlpack_device__ = __dlpack_device__  # type: ignore[attr-defined]
    namespace.from_dlpack = from_dlpack
