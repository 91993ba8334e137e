"""Python-value conversion (python_values.py): the scalar fast path against the general path and TensorFlow,
operators with Python scalars against TensorFlow, and Variable.assign converting without making a Tensor."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import featherflow as ff
from featherflow import dtypes
from featherflow import python_values as pv

from .test_differential_core import cases, check

_INTS = [0, 1, -1, 7, 2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 65504, 65520, 2**53, 2**53 + 1, -(2**53) - 1,
         2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64]
_FLOATS = [0.0, -0.0, 1.5, -2.25, 0.1, 1e-45, 1e-39, 6e-8, 65504.0, 65519.9, 65520.0, 7e4, 3.4e38, 3.4028235e38,
           3.4028236e38, 3.5e38, 1e308, float("inf"), -float("inf"), float("nan")]
_VALUES = _INTS + _FLOATS + [True, False]
_DTYPES = ["float16", "bfloat16", "float32", "float64", "int8", "uint8", "int32", "int64", "uint64", "bool",
           "complex64", "complex128"]


def _general(value: Any, dtype: Any) -> Any:
    try:
        return pv.python_array(value, dtype)
    except (TypeError, ValueError, OverflowError) as e:
        return e


@pytest.mark.parametrize("dtype_name", _DTYPES)
def test_scalar_fast_path_gives_what_the_general_path_gives(dtype_name: str) -> None:
    dtype = dtypes.as_dtype(dtype_name)
    taken = 0
    for value in _VALUES:
        fast = pv.scalar_array(value, dtype)
        if fast is None:
            continue  # the general path decides (errors, wrapping, rounding twice)
        taken += 1
        general = _general(value, dtype)
        assert isinstance(general, np.ndarray), (value, dtype_name, general)
        assert fast.dtype == general.dtype and fast.shape == () and fast.tobytes() == general.tobytes(), (
            value, dtype_name, fast, general)
    if dtype_name in ("float32", "float64", "int32", "int64", "bool"):
        assert taken, "the hot dtypes take the fast path"


@pytest.mark.parametrize("dtype_name", ["float16", "float32", "float64", "int32", "int64", "bool"])
def test_scalar_fast_path_matches_tensorflow(tf_oracle: Any, dtype_name: str) -> None:
    dtype = dtypes.as_dtype(dtype_name)
    for value in _VALUES:
        fast = pv.scalar_array(value, dtype)
        if fast is None:
            continue
        theirs = np.asarray(tf_oracle.constant(value, dtype=dtype_name).numpy())
        if value == 0:  # TF's cache of small scalar constants keys them by value: -0.0 may come back as 0.0
            assert theirs == fast and theirs.dtype == fast.dtype, (value, dtype_name, theirs, fast)
            continue
        assert theirs.tobytes() == fast.tobytes(), (value, dtype_name, theirs, fast)


def test_scalar_fast_path_leaves_inexact_conversions_to_the_general_path() -> None:
    assert pv.scalar_array(1.5, dtypes.int32) is None  # TF: TypeError
    assert pv.scalar_array(2**31, dtypes.int32) is None  # TF: converted to int64, then an error or a cast
    assert pv.scalar_array(3.5e38, dtypes.float32) is None  # TF: out of range for a float
    assert pv.scalar_array(2**53 + 1, dtypes.float32) is None  # rounded through a double in TF
    assert pv.scalar_array(True, dtypes.float32) is None
    assert pv.scalar_array(float("nan"), dtypes.float32) is None
    assert pv.scalar_array(1, dtypes.bfloat16) is None


@pytest.mark.parametrize("code", cases(
    "tf.constant([1.0, 2.0]) + 1.0",
    "tf.constant([1.0, 2.0]) + 1",
    "tf.constant([1.0, 2.0], tf.float64) * 0.1",
    "tf.constant([1.0, 2.0], tf.float16) - 65504.0",
    "tf.constant([1.0, 2.0], tf.float16) + 1e5",
    "tf.constant([1.0, 2.0]) + 1e39",
    "tf.constant([1.0, 2.0]) * float('nan')",
    "tf.constant([1.0, 2.0]) / float('inf')",
    "tf.constant([1.0, 2.0]) + 2**53 + 1",
    "tf.constant([1.0, 2.0]) + 2**70",
    "tf.constant([1.0, 2.0]) + True",
    "tf.constant([1, 2]) + 1",
    "tf.constant([1, 2]) + 1.5",
    "tf.constant([1, 2]) * 1.0",
    "tf.constant([1, 2]) - 2**31",
    "tf.constant([1, 2]) - 2**63",
    "tf.constant([1, 2], tf.int64) + 2**40",
    "tf.constant([1, 2], tf.int64) + 2**63",
    "tf.constant([1, 2], tf.uint8) + 1",
    "tf.constant([1, 2], tf.uint8) + 300",
    "tf.constant([1, 2]) / 2",
    "tf.constant([1, 2]) // 2",
    "tf.constant([1, 2]) % 2.5",
    "tf.constant([1, 2]) ** 2",
    "tf.constant([True, False]) * True",
    "tf.constant([True, False]) & False",
    "tf.constant([True, False]) + True",
    "tf.constant([1.0, 2.0]) < 1.5",
    "tf.constant([1.0, 2.0]) @ 2.0",
    "tf.constant([1.0, 2.0], tf.bfloat16) + 1.0",
    "tf.Variable([1.0, 2.0]) + 1.0",
    "tf.Variable([1, 2]) * 1.5",
))
def test_operators_with_python_scalars(tf_oracle: Any, code: str) -> None:
    check(tf_oracle, code)


@pytest.mark.parametrize("code", cases(
    "v = tf.Variable(1.0)\nv.assign(2)\nv",
    "v = tf.Variable(1.0)\nv.assign(1e39)\nv",
    "v = tf.Variable(1)\nv.assign(1.5)\nv",
    "v = tf.Variable(1)\nv.assign(2**31)\nv",
    "v = tf.Variable(1)\nv.assign_add(2)\nv",
    "v = tf.Variable(True)\nv.assign(1)\nv",
    "v = tf.Variable(1.0, dtype=tf.float64)\nv.assign_sub(0.1)\nv",
))
def test_variable_assign_of_python_scalars(tf_oracle: Any, code: str) -> None:
    check(tf_oracle, code)


def test_variable_assign_converts_python_values_without_a_tensor(monkeypatch: Any) -> None:
    """A value's way through Variable.assign: python_values makes the array, no Tensor is built."""
    import featherflow.variable as variable_module

    v = ff.Variable([1.0, 2.0])
    s = ff.Variable(1.0)

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("convert_to_tensor called")

    monkeypatch.setattr(variable_module, "convert_to_tensor", fail)
    v.assign([3.0, 4.0])
    v.assign_add(np.array([1.0, 1.0], np.float32))
    s.assign(2.5)
    s.assign_add(1)
    assert v.numpy().tolist() == [4.0, 5.0] and s.numpy() == 3.5


def test_python_values_does_not_import_the_tensor_module() -> None:
    """Conversion lives in one module, below tensor.py: tensor calls it, never the other way."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(pv))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(name and ("tensor" in name or "variable" in name or "ops" in name) for name in imported), imported


@pytest.mark.parametrize("code", cases(
    "1.0 + tf.constant([1.0, 2.0])",
    "2 * tf.constant([1.0, 2.0], tf.float64)",
    "1.5 - tf.constant([1, 2])",
    "2**31 * tf.constant([1, 2])",
    "1e39 / tf.constant([1.0, 2.0])",
    "True * tf.constant([True, False])",
    "3 ** tf.constant([1, 2])",
    "2.0 * tf.Variable([1.0, 2.0])",
))
def test_reflected_operators_with_python_scalars(tf_oracle: Any, code: str) -> None:
    check(tf_oracle, code)
