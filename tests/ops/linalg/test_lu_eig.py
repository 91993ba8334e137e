"""tf.linalg.lu (and lu_solve, lu_matrix_inverse, lu_reconstruct), eig/eigvals and cross against real TensorFlow:
values, dtypes, shapes, errors; gradients numerically (float64) and against TF's tape; the simulated GPU."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check
from .._linalg_nn_support import check_grad_numeric, check_grad_tf, check_same

RNG = np.random.default_rng(11)
SQ = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]])
BATCH = RNG.standard_normal((2, 3, 4, 4))
CPLX = RNG.standard_normal((3, 3)) + 1j * RNG.standard_normal((3, 3))
TIES = np.array([[1.0, 2.0], [-1.0, 3.0]])  # equal pivot magnitudes: the first is taken

SAME_CASES = [
    ("lu", (SQ,), {}),
    ("lu", (SQ.astype(np.float32),), {}),
    ("lu", (BATCH,), {"output_idx_type": ff.int64}),
    ("lu", (CPLX,), {}),
    ("lu", (CPLX.astype(np.complex64),), {}),
    ("lu", (TIES,), {}),
    ("lu", (np.zeros((2, 0, 0)),), {}),
    ("lu", ([[1.0, 2.0], [3.0, 4.0]],), {}),
    ("lu", (np.array([[1.0, 2.0], [2.0, 4.0]]),), {}),  # singular
    ("lu", (np.array([[np.nan, 1.0], [1.0, 1.0]]),), {}),
    ("lu", (np.ones((2, 3)),), {}),
    ("lu", (np.ones(3),), {}),
    ("lu", ([[1.0, 2.0], [3.0]],), {}),
    ("lu", (np.ones((2, 2), np.int32),), {}),
    ("lu", (np.ones((2, 2), np.float16),), {}),
    ("linalg.cross", (np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])), {}),
    ("linalg.cross", (RNG.standard_normal((2, 4, 3)).astype(np.float32), RNG.standard_normal((2, 4, 3))
                      .astype(np.float32)), {}),
    ("linalg.cross", ([1, 2, 3], [4, 5, 6]), {}),
    ("linalg.cross", ([1.0, 2.0], [3.0, 4.0]), {}),
    ("linalg.cross", (np.ones((2, 3)), np.ones((3, 3))), {}),
    ("linalg.cross", (np.ones(3), np.ones(3, np.float32)), {}),
    ("linalg.eig", (np.ones(3),), {}),
    ("linalg.eig", (np.ones((2, 3)),), {}),
    ("linalg.eig", ([[1.0, 2.0], [3.0, 4.0]],), {}),
    ("linalg.eig", (np.array([[np.nan, 1.0], [1.0, 1.0]]),), {}),
    ("linalg.eig", (np.zeros((0, 0)),), {}),
    ("linalg.eig", (np.ones((2, 2), np.int32),), {}),
    ("eigvals", (np.diag([3.0, 1.0, 2.0]),), {}),
    ("eigvals", (np.diag([3.0, 1.0, 2.0]).astype(np.float32),), {}),
]


def _lu_path(path: str) -> str:
    return "linalg.lu" if path == "lu" else path


@pytest.mark.parametrize("path,args,kwargs", SAME_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(SAME_CASES)])
def test_matches_tensorflow(tf_oracle, path, args, kwargs):
    if "output_idx_type" in kwargs:
        kwargs = {"output_idx_type": tf_oracle.int64}
        ours = ff.linalg.lu(*args, output_idx_type=ff.int64)
        theirs = tf_oracle.linalg.lu(*args, **kwargs)
        assert ours.p.dtype == ff.int64
        np.testing.assert_array_equal(ours.p.numpy(), theirs.p.numpy())
        np.testing.assert_allclose(ours.lu.numpy(), theirs.lu.numpy(), rtol=1e-12, atol=1e-12)
        return
    check_same(tf_oracle, _lu_path(path), *args, **kwargs)


@pytest.mark.parametrize("shape", [(3, 3), (2, 5, 5), (8, 8)])
def test_lu_composites_match_tensorflow(tf_oracle, shape):
    a = RNG.standard_normal(shape)
    rhs = RNG.standard_normal(shape[:-1] + (2,))
    lu, p = ff.linalg.lu(a)
    tlu, tp = tf_oracle.linalg.lu(a)
    np.testing.assert_array_equal(p.numpy(), tp.numpy())
    np.testing.assert_allclose(lu.numpy(), tlu.numpy(), rtol=1e-10, atol=1e-12)
    for name, args in [("lu_reconstruct", ()), ("lu_matrix_inverse", ()), ("lu_solve", (rhs,))]:
        ours = getattr(ff.linalg, name)(lu, p, *args)
        theirs = getattr(tf_oracle.linalg, name)(tlu, tp, *args)
        assert ours.dtype.name == theirs.dtype.name and ours.shape == theirs.shape
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ff.linalg.lu_reconstruct(lu, p).numpy(), a, atol=1e-12)


def test_lu_solve_broadcasts_a_shared_factorisation(tf_oracle):
    a = RNG.standard_normal((3, 3))
    rhs = RNG.standard_normal((4, 3, 2))
    ours = ff.linalg.lu_solve(*ff.linalg.lu(a), rhs)
    theirs = tf_oracle.linalg.lu_solve(*tf_oracle.linalg.lu(a), rhs)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-10)


@pytest.mark.parametrize("bad", [
    (np.ones(3), np.zeros(3, np.int32), None),
    (np.ones((2, 3)), np.zeros(2, np.int32), None),
    (np.ones((2, 2)), np.zeros((1, 2), np.int32), None),
    (np.eye(2), np.arange(2, dtype=np.int32), np.ones(2)),
    (np.eye(2), np.arange(2, dtype=np.int32), np.ones((3, 1))),
])
def test_lu_composite_errors_match_tensorflow(tf_oracle, bad):
    lu_, p, rhs = bad
    for name in (["lu_solve"] if rhs is not None else ["lu_reconstruct", "lu_matrix_inverse", "lu_solve"]):
        args = (lu_, p) + ((rhs,) if name == "lu_solve" else ())
        if name == "lu_solve" and rhs is None:
            args = (lu_, p, np.ones(lu_.shape[:-1] + (1,)) if lu_.ndim >= 2 else np.ones((3, 1)))
        with pytest.raises(ValueError) as theirs:
            getattr(tf_oracle.linalg, name)(*args)
        with pytest.raises(ValueError) as ours:
            getattr(ff.linalg, name)(*args)
        assert str(ours.value) == str(theirs.value)


def _sorted_eigs(e: np.ndarray) -> np.ndarray:
    return np.sort_complex(np.round(e, 10))


@pytest.mark.parametrize("a", [RNG.standard_normal((4, 4)), RNG.standard_normal((2, 3, 3)).astype(np.float32),
                               CPLX, CPLX.astype(np.complex64)], ids=["f64", "f32-batch", "c128", "c64"])
def test_eig_matches_tensorflow_up_to_order_and_phase(tf_oracle, a):
    """TF documents the eigenvalues as not necessarily ordered and the eigenvectors' phases are arbitrary:
    the eigenvalues agree as sets, and our vectors are unit columns with A v = v diag(e)."""
    e, v = ff.linalg.eig(a)
    te, tv = tf_oracle.linalg.eig(a)
    assert (e.dtype.name, v.dtype.name) == (te.dtype.name, tv.dtype.name)
    assert e.shape == te.shape and v.shape == tv.shape
    tol = 1e-4 if e.dtype == ff.complex64 else 1e-10
    en, vn, ten = e.numpy(), v.numpy(), te.numpy()
    for ours, theirs in zip(en.reshape(-1, en.shape[-1]), ten.reshape(-1, ten.shape[-1])):
        np.testing.assert_allclose(np.sort_complex(ours), np.sort_complex(theirs), rtol=tol, atol=tol)
    np.testing.assert_allclose(np.linalg.norm(vn, axis=-2), 1.0, rtol=tol)
    np.testing.assert_allclose(a @ vn, vn * en[..., None, :], atol=10 * tol)
    np.testing.assert_allclose(ff.linalg.eigvals(a).numpy(), en, rtol=tol, atol=tol)


NONSYM = np.array([[2.0, 0.3, -0.4], [0.1, 1.5, 0.7], [-0.2, 0.4, 3.0]])
GRAD_CASES = [
    # order- and phase-free functions of the decomposition: sums over eigenpairs, magnitudes of vectors
    ("eigvals", lambda m: lambda a: m.reduce_sum(m.math.real(m.linalg.eigvals(a)) ** 2), (NONSYM,)),
    ("eig_values", lambda m: lambda a: m.reduce_sum(m.math.real(m.linalg.eig(a)[0] ** 3)), (NONSYM,)),
    ("eig_vectors", lambda m: lambda a: m.reduce_sum(m.abs(m.linalg.eig(a)[1]) ** 3), (NONSYM,)),
    ("cross", lambda m: lambda a, b: m.linalg.cross(a, b), (RNG.standard_normal((2, 3)), RNG.standard_normal((2, 3)))),
    ("lu_solve", lambda m: lambda b: m.linalg.lu_solve(*m.linalg.lu(m.constant(SQ)), b), (np.ones((3, 2)),)),
    ("lu_reconstruct", lambda m: lambda a: m.linalg.lu_reconstruct(a, m.constant([2, 0, 1])), (SQ,)),
]


@pytest.mark.parametrize("name,make,arrays", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradient_numeric(name, make, arrays):
    check_grad_numeric(make(ff), *arrays, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,make,arrays", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradient_matches_tensorflow(tf_oracle, name, make, arrays):
    check_grad_tf(tf_oracle, make, *arrays, rtol=1e-6, atol=1e-8)


def test_lu_has_no_gradient():
    x = ff.constant(SQ)
    with ff.GradientTape() as tape:
        tape.watch(x)
        lu = ff.linalg.lu(x).lu
    with pytest.raises(LookupError):
        tape.gradient(lu, x)


def _inputs() -> dict:
    rng = np.random.default_rng(5)
    return {"a": ff.constant(rng.standard_normal((2, 4, 4))), "u": ff.constant(rng.standard_normal((3, 3))),
            "v": ff.constant(rng.standard_normal((3, 3))), "b": ff.constant(rng.standard_normal((2, 4, 1)))}


DEVICE_CASES = {
    "lu": (lambda t: list(ff.linalg.lu(t["a"])), None),
    "lu_reconstruct": (lambda t: ff.linalg.lu_reconstruct(*ff.linalg.lu(t["a"])), None),
    "lu_solve": (lambda t: ff.linalg.lu_solve(*ff.linalg.lu(t["a"]), t["b"]), "b"),
    "lu_matrix_inverse": (lambda t: ff.linalg.lu_matrix_inverse(*ff.linalg.lu(t["a"])), None),
    "cross": (lambda t: ff.linalg.cross(t["u"], t["v"]), "u"),
}


@pytest.mark.parametrize("name", sorted(DEVICE_CASES))
def test_stays_on_the_device(device, name):
    check(device, _inputs, *DEVICE_CASES[name], rtol=1e-10, atol=1e-12)


def test_eig_runs_on_the_host_from_a_gpu(device):
    """Eig is host-only (CuPy has no general eigensolver; TF's Eig has no GPU kernel): its results are on the CPU
    wherever it is called, and equal the CPU's."""
    a = ff.constant(NONSYM)
    e, v = ff.linalg.eig(a)
    assert e.device.endswith("CPU:0") and v.device.endswith("CPU:0")
    with ff.device("CPU:0"):
        want = ff.linalg.eig(ff.constant(NONSYM))[0]
    np.testing.assert_array_equal(e.numpy(), want.numpy())


# --- tensor_diag, tensor_diag_part, normalize --------------------------------------------------------------------

DIAG_CASES = [
    ("linalg.tensor_diag", (np.arange(1.0, 7.0).reshape(2, 3),), {}),
    ("linalg.tensor_diag", ([1, 2, 3],), {}),
    ("linalg.tensor_diag", (np.zeros(()),), {}),
    ("linalg.tensor_diag_part", (RNG.standard_normal((2, 3, 2, 3)),), {}),
    ("linalg.tensor_diag_part", (np.zeros(()),), {}),
    ("linalg.tensor_diag_part", (np.ones((2, 3, 3, 2)),), {}),
    ("linalg.tensor_diag_part", (np.ones((2, 3, 2)),), {}),
    ("linalg.normalize", (RNG.standard_normal((2, 3)),), {}),
    ("linalg.normalize", (RNG.standard_normal((2, 3)).astype(np.float32),), {"ord": 1, "axis": 0}),
    ("linalg.normalize", (RNG.standard_normal((2, 3, 4)),), {"ord": np.inf, "axis": [1, 2]}),
    ("linalg.normalize", (np.array([1, 2], np.int32),), {}),
]


@pytest.mark.parametrize("path,args,kwargs", DIAG_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(DIAG_CASES)])
def test_diag_and_normalize_match_tensorflow(tf_oracle, path, args, kwargs):
    check_same(tf_oracle, path, *args, **kwargs)


