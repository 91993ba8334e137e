"""``tf.Tensor``: an immutable (array, dtype, device), and conversion of Python and NumPy values to it.

>>> import featherflow as tf
>>> t = tf.constant([[1.0, 2.0], [3.0, 4.0]])
>>> print(t)
tf.Tensor(
[[1. 2.]
 [3. 4.]], shape=(2, 2), dtype=float32)
"""

from __future__ import annotations

import abc
from typing import Any

import numpy as np

from . import _tape_hooks
from . import device as _device
from . import dtypes as _dtypes
from .backends import on_device
from .dtypes import DType
from .errors import InvalidArgumentError
from .python_values import MIXED, simple_list_array, type_string
from .python_values import TF_TYPE_NAMES as TF_TYPE_NAMES  # re-exported: ops name dtypes as TF's kernels do
from .python_values import is_tensor_like as _is_tensor_like
from .python_values import tensor_dtype_in as _tensor_dtype_in
from .python_values import to_array as to_array  # the one conversion of Python and NumPy values to arrays
from .shape import TensorShape, as_shape

_FROM_NUMPY = _dtypes._FROM_NUMPY

class AbstractTensor(metaclass=abc.ABCMeta):  # noqa: B024 - a class for isinstance, with no methods to require
    """TF's abstract tensor (``tensorflow.python.types.core.Tensor``, ``tf.__internal__.types.Tensor``): the class
    eager tensors and variables derive from, which libraries mix into their own tensor-like classes (Keras's
    Variable does); ``tf.is_tensor`` is true for its instances. featherflow's ``Tensor`` and ``Variable`` are
    registered as its subclasses."""


