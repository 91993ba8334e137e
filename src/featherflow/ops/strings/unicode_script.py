"""``tf.strings.unicode_script``: the Unicode script of each int32 code point, as ICU's ``UScriptCode`` (what TF's
kernel returns): 0 for Common (spaces, punctuation), 25 for Latin, 103 for an unassigned code point, -1 for a
value that is no code point.

>>> import featherflow as tf
>>> tf.strings.unicode_script([33464, 1041, 65, 32]).numpy()  # Han, Cyrillic, Latin, Common
array([17,  8, 25,  0], dtype=int32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor
from .. import dispatch as _dispatch
from ..convert import tensor
from ..registry import register

_tables: list[np.ndarray] = []  # the runs' starts and scripts, as arrays on first use


def _runs() -> list[np.ndarray]:
    if not _tables:
        from ._unicode_scripts import RUN_SCRIPTS, RUN_STARTS

        _tables.extend([np.array(RUN_STARTS, dtype=np.int64), np.array(RUN_SCRIPTS, dtype=np.int32)])
    return _tables


@register("UnicodeScript", host_only=True)  # TF registers no gradient
def unicode_script_op(xp: Any, x: Any) -> Any:
    starts, scripts = _runs()
    points = np.asarray(x, dtype=np.int64)
    out = scripts[np.searchsorted(starts, points, side="right") - 1]
    # ICU's USCRIPT_INVALID_CODE for what is no code point (negative, or past U+10FFFF)
    return np.where((points < 0) | (points > 0x10FFFF), np.int32(-1), out).astype(np.int32)


@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def unicode_script(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The ICU script code (``UScriptCode``) of each code point in the int32 ``input``
    (``tf.strings.unicode_script``); a RaggedTensor's flat values map alike.

    >>> unicode_script([[1041, 33464]]).numpy()
    array([[ 8, 17]], dtype=int32)
    """
    x = input if isinstance(input, Tensor) else tensor(input, _dtypes.int32)
    return unicode_script_op(x)
