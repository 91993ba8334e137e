"""The sparse ops' kernels, under TF's op names, with their gradients.

A SparseTensor's indices and values live on the device; its dense shape is host data (TF keeps it in host
memory on a GPU too), so it reaches the kernels as an attr (``shape``) rather than as an input. Kernels
compute only through ``xp``: an entry's place is its row-major linear offset (its "key"), which sorts, merges
and groups entries without reading anything back. Some kernels return extra int64 outputs (a permutation, a
key per entry) that the public wrappers drop and the gradient rules use, instead of recomputing them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import Tensor
from ..array.core import reshape_op
from ..array.gather import gather_nd_op, gather_op
from ..math.elementwise import sub_op
from ..math.reduce import sum_op
from ..math.segment import unsorted_segment_sum_op
from ..registry import ANY, register


def keys(xp: Any, indices: Any, shape: tuple) -> Any:
    """The row-major offset of each entry of ``indices`` ([n, rank]) in a dense tensor of ``shape``."""
    if not shape:
        return xp.zeros(indices.shape[0], dtype=np.int64)
    k = indices[:, 0]
    for d in range(1, len(shape)):
        k = k * shape[d] + indices[:, d]
    return k


def unkeys(xp: Any, k: Any, shape: tuple) -> Any:
    """The indices ([n, rank]) of the row-major offsets ``k`` in a dense tensor of ``shape``."""
    cols = []
    for d in range(len(shape) - 1, -1, -1):
        cols.append(k % shape[d] if d else k)
        k = k // shape[d]
    return xp.stack(cols[::-1], axis=1).astype(np.int64) if cols else xp.zeros((k.shape[0], 0), np.int64)


# --- to dense, reorder ------------------------------------------------------------------------------


# TF's SparseToDense takes the dense shape as an input; here it is an attr (the forward allocates with it).
@register("SparseToDense", inputs=("Tindices", "T", "T"))
def sparse_to_dense_op(xp: Any, indices: Any, values: Any, default_value: Any, shape: tuple) -> Any:
    out = xp.empty(shape, dtype=values.dtype)
    out[...] = default_value
    if indices.shape[0]:
        out[tuple(indices[:, d] for d in range(indices.shape[1]))] = values
    return out


@sparse_to_dense_op.gradient
def _(g: Tensor, ans: Tensor, indices: Tensor, values: Tensor, default_value: Tensor, shape: tuple) -> tuple:
    values_grad = gather_nd_op(g, indices)  # TF's _SparseToDenseGrad
    return None, values_grad, sub_op(sum_op(g), sum_op(values_grad))


@register("SparseReorder", n_outputs=3, inputs=("", "T"))
def sparse_reorder_op(xp: Any, indices: Any, values: Any, shape: tuple) -> tuple:
    """(indices, values, the permutation that sorted them)."""
    order = xp.argsort(keys(xp, indices, shape), kind="stable")
    return indices[order], values[order], order


@sparse_reorder_op.gradient
def _(gs: tuple, ans: tuple, indices: Tensor, values: Tensor, shape: tuple) -> tuple:
    # entry i of the output came from entry order[i] of the input (TF's _SparseReorderGrad inverts it)
    return None, unsorted_segment_sum_op(gs[1], ans[2], num_segments=int(values.shape[0]))


# --- sparse + sparse, sparse + dense ----------------------------------------------------------------


def _merge(xp: Any, a_idx: Any, a_val: Any, b_idx: Any, b_val: Any, shape: tuple) -> tuple:
    """Both operands' entries in row-major order (a's before b's at equal places), and which pairs coincide:
    (indices, values, first-of-a-pair mask, second-of-a-pair mask)."""
    k = xp.concatenate([keys(xp, a_idx, shape), keys(xp, b_idx, shape)])
    order = xp.argsort(k, kind="stable")
    ks = k[order]
    same = ks[1:] == ks[:-1]
    no = xp.zeros(min(1, k.shape[0]), dtype=bool)  # (no entries at all: no pairs)
    first, second = xp.concatenate([same, no]), xp.concatenate([no, same])
    return xp.concatenate([a_idx, b_idx])[order], xp.concatenate([a_val, b_val])[order], first, second


# the threshold is an attr (a host number: TF keeps it in host memory), checked as ``Treal`` by the wrapper
@register("SparseAdd", n_outputs=2, inputs=("", "T", "", "T"))
def sparse_add_op(xp: Any, a_idx: Any, a_val: Any, b_idx: Any, b_val: Any, shape: tuple, thresh: Any) -> tuple:
    idx, val, first, second = _merge(xp, a_idx, a_val, b_idx, b_val, shape)
    summed = val + xp.concatenate([val[1:], xp.zeros(min(1, val.shape[0]), dtype=val.dtype)])
    # as TF's merge: only the sums of coinciding entries are held to the threshold
    keep = ~second & (~first | (xp.abs(summed) >= thresh))
    return idx[keep], xp.where(first, summed, val)[keep]


@sparse_add_op.gradient
def _(gs: tuple, ans: tuple, a_idx: Tensor, a_val: Tensor, b_idx: Tensor, b_val: Tensor, shape: tuple,
      thresh: Any) -> tuple:
    ga, gb = sparse_add_grad_op(gs[1], a_idx, b_idx, ans[0], shape=shape)
    return None, ga, None, gb


@register("SparseAddGrad", n_outputs=2, differentiable=False, inputs=("T", "", "", ""))
def sparse_add_grad_op(xp: Any, g: Any, a_idx: Any, b_idx: Any, sum_idx: Any, shape: tuple) -> tuple:
    """Each operand entry's share of the gradient of the sum's values (0 where the threshold dropped it)."""
    sk = keys(xp, sum_idx, shape)
    order = xp.argsort(sk)
    sk = sk[order]

    def share(idx: Any) -> Any:
        k = keys(xp, idx, shape)
        pos = xp.minimum(xp.searchsorted(sk, k), max(sk.shape[0] - 1, 0))
        if not sk.shape[0]:
            return xp.zeros(k.shape[0], dtype=g.dtype)
        found = sk[pos] == k
        return xp.where(found, g[order[pos]], xp.zeros((), dtype=g.dtype))

    return share(a_idx), share(b_idx)


@register("SparseTensorDenseAdd", inputs=("Tindices", "T", "T"))
def sparse_dense_add_op(xp: Any, idx: Any, val: Any, dense: Any) -> Any:
    out = dense.copy()
    if idx.shape[0]:
        xp.add.at(out, tuple(idx[:, d] for d in range(idx.shape[1])), val)
    return out


@sparse_dense_add_op.gradient
def _(g: Tensor, ans: Tensor, idx: Tensor, val: Tensor, dense: Tensor) -> tuple:
    return None, gather_nd_op(g, idx), g  # TF's _SparseTensorDenseAddGrad


@register("SparseSparseMaximum", n_outputs=2, inputs=("", "T", "", "T"))
def sparse_maximum_op(xp: Any, a_idx: Any, a_val: Any, b_idx: Any, b_val: Any, shape: tuple) -> tuple:
    return _extremum(xp, xp.maximum, a_idx, a_val, b_idx, b_val, shape)


@register("SparseSparseMinimum", n_outputs=2, inputs=("", "T", "", "T"))
def sparse_minimum_op(xp: Any, a_idx: Any, a_val: Any, b_idx: Any, b_val: Any, shape: tuple) -> tuple:
    return _extremum(xp, xp.minimum, a_idx, a_val, b_idx, b_val, shape)


@sparse_maximum_op.gradient
def _(gs: tuple, ans: tuple, *inputs: Any, **attrs: Any) -> tuple:
    raise NotImplementedError("Gradient for SparseSparseMaximum is not implemented.")


@sparse_minimum_op.gradient
def _(gs: tuple, ans: tuple, *inputs: Any, **attrs: Any) -> tuple:
    raise NotImplementedError("Gradient for SparseSparseMinimum is not implemented.")


def _extremum(xp: Any, pick: Any, a_idx: Any, a_val: Any, b_idx: Any, b_val: Any, shape: tuple) -> tuple:
    # an entry present in one operand only meets the other's implicit zero
    idx, val, first, second = _merge(xp, a_idx, a_val, b_idx, b_val, shape)
    zero = xp.zeros(min(1, val.shape[0]), dtype=val.dtype)
    other = xp.where(first, xp.concatenate([val[1:], zero]), xp.zeros((), dtype=val.dtype))
    return idx[~second], pick(val, other)[~second]


# --- products and elementwise with dense ------------------------------------------------------------


@register("SparseTensorDenseMatMul", inputs=("Tindices", "T", "T"))
def sparse_dense_matmul_op(xp: Any, idx: Any, val: Any, b: Any, shape: tuple, adjoint_a: bool,
                           adjoint_b: bool) -> Any:
    rows, cols = (idx[:, 1], idx[:, 0]) if adjoint_a else (idx[:, 0], idx[:, 1])
    if adjoint_a:
        val = xp.conj(val)
    right = xp.conj(b.T) if adjoint_b else b
    out = xp.zeros((shape[1] if adjoint_a else shape[0], right.shape[1]), dtype=b.dtype)
    xp.add.at(out, rows, val[:, None] * right[cols])
    return out


@sparse_dense_matmul_op.gradient
def _(g: Tensor, ans: Tensor, idx: Tensor, val: Tensor, b: Tensor, shape: tuple, adjoint_a: bool,
      adjoint_b: bool) -> tuple:
    # TF's _SparseTensorDenseMatMulGrad
    b_grad = sparse_dense_matmul_op(idx, val, g, shape=shape, adjoint_a=not adjoint_a, adjoint_b=False)
    if adjoint_b:
        b_grad = _conj_t(b_grad)
    rows, cols = idx[:, 0], idx[:, 1]
    parts_a = gather_op(g, cols if adjoint_a else rows, axis=0, batch_dims=0)
    parts_b = gather_op(_t(b) if adjoint_b else b, rows if adjoint_a else cols, axis=0, batch_dims=0)
    # TF's batched matmuls of the parts, conjugating a's part when a is adjointed and b's when both or neither are
    if adjoint_a:
        parts_a = _conj(parts_a)
    if adjoint_a == adjoint_b:
        parts_b = _conj(parts_b)
    return None, sum_op(parts_a * parts_b, axis=(1,), keepdims=False), b_grad


def _t(x: Tensor) -> Tensor:
    from ..array.core import transpose_op
    return transpose_op(x, perm=(1, 0))


def _conj(x: Tensor) -> Tensor:
    from ..math.elementwise import conj
    return conj(x)


def _conj_t(x: Tensor) -> Tensor:
    return _conj(_t(x))


def _dense_at(xp: Any, idx: Any, dense: Any, shape: tuple) -> Any:
    """The dense operand's value at each sparse entry (the dense operand broadcast to ``shape``)."""
    full = xp.broadcast_to(dense, shape)
    return full[tuple(idx[:, d] for d in range(idx.shape[1]))]