class Tensor:
    """An immutable multidimensional array with a dtype and a device (``tf.Tensor``)."""

    # __dict__: TF lets code attach attributes to tensors (v[1:3].assign is one)
    __slots__ = ("_value", "_dtype", "_device", "__weakref__", "__dict__")
    __array_priority__ = 100  # NumPy defers binary operators to us: np_array + tensor -> Tensor

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # made by tf.constant, tf.convert_to_tensor and ops
        raise TypeError("Tensor() takes no arguments")

    @property
    def dtype(self) -> DType:
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        return TensorShape._from_tuple(self._value.shape)

    def get_shape(self) -> TensorShape:
        return TensorShape._from_tuple(self._value.shape)

    def set_shape(self, shape: Any) -> None:
        if not self.shape.is_compatible_with(shape):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied shape {TensorShape(shape)}.")

    @property
    def ndim(self) -> int:
        return self._value.ndim

    @property
    def device(self) -> str:
        return self._device.name

    @property
    def backing_device(self) -> str:
        return self._device.name

    @property
    def op(self) -> Any:
        raise AttributeError("Tensor.op is undefined when eager execution is enabled.")

    @property
    def name(self) -> str:
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    @property
    def graph(self) -> Any:
        raise AttributeError("Tensor.graph is undefined when eager execution is enabled.")

    @property
    def value_index(self) -> Any:
        raise AttributeError("Tensor.value_index is undefined when eager execution is enabled.")

    def consumers(self) -> Any:
        raise NotImplementedError("Tensor.consumers is undefined when eager execution is enabled.")

    def eval(self, feed_dict: Any = None, session: Any = None) -> Any:
        raise NotImplementedError("eval is not supported when eager execution is enabled, is .numpy() what you're "
                                  "looking for?")

    def _rank(self) -> int:
        return self._value.ndim

    def _shape_tuple(self) -> tuple:
        return self._value.shape

    def _numpy(self) -> Any:
        """The value as NumPy, sharing memory: a NumPy scalar (bytes for strings) when 0-d."""
        if _tape_hooks.tracing:  # a tf.function's trace must not bake in a value its Python read
            _tape_hooks.host_read(self)
        value = self._value
        if self._device.xp is not np:
            value = value.get()
        if value.ndim == 0:
            return value[()]
        return value

    def numpy(self) -> Any:
        """A copy of the value as a NumPy array (a NumPy scalar when 0-d)."""
        value = self._numpy()
        if self._device.xp is not np:  # the device->host copy is already a fresh array
            return value
        return value.copy() if isinstance(value, np.ndarray) else value

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if _tape_hooks.tracing:
            _tape_hooks.host_read(self)
        value = self._value if self._device.xp is np else self._value.get()
        if type(value) is not np.ndarray:  # a NumPy scalar has no flags to set: NumPy rejects what it returns
            value = np.asarray(value)
        if dtype is not None and value.dtype != dtype:
            return value.astype(dtype)
        if copy:
            return value.copy()
        view = value.view()  # read-only, as TF's: the tensor stays immutable
        view.flags.writeable = False
        return view

    def __dlpack__(self, *, stream: Any = None, max_version: Any = None, dl_device: Any = None,
                   copy: Any = None) -> Any:
        """A DLPack capsule sharing this tensor's memory (the array API's protocol: ``np.from_dlpack(t)``)."""
        dlpack = _DLPACK[0] if _DLPACK else _load_dlpack()
        dev = self._device
        if dev.xp is np:
            return dlpack.export(self._value, self._dtype.name, True, stream, max_version, dl_device, copy)
        with dev.activate():
            return dlpack.export(self._value, self._dtype.name, False, stream, max_version, dl_device, copy)

    def __dlpack_device__(self) -> tuple:
        """(DLPack device type, index): (1, 0) on the CPU, the device array's own on a GPU ((2, card) for CUDA)."""
        return (1, 0) if self._device.xp is np else self._value.__dlpack_device__()

    def __len__(self) -> int:
        if self._value.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return self._value.shape[0]

    def __setitem__(self, key: Any, value: Any) -> None:
        # tensors are immutable; TF's message names its C class
        raise TypeError("'tensorflow.python.framework.ops.EagerTensor' object does not support item assignment")

    def __bool__(self) -> bool:
        value = self._numpy()
        if isinstance(value, np.ndarray):  # as TF: an empty tensor is False, a longer one NumPy's error
            return bool(value.size > 0 and value)
        return bool(value)

    __nonzero__ = __bool__

    def __float__(self) -> float:
        return float(self._numpy())

    def __int__(self) -> int:
        return int(self._numpy())

    def __complex__(self) -> complex:
        return complex(self._numpy())

    def __index__(self) -> int:
        return self._numpy().__index__()  # NumPy's errors, as TF

    def __hash__(self) -> int:
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def ref(self) -> Reference:
        return Reference(self)

    experimental_ref = ref

    def __copy__(self) -> Tensor:
        return self  # immutable

    def __deepcopy__(self, memo: Any) -> Tensor:
        return self

    def __reduce__(self) -> Any:
        return (convert_to_tensor, (self.numpy(),))

    def __tf_tensor__(self, dtype: Any = None, name: Any = None) -> Tensor:
        if dtype is not None and _dtypes.as_dtype(dtype) is not self._dtype:
            prefix = f"{name}: " if name else ""
            raise ValueError(f"{prefix}Tensor conversion requested dtype {_dtypes.as_dtype(dtype).name} for Tensor "
                             f"with dtype {self._dtype.name}: {self!r}")
        return self

    def cpu(self) -> Tensor:
        return _make_typed(_device.CPU.put(self._value), self._dtype, _device.CPU)

    def gpu(self, gpu_index: int = 0) -> Tensor:
        gpus = _device.logical_devices("GPU")  # TF's GPU:i: the logical devices (visible, split), not the cards
        if gpu_index >= len(gpus):
            raise RuntimeError(f"GPU:{gpu_index} unknown device.")
        dev = gpus[gpu_index]
        return _make_typed(dev.put(self._value), self._dtype, dev)

    def __str__(self) -> str:
        return f"tf.Tensor({numpy_text(self)}, shape={self.shape}, dtype={self._dtype.name})"

    def __repr__(self) -> str:
        return f"<tf.Tensor: shape={self.shape}, dtype={self._dtype.name}, numpy={numpy_text(self, is_repr=True)}>"

    def __format__(self, format_spec: str) -> str:
        # As TF: the NumPy value's formatting (f"{t}" is "[1 2]", f"{t:.2f}" works on scalars)
        return format(self._numpy(), format_spec)


