"""Python and NumPy values as arrays, with TensorFlow's rules (a port of TF's ``py_seq_tensor.cc``).

The dtype of a Python value is inferred from its FIRST leaf (an int gives int64, tried as int32 first; a
float gives float32), then every element is converted by that kind's converter, whose failures TF reports
with fixed messages. NumPy values keep their dtype and are cast by NumPy. A requested dtype's converter is
tried first; failing that, the inferred conversion is cast to it where TF's ``IsCompatible`` allows.

>>> from featherflow.python_values import python_array
>>> python_array([1, 2.5], None).dtype
dtype('float32')
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import numpy as np

from . import dtypes as _dtypes
from .dtypes import DType
from .numpy_values import flush_denormals as _flush_denormals
from .numpy_values import numpy_array
from .python_converters import (  # TF's per-dtype converters, with their limits and messages: their own module
    _F16_MAX,
    _F32_MAX,
    _FOUND_FLOAT,
    _FOUND_INT64,
    _INT32_MAX,
    _INT32_MIN,
    _INT64_MAX,
    _INT64_MIN,
    _OUT_OF_RANGE,
    _OUT_OF_RANGE_DOUBLE,
    _PY_INTS,
    _RECT,
    _REQUESTED,
    _ConvertError,
    _to_bools,
    _to_complex,
    _to_floats,
    _to_integers,
    _to_strings,
)
from .python_converters import MIXED as MIXED  # re-exported: tensor.py names mixed-type sequences with it

_FROM_NUMPY = _dtypes._FROM_NUMPY

# TF's DataTypeString names, which its error messages use.
TF_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def type_string(dtype: DType) -> str:
    return TF_TYPE_NAMES.get(dtype.name, dtype.name)


_EXACT_INT = 2**53  # ints up to this magnitude are exact in a double
_float16, _float32, _float64 = _dtypes.float16, _dtypes.float32, _dtypes.float64
_int32, _int64, _bool = _dtypes.int32, _dtypes.int64, _dtypes.bool

# Leaf kinds TF infers (its DataType for the first leaf).
_STRING, _DOUBLE, _HALF, _FLOAT, _BOOL, _INT, _COMPLEX, _EMPTY = range(8)


class _Unsupported(ValueError):
    """TF's error for a value no conversion accepts. Its text is made when read: the dispatch fallback catches
    it for RaggedTensor and SparseTensor arguments, and their repr would copy a device's values to the host."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value

    @property
    def args(self) -> tuple:  # type: ignore[override]
        return (str(self),)

    def __str__(self) -> str:
        value = self.value
        return f"Attempt to convert a value ({value!r}) with an unsupported type ({type(value)!r}) to a Tensor."

    def __repr__(self) -> str:
        return f"ValueError({str(self)!r})"


# tracebacks and type(error).__name__ name it as TF's plain ValueError
_Unsupported.__module__ = "builtins"
_Unsupported.__name__ = _Unsupported.__qualname__ = "ValueError"


def _unsupported(value: Any) -> ValueError:
    return _Unsupported(value)


def _is_sequence(obj: Any) -> bool:
    """CPython's PySequence_Check, as TF uses it (numpy scalars and dicts are not sequences)."""
    t = type(obj)
    if t is list or t is tuple:
        return True
    if isinstance(obj, (np.generic, dict)):
        return False
    return hasattr(t, "__getitem__")


_LEAF_KINDS = {float: _FLOAT, int: _INT, bool: _BOOL, str: _STRING, bytes: _STRING, complex: _COMPLEX,
               np.float64: _DOUBLE, np.float32: _FLOAT, np.float16: _HALF, np.int64: _INT, np.int32: _INT,
               np.bool_: _BOOL}


def _infer(value: Any) -> tuple[list[int], int]:
    """TF's InferShapeAndType: the shape along first elements, and the kind of the first leaf."""
    shape: list[int] = []
    obj = value
    while True:
        t = type(obj)
        kind = _LEAF_KINDS.get(t)
        if kind is not None:
            return shape, kind
        if t is np.ndarray and obj.ndim == 0:
            obj = obj[()]
            continue
        if isinstance(obj, (str, bytes)):
            return shape, _STRING
        if t is list or t is tuple or _is_sequence(obj):
            try:
                n = len(obj)
            except Exception as e:  # TF reports the Python error as the message of a ValueError
                raise ValueError(f"{type(e).__name__}: {e}") from None
            shape.append(n)
            if n == 0:
                return shape, _EMPTY
            try:
                obj = obj[0]
            except Exception as e:
                raise ValueError(f"Cannot infer dtype of a {type(obj).__name__} object: {type(e).__name__}: {e}") from None
            continue
        if isinstance(obj, np.float64):
            return shape, _DOUBLE
        if isinstance(obj, np.float16):
            return shape, _HALF
        if isinstance(obj, (float, np.floating)):
            return shape, _FLOAT
        if obj is True or obj is False or isinstance(obj, np.bool_):
            return shape, _BOOL
        if isinstance(obj, (int, np.integer)) or type(obj).__name__ == "Dimension":
            return shape, _INT
        if isinstance(obj, (complex, np.complexfloating)):
            return shape, _COMPLEX
        raise _unsupported(obj)




