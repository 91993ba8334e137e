"""Scans along an axis: ``tf.math.cumsum``, ``cumprod`` and ``cumulative_logsumexp``, each ``exclusive``
(start from the identity) and/or ``reverse`` (scan from the end), with TF's gradients.

>>> import featherflow as tf
>>> tf.math.cumsum([1, 2, 3], exclusive=True, reverse=True).numpy()
array([5, 3, 0], dtype=int32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor, convert_to_tensor, kernel_error
from ..convert import FLOATS, NUMERIC, tensor
from . import elementwise as m


def _accumulate(xp: Any, kind: str, x: Any, axis: int, dtype: Any, out: Any = None) -> Any:
    if kind == "sum":
        return xp.cumsum(x, axis=axis, dtype=dtype, out=out)
    if kind == "prod":
        return xp.cumprod(x, axis=axis, dtype=dtype, out=out)
    if xp is np:
        return np.logaddexp.accumulate(x, axis=axis, out=out)
    # CuPy's ufuncs accumulate only add and multiply: a log-space scan by doubling (Hillis-Steele), ceil(log2 n)
    # elementwise steps, summing in a different order than the CPU's left-to-right (as TF's GPU scan does)
    acc = x.copy() if out is None else out
    if out is not None:
        acc[...] = x
    n, step = x.shape[axis], 1
    while step < n:
        lo, hi = [slice(None)] * x.ndim, [slice(None)] * x.ndim
        lo[axis], hi[axis] = slice(None, n - step), slice(step, None)
        acc[tuple(hi)] = xp.logaddexp(acc[tuple(hi)], acc[tuple(lo)])
        step *= 2
    return acc


def _scan(xp: Any, kind: str, x: Any, axis: int, exclusive: bool, reverse: bool, identity: Any) -> Any:
    if reverse:
        x = xp.flip(x, axis)
    # integers accumulate in their own type (NumPy would widen them): wrapping around as TF does
    dtype = x.dtype if x.dtype.kind in "iu" else None
    if exclusive:
        out = xp.empty_like(x)
        first = [slice(None)] * x.ndim
        first[axis] = slice(0, 1)
        rest, head = list(first), list(first)
        rest[axis], head[axis] = slice(1, None), slice(None, -1)
        out[tuple(first)] = identity
        if x.shape[axis] > 1:
            _accumulate(xp, kind, x[tuple(head)], axis, dtype, out=out[tuple(rest)])
    else:
        out = _accumulate(xp, kind, x, axis, dtype)
    return xp.flip(out, axis) if reverse else out


@m.kernel("Cumsum", NUMERIC)
def cumsum_op(xp: Any, x: Any, axis: int, exclusive: bool, reverse: bool) -> Any:
    return _scan(xp, "sum", x, axis, exclusive, reverse, 0)


@cumsum_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, axis: int, exclusive: bool, reverse: bool) -> Any:
    return cumsum_op(g, axis=axis, exclusive=exclusive, reverse=not reverse)


@m.kernel("Cumprod", NUMERIC)
def cumprod_op(xp: Any, x: Any, axis: int, exclusive: bool, reverse: bool) -> Any:
    return _scan(xp, "prod", x, axis, exclusive, reverse, 1)


@cumprod_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, axis: int, exclusive: bool, reverse: bool) -> Any:
    # TF's rule (it divides by x, so entries where x is 0 get 0)
    prod = cumprod_op(x, axis=axis, exclusive=exclusive, reverse=reverse)
    out = cumsum_op(m.mul_op(prod, g), axis=axis, exclusive=exclusive, reverse=not reverse)
    return m.div_no_nan_op(out, x)


@m.kernel("CumulativeLogsumexp", FLOATS)
def cumulative_logsumexp_op(xp: Any, x: Any, axis: int, exclusive: bool, reverse: bool) -> Any:
    return _scan(xp, "logsumexp", x, axis, exclusive, reverse, -np.inf)


@cumulative_logsumexp_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, axis: int, exclusive: bool, reverse: bool) -> Any:
    # TF's rule: positive and negative parts of g in log space, scanned the other way
    lowest = m._c(g, np.finfo(g._dtype._np).min if g._dtype is not _dtypes.bfloat16 else -3.3895314e38)
    zero = m.zeros_like_op(g)
    log_pos = m.select_op(m.greater_op(g, zero), m.log_op(g), lowest)
    log_neg = m.select_op(m.less_op(g, zero), m.log_op(m.neg_op(g)), lowest)
    attrs = {"axis": axis, "exclusive": exclusive, "reverse": not reverse}
    pos = m.exp_op(m.add_op(cumulative_logsumexp_op(m.sub_op(log_pos, ans), **attrs), x))
    neg = m.exp_op(m.add_op(cumulative_logsumexp_op(m.sub_op(log_neg, ans), **attrs), x))
    return m.sub_op(pos, neg)


def _scan_call(op: Any, x: Any, axis: Any, exclusive: bool, reverse: bool) -> Tensor:
    t = tensor(x)
    op.check(t)  # before the axis: TF checks the dtype first
    a = axis if type(axis) is int else convert_to_tensor(axis, dtype=_dtypes.int32 if type(axis) is not Tensor
                                                          else None)
    if type(a) is not int:
        if a._value.ndim != 0:
            raise kernel_error(op.name, f"ScanOp: axis must be a scalar, not [{','.join(map(str, a._value.shape))}]")
        a = int(a._numpy())
    ndim = t._value.ndim
    shown = a + ndim if a < 0 else a
    if not 0 <= shown < ndim:
        raise kernel_error(op.name, f"ScanOp: Expected scan axis in the range [{-ndim}, {ndim}), but got {shown}")
    return op(t, axis=shown, exclusive=bool(exclusive), reverse=bool(reverse))


def cumsum(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False, name: str | None = None) -> Tensor:
    """Running sums along ``axis``.

    >>> cumsum([1, 2, 3]).numpy()
    array([1, 3, 6], dtype=int32)
    """
    return _scan_call(cumsum_op, x, axis, exclusive, reverse)


def cumprod(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False, name: str | None = None) -> Tensor:
    """Running products along ``axis``.

    >>> cumprod([1, 2, 3], exclusive=True).numpy()
    array([1, 1, 2], dtype=int32)
    """
    return _scan_call(cumprod_op, x, axis, exclusive, reverse)


def cumulative_logsumexp(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
                         name: str | None = None) -> Tensor:
    """Running log(sum(exp(x))) along ``axis``, without overflow."""
    return _scan_call(cumulative_logsumexp_op, x, axis, exclusive, reverse)