def _cwise(name: str, combine: Any) -> Any:
    @register(name, inputs=("", "T", "T"))
    def op(xp: Any, idx: Any, val: Any, dense: Any, shape: tuple) -> Any:
        return combine(xp, val, _dense_at(xp, idx, dense, shape))

    return op


sparse_dense_cwise_mul_op = _cwise("SparseDenseCwiseMul", lambda xp, v, d: v * d)
sparse_dense_cwise_div_op = _cwise("SparseDenseCwiseDiv", lambda xp, v, d: _truediv(xp, v, d))
sparse_dense_cwise_add_op = _cwise("SparseDenseCwiseAdd", lambda xp, v, d: v + d)


def _truediv(xp: Any, v: Any, d: Any) -> Any:
    if v.dtype.kind in "iu":  # TF's integer division truncates (its cwise Div for integers)
        q = xp.abs(v) // xp.abs(d)
        return (q * xp.sign(v) * xp.sign(d)).astype(v.dtype)
    return v / d


@register("SparseDenseCwiseGather", dtypes=ANY, inputs=("", "T"))
def dense_at_op(xp: Any, idx: Any, dense: Any, shape: tuple) -> Any:
    """The dense operand broadcast to ``shape`` and gathered at the entries (the cwise gradients)."""
    return _dense_at(xp, idx, dense, shape)


