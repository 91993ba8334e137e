"""Traces of ``tf.function`` bodies: the ops, variable reads and variable writes one call made, replayed at later
calls with the same input signature without running the Python again (TF's tf.function does the same with a
graph: the Python runs once per signature, and later calls run what it built).

A trace is built while the first call runs (eagerly, so that call's results are real): the dispatcher, variable
reads and writes report to it through ``_tape_hooks``. Each tensor is a slot, *dynamic* when its value depends on
the call (an input tensor, a variable read, an op over such) and *static* otherwise (a constant, an input's
shape). A trace is refused (the function keeps running its Python at every call) when its Python depends on
what a replay would not reproduce: a host read of a dynamic value (``numpy()``, ``bool()``, ``int()``, so Python
branched on it), Python-side state (a dataset iterator, a legacy random op's offset, ``tf.py_function``), a write
it cannot record, or an output it cannot rebuild; a trace that creates variables is thrown away and the next
call traces again (TF creates variables on its first trace only).

Python may also have relied on the static shape of a dynamic value whose shape depends on values (``tf.where``,
``tf.unique``, an op given a computed shape): such ops are checked at replay; if one's shape differs from the
trace's, the variable writes the replay made are rolled back (it kept their old buffers) and the call runs its
Python instead.

>>> import featherflow as tf
>>> v = tf.Variable(1.0)
>>> @tf.function(autograph=False)
... def step(x):
...     v.assign_add(x)
...     return v * 2
>>> [float(step(tf.constant(1.0))) for _ in range(3)], step.experimental_get_tracing_count()
([4.0, 6.0, 8.0], 1)
"""

from __future__ import annotations

import functools
import threading
from typing import Any, Callable

import numpy as np

from . import _tape_hooks
from .backends import on_device as _on_device
from .device import _Flags, _scope
from .ops.registry import _OBJECT, Op, _wrap
from .tensor import Tensor
from .variable import Variable

_OP, _READ, _WRITE, _CALL = 0, 1, 2, 3
_get_ident = threading.get_ident

# ops whose output shapes depend on input values whatever their dtypes
_VALUE_SHAPED = frozenset({
    "Where", "Unique", "UniqueV2", "UniqueWithCounts", "UniqueWithCountsV2", "ListDiff", "DynamicPartition",
    "DenseToDenseSetOperation", "DenseToSparseSetOperation", "SparseToSparseSetOperation", "Range", "LinSpace",
    "NonMaxSuppression", "NonMaxSuppressionV2", "NonMaxSuppressionV3", "NonMaxSuppressionV4", "NonMaxSuppressionV5",
    "NonMaxSuppressionWithOverlaps", "CombinedNonMaxSuppression", "BooleanMask", "RaggedRange",
})
# ops whose outputs depend only on their inputs' shapes: static whatever the values
_SHAPE_ONLY = frozenset({"Shape", "ShapeN", "Size", "Rank", "ZerosLike", "OnesLike"})
# ops whose integer or boolean inputs are data, never sizes (the positions given; None: all): an op given a
# dynamic integer or boolean anywhere else may have an output shape that depends on its value
_ALL = None
_INTEGER_DATA: dict[str, Any] = {name: _ALL for name in (
    "Cast", "Identity", "IdentityN", "StopGradient", "Add", "AddV2", "Sub", "Mul", "Div", "RealDiv", "FloorDiv",
    "FloorMod", "TruncateDiv", "TruncateMod", "Maximum", "Minimum", "Pow", "Neg", "Abs", "Sign", "Square",
    "Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual", "LogicalAnd", "LogicalOr", "LogicalNot",
    "Select", "SelectV2", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "Invert", "LeftShift", "RightShift",
    "MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3", "Relu", "AddN", "SquaredDifference", "Pack",
    "SparseSoftmaxCrossEntropyWithLogits", "DivNoNan", "MulNoNan", "Reciprocal", "IsNan", "IsInf", "IsFinite",
    "ClipByValue", "Round", "Floor", "Ceil", "Rint", "PopulationCount", "ZerosLike", "OnesLike",
)}
_INTEGER_DATA.update({
    "GatherV2": (0, 1), "Gather": (0, 1), "GatherNd": (0, 1), "ResourceGather": (1,), "OneHot": (0, 2, 3),
    "ArgMax": (0,), "ArgMin": (0,), "Sum": (0,), "Mean": (0,), "Max": (0,), "Min": (0,), "Prod": (0,),
    "All": (0,), "Any": (0,), "Cumsum": (0,), "Cumprod": (0,), "Reshape": (0,), "ExpandDims": (0,),
    "Squeeze": (0,), "Transpose": (0,), "Tile": (0,), "StridedSlice": (0,), "Slice": (0,), "Pad": (0,),
    "PadV2": (0, 2), "BroadcastTo": (0,), "Fill": (1,), "InTopKV2": (0, 1), "ConcatV2": "all but last",
    "StatelessRandomUniformV2": (1, 2, 3), "StatelessRandomNormalV2": (1, 2, 3),
    "StatelessTruncatedNormalV2": (1, 2, 3), "StatelessRandomUniformIntV2": (1, 2, 3, 4, 5),
    "StatelessRandomUniform": (1,), "StatelessRandomNormal": (1,), "StatelessTruncatedNormal": (1,),
    "StatelessRandomUniformInt": (1, 2, 3), "StatelessRandomGetKeyCounter": (0,),
    "StatelessRandomGetKeyCounterAlg": (0,), "StatelessRandomBinomial": (1, 2, 3),
    "TensorScatterUpdate": (0, 1, 2), "TensorScatterAdd": (0, 1, 2), "TensorScatterSub": (0, 1, 2),
    "UnsortedSegmentSum": (0, 1), "BiasAdd": _ALL, "BiasAddGrad": _ALL, "ReluGrad": _ALL,
})


