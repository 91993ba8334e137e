"""``extract_volume_patches`` (ExtractVolumePatches) against TF: identical windows for VALID and SAME padding
and several window/stride shapes and dtypes, the gradient TF's rule gives, a float64 numerical gradient check,
the attr checks, and a run on the simulated GPU that stays on the device."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

_CASES = [([1, 2, 3, 2, 1], [1, 1, 2, 1, 1], "VALID"), ([1, 2, 3, 2, 1], [1, 2, 2, 3, 1], "SAME"),
          ([1, 3, 1, 2, 1], [1, 2, 1, 1, 1], "same"), ([1, 6, 1, 1, 1], [1, 1, 1, 1, 1], "VALID"),
          ([1, 1, 1, 1, 1], [1, 3, 4, 2, 1], "SAME")]


@pytest.mark.parametrize("k,s,padding", _CASES)
def test_values_and_gradient_match_tf(tf_oracle, k, s, padding) -> None:
    x = np.random.default_rng(len(k) + s[1]).normal(size=(2, 5, 6, 4, 3))
    xt = tf_oracle.constant(x)
    with tf_oracle.GradientTape() as tape:
        tape.watch(xt)
        y = tf_oracle.extract_volume_patches(xt, k, s, padding.upper())
        loss = tf_oracle.reduce_sum(y * y * tf_oracle.cos(y))
    want_g = tape.gradient(loss, xt)
    xf = ff.constant(x)
    with ff.GradientTape() as tape2:
        tape2.watch(xf)
        y2 = ff.extract_volume_patches(xf, k, s, padding)
        loss2 = ff.reduce_sum(y2 * y2 * ff.cos(y2))
    got_g = tape2.gradient(loss2, xf)
    np.testing.assert_array_equal(y2.numpy(), y.numpy())
    np.testing.assert_allclose(got_g.numpy(), want_g.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.int32, np.uint8, np.float16])
def test_dtypes(tf_oracle, dtype) -> None:
    x = (np.arange(2 * 3 * 4 * 5 * 2) % 50).astype(dtype).reshape(2, 3, 4, 5, 2)
    want = tf_oracle.extract_volume_patches(x, [1, 2, 2, 2, 1], [1, 1, 2, 2, 1], "SAME").numpy()
    got = ff.extract_volume_patches(x, [1, 2, 2, 2, 1], [1, 1, 2, 2, 1], "SAME")
    assert got.dtype == ff.as_dtype(dtype)
    np.testing.assert_array_equal(got.numpy(), want)


def test_numerical_gradient() -> None:
    from ._array_support import numerical_gradient

    x = np.random.default_rng(3).normal(size=(1, 3, 4, 3, 2))
    w = np.random.default_rng(4).normal(size=(1, 3, 2, 3, 16))

    def fn(lib, v):
        return lib.extract_volume_patches(v, [1, 2, 2, 2, 1], [1, 1, 2, 1, 1], "SAME")

    xf = ff.constant(x)
    with ff.GradientTape() as tape:
        tape.watch(xf)
        loss = ff.reduce_sum(fn(ff, xf) * w)
    np.testing.assert_allclose(tape.gradient(loss, xf).numpy(), numerical_gradient(fn, [x], w)[0], atol=1e-6)


@pytest.mark.parametrize("k,s", [([1, 2, 2, 2], [1, 1, 1, 1, 1]), ([2, 2, 2, 2, 1], [1, 1, 1, 1, 1]),
                                 ([1, 2, 2, 2, 1], [1, 1, 1, 1, 2])])
def test_attr_checks(k, s) -> None:
    with pytest.raises(ValueError, match="must be a list of 5 ints"):
        ff.extract_volume_patches(np.zeros((1, 2, 2, 2, 1)), k, s, "VALID")


def test_rank_and_padding_checks() -> None:
    with pytest.raises(ValueError, match="rank 5"):
        ff.extract_volume_patches(np.zeros((2, 2, 2, 1)), [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match="padding"):
        ff.extract_volume_patches(np.zeros((1, 2, 2, 2, 1)), [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], "FULL")


def test_on_device(device) -> None:
    from .._device_support import check

    x = np.random.default_rng(5).normal(size=(1, 4, 3, 4, 2))
    check(device, lambda: {"x": ff.constant(x)},
          lambda t: ff.extract_volume_patches(t["x"], [1, 2, 2, 3, 1], [1, 1, 2, 1, 1], "SAME"), "x")
