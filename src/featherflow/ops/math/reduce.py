"""Reductions (``tf.reduce_*``, ``tf.math.argmax``, ``count_nonzero``...), with their gradients.

Sums and products keep the input's dtype (integers wrap around, as in TF); integer means accumulate in 64 bits
and truncate; float means divide the sum in the input's precision, as TF's kernels do.

>>> import featherflow as tf
>>> tf.reduce_sum(tf.constant([[1, 2], [3, 4]]), axis=0).numpy()
array([4, 6], dtype=int32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor, convert_to_tensor, kernel_error
from .. import dispatch as _dispatch
from ..array.core import broadcast_to_op, reshape_op
from ..convert import COMPLEX, INTS, NUMERIC, REAL, shape_text, tensor
from ..registry import OPS, constant_like
from . import elementwise as m

_BOOL = frozenset({_dtypes.bool})
_ARG_TYPES = REAL | _BOOL
_AXIS_TYPES = frozenset({_dtypes.int8, _dtypes.uint8, _dtypes.int16, _dtypes.uint16, _dtypes.int32, _dtypes.int64})


def _keep_shape(x_shape: tuple, axes: tuple | None) -> tuple:
    if axes is None:
        return (1,) * len(x_shape)
    return tuple(1 if i in axes else d for i, d in enumerate(x_shape))


def _reshape(x: Tensor, shape: tuple) -> Tensor:
    return x if x._value.shape == shape else reshape_op(x, shape=shape)


def _kept(g: Tensor, x: Tensor, axes: tuple | None) -> Tensor:
    """``g`` of a reduction over ``axes`` reshaped with the reduced dims kept (size 1)."""
    return _reshape(g, _keep_shape(x._value.shape, axes))


def _grad_broadcast(g: Tensor, x: Tensor, axes: tuple | None) -> Tensor:
    """``g`` of a reduction, broadcast back to ``x``'s shape."""
    kept = _kept(g, x, axes)
    shape = x._value.shape
    return kept if kept._value.shape == shape else broadcast_to_op(kept, shape=shape)


# --- forward kernels ----------------------------------------------------------------------------------


@m.kernel("Sum", NUMERIC)
def sum_op(xp: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    if x.dtype.kind in "iu":  # NumPy would widen small integers; TF wraps around in the input's type
        return xp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
    return x.sum(axis=axis, keepdims=keepdims)


@sum_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, axis: Any = None, keepdims: bool = False) -> Any:
    return _grad_broadcast(g, x, axis)


def _count(x: Any, out: Any) -> int:
    return x.size // max(out.size, 1)


@m.kernel("Mean", NUMERIC)
def mean_op(xp: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    kind = x.dtype.kind
    if kind in "iu":  # TF: a 64-bit sum, divided with truncation towards zero
        total = xp.sum(x, axis=axis, keepdims=keepdims, dtype=np.int64 if kind == "i" else np.uint64)
        n = _count(x, total)
        if n == 0:
            return xp.zeros_like(total, dtype=x.dtype)
        q = total // n
        if kind == "i":
            q = q + ((q * n != total) & (total < 0))
        return q.astype(x.dtype)
    total = xp.sum(x, axis=axis, keepdims=keepdims)  # float16 sums in float16 (and overflows) as in TF
    n = float(_count(x, total))  # a Python float keeps float32 float32
    if n == 0 and kind == "c":  # TF's complex mean of nothing is 0
        return xp.zeros_like(total)
    if x.dtype.itemsize == 2 and (n > 2048 or _dtypes.is_bfloat16(x.dtype)):  # divide half precision in float32
        return (total.astype(np.float32) / n).astype(x.dtype)
    return total / n


@mean_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, axis: Any = None, keepdims: bool = False) -> Any:
    count = _count(x._value, ans._value)
    return m.div_op(_grad_broadcast(g, x, axis), constant_like(count, g))


def _empty_identity(x: Any, lowest: bool) -> Any:
    """The value TF's max (lowest=True) or min reduction gives for an empty axis: -inf/+inf, or the int limits."""
    if m.is_float(x.dtype):
        return -np.inf if lowest else np.inf
    info = np.iinfo(x.dtype)
    return info.min if lowest else info.max


