"""``tf.nn.nce_loss`` and ``tf.nn.sampled_softmax_loss``: losses over the true classes and a sample of others.

TF's ``_compute_sampled_logits``, op for op: the negatives come from the log-uniform candidate sampler
(or ``sampled_values``), the logits of the true and the sampled classes from one embedding lookup of
``weights`` and ``biases`` (a list of shards is split TF 2's "div" way), accidental hits are pushed to
-FLT_MAX, and log Q is subtracted. Gradients come from the ops themselves; the samples are constants.

>>> import numpy as np
>>> w, b = np.ones((10, 3), np.float32), np.zeros(10, np.float32)
>>> nce_loss(w, b, np.array([[1]]), np.ones((1, 3), np.float32), num_sampled=4, num_classes=10).shape
TensorShape([1])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...dtypes import int32 as _int32
from ...dtypes import int64 as _int64
from ...tensor import Tensor
from ..array.core import expand_dims, reshape, stop_gradient
from ..array.create import cast, ones, ones_like, zeros_like
from ..array.join import concat
from ..convert import tensor
from ..linalg.core import matmul
from ..math.api import log
from ..random.candidate_sampling import compute_accidental_hits, log_uniform_candidate_sampler
from ..sparse.kernels import sparse_to_dense_op
from .impl import embedding_lookup, sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits


def _sum_rows(x: Tensor) -> Tensor:
    # TF sums rows with a matmul by a column of ones (it notes this is faster than reduce_sum's gradient)
    return reshape(matmul(x, ones([x.shape[1], 1], x.dtype)), [-1])


def _shard_list(params: Any) -> list:
    if isinstance(params, (list, tuple)):
        return [p if isinstance(p, Tensor) or hasattr(p, "assign") else tensor(p) for p in params]
    return [params]


def compute_sampled_logits(weights: Any, biases: Any, labels: Any, inputs: Any, num_sampled: int, num_classes: int,
                           num_true: int = 1, sampled_values: Any = None, subtract_log_q: bool = True,
                           remove_accidental_hits: bool = False, seed: Any = None) -> tuple[Tensor, Tensor]:
    """TF's ``_compute_sampled_logits``: (logits [batch, num_true + num_sampled], labels of the same shape)."""
    weights = _shard_list(weights)
    inputs = tensor(inputs)
    if labels.dtype != _int64:  # TF reads ``labels.dtype`` first: a Python list raises AttributeError
        labels = cast(labels, _int64)
    labels = tensor(labels)
    labels_flat = reshape(labels, [-1])
    if sampled_values is None:
        sampled_values = log_uniform_candidate_sampler(
            true_classes=labels, num_true=num_true, num_sampled=num_sampled, unique=True, range_max=num_classes,
            seed=seed)
    sampled, true_expected_count, sampled_expected_count = (stop_gradient(s) for s in sampled_values)
    sampled = cast(sampled, _int64)
    n_true = labels_flat.shape[0]
    all_ids = concat([labels_flat, sampled], 0)
    all_w = embedding_lookup(weights if len(weights) > 1 else weights[0], all_ids)
    if all_w.dtype != inputs.dtype:
        all_w = cast(all_w, inputs.dtype)
    true_w, sampled_w = all_w[:n_true], all_w[n_true:]
    sampled_logits = matmul(inputs, sampled_w, transpose_b=True)
    all_b = embedding_lookup(biases, all_ids)
    if all_b.dtype != inputs.dtype:
        all_b = cast(all_b, inputs.dtype)
    true_b, sampled_b = all_b[:n_true], all_b[n_true:]
    dim = true_w.shape[1]
    row_wise_dots = expand_dims(inputs, 1) * reshape(true_w, [-1, num_true, dim])
    true_logits = reshape(_sum_rows(reshape(row_wise_dots, [-1, dim])), [-1, num_true])
    true_logits = true_logits + reshape(true_b, [-1, num_true])
    sampled_logits = sampled_logits + sampled_b
    if remove_accidental_hits:
        acc_indices, acc_ids, acc_weights = compute_accidental_hits(labels, sampled, num_true=num_true)
        sparse_indices = concat([reshape(acc_indices, [-1, 1]), reshape(cast(acc_ids, _int32), [-1, 1])], 1)
        if sampled_logits.dtype != acc_weights.dtype:
            acc_weights = cast(acc_weights, sampled_logits.dtype)
        shape = (labels.shape[0], int(np.asarray(num_sampled)))
        sampled_logits = sampled_logits + sparse_to_dense_op(
            sparse_indices, acc_weights, tensor(0.0, sampled_logits.dtype), shape=shape)
    if subtract_log_q:
        true_logits = true_logits - log(true_expected_count)
        sampled_logits = sampled_logits - log(sampled_expected_count)
    out_logits = concat([true_logits, sampled_logits], 1)
    out_labels = concat([ones_like(true_logits) / num_true, zeros_like(sampled_logits)], 1)
    return out_logits, out_labels


def nce_loss(weights: Any, biases: Any, labels: Any, inputs: Any, num_sampled: int, num_classes: int,
             num_true: int = 1, sampled_values: Any = None, remove_accidental_hits: bool = False,
             name: str = "nce_loss") -> Tensor:
    """Noise-contrastive estimation loss per example (``tf.nn.nce_loss``): [batch] logistic losses summed."""
    logits, labels = compute_sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true=num_true,
        sampled_values=sampled_values, subtract_log_q=True, remove_accidental_hits=remove_accidental_hits)
    sampled_losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    return _sum_rows(sampled_losses)


def sampled_softmax_loss(weights: Any, biases: Any, labels: Any, inputs: Any, num_sampled: int, num_classes: int,
                         num_true: int = 1, sampled_values: Any = None, remove_accidental_hits: bool = True,
                         seed: Any = None, name: str = "sampled_softmax_loss") -> Tensor:
    """Softmax cross entropy over the true and ``num_sampled`` sampled classes (``tf.nn.sampled_softmax_loss``).

    >>> w, b = np.ones((10, 3), np.float32), np.zeros(10, np.float32)
    >>> sampled_softmax_loss(w, b, np.array([[1]]), np.ones((1, 3), np.float32), 4, 10, seed=1).dtype
    tf.float32
    """
    logits, labels = compute_sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true=num_true,
        sampled_values=sampled_values, subtract_log_q=True, remove_accidental_hits=remove_accidental_hits,
        seed=seed)
    labels = stop_gradient(labels)
    return softmax_cross_entropy_with_logits(labels=labels, logits=logits)
