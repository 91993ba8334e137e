"""tnp's array creation: ``array``, ``zeros``, ``arange``, ``linspace``, ``eye``, ``tri``... (TF's np_array_ops)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import Tensor
from ..array import core as array_ops
from ..array import create
from ..math import api as math_api
from ._dtypes import asarray as _asarray
from ._dtypes import result_type, to_dtype
from ._dtypes import tf_dtypes as _dtypes


def _shape(shape: Any) -> list[int]:
    if isinstance(shape, Tensor):
        return [int(v) for v in shape.numpy().reshape(-1)]
    if isinstance(shape, (int, np.integer)):
        return [int(shape)]
    return [int(s) for s in shape]


def _float_default(dtype: Any) -> _dtypes.DType:
    return result_type(float if dtype is None else dtype)


def array(val: Any, dtype: Any = None, copy: bool = True, ndmin: int = 0) -> Tensor:
    """An ndarray from ``val`` (tnp's dtype rules: Python floats are float64), with at least ``ndmin`` dims.

    >>> array([1, 2]).dtype
    tf.int64
    """
    t = _asarray(val, dtype)
    if copy and isinstance(val, Tensor) and t is val:
        t = array_ops.identity(t)
    extra = ndmin - t._value.ndim
    if extra > 0:
        t = array_ops.reshape(t, [1] * extra + list(t._value.shape))
    return t


def asarray(a: Any, dtype: Any = None) -> Tensor:
    """``a`` as an ndarray (a Tensor of the right dtype is returned as is)."""
    if isinstance(a, Tensor) and (dtype is None or to_dtype(dtype) is a._dtype):
        return a
    return array(a, dtype, copy=False)


asanyarray = asarray


def ascontiguousarray(a: Any, dtype: Any = None) -> Tensor:
    """``a`` as an ndarray of at least one dimension."""
    return array(a, dtype, ndmin=1)


def copy(a: Any) -> Tensor:
    """A copy of ``a``."""
    return array(a, copy=True)


def zeros(shape: Any, dtype: Any = float) -> Tensor:
    """An ndarray of zeros (float64 by default)."""
    return create.zeros(_shape(shape), result_type(dtype))


empty = zeros


def ones(shape: Any, dtype: Any = float) -> Tensor:
    """An ndarray of ones (float64 by default)."""
    return create.ones(_shape(shape), result_type(dtype))


def _like(a: Any, dtype: Any) -> tuple[Tensor, _dtypes.DType]:
    t = _asarray(a)
    return t, (t._dtype if dtype is None else result_type(dtype))


def zeros_like(a: Any, dtype: Any = None) -> Tensor:
    """Zeros of ``a``'s shape (and dtype unless given)."""
    t, dt = _like(a, dtype)
    return create.zeros_like(t, dt)


empty_like = zeros_like


def ones_like(a: Any, dtype: Any = None) -> Tensor:
    """Ones of ``a``'s shape (and dtype unless given)."""
    t, dt = _like(a, dtype)
    return create.ones_like(t, dt)


def full(shape: Any, fill_value: Any, dtype: Any = None) -> Tensor:
    """``fill_value`` broadcast to ``shape``."""
    value = _asarray(fill_value, dtype)
    return array_ops.broadcast_to(value, _shape(shape))


def full_like(a: Any, fill_value: Any, dtype: Any = None) -> Tensor:
    """``fill_value`` broadcast to ``a``'s shape, in ``a``'s dtype unless given."""
    t, dt = _like(a, dtype)
    return array_ops.broadcast_to(create.cast(_asarray(fill_value), dt), list(t._value.shape))


def eye(N: int, M: int | None = None, k: int = 0, dtype: Any = float) -> Tensor:  # noqa: N803 - NumPy's names
    """An N x M matrix with ones on the k-th diagonal."""
    dt = _float_default(dtype)
    M = N if M is None else M  # noqa: N806
    if k >= M or -k >= N:
        return create.zeros([N, M], dt)
    rows = create.range_(0, N, dtype=_dtypes.int64)
    cols = create.range_(0, M, dtype=_dtypes.int64)
    mask = math_api.equal(array_ops.expand_dims(rows, 1) + k, array_ops.expand_dims(cols, 0))
    return create.cast(mask, dt)


def identity(n: int, dtype: Any = float) -> Tensor:
    """The n x n identity matrix."""
    return eye(n, dtype=dtype)


def arange(start: Any, stop: Any = None, step: Any = 1, dtype: Any = None) -> Tensor:
    """Evenly spaced values in [start, stop) (TF computes a float range in float32, then casts).

    >>> arange(3).numpy()
    array([0, 1, 2])
    """
    if not step:
        raise ValueError("step must be non-zero.")
    if dtype is not None:
        dt = result_type(dtype)
    elif stop is None:
        dt = result_type(start, step)
    else:
        dt = result_type(step, start, stop)
    if stop is None:
        start, stop = 0, start
    if (step > 0 and start >= stop) or (step < 0 and start <= stop):
        return create.zeros([0], dt)
    return create.cast(create.range_(start, stop, step), dt)


def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, retstep: bool = False,
             dtype: Any = float, axis: int = 0) -> Any:
    """``num`` evenly spaced values from start to stop (TF on NumPy 2 takes the dtype of ``start * 1.0``)."""
    dt = result_type([start * 1.0, stop * 1.0]) if dtype else None
    start_t, stop_t = _asarray(start, dt), _asarray(stop, dt)
    if num < 0:
        raise ValueError(f"Argument `num` (number of samples) must be a non-negative integer. Received: num={num}")
    step = _asarray(np.float32(np.nan))
    if endpoint:
        result = create.linspace(start_t, stop_t, num, axis=axis)
        if num > 1:
            step = (stop_t - start_t) / (num - 1)
    else:
        if num > 0:
            step = (stop_t - start_t) / num
        if num > 1:
            new_stop = create.cast(stop_t, step._dtype) - step
            result = create.linspace(create.cast(start_t, new_stop._dtype), new_stop, num, axis=axis)
        else:
            result = create.linspace(start_t, stop_t, num, axis=axis)
    if dt is not None:
        if dt.is_integer:
            result = math_api.floor(result)
        result = create.cast(result, dt)
    return (result, step) if retstep else result


def logspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, base: Any = 10.0, dtype: Any = None,
             axis: int = 0) -> Tensor:
    """``base ** linspace(start, stop, num)``."""
    dt = result_type([start * 1.0, stop * 1.0])
    result = linspace(start, stop, num=num, endpoint=endpoint, dtype=dt, axis=axis)
    return create.cast(math_api.pow(create.cast(base, result._dtype), result), dt)


def geomspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, dtype: Any = None,
              axis: int = 0) -> Tensor:
    """``num`` values spaced evenly on a log scale from start to stop."""
    dt = _dtypes.as_dtype(dtype) if dtype else result_type(start, stop, float(num), np.float64)
    compute = _dtypes.as_dtype(np.promote_types(dt._np, np.float32))
    start_t, stop_t = _asarray(start, compute), _asarray(stop, compute)
    one = create.cast(1, compute)
    start_sign = one - math_api.sign(math_api.real(start_t))
    stop_sign = one - math_api.sign(math_api.real(stop_t))
    flip = one - math_api.floordiv(start_sign * stop_sign, create.cast(2, compute))
    ln10 = create.cast(np.log(10), compute)
    res = flip * logspace(math_api.log(flip * start_t) / ln10, math_api.log(flip * stop_t) / ln10, num,
                          endpoint=endpoint, base=10.0, dtype=compute, axis=0)
    if axis != 0:
        from .shape import moveaxis

        res = moveaxis(res, 0, axis)
    return create.cast(res, dt)


def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> Tensor:  # noqa: N803
    """A lower-triangular N x M matrix of ones, at and below the k-th diagonal."""
    M = N if M is None else M  # noqa: N806
    dt = result_type(float if dtype is None else dtype)
    rows = create.range_(0, N, dtype=_dtypes.int64)
    cols = create.range_(0, M, dtype=_dtypes.int64)
    mask = math_api.greater_equal(array_ops.expand_dims(rows, 1) + k, array_ops.expand_dims(cols, 0))
    return create.cast(mask, dt)


def _triangle(m: Any, k: int, lower: bool) -> Tensor:
    t = _asarray(m)
    shape = t._value.shape
    if len(shape) < 1:
        raise ValueError(f"Argument to {'tril' if lower else 'triu'} should be at least 1-d, got {t}")
    if len(shape) == 1:
        t = array_ops.broadcast_to(t, [shape[0], shape[0]])
        shape = t._value.shape
    mask = tri(shape[-2], shape[-1], k if lower else k - 1, dtype=np.bool_)
    if not lower:
        mask = math_api.logical_not(mask)
    return math_api.where(mask, t, create.zeros_like(t))


def tril(m: Any, k: int = 0) -> Tensor:
    """``m`` with everything above the k-th diagonal zeroed."""
    return _triangle(m, k, True)


def triu(m: Any, k: int = 0) -> Tensor:
    """``m`` with everything below the k-th diagonal zeroed."""
    return _triangle(m, k, False)