@dense_at_op.gradient
def _(g: Tensor, ans: Tensor, idx: Tensor, dense: Tensor, shape: tuple) -> tuple:
    from ..array.gather import gather_nd_grad_op
    full = gather_nd_grad_op(g, idx, shape=shape)
    lead = len(shape) - len(dense.shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, d in enumerate(dense.shape) if d == 1 and shape[lead + i] != 1)
    out = sum_op(full, axis=axes, keepdims=False) if axes else full
    return None, reshape_op(out, shape=tuple(dense.shape))


def _cwise_grad(is_mul: bool) -> Any:
    def rule(g: Tensor, ans: Tensor, idx: Tensor, val: Tensor, dense: Tensor, shape: tuple) -> tuple:
        at = dense_at_op(idx, dense, shape=shape)
        if is_mul:
            return None, g * at, _scatter_back(g * val, idx, dense, shape)
        return None, g / at, _scatter_back(g * (-val / (at * at)), idx, dense, shape)

    return rule


def _scatter_back(per_entry: Tensor, idx: Tensor, dense: Tensor, shape: tuple) -> Tensor:
    from ..array.gather import gather_nd_grad_op
    full = gather_nd_grad_op(per_entry, idx, shape=shape)
    lead = len(shape) - len(dense.shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, d in enumerate(dense.shape) if d == 1 and shape[lead + i] != 1)
    out = sum_op(full, axis=axes, keepdims=False) if axes else full
    return reshape_op(out, shape=tuple(dense.shape))


