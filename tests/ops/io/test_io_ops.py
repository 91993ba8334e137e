"""tf.io's tensor ops against TensorFlow: each case runs the same code under both and compares the printed result
(dtype, shape, values) or the error's type and message."""

from __future__ import annotations

import gzip
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff


def outcome(fn, mod, *args):
    try:
        return "ok", repr(fn(mod, *args))
    except Exception as e:  # noqa: BLE001 - the error's type and text are what is compared
        # TF appends " name: " only when its C fast path ran the op; featherflow always does
        return type(e).__name__, str(e).removesuffix(" name: ")


def ser(tf, v, dtype=None):
    return tf.io.serialize_tensor(tf.constant(v, dtype=dtype))


CASES = {
    # serialize_tensor / parse_tensor
    "serialize_scalar": lambda tf: ser(tf, 1.5),
    "serialize_int8": lambda tf: ser(tf, [1, -2], tf.int8),
    "serialize_bool": lambda tf: ser(tf, [[True], [False]]),
    "serialize_strings": lambda tf: ser(tf, [["a", ""], ["bc", "é"]]),
    "serialize_string_scalar": lambda tf: ser(tf, "x"),
    "serialize_empty": lambda tf: ser(tf, np.zeros((0, 2), np.float32)),
    "serialize_complex": lambda tf: ser(tf, [1 + 2j, -3j], tf.complex128),
    "serialize_half": lambda tf: ser(tf, [1.5, -2.0], tf.float16),
    "serialize_bfloat16": lambda tf: ser(tf, [1.5, -2.0], tf.bfloat16),
    "serialize_uint64": lambda tf: ser(tf, [2**63 + 5], tf.uint64),
    "serialize_shape": lambda tf: tf.io.serialize_tensor([1.0]).shape,
    "parse_roundtrip": lambda tf: tf.io.parse_tensor(ser(tf, [[1, 2], [3, 4]], tf.int64), tf.int64),
    "parse_strings": lambda tf: tf.io.parse_tensor(ser(tf, ["a", "bc"]), tf.string),
    "parse_bool": lambda tf: tf.io.parse_tensor(ser(tf, [True, False]), "bool"),
    "parse_half": lambda tf: tf.io.parse_tensor(ser(tf, [1.5], tf.float16), tf.float16),
    "parse_complex64": lambda tf: tf.io.parse_tensor(ser(tf, [1 + 2j], tf.complex64), tf.complex64),
    "parse_type_mismatch": lambda tf: tf.io.parse_tensor(ser(tf, [1.0]), tf.int32),
    "parse_type_mismatch_string": lambda tf: tf.io.parse_tensor(ser(tf, ["a"]), tf.float64),
    "parse_garbage": lambda tf: tf.io.parse_tensor(b"garbage\xff", tf.int32),
    "parse_not_scalar": lambda tf: tf.io.parse_tensor([b"x"], tf.int32),
    "parse_int_input": lambda tf: tf.io.parse_tensor(1, tf.int32),
    # typed *_val fields (what tf.make_tensor_proto writes), a short list repeating its last value
    "parse_float_val": lambda tf: tf.io.parse_tensor(b"\x08\x01\x12\x04\x12\x02\x08\x04*\x08\x00\x00\x80?\x00\x00\x00@",
                                                     tf.float32),
    "parse_int_val_too_long": lambda tf: tf.io.parse_tensor(b"\x08\x03\x12\x04\x12\x02\x08\x01:\x02\x01\x02", tf.int32),
    "parse_string_content": lambda tf: tf.io.parse_tensor(b'\x08\x07\x12\x04\x12\x02\x08\x02"\x04\x01\x01bc',
                                                          tf.string),
    "parse_half_val": lambda tf: tf.io.parse_tensor(b"\x08\x13\x12\x04\x12\x02\x08\x02j\x03\x80\xf8\x01", tf.float16),
    # decode_raw
    "raw_int16": lambda tf: tf.io.decode_raw([b"abcd", b"efgh"], tf.int16),
    "raw_big_endian": lambda tf: tf.io.decode_raw([b"abcd", b"efgh"], tf.int16, little_endian=False),
    "raw_complex_big_endian": lambda tf: tf.io.decode_raw(b"\x3f\x80\x00\x00\x40\x00\x00\x00", tf.complex64,
                                                          little_endian=False),
    "raw_float64_matrix": lambda tf: tf.io.decode_raw([[b"\x00" * 7 + b"\x40"], [b"\x00" * 8]], tf.float64),
    "raw_bool": lambda tf: tf.io.decode_raw(b"a\x00b", tf.bool),
    "raw_empty": lambda tf: tf.io.decode_raw(b"", tf.int32),
    "raw_sizes_differ": lambda tf: tf.io.decode_raw([b"abcd", b"ab"], tf.int16),
    "raw_not_multiple": lambda tf: tf.io.decode_raw([b"abc"], tf.int16),
    "raw_string_type": lambda tf: tf.io.decode_raw(b"abcd", tf.string),
    "raw_fixed_length": lambda tf: tf.io.decode_raw([b"abc", b"efghij"], tf.uint8, fixed_length=4),
    "raw_fixed_length_int16": lambda tf: tf.io.decode_raw([b"abc", b"efghij"], tf.int16, fixed_length=4,
                                                          little_endian=False),
    "raw_fixed_length_bad": lambda tf: tf.io.decode_raw([b"abc"], tf.int16, fixed_length=3),
    # base64
    "base64_decode": lambda tf: tf.io.decode_base64([b"aGk_-w", b"aGk_-w==", b""]),
    "base64_standard_alphabet": lambda tf: tf.io.decode_base64(b"aGk/+w"),
    "base64_one_mod_four": lambda tf: tf.io.decode_base64(b"abcde"),
    "base64_encode": lambda tf: tf.io.encode_base64([b"hi?\xfb", b"", b"a"]),
    "base64_encode_pad": lambda tf: tf.io.encode_base64([b"hi?\xfb", b"a"], pad=True),
    # decode_compressed
    "compressed_zlib": lambda tf: tf.io.decode_compressed([zlib.compress(b"hello"), zlib.compress(b"")], "ZLIB"),
    "compressed_gzip": lambda tf: tf.io.decode_compressed(gzip.compress(b"hello"), "GZIP"),
    "compressed_none": lambda tf: tf.io.decode_compressed(b"hello"),
    "compressed_bad_header": lambda tf: tf.io.decode_compressed(b"hello", "ZLIB"),
    "compressed_bad_type": lambda tf: tf.io.decode_compressed(b"hello", "FOO"),
    # decode_csv
    "csv_types": lambda tf: tf.io.decode_csv(["1,2.5,a", "3,,b"], [[0], [1.0], ["x"]]),
    "csv_scalar": lambda tf: tf.io.decode_csv("1,2.5,a", [[0], [1.0], ["x"]]),
    "csv_matrix": lambda tf: tf.io.decode_csv([["1,2"], ["3,4"]], [[0], [0]]),
    "csv_int64_double": lambda tf: tf.io.decode_csv(["1,99999999999"], [tf.constant([0.0], tf.float64),
                                                                          tf.constant([0], tf.int64)]),
    "csv_too_few": lambda tf: tf.io.decode_csv(["1,2.5"], [[0], [1.0], ["x"]]),
    "csv_required": lambda tf: tf.io.decode_csv(["1,,a"], [[0], tf.constant([], tf.float32), ["x"]]),
    "csv_bad_int": lambda tf: tf.io.decode_csv(["x,2.5,a"], [[0], [1.0], ["x"]]),
    "csv_int32_overflow": lambda tf: tf.io.decode_csv(["1,99999999999"], [[0], [0]]),
    "csv_bad_float": lambda tf: tf.io.decode_csv(["1.5x"], [[0.0]]),
    "csv_spaces": lambda tf: tf.io.decode_csv(["1.5, 2"], [[0.0], [0]]),
    "csv_inf": lambda tf: tf.io.decode_csv(["inf,-5"], [[0.0], [0]]),
    "csv_quoted": lambda tf: tf.io.decode_csv(['"a,b",2', '"a""b",3'], [[""], [0]]),
    "csv_no_quote_delim": lambda tf: tf.io.decode_csv(['"a,b",2'], [[""], [0]], use_quote_delim=False),
    "csv_quote_inside": lambda tf: tf.io.decode_csv(['a"b,2'], [[""], [0]]),
    "csv_quote_unescaped": lambda tf: tf.io.decode_csv(['"ab"c,2'], [[""], [0]]),
    "csv_quote_unterminated": lambda tf: tf.io.decode_csv(['"abc'], [[""]]),
    "csv_na_delim": lambda tf: tf.io.decode_csv(["1;NA;3"], [[0], [7], [0]], field_delim=";", na_value="NA"),
    "csv_select_cols": lambda tf: tf.io.decode_csv(["1,2,3,4"], [[0], ["z"]], select_cols=[1, 3]),
    "csv_select_not_increasing": lambda tf: tf.io.decode_csv(["1,2,3,4"], [[0], [0]], select_cols=[3, 1]),
    "csv_select_length": lambda tf: tf.io.decode_csv(["1,2,3,4"], [[0], [0]], select_cols=[1]),
    "csv_select_missing": lambda tf: tf.io.decode_csv(["1,2"], [[0], [0]], select_cols=[1, 5]),
    "csv_long_delim": lambda tf: tf.io.decode_csv(["1,2"], [[0], [0]], field_delim=",,"),
    "csv_bool_default": lambda tf: tf.io.decode_csv(["1.5,2"], [[0.0], [True]]),
    "csv_two_defaults": lambda tf: tf.io.decode_csv(["1,2"], [[0, 1], [0]]),
    "csv_empty_record": lambda tf: tf.io.decode_csv([""], [[0], [0]]),
    "csv_trailing_delim": lambda tf: tf.io.decode_csv(["1,"], [[0], ["d"]]),
    "csv_crlf": lambda tf: tf.io.decode_csv(["1,2\r\n"], [[0], [0]]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_like_tensorflow(case, tf_oracle):
    fn = CASES[case]
    assert outcome(fn, ff) == outcome(fn, tf_oracle)


def test_io_ops_are_host_only():
    from featherflow.ops.registry import OPS

    for name in ("ReadFile", "WriteFile", "MatchingFiles", "SerializeTensor", "ParseTensor", "DecodeRaw",
                 "DecodePaddedRaw", "DecodeBase64", "EncodeBase64", "DecodeCompressed", "DecodeCSV"):
        assert OPS[name].host_only


_ARRAYS = st.sampled_from(["float32", "float64", "int8", "int32", "int64", "uint16", "bool", "complex64",
                           "float16"]).flatmap(
    lambda dt: st.lists(st.integers(-100, 100), max_size=7).map(lambda xs: np.array(xs).astype(dt)))


@settings(max_examples=25)
@given(_ARRAYS, st.sampled_from([(-1,), (1, -1), (-1, 1, 1)]))
def test_serialize_tensor_bytes_equal_tensorflows(tf_oracle, array, shape):
    array = array.reshape(shape)
    ours = ff.io.serialize_tensor(array).numpy()
    assert ours == tf_oracle.io.serialize_tensor(array).numpy()
    back = ff.io.parse_tensor(ours, ff.as_dtype(array.dtype))
    assert back.dtype.name == ff.as_dtype(array.dtype).name and back.shape == array.shape
    np.testing.assert_array_equal(back.numpy(), array)


@settings(max_examples=20)
@given(st.lists(st.binary(max_size=12), min_size=1, max_size=4), st.booleans())
def test_base64_round_trip_like_tensorflow(tf_oracle, values, pad):
    ours = ff.io.encode_base64(values, pad=pad).numpy()
    np.testing.assert_array_equal(ours, tf_oracle.io.encode_base64(values, pad=pad).numpy())
    np.testing.assert_array_equal(ff.io.decode_base64(ours).numpy(), np.array(values, dtype=object))


def test_on_the_simulated_gpu_results_stay_on_the_host(device):
    with ff.device("/GPU:0" if device == "GPU" else "/CPU:0"):
        out = ff.io.decode_raw([b"\x01\x00\x02\x00"], ff.int16)
        back = ff.io.parse_tensor(ff.io.serialize_tensor(ff.constant([1.5, 2.5])), ff.float32)
    assert out.device.endswith("CPU:0") and back.device.endswith("CPU:0")
    np.testing.assert_array_equal(out.numpy(), [[1, 2]])
    np.testing.assert_array_equal(back.numpy(), [1.5, 2.5])


def test_a_proto_that_holds_no_tensor_is_refused_as_by_tensorflow(tf_oracle):
    # a string tensor_content too short for its lengths (TF's text then shows the proto's debug string)
    data = b'\x08\x07\x12\x04\x12\x02\x08\x02"\x02\x01\x05'
    for mod in (ff, tf_oracle):
        with pytest.raises(mod.errors.InvalidArgumentError):
            mod.io.parse_tensor(data, mod.string)


_FIELD = st.one_of(st.integers(-(2**31), 2**31 - 1).map(str), st.text("ab,\" \n", max_size=4),
                   st.floats(allow_nan=False, width=32).map(repr))


@settings(max_examples=30)
@given(st.lists(st.lists(_FIELD, min_size=2, max_size=2).map(",".join), min_size=1, max_size=3), st.booleans())
def test_decode_csv_like_tensorflow_on_random_records(tf_oracle, records, quotes):
    def run(tf):
        return tf.io.decode_csv(records, [["d"], [""]], use_quote_delim=quotes)

    assert outcome(run, ff) == outcome(run, tf_oracle)
