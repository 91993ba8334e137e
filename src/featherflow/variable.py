"""``tf.Variable``: a named, mutable buffer with ``assign*``, ``scatter_*`` and sliced assignment.

A read (``v.value()``, ``v + 1``, ``tf.convert_to_tensor(v)``) returns a Tensor that shares the
variable's buffer. ``assign*`` writes into that buffer in place when nothing else holds it, and copies
on write when a read is still alive, so earlier reads keep their values.

>>> import featherflow as tf
>>> v = tf.Variable([2.0, 3.0])
>>> v.assign_add([1, 1]).numpy()
array([3., 4.], dtype=float32)
"""

from __future__ import annotations

import itertools
import sys
import threading
from typing import Any, Callable

import numpy as np

from . import _op_table, _tape_hooks
from . import device as _device
from . import dtypes as _dtypes
from . import sparse_updates as _sparse
from .backends import on_device
from .device import _Flags
from .errors import OutOfRangeError
from .naming import current_prefix
from .shape import TensorShape, as_shape
from .tensor import AbstractTensor, Tensor, _make_typed, convert_to_tensor, numpy_text
from .variable_creator import VariableMeta, _root
from .variable_policy import VariableAggregation, VariableSynchronization, _validated
from .variable_sparse import SparseAccess, _value_array

_getrefcount = sys.getrefcount
_new = object.__new__
_uids = itertools.count(1)
_EAGER_ONLY = "This operation is not supported when eager execution is enabled."


class _Probe:
    __slots__ = ("_array",)


def _unshared_count() -> int:
    """What ``_getrefcount(self._array)`` returns inside a write when only the variable holds its buffer.

    Copy on write compares against it: any larger count is a live read (a Tensor, a NumPy view). The count
    depends on the CPython version (3.14 lends stack references without counting them), so it is measured
    here, with the expression the writes use, rather than written down.
    """
    self = _Probe()
    self._array = np.empty(1)
    return _getrefcount(self._array)


_UNSHARED = _unshared_count()


def _fresh(xp: Any, array: Any) -> Any:
    """A new C-ordered buffer holding ``array`` (an array even when ``array`` is a NumPy scalar)."""
    return xp.array(array, copy=True, order="C")


_AUTO = VariableSynchronization.AUTO
_NONE = VariableAggregation.NONE
_PLAIN = frozenset({int, float, bool, complex, str, bytes, list, tuple, np.ndarray})


def _handle_name(name: str | None) -> str:
    """The variable's name without ``:0``: TF's eager ``name_scope(name, "Variable")`` then strip the '/'."""
    if name is None:
        name = "Variable"
    elif not isinstance(name, str):
        raise ValueError("name for name_scope must be a string.")
    if not name:
        return ""
    scope = name if name.endswith("/") else current_prefix() + name + "/"
    return scope[:-1]


def _inplace(statement: str, instead: str, expression: str) -> str:
    return (f"`{statement}` with `tf.Variable`s is not supported. Use `{instead}` to modify the variable, or "
            f"`out = {expression}` if you need to get a new output Tensor.")


