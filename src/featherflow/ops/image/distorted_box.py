"""``tf.image.sample_distorted_bounding_box`` and ``tf.image.stateless_sample_distorted_bounding_box``
(SampleDistortedBoundingBoxV2, StatelessSampleDistortedBoundingBox): a random crop that covers enough of one of
the given boxes, drawn bit for bit as TF's kernel draws it (its SimplePhilox over the Philox stream of the
op's seeds, float32 arithmetic and ``lrintf`` rounding as its C++).

Both ops are host-only: TF registers only CPU kernels for them, and the rejection sampling is scalar work.

>>> import featherflow as tf
>>> out = tf.image.stateless_sample_distorted_bounding_box([40, 50, 3], [[[0.1, 0.2, 0.5, 0.7]]], seed=[1, 2])
>>> out.begin.numpy().tolist(), out.size.numpy().tolist()
([12, 3, 0], [26, 32, -1])
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ...dtypes import float32 as _float32
from ...errors import FailedPreconditionError, InvalidArgumentError
from ...runtime_config import is_op_determinism_enabled
from ...tensor import Tensor
from .._kernel_errors import slow_path
from ..convert import tensor
from ..random._philox import key_counter_from_seed, philox_words
from ..registry import register

_F = np.float32


class SampleDistortedBoundingBoxV2(NamedTuple):
    begin: Tensor
    size: Tensor
    bboxes: Tensor


class StatelessSampleDistortedBoundingBox(NamedTuple):
    begin: Tensor
    size: Tensor
    bboxes: Tensor


class _SimplePhilox:
    """TF's SimplePhilox over a SingleSampleAdapter: 32-bit words of the stream at (key, counter), in order."""

    def __init__(self, key: int, counter: int) -> None:
        self.key, self.counter, self.words, self.at = key, counter, [], 0

    def rand32(self) -> int:
        if self.at == len(self.words):
            self.words = [int(w) for w in philox_words(self.key, self.counter, 64)]
            self.counter += 16
            self.at = 0
        self.at += 1
        return self.words[self.at - 1]

    def rand_float(self) -> np.float32:
        bits = np.array([(127 << 23) | (self.rand32() & 0x7FFFFF)], dtype=np.uint32)
        return bits.view(np.float32)[0] - _F(1)

    def uniform(self, n: int) -> int:
        """ExactUniformInt: rejection sampling of 32-bit words."""
        if n == 0:
            self.rand32()
            return 0
        if n & (n - 1) == 0:
            return self.rand32() & (n - 1)
        rem = (0xFFFFFFFF % n) + 1
        while True:
            r = self.rand32()
            if r >= rem:
                return r % n


def _lrintf(v: Any) -> int:
    return int(np.rint(_F(v)))


def _area(r: tuple) -> np.float32:
    return _F((r[2] - r[0]) * (r[3] - r[1]))


def _intersect(a: tuple, b: tuple) -> tuple:
    lo_x, lo_y, hi_x, hi_y = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return (0, 0, 0, 0) if lo_x > hi_x or lo_y > hi_y else (lo_x, lo_y, hi_x, hi_y)


def _covers(crop: tuple, min_covered: np.float32, boxes: list) -> bool:
    if _area(crop) < 1:
        return False
    for box in boxes:
        object_area = _area(box)
        if object_area < 1:
            continue
        if _area(_intersect(crop, box)) / object_area >= min_covered:
            return True
    return False