DIAG_GRADS = [
    ("tensor_diag", lambda m: lambda x: m.linalg.tensor_diag(x), (RNG.standard_normal((2, 3)),)),
    ("tensor_diag_part", lambda m: lambda x: m.linalg.tensor_diag_part(x), (RNG.standard_normal((2, 2, 2, 2)),)),
    ("normalize", lambda m: lambda x: m.linalg.normalize(x, axis=1), (RNG.standard_normal((2, 3)),)),
]


@pytest.mark.parametrize("name,make,arrays", DIAG_GRADS, ids=[c[0] for c in DIAG_GRADS])
def test_diag_gradients(tf_oracle, name, make, arrays):
    check_grad_numeric(make(ff), *arrays, rtol=1e-5, atol=1e-6)
    check_grad_tf(tf_oracle, make, *arrays, rtol=1e-6, atol=1e-8)


def test_tensor_diag_on_the_device(device):
    values = RNG.standard_normal((2, 3))
    check(device, lambda: {"x": ff.constant(values)},
          lambda t: ff.linalg.tensor_diag_part(ff.linalg.tensor_diag(t["x"])), "x")


# --- tridiagonal_matmul, tridiagonal_solve -----------------------------------------------------------------------

TD = RNG.standard_normal((2, 3, 5))
TR = RNG.standard_normal((2, 5, 4))
TM = RNG.standard_normal((2, 5, 5))


