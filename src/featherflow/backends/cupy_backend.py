"""The CuPy (NVIDIA GPU) backend: imported only when the runtime starts (or a GPU is asked for) and CuPy is installed.

CuPy is the GPU's array namespace: ``cupy.asarray`` copies host data to the current card, ``ndarray.get()``
copies back, ``ndarray.copy()`` copies onto the current card from any card, ``cupy.cuda.Device(i)`` selects a
card for a block (per thread, as CUDA does), and ``ndarray.data.ptr`` is the buffer's device address.
CuPy 14 holds bool, the integer, float16/32/64 and complex dtypes, and ``ml_dtypes.bfloat16``; it refuses
float8, int4 and object (string) arrays with ``ValueError: Unsupported dtype ...`` (see ``DEVICE_DTYPES``).
"""

from __future__ import annotations

import importlib.util
from types import ModuleType


def installed() -> bool:
    """Whether CuPy is installed, found without importing it (a lookup on sys.path: well under a millisecond)."""
    try:
        return importlib.util.find_spec("cupy") is not None
    except (ImportError, ValueError):  # a broken or half-installed package
        return False


def load() -> ModuleType | None:
    """CuPy if it is installed, imports, and sees at least one GPU; else None. Costs nothing without CuPy."""
    if not installed():
        return None
    try:
        import cupy
    except Exception:  # ImportError, or a CUDA library that fails to load
        return None
    try:
        if cupy.cuda.runtime.getDeviceCount() < 1:
            return None
    except Exception:  # CUDARuntimeError: no driver, a driver too old for this CUDA, no device
        return None
    return cupy


def device_count() -> int:
    """How many GPUs CuPy sees (0 without CuPy or a usable driver)."""
    cp = load()
    return 0 if cp is None else int(cp.cuda.runtime.getDeviceCount())
