"""Connectionist temporal classification (``tf.nn.ctc_loss``, ``tf.nn.ctc_greedy_decoder``): TF's CTCLoss (loss
and its gradient in one pass, as TF's kernel) and CTCGreedyDecoder.

Both are host-only, as in TF, whose CTCLoss and CTCGreedyDecoder have CPU kernels only (its GPU CTC loss is the
cuDNN op): the label lengths and the decoded lengths are data, which shape the work and the outputs.

>>> import featherflow as tf
>>> logits = tf.math.log(tf.constant([[[0.5, 0.5]], [[0.5, 0.5]]]))  # (time 2, batch 1, classes 2); blank 1
>>> round(float(tf.nn.ctc_loss(tf.constant([[0]]), logits, [1], [2], blank_index=1)[0]), 4)  # -log(3/4)
0.2877
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor
from .._kernel_errors import kernel_error, slow_path
from ..convert import tensor
from ..registry import register


def _log_softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _labels_per_batch(indices: np.ndarray, values: np.ndarray, batch: int) -> list:
    per = [[] for _ in range(batch)]
    for (b, _), v in zip(indices.tolist(), values.tolist()):
        per[b].append(v)
    return per


@register("CTCLoss", n_outputs=2, host_only=True)
def ctc_loss_op(xp: Any, logits: Any, indices: Any, values: Any, seq_len: Any) -> Any:
    """Loss and gradient of the (T, B, C) logits; the blank is class C - 1 (TF's CTCLoss defaults:
    ctc_merge_repeated, no label preprocessing, longer labels than inputs an error)."""
    t_max, batch, classes = logits.shape
    blank = classes - 1
    labels = _labels_per_batch(indices, values, batch)
    lp = _log_softmax(logits.astype(np.float64))
    for b, lab in enumerate(labels):
        # TF's kernel checks the label's length only: repeats that need a blank between them and do not fit
        # leave no valid path (an infinite loss, and the softmax as the gradient)
        if len(lab) > int(seq_len[b]):
            raise kernel_error("CTCLoss", f"Not enough time for target transition sequence (required: {len(lab)}, "
                                          f"available: {int(seq_len[b])}){b}You can turn this error into a warning "
                                          "by using the flag ignore_longer_outputs_than_inputs")
    s_max = 2 * max((len(lab) for lab in labels), default=0) + 1
    ext = np.full((batch, s_max), blank, dtype=np.int64)  # the labels with a blank before, between and after
    s_len = np.empty(batch, dtype=np.int64)
    for b, lab in enumerate(labels):
        ext[b, 1:2 * len(lab):2] = lab
        s_len[b] = 2 * len(lab) + 1
    pos = np.arange(s_max)
    valid = pos[None, :] < s_len[:, None]
    skip = np.zeros((batch, s_max), dtype=bool)  # the s - 2 -> s transition: a label that differs from the last
    skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    rows = np.arange(batch)[:, None]
    emit = lp[:, rows, ext]  # (T, B, S): each state's log-probability at each time
    neg = -np.inf
    lengths = np.asarray(seq_len).astype(np.int64)
    alpha = np.full((t_max, batch, s_max), neg)
    alpha[0, :, 0] = emit[0, :, 0]
    if s_max > 1:
        alpha[0, :, 1] = np.where(s_len > 1, emit[0, :, 1], neg)
    for t in range(1, t_max):
        prev = alpha[t - 1]
        one = np.concatenate([np.full((batch, 1), neg), prev[:, :-1]], axis=1)
        two = np.where(skip, np.concatenate([np.full((batch, 2), neg), prev[:, :-2]], axis=1), neg)
        alpha[t] = np.where(valid, np.logaddexp(np.logaddexp(prev, one), two) + emit[t], neg)
    beta = np.full((t_max, batch, s_max), neg)  # log-probability of the rest of the path after time t
    for t in range(t_max - 1, -1, -1):
        last = (lengths - 1 == t)[:, None] & ((pos[None, :] == s_len[:, None] - 1) |
                                               (pos[None, :] == s_len[:, None] - 2))
        if t + 1 < t_max:
            nxt = beta[t + 1] + emit[t + 1]
            one = np.concatenate([nxt[:, 1:], np.full((batch, 1), neg)], axis=1)
            two_src = np.concatenate([nxt[:, 2:], np.full((batch, 2), neg)], axis=1)
            skip_next = np.concatenate([skip[:, 2:], np.zeros((batch, 2), bool)], axis=1)
            inner = np.logaddexp(np.logaddexp(nxt, one), np.where(skip_next, two_src, neg))
            inner = np.where(valid & (t < lengths - 1)[:, None], inner, neg)
        else:
            inner = np.full((batch, s_max), neg)
        beta[t] = np.where(last, 0.0, inner)
    end = alpha[np.maximum(lengths - 1, 0), np.arange(batch)]  # (B, S) at each sequence's last step
    last_two = np.where(s_len > 1, end[np.arange(batch), np.maximum(s_len - 2, 0)], neg)
    log_p = np.logaddexp(end[np.arange(batch), s_len - 1], last_two)
    with np.errstate(invalid="ignore"):
        posterior = np.exp(alpha + beta - log_p[None, :, None])  # (T, B, S)
    posterior = np.nan_to_num(posterior)
    occupancy = np.zeros((t_max, batch, classes))
    for b in range(batch):
        np.add.at(occupancy[:, b, :], (slice(None), ext[b, :s_len[b]]), posterior[:, b, :s_len[b]])
    grad = np.exp(lp) - occupancy
    grad = np.where((np.arange(t_max)[:, None] < lengths[None, :])[..., None], grad, 0.0)
    return (-log_p).astype(logits.dtype), grad.astype(logits.dtype)


@ctc_loss_op.gradient
def _(gs: tuple, ans: tuple, logits: Tensor, indices: Tensor, values: Tensor, seq_len: Tensor) -> tuple:
    from ..array.core import reshape_op

    g = gs[0]
    if g is None:
        return None, None, None, None
    return reshape_op(g, shape=(1, -1, 1)) * ans[1], None, None, None


def _is_sparse(x: Any) -> bool:
    return hasattr(x, "indices") and hasattr(x, "values") and hasattr(x, "dense_shape")


def _host(x: Any, dtype: Any) -> np.ndarray:
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x, dtype=dtype)


def ctc_loss(labels: Any, logits: Any, label_length: Any, logit_length: Any, logits_time_major: bool = True,
             unique: Any = None, blank_index: Any = None, name: str | None = None) -> Tensor:
    """The negative log-likelihood of each label sequence under CTC (``tf.nn.ctc_loss``): dense labels with
    ``label_length`` (blank 0 by default) or a SparseTensor (``blank_index`` required). ``unique`` (TF's speed-up
    for dense labels) gives the same loss and is accepted as given.

    >>> float(ctc_loss(tensor([[1]]), np.zeros((2, 1, 3), np.float32), [1], [2])[0])  # paths "1-", "-1", "11"
    1.0986123085021973
    """
    from ..array.create import cast
    from ..array.join import concat

    sparse = _is_sparse(labels)
    if sparse and blank_index is None:
        raise ValueError("Argument `blank_index` must be provided when `labels` is a `SparseTensor`.")
    x = tensor(logits)
    orig = x._dtype
    if orig.name in ("float16", "bfloat16"):
        x = cast(x, _dtypes.float32)
    if not logits_time_major:
        from ..array.core import transpose

        x = transpose(x, [1, 0, 2])
    classes = x._value.shape[2]
    blank = 0 if blank_index is None else int(blank_index)
    if blank < 0:
        blank += classes
    if sparse:
        indices = _host(labels.indices, np.int64)
        values = _host(labels.values, np.int64)
        for b in range(x._value.shape[1]):
            if not (indices[:, 0] == b).any():
                raise kernel_error("CTCLoss", f"Labels length is zero in batch {b}")
    else:
        if x._dtype.name == "float64":
            # TF's dense path (ctc_loss_dense) multiplies by float32 constants: it cannot run in float64
            from ...errors import InvalidArgumentError

            raise InvalidArgumentError(None, None, "cannot compute Mul as input #1(zero-based) was expected to be a "
                                                   "double tensor but is a float tensor [Op:Mul] name: ")
        dense = _host(labels, np.int64)
        lengths = _host(label_length, np.int64)
        indices = np.array([[b, j] for b in range(dense.shape[0]) for j in range(int(lengths[b]))],
                           dtype=np.int64).reshape(-1, 2)
        values = dense[indices[:, 0], indices[:, 1]] if len(indices) else np.zeros(0, np.int64)
    # CTCLoss takes the blank as the last class: move it there, and the labels above it down by one
    if blank != classes - 1:
        x = concat([x[:, :, :blank], x[:, :, blank + 1:], x[:, :, blank:blank + 1]], axis=2)
    values = np.where(values < blank, values, values - 1).astype(np.int32)
    seq = tensor(_host(logit_length, np.int32))
    with slow_path(logit_length):  # a list: TF's slow path, whose kernel errors have no `` name: ``
        loss = ctc_loss_op(x, tensor(indices), tensor(values), seq)[0]
    return cast(loss, orig) if loss._dtype is not orig else loss


@register("CTCGreedyDecoder", n_outputs=4, differentiable=False, host_only=True)
def ctc_greedy_decoder_op(xp: Any, logits: Any, seq_len: Any, merge_repeated: bool = True,
                          blank_index: int = -1) -> Any:
    t_max, batch, classes = logits.shape
    blank = classes - 1 if blank_index < 0 else blank_index
    best = np.argmax(logits, axis=-1)  # (T, B): the first largest, as TF's kernel
    top = np.max(logits, axis=-1)
    decoded, log_probs = [], np.zeros((batch, 1), dtype=logits.dtype)
    for b in range(batch):
        out, prev = [], -1
        for t in range(int(seq_len[b])):
            k = int(best[t, b])
            log_probs[b, 0] -= top[t, b]
            if k != blank and not (merge_repeated and k == prev):
                out.append(k)
            prev = k
        decoded.append(out)
    indices = np.array([[b, j] for b, out in enumerate(decoded) for j in range(len(out))],
                       dtype=np.int64).reshape(-1, 2)
    values = np.array([k for out in decoded for k in out], dtype=np.int64)
    shape = np.array([batch, max((len(o) for o in decoded), default=0)], dtype=np.int64)
    return indices, values, shape, log_probs


def ctc_greedy_decoder(inputs: Any, sequence_length: Any, merge_repeated: bool = True,
                       blank_index: Any = None) -> tuple:
    """Best-path decoding: the most likely class at each step, blanks dropped (repeats merged)
    (``tf.nn.ctc_greedy_decoder``). Returns ([SparseTensor of the labels], -sum of the chosen logits).

    >>> ctc_greedy_decoder(np.log(np.array([[[0.9, 0.1]], [[0.2, 0.8]]], np.float32)), [2])[0][0].values.numpy()
    array([0])
    """
    from ...errors import FailedPreconditionError
    from ..sparse.tensor import SparseTensor

    x = tensor(inputs)
    seq = tensor(_host(sequence_length, np.int32))
    tail = None if isinstance(sequence_length, (list, tuple)) else ""
    ctc_greedy_decoder_op.check(x, seq)
    if x._value.ndim != 3:
        raise kernel_error("CTCGreedyDecoder", "inputs is not a 3-Tensor", name=tail)
    if seq._value.ndim != 1 or seq._value.shape[0] != x._value.shape[1]:
        raise kernel_error("CTCGreedyDecoder", "len(sequence_length) != batch_size.  len(sequence_length):  "
                                               f"{seq._value.shape[0]} batch_size: {x._value.shape[1]}", name=tail,
                           cls=FailedPreconditionError)
    for b, n in enumerate(np.asarray(seq._value).tolist()):
        if n > x._value.shape[0]:
            raise kernel_error("CTCGreedyDecoder", f"sequence_length({b}) <= {x._value.shape[0]}", name=tail,
                               cls=FailedPreconditionError)
    indices, values, shape, log_probs = ctc_greedy_decoder_op(
        x, seq, merge_repeated=bool(merge_repeated), blank_index=-1 if blank_index is None else int(blank_index))
    return [SparseTensor(indices, values, shape)], log_probs


def collapse_repeated(labels: Any, seq_length: Any, name: str | None = None) -> tuple:
    """Merges repeated labels of each row into one; returns the labels (padded with zeros) and the new lengths
    (``tf.nn.collapse_repeated``).

    >>> [t.numpy().tolist() for t in collapse_repeated([[1, 1, 2, 2, 2]], [5])]
    [[[1, 2]], [2]]
    """
    from ..array.core import expand_dims, reshape
    from ..array.create import cast, ones_like, range_, sequence_mask
    from ..array.gather import boolean_mask
    from ..array.join import concat
    from ..array.scatter import scatter_nd
    from ..math import api as m
    from ..math.reduce import reduce_max, reduce_sum

    labels = tensor(labels)
    seq_length = tensor(seq_length)
    label_mask = concat([ones_like(labels[:, :1], _dtypes.bool), m.not_equal(labels[:, 1:], labels[:, :-1])], 1)
    maxlen = labels._value.shape[1]
    label_mask = m.logical_and(label_mask, sequence_mask(seq_length, maxlen=maxlen))
    new_seq_len = reduce_sum(cast(label_mask, _dtypes.int32), axis=1)
    new_maxlen = reduce_max(new_seq_len)
    idx_mask = sequence_mask(new_seq_len, maxlen=new_maxlen)
    flat_labels = reshape(labels, [-1])
    flat_label_mask = reshape(label_mask, [-1])
    flat_idx_mask = reshape(idx_mask, [-1])
    idx = range_(flat_idx_mask._value.shape[0])
    flat = scatter_nd(expand_dims(boolean_mask(idx, flat_idx_mask), 1), boolean_mask(flat_labels, flat_label_mask),
                      [flat_idx_mask._value.shape[0]])
    batch = labels._value.shape[0]
    return reshape(flat, [batch, int(new_maxlen.numpy())]), cast(new_seq_len, seq_length.dtype)


def ctc_unique_labels(labels: Any, name: str | None = None) -> tuple:
    """Per row, the unique labels in order of first appearance (zero-padded, int64) and each label's index among
    them (int32) (``tf.nn.ctc_unique_labels``).

    >>> [t.numpy().tolist() for t in ctc_unique_labels([[3, 4, 4, 3]])]
    [[[3, 4, 0, 0]], [[0, 1, 1, 0]]]
    """
    from ..array.core import stack
    from ..array.create import cast
    from ..array.join import pad
    from ..array.sort import unique

    labels = tensor(labels)
    ys, idxs = [], []
    for row in range(labels._value.shape[0]):
        u = unique(labels[row])
        n, k = labels._value.shape[1], u.y._value.shape[0]
        ys.append(cast(pad(u.y, [[0, n - k]]), _dtypes.int64))
        idxs.append(u.idx)
    return stack(ys), stack(idxs)