def _tridiagonal_cases(m):
    c = m.constant
    return {
        "mm_compact": lambda: m.linalg.tridiagonal_matmul(c(TD), c(TR)),
        "mm_sequence": lambda: m.linalg.tridiagonal_matmul([c(TD[:, 0]), c(TD[:, 1]), c(TD[:, 2])], c(TR),
                                                           diagonals_format="sequence"),
        "mm_sequence_short": lambda: m.linalg.tridiagonal_matmul([c(TD[:, 0, :-1]), c(TD[:, 1]), c(TD[:, 2, 1:])],
                                                                 c(TR), diagonals_format="sequence"),
        "mm_matrix": lambda: m.linalg.tridiagonal_matmul(c(TM), c(TR), diagonals_format="matrix"),
        "solve": lambda: m.linalg.tridiagonal_solve(c(TD), c(TR)),
        "solve_no_pivoting": lambda: m.linalg.tridiagonal_solve(c(TD), c(TR), partial_pivoting=False),
        "solve_vector": lambda: m.linalg.tridiagonal_solve(c(TD), c(TR[..., 0])),
        "solve_transposed": lambda: m.linalg.tridiagonal_solve(c(TD), c(TR.transpose(0, 2, 1)), transpose_rhs=True),
        "solve_matrix": lambda: m.linalg.tridiagonal_solve(c(TM), c(TR), diagonals_format="matrix"),
        "solve_sequence_short": lambda: m.linalg.tridiagonal_solve([c(TD[:, 0, :-1]), c(TD[:, 1]), c(TD[:, 2, 1:])],
                                                                   c(TR), diagonals_format="sequence"),
        "solve_float32": lambda: m.linalg.tridiagonal_solve(c(TD.astype(np.float32)), c(TR.astype(np.float32))),
        "solve_two_diagonals": lambda: m.linalg.tridiagonal_solve(c(TD[:, :2]), c(TR)),
        "solve_bad_format": lambda: m.linalg.tridiagonal_solve(c(TD), c(TR), diagonals_format="banded"),
    }