def _inferred_array(value: Any, shape: list[int], kind: int, requested: bool) -> np.ndarray:
    """py_seq_tensor.cc's second switch: convert by the inferred kind (doubles when a cast follows)."""
    if kind == _FLOAT:
        return _to_floats(value, shape, np.float64 if requested else np.float32)
    if kind == _DOUBLE:
        return _to_floats(value, shape, np.float64)
    if kind == _HALF:
        return _to_floats(value, shape, np.float16)
    if kind == _INT:
        try:
            return _to_integers(value, shape, requested)
        except _ConvertError as e:
            if e.args[0] is _FOUND_INT64:
                try:
                    return _to_integers(value, shape, True)
                except _ConvertError as e2:
                    e = e2
            if e.args[0] is not _FOUND_FLOAT:
                raise e from None
            return _to_floats(value, shape, np.float64 if requested else np.float32)
    if kind == _STRING:
        return _to_strings(value, shape)
    if kind == _COMPLEX:
        return _to_complex(value, shape)
    return _to_bools(value, shape)


_NUMBERS = frozenset({float, int, bool})
_INT64_LIMIT = 2.0**63


def simple_list_array(value: Any, dtype: DType | None = None) -> np.ndarray | None:
    """The hot path of ``python_array`` for 1-D and 2-D lists of Python numbers, with no dtype or a common
    one: the array TF gives; None for anything else (the general path then decides, errors included)."""
    if not value:
        return None
    first = value[0]
    t = type(first)
    if t is list or t is tuple:
        n = len(first)
        if not n:
            return None
        leaf = type(first[0])
        types: set = set()
        for row in value:
            if (type(row) is not list and type(row) is not tuple) or len(row) != n:
                return None
            types.update(map(type, row))
        flat: Any = chain.from_iterable(value)
    else:
        leaf = t
        types = set(map(type, value))
        flat = value
    if not types <= _NUMBERS:
        return None
    if dtype is None:
        target = None
    elif dtype._np is None or dtype._kind == "q":  # resource, variant, quantized: the general path
        return None
    else:
        target = dtype._np
    try:
        if types <= _PY_INTS and (target is None and leaf is int or target == np.int32 or target == np.int64):
            if target is None or target == np.int32:  # NumPy refuses Python ints out of the dtype's range
                try:
                    return np.array(value, dtype=np.int32)
                except OverflowError:
                    if target is not None:
                        return None  # TF converts to int64 and casts (wrapping): the general path
            return np.array(value, dtype=np.int64)
        if leaf is bool and target is None or target == np.bool_:
            return np.array(value, dtype=np.bool_) if types == {bool} else None
        if target is not None and target != np.float32 and target != np.float64:
            return None
        # floats: a float first (or requested), or ints with floats (TF then converts them all as floats)
        if target == np.float64:
            return np.array(value, dtype=np.float64)
        limit = _INT64_LIMIT if target is None and leaf is int else _F32_MAX
        if not max(map(abs, flat)) < limit:
            return None  # an overflow, a huge int or a NaN: the exact (slow) path decides
        return np.array(value, dtype=np.float32)  # every value is in range: no overflow to report
    except OverflowError:
        return None


def _is_compatible(desired: DType, got: DType) -> bool:
    """TF's IsCompatible: which conversions a requested dtype may be cast from."""
    if desired.is_integer or desired.is_quantized:
        return got.is_integer
    if desired.is_floating:
        return got.is_floating or got.is_integer
    if desired.is_complex:
        return got.is_complex or got.is_floating or got.is_integer
    return False