def diag(v: Any, k: int = 0) -> Tensor:
    """The k-th diagonal of a matrix, or a matrix with the vector ``v`` on its k-th diagonal."""
    t = _asarray(v)
    rank = t._value.ndim
    if rank == 1:
        from ..array.join import pad

        n = t._value.shape[0] + abs(k)
        rows = array_ops.expand_dims(create.range_(0, n, dtype=_dtypes.int64), 1)
        cols = array_ops.expand_dims(create.range_(0, n, dtype=_dtypes.int64), 0)
        mask = math_api.equal(rows + k, cols)
        # element (i, i + k) is v[i] for k >= 0, element (j - k, j) is v[j] for k < 0
        padded = pad(t, [[0, abs(k)]]) if k else t
        along = array_ops.expand_dims(padded, 1) if k >= 0 else array_ops.expand_dims(padded, 0)
        return math_api.where(mask, array_ops.broadcast_to(along, [n, n]), create.zeros([n, n], t._dtype))
    if rank == 2:
        from .shape import diagonal

        return diagonal(t, k)
    raise ValueError(f"Input to diag must be 1-d or 2-d, got {rank}")


def diagflat(v: Any, k: int = 0) -> Tensor:
    """A matrix with the flattened ``v`` on its k-th diagonal."""
    return diag(array_ops.reshape(_asarray(v), [-1]), k)


def vander(x: Any, N: int | None = None, increasing: bool = False) -> Tensor:  # noqa: N803
    """The Vandermonde matrix of the vector ``x``: its columns are powers of x."""
    t = _asarray(x)
    if t._value.ndim != 1:
        raise ValueError(f"x must be a one-dimensional array, got {t}")
    n = t._value.shape[0] if N is None else N
    if n < 0:
        raise ValueError(f"N must be nonnegative, got {N}")
    powers = create.range_(0, n, dtype=t._dtype) if increasing else create.range_(n - 1, -1, -1, dtype=t._dtype)
    return math_api.pow(array_ops.expand_dims(t, 1), array_ops.expand_dims(powers, 0))


def meshgrid(*xi: Any, **kwargs: Any) -> list[Tensor]:
    """Coordinate matrices from coordinate vectors (``indexing='xy'`` or ``'ij'``); each keeps its dtype."""
    sparse = kwargs.get("sparse", False)
    if sparse:
        raise ValueError(f"Function `meshgrid` does not support returning sparse arrays yet. Received: sparse={sparse}")
    copy = kwargs.get("copy", True)
    if not copy:
        raise ValueError(f"Function `meshgrid` only supports copy=True. Received: copy={copy}")
    indexing = kwargs.get("indexing", "xy")
    ts = [array_ops.reshape(_asarray(x), [-1]) for x in xi]
    sizes = [t._value.shape[0] for t in ts]
    if indexing == "xy" and len(ts) > 1:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    # TF broadcasts by multiplying with ones of the first input's dtype: through the operators, so inputs of
    # other dtypes promote when numpy behavior is on and fail (TF's Mul mismatch) when it is off
    ones = create.ones(sizes, ts[0]._dtype) if ts else None
    out = []
    for i, t in enumerate(ts):
        axis = (1 - i if i < 2 else i) if indexing == "xy" and len(ts) > 1 else i
        shape = [1] * len(ts)
        shape[axis] = -1
        out.append(array_ops.reshape(t, shape) * ones)
    return out


def ix_(*args: Any) -> list[Tensor]:
    """An open mesh from sequences: the k-th output has shape 1 everywhere but along axis k."""
    n = len(args)
    out = []
    for i, a in enumerate(args):
        t = _asarray(a)
        if t._value.ndim != 1:
            raise ValueError(f"Arguments must be 1-d, got arg {i} of rank {t._value.ndim}")
        if t._dtype is _dtypes.bool:
            from .shape import nonzero

            t = nonzero(t)[0]
        elif not t._dtype.is_integer:
            raise ValueError(f"Only integer and bool dtypes are supported, got {t._dtype}")
        shape = [1] * n
        shape[i] = t._value.shape[0]
        out.append(array_ops.reshape(t, shape))
    return out


def diag_indices(n: int, ndim: int = 2) -> tuple[Tensor, ...]:
    """The indices of the main diagonal of an n x ... x n array."""
    if n < 0:
        raise ValueError(f"n argument to diag_indices must be nonnegative, got {n}")
    if ndim < 0:
        raise ValueError(f"ndim argument to diag_indices must be nonnegative, got {ndim}")
    return (create.range_(0, n),) * ndim