_DLPACK: list = []  # backends.dlpack once loaded: an import statement per exchange would cost a microsecond


def _load_dlpack() -> Any:
    from .backends import dlpack  # loads ctypes: only when DLPack is used

    _DLPACK.append(dlpack)
    return dlpack


class Reference:
    """A hashable reference to a Tensor or Variable (``tensor.ref()``), compared by identity."""

    __slots__ = ("_wrapped",)

    def __init__(self, wrapped: Any) -> None:
        self._wrapped = wrapped

    def deref(self) -> Any:
        return self._wrapped

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Reference) and self._wrapped is other._wrapped

    def __hash__(self) -> int:
        return id(self._wrapped)

    def __repr__(self) -> str:
        return f"<Reference wrapping {self._wrapped!r}>"


def numpy_text(tensor: Any, is_repr: bool = False) -> str:
    """TF's rendering of a value inside ``str``/``repr`` of tensors and variables."""
    value = tensor._numpy()
    if is_repr:
        text = repr(value.item()) if np.isscalar(value) and not isinstance(value, bytes) else repr(value)
    else:
        text = str(value)
    return "\n" + text if "\n" in text else text


def _make(array: Any, dev: _device.Device) -> Tensor:
    """Wraps a backend array (not copied) in a Tensor: the one place Tensors are built."""
    t = object.__new__(Tensor)
    t._value = array
    t._dtype = _FROM_NUMPY[array.dtype]
    t._device = dev
    return t


def _make_typed(array: Any, dtype: DType, dev: _device.Device) -> Tensor:
    t = object.__new__(Tensor)
    t._value = array
    t._dtype = dtype
    t._device = dev
    return t


AbstractTensor.register(Tensor)


# --- conversion: python_values.to_array makes the array; here it is wrapped, or a nest of tensors packed ---

def _pack(items: list, name: str) -> Tensor:
    """TF's Pack of the converted elements of a list (autopacking), with its errors."""
    from ._op_table import OPS  # filled by ops.registry (ops sit above this layer); packing is rare

    if not items:
        raise InvalidArgumentError(None, None, "OpKernel 'Pack' has constraint on attr 'T' not in NodeDef '[N=0, "
                                               f"axis=0]' [Op:Pack] name: {name}")
    tensors = [x if type(x) is Tensor else x.__tf_tensor__() for x in items]
    first = tensors[0]
    for i, t in enumerate(tensors[1:], 1):
        if t._dtype is not first._dtype:
            raise InvalidArgumentError(
                None, None, f"cannot compute Pack as input #{i}(zero-based) was expected to be a "
                            f"{type_string(first._dtype)} tensor but is a {type_string(t._dtype)} tensor "
                            f"[Op:Pack] name: {name}")
        if t._value.shape != first._value.shape:
            dims = "[" + ",".join(map(str, first._value.shape)) + "]"
            other = "[" + ",".join(map(str, t._value.shape)) + "]"
            dev = _device._scope.device.name
            raise InvalidArgumentError(
                None, None, f"{{{{function_node __wrapped__Pack_N_{len(tensors)}_device_{dev}}}}} Shapes of all "
                            f"inputs must match: values[0].shape = {dims} != values[{i}].shape = {other} "
                            f"[Op:Pack] name: {name}")
    return OPS["Pack"](*tensors, axis=0)


