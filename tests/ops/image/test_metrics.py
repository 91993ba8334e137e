"""total_variation, image_gradients, sobel_edges, psnr, ssim and ssim_multiscale against TF, with gradients."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from ._support import compare, gradient, same_error

_rng = np.random.default_rng(5)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_filters(tf_oracle, dtype: str) -> None:
    x = _rng.random((2, 9, 8, 3)).astype(dtype)
    compare(tf_oracle, ff, lambda m: m.image.total_variation(m.constant(x)).numpy())
    compare(tf_oracle, ff, lambda m: m.image.total_variation(m.constant(x[0])).numpy())
    compare(tf_oracle, ff, lambda m: [t.numpy() for t in m.image.image_gradients(m.constant(x))])
    compare(tf_oracle, ff, lambda m: m.image.sobel_edges(m.constant(x)).numpy())


@pytest.mark.parametrize("dtype,top", [("uint8", 255), ("float32", 1.0), ("float64", 1.0)])
def test_psnr_and_ssim(tf_oracle, dtype: str, top: float) -> None:
    x = (_rng.random((2, 30, 27, 3)) * top).astype(dtype)
    y = np.clip(x * 0.8 + _rng.random(x.shape) * 0.2 * top, 0, top).astype(dtype)
    compare(tf_oracle, ff, lambda m: m.image.psnr(x, y, top).numpy(), rtol=1e-4)
    compare(tf_oracle, ff, lambda m: m.image.ssim(m.constant(x), y, top).numpy(), rtol=1e-4, atol=1e-5)
    compare(tf_oracle, ff, lambda m: m.image.ssim(m.constant(x), y, top, filter_size=5, filter_sigma=0.8,
                                                  return_index_map=True).numpy(), rtol=1e-4, atol=1e-5)


def test_ssim_multiscale(tf_oracle) -> None:
    x = _rng.random((2, 177, 170, 3)).astype(np.float32)  # odd sizes: TF pads symmetrically before pooling
    y = np.clip(x * 0.9 + _rng.random(x.shape) * 0.1, 0, 1).astype(np.float32)
    compare(tf_oracle, ff, lambda m: m.image.ssim_multiscale(m.constant(x), y, 1.0).numpy(), rtol=1e-4)


def test_gradients(tf_oracle) -> None:
    x = _rng.random((1, 14, 13, 2))
    other = _rng.random((1, 14, 13, 2))
    for prog, shape in ((lambda m, t: m.image.ssim(t, other, 1.0, filter_size=5), (1,)),
                        (lambda m, t: m.image.psnr(t, other, 1.0), (1,)),
                        (lambda m, t: m.image.total_variation(t), (1,)),
                        (lambda m, t: m.image.sobel_edges(t), (1, 14, 13, 2, 2))):
        w = _rng.random(shape)
        np.testing.assert_allclose(gradient(ff, prog, x, w), gradient(tf_oracle, prog, x, w), rtol=1e-4,
                                   atol=1e-6)


@pytest.mark.parametrize("program", [
    lambda m: m.image.total_variation(m.zeros((2, 2))),
    lambda m: m.image.image_gradients(m.zeros((2, 2, 2))),
    lambda m: m.image.ssim(m.zeros((2, 20, 20, 3)), m.zeros((3, 20, 20, 3)), 1.0),
])
def test_errors(tf_oracle, program) -> None:
    same_error(tf_oracle, ff, program)
