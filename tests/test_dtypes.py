"""``tf.dtypes``: every DType's properties, ``as_dtype`` conversions and equality, against real TensorFlow."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest

import featherflow as ff

from .test_differential_core import cases, check

_NAMES = ["float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
          "uint64", "bool", "complex64", "complex128", "string", "resource", "variant", "qint8", "quint8", "qint16",
          "quint16", "qint32", "half", "double"]
_PROPERTIES = ["name", "size", "is_floating", "is_integer", "is_complex", "is_bool", "is_unsigned", "as_numpy_dtype",
               "real_dtype", "base_dtype", "is_quantized", "is_numpy_compatible", "as_datatype_enum", "min", "max",
               "limits", "_is_ref_dtype", "_as_ref"]


@pytest.mark.parametrize("prop", _PROPERTIES)
@pytest.mark.parametrize("name", _NAMES)
def test_dtype_property(tf_oracle: Any, name: str, prop: str) -> None:
    check(tf_oracle, f"tf.{name}.{prop}")


@pytest.mark.parametrize("prop", _PROPERTIES)
@pytest.mark.parametrize("name", ["float32_ref", "int32_ref", "complex64_ref", "string_ref", "bool_ref", "qint8_ref",
                                  "bfloat16_ref", "uint8_ref", "resource_ref", "variant_ref", "half_ref", "float_ref"])
def test_reference_dtype_property(tf_oracle: Any, name: str, prop: str) -> None:
    check(tf_oracle, f"tf.as_dtype({name!r}).{prop}")


AS_DTYPE = cases(*[f"tf.as_dtype({arg})" for arg in (
    "'float'", "'double'", "'half'", "'int'", "'foo'", "'float32_ref'", "'int4'", "'float8_e5m2'", "np.float32",
    "np.dtype('int64')", "np.float32(1)", "np.zeros(3)", "np.int64", "np.intc", "np.longlong", "np.uint", "np.str_",
    "np.bytes_", "np.object_", "np.dtype('U5')", "np.dtype('S5')", "np.dtype([('qint8', np.int8)])", "np.dtypes.StringDType()",
    "float", "int", "bool", "str", "bytes", "complex", "object", "None", "3", "24", "100", "101", "True", "[1]",
    "tf.float32", "tf.constant(1.0)", "tf.qint8.as_numpy_dtype", "tf.bfloat16.as_numpy_dtype")],
    "tf.dtypes.DType(1)", "tf.dtypes.DType(101)", "tf.dtypes.DType(99)", "tf.dtypes.DType('float32')",
    "tf.dtypes.DType(101).base_dtype", "sorted(d.name for d in tf.dtypes.QUANTIZED_DTYPES)",
    "str(tf.float32)", "repr(tf.float32)", "str(tf.as_dtype('float32_ref'))", "int(tf.float32)", "hash(tf.float32)",
    "tf.float32 == 'float32'", "tf.float32 == np.float32", "tf.float32 == np.dtype('float32')", "tf.float32 == 1",
    "tf.float32 == None", "tf.float32 == 'foo'", "tf.float32 == [1]", "tf.float32 != tf.float64",
    "tf.as_dtype('float32_ref') == tf.float32", "tf.float32.is_compatible_with(tf.float32)",
    "tf.float32.is_compatible_with(tf.int32)", "tf.float32.is_compatible_with('float32')",
    "tf.float32.is_compatible_with('foo')", "tf.float32.is_compatible_with(tf.as_dtype('float32_ref'))",
    "tf.as_dtype('float32_ref').is_compatible_with(tf.float32)", "tf.int32.is_subtype_of(tf.int32)",
    "tf.float32.is_subtype_of(tf.float64)", "tf.float32.most_specific_common_supertype([tf.float32])",
    "tf.float32.most_specific_common_supertype([tf.float64])", "tf.float32.__reduce__()[1]",
    "tf.dtypes.float32 is tf.float32", "tf.dtypes.as_dtype('half')", "tf.dtypes.cast(tf.constant(1.5), tf.int32)",
    "tf.dtypes.saturate_cast(tf.constant(300), tf.uint8)", "tf.dtypes.complex(tf.constant(1.), tf.constant(2.))",
    "tf.dtypes.nonexistent",
)


@pytest.mark.parametrize("code", AS_DTYPE)
def test_as_dtype_and_equality(tf_oracle: Any, code: str) -> None:
    check(tf_oracle, code)


def test_dtypes_are_cached_and_immutable() -> None:
    assert ff.as_dtype("float32") is ff.float32 is ff.dtypes.DType(1)
    assert pickle.loads(pickle.dumps(ff.float32)) is ff.float32
    with pytest.raises(AttributeError):
        ff.float32.foo = 1
    assert {ff.float32: 1}[ff.as_dtype(np.float32)] == 1


def test_every_tensor_dtype_round_trips_through_numpy() -> None:
    for name in _NAMES[:15]:
        dtype = getattr(ff, name)
        t = ff.constant(np.zeros(2, dtype=dtype.as_numpy_dtype))
        assert t.dtype is dtype, name


def test_is_numeric_matches_tensorflow(tf_oracle) -> None:
    for name in ("float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "uint16",
                 "uint32", "uint64", "complex64", "complex128", "qint8", "qint16", "qint32", "quint8", "quint16",
                 "bool", "string", "resource", "variant"):
        assert ff.as_dtype(name).is_numeric == tf_oracle.as_dtype(name).is_numeric, name
