"""DLPack for the backends: capsules read and checked as TensorFlow checks them, host arrays exported through
NumPy's own ``__dlpack__``, capsules imported into NumPy, CuPy or the simulated GPU.

Loaded on the first DLPack exchange (it needs ctypes), never by ``import featherflow`` nor by an op.
"""

from __future__ import annotations

import ctypes
from typing import Any

import numpy as np

from ..errors import InvalidArgumentError

# dlpack.h's DLDeviceType and DLDataTypeCode values, and its capsule names
CPU, CUDA, ROCM = 1, 2, 10
INT, UINT, FLOAT, BFLOAT, COMPLEX, BOOL = 0, 1, 2, 4, 5, 6
LEGACY, VERSIONED = b"dltensor", b"dltensor_versioned"
_READ_ONLY = 1  # DLPACK_FLAG_BITMASK_READ_ONLY

# What TF's to_dlpack exports (GetDlDataType); any other dtype is refused with its DataType_Name.
_EXPORTED = frozenset(("bool", "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16",
                       "uint32", "uint64", "bfloat16", "complex64", "complex128"))
_DT_NAMES = {"float32": "DT_FLOAT", "float64": "DT_DOUBLE", "float16": "DT_HALF"}

# What TF's from_dlpack imports (TfDataTypeFormDlDataType): type code -> (accepted bits, TF's name in its error)
_IMPORTED = {UINT: ((8, 16, 32, 64), "UInt"), INT: ((8, 16, 32, 64), "Int"), FLOAT: ((16, 32, 64), "Float"),
             BFLOAT: ((16,), "BFloat"), COMPLEX: ((64, 128), "Complex")}

# TF's message (its "%s" is never filled in: TF appends the name after the text)
_NOT_A_DLTENSOR = ('DLPack tensor must be a capsule with name "dltensor", got "%s". Note that a DLPack tensor may be '
                   'consumed at most once.')


class DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int32), ("device_id", ctypes.c_int32)]


class DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]


class DLTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("device", DLDevice), ("ndim", ctypes.c_int32), ("dtype", DLDataType),
                ("shape", ctypes.POINTER(ctypes.c_int64)), ("strides", ctypes.POINTER(ctypes.c_int64)),
                ("byte_offset", ctypes.c_uint64)]


class DLManagedTensor(ctypes.Structure):
    _fields_ = [("dl_tensor", DLTensor), ("manager_ctx", ctypes.c_void_p), ("deleter", ctypes.c_void_p)]


class DLPackVersion(ctypes.Structure):
    _fields_ = [("major", ctypes.c_uint32), ("minor", ctypes.c_uint32)]


class DLManagedTensorVersioned(ctypes.Structure):
    _fields_ = [("version", DLPackVersion), ("manager_ctx", ctypes.c_void_p), ("deleter", ctypes.c_void_p),
                ("flags", ctypes.c_uint64), ("dl_tensor", DLTensor)]


_get_name = ctypes.pythonapi.PyCapsule_GetName
_get_name.restype = ctypes.c_char_p
_get_name.argtypes = [ctypes.py_object]
_get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_get_pointer.restype = ctypes.c_void_p
_get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]


def is_capsule(value: Any) -> bool:
    """Whether ``value`` is a PyCapsule (what ``to_dlpack`` and ``__dlpack__`` return)."""
    t = type(value)
    return t.__name__ == "PyCapsule" and t.__module__ == "builtins"


def capsule_name(capsule: Any) -> bytes:
    """The capsule's name: b"dltensor", b"dltensor_versioned", or b"used_dltensor" once a consumer took it."""
    return _get_name(capsule) or b""


def managed_address(capsule: Any) -> int:
    """The address of the capsule's DLManagedTensor (legacy or versioned): what identifies one export."""
    return _get_pointer(capsule, capsule_name(capsule))


def dl_tensor(capsule: Any) -> DLTensor:
    """The capsule's DLTensor, as a ctypes view of the producer's memory (writing to it edits the capsule)."""
    name = capsule_name(capsule)
    managed = DLManagedTensorVersioned if name == VERSIONED else DLManagedTensor
    return managed.from_address(_get_pointer(capsule, name)).dl_tensor


