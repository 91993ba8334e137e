"""tnp against real TF's tnp: every function's values, dtypes, shapes and error types on shared inputs."""

from __future__ import annotations

import pytest

from ._oracle import assert_same, ff_results, tf_results

CREATION = [
    "tnp.asarray(1.5)", "tnp.asarray(1)", "tnp.asarray(True)", "tnp.asarray([1, 2.5])", "tnp.asarray([[1, 2], [3, 4]])",
    "tnp.asarray([1, 2], dtype=tnp.float32)", "tnp.asarray(f, dtype='int32')", "tnp.array(3, ndmin=2)",
    "tnp.array([f[0], f[1]])", "tnp.asanyarray([1j])", "tnp.ascontiguousarray(2.0)", "tnp.copy(i)",
    "tnp.zeros((2, 3))", "tnp.zeros(3, dtype=tnp.int32)", "tnp.ones([2])", "tnp.ones(2, dtype=bool)",
    "tnp.empty((1, 2))", "tnp.empty_like(i)", "tnp.zeros_like([1.5])", "tnp.ones_like(f, dtype=tnp.int64)",
    "tnp.full((2, 2), 7)", "tnp.full([3], 1.5, dtype=tnp.float32)", "tnp.full_like(i, 2.7)",
    "tnp.full_like(f, 3)", "tnp.eye(3)", "tnp.eye(3, 4, k=1)", "tnp.eye(4, 3, k=-2, dtype=tnp.int32)",
    "tnp.eye(2, k=5)", "tnp.identity(2)", "tnp.arange(5)", "tnp.arange(1, 7, 2)", "tnp.arange(0.5, 3)",
    "tnp.arange(5, 1, -1.5)", "tnp.arange(3, dtype=tnp.float32)", "tnp.arange(5, 1)", "tnp.arange(1, 3, 0)",
    "tnp.linspace(0, 1, 5)", "tnp.linspace(2, 3, 4, endpoint=False)", "tnp.linspace(0, 10, 4, dtype=tnp.int32)",
    "tnp.linspace(0., 1., 3, retstep=True)", "tnp.logspace(0, 2, 3)", "tnp.logspace(0, 3, 4, base=2)",
    "tnp.geomspace(1, 1000, 4)", "tnp.geomspace(-1, -16, 5)", "tnp.tri(3)", "tnp.tri(3, 4, k=1, dtype=tnp.int32)",
    "tnp.tril(m)", "tnp.tril(m, -1)", "tnp.triu(m, 1)", "tnp.triu(t3)", "tnp.diag(v)", "tnp.diag(v, 1)",
    "tnp.diag(v, -2)", "tnp.diag(m)", "tnp.diag(m, 1)", "tnp.diag(m, -2)", "tnp.diagflat(i)", "tnp.vander(v)",
    "tnp.vander(v, 4, increasing=True)", "tnp.meshgrid(v, w)", "tnp.meshgrid(v, l, indexing='ij')", "tnp.ix_(l, v)",
    "tnp.diag_indices(3)",
]

