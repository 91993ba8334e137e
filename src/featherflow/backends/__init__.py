"""Array namespaces, one per device type. The only place that imports CuPy (lazily)."""

from __future__ import annotations

from types import ModuleType

import numpy

_cupy: ModuleType | None | bool = False  # False: not probed yet; None: unavailable

# The dtypes a GPU array can hold: CuPy 14's, bfloat16 included (through ml_dtypes, which featherflow loads only
# when such a dtype is first used, so it is recognised by kind and name, not listed here). A set of dtype objects,
# not names: ``dtype.name`` is computed on each read (microseconds), a set lookup of the dtype is tens of ns.
# Tensors of any other dtype (strings, float8, float4, int4, int2) live in host memory, as strings do in TF, and an
# op given one runs on the CPU; the simulated GPU refuses them as CuPy does (``ValueError: Unsupported dtype``).
DEVICE_DTYPES = frozenset(numpy.dtype(name) for name in (
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32",
    "float64", "complex64", "complex128"))


def on_device(dtype: numpy.dtype) -> bool:
    """Whether arrays of ``dtype`` can live on a GPU (a NumPy dtype, as a backend array's ``.dtype``)."""
    return dtype in DEVICE_DTYPES or (dtype.kind == "V" and dtype.name == "bfloat16")


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


def nccl_or_none(xp: ModuleType) -> ModuleType | None:
    """The NCCL binding of a GPU namespace (``cupy.cuda.nccl``; the simulated GPU's own), None where the
    namespace has none or CuPy was built without NCCL."""
    cuda = getattr(xp, "cuda", None)
    if cuda is None:
        return None
    module = getattr(cuda, "nccl", None)
    if module is None:
        try:
            import importlib

            module = importlib.import_module(f"{xp.__name__}.cuda.nccl")
        except Exception:  # no NCCL library, or a CuPy without the binding
            return None
    return module if getattr(module, "available", False) else None
