"""Runs one case under featherflow and real TensorFlow and compares what comes out: ragged tensors (rows, dtype,
static shape, ragged rank, row-splits dtype), tensors (values, dtype), Python values, and errors (type and
message)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np


def outcome(fn: Callable, module: Any) -> Any:
    try:
        return ("ok", fn(module))
    except Exception as e:  # noqa: BLE001 - the error is what the case compares
        # (trailing whitespace aside: TF's conversion errors of a RaggedTensor end with a newline, featherflow's
        # shared conversion message does not)
        return ("error", type(e).__name__, str(e).rstrip())


def describe(value: Any) -> Any:
    kind = type(value).__name__
    if kind == "RaggedTensor":
        return ("ragged", value.to_list(), value.dtype.name, value.shape.as_list(), value.ragged_rank,
                value.row_splits.dtype.name)
    if kind == "SparseTensor":
        return ("sparse", describe(value.indices), describe(value.values), describe(value.dense_shape))
    if hasattr(value, "numpy") and hasattr(value, "dtype"):
        array = np.asarray(value.numpy())
        return ("tensor", array.tolist(), value.dtype.name, array.shape)
    if isinstance(value, (list, tuple)):
        return [describe(v) for v in value]
    return value


def same(ours: Any, theirs: Any) -> None:
    """Asserts the two outcomes match; floats compared with a tolerance."""
    if ours[0] == "error" or theirs[0] == "error":
        assert ours == theirs
        return
    a, b = describe(ours[1]), describe(theirs[1])
    _close(a, b)


def _close(a: Any, b: Any) -> None:
    if isinstance(a, float) and isinstance(b, float):
        assert (np.isnan(a) and np.isnan(b)) or np.isclose(a, b, rtol=1e-6, atol=1e-7), (a, b)
    elif isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        assert len(a) == len(b), (a, b)
        for x, y in zip(a, b):
            _close(x, y)
    else:
        assert a == b, (a, b)


def check(fn: Callable, ff: Any, tf: Any) -> None:
    same(outcome(fn, ff), outcome(fn, tf))
