"""Box ops: CropAndResize (with its image and box gradients) and the non-max-suppression family.

CropAndResize samples each box with per-box row and column weight matrices, built on the device as the
resize kernels' are (``_sampling``); TF's sampling is followed term for term (float32 box coordinates,
``extrapolation_value`` outside the image, nearest rounding half away from zero).

Non-max suppression is a sequential selection whose output length is data: its ops run on the host (their
inputs copied there explicitly), as TF's CPU kernel does, following DoNonMaxSuppressionOp's order of visits.

>>> import featherflow as tf
>>> tf.image.non_max_suppression([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 2, 1, 3]], [0.9, 0.8, 0.7], 3).numpy()
array([0, 2], dtype=int32)
"""

from __future__ import annotations

import heapq
from typing import Any

import numpy as np

from ...dtypes import bfloat16 as _bfloat16
from ...dtypes import float16 as _float16
from ...dtypes import float32 as _float32
from ...dtypes import float64 as _float64
from ...dtypes import int32 as _int32
from ...errors import OutOfRangeError
from ...tensor import Tensor
from ..array.core import op_error
from ..convert import tensor
from ..registry import register

_F32 = np.float32


# --- crop_and_resize ------------------------------------------------------------------------------------------


def _positions(xp: Any, lo: Any, hi: Any, size: int, crop: int) -> Any:
    """The source coordinate of each crop row (column), per box: (boxes, crop)."""
    extent = _F32(size - 1)
    if crop > 1:
        scale = (hi - lo) * extent / _F32(crop - 1)
        return lo[:, None] * extent + xp.arange(crop, dtype=_F32)[None, :] * scale[:, None]
    return (_F32(0.5) * (lo + hi) * extent)[:, None]


def _weights(xp: Any, pos: Any, size: int, method: str) -> tuple:
    """(boxes, crop, size) sampling weights, zero outside the image, and the validity of each position."""
    valid = (pos >= 0) & (pos <= _F32(size - 1))
    src = xp.arange(size)[None, None, :]
    if method == "nearest":
        floor = xp.floor(pos)
        near = xp.where(pos - floor >= 0.5, floor + 1, floor)  # roundf
        w = (src == near[..., None]).astype(_F32)
    else:
        top = xp.floor(pos)
        lerp = (pos - top)[..., None]
        w = xp.where(src == top[..., None], _F32(1) - lerp, _F32(0)) + xp.where(
            src == xp.ceil(pos)[..., None], lerp, _F32(0))
    return xp.where(valid[..., None], w, _F32(0)).astype(_F32), valid


def _slopes(xp: Any, pos: Any, size: int) -> Any:
    """d(sample)/d(position) weights: -1 at the floor tap, +1 at the ceiling tap (zero at integers)."""
    src = xp.arange(size)[None, None, :]
    valid = (pos >= 0) & (pos <= _F32(size - 1))
    d = (src == xp.ceil(pos)[..., None]).astype(_F32) - (src == xp.floor(pos)[..., None]).astype(_F32)
    return xp.where(valid[..., None], d, _F32(0))


def _check_boxes(xp: Any, op: str, boxes: Any, box_ind: Any, batch: int) -> None:
    if boxes.ndim != 2:
        raise op_error(op, f"boxes must be 2-D[{','.join(map(str, boxes.shape))}]")
    if boxes.shape[1] != 4:
        raise op_error(op, "boxes must have 4 columns")
    if box_ind.shape != (boxes.shape[0],):
        raise op_error(op, "box_index has incompatible shape")
    # TF's CPU kernel checks the indices (a host read); its GPU kernel does not
    if xp is np and box_ind.size and (box_ind.min() < 0 or box_ind.max() >= batch):
        raise op_error(op, "box_index has values outside [0, batch_size)", cls=OutOfRangeError)


def _apply(xp: Any, images: Any, rows: Any, cols: Any) -> Any:
    """Per-box ``rows @ image @ cols.T``: images (N, H, W, C) -> (N, CH, CW, C)."""
    t = xp.matmul(rows[:, None], images.transpose(0, 3, 1, 2))
    t = xp.matmul(t, cols[:, None].transpose(0, 1, 3, 2))
    return t.transpose(0, 2, 3, 1)


