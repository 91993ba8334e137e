"""None as a component of a tf.data element (TF's ``NoneTensorSpec``): carried unchanged through
``from_tensors``, ``from_tensor_slices``, ``map``, ``batch``, ``unbatch`` and ``zip``, and refused where a
dataset would have no component at all; compared with real TF (reprs, values, error types and messages). Keras's
array adapter slices ``(x, None)`` for an optional input."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

CASES = {
    "from_tensors_tuple": lambda tf: tf.data.Dataset.from_tensors((np.ones(2), None)),
    "from_tensors_dict": lambda tf: tf.data.Dataset.from_tensors({"a": np.ones(2), "b": None}),
    "slices_tuple": lambda tf: tf.data.Dataset.from_tensor_slices((np.arange(3), None)),
    "slices_dict": lambda tf: tf.data.Dataset.from_tensor_slices({"a": np.arange(2.0), "b": None}),
    "map_returns_none": lambda tf: tf.data.Dataset.range(3).map(lambda a: (a, None)),
    "map_takes_none": lambda tf: tf.data.Dataset.from_tensor_slices((np.arange(3), None)).map(lambda a, b: (a * 2, b)),
    "batch": lambda tf: tf.data.Dataset.from_tensor_slices((np.arange(5), None)).batch(2),
    "batch_drop_remainder": lambda tf: tf.data.Dataset.from_tensor_slices((np.arange(5), None)).batch(2, True),
    "unbatch": lambda tf: tf.data.Dataset.from_tensors(([1, 2], None)).unbatch(),
    "unbatch_scalar": lambda tf: tf.data.Dataset.from_tensors((1, None)).unbatch(),
    "unbatch_mismatched": lambda tf: tf.data.Dataset.from_tensors((np.ones((4, 3)), np.ones(3))).unbatch(),
    "unbatch_unknown_batch": lambda tf: tf.data.Dataset.from_tensor_slices(np.ones((4, 3))).batch(2).unbatch(),
    "zip": lambda tf: tf.data.Dataset.zip((tf.data.Dataset.range(2),
                                           tf.data.Dataset.from_tensor_slices((np.arange(2), None)))),
    "slices_of_none_only": lambda tf: tf.data.Dataset.from_tensor_slices((None, None)),
    "slices_of_empty_tuple": lambda tf: tf.data.Dataset.from_tensor_slices(()),
    "from_tensors_of_none_only": lambda tf: tf.data.Dataset.from_tensors({"a": None}),
}


def _described(tf, name: str):
    try:
        ds = CASES[name](tf)
        elements = [tf.nest.map_structure(lambda v: None if v is None else (v.dtype.name, v.numpy().tolist()), e,
                                          ) for e in ds]
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        if type(e).__name__ == "InvalidArgumentError":  # TF names the attr one way on its first call, another later
            return ("error", type(e).__name__)
        return ("error", type(e).__name__, str(e))
    return repr(ds), int(ds.cardinality()), elements


@pytest.mark.parametrize("name", CASES)
def test_none_component_as_tensorflow(tf_oracle, name: str) -> None:
    assert _described(ff, name) == _described(tf_oracle, name)


def test_none_tensor_spec() -> None:
    spec = ff.data.Dataset.from_tensors((1, None)).element_spec[1]
    assert repr(spec) == "NoneTensorSpec()" and spec == type(spec)() and hash(spec) == hash(type(spec)())
    assert spec.is_compatible_with(None) and spec.value_type is type(None)
