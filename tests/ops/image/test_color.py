"""convert_image_dtype (TF's scaling, rounding and saturation), colour spaces and the adjustments against TF,
with RGBToHSV's gradient and TF's kernel errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff

from ._support import compare, gradient, same_error

_rng = np.random.default_rng(11)
DTYPES = ["uint8", "int8", "int16", "uint16", "int32", "int64", "float16", "float32", "float64"]


def _image(dtype: str, shape: tuple = (2, 3, 3), seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
    if info is None:
        return rng.random(shape).astype(dtype)  # floats in [0, 1): TF's casts past the range are undefined
    low, high = max(info.min, -2**40), min(info.max, 2**40)
    return rng.integers(low, high, shape, dtype=np.int64).astype(dtype)


@settings(max_examples=30, deadline=None)
@given(src=st.sampled_from(DTYPES), dst=st.sampled_from(DTYPES), saturate=st.booleans(), seed=st.integers(0, 99))
def test_convert_image_dtype_matches_tf(src: str, dst: str, saturate: bool, seed: int) -> None:
    tf = pytest.importorskip("tensorflow")
    x = _image(src, seed=seed)
    want = tf.image.convert_image_dtype(x, getattr(tf, dst), saturate=saturate).numpy()
    got = ff.image.convert_image_dtype(x, getattr(ff, dst), saturate=saturate).numpy()
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64), rtol=1e-6, equal_nan=True)


def test_convert_image_dtype_saturates_floats(tf_oracle) -> None:
    x = np.array([-0.5, 0.0, 0.5, 1.0, 1.5], np.float32)
    for dst in ("uint8", "int8", "int32", "uint16"):
        compare(tf_oracle, ff, lambda m, d=dst: m.image.convert_image_dtype(x, getattr(m, d), saturate=True).numpy())


def test_convert_image_dtype_errors(tf_oracle) -> None:
    same_error(tf_oracle, ff, lambda m: m.image.convert_image_dtype(np.zeros(2, np.float32), m.bool))
    same_error(tf_oracle, ff, lambda m: m.image.convert_image_dtype(np.zeros(2, bool), m.float32))


@pytest.mark.parametrize("dtype", ["uint8", "float32", "float64"])
def test_grayscale_and_adjustments(tf_oracle, dtype: str) -> None:
    scale = 255 if dtype == "uint8" else 1
    x = (_rng.random((2, 4, 5, 3)) * scale).astype(dtype)
    compare(tf_oracle, ff, lambda m: m.image.rgb_to_grayscale(x).numpy(), atol=1e-5)
    compare(tf_oracle, ff, lambda m: m.image.adjust_brightness(x, 0.2).numpy(), atol=1e-5)
    compare(tf_oracle, ff, lambda m: m.image.adjust_contrast(x, 1.7).numpy(), atol=1e-4)
    compare(tf_oracle, ff, lambda m: m.image.adjust_gamma(x, 0.7, 1.2).numpy(), atol=1e-5)
    for delta in (-0.7, -0.2, 0.3, 0.9):
        compare(tf_oracle, ff, lambda m, d=delta: m.image.adjust_hue(x, d).numpy(), atol=1e-5)
    for factor in (0.0, 0.5, 2.0):
        compare(tf_oracle, ff, lambda m, f=factor: m.image.adjust_saturation(x, f).numpy(), atol=1e-5)
    compare(tf_oracle, ff, lambda m: m.image.per_image_standardization(x).numpy(), atol=1e-5)


def test_grayscale_to_rgb(tf_oracle) -> None:
    g = _rng.random((2, 4, 1)).astype(np.float32)
    compare(tf_oracle, ff, lambda m: m.image.grayscale_to_rgb(m.constant(g)).numpy())


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_colour_spaces(tf_oracle, dtype: str) -> None:
    x = _rng.random((3, 4, 3)).astype(dtype)
    x[0, 0] = [0.5, 0.5, 0.5]  # grey: hue 0
    x[0, 1] = [0.0, 0.0, 0.0]
    tol = 2e-3 if dtype == "float16" else 1e-5
    for name in ("rgb_to_hsv", "hsv_to_rgb", "rgb_to_yiq", "yiq_to_rgb", "rgb_to_yuv", "yuv_to_rgb"):
        compare(tf_oracle, ff, lambda m, n=name: getattr(m.image, n)(m.constant(x)).numpy(), rtol=tol, atol=tol)


def test_rgb_to_hsv_gradient(tf_oracle) -> None:
    x = _rng.random((3, 4, 3))
    w = _rng.random((3, 4, 3))
    prog = lambda m, t: m.image.rgb_to_hsv(t)  # noqa: E731
    np.testing.assert_allclose(gradient(ff, prog, x, w), gradient(tf_oracle, prog, x, w), rtol=1e-6, atol=1e-8)


def test_adjust_hue_has_no_gradient_as_in_tf() -> None:
    t = ff.constant(_rng.random((2, 2, 3)).astype(np.float32))
    with ff.GradientTape() as tape:
        tape.watch(t)
        y = ff.reduce_sum(ff.image.adjust_hue(t, 0.1))
    with pytest.raises(LookupError):
        tape.gradient(y, t)


def test_brightness_and_gamma_gradients(tf_oracle) -> None:
    x = _rng.random((2, 3, 3)).astype(np.float32)
    w = _rng.random((2, 3, 3))
    for prog in (lambda m, t: m.image.adjust_brightness(t, 0.1), lambda m, t: m.image.adjust_gamma(t, 1.5, 0.5),
                 lambda m, t: m.image.per_image_standardization(t)):
        np.testing.assert_allclose(gradient(ff, prog, x, w), gradient(tf_oracle, prog, x, w), rtol=1e-5,
                                   atol=1e-6)


@pytest.mark.parametrize("seed", [(1, 2), (5, 9)])
def test_stateless_random_adjustments_draw_as_tf(tf_oracle, seed: tuple) -> None:
    x = _rng.random((2, 4, 5, 3)).astype(np.float32)
    compare(tf_oracle, ff, lambda m: m.image.stateless_random_brightness(x, 0.3, seed).numpy())
    compare(tf_oracle, ff, lambda m: m.image.stateless_random_contrast(x, 0.3, 1.5, seed).numpy(), atol=1e-5)
    compare(tf_oracle, ff, lambda m: m.image.stateless_random_hue(x, 0.3, seed).numpy(), atol=1e-5)
    compare(tf_oracle, ff, lambda m: m.image.stateless_random_saturation(x, 0.3, 1.5, seed).numpy(), atol=1e-5)


def test_seeded_random_adjustments_draw_as_tf(tf_oracle) -> None:
    x = _rng.random((4, 5, 3)).astype(np.float32)
    for name, args in (("random_brightness", (0.3,)), ("random_contrast", (0.3, 1.5)), ("random_hue", (0.3,)),
                       ("random_saturation", (0.3, 1.5))):
        tf_oracle.random.set_seed(2)
        ff.random.set_seed(2)
        want = getattr(tf_oracle.image, name)(x, *args, seed=4).numpy()
        got = getattr(ff.image, name)(x, *args, seed=4).numpy()
        np.testing.assert_allclose(got, want, atol=1e-5)


@pytest.mark.parametrize("program", [
    lambda m: m.image.random_brightness(np.zeros((2, 2, 3)), -1.0),
    lambda m: m.image.random_contrast(np.zeros((2, 2, 3)), 1.0, 0.5),
    lambda m: m.image.random_contrast(np.zeros((2, 2, 3)), -1.0, 0.5),
    lambda m: m.image.random_hue(np.zeros((2, 2, 3)), 0.6),
    lambda m: m.image.random_saturation(np.zeros((2, 2, 3)), 1.0, 0.5),
    lambda m: m.image.rgb_to_hsv(m.zeros((2, 4))),
    lambda m: m.image.hsv_to_rgb(m.zeros((2, 4))),
    lambda m: m.image.adjust_hue(m.zeros((2, 2, 4)), 0.1),
    lambda m: m.image.adjust_saturation(m.zeros((2, 4)), 0.1),
    lambda m: m.image.adjust_contrast(m.zeros((2, 4)), 0.1),
    lambda m: m.image.adjust_contrast(m.zeros((2, 2, 3), m.float16), 0.1),
])
def test_errors(tf_oracle, program) -> None:
    same_error(tf_oracle, ff, program)