class ShapeChanged(Exception):
    """A replayed op's output shape differs from the trace's: the trace does not hold for this call."""


class Plan:
    """A finished trace: what a replay runs."""

    __slots__ = ("template", "input_slots", "steps", "outputs", "structure", "undo", "pack")

    def __init__(self, template: list, input_slots: tuple, steps: list, outputs: list, structure: Any,
                 undo: bool, pack: Callable) -> None:
        self.template = template  # the environment before a call: static tensors in their slots
        self.input_slots = input_slots
        self.steps = steps
        self.outputs = outputs  # per output leaf: (slot, None) or (-1, value)
        self.structure = structure
        self.undo = undo  # whether some write comes before an op whose shape is checked
        self.pack = pack

    def run(self, flat_inputs: list) -> Any:
        """Replays the trace on ``flat_inputs`` (the call's tensors, in the trace's order)."""
        env = self.template.copy()
        for slot, t in zip(self.input_slots, flat_inputs):
            env[slot] = t
        undo: list | None = [] if self.undo else None
        scope = _scope
        flags = _Flags
        home = scope.device
        current = home
        try:
            for step in self.steps:
                kind = step[0]
                if kind == _OP:
                    _, op, ins, attrs, outs, shapes, device, release, direct = step
                    if device is not current:
                        scope.device = current = device
                    if direct and not flags.log_placement:  # the dispatcher's checks held at the trace
                        out = op.forward(device.xp, *[env[i]._value for i in ins], **attrs)
                        result = _wrap(out, device) if type(outs) is int else tuple([_wrap(o, device) for o in out])
                    else:
                        result = op(*[env[i] for i in ins], **attrs)
                    if type(outs) is int:
                        env[outs] = result
                        if shapes is not None and result._value.shape != shapes:
                            raise ShapeChanged(op.name)
                    else:
                        for slot, r in zip(outs, result):
                            env[slot] = r
                        if shapes is not None and tuple(r._value.shape for r in result) != shapes:
                            raise ShapeChanged(op.name)
                    if release:
                        for i in release:
                            env[i] = None
                elif kind == _READ:
                    value = env[step[2]] = step[1].value()
                    if step[3] is not None and value._value.shape != step[3]:  # a variable of unknown shape
                        raise ShapeChanged("ReadVariableOp")
                elif kind == _CALL:
                    _, fn, args, kwargs, out, device, release = step
                    if device is not current:
                        scope.device = current = device
                    result = fn(*_rebuild(args, env), **_rebuild(kwargs, env))
                    _store(out, result, env)
                    if release:
                        for i in release:
                            env[i] = None
                else:
                    _, variable, method, slot, value, keep, release = step
                    if keep and undo is not None:
                        undo.append((variable, variable._array))  # held: the write copies rather than overwrites
                    getattr(variable, method)(env[slot] if slot >= 0 else value, read_value=False)
                    if release:
                        for i in release:
                            env[i] = None
        except ShapeChanged:
            for variable, array in reversed(undo or ()):
                with variable._lock:
                    variable._array = array
            raise
        finally:
            if current is not home:
                scope.device = home
        leaves = [env[slot] if slot >= 0 else value for slot, value in self.outputs]
        return self.pack(self.structure, leaves)


