"""``tf.nn.relu6`` keeps its input's dtype for every dtype TF's kernel takes (bfloat16 included: NumPy's ``clip``
of bfloat16 answers float32), so Keras's ``hard_sigmoid`` (``relu6(x + 3) / 6`` in x's dtype) runs in bfloat16.
Compared with real TensorFlow."""

from __future__ import annotations

import pytest

import featherflow as ff

_DTYPES = ["bfloat16", "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16"]


@pytest.mark.parametrize("dtype", _DTYPES)
def test_relu6_keeps_the_dtype(tf_oracle, dtype: str) -> None:
    values = [0, 3, 6, 8] if dtype.startswith("u") else [-1, 0, 3, 6, 8]
    ours = ff.nn.relu6(ff.constant(values, dtype))
    theirs = tf_oracle.nn.relu6(tf_oracle.constant(values, dtype))
    assert ours.dtype.name == theirs.dtype.name == dtype
    assert ours.numpy().tolist() == theirs.numpy().tolist()


def test_relu6_keeps_nan(tf_oracle) -> None:
    for dtype in ("bfloat16", "float32"):
        ours = ff.nn.relu6(ff.constant([float("nan"), 7.0], dtype)).numpy().astype("float32")
        theirs = tf_oracle.nn.relu6(tf_oracle.constant([float("nan"), 7.0], dtype)).numpy().astype("float32")
        assert str(ours.tolist()) == str(theirs.tolist())


def test_hard_sigmoid_in_bfloat16(tf_oracle) -> None:
    results = []
    for tf in (ff, tf_oracle):
        x = tf.constant([-4.0, 0.0, 1.0, 4.0], tf.bfloat16)
        y = tf.nn.relu6(x + tf.constant(3.0, x.dtype)) / tf.constant(6.0, x.dtype)
        results.append((y.dtype.name, y.numpy().astype("float32").tolist()))
    assert results[0] == results[1]
