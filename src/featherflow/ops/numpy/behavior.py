"""``tnp.experimental_enable_numpy_behavior``: NumPy's methods on Tensor, NumPy-style indexing, and type
promotion in the Python operators.

Nothing here runs until numpy behavior is enabled: enabling it replaces the operator methods of Tensor and
Variable with promoting ones (the default ones, and their hot paths, are untouched while it is off), and a
private ``_reset`` puts the originals back (TF cannot turn it off; tests need to).
"""

from __future__ import annotations

import numbers
from typing import Any, Callable

import numpy as np

from ...errors import InvalidArgumentError
from ...tensor import Tensor, convert_to_tensor
from ...variable import Variable
from ..array import gather as gather_ops
from ..array.create import cast
from . import _dtypes as tnp_dtypes
from . import promotion, weak, weak_ops
from ._dtypes import tf_dtypes as _dtypes
from .math import around, clip
from .reduce import amax, amin, mean
from .shape import flatten, ravel, reshape_method, transpose

_MODES = ("off", "legacy", "safe", "all")
_BINARY = ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
           "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__", "__matmul__",
           "__rmatmul__", "__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__", "__lt__", "__le__",
           "__gt__", "__ge__", "__eq__", "__ne__")
_MISSING = object()


class _Config:
    """What is enabled: the methods (once enabled, for good, as in TF) and the conversion mode."""

    methods = False
    mode = "off"
    saved: dict = {}


config = _Config


def _tensor_size(self: Tensor) -> Any:
    return np.prod(list(self._value.shape))  # (as TF's: a float 1.0 for a scalar)


def _tolist(self: Tensor) -> Any:
    return self._numpy().tolist()


def _astype(self: Tensor, dtype: Any, name: str | None = None) -> Tensor:
    return cast(self, _dtypes.as_dtype(dtype))


_METHODS: dict[str, Any] = {
    "T": property(lambda self: transpose(self)),
    "size": property(_tensor_size),
    "__pos__": lambda self: self,
    "tolist": _tolist,
    "transpose": transpose,
    "flatten": flatten,
    "reshape": reshape_method,
    "ravel": ravel,
    "clip": clip,
    "astype": _astype,
    "__round__": around,
    "max": amax,
    "mean": mean,
    "min": amin,
    "data": property(lambda self: self),
}


def _maybe_get_dtype(x: Any) -> Any:
    """TF's ``math_ops._maybe_get_dtype``: what the operators' promotion sees of an operand."""
    if isinstance(x, numbers.Real):
        return x
    if isinstance(x, Tensor):
        return x._dtype._np
    if isinstance(x, Variable):
        return x.dtype._np
    if isinstance(x, _dtypes.DType):
        return x._np
    if isinstance(x, (list, tuple)):
        raise ValueError(f"Cannot find dtype for type inference from argument `x` of a sequence type {type(x)}. "
                         "For sequences, please call this function on each element individually.")
    return x


def _legacy_pair(x: Any, y: Any) -> tuple[Tensor, Tensor]:
    """TF's ``maybe_promote_tensors`` in legacy mode: ``np.result_type`` of the two, each cast or converted."""
    target = tnp_dtypes.result_type_np(_maybe_get_dtype(x), _maybe_get_dtype(y))
    dtype = _dtypes.as_dtype(target)

    def promote_or_cast(v: Any) -> Tensor:
        if isinstance(v, Tensor):
            return cast(v, dtype)
        if isinstance(v, Variable):
            return cast(v.value(), dtype)
        return convert_to_tensor(v, dtype)

    return promote_or_cast(x), promote_or_cast(y)


# NumPy 2's result type of a dtype and a Python scalar depends on the scalar's type only (NEP 50)
_SCALAR_TARGETS: dict = {}


def _promoting(original: Callable, name: str) -> Callable:
    def method(self: Any, other: Any) -> Any:
        t = self if type(self) is Tensor else self.__tf_tensor__()
        if type(other) is Tensor and other._dtype is t._dtype:
            return original(t, other)
        if _Config.mode == "legacy":
            kind = type(other)
            if kind is int or kind is float or kind is bool:  # the common ``x + 1.5``: the target by types
                key = (t._dtype, kind, tnp_dtypes.state.prefer_float32)
                target = _SCALAR_TARGETS.get(key)
                if target is None:
                    target = _SCALAR_TARGETS[key] = _dtypes.as_dtype(tnp_dtypes.result_type_np(t._dtype, kind(1)))
                if target is t._dtype:
                    return original(t, other)
                return original(cast(t, target), convert_to_tensor(other, target))
            a, b = _legacy_pair(t, other)
        else:
            return _auto(original, name, self if isinstance(self, weak.WeakTensor) else t, other)
        return original(a, b)

    method.__name__ = getattr(original, "__name__", "method")
    return method


