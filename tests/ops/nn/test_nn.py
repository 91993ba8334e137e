"""tf.nn: one table of calls run under featherflow and real TensorFlow (values, dtypes, shapes, errors),
gradient checks against central differences (float64) and against TF (first and second order), and dropout's
seeded masks."""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff
from featherflow.ops._kernel_errors import on_cpu

from .._linalg_nn_support import check_grad_numeric, check_grad_tf, check_same

# every test runs on the CPU and on a simulated GPU (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("device")

rng = np.random.default_rng(1)
V = np.array([-2.0, -0.5, 0.25, 0.5, 7.0], np.float32)
LG = np.array([[1.0, 2, 3], [1, 1, 1]], np.float32)
LB = np.array([[0.0, 0, 1], [0.5, 0.5, 0]], np.float32)
X12 = np.arange(12, dtype=np.float32).reshape(3, 4)
IMG = (np.arange(2 * 5 * 6 * 3, dtype=np.float32).reshape(2, 5, 6, 3) % 7) / 7
FILT = (np.arange(3 * 2 * 3 * 4, dtype=np.float32).reshape(3, 2, 3, 4) % 5) / 5
IMG64, FILT64 = IMG.astype(np.float64), FILT.astype(np.float64)
NCHW = np.transpose(IMG, (0, 3, 1, 2)).copy()

# Cases whose TF CPU kernel (the oracle) behaves unlike TF's GPU kernel, which the simulated GPU follows:
_ONEDNN = {"cpu_only": True}  # oneDNN's float32 softmax takes 1 to 5 dimensions; the GPU kernel any rank >= 1
_CHECKED_ON_CPU = {"cpu_only": True}  # the GPU kernel does not check indices: NaN loss, zero rows (no host copy)
_NHWC_ON_CPU = {"cpu_only": True}  # TF's CPU kernels take NCHW through oneDNN only; its GPU kernels take it

