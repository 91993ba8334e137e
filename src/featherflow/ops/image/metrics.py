"""Image measures and filters, composed of differentiable ops as TF's image_ops_impl composes them:
``total_variation``, ``image_gradients``, ``sobel_edges``, ``psnr``, ``ssim``, ``ssim_multiscale``.

>>> import featherflow as tf
>>> float(tf.image.total_variation(tf.constant([[[0.0], [1.0]], [[1.0], [3.0]]])))
6.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...dtypes import float32 as _float32
from ...tensor import Tensor
from ..array.core import reshape, stack
from ..array.create import zeros
from ..array.join import concat, pad
from ..convert import tensor
from ..linalg.core import einsum
from ..math.api import abs as _abs
from ..math.api import log, pow, squared_difference
from ..math.reduce import reduce_mean, reduce_prod, reduce_sum
from ..nn.core import relu
from ..nn.pooling import avg_pool
from ..registry import constant_like
from .color import convert_image_dtype


def total_variation(images: Any, name: str | None = None) -> Tensor:
    """The sum of absolute differences of neighbouring pixels, per image."""
    x = tensor(images)
    rank = x.shape.rank
    if rank == 3:
        d1, d2, axes = x[1:, :, :] - x[:-1, :, :], x[:, 1:, :] - x[:, :-1, :], None
    elif rank == 4:
        d1, d2, axes = x[:, 1:, :, :] - x[:, :-1, :, :], x[:, :, 1:, :] - x[:, :, :-1, :], [1, 2, 3]
    else:
        raise ValueError("'images' must be either 3 or 4-dimensional.")
    return reduce_sum(_abs(d1), axis=axes) + reduce_sum(_abs(d2), axis=axes)


def image_gradients(image: Any) -> tuple[Tensor, Tensor]:
    """One-step finite differences (dy, dx) of a batch of images, zero in the last row / column."""
    x = tensor(image)
    if x.shape.rank != 4:
        raise ValueError(f"image_gradients expects a 4D tensor [batch_size, h, w, d], not {x.shape}.")
    n, h, w, d = x.shape
    dy = concat([x[:, 1:, :, :] - x[:, :-1, :, :], zeros([n, 1, w, d], x.dtype)], 1)
    dx = concat([x[:, :, 1:, :] - x[:, :, :-1, :], zeros([n, h, 1, d], x.dtype)], 2)
    return dy, dx


_SOBEL = (((-1, -2, -1), (0, 0, 0), (1, 2, 1)), ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1)))


def sobel_edges(image: Any) -> Tensor:
    """Sobel edge maps (dy, dx) of each channel of a batch of images: shape [batch, h, w, d, 2]."""
    x = tensor(image)
    if x.shape.rank != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {x.shape.rank}")
    _, h, w, _ = x.shape
    padded = pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    maps = []
    for kernel in _SOBEL:
        acc = None
        for i in range(3):
            for j in range(3):
                if kernel[i][j]:
                    term = padded[:, i : i + h, j : j + w, :] * constant_like(kernel[i][j], x)
                    acc = term if acc is None else acc + term
        maps.append(acc)
    return stack(maps, axis=-1)


def _check_pair(a: Tensor, b: Tensor) -> None:
    """TF's _verify_compatible_image_shapes for static shapes."""
    for t in (a, b):
        if t.shape.rank < 3:
            raise ValueError(f"Shape {t.shape} must have rank at least 3")
    sa, sb = tuple(a.shape), tuple(b.shape)
    if sa[-3:] != sb[-3:]:
        raise ValueError(f"Shapes {a.shape[-3:]} and {b.shape[-3:]} are incompatible")
    for d1, d2 in zip(reversed(sa[:-3]), reversed(sb[:-3])):
        if not (d1 == 1 or d2 == 1 or d1 == d2):
            raise ValueError(f"Two images are not compatible: {a.shape} and {b.shape}")


def psnr(a: Any, b: Any, max_val: Any, name: str | None = None) -> Tensor:
    """Peak signal-to-noise ratio between two batches of images, in dB (float32)."""
    a, b = tensor(a), tensor(b)
    top = convert_image_dtype(tensor(max_val, a.dtype) if not isinstance(max_val, Tensor) else max_val,
                              _float32)
    a = convert_image_dtype(a, _float32)
    b = convert_image_dtype(b, _float32)
    mse = reduce_mean(squared_difference(a, b), [-3, -2, -1])
    ten, twenty = constant_like(10.0, top), constant_like(20.0, top)
    value = twenty * log(top) / log(ten) - constant_like(np.float32(10 / np.log(10)), top) * log(mse)
    _check_pair(a, b)
    return value


