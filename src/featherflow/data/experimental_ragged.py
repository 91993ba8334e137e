"""``tf.data.experimental.dense_to_ragged_batch``: the transformation form of ``Dataset.ragged_batch``."""

from __future__ import annotations

from typing import Any, Callable

from ..dtypes import int64 as _int64

_warned = False


def dense_to_ragged_batch(batch_size: int, drop_remainder: bool = False,
                          row_splits_dtype: Any = _int64) -> Callable:
    """A function for ``Dataset.apply`` that batches as ``Dataset.ragged_batch`` does."""
    global _warned
    if not _warned:  # TF's deprecation notice: once per process, naming the caller's line
        import sys

        from ..autodiff._log import get_logger

        _warned = True
        caller = sys._getframe(1)
        get_logger().warning("From %s:%d: dense_to_ragged_batch (from tensorflow.python.data.experimental.ops."
                             "batching) is deprecated and will be removed in a future version.\nInstructions for "
                             "updating:\nUse `tf.data.Dataset.ragged_batch` instead.", caller.f_code.co_filename,
                             caller.f_lineno)

    def apply(dataset: Any) -> Any:
        return dataset.ragged_batch(batch_size, drop_remainder, row_splits_dtype)

    return apply
