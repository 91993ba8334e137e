"""Losses and layers built on the nn ops (``tf.nn``): softmax and sigmoid cross entropies, dropout, moments,
batch_normalization, embedding_lookup.

>>> import featherflow as tf
>>> tf.nn.softmax_cross_entropy_with_logits([1.0, 0.0], [0.0, 0.0]).numpy()
np.float32(0.6931472)
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor
from .._kernel_errors import kernel_error
from ..convert import shape_text, tensor
from ..registry import register
from .core import _const, _shifted, _wide, log_softmax_op, softmax_op

_d = _dtypes


def _xent_rows(xp: Any, logits: Any) -> tuple:
    shifted = _shifted(xp, logits, -1)
    log_sum = xp.log(xp.exp(shifted).sum(axis=-1, keepdims=True))
    return shifted - log_sum  # log-softmax


@register("SoftmaxCrossEntropyWithLogits", n_outputs=2)
def softmax_xent_op(xp: Any, logits: Any, labels: Any) -> Any:
    logp = _xent_rows(xp, logits)
    lab = _wide(labels)
    loss = -(lab * logp).sum(axis=-1)
    return loss.astype(logits.dtype), (xp.exp(logp) - lab).astype(logits.dtype)


def _xent_grad(gs: tuple, ans: tuple, logits: Tensor) -> Tensor:
    from ..array.core import reshape_op
    from ..math.reduce import sum_op

    grad_loss, grad_grad = gs
    grad = None
    if grad_loss is not None:
        grad = reshape_op(grad_loss, shape=grad_loss._value.shape + (1,)) * ans[1]
    if grad_grad is not None:
        sm = softmax_op(logits, axis=-1)
        extra = (grad_grad - sum_op(grad_grad * sm, axis=(1,), keepdims=True)) * sm
        grad = extra if grad is None else grad + extra
    return grad


@softmax_xent_op.gradient
def _(gs: tuple, ans: tuple, logits: Tensor, labels: Tensor) -> tuple:
    from ..array.core import reshape_op

    grad = _xent_grad(gs, ans, logits)
    if gs[0] is None:
        return grad, None
    return grad, reshape_op(gs[0], shape=gs[0]._value.shape + (1,)) * -log_softmax_op(logits, axis=-1)


@register("SparseSoftmaxCrossEntropyWithLogits", n_outputs=2)
def sparse_softmax_xent_op(xp: Any, logits: Any, labels: Any) -> Any:
    if xp is np:  # TF's CPU kernel checks the labels; its GPU kernel gives NaN for a bad one (no host copy)
        bad = (labels < 0) | (labels >= logits.shape[1])
        if bad.any():
            raise kernel_error("SparseSoftmaxCrossEntropyWithLogits", f"Received a label value of {labels[bad][0]} "
                               f"which is outside the valid range of [0, {logits.shape[1]}).  Label values: "
                               f"{' '.join(str(v) for v in labels)}")
    logp = _xent_rows(xp, logits)
    rows = xp.arange(logits.shape[0])
    if xp is not np:
        # TF's GPU kernel does not check the labels (the CPU's wrapper does, on the host): a row whose label is
        # out of range gets NaN loss and gradient
        valid = (labels >= 0) & (labels < logits.shape[1])
        labels = xp.where(valid, labels, 0)
        logp = xp.where(valid[:, None], logp, xp.full((), np.nan, dtype=logp.dtype))
    loss = -logp[rows, labels]
    back = xp.exp(logp)
    back[rows, labels] -= 1
    return loss.astype(logits.dtype), back.astype(logits.dtype)


@sparse_softmax_xent_op.gradient
def _(gs: tuple, ans: tuple, logits: Tensor, labels: Tensor) -> tuple:
    return _xent_grad(gs, ans, logits), None


def _ensure_xent_args(name: str, labels: Any, logits: Any) -> None:
    if labels is None or logits is None:
        raise ValueError(f"Both `labels` and `logits` must be provided for {name}Received: labels={labels} and "
                         f"logits={logits}")




def softmax_cross_entropy_with_logits(labels: Any, logits: Any, axis: int = -1, name: str | None = None) -> Tensor:
    """Cross entropy between ``labels`` (a distribution) and softmax(``logits``) along ``axis``.

    >>> softmax_cross_entropy_with_logits([1.0, 0.0], [0.0, 0.0]).numpy()
    np.float32(0.6931472)
    """
    from ..array.core import reshape_op, transpose_op
    from ..math.elementwise import cast_op

    x, lab = tensor(logits), tensor(labels)
    low = x._dtype in (_d.float16, _d.bfloat16)
    precise = cast_op(x, dtype=np.dtype(np.float32)) if low else x
    if lab._dtype is not precise._dtype:
        lab = cast_op(lab, dtype=precise._dtype._np)
    nd = precise._value.ndim
    if axis != -1:
        axis = axis % nd if nd else axis
        perm = tuple(i for i in range(nd) if i != axis) + (axis,)
        precise, lab = transpose_op(precise, perm=perm), transpose_op(lab, perm=perm[:lab._value.ndim] if
                                                                       lab._value.ndim == nd else perm)
    shape = precise._value.shape
    if nd == 0:  # TF's Python code slices the shape first
        raise kernel_error("Slice", "Expected begin[0] == 0 (got -1) and size[0] == 0 (got 1) when "
                                    "input.dim_size(0) == 0", name=None)
    softmax_xent_op.check(precise, lab)  # before the shapes
    flat = reshape_op(precise, shape=(-1, shape[-1]))
    lab_flat = reshape_op(lab, shape=(-1, lab._value.shape[-1]) if lab._value.ndim else (1, 1))
    fs, ls = flat._value.shape, lab_flat._value.shape
    try:
        np.broadcast_shapes(fs, ls)
    except ValueError:
        raise kernel_error("SoftmaxCrossEntropyWithLogits", f"logits and labels must be broadcastable: logits_size="
                                                            f"{shape_text(fs)} labels_size={shape_text(ls)}") from None
    cost = softmax_xent_op(flat, lab_flat)[0]
    cost = reshape_op(cost, shape=shape[:-1])
    return cast_op(cost, dtype=x._dtype._np) if low else cost


def sparse_softmax_cross_entropy_with_logits(labels: Any, logits: Any, name: str | None = None) -> Tensor:
    """Cross entropy between integer class ``labels`` and softmax(``logits``) over the last axis.

    >>> sparse_softmax_cross_entropy_with_logits(0, [0.0, 0.0]).numpy()
    np.float32(0.6931472)
    """
    from ..array.core import reshape_op
    from ..math.elementwise import cast_op

    _ensure_xent_args("sparse_softmax_cross_entropy_with_logits", labels, logits)
    lab, x = tensor(labels), tensor(logits)
    precise = cast_op(x, dtype=np.dtype(np.float32)) if x._dtype is _d.float16 else x
    ls, xs = lab._value.shape, x._value.shape
    if len(xs) == 0:
        raise ValueError(f"`logits` cannot be a scalar. Received logits={x}`")
    if len(ls) != len(xs) - 1:
        raise ValueError(f"`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: labels.shape={lab.shape} "
                         f"of rank {len(ls)} and logits.shape={x.shape} of rank {len(xs)}")
    if ls != xs[:-1]:
        raise ValueError(f"`labels.shape` must equal `logits.shape` except for the last dimension. Received: "
                         f"labels.shape={lab.shape} and logits.shape={x.shape}")
    sparse_softmax_xent_op.check(precise, lab)  # before the labels' values
    classes = xs[-1]
    cost = sparse_softmax_xent_op(reshape_op(precise, shape=(-1, classes)), reshape_op(lab, shape=(-1,)))[0]
    cost = reshape_op(cost, shape=ls)
    return cast_op(cost, dtype=np.dtype(np.float16)) if x._dtype is _d.float16 else cost


def sigmoid_cross_entropy_with_logits(labels: Any = None, logits: Any = None, name: str | None = None) -> Tensor:
    """Elementwise logistic loss, computed stably as max(x, 0) - x * z + log(1 + exp(-|x|)).

    >>> sigmoid_cross_entropy_with_logits([1.0], [0.0]).numpy()
    array([0.6931472], dtype=float32)
    """
    from ..math import api as ma
    from ..math.elementwise import zeros_like_op

    _ensure_xent_args("sigmoid_cross_entropy_with_logits", labels, logits)
    x, z = tensor(logits), tensor(labels)
    if x._value.shape != z._value.shape:
        raise ValueError(f"`logits` and `labels` must have the same shape, received ({x.shape} vs {z.shape}).")
    zeros = zeros_like_op(x)
    cond = x >= zeros
    relu_logits = ma.where(cond, x, zeros)
    neg_abs = ma.where(cond, -x, x)
    return ma.add(relu_logits - x * z, ma.log1p(ma.exp(neg_abs)))


def weighted_cross_entropy_with_logits(labels: Any, logits: Any, pos_weight: Any, name: str | None = None) -> Tensor:
    """Logistic loss with the positive term weighted by ``pos_weight``.

    >>> weighted_cross_entropy_with_logits([1.0], [0.0], 2.0).numpy()
    array([1.3862944], dtype=float32)
    """
    from ..math import api as ma

    x, z = tensor(logits), tensor(labels)
    if x._value.shape != z._value.shape:
        raise ValueError(f"`logits` and `labels` must have the same shape, received ({x.shape} vs {z.shape}).")
    python = isinstance(pos_weight, (int, float)) and not isinstance(pos_weight, bool)
    weight = _const(z, pos_weight) if python else tensor(pos_weight, z._dtype)  # a Python number: made on the device
    log_weight = _const(z, 1.0) + (weight - _const(z, 1.0)) * z
    softplus = ma.log1p(ma.exp(-ma.abs(x))) + ma.maximum(-x, _const(x, 0))
    return ma.add((_const(z, 1.0) - z) * x, log_weight * softplus)


# --- dropout, moments, batch_normalization, embedding_lookup ---------------------------------------------------


def dropout(x: Any, rate: Any, noise_shape: Any = None, seed: Any = None, name: str | None = None) -> Tensor:
    """Zeroes each element with probability ``rate`` and scales the rest by 1 / (1 - rate), with
    ``tf.random.uniform`` (so a seeded program repeats TF's masks when the random ops match TF's).

    >>> dropout([1.0, 2.0], 0.0).numpy()
    array([1., 2.], dtype=float32)
    """
    from ..random import core as _random

    return dropout_with(x, rate, noise_shape, lambda shape, dtype: _random.uniform(list(shape), dtype=dtype,
                                                                                  seed=seed),
                        lambda: _random._legacy.get_seed(seed))  # TF still draws an op seed at rate 0


def dropout_with(x: Any, rate: Any, noise_shape: Any, sampler: Any, rate_zero_step: Any = None) -> Tensor:
    """TF's _dropout: dropout with ``sampler(shape, dtype)`` drawing the Uniform[0, 1) values."""
    from ..convert import int_list
    from ..math.elementwise import select_op

    is_number = isinstance(rate, numbers.Real)
    if is_number and (rate < 0 or rate >= 1):
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}")
    x = tensor(x)
    dt = x._dtype
    if not dt.is_floating:
        raise ValueError(f"`x.dtype` must be a floating point tensor as `x` will be scaled. Received: x_dtype={dt}")
    if is_number and rate == 0:
        if rate_zero_step is not None:
            rate_zero_step()  # which moves later ops' seeds
        return x
    if isinstance(rate, Tensor) or hasattr(rate, "__tf_tensor__"):
        r = tensor(rate)
        if r._value.ndim != 0:
            raise ValueError(f"Shape {r.shape} must have rank 0")
        if r._dtype is not dt:
            from ..math.elementwise import cast_op

            r = cast_op(r, dtype=dt._np)
        scaled = x / (_const(x, 1) - r)
    elif is_number:
        scaled = x * _const(x, 1 / (1 - rate))
    else:
        raise ValueError(f"`rate` must be a scalar or scalar tensor. Received: rate={rate}")
    if noise_shape is None:
        shape = x._value.shape
    else:
        dims = list(noise_shape) if isinstance(noise_shape, (list, tuple)) else int_list(noise_shape)
        same_rank = len(dims) == x._value.ndim
        shape = tuple(x._value.shape[i] if d is None and same_rank else int(d) for i, d in enumerate(dims))
    keep = sampler(shape, dt) >= (r if not is_number else _const(x, rate))
    try:
        np.broadcast_shapes(shape, x._value.shape)
    except ValueError:
        raise kernel_error("SelectV2", f"condition {shape_text(shape)}, then {shape_text(x._value.shape)}, and else "
                                       "[] must be broadcastable") from None
    return select_op(keep, scaled, _const(x, 0))


