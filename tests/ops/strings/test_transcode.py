"""tf.strings.unicode_transcode against TensorFlow: values (malformed input, control characters, every output
encoding) and errors."""

from __future__ import annotations

import pytest

import featherflow as ff

CASES = [
    "m.strings.unicode_transcode(['hé', b'a\\xffb', 'x\\x01'], 'UTF-8', 'UTF-16-BE')",
    "m.strings.unicode_transcode([b'a\\xffb'], 'UTF-8', 'UTF-8', errors='ignore')",
    "m.strings.unicode_transcode([b'a\\xffb'], 'UTF-8', 'UTF-8', errors='strict')",
    "m.strings.unicode_transcode(['x\\x01y'], 'UTF-8', 'UTF-8', replace_control_characters=True)",
    "m.strings.unicode_transcode([b'\\x00h\\x00i'], 'UTF-16-BE', 'UTF-32-BE')",
    "m.strings.unicode_transcode([[b'a\\xffb', '']], 'UTF-8', 'UTF-8', replacement_char=63)",
    "m.strings.unicode_transcode('€', 'UTF-8', 'UTF-32-BE')",
    "m.strings.unicode_transcode(['a'], 'UTF-8', 'latin1')",
    "m.strings.unicode_transcode(['a'], 'BOGUS', 'UTF-8')",
    "m.strings.unicode_transcode([b'a\\xffb'], 'UTF-8', 'UTF-8', replacement_char=0x110000)",
    "m.strings.unicode_transcode(['a'], 'UTF-8', 'UTF-8', errors='loud')",
    "m.strings.unicode_transcode([1], 'UTF-8', 'UTF-8')",
    "m.strings.unicode_transcode(m.ragged.constant([['a'], ['b', 'c']]), 'UTF-8', 'UTF-16-BE').flat_values",
]


def _run(m, code):
    try:
        r = eval(code, {"m": m})
    except Exception as e:  # noqa: BLE001 - the error's type and text are compared
        return type(e).__name__, str(e).removesuffix(" name: ")
    value = r.numpy()
    return r.dtype.name, tuple(r.shape), value.tolist() if hasattr(value, "tolist") else value


@pytest.mark.parametrize("code", CASES)
def test_matches_tensorflow(tf_oracle, code):
    assert _run(ff, code) == _run(tf_oracle, code)
