"""The simulated GPU's cards and ``cupy.cuda``: how many cards exist, which one is current (per thread), the
counters of host<->device copies and kernel launches, and CuPy's ``cuda.Device`` and ``cuda.runtime`` over them.

The arrays and the namespace that compute on these cards live in ``simulated``; this module holds the state
they share, so it imports nothing of theirs.
"""

from __future__ import annotations

import types
from typing import Any

from . import simulated_memory as _memory

_cards = 0  # how many simulated cards exist (set by featherflow.device when it probes the GPUs)
_counts = [0, 0, 0]  # host->device, device->host, device->device copies
_launches: dict[int, int] = {}  # kernels run per card: how a test sees which card was current


_local = _memory.current  # the current card per thread (as CUDA: card 0 until a thread selects another)


def configure(cards: int) -> None:
    """Sets how many simulated cards exist (featherflow.device does this when it probes the GPUs)."""
    global _cards
    _cards = int(cards)


def transfers() -> tuple[int, int]:
    """(host->device, device->host) copies counted since the last ``reset_transfers()``."""
    return _counts[0], _counts[1]


def peer_copies() -> int:
    """Device->device copies (between two simulated cards) since the last ``reset_transfers()``."""
    return _counts[2]


def reset_transfers() -> None:
    _counts[0] = _counts[1] = _counts[2] = 0
    _launches.clear()


def launches() -> dict[int, int]:
    """Kernels (calls that compute on a card) per card since the last ``reset_transfers()``."""
    return dict(_launches)


def current_card() -> int:
    return _local.card


def _peer_error(resides: int, card: int) -> ValueError:
    return ValueError(f"The device where the array resides ({resides}) is different from the current device "
                      f"({card}). Peer access is unavailable between these devices.")


class _CudaDevice:
    """``cupy.cuda.Device(i)``: ``with`` makes card i current for the block (per thread), as CUDA's."""

    __slots__ = ("id", "_saved")

    def __init__(self, device: int | None = None) -> None:
        if device is None:
            device = _local.card
        if not 0 <= device < _cards:
            raise RuntimeError("cudaErrorInvalidDevice: invalid device ordinal")
        self.id = int(device)
        self._saved: list[int] = []

    def use(self) -> None:
        _local.card = self.id

    def __enter__(self) -> _CudaDevice:
        self._saved.append(_local.card)
        _local.card = self.id
        return self

    def __exit__(self, *exc: Any) -> None:
        _local.card = self._saved.pop()

    def synchronize(self) -> None:
        """Kernels of the simulation finish when they return."""

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, _CudaDevice) and other.id == self.id

    def __hash__(self) -> int:
        return self.id

    def __repr__(self) -> str:
        return f"<CUDA Device {self.id}>"


class _Runtime:
    @staticmethod
    def getDeviceCount() -> int:  # noqa: N802 (CuPy's name)
        return _cards

    @staticmethod
    def getDevice() -> int:  # noqa: N802
        return _local.card

    @staticmethod
    def getDeviceProperties(device: int) -> dict:  # noqa: N802
        """A few of CUDA's cudaDeviceProp fields, as CuPy returns them: fixed values of a plausible card."""
        if not 0 <= device < _cards:
            raise RuntimeError("cudaErrorInvalidDevice: invalid device ordinal")
        return {"name": b"NVIDIA H100 80GB HBM3", "major": 9, "minor": 0, "totalGlobalMem": _memory.CAPACITY}

    @staticmethod
    def memGetInfo() -> tuple[int, int]:  # noqa: N802
        """(free, total) bytes of the current card."""
        return _memory.mem_get_info()


cuda = types.SimpleNamespace(Device=_CudaDevice, runtime=_Runtime, get_device_id=lambda: _local.card,
                             MemoryPool=_memory.MemoryPool, set_allocator=_memory.set_allocator,
                             get_allocator=_memory.get_allocator, alloc=_memory.alloc,
                             memory=types.SimpleNamespace(OutOfMemoryError=_memory.OutOfMemoryError,
                                                          MemoryPool=_memory.MemoryPool))
