"""``tf.math.sobol_sample``: TF's SobolSample kernel, the Sobol sequence of Joe and Kuo's direction numbers.

TF compiles in Joe and Kuo's ``new-joe-kuo-6.21201`` table (21201 dimensions); ``_sobol_directions.npz``
holds the same table, bit-packed: for each dimension after the first, its primitive polynomial and its
initial direction numbers m_1..m_{s-1} (m_0 is 1, and each m_k is odd, so its low bit is not stored).
Point n (counted from 1: TF skips the origin) of dimension j is the XOR of the direction numbers
m_{j,k} / 2^(k+1) over the set bits k of the Gray code n ^ (n >> 1), rounded once to the output dtype.

>>> sobol_sample(2, 3).numpy().tolist()
[[0.5, 0.5], [0.75, 0.25], [0.25, 0.75]]
"""

from __future__ import annotations

import functools
import os
from typing import Any

import numpy as np

from ...dtypes import as_dtype as _as_dtype
from ...dtypes import float32 as _float32
from ...dtypes import int32 as _int32
from ...errors import InvalidArgumentError
from .._contract import check_attrs
from ..registry import register

MAX_DIM = 21200  # TF's kMaxSobolDim: the table's last dimension is not used
_BITS = 32  # enough digits for every index below 2**31


@functools.cache
def _table() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(polynomials, degrees, bit offsets) of dimensions 1..21200, and the packed direction-number bits."""
    with np.load(os.path.join(os.path.dirname(__file__), "_sobol_directions.npz")) as data:
        poly = np.cumsum(data["poly"].astype(np.int64))
        bits = np.unpackbits(data["m_bits"])
    degree = np.floor(np.log2(poly)).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(degree * (degree - 1) // 2)])
    return poly, degree, offsets, bits


@functools.cache
def _directions(dim: int) -> np.ndarray:
    """The direction numbers m[j, k] (odd, below 2**(k+1)) of the first ``dim`` dimensions, k < 32."""
    m = np.ones((dim, _BITS), dtype=np.uint64)  # dimension 0: all ones (the van der Corput sequence)
    if dim == 1:
        return m
    poly, degree, offsets, bits = _table()
    poly, degree, offsets = poly[: dim - 1], degree[: dim - 1], offsets[: dim - 1]
    rows = np.arange(1, dim)
    for k in range(1, _BITS):
        given = k < degree  # initial values, read from the table: k bits above the low one
        if given.any():
            start = offsets[given] + k * (k - 1) // 2
            value = np.zeros(int(given.sum()), dtype=np.uint64)
            for b in range(k):
                value = (value << np.uint64(1)) | bits[start + b].astype(np.uint64)
            m[rows[given], k] = (value << np.uint64(1)) | np.uint64(1)
        rec = ~given  # Joe and Kuo's recurrence from the polynomial's coefficients a_1..a_{s-1}
        if rec.any():
            r, s, p = rows[rec], degree[rec], poly[rec]
            value = m[r, k - s] ^ (m[r, k - s] << s.astype(np.uint64))
            for i in range(1, int(s.max())):
                a = ((p >> (s - i)) & 1).astype(bool) & (i < s)
                if a.any():
                    value[a] ^= m[r[a], k - i] << np.uint64(i)
            m[r, k] = value
    return m


@register("SobolSample")  # TF registers no gradient for it
def sobol_sample_op(xp: Any, *, dim: int, num_results: int, skip: int, dtype: Any) -> Any:
    # direction numbers scaled to 32 fractional bits: V[j, k] = m[j, k] * 2**(31 - k)
    shifts = np.uint64(_BITS - 1) - np.arange(_BITS, dtype=np.uint64)
    scaled = _directions(dim) << shifts[None, :]
    table = xp.asarray(scaled) if xp is not np else scaled  # the kernel's constant table, copied to the device once
    index = xp.arange(skip + 1, skip + num_results + 1, dtype=np.int64).astype(np.uint64)
    gray = index ^ (index >> np.uint64(1))
    digits = int(skip + num_results).bit_length() + 1
    out = xp.zeros((num_results, dim), dtype=np.uint64)
    for k in range(min(digits, _BITS)):
        bit = ((gray >> np.uint64(k)) & np.uint64(1)).astype(bool)
        out ^= xp.where(bit[:, None], table[None, :, k], np.uint64(0))
    # TF scales by 1 / (1 << digits) in int arithmetic: at 31 digits that is 1 / INT_MIN, which negates every
    # point (TF's digits count is per thread block; one block holds 512 points or more)
    scale = -(2.0**-_BITS) if skip + num_results + 1 >= 2**30 else 2.0**-_BITS
    return (out.astype(np.float64) * scale).astype(dtype)  # exact in float64, one rounding to dtype


def _scalar(value: Any, name: str) -> int:
    from ..random.core import host_tensor  # TF's HostMemory inputs: a Python value makes no trip to a device

    t = host_tensor(value, _int32)
    if t._value.ndim:
        raise _kernel_error(f"{name} must be a scalar", named=False)  # TF's slow path: its text has no name
    return int(t._numpy())


def _kernel_error(message: str, named: bool = True) -> InvalidArgumentError:
    from ...tensor import kernel_error

    error = kernel_error("SobolSample", message)
    if not named:
        error = InvalidArgumentError(None, None, str(error.message).removesuffix(" name: "))
    return error


def sobol_sample(dim: Any, num_results: Any, skip: Any = 0, dtype: Any = _float32,
                 name: str | None = None) -> Any:
    """``num_results`` points of the ``dim``-dimensional Sobol sequence after the first ``skip`` (``tf.math.sobol_sample``).

    >>> sobol_sample(1, 4, skip=1).numpy().ravel().tolist()
    [0.75, 0.25, 0.375, 0.875]
    """
    dtype = _as_dtype(dtype)
    check_attrs("SobolSample", {"dtype": dtype})
    d, n, s = _scalar(dim, "dim"), _scalar(num_results, "num_results"), _scalar(skip, "skip")
    if d < 1:
        raise _kernel_error("dim must be at least one")
    if d > MAX_DIM:
        raise _kernel_error(f"dim must be at most {MAX_DIM}")
    if n < 1:
        raise _kernel_error("num_results must be at least one")
    if s < 0:
        raise _kernel_error("skip must be non-negative")
    if n >= 2**31 - 1 - s:
        raise _kernel_error(f"num_results+skip must be less than {2**31 - 1}")
    return sobol_sample_op(dim=d, num_results=n, skip=s, dtype=dtype._np)