def _autopack_items(seq: Any, dtype: DType, name: str) -> Any:
    """TF's _autopacking_helper: packs a nest holding tensors; returns a plain list when it holds none."""
    if all(_is_tensor_like(x) for x in seq):  # at every level, as TF (an empty list too)
        return _pack(list(seq), name)
    must_pack = False
    converted = []
    for i, item in enumerate(seq):
        if _is_tensor_like(item):
            if item.dtype is not dtype:
                raise TypeError(f"Cannot convert a list containing a tensor of dtype {item.dtype} to {dtype} "
                                f"(Tensor is: {item!r})")
            must_pack = True
        elif type(item) is list or type(item) is tuple:
            item = _autopack_items(item, dtype, str(i))
            must_pack = must_pack or type(item) is Tensor
        converted.append(item)
    if not must_pack:
        return converted
    return _pack([x if _is_tensor_like(x) else constant(x, dtype=dtype) for x in converted], "")


def _autopack(value: Any, dtype: DType | None) -> Tensor | None:
    """Lists and tuples holding tensors are stacked (TF's autopacking); None when ``value`` holds none."""
    inferred = _tensor_dtype_in(value)
    if inferred is None:
        return None
    if dtype is None:
        dtype = inferred
    elif dtype is not inferred:
        value = _cast_nested(value, dtype)
    return _autopack_items(value, dtype, "packed")


def _cast_nested(value: Any, dtype: DType) -> Any:
    if type(value) is list or type(value) is tuple:
        return [_cast_nested(v, dtype) for v in value]
    if _is_tensor_like(value) and value.dtype is not dtype:
        from ._op_table import OPS  # filled by ops.registry

        t = value if type(value) is Tensor else value.__tf_tensor__()
        return OPS["Cast"](t, dtype=dtype._np)
    return value


def _shape_tensor(shape: TensorShape, dtype: DType | None) -> Tensor:
    """TF's conversion of a TensorShape to a Tensor (int32 unless a dimension needs int64)."""
    if not shape.is_fully_defined():
        raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
    dims = shape.as_list()
    big = any(d >= 2**31 for d in dims)
    if dtype is not None:
        if dtype not in (_dtypes.int32, _dtypes.int64):
            raise TypeError(f"Cannot convert TensorShape {shape} to dtype {dtype}. Allowed dtypes are tf.int32 and "
                            "tf.int64.")
        if dtype is _dtypes.int32 and big:
            raise ValueError(f"Cannot convert TensorShape {shape} to dtype int32; a dimension is too large. Consider "
                             "using tf.int64.")
    else:
        dtype = _dtypes.int64 if big else _dtypes.int32
    return _make_typed_host(np.array(dims, dtype=dtype._np))


# Conversion functions registered with tf.register_tensor_conversion_function: (priority, order, type, function).
_CONVERSIONS: list[tuple[int, int, Any, Any]] = []


def register_tensor_conversion_function(base_type: Any, conversion_func: Any, priority: int = 100) -> None:
    """Lets ``tf.convert_to_tensor`` convert instances of ``base_type`` with
    ``conversion_func(value, dtype=None, name=None, as_ref=False)`` (``tf.register_tensor_conversion_function``).

    >>> class Pair:
    ...     def __init__(self, a, b):
    ...         self.a, self.b = a, b
    >>> register_tensor_conversion_function(Pair, lambda p, dtype=None, name=None, as_ref=False: constant([p.a, p.b]))
    >>> convert_to_tensor(Pair(1, 2)).numpy().tolist()
    [1, 2]
    """
    types = base_type if isinstance(base_type, tuple) else (base_type,)
    if not all(isinstance(t, type) for t in types):
        raise TypeError(f"Argument `base_type` must be a type or a tuple of types. Obtained: {base_type}")
    if any(issubclass(t, (int, float, np.generic, np.ndarray)) for t in types):
        raise TypeError("Cannot register conversions for Python numeric types and NumPy scalars and arrays.")
    if not callable(conversion_func):
        raise TypeError(f"Argument `conversion_func` must be callable. Received {conversion_func}.")
    _CONVERSIONS.append((priority, len(_CONVERSIONS), base_type, conversion_func))
    _CONVERSIONS.sort(key=lambda entry: entry[:2])


