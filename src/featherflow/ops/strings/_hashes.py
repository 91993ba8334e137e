"""The hash functions TF's string ops use, ported bit for bit: farmhash's ``Fingerprint64`` (farmhashna::Hash64),
TF's ``Hash64`` (tsl/platform/hash.cc, a MurmurHash2-64 variant) and SipHash-2-4 (highwayhash's ``SipHash``).

Pure Python over ``bytes`` with 64-bit wrap-around done by masking: these run on the host, per string (string
tensors live in host memory), and are the single definition the hashing ops and the lookup tables share.

>>> fingerprint64(b"")
11160318154034397263
"""

from __future__ import annotations

import struct

_M = 0xFFFFFFFFFFFFFFFF
_K0 = 0xC3A5C85C97CB3127
_K1 = 0xB492B66FBE98F273
_K2 = 0x9AE16A3B2F90404F
_u64 = struct.Struct("<Q").unpack_from
_u32 = struct.Struct("<I").unpack_from


def _fetch(s: bytes, i: int) -> int:
    return _u64(s, i)[0]


def _rot(v: int, r: int) -> int:
    # farmhash's Rotate is a right rotation; Rotate(v, 0) is v
    return ((v >> r) | (v << (64 - r))) & _M if r else v


def _shift_mix(v: int) -> int:
    return v ^ (v >> 47)


def _len16(u: int, v: int, mul: int) -> int:
    a = ((u ^ v) * mul) & _M
    a ^= a >> 47
    b = ((v ^ a) * mul) & _M
    b ^= b >> 47
    return (b * mul) & _M


def _len0to16(s: bytes, n: int) -> int:
    if n >= 8:
        mul = _K2 + n * 2
        a = (_fetch(s, 0) + _K2) & _M
        b = _fetch(s, n - 8)
        c = (_rot(b, 37) * mul + a) & _M
        d = ((_rot(a, 25) + b) * mul) & _M
        return _len16(c, d, mul)
    if n >= 4:
        mul = _K2 + n * 2
        a = _u32(s, 0)[0]
        return _len16((n + (a << 3)) & _M, _u32(s, n - 4)[0], mul)
    if n > 0:
        y = (s[0] + (s[n >> 1] << 8)) & 0xFFFFFFFF
        z = (n + (s[n - 1] << 2)) & 0xFFFFFFFF
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _M) * _K2) & _M
    return _K2


def _len17to32(s: bytes, n: int) -> int:
    mul = _K2 + n * 2
    a = (_fetch(s, 0) * _K1) & _M
    b = _fetch(s, 8)
    c = (_fetch(s, n - 8) * mul) & _M
    d = (_fetch(s, n - 16) * _K2) & _M
    return _len16((_rot((a + b) & _M, 43) + _rot(c, 30) + d) & _M, (a + _rot((b + _K2) & _M, 18) + c) & _M, mul)


def _len33to64(s: bytes, n: int) -> int:
    mul = _K2 + n * 2
    a = (_fetch(s, 0) * _K2) & _M
    b = _fetch(s, 8)
    c = (_fetch(s, n - 8) * mul) & _M
    d = (_fetch(s, n - 16) * _K2) & _M
    y = (_rot((a + b) & _M, 43) + _rot(c, 30) + d) & _M
    z = _len16(y, (a + _rot((b + _K2) & _M, 18) + c) & _M, mul)
    e = (_fetch(s, 16) * mul) & _M
    f = _fetch(s, 24)
    g = ((y + _fetch(s, n - 32)) * mul) & _M
    h = ((z + _fetch(s, n - 24)) * mul) & _M
    return _len16((_rot((e + f) & _M, 43) + _rot(g, 30) + h) & _M, (e + _rot((f + a) & _M, 18) + g) & _M, mul)


def _weak32(s: bytes, i: int, a: int, b: int) -> tuple[int, int]:
    w, x, y, z = _u64(s, i)[0], _u64(s, i + 8)[0], _u64(s, i + 16)[0], _u64(s, i + 24)[0]
    a = (a + w) & _M
    b = _rot((b + a + z) & _M, 21)
    c = a
    a = (a + x + y) & _M
    b = (b + _rot(a, 44)) & _M
    return (a + z) & _M, (b + c) & _M


