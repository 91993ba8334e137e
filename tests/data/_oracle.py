"""Runs one pipeline under featherflow and under real TensorFlow and describes both the same way: repr,
cardinality, element values and dtypes (datasets inside elements, as windows make, by their values), or the
error raised (type and first line of the message) at construction or at iteration."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np


def _first_line(message: str) -> str:
    return message.split("\n", 1)[0]


def _value(mod: Any, value: Any) -> Any:
    if hasattr(value, "element_spec"):  # a dataset inside an element (window)
        return ("dataset", repr(value), [_element(mod, x) for x in value])
    if hasattr(value, "to_list") and hasattr(value, "row_splits"):  # a RaggedTensor
        return ("ragged", value.dtype.name, value.to_list())
    if hasattr(value, "indices") and hasattr(value, "dense_shape"):  # a SparseTensor
        return ("sparse", value.indices.numpy().tolist(), value.values.numpy().tolist(),
                value.dense_shape.numpy().tolist())
    return (value.dtype.name, np.asarray(value).tolist())


def _element(mod: Any, element: Any) -> Any:
    return mod.nest.map_structure(lambda v: _value(mod, v), element)


def describe(mod: Any, build: Callable[[Any], Any], limit: int = 40) -> Any:
    try:
        out = build(mod)
    except Exception as error:  # noqa: BLE001 (the error is what is compared)
        return ("error", type(error).__name__, _first_line(str(error)))
    if not hasattr(out, "cardinality"):
        return ("value", _element(mod, out))
    described: list = [repr(out), int(out.cardinality())]
    try:
        described.append([_element(mod, x) for x in out.take(limit)])
    except Exception as error:  # noqa: BLE001
        described.append(("error", type(error).__name__, _first_line(str(error))))
    return described


def assert_same(ff: Any, tf: Any, build: Callable[[Any], Any], limit: int = 40) -> None:
    ours, theirs = describe(ff, build, limit), describe(tf, build, limit)
    assert ours == theirs, f"\nfeatherflow: {ours}\ntensorflow:  {theirs}"
