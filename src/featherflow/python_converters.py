"""TF's converters of Python values, one per dtype (a port of ``py_seq_tensor.cc``'s ``Converter<T>``): each
converts a nest of known shape element by element (``ConvertScalar``), or through NumPy when every leaf has a type
it takes as is, and fails with TF's fixed messages (``_ConvertError``).

``python_values`` infers the shape and the kind of a value and picks the converter (``_REQUESTED`` for a
requested dtype); its hot paths take these limits and messages by name from here.

>>> _REQUESTED[_dtypes.int32]([[1, 2], [3, 4]], [2, 2]).dtype
dtype('int32')
>>> _to_integers([1, 2**40], [2], False)
Traceback (most recent call last):
featherflow.python_converters._ConvertError: Can't convert Python sequence with out-of-range integer to int32 Tensor.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes as _dtypes

_RECT = "Can't convert non-rectangular Python sequence to Tensor."
MIXED = "Can't convert Python sequence with mixed types to Tensor."
_OUT_OF_RANGE = "Can't convert Python sequence with out-of-range integer to Tensor."
_OUT_OF_RANGE_DOUBLE = "Can't convert Python sequence with a value out of range for a double-precision float."
_FOUND_INT64 = "Can't convert Python sequence with out-of-range integer to int32 Tensor."
_FOUND_FLOAT = "Can't convert Python sequence with floating point values to integer Tensor."
_BAD_UNICODE = "Error converting unicode string while converting Python sequence to Tensor."

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
# The smallest magnitudes that round to infinity when narrowed (the largest finite value plus half an ulp).
_F32_MAX, _F16_MAX = 2.0**128 - 2.0**103, 65520.0


class _ConvertError(Exception):
    """A converter's failure: ``args[0]`` is one of TF's messages above."""


_INT_TYPES = frozenset({int, bool, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32})
_FLOAT_TYPES = _INT_TYPES | {float, np.float16, np.float32, np.float64}
_COMPLEX_TYPES = _FLOAT_TYPES | {complex, np.complex64, np.complex128}
_BOOL_TYPES = frozenset({bool, np.bool_})


def _leaf_types(seq: Any, shape: list[int], depth: int, types: set) -> bool:
    """Collects the leaf types of a nest of lists/tuples with exactly ``shape``; False if it is not one."""
    if len(seq) != shape[depth]:
        return False
    if depth == len(shape) - 1:
        types.update(map(type, seq))
        return True
    for item in seq:
        t = type(item)
        if (t is not list and t is not tuple) or not _leaf_types(item, shape, depth + 1, types):
            return False
    return True


# --- per-element converters (TF's ConverterTraits<T>::ConvertScalar), for the exact slow path ---

def _int64_scalar(v: Any) -> int:
    if isinstance(v, int) or type(v).__name__ == "Dimension":
        i = int(v)
        if not _INT64_MIN <= i <= _INT64_MAX:
            raise _ConvertError(_OUT_OF_RANGE)
        return i
    if isinstance(v, np.integer):
        return _int64_scalar(int(v))
    if isinstance(v, (float, np.floating)):
        raise _ConvertError(_FOUND_FLOAT)
    raise _ConvertError(MIXED)


def _int32_scalar(v: Any) -> int:
    i = _int64_scalar(v)
    if not _INT32_MIN <= i <= _INT32_MAX:
        raise _ConvertError(_FOUND_INT64)
    return i


def _uint64_scalar(overflow: list) -> Any:
    """TF's UInt64 converter: CPython's OverflowError for a negative or huge int does not stop it (the
    error only escapes, as a SystemError in TF, if nothing else fails); ``overflow`` records it."""
    def convert(v: Any) -> int:
        if isinstance(v, (int, np.integer)):
            i = int(v)
            if i < 0 or i >= 2**64:
                overflow.append("can't convert negative int to unsigned" if i < 0 else "int too big to convert")
                return i % 2**64
            return i
        if isinstance(v, (float, np.floating)):
            raise _ConvertError(_FOUND_FLOAT)
        raise _ConvertError(MIXED)

    return convert


def _float_scalar(limit: float) -> Any:
    def convert(v: Any) -> float:
        if isinstance(v, float):
            d = float(v)
            if abs(d) >= limit and d - d == 0:  # finite in double, infinite once narrowed: TF's overflow check
                raise _ConvertError(_OUT_OF_RANGE_DOUBLE)
            return d
        if isinstance(v, int):
            try:
                return float(v)
            except OverflowError:
                raise _ConvertError(_OUT_OF_RANGE_DOUBLE) from None
        if isinstance(v, np.floating):
            return convert(float(v))
        if isinstance(v, np.integer):
            return convert(int(v))
        raise _ConvertError(MIXED)

    return convert


_double_scalar = _float_scalar(float("inf"))


def _complex_scalar(v: Any) -> complex:
    if isinstance(v, (complex, np.complexfloating)):
        return complex(v)
    return complex(_double_scalar(v))


def _bool_scalar(v: Any) -> bool:
    if v is True or v is False or isinstance(v, np.bool_):
        return bool(v)
    raise _ConvertError(MIXED)


def _string_scalar(v: Any) -> bytes:
    if isinstance(v, bytes):
        return bytes(v)
    if isinstance(v, str):
        try:
            return v.encode("utf-8")
        except UnicodeEncodeError:
            raise _ConvertError(_BAD_UNICODE) from None
    raise _ConvertError(MIXED)


def _convert_slow(value: Any, shape: list[int], scalar: Any, np_dtype: Any) -> np.ndarray:
    """TF's Converter<T>::Helper, element by element: the first bad element decides the error."""
    out: list = []
    last = len(shape) - 1

    def walk(obj: Any, depth: int) -> None:
        if type(obj) is list or type(obj) is tuple:
            seq = obj
        else:
            try:
                seq = list(obj)  # PySequence_Fast takes any iterable
            except Exception:
                raise _ConvertError(_RECT, "pending") from None  # CPython's error stays set in TF
        if len(seq) != shape[depth]:
            raise _ConvertError(_RECT)
        if depth < last:
            for item in seq:
                walk(item, depth + 1)
            return
        for item in seq:
            if type(item) is np.ndarray and item.ndim == 0:
                item = item[()]
            out.append(scalar(item))

    if not shape:
        if type(value) is np.ndarray and value.ndim == 0:
            value = value[()]
        out.append(scalar(value))
    else:
        walk(value, 0)
    if np_dtype is object:
        array = np.empty(len(out), dtype=object)
        array[:] = out
        return array.reshape(shape)
    with np.errstate(over="ignore"):
        return np.array(out, dtype=np_dtype).reshape(shape)


