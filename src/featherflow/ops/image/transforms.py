"""Geometric image transforms, as TF's image_ops_impl composes them from array ops: flips (fixed, random and
stateless-random), rot90, transpose, crops and pads to a bounding box, central_crop, resize_with_crop_or_pad.

>>> import featherflow as tf
>>> tf.image.flip_left_right([[[1], [2], [3]]]).numpy()[0, :, 0].tolist()
[3, 2, 1]
"""

from __future__ import annotations

from typing import Any

from ...dtypes import int32 as _int32
from ...tensor import Tensor
from ..array.core import expand_dims, reshape, squeeze
from ..array.core import transpose as _transpose
from ..array.create import cast
from ..array.join import pad, reverse
from ..array.slicing import slice as _slice
from ..convert import tensor
from ..math.api import less, where
from ..math.api import round as _round


def _image(image: Any) -> Tensor:
    """TF's _AssertAtLeast3DImage / _CheckAtLeast3DImage for a static shape."""
    x = tensor(image)
    shape = x.shape
    if shape.rank < 3:
        raise ValueError(f"'image' (shape {shape}) must be at least three-dimensional.")
    if any(d == 0 for d in tuple(shape)[-3:]):
        raise ValueError(f"inner 3 dims of 'image.shape' must be > 0: {shape}")
    return x


def _rank34(x: Tensor, sep: str = "") -> int:
    rank = x.shape.rank
    if rank not in (3, 4):
        raise ValueError(f"'image' (shape {x.shape}){sep}must have either 3 or 4 dimensions.")
    return rank


def _flip(image: Any, axis: int) -> Tensor:
    x = _image(image)
    rank = _rank34(x)
    return reverse(x, [axis + rank - 3])


def flip_left_right(image: Any) -> Tensor:
    """Flips an image (or a batch) horizontally."""
    return _flip(image, 1)


def flip_up_down(image: Any) -> Tensor:
    """Flips an image (or a batch) vertically."""
    return _flip(image, 0)


def _random_flip(image: Any, axis: int, uniform: Any) -> Tensor:
    x = _image(image)
    rank = _rank34(x)
    flipped = reverse(x, [axis + rank - 3])
    if rank == 3:
        # TF's cond on the draw, as a select on the device (no host read of the coin)
        return where(less(uniform([], 0, 1.0), 0.5), flipped, x)
    n = x.shape[0]
    flips = cast(reshape(_round(uniform([n], 0, 1.0)), [n, 1, 1, 1]), x.dtype)
    return flips * flipped + (1 - flips) * x


def _stateful(seed: Any) -> Any:
    from ..random.core import uniform

    return lambda shape, lo, hi: uniform(shape, lo, hi, seed=seed)


def _stateless(seed: Any) -> Any:
    from ..random.stateless import stateless_uniform

    return lambda shape, lo, hi: stateless_uniform(shape, seed, lo, hi)


def random_flip_left_right(image: Any, seed: Any = None) -> Tensor:
    """Flips an image horizontally with probability 1/2 (each image of a batch independently)."""
    return _random_flip(image, 1, _stateful(seed))


def random_flip_up_down(image: Any, seed: Any = None) -> Tensor:
    """Flips an image vertically with probability 1/2 (each image of a batch independently)."""
    return _random_flip(image, 0, _stateful(seed))


def stateless_random_flip_left_right(image: Any, seed: Any) -> Tensor:
    """``random_flip_left_right`` drawn from a stateless seed (shape [2])."""
    return _random_flip(image, 1, _stateless(seed))


def stateless_random_flip_up_down(image: Any, seed: Any) -> Tensor:
    """``random_flip_up_down`` drawn from a stateless seed (shape [2])."""
    return _random_flip(image, 0, _stateless(seed))


def rot90(image: Any, k: Any = 1, name: str | None = None) -> Tensor:
    """Rotates an image (or a batch) counter-clockwise by ``k`` quarter turns."""
    x = _image(image)
    rank = _rank34(x, "")
    # TF's case on k: a tensor k is read on the host
    turns = (k if isinstance(k, int) else int(tensor(k, _int32).numpy())) % 4
    h = rank - 3
    if turns == 1:
        return _transpose(reverse(x, [h + 1]), _swap(rank))
    if turns == 2:
        return reverse(x, [h, h + 1])
    if turns == 3:
        return reverse(_transpose(x, _swap(rank)), [h + 1])
    return x


def _swap(rank: int) -> list:
    return [1, 0, 2] if rank == 3 else [0, 2, 1, 3]