@register("CropAndResize", inputs=("T", "", ""))
def crop_and_resize_op(xp: Any, image: Any, boxes: Any, box_ind: Any, crop_size: tuple, method: str = "bilinear",
                       extrapolation_value: float = 0.0) -> Any:
    op = "CropAndResize"
    if image.ndim != 4:
        raise op_error(op, f"input image must be 4-D[{','.join(map(str, image.shape))}]")
    _check_boxes(xp, op, boxes, box_ind, image.shape[0])
    h, w = image.shape[1:3]
    b = boxes.astype(_F32)
    rows, vy = _weights(xp, _positions(xp, b[:, 0], b[:, 2], h, crop_size[0]), h, method)
    cols, vx = _weights(xp, _positions(xp, b[:, 1], b[:, 3], w, crop_size[1]), w, method)
    picked = xp.take(image, box_ind.astype(np.int64), axis=0).astype(_F32)
    out = _apply(xp, picked, rows, cols)
    inside = vy[:, :, None, None] & vx[:, None, :, None]
    return xp.where(inside, out, _F32(extrapolation_value)).astype(_F32)


@crop_and_resize_op.gradient
def _(g: Tensor, ans: Tensor, image: Tensor, boxes: Tensor, box_ind: Tensor, crop_size: tuple,
      method: str = "bilinear", extrapolation_value: float = 0.0) -> Any:
    grad_image = None
    if image._dtype in (_float16, _float32, _float64):
        grad_image = crop_and_resize_grad_image_op(g, boxes, box_ind, shape=image._value.shape,
                                                   dtype=image._value.dtype, method=method)
    return grad_image, crop_and_resize_grad_boxes_op(g, image, boxes, box_ind), None


@register("CropAndResizeGradImage", inputs=("", "", ""))
def crop_and_resize_grad_image_op(xp: Any, g: Any, boxes: Any, box_ind: Any, shape: tuple, dtype: Any,
                                  method: str) -> Any:
    n, h, w, c = shape
    b = boxes.astype(_F32)
    rows, _ = _weights(xp, _positions(xp, b[:, 0], b[:, 2], h, g.shape[1]), h, method)
    cols, _ = _weights(xp, _positions(xp, b[:, 1], b[:, 3], w, g.shape[2]), w, method)
    per_box = _apply(xp, g.astype(_F32), rows.transpose(0, 2, 1), cols.transpose(0, 2, 1))  # (boxes, H, W, C)
    owner = (xp.arange(n)[:, None] == box_ind[None, :].astype(np.int64)).astype(_F32)
    return xp.matmul(owner, per_box.reshape(per_box.shape[0], -1)).reshape(shape).astype(dtype)


@register("CropAndResizeGradBoxes", inputs=("", "T", "", ""))
def crop_and_resize_grad_boxes_op(xp: Any, g: Any, image: Any, boxes: Any, box_ind: Any) -> Any:
    h, w = image.shape[1:3]
    ch, cw = g.shape[1:3]
    b = boxes.astype(_F32)
    py = _positions(xp, b[:, 0], b[:, 2], h, ch)
    px = _positions(xp, b[:, 1], b[:, 3], w, cw)
    rows, vy = _weights(xp, py, h, "bilinear")
    cols, vx = _weights(xp, px, w, "bilinear")
    picked = xp.take(image, box_ind.astype(np.int64), axis=0).astype(_F32)
    inside = (vy[:, :, None, None] & vx[:, None, :, None]).astype(_F32)
    gg = g.astype(_F32) * inside
    along_y = (gg * _apply(xp, picked, _slopes(xp, py, h), cols)).sum(axis=(2, 3))  # (boxes, CH)
    along_x = (gg * _apply(xp, picked, rows, _slopes(xp, px, w))).sum(axis=(1, 3))  # (boxes, CW)

    def ends(d: Any, size: int, crop: int) -> tuple:
        if crop > 1:
            k = xp.arange(crop, dtype=_F32) * (_F32(size - 1) / _F32(crop - 1))
            return (d * (_F32(size - 1) - k)).sum(axis=1), (d * k).sum(axis=1)
        half = d.sum(axis=1) * _F32(0.5) * _F32(size - 1)
        return half, half

    y1, y2 = ends(along_y, h, ch)
    x1, x2 = ends(along_x, w, cw)
    return xp.stack([y1, x1, y2, x2], axis=1).astype(_F32)


