"""tf.image.generate_bounding_box_proposals (GenerateBoundingBoxProposals, a GPU-only kernel in TF): decoding,
clipping, min_size filtering, pre/post top-n and the suppression checked case by case and against TF's own
non_max_suppression; errors; outputs on the current device."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

INFO = [[100.0, 100.0, 1.0, 1.0, 1.0]]


def _run(scores, deltas, anchors, info=INFO, **kwargs):
    rois, probs = ff.image.generate_bounding_box_proposals(np.asarray(scores, np.float32),
                                                           np.asarray(deltas, np.float32), info,
                                                           np.asarray(anchors, np.float32), **kwargs)
    return rois.numpy(), probs.numpy()


TWO = [[[[0.0, 0.0, 10.0, 10.0], [0.0, 1.0, 10.0, 11.0]]]]  # H=1, W=2, A=1 (anchors [H, W, 4A] below)


def test_suppression_and_padding():
    anchors = np.array(TWO[0])
    rois, probs = _run([[[[0.9], [0.8]]]], np.zeros((1, 1, 2, 4)), anchors, min_size=1, post_nms_topn=3)
    assert rois.tolist() == [[[0, 0, 10, 10], [0, 0, 0, 0], [0, 0, 0, 0]]]  # IoU 90/110 > 0.7
    np.testing.assert_allclose(probs, [[0.9, 0, 0]])
    rois, probs = _run([[[[0.8], [0.9]]]], np.zeros((1, 1, 2, 4)), anchors, nms_threshold=0.9, min_size=1,
                       post_nms_topn=2)
    assert rois.tolist() == [[[0, 1, 10, 11], [0, 0, 10, 10]]]  # by descending score
    np.testing.assert_allclose(probs, [[0.9, 0.8]])


def test_decoding_and_clipping():
    deltas = [[[[0.1, 0.2, np.log(2.0), 0.0]]]]
    rois, _ = _run([[[[1.0]]]], deltas, [[[0.0, 0.0, 10.0, 10.0]]], min_size=1, post_nms_topn=1)
    np.testing.assert_allclose(rois, [[[0.0, 2.0, 16.0, 12.0]]], atol=1e-5)  # y1 = -4 clipped to 0
    rois, _ = _run([[[[1.0]]]], np.zeros((1, 1, 1, 4)), [[[0.0, 0.0, 10.0, 10.0]]],
                   info=[[8.0, 6.0, 1.0, 1.0, 1.0]], min_size=1, post_nms_topn=1)
    assert rois.tolist() == [[[0, 0, 8, 6]]]
    # the encoded size is capped at log(1000 / 16)
    rois, _ = _run([[[[1.0]]]], [[[[0.0, 0.0, 10.0, 10.0]]]], [[[500.0, 500.0, 502.0, 502.0]]],
                   info=[[1e4, 1e4, 1.0, 1.0, 1.0]], min_size=1, post_nms_topn=1)
    np.testing.assert_allclose(rois[0, 0, 2] - rois[0, 0, 0], 2 * 1000 / 16, rtol=1e-5)


def test_min_size_scaled_and_pre_nms_topn():
    anchors = [[[0.0, 0.0, 10.0, 10.0, 50.0, 50.0, 60.0, 80.0]]]  # H=W=1, A=2
    scores = [[[[0.5, 0.7]]]]
    rois, probs = _run(scores, np.zeros((1, 1, 1, 8)), anchors, min_size=11, post_nms_topn=2)
    assert rois.tolist() == [[[0, 0, 0, 0], [0, 0, 0, 0]]]  # both boxes have a side of 10 < 11
    rois, _ = _run(scores, np.zeros((1, 1, 1, 8)), anchors, info=[[100.0, 100.0, 0.5, 1.0, 1.0]], min_size=11,
                   post_nms_topn=2)
    assert rois.tolist() == [[[50, 50, 60, 80], [0, 0, 10, 10]]]
    rois, _ = _run(scores, np.zeros((1, 1, 1, 8)), anchors, pre_nms_topn=1, min_size=1, post_nms_topn=2)
    assert rois.tolist() == [[[50, 50, 60, 80], [0, 0, 0, 0]]]


def test_matches_tfs_non_max_suppression(tf_oracle):
    rng = np.random.default_rng(4)
    n, h, w, a = 2, 3, 4, 3
    lo = rng.uniform(0, 60, size=(h, w, a, 2))
    anchors = np.concatenate([lo, lo + rng.uniform(5, 40, size=(h, w, a, 2))], -1).astype(np.float32)
    scores = rng.uniform(size=(n, h, w, a)).astype(np.float32)
    info = np.array([[100.0, 100.0, 1.0, 1.0, 1.0]] * n, np.float32)
    rois, probs = ff.image.generate_bounding_box_proposals(scores, np.zeros((n, h, w, 4 * a), np.float32), info,
                                                           anchors.reshape(h, w, 4 * a), nms_threshold=0.5,
                                                           min_size=0, post_nms_topn=20)
    for i in range(n):
        boxes = np.clip(anchors.reshape(-1, 4), 0, 100)
        keep = tf_oracle.image.non_max_suppression(boxes, scores[i].reshape(-1), 20, 0.5).numpy()
        np.testing.assert_allclose(rois.numpy()[i, : len(keep)], boxes[keep], rtol=1e-6)
        np.testing.assert_allclose(probs.numpy()[i, : len(keep)], scores[i].reshape(-1)[keep])
        assert not rois.numpy()[i, len(keep):].any()


def test_tf_has_no_cpu_kernel(tf_oracle):
    with pytest.raises(tf_oracle.errors.NotFoundError):
        tf_oracle.image.generate_bounding_box_proposals(tf_oracle.ones([1, 1, 1, 1]), tf_oracle.zeros([1, 1, 1, 4]),
                                                        INFO, [[[0.0, 0.0, 1.0, 1.0]]])


ERRORS = [
    ({"post_nms_topn": 0}, "post_nms_topn can't be 0 or less"),
    ({"nms_threshold": 1.5}, "nms_threshold should be between 0 and 1. Got 1.5"),
    ({"pre_nms_topn": 0}, "pre_nms_topn should be greater than 00"),
    ({"min_size": [1.0]}, "Expected a scalar in input 6but got shape [1]"),
    ({"anchors": [[[0.0, 0.0, 1.0]]]}, "Box dimensions need to be 4"),
]


@pytest.mark.parametrize("kwargs,message", ERRORS)
def test_errors(kwargs, message):
    args = {"anchors": [[[0.0, 0.0, 1.0, 1.0]]], **kwargs}
    anchors = args.pop("anchors")
    with pytest.raises((ff.errors.InvalidArgumentError, ff.errors.OutOfRangeError), match=None) as info:
        ff.image.generate_bounding_box_proposals(np.ones((1, 1, 1, 1), np.float32), np.zeros((1, 1, 1, 4), np.float32),
                                                 INFO, anchors, **args)
    assert message in str(info.value)
    with pytest.raises((ff.errors.InvalidArgumentError, TypeError, ValueError)):
        ff.image.generate_bounding_box_proposals(ff.ones([1, 1, 1, 1], ff.float64), np.zeros((1, 1, 1, 4), np.float32),
                                                 INFO, [[[0.0, 0.0, 1.0, 1.0]]])


def test_outputs_on_the_current_device(device):
    rois, probs = ff.image.generate_bounding_box_proposals(ff.ones([1, 1, 1, 1]), ff.zeros([1, 1, 1, 4]), INFO,
                                                           [[[0.0, 0.0, 32.0, 32.0]]], min_size=1, post_nms_topn=1)
    where = "GPU:0" if device == "GPU" else "CPU:0"
    assert rois.device.endswith(where) and probs.device.endswith(where)
    assert rois.numpy().tolist() == [[[0.0, 0.0, 32.0, 32.0]]]
