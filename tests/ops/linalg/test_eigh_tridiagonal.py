"""tf.linalg.eigh_tridiagonal against real TensorFlow (every select mode, select_range, tol, eigvals_only, real
and complex, its errors and its composite gradient), and tridiagonal_solve(perturb_singular=True), which its
eigenvectors need, against TF's kernel."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check

RNG = np.random.default_rng(3)


def _pair(n, dtype):
    a = RNG.standard_normal(n).astype(dtype)
    b = RNG.standard_normal(max(n - 1, 0)).astype(dtype)
    if np.dtype(dtype).kind == "c":
        b = b + 1j * RNG.standard_normal(b.shape)
    return a, b


OPTIONS = [{}, {"select": "i", "select_range": [1, 3]}, {"select": "v", "select_range": [-0.5, 1.0]},
           {"tol": 0.1}, {"select": "i", "select_range": [2, 2]}]


@pytest.mark.parametrize("n", [2, 6, 11])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kwargs", OPTIONS, ids=[str(i) for i in range(len(OPTIONS))])
def test_eigenvalues_bit_for_bit(tf_oracle, n, dtype, kwargs):
    if n < 4 and "select_range" in kwargs and kwargs["select"] == "i":
        kwargs = {**kwargs, "select_range": [0, 1]}
    a, b = _pair(n, dtype)
    ours = ff.linalg.eigh_tridiagonal(a, b, **kwargs)
    theirs = tf_oracle.linalg.eigh_tridiagonal(a, b, **kwargs)
    assert ours.dtype.name == theirs.dtype.name
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("n", [2, 7, 12])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kwargs", OPTIONS[:3], ids=["a", "i", "v"])
def test_eigenvectors_match_tensorflow(tf_oracle, n, dtype, kwargs):
    a, b = _pair(n, dtype)
    try:
        theirs = tf_oracle.linalg.eigh_tridiagonal(a, b, eigvals_only=False, **kwargs)
    except tf_oracle.errors.InvalidArgumentError as e:  # no eigenvalue in the range: TF's eigvals[0] fails
        with pytest.raises(ff.errors.InvalidArgumentError) as info:
            ff.linalg.eigh_tridiagonal(a, b, eigvals_only=False, **kwargs)
        assert str(info.value) == str(e)
        return
    ours = ff.linalg.eigh_tridiagonal(a, b, eigvals_only=False, **kwargs)
    np.testing.assert_array_equal(ours[0].numpy(), theirs[0].numpy())
    tol = 1e-4 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(ours[1].numpy(), theirs[1].numpy(), rtol=tol, atol=tol)


def test_complex_hermitian(tf_oracle):
    a, b = _pair(9, np.complex128)
    vals, vecs = ff.linalg.eigh_tridiagonal(a, b, eigvals_only=False)
    want = tf_oracle.linalg.eigh_tridiagonal(a, b, eigvals_only=False)
    assert vals.dtype == ff.float64 and vecs.dtype == ff.complex128
    np.testing.assert_allclose(vals.numpy(), want[0].numpy(), rtol=1e-13, atol=1e-13)
    # an eigenvector of a complex Hermitian matrix is defined up to a unit phase, which inverse iteration takes from
    # the rounding of a near-singular pivot: compare |<ours, theirs>| and check T v = lambda v
    overlap = np.abs(np.sum(np.conj(vecs.numpy()) * want[1].numpy(), axis=0))
    np.testing.assert_allclose(overlap, 1.0, atol=1e-8)
    t = np.diag(a.real) + np.diag(b, 1) + np.diag(np.conj(b), -1)
    np.testing.assert_allclose(t @ vecs.numpy(), vecs.numpy() * vals.numpy(), atol=1e-10)


def test_single_element_returns_the_diagonal_alone(tf_oracle):
    for kwargs in ({}, {"eigvals_only": False}):
        ours = ff.linalg.eigh_tridiagonal([2.5], [], **kwargs)
        theirs = tf_oracle.linalg.eigh_tridiagonal([2.5], [], **kwargs)
        assert not isinstance(ours, tuple) and ours.numpy().tolist() == theirs.numpy().tolist()


def test_known_values():
    vals = ff.linalg.eigh_tridiagonal([0.0, 0.0, 0.0], [1.0, 1.0])
    np.testing.assert_allclose(vals.numpy(), [-np.sqrt(2), 0, np.sqrt(2)], atol=1e-6)


def test_errors(tf_oracle):
    a, b = _pair(5, np.float64)
    for m in (ff, tf_oracle):
        with pytest.raises(ValueError, match="'alpha' and 'beta' must have the same type."):
            m.linalg.eigh_tridiagonal(a, b.astype(np.float32))
        with pytest.raises(ValueError, match="select must have a value in"):
            m.linalg.eigh_tridiagonal(a, b, select="x")
    for kwargs in ({"select": "i", "select_range": [3, 1]}, {"select": "v", "select_range": [1.0, -1.0]}):
        errors = []
        for m in (ff, tf_oracle):
            with pytest.raises(m.errors.InvalidArgumentError) as info:
                m.linalg.eigh_tridiagonal(a, b, **kwargs)
            errors.append(str(info.value).splitlines()[0])
        assert errors[0] == errors[1]


def test_gradient_of_the_composite(tf_oracle):
    a, b = _pair(5, np.float64)

    def grads(m):
        ta, tb = m.constant(a), m.constant(b)
        with m.GradientTape() as tape:
            tape.watch([ta, tb])
            loss = m.reduce_sum(m.linalg.eigh_tridiagonal(ta, tb) * m.constant(np.arange(1.0, 6.0)))
        return [g.numpy() for g in tape.gradient(loss, [ta, tb])]

    for ours, theirs in zip(grads(ff), grads(tf_oracle)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14)


SOLVES = [
    ("singular", np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 1.0]])),  # [sup; main; sub] rows
    ("zero_pivot", np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 3.0], [0.0, 4.0, 1.0]])),
    ("regular", RNG.standard_normal((3, 6))),
    ("one", np.array([[0.0], [0.0], [0.0]])),
]


@pytest.mark.parametrize("name,diags", SOLVES, ids=[s[0] for s in SOLVES])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128])
def test_tridiagonal_solve_perturb_singular(tf_oracle, name, diags, dtype):
    rhs = RNG.standard_normal((diags.shape[1], 2)).astype(dtype)
    d = diags.astype(dtype)
    ours = ff.linalg.tridiagonal_solve(d, rhs, partial_pivoting=True, perturb_singular=True)
    theirs = tf_oracle.linalg.tridiagonal_solve(tf_oracle.constant(d), tf_oracle.constant(rhs), partial_pivoting=True,
                                                perturb_singular=True)
    scale = np.max(np.abs(theirs.numpy())) or 1.0
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(ours.numpy() / scale, theirs.numpy() / scale, rtol=tol, atol=tol)


def test_perturb_singular_solve_on_the_device(device):
    diags = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 1.0]])
    rhs = RNG.standard_normal((3, 2))

    def case(t):
        return ff.linalg.tridiagonal_solve(t["d"], t["b"], partial_pivoting=True, perturb_singular=True)

    check(device, lambda: {"d": ff.constant(diags), "b": ff.constant(rhs)}, case, None)


def test_runs_under_a_gpu_scope(device):
    # the bisection's loop condition and the clusters' bounds are read on the host, as TF's while_loop and
    # where_v2 read them; every op of the composite runs on the device
    a, b = _pair(6, np.float64)
    vals, vecs = ff.linalg.eigh_tridiagonal(ff.constant(a), ff.constant(b), eigvals_only=False)
    where = "GPU:0" if device == "GPU" else "CPU:0"
    assert vals.device.endswith(where) and vecs.device.endswith(where)
    with ff.device("CPU:0"):
        want = ff.linalg.eigh_tridiagonal(a, b, eigvals_only=False)
    np.testing.assert_array_equal(vals.numpy(), want[0].numpy())
    np.testing.assert_allclose(vecs.numpy(), want[1].numpy(), rtol=1e-10, atol=1e-12)
