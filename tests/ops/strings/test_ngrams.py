"""tf.strings.ngrams against TensorFlow: dense and ragged inputs, widths, padding, short sequences, and errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff


def _run(mod, data, width, kwargs):
    if isinstance(data, str) and data == "ragged":
        data = mod.ragged.constant([["a", "b", "c"], [], ["x"], ["p", "q", "r", "s", "t"]])
    elif isinstance(data, str) and data == "ragged2":
        data = mod.ragged.constant([[["a", "b", "c"], []], [["x"]]])
    try:
        r = mod.strings.ngrams(data, width, **kwargs)
    except Exception as e:  # noqa: BLE001 - the error's type and text are compared
        return type(e).__name__, str(e).removesuffix(" name: ")
    kind = "ragged" if hasattr(r, "to_list") else "dense"
    return kind, r.to_list() if hasattr(r, "to_list") else (r.numpy().tolist(), tuple(r.shape))


@pytest.mark.parametrize("data,width,kwargs", [
    (["A", "B", "C", "D"], 2, {}),
    ([["a", "b", "c"], ["d", "e", "f"]], [1, 3], {"pad_values": "#"}),
    ([["a", "b", "c"], ["d", "e", "f"]], 3, {"pad_values": ("<", ">"), "padding_width": 1}),
    ([["a", "b"]], 4, {"pad_values": ("<", ">"), "padding_width": 1, "preserve_short_sequences": True}),
    ([["a", "b"]], 4, {"pad_values": ("<", ">"), "padding_width": 2, "preserve_short_sequences": True,
                       "separator": "|"}),
    ([["a", "b"]], 4, {}),
    ([["a", "b"]], 4, {"preserve_short_sequences": True}),
    ([[["a", "b", "c"]], [["d", "e", "f"]]], 2, {"separator": ""}),
    ([], 2, {}),
    ("ragged", [2, 3], {"pad_values": "_", "padding_width": 2}),
    ("ragged", [2], {"preserve_short_sequences": True}),
    ("ragged2", 2, {}),
    # errors
    ("a", 2, {}),
    (["a"], 0, {}),
    (["a"], [2, -1], {}),
    (["a"], 2, {"padding_width": 0, "pad_values": "#"}),
    (["a"], 2, {"padding_width": 1}),
    (["a"], 2, {"pad_values": 3}),
    (["a"], 2, {"pad_values": ("a", 3)}),
    ([1, 2], 2, {}),
])
def test_matches_tensorflow(tf_oracle, data, width, kwargs):
    assert _run(ff, data, width, kwargs) == _run(tf_oracle, data, width, kwargs)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.text("abc", max_size=2), max_size=6), min_size=1, max_size=4),
       st.lists(st.integers(1, 4), min_size=1, max_size=3), st.sampled_from([None, "#", ("<", ">")]),
       st.sampled_from([None, 1, 2, 3]), st.booleans(), st.sampled_from([" ", "", "--"]))
def test_random_ragged_inputs_match_tf(tf_oracle, rows, widths, pad, padding_width, preserve, sep):
    if padding_width is not None and pad is None:
        padding_width = None
    kwargs = {"pad_values": pad, "padding_width": padding_width, "preserve_short_sequences": preserve,
              "separator": sep}

    def run(mod):
        return _run(mod, mod.ragged.constant(rows, dtype=mod.string, ragged_rank=1), widths, kwargs)

    assert run(ff) == run(tf_oracle)


def test_string_ngrams_op_validates_splits():
    from featherflow.ops.strings.ngrams import string_ngrams_op

    attrs = {"separator": b" ", "ngram_widths": (2,), "left_pad": b"", "right_pad": b"", "pad_width": 0,
             "preserve_short_sequences": False}
    data = ff.constant(["a", "b", "c"])
    for splits, message in (([1, 3], "First split value must be 0, got 1"),
                            ([0, 5], "Invalid split value 5, must be in [0, 3]"),
                            ([0, 2], "Last split value must be data size. Expected 3, got 2")):
        with pytest.raises(ff.errors.InvalidArgumentError, match=message.replace("[", r"\[")):
            string_ngrams_op(data, ff.constant(splits, ff.int64), **attrs)