@pytest.mark.parametrize("name", sorted(_tridiagonal_cases(ff)))
def test_tridiagonal_matches_tensorflow(tf_oracle, name):
    def run(m):
        try:
            return _tridiagonal_cases(m)[name]()
        except Exception as e:  # noqa: BLE001 - the error is compared
            return e
    ours, theirs = run(ff), run(tf_oracle)
    if isinstance(theirs, Exception):
        assert type(ours).__name__ == type(theirs).__name__ and str(ours) == str(theirs)
        return
    assert ours.dtype.name == theirs.dtype.name and ours.shape == theirs.shape
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5 if ours.dtype == ff.float32 else 1e-10,
                               atol=1e-10)


def test_tridiagonal_singular_system_gives_nan_as_tf():
    d = ff.constant(np.array([[1.0, 2.0, 0.0], [0.0, 0.0, 0.0], [0.0, 3.0, 4.0]]))
    assert np.isnan(ff.linalg.tridiagonal_solve(d, ff.constant(np.ones((3, 1)))).numpy()).all()


TRI_GRADS = [
    ("matmul", lambda m: lambda d, r: m.linalg.tridiagonal_matmul(d, r), (TD[:1], TR[:1])),
    ("solve", lambda m: lambda d, r: m.linalg.tridiagonal_solve(d, r), (TD[:1], TR[:1])),
    ("solve_no_pivoting", lambda m: lambda d, r: m.linalg.tridiagonal_solve(d, r, partial_pivoting=False),
     (TD[:1], TR[:1])),
]


