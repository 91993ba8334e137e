"""CRC32C (Castagnoli) and the masking TensorFlow applies to stored checksums.

>>> hex(value(b"123456789")), hex(mask(0xE3069283))
('0xe3069283', '0xc78ab0e5')

``google_crc32c`` is imported on first use, not at ``import featherflow``.
Its C functions take ``bytes`` or a contiguous NumPy array (any read-only,
non-releasing buffer); a ``memoryview`` or ``bytearray`` is rejected by the
extension, so callers pass NumPy views for zero-copy checksums.
"""

from __future__ import annotations

from typing import Any

_MASK_DELTA = 0xA282EAD8
_U32 = 0xFFFFFFFF

_impl: Any = None


def _load() -> Any:
    global _impl
    if _impl is None:
        import google_crc32c

        _impl = google_crc32c
    return _impl


def value(data: Any) -> int:
    """The CRC32C of ``data`` (``bytes`` or a C-contiguous NumPy array)."""
    return (_impl or _load()).value(data)


def extend(crc: int, data: Any) -> int:
    """Continues the running CRC ``crc`` over ``data``: ``extend(value(a), b) == value(a + b)``."""
    return (_impl or _load()).extend(crc, data)


def mask(crc: int) -> int:
    """TF/LevelDB masking, so a CRC stored inside CRC'd data doesn't checksum to a fixed point."""
    return ((((crc >> 15) | (crc << 17)) & _U32) + _MASK_DELTA) & _U32


def unmask(masked: int) -> int:
    """Inverse of ``mask``."""
    rot = (masked - _MASK_DELTA) & _U32
    return ((rot >> 17) | (rot << 15)) & _U32