def crop_and_resize(image: Any, boxes: Any, box_indices: Any, crop_size: Any, method: str = "bilinear",
                    extrapolation_value: float = 0.0, name: str | None = None) -> Tensor:
    """Crops boxes (normalized [y1, x1, y2, x2]) out of a batch of images and resizes each to ``crop_size``."""
    if method not in ("bilinear", "nearest"):
        raise op_error("CropAndResize", f"method must be 'bilinear' or 'nearest', got {method}")
    size = crop_size if isinstance(crop_size, (list, tuple)) else tensor(crop_size, _int32).numpy()
    ch, cw = int(size[0]), int(size[1])
    if ch <= 0 or cw <= 0:
        raise op_error("CropAndResize", "crop dimensions must be positive")
    return crop_and_resize_op(tensor(image), tensor(boxes, _float32), tensor(box_indices, _int32),
                              crop_size=(ch, cw), method=method, extrapolation_value=float(extrapolation_value))


# --- non-max suppression -----------------------------------------------------------------------------------


def _iou(boxes: np.ndarray, i: int, j: int) -> float:
    """TF's IOU: corners in either order, 0 for an empty box."""
    a, b = boxes[i], boxes[j]
    ymin_i, ymax_i = min(a[0], a[2]), max(a[0], a[2])
    xmin_i, xmax_i = min(a[1], a[3]), max(a[1], a[3])
    ymin_j, ymax_j = min(b[0], b[2]), max(b[0], b[2])
    xmin_j, xmax_j = min(b[1], b[3]), max(b[1], b[3])
    area_i = (ymax_i - ymin_i) * (xmax_i - xmin_i)
    area_j = (ymax_j - ymin_j) * (xmax_j - xmin_j)
    if area_i <= 0 or area_j <= 0:
        return boxes.dtype.type(0)
    inter = max(min(ymax_i, ymax_j) - max(ymin_i, ymin_j), 0) * max(min(xmax_i, xmax_j) - max(xmin_i, xmin_j), 0)
    return inter / (area_i + area_j - inter)


def _suppress(similarity: Any, scores: np.ndarray, max_output: int, threshold: float, score_threshold: float,
              sigma: float = 0.0) -> tuple:
    """DoNonMaxSuppressionOp: visit candidates by score (ties: lower index first); a candidate is compared
    with the selections made since it was last visited, newest first."""
    t = scores.dtype.type
    thr, score_thr = t(threshold), t(score_threshold)
    soft = sigma > 0
    scale = t(-0.5) / t(sigma) if soft else t(0)
    queue = [(-scores[i], i, 0) for i in range(len(scores)) if scores[i] > score_thr]
    heapq.heapify(queue)
    selected: list[int] = []
    chosen: list = []
    while len(selected) < max_output and queue:
        neg, index, begin = heapq.heappop(queue)
        score = original = -neg
        hard = False
        for j in range(len(selected) - 1, begin - 1, -1):
            sim = similarity(index, selected[j])
            weight = t(np.exp(scale * sim * sim)) if soft or sim <= thr else t(0)
            score = t(score * weight)
            if not soft and sim > thr:
                hard = True
                break
            if score <= score_thr:
                break
        if hard:
            continue
        if score == original:
            selected.append(index)
            chosen.append(score)
        elif score > score_thr:
            heapq.heappush(queue, (-score, index, len(selected)))
    return selected, chosen


def _nms_checks(op: str, boxes: np.ndarray, scores: np.ndarray, max_output: int, threshold: float) -> None:
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise op_error(op, f"boxes must be 2-D[{','.join(map(str, boxes.shape))}]", name="")
    if scores.ndim != 1 or scores.shape[0] != boxes.shape[0]:
        raise op_error(op, f"scores has incompatible shape[{','.join(map(str, scores.shape))}]", name="")
    if not 0 <= threshold <= 1:
        raise op_error(op, "iou_threshold must be in [0, 1]", name="")
    if max_output < 0:
        raise op_error(op, "max_output_size must be non-negative", name="")


