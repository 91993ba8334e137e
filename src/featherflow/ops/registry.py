"""The op registry and dispatcher: every op is declared once, with its forward and its gradient.

>>> from featherflow.ops.registry import register
>>> @register("Twice")
... def twice(xp, x):
...     return x * 2
>>> @twice.gradient
... def _(g, ans, x):
...     return g * 2

``twice(tensor)`` runs the forward on the backend arrays of the current device, wraps the result in
a Tensor, and records the call on any active ``GradientTape``.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import _op_table
from .. import device as _device
from .._tape_hooks import active as recording
from ..backends import on_device as _on_device
from ..device import _Flags, _scope
from ..tensor import _FROM_NUMPY, Tensor
from ._contract import ANY as ANY
from ._contract import admit as _admit
from ._contract import check_attr as _check_attr
from ._contract import check_attrs as _check_attrs
from ._contract import check_call as _check_call
from ._contract import check_input as _check_input

OPS: dict[str, Op] = _op_table.OPS  # the values layer's view of the table: Tensor and Variable call ops through it
_op_table.check_attrs = _check_attrs  # (Variable's scatter and assign ops are not registered Ops)
_new = object.__new__
# A result is never a NumPy scalar (np.float32(3.0)), which NumPy returns for 0-d reductions: a Tensor holds
# a 0-d array, whose flags, views and in-place writes work as for any other shape.
_ndarray = np.ndarray
_OBJECT = np.dtype(object)  # strings' NumPy dtype: an op asked to make strings runs on the host
_generic = np.generic


class Op:
    """One TF op: its name, its forward over backend arrays, and its gradient rule (or none)."""

    __slots__ = ("name", "forward", "grad", "grad_skip", "n_outputs", "differentiable", "dtypes", "inputs",
                 "host_only", "ok1", "ok2", "contract", "recorded")

    def __init__(self, name: str, forward: Callable, n_outputs: int, differentiable: bool, dtypes: Any = None,
                 inputs: tuple | None = None, host_only: bool = False) -> None:
        self.name = name
        self.forward = forward
        self.grad: Callable | None = None
        self.grad_skip = False  # whether the rule takes ``skip``
        self.n_outputs = n_outputs  # 1: one Tensor; n > 1: a tuple; 0: a tuple of any length
        self.differentiable = differentiable  # False: TF's NotDifferentiable (gradient None); no ``grad``: LookupError
        # TF's tape records every op with a watched input, whatever its gradient (so a later op's gradient for its
        # output exists); only ``tf.stop_gradient`` runs its op unrecorded (tapes skip it; traces keep it)
        self.recorded = True
        self.dtypes = dtypes  # see ``register``
        self.inputs = inputs
        self.host_only = host_only
        # the dtype of the input(s) at the last one-input (two-input) call the contract accepted
        self.ok1: Any = None
        self.ok2: Any = None
        self.contract: Any = None  # built by ``_contract.admit`` on the first call

    def gradient(self, rule: Callable) -> Callable:
        """Declares the gradient rule ``rule(g, ans, *inputs, **attrs) -> one gradient per input``.

        A rule that has a keyword parameter ``skip`` is passed the positions of the inputs whose gradient
        nothing needs (constants, unwatched inputs: TF's ``skip_input_indices``), and may return None for them
        without computing them, e.g. ``matmul``'s gradient for a constant batch of inputs.
        """
        self.grad = rule
        code = rule.__code__  # not inspect.signature: importing inspect costs ~10 ms of `import featherflow`
        self.grad_skip = "skip" in code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
        return rule

    def __call__(self, *inputs: Tensor, **attrs: Any) -> Any:
        # The dispatcher of every op: unrolled for one and two inputs on the current device (most ops), and
        # without ``**attrs`` when there are none, since each of those costs about 0.1 us per op.
        dev = _scope.device
        forward = self.forward
        n = len(inputs)
        # The dtype contract: one identity check per input against the last accepted dtype; the full check
        # (``_contract.admit``) only when it differs, and always for ops of 0 or 3+ inputs or of several attrs.
        if n == 2:
            x, y = inputs
            ok = self.ok2
            if x._dtype is not ok or y._dtype is not ok:
                _admit(self, inputs, attrs)
                if self.host_only:
                    return self._on_host(inputs, attrs)
            if x._device is dev and y._device is dev:
                out = forward(dev.xp, x._value, y._value, **attrs) if attrs else forward(dev.xp, x._value, y._value)
            elif not _on_device(x._value.dtype) or not _on_device(y._value.dtype):
                return self._on_host(inputs, attrs)  # strings, float8, int4...: host memory only
            else:
                out = forward(dev.xp, dev.put(x._value), dev.put(y._value), **attrs)
        elif n == 1:
            x = inputs[0]
            if x._dtype is not self.ok1:
                _admit(self, inputs, attrs)
                if self.host_only:
                    return self._on_host(inputs, attrs)
            if x._device is dev:
                out = forward(dev.xp, x._value, **attrs) if attrs else forward(dev.xp, x._value)
            elif not _on_device(x._value.dtype):
                return self._on_host(inputs, attrs)
            else:
                out = forward(dev.xp, dev.put(x._value), **attrs)
        else:
            if n:
                _admit(self, inputs, attrs)
            if self.host_only or dev.xp is not np and (any(not _on_device(t._value.dtype) for t in inputs)
                                                       or any(a is _OBJECT or a is object for a in attrs.values())):  # strings made
                return self._on_host(inputs, attrs)
            out = forward(dev.xp, *[t._value if t._device is dev else dev.put(t._value) for t in inputs], **attrs)
        if self.n_outputs == 1:
            if type(out) is not _ndarray:
                if isinstance(out, _generic):  # NumPy reduces 0-d to a scalar
                    out = dev.xp.asarray(out)
                elif not hasattr(out, "dtype"):  # an object (string) result of 0-d inputs: bytes
                    out = np.array(out, dtype=object)
            result: Any = _new(Tensor)
            result._value = out
            result._dtype = _FROM_NUMPY[out.dtype]
            result._device = dev
        else:
            result = tuple([_wrap(o, dev) for o in out])
        if recording:
            recording[0](self, inputs, result, attrs)
        if _Flags.log_placement:
            _device.log_placement(self.name, dev)
        return result

    def _on_host(self, inputs: tuple, attrs: dict) -> Any:
        """Runs the op on the CPU, its inputs copied there (explicit, counted transfers), its results left there:
        a host-only op (TF's string kernels), or an op given strings, which live in host memory only (no
        device kernel takes them). The dispatcher's fast path never comes here: a host-only op's dtype is
        never cached (``ok1``/``ok2``), and string inputs on another device than the scope's take the
        cross-device branch."""
        if self.host_only:
            self.ok1 = self.ok2 = None
        cpu = _device.CPU
        arrays = [t._value if t._device is cpu else cpu.put(t._value) for t in inputs]
        scope = _scope
        saved, scope.device = scope.device, cpu  # a kernel's error names the device it ran on
        try:
            out = self.forward(np, *arrays, **attrs)
        finally:
            scope.device = saved
        result = _wrap(out, cpu) if self.n_outputs == 1 else tuple([_wrap(o, cpu) for o in out])
        if recording:
            recording[0](self, inputs, result, attrs)
        if _Flags.log_placement:
            _device.log_placement(self.name, cpu)
        return result

    def check(self, *inputs: Tensor, **attrs: Any) -> None:
        """The dispatcher's dtype check, run early: for wrappers that validate other arguments (an axis, a
        shape) after it, since TF checks dtypes first. ``attrs``: TF attrs of the call, string ones (``padding``)
        checked against their allowed values, all shown in a NotFoundError's NodeDef."""
        _check_call(self, inputs, attrs)

    def check_input(self, index: int, t: Tensor) -> None:
        """The dispatcher's dtype check of the input ``index`` alone, run early: for wrappers that convert and
        validate an op's inputs one at a time (the string ops)."""
        _check_input(self, index, t)

    def check_attr(self, attr: str, dtype: Any) -> None:
        """TF's check of a type attr that is not an input's dtype (``ArgMax``'s ``output_type``), or of a string
        attr's value (``padding``)."""
        _check_attr(self, attr, dtype)

    def __repr__(self) -> str:
        return f"<op {self.name}>"