sparse_dense_cwise_mul_op.gradient(_cwise_grad(True))
sparse_dense_cwise_div_op.gradient(_cwise_grad(False))


@sparse_dense_cwise_add_op.gradient
def _(g: Tensor, ans: Tensor, idx: Tensor, val: Tensor, dense: Tensor, shape: tuple) -> tuple:
    raise NotImplementedError("Gradient for SparseDenseCwiseAdd is not implemented.")


# --- reductions and softmax ---------------------------------------------------------------------------


def _reduced(shape: tuple, axes: tuple) -> tuple:
    return tuple(1 if d in axes else n for d, n in enumerate(shape))


@register("SparseReduceSum", n_outputs=2, inputs=("", "T"))
def sparse_reduce_sum_op(xp: Any, idx: Any, val: Any, shape: tuple, axes: tuple) -> tuple:
    """(the sums, with the reduced axes kept as 1s; each entry's offset in them)."""
    kept = _reduced(shape, axes)
    k = keys(xp, _masked_cols(xp, idx, axes), kept)
    out = xp.zeros(int(np.prod(kept)), dtype=val.dtype)
    xp.add.at(out, k, val)
    return out.reshape(kept), k


def _masked_cols(xp: Any, idx: Any, axes: tuple) -> Any:
    """``idx`` with the columns of ``axes`` zeroed."""
    if not axes:
        return idx
    cols = [xp.zeros_like(idx[:, d]) if d in axes else idx[:, d] for d in range(idx.shape[1])]
    return xp.stack(cols, axis=1) if cols else idx


@sparse_reduce_sum_op.gradient
def _(gs: tuple, ans: tuple, idx: Tensor, val: Tensor, shape: tuple, axes: tuple) -> tuple:
    return None, gather_op(reshape_op(gs[0], shape=(-1,)), ans[1], axis=0, batch_dims=0)


