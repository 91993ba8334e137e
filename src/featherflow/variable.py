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

from . import _tape_hooks
from . import device as _device
from . import dtypes as _dtypes
from . import sparse_updates as _sparse
from .device import _Flags
from .errors import OutOfRangeError
from .indexed_slices import IndexedSlices
from .naming import current_prefix
from .python_values import simple_list_array, to_array
from .shape import TensorShape, as_shape
from .tensor import Tensor, _make_typed, convert_to_tensor, numpy_text
from .variable_policy import VariableAggregation, VariableSynchronization, _validated

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


def _log(op_name: str, dev: _device.Device) -> None:
    if _Flags.log_placement:
        _device.log_placement(op_name, dev)


class Variable:
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
        if t._device is not dev and t._dtype is _dtypes.string:
            dev = _device.CPU  # strings live in host memory, as TF's: no device kernel takes them
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

    def sparse_read(self, indices: Any, name: str | None = None) -> Tensor:
        """The rows ``indices`` of the variable (TF's ResourceGather)."""
        from ._op_table import OPS  # filled by ops.registry (ops sit above this layer)

        idx = convert_to_tensor(indices)
        suffix = _name_suffix(indices)
        _sparse.check_indices("ResourceGather", idx._dtype, _GATHER_SIGNATURE, suffix)
        _sparse.gather_rows(self._array.shape, np.asarray(idx._numpy()), self._device.name, suffix)
        _log("ResourceGather", self._device)
        with _device.quiet():  # TF runs (and logs) one op, ResourceGather
            return OPS["GatherV2"](self.value(), idx, axis=0, batch_dims=0)

    def gather_nd(self, indices: Any, name: str | None = None) -> Tensor:
        """The slices of the variable at the index tuples in the last dimension of ``indices``."""
        from ._op_table import OPS  # filled by ops.registry (ops sit above this layer)

        idx = convert_to_tensor(indices)
        suffix = _name_suffix(indices)
        _sparse.check_indices("ResourceGatherNd", idx._dtype, _GATHER_ND_SIGNATURE, suffix)
        _sparse.gather_nd_check(self._array.shape, np.asarray(idx._numpy()), self._device.name, suffix)
        _log("ResourceGatherNd", self._device)
        with _device.quiet():
            return OPS["GatherNd"](self.value(), idx, batch_dims=0)

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
        with self._lock:
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
        array = _value_array(value, self._dtype, self._device, copy=False)
        with self._lock:
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

    def _update(self, op_name: str, ufunc: Any, delta: Any, read_value: bool) -> Any:
        if type(delta) is Tensor and delta._dtype is self._dtype and delta._device is self._device:
            array = delta._value  # the common case (an optimizer's update): nothing to convert
        else:
            array = _value_array(delta, self._dtype, self._device, copy=False)
        if self._dtype._kind in "bS":
            _sparse.check_update_dtype(op_name, self._dtype)
        with self._lock:
            shape = self._array.shape
            if shape != array.shape:
                raise _sparse.op_error(op_name, self._device.name, f"Cannot update variable with shape "
                                       f"{_sparse.shape_text(shape)} using a Tensor with shape "
                                       f"{_sparse.shape_text(array.shape)}, shapes must be equal.")
            self._writing = True
            try:
                if _getrefcount(self._array) <= _UNSHARED:
                    ufunc(self._array, array, self._array)  # ``out`` given positionally: ~0.1 us cheaper
                else:  # into a new buffer given as ``out``: NumPy returns a scalar for 0-d inputs otherwise
                    current = self._array
                    self._array = ufunc(current, array, out=self._device.xp.empty_like(current))
            finally:
                self._writing = False
        if _Flags.log_placement:
            _device.log_placement(op_name, self._device)
        return self._result(read_value)

    def assign_add(self, delta: Any, use_locking: bool | None = None, name: str | None = None,
                   read_value: bool = True) -> Any:
        """Adds ``delta`` to the variable, in place."""
        return self._update("AssignAddVariableOp", self._device.xp.add, delta, read_value)

    def assign_sub(self, delta: Any, use_locking: bool | None = None, name: str | None = None,
                   read_value: bool = True) -> Any:
        """Subtracts ``delta`` from the variable, in place."""
        return self._update("AssignSubVariableOp", self._device.xp.subtract, delta, read_value)

    def load(self, value: Any, session: Any = None) -> None:
        """TF1's ``load``: an ``assign`` that returns nothing."""
        self.assign(value, read_value=False)

    def count_up_to(self, limit: int) -> Tensor:
        """Returns the current value and adds 1, failing once the value has reached ``limit``."""
        op = "ResourceCountUpTo"
        if self._dtype.name not in ("int32", "int64"):
            raise _sparse.attr_error(op, "T", self._dtype, "int32, int64", "signature=resource:resource -> output:T; "
                                     "attr=limit:int; attr=T:type,allowed=[DT_INT32, DT_INT64]; is_stateful=true")
        with self._lock:
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

    # --- sparse writes ----------------------------------------------------------------------------

    def _scatter(self, op: str, sparse_delta: Any) -> Any:
        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError(f"Argument `sparse_delta` must be a `tf.IndexedSlices`. Received arg: {sparse_delta}")
        updates = _value_array(sparse_delta.values, self._dtype, self._device, copy=False)
        indices = convert_to_tensor(sparse_delta.indices)
        suffix = _name_suffix(sparse_delta.indices)
        _sparse.check_indices(op, indices._dtype, _sparse.scatter_signature(op), suffix)
        _sparse.check_scatter_dtype(op, self._dtype, indices._dtype, suffix)
        index_array, on_device = _host_indices(indices), self._on_device(indices)
        xp, device = self._device.xp, self._device.name
        self._write(lambda buffer: _sparse.scatter(xp, buffer, op, index_array, updates, device, suffix, on_device))
        _log(op, self._device)
        return self._result(True)

    def _scatter_nd(self, op: str, indices: Any, updates: Any) -> Any:
        update_array = _value_array(updates, self._dtype, self._device, copy=False)
        index_tensor = convert_to_tensor(indices)
        suffix = _name_suffix(indices)
        _sparse.check_indices(op, index_tensor._dtype, _sparse.scatter_nd_signature(op), suffix)
        _sparse.check_scatter_nd_dtype(op, self._dtype, index_tensor._dtype, suffix)
        index_array, on_device = _host_indices(index_tensor), self._on_device(index_tensor)
        xp, device = self._device.xp, self._device.name
        self._write(lambda buffer: _sparse.scatter_nd(xp, buffer, op, index_array, update_array, device, suffix,
                                                      on_device))
        _log(op, self._device)
        return self._result(True)

    def batch_scatter_update(self, sparse_delta: IndexedSlices, use_locking: bool = True,
                             name: str | None = None) -> Any:
        """``scatter_update`` along the last axis of ``indices``, with leading batch dimensions (TF's
        batch_scatter_update: the batch coordinates are prepended and ``scatter_nd_update`` does the rest)."""
        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError(f"Argument `sparse_delta` must be a `tf.IndexedSlices`. Received arg: {sparse_delta}")
        indices = convert_to_tensor(sparse_delta.indices)
        host = _host_indices(indices)
        n = host.ndim
        grids = [np.broadcast_to(np.arange(host.shape[d], dtype=host.dtype).reshape(
            [-1 if i == d else 1 for i in range(n)]), host.shape)[..., None] for d in range(n - 1)]
        nd = _make_typed(np.concatenate(grids + [host[..., None]], axis=-1), indices._dtype, _device.CPU)
        return self._scatter_nd("ResourceScatterNdUpdate", nd, sparse_delta.values)  # TF builds nd as a Tensor

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

    def set_shape(self, shape: Any) -> None:
        self._shape = self._shape.merge_with(shape)