def _simple_types(value: Any, shape: list[int]) -> set | None:
    """The leaf types of a rectangular nest of lists/tuples with ``shape`` (None when it is not one)."""
    types: set = set()
    if shape:
        t = type(value)
        if (t is not list and t is not tuple) or not _leaf_types(value, shape, 0, types):
            return None
    else:
        types.add(type(value))
    return types


def _convert_fast(value: Any, shape: list[int], np_dtype: Any, allowed: frozenset) -> np.ndarray | None:
    """NumPy's conversion, when every leaf has a type the converter takes as is (None: use the slow path)."""
    types = _simple_types(value, shape)
    if types is None or not types <= allowed:
        return None
    try:
        return np.array(value, dtype=np_dtype)
    except OverflowError:
        return None


_PY_INTS = frozenset({int, bool})


def _to_integers(value: Any, shape: list[int], wide: bool) -> np.ndarray:
    """TF's Int32Converter (``wide``: Int64Converter)."""
    types = _simple_types(value, shape)
    if types is not None and types <= _PY_INTS:  # NumPy itself refuses Python ints out of the dtype's range
        if not wide:
            try:
                return np.array(value, dtype=np.int32)
            except OverflowError:
                pass
        try:
            array = np.array(value, dtype=np.int64)
        except OverflowError:
            raise _ConvertError(_OUT_OF_RANGE) from None
        if wide:
            return array
        raise _ConvertError(_FOUND_INT64)
    array = _convert_fast(value, shape, np.int64, _INT_TYPES)
    if array is not None:
        if wide or not array.size:
            return array if wide else array.astype(np.int32)
        if array.min() >= _INT32_MIN and array.max() <= _INT32_MAX:
            return array.astype(np.int32)
        raise _ConvertError(_FOUND_INT64)
    if wide:
        return _convert_slow(value, shape, _int64_scalar, np.int64)
    return _convert_slow(value, shape, _int32_scalar, np.int32)