def python_array(value: Any, dtype: DType | None) -> np.ndarray:
    """A Python scalar or nest of sequences as an array, exactly as TF converts it."""
    if type(value) is list or type(value) is tuple:
        array = simple_list_array(value, dtype)
        if array is not None:
            return array
    shape, kind = _infer(value)
    if dtype is not None:
        first = _REQUESTED.get(dtype)
        if first is not None:
            try:
                return first(value, shape)
            except _ConvertError as e:
                # A non-iterable left CPython's error set, and TF's float converters then skip every element
                # (ConvertOneFloat returns early): the inferred pass can only fail the same way.
                if len(e.args) > 1 and kind in (_FLOAT, _DOUBLE, _HALF, _COMPLEX):
                    raise ValueError(_RECT) from None
        if kind == _EMPTY:
            return np.zeros(shape, dtype=dtype._np if dtype._np is not None else np.float32)
    elif kind == _EMPTY:
        return np.zeros(shape, dtype=np.float32)
    try:
        array = _inferred_array(value, shape, kind, dtype is not None)
    except _ConvertError as e:
        raise ValueError(e.args[0]) from None
    if dtype is None or (dtype._np is not None and array.dtype == dtype._np):
        return array
    if not _is_compatible(dtype, _FROM_NUMPY[array.dtype]):
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {type_string(dtype)}")
    with np.errstate(all="ignore"):  # TF's Cast: C conversions, wrapping integers
        return _flush_denormals(array.astype(dtype._np))


def scalar_array(value: Any, dtype: DType | None = None) -> np.ndarray | None:
    """The hot path: a Python int, float or bool, with no requested dtype or a common one, as the 0-d array
    ``python_array`` gives; None for anything else (the general path then decides, errors included)."""
    t = type(value)
    if dtype is not None:
        # Only conversions that cannot fail or wrap are taken here: in range, exact, of the requested kind.
        if t is float:
            if dtype is _float32:
                if -_F32_MAX < value < _F32_MAX:  # NaN, inf and overflows: the general path
                    return np.array(value, dtype=np.float32)
            elif dtype is _float64:
                return np.array(value, dtype=np.float64)
            elif dtype is _float16 and -_F16_MAX < value < _F16_MAX:
                return np.array(value, dtype=np.float16)
        elif t is int:
            if dtype is _int32:
                if _INT32_MIN <= value <= _INT32_MAX:
                    return np.array(value, dtype=np.int32)
            elif dtype is _int64:
                if _INT64_MIN <= value <= _INT64_MAX:
                    return np.array(value, dtype=np.int64)
            elif dtype is _float32 or dtype is _float64:
                if -_EXACT_INT <= value <= _EXACT_INT:  # exact in a double: one rounding, as TF's
                    return np.array(value, dtype=dtype._np)
        elif t is bool and dtype is _bool:
            return np.array(value)
        return None
    if t is float:
        if abs(value) >= _F32_MAX and value - value == 0:
            raise ValueError(_OUT_OF_RANGE_DOUBLE)
        return np.array(value, dtype=np.float32)
    if t is int:
        if _INT32_MIN <= value <= _INT32_MAX:
            return np.array(value, dtype=np.int32)
        if _INT64_MIN <= value <= _INT64_MAX:
            return np.array(value, dtype=np.int64)
        raise ValueError(_OUT_OF_RANGE)
    if t is bool:
        return np.array(value)
    return None


def to_array(value: Any, dtype: DType | None = None, copy: bool = True) -> np.ndarray:
    """Any value that is not a Tensor (a Python scalar or nest, a NumPy value, an object with ``__array__``)
    as a host array, with TF's inference and conversion rules: the one entry for such conversions.

    ``copy=False`` lets a NumPy input be returned as is (for callers that copy it themselves).

    >>> to_array(2, None).dtype, to_array(2, _dtypes.float32).dtype
    (dtype('int32'), dtype('float32'))
    """
    t = type(value)
    if t is float or t is int or t is bool:
        array = scalar_array(value, dtype)
        if array is not None:
            return array
        return python_array(value, dtype)
    if t is list or t is tuple:
        return python_array(value, dtype)
    if isinstance(value, (np.ndarray, np.generic)):
        return numpy_array(value, dtype, copy)
    if hasattr(value, "__array__"):  # as TF: Variables and pandas too
        return numpy_array(value.__array__(), dtype, False)
    return python_array(value, dtype)


_PLAIN = frozenset({int, float, bool, complex, str, bytes})  # leaf types that are never tensors


def is_tensor_like(x: Any) -> bool:
    """A Tensor, Variable or other object TF converts with ``__tf_tensor__`` (not a class)."""
    return hasattr(x, "__tf_tensor__") and hasattr(x, "dtype") and not isinstance(x, type)


def tensor_dtype_in(seq: Any) -> DType | None:
    """The dtype of the first tensor-like in a nest of lists/tuples (TF's _get_dtype_from_nested_lists):
    a nest holding one is packed by the values layer (autopacking) instead of converted here."""
    for item in seq:
        t = type(item)
        if t is list or t is tuple:
            found = tensor_dtype_in(item)
            if found is not None:
                return found
        elif t not in _PLAIN and is_tensor_like(item):
            return item.dtype
    return None
