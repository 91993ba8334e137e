"""tf.linalg: one table of calls run under featherflow and real TensorFlow (values, dtypes, shapes, errors),
gradient checks against central differences (float64) and against TF, and the matmul speed bound."""

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

rng = np.random.default_rng(0)
M = rng.standard_normal((3, 3))
SPD = M @ M.T + 3 * np.eye(3)
SPD32 = SPD.astype(np.float32)
R43 = rng.standard_normal((4, 3))
R34 = R43.T.copy()
B = rng.standard_normal((2, 3, 3)) + 3 * np.eye(3)
BSPD = B @ np.swapaxes(B, -1, -2) + np.eye(3)
HERM = (M + 1j * rng.standard_normal((3, 3))).astype(np.complex128)
HERM = HERM @ HERM.conj().T + 3 * np.eye(3)
X12 = np.arange(12, dtype=np.float32).reshape(3, 4) - 5
I2 = np.eye(2, dtype=np.int32)
F16 = np.eye(2, dtype=np.float16)

CASES = [
    # matmul: dtypes, flags, batches, broadcasting, and TF's errors
    ("matmul", (R43.astype(np.float32), R34.astype(np.float32)), {}),
    ("matmul", (R43, R43), {"transpose_a": True}),
    ("matmul", (R43, R43), {"transpose_b": True}),
    ("matmul", (R34, R43), {"transpose_a": True, "transpose_b": True}),
    ("matmul", (HERM.astype(np.complex64), HERM.astype(np.complex64)), {"adjoint_a": True}),
    ("matmul", (HERM, HERM), {"transpose_b": True}),
    ("matmul", (np.stack([HERM, HERM]), HERM), {"transpose_a": True, "adjoint_b": True}),
    ("matmul", (np.arange(6, dtype=np.int32).reshape(2, 3), np.arange(6, dtype=np.int32).reshape(3, 2)), {}),
    ("matmul", (np.ones((2, 3), np.int64) * 2**62, np.ones((3, 2), np.int64)), {}),
    ("matmul", (np.ones((1, 2, 3), np.int16) * 300, np.ones((3, 2), np.int16)), {}),
    ("matmul", (np.ones((2, 3), np.float16) / 3, np.ones((3, 2), np.float16)), {}),
    ("matmul", (np.ones((2, 3), ml_dtypes.bfloat16), np.ones((3, 2), ml_dtypes.bfloat16)), {}),
    ("matmul", (np.ones((5, 1, 2, 3), np.float32), np.ones((4, 3, 2), np.float32)), {}),
    ("matmul", (np.ones((2, 3), np.float32), np.ones((4, 3, 2), np.float32)), {}),
    ("matmul", (np.ones((2, 0), np.float32), np.ones((0, 2), np.float32)), {}),
    ("matmul", ([[1, 2]], [[3], [4]]), {}),
    ("matmul", (np.ones((4, 2, 3), np.float32), np.ones((4, 3, 2), np.float64)), {}),
    ("matmul", (np.ones((2, 3), np.int8), np.ones((3, 2), np.uint8)), {"output_type": "int32"}),
    ("matmul", (np.ones((2, 3), np.float32), np.ones((2, 3), np.float32)), {}),
    ("matmul", (np.ones((2, 3)), np.ones((2, 3))), {}),
    ("matmul", (np.ones((4, 2, 3), np.float32), np.ones((4, 2, 3), np.float32)), {"transpose_b": False}),
    ("matmul", (np.ones((2, 2, 3), np.float32), np.ones((2, 2, 4), np.float32)), {"transpose_b": True}),
    ("matmul", (np.ones((4, 2, 3)), np.ones((4, 2, 3))), {}),
    ("matmul", (np.ones((4, 2, 3)), np.ones((3, 3, 2))), {}),
    ("matmul", (np.ones((3,), np.float32), np.ones((3, 2), np.float32)), {}),
    ("matmul", (np.ones((3,)), np.ones((3, 2))), {}),
    ("matmul", (np.ones((3,)), np.ones((3,))), {}),
    ("matmul", (np.ones((2, 2, 3)), np.ones((3,))), {}),
    ("matmul", (np.ones((2, 3), np.int8), np.ones((3, 2), np.int8)), {}),
    ("matmul", (np.ones((2, 2, 3), np.int8), np.ones((2, 3, 2), np.int8)), {}),
    ("matmul", (np.ones((2, 3), np.uint8), np.ones((3, 2), np.uint8)), {}),
    ("matmul", (np.ones((1, 2, 3), np.uint16), np.ones((1, 3, 2), np.uint16)), {}),
    ("matmul", (np.ones((2, 3), np.bool_), np.ones((3, 2), np.bool_)), {}),
    ("matmul", (np.ones((2, 2), np.int32), np.ones((2, 2), np.int32)), {"output_type": "int64"}),
    ("matmul", (np.ones((2, 3), np.float32), np.ones((3, 2), np.float32)), {"transpose_a": True, "adjoint_a": True}),
    # matvec, tensordot
    ("linalg.matvec", (R43, np.ones(3)), {}),
    ("linalg.matvec", (np.ones((4, 2, 3), np.float32), np.ones(3, np.float32)), {}),
    ("linalg.matvec", (R43, np.ones(4)), {"transpose_a": True}),
    ("linalg.matvec", (np.ones((2, 3), np.float32), np.ones((2,), np.float32)), {}),
    ("tensordot", (R43, R34, 1), {}),
    ("tensordot", (R43, R34, 0), {}),
    ("tensordot", (np.ones((2, 3, 4)), np.ones((4, 3, 5)), [[1, 2], [1, 0]]), {}),
    ("tensordot", (R43, R43, [0, 0]), {}),
    ("tensordot", (R43, R34, 3), {}),
    ("tensordot", (R43, R34, [[1, 0], [0]]), {}),
    ("tensordot", (np.ones((2, 3), np.int32), np.ones((3, 4), np.int32), 1), {}),
    # einsum
    ("einsum", ("ij,jk->ik", R43, R34), {}),
    ("einsum", ("ij,jk", R43, R34), {}),
    ("einsum", ("ii->i", M), {}),
    ("einsum", ("ii", M), {}),
    ("einsum", ("ij->", R43), {}),
    ("einsum", ("ijk->kji", np.ones((2, 3, 4))), {}),
    ("einsum", ("...ij,...jk->...ik", np.ones((5, 1, 2, 3), np.float32), np.ones((4, 3, 2), np.float32)), {}),
    ("einsum", ("ab...,b->a...", np.ones((2, 3), np.float32), np.ones(3, np.float32)), {}),
    ("einsum", ("i,j->ij", np.arange(3.0), np.arange(4.0)), {}),
    ("einsum", ("ij,jk,kl->il", R43, R34, R43), {}),
    ("einsum", ("bij,bjk->bik", B, B), {}),
    ("einsum", ("i,i", HERM[0], HERM[1]), {}),
    ("einsum", ("ij,ij->j", np.ones((2, 3), np.int32), np.ones((2, 3))), {}),
    ("einsum", ("ij,jk->ik", R43, R43), {}),
    ("einsum", ("ij,jk->ik", R43.astype(np.float32), R43.astype(np.float32)), {}),
    ("einsum", ("ijk->", R43), {}),
    ("einsum", ("ij,jk->ik", R43), {}),
    ("einsum", ("ij,jk->ikk", R43, R34), {}),
    ("einsum", ("ij,jk->iz", R43, R34), {}),
    ("einsum", ("ij,jk->i0", R43, R34), {}),
    ("einsum", ("...->", np.ones(2, np.float32)), {}),
    ("einsum", ("ij,jk->ik", np.ones((2, 3), np.int8), np.ones((3, 2), np.int8)), {}),
    # inverse, determinants, decompositions
    ("linalg.inv", (SPD,), {}),
    ("linalg.inv", (B,), {"adjoint": True}),
    ("linalg.inv", (HERM.astype(np.complex64),), {}),
    ("linalg.inv", (F16,), {}),
    ("linalg.inv", (np.zeros((3, 0, 0), np.float32),), {}),
    ("linalg.inv", (np.array([[1.0, 2], [2, 4]]),), {}),
    ("linalg.inv", ([[1.0, 2], [2, 4]],), {}),
    ("linalg.inv", (np.ones((2, 3)),), {}),
    ("linalg.inv", (np.ones(3),), {}),
    ("linalg.inv", (I2,), {}),
    ("linalg.det", (B,), {}),
    ("linalg.det", (HERM,), {}),
    ("linalg.det", (np.zeros((0, 0)),), {}),
    ("linalg.det", (F16,), {}),
    ("linalg.det", (I2,), {}),
    ("linalg.det", (np.ones((2, 3)),), {}),
    ("linalg.slogdet", (B,), {}),
    ("linalg.slogdet", (-SPD32,), {}),
    ("linalg.slogdet", (np.eye(2, dtype=np.complex64) * (1 + 1j),), {}),
    # TF drops the name tail on the first call of a process only: compare the error type
    ("linalg.slogdet", (I2,), {}, {"message": False}),
    ("linalg.logdet", (BSPD,), {}),
    ("linalg.cholesky", (BSPD,), {}),
    ("linalg.cholesky", (HERM,), {}),
    ("linalg.cholesky", (np.array([[4.0, 100], [1, 3]], np.float32),), {}),
    ("linalg.cholesky", ([[1.0, 2], [3, 4], [5, 6]],), {}),
    ("linalg.cholesky", (F16,), {}),
    ("linalg.qr", (R43,), {}),
    ("linalg.qr", (R34,), {}),
    ("linalg.qr", (R43,), {"full_matrices": True}),
    ("linalg.qr", (np.stack([R43, 2 * R43]).astype(np.float32),), {}),
    ("linalg.qr", (F16,), {}),
    ("linalg.qr", (np.ones(3),), {}),
    ("linalg.svd", (R43,), {"compute_uv": False}),
    ("linalg.svd", (HERM,), {"compute_uv": False}),
    ("linalg.svd", (np.ones((0, 3)),), {}),
    ("linalg.svd", (F16,), {}),
    ("linalg.eigvalsh", (BSPD,), {}),
    ("linalg.eigvalsh", (HERM,), {}),
    ("linalg.eigh", (np.ones((2, 3), np.float32),), {}),
    # TF's CPU kernel rejects non-finite input; its GPU kernel does not look (no copy to the host)
    ("linalg.eigh", (np.array([[np.nan, 1], [1, 1]]),), {}, {"cpu_only": True}),
    ("linalg.eigh", (F16,), {}),
    ("linalg.eigh", (I2,), {}),
    # solvers
    ("linalg.solve", (B, np.ones((2, 3, 2))), {}),
    ("linalg.solve", (SPD32, np.ones((3, 1))), {"adjoint": True}),
    ("linalg.solve", (HERM, np.ones((3, 1), np.complex128)), {}),
    ("linalg.solve", ([[1.0, 2], [2, 4]], [[1.0], [2]]), {}),
    ("linalg.solve", (SPD32, np.ones(3, np.float32)), {}),
    ("linalg.solve", (SPD32[None], np.ones((2, 3, 1), np.float32)), {}),
    ("linalg.solve", (SPD32, np.ones((2, 1), np.float32)), {}),
    ("linalg.solve", (np.ones((2, 3)), np.ones((2, 1))), {}),
    ("linalg.solve", (F16, F16), {}),
    ("linalg.triangular_solve", (SPD, np.ones((3, 2))), {}),
    ("linalg.triangular_solve", (SPD, np.ones((3, 2))), {"lower": False}),
    ("linalg.triangular_solve", (B, np.ones((3, 1))), {"adjoint": True}),
    ("linalg.triangular_solve", (SPD32[None], np.ones((2, 3, 1), np.float32)), {}),
    ("linalg.triangular_solve", (np.zeros((3, 3), np.float32), np.ones((3, 1), np.float32)), {}),
    ("linalg.triangular_solve", (SPD32, np.ones(3, np.float32)), {}),
    ("linalg.triangular_solve", (SPD32, np.ones((2, 1), np.float32)), {}),
    ("linalg.triangular_solve", (np.ones((2, 3)), np.ones((2, 1))), {}),
    ("linalg.triangular_solve", (np.ones((3, 2, 2)), np.ones((4, 2, 1))), {}),
    ("linalg.triangular_solve", (F16, F16), {}),
    ("linalg.cholesky_solve", (np.linalg.cholesky(BSPD), np.ones((2, 3, 2))), {}),
    ("linalg.lstsq", (R43, np.ones((4, 2))), {}),
    ("linalg.lstsq", (R34, np.ones((3, 1))), {}),
    ("linalg.lstsq", (R43.astype(np.float32), np.ones((4, 1), np.float32)), {"l2_regularizer": 0.5}),
    ("linalg.lstsq", (R43, np.ones((4, 1))), {"fast": False}),
    ("linalg.lstsq", (F16, F16), {"fast": False}),
    ("linalg.pinv", (R43,), {}),
    ("linalg.pinv", (np.ones((4, 3), np.float32),), {}),
    ("linalg.pinv", (np.ones((4, 3), np.int32),), {}),
    ("linalg.pinv", (np.ones(3, np.float32),), {}),
    ("linalg.expm", (M * 0.1,), {}),
    ("linalg.expm", (M * 3,), {}),
    ("linalg.expm", (np.stack([M, M / 10]).astype(np.float32),), {}),
    ("linalg.expm", (HERM / 10,), {}),
    ("linalg.expm", (np.zeros((2, 2), np.int32),), {}),
    # diagonals and bands
    ("linalg.diag", ([1, 2, 3],), {}),
    ("linalg.diag", ([1, 2, 3],), {"k": 1}),
    ("linalg.diag", ([1, 2, 3],), {"k": -1, "num_rows": 5}),
    ("linalg.diag", ([1, 2, 3],), {"k": 1, "num_rows": 3, "num_cols": 5, "padding_value": 9}),
    ("linalg.diag", ([[1, 2, 3], [4, 5, 6]],), {"k": (0, 1)}),
    ("linalg.diag", ([[1, 2, 3], [4, 5, 6]],), {"k": (0, 1), "align": "LEFT_RIGHT"}),
    ("linalg.diag", ([[1, 2], [4, 5]],), {"k": (-1, 0)}),
    ("linalg.diag", (np.ones((2, 3, 2)),), {"k": (-2, 0), "align": "RIGHT_RIGHT"}),
    ("linalg.diag", (np.array(5),), {}),
    ("linalg.diag", ([True, False],), {}),
    ("linalg.diag", ([1, 2, 3],), {"k": (1, 0)}),
    ("linalg.diag", ([1, 2, 3],), {"num_rows": 2}),
    ("linalg.diag", (np.array([1, 2, 3]),), {"num_rows": 2}),
    ("linalg.diag_part", (X12,), {}),
    ("linalg.diag_part", (X12,), {"k": 1}),
    ("linalg.diag_part", (X12,), {"k": (-1, 1)}),
    ("linalg.diag_part", (X12,), {"k": (-1, 1), "padding_value": 7, "align": "LEFT_LEFT"}),
    ("linalg.diag_part", (np.ones((2, 4, 3)),), {"k": (-3, 2)}),
    ("linalg.diag_part", (X12,), {"k": 5}),
    ("linalg.diag_part", ([1, 2],), {}),
    ("linalg.diag_part", (np.array([1, 2]),), {}),
    ("linalg.set_diag", (X12, [9, 9, 9]), {}),
    ("linalg.set_diag", (X12, [[7, 7, 7], [9, 9, 9]]), {"k": (0, 1)}),
    ("linalg.set_diag", (X12, [9.0, 9, 9]), {"k": 1}),
    ("linalg.set_diag", (np.ones((2, 3, 4)), np.zeros((2, 3, 3))), {"k": (-1, 1), "align": "LEFT_RIGHT"}),
    ("linalg.set_diag", (X12, [9, 9]), {}),
    ("linalg.trace", (X12,), {}),
    ("linalg.trace", (np.arange(8).reshape(2, 2, 2),), {}),
    ("linalg.trace", ([1, 2],), {}),
    ("linalg.band_part", (X12, 1, 0), {}),
    ("linalg.band_part", (np.ones((2, 4, 4)), -1, 1), {}),
    ("linalg.band_part", (np.ones((2, 2), np.bool_), 0, 0), {}),
    ("linalg.band_part", (X12, 5, 5), {}),
    ("linalg.band_part", ([1, 2], 0, 0), {}),
    ("linalg.band_part", (np.array([1, 2]), 0, 0), {}),
    ("linalg.matrix_transpose", (np.ones((2, 3, 4)),), {}),
    ("linalg.matrix_transpose", ([1, 2],), {}),
    ("linalg.adjoint", (HERM,), {}),
    ("linalg.l2_normalize", (X12,), {"axis": 1}),
    # norms
    ("norm", (X12,), {}),
    ("norm", (X12,), {"ord": 1}),
    ("norm", (X12,), {"ord": np.inf}),
    ("norm", (X12,), {"ord": 3}),
    ("norm", (X12,), {"ord": 0.5}),
    ("norm", (X12,), {"ord": "fro", "axis": [0, 1]}),
    ("norm", (X12,), {"ord": 1, "axis": [0, 1]}),
    ("norm", (X12,), {"ord": 1, "axis": (1, 0)}),
    ("norm", (X12,), {"ord": 2, "axis": [0, 1]}),
    ("norm", (X12,), {"ord": np.inf, "axis": (-1, -2)}),
    ("norm", (X12,), {"axis": 1, "keepdims": True}),
    ("norm", (X12,), {"ord": 2, "axis": [0, 1], "keepdims": True}),
    ("norm", (np.ones((2, 3, 4)),), {"ord": 2, "axis": [0, 2]}),
    ("norm", (np.array([3 + 4j, 0], np.complex64),), {}),
    ("norm", (np.array([3 + 4j, 0], np.complex64),), {"ord": 3}),
    ("norm", (X12,), {"ord": True}),
    ("norm", (X12,), {"ord": "fro"}),
    ("norm", (X12,), {"ord": 3, "axis": [0, 1]}),
    ("norm", (X12,), {"ord": "nuc", "axis": [0, 1]}),
    ("norm", (X12,), {"ord": 0}),
    ("norm", (X12,), {"axis": [0, 0]}),
    ("norm", (X12,), {"axis": [0, 1, 1]}),
    ("norm", (X12,), {"axis": np.int64(1)}),
    # the reduce and Sqrt errors' texts belong to tf.math (see the report): compare the error type
    ("norm", (X12,), {"axis": 5}, {"message": False}),
    ("norm", (np.arange(3, dtype=np.int32),), {}, {"message": False}),
    ("linalg.norm", (X12,), {"ord": 2}),
    ("linalg.global_norm", ([X12, np.ones(3, np.float32), None],), {}),
    ("linalg.global_norm", ([np.ones(3)],), {}),
    ("linalg.global_norm", ([],), {}),
    ("linalg.global_norm", (X12,), {}),
]