def moments(x: Any, axes: Any, shift: Any = None, keepdims: bool = False, name: str | None = None) -> tuple:
    """Mean and variance over ``axes`` (``tf.nn.moments``); float16 is computed in float32.

    >>> [t.numpy() for t in moments(tf.constant([1.0, 3.0]), axes=[0])]
    [np.float32(2.0), np.float32(1.0)]
    """
    from ..array import core as ar
    from ..math import api as ma
    from ..math.elementwise import cast_op
    from ..math.reduce import reduce_mean

    x = tensor(x)
    half = x._dtype is _d.float16
    y = cast_op(x, dtype=np.dtype(np.float32)) if half else x
    mean = reduce_mean(y, axes, keepdims=True)
    variance = reduce_mean(ma.squared_difference(y, ar.stop_gradient(mean)), axes, keepdims=True)
    if not keepdims:
        mean, variance = ar.squeeze(mean, axes), ar.squeeze(variance, axes)
    if half:
        return cast_op(mean, dtype=np.dtype(np.float16)), cast_op(variance, dtype=np.dtype(np.float16))
    return mean, variance


def batch_normalization(x: Any, mean: Any, variance: Any, offset: Any, scale: Any, variance_epsilon: Any,
                        name: str | None = None) -> Tensor:
    """(x - mean) * scale / sqrt(variance + variance_epsilon) + offset, as TF arranges it.

    >>> batch_normalization(tf.constant([2.0]), 1.0, 1.0, None, None, 0.0).numpy()
    array([1.], dtype=float32)
    """
    from ..array.create import cast
    from ..math import api as ma

    inv = ma.rsqrt(variance + variance_epsilon)
    if scale is not None:
        inv = inv * scale
    x = tensor(x)
    shift = offset - mean * inv if offset is not None else -mean * inv
    return x * cast(inv, x._dtype) + cast(shift, x._dtype)


