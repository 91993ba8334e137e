"""``tf.strings.unicode_transcode``: each string decoded from one encoding and re-encoded in another, with TF's
handling of malformed input (``errors``, ``replacement_char``) and control characters.

>>> import featherflow as tf
>>> tf.strings.unicode_transcode(["hé"], "UTF-8", "UTF-16-BE").numpy()
array([b'\\x00h\\x00\\xe9'], dtype=object)
"""

from __future__ import annotations

import codecs
from typing import Any

from ... import dtypes as _dtypes
from ...errors import InvalidArgumentError
from ...tensor import Tensor, kernel_error
from .. import dispatch as _dispatch
from ..convert import tensor
from ..registry import register
from .core import map_strings, on_host
from .unicode import _OUTPUT_ENCODINGS, _decode_one


@register("UnicodeTranscode", host_only=True)  # TF registers no gradient
def unicode_transcode_op(xp: Any, x: Any, codec: str, output_codec: str, errors: str, replacement_char: int,
                         replace_control_characters: bool) -> Any:
    def one(data: bytes) -> bytes:
        points = _decode_one(data, codec, errors, replacement_char, replace_control_characters)
        return "".join(map(chr, points)).encode(output_codec)

    try:
        return map_strings(one, x)
    except InvalidArgumentError:  # the decoder's strict-mode error, raised under this op's name
        raise kernel_error("UnicodeTranscode", "Invalid formatting on input string") from None


@on_host
@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def unicode_transcode(input: Any, input_encoding: str, output_encoding: str, errors: str = "replace",  # noqa: A002
                      replacement_char: int = 65533, replace_control_characters: bool = False,
                      name: str | None = None) -> Tensor:
    """Transcodes each string from ``input_encoding`` to ``output_encoding`` (``tf.strings.unicode_transcode``)."""
    op = unicode_transcode_op
    x = tensor(input, _dtypes.string) if not isinstance(input, Tensor) else input
    op.check_input(0, x)
    op.check_attr("errors", errors)
    op.check_attr("output_encoding", output_encoding)
    try:
        codec = codecs.lookup(input_encoding).name
    except LookupError:
        raise kernel_error(op.name, f"Could not create converter for input encoding: {input_encoding}") from None
    if not 0 <= int(replacement_char) <= 0x10FFFF or 0xD800 <= int(replacement_char) <= 0xDFFF:
        raise kernel_error(op.name, "replacement_char out of unicode codepoint range")
    return op(x, codec=codec, output_codec=_OUTPUT_ENCODINGS[output_encoding], errors=errors,
              replacement_char=int(replacement_char), replace_control_characters=bool(replace_control_characters))