def _id(case: tuple) -> str:
    return case[0] + "-" + "-".join(f"{k}={v}" for k, v in case[2].items())


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_matches_tensorflow(tf_oracle, case):
    path, args, kwargs = case[:3]
    options = dict(case[3]) if len(case) > 3 else {}
    if options.pop("cpu_only", False) and not on_cpu():
        pytest.skip("the oracle is TF's CPU, whose kernel behaves differently from TF's GPU kernel here")
    check_same(tf_oracle, path, *args, **kwargs, **options)


def _canonical(u: np.ndarray, v: np.ndarray) -> tuple:
    """Singular/eigen vectors are defined up to a phase per column: fix each column's largest entry real > 0."""
    idx = np.abs(u).argmax(axis=-2)[..., None, :]
    phase = np.take_along_axis(u, idx, axis=-2)
    phase = phase / np.abs(phase)
    return u / phase, v / phase


@pytest.mark.parametrize("a", [R43, R34, B.astype(np.float32), HERM[:, :2]])
@pytest.mark.parametrize("full", [False, True])
def test_svd_vectors(tf_oracle, a, full):
    s, u, v = ff.linalg.svd(a, full_matrices=full)
    ts, tu, tv = tf_oracle.linalg.svd(a, full_matrices=full)
    assert (u.dtype, v.dtype, u.shape, v.shape) == (tu.dtype, tv.dtype, tuple(tu.shape), tuple(tv.shape))
    np.testing.assert_allclose(s.numpy(), ts.numpy(), rtol=1e-5)
    p = s.shape[-1]
    rebuilt = (u.numpy()[..., :p] * s.numpy()[..., None, :]) @ np.conj(np.swapaxes(v.numpy()[..., :p], -1, -2))
    np.testing.assert_allclose(rebuilt, a, atol=1e-5)
    ours = _canonical(u.numpy()[..., :p], v.numpy()[..., :p])
    theirs = _canonical(tu.numpy()[..., :p], tv.numpy()[..., :p])
    for x, y in zip(ours, theirs):
        np.testing.assert_allclose(x, y, atol=1e-4)


