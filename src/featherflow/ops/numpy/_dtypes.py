"""tnp's dtype rules: NumPy's ``result_type`` over TF dtypes and Python scalars, with tnp's two switches.

TF's tnp (``np_dtypes``/``np_utils``) computes every result dtype with ``np.result_type``, Python numbers kept
as Python numbers (NumPy 2 treats them as weak), then maps float64/complex128 down when float64 is not allowed;
``prefer_float32`` makes a bare Python float (complex) count as float32 (complex64).
"""

from __future__ import annotations

import numbers
import sys
from typing import Any

import numpy as np

from ...dtypes import DType
from ...tensor import Tensor, _make_typed_host, convert_to_tensor
from ..array.create import cast

# The internal dtypes module, read through sys.modules: these modules load after `import featherflow`, when the
# package's ``dtypes`` attribute is tf.dtypes (tests/test_layers.py)
tf_dtypes = sys.modules[DType.__module__]
_dtypes = tf_dtypes


class _State:
    """tnp's process-global switches (TF's ``np_dtypes`` module globals)."""

    prefer_float32 = False
    allow_float64 = True
    mode = "off"  # TF's dtype conversion mode: "all" and "safe" make tnp promote by TF's lattice


state = _State


def set_prefer_float32(value: bool) -> None:
    """TF's ``np_dtypes.set_prefer_float32``."""
    _State.prefer_float32 = bool(value)


def set_allow_float64(value: bool) -> None:
    """TF's ``np_dtypes.set_allow_float64``."""
    _State.allow_float64 = bool(value)


def canonicalize(dtype: Any) -> np.dtype:
    """``dtype`` as a NumPy dtype, float64 and complex128 narrowed when float64 is not allowed."""
    dtype = np.dtype(dtype)
    if not _State.allow_float64:
        if dtype == np.float64:
            return np.dtype(np.float32)
        if dtype == np.complex128:
            return np.dtype(np.complex64)
    return dtype


def _flatten(values: Any) -> list:
    out: list = []
    for v in values:
        if isinstance(v, (list, tuple)):
            out.extend(_flatten(v))
        else:
            out.append(v)
    return out


def np_type(x: Any) -> Any:
    """What ``np.result_type`` is given for ``x`` (TF's ``_maybe_get_dtype``, then ``preprocess_float``)."""
    if isinstance(x, Tensor):
        return x._dtype._np
    if isinstance(x, DType):
        return x._np
    if isinstance(x, numbers.Real) or isinstance(x, complex):
        if _State.prefer_float32:
            if isinstance(x, float):
                return np.float32(x)
            if isinstance(x, complex):
                return np.complex64(x)
        return x
    dt = getattr(x, "dtype", None)
    if isinstance(dt, DType):  # a Variable
        return dt._np
    return x


def result_type_np(*arrays_and_dtypes: Any) -> np.dtype:
    """tnp's result dtype, as a NumPy dtype (``np.result_type`` of the flattened values)."""
    values = _flatten(arrays_and_dtypes)
    if not values:
        values = [np.asarray([])]
    return canonicalize(np.result_type(*[np_type(x) for x in values]))


def result_type(*arrays_and_dtypes: Any) -> DType:
    """tnp's result dtype, as a DType (``tnp.result_type``); TF's lattice under the "all" and "safe" modes.

    >>> result_type(np.int32, 1.5)
    tf.float64
    """
    if _State.mode in ("all", "safe"):
        from .promotion import result_type as lattice

        return lattice(*_flatten(arrays_and_dtypes), mode=_State.mode)[0]
    return _dtypes.as_dtype(result_type_np(*arrays_and_dtypes))


def to_dtype(dtype: Any) -> DType | None:
    """A ``dtype=`` argument as tnp reads it (``result_type(dtype)``); None stays None."""
    if dtype is None:
        return None
    return result_type(dtype)


def _unary_type(a: Any, dtype: Any) -> DType:
    if dtype is not None:
        return to_dtype(dtype)
    if isinstance(a, str):
        return _dtypes.string
    if isinstance(a, bytes):
        return _dtypes.string
    return result_type(a)


def asarray(value: Any, dtype: Any = None) -> Tensor:
    """``value`` as a Tensor with tnp's dtype rules (Python floats are float64, ints int64): TF's
    ``_array_internal`` without the copy."""
    if isinstance(value, Tensor):
        return value if dtype is None else cast(value, to_dtype(dtype))
    if hasattr(value, "__tf_tensor__"):
        t = convert_to_tensor(value)
        return t if dtype is None else cast(t, to_dtype(dtype))
    target = _unary_type(value, dtype)
    if target is _dtypes.string or not _holds_tensor(value):
        try:
            array = np.asarray(value, dtype=target._np if target is not _dtypes.string else None)
        except (TypeError, ValueError, OverflowError):
            return cast(convert_to_tensor(value), target)
        return _make_typed_host(array)
    try:
        t = convert_to_tensor(value, dtype_hint=target)
    except (TypeError, ValueError):
        t = convert_to_tensor(value)
    return cast(t, target)


def _holds_tensor(v: Any) -> bool:
    if isinstance(v, Tensor) or hasattr(v, "__tf_tensor__"):
        return True
    return isinstance(v, (list, tuple)) and any(_holds_tensor(x) for x in v)


def promote(*values: Any) -> list[Tensor]:
    """The values as Tensors of their tnp result dtype (TF's ``_promote_dtype``)."""
    target = result_type(*values)
    return [v if isinstance(v, Tensor) and v._dtype is target else asarray(v, target) for v in values]


def promote_binary(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """TF's ``_promote_dtype_binary``: NumPy's rules in every mode (``_result_type_binary``)."""
    target = _dtypes.as_dtype(result_type_np(a, b))
    return tuple(v if isinstance(v, Tensor) and v._dtype is target else asarray(v, target) for v in (a, b))


def is_inexact(t: Tensor) -> bool:
    return t._dtype._np.kind in "fcV" or t._dtype is _dtypes.bfloat16


def to_float(t: Tensor) -> Tensor:
    """``t`` cast to ``result_type(float)`` (float64 unless float64 is off) unless it is inexact already."""
    return t if is_inexact(t) else cast(t, result_type(float))


def finfo(dtype: Any) -> Any:
    """Machine limits of a float type (``np.finfo``; TF DTypes and bfloat16 accepted)."""
    np_dtype = _as_numpy(dtype)
    if np_dtype == _dtypes.bfloat16._np:
        import ml_dtypes

        return ml_dtypes.finfo(np_dtype)
    return np.finfo(np_dtype)


def _as_numpy(dtype: Any) -> Any:
    """TF's ``_to_numpy_type``: a DType's NumPy type, else ``np.dtype(dtype)`` (with its errors)."""
    if isinstance(dtype, DType):
        return dtype._np
    return np.dtype(dtype)


def promote_types(type1: Any, type2: Any) -> np.dtype:
    """``np.promote_types`` of two types (TF DTypes accepted), float64 narrowed when it is off."""
    return canonicalize(np.promote_types(_as_numpy(type1), _as_numpy(type2)))