_BITWISE = ("__and__", "__or__", "__xor__", "__rand__", "__ror__", "__rxor__")
_PY_NUMBERS = (int, float, bool, complex)
_NAME_SUFFIX = " name: "
# the operators TF defines through ``override_binary_operator_helper``: a failure tries the other's reflected one
_FALLBACK = ("__add__", "__sub__", "__mul__", "__truediv__", "__floordiv__", "__mod__", "__pow__", "__matmul__",
             "__and__", "__or__", "__xor__")


def _auto(original: Callable, name: str, x: Any, other: Any) -> Any:
    """Operator ``name`` of ``x`` (a Tensor or WeakTensor) with ``other`` under the "all"/"safe" modes, as TF's:
    +, -, *, /, //, %, **, @ and == promote (a weak result when the promoted type is weak); the others reach
    kernels that no wrapper promotes."""
    t = x.tensor if isinstance(x, weak.WeakTensor) else x
    try:
        if name in weak.PROMOTING:
            return _auto_promoted(original, name, x, t, other)
        return _auto_plain(original, name, x, t, other)
    except (TypeError, ValueError) as e:
        # TF's binary_op_wrapper: when the op fails, the right operand's reflected operator may handle it
        reflected = getattr(type(other), "__r" + name[2:], None)
        if name not in _FALLBACK or reflected is None:
            raise
        try:
            out = reflected(other, x)
        except (TypeError, ValueError):
            raise e from None
        if out is NotImplemented:
            raise
        return out


def _auto_plain(original: Callable, name: str, x: Any, t: Tensor, other: Any) -> Any:
    """<, <=, >, >=, !=, &, |, ^: no promotion; ``other`` converts to the tensor's dtype the way TF's patched
    ``tf.constant`` does (in "safe" mode its promotion check can refuse it)."""
    if name in _BITWISE and name.startswith("__r") and type(other) in _PY_NUMBERS:
        # TF's and_/or_/xor_ read ``x.dtype`` of the left operand first
        raise AttributeError(f"'{type(other).__name__}' object has no attribute 'dtype'")
    if name in _BITWISE:
        # TF's and_/or_/xor_: the logical op when the left operand is bool, else the bitwise one
        left, right = (other, x) if name.startswith("__r") else (x, other)
        if isinstance(left, Tensor) and left._dtype is _dtypes.bool and isinstance(right, weak.WeakTensor):
            right.tensor.__tf_tensor__(_dtypes.bool)  # the logical ops convert to bool: TF's ValueError
        if isinstance(left, (np.ndarray, np.generic)) and left.dtype != np.bool_ and t._dtype is _dtypes.bool:
            from ..math import api

            return getattr(api, "bitwise_" + name[3:-2])(left, t)
    plain = other.tensor if isinstance(other, weak.WeakTensor) else other
    # TF converts ``other`` through its patched tf.constant, whose "safe" check can refuse it, when its C++ fast
    # path gives up: always with a weak operand, and for a complex Python number
    if _Config.mode == "safe" and not isinstance(plain, (Tensor, Variable)) and (
            t is not x or type(other) is complex):
        try:
            promotion.result_type(other, t._dtype, mode="safe")
        except NotImplementedError:
            pass
    try:
        return original(t, plain)
    except InvalidArgumentError as e:
        # with a weak or non-tensor operand TF's kernel runs outside the operator's name scope
        if (t is not x or type(other) is not Tensor) and e.message.endswith(_NAME_SUFFIX):
            raise InvalidArgumentError(e.node_def, e.op, e.message[:-len(_NAME_SUFFIX)]) from None
        raise


def _auto_promoted(original: Callable, name: str, x: Any, t: Tensor, other: Any) -> Any:
    if name in ("__mul__", "__rmul__") and (
            t._dtype is _dtypes.bool or (type(other) is Tensor and other._dtype is _dtypes.bool)):
        # TF's ``*`` with a bool tensor on either side: both cast to int32, multiplied, cast back to bool
        b = other if isinstance(other, Tensor) else convert_to_tensor(other)
        return cast(original(cast(t, _dtypes.int32), cast(b, _dtypes.int32)), _dtypes.bool)
    if other is None and name == "__eq__":
        return False  # (TF's tensor_equals)
    # (a reflected operator is TF's op with the operands swapped: the promotion sees them in that order)
    try:
        dtype, is_weak = promotion.result_type(*((other, x) if name.startswith("__r") else (x, other)),
                                               mode=_Config.mode)
    except NotImplementedError:  # (a string, a composite: TF's wrappers fall back to the old semantics)
        return original(t, other.tensor if isinstance(other, weak.WeakTensor) else other)
    out = original(*promotion.cast_pair(t, other, dtype))
    return weak.to_weak_or_tensor(out, is_weak and name not in weak.NOT_WEAK)