class Variable(SparseAccess, metaclass=VariableMeta):
    """A mutable tensor-like value with a name (``tf.Variable``)."""

    __slots__ = ("_array", "_dtype", "_device", "_shape", "_name", "_trainable", "_constraint",
                 "_synchronization", "_aggregation", "_lock", "_writing", "_uid", "_unread", "__weakref__",
                 "__dict__")
    __array_priority__ = 100

    def __init__(self, initial_value: Any = None, trainable: bool | None = None, validate_shape: bool = True,
                 caching_device: Any = None, name: str | None = None, variable_def: Any = None,
                 dtype: Any = None, import_scope: Any = None, constraint: Callable | None = None,
                 synchronization: VariableSynchronization = VariableSynchronization.AUTO,
                 aggregation: VariableAggregation = VariableAggregation.NONE, shape: Any = None,
                 experimental_enable_variable_lifting: bool = True) -> None:
        if variable_def is not None:
            if initial_value is not None:
                raise ValueError(f"The variable_def and initial_value args to `tf.Variable` are mutually exclusive, "
                                 f"but got both: variable_def={variable_def},\ninitial_value={initial_value}")
            raise ValueError(f"Creating a `tf.Variable` with a `variable_def` arg is not supported when eager "
                             f"execution is enabled. Got: variable_def={variable_def}")
        if synchronization is not _AUTO or aggregation is not _NONE:
            synchronization, aggregation, trainable = _validated(synchronization, aggregation, trainable, name)
        elif trainable is None:  # the defaults: nothing to validate
            trainable = True
        if initial_value is None:
            raise ValueError("The `initial_value` arg to `tf.Variable` must be specified except when you are not "
                             "providing a `variable_def`. You provided neither.")
        if constraint is not None and not callable(constraint):
            raise ValueError(f"Argument `constraint` must be None or a callable. a callable. Got a {type(constraint)}:"
                             f"  {constraint}")
        handle = current_prefix() + "Variable" if name is None else _handle_name(name)
        if callable(initial_value):
            initial_value = initial_value()
        dev = _device._scope.device
        kind = type(initial_value)
        shared = kind is Tensor or (kind not in _PLAIN and hasattr(initial_value, "__tf_tensor__"))
        t = initial_value if kind is Tensor and dtype is None else convert_to_tensor(
            initial_value, dtype=dtype, name="initial_value")
        array = t._value
        if t._device is not dev and not on_device(array.dtype):
            dev = _device.CPU  # strings (as TF's), float8, int4...: host memory only (see backends.DEVICE_DTYPES)
        if t._device is not dev:
            array = dev.put(array)
        elif shared:  # a Tensor or another Variable: the new variable gets its own copy
            array = dev.xp.array(array, copy=True)
        if shape is not None:
            declared = as_shape(shape)
            if not declared.is_compatible_with(array.shape):
                raise ValueError(f"In this `tf.Variable` creation, the initial value's shape "
                                 f"({TensorShape(array.shape)}) is not compatible with the explicitly supplied `shape` "
                                 f"argument ({shape}).")
            self._shape = declared
        else:
            self._shape = TensorShape._from_tuple(array.shape)
        self._array = array
        self._dtype = t._dtype
        self._device = dev
        self._name = handle + ":0"
        self._trainable = trainable
        self._constraint = constraint
        self._synchronization = synchronization
        self._aggregation = aggregation
        self._lock = threading.RLock()  # re-entrant: a write's function may read the variable
        self._writing = False  # set while an in-place write runs, so that reads wait for it
        self._uid = next(_uids)
        if _tape_hooks.tracing:  # TF's tf.function creates variables on its first trace only
            _tape_hooks.refuse(f"it creates a variable ({self._name})", retrace=True)
        self._unread = None
        _Flags.started = True
        if _Flags.log_placement:
            _device.log_placement("VarHandleOp", dev)
            _device.log_placement("AssignVariableOp", dev)

    # --- properties ---------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self) -> _dtypes.DType:
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    @property
    def device(self) -> str:
        return self._device.name

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def constraint(self) -> Callable | None:
        return self._constraint

    @property
    def synchronization(self) -> VariableSynchronization:
        return self._synchronization

    @property
    def aggregation(self) -> Any:
        return self._aggregation

    @property
    def initial_value(self) -> Any:
        raise RuntimeError("This property is not supported when eager execution is enabled.")

    @property
    def initializer(self) -> None:
        return None

    @property
    def op(self) -> Any:
        raise AttributeError("Tensor.op is undefined when eager execution is enabled.")

    @property
    def graph(self) -> Any:
        raise AttributeError("Tensor.graph is undefined when eager execution is enabled.")

    @property
    def handle(self) -> Variable:
        return self

    @property
    def _unique_id(self) -> str:
        return f"{self._name[:-2]}_{self._uid}"

    @property
    def _shared_name(self) -> str:
        return self._name[:-2]

    @property
    def _handle_name(self) -> str:
        return self._name

    _in_graph_mode = False

    def eval(self, session: Any = None) -> Any:
        raise RuntimeError(_EAGER_ONLY)

    def to_proto(self, export_scope: Any = None) -> Any:
        raise RuntimeError(_EAGER_ONLY)

    @property
    def create(self) -> Any:
        raise RuntimeError(_EAGER_ONLY)

    def initialized_value(self) -> Any:
        raise RuntimeError(_EAGER_ONLY)

    # --- reads ----------------------------------------------------------------------------------

    def value(self) -> Tensor:
        """The current value as a Tensor sharing the variable's buffer."""
        t = _new(Tensor)  # _make_typed, inlined: this is the hot path of every read
        t._value = self._array
        t._dtype = self._dtype
        t._device = self._device
        if self._writing:  # an in-place write may be under way (NumPy lets go of the GIL): wait for it
            with self._lock:
                t._value = self._array
        if _tape_hooks.active:
            _tape_hooks.active[1](self, t)
        if _Flags.log_placement:
            _device.log_placement("ReadVariableOp", self._device)
        return t

    def read_value(self) -> Tensor:
        """The current value (TF reads it and passes it through an Identity op)."""
        t = self.value()
        if _Flags.log_placement:
            _device.log_placement("Identity", self._device)
        return t

    def __tf_tensor__(self, dtype: Any = None, name: Any = None) -> Tensor:
        if dtype is not None and _dtypes.as_dtype(dtype) is not self._dtype:
            raise ValueError(f"Incompatible type conversion requested to type {_dtypes.as_dtype(dtype).name} for "
                             f"`tf.Variable of type {self._dtype.name}. (Variable: {self!r})")
        return self.value()

    def _numpy(self) -> Any:
        if _tape_hooks.tracing:
            _tape_hooks.host_read(self)
        value = self._array
        if self._writing:
            with self._lock:
                value = self._array
        if self._device.xp is not np:
            value = value.get()
        return value[()] if value.ndim == 0 else value

    def numpy(self) -> Any:
        """A copy of the value as NumPy."""
        value = self._numpy()
        return value.copy() if isinstance(value, np.ndarray) else value

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.array(self._numpy(), dtype=dtype)  # a writable copy, as TF's

    def is_initialized(self, name: str | None = None) -> Tensor:
        return _make_typed(np.array(True), _dtypes.bool, _device.CPU)

    # --- writes ---------------------------------------------------------------------------------

    def _result(self, read_value: bool) -> Any:
        if not read_value:
            return None
        if _tape_hooks.active:  # TF's lazy read: tapes watch the variable, though reads of the result do not
            _tape_hooks.active[1](self, None)
        unread = self._unread
        if unread is None:
            unread = self._unread = _UnreadVariable(self)
        return unread

    def _on_device(self, t: Tensor) -> Any:
        """``t``'s array on the variable's device (copied there only if it is elsewhere)."""
        return t._value if t._device is self._device else self._device.put(t._value)

    def _write(self, fn: Callable[[Any], None]) -> None:
        """Runs ``fn(buffer)`` on a buffer that no read shares (copying first if one does)."""
        if _tape_hooks.tracing:
            _tape_hooks.refuse(f"a write into {self._name} that a trace cannot record (scatter, sliced assign, fused "
                               "update)")
        with self._lock, self._device.activate():
            self._writing = True  # first: a read that misses this flag is seen by the count below
            try:
                if _getrefcount(self._array) > _UNSHARED:  # a read still holds the buffer: copy on write
                    self._array = _fresh(self._device.xp, self._array)
                fn(self._array)
            finally:
                self._writing = False

    def assign(self, value: Any, use_locking: bool | None = None, name: str | None = None,
               read_value: bool = True) -> Any:
        """Writes ``value`` (converted to the variable's dtype) into the variable."""
        if _tape_hooks.tracing:  # a tf.function's trace records the write, to replay it
            _tape_hooks._tracer_hooks[2](self, "assign", value, read_value)
        array = _value_array(value, self._dtype, self._device, copy=False)
        with self._lock, self._device.activate():  # the variable's card current: its kernels run there
            shape = self._shape
            if shape._dims != array.shape and not shape.is_compatible_with(array.shape):
                raise ValueError(f"Cannot assign value to variable ' {self._name}': Shape mismatch.The variable "
                                 f"shape {shape}, and the assigned value shape {TensorShape(array.shape)} "
                                 "are incompatible.")
            self._writing = True  # first: a read that misses this flag is seen by the count below
            try:
                # ``array`` may be the buffer itself (``v.assign(v)``) or a view of it (``v.assign(v[::-1])``):
                # either is counted as a read, and the value is copied out
                if _getrefcount(self._array) <= _UNSHARED and self._array.shape == array.shape:
                    self._device.xp.copyto(self._array, array)  # no read holds the buffer: reuse it
                else:
                    self._array = _fresh(self._device.xp, array)
            finally:
                self._writing = False
        if _Flags.log_placement:
            _device.log_placement("AssignVariableOp", self._device)
        return self._result(read_value)

    def load(self, value: Any, session: Any = None) -> None:
        """TF1's ``load``: an ``assign`` that returns nothing."""
        self.assign(value, read_value=False)

    def count_up_to(self, limit: int) -> Tensor:
        """Returns the current value and adds 1, failing once the value has reached ``limit``."""
        op = "ResourceCountUpTo"
        _op_table.check_attrs(op, {"T": self._dtype})
        with self._lock, self._device.activate():
            current = self._array
            if current.ndim:
                raise _sparse.op_error(op, self._device.name, f"input is not a scalar: {_sparse.shape_text(current.shape)}")
            before = _fresh(self._device.xp, current)
            if int(before) >= limit:
                raise OutOfRangeError(None, None, f"{{{{function_node __wrapped__{op}_device_{self._device.name}}}}} "
                                                  f"Reached limit of {limit} [Op:{op}] name: ")
            after = _fresh(self._device.xp, current)
            after += 1
            self._array = after  # a new buffer: reads taken before keep their value
        return _make_typed(before, self._dtype, self._device)

    # --- Python operators that TF forbids on variables ------------------------------------------

    def __iadd__(self, other: Any) -> Any:
        raise RuntimeError(_inplace("variable += value", "variable.assign_add(value)", "variable + value"))

    def __isub__(self, other: Any) -> Any:  # TF's message says "variable * value" here
        raise RuntimeError(_inplace("variable -= value", "variable.assign_sub(value)", "variable * value"))

    def __imul__(self, other: Any) -> Any:
        raise RuntimeError(_inplace("var *= value", "var.assign(var * value)", "var * value"))

    def __itruediv__(self, other: Any) -> Any:
        raise RuntimeError(_inplace("var /= value", "var.assign(var / value)", "var / value"))

    __idiv__ = __irealdiv__ = __itruediv__

    def __setitem__(self, key: Any, value: Any) -> None:  # Python's own error, naming TF's class
        raise TypeError(f"'{_class_name(self)}' object does not support item assignment")

    def __delitem__(self, key: Any) -> None:
        raise TypeError(f"'{_class_name(self)}' object doesn't support item deletion")

    def __ipow__(self, other: Any) -> Any:
        raise RuntimeError(_inplace("var **= value", "var.assign(var ** value)", "var ** value"))

    # --- identity -------------------------------------------------------------------------------

    def ref(self) -> Any:
        from .tensor import Reference

        return Reference(self)

    experimental_ref = ref

    def __hash__(self) -> int:
        raise TypeError(f"Variable is unhashable. Instead, use variable.ref() as the key. (Variable: {self!r})")

    def __repr__(self) -> str:
        return (f"<tf.Variable '{self.name}' shape={self._shape} dtype={self._dtype.name}, "
                f"numpy={numpy_text(self, is_repr=True)}>")

    def __bool__(self) -> bool:
        return bool(self._numpy())

    def __float__(self) -> float:
        return float(self._numpy())

    def __int__(self) -> int:
        return int(self._numpy())

    def __complex__(self) -> complex:
        return complex(self._numpy())

    def __iter__(self) -> Any:
        return iter(self.value())

    def __copy__(self) -> Variable:
        return self

    def __deepcopy__(self, memo: Any) -> Variable:
        copied = Variable(self.value(), trainable=self._trainable, name=self._name[:-2] + "/",
                          constraint=self._constraint, synchronization=self._synchronization,
                          aggregation=self._aggregation, shape=self._shape)
        memo[id(self)] = copied
        return copied

    def __reduce__(self) -> Any:
        return (_rebuild, (self.numpy(), self._trainable, self._name))

    # TF's trackable protocol for a variable's saved value: checkpoints handle a tf.Variable directly, but objects
    # that wrap one (Keras's variables) save and restore through these.
    def _serialize_to_tensors(self) -> dict[str, Any]:
        return {"VARIABLE_VALUE": self}

    def _restore_from_tensors(self, restored_tensors: dict[str, Any]) -> Any:
        restored = convert_to_tensor(restored_tensors["VARIABLE_VALUE"])
        if not self._shape.is_compatible_with(restored.shape):
            raise ValueError(f"Received incompatible tensor with shape {restored.shape} when attempting to restore "
                             f"variable with shape {self._shape} and name {self.name}.")
        return self.assign(restored)

    def set_shape(self, shape: Any) -> None:
        self._shape = self._shape.merge_with(shape)


