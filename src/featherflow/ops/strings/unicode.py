"""Unicode string ops (``tf.strings.unicode_decode``, ``unicode_encode``, ``unicode_split``): code points are int32.

>>> import featherflow as tf
>>> tf.strings.unicode_decode("hé", "UTF-8").numpy()
array([104, 233], dtype=int32)
>>> tf.strings.unicode_encode([104, 233], "UTF-8").numpy()
b'h\\xc3\\xa9'
"""

from __future__ import annotations

import codecs
from typing import Any

import numpy as np

from ...tensor import Tensor, _make_typed_host, kernel_error
from ..convert import tensor
from ..ragged import RaggedTensor
from ..registry import register
from .core import nest_rows, on_host

_OUTPUT_ENCODINGS = {"UTF-8": "utf-8", "UTF-16-BE": "utf-16-be", "UTF-32-BE": "utf-32-be"}
_INVALID = "\ud800"  # a lone surrogate: no decoder produces one, so it marks each malformed sequence


def _mark_invalid(error: UnicodeError) -> tuple[str, int]:
    return _INVALID, error.end  # type: ignore[attr-defined]


codecs.register_error("featherflow.mark_invalid", _mark_invalid)


def _decode_one(data: bytes, codec: str, errors: str, replacement: int, replace_controls: bool) -> list[int]:
    text = data.decode(codec, "featherflow.mark_invalid")
    points = []
    for ch in text:
        if ch == _INVALID:
            if errors == "strict":
                raise kernel_error("UnicodeDecode", "Invalid formatting on input string")
            if errors == "replace":
                points.append(replacement)
            continue
        code = ord(ch)
        points.append(replacement if replace_controls and code < 0x20 else code)
    return points


@register("UnicodeDecode", n_outputs=0, host_only=True)
def unicode_decode_op(xp: Any, x: Any, codec: str, errors: str, replacement_char: int,
                      replace_control_characters: bool) -> Any:
    rows = [_decode_one(b, codec, errors, replacement_char, replace_control_characters) for b in x.reshape(-1)]
    splits = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=splits[1:])
    return splits, np.array([c for r in rows for c in r], dtype=np.int32)


def _decoded_rows(input: Any, input_encoding: str, errors: str, replacement_char: int,  # noqa: A002
                  replace_control_characters: bool) -> tuple[list, tuple]:
    x = tensor(input)
    unicode_decode_op.check_input(0, x)
    unicode_decode_op.check_attr("errors", errors)
    try:
        codec = codecs.lookup(input_encoding).name
    except LookupError:
        raise kernel_error("UnicodeDecode", f"Could not create converter for input encoding: {input_encoding}") \
            from None
    splits, values = unicode_decode_op(x, codec=codec, errors=errors, replacement_char=int(replacement_char),
                                       replace_control_characters=bool(replace_control_characters))
    s, v = splits._numpy(), values._numpy()
    return [v[s[i]:s[i + 1]] for i in range(s.size - 1)], x._value.shape


@on_host
def unicode_decode(input: Any, input_encoding: str, errors: str = "replace",  # noqa: A002
                   replacement_char: int = 65533, replace_control_characters: bool = False,
                   name: str | None = None) -> Any:
    """Each string's code points: an int32 Tensor for a scalar, a RaggedTensor otherwise
    (``tf.strings.unicode_decode``).

    >>> unicode_decode(["hé", "abc"], "UTF-8")
    <tf.RaggedTensor [[104, 233], [97, 98, 99]]>
    """
    if isinstance(input, RaggedTensor):
        return input.with_flat_values(unicode_decode(input.flat_values, input_encoding, errors, replacement_char,
                                                     replace_control_characters))
    rows, shape = _decoded_rows(input, input_encoding, errors, replacement_char, replace_control_characters)
    return nest_rows([r.tolist() for r in rows], shape, np.int32)


def _encode_one(points: Any, codec: str, errors: str, replacement: int) -> bytes:
    chars = []
    for code in points:
        code = int(code)
        if code < 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            if errors == "strict":
                raise kernel_error("UnicodeEncode", "Code point is out of range for Unicode, or is a surrogate.")
            if errors == "ignore":
                continue
            code = replacement
        chars.append(chr(code))
    return "".join(chars).encode(codec)


@register("UnicodeEncode", host_only=True)
def unicode_encode_op(xp: Any, values: Any, splits: Any, codec: str, errors: str, replacement_char: int) -> Any:
    out = np.empty(splits.size - 1, dtype=object)
    for i in range(out.size):
        out[i] = _encode_one(values[splits[i]:splits[i + 1]], codec, errors, replacement_char)
    return out


@on_host
def unicode_encode(input: Any, output_encoding: str, errors: str = "replace",  # noqa: A002
                   replacement_char: int = 65533, name: str | None = None) -> Any:
    """Encodes rows of code points (the last axis, or ragged rows) as strings (``tf.strings.unicode_encode``).

    >>> unicode_encode([[104, 105], [97, 98]], "UTF-8").numpy()
    array([b'hi', b'ab'], dtype=object)
    """
    unicode_encode_op.check_attr("errors", errors)
    unicode_encode_op.check_attr("output_encoding", output_encoding)
    codec = _OUTPUT_ENCODINGS[output_encoding]
    if isinstance(input, RaggedTensor):
        inner = input
        outer: list = []
        while isinstance(inner._values, RaggedTensor):
            outer.append(inner._row_splits)
            inner = inner._values
        encoded = unicode_encode_op(_int32(inner.flat_values), inner.row_splits, codec=codec, errors=errors,
                                    replacement_char=int(replacement_char))
        for splits in reversed(outer):
            encoded = RaggedTensor(encoded, splits, internal=True)
        return encoded
    x = _int32(input)
    shape = x._value.shape
    if not shape:
        raise ValueError("input_tensor's rank must be at least 1.")
    rows = int(np.prod(shape[:-1]))
    splits = _make_typed_host(np.arange(rows + 1, dtype=np.int64) * shape[-1])
    flat = _make_typed_host(x._numpy().reshape(-1))
    encoded = unicode_encode_op(flat, splits, codec=codec, errors=errors, replacement_char=int(replacement_char))
    return _make_typed_host(encoded._numpy().reshape(shape[:-1]))


def _int32(x: Any) -> Tensor:
    t = tensor(x)
    unicode_encode_op.check_input(0, t)
    return t


@on_host
def unicode_split(input: Any, input_encoding: str, errors: str = "replace",  # noqa: A002
                  replacement_char: int = 65533, name: str | None = None) -> Any:
    """Splits each string into its characters, each re-encoded (``tf.strings.unicode_split``).

    >>> unicode_split("hé", "UTF-8").numpy()
    array([b'h', b'\\xc3\\xa9'], dtype=object)
    """
    if isinstance(input, RaggedTensor):
        return input.with_flat_values(unicode_split(input.flat_values, input_encoding, errors, replacement_char))
    rows, shape = _decoded_rows(input, input_encoding, errors, replacement_char, False)
    codec = codecs.lookup(input_encoding).name
    return nest_rows([[_encode_one([c], codec, errors, replacement_char) for c in r] for r in rows], shape)