@pytest.mark.parametrize("a", [BSPD, SPD32, HERM])
def test_eigh_vectors(tf_oracle, a):
    e, v = ff.linalg.eigh(a)
    te, tv = tf_oracle.linalg.eigh(a)
    assert (e.dtype, v.dtype) == (te.dtype, tv.dtype)
    np.testing.assert_allclose(e.numpy(), te.numpy(), rtol=1e-5)
    np.testing.assert_allclose(_canonical(v.numpy(), v.numpy())[0], _canonical(tv.numpy(), tv.numpy())[0],
                               atol=1e-4)


def test_cholesky_not_positive_definite_gives_nan_lower_triangle(tf_oracle):
    """TF fills the failed matrix's lower triangle with NaN (its upper triangle is left uninitialized: compare
    the lower ones) and factors the other matrices of the batch."""
    batch = np.stack([SPD, -SPD, np.array([[1.0, 2, 0], [2, 1, 0], [0, 0, 1]])])
    ours, theirs = ff.linalg.cholesky(batch).numpy(), tf_oracle.linalg.cholesky(batch).numpy()
    np.testing.assert_allclose(np.tril(ours), np.tril(theirs), rtol=1e-12)
    np.testing.assert_array_equal(np.triu(ours[0], 1), 0)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=0, max_size=2), st.lists(st.integers(1, 3), min_size=0, max_size=2),
       st.sampled_from(["float32", "float64", "int32", "complex128"]), st.booleans(), st.booleans())