# The selection reads every score: a host kernel (its inputs copied to the host, as a data-shaped result needs).
@register("NonMaxSuppressionV3", host_only=True, inputs=("T", "T"))
def nms_v3_op(xp: Any, boxes: Any, scores: Any, max_output: int, iou_threshold: float,
              score_threshold: float) -> Any:
    _nms_checks("NonMaxSuppressionV3", boxes, scores, max_output, iou_threshold)
    selected, _ = _suppress(lambda i, j: _iou(boxes, i, j), scores, max_output, iou_threshold, score_threshold)
    return np.asarray(selected, dtype=np.int32)


@register("NonMaxSuppressionV5", n_outputs=3, host_only=True, inputs=("T", "T"))
def nms_v5_op(xp: Any, boxes: Any, scores: Any, max_output: int, iou_threshold: float, score_threshold: float,
              soft_nms_sigma: float, pad_to_max_output_size: bool) -> Any:
    _nms_checks("NonMaxSuppressionV5", boxes, scores, max_output, iou_threshold)
    if soft_nms_sigma < 0:
        raise op_error("NonMaxSuppressionV5", "soft_nms_sigma must be non-negative", name="")
    selected, chosen = _suppress(lambda i, j: _iou(boxes, i, j), scores, max_output, iou_threshold,
                                 score_threshold, soft_nms_sigma)
    valid = len(selected)
    if pad_to_max_output_size:
        selected += [0] * (max_output - valid)
        chosen += [0] * (max_output - valid)
    return (np.asarray(selected, dtype=np.int32), np.asarray(chosen, dtype=scores.dtype),
            np.asarray(valid, dtype=np.int32))


@register("NonMaxSuppressionWithOverlaps", differentiable=False, host_only=True, inputs=("", ""))
def nms_overlaps_op(xp: Any, overlaps: Any, scores: Any, max_output: int, overlap_threshold: float,
                    score_threshold: float) -> Any:
    op = "NonMaxSuppressionWithOverlaps"
    if overlaps.ndim != 2 or overlaps.shape[0] != overlaps.shape[1]:
        raise op_error(op, f"overlaps must be square[{','.join(map(str, overlaps.shape))}]", name="")
    selected, _ = _suppress(lambda i, j: overlaps[i, j], scores, max_output, overlap_threshold, score_threshold)
    return np.asarray(selected, dtype=np.int32)


def _placed(t: Tensor) -> Tensor:
    """The host kernel's result copied to the current device, where TF's GPU kernel leaves it (no copy on the CPU)."""
    from ..array.core import identity_op

    return identity_op(t)


def _scalar(value: Any, dtype: Any = _float32) -> Any:
    return value if isinstance(value, (int, float)) else tensor(value, dtype).numpy().item()


def non_max_suppression(boxes: Any, scores: Any, max_output_size: Any, iou_threshold: float = 0.5,
                        score_threshold: float = float("-inf"), name: str | None = None) -> Tensor:
    """Indices of the boxes greedy non-max suppression keeps, by descending score (int32)."""
    b = tensor(boxes, _float32) if not isinstance(boxes, Tensor) else boxes
    s = tensor(scores, b.dtype) if not isinstance(scores, Tensor) else scores
    return _placed(nms_v3_op(b, s, max_output=int(_scalar(max_output_size, _int32)),
                             iou_threshold=float(_scalar(iou_threshold)),
                             score_threshold=float(_scalar(score_threshold))))


def non_max_suppression_with_scores(boxes: Any, scores: Any, max_output_size: Any, iou_threshold: float = 0.5,
                                    score_threshold: float = float("-inf"), soft_nms_sigma: float = 0.0,
                                    name: str | None = None) -> tuple[Tensor, Tensor]:
    """Non-max suppression (soft with ``soft_nms_sigma`` > 0): the kept indices and their (decayed) scores."""
    b = tensor(boxes, _float32) if not isinstance(boxes, Tensor) else boxes
    s = tensor(scores, b.dtype) if not isinstance(scores, Tensor) else scores
    indices, kept, _ = nms_v5_op(b, s, max_output=int(_scalar(max_output_size, _int32)),
                                 iou_threshold=float(_scalar(iou_threshold)),
                                 score_threshold=float(_scalar(score_threshold)),
                                 soft_nms_sigma=float(_scalar(soft_nms_sigma)), pad_to_max_output_size=False)
    return _placed(indices), _placed(kept)


