"""``tf.image.generate_bounding_box_proposals`` (GenerateBoundingBoxProposals): region proposals from anchors,
as TF's GPU kernel makes them (generate_box_proposals_op.cu.cc): each image's top ``pre_nms_topn`` scores
(a stable descending sort), their anchors moved by the (dy, dx, dh, dw) deltas and clipped to the image, boxes
smaller than ``min_size`` dropped, greedy non-max suppression, the first ``post_nms_topn`` kept, zero-padded.

TF registers this op for GPUs only (its CPU build raises NotFoundError); featherflow runs it on any device. The
kernel is a host one (its sort and the suppression read every score, as TF's GPU kernel syncs to the host per
image), its outputs copied to the current device.

For example (not a doctest: the doctests also run under TF, whose CPU build has no kernel for it)::

    rois, probs = tf.image.generate_bounding_box_proposals(
        tf.ones([1, 1, 1, 1]), tf.zeros([1, 1, 1, 4]), [[64.0, 64.0, 1.0, 1.0, 1.0]],
        [[[0.0, 0.0, 32.0, 32.0]]], min_size=1, post_nms_topn=2)
    # rois: [[[0, 0, 32, 32], [0, 0, 0, 0]]], probs: [[1, 0]]
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from ...dtypes import float32 as _float32
from ...dtypes import int32 as _int32
from ...errors import OutOfRangeError
from ...tensor import Tensor
from .._kernel_errors import kernel_error
from ..convert import shape_text, tensor
from ..registry import register

_F = np.float32
_OP = "GenerateBoundingBoxProposals"
_XFORM_CLIP = _F(math.log(1000.0 / 16.0))  # TF's bbox_xform_clip_default_


class GenerateBoundingBoxProposals(NamedTuple):
    rois: Tensor
    roi_probabilities: Tensor


def _decode(anchors: np.ndarray, deltas: np.ndarray, info: np.ndarray, min_size: np.float32) -> tuple:
    """GeneratePreNMSUprightBoxesKernel: (x1, y1, x2, y2) boxes and the keep flags, in float32."""
    y1, x1, y2, x2 = (anchors[:, i] for i in range(4))
    dy, dx, dh, dw = (deltas[:, i] for i in range(4))
    dw, dh = np.fmin(dw, _XFORM_CLIP), np.fmin(dh, _XFORM_CLIP)
    half = _F(0.5)
    width = x2 - x1
    ctr_x = x1 + half * width
    pred_ctr_x = ctr_x + width * dx
    pred_w = width * np.exp(dw)
    x1, x2 = pred_ctr_x - half * pred_w, pred_ctr_x + half * pred_w
    height = y2 - y1
    ctr_y = y1 + half * height
    pred_ctr_y = ctr_y + height * dy
    pred_h = height * np.exp(dh)
    y1, y2 = pred_ctr_y - half * pred_h, pred_ctr_y + half * pred_h
    img_h, img_w, scale = info[0], info[1], info[2]
    zero = _F(0)
    x1, x2 = np.fmax(np.fmin(x1, img_w), zero), np.fmax(np.fmin(x2, img_w), zero)
    y1, y2 = np.fmax(np.fmin(y1, img_h), zero), np.fmax(np.fmin(y2, img_h), zero)
    keep = np.fmin(x2 - x1, y2 - y1) >= min_size * scale
    return np.stack([x1, y1, x2, y2], axis=1), keep


def _nms(boxes: np.ndarray, threshold: np.float32, max_boxes: int) -> list:
    """TF's NmsGpu: greedy, a box dropped when intersection > union * threshold of a kept one (float32)."""
    x1, y1, x2, y2 = (np.minimum(boxes[:, 0], boxes[:, 2]), np.minimum(boxes[:, 1], boxes[:, 3]),
                      np.maximum(boxes[:, 0], boxes[:, 2]), np.maximum(boxes[:, 1], boxes[:, 3]))
    area = (x2 - x1) * (y2 - y1)
    removed = np.zeros(len(boxes), bool)
    keep: list = []
    for i in range(len(boxes)):
        if removed[i]:
            continue
        keep.append(i)
        if len(keep) >= max_boxes:
            break
        w = np.maximum(np.fmin(x2[i], x2) - np.fmax(x1[i], x1), _F(0))
        h = np.maximum(np.fmin(y2[i], y2) - np.fmax(y1[i], y1), _F(0))
        inter = w * h
        over = (inter > (area[i] + area - inter) * threshold) & (area[i] != 0) & (area != 0)
        over[: i + 1] = False
        removed |= over
    return keep