def test_matmul_broadcasting_vs_numpy(batch_a, batch_b, dtype, ta, tb):
    a = (rng.standard_normal(tuple(batch_a) + (2, 3)) * 4).astype(dtype)
    b = (rng.standard_normal(tuple(batch_b) + (3, 4)) * 4).astype(dtype)
    a_in = np.swapaxes(a, -1, -2) if ta else a
    b_in = np.swapaxes(b, -1, -2) if tb else b
    try:
        expected = np.matmul(a, b)
    except ValueError:
        with pytest.raises(ff.errors.InvalidArgumentError):
            ff.matmul(a_in, b_in, transpose_a=ta, transpose_b=tb)
        return
    got = ff.matmul(a_in, b_in, transpose_a=ta, transpose_b=tb)
    assert got.dtype.name == dtype
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5, atol=1e-4)


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 4), st.integers(-3, 3), st.integers(0, 3), st.sampled_from(["RIGHT_LEFT", "LEFT_RIGHT",
                                                                                 "LEFT_LEFT", "RIGHT_RIGHT"]))
def test_diag_part_round_trip(n, lo, width, align):
    """set_diag(zeros, diag_part(x)) keeps exactly the band lo..hi of x (NumPy's triu/tril)."""
    hi = min(lo + width, n - 1)
    lo = max(lo, -(n - 1))
    if lo > hi:
        return
    x = rng.standard_normal((2, n, n + 1))
    part = ff.linalg.diag_part(x, k=(lo, hi), align=align)
    back = ff.linalg.set_diag(np.zeros_like(x), part, k=(lo, hi), align=align)
    expected = np.triu(np.tril(x, hi), lo)
    np.testing.assert_allclose(back.numpy(), expected)