CASES = [
    # activations
    ("nn.relu", (V,), {}),
    ("nn.relu", ([-1, 2],), {}),
    ("nn.relu", (np.array([-1, 2], np.int8),), {}),
    ("nn.relu", (np.array([1, 2], np.uint8),), {}),
    ("nn.relu", (np.array([True]),), {}),
    ("nn.relu", (np.array([1 + 1j]),), {}),
    ("nn.relu6", ([-1, 3, 8],), {}),
    ("nn.relu6", (V.astype(np.float64) * 2,), {}),
    ("nn.leaky_relu", (V,), {}),
    ("nn.leaky_relu", (V,), {"alpha": 2.0}),
    ("nn.leaky_relu", ([-1, 2],), {}),
    ("nn.leaky_relu", (np.array([-1, 2], np.int64),), {}),
    ("nn.leaky_relu", (V,), {"alpha": np.array(0.1)}),
    ("nn.elu", (V,), {}),
    ("nn.elu", (V.astype(np.float16),), {}),
    ("nn.elu", ([-1, 2],), {}),
    ("nn.selu", (V,), {}),
    ("nn.selu", (V.astype(np.float64),), {}),
    ("nn.gelu", (V,), {}),
    ("nn.gelu", (V.astype(np.float64),), {"approximate": True}),
    ("nn.gelu", ([1, 2],), {}),
    ("nn.silu", (V,), {}),
    ("nn.silu", (V,), {"beta": 2.0}),
    ("nn.swish", (V.astype(np.float64),), {}),
    ("nn.silu", ([1, 2],), {}, {"message": False}),  # Sigmoid's error text belongs to tf.math
    ("nn.softsign", (V,), {}),
    ("nn.sigmoid", (V,), {}),
    ("nn.tanh", (V,), {}),
    ("nn.softplus", (V,), {}),
    # softmax
    ("nn.softmax", (V,), {}),
    ("nn.softmax", ([[1.0, 2], [3, 5]],), {"axis": 0}),
    ("nn.softmax", (np.ones((2, 3, 4)),), {"axis": 1}),
    ("nn.softmax", ([[1.0, 2], [3, 5]],), {"axis": 2}),
    ("nn.softmax", ([[1.0, 2], [3, 5]],), {"axis": -3}),
    ("nn.softmax", ([1, 2],), {}),
    ("nn.softmax", (5.0,), {}, _ONEDNN),
    ("nn.softmax", (np.float64(5.0),), {}),
    ("nn.softmax", (np.ones((1, 1, 1, 1, 1, 2), np.float32),), {}, _ONEDNN),
    ("nn.softmax", (np.ones((1, 1, 1, 1, 1, 2)),), {}),
    ("nn.softmax", (np.zeros((2, 0), np.float32),), {}),
    ("nn.softmax", (np.array([1.0, 2], np.float16),), {}),
    ("nn.softmax", (np.array([1.0, 2], ml_dtypes.bfloat16),), {}),
    ("nn.softmax", (np.array([-np.inf, 0]),), {}),
    ("nn.softmax", (np.array([-np.inf, -np.inf]),), {}),
    ("nn.log_softmax", (V,), {}),
    ("math.softmax", (V,), {}),
    ("math.log_softmax", (LG,), {"axis": 0}),
    ("nn.l2_normalize", (LG,), {"axis": 1}),
    ("nn.top_k", (V,), {"k": 2}),
    ("nn.log_softmax", ([[1.0, 2], [3, 5]],), {"axis": 0}),
    ("nn.log_softmax", ([1, 2],), {}),
    ("nn.log_softmax", (np.float32(5.0),), {}),
    # losses
    ("nn.l2_loss", (V,), {}),
    ("nn.l2_loss", ([1, 2],), {}),
    ("nn.l2_loss", (np.array([1.0, 2], np.float16),), {}),
    ("nn.softmax_cross_entropy_with_logits", (LB, LG), {}),
    ("nn.softmax_cross_entropy_with_logits", (), {"labels": LB.T, "logits": LG.T, "axis": 0}),
    ("nn.softmax_cross_entropy_with_logits", (), {"labels": LB[0], "logits": LG}),
    ("nn.softmax_cross_entropy_with_logits", (), {"labels": LB[:, :2], "logits": LG}),
    ("nn.softmax_cross_entropy_with_logits", (), {"labels": [[0, 0, 1], [1, 0, 0]], "logits": LG}),
    ("nn.softmax_cross_entropy_with_logits", (), {"labels": LB, "logits": LG.astype(np.float16)}),
    ("nn.softmax_cross_entropy_with_logits", (), {"labels": LB, "logits": LG.astype(np.int32)}),
    ("nn.softmax_cross_entropy_with_logits", (), {"labels": LB[0], "logits": LG[0]}),
    ("nn.softmax_cross_entropy_with_logits", (), {"labels": np.ones((2, 2, 3)), "logits": np.ones((2, 2, 3))}),
    ("nn.sparse_softmax_cross_entropy_with_logits", ([2, 0], LG), {}),
    ("nn.sparse_softmax_cross_entropy_with_logits", ([2, 3], LG), {}, _CHECKED_ON_CPU),
    ("nn.sparse_softmax_cross_entropy_with_logits", ([2, -1], LG), {}, _CHECKED_ON_CPU),
    ("nn.sparse_softmax_cross_entropy_with_logits", ([[2, 0]], LG), {}),
    ("nn.sparse_softmax_cross_entropy_with_logits", ([2, 0, 1], LG), {}),
    ("nn.sparse_softmax_cross_entropy_with_logits", ([2.0, 0], LG), {}),
    ("nn.sparse_softmax_cross_entropy_with_logits", (np.array([2, 0], np.int64), LG), {}),
    ("nn.sparse_softmax_cross_entropy_with_logits", (np.array([2, 0], np.int8), LG), {}),
    ("nn.sparse_softmax_cross_entropy_with_logits", (2, LG[0]), {}),
    ("nn.sparse_softmax_cross_entropy_with_logits", ([[2, 0]], LG[None]), {}),
    ("nn.sparse_softmax_cross_entropy_with_logits", ([[2, 5]], LG[None]), {}, _CHECKED_ON_CPU),
    ("nn.sparse_softmax_cross_entropy_with_logits", ([2, 0], LG.astype(np.float16)), {}),
    ("nn.sparse_softmax_cross_entropy_with_logits", ([2, 0], LG.astype(np.float64)), {}),
    ("nn.sparse_softmax_cross_entropy_with_logits", ([2, 0], LG.astype(np.int32)), {}),
    ("nn.sparse_softmax_cross_entropy_with_logits", (1, 2.0), {}),
    ("nn.sigmoid_cross_entropy_with_logits", (LB, LG), {}),
    ("nn.sigmoid_cross_entropy_with_logits", (LB[0], LG), {}),
    ("nn.sigmoid_cross_entropy_with_logits", ([1, 0], [2.0, 3]), {}),
    ("nn.sigmoid_cross_entropy_with_logits", (np.array([1.0, 0]), np.array([2.0, 3], np.float32)), {}),
    ("nn.sigmoid_cross_entropy_with_logits", (None, [2.0, 3]), {}),
    ("nn.weighted_cross_entropy_with_logits", (LB, LG, 1.5), {}),
    # bias_add
    ("nn.bias_add", (np.ones((2, 3), np.float32), [1.0, 2, 3]), {}),
    ("nn.bias_add", (np.ones((2, 3, 4), np.float32), [1.0, 2, 3]), {"data_format": "NCHW"}),
    ("nn.bias_add", (np.ones((2, 3, 4), np.float32), [1.0, 2, 3]), {"data_format": "NCW"}),
    ("nn.bias_add", (np.ones((2, 3), np.int32), [1, 2, 3]), {}),
    ("nn.bias_add", (np.ones((2, 3), np.float32), np.array([1, 2, 3])), {}),
    ("nn.bias_add", ([[1, 2, 3]], [1, 2, 3]), {}),
    ("nn.bias_add", (np.ones((2, 3), np.float32), [1.0, 2]), {}),
    ("nn.bias_add", (np.ones((2, 3), np.float32), [[1.0, 2, 3]]), {}),
    ("nn.bias_add", (np.ones((2, 3, 4), np.float32), [1.0, 2, 3]), {"data_format": "XY"}),
    ("nn.bias_add", (np.ones((3,), np.float32), [1.0, 2, 3]), {}),
    # moments, batch_normalization, embedding_lookup, dropout argument errors
    ("nn.moments", (X12,), {"axes": [0]}),
    ("nn.moments", (X12,), {"axes": [0, 1], "keepdims": True}),
    ("nn.moments", (X12,), {"axes": 0}),
    ("nn.moments", (np.arange(4),), {"axes": [0]}),
    ("nn.moments", (np.arange(4, dtype=np.float16),), {"axes": [0]}),
    ("nn.batch_normalization", (X12, 1.0, 2.0, 0.5, 3.0, 1e-3), {}),
    ("nn.batch_normalization", (X12, 1.0, 2.0, None, None, 1e-3), {}),
    ("nn.batch_normalization", (X12.astype(np.float64), np.ones(4), np.ones(4) * 2, np.zeros(4), np.ones(4), 1e-3),
     {}),
    ("nn.batch_normalization", (X12, [1.0, 2, 3, 4], [1.0, 1, 1, 1], None, [2.0, 2, 2, 2], 1e-3), {}),
    ("nn.embedding_lookup", (X12, [2, 0]), {}),
    ("nn.embedding_lookup", (X12, [[2, 0]]), {}),
    # GatherV2's name tail belongs to tf.gather
    ("nn.embedding_lookup", (X12, [3]), {}, {"message": False, **_CHECKED_ON_CPU}),
    ("nn.embedding_lookup", (X12, [1]), {"max_norm": 1.0}),
    ("nn.embedding_lookup", ([X12[:2], X12[2:]], [2, 0, 1]), {}),
    ("nn.embedding_lookup", ([X12[:1], X12[1:]], [2, 0, 1]), {}),
    ("nn.embedding_lookup", ([X12[:2], X12[2:]], [2, 0, 1]), {"max_norm": 1.0}),
    ("nn.embedding_lookup", ([[1.0, 2.0], [3.0, 4.0]], [1]), {}),
    ("nn.embedding_lookup", ([], [1]), {}),
    ("nn.dropout", (X12, 1.0), {}),
    ("nn.dropout", (X12, -0.1), {}),
    ("nn.dropout", ([1, 2], 0.5), {}),
    ("nn.dropout", (X12, "a"), {}),
    ("nn.dropout", (X12, 0.5), {"noise_shape": [1, 5], "seed": 3}),
    # convolutions
    ("nn.conv2d", (IMG, FILT, 1, "SAME"), {}),
    ("nn.conv2d", (IMG, FILT, 2, "VALID"), {}),
    ("nn.conv2d", (IMG, FILT, [1, 2], "SAME"), {}),
    ("nn.conv2d", (IMG, FILT, [1, 2, 2, 1], "SAME"), {}),
    ("nn.conv2d", (IMG, FILT, 1, "SAME"), {"dilations": 2}),
    ("nn.conv2d", (IMG64, FILT64, 2, "SAME"), {"dilations": [2, 1]}),
    ("nn.conv2d", (IMG64, FILT64, 1, [[0, 0], [1, 1], [2, 0], [0, 0]]), {}),
    ("nn.conv2d", (NCHW, FILT, 1, "SAME"), {"data_format": "NCHW"}),
    ("nn.conv2d", (NCHW, FILT, [1, 2], [[0, 0], [0, 0], [1, 2], [0, 1]]), {"data_format": "NCHW"}),
    ("nn.conv2d", (np.ones((1, 5, 5, 6)), FILT64, 1, "VALID"), {}),
    ("nn.conv2d", ((IMG * 7).astype(np.int32), (FILT * 5).astype(np.int32), 1, "VALID"), {}),
    ("nn.conv2d", (IMG.astype(np.float16), FILT.astype(np.float16), 1, "SAME"), {}),
    ("nn.conv2d", (IMG, FILT.astype(np.float64), 1, "VALID"), {}),
    ("nn.conv2d", (np.ones((1, 5, 5, 3)), np.ones((6, 2, 3, 4)), 1, "VALID"), {}),
    ("nn.conv2d", (IMG, FILT, [2, 2, 2, 1], "SAME"), {}),
    ("nn.conv2d", (IMG, FILT, [1, 2, 3], "SAME"), {}),
    ("nn.conv2d", (IMG, FILT, 1, [[1, 1], [2, 0]]), {}),
    ("nn.conv2d", (IMG64, FILT64, 1, "FOO"), {}),
    ("nn.conv2d", (IMG, FILT[:, :, :2], 1, "SAME"), {}),
    ("nn.conv2d", (IMG, FILT[:, :, :1], 1, "SAME"), {}),
    ("nn.conv2d", (np.ones((1, 3, 5, 5)), np.ones((2, 2, 3, 4)), 1, "VALID"), {"data_format": "NCHW"}, _NHWC_ON_CPU),
    ("nn.conv2d", (np.ones((5, 5, 3)), np.ones((2, 2, 3, 4)), 1, "VALID"), {}),
    ("nn.conv2d", (np.ones((1, 5, 5, 3)), np.ones((2, 3, 4)), 1, "VALID"), {}),
    ("nn.conv2d", (np.ones((1, 5, 5, 3)), np.ones((2, 2, 3, 4)), [2, 1, 1, 1], "VALID"), {}),
    ("nn.conv2d", (np.ones((1, 5, 5, 3)), np.ones((2, 2, 3, 4)), 0, "VALID"), {}),
    ("nn.conv2d", (np.ones((1, 5, 5, 3)), np.ones((2, 2, 3, 4)), 1, "VALID"), {"dilations": 0}),
    ("nn.conv2d", (np.ones((1, 5, 5, 3)), np.ones((2, 2, 3, 4)), 1, "VALID"), {"dilations": [2, 1, 1, 1]}),
    ("nn.conv2d", (np.ones((1, 5, 5, 3)), np.ones((2, 2, 3, 4)), 1, [[0, 0], [-1, 0], [0, 0], [0, 0]]), {}),
    ("nn.conv2d", (np.ones((1, 5, 5, 3)), np.ones((2, 2, 3, 4)), 1, [[1, 0], [0, 0], [0, 0], [0, 0]]), {}),
    ("nn.conv2d", (np.ones((1, 5, 5, 3)), np.ones((7, 2, 3, 4)), 1, "VALID"), {}),
    ("nn.conv2d", (np.ones((1, 5, 5, 3), np.int64), np.ones((2, 2, 3, 1), np.int64), 1, "VALID"), {}),
    ("nn.conv1d", (IMG[:, 0], FILT[0], 1, "SAME"), {}),
    ("nn.conv1d", (IMG[:, 0], FILT[0], 2, "VALID"), {"dilations": 1}),
    ("nn.conv1d", (IMG64[:, 0], FILT64[0], 1, "SAME"), {"dilations": 2}),
    ("nn.conv1d", (np.transpose(IMG[:, 0], (0, 2, 1)), FILT[0], 1, "SAME"), {"data_format": "NCW"}),
    ("nn.conv2d_transpose", (np.ones((1, 3, 3, 4), np.float32), FILT, [1, 6, 6, 3], 2), {}),
    ("nn.conv2d_transpose", (IMG64[:1, :3, :3, :3].repeat(2, axis=0), FILT64[..., :3].transpose(0, 1, 3, 2)[..., :3],
                             [2, 7, 5, 3], [2, 2], "VALID"), {}),
    ("nn.depthwise_conv2d", (IMG, FILT[:, :, :, :2], [1, 1, 1, 1], "SAME"), {}),
    ("nn.depthwise_conv2d", (IMG64, FILT64[:, :, :, :2], [1, 2, 2, 1], "VALID"), {}),
    ("nn.depthwise_conv2d", (IMG64, FILT64[:, :, :, :1], [1, 1, 1, 1], "SAME"), {"dilations": [2, 2]}),
    # pooling
    ("nn.max_pool2d", (IMG, 2, 2, "VALID"), {}),
    ("nn.max_pool2d", (IMG, 3, 2, "SAME"), {}),
    ("nn.max_pool2d", (IMG, [2, 3], [1, 2], "SAME"), {}),
    ("nn.max_pool2d", (NCHW, 2, 2, "SAME"), {"data_format": "NCHW"}),
    ("nn.max_pool2d", (IMG, 2, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]), {}),
    ("nn.max_pool2d", ((IMG * 7).astype(np.int32), 2, 2, "VALID"), {}),
    ("nn.max_pool2d", (IMG.astype(np.float16), 2, 2, "VALID"), {}),
    ("nn.max_pool2d", (np.ones((1, 4, 4, 4)), [1, 1, 1, 2], [1, 1, 1, 2], "VALID"), {}),
    ("nn.max_pool2d", (IMG, [1, 2, 2, 2], 2, "VALID"), {}),
    ("nn.max_pool2d", (np.ones((1, 5, 5, 3), np.float32), 0, 1, "VALID"), {}),
    ("nn.max_pool2d", (np.ones((1, 5, 5, 3), np.float32), 2, 0, "VALID"), {}),
    ("nn.max_pool2d", (np.ones((1, 5, 5, 3)), 7, 1, "VALID"), {}),
    ("nn.max_pool2d", (np.ones((1, 5, 5)), 2, 1, "VALID"), {}),
    ("nn.max_pool2d", (np.ones((1, 5, 5, 3)), [2, 2, 2, 1], 1, "VALID"), {}),
    ("nn.max_pool2d", (np.ones((1, 5, 5, 3), np.float32), 2, 1, "FOO"), {}),
    ("nn.avg_pool2d", (IMG, 2, 2, "VALID"), {}),
    ("nn.avg_pool2d", (IMG, 3, 2, "SAME"), {}),
    ("nn.avg_pool2d", (IMG64, [3, 2], [2, 1], "SAME"), {}),
    ("nn.avg_pool2d", (NCHW, 2, 2, "SAME"), {"data_format": "NCHW"}),
    ("nn.avg_pool2d", ((IMG * 7).astype(np.int32), 3, 2, "SAME"), {}),
    ("nn.avg_pool2d", (IMG, 2, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]), {}),
    ("nn.avg_pool2d", (np.ones((1, 5, 5, 3), np.float32), 7, 1, "VALID"), {}),
    ("nn.avg_pool2d", (np.ones((1, 5, 5), np.float32), 2, 1, "VALID"), {}),
    ("nn.avg_pool2d", (np.ones((1, 5, 5), np.float64), 2, 1, "VALID"), {}),
    ("nn.avg_pool2d", (np.ones((1, 5, 5, 3)), 2, 1, "VALID"), {"data_format": "NCHW"}, _NHWC_ON_CPU),
    ("nn.max_pool", (IMG, 2, 2, "VALID"), {}),
    ("nn.avg_pool", (IMG[:, 0], 2, 1, "SAME"), {}),
    ("nn.max_pool1d", (IMG[:, 0], 2, 2, "VALID"), {}),
    ("nn.max_pool1d", (IMG[:, 0], 3, 1, "SAME"), {}),
    ("nn.avg_pool1d", (IMG[:, 0], 2, 2, "VALID"), {}),
]


