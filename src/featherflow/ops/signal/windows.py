"""The ``tf.signal`` windows, computed as TF computes them (in the window's dtype, with the same formulas).

>>> import featherflow as tf
>>> tf.signal.hann_window(4).numpy()
array([0. , 0.5, 1. , 0.5], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...dtypes import as_dtype as _as_dtype
from ...dtypes import float32 as _float32
from ...tensor import Tensor
from ..array.create import cast, ones, range_
from ..array.join import concat, reverse
from ..math import api as m
from ..math.bessel import bessel_i0e
from ..math.cumulative import cumsum
from ..nn.core import relu
from .shape import _scalar_int


def _length(window_length: Any, dtype: Any) -> tuple[int, Any]:
    dt = _as_dtype(dtype)
    if not dt.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {dt}")
    return _scalar_int(window_length, "window_length"), dt


def _raised_cosine(window_length: Any, periodic: Any, dtype: Any, a: float, b: float) -> Tensor:
    n, dt = _length(window_length, dtype)
    if n == 1:
        return ones([1], dtype=dt)
    even = 1 - n % 2
    denom = cast(n + int(bool(periodic)) * even - 1, dt)
    count = cast(range_(n), dt)
    cos_arg = cast(2 * np.pi, dt) * count / denom
    return a - b * m.cos(cos_arg)


def hann_window(window_length: Any, periodic: Any = True, dtype: Any = _float32,
                name: str | None = None) -> Tensor:
    """The Hann window 0.5 - 0.5 cos(2 pi n / N) (N = length, or length - 1 if not periodic)."""
    return _raised_cosine(window_length, periodic, dtype, 0.5, 0.5)


def hamming_window(window_length: Any, periodic: Any = True, dtype: Any = _float32,
                   name: str | None = None) -> Tensor:
    """The Hamming window 0.54 - 0.46 cos(2 pi n / N) (N = length, or length - 1 if not periodic)."""
    return _raised_cosine(window_length, periodic, dtype, 0.54, 0.46)


def kaiser_window(window_length: Any, beta: Any = 12.0, dtype: Any = _float32,
                  name: str | None = None) -> Tensor:
    """The Kaiser window: I0(beta sqrt(1 - (2n / (N - 1) - 1)^2)) / I0(beta)."""
    n, dt = _length(window_length, dtype)
    if n == 1:
        return ones([1], dtype=dt)
    halflen = (np.float32(n) - np.float32(1.0)) / np.float32(2.0)
    arg = cast(range_(-halflen, halflen + np.float32(0.1), dtype=_float32), dt)
    beta_t = cast(beta, dt)
    num = beta_t * m.sqrt(relu(cast(1.0, dt) - m.square(arg / cast(halflen, dt))))
    return m.exp(num - beta_t) * (bessel_i0e(num) / bessel_i0e(beta_t))


def kaiser_bessel_derived_window(window_length: Any, beta: Any = 12.0, dtype: Any = _float32,
                                 name: str | None = None) -> Tensor:
    """The Kaiser-Bessel-derived window (for MDCTs): square roots of the Kaiser window's running sums."""
    n, dt = _length(window_length, dtype)
    kaiser = kaiser_window(n // 2 + 1, beta, dtype=dt)
    csum = cumsum(kaiser)
    half = m.sqrt(csum[:-1] / csum[-1])
    return concat([half, reverse(half, [0])], 0)


def vorbis_window(window_length: Any, dtype: Any = _float32, name: str | None = None) -> Tensor:
    """The Vorbis power-complementary window sin(pi/2 sin^2(pi (n + 1/2) / N))."""
    n, dt = _length(window_length, dtype)
    arg = cast(range_(n), dt)
    inner = m.sin(np.pi / cast(n, dt) * (arg + 0.5))
    return m.sin(np.pi / 2.0 * m.pow(inner, 2.0))