@register("SparseReduceMax", inputs=("", "T"))
def sparse_reduce_max_op(xp: Any, idx: Any, val: Any, shape: tuple, axes: tuple) -> Any:
    kept = _reduced(shape, axes)
    k = keys(xp, _masked_cols(xp, idx, axes), kept)
    size = int(np.prod(kept))
    lowest = -np.inf if val.dtype.kind in "fc" else np.iinfo(val.dtype).min
    out = xp.full(size, lowest, dtype=val.dtype)
    xp.maximum.at(out, k, val)
    count = xp.zeros(size, dtype=np.int64)
    xp.add.at(count, k, 1)
    return xp.where(count > 0, out, xp.zeros((), dtype=val.dtype)).reshape(kept)  # TF: an empty group is 0


@register("SparseReduceSumSparse", n_outputs=2, inputs=("", "T"))
def sparse_reduce_sum_sparse_op(xp: Any, idx: Any, val: Any, shape: tuple, axes: tuple, out_shape: tuple) -> tuple:
    return _group(xp, "sum", idx, val, shape, axes, out_shape)


@register("SparseReduceMaxSparse", n_outputs=2, inputs=("", "T"))
def sparse_reduce_max_sparse_op(xp: Any, idx: Any, val: Any, shape: tuple, axes: tuple, out_shape: tuple) -> tuple:
    return _group(xp, "max", idx, val, shape, axes, out_shape)


def _group(xp: Any, kind: str, idx: Any, val: Any, shape: tuple, axes: tuple, out_shape: tuple) -> tuple:
    """The entries reduced over ``axes`` into sparse groups, in row-major order (indices over ``out_shape``)."""
    kept = tuple(n for d, n in enumerate(shape) if d not in axes)
    rest = [idx[:, d] for d in range(len(shape)) if d not in axes]
    k = keys(xp, xp.stack(rest, axis=1), kept) if rest else xp.zeros(idx.shape[0], dtype=np.int64)
    uniq, inverse = xp.unique(k, return_inverse=True)
    if kind == "sum":
        out = xp.zeros(uniq.shape[0], dtype=val.dtype)
        xp.add.at(out, inverse.reshape(-1), val)
    else:
        lowest = -np.inf if val.dtype.kind in "fc" else np.iinfo(val.dtype).min
        out = xp.full(uniq.shape[0], lowest, dtype=val.dtype)
        xp.maximum.at(out, inverse.reshape(-1), val)
    return unkeys(xp, uniq, out_shape), out


@register("SparseSoftmax", inputs=("", "T"))
def sparse_softmax_op(xp: Any, idx: Any, val: Any, shape: tuple) -> Any:
    # the groups are the entries sharing all but the last index
    lead = shape[:-1]
    k = keys(xp, idx[:, :-1], lead) if lead else xp.zeros(idx.shape[0], dtype=np.int64)
    size = max(int(np.prod(lead)), 1)
    top = xp.full(size, -np.inf, dtype=val.dtype)
    xp.maximum.at(top, k, val)
    e = xp.exp(val - top[k])
    total = xp.zeros(size, dtype=val.dtype)
    xp.add.at(total, k, e)
    return e * (1 / total)[k]  # a product with the reciprocal, as TF's kernel (the roundings differ)


@sparse_softmax_op.gradient
def _(g: Tensor, ans: Tensor, idx: Tensor, val: Tensor, shape: tuple) -> tuple:
    # TF's _SparseSoftmaxGrad: (g - sum over the row of g * softmax) * softmax
    row_sums, offsets = sparse_reduce_sum_op(idx, g * ans, shape=shape, axes=(len(shape) - 1,))
    per_entry = gather_op(reshape_op(row_sums, shape=(-1,)), offsets, axis=0, batch_dims=0)
    return None, (g - per_entry) * ans