def _id(case: tuple) -> str:
    return case[0] + "-" + "-".join(f"{k}={v}" for k, v in case[2].items() if not isinstance(v, np.ndarray))


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_matches_tensorflow(tf_oracle, case):
    path, args, kwargs = case[:3]
    options = dict(case[3]) if len(case) > 3 else {}
    if options.pop("cpu_only", False) and not on_cpu():
        pytest.skip("the oracle is TF's CPU, whose kernel behaves differently from TF's GPU kernel here")
    check_same(tf_oracle, path, *args, **kwargs, **options)


def test_leaky_relu_tensor_alpha_is_a_type_error():
    with pytest.raises(TypeError, match="Expected float for argument 'alpha'"):
        ff.nn.leaky_relu(V, alpha=ff.constant(0.1))


# --- dropout -------------------------------------------------------------------------------------------------


def test_dropout_masks_match_tensorflow_when_seeded(tf_oracle):
    x = np.arange(1, 41, dtype=np.float32).reshape(5, 8)
    results = []
    for mod in (ff, tf_oracle):
        mod.random.set_seed(5)
        results.append([mod.nn.dropout(x, 0.5, seed=1).numpy(), mod.nn.dropout(x, 0.25).numpy(),
                        mod.nn.dropout(x, 0.0).numpy(), mod.nn.dropout(x, 0.5, noise_shape=[5, 1]).numpy(),
                        mod.nn.dropout(x, mod.constant(0.5), seed=3).numpy()])
    for ours, theirs in zip(*results):
        np.testing.assert_array_equal(ours, theirs)