def non_max_suppression_overlaps(overlaps: Any, scores: Any, max_output_size: Any, overlap_threshold: float = 0.5,
                                 score_threshold: float = float("-inf"), name: str | None = None) -> Tensor:
    """Non-max suppression over a precomputed [n, n] overlap matrix."""
    return _placed(nms_overlaps_op(tensor(overlaps, _float32), tensor(scores, _float32),
                                   max_output=int(_scalar(max_output_size, _int32)),
                                   overlap_threshold=float(_scalar(overlap_threshold)),
                                   score_threshold=float(_scalar(score_threshold))))


# --- draw_bounding_boxes (TF's kernel is CPU-only: a host op here too) ------------------------------------------

_DEFAULT_COLORS = ((1, 1, 0, 1), (0, 0, 1, 1), (1, 0, 0, 1), (0, 1, 0, 1), (0.5, 0, 0.5, 1), (0.5, 0.5, 0, 1),
                   (0.5, 0, 0, 1), (0, 0, 0.5, 1), (0, 1, 1, 1), (1, 0, 1, 1))


@register("DrawBoundingBoxes", differentiable=False, host_only=True, inputs=("T", ""))
def draw_boxes_v1_op(xp: Any, images: Any, boxes: Any) -> Any:
    return _draw("DrawBoundingBoxes", images, boxes, np.zeros((0, 4), np.float32))


@register("DrawBoundingBoxesV2", host_only=True, inputs=("T", "", ""))
def draw_boxes_op(xp: Any, images: Any, boxes: Any, colors: Any) -> Any:
    return _draw("DrawBoundingBoxesV2", images, boxes, colors)


def _draw(op: str, images: Any, boxes: Any, colors: Any) -> Any:
    if images.ndim != 4:
        raise op_error(op, "The rank of the images should be 4", name="")
    batch, height, width, depth = images.shape
    if depth not in (1, 3, 4):
        raise op_error(op, "Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)", name="")
    if op == "DrawBoundingBoxes" and boxes.ndim == 3 and boxes.shape[2] != 4:
        raise op_error(op, f"The size of the third dimension of the box must be 4. Received: {boxes.shape[2]}",
                       name="")
    if boxes.ndim != 3 or boxes.shape[0] != batch or boxes.shape[2] != 4:
        raise op_error(op, "boxes must be a 3-D tensor [batch, num_boxes, 4]", name="")
    table = [list(c) for c in colors.reshape(-1, colors.shape[-1])] if colors.size else \
        [list(c) for c in _DEFAULT_COLORS]
    if not colors.size and depth == 1:
        table = [[1.0] + c[1:] for c in table]
    canvas = images.copy()
    for b in range(batch):
        for k in range(boxes.shape[1]):
            color = np.asarray(table[k % len(table)][:depth], dtype=images.dtype)
            # float -> int64 truncation, as the kernel's implicit conversions
            top, bottom = int(_F32(boxes[b, k, 0]) * _F32(height - 1)), int(_F32(boxes[b, k, 2]) * _F32(height - 1))
            left, right = int(_F32(boxes[b, k, 1]) * _F32(width - 1)), int(_F32(boxes[b, k, 3]) * _F32(width - 1))
            if top > bottom or left > right:
                continue  # inverted: not drawn
            if top >= height or bottom < 0 or left >= width or right < 0:
                continue  # outside the image
            top_c, bottom_c = max(top, 0), min(bottom, height - 1)
            left_c, right_c = max(left, 0), min(right, width - 1)
            if top >= 0:
                canvas[b, top, left_c : right_c + 1] = color
            if bottom < height:
                canvas[b, bottom, left_c : right_c + 1] = color
            if left >= 0:
                canvas[b, top_c : bottom_c + 1, left] = color
            if right < width:
                canvas[b, top_c : bottom_c + 1, right] = color
    return canvas


