"""SparseTensor arguments to ``tf.math`` and array functions, registered through ``ops.dispatch`` as TF
registers them: the unary elementwise ops that keep zeros zero (``abs``, ``sqrt``, ...) map the values;
``cast`` and ``identity`` too; ``shape``, ``size`` and ``rank`` read the dense shape.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ... import dtypes as _dtypes
from .. import dispatch as _dispatch
from ..array import core as _core
from ..array import create as _create
from ..array.core import host_tensor
from ..math import api as _math
from ..math import bessel as _bessel
from .tensor import SparseTensor

# TF dispatches these (and no other unary elementwise op) for a SparseTensor: f(0) == 0 for each
_ZERO_PRESERVING = ("abs", "negative", "sign", "square", "sqrt", "sin", "tanh", "erf", "asin", "atan", "tan",
                    "asinh", "atanh")


def _values_override(api: Callable) -> None:
    @_dispatch.dispatch_for_api(api, {_PARAM[api]: SparseTensor})
    def override(*args: Any, **kwargs: Any) -> SparseTensor:
        x, rest = (args[0], args[1:]) if args else (kwargs.pop(_PARAM[api]), ())
        return SparseTensor(x.indices, api(x.values, *rest, **kwargs), x.dense_shape)


_PARAM: dict = {}
for _name in _ZERO_PRESERVING:
    _PARAM[getattr(_math, _name)] = "x"
_PARAM[_bessel.bessel_i1e] = "x"
_PARAM[_create.cast] = "x"
_PARAM[_core.identity] = "input"
for _api in list(_PARAM):
    _values_override(_api)


@_dispatch.dispatch_for_api(_core.shape, {"input": SparseTensor})
def _shape(input: SparseTensor, out_type: Any = None, name: str | None = None) -> Any:  # noqa: A002
    dtype = _dtypes.int32 if out_type is None else _dtypes.as_dtype(out_type)
    return host_tensor(np.array(input._shape, dtype=dtype.as_numpy_dtype))


@_dispatch.dispatch_for_api(_core.size, {"input": SparseTensor})
def _size(input: SparseTensor, out_type: Any = None, name: str | None = None) -> Any:  # noqa: A002
    dtype = _dtypes.int32 if out_type is None else _dtypes.as_dtype(out_type)
    return host_tensor(np.array(int(np.prod(input._shape, dtype=np.int64)), dtype=dtype.as_numpy_dtype))


@_dispatch.dispatch_for_api(_core.rank, {"input": SparseTensor})
def _rank(input: SparseTensor, name: str | None = None) -> Any:  # noqa: A002
    return host_tensor(np.array(len(input._shape), dtype=np.int32))