# --- gradients ---------------------------------------------------------------------------------------------------

def _sym(mod, a):
    """The decompositions of symmetric matrices read one triangle and TF's gradients are symmetric: check them
    on (a + a^T) / 2, whose numerical gradient is symmetric too."""
    return (a + mod.linalg.matrix_transpose(a)) / 2


SPD_SMALL = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
SQ = np.array([[2.0, 0.3, -0.4], [0.1, 1.5, 0.7], [-0.2, 0.4, 3.0]])
GRAD_CASES = [
    ("matmul", lambda m: lambda a, b: m.matmul(a, b), (R43, R34)),
    ("matmul_tt", lambda m: lambda a, b: m.matmul(a, b, transpose_a=True, transpose_b=True), (R34, R43)),
    ("matmul_batch", lambda m: lambda a, b: m.matmul(a, b, adjoint_b=True), (B, R43[:3])),
    ("matvec", lambda m: lambda a, b: m.linalg.matvec(a, b), (R43, np.ones(3))),
    ("tensordot", lambda m: lambda a, b: m.tensordot(a, b, [[0], [1]]), (R43, R43.T)),
    ("einsum_trace", lambda m: lambda a: m.einsum("ii->", a), (SQ,)),
    ("einsum_diag", lambda m: lambda a: m.einsum("ii->i", a), (SQ,)),
    ("einsum_reduce", lambda m: lambda a, b: m.einsum("ij,jk->i", a, b), (R43, R34)),
    ("einsum_ellipsis", lambda m: lambda a, b: m.einsum("...ij,...jk->...ik", a, b), (B, SQ)),
    ("einsum_three", lambda m: lambda a, b, c: m.einsum("ij,jk,kl->il", a, b, c), (R43, R34, R43)),
    ("inv", lambda m: lambda a: m.linalg.inv(a), (SQ,)),
    ("inv_adjoint", lambda m: lambda a: m.linalg.inv(a, adjoint=True), (SQ,)),
    ("det", lambda m: lambda a: m.linalg.det(a), (B,)),
    ("slogdet", lambda m: lambda a: m.linalg.slogdet(a)[1], (SQ,)),
    ("logdet", lambda m: lambda a: m.linalg.logdet(_sym(m, a)), (SPD_SMALL,)),
    ("cholesky", lambda m: lambda a: m.linalg.cholesky(_sym(m, a)), (SPD_SMALL,)),
    ("qr_deep", lambda m: lambda a: m.linalg.qr(a), (R43,)),
    ("qr_wide", lambda m: lambda a: m.linalg.qr(a), (R34,)),
    ("svd_values", lambda m: lambda a: m.linalg.svd(a, compute_uv=False), (R43,)),
    ("svd_s", lambda m: lambda a: m.linalg.svd(a)[0], (R34,)),
    ("eigvalsh", lambda m: lambda a: m.linalg.eigvalsh(_sym(m, a)), (SPD_SMALL,)),
    ("eigh_e", lambda m: lambda a: m.linalg.eigh(_sym(m, a))[0], (SPD_SMALL,)),
    ("solve", lambda m: lambda a, b: m.linalg.solve(a, b), (SQ, R34)),
    ("solve_adjoint", lambda m: lambda a, b: m.linalg.solve(a, b, adjoint=True), (SQ, R34)),
    ("triangular_solve", lambda m: lambda a, b: m.linalg.triangular_solve(a, b), (SQ, R34)),
    ("triangular_solve_upper_adj", lambda m: lambda a, b: m.linalg.triangular_solve(a, b, lower=False,
                                                                                     adjoint=True), (SQ, R34)),
    ("cholesky_solve", lambda m: lambda a, b: m.linalg.cholesky_solve(m.linalg.cholesky(_sym(m, a)), b),
     (SPD_SMALL, R34)),
    ("lstsq", lambda m: lambda a, b: m.linalg.lstsq(a, b), (R43, np.ones((4, 2)))),
    ("lstsq_wide", lambda m: lambda a, b: m.linalg.lstsq(a, b, l2_regularizer=0.1), (R34, np.ones((3, 1)))),
    ("pinv", lambda m: lambda a: m.linalg.pinv(a), (R43,)),
    ("expm", lambda m: lambda a: m.linalg.expm(a), (SQ / 3,)),
    ("expm_squarings", lambda m: lambda a: m.linalg.expm(a), (SQ * 2,)),
    ("diag", lambda m: lambda a: m.linalg.diag(a, k=(-1, 0)), (R34[:2],)),
    ("diag_part", lambda m: lambda a: m.linalg.diag_part(a, k=(-1, 1)), (R43,)),
    ("set_diag", lambda m: lambda a, d: m.linalg.set_diag(a, d, k=1), (R43, np.ones(2))),
    ("band_part", lambda m: lambda a: m.linalg.band_part(a, 1, 0), (R43,)),
    ("trace", lambda m: lambda a: m.linalg.trace(a), (B,)),
    ("norm_fro", lambda m: lambda a: m.norm(a), (R43,)),
    ("norm_1", lambda m: lambda a: m.norm(a, ord=1, axis=[0, 1]), (R43,)),
    ("norm_inf", lambda m: lambda a: m.norm(a, ord=np.inf, axis=1), (R43,)),
    ("norm_3", lambda m: lambda a: m.norm(a, ord=3, axis=0), (R43,)),
    ("norm_2_matrix", lambda m: lambda a: m.norm(a, ord=2, axis=[0, 1]), (R43,)),
    ("global_norm", lambda m: lambda a, b: m.linalg.global_norm([a, b]), (R43, SQ)),
]