class Trace:
    """A trace being built, in the thread that runs the function's first call."""

    def __init__(self) -> None:
        self.thread = _get_ident()
        self.slots: dict[int, int] = {}  # id(tensor) -> slot
        self.keep: list = []  # every tensor seen, so that no id is reused while the trace is built
        self.template: list = []
        self.dynamic: list[bool] = []
        self.steps: list = []
        self.refused: str | None = None
        self.retrace = False
        self.input_slots: tuple = ()
        self.suspended = 0  # > 0 inside an opaque call (``opaque``): nothing in it is recorded

    def _new(self, t: Tensor, dynamic: bool, constant: bool = False) -> int:
        slot = len(self.template)
        self.slots[id(t)] = slot
        self.keep.append(t)
        self.template.append(t if constant else None)
        self.dynamic.append(dynamic)
        return slot

    def _slot(self, t: Tensor) -> int:
        """``t``'s slot; a tensor the trace has not seen made is a constant (built from Python values)."""
        slot = self.slots.get(id(t))
        return self._new(t, False, constant=True) if slot is None else slot

    def inputs(self, tensors: list) -> None:
        self.input_slots = tuple(self._new(t, True) for t in tensors)

    def op(self, op: Any, inputs: tuple, result: Any, attrs: dict) -> None:
        if type(op) is not Op:
            return  # a custom_gradient's record, for the tapes only: its ops are recorded one by one
        ins = tuple(self._slot(t) for t in inputs)
        dynamic = [self.dynamic[i] for i in ins]
        name = op.name
        is_dynamic = any(dynamic) and name not in _SHAPE_ONLY or not inputs
        checked = any(dynamic) and (name in _VALUE_SHAPED or _sizes_from_values(name, inputs, dynamic))
        if type(result) is tuple:
            outs: Any = tuple(self._new(r, is_dynamic) for r in result)
            shapes: Any = tuple(r._value.shape for r in result)
        else:
            outs = self._new(result, is_dynamic)
            shapes = result._value.shape
        device = _scope.device
        if any(t._dtype._kind == "S" for t in inputs):  # strings: their sizes come from values
            checked = checked or any(dynamic)
        # the kernel can be called directly at replay when the dispatcher would call it as it is: the inputs on
        # the op's device, in memory that device holds, nothing that runs on the host instead
        direct = (not op.host_only and all(t._device is device for t in inputs)
                  and (device.xp is np or all(_on_device(t._value.dtype) for t in inputs)
                       and not any(a is _OBJECT or a is object for a in attrs.values()))
                  and (type(result) is tuple or result._device is device))
        self.steps.append([_OP, op, ins, attrs, outs, shapes if checked else None, device, None, direct])

    def read(self, variable: Any, value: Tensor) -> None:
        parent = getattr(variable, "_parent", None)
        variable = variable if parent is None else parent
        # a variable made with an unknown shape may be assigned another: its reads are checked at replay
        shape = None if variable.shape.is_fully_defined() else value._value.shape
        self.steps.append([_READ, variable, self._new(value, True), shape])

    def write(self, variable: Any, method: str, value: Any) -> None:
        parent = getattr(variable, "_parent", None)
        if parent is not None:
            variable = parent
        if type(variable) is not Variable:
            self.refuse(f"it writes a {type(variable).__name__}")
            return
        if isinstance(value, Tensor):
            slot, static = self._slot(value), None
        elif isinstance(value, Variable) or _is_python_value(value):
            slot, static = -1, value  # a variable is read again by the replayed write
        else:
            self.refuse(f"it writes a {type(value).__name__} (not a tensor) into {variable.name}")
            return
        self.steps.append([_WRITE, variable, method, slot, static, False, None])

    def call(self, fn: Callable, args: tuple, kwargs: dict) -> Any:
        """Runs ``fn`` as one step of the trace: at replay it is called again, on the replay's tensors."""
        args_spec, args = self._spec(args)
        kwargs_spec, kwargs = self._spec(kwargs)
        self.suspended += 1
        try:
            result = fn(*args, **kwargs)
        finally:
            self.suspended -= 1
        if self.refused is None:
            out = self._out_spec(result)
            self.steps.append([_CALL, fn, args_spec, kwargs_spec, out, _scope.device, None])
        return result

    def _spec(self, value: Any) -> tuple[Any, Any]:
        """(spec, value): tensors in ``value`` become their slots (``_Slot``) in the spec; iterators (a ``zip``
        of gradients and variables) are read into lists, in both."""
        kind = type(value)
        if kind is Tensor:
            return _Slot(self._slot(value)), value
        if kind is list or kind is tuple or kind is zip or kind is map or _is_iterator(value):
            pairs = [self._spec(v) for v in value]
            make = tuple if kind is tuple else list
            return make(p[0] for p in pairs), make(p[1] for p in pairs)
        if kind is dict:
            pairs = {k: self._spec(v) for k, v in value.items()}
            return {k: p[0] for k, p in pairs.items()}, {k: p[1] for k, p in pairs.items()}
        if _is_python_value(value) or isinstance(value, Variable) or not getattr(value, "is_tensor_like", False):
            return value, value  # variables, Python values and objects stand for themselves
        self.refuse(f"it passes a {kind.__name__} to an opaque call")
        return value, value

    def _out_spec(self, value: Any) -> Any:
        kind = type(value)
        if kind is Tensor:
            return _Slot(self._new(value, True))
        if kind is list or kind is tuple:
            return kind(self._out_spec(v) for v in value)
        if kind is dict:
            return {k: self._out_spec(v) for k, v in value.items()}
        if _is_python_value(value) or isinstance(value, Variable):
            return value
        self.refuse(f"an opaque call returns a {kind.__name__}")
        return value

    def host_read(self, value: Any) -> None:
        if isinstance(value, Tensor):
            slot = self.slots.get(id(value))
            if slot is None or not self.dynamic[slot]:
                return
            self.refuse("its Python reads the value of a tensor that depends on the call (numpy(), bool(), int())")
        else:
            self.refuse(f"its Python reads the value of the variable {getattr(value, 'name', value)}")

    def variables(self) -> list:
        """The variables the body read or wrote, in the order of their first use (what TF's graph captures)."""
        seen: dict = {}
        for step in self.steps:
            if step[0] == _READ or step[0] == _WRITE:
                seen.setdefault(id(step[1]), step[1])
        return list(seen.values())

    def refuse(self, reason: str, retrace: bool = False) -> None:
        if self.refused is None:
            self.refused = reason
        self.retrace = self.retrace or retrace

    def finish(self, outputs: list, structure: Any, pack: Callable) -> Plan | None:
        """The plan for later calls, or None when refused."""
        if self.refused is not None:
            return None
        out = []
        for leaf in outputs:
            if isinstance(leaf, Tensor):
                out.append((self._slot(leaf), None))
            elif _is_python_value(leaf):
                out.append((-1, leaf))
            else:
                self.refuse(f"it returns a {type(leaf).__name__}")
                return None
        steps = self.steps
        last_checked = max((i for i, s in enumerate(steps) if s[0] == _OP and s[5] is not None
                            or s[0] == _READ and s[3] is not None), default=-1)
        # each slot is let go after its last use, so that a write finds no read holding its variable's buffer
        last_use: dict[int, int] = {}
        for index, step in enumerate(steps):
            if step[0] == _OP:
                for i in step[2]:
                    last_use[i] = index
            elif step[0] == _WRITE and step[3] >= 0:
                last_use[step[3]] = index
            elif step[0] == _CALL:
                for i in _slots_in((step[2], step[3])):
                    last_use[i] = index
                if index < last_checked:  # its writes are unknown: they could not be rolled back
                    self.refuse("an opaque call (an optimizer's update) comes before an op whose output shape "
                                "depends on values")
                    return None
        kept = {slot for slot, _ in out if slot >= 0}
        releases: dict[int, list] = {}
        for slot, index in last_use.items():
            if slot not in kept and self.template[slot] is None:
                releases.setdefault(index, []).append(slot)
        for index, step in enumerate(steps):  # results nothing uses: let go at once
            if step[0] == _OP:
                outs = step[4] if type(step[4]) is tuple else (step[4],)
                releases.setdefault(index, []).extend(s for s in outs if s not in last_use and s not in kept)
        plan_steps: list = []
        undo = False
        for index, step in enumerate(steps):
            if step[0] == _READ and step[2] not in last_use and step[2] not in kept:
                continue  # a read nothing uses (a replay has no tape to tell)
            if step[0] == _OP:
                step[7] = tuple(releases.get(index, ()))
            elif step[0] == _CALL:
                step[6] = tuple(releases.get(index, ()))
            elif step[0] == _WRITE:
                step[5] = index < last_checked
                undo = undo or step[5]
                step[6] = tuple(releases.get(index, ()))
            plan_steps.append(tuple(step))
        return Plan(self.template, self.input_slots, plan_steps, out, structure, undo, pack)