def fingerprint64(s: bytes) -> int:
    """farmhash ``Fingerprint64`` of ``s`` (TF's ``Fingerprint64``), an unsigned 64-bit int."""
    n = len(s)
    if n <= 16:
        return _len0to16(s, n)
    if n <= 32:
        return _len17to32(s, n)
    if n <= 64:
        return _len33to64(s, n)
    seed = 81
    y = (seed * _K1 + 113) & _M
    z = (_shift_mix((y * _K2 + 113) & _M) * _K2) & _M
    v0 = v1 = w0 = w1 = 0
    x = (seed * _K2 + _fetch(s, 0)) & _M
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    i = 0
    while True:
        x = (_rot((x + y + v0 + _fetch(s, i + 8)) & _M, 37) * _K1) & _M
        y = (_rot((y + v1 + _fetch(s, i + 48)) & _M, 42) * _K1) & _M
        x ^= w1
        y = (y + v0 + _fetch(s, i + 40)) & _M
        z = (_rot((z + w0) & _M, 33) * _K1) & _M
        v0, v1 = _weak32(s, i, (v1 * _K1) & _M, (x + w0) & _M)
        w0, w1 = _weak32(s, i + 32, (z + w1) & _M, (y + _fetch(s, i + 16)) & _M)
        z, x = x, z
        i += 64
        if i == end:
            break
    mul = _K1 + ((z & 0xFF) << 1)
    i = last64
    w0 = (w0 + ((n - 1) & 63)) & _M
    v0 = (v0 + w0) & _M
    w0 = (w0 + v0) & _M
    x = (_rot((x + y + v0 + _fetch(s, i + 8)) & _M, 37) * mul) & _M
    y = (_rot((y + v1 + _fetch(s, i + 48)) & _M, 42) * mul) & _M
    x ^= (w1 * 9) & _M
    y = (y + v0 * 9 + _fetch(s, i + 40)) & _M
    z = (_rot((z + w0) & _M, 33) * mul) & _M
    v0, v1 = _weak32(s, i, (v1 * mul) & _M, (x + w0) & _M)
    w0, w1 = _weak32(s, i + 32, (z + w1) & _M, (y + _fetch(s, i + 16)) & _M)
    z, x = x, z
    return _len16((_len16(v0, w0, mul) + _shift_mix(y) * _K0 + z) & _M, (_len16(v1, w1, mul) + x) & _M, mul)


_MURMUR = 0xC6A4A7935BD1E995


def hash64(s: bytes, seed: int = 0xDECAFCAFFE) -> int:
    """TF's ``Hash64`` of ``s`` (``tf.strings.to_hash_bucket``'s hash), an unsigned 64-bit int."""
    n = len(s)
    h = (seed ^ (n * _MURMUR)) & _M
    full = n - n % 8
    for i in range(0, full, 8):
        k = (_fetch(s, i) * _MURMUR) & _M
        k ^= k >> 47
        h ^= (k * _MURMUR) & _M
        h = (h * _MURMUR) & _M
    tail = n - full
    if tail:
        h ^= int.from_bytes(s[full:], "little")
        h = (h * _MURMUR) & _M
    h ^= h >> 47
    h = (h * _MURMUR) & _M
    return h ^ (h >> 47)


def _sip_round(v0: int, v1: int, v2: int, v3: int) -> tuple[int, int, int, int]:
    v0 = (v0 + v1) & _M
    v1 = ((v1 << 13) | (v1 >> 51)) & _M
    v1 ^= v0
    v0 = ((v0 << 32) | (v0 >> 32)) & _M
    v2 = (v2 + v3) & _M
    v3 = ((v3 << 16) | (v3 >> 48)) & _M
    v3 ^= v2
    v0 = (v0 + v3) & _M
    v3 = ((v3 << 21) | (v3 >> 43)) & _M
    v3 ^= v0
    v2 = (v2 + v1) & _M
    v1 = ((v1 << 17) | (v1 >> 47)) & _M
    v1 ^= v2
    v2 = ((v2 << 32) | (v2 >> 32)) & _M
    return v0, v1, v2, v3


def siphash24(k0: int, k1: int, s: bytes) -> int:
    """SipHash-2-4 of ``s`` under the key ``(k0, k1)`` (``tf.strings.to_hash_bucket_strong``), unsigned 64-bit."""
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573
    n = len(s)
    full = n - n % 8
    for i in range(0, full, 8):
        m = _fetch(s, i)
        v3 ^= m
        v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
        v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
        v0 ^= m
    m = ((n & 0xFF) << 56) | int.from_bytes(s[full:], "little")
    v3 ^= m
    v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
    v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
    v0 ^= m
    v2 ^= 0xFF
    for _ in range(4):
        v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
    return v0 ^ v1 ^ v2 ^ v3
