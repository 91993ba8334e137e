"""tf.train.Example and its parsing against TensorFlow: the messages' descriptors equal TF's, bytes written by
either parse in the other, and ``parse_example`` / ``parse_single_example`` give TF's printed results and errors."""

from __future__ import annotations

import pytest

import featherflow as ff


def outcome(fn, mod):
    try:
        return "ok", repr(fn(mod))
    except Exception as e:  # noqa: BLE001 - the error's type and text are what is compared
        return type(e).__name__, str(e).removesuffix(" name: ")


def example(tf, **features):
    feats = {}
    for key, values in features.items():
        if isinstance(values[0], float):
            feats[key] = tf.train.Feature(float_list=tf.train.FloatList(value=values))
        elif isinstance(values[0], int):
            feats[key] = tf.train.Feature(int64_list=tf.train.Int64List(value=values))
        else:
            feats[key] = tf.train.Feature(bytes_list=tf.train.BytesList(value=values))
    return tf.train.Example(features=tf.train.Features(feature=feats)).SerializeToString()


def e1(tf):
    return example(tf, a=[1, 2], f=[1.5], s=[b"x", b"yz"], i=[2, 0])


def e2(tf):
    return example(tf, a=[3, 4], f=[2.5, 3.5, 4.5], i=[1])


def both(tf):
    return [e1(tf), e2(tf)]


def parted(tf):
    return [example(tf, v=[1.0, 2.0, 3.0, 4.0, 5.0], l=[2, 0, 3], s=[0, 3, 5], ids=[0, 0, 2, 2, 2], st=[0, 2],
                    lim=[2, 5]),
            example(tf, v=[6.0, 7.0], l=[1, 1], s=[0, 1, 2], ids=[1, 1], st=[0], lim=[2])]


def F(tf, *args, **kwargs):  # noqa: N802 - TF's class names
    return tf.io.FixedLenFeature(*args, **kwargs)


def S(tf, *args, **kwargs):  # noqa: N802
    return tf.io.FixedLenSequenceFeature(*args, **kwargs)