MATH = [
    "tnp.add(f, 1)", "tnp.add(i, 1.5)", "tnp.add(i, i8)", "tnp.add(b, b)", "tnp.add(u8, i8)", "tnp.add(1, 2)",
    "tnp.add(l, d)", "tnp.subtract(i, 2)", "tnp.multiply(b, b)", "tnp.multiply(f, c[:3])", "tnp.true_divide(i, i)",
    "tnp.divide(i8, 2)", "tnp.divide(b, b)", "tnp.divide(f, 2)", "tnp.floor_divide(i, 4)", "tnp.floor_divide(f, 0.5)",
    "tnp.mod(i, 4)", "tnp.remainder(f, 1.25)", "tnp.divmod(i, 3)", "tnp.maximum(f, 0)", "tnp.maximum(i, 2.5)",
    "tnp.maximum(b, True)", "tnp.minimum(f, w)", "tnp.clip(f, -1, 2)", "tnp.clip(i, None, 2)", "tnp.clip(i, 0.5, None)",
    "tnp.power(i, 2)", "tnp.power(f, 0.5)", "tnp.float_power(v, 2)", "tnp.arctan2(f, 1)", "tnp.heaviside(i, 0.5)",
    "tnp.heaviside(f, f)", "tnp.hypot(v, w)", "tnp.hypot(3, 4)", "tnp.logaddexp(v, w)", "tnp.logaddexp2(v, 1.0)",
    "tnp.isclose(v, [1.0, 2.00001, 3.1])", "tnp.isclose(i, 1)", "tnp.isclose(n, n, equal_nan=True)",
    "tnp.allclose(v, v + 1e-9)", "tnp.gcd(i, 4)", "tnp.gcd(l, 6)", "tnp.lcm(l, 6)", "tnp.gcd(f, 2)",
    "tnp.bitwise_and(i, 6)", "tnp.bitwise_or(b, False)", "tnp.bitwise_xor(l, 3)", "tnp.bitwise_not(i8)",
    "tnp.bitwise_not(b)", "tnp.log(v)", "tnp.log(i)", "tnp.exp(i8)", "tnp.sqrt(u8)", "tnp.sqrt(2)", "tnp.abs(i)",
    "tnp.absolute(c)", "tnp.fabs(f)", "tnp.ceil(f)", "tnp.ceil(i)", "tnp.floor(d)", "tnp.conj(c)", "tnp.conjugate(f)",
    "tnp.negative(u8)", "tnp.reciprocal(f)", "tnp.sin(i)", "tnp.cos(d)", "tnp.tan(w)", "tnp.sinh(w)", "tnp.cosh(w)",
    "tnp.tanh(i8)", "tnp.arcsin(w / 2)", "tnp.arccos(w / 2)", "tnp.arctan(i)", "tnp.arcsinh(w)", "tnp.arccosh(v)",
    "tnp.arctanh(w / 3)", "tnp.expm1(w)", "tnp.log1p(v)", "tnp.isnan(n)", "tnp.isnan(i)", "tnp.isfinite(n)",
    "tnp.square(i)", "tnp.positive(f)", "tnp.signbit(f)", "tnp.signbit(b)", "tnp.deg2rad(i)", "tnp.rad2deg(f)",
    "tnp.angle(c)", "tnp.angle(f)", "tnp.angle(c, deg=True)", "tnp.cbrt(f)", "tnp.cbrt(i)", "tnp.exp2(i)",
    "tnp.fix(f)", "tnp.sinc(d)", "tnp.isinf(n)", "tnp.isinf(i)", "tnp.isneginf(-n)", "tnp.isposinf(n)",
    "tnp.log2(v)", "tnp.log10(i)", "tnp.real(c)", "tnp.imag(c)", "tnp.imag(f)", "tnp.iscomplex(c)", "tnp.isreal(c)",
    "tnp.iscomplexobj(c)", "tnp.isrealobj(i)", "tnp.sign(f)", "tnp.sign(i)", "tnp.around(f)", "tnp.around(f, 1)",
    "tnp.round(i, -1)", "tnp.around(d, 2)", "tnp.equal(i, 1.0)", "tnp.not_equal(f, w[:3])", "tnp.greater(b, False)",
    "tnp.greater_equal(i, i8[0])", "tnp.less(l, 3.5)", "tnp.less_equal(f, 1)", "tnp.array_equal(i, i)",
    "tnp.array_equal(i, v)", "tnp.array_equal(v, [1, 2, 3])", "tnp.logical_and(i, 1)", "tnp.logical_or(f, 0)",
    "tnp.logical_xor(b, True)", "tnp.logical_not(l)", "tnp.nextafter(v, 10)", "tnp.nextafter(d, -d)",
    "tnp.nextafter(tnp.asarray([0.0, 1.0]), tnp.asarray([-1.0, 1.0]))",
]