def call_binary(op: Op, x: Tensor, y: Tensor) -> Any:
    """``op(x, y)`` for an op of one output, two inputs and no attrs, as a plain function: the hot path of the
    binary operators and wrappers (calling an Op instance, with ``*inputs, **attrs``, costs ~0.3 us more).
    Anything but the common case (both inputs on the current device, of the dtype the contract last
    admitted; not a host-only op) goes through ``Op.__call__``."""
    dev = _scope.device
    ok = op.ok2
    if x._dtype is not ok or y._dtype is not ok or x._device is not dev or y._device is not dev or op.host_only:
        return op(x, y)
    out = op.forward(dev.xp, x._value, y._value)
    if type(out) is not _ndarray and isinstance(out, _generic):  # as in Op.__call__
        out = dev.xp.asarray(out)
    result: Any = _new(Tensor)
    result._value = out
    result._dtype = _FROM_NUMPY[out.dtype]
    result._device = dev
    if recording:
        recording[0](op, (x, y), result, {})
    if _Flags.log_placement:
        _device.log_placement(op.name, dev)
    return result


def _wrap(array: Any, dev: _device.Device) -> Tensor:
    if type(array) is not _ndarray and isinstance(array, _generic):
        array = dev.xp.asarray(array)
    t = object.__new__(Tensor)
    t._value = array
    t._dtype = _FROM_NUMPY[array.dtype]
    t._device = dev
    return t


