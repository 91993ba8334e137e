"""``tf.debugging.assert_same_float_dtype``: the one floating dtype of some tensors (and an expected dtype), as
TF's ``check_ops`` checks it in Python.

>>> import featherflow as tf
>>> tf.debugging.assert_same_float_dtype([tf.constant(1.0)]).name
'float32'
"""

from __future__ import annotations

from typing import Any

from ... import dtypes as _dtypes


def _text(dtype: Any) -> str:
    return f"<dtype: '{dtype.name}'>"


def assert_same_float_dtype(tensors: Any = None, dtype: Any = None) -> _dtypes.DType:
    """The floating dtype shared by ``tensors`` and ``dtype`` (float32 if neither gives one); ValueError if
    they differ or it is not floating."""
    expected = None if dtype is None else _dtypes.as_dtype(dtype).base_dtype
    if tensors:
        first = None
        for t in tensors:
            got = _dtypes.as_dtype(t.dtype).base_dtype
            if expected is None:
                expected, first = got, t
            elif got != expected:
                against = f" as {first!s}" if first is not None else ""
                raise ValueError(f"{t!s}, type={_text(got)}, must be of the same type ({_text(expected)}){against}.")
    if expected is None:
        return _dtypes.float32
    if not expected.is_floating:
        raise ValueError(f"Expected floating point type, got {_text(expected)}.")
    return expected
