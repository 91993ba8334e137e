"""TFRecord files and the file datasets against TensorFlow: files written by either writer are byte-identical
and read by either reader; the datasets give TF's elements, specs and errors."""

from __future__ import annotations

import os
import re

import pytest

import featherflow as ff

RECORDS = [b"abc", b"", b"x" * 1000, bytes(range(256))]


def write(mod, path, options=None, flush_after=None):
    with mod.io.TFRecordWriter(path, options) as writer:
        for i, record in enumerate(RECORDS):
            writer.write(record)
            if i == flush_after:
                writer.flush()


OPTIONS = {
    "none": lambda tf: None,
    "zlib": lambda tf: "ZLIB",
    "gzip": lambda tf: "GZIP",
    "options_gzip": lambda tf: tf.io.TFRecordOptions(compression_type="GZIP"),
    "zlib_level_9": lambda tf: tf.io.TFRecordOptions("ZLIB", compression_level=9, mem_level=8),
    "zlib_window_12": lambda tf: tf.io.TFRecordOptions("ZLIB", window_bits=12),
}


@pytest.mark.parametrize("kind", sorted(OPTIONS))
def test_writer_bytes_equal_tensorflows_and_read_back_in_both(kind, tf_oracle, tmp_path):
    ours, theirs = str(tmp_path / "ff.tfrecord"), str(tmp_path / "tf.tfrecord")
    write(ff, ours, OPTIONS[kind](ff))
    write(tf_oracle, theirs, OPTIONS[kind](tf_oracle))
    with open(ours, "rb") as a, open(theirs, "rb") as b:
        assert a.read() == b.read()
    compression = ff.io.TFRecordOptions.get_compression_type_string(OPTIONS[kind](ff))
    assert [r.numpy() for r in tf_oracle.data.TFRecordDataset(ours, compression)] == RECORDS
    assert [r.numpy() for r in ff.data.TFRecordDataset(theirs, compression)] == RECORDS


def test_flush_in_a_compressed_file_is_tfs_sync_point(tf_oracle, tmp_path):
    ours, theirs = str(tmp_path / "ff"), str(tmp_path / "tf")
    write(ff, ours, "ZLIB", flush_after=1)
    write(tf_oracle, theirs, "ZLIB", flush_after=1)
    with open(ours, "rb") as a, open(theirs, "rb") as b:
        assert a.read() == b.read()


def outcome(fn, mod, root):
    try:
        result = fn(mod, root)
        if isinstance(result, (mod.data.Dataset,)):
            result = (repr(result), [r.numpy() for r in result])
        result = repr(result)
    except Exception as e:  # noqa: BLE001 - the error's type and text are what is compared
        # (TF numbers its dataset ops in a process-wide count)
        text = re.sub(r"FlatMapDataset:\d+", "FlatMapDataset:N", str(e).removesuffix(" name: "))
        return type(e).__name__, text.replace(root, "ROOT")
    return "ok", result.replace(root, "ROOT")


def setup(root):
    os.makedirs(root)
    import featherflow as tf

    write(tf, os.path.join(root, "r.tfrecord"))
    write(tf, os.path.join(root, "r2.tfrecord"))
    write(tf, os.path.join(root, "z.tfrecord"), "GZIP")
    data = open(os.path.join(root, "r.tfrecord"), "rb").read()
    corrupt = bytearray(data)
    corrupt[13] ^= 1
    header = bytearray(data)
    header[9] ^= 1
    import gzip
    import zlib

    for name, content in (("lines.gz", gzip.compress(b"a\nbb\r\n\nccc")), ("lines.zlib", zlib.compress(b"abcdef")),
                          ("truncated", data[:-3]), ("corrupt", bytes(corrupt)), ("header", bytes(header)),
                          ("short", data[:5]), ("lines.txt", b"a\nbb\r\n\nccc"), ("end.txt", b"a\nb\n")):
        with open(os.path.join(root, name), "wb") as f:
            f.write(content)


def p(root, name):
    return os.path.join(root, name)


