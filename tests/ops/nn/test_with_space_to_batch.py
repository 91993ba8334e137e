"""tf.nn.with_space_to_batch against real TensorFlow."""

import os

import numpy as np
import pytest

import featherflow as ff

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
tf = pytest.importorskip("tensorflow")

RNG = np.random.default_rng(0)
X4 = RNG.normal(size=(2, 7, 6, 3))
W4 = RNG.normal(size=(3, 2, 3, 4))


def _run(lib, x, rate, padding, op_maker, **kw):
    return lib.nn.with_space_to_batch(lib.constant(x), rate, padding, op_maker(lib), **kw)


def _conv(w):
    def make(lib):
        def op(inp, n, padding):
            assert n == w.ndim - 2
            return lib.nn.convolution(inp, lib.constant(w), padding=padding)
        return op
    return make


@pytest.mark.parametrize("rate", [[2, 3], [1, 2], [3, 1], [1, 1]])
@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_conv2d_matches_tf(rate, padding):
    want = _run(tf, X4, rate, padding, _conv(W4), filter_shape=[3, 2])
    got = _run(ff, X4, rate, padding, _conv(W4), filter_shape=[3, 2])
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-10, atol=1e-10)


def test_pool_and_explicit_padding():
    def pool(lib):
        return lambda inp, n, padding: lib.nn.max_pool1d(inp, 2, 1, padding)
    x = RNG.normal(size=(2, 9, 3))
    np.testing.assert_array_equal(_run(ff, x, [2], "VALID", pool).numpy(), _run(tf, x, [2], "VALID", pool).numpy())
    padding = [[0, 0], [1, 2], [2, 0], [0, 0]]
    want = _run(tf, X4, [2, 3], padding, _conv(W4))
    got = _run(ff, X4, [2, 3], padding, _conv(W4))
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-10, atol=1e-10)


def test_spatial_dims_and_channels_first():
    x = RNG.normal(size=(2, 3, 8, 5))

    def op(lib):  # an elementwise op: any spatial layout works
        return lambda inp, n, padding: inp * 2.0 + 1.0
    for kw in (dict(spatial_dims=[2]), dict(spatial_dims=[1, 3]), dict(data_format="NCHW")):
        rate = [3] if "spatial_dims" in kw and len(kw["spatial_dims"]) == 1 else [2, 3]
        want = _run(tf, x, rate, "VALID", op, **kw)
        got = _run(ff, x, rate, "VALID", op, **kw)
        np.testing.assert_allclose(got.numpy(), want.numpy())


def test_gradient_flows_through():
    x = ff.Variable(X4)
    with ff.GradientTape() as tape:
        y = ff.reduce_sum(ff.nn.with_space_to_batch(x, [2, 2], "SAME", _conv(W4)(ff), filter_shape=[3, 2]) ** 2)
    xt = tf.Variable(X4)
    with tf.GradientTape() as ttape:
        yt = tf.reduce_sum(tf.nn.with_space_to_batch(xt, [2, 2], "SAME", _conv(W4)(tf), filter_shape=[3, 2]) ** 2)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), ttape.gradient(yt, xt).numpy(), rtol=1e-9)


@pytest.mark.parametrize("args, kw", [
    (([[2]], "VALID"), {}),
    (([2, 2], "VALID"), dict(spatial_dims=[2, 1])),
    (([2, 2], "VALID"), dict(spatial_dims=[0, 1])),
    (([2, 2, 2, 2], "VALID"), {}),
    (([0, 2], "VALID"), {}),
    (([2, 2], "SAME"), {}),
    (([2, 2], "FULL"), {}),
    (([2, 2], "EXPLICIT"), {}),
    (([2, 2], [[0, 0], [1, 2], [0, 0]]), {}),
    (([2, 2], [[0, 0], [1, 2, 3], [0, 0], [0, 0]]), {}),
])
def test_errors_match_tf(args, kw):
    msgs = []
    for lib in (tf, ff):
        with pytest.raises(ValueError) as e:
            lib.nn.with_space_to_batch(lib.constant(X4), *args, lambda inp, n, p: inp, **kw)
        msgs.append(str(e.value))
    assert msgs[1] == msgs[0]