def _scatter_method(method: str, op: str, doc: str) -> Callable:
    """A ``Variable.scatter_*`` method (one factory for the twelve: they differ only in TF's op)."""
    if method.startswith("scatter_nd"):
        def scatter(self: Variable, indices: Any, updates: Any, name: str | None = None) -> Any:
            return self._scatter_nd(op, indices, updates)
    else:
        def scatter(self: Variable, sparse_delta: IndexedSlices, use_locking: bool = False,
                    name: str | None = None) -> Any:
            return self._scatter(op, sparse_delta)
    scatter.__name__ = method
    scatter.__qualname__ = f"Variable.{method}"
    scatter.__doc__ = doc
    return scatter


for _method, _op, _doc in (
        ("scatter_update", "ResourceScatterUpdate", "Writes ``sparse_delta.values`` into the rows ``sparse_delta.indices``."),
        ("scatter_add", "ResourceScatterAdd", "Adds ``sparse_delta.values`` to the rows ``sparse_delta.indices`` (repeated rows add up)."),
        ("scatter_sub", "ResourceScatterSub", "Subtracts ``sparse_delta.values`` from the rows ``sparse_delta.indices``."),
        ("scatter_mul", "ResourceScatterMul", "Multiplies the rows ``sparse_delta.indices`` by ``sparse_delta.values``."),
        ("scatter_div", "ResourceScatterDiv", "Divides the rows ``sparse_delta.indices`` by ``sparse_delta.values``."),
        ("scatter_min", "ResourceScatterMin", "The minimum of the rows ``sparse_delta.indices`` and ``sparse_delta.values``."),
        ("scatter_max", "ResourceScatterMax", "The maximum of the rows ``sparse_delta.indices`` and ``sparse_delta.values``."),
        ("scatter_nd_update", "ResourceScatterNdUpdate", "Writes ``updates`` at the index tuples in the last dimension of ``indices``."),
        ("scatter_nd_add", "ResourceScatterNdAdd", "Adds ``updates`` at the index tuples in the last dimension of ``indices``."),
        ("scatter_nd_sub", "ResourceScatterNdSub", "Subtracts ``updates`` at the index tuples in the last dimension of ``indices``."),
        ("scatter_nd_max", "ResourceScatterNdMax", "The maximum of ``updates`` and the variable at the index tuples of ``indices``."),
        ("scatter_nd_min", "ResourceScatterNdMin", "The minimum of ``updates`` and the variable at the index tuples of ``indices``.")):
    setattr(Variable, _method, _scatter_method(_method, _op, _doc))


