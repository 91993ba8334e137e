"""The sparse ops that move entries around (reshape, slice, concat, split, fill_empty_rows) and the sparse
segment reductions, under TF's op names, with their gradients.

As in ``kernels``, dense shapes are attrs (host data), and a kernel may return an extra int64 output (where
each output entry came from) that its gradient rule uses and the public wrapper drops.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import Tensor
from ..array.gather import gather_op
from ..math.segment import unsorted_segment_sum_op
from ..registry import ANY, register
from .kernels import keys, unkeys


@register("SparseReshape", inputs=("",))
def sparse_reshape_op(xp: Any, idx: Any, shape: tuple, new_shape: tuple) -> Any:
    return unkeys(xp, keys(xp, idx, shape), new_shape)


@register("SparseSlice", n_outputs=3, inputs=("", "T"))
def sparse_slice_op(xp: Any, idx: Any, val: Any, start: tuple, size: tuple) -> tuple:
    """(indices, values, where each kept entry was in the input)."""
    inside = xp.ones(idx.shape[0], dtype=bool)
    for d, (s, n) in enumerate(zip(start, size)):
        inside &= (idx[:, d] >= s) & (idx[:, d] < s + n)
    where = xp.flatnonzero(inside)
    kept = idx[where]
    if kept.shape[1]:
        kept = xp.stack([kept[:, d] - s for d, s in enumerate(start)], axis=1)
    return kept, val[where], where.astype(np.int64)


@sparse_slice_op.gradient
def _(gs: tuple, ans: tuple, idx: Tensor, val: Tensor, start: tuple, size: tuple) -> tuple:
    return None, unsorted_segment_sum_op(gs[1], ans[2], num_segments=int(val.shape[0]))


@register("SparseConcat", n_outputs=2, differentiable=False, inputs=("*",))
def sparse_concat_op(xp: Any, *arrays: Any, shapes: tuple, concat_dim: int) -> tuple:
    """``arrays``: every input's indices, then every input's values; the output in row-major order."""
    n = len(arrays) // 2
    offsets = np.cumsum([0] + [s[concat_dim] for s in shapes[:-1]])
    parts = []
    for i in range(n):
        idx = arrays[i]
        if offsets[i]:
            shift = xp.zeros(idx.shape[1], dtype=np.int64)
            shift[concat_dim] = int(offsets[i])
            idx = idx + shift
        parts.append(idx)
    idx, val = xp.concatenate(parts), xp.concatenate(arrays[n:])
    out_shape = list(shapes[0])
    out_shape[concat_dim] = int(sum(s[concat_dim] for s in shapes))
    order = xp.argsort(keys(xp, idx, tuple(out_shape)), kind="stable")
    return idx[order], val[order]


@register("SparseSplit", n_outputs=0, inputs=("", "T"))
def sparse_split_op(xp: Any, idx: Any, val: Any, axis: int, bounds: tuple) -> tuple:
    """(indices, values) of each piece: the entries with ``bounds[i] <= index[axis] < bounds[i + 1]``."""
    out = []
    column = idx[:, axis]
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        where = xp.flatnonzero((column >= lo) & (column < hi))
        piece = idx[where]
        if lo:
            shift = xp.zeros(idx.shape[1], dtype=np.int64)
            shift[axis] = lo
            piece = piece - shift
        out += [piece, val[where]]
    return tuple(out)


@register("SparseFillEmptyRows", n_outputs=4, inputs=("", "T", "T"))
def sparse_fill_empty_rows_op(xp: Any, idx: Any, val: Any, default: Any, shape: tuple) -> tuple:
    """(indices, values, empty_row_indicator, reverse_index_map), the output in row-major order."""
    rows = shape[0]
    count = xp.zeros(rows, dtype=np.int64)
    xp.add.at(count, idx[:, 0], 1)
    empty = count == 0
    new_rows = xp.flatnonzero(empty).astype(np.int64)
    filler = xp.zeros((new_rows.shape[0], idx.shape[1]), dtype=np.int64)
    filler[:, 0] = new_rows
    all_idx = xp.concatenate([idx, filler])
    all_val = xp.concatenate([val, xp.broadcast_to(default, new_rows.shape).astype(val.dtype)])
    order = xp.argsort(keys(xp, all_idx, shape), kind="stable")
    position = xp.empty_like(order)
    position[order] = xp.arange(order.shape[0], dtype=order.dtype)
    return all_idx[order], all_val[order], empty, position[:idx.shape[0]].astype(np.int64)


@sparse_fill_empty_rows_op.gradient
def _(gs: tuple, ans: tuple, idx: Tensor, val: Tensor, default: Tensor, shape: tuple) -> tuple:
    d_values, d_default = sparse_fill_empty_rows_grad_op(ans[3], gs[1])
    return None, d_values, d_default


@register("SparseFillEmptyRowsGrad", n_outputs=2)  # TF registers no gradient for it
def sparse_fill_empty_rows_grad_op(xp: Any, reverse_index_map: Any, grad_values: Any) -> tuple:
    d_values = grad_values[reverse_index_map]
    return d_values, grad_values.sum() - d_values.sum()


# --- sparse segment reductions ------------------------------------------------------------------------


def _segment_forward(kind: str) -> Any:
    def forward(xp: Any, data: Any, indices: Any, ids: Any, num: int) -> Any:
        rows = data[indices]
        out = xp.zeros((num,) + data.shape[1:], dtype=data.dtype)
        xp.add.at(out, ids, rows)
        if kind == "sum":
            return out
        # a product with the reciprocal, as TF's kernel (not a quotient: the roundings differ)
        count = xp.zeros(num, dtype=data.dtype)
        xp.add.at(count, ids, xp.ones((), dtype=data.dtype))
        scale = xp.maximum(count, 1) if kind == "mean" else xp.sqrt(xp.maximum(count, 1))
        return out * (1 / scale).astype(data.dtype).reshape((num,) + (1,) * (data.ndim - 1))

    return forward


def _segment_op(name: str, kind: str) -> Any:
    op = register(name, inputs=("T", "Tidx", "Tsegmentids"))(_segment_forward(kind))

    @op.gradient
    def _(g: Tensor, ans: Tensor, data: Tensor, indices: Tensor, ids: Tensor, num: int) -> tuple:
        # TF's SparseSegment*Grad: each selected row gets its segment's gradient (scaled), summed into data
        rows = gather_op(g, ids, axis=0, batch_dims=0)
        if kind != "sum":
            scale = segment_scale_op(ids, g, num=num, kind=kind)
            rows = rows / gather_op(scale, ids, axis=0, batch_dims=0)
        return unsorted_segment_sum_op(rows, indices, num_segments=int(data.shape[0])), None, None

    return op


@register("SparseSegmentScale", differentiable=False, dtypes=ANY)
def segment_scale_op(xp: Any, ids: Any, like: Any, num: int, kind: str) -> Any:
    """Each segment's divisor, shaped to broadcast against rows of ``like``: its count (mean) or its root
    (sqrt_n), 1 for an empty segment."""
    count = xp.zeros(num, dtype=like.dtype)
    xp.add.at(count, ids, xp.ones((), dtype=like.dtype))
    scale = xp.maximum(count, 1) if kind == "mean" else xp.sqrt(xp.maximum(count, 1))
    return scale.reshape((num,) + (1,) * (like.ndim - 1))


sparse_segment_sum_op = _segment_op("SparseSegmentSum", "sum")
sparse_segment_mean_op = _segment_op("SparseSegmentMean", "mean")
sparse_segment_sqrt_n_op = _segment_op("SparseSegmentSqrtN", "sqrt_n")
sparse_segment_sum_n_op = _segment_op("SparseSegmentSumWithNumSegments", "sum")
sparse_segment_mean_n_op = _segment_op("SparseSegmentMeanWithNumSegments", "mean")
sparse_segment_sqrt_n_n_op = _segment_op("SparseSegmentSqrtNWithNumSegments", "sqrt_n")