def transpose(image: Any, name: str | None = None) -> Tensor:
    """Swaps the height and width of an image (or a batch)."""
    x = _image(image)
    rank = x.shape.rank
    if rank not in (3, 4):
        raise ValueError(f"'image' (shape {x.shape}) must have either 3 or 4 dimensions.")
    return _transpose(x, _swap(rank))


def _batch(image: Any) -> tuple[Tensor, bool]:
    x = tensor(image)
    rank = x.shape.rank
    if rank == 3:
        return expand_dims(x, 0), False
    if rank != 4:
        raise ValueError(f"'image' (shape {x.shape}) must have either 3 or 4 dimensions.")
    return x, True


def _check_static(x: Tensor) -> None:
    shape = x.shape
    if any(d == 0 for d in tuple(shape)[-3:]):
        raise ValueError(f"inner 3 dims of 'image.shape' must be > 0: {shape}")


def pad_to_bounding_box(image: Any, offset_height: int, offset_width: int, target_height: int,
                        target_width: int) -> Tensor:
    """Pads an image with zeros to ``target_height`` x ``target_width``, the image at the given offset."""
    x, is_batch = _batch(image)
    _, height, width, _ = x.shape
    after_w = target_width - offset_width - width
    after_h = target_height - offset_height - height
    _check_static(x)
    if offset_height < 0:
        raise ValueError("offset_height must be >= 0")
    if offset_width < 0:
        raise ValueError("offset_width must be >= 0")
    if after_w < 0:
        raise ValueError("width must be <= target - offset")
    if after_h < 0:
        raise ValueError("height must be <= target - offset")
    out = pad(x, [[0, 0], [offset_height, after_h], [offset_width, after_w], [0, 0]])
    return out if is_batch else squeeze(out, [0])


def crop_to_bounding_box(image: Any, offset_height: int, offset_width: int, target_height: int,
                         target_width: int) -> Tensor:
    """Crops the ``target_height`` x ``target_width`` box at the given offset out of an image."""
    x, is_batch = _batch(image)
    _, height, width, _ = x.shape
    _check_static(x)
    for ok, message in ((offset_width >= 0, "offset_width must be >= 0."),
                        (offset_height >= 0, "offset_height must be >= 0."),
                        (target_width > 0, "target_width must be > 0."),
                        (target_height > 0, "target_height must be > 0."),
                        (width >= target_width + offset_width, "width must be >= target + offset."),
                        (height >= target_height + offset_height, "height must be >= target + offset.")):
        if not ok:
            raise ValueError(message)
    out = _slice(x, [0, offset_height, offset_width, 0], [-1, target_height, target_width, -1])
    return out if is_batch else squeeze(out, [0])


def resize_with_crop_or_pad(image: Any, target_height: int, target_width: int) -> Tensor:
    """Centrally crops and/or zero-pads an image to ``target_height`` x ``target_width``."""
    x, is_batch = _batch(_image(image))
    if target_width <= 0:
        raise ValueError("target_width must be > 0.")
    if target_height <= 0:
        raise ValueError("target_height must be > 0.")
    _, height, width, _ = x.shape
    width_diff, height_diff = target_width - width, target_height - height
    cropped = crop_to_bounding_box(x, max(-height_diff // 2, 0), max(-width_diff // 2, 0),
                                   min(target_height, height), min(target_width, width))
    out = pad_to_bounding_box(cropped, max(height_diff // 2, 0), max(width_diff // 2, 0), target_height,
                              target_width)
    return out if is_batch else squeeze(out, [0])


def central_crop(image: Any, central_fraction: float) -> Tensor:
    """Crops the central ``central_fraction`` of an image's height and width."""
    x = tensor(image)
    fraction = float(central_fraction if isinstance(central_fraction, (int, float)) else
                     tensor(central_fraction).numpy())
    if fraction <= 0.0 or fraction > 1.0:
        raise ValueError("central_fraction must be within (0, 1]")
    if fraction == 1.0:
        return x
    _image(x)
    rank = x.shape.rank
    if rank not in (3, 4):
        raise ValueError(f"`image` should either be a Tensor with rank = 3 or rank = 4. Had rank = {rank}.")
    h, w = (x.shape[0], x.shape[1]) if rank == 3 else (x.shape[1], x.shape[2])
    top = int((float(h) - float(h) * fraction) / 2)
    left = int((float(w) - float(w) * fraction) / 2)
    if rank == 3:
        return _slice(x, [top, left, 0], [h - 2 * top, w - 2 * left, -1])
    return _slice(x, [0, top, left, 0], [-1, h - 2 * top, w - 2 * left, -1])
