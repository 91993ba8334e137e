"""TF's WeakTensor: a Tensor whose dtype was inferred (from a Python number), not chosen, and so defers to the
dtype of the value it meets (``weak f32 + f16 -> f16``). Only the "all" and "safe" dtype conversion modes make
them (``tf.constant(5)``, a wrapped op given Python values: see ``weak_ops``).

As TF's, a WeakTensor is not a ``tf.Tensor`` (``isinstance(x, tf.Tensor)`` is False) but is tensor-like: every
other op converts it to its plain Tensor through ``__tf_tensor__``, its attributes are the Tensor's, and it prints
as the Tensor with ``weak=True``. For GradientTape and ``tf.nest`` it is a composite of that one Tensor.
"""

from __future__ import annotations

from typing import Any, Callable

from ...tensor import Tensor

_ALLOWED = ("int32", "int64", "float32", "float64", "complex128")


class WeakTensor:
    """A weakly typed Tensor (TF's ``tensorflow.python.framework.weak_tensor.WeakTensor``)."""

    __slots__ = ("tensor",)
    __array_priority__ = 100  # np_array + weak -> the weak's operator, as for Tensor

    def __init__(self, tensor: Tensor) -> None:
        if tensor.dtype.name not in _ALLOWED:
            raise TypeError(f"{tensor.dtype!s} not allowed as a weak type. The allowed types are "
                            "(tf.int32, tf.int64, tf.float32, tf.float64, tf.complex128).")
        object.__setattr__(self, "tensor", tensor)

    @classmethod
    def from_tensor(cls, tensor: Tensor) -> WeakTensor:
        """The WeakTensor holding ``tensor``."""
        return EagerWeakTensor(tensor)

    def to_tensor(self) -> Tensor:
        """The plain Tensor this WeakTensor holds."""
        return self.tensor

    @property
    def dtype(self) -> Any:
        return self.tensor.dtype

    @property
    def shape(self) -> Any:
        return self.tensor.shape

    @property
    def is_tensor_like(self) -> bool:
        return True

    @property
    def data(self) -> WeakTensor:  # (tnp's ``ndarray.data``)
        return self

    def __getattr__(self, name: str) -> Any:
        # everything else is the Tensor's (device, ndim, ref(), get_shape(), NumPy methods...), as TF's
        if name == "tensor":
            raise AttributeError(name)
        return getattr(self.tensor, name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Cannot mutate attribute `{name}` outside the custom constructor of ExtensionType.")

    def __tf_tensor__(self, dtype: Any = None, name: Any = None) -> Tensor:
        return self.tensor.__tf_tensor__(dtype, name)

    def __str__(self) -> str:
        return _with_weak(str(self.tensor))

    def __repr__(self) -> str:
        return _with_weak(repr(self.tensor))

    def __hash__(self) -> int:
        return self.tensor.__hash__()  # TF's TypeError: tensors are unhashable

    def __copy__(self) -> WeakTensor:
        return self  # immutable

    def __deepcopy__(self, memo: Any) -> WeakTensor:
        return self

    def __reduce__(self) -> Any:
        return (EagerWeakTensor, (self.tensor,))

    def __len__(self) -> int:
        return self.tensor.__len__()

    def __bool__(self) -> bool:
        return self.tensor.__bool__()

    def __iter__(self) -> Any:
        return map(EagerWeakTensor, iter(self.tensor))  # (the Tensor's errors, raised by iter())

    def __getitem__(self, key: Any) -> Any:
        return self.tensor[key]  # a plain Tensor, as TF's

    # composite protocol (nest with expand_composites, GradientTape): the one component is the Tensor
    def _to_components(self) -> list:
        return [self.tensor]

    @property
    def _type_spec(self) -> _WeakTensorSpec:
        return _WeakTensorSpec(self.tensor.shape, self.tensor.dtype)

    def _gradient_tensors(self) -> list:
        return [self.tensor]

    def _from_gradient_tensors(self, grads: list) -> Any:
        g = grads[0]
        return EagerWeakTensor(g) if isinstance(g, Tensor) and g.dtype.name in _ALLOWED else g


class EagerWeakTensor(WeakTensor):
    """A weakly typed eager Tensor: what users see (``type(tf.constant(5)).__name__``)."""

    __slots__ = ()

    def numpy(self) -> Any:
        """A copy of the value as NumPy."""
        return self.tensor.numpy()

    def __complex__(self) -> complex:
        return self.tensor.__complex__()

    def __int__(self) -> int:
        return self.tensor.__int__()

    def __float__(self) -> float:
        return self.tensor.__float__()

    def __index__(self) -> int:
        return self.tensor.__index__()

    def __format__(self, format_spec: str) -> str:
        return f"{self.tensor.__format__(format_spec)} weakly typed"

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        return self.tensor.__array__(dtype, copy)


class _WeakTensorSpec:
    """The type spec nest rebuilds a WeakTensor from."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape: Any, dtype: Any) -> None:
        self.shape, self.dtype = shape, dtype

    def _from_components(self, components: list) -> WeakTensor:
        return EagerWeakTensor(components[0])

    def __eq__(self, other: Any) -> bool:
        return type(other) is _WeakTensorSpec and (self.shape, self.dtype) == (other.shape, other.dtype)

    def __hash__(self) -> int:
        return hash((_WeakTensorSpec, self.dtype))

    def __repr__(self) -> str:
        return f"WeakTensor.Spec(shape={self.shape}, dtype={self.dtype!r})"


def _with_weak(text: str) -> str:
    """TF's ``_format_weak_tensor``: ``, weak=True`` before the closing character."""
    closing = text[-1]
    last = text.rfind(closing)
    return text[:last] + ", weak=True" + closing


def to_weak_or_tensor(t: Any, weak: bool) -> Any:
    """TF's ``convert_to_weak_tensor_or_tensor``: ``t`` as a WeakTensor when ``weak``, else its plain Tensor."""
    if weak:
        if isinstance(t, WeakTensor):
            return t
        if isinstance(t, Tensor):
            return EagerWeakTensor(t)
        return t  # (a composite result: TF's ops give those only for composite inputs, which are never weak)
    if isinstance(t, WeakTensor):
        return t.tensor
    return t


# ---- operators --------------------------------------------------------------------------------------------------
# Under the "all"/"safe" modes TF's Tensor operators that promote are those routed through a patched op (add, sub,
# mul, the divisions, mod, pow, matmul; ``==`` through Equal, which promotes but never returns a weak value); the
# rest (<, <=, >, >=, &, |, ^, !=) convert the other operand to the tensor's dtype, without promotion.
PROMOTING = frozenset(("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
                       "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__",
                       "__matmul__", "__rmatmul__", "__eq__"))
NOT_WEAK = frozenset(("__eq__",))


class _Hooks:
    """Set by behavior: the current conversion mode, and the promoting operator for a Tensor method name."""

    mode: Callable[[], str] = staticmethod(lambda: "off")
    binary: Callable[..., Any] | None = None


hooks = _Hooks


def _operator(name: str) -> Callable:
    def method(self: WeakTensor, other: Any) -> Any:
        if hooks.binary is not None and hooks.mode() in ("all", "safe"):
            return hooks.binary(name, self, other)
        return getattr(Tensor, name)(self.tensor, other)

    method.__name__ = name
    return method


def _unary(name: str) -> Callable:
    def method(self: WeakTensor) -> Any:
        out = getattr(Tensor, name)(self.tensor)
        return to_weak_or_tensor(out, hooks.mode() in ("all", "safe"))

    method.__name__ = name
    return method


def _numpy_method(name: str) -> Callable:
    """A NumPy method (numpy behavior on) whose result stays weak, as TF's wrapped tnp functions are."""
    def method(self: WeakTensor, *args: Any, **kwargs: Any) -> Any:
        return to_weak_or_tensor(getattr(self.tensor, name)(*args, **kwargs), hooks.mode() in ("all", "safe"))

    method.__name__ = name
    return method


for _name in (*PROMOTING, "__rmatmul__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__and__", "__rand__",
              "__or__", "__ror__", "__xor__", "__rxor__"):
    setattr(WeakTensor, _name, _operator(_name))
for _name in ("__neg__", "__abs__", "__invert__"):
    setattr(WeakTensor, _name, _unary(_name))
for _name in ("reshape", "transpose", "ravel", "flatten", "mean", "max", "min", "__round__", "__pos__"):
    setattr(WeakTensor, _name, _numpy_method(_name))
WeakTensor.T = property(lambda self: to_weak_or_tensor(self.tensor.T, hooks.mode() in ("all", "safe")))
del _name