def _is_python_value(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_python_value(v) for v in value)
    return False


class _Slot:
    """A tensor's place in an opaque call's arguments or results."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


def _is_iterator(value: Any) -> bool:
    return hasattr(value, "__next__") and hasattr(value, "__iter__") and not isinstance(value, (str, bytes))


def _rebuild(spec: Any, env: list) -> Any:
    kind = type(spec)
    if kind is _Slot:
        return env[spec.index]
    if kind is list or kind is tuple:
        return kind(_rebuild(v, env) for v in spec)
    if kind is dict:
        return {k: _rebuild(v, env) for k, v in spec.items()}
    return spec


def _store(spec: Any, value: Any, env: list) -> None:
    if type(spec) is _Slot:
        env[spec.index] = value
    elif type(spec) is list or type(spec) is tuple:
        for s, v in zip(spec, value):
            _store(s, v, env)
    elif type(spec) is dict:
        for k, s in spec.items():
            _store(s, value[k], env)


def _slots_in(spec: Any) -> list:
    kind = type(spec)
    if kind is _Slot:
        return [spec.index]
    if kind is list or kind is tuple:
        return [i for v in spec for i in _slots_in(v)]
    if kind is dict:
        return [i for v in spec.values() for i in _slots_in(v)]
    return []


def _sizes_from_values(name: str, inputs: tuple, dynamic: list) -> bool:
    """Whether a dynamic integer or boolean input of the op may set an output's shape."""
    data = _INTEGER_DATA.get(name, ())
    last = len(inputs) - 1
    for position, (t, is_dynamic) in enumerate(zip(inputs, dynamic)):
        if not is_dynamic or t._dtype._kind not in "iub":
            continue
        if data is None or data == "all but last" and position != last:
            continue
        if type(data) is tuple and position in data:
            continue
        return True
    return False


