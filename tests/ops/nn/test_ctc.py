"""tf.nn.ctc_loss (dense and sparse labels, every blank_index, batch-major logits) and ctc_greedy_decoder against
real TensorFlow: values, dtypes, errors; the loss's gradient against TF's and numerically (float64, sparse labels,
TF's CTCLoss op); the ops are host-only, as TF's CTC kernels are CPU-only."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from .._linalg_nn_support import check_grad_numeric, check_grad_tf, check_same

RNG = np.random.default_rng(51)
LOGITS = RNG.standard_normal((8, 3, 5)).astype(np.float32)
LABELS = np.array([[1, 2, 2, 0], [3, 1, 0, 0], [4, 4, 1, 2]], np.int32)
LABEL_LEN = np.array([3, 2, 4], np.int32)
LOGIT_LEN = np.array([8, 6, 7], np.int32)
SP_INDICES = np.array([[0, 0], [0, 1], [1, 0], [2, 0], [2, 1], [2, 2]], np.int64)
SP_VALUES = np.array([1, 2, 3, 4, 4, 1], np.int32)

LOSS_CASES = [
    ((LABELS, LOGITS, LABEL_LEN, LOGIT_LEN), {}),
    ((LABELS, LOGITS, LABEL_LEN, LOGIT_LEN), {"blank_index": 4}),
    ((LABELS, LOGITS, LABEL_LEN, LOGIT_LEN), {"blank_index": 2}),
    ((LABELS, LOGITS, LABEL_LEN, LOGIT_LEN), {"blank_index": -1}),
    ((LABELS, LOGITS.transpose(1, 0, 2), LABEL_LEN, LOGIT_LEN), {"logits_time_major": False}),
    ((LABELS, LOGITS.astype(np.float16), LABEL_LEN, LOGIT_LEN), {}),
    ((LABELS, LOGITS.astype(np.float64), LABEL_LEN, LOGIT_LEN), {}),  # TF's dense path cannot run in float64
]


@pytest.mark.parametrize("args,kwargs", LOSS_CASES, ids=[str(i) for i in range(len(LOSS_CASES))])
def test_dense_loss_matches_tensorflow(tf_oracle, args, kwargs):
    check_same(tf_oracle, "nn.ctc_loss", *args, rtol=2e-3 if args[1].dtype == np.float16 else 2e-6, **kwargs)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("blank", [0, 4, 2])
def test_sparse_loss_matches_tensorflow(tf_oracle, dtype, blank):
    values = np.where(SP_VALUES == blank, (blank + 1) % 5, SP_VALUES).astype(np.int32)

    def run(m):
        labels = m.SparseTensor(SP_INDICES, values, [3, 4])
        return m.nn.ctc_loss(labels, LOGITS.astype(dtype), None, LOGIT_LEN, blank_index=blank)
    ours, theirs = run(ff), run(tf_oracle)
    assert ours.dtype.name == theirs.dtype.name
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5 if dtype == np.float32 else 1e-8)  # TF's kernel: ~1e-9 in float64


def test_errors_match_tensorflow(tf_oracle):
    with pytest.raises(ValueError, match="blank_index"):
        ff.nn.ctc_loss(ff.SparseTensor(SP_INDICES, SP_VALUES, [3, 4]), LOGITS, None, LOGIT_LEN)
    labels = tf_oracle.SparseTensor(np.array([[0, j] for j in range(4)], np.int64), np.ones(4, np.int32), [1, 4])
    with pytest.raises(Exception) as theirs:
        tf_oracle.nn.ctc_loss(labels, LOGITS[:3, :1], None, [3], blank_index=0)
    with pytest.raises(Exception) as ours:
        ff.nn.ctc_loss(ff.SparseTensor(labels.indices.numpy(), labels.values.numpy(), [1, 4]), LOGITS[:3, :1], None,
                       [3], blank_index=0)
    assert type(ours.value).__name__ == type(theirs.value).__name__
    assert str(ours.value) == str(theirs.value)


def test_dense_gradient_matches_tensorflow(tf_oracle):
    def make(m):
        return lambda x: m.nn.ctc_loss(LABELS, x, LABEL_LEN, LOGIT_LEN, blank_index=2)
    check_grad_tf(tf_oracle, make, LOGITS, rtol=1e-5, atol=1e-6)


def _sparse_loss(m):
    return lambda x: m.nn.ctc_loss(m.SparseTensor(SP_INDICES, SP_VALUES, [3, 4]), x, None, LOGIT_LEN, blank_index=0)


def test_sparse_gradient_numeric_and_against_tensorflow(tf_oracle):
    logits = LOGITS.astype(np.float64)[:, :, :]
    check_grad_numeric(_sparse_loss(ff), logits, rtol=1e-5, atol=1e-6)
    check_grad_tf(tf_oracle, _sparse_loss, logits, rtol=1e-7, atol=1e-8)


GREEDY = [
    ((LOGITS, LOGIT_LEN), {}),
    ((LOGITS, LOGIT_LEN), {"merge_repeated": False, "blank_index": 0}),
    ((LOGITS.astype(np.float64), [8, 8, 8]), {"blank_index": 2}),
    ((np.zeros((4, 2, 3), np.float32), [4, 2]), {}),  # ties: the first class
    ((LOGITS, [9, 1, 1]), {}),
    ((LOGITS, [8, 1]), {}),
]


@pytest.mark.parametrize("args,kwargs", GREEDY, ids=[str(i) for i in range(len(GREEDY))])
def test_greedy_decoder_matches_tensorflow(tf_oracle, args, kwargs):
    def run(m):
        try:
            (decoded,), log_probs = m.nn.ctc_greedy_decoder(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - the error is compared
            return e
        return [decoded.indices, decoded.values, decoded.dense_shape, log_probs]
    ours, theirs = run(ff), run(tf_oracle)
    if isinstance(theirs, Exception):
        assert type(ours).__name__ == type(theirs).__name__ and str(ours) == str(theirs)
        return
    for a, b in zip(ours, theirs):
        assert a.dtype.name == b.dtype.name and a.shape == b.shape
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


def test_host_only_from_a_gpu(device):
    """TF's CTC kernels are CPU-only: the loss is computed on the CPU wherever it is called, its value the CPU's."""
    x = ff.constant(LOGITS)
    loss = ff.nn.ctc_loss(LABELS, x, LABEL_LEN, LOGIT_LEN)
    with ff.device("CPU:0"):
        want = ff.nn.ctc_loss(LABELS, ff.constant(LOGITS), LABEL_LEN, LOGIT_LEN)
    np.testing.assert_array_equal(loss.numpy(), want.numpy())


REPEATS = np.array([[1, 1, 2, 2, 3, 0], [4, 4, 4, 5, 5, 5], [1, 2, 3, 4, 5, 6]], np.int32)


@pytest.mark.parametrize("seq", [np.array([5, 6, 2], np.int64), np.array([6, 6, 6], np.int32)])
def test_collapse_repeated_matches_tensorflow(tf_oracle, seq):
    check_same(tf_oracle, "nn.collapse_repeated", REPEATS, seq)


def test_ctc_unique_labels_matches_tensorflow(tf_oracle):
    check_same(tf_oracle, "nn.ctc_unique_labels", REPEATS)


def test_dense_loss_with_unique_labels_matches_tensorflow(tf_oracle):
    def run(m):
        return m.nn.ctc_loss(LABELS, LOGITS, LABEL_LEN, LOGIT_LEN, unique=m.nn.ctc_unique_labels(LABELS))
    np.testing.assert_allclose(run(ff).numpy(), run(tf_oracle).numpy(), rtol=2e-6)