def test_dropout_keeps_and_scales():
    x = np.ones((200, 200), np.float32)
    y = ff.nn.dropout(x, 0.3, seed=7).numpy()
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / 0.7, rtol=1e-6)
    assert abs(kept.mean() - 0.7) < 0.02
    v = ff.Variable(x)
    with ff.GradientTape() as tape:
        out = ff.nn.dropout(v, 0.3, seed=11)
    grad = tape.gradient(out, v).numpy()
    np.testing.assert_allclose(grad, out.numpy())  # d(x * mask / keep)/dx = mask / keep, and x is ones


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 2), st.integers(3, 7), st.integers(3, 7), st.integers(1, 3), st.integers(1, 3),
       st.integers(1, 3), st.integers(1, 2), st.sampled_from(["SAME", "VALID"]))
def test_conv2d_vs_numpy_loops(n, h, w, kh, kw, stride, dilation, padding):
    """conv2d against a direct NumPy sum over filter taps, for shapes and strides hypothesis picks."""
    x = rng.standard_normal((n, h, w, 2))
    f = rng.standard_normal((kh, kw, 2, 3))
    eh, ew = (kh - 1) * dilation + 1, (kw - 1) * dilation + 1
    if padding == "VALID":
        if eh > h or ew > w:
            return
        oh, ow, pt, pl = (h - eh) // stride + 1, (w - ew) // stride + 1, 0, 0
    else:
        oh, ow = -(-h // stride), -(-w // stride)
        pt = max((oh - 1) * stride + eh - h, 0) // 2
        pl = max((ow - 1) * stride + ew - w, 0) // 2
    xp = np.pad(x, ((0, 0), (pt, eh + stride * oh), (pl, ew + stride * ow), (0, 0)))
    expected = np.zeros((n, oh, ow, 3))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, i * dilation:, j * dilation:][:, : oh * stride : stride, : ow * stride : stride]
            expected += np.einsum("nhwc,co->nhwo", patch, f[i, j])
    got = ff.nn.conv2d(x, f, stride, padding, dilations=dilation)
    np.testing.assert_allclose(got.numpy(), expected, atol=1e-10)


