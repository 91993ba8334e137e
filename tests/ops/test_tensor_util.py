"""tf.make_tensor_proto and tf.make_ndarray against TF: the serialized TensorProto bytes, the arrays back, and
TF's errors."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

CASES = [
    (3, {}), (3.5, {}), ([1.0, 2.0], {}), ([[1, 2], [3, 4]], {}), (np.arange(6, dtype=np.int64), {}),
    (True, {}), ([True, False], {}), ("ab", {}), ([b"a", b"bc"], {}), (1.5, {"shape": [2, 2]}),
    (np.float16(2), {}), (np.array([1, 2], np.float16), {}), (1 + 2j, {}), ([1, 2], {"dtype": "float64"}),
    (np.array([1.5, 2.0]), {"dtype": "float32"}), ([1], {"shape": [3]}), (np.uint8(3), {}),
    (np.array([1, 2], np.uint16), {}), (np.zeros((2, 0), np.float32), {}),
]


@pytest.mark.parametrize("value, kwargs", CASES)
def test_protos_equal_tf(tf_oracle, value, kwargs) -> None:
    want = tf_oracle.make_tensor_proto(value, **kwargs)
    got = ff.make_tensor_proto(value, **kwargs)
    assert got.SerializeToString() == want.SerializeToString()
    ours, theirs = ff.make_ndarray(got), tf_oracle.make_ndarray(want)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


def test_tensors_and_protos_in(tf_oracle) -> None:
    got = ff.make_tensor_proto(ff.constant([[1.5, 2.5]]))
    assert got.SerializeToString() == tf_oracle.make_tensor_proto(tf_oracle.constant([[1.5, 2.5]])).SerializeToString()
    assert ff.make_tensor_proto(got) is got


@pytest.mark.parametrize("kwargs", [{"shape": [2]}, {"shape": [4], "verify_shape": True}])
def test_errors_match_tf(tf_oracle, kwargs) -> None:
    errors = []
    for mod in (tf_oracle, ff):
        with pytest.raises(Exception) as e:
            mod.make_tensor_proto([1, 2, 3], **kwargs)
        errors.append((type(e.value).__name__, str(e.value)))
    assert errors[0] == errors[1]
