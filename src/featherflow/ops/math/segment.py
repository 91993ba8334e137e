"""Segment reductions (``tf.math.segment_*``, ``unsorted_segment_*``), ``bincount`` and
``confusion_matrix``, with TF's gradients.

>>> import featherflow as tf
>>> tf.math.segment_sum([1, 2, 3, 4], [0, 0, 2, 2]).numpy()
array([3, 0, 7], dtype=int32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...backends import to_numpy
from ...device import _scope
from ...errors import InvalidArgumentError
from ...tensor import Tensor, kernel_error
from .. import dispatch as _dispatch
from ..array.core import fill_op, host_tensor, reshape_op
from ..convert import NUMERIC, REAL, shape_text, tensor
from ..registry import ANY, OPS, register
from . import elementwise as m


def _lowest(dtype: Any) -> Any:
    bf16 = _dtypes.is_bfloat16(dtype)
    return np.finfo(dtype).min if m.is_float(dtype) and not bf16 else (-3.3895314e38 if bf16 else np.iinfo(dtype).min)


def _highest(dtype: Any) -> Any:
    bf16 = _dtypes.is_bfloat16(dtype)
    return np.finfo(dtype).max if m.is_float(dtype) and not bf16 else (3.3895314e38 if bf16 else np.iinfo(dtype).max)


def _reduce_rows(xp: Any, kind: str, data: Any, ids: Any, num: int, empty: Any) -> Any:
    """Reduces the rows of ``data`` ([n, ...]) into ``num`` segments by ``ids`` ([n], each in [0, num) or
    negative to drop). Empty segments hold ``empty``."""
    inner = data.shape[1:]
    if xp is not np:
        return _reduce_rows_on_device(xp, kind, data, ids, num, empty)
    keep = ids >= 0

    if not keep.all():
        data, ids = data[keep], ids[keep]
    out = xp.full((num,) + inner, empty, dtype=data.dtype)
    if ids.size == 0:
        return out
    if ids.size > 1 and (ids[1:] < ids[:-1]).any():
        order = xp.argsort(ids, kind="stable")
        data, ids = data[order], ids[order]
    starts = xp.flatnonzero(xp.concatenate([xp.ones(1, bool), ids[1:] != ids[:-1]]))
    ufunc = {"sum": xp.add, "prod": xp.multiply, "max": xp.maximum, "min": xp.minimum}[kind]
    dtype = data.dtype if data.dtype.kind in "iu" and kind in ("sum", "prod") else None
    out[ids[starts]] = ufunc.reduceat(data, starts, axis=0, dtype=dtype)
    return out


def _reduce_rows_on_device(xp: Any, kind: str, data: Any, ids: Any, num: int, empty: Any) -> Any:
    """``_reduce_rows`` without reading anything back: each row is combined into its segment's (an unbuffered
    ``at``), dropped rows (negative ids, and ids >= num, which TF's GPU kernels ignore) into a spare one."""
    ufunc = {"sum": xp.add, "prod": xp.multiply, "max": xp.maximum, "min": xp.minimum}[kind]
    # (the limits only for max and min: complex sums and products have none)
    identity = 0 if kind == "sum" else 1 if kind == "prod" else (_lowest if kind == "max" else _highest)(data.dtype)
    safe = xp.where((ids >= 0) & (ids < num), ids, num)
    out = xp.full((num + 1,) + data.shape[1:], identity, dtype=data.dtype)
    ufunc.at(out, safe, data)
    out = out[:num]
    if kind in ("max", "min") and empty != identity:  # empty sorted segments hold 0, not the identity
        none = _counts(xp, ids, num) == 0
        out = xp.where(none.reshape(none.shape + (1,) * (out.ndim - 1)), xp.full((), empty, out.dtype), out)
    return out


def _counts(xp: Any, ids: Any, num: int) -> Any:
    # negative ids are counted in a spare bin (a boolean filter would need the count on the host)
    safe = xp.where(ids >= 0, ids, num).astype(np.int64)
    return xp.bincount(safe, minlength=num + 1)[:num]


# --- sorted segments --------------------------------------------------------------------------------


def _segment_kernel(name: str, kind: str, allowed: frozenset) -> Any:
    def forward(xp: Any, data: Any, ids: Any) -> Any:
        # the output's length is data: on a GPU, one explicit read of the last id (as TF's GPU kernel makes)
        last = (ids[-1] if xp is np else to_numpy(ids[-1:])[0]) if ids.size else -1
        num = int(last) + 1
        if kind == "mean":
            total = _reduce_rows(xp, "sum", data, ids, num, 0)
            n = _counts(xp, ids, num).reshape((num,) + (1,) * (data.ndim - 1))
            if data.dtype.kind in "iu":
                return _trunc_div(xp, total, xp.maximum(n, 1)).astype(data.dtype)
            return (total / xp.maximum(n, 1).astype(data.dtype)).astype(data.dtype)
        return _reduce_rows(xp, kind, data, ids, num, 1 if kind == "prod" else 0)

    forward.__name__ = name
    return m.kernel(name, allowed)(forward)


def _trunc_div(xp: Any, a: Any, b: Any) -> Any:
    q = a // b
    return q + ((q * b != a) & ((a < 0) != (b < 0)))


segment_sum_op = _segment_kernel("SegmentSum", "sum", NUMERIC)
segment_mean_op = _segment_kernel("SegmentMean", "mean", NUMERIC)
segment_prod_op = _segment_kernel("SegmentProd", "prod", NUMERIC)
segment_max_op = _segment_kernel("SegmentMax", "max", REAL)
segment_min_op = _segment_kernel("SegmentMin", "min", REAL)


# --- unsorted segments ------------------------------------------------------------------------------


def _unsorted_kernel(name: str, kind: str, allowed: frozenset) -> Any:
    def forward(xp: Any, data: Any, ids: Any, num_segments: int) -> Any:
        flat_data = data.reshape((ids.size,) + data.shape[ids.ndim:])
        if kind in ("max", "min"):
            empty = _lowest(data.dtype) if kind == "max" else _highest(data.dtype)
        else:
            empty = 1 if kind == "prod" else 0
        return _reduce_rows(xp, kind, flat_data, ids.reshape(-1), num_segments, empty)

    forward.__name__ = name
    return m.kernel(name, allowed)(forward)


unsorted_segment_sum_op = _unsorted_kernel("UnsortedSegmentSum", "sum", NUMERIC)
unsorted_segment_prod_op = _unsorted_kernel("UnsortedSegmentProd", "prod", NUMERIC)
unsorted_segment_max_op = _unsorted_kernel("UnsortedSegmentMax", "max", REAL)
unsorted_segment_min_op = _unsorted_kernel("UnsortedSegmentMin", "min", REAL)


@register("GatherDropNegatives", dtypes=ANY)
def gather_rows_op(xp: Any, params: Any, ids: Any) -> Any:
    """``params[ids]`` along axis 0, with zero rows where an id is negative (the segment ops' gradients)."""
    safe = xp.maximum(ids, 0)
    out = params[safe]
    negative = (ids < 0).reshape(ids.shape + (1,) * (out.ndim - ids.ndim))
    return xp.where(negative, xp.zeros((), dtype=out.dtype), out)


@gather_rows_op.gradient
def _(g: Tensor, ans: Tensor, params: Tensor, ids: Tensor) -> tuple:
    return unsorted_segment_sum_op(g, ids, num_segments=np.shape(params._value)[0]), None


@unsorted_segment_sum_op.gradient
def _(g: Tensor, ans: Tensor, data: Tensor, ids: Tensor, num_segments: int) -> tuple:
    return gather_rows_op(g, ids), None


@segment_sum_op.gradient
def _(g: Tensor, ans: Tensor, data: Tensor, ids: Tensor) -> tuple:
    return gather_rows_op(g, ids), None


@segment_mean_op.gradient
def _(g: Tensor, ans: Tensor, data: Tensor, ids: Tensor) -> tuple:
    ones = m.ones_like_op(data)
    return gather_rows_op(m.div_op(g, segment_sum_op(ones, ids)), ids), None


def _minmax_grad(g: Tensor, ans: Tensor, data: Tensor, ids: Tensor, num: int | None) -> Tensor:
    gathered = gather_rows_op(ans, ids)
    is_selected = m.equal_op(data, gathered)
    if num is not None:  # dropped (negative) ids select nothing
        positive = _broadcast_ids(m.greater_equal_op(ids, fill_op(shape=(), value=0, dtype=ids._dtype._np)), data)
        is_selected = m.logical_and_op(is_selected, positive)
    selected = m.cast_like(is_selected, g)
    count = segment_sum_op(selected, ids) if num is None else unsorted_segment_sum_op(selected, ids,
                                                                                     num_segments=num)
    weighted = gather_rows_op(m.div_op(g, count), ids)
    return m.select_op(is_selected, weighted, m.zeros_like_op(weighted))


def _broadcast_ids(mask: Tensor, data: Tensor) -> Tensor:
    """A mask over the ids' shape broadcast over the data's trailing dims."""
    from ..array.core import broadcast_to_op, reshape_op

    extra = np.ndim(data._value) - np.ndim(mask._value)
    kept = reshape_op(mask, shape=np.shape(mask._value) + (1,) * extra) if extra else mask
    return broadcast_to_op(kept, shape=np.shape(data._value))


@segment_max_op.gradient
def _(g: Tensor, ans: Tensor, data: Tensor, ids: Tensor) -> tuple:
    return _minmax_grad(g, ans, data, ids, None), None


@segment_min_op.gradient
def _(g: Tensor, ans: Tensor, data: Tensor, ids: Tensor) -> tuple:
    return _minmax_grad(g, ans, data, ids, None), None


@unsorted_segment_max_op.gradient
def _(g: Tensor, ans: Tensor, data: Tensor, ids: Tensor, num_segments: int) -> tuple:
    return _minmax_grad(g, ans, data, ids, num_segments), None


@unsorted_segment_min_op.gradient
def _(g: Tensor, ans: Tensor, data: Tensor, ids: Tensor, num_segments: int) -> tuple:
    return _minmax_grad(g, ans, data, ids, num_segments), None


def _prod_grad(g: Tensor, ans: Tensor, data: Tensor, ids: Tensor, num: int | None) -> Tensor:
    # TF's rule: divide the product by each element where the segment has no zero; where it has exactly one
    # zero, that element gets the product of the others; with two or more zeros, every gradient is zero
    zero = m.zeros_like_op(data)
    is_zero = m.equal_op(data, zero)
    zeros_i = m.cast_op(is_zero, dtype=np.dtype(np.int32))
    if num is None:
        num_zeros = segment_sum_op(zeros_i, ids)
    else:
        num_zeros = unsorted_segment_sum_op(zeros_i, ids, num_segments=num)
    g = m.select_op(m.greater_op(num_zeros, fill_op(shape=(), value=1, dtype=np.int32)), m.zeros_like_op(g), g)
    non_zero_data = m.select_op(is_zero, m.ones_like_op(data), data)
    if num is None:
        non_zero_prod = segment_prod_op(non_zero_data, ids)
    else:
        non_zero_prod = unsorted_segment_prod_op(non_zero_data, ids, num_segments=num)
    gathered_prod = gather_rows_op(ans, ids)
    gathered_non_zero_prod = gather_rows_op(non_zero_prod, ids)
    by_element = m.div_op(gathered_prod, non_zero_data if num is None else data)
    partial = m.select_op(is_zero, gathered_non_zero_prod, by_element)
    return m.mul_op(gather_rows_op(g, ids), partial)


@segment_prod_op.gradient
def _(g: Tensor, ans: Tensor, data: Tensor, ids: Tensor) -> tuple:
    return _prod_grad(g, ans, data, ids, None), None


@unsorted_segment_prod_op.gradient
def _(g: Tensor, ans: Tensor, data: Tensor, ids: Tensor, num_segments: int) -> tuple:
    return _prod_grad(g, ans, data, ids, num_segments), None


# --- public functions ---------------------------------------------------------------------------------


def _segment(op: Any, data: Any, segment_ids: Any) -> Tensor:
    d, ids = tensor(data), tensor(segment_ids)
    op.check(d, ids)
    ids_shape, d_shape = np.shape(ids._value), np.shape(d._value)
    if len(d_shape) == 0:
        raise kernel_error(op.name, "input must be at least rank 1")
    if len(ids_shape) != 1:
        raise kernel_error(op.name, "segment_ids should be a vector.")
    if ids_shape[0] != d_shape[0]:
        raise kernel_error(op.name, "segment_ids should be the same size as dimension 0 of input.")
    if _scope.device.xp is not np:  # TF's GPU kernels check no id (that would read them back)
        return op(d, ids)
    values = np.asarray(ids._numpy())
    if values.size:
        num = int(values[-1]) + 1
        if (values < 0).any() or values[-1] < 0:
            bad = int(values[values < 0][0])
            raise kernel_error(op.name, f"Segment id {bad} out of range [0, {num}), possibly because "
                                        "'segment_ids' input is not sorted.")
        if (np.diff(values) < 0).any():
            raise kernel_error(op.name, "segment ids are not increasing")
    return op(d, ids)


def segment_sum(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Sums of the rows of ``data`` sharing a (sorted) segment id; empty segments are 0.

    >>> segment_sum([[1, 2], [3, 4], [5, 6]], [0, 0, 1]).numpy().tolist()
    [[4, 6], [5, 6]]
    """
    return _segment(segment_sum_op, data, segment_ids)


def segment_mean(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Means of the rows sharing a (sorted) segment id (truncated for integers); empty segments are 0."""
    return _segment(segment_mean_op, data, segment_ids)


def segment_prod(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Products of the rows sharing a (sorted) segment id; empty segments are 1."""
    return _segment(segment_prod_op, data, segment_ids)


def segment_max(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Maxima of the rows sharing a (sorted) segment id; empty segments are 0."""
    return _segment(segment_max_op, data, segment_ids)


def segment_min(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Minima of the rows sharing a (sorted) segment id; empty segments are 0."""
    return _segment(segment_min_op, data, segment_ids)


def _unsorted(op: Any, data: Any, segment_ids: Any, num_segments: Any) -> Tensor:
    d, ids = tensor(data), tensor(segment_ids)
    op.check(d, ids)
    n = host_tensor(num_segments)
    op.check_attr("Tnumsegments", n._dtype)
    if np.ndim(n._value) != 0:
        raise kernel_error(op.name, f"num_segments should be a scalar, not shape {shape_text(np.shape(n._value))}")
    num = int(n._numpy())
    if num < 0:
        raise kernel_error(op.name, f"Input num_segments == {num} must not be negative.")
    ids_shape, d_shape = np.shape(ids._value), np.shape(d._value)
    if d_shape[:len(ids_shape)] != ids_shape:
        raise kernel_error(op.name, f"data.shape = {shape_text(d_shape)} does not start with segment_ids.shape = "
                                    f"{shape_text(ids_shape)}")
    if _scope.device.xp is not np:  # TF's GPU kernels drop ids >= num_segments instead of reading them back
        return op(d, ids, num_segments=num)
    values = np.asarray(ids._numpy()).ravel()
    over = np.flatnonzero(values >= num)
    if over.size:
        i = int(over[0])
        raise kernel_error(op.name, f"segment_ids[{i}] = {int(values[i])} is out of range [0, {num})")
    return op(d, ids, num_segments=num)


def unsorted_segment_sum(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """Sums of the entries of ``data`` by segment id (any order; negative ids are dropped).

    >>> unsorted_segment_sum([1, 2, 3, 4], [0, 2, -1, 0], 3).numpy()
    array([5, 0, 2], dtype=int32)
    """
    return _unsorted(unsorted_segment_sum_op, data, segment_ids, num_segments)


def unsorted_segment_prod(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """Products by segment id (empty segments are 1)."""
    return _unsorted(unsorted_segment_prod_op, data, segment_ids, num_segments)


def unsorted_segment_max(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """Maxima by segment id (empty segments hold the dtype's lowest value)."""
    return _unsorted(unsorted_segment_max_op, data, segment_ids, num_segments)


def unsorted_segment_min(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """Minima by segment id (empty segments hold the dtype's largest value)."""
    return _unsorted(unsorted_segment_min_op, data, segment_ids, num_segments)


def _segment_n(d: Tensor, segment_ids: Any, num_segments: Any) -> Tensor:
    """The number of entries per segment, at least 1, shaped to broadcast against the sums (TF's helper)."""
    ids = tensor(segment_ids)
    ones = m.ones_like_op(m.cast_op(ids, dtype=d._dtype._np))
    n = _unsorted(unsorted_segment_sum_op, ones, ids, num_segments)
    extra = np.ndim(d._value) - np.ndim(ids._value)
    if extra:
        from ..array.core import reshape_op

        n = reshape_op(n, shape=np.shape(n._value) + (1,) * extra)
    from .api import maximum

    return maximum(n, m.ones_like_op(n))


def unsorted_segment_mean(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """Means by segment id (as ``/``: integers give floats; empty segments are 0)."""
    from .api import truediv

    d = tensor(data)
    total = _unsorted(unsorted_segment_sum_op, d, segment_ids, num_segments)
    return truediv(total, _segment_n(d, segment_ids, num_segments))


def unsorted_segment_sqrt_n(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """Sums by segment id divided by the square root of the segment's size."""
    from .api import sqrt, truediv

    d = tensor(data)
    total = _unsorted(unsorted_segment_sum_op, d, segment_ids, num_segments)
    return truediv(total, sqrt(_segment_n(d, segment_ids, num_segments)))


# --- bincount, confusion_matrix (no gradients) ------------------------------------------------------




@register("DenseBincount", inputs=("Tidx", "T"))
def bincount_op(xp: Any, arr: Any, weights: Any, size: int, binary_output: bool) -> Any:
    # (the wrapper has checked that no value is negative) values >= size are counted in a spare bin
    rows = arr.reshape(-1, arr.shape[-1]) if arr.ndim == 2 else arr.reshape(1, -1)
    w = None if weights.size == 0 else weights.reshape(rows.shape)
    out = xp.zeros((rows.shape[0], size), dtype=weights.dtype)
    for i in range(rows.shape[0]):
        row = xp.minimum(rows[i], size).astype(np.int64)
        counts = xp.bincount(row, weights=None if w is None or binary_output else w[i].astype(np.float64),
                             minlength=size + 1)[:size]
        out[i] = (counts > 0) if binary_output else counts
    return out if arr.ndim == 2 else out[0]


@_dispatch.add_dispatch_support  # (a SparseTensor or RaggedTensor ``arr``: their packages register overrides)
def bincount(arr: Any, weights: Any = None, minlength: Any = None, maxlength: Any = None,
             dtype: Any = _dtypes.int32, name: str | None = None, axis: Any = None,
             binary_output: bool = False) -> Tensor:
    """Counts of each non-negative integer in ``arr`` (or sums of ``weights``), up to max(arr) + 1 bins.

    >>> bincount([1, 1, 3]).numpy()
    array([0, 2, 0, 1], dtype=int32)
    """
    a = tensor(arr)
    w = None if weights is None else tensor(weights)
    if w is not None and binary_output:
        raise ValueError("Arguments `binary_output` and `weights` are mutually exclusive. Please specify only one.")
    if a._dtype not in m.INTS:
        a = m.cast_op(a, dtype=np.dtype(np.int32))
    axis = 0 if axis is None else axis
    if axis not in (0, -1):
        raise ValueError(f"Unsupported value for argument axis={axis}. Only 0 and -1 are currently supported.")
    bincount_op.check_attr("Tidx", a._dtype)
    values = np.asarray(a._numpy())
    size = int(values.max()) + 1 if values.size else 0
    if minlength is not None:
        size = max(int(host_tensor(minlength, a._dtype)._numpy()), size)
    if maxlength is not None:
        size = min(int(host_tensor(maxlength, a._dtype)._numpy()), size)
    if axis == 0 and values.ndim != 1:
        a = reshape_op(a, shape=(values.size,))
        if w is not None:
            w = reshape_op(w, shape=(w._value.size,))
    if w is None:
        w = fill_op(shape=(0,), value=0, dtype=_dtypes.as_dtype(dtype)._np)
    bincount_op.check_attr("T", w._dtype)
    if w._value.size and np.shape(w._value) != np.shape(a._value):
        raise kernel_error("DenseBincount", "`weights` must be the same shape as `arr` or a length-0 `Tensor`, in "
                                            f"which case it acts as all weights equal to 1. Received "
                                            f"{shape_text(np.shape(w._value))}")
    if values.size and (values < 0).any():
        raise kernel_error("DenseBincount", "Input arr must be non-negative!")
    return bincount_op(a, w, size=max(size, 0), binary_output=bool(binary_output))


@register("ConfusionMatrix", dtypes=ANY)
def confusion_matrix_op(xp: Any, pairs: Any, values: Any, num_classes: int) -> Any:
    out = xp.zeros((num_classes, num_classes), values.dtype)
    xp.add.at(out, (pairs[..., 0].ravel(), pairs[..., 1].ravel()), values.ravel())
    return out


@confusion_matrix_op.gradient
def _(g: Tensor, ans: Tensor, pairs: Tensor, values: Tensor, num_classes: int) -> tuple:
    # TF's confusion_matrix is a ScatterNd of the weights: their gradient is GatherNd's
    return None, OPS["GatherNd"](g, pairs)


def _check_non_negative(x: np.ndarray, what: str) -> None:
    if (x < 0).any():
        shown = "[" + ", ".join(repr(str(v)) for v in x.ravel()[:3]) + "]"
        raise InvalidArgumentError(None, None, f"`{what}` contains negative values.  \nCondition x >= 0 did not hold "
                                               f"element-wise:\nx (shape={x.shape} dtype=int64) = \n{shown}")


def _check_less(x: np.ndarray, n: int, what: str) -> None:
    if (x >= n).any():
        raise InvalidArgumentError(None, None, f"`{what}` out of bound\nCondition x < y did not hold.\nFirst "
                                               f"{min(x.size, 3)} elements of x:\n{x.ravel()[:3]}\nFirst 1 elements "
                                               f"of y:\n[{n}]")


def confusion_matrix(labels: Any, predictions: Any, num_classes: Any = None, weights: Any = None,
                     dtype: Any = _dtypes.int32, name: str | None = None) -> Tensor:
    """The [num_classes, num_classes] matrix counting (label, prediction) pairs (or summing ``weights``).

    >>> confusion_matrix([0, 1, 2], [0, 2, 2]).numpy().tolist()
    [[1, 0, 0], [0, 0, 1], [0, 0, 1]]
    """
    dtype = _dtypes.as_dtype(dtype)
    lab = np.asarray(m.cast_op(tensor(labels), dtype=np.dtype(np.int64))._numpy())
    pred = np.asarray(m.cast_op(tensor(predictions), dtype=np.dtype(np.int64))._numpy())
    if lab.ndim == pred.ndim + 1 and lab.shape[-1:] == (1,):  # TF squeezes a trailing 1 off the longer one
        lab = lab[..., 0]
    elif pred.ndim == lab.ndim + 1 and pred.shape[-1:] == (1,):
        pred = pred[..., 0]
    _check_non_negative(lab, "labels")
    _check_non_negative(pred, "predictions")
    if num_classes is None:
        n = int(max(pred.max(initial=np.iinfo(np.int64).min), lab.max(initial=np.iinfo(np.int64).min))) + 1
    else:
        n = int(np.asarray(tensor(num_classes)._numpy()))
        _check_less(lab, n, "labels")
        _check_less(pred, n, "predictions")
    if n < 0:
        raise kernel_error("ScatterNd", f"Dimension {n} must be >= 0")
    if lab.shape != pred.shape:
        raise kernel_error("Pack", f"Shapes of all inputs must match: values[0].shape = {shape_text(lab.shape)} != "
                                   f"values[1].shape = {shape_text(pred.shape)}", name="stack")
    pairs = np.stack([lab, pred], axis=1)
    if pairs.shape[-1] != 2:
        raise kernel_error("ScatterNd", "The inner 1 dimensions of output.shape=[...] must match the inner "
                                        f"{pairs.ndim - 1} dimensions of updates.shape")
    if weights is None:
        values = np.ones(pairs.shape[:-1], dtype._np)
    else:
        values = reshape_op(m.cast_op(tensor(weights), dtype=dtype._np), shape=pairs.shape[:-1])  # on the tape
    return confusion_matrix_op(tensor(pairs), tensor(values), num_classes=n)
