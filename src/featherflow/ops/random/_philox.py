"""TensorFlow's Philox-4x32-10 random numbers, bit for bit, as pure NumPy functions.

This module holds the counter-based generator, the conversions from its 32-bit
words to values (TF's ``random_distributions.h``), the way TF's CPU kernels lay
blocks out over a tensor (``random_op_cpu.h``) and the stateless ops
(``tf.random.stateless_*``). Keys are Python ints in [0, 2**64) and counters
Python ints in [0, 2**128); nothing here knows about featherflow's Tensor.
The kernels that fill a tensor take the device's array namespace ``xp`` and
compute there, so they give the same bits on any device; the host does only
the scalar work (keys, counters, bounds).

>>> import numpy as np
>>> stateless_uniform([4], seed=[1, 2]).tolist()
[0.8440604209899902, 0.19204533100128174, 0.9962232112884521, 0.16038739681243896]

float32 normals depend on glibc's ``logf``/``sincosf``; we replay those
algorithms in float64 NumPy (spec section 2a) because NumPy's own float32
transcendental functions differ from TF in about a fifth of the outputs.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ...backends import array_module as _xp
from ...backends import to_numpy

_M32 = 0xFFFFFFFF
_M64 = 0xFFFFFFFFFFFFFFFF

_BF16 = "bfloat16"  # compares equal to ml_dtypes' bfloat16 dtype; ml_dtypes is imported on first use
_F16 = np.dtype(np.float16)
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
_I32 = np.dtype(np.int32)
_I64 = np.dtype(np.int64)
_U32 = np.dtype(np.uint32)
_U64 = np.dtype(np.uint64)

FLOAT_DTYPES = (_F16, _BF16, _F32, _F64)
INT_DTYPES = (_I32, _I64)
FULL_INT_DTYPES = (_I32, _I64, _U32, _U64)

# The fixed key TF scrambles a stateless seed with (stateless_random_ops.cc, GenerateKey).
_SEED_SCRAMBLE_KEY = 0x02461E293EC8F720


def as_numpy_dtype(dtype: Any) -> np.dtype:
    """A NumPy dtype from a NumPy dtype, a name ("bfloat16" too) or anything with ``as_numpy_dtype``."""
    dtype = getattr(dtype, "as_numpy_dtype", dtype)
    if isinstance(dtype, str) and dtype == "bfloat16":
        import ml_dtypes

        return np.dtype(ml_dtypes.bfloat16)
    return np.dtype(dtype)


def num_elements(shape: Any) -> tuple[tuple[int, ...], int]:
    """(shape as a tuple of ints, its element count); a scalar shape [] has one element."""
    dims = tuple(int(d) for d in np.asarray(shape, dtype=np.int64).reshape(-1))
    if any(d < 0 for d in dims):
        raise ValueError(f"Dimension must be non-negative, got shape {list(dims)}")
    return dims, math.prod(dims)


# ---------------------------------------------------------------------------------------------
# Philox-4x32-10
# ---------------------------------------------------------------------------------------------


def _u64(a: Any) -> Any:
    """``a`` as uint64 words, on the device it is on (lists and ints: on the host)."""
    return a.astype(np.uint64, copy=False) if hasattr(a, "astype") else np.asarray(a, dtype=np.uint64)


def philox4x32(counter: np.ndarray, key: np.ndarray) -> np.ndarray:
    """One Philox-4x32-10 block per row: counter words (..., 4) and key words (..., 2) -> (..., 4) uint32.

    Words are least significant first; counter and key broadcast against each other. A 1-D key is a pair of
    scalars, so host key words go with device counters.
    """
    counter = _u64(counter)
    key = _u64(key)
    # Keeping every word in uint64 makes the 32x32 -> 64-bit products exact without casts.
    c0, c1, c2, c3 = counter[..., 0], counter[..., 1], counter[..., 2], counter[..., 3]
    k0, k1 = (key[0], key[1]) if key.ndim == 1 else (key[..., 0], key[..., 1])  # one key: host scalars
    m0, m1, mask, s32 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57), np.uint64(_M32), np.uint64(32)
    w0, w1 = np.uint64(0x9E3779B9), np.uint64(0xBB67AE85)
    for round_index in range(10):
        p = c0 * m0
        q = c2 * m1
        c0, c1, c2, c3 = (q >> s32) ^ c1 ^ k0, q & mask, (p >> s32) ^ c3 ^ k1, p & mask
        if round_index < 9:
            k0 = (k0 + w0) & mask
            k1 = (k1 + w1) & mask
    return _xp(c0).stack([c0, c1, c2, c3], axis=-1).astype(np.uint32)


def _counter_words(counter: int, offsets: np.ndarray) -> np.ndarray:
    """Words (..., 4) of the 128-bit counters ``counter + offsets`` (offsets: uint64, < 2**64)."""
    lo0 = np.uint64(counter & _M64)
    hi0 = np.uint64((counter >> 64) & _M64)
    lo = offsets.astype(np.uint64) + lo0  # wraps modulo 2**64, as intended
    hi = hi0 + (lo < lo0).astype(np.uint64)
    mask, s32 = np.uint64(_M32), np.uint64(32)
    return _xp(lo).stack([lo & mask, lo >> s32, hi & mask, hi >> s32], axis=-1)


def _key_words(key: int) -> np.ndarray:
    return np.array([key & _M32, (key >> 32) & _M32], dtype=np.uint64)


def philox_blocks(key: int, counter: int, count: int, xp: Any = np) -> np.ndarray:
    """``count`` consecutive Philox blocks at counters C, C+1, ... as a (count, 4) uint32 array of ``xp``."""
    offsets = xp.arange(count, dtype=np.uint64)
    return philox4x32(_counter_words(counter, offsets), _key_words(key))


def philox_words(key: int, counter: int, count: int, xp: Any = np) -> np.ndarray:
    """The first ``count`` 32-bit words of the stream at (key, counter), as TF's SingleSampleAdapter reads them."""
    return philox_blocks(key, counter, -(-count // 4), xp).reshape(-1)[:count]


def key_counter_from_seed(seed: Sequence[int] | np.ndarray) -> tuple[int, int]:
    """TF's stateless seed scrambling: seed [s0, s1] -> (key, counter) as Python ints."""
    seed = np.asarray(seed)
    if seed.shape != (2,):
        raise ValueError(f"seed must have shape [2], not {list(seed.shape)}")
    s0, s1 = (int(s) & _M64 for s in seed.tolist())  # sign-extends int32 and int64 seeds alike
    words = _counter_words(s0 | (s1 << 64), np.zeros((), dtype=np.uint64))
    m = [int(w) for w in philox4x32(words, _key_words(_SEED_SCRAMBLE_KEY))]
    return m[0] | (m[1] << 32), (m[2] | (m[3] << 32)) << 64


def get_key_counter(seed: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``StatelessRandomGetKeyCounter``: key uint64[1] and counter uint64[2], as TF returns them."""
    key, counter = key_counter_from_seed(seed)
    return np.array([key], dtype=np.uint64), np.array([counter & _M64, counter >> 64], dtype=np.uint64)


def key_counter_from_arrays(key: Any, counter: Any) -> tuple[int, int]:
    """(key, counter) ints from TF's memory layout: key uint64[1], counter uint64[2] (low word first)."""
    key = np.asarray(key).astype(np.uint64).reshape(-1)
    counter = np.asarray(counter).astype(np.uint64).reshape(-1)
    return int(key[0]), int(counter[0]) | (int(counter[1]) << 64 if counter.size > 1 else 0)


# ---------------------------------------------------------------------------------------------
# glibc's logf and sincosf, replayed in float64 (spec section 2a)
# ---------------------------------------------------------------------------------------------


@functools.cache
def _logf_tables() -> tuple[np.ndarray, np.ndarray, tuple[float, ...]]:
    # From glibc sysdeps/ieee754/flt-32/e_logf_data.c (ARM optimized-routines): (1/c, log c) per interval.
    pairs = (
        ("0x1.661ec79f8f3bep+0", "-0x1.57bf7808caadep-2"), ("0x1.571ed4aaf883dp+0", "-0x1.2bef0a7c06ddbp-2"),
        ("0x1.49539f0f010bp+0", "-0x1.01eae7f513a67p-2"), ("0x1.3c995b0b80385p+0", "-0x1.b31d8a68224e9p-3"),
        ("0x1.30d190c8864a5p+0", "-0x1.6574f0ac07758p-3"), ("0x1.25e227b0b8eap+0", "-0x1.1aa2bc79c81p-3"),
        ("0x1.1bb4a4a1a343fp+0", "-0x1.a4e76ce8c0e5ep-4"), ("0x1.12358f08ae5bap+0", "-0x1.1973c5a611cccp-4"),
        ("0x1.0953f419900a7p+0", "-0x1.252f438e10c1ep-5"), ("0x1p+0", "0x0p+0"),
        ("0x1.e608cfd9a47acp-1", "0x1.aa5aa5df25984p-5"), ("0x1.ca4b31f026aap-1", "0x1.c5e53aa362eb4p-4"),
        ("0x1.b2036576afce6p-1", "0x1.526e57720db08p-3"), ("0x1.9c2d163a1aa2dp-1", "0x1.bc2860d22477p-3"),
        ("0x1.886e6037841edp-1", "0x1.1058bc8a07ee1p-2"), ("0x1.767dcf5534862p-1", "0x1.4043057b6ee09p-2"),
    )
    invc = np.array([float.fromhex(a) for a, _ in pairs])
    logc = np.array([float.fromhex(b) for _, b in pairs])
    consts = tuple(float.fromhex(h) for h in (
        "0x1.62e42fefa39efp-1",  # ln2
        "-0x1.00ea348b88334p-2", "0x1.5575b0be00b6ap-2", "-0x1.ffffef20a4123p-2",  # A0, A1, A2
    ))
    return invc, logc, consts


_device_tables: dict[tuple[int, Any, int], Any] = {}


def _table(table: np.ndarray, xp: Any) -> Any:
    """A constant lookup table on the current device of ``xp``: copied there once per card, then reused."""
    if xp is np:
        return table
    key = (id(table), xp, xp.cuda.get_device_id())
    found = _device_tables.get(key)
    if found is None:
        found = _device_tables[key] = xp.asarray(table)
    return found


def glibc_logf(x: np.ndarray) -> np.ndarray:
    """glibc's ``logf`` for positive normal float32 inputs (TF's float32 Box-Muller only needs [1e-7, 1))."""
    invc_table, logc_table, (ln2, a0, a1, a2) = _logf_tables()
    x = x.astype(np.float32, copy=False) if hasattr(x, "astype") else np.asarray(x, dtype=np.float32)
    xp = _xp(x)
    invc_table, logc_table = _table(invc_table, xp), _table(logc_table, xp)
    ix = x.view(np.uint32)
    t = ix - np.uint32(0x3F330000)  # wraps modulo 2**32, as in C
    i = (t >> np.uint32(19)) & np.uint32(15)
    k = t.view(np.int32) >> np.int32(23)
    z = (ix - (t & np.uint32(0xFF800000))).view(np.float32).astype(np.float64)
    r = z * invc_table[i] - 1.0
    y0 = logc_table[i] + k.astype(np.float64) * ln2
    r2 = r * r
    y = a1 * r + a2
    y = a0 * r2 + y
    y = y * r2 + (y0 + r)
    return y.astype(np.float32)


@functools.cache
def _sincosf_consts() -> tuple[float, ...]:
    # From glibc sysdeps/ieee754/flt-32/s_sincosf_data.c: 2/pi * 2**24, pi/2, C0..C4, S1..S3.
    return tuple(float.fromhex(h) for h in (
        "0x1.45F306DC9C883p+23", "0x1.921FB54442D18p0",
        "0x1p0", "-0x1.ffffffd0c621cp-2", "0x1.55553e1068f19p-5", "-0x1.6c087e89a359dp-10", "0x1.99343027bf8c3p-16",
        "-0x1.555545995a603p-3", "0x1.1107605230bc4p-7", "-0x1.994eb3774cf24p-13",
    ))


def glibc_sincosf(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """glibc's ``sincosf`` for float32 inputs in [0, 120) (TF's Box-Muller angles lie in [0, 2*pi))."""
    hpi_inv, hpi, c0, c1, c2, c3, c4, s1, s2, s3 = _sincosf_consts()
    y = y.astype(np.float32, copy=False) if hasattr(y, "astype") else np.asarray(y, dtype=np.float32)
    xp = _xp(y)
    top = (y.view(np.uint32) >> np.uint32(20)) & np.uint32(0x7FF)
    x = y.astype(np.float64)
    near_zero = top < 0x3F4  # below pi/4: no range reduction
    n = ((x * hpi_inv).astype(np.int32) + np.int32(0x800000)) >> np.int32(24)
    n = xp.where(near_zero, 0, n)
    x = xp.where(near_zero, x, x - n.astype(np.float64) * hpi)
    sign = xp.where((n & 3 == 1) | (n & 3 == 2), -1.0, 1.0)
    # glibc's second table negates the cosine coefficients for quadrants 2 and 3.
    csign = xp.where(n & 2 != 0, -1.0, 1.0)
    xs = x * sign
    x2 = x * x
    x3 = x2 * xs
    x4 = x2 * x2
    x5 = x3 * x2
    x6 = x4 * x2
    sin_poly = (xs + x3 * s1) + x5 * (s2 + x2 * s3)
    cos_poly = ((csign * c0 + x2 * (csign * c1)) + x4 * (csign * c2)) + x6 * (csign * c3 + x2 * (csign * c4))
    sin_poly = sin_poly.astype(np.float32)
    cos_poly = cos_poly.astype(np.float32)
    odd = (n & 1) == 1
    sin_out = xp.where(odd, cos_poly, sin_poly)
    cos_out = xp.where(odd, sin_poly, cos_poly)
    tiny = top < 0x398  # below 2**-12: sin y = y, cos y = 1
    return xp.where(tiny, y, sin_out), xp.where(tiny, xp.ones((), dtype=np.float32), cos_out)


# libm's double log/sin/cos: CPython's math module calls them directly, NumPy's SIMD versions differ.
_libm_log = np.frompyfunc(math.log, 1, 1)
_libm_sin = np.frompyfunc(math.sin, 1, 1)
_libm_cos = np.frompyfunc(math.cos, 1, 1)


def libm_log_sin_cos(u: Any, v: Any) -> tuple[Any, Any, Any]:
    """glibc's double ``log(u)``, ``sin(v)``, ``cos(v)``, as arrays of ``u``'s device.

    TF's CPU kernel calls libm, whose results no array library reproduces bit for bit (NumPy's SIMD
    loops and CUDA's differ in the last bit), so this runs on the host, element by element: on a GPU it
    is a declared host step, one device->host copy of the uniforms and one host->device copy back (the
    float64 normals are the only Philox path that leaves the device)."""
    xp = _xp(u)
    host = xp is np
    hu, hv = (u, v) if host else to_numpy(xp.stack([u, v]))  # one copy to the host for both
    out = [f(a).astype(np.float64) for f, a in ((_libm_log, hu), (_libm_sin, hv), (_libm_cos, hv))]
    if host:
        return out[0], out[1], out[2]
    both = xp.asarray(np.stack(out))  # one copy back to the device for the three results
    return both[0], both[1], both[2]


# ---------------------------------------------------------------------------------------------
# From Philox words to values (random_distributions.h)
# ---------------------------------------------------------------------------------------------


def words_to_float32(w: np.ndarray) -> np.ndarray:
    """Uniform [0, 1) float32 from the low 23 bits of each word."""
    return (w & np.uint32(0x7FFFFF)).astype(np.float32) * np.float32(2.0**-23)


def words_to_float64(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Uniform [0, 1) float64: 20 bits from ``a`` on top of 32 bits from ``b``."""
    mantissa = ((a.astype(np.uint64) & np.uint64(0xFFFFF)) << np.uint64(32)) | b.astype(np.uint64)
    return mantissa.astype(np.float64) * 2.0**-52


def uniform_from_words(w: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Uniform [0, 1) values of ``dtype`` from a flat word array (float64 uses two words per value)."""
    if dtype == _F64:
        return words_to_float64(w[0::2], w[1::2])
    if dtype == _F32:
        return words_to_float32(w)
    if dtype == _F16:
        return ((w & np.uint32(0x3FF)).astype(np.float32) * np.float32(2.0**-10)).astype(np.float16)
    if dtype == _BF16:
        return ((w & np.uint32(0x7F)).astype(np.float32) * np.float32(2.0**-7)).astype(dtype)
    raise ValueError(f"uniform floats need float16, bfloat16, float32 or float64, got {dtype}")


def full_int_from_words(w: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Integers over the whole range of ``dtype`` (64-bit types take two words, low word first)."""
    if dtype in (_I32, _U32):
        return w.astype(np.uint32).view(dtype)
    if dtype in (_I64, _U64):
        bits = w[0::2].astype(np.uint64) | (w[1::2].astype(np.uint64) << np.uint64(32))
        return bits.view(dtype)
    raise ValueError(f"full-range integers need int32, int64, uint32 or uint64, got {dtype}")


def uniform_int_from_words(w: np.ndarray, dtype: np.dtype, minval: int, maxval: int) -> np.ndarray:
    """TF's integers in [minval, maxval): ``minval + bits % range``, modulo bias and wrap-around kept."""
    if dtype == _I32:
        span = np.uint32((maxval - minval) & _M32)
        return (np.uint32(minval & _M32) + w.astype(np.uint32) % span).view(np.int32)
    if dtype == _I64:
        span = np.uint64((maxval - minval) & _M64)
        bits = w[0::2].astype(np.uint64) | (w[1::2].astype(np.uint64) << np.uint64(32))
        return (np.uint64(minval & _M64) + bits % span).view(np.int64)
    raise ValueError(f"bounded integers need int32 or int64, got {dtype}")


def box_muller_float32(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TF's ``BoxMullerFloat``: two float32 normals (sine one, cosine one) per pair of words."""
    xp = _xp(a)
    u = xp.maximum(words_to_float32(a), np.float32(1e-7))
    # 2.0f * M_PI is a double, so the angle is rounded to float32 only once.
    v = (2.0 * math.pi * words_to_float32(b).astype(np.float64)).astype(np.float32)
    r = xp.sqrt(np.float32(-2.0) * glibc_logf(u))
    sin_v, cos_v = glibc_sincosf(v)
    return sin_v * r, cos_v * r


def box_muller_float64(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TF's ``BoxMullerDouble``: two float64 normals (sine one, cosine one) per four words."""
    xp = _xp(a)
    u = xp.maximum(words_to_float64(a, b), 1e-7)
    v = 2.0 * math.pi * words_to_float64(c, d)
    log_u, sin_v, cos_v = libm_log_sin_cos(u, v)
    r = xp.sqrt(-2.0 * log_u)
    return sin_v * r, cos_v * r


def normal_from_words(w: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Standard normals from whole blocks: 4 per block below 64 bits, 2 per block for float64."""
    xp = _xp(w)
    if dtype == _F64:
        s, c = box_muller_float64(w[0::4], w[1::4], w[2::4], w[3::4])
        return xp.stack([s, c], axis=-1).reshape(-1)
    if dtype not in (_F32, _F16, _BF16):
        raise ValueError(f"normals need float16, bfloat16, float32 or float64, got {dtype}")
    s, c = box_muller_float32(w[0::2], w[1::2])
    return xp.stack([s, c], axis=-1).reshape(-1).astype(dtype)


# ---------------------------------------------------------------------------------------------
# Filling a tensor from (key, counter): the stateless V2 kernels (random_op_cpu.h)
# ---------------------------------------------------------------------------------------------


def _group_size(dtype: np.dtype) -> int:
    return 2 if dtype.itemsize == 8 else 4


def _fill(shape: Any, dtype: np.dtype, key: int, counter: int, convert: Any, xp: Any) -> np.ndarray:
    # Output group j uses exactly the block at C + j; a partial last group is computed and cut.
    dims, n = num_elements(shape)
    blocks = -(-n // _group_size(dtype))
    words = philox_blocks(key, counter, blocks, xp).reshape(-1)
    return convert(words)[:n].reshape(dims)


def philox_uniform(shape: Any, key: int, counter: int, dtype: Any = np.float32, xp: Any = np) -> np.ndarray:
    """``StatelessRandomUniformV2``: uniform [0, 1) floats at (key, counter), an array of ``xp``."""
    dtype = as_numpy_dtype(dtype)
    if dtype not in FLOAT_DTYPES:
        raise ValueError(f"uniform floats need float16, bfloat16, float32 or float64, got {dtype}")
    return _fill(shape, dtype, key, counter, lambda w: uniform_from_words(w, dtype), xp)


def philox_uniform_full_int(shape: Any, key: int, counter: int, dtype: Any = np.uint64, xp: Any = np) -> np.ndarray:
    """``StatelessRandomUniformFullIntV2``: integers over the dtype's whole range."""
    dtype = as_numpy_dtype(dtype)
    if dtype not in FULL_INT_DTYPES:
        raise ValueError(f"full-range integers need int32, int64, uint32 or uint64, got {dtype}")
    return _fill(shape, dtype, key, counter, lambda w: full_int_from_words(w, dtype), xp)


def philox_uniform_int(shape: Any, key: int, counter: int, minval: Any, maxval: Any, dtype: Any = np.int32,
                       xp: Any = np) -> np.ndarray:
    """``StatelessRandomUniformIntV2`` (and ``RandomUniformInt``): integers in [minval, maxval).

    Raises ValueError when the bounds are not scalars, or when minval >= maxval and the output is not empty.
    """
    dtype = as_numpy_dtype(dtype)
    dims, n = num_elements(shape)
    lo, hi = check_int_bounds(minval, maxval, dtype, n)
    if n == 0:
        return xp.zeros(dims, dtype=dtype)
    return _fill(dims, dtype, key, counter, lambda w: uniform_int_from_words(w, dtype, lo, hi), xp)


def check_int_bounds(minval: Any, maxval: Any, dtype: Any, n: int) -> tuple[int, int]:
    """The bounds as ints, after TF's checks: scalars, and minval < maxval unless the output is empty."""
    dtype = as_numpy_dtype(dtype)
    if dtype not in INT_DTYPES:
        raise ValueError(f"bounded integers need int32 or int64, got {dtype}")
    lo_arr, hi_arr = np.asarray(minval), np.asarray(maxval)
    if lo_arr.ndim:
        raise ValueError(f"minval must be 0-D, got shape {list(lo_arr.shape)}")
    if hi_arr.ndim:
        raise ValueError(f"maxval must be 0-D, got shape {list(hi_arr.shape)}")
    lo, hi = int(lo_arr.astype(dtype)), int(hi_arr.astype(dtype))
    if n and not lo < hi:  # TF returns an empty output before it checks the bounds
        raise ValueError(f"Need minval < maxval, got {lo} >= {hi}")
    return lo, hi


def philox_normal(shape: Any, key: int, counter: int, dtype: Any = np.float32, xp: Any = np) -> np.ndarray:
    """``StatelessRandomNormalV2``: standard normals at (key, counter)."""
    dtype = as_numpy_dtype(dtype)
    if dtype not in FLOAT_DTYPES:
        raise ValueError(f"normals need float16, bfloat16, float32 or float64, got {dtype}")
    return _fill(shape, dtype, key, counter, lambda w: normal_from_words(w, dtype), xp)


def philox_truncated_normal(shape: Any, key: int, counter: int, dtype: Any = np.float32,
                            xp: Any = np) -> np.ndarray:
    """``StatelessTruncatedNormalV2``: standard normals with |x| < 2, by rejection.

    Group j (4 values, or 2 for float64) reads its own stream starting at C + j*256 (C + j*128 for
    float64) and keeps Box-Muller candidates in order, sine before cosine, until it is full.
    """
    dtype = as_numpy_dtype(dtype)
    if dtype not in FLOAT_DTYPES:
        raise ValueError(f"truncated normals need float16, bfloat16, float32 or float64, got {dtype}")
    dims, n = num_elements(shape)
    group = _group_size(dtype)
    stride = group * 256 // 4
    groups = -(-n // group)
    work = np.float64 if dtype == _F64 else np.float32
    out = xp.zeros((groups, group), dtype=work)
    filled = xp.zeros(groups, dtype=np.int64)
    rows = xp.arange(groups, dtype=np.int64)  # groups still short of values
    start, chunk = 0, 2  # two blocks fill a group about 99% of the time; stragglers take more
    while rows.size:
        offsets = (rows[:, None] * stride + xp.arange(start, start + chunk)).astype(np.uint64)
        w = philox4x32(_counter_words(counter, offsets), _key_words(key))  # (rows, chunk, 4)
        if dtype == _F64:
            cand = xp.stack(box_muller_float64(w[..., 0], w[..., 1], w[..., 2], w[..., 3]), axis=-1)
        else:
            sin_out, cos_out = box_muller_float32(w[..., 0::2], w[..., 1::2])
            cand = xp.stack([sin_out, cos_out], axis=-1)
        cand = cand.reshape(rows.size, -1)  # stream order: sine, cosine, sine, cosine, ...
        accepted = xp.abs(cand) < 2.0
        slot = xp.cumsum(accepted, axis=1) - 1 + filled[rows][:, None]
        r_idx, c_idx = xp.nonzero(accepted & (slot < group))
        out[rows[r_idx], slot[r_idx, c_idx]] = cand[r_idx, c_idx]
        filled[rows] = xp.minimum(slot[:, -1] + 1, group)
        rows = rows[filled[rows] < group]
        start += chunk
    return out.reshape(-1)[:n].astype(dtype).reshape(dims)


# ---------------------------------------------------------------------------------------------
# Stateless ops (tf.random.stateless_*)
# ---------------------------------------------------------------------------------------------


def _cast(value: Any, dtype: np.dtype) -> np.ndarray:
    return np.asarray(value).astype(dtype)


def scale_uniform(rnd: np.ndarray, minval: Any, maxval: Any, dtype: np.dtype) -> np.ndarray:
    """``rnd * (maxval - minval) + minval``, each step rounded to ``dtype`` as TF's separate ops do."""
    lo, hi = _cast(minval, dtype), _cast(maxval, dtype)
    return (rnd * (hi - lo)).astype(dtype) + lo


def scale_normal(rnd: np.ndarray, mean: Any, stddev: Any, dtype: np.dtype) -> np.ndarray:
    """``rnd * stddev + mean`` in ``dtype`` (two ops, no fused multiply-add)."""
    return (rnd * _cast(stddev, dtype)).astype(dtype) + _cast(mean, dtype)


def stateless_uniform(
    shape: Any, seed: Any, minval: Any = 0, maxval: Any = None, dtype: Any = np.float32
) -> np.ndarray:
    """``tf.random.stateless_uniform``: floats in [minval, maxval), ints in [minval, maxval), or full-range ints.

    Integer dtypes with minval = maxval = None give full-range integers (uint32/uint64 allowed then).
    """
    dtype = as_numpy_dtype(dtype)
    key, counter = key_counter_from_seed(seed)
    if dtype.kind in "iu":
        if (minval is None) != (maxval is None):
            raise ValueError(
                f"For integer `dtype` argument {dtype}, argument `minval` and `maxval` must be both None or "
                f"not None. Got `minval`={minval} and `maxval`={maxval}.")
        if minval is None:
            return philox_uniform_full_int(shape, key, counter, dtype)
        if dtype.kind == "u":
            raise ValueError(
                f"Argument `dtype` got invalid value {dtype} when argument `minval` is not None. Please don't use "
                "unsigned integers in this case.")
        return philox_uniform_int(shape, key, counter, minval, maxval, dtype)
    rnd = philox_uniform(shape, key, counter, dtype)
    return scale_uniform(rnd, minval, 1 if maxval is None else maxval, dtype)


def stateless_uniform_full_int(shape: Any, seed: Any, dtype: Any = np.uint64) -> np.ndarray:
    """Full-range integers (``StatelessRandomUniformFullIntV2``) for int32, int64, uint32, uint64."""
    key, counter = key_counter_from_seed(seed)
    return philox_uniform_full_int(shape, key, counter, dtype)


def stateless_uniform_int(shape: Any, seed: Any, minval: Any, maxval: Any, dtype: Any = np.int32) -> np.ndarray:
    """Integers in [minval, maxval) (``StatelessRandomUniformIntV2``), biased modulo as in TF."""
    key, counter = key_counter_from_seed(seed)
    return philox_uniform_int(shape, key, counter, minval, maxval, dtype)


def stateless_normal(
    shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = np.float32
) -> np.ndarray:
    """``tf.random.stateless_normal``."""
    dtype = as_numpy_dtype(dtype)
    key, counter = key_counter_from_seed(seed)
    return scale_normal(philox_normal(shape, key, counter, dtype), mean, stddev, dtype)


def stateless_truncated_normal(
    shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = np.float32
) -> np.ndarray:
    """``tf.random.stateless_truncated_normal``."""
    dtype = as_numpy_dtype(dtype)
    key, counter = key_counter_from_seed(seed)
    return scale_normal(philox_truncated_normal(shape, key, counter, dtype), mean, stddev, dtype)


def stateless_split(seed: Any, num: int = 2, dtype: Any = np.int32) -> np.ndarray:
    """``tf.random.split``: ``num`` new seeds, shape [num, 2], in the seed's dtype (int32 for a Python list)."""
    return stateless_uniform_full_int([num, 2], seed, dtype)


def stateless_fold_in(seed: Any, data: Any, dtype: Any = np.int32) -> np.ndarray:
    """``tf.random.fold_in``: [full-range int of ``data``'s dtype drawn from ``seed``, data]."""
    dtype = as_numpy_dtype(dtype)
    first = stateless_uniform_full_int([], seed, dtype)
    return np.stack([first, np.asarray(data).astype(dtype)])