CASES = {
    "tfrecord": lambda tf, root: tf.data.TFRecordDataset(p(root, "r.tfrecord")),
    "tfrecord_spec": lambda tf, root: (tf.data.TFRecordDataset(p(root, "r.tfrecord")).element_spec,
                                       tf.data.TFRecordDataset(p(root, "r.tfrecord")).cardinality()),
    "tfrecord_files": lambda tf, root: tf.data.TFRecordDataset([p(root, "r.tfrecord"), p(root, "z.tfrecord")]
                                                               [:1] * 2),
    "tfrecord_interleave": lambda tf, root: [r.numpy()[:3] for r in tf.data.TFRecordDataset(
        [p(root, "r.tfrecord"), p(root, "r2.tfrecord")], num_parallel_reads=2)],
    "tfrecord_gzip": lambda tf, root: tf.data.TFRecordDataset(p(root, "z.tfrecord"), "GZIP"),
    "tfrecord_gzip_unsaid": lambda tf, root: tf.data.TFRecordDataset(p(root, "z.tfrecord")),
    "tfrecord_wrong_compression": lambda tf, root: tf.data.TFRecordDataset(p(root, "r.tfrecord"), "GZIP"),
    "tfrecord_truncated": lambda tf, root: tf.data.TFRecordDataset(p(root, "truncated")),
    "tfrecord_corrupt": lambda tf, root: tf.data.TFRecordDataset(p(root, "corrupt")),
    "tfrecord_header": lambda tf, root: tf.data.TFRecordDataset(p(root, "header")),
    "tfrecord_short": lambda tf, root: tf.data.TFRecordDataset(p(root, "short")),
    "tfrecord_missing": lambda tf, root: tf.data.TFRecordDataset(p(root, "nope")),
    "tfrecord_int_names": lambda tf, root: tf.data.TFRecordDataset([1, 2]),
    "tfrecord_dataset_names": lambda tf, root: tf.data.TFRecordDataset(
        tf.data.Dataset.from_tensor_slices([p(root, "r.tfrecord")])),
    "tfrecord_map": lambda tf, root: [x.numpy() for x in tf.data.TFRecordDataset(p(root, "r.tfrecord")).map(
        tf.strings.length)],
    "text_lines": lambda tf, root: tf.data.TextLineDataset([p(root, "lines.txt"), p(root, "end.txt")]),
    "text_bad_compression": lambda tf, root: tf.data.TextLineDataset(p(root, "lines.txt"), "FOO"),
    "fixed_length": lambda tf, root: tf.data.FixedLengthRecordDataset(p(root, "lines.txt"), 3, header_bytes=1,
                                                                      footer_bytes=0),
    "fixed_length_not_multiple": lambda tf, root: tf.data.FixedLengthRecordDataset(p(root, "lines.txt"), 4),
    "fixed_length_zero": lambda tf, root: tf.data.FixedLengthRecordDataset(p(root, "lines.txt"), 0),
    "writer_closed": lambda tf, root: _closed_writer(tf, root),
    "writer_missing_dir": lambda tf, root: tf.io.TFRecordWriter(p(root, "zz/w.tfrecord")),
    "text_lines_gzip": lambda tf, root: tf.data.TextLineDataset(p(root, "lines.gz"), "GZIP"),
    "fixed_length_zlib": lambda tf, root: tf.data.FixedLengthRecordDataset(p(root, "lines.zlib"), 2,
                                                                           compression_type="ZLIB"),
    "options_bad": lambda tf, root: tf.io.TFRecordOptions("FOO"),
    "options_string": lambda tf, root: (tf.io.TFRecordOptions.get_compression_type_string("GZIP"),
                                        tf.io.TFRecordOptions.get_compression_type_string(None),
                                        tf.io.TFRecordOptions.get_compression_type_string(
                                            tf.io.TFRecordOptions("ZLIB"))),
}


def _closed_writer(tf, root):
    writer = tf.io.TFRecordWriter(p(root, "w.tfrecord"))
    writer.close()
    writer.write(b"a")


@pytest.mark.parametrize("case", sorted(CASES))
def test_like_tensorflow(case, tf_oracle, tmp_path):
    results = []
    for name, mod in (("ff", ff), ("tf", tf_oracle)):
        root = str(tmp_path / name)
        setup(root)
        results.append(outcome(CASES[case], mod, root))
    assert results[0] == results[1]