_root.append(Variable)  # the class whose construction creator scopes route


def _arithmetic_update(op_name: str, subtract: bool, doc: str) -> Callable:
    """``assign_add`` or ``assign_sub``: one body for both, with the common case (a Tensor of the variable's
    dtype on its device, no result wanted) taking no call beyond the kernel's."""
    def update(self: Variable, delta: Any, use_locking: bool | None = None, name: str | None = None,
               read_value: bool = True) -> Any:
        dev = self._device
        if dev.xp is not np and dev.xp.cuda.Device().id != dev.index:  # the kernel runs on the current card
            with dev.activate():
                return update(self, delta, use_locking, name, read_value)
        if _tape_hooks.tracing:
            _tape_hooks._tracer_hooks[2](self, update.__name__, delta, read_value)
        if type(delta) is Tensor and delta._dtype is self._dtype and delta._device is dev:
            array = delta._value  # an optimizer's update: nothing to convert
        else:
            array = _value_array(delta, self._dtype, dev, copy=False)
        if self._dtype._kind in "bS":  # (the only dtypes without a kernel: one test, off the hot path)
            _op_table.check_attrs(op_name, {"dtype": self._dtype})
        ufunc = dev.xp.subtract if subtract else dev.xp.add
        lock = self._lock
        lock.acquire()  # not ``with``: its __exit__ call costs ~0.08 us more, a tenth of the whole update
        try:
            shape = array.shape
            if shape != self._shape._dims and shape != self._array.shape:  # ``_dims``: no tuple is made
                shape = self._array.shape
                raise _sparse.op_error(op_name, dev.name, f"Cannot update variable with shape "
                                       f"{_sparse.shape_text(shape)} using a Tensor with shape "
                                       f"{_sparse.shape_text(array.shape)}, shapes must be equal.")
            self._writing = True
            if _getrefcount(self._array) <= _UNSHARED:
                ufunc(self._array, array, self._array)  # ``out`` given positionally: ~0.1 us cheaper
            else:  # into a new buffer given as ``out``: NumPy returns a scalar for 0-d inputs otherwise
                current = self._array
                self._array = ufunc(current, array, out=dev.xp.empty_like(current))
        finally:
            self._writing = False
            lock.release()
        if _Flags.log_placement:
            _device.log_placement(op_name, dev)
        return self._result(True) if read_value else None

    update.__name__ = "assign_sub" if subtract else "assign_add"
    update.__qualname__ = f"Variable.{update.__name__}"
    update.__doc__ = doc
    return update