# --- gradients ---------------------------------------------------------------------------------------------------

P = np.array([-1.3, -0.4, 0.3, 0.9, 2.2, 6.5])
LG64, LB64 = LG.astype(np.float64) + rng.standard_normal((2, 3)) * 0.1, LB.astype(np.float64)
IMG_S = rng.standard_normal((1, 5, 4, 2))
FILT_S = rng.standard_normal((3, 2, 2, 4))
GRAD_CASES = [
    ("relu", lambda m: lambda x: m.nn.relu(x), (P,)),
    ("relu6", lambda m: lambda x: m.nn.relu6(x), (P,)),
    ("leaky_relu", lambda m: lambda x: m.nn.leaky_relu(x, 0.3), (P,)),
    ("elu", lambda m: lambda x: m.nn.elu(x), (P,)),
    ("selu", lambda m: lambda x: m.nn.selu(x), (P,)),
    ("gelu", lambda m: lambda x: m.nn.gelu(x), (P,)),
    ("gelu_tanh", lambda m: lambda x: m.nn.gelu(x, approximate=True), (P,)),
    ("silu", lambda m: lambda x: m.nn.silu(x, beta=1.5), (P,)),
    ("softsign", lambda m: lambda x: m.nn.softsign(x), (P,)),
    ("softmax", lambda m: lambda x: m.nn.softmax(x, axis=0), (LG64,)),
    ("log_softmax", lambda m: lambda x: m.nn.log_softmax(x), (LG64,)),
    ("l2_loss", lambda m: lambda x: m.nn.l2_loss(x), (LG64,)),
    ("softmax_xent", lambda m: lambda lb, lg: m.nn.softmax_cross_entropy_with_logits(lb, lg), (LB64, LG64)),
    ("softmax_xent_axis", lambda m: lambda lb, lg: m.nn.softmax_cross_entropy_with_logits(lb, lg, axis=0),
     (LB64.T, LG64.T)),
    ("sparse_xent", lambda m: lambda lg: m.nn.sparse_softmax_cross_entropy_with_logits([2, 0], lg), (LG64,)),
    ("sigmoid_xent", lambda m: lambda lb, lg: m.nn.sigmoid_cross_entropy_with_logits(lb, lg), (LB64, LG64)),
    ("weighted_xent", lambda m: lambda lb, lg: m.nn.weighted_cross_entropy_with_logits(lb, lg, 2.0), (LB64, LG64)),
    ("bias_add", lambda m: lambda x, b: m.nn.bias_add(x, b), (LG64, np.ones(3))),
    ("bias_add_nchw", lambda m: lambda x, b: m.nn.bias_add(x, b, data_format="NCHW"), (IMG_S, np.ones(5))),
    ("moments", lambda m: lambda x: m.nn.moments(x, axes=[0]), (LG64,)),
    ("batch_norm", lambda m: lambda x, mu, var, off, sc: m.nn.batch_normalization(x, mu, var, off, sc, 1e-3),
     (LG64, np.ones(3) * 0.5, np.ones(3) * 2, np.zeros(3), np.ones(3) * 1.5)),
    ("embedding", lambda m: lambda p: m.nn.embedding_lookup(p, [[2, 0], [2, 2]]), (LG64.T,)),
    ("embedding_max_norm", lambda m: lambda p: m.nn.embedding_lookup(p, [1, 2], max_norm=0.5), (LG64.T,)),
    ("conv2d_same", lambda m: lambda x, f: m.nn.conv2d(x, f, 2, "SAME"), (IMG_S, FILT_S)),
    ("conv2d_explicit", lambda m: lambda x, f: m.nn.conv2d(x, f, [2, 1], [[0, 0], [1, 2], [0, 1], [0, 0]]),
     (IMG_S, FILT_S)),
    ("conv1d", lambda m: lambda x, f: m.nn.conv1d(x, f, 2, "SAME"), (IMG_S[0], FILT_S[0])),
    ("conv2d_transpose", lambda m: lambda x, f: m.nn.conv2d_transpose(x, f, [1, 5, 4, 2], 2, "SAME"),
     (IMG_S[:, :3, :2, :].repeat(2, axis=-1), FILT_S)),
    ("depthwise", lambda m: lambda x, f: m.nn.depthwise_conv2d(x, f, [1, 1, 1, 1], "SAME"), (IMG_S, FILT_S[..., :2])),
    ("max_pool_same", lambda m: lambda x: m.nn.max_pool2d(x, 3, 2, "SAME"), (IMG_S,)),
    ("max_pool_valid", lambda m: lambda x: m.nn.max_pool2d(x, 2, 1, "VALID"), (IMG_S,)),
    ("avg_pool_same", lambda m: lambda x: m.nn.avg_pool2d(x, 3, 2, "SAME"), (IMG_S,)),
    ("avg_pool_valid", lambda m: lambda x: m.nn.avg_pool2d(x, [2, 3], 1, "VALID"), (IMG_S,)),
    ("max_pool1d", lambda m: lambda x: m.nn.max_pool1d(x, 2, 1, "SAME"), (IMG_S[0],)),
]


