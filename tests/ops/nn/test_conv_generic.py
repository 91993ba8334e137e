"""tf.conv (the generic Conv op) against real TensorFlow (2-D and 3-D, batch_dims, paddings, dilations, dtypes,
errors); tf.conv2d_backprop_input_v2 / filter_v2 against TF's Conv2DBackpropInput / Filter (TF 2.21 has no
kernel for the V2 ops: its eager runtime raises NotFoundError, checked too); tf.nn.batch_norm_with_global_
normalization and tf.required_space_to_batch_paddings."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from .._linalg_nn_support import check_grad_numeric, check_grad_tf, check_same

RNG = np.random.default_rng(23)
X = RNG.standard_normal((2, 6, 7, 3)).astype(np.float32)
F = RNG.standard_normal((3, 2, 3, 4)).astype(np.float32)
X3 = RNG.standard_normal((2, 5, 5, 5, 4)).astype(np.float32)
F3 = RNG.standard_normal((3, 3, 3, 4, 6)).astype(np.float32)
XB = RNG.standard_normal((3, 2, 5, 5, 3)).astype(np.float32)

CONV = [
    ((X, F, [1, 1, 1, 1], "VALID"), {}),
    ((X, F, [1, 2, 1, 1], "SAME"), {}),
    ((X.astype(np.float64), F.astype(np.float64), [1, 1, 1, 1], "VALID"), {"dilations": [1, 2, 1, 1]}),
    ((X, F, [1, 1, 1, 1], "EXPLICIT"), {"explicit_paddings": [0, 0, 1, 2, 0, 1, 0, 0]}),
    ((X3, F3, [1, 1, 2, 1, 1], "SAME"), {}),
    ((XB, F, [1, 1, 1, 1], "VALID"), {"batch_dims": 2}),
    ((XB, F, [1, 1, 2, 1], "EXPLICIT"), {"explicit_paddings": [0, 0, 1, 2, 0, 1, 0, 0], "batch_dims": 2}),
    ((X[0], F, [1, 1, 1, 1], "VALID"), {"batch_dims": 0}),
    ((np.round(X * 4).astype(np.int32), np.round(F * 4).astype(np.int32), [1, 1, 1, 1], "VALID"), {}),
    ((X.astype(np.float16), F.astype(np.float16), [1, 2, 1, 1], "SAME"), {}),
    # errors, in the kernel's order
    ((X.astype(np.int64), F.astype(np.int64), [1, 1, 1, 1], "VALID"), {}),
    ((X, F, [1, 1, 1, 1], "VALID"), {"data_format": "NHWC"}),
    ((X, F, [1, 1, 1, 1], "FOO"), {}),
    ((X, F, [1, 1, 1, 1], "VALID"), {"groups": 3}),
    ((X[:, 0], F, [1, 1, 1], "VALID"), {}),
    ((X, F[:, :, :, :0], [1, 1, 1, 1], "VALID"), {}),
    ((X, F[0], [1, 1, 1, 1], "VALID"), {}),
    ((X, F, [1, 1, 1], "VALID"), {}),
    ((X, F, [2, 1, 1, 1], "VALID"), {}),
    ((X, F, [1, 0, 1, 1], "VALID"), {}),
    ((X, F, [1, 1, 1, 1], "VALID"), {"dilations": [1, 1, 1]}),
    ((X, F, [1, 1, 1, 1], "VALID"), {"dilations": [1, 1, 1, 2]}),
    ((X, F, [1, 1, 1, 1], "VALID"), {"dilations": [1, 0, 1, 1]}),
    ((X, F, [1, 1, 1, 1], "EXPLICIT"), {}),
    ((X, F, [1, 1, 1, 1], "EXPLICIT"), {"explicit_paddings": [0, 0, -1, 0, 0, 0, 0, 0]}),
    ((X, F, [1, 1, 1, 1], "EXPLICIT"), {"explicit_paddings": [1, 0, 0, 0, 0, 0, 0, 0]}),
    ((X, F, [1, 1, 1, 1], "VALID"), {"explicit_paddings": [0] * 8}),
    ((X, F[:, :, :2], [1, 1, 1, 1], "VALID"), {}),
    ((X, RNG.standard_normal((9, 2, 3, 4)).astype(np.float32), [1, 1, 1, 1], "VALID"), {}),
    ((X.transpose(0, 3, 1, 2), F, [1, 1, 1, 1], "VALID"), {"data_format": "CHANNELS_FIRST"}),
    ((X3.transpose(0, 4, 1, 2, 3), F3, [1, 1, 1, 1, 1], "VALID"), {"data_format": "CHANNELS_FIRST"}),
    ((X3, F3, [1, 1, 1, 1, 1], "VALID"), {"dilations": [1, 2, 1, 1, 1]}),
]


@pytest.mark.parametrize("args,kwargs", CONV, ids=[str(i) for i in range(len(CONV))])
def test_conv_matches_tensorflow(tf_oracle, args, kwargs):
    check_same(tf_oracle, "conv", *args, rtol=1e-4, atol=1e-4, **kwargs)


def test_conv_has_no_gradient_as_in_tf():
    x = ff.constant(X)
    with ff.GradientTape() as tape:
        tape.watch(x)
        y = ff.conv(x, F, [1, 1, 1, 1], "VALID")
    with pytest.raises(LookupError):
        tape.gradient(y, x)


def test_conv_channels_first_runs_on_a_gpu(device):
    if device == "CPU":
        pytest.skip("TF's CPU kernels take channels last only (checked against TF above)")
    nchw = ff.conv(X.transpose(0, 3, 1, 2), F, [1, 1, 1, 1], "SAME", data_format="CHANNELS_FIRST")
    with ff.device("CPU:0"):
        nhwc = ff.conv(X, F, [1, 1, 1, 1], "SAME")
    np.testing.assert_allclose(nchw.numpy(), nhwc.numpy().transpose(0, 3, 1, 2), rtol=1e-5, atol=1e-5)


G = RNG.standard_normal((2, 2, 3, 4)).astype(np.float32)
BACKPROP = [
    ([1, 2, 2, 1], "VALID", {}),
    ([1, 1, 1, 1], "SAME", {}),
    ([1, 2, 3, 1], "EXPLICIT", {"explicit_paddings": [0, 0, 1, 0, 2, 1, 0, 0]}),
    ([1, 1, 1, 1], "VALID", {"dilations": [1, 2, 1, 1]}),
]


def _out_backprop(tf, strides, padding, kwargs):
    y = tf.nn.conv2d(X.astype(np.float64), F.astype(np.float64), strides,
                     [[0, 0], [1, 0], [2, 1], [0, 0]] if padding == "EXPLICIT" else padding,
                     dilations=kwargs.get("dilations"))
    return RNG.standard_normal(tuple(y.shape))


@pytest.mark.parametrize("strides,padding,kwargs", BACKPROP, ids=[str(i) for i in range(len(BACKPROP))])
def test_conv2d_backprop_v2_match_tfs_v1_ops(tf_oracle, strides, padding, kwargs):
    dt = np.float32 if "dilations" in kwargs else np.float64  # TF's float64 CPU backprops take no dilations
    tol = 1e-4 if dt == np.float32 else 1e-12
    x, f = X.astype(dt), F.astype(dt)
    g = _out_backprop(tf_oracle, strides, padding, kwargs).astype(dt)
    raw = dict(strides=strides, padding=padding, **kwargs)
    want_x = tf_oracle.raw_ops.Conv2DBackpropInput(input_sizes=x.shape, filter=f, out_backprop=g, **raw)
    want_f = tf_oracle.raw_ops.Conv2DBackpropFilter(input=x, filter_sizes=f.shape, out_backprop=g, **raw)
    got_x = ff.conv2d_backprop_input_v2(x, f, g, strides, padding, **kwargs)
    got_f = ff.conv2d_backprop_filter_v2(x, f, g, strides, padding, **kwargs)
    np.testing.assert_allclose(got_x.numpy(), want_x.numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(got_f.numpy(), want_f.numpy(), rtol=tol, atol=tol)
    assert got_x.dtype == ff.as_dtype(dt) and tuple(got_f.shape) == f.shape


def test_conv2d_backprop_v2_have_no_kernel_in_tf(tf_oracle):
    # what TF 2.21's eager runtime does with the V2 ops (featherflow computes them, see the module docstring)
    with pytest.raises(tf_oracle.errors.NotFoundError):
        tf_oracle.conv2d_backprop_input_v2(X, F, G, [1, 2, 2, 1], "VALID")


def test_conv2d_backprop_v2_errors():
    with pytest.raises(ff.errors.InvalidArgumentError, match="Size of out_backprop doesn't match computed"):
        ff.conv2d_backprop_input_v2(X, F, G[:, :1], [1, 2, 2, 1], "VALID")
    with pytest.raises(ff.errors.InvalidArgumentError, match="Value for attr 'T' of int64"):
        ff.conv2d_backprop_filter_v2(X.astype(np.int64), F.astype(np.int64), G.astype(np.int64), [1, 2, 2, 1],
                                     "VALID")
    with pytest.raises(ff.errors.InvalidArgumentError, match="explicit_paddings attribute must be empty"):
        ff.conv2d_backprop_filter_v2(X, F, G, [1, 2, 2, 1], "VALID", explicit_paddings=[0] * 8)


def test_conv2d_backprop_v2_nchw():
    x, f = X.astype(np.float64), F.astype(np.float64)
    g = _out_backprop(ff, [1, 1, 1, 1], "SAME", {})
    nhwc = ff.conv2d_backprop_input_v2(x, f, g, [1, 1, 1, 1], "SAME")
    nchw = ff.conv2d_backprop_input_v2(x.transpose(0, 3, 1, 2), f, g.transpose(0, 3, 1, 2), [1, 1, 1, 1], "SAME",
                                       data_format="NCHW")
    np.testing.assert_allclose(nchw.numpy(), nhwc.numpy().transpose(0, 3, 1, 2), rtol=1e-12)


BN = [
    (True, 0.001),
    (False, 0.1),
]


@pytest.mark.parametrize("scale,eps", BN)
def test_batch_norm_with_global_normalization(tf_oracle, scale, eps):
    x = RNG.standard_normal((4, 3))
    stats = [RNG.standard_normal(3), RNG.uniform(0.5, 2, 3), RNG.standard_normal(3), RNG.standard_normal(3)]
    check_same(tf_oracle, "nn.batch_norm_with_global_normalization", x, *stats, eps, scale, rtol=1e-12)

    def make(m):
        return lambda x, mean, var, beta, gamma: m.nn.batch_norm_with_global_normalization(
            x, mean, var, beta, gamma, eps, scale)
    check_grad_tf(tf_oracle, make, x, *stats, rtol=1e-10, atol=1e-12)
    if scale:  # (without it gamma is unused: its gradient is None, as TF's)
        check_grad_numeric(make(ff), x, *stats, rtol=1e-5, atol=1e-7)


PADS = [
    (([5, 7], [2, 3]), {}),
    (([5, 7], [2, 3], [[1, 0], [0, 2]]), {}),
    (([4, 9, 1], [4, 4, 3]), {}),
    (([], []), {}),
    (([5, 7], [[2, 3]]), {}),
    (([5, 7, 3], [2, 3]), {}),
    (([5, 7], [2, 3], [[1, 2]]), {}),
    (([5.0, 7.0], [2, 3]), {}),
]


@pytest.mark.parametrize("args,kwargs", PADS, ids=[str(i) for i in range(len(PADS))])
def test_required_space_to_batch_paddings(tf_oracle, args, kwargs):
    out = check_same(tf_oracle, "required_space_to_batch_paddings", *args, message=False, **kwargs)
    if not isinstance(out, Exception):
        paddings, crops = out
        full = np.asarray(args[0]) + paddings.numpy().sum(axis=1) if len(args[0]) else np.zeros(0)
        assert (full % np.maximum(np.asarray(args[1]), 1) == 0).all()
        assert paddings.dtype == ff.int32 and crops.dtype == ff.int32
