"""Input conversion for op wrappers: Tensors pass through; Variables are read; Python and NumPy values
are converted with TF's rules (the first input fixes the dtype of the others)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes as _dtypes
from ..dtypes import DType
from ..errors import InvalidArgumentError
from ..tensor import Tensor, _make_typed_host, convert_to_tensor, dtype_mismatch, kernel_error, to_array


def tensor(x: Any, dtype: DType | None = None) -> Tensor:
    """Any value as a Tensor (fast path for Tensors)."""
    if type(x) is Tensor and dtype is None:
        return x
    return convert_to_tensor(x, dtype=dtype)


def hinted(x: Any, dtype: DType) -> Tensor:
    """``x`` as a Tensor, preferring ``dtype``: NumPy values are cast to it, Python values take it if they
    convert exactly, and otherwise keep their inferred dtype (the op's dtype check then fails as in TF)."""
    if type(x) is Tensor:
        return x
    to_tensor = getattr(x, "__tf_tensor__", None)
    if to_tensor is not None:
        return to_tensor()
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        return _make_typed_host(to_array(x, dtype))
    try:
        return _make_typed_host(to_array(x, dtype))
    except (TypeError, ValueError):
        return _make_typed_host(to_array(x))


def binary(x: Any, y: Any, op_name: str) -> tuple[Tensor, Tensor]:
    """Both inputs of a binary op as Tensors, ``y`` converted to ``x``'s dtype (two Tensors of different
    dtypes: the op's contract raises TF's mismatch)."""
    if type(x) is not Tensor:
        x = tensor(x)
    if type(y) is not Tensor:
        y = hinted(y, x._dtype)
    return x, y


def strict(x: Any, dtype: DType) -> Tensor:
    """``x`` converted to exactly ``dtype`` (reflected operators, ``==``): TF's TypeError if it can't be."""
    if type(x) is Tensor:
        if x._dtype is not dtype:
            raise dtype_mismatch("", 1, dtype, x._dtype)
        return x
    return convert_to_tensor(x, dtype=dtype)


def shape_text(shape: tuple) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def incompatible_shapes(op_name: str, a: Tensor, b: Tensor) -> InvalidArgumentError:
    return kernel_error(op_name, f"Incompatible shapes: {shape_text(a._value.shape)} vs. {shape_text(b._value.shape)}")


def axis_list(axis: Any) -> Any:
    """An ``axis`` argument (int, list, tuple, Tensor, None) as an int, a tuple of ints, or None."""
    if axis is None:
        return None
    if isinstance(axis, int):
        return axis
    if type(axis) is Tensor or hasattr(axis, "__tf_tensor__"):
        axis = np.asarray(tensor(axis)._numpy())
    if isinstance(axis, np.ndarray):
        return int(axis) if axis.ndim == 0 else tuple(int(a) for a in axis.ravel())
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) for a in axis)
    return int(axis)


def int_list(value: Any) -> list[int]:
    """A shape-like argument (list, tuple, TensorShape, Tensor) as a list of ints."""
    if type(value) is Tensor or hasattr(value, "__tf_tensor__"):
        return [int(v) for v in np.asarray(tensor(value)._numpy()).ravel()]
    if isinstance(value, np.ndarray):
        return [int(v) for v in value.ravel()]
    if isinstance(value, (int, np.integer)):
        return [int(value)]
    return [int(v) if v is not None else -1 for v in value]


FLOATS = frozenset({_dtypes.bfloat16, _dtypes.float16, _dtypes.float32, _dtypes.float64})
COMPLEX = frozenset({_dtypes.complex64, _dtypes.complex128})
SIGNED_INTS = frozenset({_dtypes.int8, _dtypes.int16, _dtypes.int32, _dtypes.int64})
UNSIGNED_INTS = frozenset({_dtypes.uint8, _dtypes.uint16, _dtypes.uint32, _dtypes.uint64})
INTS = SIGNED_INTS | UNSIGNED_INTS
REAL = FLOATS | INTS
NUMERIC = REAL | COMPLEX
INEXACT = FLOATS | COMPLEX
SIGNED = FLOATS | SIGNED_INTS | COMPLEX
ALL = NUMERIC | {_dtypes.bool, _dtypes.string}
