"""Mel filterbanks and MFCCs (``tf.signal.linear_to_mel_weight_matrix``, ``mfccs_from_log_mel_spectrograms``),
with TF's mel scale (HTK: 1127 ln(1 + f / 700)) computed in the matrix's dtype as TF does.

>>> import featherflow as tf
>>> tf.signal.linear_to_mel_weight_matrix(4, 5, 8000, 100.0, 3000.0).shape
TensorShape([5, 4])
"""

from __future__ import annotations

from typing import Any

from ...dtypes import as_dtype as _as_dtype
from ...dtypes import float32 as _float32
from ...tensor import Tensor
from ..array.core import expand_dims, reshape
from ..array.create import cast, linspace
from ..array.join import pad, split
from ..convert import tensor
from ..math import api as m
from .dct import dct
from .shape import frame

_BREAK_HZ = 700.0
_HIGH_Q = 1127.0


def _hertz_to_mel(hz: Tensor) -> Tensor:
    return _HIGH_Q * m.log(1.0 + hz / _BREAK_HZ)


def linear_to_mel_weight_matrix(num_mel_bins: int = 20, num_spectrogram_bins: int = 129, sample_rate: Any = 8000,
                                lower_edge_hertz: float = 125.0, upper_edge_hertz: float = 3800.0,
                                dtype: Any = _float32, name: str | None = None) -> Tensor:
    """The ``[num_spectrogram_bins, num_mel_bins]`` matrix of triangular mel filters over linear FFT bins."""
    dt = _as_dtype(dtype)
    if isinstance(sample_rate, Tensor):
        sample_rate = sample_rate.numpy().item()
    if num_mel_bins <= 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {num_mel_bins}")
    if lower_edge_hertz < 0.0:
        raise ValueError(f"lower_edge_hertz must be non-negative. Got: {lower_edge_hertz}")
    if lower_edge_hertz >= upper_edge_hertz:
        raise ValueError(f"lower_edge_hertz {lower_edge_hertz:.1f} >= upper_edge_hertz {upper_edge_hertz:.1f}")
    if sample_rate <= 0.0:
        raise ValueError(f"sample_rate must be positive. Got: {sample_rate}")
    if upper_edge_hertz > sample_rate / 2:
        raise ValueError("upper_edge_hertz must not be larger than the Nyquist frequency (sample_rate / 2). "
                         f"Got {upper_edge_hertz} for sample_rate: {sample_rate}")
    if not dt.is_floating:
        raise ValueError(f"dtype must be a floating point type. Got: {dt}")
    rate = cast(sample_rate, dt)
    lower, upper = tensor(lower_edge_hertz, dt), tensor(upper_edge_hertz, dt)
    zero = tensor(0.0, dt)
    linear = linspace(zero, rate / 2.0, num_spectrogram_bins)[1:]  # the DC bin gets no weight
    bins_mel = expand_dims(_hertz_to_mel(linear), 1)
    edges = frame(linspace(_hertz_to_mel(lower), _hertz_to_mel(upper), num_mel_bins + 2), 3, 1)
    lower_mel, center_mel, upper_mel = (reshape(t, [1, num_mel_bins]) for t in split(edges, 3, axis=1))
    lower_slopes = (bins_mel - lower_mel) / (center_mel - lower_mel)
    upper_slopes = (upper_mel - bins_mel) / (upper_mel - center_mel)
    weights = m.maximum(zero, m.minimum(lower_slopes, upper_slopes))
    return pad(weights, [[1, 0], [0, 0]])


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms: Any, name: str | None = None) -> Tensor:
    """MFCCs: the orthonormal-scaled type-II DCT of log-mel spectrograms over their innermost axis."""
    x = tensor(log_mel_spectrograms)
    if x._value.ndim and x._value.shape[-1] == 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {x}")
    dct2 = dct(x, type=2)
    return dct2 * m.rsqrt(cast(x._value.shape[-1], dct2._dtype) * 2.0)