_SMALL = 64  # up to this many elements, Python checks a value range faster than a NumPy reduction


def _overflows(array: np.ndarray, limit: float) -> bool:
    """Whether a finite value of ``array`` (float64) reaches ``limit`` in magnitude."""
    if array.size <= _SMALL:
        flat = array.reshape(-1).tolist()
        big = max(map(abs, flat), default=0.0)
        if big < limit:
            return False
        return any(limit <= abs(x) < _INF for x in flat)  # an inf or a NaN (which max skips unreliably)
    with np.errstate(invalid="ignore"):
        magnitude = np.abs(array)
        return bool(((magnitude >= limit) & (magnitude < _INF)).any())


_INF = float("inf")


def _to_floats(value: Any, shape: list[int], np_dtype: Any) -> np.ndarray:
    """TF's Float/Double/HalfConverter: Python floats that overflow the narrower type are an error."""
    types = _simple_types(value, shape)
    if types is not None and types <= _FLOAT_TYPES:
        try:
            array = np.array(value, dtype=np.float64)
        except OverflowError:
            array = None
        if array is not None:
            if np_dtype is np.float64:
                return array
            limit = _F16_MAX if np_dtype is np.float16 else _F32_MAX
            if not _overflows(array, limit):
                return array.astype(np_dtype)
            if types <= _PY_INTS | {np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32}:
                with np.errstate(over="ignore"):  # integers are cast without an overflow check, as in TF
                    return array.astype(np_dtype)
        # an overflow (an error only if a float, not an int, overflowed) or a huge int: the slow path decides
    limit = _F16_MAX if np_dtype is np.float16 else _F32_MAX if np_dtype is np.float32 else _INF
    return _convert_slow(value, shape, _float_scalar(limit), np_dtype)


def _to_complex(value: Any, shape: list[int]) -> np.ndarray:
    array = _convert_fast(value, shape, np.complex128, _COMPLEX_TYPES)
    return array if array is not None else _convert_slow(value, shape, _complex_scalar, np.complex128)


def _to_bools(value: Any, shape: list[int]) -> np.ndarray:
    array = _convert_fast(value, shape, np.bool_, _BOOL_TYPES)
    return array if array is not None else _convert_slow(value, shape, _bool_scalar, np.bool_)


def _to_strings(value: Any, shape: list[int]) -> np.ndarray:
    return _convert_slow(value, shape, _string_scalar, object)


def _to_uint64(value: Any, shape: list[int]) -> np.ndarray:
    overflow: list = []
    array = _convert_slow(value, shape, _uint64_scalar(overflow), np.uint64)
    if overflow:
        raise OverflowError(overflow[0])
    return array


# The converters TF tries first for a requested dtype (py_seq_tensor.cc's first switch).
_REQUESTED = {
    _dtypes.float32: lambda v, s: _to_floats(v, s, np.float32),
    _dtypes.float64: lambda v, s: _to_floats(v, s, np.float64),
    _dtypes.float16: lambda v, s: _to_floats(v, s, np.float16),
    _dtypes.int64: lambda v, s: _to_integers(v, s, True),
    _dtypes.int32: lambda v, s: _to_integers(v, s, False),
    _dtypes.uint64: _to_uint64,
    _dtypes.complex128: _to_complex,
    _dtypes.string: _to_strings,
    _dtypes.bool: _to_bools,
}