def checked(capsule: Any) -> DLTensor:
    """The DLTensor of an unconsumed capsule, with TF's errors for what TF's from_dlpack refuses, in its order."""
    name = capsule_name(capsule)
    if name not in (LEGACY, VERSIONED):  # a versioned capsule too: NumPy and PyTorch hand those out
        raise InvalidArgumentError(None, None, _NOT_A_DLTENSOR + name.decode())
    t = dl_tensor(capsule)
    if t.device.device_type not in (CPU, CUDA, ROCM):
        raise InvalidArgumentError(None, None, "Unsupported Device Type")
    message = _dtype_error(t.dtype.code, t.dtype.bits)
    if message:
        raise InvalidArgumentError(None, None, message)
    if t.byte_offset:
        raise InvalidArgumentError(None, None, f"Unsupported byte_offset ({t.byte_offset}) from DLPack, must be zero")
    if t.strides and not _compact(t.shape[:t.ndim], t.strides[:t.ndim]):
        raise InvalidArgumentError(None, None, "Invalid strides array from DLPack")
    return t


def _dtype_error(code: int, bits: int) -> str | None:
    """TF's error for a DLPack dtype it has no dtype for (TfDataTypeFormDlDataType), None for one it has."""
    if code == BOOL:
        return None if bits == 8 else f"Only DLPack bools of bitwidth 8 are supported, got: {bits}"
    if code not in _IMPORTED:
        return f"Unsupported Type Codes: {code}"
    accepted, name = _IMPORTED[code]
    return None if bits in accepted else f"Unsupported {name} bits: {bits}"


# NumPy's dtypes that TF has, and DLPack's type code of each kind
_NUMPY_TYPES = frozenset((np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
                          np.float16, np.float32, np.float64, np.complex64, np.complex128))
_CODES = {"b": BOOL, "i": INT, "u": UINT, "f": FLOAT, "c": COMPLEX}


def host_or_none(producer: Any) -> np.ndarray | None:
    """NumPy's import of a host capsule or producer, checked as TF checks it (its strides, its dtype); None
    where NumPy cannot take it (another device, bfloat16, a used capsule: ``checked`` then says what TF says).

    The common case, without reading the capsule through ctypes (a few microseconds per field)."""
    try:
        a = np.from_dlpack(Exporter(producer, (CPU, 0)) if is_capsule(producer) else producer)
    except (BufferError, TypeError, ValueError, RuntimeError):
        return None
    if not a.flags.c_contiguous:  # NumPy's relaxed rule is TF's: size-1 dimensions and empty arrays pass
        raise InvalidArgumentError(None, None, "Invalid strides array from DLPack")
    if a.dtype.type not in _NUMPY_TYPES:  # NumPy's long double, say
        raise InvalidArgumentError(None, None, _dtype_error(_CODES.get(a.dtype.kind, -1), a.dtype.itemsize * 8)
                                   or f"Unsupported Type Codes: {a.dtype.kind}")
    return a


def _compact(shape: list[int], strides: list[int]) -> bool:
    """TF's IsValidStrideCompactRowMajorData: row-major and dense, ignoring dimensions of size 1 (any strides
    for an empty tensor)."""
    if 0 in shape:
        return True
    expected = 1
    for size, stride in zip(reversed(shape), reversed(strides)):
        if size != 1 and stride != expected:
            return False
        expected *= size
    return True


class Exporter:
    """A capsule already taken from its producer, handed to a consumer's ``from_dlpack`` (NumPy's, CuPy's)."""

    __slots__ = ("_capsule", "_device")

    def __init__(self, capsule: Any, device: tuple[int, int]) -> None:
        self._capsule = capsule
        self._device = device

    def __dlpack__(self, *, stream: Any = None, max_version: Any = None, dl_device: Any = None,
                   copy: Any = None) -> Any:
        return self._capsule  # the producer already ordered its work before the consumer's stream

    def __dlpack_device__(self) -> tuple[int, int]:
        return self._device


def consumer_stream(xp: Any) -> int | None:
    """The stream a CUDA producer must order its work before: CuPy's current one (1: the legacy default
    stream, as the array API spells CUDA's stream 0), None on the host and the simulated GPU."""
    get = getattr(getattr(xp, "cuda", None), "get_current_stream", None)
    return None if get is None else (get().ptr or 1)