def _gauss(size: int, sigma: float) -> np.ndarray:
    """The 1-D factor of TF's _fspecial_gauss (its 2-D softmax is the outer product of two of these)."""
    coords = np.arange(size, dtype=np.float32) - np.float32(size - 1) / np.float32(2)
    g = np.square(coords) * (np.float32(-0.5) / np.square(np.float32(sigma)))
    e = np.exp(g - g.max())
    return (e / e.sum()).astype(np.float32)


def _band(n: int, g: np.ndarray) -> np.ndarray:
    """The VALID convolution with ``g`` along an axis of length ``n``, as an (n - k + 1, n) matrix."""
    k = len(g)
    out = np.zeros((n - k + 1, n), dtype=np.float32)
    for o in range(n - k + 1):
        out[o, o : o + k] = g
    return out


def _ssim_per_channel(x: Tensor, y: Tensor, max_val: Tensor, filter_size: int, filter_sigma: float, k1: float,
                      k2: float, index_map: bool = False) -> tuple:
    shape = tuple(x.shape)
    h, w = shape[-3], shape[-2]
    if h < filter_size or w < filter_size:
        from ...errors import InvalidArgumentError

        raise InvalidArgumentError(None, None, "assertion failed: image smaller than filter_size")
    g = _gauss(filter_size, filter_sigma)
    rows, cols = tensor(_band(h, g)), tensor(_band(w, g))

    def reducer(t: Tensor) -> Tensor:
        head = tuple(t.shape)[:-3]
        flat = reshape(t, [-1, *tuple(t.shape)[-3:]])
        out = einsum("qw,npwc->npqc", cols, einsum("ph,nhwc->npwc", rows, flat))
        return reshape(out, [*head, *tuple(out.shape)[1:]])

    c1 = (k1 * max_val) ** 2
    c2 = (k2 * max_val) ** 2
    mean0, mean1 = reducer(x), reducer(y)
    num0 = mean0 * mean1 * 2.0
    den0 = mean0 * mean0 + mean1 * mean1
    luminance = (num0 + c1) / (den0 + c1)
    num1 = reducer(x * y) * 2.0
    den1 = reducer(x * x + y * y)
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    if index_map:
        return luminance * cs, cs
    return reduce_mean(luminance * cs, [-3, -2]), reduce_mean(cs, [-3, -2])


def _float_pair(img1: Any, img2: Any, max_val: Any) -> tuple:
    a, b = tensor(img1), tensor(img2)
    _check_pair(a, b)
    from ..array.create import cast

    top = convert_image_dtype(cast(tensor(max_val), a.dtype), _float32)
    return convert_image_dtype(a, _float32), convert_image_dtype(b, _float32), top


def ssim(img1: Any, img2: Any, max_val: Any, filter_size: int = 11, filter_sigma: float = 1.5, k1: float = 0.01,
         k2: float = 0.03, return_index_map: bool = False) -> Tensor:
    """Structural similarity between two batches of images (an 11x11 Gaussian window by default)."""
    a, b, top = _float_pair(img1, img2, max_val)
    value, _ = _ssim_per_channel(a, b, top, filter_size, filter_sigma, k1, k2, return_index_map)
    return reduce_mean(value, [-1])


_MSSSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def ssim_multiscale(img1: Any, img2: Any, max_val: Any, power_factors: Any = _MSSSIM_WEIGHTS,
                    filter_size: int = 11, filter_sigma: float = 1.5, k1: float = 0.01, k2: float = 0.03) -> Tensor:
    """Multi-scale SSIM: SSIM's contrast-structure term at successive 2x downsamplings, weighted."""
    a, b, top = _float_pair(img1, img2, max_val)
    imgs = [a, b]
    heads = [tuple(t.shape)[:-3] for t in imgs]
    mcs = []
    value = None
    for k in range(len(power_factors)):
        if k > 0:
            flat = [reshape(t, [-1, *tuple(t.shape)[-3:]]) for t in imgs]
            h, w = tuple(flat[0].shape)[1:3]
            if h % 2 or w % 2:  # SYMMETRIC padding to even sizes before the 2x2 average
                flat = [pad(t, [[0, 0], [0, h % 2], [0, w % 2], [0, 0]], mode="SYMMETRIC") for t in flat]
            down = [avg_pool(t, [1, 2, 2, 1], [1, 2, 2, 1], "VALID") for t in flat]
            imgs = [reshape(t, [*hd, *tuple(t.shape)[1:]]) for t, hd in zip(down, heads)]
        value, cs = _ssim_per_channel(imgs[0], imgs[1], top, filter_size, filter_sigma, k1, k2)
        mcs.append(relu(cs))
    mcs.pop()
    stacked = stack(mcs + [relu(value)], axis=-1)
    weights = tensor(np.asarray(power_factors, dtype=np.float32))
    return reduce_mean(reduce_prod(pow(stacked, weights), [-1]), [-1])