# --- the hooks: the tracer's pair forwards each report to the tapes' ------------------------------------------

def _current() -> Trace | None:
    """The innermost trace being built in this thread (a function called in another's body traces itself)."""
    ident = _get_ident()
    for trace in reversed(_tape_hooks.tracing):
        if trace.thread == ident:
            return trace
    return None


def _record_op(op: Any, inputs: tuple, result: Any, attrs: dict) -> None:
    trace = _current()
    if trace is not None and trace.refused is None and not trace.suspended:
        trace.op(op, inputs, result, attrs)
    recorders = _tape_hooks.recorders
    if recorders:
        recorders[0](op, inputs, result, attrs)


def _record_read(variable: Any, value: Tensor | None) -> None:
    if value is not None:
        trace = _current()
        if trace is not None and trace.refused is None and not trace.suspended:
            trace.read(variable, value)
    recorders = _tape_hooks.recorders
    if recorders:
        recorders[1](variable, value)


def _record_write(variable: Any, method: str, value: Any, read_value: bool) -> None:
    trace = _current()
    if trace is not None and trace.refused is None and not trace.suspended:
        trace.write(variable, method, value)


def _host_read(value: Any) -> None:
    trace = _current()
    if trace is not None and trace.refused is None and not trace.suspended:
        trace.host_read(value)


def _refuse(reason: str, retrace: bool) -> None:
    trace = _current()
    if trace is not None and (retrace or not trace.suspended):  # an opaque call runs again at every replay
        trace.refuse(reason, retrace)


_tape_hooks._tracer_hooks[:] = [_record_op, _record_read, _record_write, _host_read, _refuse]


def current_trace() -> Trace | None:
    """The trace being built in this thread, if any: a tf.function called in another's body is one opaque step
    of that body's trace (it traces and replays itself, as TF calls one graph function from another)."""
    return _current() if _tape_hooks.tracing else None


class tracing:  # noqa: N801 - a context manager used like a function
    """Builds ``trace`` while the body runs in this thread."""

    def __init__(self, trace: Trace) -> None:
        self.trace = trace

    def __enter__(self) -> Trace:
        _tape_hooks.tracing.append(self.trace)
        _tape_hooks.refresh()
        return self.trace

    def __exit__(self, *exc: Any) -> None:
        _tape_hooks.tracing.remove(self.trace)
        _tape_hooks.refresh()


def opaque(fn: Callable) -> Callable:
    """Makes ``fn`` one step of any trace its call is part of: at replay it runs again (its Python, its ops, its
    reads and writes) on the replay's tensors, where the trace records nothing inside it. For self-contained
    updates that work on arrays directly (featherflow's optimizers). Outside a trace: ``fn`` itself."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _tape_hooks.tracing:
            trace = _current()
            if trace is not None and not trace.suspended:
                return trace.call(fn, args, kwargs)
        return fn(*args, **kwargs)

    return wrapper