def take(producer: Any, stream: Any) -> Any:
    """A capsule from an object with ``__dlpack__``: a versioned one where the producer speaks DLPack 1.0."""
    try:
        return producer.__dlpack__(stream=stream, max_version=(1, 0))
    except TypeError:  # a producer older than DLPack 1.0 (no max_version)
        return producer.__dlpack__() if stream is None else producer.__dlpack__(stream=stream)


def to_host(capsule: Any, t: DLTensor) -> np.ndarray:
    """NumPy's import of a checked host capsule (NumPy has no bfloat16: its bits are read as uint16 and viewed)."""
    bfloat16 = t.dtype.code == BFLOAT
    if bfloat16:
        t.dtype.code = UINT
    a = np.from_dlpack(Exporter(capsule, (CPU, 0)))
    if bfloat16:
        import ml_dtypes

        a = a.view(ml_dtypes.bfloat16)
    return a


class _Alias:
    __slots__ = ("__array_interface__", "_owner")


def writable(a: np.ndarray) -> np.ndarray:
    """``a``'s memory as a writable array (``a`` stays referenced): what the legacy capsule, which cannot say
    read-only, exports, as TF's capsules do (NumPy marks what it imports from one read-only)."""
    if a.flags.writeable:
        return a
    alias = _Alias()
    interface = dict(a.__array_interface__)
    interface["data"] = (interface["data"][0], False)
    alias.__array_interface__ = interface
    alias._owner = a
    return np.asarray(alias)


def export_host(a: Any, max_version: Any, copy: Any, device: tuple[int, int] = (CPU, 0),
                read_only: bool = True) -> Any:
    """A capsule of the host array ``a`` made by NumPy (legacy below ``max_version`` 1.0, else versioned and, with
    ``read_only``, flagged so), compact and row-major as TF's, its device and bfloat16 dtype written in after."""
    if type(a) is not np.ndarray:
        a = np.asarray(a)  # a NumPy scalar: immutable, so a 0-d copy of it shares nothing anyone could see
    if not a.flags.c_contiguous and copy is not False:  # (copy=False: the consumer takes strides, not a copy)
        a, copy = np.ascontiguousarray(a), False  # TF's tensors are always compact: its consumers expect that
    bfloat16 = a.dtype.kind == "V" and a.dtype.name == "bfloat16"  # (``name`` takes microseconds: asked last)
    if bfloat16:
        a = a.view(np.uint16)
    if max_version is not None and max_version[0] >= 1:
        if copy:
            capsule = a.__dlpack__(max_version=max_version, copy=True)
        else:
            if read_only and a.flags.writeable:
                a = a.view()
                a.setflags(write=False)
            capsule = a.__dlpack__(max_version=max_version)
    else:
        capsule = (a.copy() if copy else writable(a)).__dlpack__()
    if bfloat16 or device != (CPU, 0):
        t = dl_tensor(capsule)
        if bfloat16:
            t.dtype.code = BFLOAT
        t.device.device_type, t.device.device_id = device
    return capsule


def export(array: Any, dtype_name: str, on_host: bool, stream: Any, max_version: Any, dl_device: Any,
           copy: Any) -> Any:
    """``Tensor.__dlpack__``: a capsule of a tensor's array (NumPy's export on the host, the device array's own
    ``__dlpack__`` on a GPU), with TF's error for the dtypes DLPack cannot carry."""
    if dtype_name not in _EXPORTED:
        name = _DT_NAMES.get(dtype_name, "DT_" + dtype_name.upper())
        raise InvalidArgumentError(None, None, f"{name} is not supported by dlpack")
    if on_host:
        if stream is not None:  # the array API: no stream on the CPU (TF's words)
            raise RuntimeError("tf.Tensor does not support DLPack export with a non-None stream")
        if dl_device is not None and tuple(dl_device) != (CPU, 0):
            raise BufferError(f"a CPU tensor cannot be exported to DLPack device {tuple(dl_device)}")
        return export_host(array, max_version, copy)
    if not array.flags.c_contiguous and copy is not False:
        array = array.copy()  # row-major, on the current card: compact as TF's (see export_host)
    try:
        return array.__dlpack__(stream=stream, max_version=max_version, dl_device=dl_device, copy=copy)
    except TypeError:  # a CuPy older than DLPack 1.0: stream only
        if dl_device is not None or copy is not None:
            raise NotImplementedError("this CuPy's __dlpack__ takes no dl_device or copy: upgrade CuPy") from None
        return array.__dlpack__(stream=stream)
