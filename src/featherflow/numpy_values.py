"""NumPy values (and objects with ``__array__``) as TensorFlow takes them: kept dtype or NumPy's cast, strings
as object arrays of bytes, TF's errors for the dtypes it has no Tensor for. Part of ``python_values``, whose
``to_array`` is the one entry for converting values that are not Tensors.

>>> numpy_array(np.array([1, 2], np.int16), None).dtype
dtype('int16')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes as _dtypes
from .dtypes import DType

_FROM_NUMPY = _dtypes._FROM_NUMPY


def flush_denormals(array: np.ndarray) -> np.ndarray:
    """TF's CPU kernels (its Cast included) run with denormals flushed to (signed) zero."""
    if array.dtype.kind not in "fc" and array.dtype.kind != "V":
        return array
    parts = [array.real, array.imag] if array.dtype.kind == "c" else [array]
    if parts[0].dtype.kind == "V":  # an ml_dtypes float (imported: an array of it exists)
        import ml_dtypes

        tiny = ml_dtypes.finfo(parts[0].dtype).smallest_normal
    else:
        tiny = np.finfo(parts[0].dtype).smallest_normal
    for part in parts:
        tiny_values = (part != 0) & (np.abs(part) < tiny)
        if tiny_values.any():
            part[tiny_values] = np.copysign(0, part[tiny_values])
    return array


_NUMPY_TYPE_NAMES = {"M": "NPY_DATETIME", "m": "NPY_TIMEDELTA"}


def numpy_array(value: Any, dtype: DType | None, copy: bool = True) -> np.ndarray:
    """A NumPy array (or object with ``__array__``) as TF takes it: cast with NumPy to a requested dtype,
    strings as an object array of bytes, always a private copy unless ``copy`` is False."""
    array = value if type(value) is np.ndarray else np.asarray(value)
    if dtype is not None:
        if dtype._np is None:
            raise ValueError("Failed to convert a NumPy array to a Tensor (Unexpected numpy data type).")
        if array.dtype != dtype._np:
            array = array.astype(dtype._np)  # NumPy's forced cast, as TF's PyArray_FromAny(FORCECAST)
            copy = False
    found = _FROM_NUMPY.get(array.dtype)
    if found is None or found is _dtypes.string:
        return _numpy_special(array)
    if array.dtype.char != found._np.char:  # a platform alias (longlong for int64): use TF's own dtype
        return array.astype(found._np)
    return array.copy() if copy else array


def _numpy_special(array: np.ndarray) -> np.ndarray:
    kind = array.dtype.kind
    if kind in "SUOT":
        out = np.empty(array.shape, dtype=object)
        flat = out.reshape(-1)
        for i, item in enumerate(array.reshape(-1).tolist()):
            if isinstance(item, str):
                item = item.encode("utf-8")
            elif not isinstance(item, bytes):
                raise ValueError(f"Failed to convert a NumPy array to a Tensor (Unsupported object type "
                                 f"{type(item).__name__}).")
            flat[i] = item
        return out
    if kind in _NUMPY_TYPE_NAMES:
        name = _NUMPY_TYPE_NAMES[kind]
    elif kind in "fc":
        name = "NPY_LONGDOUBLE" if kind == "f" else "NPY_CLONGDOUBLE"
    else:
        raise ValueError("Failed to convert a NumPy array to a Tensor (Unsupported numpy data type).")
    raise ValueError(f"Failed to convert a NumPy array to a Tensor (Unsupported numpy type: {name}).")
