"""``tf.math.special``: Bessel J0/J1/Y0/Y1/K0/K0e/K1/K1e, dawsn, expint, fresnel_cos/sin and spence against
real TF (float64 to ~1e-14; float32, where TF computes in float32, to its few-ulp error), their gradients
(TF's tape and central differences), and runs on the simulated GPU."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check

NAMES = ["bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "bessel_k0", "bessel_k0e", "bessel_k1", "bessel_k1e",
         "dawsn", "expint", "fresnel_cos", "fresnel_sin", "spence"]
# the kernels' interval edges, signs, zero, the far tails, and the special values
POINTS = np.concatenate([np.linspace(-30, 30, 121), [0.0, -0.0, 1e-6, 1.99, 2.01, 4.99, 5.01, 7.99, 8.01, 3.24, 3.26,
                                                     6.24, 6.26, 1.59, 1.61, 16.0, 32.0, 64.0, 100.0, 0.5, 1.0, 1.5,
                                                     1e10, -1e10, np.inf, -np.inf, np.nan]])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_special_functions_match_tf(tf_oracle: Any, name: str, dtype: str) -> None:
    x = POINTS.astype(dtype)
    if dtype == "float32" and name.startswith(("fresnel", "bessel_j", "bessel_y")):
        # (TF's float32 kernels round the phase, pi/2 x^2 or x - pi/4, in float32: meaningless for large x)
        x = x[~(np.abs(x) >= 20)]
    ours, theirs = getattr(ff.math.special, name)(x), getattr(tf_oracle.math.special, name)(x)
    assert ours.dtype.name == theirs.dtype.name and tuple(ours.shape) == tuple(theirs.shape)
    if dtype == "float64":
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-13, atol=1e-300, equal_nan=True)
    else:  # TF's float32 kernels: a few ulp relative, ~2e-7 absolute near the functions' zeros
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=3e-6, atol=3e-7, equal_nan=True)


def _grads(lib: Any, name: str, x: np.ndarray, upstream: np.ndarray) -> np.ndarray:
    t = lib.constant(x)
    with lib.GradientTape() as tape:
        tape.watch(t)
        y = getattr(lib.math.special, name)(t)
    return tape.gradient(y, t, output_gradients=lib.constant(upstream)).numpy()


@pytest.mark.parametrize("name", NAMES)
def test_gradients_match_tf_and_central_differences(tf_oracle: Any, name: str) -> None:
    x = np.array([0.3, 1.2, 2.5, 4.0, 6.3, 9.7])
    if name in ("bessel_j0", "bessel_j1", "dawsn", "fresnel_cos", "fresnel_sin"):
        x = x * np.array([1, -1, 1, -1, 1, -1])
    upstream = np.random.default_rng(4).standard_normal(x.shape)
    ours = _grads(ff, name, x, upstream)
    np.testing.assert_allclose(ours, _grads(tf_oracle, name, x, upstream), rtol=1e-12, atol=1e-14)
    f = getattr(ff.math.special, name)
    want = (f(x + 1e-6).numpy() - f(x - 1e-6).numpy()) / 2e-6 * upstream
    np.testing.assert_allclose(ours, want, rtol=1e-6, atol=1e-8)


def test_gradients_at_tfs_special_points(tf_oracle: Any) -> None:
    """TF imputes 1/2 for J1's slope at 0 and -1 for Spence's at 1: featherflow's tape gives TF's values."""
    for name, at in (("bessel_j1", 0.0), ("spence", 1.0)):
        x = np.array([at])
        np.testing.assert_array_equal(_grads(ff, name, x, np.ones(1)), _grads(tf_oracle, name, x, np.ones(1)))


def test_integer_inputs_are_refused_as_in_tf(tf_oracle: Any) -> None:
    for name in ("bessel_k0", "spence"):
        with pytest.raises(ff.errors.InvalidArgumentError) as ours:
            getattr(ff.math.special, name)(ff.constant([1, 2]))
        with pytest.raises(tf_oracle.errors.InvalidArgumentError) as theirs:
            getattr(tf_oracle.math.special, name)(tf_oracle.constant([1, 2]))
        assert str(ours.value) == str(theirs.value)


@pytest.mark.usefixtures("device")
@pytest.mark.parametrize("name", NAMES)
def test_ops_stay_on_device(device: str, name: str) -> None:
    check(device, lambda: {"x": ff.constant(np.array([0.4, 1.7, 3.3, 5.5, 9.0, 40.0]))},
          lambda t: getattr(ff.math.special, name)(t["x"]), "x", rtol=1e-12, atol=1e-15)


def test_half_and_bfloat16_kernels_as_in_tf(tf_oracle: Any) -> None:
    """float16 has kernels for the Bessel functions (computed in float64 here, rounded once), not for dawsn
    and spence; bfloat16 has none: NotFoundError, as TF's CPU kernel registrations."""
    x = np.array([0.3, 1.5, 4.0], np.float32)
    for name in ("bessel_j0", "bessel_k1e", "bessel_y1"):
        ours = getattr(ff.math.special, name)(ff.cast(x, ff.float16))
        theirs = getattr(tf_oracle.math.special, name)(tf_oracle.cast(x, tf_oracle.float16))
        assert ours.dtype == ff.float16
        np.testing.assert_allclose(ours.numpy().astype(np.float32), theirs.numpy().astype(np.float32), rtol=1e-3)
    for name, dtype in (("dawsn", "float16"), ("spence", "float16"), ("bessel_j0", "bfloat16")):
        with pytest.raises(ff.errors.NotFoundError):
            getattr(ff.math.special, name)(ff.cast(x, getattr(ff, dtype)))
