"""tf.strings.unicode_decode_with_offsets / unicode_split_with_offsets against TensorFlow: code points, characters
and start offsets for valid and malformed input, every input rank, ragged input, and errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff

CASES = [
    "m.strings.unicode_decode_with_offsets(['hé€', b'a\\xff\\xe2\\x82b', ''], 'UTF-8')",
    "m.strings.unicode_decode_with_offsets(b'a\\xffb', 'UTF-8', errors='ignore')",
    "m.strings.unicode_decode_with_offsets(b'a\\xffb', 'UTF-8', errors='strict')",
    "m.strings.unicode_decode_with_offsets(['a\\x01b'], 'UTF-8', replace_control_characters=True)",
    "m.strings.unicode_decode_with_offsets([[b'\\x00h\\xd8\\x3d\\xde\\x00']], 'UTF-16-BE')",
    "m.strings.unicode_decode_with_offsets(m.ragged.constant([['ab'], ['c', 'dé']]), 'UTF-8')",
    "m.strings.unicode_decode_with_offsets(['a'], 'BOGUS')",
    "m.strings.unicode_split_with_offsets(['hé€', b'a\\xffb'], 'UTF-8')",
    "m.strings.unicode_split_with_offsets('añb', 'UTF-8')",
    "m.strings.unicode_split_with_offsets(m.ragged.constant([['ab'], ['c', 'dé']]), 'UTF-8')",
]


def _shown(r):
    if isinstance(r, tuple):
        return tuple(_shown(x) for x in r)
    if hasattr(r, "to_list"):
        return "ragged", r.to_list()
    return r.dtype.name, r.numpy().tolist()


def _run(m, code):
    try:
        return _shown(eval(code, {"m": m}))
    except Exception as e:  # noqa: BLE001 - the error's type and text are compared
        return type(e).__name__, str(e).removesuffix(" name: ")


@pytest.mark.parametrize("code", CASES)
def test_matches_tensorflow(tf_oracle, code):
    assert _run(ff, code) == _run(tf_oracle, code)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.binary(max_size=12), min_size=1, max_size=4), st.sampled_from(["UTF-8", "UTF-16-BE"]),
       st.sampled_from(["replace", "ignore"]))
def test_random_bytes_match_tf(tf_oracle, values, encoding, errors):
    def run(m):
        return _shown(m.strings.unicode_decode_with_offsets(values, encoding, errors=errors))

    assert run(ff) == run(tf_oracle)