@pytest.mark.parametrize("name,make,arrays", TRI_GRADS, ids=[c[0] for c in TRI_GRADS])
def test_tridiagonal_gradients(tf_oracle, name, make, arrays):
    check_grad_numeric(make(ff), *arrays, rtol=1e-5, atol=1e-6)
    check_grad_tf(tf_oracle, make, *arrays, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("pivoting", [True, False])
def test_tridiagonal_on_the_device(device, pivoting):
    check(device, lambda: {"d": ff.constant(TD), "r": ff.constant(TR)},
          lambda t: ff.linalg.tridiagonal_solve(t["d"], ff.linalg.tridiagonal_matmul(t["d"], t["r"]),
                                                partial_pivoting=pivoting), "d", rtol=1e-9, atol=1e-10)


# --- sqrtm, logm -------------------------------------------------------------------------------------------------

_S = RNG.standard_normal((3, 4, 4))
SPD4 = _S @ _S.transpose(0, 2, 1) + np.eye(4)
NONSYM4 = np.eye(4) * 3 + RNG.standard_normal((4, 4)) * 0.3
MATFUN_CASES = [
    ("linalg.sqrtm", (SPD4,), {}),
    ("linalg.sqrtm", (SPD4.astype(np.float32),), {}),
    ("linalg.sqrtm", (np.array([[0.0, -1.0], [1.0, 0.0]]),), {}),  # complex eigenvalues, a real root
    ("linalg.sqrtm", (np.array([[1.0, 1.0], [0.0, 1.0]]),), {}),  # defective
    ("linalg.sqrtm", (NONSYM4,), {}),
    ("linalg.sqrtm", (SPD4[0] + 1j * np.eye(4),), {}),
    ("linalg.sqrtm", (np.zeros((0, 0)),), {}),
    ("linalg.sqrtm", (np.ones(3),), {}),
    ("linalg.sqrtm", (np.ones((2, 3)),), {}),
    ("linalg.sqrtm", (np.ones((2, 2), np.int32),), {}),
    ("linalg.logm", (SPD4.astype(np.complex128),), {}),
    ("linalg.logm", (NONSYM4.astype(np.complex64),), {}),
    ("linalg.logm", (SPD4,), {}),
]


@pytest.mark.parametrize("path,args,kwargs", MATFUN_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(MATFUN_CASES)])
def test_matrix_functions_match_tensorflow(tf_oracle, path, args, kwargs):
    check_same(tf_oracle, path, *args, rtol=1e-9 if args[0].dtype in (np.float64, np.complex128) else 2e-5,
               **kwargs)