def _numpy_getitem(original: Callable) -> Callable:
    """NumPy-style indexing (TF's ``_numpy_style_getitem``): integer and boolean arrays index too."""
    def getitem(self: Any, key: Any) -> Tensor:
        t = self if type(self) is Tensor else self.__tf_tensor__()
        key = _spec(key)
        if not _advanced(key):
            return original(self, key)
        if _is_bool(key):
            return gather_ops.boolean_mask(t, key)
        # the flat positions NumPy's indexing picks, computed on the host from the shape and the index
        # arrays, then one gather of the flattened tensor (which carries the gradient)
        positions = np.arange(int(np.prod(t._value.shape)), dtype=np.int64).reshape(t._value.shape)
        picked = positions[_host_key(key)]
        from ..array.core import reshape

        return gather_ops.gather(reshape(t, [-1]), np.asarray(picked, dtype=np.int64))

    return getitem


def _spec(key: Any) -> Any:
    """TF's ``_as_spec_tuple``: a list holding slices, None, ... or sequences is a tuple of indices."""
    if isinstance(key, list) and any(k is None or k is Ellipsis or isinstance(k, (list, tuple, slice))
                                     or (isinstance(k, (np.ndarray, Tensor)) and np.ndim(k) != 0) for k in key):
        return tuple(key)
    return key


def _is_bool(key: Any) -> bool:
    if isinstance(key, bool):
        return True
    if isinstance(key, Tensor):
        return key._dtype is _dtypes.bool
    return isinstance(key, np.ndarray) and key.dtype == np.bool_


def _advanced(key: Any) -> bool:
    if isinstance(key, list):
        return True
    parts = key if isinstance(key, tuple) else (key,)
    for k in parts:
        if isinstance(k, (bool, list, tuple, np.ndarray)):
            return True
        if isinstance(k, Tensor) and (k._value.ndim or k._dtype is _dtypes.bool):
            return True
    return False


def _host_key(key: Any) -> Any:
    def one(k: Any) -> Any:
        if isinstance(k, Tensor):
            return k.numpy()
        if isinstance(k, (list, tuple)):
            return np.asarray([one(x) for x in k]) if k else np.asarray(k, dtype=np.int64)
        return k

    return tuple(one(k) for k in key) if isinstance(key, tuple) else one(key)


def _weak_binary(name: str, x: Any, y: Any) -> Any:
    """A WeakTensor's operator under "all"/"safe": the Tensor's, with ``x`` weak in the promotion."""
    original = _Config.saved.get((Tensor, name), _MISSING)
    return _auto(getattr(Tensor, name) if original is _MISSING else original, name, x, y)


weak.hooks.mode = staticmethod(lambda: _Config.mode)
weak.hooks.binary = staticmethod(_weak_binary)
weak_ops.state.mode = staticmethod(lambda: _Config.mode)


def enable_numpy_behavior(prefer_float32: bool = False, dtype_conversion_mode: str = "legacy") -> None:
    """NumPy's methods and indexing on Tensor, and the operators' type promotion (TF's
    ``tnp.experimental_enable_numpy_behavior``)."""
    if dtype_conversion_mode not in _MODES:
        raise ValueError(f"The provided promotion mode {dtype_conversion_mode} does not exist. Make sure the "
                         "provided dtype conversion mode is one of the followings: ['off', 'legacy', 'safe', 'all']")
    if dtype_conversion_mode in ("safe", "all"):
        from ..._logs import LazyLogger

        LazyLogger("tensorflow").warning("UserWarning: enabling the new type promotion must happen at the beginning of the program. "
                       "Please ensure no TF APIs have been used yet.")
    _install(dtype_conversion_mode)
    tnp_dtypes.set_prefer_float32(prefer_float32)


experimental_enable_numpy_behavior = enable_numpy_behavior


def _install(mode: str) -> None:
    saved = _Config.saved
    if not saved:
        for cls in (Tensor, Variable):
            for name in (*_BINARY, "__getitem__", *(_METHODS if cls is Tensor else ())):
                saved[(cls, name)] = cls.__dict__.get(name, _MISSING)
        for name, value in _METHODS.items():
            setattr(Tensor, name, value)
        for cls in (Tensor, Variable):
            cls.__getitem__ = _numpy_getitem(saved[(cls, "__getitem__")])  # type: ignore[method-assign]
    _Config.methods = True
    _Config.mode = mode
    tnp_dtypes.state.mode = mode
    for cls in (Tensor, Variable):
        for name in _BINARY:
            original = saved[(cls, name)]
            setattr(cls, name, original if mode == "off" else _promoting(original, name))
    if mode in ("all", "safe"):
        weak_ops.install()
    else:
        weak_ops.uninstall()


def is_enabled() -> bool:
    """Whether numpy behavior has been enabled."""
    return _Config.methods


def _reset() -> None:
    """Back to TF's defaults (for tests): the original methods and operators, no promotion, float64 on."""
    for (cls, name), value in _Config.saved.items():
        if value is _MISSING:
            delattr(cls, name)
        else:
            setattr(cls, name, value)
    _Config.saved = {}
    weak_ops.uninstall()
    _Config.methods = False
    _Config.mode = "off"
    tnp_dtypes.state.mode = "off"
    tnp_dtypes.set_prefer_float32(False)
    tnp_dtypes.set_allow_float64(True)
