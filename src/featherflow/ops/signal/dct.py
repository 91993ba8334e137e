"""The discrete cosine transforms of types I-IV (``tf.signal.dct``/``idct``), by TF's FFT formulas: their
gradients are the FFT ops'.

>>> import featherflow as tf
>>> tf.signal.dct([1.0, 2.0, 3.0]).numpy().round(4)
array([12.    , -3.4641,  0.    ], dtype=float32)
"""

from __future__ import annotations

import math
from typing import Any

from ...tensor import Tensor
from ..array.core import expand_dims
from ..array.create import cast, range_
from ..array.join import concat, pad
from ..convert import tensor
from ..math import api as m
from .fft import irfft, rfft


def _validate(x: Tensor, dct_type: int, n: int | None, axis: int, norm: str | None) -> None:
    if axis != -1:
        raise NotImplementedError(f"axis must be -1. Got: {axis}")
    if n is not None and n < 1:
        raise ValueError("n should be a positive integer or None")
    if dct_type not in (1, 2, 3, 4):
        raise ValueError("Types I, II, III and IV (I)DCT are supported.")
    if dct_type == 1:
        if norm == "ortho":
            raise ValueError("Normalization is not supported for the Type-I DCT.")
        if x._value.ndim and x._value.shape[-1] < 2:
            raise ValueError("Type-I DCT requires the dimension to be greater than one.")
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")


def _dct(x: Tensor, dct_type: int, n: int | None, norm: str | None) -> Tensor:
    seq_len = x._value.shape[-1]
    if n is not None:
        if n <= seq_len:
            x = x[..., 0:n]
        else:
            x = pad(x, [[0, 0]] * (x._value.ndim - 1) + [[0, n - seq_len]])
    dim = x._value.shape[-1]
    dim_f = cast(dim, x._dtype)
    zero = cast(0.0, x._dtype)
    if dct_type == 1:
        return m.real(rfft(concat([x, x[..., -2:0:-1]], -1)))
    if dct_type == 2:
        scale = 2.0 * m.exp(m.complex(zero, -cast(range_(dim), x._dtype) * math.pi * 0.5 / dim_f))
        out = m.real(rfft(x, fft_length=[2 * dim])[..., :dim] * scale)
        if norm == "ortho":
            n1 = 0.5 * m.rsqrt(dim_f)
            n2 = n1 * math.sqrt(2.0)
            out = out * pad(expand_dims(n1, 0), [[0, dim - 1]], constant_values=n2)
        return out
    if dct_type == 3:
        if norm == "ortho":
            n1 = m.sqrt(dim_f)
            n2 = n1 * math.sqrt(0.5)
            x = x * pad(expand_dims(n1, 0), [[0, dim - 1]], constant_values=n2)
        else:
            x = x * dim_f
        scale = 2.0 * m.exp(m.complex(zero, cast(range_(dim), x._dtype) * math.pi * 0.5 / dim_f))
        return m.real(irfft(scale * m.complex(x, zero), fft_length=[2 * dim]))[..., :dim]
    out = _dct(x, 2, 2 * dim, None)[..., 1::2]
    if norm == "ortho":
        out = out * (math.sqrt(0.5) * m.rsqrt(dim_f))
    return out


def dct(input: Any, type: int = 2, n: int | None = None, axis: int = -1, norm: str | None = None,  # noqa: A002
        name: str | None = None) -> Tensor:
    """The DCT of ``type`` 1-4 over the innermost axis (``norm='ortho'`` for types 2-4: orthonormal)."""
    x = tensor(input)
    _validate(x, type, n, axis, norm)
    return _dct(x, type, n, norm)


def idct(input: Any, type: int = 2, n: int | None = None, axis: int = -1, norm: str | None = None,  # noqa: A002
         name: str | None = None) -> Tensor:
    """The inverse DCT: a DCT of the inverse type (I and IV are their own, II and III each other's); with
    ``norm=None`` it is scaled by 2N (2(N-1) for type I) relative to the true inverse, as TF's."""
    x = tensor(input)
    _validate(x, type, n, axis, norm)
    return _dct(x, {1: 1, 2: 3, 3: 2, 4: 4}[type], n, norm)