def draw_bounding_boxes(images: Any, boxes: Any, colors: Any, name: str | None = None) -> Tensor:
    """Draws the outlines of ``boxes`` ([batch, n, 4], normalized) on a batch of float images."""
    x = tensor(images)
    if colors is None:  # TF's v1 op, with its default colour table
        return draw_boxes_v1_op(x, tensor(boxes, _float32))
    return draw_boxes_op(x, tensor(boxes, _float32), tensor(colors, _float32))



# --- combined (batched, per-class) non-max suppression ----------------------------------------------------------


@register("CombinedNonMaxSuppression", n_outputs=4, host_only=True, inputs=("", ""))
def combined_nms_op(xp: Any, boxes: Any, scores: Any, per_class: int, total: int, iou_threshold: float,
                    score_threshold: float, pad_per_class: bool, clip_boxes: bool) -> Any:
    op = "CombinedNonMaxSuppression"
    if boxes.ndim != 4 or boxes.shape[3] != 4:
        raise op_error(op, f"boxes must be 4-D[{','.join(map(str, boxes.shape))}]", name="")
    if scores.ndim != 3:
        raise op_error(op, f"scores must be 3-D[{','.join(map(str, scores.shape))}]", name="")
    batch, _, q, _ = boxes.shape
    classes = scores.shape[2]
    if q != 1 and q != classes:
        raise op_error(op, "third dimension of boxes must be either 1 or num classes", name="")
    if not 0 <= iou_threshold <= 1:
        raise op_error(op, "iou_threshold must be in [0, 1]", name="")
    size = min(per_class * classes, total) if pad_per_class else total
    out_boxes = np.zeros((batch, size, 4), np.float32)
    out_scores = np.zeros((batch, size), np.float32)
    out_classes = np.zeros((batch, size), np.float32)
    valid = np.zeros(batch, np.int32)
    for b in range(batch):
        found = []  # (score, box index, class), per class by TF's greedy selection
        for c in range(classes):
            candidates = boxes[b, :, 0 if q == 1 else c, :].astype(np.float32)
            class_scores = scores[b, :, c].astype(np.float32)
            chosen, kept = _suppress(lambda i, j, bx=candidates: _iou(bx, i, j), class_scores, per_class,
                                     iou_threshold, score_threshold)
            found += [(s, i, c) for i, s in zip(chosen, kept)]
        found.sort(key=lambda r: -r[0])  # by score, ties in the order classes were visited
        found = found[:size]
        valid[b] = len(found)
        for k, (s, i, c) in enumerate(found):
            box = boxes[b, i, 0 if q == 1 else c, :].astype(np.float32)
            out_boxes[b, k] = np.clip(box, 0, 1) if clip_boxes else box
            out_scores[b, k] = s
            out_classes[b, k] = c
    return out_boxes, out_scores, out_classes, valid


def combined_non_max_suppression(boxes: Any, scores: Any, max_output_size_per_class: int, max_total_size: int,
                                 iou_threshold: float = 0.5, score_threshold: float = float("-inf"),
                                 pad_per_class: bool = False, clip_boxes: bool = True,
                                 name: str | None = None) -> tuple:
    """Per-class greedy non-max suppression over a batch, merged by score: (boxes, scores, classes, valid)."""
    outs = combined_nms_op(tensor(boxes, _float32), tensor(scores, _float32),
                           per_class=int(_scalar(max_output_size_per_class, _int32)),
                           total=int(_scalar(max_total_size, _int32)),
                           iou_threshold=float(_scalar(iou_threshold)),
                           score_threshold=float(_scalar(score_threshold)), pad_per_class=bool(pad_per_class),
                           clip_boxes=bool(clip_boxes))
    return tuple(_placed(t) for t in outs)


# --- non_max_suppression_padded (TF's tiled v2 algorithm, which is greedy NMS with its own conventions) ----------