def test_sqrtm_of_a_matrix_with_a_negative_eigenvalue_is_nan_as_tf():
    assert np.isnan(ff.linalg.sqrtm(np.array([[-4.0, 0.0], [0.0, 9.0]])).numpy()).all()


def test_sqrtm_gradient(tf_oracle):
    def make(m):
        return lambda a: m.linalg.sqrtm(a)
    check_grad_numeric(make(ff), SPD4[:1], rtol=1e-5, atol=1e-6)
    check_grad_tf(tf_oracle, make, SPD4[:2], rtol=1e-8, atol=1e-10)


def test_sqrtm_runs_on_the_host_from_a_gpu(device):
    root = ff.linalg.sqrtm(ff.constant(SPD4))
    assert root.device.endswith("CPU:0")
    np.testing.assert_allclose(root.numpy() @ root.numpy(), SPD4, rtol=1e-10)


# --- banded_triangular_solve -------------------------------------------------------------------------------------

BANDS = RNG.standard_normal((2, 3, 5)) + np.array([4.0, 0.0, 0.0])[:, None]  # a dominant diagonal (top row)
BANDS_UP = RNG.standard_normal((2, 3, 5)) + np.array([0.0, 0.0, 4.0])[:, None]  # (bottom row)
BRHS = RNG.standard_normal((2, 5, 4))
BANDED = [
    ((BANDS, BRHS), {}),
    ((BANDS_UP, BRHS), {"lower": False}),
    ((BANDS, BRHS), {"adjoint": True}),
    ((BANDS_UP, BRHS), {"lower": False, "adjoint": True}),
    ((BANDS[0], BRHS), {}),
    ((BANDS.astype(np.float32), BRHS.astype(np.float32)), {}),
    (([[2.0, 3.0, 4.0], [10000.0, 2.0, 3.0]], np.ones((3, 1), np.float32)), {}),  # the padding is ignored
]


@pytest.mark.parametrize("args,kwargs", BANDED, ids=[str(i) for i in range(len(BANDED))])
def test_banded_triangular_solve_matches_tensorflow(tf_oracle, args, kwargs):
    check_same(tf_oracle, "linalg.banded_triangular_solve", *args, rtol=1e-10 if args[1].dtype == np.float64
               else 1e-5, **kwargs)


@pytest.mark.parametrize("lower,adjoint", [(True, False), (False, True)])
def test_banded_triangular_solve_gradient(tf_oracle, lower, adjoint):
    def make(m):
        return lambda b, r: m.linalg.banded_triangular_solve(b, r, lower=lower, adjoint=adjoint)
    arrays = (BANDS[:1] if lower else BANDS_UP[:1], BRHS[:1])
    check_grad_numeric(make(ff), *arrays, rtol=1e-5, atol=1e-6)
    check_grad_tf(tf_oracle, make, *arrays, rtol=1e-8, atol=1e-10)


def test_banded_triangular_solve_on_the_device(device):
    check(device, lambda: {"b": ff.constant(BANDS), "r": ff.constant(BRHS)},
          lambda t: ff.linalg.banded_triangular_solve(t["b"], t["r"]), "b", rtol=1e-10, atol=1e-12)