REDUCE = [
    "tnp.sum(i)", "tnp.sum(i, axis=0)", "tnp.sum(i8)", "tnp.sum(u8)", "tnp.sum(b)", "tnp.sum(f, axis=1, keepdims=True)",
    "tnp.sum(i, dtype=tnp.float32)", "tnp.sum(b, dtype=bool)", "tnp.prod(i, axis=1)", "tnp.prod(b)", "tnp.mean(i)",
    "tnp.mean(f, axis=(0, 1))", "tnp.mean(b)", "tnp.mean(i, dtype=tnp.float32)", "tnp.amax(i)", "tnp.amax(b)",
    "tnp.amin(f, axis=0)", "tnp.max(m, 1)", "tnp.min(m, keepdims=True)", "tnp.all(i)", "tnp.all(b)",
    "tnp.any(f, axis=1)", "tnp.var(f)", "tnp.var(i, axis=0)", "tnp.var(f, ddof=1)", "tnp.var(m, axis=1, ddof=1)",
    "tnp.var(i, dtype=tnp.float32)", "tnp.std(i)", "tnp.std(m, axis=0)", "tnp.ptp(i)", "tnp.ptp(f, axis=1)",
    "tnp.nansum(n)", "tnp.nanprod(n)", "tnp.nanmean(n)", "tnp.nanmean(i)", "tnp.count_nonzero(i)",
    "tnp.count_nonzero(m, axis=0)", "tnp.cumsum(i)", "tnp.cumsum(i8, axis=0)", "tnp.cumsum(f, axis=-1)",
    "tnp.cumprod(i, axis=1)", "tnp.cumprod(u8)", "tnp.cumsum(b)", "tnp.argsort(l)", "tnp.argsort(f, axis=0)",
    "tnp.argsort(f, axis=None)", "tnp.argsort(3)", "tnp.argsort(l, kind='stable')", "tnp.argsort(c)",
    "tnp.argsort(l, kind='heapsort')", "tnp.sort(f)", "tnp.sort(i, axis=None)", "tnp.sort(l, kind='stable')",
    "tnp.argmax(f)", "tnp.argmax(f, axis=1)", "tnp.argmin(i, axis=0)", "tnp.argmax(3.0, axis=0)",
    "tnp.average(i)", "tnp.average(f, axis=1)", "tnp.average(v, weights=w)", "tnp.average(m, axis=1, weights=v.tolist() + [1.0])",
    "tnp.average(i, axis=0, returned=True)", "tnp.average(i, weights=[[1, 1, 1], [2, 2, 2]], returned=True)",
    "tnp.trace(m)", "tnp.trace(m, 1)", "tnp.trace(t3, axis1=1, axis2=2)", "tnp.trace(i, dtype=tnp.float32)",
]

SHAPE = [
    "tnp.reshape(m, (4, 3))", "tnp.reshape(m, [2, -1], order='F')", "tnp.reshape(m, 12)", "tnp.ravel(i)",
    "tnp.transpose(t3)", "tnp.transpose(t3, (1, 0, 2))", "tnp.swapaxes(t3, 0, -1)", "tnp.moveaxis(t3, 0, -1)",
    "tnp.moveaxis(t3, [0, 1], [-1, -2])", "tnp.expand_dims(v, 1)", "tnp.squeeze(tnp.ones((1, 3, 1)))",
    "tnp.squeeze(tnp.ones((1, 3, 1)), axis=0)", "tnp.concatenate([i, f])", "tnp.concatenate([v, l], axis=0)",
    "tnp.concatenate(m)", "tnp.stack([v, w])", "tnp.stack([v, l], axis=1)", "tnp.stack(m, axis=1)",
    "tnp.hstack([v, w])", "tnp.hstack([i, f])", "tnp.vstack([v, w])", "tnp.dstack([v, w])", "tnp.atleast_1d(1.0)",
    "tnp.atleast_2d(v)", "tnp.atleast_3d(v)", "tnp.atleast_3d(m)", "tnp.atleast_2d(1, v)", "tnp.split(m, 3)",
    "tnp.split(m, [1, 3], axis=1)", "tnp.hsplit(m, 2)", "tnp.vsplit(m, [1])", "tnp.dsplit(t3, 2)", "tnp.hsplit(l, 2)",
    "tnp.split(m, 5)", "tnp.broadcast_to(v, (2, 3))", "tnp.broadcast_arrays(v, tnp.ones((2, 1)))", "tnp.tile(v, 2)",
    "tnp.tile(i, (2, 1, 2))", "tnp.repeat(v, 2)", "tnp.repeat(i, [1, 2], axis=0)", "tnp.roll(m, 1)",
    "tnp.roll(m, -1, axis=1)", "tnp.rot90(m)", "tnp.rot90(m, 2)", "tnp.rot90(m, 3)", "tnp.rot90(t3, axes=(1, 2))",
    "tnp.flip(m)", "tnp.flip(m, 1)", "tnp.fliplr(m)", "tnp.flipud(i)", "tnp.pad(v, 1, 'constant')",
    "tnp.pad(m, [[1, 0], [0, 2]], 'reflect')", "tnp.pad(v, [[2, 1]], 'symmetric')",
    "tnp.pad(i, 1, 'constant', constant_values=9)", "tnp.pad(v, 1, 'edge')", "tnp.take(l, [0, 3, 7])",
    "tnp.take(m, [1, -1], axis=1)", "tnp.take(l, [5, -1], mode='wrap')", "tnp.take_along_axis(m, tnp.asarray([[0], [3], [1]]), 1)",
    "tnp.take_along_axis(m, tnp.argsort(m, axis=0), 0)", "tnp.take_along_axis(l, [2, 0], None)",
    "tnp.where(b, 1, 2.5)", "tnp.where(i > 0, i, f)", "tnp.where(l > 2)", "tnp.where(b, 1)",
    "tnp.select([l > 4, l < 2], [l, -l])", "tnp.select([b], [v.tolist() + [1.0]], default=7)",
    "tnp.compress([True, False, True], i, axis=1)", "tnp.compress([False, True], l)", "tnp.append(i, [7, 8])",
    "tnp.append(i, [[1.5, 2, 3]], axis=0)", "tnp.diff(l)", "tnp.diff(m, n=2, axis=1)", "tnp.diff(b)",
    "tnp.diff(m, axis=0)", "tnp.nonzero(i)", "tnp.nonzero(b)", "tnp.diagonal(m)", "tnp.diagonal(m, 1)",
    "tnp.diagonal(t3, 0, 1, 2)", "tnp.diagonal(m, -5)", "tnp.shape(m)", "tnp.shape([1, 2])", "tnp.ndim(t3)",
    "tnp.ndim(3)", "tnp.isscalar(2.0)", "tnp.isscalar(v)", "tnp.size(m)", "tnp.size(3)",
]