@register(_OP, n_outputs=2, differentiable=False, host_only=True)
def generate_bounding_box_proposals_op(xp: Any, scores: Any, bbox_deltas: Any, image_info: Any, anchors: Any,
                                       nms_threshold: Any, pre_nms_topn: Any, min_size: Any,
                                       post_nms_topn: int) -> tuple:
    n, h, w, a = scores.shape
    if anchors.ndim < 3 or a == 0 or anchors.shape[2] // a != 4:
        raise kernel_error(_OP, "Box dimensions need to be 4", kernel=_OP, cls=OutOfRangeError)
    for index, value in ((4, nms_threshold), (5, pre_nms_topn), (6, min_size)):
        if value.ndim:
            raise kernel_error(_OP, f"Expected a scalar in input {index}but got shape {shape_text(value.shape)}",
                               kernel=_OP)
        if index == 4 and not 0 <= value <= 1:
            raise kernel_error(_OP, f"nms_threshold should be between 0 and 1. Got {_fmt(value)}", kernel=_OP)
        if index == 5 and value <= 0:
            raise kernel_error(_OP, f"pre_nms_topn should be greater than 0{int(value)}", kernel=_OP)
    per_image = h * w * a
    generated = min(per_image, int(pre_nms_topn))
    flat_anchors = anchors.reshape(-1, 4).astype(_F)
    rois = np.zeros((n, post_nms_topn, 4), _F)
    probs = np.zeros((n, post_nms_topn), _F)
    for i in range(n):
        s = scores[i].reshape(-1).astype(_F)
        order = np.argsort(-s, kind="stable")[:generated]  # CUB's radix sort: descending, stable
        deltas = bbox_deltas[i].reshape(-1, 4).astype(_F)[order]
        boxes, keep = _decode(flat_anchors[order], deltas, image_info[i].astype(_F), _F(min_size))
        boxes, kept_scores = boxes[keep], s[order][keep]
        chosen = _nms(boxes, _F(nms_threshold), post_nms_topn)
        rois[i, : len(chosen)] = boxes[chosen][:, [1, 0, 3, 2]]  # (y1, x1, y2, x2)
        probs[i, : len(chosen)] = kept_scores[chosen]
    return rois, probs


def _fmt(v: Any) -> str:
    f = _F(v)
    text = f"{float(f):.6g}"
    return text if _F(float(text)) == f else f"{float(f):.9g}"


def generate_bounding_box_proposals(scores: Any, bbox_deltas: Any, image_info: Any, anchors: Any,
                                    nms_threshold: Any = 0.7, pre_nms_topn: Any = 6000, min_size: Any = 16,
                                    post_nms_topn: int = 300, name: str | None = None) -> GenerateBoundingBoxProposals:
    """Up to ``post_nms_topn`` region proposals per image, (y1, x1, y2, x2) with their scores, from per-position
    ``anchors`` ([H, W, 4 * A]) moved by ``bbox_deltas`` ([N, H, W, 4 * A]) and ranked by ``scores``
    ([N, H, W, A]); ``image_info`` rows are (height, width, scale, ...)."""
    from ..array.core import identity_op

    if post_nms_topn <= 0:
        raise kernel_error(_OP, "post_nms_topn can't be 0 or less", kernel=_OP)
    inputs = [tensor(scores, _float32), tensor(bbox_deltas, _float32), tensor(image_info, _float32),
              tensor(anchors, _float32), tensor(nms_threshold, _float32), tensor(pre_nms_topn, _int32),
              tensor(min_size, _float32)]
    generate_bounding_box_proposals_op.check(*inputs)
    rois, probs = generate_bounding_box_proposals_op(*inputs, post_nms_topn=int(post_nms_topn))
    # the host kernel's results where TF's GPU kernel leaves them: on the current device
    return GenerateBoundingBoxProposals(identity_op(rois), identity_op(probs))