@m.kernel("Max", REAL)
def max_op(xp: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    if x.size == 0:
        return xp.max(x, axis=axis, keepdims=keepdims, initial=_empty_identity(x, True))
    return xp.max(x, axis=axis, keepdims=keepdims)


@m.kernel("Min", REAL)
def min_op(xp: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    if x.size == 0:
        return xp.min(x, axis=axis, keepdims=keepdims, initial=_empty_identity(x, False))
    return xp.min(x, axis=axis, keepdims=keepdims)


def _minmax_grad(g: Tensor, ans: Tensor, x: Tensor, axis: Any = None, keepdims: bool = False) -> Any:
    y = _kept(ans, x, axis)
    indicators = m.cast_like(m.equal_op(y, x), g)
    num_selected = _kept(sum_op(indicators, axis=axis), x, axis)
    return m.mul_op(m.div_op(indicators, num_selected), _kept(g, x, axis))


max_op.gradient(_minmax_grad)
min_op.gradient(_minmax_grad)


@m.kernel("Prod", NUMERIC)
def prod_op(xp: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    if x.dtype.kind in "iu":
        return xp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
    return xp.prod(x, axis=axis, keepdims=keepdims)


@prod_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, axis: Any = None, keepdims: bool = False) -> Any:
    # TF's rule: the product of all other elements, as exclusive cumulative products from both sides (exact
    # with zeros in the input), computed with the reduced axes moved to the front and flattened
    from ..array.core import transpose_op
    from .cumulative import cumprod_op

    shape = x._value.shape
    rank = len(shape)
    reduced = tuple(range(rank)) if axis is None else tuple(axis)
    other = tuple(i for i in range(rank) if i not in reduced)
    perm = reduced + other
    permuted = transpose_op(x, perm=perm) if perm != tuple(range(rank)) else x
    permuted_shape = tuple(shape[i] for i in perm)
    n_reduced = int(np.prod([shape[i] for i in reduced], dtype=np.int64))
    flat = _reshape(permuted, (n_reduced, -1 if n_reduced else int(np.prod([shape[i] for i in other]))))
    left = cumprod_op(flat, axis=0, exclusive=True, reverse=False)
    right = cumprod_op(flat, axis=0, exclusive=True, reverse=True)
    y = _reshape(m.mul_op(m.conj(left), m.conj(right)), permuted_shape)
    inverse = tuple(int(i) for i in np.argsort(perm))
    y = transpose_op(y, perm=inverse) if perm != tuple(range(rank)) else y
    return m.mul_op(_grad_broadcast(g, x, axis), y)


@m.kernel("Any", _BOOL)
def any_op(xp: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return xp.any(x, axis=axis, keepdims=keepdims)


@m.kernel("All", _BOOL)
def all_op(xp: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return xp.all(x, axis=axis, keepdims=keepdims)


@m.kernel("EuclideanNorm", NUMERIC)
def euclidean_norm_op(xp: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    if x.dtype.kind == "c":
        return xp.sqrt(xp.sum((x * xp.conj(x)), axis=axis, keepdims=keepdims))
    if x.dtype.kind in "iu":
        wide = x.astype(np.float64)
        return xp.sqrt(xp.sum(wide * wide, axis=axis, keepdims=keepdims)).astype(x.dtype)
    return xp.sqrt(xp.sum(xp.square(x), axis=axis, keepdims=keepdims))


@euclidean_norm_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, axis: Any = None, keepdims: bool = False) -> Any:
    return m.div_op(x, m.div_op(_kept(ans, x, axis), _kept(g, x, axis)))


def _arg_kernel(xp: Any, x: Any, axis: int, output_type: Any, largest: bool) -> Any:
    if x.shape[axis] == 0:
        raise kernel_error("ArgMax" if largest else "ArgMin",
                           f"Reduction axis {axis} is empty in shape [{','.join(map(str, x.shape))}]")
    nan_skipping = m.is_float(x.dtype) and x.size
    if nan_skipping and xp is not np:  # on a device NaNs are replaced at once: no host branch on whether any exist
        x = xp.where(xp.isnan(x), -np.inf if largest else np.inf, x)
    out = (xp.argmax if largest else xp.argmin)(x, axis=axis)
    if nan_skipping and xp is np:
        # NumPy picks the first NaN; TF's comparisons skip NaNs
        picked = xp.take_along_axis(x, xp.expand_dims(out, axis), axis=axis)
        if xp.isnan(picked).any():
            x = xp.where(xp.isnan(x), -np.inf if largest else np.inf, x)
            out = (xp.argmax if largest else xp.argmin)(x, axis=axis)
    return out.astype(output_type)


@m.kernel("ArgMax", _ARG_TYPES)
def argmax_op(xp: Any, x: Any, axis: int = 0, output_type: Any = np.int64) -> Any:
    return _arg_kernel(xp, x, axis, output_type, True)


@m.kernel("ArgMin", _ARG_TYPES)
def argmin_op(xp: Any, x: Any, axis: int = 0, output_type: Any = np.int64) -> Any:
    return _arg_kernel(xp, x, axis, output_type, False)


argmax_op.gradient(m.no_gradient)  # TF's _ArgMaxGrad and _ArgMinGrad: [None, None]
argmin_op.gradient(m.no_gradient)


@m.kernel("CountNonzero", NUMERIC | {_dtypes.bool, _dtypes.string}, differentiable=False)
def count_nonzero_op(xp: Any, x: Any, axis: Any = None, keepdims: bool = False, dtype: Any = np.int64) -> Any:
    if x.dtype == object:  # strings: the empty string counts as zero
        x = x.astype(bool)
    count = xp.count_nonzero(x, axis=axis, keepdims=keepdims)
    if dtype == np.bool_:
        return xp.asarray(count).astype(bool)
    return xp.asarray(count, dtype=np.int64).astype(dtype, copy=False)


# --- axis arguments -----------------------------------------------------------------------------------


def _axes(axis: Any, ndim: int, op_name: str) -> tuple | None:
    """Validated reduction axes (TF's checks and messages) as a sorted tuple of non-negative ints."""
    if axis is None:
        return None
    if type(axis) in (list, tuple) and all(type(a) is int and -2**31 <= a < 2**31 for a in axis):
        pass  # host values already: converting them would copy them to the device and back
    elif type(axis) is not int:
        a = convert_to_tensor(axis, dtype_hint=_dtypes.int32)
        if a._dtype not in (_dtypes.int32, _dtypes.int64):
            convert_to_tensor(axis, dtype=_dtypes.int32)  # TF's TypeError for floats
            OPS[op_name].check_attr("Tidx", a._dtype)
        axis = [int(v) for v in np.asarray(a._numpy()).ravel()]
    axes = [axis] if type(axis) is int else axis
    out = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise kernel_error(op_name, f"Invalid reduction dimension ({a} for input with {ndim} dimension(s)")
        a %= ndim
        if a in out:
            raise kernel_error(op_name, f"Invalid reduction arguments: Axes contains duplicate dimension: {a}")
        out.append(a)
    return tuple(sorted(out))


def _reduce(op: Any, input_tensor: Any, axis: Any, keepdims: Any) -> Tensor:
    x = input_tensor if type(input_tensor) is Tensor else tensor(input_tensor)
    op.check(x)  # before the axes: TF checks the dtype first
    axes = _axes(axis, x._value.ndim, op.name)
    return op(x, axis=axes, keepdims=bool(keepdims))


@_dispatch.add_dispatch_support
def reduce_sum(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """Sum over ``axis`` (all axes when None), in the input's dtype.

    >>> reduce_sum([[1, 2], [3, 4]]).numpy()
    np.int32(10)
    """
    return _reduce(sum_op, input_tensor, axis, keepdims)


@_dispatch.add_dispatch_support
def reduce_mean(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """Mean over ``axis``; integer inputs give the mean truncated towards zero, as in TF.

    >>> reduce_mean([1, 2]).numpy()
    np.int32(1)
    """
    return _reduce(mean_op, input_tensor, axis, keepdims)


@_dispatch.add_dispatch_support
def reduce_max(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """Maximum over ``axis`` (-inf or the smallest integer for an empty axis)."""
    return _reduce(max_op, input_tensor, axis, keepdims)


@_dispatch.add_dispatch_support
def reduce_min(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """Minimum over ``axis`` (inf or the largest integer for an empty axis)."""
    return _reduce(min_op, input_tensor, axis, keepdims)


@_dispatch.add_dispatch_support
def reduce_prod(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """Product over ``axis``."""
    return _reduce(prod_op, input_tensor, axis, keepdims)


@_dispatch.add_dispatch_support
def reduce_any(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """Logical OR over ``axis``, for bools."""
    return _reduce(any_op, input_tensor, axis, keepdims)


@_dispatch.add_dispatch_support
def reduce_all(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """Logical AND over ``axis``, for bools."""
    return _reduce(all_op, input_tensor, axis, keepdims)


def reduce_euclidean_norm(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                          name: str | None = None) -> Tensor:
    """sqrt(sum(|x|^2)) over ``axis``, in the input's dtype."""
    return _reduce(euclidean_norm_op, input_tensor, axis, keepdims)


@_dispatch.add_dispatch_support
def reduce_logsumexp(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """log(sum(exp(x))) over ``axis``, computed without overflow (TF's composition, and its gradient).

    >>> float(reduce_logsumexp([1000.0, 1000.0]))
    1000.6931762695312
    """
    x = tensor(input_tensor)
    max_op.check(x)  # TF's composition: Max, then IsFinite
    m.is_finite_op.check(x)
    axes = _axes(axis, x._value.ndim, "Max")
    raw_max = max_op(x, axis=axes, keepdims=True)
    shift = OPS["StopGradient"](m.select_op(m.is_finite_op(raw_max), raw_max, m.zeros_like_op(raw_max)))
    result = m.log_op(sum_op(m.exp_op(m.sub_op(x, shift)), axis=axes, keepdims=bool(keepdims)))
    if not keepdims:
        shift = _reshape(shift, result._value.shape)
    return m.add_op(result, shift)


def reduce_variance(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """The mean squared deviation from the mean over ``axis`` (real-valued for complex inputs)."""
    x = tensor(input_tensor)
    means = _reduce(mean_op, x, axis, True)
    if x._dtype in INTS:
        raise TypeError(f"Input must be either real or complex. Received integer type {x._dtype!r}.")
    diff = m.sub_op(x, means)
    if x._dtype in COMPLEX:
        squared = m.real_op(m.mul_op(m.conj_op(diff), diff))
    else:
        squared = m.square_op(diff)
    return _reduce(mean_op, squared, axis, keepdims)


def reduce_std(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """The standard deviation over ``axis``: sqrt(reduce_variance).

    >>> float(reduce_std([1.0, 3.0]))
    1.0
    """
    return m.sqrt_op(reduce_variance(input_tensor, axis, keepdims))


def count_nonzero(input: Any, axis: Any = None, keepdims: Any = None, dtype: Any = _dtypes.int64,  # noqa: A002
                  name: str | None = None) -> Tensor:
    """The number of non-zero (non-empty for strings) elements over ``axis``, as ``dtype``.

    >>> count_nonzero([[0, 1], [2, 0]]).numpy()
    np.int64(2)
    """
    x = tensor(input)
    axes = _axes(axis, x._value.ndim, "Sum")
    return count_nonzero_op(x, axis=axes, keepdims=bool(keepdims), dtype=_dtypes.as_dtype(dtype)._np)


def _arg(op: Any, input: Any, axis: Any, output_type: Any) -> Tensor:  # noqa: A002
    x = tensor(input)
    if axis is None:
        axis = 0
    if op is argmax_op and type(axis) is not int:  # TF's argmax checks its axis in Python; argmin does not
        if not hasattr(axis, "dtype"):
            raise TypeError("axis must be int or Tensor with integer datatype")
        if not isinstance(axis, Tensor) and not hasattr(axis, "__tf_tensor__") or axis.dtype not in _AXIS_TYPES:
            raise TypeError(f"axis tensor dtypes {axis.dtype} is not supported")
    if type(axis) is not int:
        a = axis if type(axis) is Tensor else convert_to_tensor(axis, dtype_hint=_dtypes.int32)
        if a._dtype not in (_dtypes.int32, _dtypes.int64):
            a = convert_to_tensor(axis, dtype=_dtypes.int32)
        if a._value.ndim != 0:
            raise kernel_error(op.name, "dim must be a scalar, but received tensor of shape: "
                                        f"{shape_text(a._value.shape)}")
        axis = int(a._numpy())
    op.check(x)
    out = _dtypes.as_dtype(output_type)
    op.check_attr("output_type", out)
    ndim = x._value.ndim
    if not -ndim <= axis < ndim:
        raise kernel_error(op.name, f"Expected dimension in the range [{-ndim}, {ndim}), but got {axis}")
    return op(x, axis=axis % ndim, output_type=out._np)


def argmax(input: Any, axis: Any = None, output_type: Any = _dtypes.int64, name: str | None = None) -> Tensor:  # noqa: A002
    """The index of the largest value along ``axis`` (default 0; the first on ties, NaNs skipped), as int64.

    >>> argmax([[1.0, 2.0], [3.0, 4.0]]).numpy()
    array([1, 1])
    """
    return _arg(argmax_op, input, axis, output_type)


def argmin(input: Any, axis: Any = None, output_type: Any = _dtypes.int64, name: str | None = None) -> Tensor:  # noqa: A002
    """The index of the smallest value along ``axis`` (default 0; the first on ties, NaNs skipped), as int64."""
    return _arg(argmin_op, input, axis, output_type)

