"""Flips, rotations, transpose, crops and pads against TF (values, dtypes, shapes, errors and seeded draws)."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from ._support import compare, gradient, same_error

_rng = np.random.default_rng(3)
BATCH = _rng.integers(0, 255, (2, 5, 7, 3)).astype(np.uint8)
IMAGES = [BATCH, BATCH[0]]


@pytest.mark.parametrize("image", IMAGES, ids=["batch", "single"])
@pytest.mark.parametrize("name", ["flip_left_right", "flip_up_down", "transpose"])
def test_fixed_transforms(tf_oracle, image: np.ndarray, name: str) -> None:
    compare(tf_oracle, ff, lambda m: getattr(m.image, name)(image).numpy())


@pytest.mark.parametrize("image", IMAGES, ids=["batch", "single"])
@pytest.mark.parametrize("k", [-1, 0, 1, 2, 3, 5])
def test_rot90(tf_oracle, image: np.ndarray, k: int) -> None:
    compare(tf_oracle, ff, lambda m: m.image.rot90(image, k).numpy())


@pytest.mark.parametrize("image", IMAGES, ids=["batch", "single"])
def test_crop_and_pad_to_bounding_box(tf_oracle, image: np.ndarray) -> None:
    compare(tf_oracle, ff, lambda m: m.image.crop_to_bounding_box(image, 1, 2, 3, 4).numpy())
    compare(tf_oracle, ff, lambda m: m.image.pad_to_bounding_box(image, 1, 2, 8, 10).numpy())


@pytest.mark.parametrize("image", IMAGES, ids=["batch", "single"])
@pytest.mark.parametrize("target", [(3, 3), (8, 4), (2, 11), (5, 7)])
def test_resize_with_crop_or_pad(tf_oracle, image: np.ndarray, target: tuple) -> None:
    compare(tf_oracle, ff, lambda m: m.image.resize_with_crop_or_pad(image, *target).numpy())


@pytest.mark.parametrize("image", IMAGES, ids=["batch", "single"])
@pytest.mark.parametrize("fraction", [0.3, 0.5, 0.9, 1.0])
def test_central_crop(tf_oracle, image: np.ndarray, fraction: float) -> None:
    compare(tf_oracle, ff, lambda m: m.image.central_crop(image, fraction).numpy())


@pytest.mark.parametrize("image", IMAGES, ids=["batch", "single"])
@pytest.mark.parametrize("seed", [(1, 2), (3, 2), (7, 11)])
def test_stateless_random_flips_draw_as_tf(tf_oracle, image: np.ndarray, seed: tuple) -> None:
    compare(tf_oracle, ff, lambda m: m.image.stateless_random_flip_left_right(image, seed).numpy())
    compare(tf_oracle, ff, lambda m: m.image.stateless_random_flip_up_down(image, seed).numpy())


def test_seeded_random_flips_draw_as_tf(tf_oracle) -> None:
    for name in ("random_flip_left_right", "random_flip_up_down"):
        for image in IMAGES:
            tf_oracle.random.set_seed(5)
            ff.random.set_seed(5)
            want = [getattr(tf_oracle.image, name)(image, seed=3).numpy() for _ in range(3)]
            got = [getattr(ff.image, name)(image, seed=3).numpy() for _ in range(3)]
            for w, g in zip(want, got):
                np.testing.assert_array_equal(g, w)


def test_flip_and_crop_gradients(tf_oracle) -> None:
    x = _rng.random((2, 5, 7, 3))
    w = _rng.random((2, 3, 4, 3))
    for prog in (lambda m, t: m.image.crop_to_bounding_box(m.image.flip_left_right(t), 1, 2, 3, 4),
                 lambda m, t: m.image.crop_to_bounding_box(m.image.rot90(t, 3), 2, 0, 3, 4)):
        np.testing.assert_allclose(gradient(ff, prog, x, w), gradient(tf_oracle, prog, x, w))


@pytest.mark.parametrize("program", [
    lambda m: m.image.crop_to_bounding_box(BATCH, -1, 0, 2, 2),
    lambda m: m.image.crop_to_bounding_box(BATCH, 0, 0, 9, 2),
    lambda m: m.image.crop_to_bounding_box(BATCH, 0, 0, 2, 0),
    lambda m: m.image.pad_to_bounding_box(BATCH, 0, 0, 2, 2),
    lambda m: m.image.pad_to_bounding_box(BATCH, -1, 0, 9, 9),
    lambda m: m.image.central_crop(BATCH, 0.0),
    lambda m: m.image.flip_left_right(BATCH[0, 0]),
    lambda m: m.image.resize_with_crop_or_pad(BATCH, 0, 3),
])
def test_errors(tf_oracle, program) -> None:
    same_error(tf_oracle, ff, program)
