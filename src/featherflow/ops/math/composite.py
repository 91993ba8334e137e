"""``tf.math`` functions TF composes from other ops in Python (polyval, lbeta, zero_fraction, the monotonicity
tests, accumulate_n, approx_max_k/approx_min_k), and the ``NextAfter`` op.

>>> import featherflow as tf
>>> float(tf.math.polyval([1.0, 2.0, 3.0], 2.0))
11.0
"""

from __future__ import annotations

from typing import Any

from ... import dtypes as _dtypes
from ...tensor import Tensor
from ..array.core import reshape, transpose
from ..array.create import cast, zeros_like
from ..array.selection import top_k
from ..convert import hinted, tensor
from . import api as m
from .elementwise import F32_64, kernel, mul_op
from .reduce import reduce_all, reduce_mean, reduce_sum


@kernel("NextAfter", F32_64)
def next_after_op(xp: Any, x1: Any, x2: Any) -> Any:
    return xp.nextafter(x1, x2)


@next_after_op.gradient
def _(g: Tensor, ans: Tensor, x1: Tensor, x2: Tensor) -> tuple:
    # TF: d/dx1 = 1, d/dx2 = 0
    return g, mul_op(g, zeros_like(g))


def nextafter(x1: Any, x2: Any, name: str | None = None) -> Tensor:
    """The next representable float after ``x1`` towards ``x2``, elementwise."""
    # (NumPy data converts to the op's default float32, as in TF's generated wrapper)
    a, b = m.matching(hinted(x1, _dtypes.float32), x2, "NextAfter")
    return next_after_op(a, b)



def polyval(coeffs: list, x: Any, name: str | None = None) -> Tensor:
    """The polynomial ``coeffs[0] * x**(n-1) + ... + coeffs[n-1]`` at ``x``, by Horner's rule."""
    if not isinstance(coeffs, list):
        raise ValueError(f"Argument coeffs must be list type found {type(coeffs)}.")
    t = tensor(x)
    if not coeffs:
        return zeros_like(t)
    coeffs = [tensor(c, t._dtype) if not isinstance(c, Tensor) else c for c in coeffs]
    p = coeffs[0]
    for c in coeffs[1:]:
        p = c + p * t
    return p


def lbeta(x: Any, name: str | None = None) -> Tensor:
    """log |Beta(x)| over the innermost axis: sum(lgamma(x)) - lgamma(sum(x))."""
    t = tensor(x)
    return reduce_sum(m.lgamma(t), axis=[-1]) - m.lgamma(reduce_sum(t, axis=[-1]))


def zero_fraction(value: Any, name: str | None = None) -> Tensor:
    """The fraction of zeros in ``value``, as a float32 scalar."""
    t = tensor(value)
    return reduce_mean(cast(m.equal(t, zeros_like(t)), _dtypes.float32))


def _diffs(x: Any) -> Tensor:
    t = tensor(x)
    if not (t._dtype.is_floating or t._dtype.is_integer):
        raise TypeError(f"Expected x to be numeric, got {t._dtype}")
    flat = reshape(t, [-1])
    return flat[1:] - flat[:-1]


def is_non_decreasing(x: Any, name: str | None = None) -> Tensor:
    """Whether ``x`` (flattened) never decreases; true for fewer than 2 elements."""
    return reduce_all(m.greater_equal(_diffs(x), 0))


def is_strictly_increasing(x: Any, name: str | None = None) -> Tensor:
    """Whether ``x`` (flattened) always increases; true for fewer than 2 elements."""
    return reduce_all(m.greater(_diffs(x), 0))


def accumulate_n(inputs: Any, shape: Any = None, tensor_dtype: Any = None, name: str | None = None) -> Tensor:
    """The elementwise sum of a list of tensors of one shape and dtype (``add_n``'s result)."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be a list of at least one Tensor/IndexedSlices with the same dtype and shape")
    ts = [tensor(i) for i in inputs]
    if not all(t._dtype is ts[0]._dtype for t in ts):
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and shape")
    if tensor_dtype is not None and _dtypes.as_dtype(tensor_dtype) is not ts[0]._dtype:
        raise TypeError(f"tensor_dtype is {_dtypes.as_dtype(tensor_dtype)}, but input is of type {ts[0]._dtype}")
    if shape is not None and list(shape) != list(ts[0]._value.shape):
        raise ValueError(f"Shapes {list(shape)} and {list(ts[0]._value.shape)} are incompatible")
    return m.add_n(ts)


def _approx_k(operand: Any, k: int, reduction_dimension: int, largest: bool, aggregate_to_topk: bool) -> tuple:
    x = tensor(operand)
    nd = x._value.ndim
    axis = reduction_dimension % nd
    if not aggregate_to_topk:
        raise NotImplementedError("approx_max_k/approx_min_k: aggregate_to_topk=False is not supported")
    perm = [d for d in range(nd) if d != axis] + [axis]
    moved = transpose(x, perm) if axis != nd - 1 else x
    values, indices = top_k(moved if largest else m.negative(moved), k)
    if not largest:
        values = m.negative(values)
    if axis != nd - 1:
        back = [0] * nd
        for i, d in enumerate(perm):
            back[d] = i
        values, indices = transpose(values, back), transpose(indices, back)
    return values, indices


def approx_max_k(operand: Any, k: int, reduction_dimension: int = -1, recall_target: float = 0.95,
                 reduction_input_size_override: int = -1, aggregate_to_topk: bool = True,
                 name: str | None = None) -> tuple:
    """The ``k`` largest values along ``reduction_dimension`` and their indices. Exact (recall 1, which
    meets any ``recall_target``): TF's CPU kernel is exact too; its TPU kernel trades recall for speed."""
    return _approx_k(operand, k, reduction_dimension, True, aggregate_to_topk)


def approx_min_k(operand: Any, k: int, reduction_dimension: int = -1, recall_target: float = 0.95,
                 reduction_input_size_override: int = -1, aggregate_to_topk: bool = True,
                 name: str | None = None) -> tuple:
    """The ``k`` smallest values along ``reduction_dimension`` and their indices (exact; see approx_max_k)."""
    return _approx_k(operand, k, reduction_dimension, False, aggregate_to_topk)