CASES = {
    "single_mixed": lambda tf: tf.io.parse_single_example(e1(tf), {"a": F(tf, [2], tf.int64), "f": F(tf, [], tf.float32),
                                                                  "s": tf.io.VarLenFeature(tf.string)}),
    "batch_varlen_float": lambda tf: tf.io.parse_example(both(tf), {"a": F(tf, [2], tf.int64),
                                                                   "f": tf.io.VarLenFeature(tf.float32)}),
    "batch_varlen_missing_in_one": lambda tf: tf.io.parse_example(both(tf), {"s": tf.io.VarLenFeature(tf.string)}),
    "batch_dense_2d": lambda tf: tf.io.parse_example(both(tf), {"a": F(tf, [1, 2], tf.int64)}),
    "required_missing": lambda tf: tf.io.parse_example(both(tf), {"s": F(tf, [2], tf.string)}),
    "required_missing_named": lambda tf: tf.io.parse_example(both(tf), {"s": F(tf, [2], tf.string)},
                                                             example_names=["n1", "n2"]),
    "string_default": lambda tf: tf.io.parse_example(both(tf), {"s": F(tf, [2], tf.string, default_value=["d", "e"])}),
    "scalar_default": lambda tf: tf.io.parse_example(both(tf), {"q": F(tf, [], tf.float32, default_value=7)}),
    "default_wrong_size": lambda tf: tf.io.parse_single_example(e1(tf), {"a": F(tf, [2], tf.int64,
                                                                                default_value=[1, 2, 3])}),
    "count_mismatch": lambda tf: tf.io.parse_example(both(tf), {"a": F(tf, [3], tf.int64)}),
    "dense_type_mismatch": lambda tf: tf.io.parse_example(both(tf), {"a": F(tf, [2], tf.float32)}),
    "sparse_type_mismatch": lambda tf: tf.io.parse_single_example(e1(tf), {"a": tf.io.VarLenFeature(tf.float32)}),
    "dense_int32": lambda tf: tf.io.parse_single_example(e1(tf), {"a": F(tf, [2], tf.int32)}),
    "varlen_int32": lambda tf: tf.io.parse_single_example(e1(tf), {"a": tf.io.VarLenFeature(tf.int32)}),
    "sequence": lambda tf: tf.io.parse_example(both(tf), {"f": S(tf, [], tf.float32, allow_missing=True)}),
    "sequence_not_allow_missing": lambda tf: tf.io.parse_example(both(tf), {"f": S(tf, [], tf.float32)}),
    "sequence_rows_and_default": lambda tf: tf.io.parse_example(both(tf), {
        "a": S(tf, [2], tf.int64, allow_missing=True), "q": S(tf, [], tf.int64, allow_missing=True, default_value=-1)}),
    "sequence_string_padding": lambda tf: tf.io.parse_example([example(tf, s=[b"a"]), e2(tf)],
                                                              {"s": S(tf, [], tf.string, allow_missing=True)}),
    "sequence_not_divisible": lambda tf: tf.io.parse_single_example(e1(tf), {"a": S(tf, [3], tf.int64,
                                                                                    allow_missing=True)}),
    "ragged": lambda tf: tf.io.parse_example(both(tf), {"f": tf.io.RaggedFeature(tf.float32)}),
    "ragged_int64_splits": lambda tf: tf.io.parse_example(both(tf), {
        "f": tf.io.RaggedFeature(tf.float32, row_splits_dtype=tf.int64), "q": tf.io.RaggedFeature(tf.string)}),
    "ragged_value_key": lambda tf: tf.io.parse_example(both(tf), {"r": tf.io.RaggedFeature(tf.int64, value_key="a")}),
    "ragged_single": lambda tf: tf.io.parse_single_example(e1(tf), {"f": tf.io.RaggedFeature(tf.float32)}),
    "ragged_row_lengths": lambda tf: tf.io.parse_single_example(parted(tf)[0], {
        "r": tf.io.RaggedFeature(tf.float32, value_key="v", partitions=[tf.io.RaggedFeature.RowLengths("l")])}),
    "ragged_row_splits_batch": lambda tf: tf.io.parse_example(parted(tf), {
        "r": tf.io.RaggedFeature(tf.float32, value_key="v", partitions=[tf.io.RaggedFeature.RowSplits("s")])}),
    "ragged_lengths_int64_batch": lambda tf: tf.io.parse_example(parted(tf), {
        "r": tf.io.RaggedFeature(tf.float32, value_key="v", partitions=[tf.io.RaggedFeature.RowLengths("l")],
                                 row_splits_dtype=tf.int64)}),
    "ragged_uniform_then_lengths": lambda tf: tf.io.parse_single_example(parted(tf)[0], {
        "r": tf.io.RaggedFeature(tf.float32, value_key="v", partitions=[tf.io.RaggedFeature.UniformRowLength(1),
                                                                         tf.io.RaggedFeature.RowLengths("l")])}),
    "ragged_value_rowids": lambda tf: tf.io.parse_single_example(parted(tf)[0], {
        "r": tf.io.RaggedFeature(tf.float32, value_key="v", partitions=[tf.io.RaggedFeature.ValueRowIds("ids")])}),
    "ragged_row_starts_limits": lambda tf: tf.io.parse_example(parted(tf), {
        "a": tf.io.RaggedFeature(tf.float32, value_key="v", partitions=[tf.io.RaggedFeature.RowStarts("st")]),
        "b": tf.io.RaggedFeature(tf.float32, value_key="v", partitions=[tf.io.RaggedFeature.RowLimits("lim")])}),
    "sparse_feature": lambda tf: tf.io.parse_example(
        [example(tf, i=[2, 0], a=[5, 6]), example(tf, i=[1], a=[7]), example(tf, q=[1])],
        {"sp": tf.io.SparseFeature("i", "a", tf.int64, 3)}),
    "sparse_feature_single_sorted": lambda tf: tf.io.parse_single_example(
        example(tf, i=[2, 0], f=[5.0, 6.0]), {"sp": tf.io.SparseFeature("i", "f", tf.float32, 3, already_sorted=True)}),
    "sparse_feature_counts_differ": lambda tf: tf.io.parse_example(both(tf), {"sp": tf.io.SparseFeature("i", "a",
                                                                                                        tf.int64, 3)}),
    "garbage": lambda tf: tf.io.parse_example([b"garbage"], {"a": tf.io.VarLenFeature(tf.int64)}),
    "empty_features": lambda tf: tf.io.parse_single_example(e1(tf), {}),
    "single_needs_scalar": lambda tf: tf.io.parse_single_example([e1(tf)], {"a": tf.io.VarLenFeature(tf.int64)}),
    "batch_of_scalar": lambda tf: tf.io.parse_example(e1(tf), {"a": tf.io.VarLenFeature(tf.int64)}),
    "batch_matrix": lambda tf: tf.io.parse_example([[e1(tf)]], {"a": tf.io.VarLenFeature(tf.int64)}),
    "missing_shape": lambda tf: tf.io.parse_single_example(e1(tf), {"a": F(tf, None, tf.int64)}),
    "negative_shape": lambda tf: tf.io.parse_single_example(e1(tf), {"a": F(tf, [-1], tf.int64)}),
    "empty_batch": lambda tf: tf.io.parse_example(tf.constant([], tf.string), {"a": F(tf, [2], tf.int64),
                                                                             "v": tf.io.VarLenFeature(tf.int64)}),
    "empty_list_batch": lambda tf: tf.io.parse_example([], {"a": F(tf, [2], tf.int64)}),
    "feature_reprs": lambda tf: (F(tf, [2], tf.int64), tf.io.VarLenFeature(tf.int64),
                                 S(tf, [], tf.string, allow_missing=True), tf.io.RaggedFeature(tf.float32)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_like_tensorflow(case, tf_oracle):
    fn = CASES[case]
    assert outcome(fn, ff) == outcome(fn, tf_oracle)


def _descriptor(message_class):
    from google.protobuf import descriptor_pb2

    proto = descriptor_pb2.FileDescriptorProto()
    message_class.DESCRIPTOR.file.CopyToProto(proto)
    proto.ClearField("options")
    for message in proto.message_type:
        for field in message.field:
            field.ClearField("options")  # (TF's files also spell out packed=true, proto3's default)
    return proto


def test_message_descriptors_equal_tensorflows(tf_oracle):
    from tensorflow.core.example import example_pb2, feature_pb2
    from tensorflow.core.framework import tensor_pb2

    from featherflow.ops.io import _protos

    assert _descriptor(_protos.TensorProto) == _descriptor(tensor_pb2.TensorProto)
    assert _descriptor(ff.train.Example) == _descriptor(example_pb2.Example)
    assert _descriptor(ff.train.Feature) == _descriptor(feature_pb2.Feature)


def test_example_bytes_parse_in_both(tf_oracle):
    tf = tf_oracle
    for build in (e1, e2):
        ours, theirs = build(ff), build(tf)
        assert tf.train.Example.FromString(ours) == tf.train.Example.FromString(theirs)
        assert ff.train.Example.FromString(theirs) == ff.train.Example.FromString(ours)
    seq = ff.train.SequenceExample(
        context=ff.train.Features(feature={"c": ff.train.Feature(int64_list=ff.train.Int64List(value=[7]))}),
        feature_lists=ff.train.FeatureLists(feature_list={"t": ff.train.FeatureList(feature=[
            ff.train.Feature(float_list=ff.train.FloatList(value=[1.5])) for _ in range(2)])}))
    back = tf.train.SequenceExample.FromString(seq.SerializeToString())
    assert back.context.feature["c"].int64_list.value == [7]
    assert [f.float_list.value[0] for f in back.feature_lists.feature_list["t"].feature] == [1.5, 1.5]


def test_parsing_on_the_simulated_gpu_leaves_results_on_the_host(device):
    with ff.device("/GPU:0" if device == "GPU" else "/CPU:0"):
        out = ff.io.parse_example([e1(ff), e2(ff)], {"a": ff.io.FixedLenFeature([2], ff.int64),
                                                     "f": ff.io.VarLenFeature(ff.float32)})
    assert out["a"].device.endswith("CPU:0")
    assert out["a"].numpy().tolist() == [[1, 2], [3, 4]]
    assert out["f"].values.numpy().tolist() == [1.5, 2.5, 3.5, 4.5]
