"""tnp's reductions, scans, sorting and averaging (TF's np_array_ops/np_math_ops ``_reduce`` family)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...tensor import Tensor
from ..array import core as array_ops
from ..array import sort as sort_ops
from ..array.create import cast
from ..math import api as m
from ..math import cumulative
from ..math import reduce as r
from ._dtypes import asarray, is_inexact, result_type, state, to_dtype
from ._dtypes import tf_dtypes as _dtypes
from .math import isnan, true_divide

_TO_INT = 0
_TO_FLOAT = 1


def _axis(axis: Any) -> Any:
    if isinstance(axis, Tensor) and axis._dtype not in (_dtypes.int32, _dtypes.int64):
        return cast(axis, _dtypes.int64)
    return list(axis) if isinstance(axis, tuple) else axis


def _reduce(fn: Callable, a: Any, axis: Any = None, dtype: Any = None, keepdims: Any = None,
            promote_int: int | None = _TO_INT, bool_fn: Callable | None = None, preserve_bool: bool = False) -> Tensor:
    dt = to_dtype(dtype) if dtype else None
    keepdims = bool(keepdims)
    t = asarray(a, dt)
    if bool_fn is not None and (dt is _dtypes.bool or (preserve_bool and t._dtype is _dtypes.bool)):
        return bool_fn(t, axis=_axis(axis), keepdims=keepdims)
    if dt is None:
        kind = t._dtype
        if kind.is_integer or kind is _dtypes.bool:
            if promote_int == _TO_INT:
                if kind is _dtypes.bool:
                    signed, width = True, 8
                else:
                    signed, width = np.issubdtype(kind._np, np.signedinteger), np.iinfo(kind._np).bits
                wide = 32 if state.mode in ("all", "safe") else 64  # TF's auto conversion sums in 32 bits
                if width < wide:
                    wide_type = (_dtypes.int32, _dtypes.uint32) if wide == 32 else (_dtypes.int64, _dtypes.uint64)
                    t = cast(t, wide_type[0] if signed else wide_type[1])
            elif promote_int == _TO_FLOAT:
                t = cast(t, result_type(float))
    return fn(t, axis=_axis(axis), keepdims=keepdims)


def sum(a: Any, axis: Any = None, dtype: Any = None, keepdims: Any = None) -> Tensor:  # noqa: A001
    """The sum (small ints summed as int64, bools as ANY when dtype=bool)."""
    return _reduce(r.reduce_sum, a, axis, dtype, keepdims, bool_fn=r.reduce_any)


def prod(a: Any, axis: Any = None, dtype: Any = None, keepdims: Any = None) -> Tensor:
    """The product (small ints as int64)."""
    return _reduce(r.reduce_prod, a, axis, dtype, keepdims, bool_fn=r.reduce_all)


def mean(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: Any = None) -> Tensor:
    """The mean (ints averaged as float64)."""
    if out is not None:
        raise ValueError("Setting out is not supported.")
    return _reduce(r.reduce_mean, a, axis, dtype, keepdims, promote_int=_TO_FLOAT)


def amax(a: Any, axis: Any = None, out: Any = None, keepdims: Any = None) -> Tensor:
    """The maximum (ANY for bools)."""
    if out is not None:
        raise ValueError("Setting out is not supported.")
    return _reduce(r.reduce_max, a, axis, None, keepdims, promote_int=None, bool_fn=r.reduce_any, preserve_bool=True)


def amin(a: Any, axis: Any = None, out: Any = None, keepdims: Any = None) -> Tensor:
    """The minimum (ALL for bools)."""
    if out is not None:
        raise ValueError("Setting out is not supported.")
    return _reduce(r.reduce_min, a, axis, None, keepdims, promote_int=None, bool_fn=r.reduce_all, preserve_bool=True)


def max(a: Any, axis: Any = None, keepdims: Any = None) -> Tensor:  # noqa: A001
    """The maximum (``amax``)."""
    return amax(a, axis=axis, keepdims=keepdims)


def min(a: Any, axis: Any = None, keepdims: Any = None) -> Tensor:  # noqa: A001
    """The minimum (``amin``)."""
    return amin(a, axis=axis, keepdims=keepdims)


def all(a: Any, axis: Any = None, keepdims: Any = None) -> Tensor:  # noqa: A001
    """Whether every element is true."""
    return r.reduce_all(asarray(a, np.bool_), axis=_axis(axis), keepdims=bool(keepdims))


def any(a: Any, axis: Any = None, keepdims: Any = None) -> Tensor:  # noqa: A001
    """Whether any element is true."""
    return r.reduce_any(asarray(a, np.bool_), axis=_axis(axis), keepdims=bool(keepdims))


def _count(t: Tensor, axis: Any) -> Any:
    shape = t._value.shape
    if axis is None:
        return int(np.prod(shape))
    axes = [axis] if isinstance(axis, int) else list(axis)
    return int(np.prod([shape[a] for a in axes]))


def var(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: int = 0, keepdims: Any = None) -> Tensor:
    """The variance (``ddof``: the divisor is N - ddof)."""
    working = result_type(a, dtype) if dtype else None
    if out is not None:
        raise ValueError("Setting out is not supported.")
    if ddof != 0:
        if working is None:  # TF's kernel casts its result to ``dtype``, which fails when it is None
            raise TypeError("Cannot convert the argument `type_value`: None to a TensorFlow DType.")

        def reduce_fn(t: Tensor, axis: Any, keepdims: bool) -> Tensor:
            means = r.reduce_mean(t, axis=axis, keepdims=True)
            centered = t - means
            if t._dtype.is_complex:
                centered = cast(m.real(centered * m.conj(centered)), t._dtype)
            else:
                centered = m.square(centered)
            deviations = r.reduce_sum(centered, axis=axis, keepdims=keepdims)
            n = cast(_count(t, axis) - ddof, t._dtype)
            return cast(m.divide(deviations, n), working)
    else:
        reduce_fn = r.reduce_variance
    result = _reduce(reduce_fn, a, axis, working, keepdims, promote_int=_TO_FLOAT)
    return cast(result, to_dtype(dtype)) if dtype else result


def std(a: Any, axis: Any = None, keepdims: Any = None) -> Tensor:
    """The standard deviation."""
    return _reduce(r.reduce_std, a, axis, None, keepdims, promote_int=_TO_FLOAT)


def ptp(a: Any, axis: Any = None, keepdims: Any = None) -> Tensor:
    """max - min."""
    from .math import subtract

    return subtract(amax(a, axis=axis, keepdims=keepdims), amin(a, axis=axis, keepdims=keepdims))


def _nan_reduction(name: str, reduction: Callable, init: int) -> Callable:
    def nan_reduction(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Tensor:
        t = asarray(a)
        v = asarray(init, t._dtype)
        return reduction(m.where(isnan(t), v, t), axis=axis, dtype=dtype, keepdims=keepdims)

    nan_reduction.__name__ = nan_reduction.__qualname__ = name
    nan_reduction.__doc__ = f"NumPy's ``{name}``: NaNs count as {init}."
    return nan_reduction


nansum = _nan_reduction("nansum", sum, 0)
nanprod = _nan_reduction("nanprod", prod, 1)


def nanmean(a: Any, axis: Any = None, dtype: Any = None, keepdims: Any = None) -> Tensor:
    """The mean of the non-NaN elements."""
    t = asarray(a)
    if t._dtype is _dtypes.bool or t._dtype.is_integer:
        return mean(t, axis=axis, dtype=dtype, keepdims=keepdims)
    mask = m.logical_not(isnan(t))
    dtype = t._dtype if dtype is None else dtype
    normalizer = sum(mask, axis=axis, dtype=dtype, keepdims=keepdims)
    return true_divide(nansum(t, axis=axis, dtype=dtype, keepdims=keepdims), normalizer)


def count_nonzero(a: Any, axis: Any = None) -> Tensor:
    """The number of nonzero elements (int64)."""
    return r.count_nonzero(asarray(a), _axis(axis))


def _promote_to_int(t: Tensor) -> Tensor:
    if t._dtype.is_integer:
        out = np.promote_types(t._dtype._np, int)
        if out != t._dtype._np:
            return asarray(t, out)
    return t


def _scan(fn: Callable, a: Any, axis: Any, dtype: Any) -> Tensor:
    t = asarray(a, dtype)
    if dtype is None:
        t = _promote_to_int(t)
    if axis is None:
        t = array_ops.reshape(t, [-1])
        axis = 0
    elif axis < 0:
        axis += t._value.ndim
    return fn(t, axis)


def cumsum(a: Any, axis: Any = None, dtype: Any = None) -> Tensor:
    """Cumulative sums (of the flattened array when axis is None)."""
    return _scan(cumulative.cumsum, a, axis, dtype)


def cumprod(a: Any, axis: Any = None, dtype: Any = None) -> Tensor:
    """Cumulative products (of the flattened array when axis is None)."""
    return _scan(cumulative.cumprod, a, axis, dtype)


def argsort(a: Any, axis: int | None = -1, kind: str = "quicksort", order: Any = None) -> Tensor:
    """The indices that sort ``a`` (int64)."""
    if kind not in ("quicksort", "stable"):
        raise ValueError('Invalid value for argument `kind`. Only kind="quicksort" and kind="stable" are supported. '
                         f"Received: kind={kind}")
    if order is not None:
        raise ValueError("The `order` argument is not supported. Pass order=None")
    t = asarray(a)
    if t._dtype.is_complex:
        raise TypeError(f"argsort does not support complex64/complex128 dtypes. Received dtype: {t._dtype}")
    if t._value.ndim == 0:
        return asarray(asarray([0], np.int32), int if state.mode in ("all", "safe") else np.intp)
    if axis is None:
        t, axis = array_ops.reshape(t, [-1]), 0
    return asarray(sort_ops.argsort(t, axis, stable=kind == "stable"), int if state.mode in ("all", "safe") else np.intp)


def sort(a: Any, axis: int | None = -1, kind: str = "quicksort", order: Any = None) -> Tensor:
    """``a`` sorted along ``axis`` (flattened when None)."""
    if kind != "quicksort":
        raise ValueError(f'Invalid value for argument `kind`. Only kind="quicksort" is supported. Received: kind={kind}')
    if order is not None:
        raise ValueError("The `order` argument is not supported. Pass order=None")
    t = asarray(a)
    if axis is None:
        return sort_ops.sort(array_ops.reshape(t, [-1]), 0)
    return sort_ops.sort(t, axis)


def _argminmax(fn: Callable, a: Any, axis: Any) -> Tensor:
    t = asarray(a)
    if axis is None:
        t = array_ops.reshape(t, [-1])
        return fn(t, axis=0)
    if t._value.ndim == 0:
        t = array_ops.reshape(t, [1])
    return fn(t, axis=axis)


def argmax(a: Any, axis: Any = None) -> Tensor:
    """The index of the maximum (of the flattened array when axis is None)."""
    return _argminmax(r.argmax, a, axis)


def argmin(a: Any, axis: Any = None) -> Tensor:
    """The index of the minimum (of the flattened array when axis is None)."""
    return _argminmax(r.argmin, a, axis)


def average(a: Any, axis: int | None = None, weights: Any = None, returned: bool = False) -> Any:
    """The (weighted) average along ``axis``; with ``returned``, also the sum of the weights."""
    if axis is not None and not isinstance(axis, int):
        raise ValueError(f"Argument `axis` must be an integer. Received axis={axis} (of type {type(axis)})")
    t = asarray(a)
    default_float = result_type(float)
    if weights is None:
        if not is_inexact(t):
            t = cast(t, result_type(t._dtype, default_float))
        avg = r.reduce_mean(t, axis=axis)
        if returned:
            total = _count(t, axis)
            weights_sum = cast(total, t._dtype)
    else:
        out = result_type(t._dtype, weights) if is_inexact(t) else result_type(t._dtype, weights, default_float)
        t = asarray(t, out)
        w = asarray(weights, out)
        if axis is None or t._value.ndim == w._value.ndim:
            if t._value.shape != w._value.shape:
                raise ValueError(f"Axis must be specified when shapes of a {t._value.shape} and weights "
                                 f"{w._value.shape} differ.")
            weights_sum = r.reduce_sum(w, axis=axis)
            avg = r.reduce_sum(t * w, axis=axis) / weights_sum
        else:
            from ..linalg.core import tensordot

            weights_sum = r.reduce_sum(w)
            avg = tensordot(t, w, [[axis], [0]]) / weights_sum
    if returned:
        return avg, array_ops.broadcast_to(weights_sum, list(avg._value.shape))
    return avg


def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None) -> Tensor:
    """The sum along a diagonal."""
    from .shape import diagonal

    t = asarray(a, to_dtype(dtype) if dtype else None)
    d = diagonal(t, offset, axis1, axis2)
    return sum(d, -1, dtype)