def _random_crop(width: int, height: int, min_rel: np.float32, max_rel: np.float32, aspect: np.float32,
                 rng: _SimplePhilox) -> tuple | None:
    """TF's GenerateRandomCrop: (xmin, ymin, xmax, ymax), or None when the constraints cannot be met."""
    if max_rel <= 0 or aspect <= 0 or width <= 0 or height <= 0 or min_rel > max_rel:
        return None
    min_area = min_rel * _F(width) * _F(height)
    max_area = max_rel * _F(width) * _F(height)
    h = _lrintf(np.sqrt(min_area / aspect))
    max_h = _lrintf(np.sqrt(max_area / aspect))
    if _lrintf(_F(max_h) * aspect) > width:
        max_h = int((width + 0.5 - float(_F(0.0000001))) / float(aspect))  # in double, as TF's C++
        if _lrintf(_F(max_h) * aspect) > width:
            max_h -= 1
    max_h = min(max_h, height)
    h = min(h, max_h)
    if h < max_h:
        h += rng.uniform(max_h - h + 1)
    w = _lrintf(_F(h) * aspect)
    area = _F(w * h)
    if area < min_area:
        h += 1
        w = _lrintf(_F(h) * aspect)
        area = _F(w * h)
    if area > max_area:
        h -= 1
        w = _lrintf(_F(h) * aspect)
        area = _F(w * h)
    if area < min_area or area > max_area or w > width or h > height or w <= 0 or h <= 0:
        return None
    y = rng.uniform(height - h) if h < height else 0
    x = rng.uniform(width - w) if w < width else 0
    return (x, y, x + w, y + h)


def _fmt(v: Any) -> str:
    """A float as TF's StrCat prints it (the shortest of %.6g / %.9g that reads back)."""
    f = _F(v)
    text = f"{float(f):.6g}"
    return text if _F(float(text)) == f else f"{float(f):.9g}"


def _check_attrs(op: str, aspect: tuple, area: tuple, max_attempts: int) -> None:
    """The kernel constructor's checks."""
    from .._kernel_errors import kernel_error

    def fail(message: str) -> Exception:
        return kernel_error(op, message, kernel=op)

    if len(aspect) != 2:
        raise fail("Aspect ratio range field must specify 2 dimensions")
    if not (aspect[0] > 0 and aspect[1] > 0):
        raise fail(f"Aspect ratio range must be non-negative: [{_fmt(aspect[0])}, {_fmt(aspect[1])}]")
    if len(area) != 2:
        raise fail("Area range field must specify 2 dimensions")
    if not (area[0] > 0 and area[1] > 0):
        raise fail(f"Area range must be non-negative: [{_fmt(area[0])}, {_fmt(area[1])}]")
    if not (area[0] <= 1 and area[1] <= 1):
        raise fail(f"Area range must be less then or equal to 1.0: [{_fmt(area[0])}, {_fmt(area[1])}]")
    if max_attempts <= 0:
        raise fail(f"Max attempts must be non-negative: {max_attempts}")


