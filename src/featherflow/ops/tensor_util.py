"""``tf.make_tensor_proto`` and ``tf.make_ndarray``: values as TF's ``TensorProto`` message (filled as TF's
``tensor_util`` fills it: the raw buffer in ``tensor_content`` for a value of several elements of a numeric
dtype, the typed ``*_val`` field otherwise, one value broadcast for a larger ``shape``), and back.

>>> import featherflow as tf
>>> tf.make_ndarray(tf.make_tensor_proto([1.0, 2.0]))
array([1., 2.], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dtypes import as_dtype as _as_dtype
from ..dtypes import string as _string
from ..tensor import Tensor, convert_to_tensor
from .io.tensor_proto import _VAL_FIELDS, _protos, from_proto

# TF's _TENSOR_CONTENT_TYPES: the dtypes written as a raw buffer when the value fills the shape
_CONTENT = frozenset({"float16", "float32", "float64", "int32", "uint8", "int16", "int8", "int64", "uint32",
                      "uint64"})


def make_tensor_proto(values: Any, dtype: Any = None, shape: Any = None, verify_shape: bool = False,
                      allow_broadcast: bool = False) -> Any:
    """``values`` as a ``TensorProto`` message, of ``dtype`` and ``shape`` where given.

    >>> make_tensor_proto(3).int_val
    [3]
    """
    protos = _protos()
    if isinstance(values, protos.TensorProto):
        return values
    if allow_broadcast and verify_shape:
        raise ValueError("allow_broadcast and verify_shape are not both allowed.")
    want = None if dtype is None else _as_dtype(dtype)
    if isinstance(values, (np.ndarray, np.generic)) and want is not None and want is not _string:
        t = convert_to_tensor(values.astype(want.as_numpy_dtype))
    else:
        t = values if isinstance(values, Tensor) and want in (None, values.dtype) else convert_to_tensor(values, want)
    out_dtype = t.dtype
    array = np.asarray(t.numpy())
    if shape is None:
        shape = array.shape
        same_size = True
        shape_size = array.size
    else:
        shape = tuple(int(d) for d in shape)
        shape_size = int(np.prod(shape, dtype=np.int64))
        same_size = shape_size == array.size
        if allow_broadcast:
            if array.shape == (1,) or array.shape == ():
                pass
            elif array.shape != shape:
                raise TypeError(f"Expected Tensor's shape: {shape}, but got {array.shape}.")
        else:
            if verify_shape and array.shape != shape:
                raise TypeError(f"Expected Tensor's shape: {shape}, but got {array.shape}.")
            if array.size > shape_size:
                raise ValueError(f"Too many elements provided. Takes at most {shape_size:d}, but got "
                                 f"{array.size:d}.")
    proto = protos.TensorProto(dtype=out_dtype.as_datatype_enum)
    proto.tensor_shape.SetInParent()
    for n in shape:
        proto.tensor_shape.dim.add(size=n)
    name = out_dtype.name
    flat = array.reshape(-1)
    if same_size and name in _CONTENT and shape_size > 1:
        if array.nbytes >= 1 << 31:
            raise ValueError("Cannot create a tensor proto whose content is larger than 2GB.")
        proto.tensor_content = np.ascontiguousarray(array.astype(array.dtype.newbyteorder("<"))).tobytes()
        return proto
    if name not in _VAL_FIELDS:
        raise TypeError(f"Element type not supported in TensorProto: {name}")
    field = getattr(proto, _VAL_FIELDS[name])
    if name == "string":
        field.extend([v if isinstance(v, bytes) else str(v).encode() for v in flat.tolist()])
    elif name in ("float16", "bfloat16"):
        field.extend(flat.view(np.uint16).tolist())
    elif name in ("complex64", "complex128"):
        field.extend([x for v in flat.tolist() for x in (v.real, v.imag)])
    else:
        field.extend(flat.tolist())
    return proto


def make_ndarray(tensor: Any) -> np.ndarray:
    """The NumPy array a ``TensorProto`` holds.

    >>> make_ndarray(make_tensor_proto([[1, 2]]))
    array([[1, 2]], dtype=int32)
    """
    return from_proto(tensor, "MakeNdarray")[1]
