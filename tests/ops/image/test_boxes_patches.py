"""crop_and_resize (values and both gradients), the non-max-suppression family, extract_patches and the random
crops against TF."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from ._support import compare, same_error

_rng = np.random.default_rng(9)
IMAGE = _rng.random((3, 8, 9, 2)).astype(np.float32)
BOXES = np.array([[0.1, 0.2, 0.8, 0.9], [-0.2, 0.1, 1.3, 0.7], [0.5, 0.5, 0.5, 0.5], [0.9, 0.8, 0.2, 0.1],
                  [0, 0, 1, 1]], np.float32)
INDICES = np.array([0, 2, 1, 1, 0], np.int32)


@pytest.mark.parametrize("method", ["bilinear", "nearest"])
@pytest.mark.parametrize("crop", [(4, 5), (1, 3), (1, 1), (6, 1)])
@pytest.mark.parametrize("extrapolation", [0.0, -1.5])
def test_crop_and_resize_and_its_gradients(tf_oracle, method: str, crop: tuple, extrapolation: float) -> None:
    compare(tf_oracle, ff, lambda m: m.image.crop_and_resize(IMAGE, BOXES, INDICES, crop, method=method,
                                                             extrapolation_value=extrapolation).numpy())
    weights = _rng.random((len(BOXES), *crop, 2))

    def grads(m):
        image, boxes = m.constant(IMAGE), m.constant(BOXES)
        with m.GradientTape() as tape:
            tape.watch([image, boxes])
            out = m.image.crop_and_resize(image, boxes, INDICES, crop, method=method,
                                          extrapolation_value=extrapolation)
            y = m.reduce_sum(m.cast(out, m.float64) * weights)
        return [g.numpy() for g in tape.gradient(y, [image, boxes])]

    compare(tf_oracle, ff, grads, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("program", [
    lambda m: m.image.crop_and_resize(IMAGE, BOXES, [0, 0, 0, 0, 3], (2, 2)),
    lambda m: m.image.crop_and_resize(IMAGE, BOXES[:, :3], [0, 0, 0, 0, 0], (2, 2)),
    lambda m: m.image.crop_and_resize(IMAGE, BOXES, [0, 0, 0, 0], (2, 2)),
    lambda m: m.image.crop_and_resize(IMAGE, BOXES, [0, 0, 0, 0, 0], (0, 2)),
    lambda m: m.image.crop_and_resize(IMAGE[0], BOXES, [0, 0, 0, 0, 0], (2, 2)),
])
def test_crop_and_resize_errors(tf_oracle, program) -> None:
    same_error(tf_oracle, ff, program)


def _nms_case(seed: int) -> tuple:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 15))
    boxes = rng.random((n, 4)).astype(np.float32)
    boxes[:, 2:] += boxes[:, :2] * rng.random()
    scores = np.round(rng.random(n), 1).astype(np.float32)  # ties: TF visits the lower index first
    return boxes, scores


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.5, 1.0])
def test_non_max_suppression(tf_oracle, seed: int, threshold: float) -> None:
    boxes, scores = _nms_case(seed)
    for floor in (float("-inf"), 0.3):
        compare(tf_oracle, ff, lambda m, f=floor: m.image.non_max_suppression(boxes, scores, 7, threshold,
                                                                              f).numpy())
        for sigma in (0.0, 0.5):
            compare(tf_oracle, ff, lambda m, f=floor, s=sigma: [t.numpy() for t in
                                                                m.image.non_max_suppression_with_scores(
                                                                    boxes, scores, 7, threshold, f, s)])
    overlaps = np.random.default_rng(seed).random((len(scores), len(scores))).astype(np.float32)
    compare(tf_oracle, ff, lambda m: m.image.non_max_suppression_overlaps(overlaps, scores, 5, threshold).numpy())


def test_non_max_suppression_errors(tf_oracle) -> None:
    boxes, scores = _nms_case(0)
    same_error(tf_oracle, ff, lambda m: m.image.non_max_suppression(boxes, scores, 3, 1.5))


@pytest.mark.parametrize("sizes", [(1, 2, 2, 1), (1, 3, 1, 1)])
@pytest.mark.parametrize("strides", [(1, 1, 1, 1), (1, 2, 3, 1)])
@pytest.mark.parametrize("rates", [(1, 1, 1, 1), (1, 2, 1, 1)])
@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_extract_patches_and_gradient(tf_oracle, sizes: tuple, strides: tuple, rates: tuple, padding: str) -> None:
    x = _rng.random((2, 7, 9, 3))
    compare(tf_oracle, ff, lambda m: m.image.extract_patches(x, sizes, strides, rates, padding).numpy())
    out_shape = tf_oracle.image.extract_patches(x, sizes, strides, rates, padding).shape
    weights = _rng.random(out_shape)

    def grad(m):
        t = m.constant(x)
        with m.GradientTape() as tape:
            tape.watch(t)
            y = m.reduce_sum(m.image.extract_patches(t, sizes, strides, rates, padding) * weights)
        return tape.gradient(y, t).numpy()

    compare(tf_oracle, ff, grad)


def test_random_crops_draw_as_tf(tf_oracle) -> None:
    v = _rng.random((5, 6, 3))
    for seed in ((1, 2), (3, 4)):
        compare(tf_oracle, ff, lambda m, s=seed: m.image.stateless_random_crop(v, [2, 3, 3], s).numpy())
    tf_oracle.random.set_seed(1)
    ff.random.set_seed(1)
    want = [tf_oracle.image.random_crop(v, [2, 3, 2], seed=5).numpy() for _ in range(2)]
    got = [ff.image.random_crop(v, [2, 3, 2], seed=5).numpy() for _ in range(2)]
    np.testing.assert_array_equal(got, want)
    same_error(tf_oracle, ff, lambda m: m.image.random_crop(v, [7, 3, 2]))


@pytest.mark.parametrize("depth", [1, 3, 4])
def test_draw_bounding_boxes(tf_oracle, depth: int) -> None:
    rng = np.random.default_rng(depth)
    images = rng.random((2, 9, 11, depth)).astype(np.float32)
    boxes = (rng.random((2, 12, 4)) * 1.6 - 0.3).astype(np.float32)  # inverted, clipped and outside boxes too
    for colors in (None, np.array([[0.2, 0.3, 0.4, 1.0], [1, 0, 0, 0.5]], np.float32)):
        compare(tf_oracle, ff, lambda m, c=colors: m.image.draw_bounding_boxes(images, boxes, c).numpy(), rtol=0,
                atol=0)


@pytest.mark.parametrize("program", [  # (TF words v1's depth error with or without " name: ", call by call)
    lambda m: m.image.draw_bounding_boxes(np.zeros((4, 4, 3), np.float32), np.zeros((1, 1, 4), np.float32), None),
    lambda m: m.image.draw_bounding_boxes(np.zeros((1, 4, 4, 3), np.float32), np.zeros((1, 1, 3), np.float32), None),
    lambda m: m.image.draw_bounding_boxes(np.zeros((1, 4, 4, 2), np.float32), np.zeros((1, 1, 4), np.float32),
                                          np.ones((1, 4), np.float32)),
])
def test_draw_bounding_boxes_errors(tf_oracle, program) -> None:
    same_error(tf_oracle, ff, program)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("pad_per_class", [False, True])
@pytest.mark.parametrize("clip_boxes", [False, True])
def test_combined_non_max_suppression(tf_oracle, seed: int, pad_per_class: bool, clip_boxes: bool) -> None:
    rng = np.random.default_rng(seed)
    n, classes = int(rng.integers(1, 10)), int(rng.integers(1, 4))
    q = 1 if seed % 2 else classes
    boxes = (rng.random((2, n, q, 4)) * 1.4 - 0.2).astype(np.float32)
    boxes[..., 2:] = boxes[..., :2] + rng.random((2, n, q, 2)).astype(np.float32) * 0.5
    scores = rng.random((2, n, classes)).astype(np.float32)
    compare(tf_oracle, ff, lambda m: [t.numpy() for t in m.image.combined_non_max_suppression(
        boxes, scores, 3, 5, 0.4, 0.2, pad_per_class, clip_boxes)])


@pytest.mark.parametrize("centered", [True, False])
@pytest.mark.parametrize("normalized", [True, False])
@pytest.mark.parametrize("offsets", [[[0.1, -0.2], [0.3, 0.4]], [[2.0, 3.0], [1.0, 0.0]], [[-0.9, 0.9], [0.5, -0.5]]])
def test_extract_glimpse(tf_oracle, centered: bool, normalized: bool, offsets: list) -> None:
    x = _rng.random((2, 9, 11, 2)).astype(np.float32)
    compare(tf_oracle, ff, lambda m: m.image.extract_glimpse(x, [4, 5], offsets, centered=centered,
                                                             normalized=normalized, noise="zero").numpy())
    # TF's noise comes from an unseeded generator: inside the image the values are TF's, outside its distribution
    ours = ff.image.extract_glimpse(x, [4, 5], offsets, centered=centered, normalized=normalized).numpy()
    zero = tf_oracle.image.extract_glimpse(x, [4, 5], offsets, centered=centered, normalized=normalized,
                                           noise="zero").numpy()
    filled = tf_oracle.image.extract_glimpse(x + 10, [4, 5], offsets, centered=centered, normalized=normalized,
                                             noise="zero").numpy() == 0  # where TF filled (x + 10 is never 0)
    np.testing.assert_array_equal(ours[~filled], zero[~filled])
    for i in range(2):
        part = ours[i][filled[i]]
        assert ((part >= x[i].min()) & (part <= x[i].max())).all()


def test_extract_glimpse_errors(tf_oracle) -> None:
    x = np.zeros((1, 4, 4, 1), np.float32)
    same_error(tf_oracle, ff, lambda m: m.image.extract_glimpse(x, [2, 2], [[0.0, 0.0]], noise="pink"))


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("pad", [False, True])
def test_non_max_suppression_padded(tf_oracle, seed: int, pad: bool) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 15))
    boxes = (rng.random((n, 4)) * 1.2 - 0.1).astype(np.float32)
    boxes[:, 2:] = boxes[:, :2] + rng.random((n, 2)).astype(np.float32) * 0.6
    if seed % 3 == 0:
        boxes = boxes[:, [2, 3, 0, 1]]  # corners the other way round: TF canonicalizes from the first box
    scores = np.round(rng.random(n), 1).astype(np.float32) - 0.2
    for threshold in (0.3, 0.7):
        for floor in (float("-inf"), 0.3):
            compare(tf_oracle, ff, lambda m, t=threshold, f=floor: [x.numpy() for x in m.image.non_max_suppression_padded(
                m.constant(boxes), m.constant(scores), 6, t, f, pad)], rtol=0, atol=0)


def test_non_max_suppression_padded_batched(tf_oracle) -> None:
    boxes = _rng.random((2, 3, 8, 4)).astype(np.float32)
    boxes[..., 2:] = boxes[..., :2] + 0.3
    scores = _rng.random((2, 3, 8)).astype(np.float32)
    compare(tf_oracle, ff, lambda m: [x.numpy() for x in m.image.non_max_suppression_padded(
        m.constant(boxes), m.constant(scores), 5, 0.4, pad_to_max_output_size=True)], rtol=0, atol=0)
    same_error(tf_oracle, ff, lambda m: m.image.non_max_suppression_padded(m.constant(boxes), m.constant(scores), 5))