def _sample(op: str, xp: Any, image_size: Any, boxes: Any, min_covered: Any, key: int, counter: int, aspect: tuple,
            area: tuple, max_attempts: int, use_image: bool) -> tuple:
    """TF's DoCompute: (begin, size, bboxes)."""
    from .._kernel_errors import kernel_error

    def fail(message: str, cls: type = InvalidArgumentError) -> Exception:
        return kernel_error(op, message, kernel=op, cls=cls)

    if image_size.ndim != 1:
        raise fail(f"image_size must be 1-dimensional[{','.join(str(d) for d in image_size.shape)}]")
    if image_size.shape[0] != 3:
        raise fail(f"image_size must contain 3 elements[{image_size.shape[0]}]")
    height_raw, width_raw = (int(v) & 0xFFFFFFFFFFFFFFFF for v in image_size[:2].tolist())
    if height_raw >= 2**31 - 1:
        raise fail("image height cannot be >= int32 max")
    if width_raw >= 2**31 - 1:
        raise fail("image width cannot be >= int32 max")
    height, width = height_raw, width_raw
    if boxes.ndim != 3:
        raise fail("input boxes must be 3-dimensional [batch, num_boxes, coords]: "
                   f"[{','.join(str(d) for d in boxes.shape)}]")
    if boxes.shape[-1] != 4:
        raise fail(f"bounding boxes must have shape [4] or [*, 4], got [{','.join(str(d) for d in boxes.shape)}]")
    if min_covered.ndim != 0:
        raise fail(f"min_object_covered must be 0-D, got shape [{','.join(str(d) for d in min_covered.shape)}]")
    covered = _F(min_covered)
    if not covered >= 0:
        raise fail(f"Min object covered must be non-negative: {_fmt(covered)}")
    rects = []
    for b in boxes.reshape(-1, 4).astype(np.float32):
        for v in b:
            if not (0.0 <= v <= 1.0):
                raise fail(f"All bounding box coordinates must be in [0.0, 1.0]: {_fmt(v)}")
        rects.append((int(b[1] * _F(width)), int(b[0] * _F(height)), int(b[3] * _F(width)), int(b[2] * _F(height))))
    image_rect = (0, 0, width, height)
    if not rects:
        if not use_image:
            raise fail("No bounding boxes provided as input. One must enable use_image_if_no_bounding_boxes if you "
                       "wish to not provide any bounding boxes.")
        rects.append(image_rect)
    rng = _SimplePhilox(key, counter)
    lo_a, hi_a = _F(aspect[0]), _F(aspect[1])
    crop = None
    for _ in range(max_attempts):
        ratio = rng.rand_float() * (hi_a - lo_a) + lo_a
        candidate = _random_crop(width, height, _F(area[0]), _F(area[1]), _F(ratio), rng)
        if candidate is not None and _covers(candidate, covered, rects):
            crop = candidate
            break
    crop = crop or image_rect
    tw, th, ox, oy = crop[2] - crop[0], crop[3] - crop[1], crop[0], crop[1]
    if width < tw + ox:
        raise fail(f"width must be > target_width + offset_width: {width}vs {tw} + {ox}", FailedPreconditionError)
    if height < th + oy:
        raise fail(f"height must be >= target_height: height = {height}vs {th} + {oy}", FailedPreconditionError)
    dt = image_size.dtype
    begin = xp.asarray([oy, ox, 0], dtype=np.int64).astype(dt)
    size = xp.asarray([th, tw, -1], dtype=np.int64).astype(dt)  # T(-1): wraps for unsigned T, as in C++
    bboxes = xp.asarray([[[_F(crop[1]) / _F(height), _F(crop[0]) / _F(width), _F(crop[3]) / _F(height),
                           _F(crop[2]) / _F(width)]]], dtype=np.float32)
    return begin, size, bboxes


@register("SampleDistortedBoundingBoxV2", n_outputs=3, differentiable=False, host_only=True)
def sample_distorted_bounding_box_v2_op(xp: Any, image_size: Any, boxes: Any, min_covered: Any, key: int,
                                        counter: int, aspect_ratio_range: tuple, area_range: tuple,
                                        max_attempts: int, use_image_if_no_bounding_boxes: bool) -> tuple:
    return _sample("SampleDistortedBoundingBoxV2", xp, image_size, boxes, min_covered, key, counter,
                   aspect_ratio_range, area_range, max_attempts, use_image_if_no_bounding_boxes)


@register("StatelessSampleDistortedBoundingBox", n_outputs=3, host_only=True)
def stateless_sample_distorted_bounding_box_op(xp: Any, image_size: Any, boxes: Any, min_covered: Any, seed: Any,
                                               aspect_ratio_range: tuple, area_range: tuple, max_attempts: int,
                                               use_image_if_no_bounding_boxes: bool) -> tuple:
    op = "StatelessSampleDistortedBoundingBox"
    if seed.shape != (2,):
        from .._kernel_errors import kernel_error

        raise kernel_error(op, f"seed must have shape [2], not [{','.join(str(d) for d in seed.shape)}]", kernel=op)
    key, counter = key_counter_from_seed(seed)
    return _sample(op, xp, image_size, boxes, min_covered, key, counter, aspect_ratio_range, area_range,
                   max_attempts, use_image_if_no_bounding_boxes)


def _attrs(op: str, aspect_ratio_range: Any, area_range: Any, max_attempts: Any, use_image: Any) -> dict:
    aspect = tuple(float(v) for v in (aspect_ratio_range if aspect_ratio_range is not None else (0.75, 1.33)))
    area = tuple(float(v) for v in (area_range if area_range is not None else (0.05, 1.0)))
    attempts = 100 if max_attempts is None else int(max_attempts)
    _check_attrs(op, aspect, area, attempts)
    return {"aspect_ratio_range": aspect, "area_range": area, "max_attempts": attempts,
            "use_image_if_no_bounding_boxes": bool(use_image)}


