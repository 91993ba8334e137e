"""Array namespaces, one per device type. The only place that imports CuPy (lazily)."""

from __future__ import annotations

from types import ModuleType

import numpy

_cupy: ModuleType | None | bool = False  # False: not probed yet; None: unavailable


def cupy_or_none() -> ModuleType | None:
    """CuPy if it imports and sees at least one GPU, else None. Probed once, on first use."""
    global _cupy
    if _cupy is False:
        from . import cupy_backend

        _cupy = cupy_backend.load()
    return _cupy  # type: ignore[return-value]


def array_module(array: object) -> ModuleType:
    """The array namespace of ``array``'s device: NumPy for host arrays and scalars."""
    if isinstance(array, (numpy.ndarray, numpy.generic)):
        return numpy
    namespace = getattr(array, "__array_namespace__", None)
    return namespace() if namespace is not None else cupy_or_none()  # type: ignore[return-value]


def to_numpy(array: object) -> numpy.ndarray:
    """A host (NumPy) view or copy of a backend array."""
    if isinstance(array, (numpy.ndarray, numpy.generic)):
        return array  # type: ignore[return-value]
    get = getattr(array, "get", None)
    if get is not None:
        return get()
    return numpy.asarray(array)