@pytest.mark.parametrize("name,make,arrays", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradient_numeric(name, make, arrays):
    check_grad_numeric(make(ff), *arrays, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,make,arrays", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradient_matches_tensorflow(tf_oracle, name, make, arrays):
    check_grad_tf(tf_oracle, make, *arrays, rtol=1e-6, atol=1e-8)


VECTOR_GRADS = [
    ("qr_q_r", lambda m: lambda a: m.linalg.qr(a), R43),
    ("svd_uv", lambda m: lambda a: m.linalg.svd(a)[0] + m.reduce_sum(m.abs(m.linalg.svd(a)[1]), axis=0), R43),
    ("eigh_v", lambda m: lambda a: m.abs(m.linalg.eigh(a)[1]), SPD_SMALL),
    ("complex_matmul", lambda m: lambda a: m.matmul(a, a, adjoint_b=True), HERM),
    ("complex_inv", lambda m: lambda a: m.linalg.inv(a), HERM),
    ("complex_cholesky", lambda m: lambda a: m.linalg.cholesky(a), HERM),
]


@pytest.mark.parametrize("name,make,array", VECTOR_GRADS, ids=[c[0] for c in VECTOR_GRADS])
def test_decomposition_vector_gradients_match_tensorflow(tf_oracle, name, make, array):
    check_grad_tf(tf_oracle, make, array, rtol=1e-6, atol=1e-8)


def test_second_order_matmul_and_inv(tf_oracle):
    def second(mod):
        a = mod.Variable(SQ)
        with mod.GradientTape() as outer:
            with mod.GradientTape() as inner:
                y = mod.reduce_sum(mod.linalg.inv(mod.matmul(a, a)))
            g = inner.gradient(y, a)
            z = mod.reduce_sum(g * g)
        return outer.gradient(z, a).numpy()

    np.testing.assert_allclose(second(ff), second(tf_oracle), rtol=1e-7)


# --- large inputs --------------------------------------------------------------------------------------------


def test_matmul_1024_is_numpys_kernel():
    # bit-identical to NumPy's matmul: the same kernel runs (its speed against NumPy is benchmarks/
    # bench_large_ops.py's, not a timed assertion here, which the machine's load would make flaky)
    a = rng.standard_normal((1024, 1024)).astype(np.float32)
    b = rng.standard_normal((1024, 1024)).astype(np.float32)
    with ff.device("CPU:0"):
        np.testing.assert_array_equal(ff.matmul(ff.constant(a), ff.constant(b)).numpy(), np.matmul(a, b))


@pytest.mark.parametrize("a", [np.array([[1.0, 2], [2, 4]]), np.eye(3, dtype=np.float32), B, np.zeros((2, 3))])
def test_matrix_rank(tf_oracle, a):
    check_same(tf_oracle, "linalg.matrix_rank", a)
