"""``tf.compat``'s helpers: text and bytes conversion, the v1/v2 ``Dimension`` bridge and the forward-compatibility
window, as TF's ``tensorflow/python/util/compat.py``, ``tensor_shape.py`` and ``compat/compat.py`` define them.

>>> from featherflow._compat_util import as_bytes, as_text, dimension_value
>>> as_bytes("héllo"), as_text(b"h\\xc3\\xa9llo"), dimension_value(None)
(b'h\\xc3\\xa9llo', 'héllo', None)
"""

from __future__ import annotations

import codecs
import contextlib
import datetime
import logging
import numbers
import os
from typing import Any, Iterator

import numpy as np

from .shape import Dimension, TensorShape

# NumPy's scalar types are not registered with numbers' ABCs in every version: TF lists them too.
integral_types = (numbers.Integral, np.integer)
real_types = (numbers.Real, np.integer, np.floating)
complex_types = (numbers.Complex, np.number)
bytes_or_text_types = (bytes, str)


def as_bytes(bytes_or_text: Any, encoding: str = "utf-8") -> bytes:
    """``bytes`` from a bytearray, bytes or str (encoded with ``encoding``)."""
    encoding = codecs.lookup(encoding).name  # an unknown encoding is a LookupError, as TF's
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text: Any, encoding: str = "utf-8") -> str:
    """``str`` from a str or bytes (decoded with ``encoding``)."""
    encoding = codecs.lookup(encoding).name
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    # TF formats with %: a tuple of several items fails to format (TypeError all the same)
    raise TypeError("Expected binary or unicode string, got %r" % bytes_or_text)  # noqa: UP031


def as_str(bytes_or_text: Any, encoding: str = "utf-8") -> str:
    """``as_text`` under TF's other name."""
    return as_text(bytes_or_text, encoding)


def as_str_any(value: Any, encoding: str = "utf-8") -> str:
    """``str(value)``, bytes decoded with ``encoding``."""
    if isinstance(value, bytes):
        return as_str(value, encoding=encoding)
    return str(value)


def path_to_str(path: Any) -> Any:
    """The ``str`` of an ``os.PathLike``; anything else as given."""
    if hasattr(path, "__fspath__"):
        path = as_str_any(path.__fspath__())
    return path


def dimension_value(dimension: Any) -> int | None:
    """The int (or None) of a ``Dimension``; an int or None as given."""
    if isinstance(dimension, Dimension):
        return dimension.value
    return dimension


def dimension_at_index(shape: TensorShape, index: int) -> Dimension:
    """The ``Dimension`` at ``index`` of ``shape`` (``Dimension(None)`` when its rank is unknown)."""
    assert isinstance(shape, TensorShape)
    if shape.rank is None:
        return Dimension(None)
    return shape.dims[index]


# --- forward compatibility: TF 2.21's horizon, moved on by TF_FORWARD_COMPATIBILITY_DELTA_DAYS ----------------

_HORIZON = datetime.date(2026, 1, 16)
_DELTA_DAYS_VAR = "TF_FORWARD_COMPATIBILITY_DELTA_DAYS"
_date_number: int = 0


def _to_number(year: int, month: int, day: int) -> int:
    return (year << 9) | (month << 5) | day


def _update_date_number(date_to_override: datetime.date | None = None) -> None:
    global _date_number
    if date_to_override:
        date = date_to_override
    else:
        date = _HORIZON
        delta_days = os.getenv(_DELTA_DAYS_VAR)
        if delta_days:
            date += datetime.timedelta(days=int(delta_days))
    if date < _HORIZON:
        logging.getLogger("tensorflow").warning(
            f"Trying to set the forward compatibility date to the past date {date}. This will be ignored by "
            "TensorFlow.")
        return
    _date_number = _to_number(date.year, date.month, date.day)


_update_date_number()


def forward_compatible(year: int, month: int, day: int) -> bool:
    """Whether the forward-compatibility window has passed (year, month, day)."""
    return _date_number > _to_number(year, month, day)


@contextlib.contextmanager
def forward_compatibility_horizon(year: int, month: int, day: int) -> Iterator[None]:
    """Moves the forward-compatibility horizon to (year, month, day) inside the block (for tests)."""
    try:
        _update_date_number(datetime.date(year, month, day))
        yield
    finally:
        _update_date_number()
