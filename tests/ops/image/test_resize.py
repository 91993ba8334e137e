"""tf.image.resize in every method against TF (values, dtypes, shapes, errors), the v1 kernels' sampling modes
(align_corners, legacy and half-pixel centres) through the ops, and the gradients TF registers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff
from featherflow.ops.image import resize as R

from ._support import compare, gradient, same_error

METHODS = ["bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic"]
_rng = np.random.default_rng(7)
IMAGE = (_rng.random((2, 7, 9, 3)) * 255).astype(np.float32)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("antialias", [False, True])
@pytest.mark.parametrize("size", [(3, 4), (11, 20), (7, 5)])
def test_resize_matches_tf(tf_oracle, method: str, antialias: bool, size: tuple) -> None:
    compare(tf_oracle, ff, lambda m: m.image.resize(IMAGE, size, method=method, antialias=antialias).numpy(),
            rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.float16, np.float64])
@pytest.mark.parametrize("method", ["bilinear", "nearest", "area", "lanczos3"])
def test_resize_dtypes(tf_oracle, dtype: type, method: str) -> None:
    x = IMAGE[0].astype(dtype)  # a single image (3-D)
    compare(tf_oracle, ff, lambda m: m.image.resize(x, (5, 13), method=method).numpy(), rtol=1e-3, atol=1e-2)


@settings(max_examples=25, deadline=None)
@given(h=st.integers(1, 9), w=st.integers(1, 9), oh=st.integers(1, 12), ow=st.integers(1, 12),
       method=st.sampled_from(METHODS), antialias=st.booleans(),
       dtype=st.sampled_from([np.uint8, np.int16, np.float32, np.float64]))
def test_resize_shapes_and_dtypes_match_tf(h: int, w: int, oh: int, ow: int, method: str, antialias: bool,
                                           dtype: type) -> None:
    tf = pytest.importorskip("tensorflow")
    x = (np.arange(2 * h * w * 2).reshape(2, h, w, 2) % 97).astype(dtype)
    compare(tf, ff, lambda m: m.image.resize(x, (oh, ow), method=method, antialias=antialias).numpy(),
            rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("size", [(10, 20), (3, 30), (12, 2)])
def test_preserve_aspect_ratio(tf_oracle, size: tuple) -> None:
    compare(tf_oracle, ff, lambda m: m.image.resize(IMAGE, size, preserve_aspect_ratio=True).numpy(), atol=1e-3)


def test_resize_method_enum_and_class(tf_oracle) -> None:
    assert ff.image.ResizeMethod.LANCZOS5 == "lanczos5"
    compare(tf_oracle, ff, lambda m: m.image.resize(IMAGE, (4, 4), method=m.image.ResizeMethod.BICUBIC).numpy(),
            atol=1e-3)


@pytest.mark.parametrize("op", ["ResizeBilinear", "ResizeNearestNeighbor", "ResizeBicubic"])
@pytest.mark.parametrize("align_corners,half_pixel", [(False, False), (True, False), (False, True)])
@pytest.mark.parametrize("size", [(3, 11), (9, 4), (1, 1)])
def test_kernel_sampling_modes_and_gradients(tf_oracle, op: str, align_corners: bool, half_pixel: bool,
                                             size: tuple) -> None:
    ours = {"ResizeBilinear": R.resize_bilinear_op, "ResizeNearestNeighbor": R.resize_nearest_op,
            "ResizeBicubic": R.resize_bicubic_op}[op]
    x = IMAGE[:, :5] / 255

    def tf_prog(m, t):
        return getattr(m.raw_ops, op)(images=t, size=size, align_corners=align_corners,
                                      half_pixel_centers=half_pixel)

    def ff_prog(m, t):
        return ours(t, size=size, align_corners=align_corners, half_pixel_centers=half_pixel)

    want = tf_prog(tf_oracle, x).numpy()
    got = ff_prog(ff, ff.constant(x)).numpy()
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    w = _rng.random(want.shape)
    np.testing.assert_allclose(gradient(ff, ff_prog, x, w), gradient(tf_oracle, tf_prog, x, w), rtol=1e-5,
                               atol=1e-5)


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("size", [(3, 11), (2, 3), (5, 7), (14, 4)])
def test_resize_area_kernel(tf_oracle, align_corners: bool, size: tuple) -> None:
    x = IMAGE[:, :5]
    want = tf_oracle.raw_ops.ResizeArea(images=x, size=size, align_corners=align_corners).numpy()
    got = R.resize_area_op(ff.constant(x), size=size, align_corners=align_corners).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("kernel", ["lanczos1", "lanczos3", "box", "triangle", "keyscubic", "mitchellcubic",
                                    "gaussian"])
@pytest.mark.parametrize("antialias", [False, True])
def test_scale_and_translate_and_its_gradient(tf_oracle, kernel: str, antialias: bool) -> None:
    x = IMAGE[:, :6] / 255
    for scale, translation in (((0.7, 1.9), (0.5, -1.2)), ((2.5, 0.4), (-3.0, 1.0))):
        def tf_prog(m, t, s=scale, tr=translation):
            return m.raw_ops.ScaleAndTranslate(images=t, size=(6, 5), scale=s, translation=tr, kernel_type=kernel,
                                               antialias=antialias)

        def ff_prog(m, t, s=scale, tr=translation):
            return R.scale_and_translate_op(t, size=(6, 5), scale=s, translation=tr, kernel_type=kernel,
                                            antialias=antialias)

        np.testing.assert_allclose(ff_prog(ff, ff.constant(x)).numpy(), tf_prog(tf_oracle, x).numpy(), rtol=1e-5,
                                   atol=1e-6)
        w = _rng.random((2, 6, 5, 3))
        np.testing.assert_allclose(gradient(ff, ff_prog, x, w), gradient(tf_oracle, tf_prog, x, w), rtol=1e-5,
                                   atol=1e-5)


@pytest.mark.parametrize("method", ["bilinear", "bicubic", "lanczos3", "nearest"])
def test_resize_gradient_through_the_public_function(tf_oracle, method: str) -> None:
    x = IMAGE[:1] / 255
    w = _rng.random((1, 4, 13, 3))

    def prog(m, t):
        return m.image.resize(t, (4, 13), method=method, antialias=True)

    np.testing.assert_allclose(gradient(ff, prog, x, w), gradient(tf_oracle, prog, x, w), rtol=1e-5, atol=1e-5)


def test_resize_area_has_no_gradient_as_in_tf() -> None:
    t = ff.constant(IMAGE)
    with ff.GradientTape() as tape:
        tape.watch(t)
        y = ff.reduce_sum(ff.image.resize(t, (3, 3), method="area"))
    with pytest.raises(LookupError):
        tape.gradient(y, t)


def test_numerical_gradient_of_bicubic_in_float64() -> None:
    """The registered rule against central differences (the forward is linear, so they are exact to rounding)."""
    base = _rng.random((1, 4, 5, 1))
    weights = np.arange(18.0).reshape(1, 6, 3, 1)

    def f(v: np.ndarray) -> float:
        out = R.resize_bicubic_op(ff.constant(v), size=(6, 3), half_pixel_centers=True)
        return float(ff.reduce_sum(ff.cast(out, ff.float64) * weights).numpy())

    g = gradient(ff, lambda m, t: R.resize_bicubic_op(t, size=(6, 3), half_pixel_centers=True), base, weights)
    eps = 1e-2
    for idx in [(0, 0, 0, 0), (0, 2, 3, 0), (0, 3, 4, 0)]:
        up, down = base.copy(), base.copy()
        up[idx] += eps
        down[idx] -= eps
        assert abs((f(up) - f(down)) / (2 * eps) - g[idx]) < 1e-3


@pytest.mark.parametrize("program", [
    lambda m: m.image.resize(IMAGE, [0, 3]),
    lambda m: m.image.resize(IMAGE, [-1, 3], method="nearest"),
    lambda m: m.image.resize(IMAGE, [2, 3], method="cubic"),
    lambda m: m.image.resize(IMAGE[0, 0], [2, 3]),
    lambda m: m.image.resize(IMAGE, [2, 3, 4]),
    lambda m: m.image.resize(IMAGE.astype(bool), [2, 3]),
])
def test_resize_errors(tf_oracle, program) -> None:
    same_error(tf_oracle, ff, program)


def test_scale_and_translate_unknown_kernel() -> None:
    with pytest.raises(ff.errors.InvalidArgumentError, match="Unrecognized kernel type: foo"):
        R.scale_and_translate_op(ff.constant(IMAGE), size=(2, 2), scale=(1.0, 1.0), translation=(0.0, 0.0),
                                 kernel_type="foo")


@pytest.mark.parametrize("image", [IMAGE, IMAGE[0]])
@pytest.mark.parametrize("target", [(3, 3), (8, 4), (2, 11), (7, 9)])
@pytest.mark.parametrize("method", ["bilinear", "nearest", "area", "lanczos3"])
def test_resize_with_pad(tf_oracle, image: np.ndarray, target: tuple, method: str) -> None:
    compare(tf_oracle, ff, lambda m: m.image.resize_with_pad(image, *target, method=method).numpy(), atol=1e-3)