def _user_conversion(value: Any, dtype: DType | None) -> Any:
    """The result of the first registered function that converts ``value`` (NotImplemented: none does)."""
    for _, _, base_type, func in _CONVERSIONS:
        if isinstance(value, base_type):
            result = func(value, dtype=dtype, name=None, as_ref=False)
            if result is NotImplemented:
                continue
            if not is_dense_tensor(result):
                raise RuntimeError(f"Conversion function {func!r} for type {base_type} returned non-Tensor: "
                                   f"{result!r}")
            result = convert_to_tensor(result)
            if dtype is not None and result._dtype is not dtype:
                raise RuntimeError(f"Conversion function {func} for type {base_type} returned incompatible dtype: "
                                   f"requested = {dtype.name}, actual = {result._dtype.name}")
            return result
    return NotImplemented


def _registered(value: Any, dtype: DType | None) -> Tensor:
    """TF's conversion functions for non-Tensor values: autopacking, TensorShape, then ``constant``."""
    t = type(value)
    if t is float or t is int or t is bool:  # no conversion function can be registered for these
        return _make_typed_host(to_array(value, dtype), dtype)
    if _CONVERSIONS:
        result = _user_conversion(value, dtype)
        if result is not NotImplemented:
            return result
    if t is list or t is tuple:
        array = simple_list_array(value, dtype)  # plain numbers: no tensor inside to pack
        if array is not None:
            return _make_typed_host(array, dtype)
        packed = _autopack(value, dtype)
        if packed is not None:
            return packed
    elif t is TensorShape:
        return _shape_tensor(value, dtype)
    return constant(value, dtype)


def convert_to_tensor(value: Any, dtype: Any = None, dtype_hint: Any = None, name: str | None = None) -> Tensor:
    """Converts a Tensor, Variable, NumPy value or Python value to a Tensor (``tf.convert_to_tensor``).

    >>> convert_to_tensor([1, 2]).dtype
    tf.int32
    """
    if dtype is not None:
        dtype = _dtypes.as_dtype(dtype)
    if type(value) is Tensor:
        if dtype is not None and value._dtype is not dtype:
            return value.__tf_tensor__(dtype, name)  # raises TF's error
        return value
    t = type(value)
    if t is not float and t is not int and t is not bool:  # Python numbers: no lookup of a missing method
        to_tensor = getattr(value, "__tf_tensor__", None)
        if to_tensor is not None:
            return to_tensor(dtype, name)
    if dtype is None and dtype_hint is not None:
        try:
            return _registered(value, _dtypes.as_dtype(dtype_hint))
        except (TypeError, ValueError):
            pass
    return _registered(value, dtype)


def _make_typed_host(array: np.ndarray, dtype: DType | None = None) -> Tensor:
    """Wraps a host array in a Tensor on the current device (``dtype``: when the array's own is not it)."""
    scope = _device._scope
    dev = scope.device
    if dev.xp is not np:
        if not on_device(array.dtype):  # strings (as TF's), float8, int4...: in host memory, where
            dev = _device.CPU  # their kernels are (a GPU array cannot hold them: see backends.DEVICE_DTYPES)
        else:
            array = dev.put(array)
    flags = _device._Flags
    if not flags.started:  # a class attribute store on every conversion would cost more than this test
        flags.started = True
    if flags.log_placement and scope.spec is None:  # TF places a converted value with an op, unless
        _device.log_placement("_EagerConst", dev)  # a tf.device scope names the device
    t = _new(Tensor)
    t._value = array
    # quantized dtypes share their array's NumPy dtype with an integer one: only they are kept as given
    t._dtype = dtype if dtype is not None and dtype._kind == "q" else _FROM_NUMPY[array.dtype]
    t._device = dev
    return t


_new = object.__new__


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str = "Const") -> Tensor:
    """Creates a constant tensor from a value (``tf.constant``), optionally reshaped or filled to ``shape``.

    >>> constant(3, shape=[2, 2]).numpy().tolist()
    [[3, 3], [3, 3]]
    """
    if dtype is not None:
        dtype = _dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if dtype is not None and value._dtype is not dtype:
            raise TypeError(f"Expected tensor {value} with dtype {dtype!r}, but got dtype {value._dtype!r}.")
        t = value
    else:
        t = _make_typed_host(to_array(value, dtype), dtype)
    if shape is None:
        return t
    return _constant_shape(t, value, as_shape(shape))