LINALG = [
    "tnp.dot(v, w)", "tnp.dot(m, tnp.ones(4))", "tnp.dot(i, 2)", "tnp.dot(t3, tnp.ones((4, 2)))",
    "tnp.dot(i, l[:3])", "tnp.matmul(m.T, m)", "tnp.matmul(v, m[:, :3].T)", "tnp.matmul(m, tnp.ones(4))",
    "tnp.matmul(t3, tnp.ones((4, 2), dtype=tnp.int32))", "tnp.matmul(v, w)", "tnp.matmul(m, m)",
    "tnp.tensordot(m, m, axes=([0], [0]))", "tnp.tensordot(v, w, 0)", "tnp.tensordot(t3, m.T, 1)",
    "tnp.inner(v, w)", "tnp.inner(m, m)", "tnp.inner(2, v)", "tnp.outer(v, l)", "tnp.outer(i, v)",
    "tnp.cross(v, w)", "tnp.cross([1, 2], [3, 4])", "tnp.cross(v, [1, 2])", "tnp.cross(tnp.ones((2, 3)), w)",
    "tnp.cross(tnp.asarray([[1, 2, 3], [4, 5, 6]]).T, tnp.asarray([[1, 0, 0], [0, 1, 0]]).T, axisa=0, axisb=0)",
    "tnp.cross(v, w, axisc=0)", "tnp.kron(v, w)", "tnp.kron(i, tnp.eye(2))", "tnp.kron(v, m)", "tnp.vdot(c, c)",
    "tnp.vdot(i, i)", "tnp.einsum('ij,jk->ik', m, m.T)", "tnp.einsum('i,i', v, l[:3])", "tnp.einsum('ii', m[:, :3])",
    "tnp.einsum('ij->ji', i, casting='no')", "tnp.einsum('ij', i, casting='unsafe')", "tnp.polyval([1, 2, 3], v)",
    "tnp.polyval(v, 2)", "tnp.polyval(3, v)", "tnp.polyval([1.5], l)",
]

DTYPES = [
    "tnp.result_type(tnp.int32, 1.5)", "tnp.result_type(i, f)", "tnp.result_type(1, 2)", "tnp.result_type(b, 1)",
    "tnp.result_type('float16', tnp.int8)", "tnp.result_type([1, 2.5])", "tnp.result_type(tf.float32, 2)",
    "tnp.promote_types(tnp.int8, tnp.uint8)", "tnp.promote_types(tf.float32, 'int64')",
    "float(tnp.finfo(tnp.float32).eps)", "float(tnp.finfo(tf.float16).max)", "float(tnp.finfo(f).tiny)",
    "int(tnp.iinfo(tnp.int8).max)", "tnp.issubdtype(tnp.float32, tnp.inexact)",
]

CASES = CREATION + MATH + REDUCE + SHAPE + LINALG + DTYPES


@pytest.fixture(scope="module")
def oracle():
    pytest.importorskip("tensorflow")
    return dict(zip(CASES, tf_results(CASES)))


@pytest.fixture(scope="module")
def ours():
    from featherflow.ops.numpy import behavior

    behavior.enable_numpy_behavior()
    try:
        yield dict(zip(CASES, ff_results(CASES)))
    finally:
        behavior._reset()


@pytest.mark.parametrize("case", CASES)
def test_same_as_tf(case, oracle, ours):
    assert_same(case, oracle[case], ours[case])
