"""Device purity of the linalg and nn ops (linalg, linalg_decomp, linalg_composite, nn, nn_impl, conv, pooling):
each op's forward and gradient run on the CPU and on a simulated GPU (tests/conftest.py), the GPU run without a
host transfer, with the results on GPU:0 and equal to the CPU's (which test_linalg.py and test_nn.py check
against TF).

Where TF reads a value back on a GPU too, so do these ops, once per read and explicitly; they are listed in
``SYNCING`` with the copies they make: MatrixInverse and MatrixSolve raise TF's "not invertible" error after
reading whether the solve failed, as TF's GPU kernels read LAPACK's status (so do the gradients of det and slogdet,
which invert, and expm, which solves); expm's number of squarings is data (TF's eager loop reads it too);
embedding_lookup over several shards routes the ids on the host, as TF's Python code does. Where TF's GPU kernel
skips a check its CPU kernel makes (labels, indices, non-finite input), the simulated GPU skips it too
(``test_gpu_kernels_behave_as_tfs_gpu_kernels``).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff

from .._gpu_mode import gpu_array_type
from ..conftest import assert_no_transfers
from ._device_support import Recorder as _Recorder
from ._device_support import check, run

pytestmark = pytest.mark.usefixtures("device")

_SQ = np.array([[2.0, 0.3, -0.4], [0.1, 1.5, 0.7], [-0.2, 0.4, 3.0]])
_SPD = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])


def _inputs() -> dict:
    """The inputs every case draws from, made before the measured block (making them is an upload)."""
    rng = np.random.default_rng(3)
    return {
        "sq": ff.constant(_SQ),
        "spd": ff.constant(_SPD),
        "bsq": ff.constant(np.stack([_SQ, _SQ.T + np.eye(3)])),
        "a43": ff.constant(np.arange(12.0).reshape(4, 3) / 7 - 0.6 + np.eye(4, 3)),
        "a34": ff.constant(np.arange(12.0).reshape(3, 4) / 5 - 1.1),
        "v3": ff.constant(np.array([1.0, -2.0, 0.5])),
        "b32": ff.constant(np.array([[1.0, 0.5], [-1.0, 2.0], [0.25, 3.0]])),
        "herm": ff.constant(np.array([[3.0, 1 - 1j], [1 + 1j, 2.0]])),
        "i8": ff.constant(np.arange(6, dtype=np.int8).reshape(2, 3)),
        "p": ff.constant(np.array([[-1.3, -0.4, 0.3], [0.9, 2.2, 6.5]])),
        "p32": ff.constant(np.array([[-1.3, -0.4, 0.3], [0.9, 2.2, 6.5]], np.float32)),
        "labels": ff.constant(np.array([[0.0, 0.0, 1.0], [0.5, 0.5, 0.0]])),
        "classes": ff.constant([2, 0]),
        "bias": ff.constant(np.array([0.5, -1.0, 2.0])),
        "img": ff.constant(rng.standard_normal((1, 5, 4, 2))),
        "filt": ff.constant(rng.standard_normal((3, 2, 2, 4))),
        "seq": ff.constant(rng.standard_normal((2, 6, 2))),
        "filt1": ff.constant(rng.standard_normal((2, 2, 3))),
        "params": ff.constant(np.arange(12.0).reshape(4, 3) / 4),
        "ids": ff.constant([[2, 0], [3, 3]]),
        "mean": ff.constant(np.array([0.5, 0.5, 0.5])),
        "var": ff.constant(np.array([2.0, 1.0, 0.5])),
        "eps": ff.constant(1e-3, dtype=ff.float64),
        "rate": ff.constant(0.5, dtype=ff.float64),
    }





# name -> (the program over the inputs, the input its gradient is taken for, or None)
CASES: dict[str, tuple[Callable[[dict], Any], str | None]] = {
    # linalg.py
    "matmul": (lambda t: ff.matmul(t["a43"], t["a34"]), "a43"),
    "matmul_transposed": (lambda t: ff.matmul(t["a34"], t["a34"], transpose_a=True), "a34"),
    "batch_matmul": (lambda t: ff.matmul(t["bsq"], t["sq"], adjoint_b=True), "bsq"),
    "batch_matmul_v3": (lambda t: ff.matmul(t["i8"], t["i8"], transpose_b=True, output_type=ff.int32), None),
    "matvec": (lambda t: ff.linalg.matvec(t["a43"], t["v3"]), "v3"),
    "tensordot": (lambda t: ff.tensordot(t["a43"], t["a34"], [[0], [1]]), "a34"),
    "einsum": (lambda t: ff.einsum("ij,jk->ik", t["a43"], t["a34"]), "a43"),
    "einsum_diag": (lambda t: ff.einsum("ii->i", t["sq"]), "sq"),
    "einsum_three": (lambda t: ff.einsum("ij,jk,kl->il", t["a43"], t["a34"], t["a43"]), "a34"),
    "matrix_transpose": (lambda t: ff.linalg.matrix_transpose(t["bsq"]), "bsq"),
    "adjoint": (lambda t: ff.math.real(ff.linalg.adjoint(t["herm"])), None),
    "norm": (lambda t: ff.norm(t["a43"]), "a43"),
    "norm_1": (lambda t: ff.norm(t["a43"], ord=1, axis=[0, 1]), "a43"),
    "norm_inf": (lambda t: ff.norm(t["a43"], ord=np.inf, axis=1), "a43"),
    "norm_3": (lambda t: ff.norm(t["a43"], ord=3, axis=0), "a43"),
    "norm_2_matrix": (lambda t: ff.norm(t["a43"], ord=2, axis=[0, 1]), "a43"),
    "global_norm": (lambda t: ff.linalg.global_norm([t["a43"], t["sq"]]), "sq"),
    # linalg_decomp.py
    "det_value": (lambda t: ff.linalg.det(t["bsq"]), None),
    "slogdet_value": (lambda t: ff.linalg.slogdet(t["sq"]), None),
    "cholesky": (lambda t: ff.linalg.cholesky(t["spd"]), "spd"),
    "qr": (lambda t: ff.linalg.qr(t["a43"]), "a43"),
    "qr_wide": (lambda t: ff.linalg.qr(t["a34"]), "a34"),
    "svd": (lambda t: ff.linalg.svd(t["a34"])[0], "a34"),
    "svd_vectors": (lambda t: ff.abs(ff.linalg.svd(t["a43"])[1]), "a43"),
    "svd_values": (lambda t: ff.linalg.svd(t["a43"], compute_uv=False), "a43"),
    "eigh": (lambda t: [ff.linalg.eigh(t["spd"])[0], ff.abs(ff.linalg.eigh(t["spd"])[1])], "spd"),
    "eigvalsh": (lambda t: ff.linalg.eigvalsh(t["spd"]), "spd"),
    "triangular_solve": (lambda t: ff.linalg.triangular_solve(t["sq"], t["b32"]), "sq"),
    "triangular_solve_upper_adjoint": (lambda t: ff.linalg.triangular_solve(t["sq"], t["b32"], lower=False,
                                                                            adjoint=True), "b32"),
    # linalg_composite.py
    "logdet": (lambda t: ff.linalg.logdet(t["spd"]), "spd"),
    "cholesky_solve": (lambda t: ff.linalg.cholesky_solve(ff.linalg.cholesky(t["spd"]), t["b32"]), "b32"),
    "lstsq": (lambda t: ff.linalg.lstsq(t["a43"], t["a43"]), "a43"),
    "lstsq_regularized": (lambda t: ff.linalg.lstsq(t["a34"], t["b32"], l2_regularizer=0.1), "a34"),
    "lstsq_complete_orthogonal": (lambda t: ff.linalg.lstsq(t["a43"], t["a43"], fast=False), None),
    "pinv": (lambda t: ff.linalg.pinv(t["a43"]), "a43"),
    "matrix_rank": (lambda t: ff.linalg.matrix_rank(t["a43"]), None),
    # nn.py
    "relu": (lambda t: ff.nn.relu(t["p"]), "p"),
    "relu_float32": (lambda t: ff.nn.relu(t["p32"]), "p32"),
    "relu6": (lambda t: ff.nn.relu6(t["p"]), "p"),
    "leaky_relu": (lambda t: ff.nn.leaky_relu(t["p"], 0.3), "p"),
    "elu": (lambda t: ff.nn.elu(t["p"]), "p"),
    "selu": (lambda t: ff.nn.selu(t["p"]), "p"),
    "softsign": (lambda t: ff.nn.softsign(t["p"]), "p"),
    "gelu": (lambda t: ff.nn.gelu(t["p"]), "p"),
    "gelu_tanh": (lambda t: ff.nn.gelu(t["p"], approximate=True), "p"),
    "silu": (lambda t: ff.nn.silu(t["p"]), "p"),
    "softmax": (lambda t: ff.nn.softmax(t["p"], axis=0), "p"),
    "log_softmax": (lambda t: ff.nn.log_softmax(t["p"]), "p"),
    "l2_loss": (lambda t: ff.nn.l2_loss(t["p"]), "p"),
    "bias_add": (lambda t: ff.nn.bias_add(t["p"], t["bias"]), "bias"),
    # nn_impl.py
    "softmax_xent": (lambda t: ff.nn.softmax_cross_entropy_with_logits(t["labels"], t["p"]), "p"),
    "softmax_xent_axis": (lambda t: ff.nn.softmax_cross_entropy_with_logits(t["labels"], t["p"], axis=0), "p"),
    "sparse_xent": (lambda t: ff.nn.sparse_softmax_cross_entropy_with_logits(t["classes"], t["p"]), "p"),
    "sigmoid_xent": (lambda t: ff.nn.sigmoid_cross_entropy_with_logits(t["labels"], t["p"]), "p"),
    "weighted_xent": (lambda t: ff.nn.weighted_cross_entropy_with_logits(t["labels"], t["p"], 2.0), "p"),
    "moments": (lambda t: ff.nn.moments(t["p"], axes=[0]), "p"),
    "batch_normalization": (lambda t: ff.nn.batch_normalization(t["p"], t["mean"], t["var"], t["bias"], t["var"],
                                                                t["eps"]), "p"),
    "embedding_lookup": (lambda t: ff.nn.embedding_lookup(t["params"], t["ids"]), "params"),
    "embedding_lookup_max_norm": (lambda t: ff.nn.embedding_lookup(t["params"], t["ids"], max_norm=0.5), "params"),
    # conv.py and pooling.py
    "conv2d": (lambda t: ff.nn.conv2d(t["img"], t["filt"], 2, "SAME"), "img"),
    "conv2d_filter": (lambda t: ff.nn.conv2d(t["img"], t["filt"], [2, 1], [[0, 0], [1, 2], [0, 1], [0, 0]]),
                      "filt"),
    # float32: TF's CPU differentiates dilated convolutions through oneDNN only
    "conv2d_dilated": (lambda t: ff.nn.conv2d(ff.cast(t["img"], ff.float32), ff.cast(t["filt"], ff.float32), 1,
                                              "SAME", dilations=2), "filt"),
    "conv1d": (lambda t: ff.nn.conv1d(t["seq"], t["filt1"], 2, "SAME"), "seq"),
    "conv2d_transpose": (lambda t: ff.nn.conv2d_transpose(t["img"][:, :3, :2, :], ff.reshape(
        t["filt"][..., :2], [3, 2, 2, 2]), [1, 5, 4, 2], 2, "SAME"), "img"),
    "depthwise_conv2d": (lambda t: ff.nn.depthwise_conv2d(t["img"], t["filt"][..., :2], [1, 1, 1, 1], "SAME"),
                         "img"),
    "max_pool2d": (lambda t: ff.nn.max_pool2d(t["img"], 3, 2, "SAME"), "img"),
    "max_pool1d": (lambda t: ff.nn.max_pool1d(t["seq"], 2, 1, "VALID"), "seq"),
    "max_pool_depth": (lambda t: ff.nn.max_pool2d(t["img"], [1, 1, 1, 2], [1, 1, 1, 2], "VALID"), "img"),
    "avg_pool2d": (lambda t: ff.nn.avg_pool2d(t["img"], 3, 2, "SAME"), "img"),
    "avg_pool1d": (lambda t: ff.nn.avg_pool1d(t["seq"], 3, 2, "SAME"), "seq"),
}

# Ops that read data back on a GPU, with the (host->device, device->host) copies each run makes there.
SYNCING: dict[str, tuple[Callable[[dict], Any], str | None, Any]] = {
    # the solver's "not invertible" status (TF's GPU kernels read it back too); the gradient inverts again
    "inv": (lambda t: ff.linalg.inv(t["sq"]), "sq", (0, 1)),
    "inv_adjoint": (lambda t: ff.linalg.inv(t["bsq"], adjoint=True), None, (0, 1)),
    # their gradients invert the matrix (TF's too)
    "det": (lambda t: ff.linalg.det(t["bsq"]), "bsq", (0, 1)),
    "slogdet": (lambda t: ff.linalg.slogdet(t["sq"]), "sq", (0, 1)),
    "solve": (lambda t: ff.linalg.solve(t["sq"], t["b32"]), "b32", (0, 2)),
    # the number of squarings (TF's Python loop reads it too)
    "expm": (lambda t: ff.linalg.expm(t["sq"]), "sq", (0, 3)),  # and the solve's status, forward and gradient
    # the shard of each id is computed on the host (TF's Python code does it with ops that copy the ids)
    "embedding_lookup_sharded": (lambda t: ff.nn.embedding_lookup([t["params"][:2], t["params"][2:]], t["ids"]),
                                 "params", (1, 1)),
    # dropout itself copies nothing: it makes the copies its random op makes for its shape (ops/random/core.py)
    "dropout": (lambda t: [ff.random.set_seed(5), ff.nn.dropout(t["p"], t["rate"], seed=1)][1], "p",
                lambda: _copies(lambda: ff.random.uniform([2, 3], dtype=ff.float64, seed=1))),
}


def _copies(program: Callable) -> tuple:
    from featherflow.backends import simulated

    before = simulated.transfers()
    program()
    after = simulated.transfers()
    return after[0] - before[0], after[1] - before[1]


@pytest.mark.parametrize("name", sorted(CASES))
def test_op_and_gradient_stay_on_the_device(device: str, name: str) -> None:
    check(device, _inputs, *CASES[name], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(SYNCING))
def test_ops_that_read_data_back_make_only_their_explicit_copies(device: str, name: str) -> None:
    check(device, _inputs, *SYNCING[name], rtol=1e-10, atol=1e-12)


def test_second_order_gradients_stay_on_the_device(device: str) -> None:
    """The gradient ops' own gradients (ReluGrad, EluGrad, Conv2DBackprop*, MaxPoolGrad, AvgPoolGrad, ...)."""
    t = _inputs()
    x, f = t["img"], t["filt"]

    def program() -> list:
        with ff.GradientTape(persistent=True) as outer:
            outer.watch([x, f])
            with ff.GradientTape() as inner:
                inner.watch([x, f])
                h = ff.nn.conv2d(x, f, 1, "SAME")
                y = (ff.nn.elu(h) * ff.nn.selu(h) + ff.nn.relu(h) * ff.nn.leaky_relu(h) + ff.nn.relu6(h) * h
                     + ff.nn.log_softmax(h))
                y = ff.nn.max_pool2d(y, 2, 2, "VALID") + ff.nn.avg_pool2d(y, 3, 2, "SAME")[:, :2, :2, :]
                y = ff.nn.bias_add(y, ff.reduce_sum(f, axis=[0, 1, 2]))
                y = ff.reduce_sum(y * y)
            grads = inner.gradient(y, [x, f])
            z = ff.reduce_sum(grads[0] * grads[0]) + ff.reduce_sum(grads[1] * grads[1])
        return outer.gradient(z, [x, f])

    if device == "GPU":
        with assert_no_transfers():
            ours = program()
        assert all(type(g._value) is gpu_array_type() for g in ours)
    else:
        ours = program()
    with ff.device("CPU:0"):
        t = {k: ff.identity(v) for k, v in t.items()}
        x, f = t["img"], t["filt"]
        want = program()
    for g, w in zip(ours, want):
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-10)


