"""Python operators on Tensors and Variables, installed by one factory (``x + y``, ``x[1:]``, ``x @ y``...).

The forward operators convert the right operand with the left one's dtype as a hint; the reflected ones
(``1 + x``) and ``==``/``!=`` convert it strictly, as TF does.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import dtypes as _dtypes
from ..errors import InvalidArgumentError
from ..python_values import scalar_array
from ..tensor import Tensor, _make_typed_host
from ..variable import Variable
from .array import core as array_ops
from .array import slicing
from .convert import shape_text, strict, tensor
from .linalg.core import matmul
from .math import api as math_api
from .math import elementwise as m
from .registry import call_binary


def _read(x: Any) -> Tensor:
    return x if type(x) is Tensor else tensor(x)


def _mul(x: Any, y: Any) -> Tensor:
    t = _read(x)
    if t._dtype is _dtypes.bool:
        return math_api.logical_and(t, y)
    return math_api.multiply(t, y)


def _and(x: Any, y: Any) -> Tensor:
    t = _read(x)
    return math_api.logical_and(t, y) if t._dtype is _dtypes.bool else math_api.bitwise_and(t, y)


def _or(x: Any, y: Any) -> Tensor:
    t = _read(x)
    return math_api.logical_or(t, y) if t._dtype is _dtypes.bool else math_api.bitwise_or(t, y)


def _xor(x: Any, y: Any) -> Tensor:
    t = _read(x)
    return math_api.logical_xor(t, y) if t._dtype is _dtypes.bool else math_api.bitwise_xor(t, y)


def _invert(x: Any) -> Tensor:
    t = _read(x)
    return math_api.logical_not(t) if t._dtype is _dtypes.bool else math_api.invert(t)


def _equality(op: Any, if_none: bool) -> Callable[[Any, Any], Any]:
    def compare(x: Any, y: Any) -> Any:
        if y is None:
            if isinstance(x, Variable):  # a Variable converts None (and fails); a Tensor compares it
                raise ValueError("Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) "
                                 "to a Tensor.")
            return if_none
        t = _read(x)
        other = strict(y, t._dtype) if type(y) is not Tensor else y
        if other._dtype is not t._dtype:
            raise InvalidArgumentError(None, None, f"cannot compute {op.name} as input #1(zero-based) was expected to "
                                       f"be a {t._dtype.name} tensor but is a {other._dtype.name} tensor")
        try:
            np.broadcast_shapes(t._value.shape, other._value.shape)
        except ValueError:
            return tensor(if_none)  # TF: incompatible shapes compare unequal, as a scalar
        return op(t, other)

    return compare


def _forward(fn: Callable, general: Callable | None = None) -> Callable:
    """``x <op> y``: ``general(x, y)`` (default ``fn``), with the hot cases taken here, one call deep.

    ``fn``, when made by ``math_api._binary_fn``, runs its op directly for two Tensors of one dtype (the
    dispatcher checks it); ``general`` (``_mul`` and the bit operators, which are logical ops on bools) takes
    bools. A Python scalar that converts exactly to x's dtype becomes a 0-d array at once: every wrapper's
    conversion rule gives that same Tensor.
    """
    op = getattr(fn, "op", None)
    op_name = op.name if op is not None else ""
    not_fast = _dtypes.bool if general is not None else None  # the dtype ``general`` sends elsewhere
    general = general or fn

    def method(self: Any, other: Any) -> Any:
        t = self if type(self) is Tensor else self.__tf_tensor__()
        kind = type(other)
        if kind is float or kind is int or kind is bool:  # ``x + 1.0``
            array = scalar_array(other, t._dtype)
            if array is None:  # not exact in x's dtype: the wrapper applies TF's rules (and errors)
                return general(t, other)
            other = _make_typed_host(array)
        elif kind is not Tensor:
            return general(t, other)
        dtype = t._dtype
        if other._dtype is dtype and dtype is not not_fast and op is not None:
            try:
                return call_binary(op, t, other)
            except ValueError:
                math_api.raise_if_unbroadcastable(op_name, t, other)
                raise
        return general(t, other)

    return method


def _reflected(fn: Callable) -> Callable:
    def method(self: Any, other: Any) -> Any:
        t = self if type(self) is Tensor else self.__tf_tensor__()
        kind = type(other)
        if kind is float or kind is int or kind is bool:  # ``2.0 * x``: as ``strict`` converts it, when exact
            array = scalar_array(other, t._dtype)
            if array is not None:
                return fn(_make_typed_host(array), t)
        return fn(strict(other, t._dtype), t)

    return method


def _unary(fn: Callable) -> Callable:
    def method(self: Any) -> Any:
        return fn(_read(self))

    return method


def _getitem(self: Any, key: Any) -> Tensor:
    return slicing.getitem(_read(self), key)


def _iter(self: Any) -> Any:
    x = _read(self)
    if x._value.ndim == 0:
        raise TypeError("Cannot iterate over a scalar tensor.")
    return iter(array_ops.unstack(x)) if x._value.shape[0] else iter(())


_OPERATORS: dict[str, Callable] = {
    "__add__": _forward(math_api.add),
    "__radd__": _reflected(math_api.add),
    "__sub__": _forward(math_api.subtract),
    "__rsub__": _reflected(math_api.subtract),
    "__mul__": _forward(math_api.multiply, _mul),
    "__rmul__": _reflected(_mul),
    "__truediv__": _forward(math_api.truediv),
    "__rtruediv__": _reflected(math_api.truediv),
    "__floordiv__": _forward(math_api.floordiv),
    "__rfloordiv__": _reflected(math_api.floordiv),
    "__mod__": _forward(math_api.floormod),
    "__rmod__": _reflected(math_api.floormod),
    "__pow__": _forward(math_api.pow),  # (Pow's CPU kernel refuses negative integer exponents; a GPU's does not)
    "__rpow__": _reflected(math_api.pow),
    "__matmul__": _forward(matmul),
    "__rmatmul__": _reflected(matmul),
    "__and__": _forward(math_api.bitwise_and, _and),
    "__rand__": _reflected(_and),
    "__or__": _forward(math_api.bitwise_or, _or),
    "__ror__": _reflected(_or),
    "__xor__": _forward(math_api.bitwise_xor, _xor),
    "__rxor__": _reflected(_xor),
    "__lt__": _forward(math_api.less),
    "__le__": _forward(math_api.less_equal),
    "__gt__": _forward(math_api.greater),
    "__ge__": _forward(math_api.greater_equal),
    "__eq__": _equality(m.equal_op, False),
    "__ne__": _equality(m.not_equal_op, True),
    "__neg__": _unary(math_api.negative),
    "__abs__": _unary(math_api.abs),
    "__invert__": _unary(_invert),
    "__getitem__": _getitem,
}


def install() -> None:
    """Puts the operators on Tensor and Variable (Variable reads itself first)."""
    for cls in (Tensor, Variable):
        for name, fn in _OPERATORS.items():
            setattr(cls, name, fn)
    Tensor.__iter__ = _iter  # type: ignore[method-assign]
    Variable.__getitem__ = _variable_getitem  # type: ignore[method-assign]


def strided_slice(var: Variable, key: tuple, target: tuple) -> Callable[..., Any]:
    """The ``assign`` of ``v[1:3]`` (TF attaches it to the sliced tensor): writes into that slice of ``v``.

    A closure named as TF's (``strided_slice.<locals>.assign``), so even its argument errors read the same.
    """

    def assign(val: Any, name: Any = None) -> Any:
        from ..variable import _value_array

        array = _value_array(val, var._dtype, var._device, copy=False)
        if 0 in target:  # an empty slice: TF's kernel neither checks the value's shape nor writes
            return var._result(True)
        shape = array.shape
        while len(shape) > len(target) and shape[0] == 1:  # TF drops leading 1s of the value
            shape = shape[1:]
        if len(shape) > len(target) or any(a != b and a != 1 for a, b in zip(shape[::-1], target[::-1])):
            raise array_ops.op_error("ResourceStridedSliceAssign", f"Cannot broadcast input shape "
                                     f"{shape_text(array.shape)} into final shape {shape_text(target)}",
                                     name="strided_slice/_assign")
        array = array.reshape(shape)

        def write(buffer: Any) -> None:
            buffer[key] = array

        var._write(write)
        return var._result(True)

    return assign


def _variable_getitem(self: Variable, key: Any) -> Tensor:
    x = _read(self)
    if slicing.is_mask_spec(key):
        return slicing.getitem(x, key)
    np_key = slicing.getitem_key(x._value.shape, key)
    result = slicing.strided_slice_op(x, key=np_key)
    result.assign = strided_slice(self, np_key, result._value.shape)
    return result


install()