def batch_norm_with_global_normalization(input: Any, mean: Any, variance: Any, beta: Any, gamma: Any,  # noqa: A002
                                         variance_epsilon: Any, scale_after_normalization: bool,
                                         name: str | None = None) -> Tensor:
    """``batch_normalization`` with offset ``beta`` and, if ``scale_after_normalization``, scale ``gamma`` (TF 2
    composes it so, not with its BatchNormWithGlobalNormalization op)."""
    return batch_normalization(input, mean, variance, beta, gamma if scale_after_normalization else None,
                               variance_epsilon)


def embedding_lookup(params: Any, ids: Any, max_norm: Any = None, name: str | None = None) -> Tensor:
    """Rows of ``params`` (one tensor, or a list of shards split TF's "div" way) for each id.

    >>> embedding_lookup(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32), [1]).numpy()
    array([[3., 4.]], dtype=float32)
    """
    from ..array.gather import gather
    from ..array.join import concat

    if params is None:
        raise ValueError("params must be specified")
    if isinstance(params, (list, tuple)) and not params:
        raise ValueError("Length of params is currently 0. Need at least one param.")
    from ..ragged import RaggedTensor

    if isinstance(ids, RaggedTensor):  # TF's ragged dispatch: the rows of the ids keep their lengths
        return ids.with_flat_values(embedding_lookup(params, ids.flat_values, max_norm=max_norm))
    if not isinstance(params, list):
        params = [params]
    shards = [tensor(p) for p in params]
    ids_t = tensor(ids)
    if len(shards) == 1:
        return _clip(gather(shards[0], ids_t), ids_t._value.ndim, max_norm)
    flat = np.asarray(ids_t._numpy()).ravel()
    sizes = [s._value.shape[0] for s in shards]
    n, total = len(shards), sum(sizes)
    per, extras = total // n, total % n
    part = np.maximum(flat // (per + 1), (flat - extras) // max(per, 1))
    local = np.where(part < extras, flat % (per + 1), (flat - extras) % max(per, 1))
    for p in range(n):
        picked = local[part == p]
        out_of_range = picked[(picked < 0) | (picked >= sizes[p])]
        if out_of_range.size:
            i = int(np.nonzero((picked < 0) | (picked >= sizes[p]))[0][0])
            raise kernel_error("GatherV2", f"indices[{i}] = {out_of_range[0]} is not in [0, {sizes[p]})")
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    index = (offsets[part] + local).astype(ids_t._dtype._np).reshape(ids_t._value.shape)
    return _clip(gather(concat(shards, 0), tensor(index)), ids_t._value.ndim, max_norm)


def _clip(x: Tensor, ids_rank: int, max_norm: Any) -> Tensor:
    """TF's clip_by_norm over the embedding dimensions."""
    if max_norm is None:
        return x
    from ..math import api as ma
    from ..math.reduce import reduce_sum

    axes = list(range(ids_rank, x._value.ndim))
    l2sum = reduce_sum(x * x, axes, keepdims=True)
    pred = l2sum > _const(l2sum, 0)
    l2sum_safe = ma.where(pred, l2sum, _const(l2sum, 1) + l2sum * _const(l2sum, 0))
    l2norm = ma.where(pred, ma.sqrt(l2sum_safe), l2sum)
    python = isinstance(max_norm, (int, float)) and not isinstance(max_norm, bool)
    clip = _const(x, max_norm) if python else tensor(max_norm, x._dtype)
    return x * clip / ma.maximum(l2norm, clip)