def _constant_shape(t: Tensor, value: Any, shape: TensorShape) -> Tensor:
    """TF's eager ``constant(..., shape=...)``: reshape when the sizes match, else fill from one element."""
    if shape == t.shape:
        return t
    n_value, n_shape = t._value.size, shape.num_elements()
    if n_value == n_shape:
        return _make_typed(t._value.reshape(shape.as_list()), t._dtype, t._device)
    if n_value == 1:
        dims = shape.as_list()
        if None in dims:
            raise ValueError(MIXED)  # TF converts the dims (with a None) to a tensor for its Fill
        if t._value.ndim > 1:
            shape_text = "[" + ",".join(map(str, t._value.shape)) + "]"
            dev = _device._scope.device.name
            raise InvalidArgumentError(None, None, f"{{{{function_node __wrapped__Fill_device_{dev}}}}} value must "
                                                   f"represent a scalar, got shape {shape_text} [Op:Fill]")
        xp = t._device.xp
        return _make_typed(xp.full(dims, t._value.reshape(()), dtype=t._value.dtype), t._dtype, t._device)
    raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor {t} (converted from {value}) has "
                    f"{n_value:d} elements, but got `shape` {shape} with {n_shape} elements).")


def is_tensor(x: Any) -> bool:
    """Whether ``x`` is a Tensor or tensor-like (``tf.is_tensor``): a Variable, SparseTensor, RaggedTensor or
    IndexedSlices, or an object saying so with TF's ``is_tensor_like`` attribute. An object that merely converts
    to a tensor (``__tf_tensor__``, as Keras's symbolic KerasTensor) is not one, as in TF."""
    if type(x) is Tensor:  # the common case, before the ABC's subclass check
        return True
    return isinstance(x, (Tensor, AbstractTensor)) or bool(getattr(x, "is_tensor_like", False))


def is_dense_tensor(x: Any) -> bool:
    """Whether ``x`` converts to one dense Tensor: a Tensor, a Variable, or another ``AbstractTensor`` (not a
    composite such as a SparseTensor, which ``tf.is_tensor`` also accepts)."""
    return isinstance(x, (Tensor, AbstractTensor))


def is_symbolic_tensor(tensor: Any) -> bool:
    """Whether ``tensor`` is a graph tensor: never, in eager execution (``tf.is_symbolic_tensor``)."""
    return False


def executing_eagerly() -> bool:
    """Whether ops run eagerly: always, in featherflow (``tf.executing_eagerly``)."""
    return True


def get_static_value(tensor: Any, partial: bool = False) -> Any:
    """The value of ``tensor`` as NumPy when it is known (``tf.get_static_value``): a Tensor's value, a
    non-tensor as is, and None for a variable, whose value may change.

    >>> get_static_value(constant([1, 2]))
    array([1, 2], dtype=int32)
    """
    if isinstance(tensor, Tensor):
        return tensor.numpy()
    if not is_tensor(tensor):
        return tensor
    return None


def dtype_mismatch(op_name: str, index: int, expected: DType, got: DType) -> InvalidArgumentError:
    """TF's error for inputs of an op whose dtypes differ."""
    return InvalidArgumentError(
        None, None,
        f"cannot compute {op_name} as input #{index}(zero-based) was expected to be a {type_string(expected)} "
        f"tensor but is a {type_string(got)} tensor [Op:{op_name}] name: ")


def kernel_error(op_name: str, message: str, cls: type = InvalidArgumentError, name: str = "") -> Exception:
    """An error raised inside a TF kernel, with the prefix TF's eager runtime adds."""
    dev = _device._scope.device.name
    return cls(None, None, f"{{{{function_node __wrapped__{op_name}_device_{dev}}}}} {message} "
                           f"[Op:{op_name}] name: {name}")