_GATHER_SIGNATURE = ("signature=resource:resource, indices:Tindices -> output:dtype; attr=batch_dims:int,default=0; "
                     "attr=validate_indices:bool,default=true; attr=dtype:type; attr=Tindices:type,allowed=[DT_INT32, "
                     "DT_INT64]; is_stateful=true")
_GATHER_ND_SIGNATURE = ("signature=resource:resource, indices:Tindices -> output:dtype; attr=dtype:type; "
                        "attr=Tindices:type,allowed=[DT_INT32, DT_INT64]; is_stateful=true")


def _class_name(variable: Variable) -> str:
    """The class TF's errors name for ``variable``: ResourceVariable, or _UnreadVariable for what ``assign``
    returns."""
    return "ResourceVariable" if type(variable) is Variable else type(variable).__name__


def _rebuild(value: Any, trainable: bool, name: str) -> Variable:
    v = Variable(value, trainable=trainable)
    v._name = name
    return v


def _value_array(value: Any, dtype: Any, dev: _device.Device, copy: bool) -> Any:
    """``value`` as a backend array of ``dev`` with TF's conversion rules for ``dtype`` (None: infer); with
    ``copy`` False the array may be a Tensor's own buffer or a NumPy input (callers must not keep it)."""
    t = type(value)
    if t is Tensor:
        if dtype is not None and value._dtype is not dtype:
            value.__tf_tensor__(dtype)  # raises TF's error
        array = value._value
        if value._device is not dev:
            return dev.put(array)
        return dev.xp.array(array, copy=True) if copy else array
    if t is np.ndarray or t is float or t is int or t is bool:  # straight to python_values, no Tensor made
        array = to_array(value, dtype, copy=copy)
        if _Flags.log_placement and _device._scope.spec is None:
            _device.log_placement("_EagerConst", dev)
        return array if dev.xp is np else dev.put(array)
    if t is list or t is tuple:
        array = simple_list_array(value, dtype)  # plain numbers: the array TF's conversion gives
        if array is not None:
            if _Flags.log_placement and _device._scope.spec is None:
                _device.log_placement("_EagerConst", dev)
            return array if dev.xp is np else dev.put(array)
    tensor = convert_to_tensor(value, dtype=dtype)
    array = tensor._value
    if tensor._device is not dev:
        return dev.put(array)
    if copy and hasattr(value, "__tf_tensor__"):  # another variable's buffer
        return dev.xp.array(array, copy=True)
    return array


def _host_indices(indices: Tensor) -> np.ndarray:
    """The indices of a sparse write on the host, where every check reads them (they are small)."""
    return np.asarray(indices._numpy())


def _name_suffix(indices: Any) -> bool:
    """Whether TF's error for a sparse write ends in `` name: ``: it does, except when the indices are a
    Python list or tuple or a NumPy scalar (then TF's eager fast path gives way to the slow one, which
    adds no name)."""
    return not isinstance(indices, (list, tuple, np.generic))


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
