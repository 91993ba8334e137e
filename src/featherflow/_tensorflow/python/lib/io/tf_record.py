"""``tensorflow.python.lib.io.tf_record``: TFRecord files (``tf.io``'s writer and options, and the
``tf_record_iterator`` of TF 1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import featherflow as _tf
from featherflow.ops.io.tfrecord import TFRecordOptions as TFRecordOptions
from featherflow.ops.io.tfrecord import TFRecordWriter as TFRecordWriter


def tf_record_iterator(path: str, options: Any = None) -> Iterator[bytes]:
    """The records of a TFRecord file, as bytes (``tf.compat.v1.io.tf_record_iterator``)."""
    compression = options if isinstance(options, str) or options is None else options.compression_type
    for record in _tf.data.TFRecordDataset(path, compression_type=compression or ""):
        yield record.numpy()