def constant_like(value: Any, like: Tensor) -> Tensor:
    """A 0-d constant with ``like``'s dtype and device, for gradient rules (``2 * x``, ``1 - y * y``).

    Builds the array directly: ``convert_to_tensor`` applies TF's Python conversion rules, which a rule's
    own constants do not need, at many times the cost.
    """
    dev = like._device
    xp = dev.xp
    if xp is np:
        array = np.asarray(value, dtype=like._value.dtype)
    else:  # a fill kernel on the card: ``asarray`` of a Python number would be a host->device copy
        with dev.activate():  # the device's card (a logical GPU's card need not be its index)
            array = xp.full((), value, dtype=like._value.dtype)
    t = _new(Tensor)
    t._value = array
    t._dtype = like._dtype
    t._device = dev
    return t


# called with each op registered from now on: a mode that wraps forwards (``enable_check_numerics``) wraps the
# ops of modules loaded while it is on
ON_REGISTER: list[Callable[[Op], None]] = []

# op name -> installer of the gradient ``tf.RegisterGradient``/``tf.no_gradient`` declared for it (``gradient_registry``)
PENDING_GRADIENTS: dict[str, Callable[[Op], None]] = {}


def register(name: str, n_outputs: int = 1, differentiable: bool = True, *, dtypes: Any = None,
             inputs: tuple | None = None, host_only: bool = False) -> Callable[[Callable], Op]:
    """Declares an op: its TF name, forward, and contract, which the dispatcher enforces on every call.

    ``dtypes``: the dtypes with a kernel, as a frozenset (for the attr ``T``) or a dict from type attr to
    frozenset; ``ANY`` for an op that takes every dtype; None (the default) for TF's CPU kernel registrations
    of the op ``name``. A dtype TF's op allows but no kernel takes raises TF's NotFoundError; one outside the
    allowed list its InvalidArgumentError, with TF's ``Op<...>`` signature.
    ``inputs``: the type attr of each positional input, where they differ from TF's op definition (an input TF
    passes as an attr, e.g. a reduction's axis); "T*" for a list of inputs; "" for an input left unchecked.
    ``host_only``: the op runs on the host (string ops), wherever it is placed.
    ``differentiable=False`` declares TF's NotDifferentiable (its gradient is None); a differentiable op
    without a ``gradient`` rule has no gradient registered (``tape.gradient`` raises LookupError).
    """

    def wrap(forward: Callable) -> Op:
        if name in OPS:
            raise ValueError(f"op {name} is registered twice")
        op = Op(name, forward, n_outputs, differentiable, dtypes, inputs, host_only)
        OPS[name] = op
        if name in PENDING_GRADIENTS:  # a gradient ``tf.RegisterGradient`` declared before the op existed
            PENDING_GRADIENTS.pop(name)(op)
        for hook in ON_REGISTER:
            hook(op)
        return op

    return wrap


def no_gradient_ops() -> list[str]:
    """Names of the ops declared without a gradient."""
    return sorted(n for n, op in OPS.items() if not op.differentiable)