def test_every_op_of_these_modules_has_a_device_case() -> None:
    from featherflow.ops.linalg import composite as linalg_composite
    from featherflow.ops.linalg import core as linalg
    from featherflow.ops.linalg import decomp as linalg_decomp
    from featherflow.ops.linalg import einsum as linalg_einsum
    from featherflow.ops.nn import conv
    from featherflow.ops.nn import core as nn
    from featherflow.ops.nn import impl as nn_impl
    from featherflow.ops.registry import OPS

    modules = {m.__name__ for m in (conv, linalg, linalg_composite, linalg_decomp, linalg_einsum, nn, nn_impl)}
    ours = sorted(n for n, op in OPS.items() if op.forward.__module__ in modules)
    assert len(ours) > 40
    reached: set = set()
    with _Recorder(reached):
        for case, wrt, *_ in list(CASES.values()) + list(SYNCING.values()):
            run(case, wrt, _inputs())
        test_second_order_gradients_stay_on_the_device("CPU")
    missing = [n for n in ours if n not in reached]
    assert not missing, missing


def test_gpu_kernels_behave_as_tfs_gpu_kernels(device: str) -> None:
    """Where TF's GPU kernel differs from its CPU kernel (which test_linalg.py and test_nn.py compare against),
    the simulated GPU does what the GPU kernel does."""
    singular = ff.constant(np.array([[1.0, 2.0], [2.0, 4.0]]))
    batch = ff.constant(np.stack([_SPD, -_SPD]))
    zero = ff.constant(np.zeros((2, 2)))
    rhs = ff.constant(np.ones((2, 1)))
    logits = ff.constant(np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]))
    labels = ff.constant([2, 3])
    nchw = ff.constant(np.arange(2 * 3 * 4 * 5, dtype=np.float64).reshape(2, 3, 4, 5) / 10)
    filt = ff.constant(np.arange(2 * 2 * 3 * 2, dtype=np.float64).reshape(2, 2, 3, 2) / 5)
    deep = ff.constant(np.ones((1, 1, 1, 1, 1, 2), np.float32))
    nan = ff.constant(np.array([[np.nan, 1.0], [1.0, 1.0]]))
    # the same on both: a singular matrix is an error (TF's GPU kernels read the solver's status back)
    for program in (lambda: ff.linalg.inv(singular), lambda: ff.linalg.solve(singular, rhs)):
        with pytest.raises(ff.errors.InvalidArgumentError, match="not invertible"):
            program()
    # TF's GPU and CPU kernels both fill a failed Cholesky factor's lower triangle with NaN
    factors = ff.linalg.cholesky(batch).numpy()
    np.testing.assert_allclose(factors[0], np.linalg.cholesky(_SPD), rtol=1e-12)
    assert np.isnan(factors[1][np.tril_indices(3)]).all() and not np.triu(factors[1], 1).any()
    if device == "CPU":
        with pytest.raises(ff.errors.InvalidArgumentError, match="outside the valid range"):
            ff.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)
        with pytest.raises(ff.errors.UnimplementedError, match="NHWC"):
            ff.nn.conv2d(nchw, filt, 1, "SAME", data_format="NCHW")
        with pytest.raises(ff.errors.AbortedError):
            ff.nn.softmax(deep)
        with pytest.raises(ff.errors.InvalidArgumentError, match="not successful"):
            ff.linalg.eigh(nan)
        return
    with assert_no_transfers():
        solved = ff.linalg.triangular_solve(zero, rhs)  # substitution: inf, then NaN (cuBLAS's trsm)
        loss = ff.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)  # a bad label: NaN, unchecked
        conv = ff.nn.conv2d(nchw, filt, 1, "SAME", data_format="NCHW")  # NCHW: cuDNN takes it
        pooled = ff.nn.avg_pool2d(nchw, 2, 1, "VALID", data_format="NCHW")
        soft = ff.nn.softmax(deep)  # any rank (oneDNN's CPU kernel: at most 5)
        ff.linalg.eigh(nan)  # not checked for NaN
    assert solved.numpy().ravel().tolist()[0] == np.inf and np.isnan(solved.numpy()[1, 0])
    assert np.isnan(loss.numpy()[1]) and np.isfinite(loss.numpy()[0])
    with ff.device("CPU:0"):
        nhwc = ff.transpose(ff.identity(nchw), [0, 2, 3, 1])
        want_conv = ff.transpose(ff.nn.conv2d(nhwc, ff.identity(filt), 1, "SAME"), [0, 3, 1, 2])
        want_pool = ff.transpose(ff.nn.avg_pool2d(nhwc, 2, 1, "VALID"), [0, 3, 1, 2])
    np.testing.assert_allclose(conv.numpy(), want_conv.numpy(), rtol=1e-12)
    np.testing.assert_allclose(pooled.numpy(), want_pool.numpy(), rtol=1e-12)
    np.testing.assert_array_equal(soft.numpy(), np.full((1, 1, 1, 1, 1, 2), 0.5, np.float32))