@pytest.mark.parametrize("name,make,arrays", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradient_numeric(name, make, arrays):
    check_grad_numeric(make(ff), *arrays, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,make,arrays", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradient_matches_tensorflow(tf_oracle, name, make, arrays):
    check_grad_tf(tf_oracle, make, *arrays, rtol=1e-6, atol=1e-8)


CPU_LIMITED = [
    ("conv2d_dilated", lambda m: lambda x, f: m.nn.conv2d(x, f, 1, "SAME", dilations=2), FILT_S),
    ("conv2d_groups", lambda m: lambda x, f: m.nn.conv2d(x, f, 1, "VALID"), FILT_S[:, :, :1]),
]


@pytest.mark.parametrize("name,make,filt", CPU_LIMITED, ids=[c[0] for c in CPU_LIMITED])
def test_dilated_and_grouped_conv_gradients(tf_oracle, name, make, filt):
    """TF's CPU has these gradients in float32 (oneDNN) only; float64 raises its kernel's error. TF's GPU has
    them in every float type."""
    check_grad_tf(tf_oracle, make, IMG_S.astype(np.float32), filt.astype(np.float32), rtol=2e-5, atol=1e-5)
    if not on_cpu():
        check_grad_numeric(make(ff), IMG_S, filt, rtol=1e-5, atol=1e-6)
        return
    errors = []
    for mod in (ff, tf_oracle):
        x, f = mod.constant(IMG_S), mod.constant(filt)
        with mod.GradientTape() as tape:
            tape.watch([x, f])
            y = mod.reduce_sum(make(mod)(x, f))
        with pytest.raises(Exception) as info:
            tape.gradient(y, [x, f])
        errors.append(info.value)
    assert type(errors[0]).__name__ == type(errors[1]).__name__
    assert str(errors[0]) == str(errors[1])


def test_max_pool_ties_route_like_tensorflow(tf_oracle):
    for make in (lambda m: lambda x: m.nn.max_pool2d(x, 2, 1, "VALID"),
                 lambda m: lambda x: m.nn.max_pool2d(x, 3, 2, "SAME")):
        check_grad_tf(tf_oracle, make, np.ones((1, 4, 4, 1)))


SECOND_ORDER = [
    ("conv2d", lambda m, x, f: m.nn.conv2d(x, f, 2, "SAME")),
    ("max_pool", lambda m, x, f: m.nn.max_pool2d(m.nn.conv2d(x, f, 1, "SAME"), 2, 2, "VALID")),
    ("avg_pool", lambda m, x, f: m.nn.avg_pool2d(m.nn.conv2d(x, f, 1, "SAME"), 3, 2, "SAME")),
    ("softmax_xent", lambda m, x, f: m.nn.softmax_cross_entropy_with_logits(
        m.nn.softmax(m.reshape(f, [12, 4])), m.reshape(f, [12, 4]) * m.reduce_sum(x))),
    ("sparse_xent", lambda m, x, f: m.nn.sparse_softmax_cross_entropy_with_logits(
        [0, 1, 2, 3] * 3, m.reshape(f, [12, 4]) * m.reduce_sum(x))),
    ("activations", lambda m, x, f: m.nn.elu(f) * m.nn.selu(f) + m.nn.relu(f) * m.nn.leaky_relu(f) +
     m.nn.relu6(f) * f + m.nn.log_softmax(f)),
    ("bias_add", lambda m, x, f: m.nn.bias_add(x, m.reduce_sum(f, axis=[0, 1, 2])[:2]) ** 2),
]


@pytest.mark.parametrize("name,fn", SECOND_ORDER, ids=[c[0] for c in SECOND_ORDER])
def test_second_order_matches_tensorflow(tf_oracle, name, fn):
    def hessian_vector(mod):
        x, f = mod.Variable(IMG_S), mod.Variable(FILT_S)
        with mod.GradientTape(persistent=True) as outer:
            with mod.GradientTape() as inner:
                y = mod.reduce_sum(fn(mod, x, f) ** 2)
            z = sum(mod.reduce_sum(g * g) for g in inner.gradient(y, [x, f]) if g is not None)
        return [None if g is None else g.numpy() for g in outer.gradient(z, [x, f])]

    for ours, theirs in zip(hessian_vector(ff), hessian_vector(tf_oracle)):
        assert (ours is None) == (theirs is None)
        if ours is not None:
            np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-8)
