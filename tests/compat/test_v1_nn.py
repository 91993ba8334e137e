"""``tf.compat.v1``'s nn and core functions with v1 signatures against TensorFlow's: convolution, pooling,
transposed convolution, CTC loss and beam search, ``in_top_k``, ``softmax(dim=)``, ``constant(verify_shape=)``,
the ``reduce_*`` family with ``reduction_indices``/``keep_dims``, and the other renamed arguments."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from ._support import assert_same, outcome

IMAGE = np.arange(16.0, dtype=np.float32).reshape(1, 4, 4, 1)
KERNEL = np.ones((2, 2, 1, 1), np.float32)
PREDS = [[0.1, 0.9], [0.8, 0.2]]
M4 = [[1.0, 2.0], [3.0, 5.0]]

CASES = {
    "convolution": lambda v1: v1.nn.convolution(IMAGE, KERNEL, "VALID"),
    "convolution_keywords": lambda v1: v1.nn.convolution(IMAGE, None, "SAME", filters=KERNEL, dilations=[2, 2]),
    "convolution_strides_dilation_rate": lambda v1: v1.nn.convolution(IMAGE, KERNEL, "VALID", [1, 1], [2, 2]),
    "convolution_filter_and_filters": lambda v1: v1.nn.convolution(IMAGE, KERNEL, "VALID", filters=KERNEL),
    "convolution_both_dilations": lambda v1: v1.nn.convolution(IMAGE, KERNEL, "VALID", dilation_rate=[1, 1],
                                                               dilations=[1, 1]),
    "max_pool": lambda v1: v1.nn.max_pool(IMAGE, 2, 2, "VALID"),
    "max_pool_input": lambda v1: v1.nn.max_pool(None, [1, 2, 2, 1], [1, 1, 1, 1], "SAME", input=IMAGE),
    "max_pool_value_and_input": lambda v1: v1.nn.max_pool(IMAGE, 2, 2, "VALID", input=IMAGE),
    "max_pool_rank3": lambda v1: v1.nn.max_pool(v1.ones([1, 4, 1]), 2, 2, "VALID"),
    "max_pool_zero_ksize": lambda v1: v1.nn.max_pool(IMAGE, 0, 2, "VALID"),
    "avg_pool": lambda v1: v1.nn.avg_pool(IMAGE, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"),
    "avg_pool2d": lambda v1: v1.nn.avg_pool2d(IMAGE, 3, 1, "SAME", "NHWC", "a"),
    "conv2d_transpose": lambda v1: v1.nn.conv2d_transpose(IMAGE, KERNEL, [1, 8, 8, 1], 2),
    "conv2d_transpose_keywords": lambda v1: v1.nn.conv2d_transpose(input=IMAGE, filters=KERNEL,
                                                                   output_shape=[1, 5, 5, 1], strides=[1, 1, 1, 1],
                                                                   padding="VALID"),
    "conv2d_transpose_value_and_input": lambda v1: v1.nn.conv2d_transpose(IMAGE, KERNEL, [1, 8, 8, 1], 2,
                                                                          input=IMAGE),
    "in_top_k_math": lambda v1: v1.math.in_top_k(PREDS, [1, 1], 1),
    "in_top_k_nn": lambda v1: v1.nn.in_top_k(PREDS, [1, 0], 2, "k"),
    "softmax_dim": lambda v1: v1.nn.softmax([[1.0, 2.0], [3.0, 5.0]], dim=0),
    "softmax_axis_and_dim": lambda v1: v1.nn.softmax([[1.0, 2.0]], 0, dim=0),
    "log_softmax_math": lambda v1: v1.math.log_softmax([[1.0, 2.0], [3.0, 5.0]]),
    "constant_verify_shape": lambda v1: v1.constant([1, 2], shape=[2], verify_shape=True),
    "constant_verify_shape_error": lambda v1: v1.constant([1, 2], shape=[3], verify_shape=True),
    "constant_reshape": lambda v1: v1.constant([1, 2, 3, 4], "float32", [2, 2], "c"),
    "constant_fill": lambda v1: v1.constant(1, shape=[2, 2]),
    "convert_preferred_dtype": lambda v1: v1.convert_to_tensor([1, 2], preferred_dtype="int64"),
    "convert_positional_name": lambda v1: v1.convert_to_tensor([1, 2], None, "x", "float32"),
    "convert_both_hints": lambda v1: v1.convert_to_tensor([1, 2], preferred_dtype="int64", dtype_hint="int32"),
    "argmax_dimension": lambda v1: v1.argmax([[1, 3], [2, 0]], dimension=1),
    "argmax_default_axis": lambda v1: v1.argmax([[1, 3], [2, 0]]),
    "argmin_both": lambda v1: v1.argmin([[1, 3], [2, 0]], 1, dimension=1),
    "argmin_math_output_type": lambda v1: v1.math.argmin([[1, 3], [2, 0]], 1, "m", None, "int32"),
    "reduce_sum_old_names": lambda v1: v1.reduce_sum([[1, 3], [2, 0]], reduction_indices=1, keep_dims=True),
    "reduce_mean_keepdims_none": lambda v1: v1.reduce_mean([[1.0, 3.0], [2.0, 0.0]], 0, None, "m"),
    "reduce_max_math": lambda v1: v1.math.reduce_max([[1, 3], [2, 0]], keep_dims=True),
    "reduce_any": lambda v1: v1.reduce_any([[True, False], [False, False]], reduction_indices=[1]),
    "reduce_logsumexp": lambda v1: v1.reduce_logsumexp([[1.0, 3.0], [2.0, 0.0]], 1),
    "reduce_sum_both_keepdims": lambda v1: v1.reduce_sum([[1, 3]], 1, keepdims=True, keep_dims=True),
    "reduce_prod_both_axes": lambda v1: v1.reduce_prod([[1, 3]], 1, reduction_indices=1),
    "expand_dims_dim": lambda v1: v1.expand_dims([1, 2], dim=0),
    "expand_dims_no_axis": lambda v1: v1.expand_dims([1, 2]),
    "squeeze_dims": lambda v1: v1.squeeze([[[1], [2]]], squeeze_dims=0),
    "squeeze_positional": lambda v1: v1.squeeze([[[1], [2]]], [0, 2], "s"),
    "shape": lambda v1: v1.shape([[1, 2]], "s", "int64"),
    "size": lambda v1: v1.size([[1, 2]], "s"),
    "ones_like": lambda v1: v1.ones_like([[1, 2]], "float32", "o", False),
    "zeros_like": lambda v1: v1.zeros_like([[1, 2]]),
    "transpose_positional": lambda v1: v1.transpose([[1, 2]], [1, 0], "t", False),
    "conv2d": lambda v1: v1.nn.conv2d(IMAGE, KERNEL, [1, 1, 1, 1], "VALID"),
    "conv2d_default_strides": lambda v1: v1.nn.conv2d(IMAGE, KERNEL, padding="SAME"),
    "conv2d_filters_keyword": lambda v1: v1.nn.conv2d(IMAGE, None, 2, "VALID", True, "NHWC", [1, 1, 1, 1], "c",
                                                      filters=KERNEL),
    "conv2d_no_padding": lambda v1: v1.nn.conv2d(IMAGE, KERNEL),
    "conv2d_filter_and_filters": lambda v1: v1.nn.conv2d(IMAGE, KERNEL, padding="VALID", filters=KERNEL),
    "dropout_keep_prob_one": lambda v1: v1.nn.dropout(IMAGE, 1.0),
    "dropout_bad_keep_prob": lambda v1: v1.nn.dropout(IMAGE, keep_prob="a"),
    "dropout_no_rate": lambda v1: v1.nn.dropout(IMAGE),
    "dropout_both": lambda v1: v1.nn.dropout(IMAGE, 0.5, rate=0.5),
    "moments_keep_dims": lambda v1: v1.nn.moments(v1.constant(M4), [0], None, "m", True),
    "moments": lambda v1: v1.nn.moments(v1.constant(M4), [1]),
    "moments_both": lambda v1: v1.nn.moments(v1.constant(M4), [1], keep_dims=True, keepdims=True),
    "sparse_xent": lambda v1: v1.nn.sparse_softmax_cross_entropy_with_logits([0, 1], M4),
    "sparse_xent_missing": lambda v1: v1.nn.sparse_softmax_cross_entropy_with_logits(labels=[0]),
    "xent": lambda v1: v1.nn.softmax_cross_entropy_with_logits([[0.0, 1.0], [1.0, 0.0]], M4),
    "xent_dim": lambda v1: v1.nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1.0], [1.0, 0.0]], logits=M4, dim=0),
    "xent_axis_beside_dim": lambda v1: v1.nn.softmax_cross_entropy_with_logits([[0.0, 1.0]], [[1.0, 2.0]], axis=0),
    "xent_missing": lambda v1: v1.nn.softmax_cross_entropy_with_logits(logits=M4),
    "depth_to_space": lambda v1: v1.nn.depth_to_space(np.arange(8.0).reshape(1, 1, 2, 4), 2, "d"),
    "space_to_depth_top": lambda v1: v1.space_to_depth(np.arange(8.0).reshape(1, 2, 4, 1), 2, "s", "NHWC"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_tf(tf_oracle, case):
    assert_same(outcome(lambda: CASES[case](ff.compat.v1)), outcome(lambda: CASES[case](tf_oracle.compat.v1)))


def _ctc_inputs(tf, dtype="float32"):
    labels = tf.sparse.SparseTensor([[0, 0], [1, 0], [1, 1]], [0, 1, 1], [2, 2])
    logits = np.log(np.array([[[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]], [[0.1, 0.1, 0.8], [0.3, 0.3, 0.4]],
                              [[0.5, 0.4, 0.1], [0.2, 0.7, 0.1]]])).astype(dtype)
    return labels, logits


CTC = {
    "default": lambda v1, labels, logits: v1.nn.ctc_loss(labels, logits, [3, 3]),
    "batch_major": lambda v1, labels, logits: v1.nn.ctc_loss(labels, np.transpose(logits, [1, 0, 2]), [3, 3],
                                                             time_major=False),
    "logits_keyword": lambda v1, labels, logits: v1.nn.ctc_loss(labels, None, [3, 2], logits=logits),
    "inputs_and_logits": lambda v1, labels, logits: v1.nn.ctc_loss(labels, logits, [3, 3], logits=logits),
    "collapse_repeated": lambda v1, labels, logits: v1.nn.ctc_loss(labels, logits, [3, 3],
                                                                   preprocess_collapse_repeated=True),
    "too_long": lambda v1, labels, logits: v1.nn.ctc_loss(labels, logits, [1, 1]),
    "dense_labels": lambda v1, labels, logits: v1.nn.ctc_loss(v1.constant([[0]]), logits, [3, 3]),
}


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("case", sorted(CTC))
def test_ctc_loss(tf_oracle, case, dtype):
    def run(tf):
        labels, logits = _ctc_inputs(tf, dtype)
        return CTC[case](tf.compat.v1, labels, logits)

    got, want = outcome(lambda: run(ff)), outcome(lambda: run(tf_oracle))
    if dtype == "float16" and not isinstance(want, tuple):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=2e-3)
        assert got.dtype.name == want.dtype.name
    else:
        assert_same(got, want)


@pytest.mark.parametrize("lengths", [[3, 3], [3, 1], [1, 3], [1, 1], [0, 0]])
@pytest.mark.parametrize("options", [{}, {"preprocess_collapse_repeated": True},
                                     {"ignore_longer_outputs_than_inputs": True}])
def test_ctc_loss_and_gradient(tf_oracle, options, lengths):
    def run(tf):
        labels, logits = _ctc_inputs(tf)
        x = tf.Variable(logits)
        with tf.GradientTape() as tape:
            loss = tf.compat.v1.nn.ctc_loss(labels, x, lengths, **options)
            total = tf.reduce_sum(loss)
        return loss, tape.gradient(total, x)

    got, want = outcome(lambda: run(ff)), outcome(lambda: run(tf_oracle))
    assert_same(got, want)
    assert isinstance(got[0], str) or got[1] is not None  # an error, or a gradient


def test_ctc_loss_refuses_unmerged_repeats():
    labels, logits = _ctc_inputs(ff)
    with pytest.raises(NotImplementedError, match="ctc_merge_repeated=False is not supported"):
        ff.compat.v1.nn.ctc_loss(labels, logits, [3, 3], ctc_merge_repeated=False)


@pytest.mark.parametrize("merge_repeated", [True, False, None])
def test_ctc_beam_search_decoder(tf_oracle, merge_repeated):
    logits = np.log(np.array([[[0.1, 0.6, 0.3]], [[0.1, 0.6, 0.3]], [[0.5, 0.2, 0.3]], [[0.2, 0.7, 0.1]]],
                             np.float32))

    def run(tf):
        v1 = tf.compat.v1
        if merge_repeated is None:
            return v1.nn.ctc_beam_search_decoder(logits, [4], 10, 3)
        return v1.nn.ctc_beam_search_decoder(logits, [4], 10, 3, merge_repeated)

    got, want = run(ff), run(tf_oracle)
    assert_same(got[0], want[0])
    assert_same(got[1], want[1])


def test_ctc_beam_search_decoder_errors(tf_oracle):
    def run(tf):
        return tf.compat.v1.nn.ctc_beam_search_decoder(np.zeros((2, 1, 3), np.float32), [3])

    assert_same(outcome(lambda: run(ff)), outcome(lambda: run(tf_oracle)))


@pytest.mark.parametrize("call", [
    lambda v1: v1.gradients(v1.constant(1.0), v1.constant(2.0)),
    lambda v1: v1.gradients(v1.constant(1.0), v1.constant(2.0), None, "g", True),
    lambda v1: v1.hessians(v1.constant(1.0), v1.constant(2.0), "h", True),
])
def test_symbolic_gradients_raise_tfs_error(tf_oracle, call):
    assert_same(outcome(lambda: call(ff.compat.v1)), outcome(lambda: call(tf_oracle.compat.v1)))


@pytest.mark.parametrize("name", ["softmax_cross_entropy_with_logits", "sparse_softmax_cross_entropy_with_logits"])
def test_cross_entropy_gradients(tf_oracle, name):
    def run(tf):
        labels = tf.Variable([[0.2, 0.8], [1.0, 0.0]] if name.startswith("softmax") else [1, 0])
        logits = tf.Variable(M4)
        with tf.GradientTape(persistent=True) as tape:
            loss = tf.reduce_sum(getattr(tf.compat.v1.nn, name)(labels=labels, logits=logits))
        return tape.gradient(loss, logits), (tape.gradient(loss, labels) if name.startswith("softmax") else None)

    got, want = run(ff), run(tf_oracle)
    assert_same(got[0], want[0])
    assert got[1] is None and want[1] is None  # TF 1's labels take no gradient


def test_dropout_seeded(tf_oracle, same_seed_state):
    def run(tf):
        return tf.compat.v1.nn.dropout(tf.ones([3, 4]), keep_prob=0.5, seed=7)

    assert_same(run(ff), run(tf_oracle))