def _overlap_eps(a: np.ndarray, b: np.ndarray) -> Any:
    """_bbox_overlap: float32 IoU of [ymin, xmin, ymax, xmax] boxes with 1e-8 added to the union."""
    i_area = max(min(a[3], b[3]) - max(a[1], b[1]), _F32(0)) * max(min(a[2], b[2]) - max(a[0], b[0]), _F32(0))
    a_area = (a[2] - a[0]) * (a[3] - a[1])
    b_area = (b[2] - b[0]) * (b[3] - b[1])
    return i_area / (a_area + b_area - i_area + _F32(1e-8))


# featherflow's own op: TF composes this selection of while_loop, top_k and gather (indices: no gradient)
@register("NonMaxSuppressionPaddedV2", n_outputs=2, differentiable=False, host_only=True, inputs=("T", "T"),
          dtypes=frozenset({_float16, _bfloat16, _float32, _float64}))
def nms_padded_op(xp: Any, boxes: Any, scores: Any, max_output: int, iou_threshold: float, score_threshold: float,
                  canonicalize: bool) -> Any:
    """Per row of the batch: scores at or below ``score_threshold`` zero the score and the box; the boxes sorted
    by score (ties: lower index first); a box is dropped when its IoU with a kept one is >= the threshold; kept
    boxes with no positive coordinate are not reported (TF counts boxes by ``box > 0``)."""
    batch, n = scores.shape
    thr = _F32(iou_threshold)
    b = boxes.astype(_F32)
    s = scores.astype(_F32)
    if score_threshold != float("-inf"):
        mask = (s > _F32(score_threshold)).astype(_F32)
        s = s * mask
        b = b * mask[..., None]
    if canonicalize and n:  # TF decides from the first box of the batch alone
        if not b[0, 0, 0] <= b[0, 0, 2]:
            b = b[..., [2, 1, 0, 3]]
        if not b[0, 0, 1] <= b[0, 0, 3]:
            b = b[..., [0, 3, 2, 1]]
    out = np.zeros((batch, max_output), np.int32)
    valid = np.zeros(batch, np.int32)
    for row in range(batch):
        order = np.argsort(-s[row], kind="stable")
        kept: list[int] = []
        for p in order:
            if not any(_overlap_eps(b[row, p], b[row, q]) >= thr for q in kept):
                kept.append(int(p))
        shown = [p for p in kept if (b[row, p] > 0).any()][:max_output]
        valid[row] = len(shown)
        out[row, : len(shown)] = shown
    return out, valid


def non_max_suppression_padded(boxes: Any, scores: Any, max_output_size: Any, iou_threshold: float = 0.5,
                               score_threshold: float = float("-inf"), pad_to_max_output_size: bool = False,
                               name: str | None = None, sorted_input: bool = False,
                               canonicalized_coordinates: bool = False, tile_size: int = 512) -> tuple:
    """Greedy non-max suppression over (batches of) boxes with fixed-size outputs: (indices, number valid).
    ``tile_size`` only sets how TF batches its work: the selection does not depend on it."""
    if sorted_input:
        raise NotImplementedError("non_max_suppression_padded: the option sorted_input=True is not supported")
    b = tensor(boxes, _float32) if not isinstance(boxes, Tensor) else boxes
    s = tensor(scores, b.dtype) if not isinstance(scores, Tensor) else scores
    rank = b.shape.rank
    if not pad_to_max_output_size and rank > 2:
        raise ValueError(f"'pad_to_max_output_size' (value {pad_to_max_output_size}) must be True for batched input")
    from ..array.core import reshape

    lead = list(b.shape)[:-2]
    n = b.shape[-2]
    size = int(_scalar(max_output_size, _int32))
    idx, valid = nms_padded_op(reshape(b, [-1, n, 4]), reshape(s, [-1, n]), max_output=size,
                               iou_threshold=float(_scalar(iou_threshold)),
                               score_threshold=float(_scalar(score_threshold)),
                               canonicalize=not canonicalized_coordinates)
    if not pad_to_max_output_size:
        count = int(valid.numpy()[0])
        return _placed(idx[0, :count]), _placed(reshape(valid, lead))
    return _placed(reshape(idx, [*lead, size])), _placed(reshape(valid, lead))
