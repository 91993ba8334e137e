"""``tf.strings.unicode_decode_with_offsets`` and ``unicode_split_with_offsets``: code points (or characters) with
the byte offset where each starts, as TF's ``UnicodeDecodeWithOffsets`` gives them; malformed input is handled as
``unicode_decode`` handles it (one replacement per maximal invalid subpart).

>>> import featherflow as tf
>>> chars, starts = tf.strings.unicode_decode_with_offsets("hé€", "UTF-8")
>>> chars.numpy().tolist(), starts.numpy().tolist()
([104, 233, 8364], [0, 1, 3])
"""

from __future__ import annotations

import codecs
from typing import Any

import numpy as np

from ...tensor import kernel_error
from ..convert import tensor
from ..ragged import RaggedTensor
from ..registry import register
from .core import nest_rows, on_host
from .unicode import _encode_one

_INVALID = "\ud800"  # a lone surrogate marks each malformed subpart; no decoder produces one
_spans: list = []  # the byte length of each malformed subpart, in order, for the decode under way


def _mark(error: UnicodeError) -> tuple[str, int]:
    _spans.append(error.end - error.start)  # type: ignore[attr-defined]
    return _INVALID, error.end  # type: ignore[attr-defined]


codecs.register_error("featherflow.mark_invalid_spans", _mark)


def _decode_with_offsets(data: bytes, codec: str, errors: str, replacement: int, controls: bool) -> tuple:
    _spans.clear()
    text = data.decode(codec, "featherflow.mark_invalid_spans")
    spans = iter(list(_spans))
    points, starts = [], []
    at = 0
    for ch in text:
        if ch == _INVALID:
            size = next(spans)
            if errors == "strict":
                raise kernel_error("UnicodeDecodeWithOffsets", "Invalid formatting on input string")
            if errors == "replace":
                points.append(replacement)
                starts.append(at)
        else:
            size = len(ch.encode(codec, "surrogatepass"))
            code = ord(ch)
            points.append(replacement if controls and code < 0x20 else code)
            starts.append(at)
        at += size
    return points, starts


@register("UnicodeDecodeWithOffsets", n_outputs=0, host_only=True)  # TF registers no gradient
def unicode_decode_with_offsets_op(xp: Any, x: Any, codec: str, errors: str, replacement_char: int,
                                   replace_control_characters: bool) -> Any:
    rows = [_decode_with_offsets(b, codec, errors, replacement_char, replace_control_characters)
            for b in x.reshape(-1)]
    splits = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(p) for p, _ in rows], out=splits[1:])
    return (splits, np.array([c for p, _ in rows for c in p], dtype=np.int32),
            np.array([s for _, o in rows for s in o], dtype=np.int64))


def _rows(input: Any, input_encoding: str, errors: str, replacement_char: int,  # noqa: A002
          replace_control_characters: bool) -> tuple:
    op = unicode_decode_with_offsets_op
    x = tensor(input)
    op.check_input(0, x)
    op.check_attr("errors", errors)
    try:
        codec = codecs.lookup(input_encoding).name
    except LookupError:
        raise kernel_error(op.name, f"Could not create converter for input encoding: {input_encoding}") from None
    splits, values, offsets = op(x, codec=codec, errors=errors, replacement_char=int(replacement_char),
                                 replace_control_characters=bool(replace_control_characters))
    s, v, o = splits._numpy(), values._numpy(), offsets._numpy()
    return [(v[s[i]:s[i + 1]], o[s[i]:s[i + 1]]) for i in range(s.size - 1)], x._value.shape, codec


@on_host
def unicode_decode_with_offsets(input: Any, input_encoding: str, errors: str = "replace",  # noqa: A002
                                replacement_char: int = 65533, replace_control_characters: bool = False,
                                name: str | None = None) -> tuple:
    """Each string's code points and the byte offset where each starts (``tf.strings.unicode_decode_with_offsets``)."""
    if isinstance(input, RaggedTensor):
        points, starts = unicode_decode_with_offsets(input.flat_values, input_encoding, errors, replacement_char,
                                                     replace_control_characters)
        return input.with_flat_values(points), input.with_flat_values(starts)
    rows, shape, _ = _rows(input, input_encoding, errors, replacement_char, replace_control_characters)
    return (nest_rows([p.tolist() for p, _ in rows], shape, np.int32),
            nest_rows([o.tolist() for _, o in rows], shape, np.int64))


@on_host
def unicode_split_with_offsets(input: Any, input_encoding: str, errors: str = "replace",  # noqa: A002
                               replacement_char: int = 65533, name: str | None = None) -> tuple:
    """Each string's characters, re-encoded, and the byte offset where each starts
    (``tf.strings.unicode_split_with_offsets``)."""
    if isinstance(input, RaggedTensor):
        chars, starts = unicode_split_with_offsets(input.flat_values, input_encoding, errors, replacement_char)
        return input.with_flat_values(chars), input.with_flat_values(starts)
    rows, shape, codec = _rows(input, input_encoding, errors, replacement_char, False)
    return (nest_rows([[_encode_one([c], codec, errors, replacement_char) for c in p] for p, _ in rows], shape),
            nest_rows([o.tolist() for _, o in rows], shape, np.int64))