def _inputs(image_size: Any, bounding_boxes: Any, min_object_covered: Any) -> tuple:
    size = tensor(image_size)
    boxes = tensor(bounding_boxes, _float32) if not isinstance(bounding_boxes, Tensor) else bounding_boxes
    covered = tensor(min_object_covered, _float32) if not isinstance(min_object_covered, Tensor) \
        else min_object_covered
    return size, boxes, covered


def sample_distorted_bounding_box(image_size: Any, bounding_boxes: Any, seed: int = 0,
                                  min_object_covered: Any = 0.1, aspect_ratio_range: Any = None,
                                  area_range: Any = None, max_attempts: Any = None,
                                  use_image_if_no_bounding_boxes: Any = None,
                                  name: str | None = None) -> SampleDistortedBoundingBoxV2:
    """A random crop of an image of ``image_size`` ([h, w, c]) covering at least ``min_object_covered`` of one
    of ``bounding_boxes``: (begin, size) for ``tf.slice`` and the crop as a [1, 1, 4] box (``seed`` 0: unseeded;
    each call of a seeded kernel continues its stream, as TF's)."""
    from ..random import core as rc

    op = "SampleDistortedBoundingBoxV2"
    if seed == 0 and is_op_determinism_enabled():
        raise ValueError("tf.image.sample_distorted_bounding_box requires a non-zero seed to be passed in when "
                         f"determinism is enabled, but got seed={seed}. Please pass in a non-zero seed, e.g. by "
                         'passing "seed=1".')
    if seed:
        seed1, seed2 = rc.get_seed(seed)
        seed1, seed2 = seed1 or 0, seed2 or 0
    else:
        seed1, seed2 = 0, 0
    with slow_path(image_size, bounding_boxes):  # (Python lists: TF's slow path, errors without " name: ")
        size, boxes, covered = _inputs(image_size, bounding_boxes, min_object_covered)
        sample_distorted_bounding_box_v2_op.check(size, boxes, covered)
        attrs = _attrs(op, aspect_ratio_range, area_range, max_attempts, use_image_if_no_bounding_boxes)
        cache = (size._dtype.name, attrs["aspect_ratio_range"], attrs["area_range"], attrs["max_attempts"],
                 attrs["use_image_if_no_bounding_boxes"])
        # ReserveSamples32(4 * max_attempts): max_attempts Philox blocks per call of the cached kernel
        key, counter = rc._reserve(op, cache, (seed1, seed2), attrs["max_attempts"])
        return SampleDistortedBoundingBoxV2(*sample_distorted_bounding_box_v2_op(size, boxes, covered, key=key,
                                                                                counter=counter, **attrs))


def stateless_sample_distorted_bounding_box(image_size: Any, bounding_boxes: Any, seed: Any,
                                            min_object_covered: Any = 0.1, aspect_ratio_range: Any = None,
                                            area_range: Any = None, max_attempts: Any = None,
                                            use_image_if_no_bounding_boxes: Any = None,
                                            name: str | None = None) -> StatelessSampleDistortedBoundingBox:
    """``sample_distorted_bounding_box`` as a function of ``seed`` (shape [2]) alone."""
    op = "StatelessSampleDistortedBoundingBox"
    with slow_path(image_size, bounding_boxes, seed):  # (Python lists: TF's slow path, errors without " name: ")
        size, boxes, covered = _inputs(image_size, bounding_boxes, min_object_covered)
        seed_t = tensor(seed)
        stateless_sample_distorted_bounding_box_op.check(size, boxes, covered, seed_t)
        attrs = _attrs(op, aspect_ratio_range, area_range, max_attempts, use_image_if_no_bounding_boxes)
        return StatelessSampleDistortedBoundingBox(*stateless_sample_distorted_bounding_box_op(
            size, boxes, covered, seed_t, **attrs))