Variable.assign_add = _arithmetic_update("AssignAddVariableOp", False, "Adds ``delta`` to the variable, in place.")
Variable.assign_sub = _arithmetic_update("AssignSubVariableOp", True, "Subtracts ``delta`` from the variable, in place.")


def _class_name(variable: Variable) -> str:
    """The class TF's errors name for ``variable``: ResourceVariable, or _UnreadVariable for what ``assign``
    returns."""
    return "ResourceVariable" if type(variable) is Variable else type(variable).__name__


def _rebuild(value: Any, trainable: bool, name: str) -> Variable:
    v = Variable(value, trainable=trainable)
    v._name = name
    return v


def _forwarded(slot: str) -> property:
    def get(self: _UnreadVariable) -> Any:
        return getattr(self._parent, slot)

    def set_(self: _UnreadVariable, value: Any) -> None:
        setattr(self._parent, slot, value)

    return property(get, set_)


class _UnreadVariable(Variable):
    """What ``assign*`` returns: the same variable, printed as TF prints it ('UnreadVariable')."""

    __slots__ = ("_parent",)

    def __init__(self, parent: Variable) -> None:  # a view of parent: Variable.__init__ is not run
        self._parent = parent._parent if isinstance(parent, _UnreadVariable) else parent

    @property
    def name(self) -> str:
        return "UnreadVariable"

    # TF's sparse reads watch the variable, as a plain read of this object does not (``_record_read``)
    def sparse_read(self, indices: Any, name: str | None = None) -> Tensor:
        return self._parent.sparse_read(indices, name)

    def gather_nd(self, indices: Any, name: str | None = None) -> Tensor:
        return self._parent.gather_nd(indices, name)


AbstractTensor.register(Variable)  # a tf.Variable is a TF tensor (tf.is_tensor), as in TF

for _slot in Variable.__slots__:
    if _slot not in ("__weakref__", "__dict__", "_name", "_unread"):
        setattr(_UnreadVariable, _slot, _forwarded(_slot))


def _unread_result(self: _UnreadVariable, read_value: bool) -> Any:
    if not read_value:
        return None
    if _tape_hooks.active:
        _tape_hooks.active[1](self._parent, None)
    return self


_UnreadVariable._result = _unread_result  # type: ignore[method-assign]
