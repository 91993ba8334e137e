"""``tf.autodiff.ForwardAccumulator``: forward-mode autodiff, Jacobian-vector products computed as ops run.

>>> import featherflow as tf
>>> x = tf.constant([1.0, 2.0])
>>> with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 0.0])) as acc:
...     y = x * x
>>> acc.jvp(y).numpy().tolist()
[2.0, 0.0]

Each op whose inputs have tangents gets its outputs' tangents by TF's "double VJP": the op's gradient rule
is run on stand-in output cotangents ("aids") under a private tape, and that recording is differentiated
with respect to the aids, seeded with the input tangents: the transpose of a linear map (the VJP) is the JVP.
Every gradient rule thus gives a JVP rule; the ops it runs are ops like any other, so an outer accumulator
or tape sees them (forward-over-forward, backward-over-forward), and a tape's backward pass run inside an
accumulator is itself accumulated (forward-over-backward: Hessian-vector products).

Nesting follows TF's order of entry: while an accumulator computes tangents, only the accumulators and the
tapes entered before it see the ops it runs, so inner ones ignore the products of outer ones.

The dispatcher's hooks (``_tape_hooks.recorders``) are swapped for this module's while an accumulator records
anywhere; they call the tapes' hooks first, so an op is on a tape before the ops of its JVP, which consume its
outputs (the order the backward pass relies on). No accumulator: the hot path is exactly the tapes'.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from .. import _tape_hooks
from ..indexed_slices import IndexedSlices
from ..nest import flatten, map_structure
from ..ops.array.core import broadcast_to_op, identity_op
from ..ops.array.gather import gather_op
from ..tensor import Tensor, convert_to_tensor
from ..variable import Variable
from . import tape as _tape
from ._log import warn_first_n
from .backward import _ones_like, backward, zeros_for
from .tape import TRAINABLE_IDS, UnconnectedGradients


class _ThreadState(threading.local):
    """Accumulators record only the ops of the thread they were entered in, as tapes do."""

    def __init__(self) -> None:
        self.accumulators: list[ForwardAccumulator] = []  # in order of entry: outer ones first
        self.stopped = 0  # > 0 between ``pause`` and ``resume``


_state = _ThreadState()
_recording: list = []  # one entry per accumulator recording, in all threads


def pause() -> None:
    """No accumulator of this thread sees the ops run until ``resume`` (the accumulators' half of TF's
    ``record.stop_recording``, under which ``recompute_grad`` runs its function)."""
    _state.stopped += 1


def resume() -> None:
    """Ends a ``pause``."""
    _state.stopped -= 1


def _record_op(op: Any, inputs: tuple, result: Any, attrs: dict) -> None:
    """The dispatcher's op hook while an accumulator records: the tapes first, then each accumulator."""
    if not op.recorded:  # tf.stop_gradient
        return
    _tape._record_op(op, inputs, result, attrs)
    # init_scope, recompute_grad's forward: TF's thread-wide stop stops accumulators too
    if _state.stopped or type(_tape._state.tapes) is not list:
        return
    for acc in _state.accumulators:
        if acc._busy:  # its JVP ops: seen only by the accumulators entered before it
            break
        acc._accumulate(op, inputs, result, attrs)


def _record_read(variable: Variable, value: Tensor | None) -> None:
    """The variable-read hook: a read of a watched variable has the variable's tangent (TF's special case for
    ``ReadVariableOp``, the identity)."""
    _tape._record_read(variable, value)
    if value is None or id(value._dtype) not in TRAINABLE_IDS or _state.stopped or type(_tape._state.tapes) is not list:
        return
    variable = getattr(variable, "_parent", variable)  # what ``assign`` returned reads the same handle
    for acc in _state.accumulators:
        if acc._busy:
            break
        entry = acc._tangents.get(id(variable))
        if entry is not None and entry[0] is variable and acc._lookup(value) is None:
            acc._set(value, entry[1])


_HOOKS = [_record_op, _record_read]


def _start() -> None:
    _recording.append(None)
    _tape._start()  # counts as a user of the hooks, so the tapes' bookkeeping never clears ours
    _tape_hooks.recorders[:] = _HOOKS
    _tape_hooks.refresh()


def _stop() -> None:
    _recording.pop()
    if not _recording:
        _tape_hooks.recorders[:] = _tape._HOOKS
    _tape._stop()  # clears the hooks when no tape records either
    if _recording:  # one still records in another thread
        _tape_hooks.recorders[:] = _HOOKS
    _tape_hooks.refresh()


def _object_id(x: Any) -> int:
    """The key of a Tensor or Variable; anything else raises TF's AttributeError (TF reads its ``_id``)."""
    if isinstance(x, Variable):
        return id(getattr(x, "_parent", x))
    if isinstance(x, Tensor):
        return id(x)
    return x._id  # Python's own message names the type as TF's does ('numpy.ndarray' object has no ...)


class ForwardAccumulator:
    """Computes Jacobian-vector products ("JVP"s) using forward-mode autodiff (``tf.autodiff.ForwardAccumulator``).

    >>> import featherflow as tf
    >>> v = tf.Variable([1.0, 2.0])
    >>> with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, 0.0])) as acc:
    ...     with tf.GradientTape() as tape:
    ...         y = tf.reduce_sum(v ** 3.0)
    ...     backward = tape.gradient(y, v)
    >>> acc.jvp(backward).numpy().tolist()  # forward-over-backward: a Hessian-vector product
    [6.0, 0.0]
    """

    def __init__(self, primals: Any, tangents: Any) -> None:
        # id -> (weak reference to the Tensor, or the Variable itself; its tangent). Weak: as in TF, a JVP is
        # dropped as soon as its primal is, so an accumulator holds no activations alive.
        self._tangents: dict[int, tuple] = {}
        self._recording = False
        self._busy = False  # computing a JVP: the ops it runs are not its own to accumulate
        self._outer_tapes: list = []  # the tapes recording when it was entered (TF's nesting order)
        seen: set[int] = set()
        for primal in flatten(primals):
            if id(primal) in seen:
                raise ValueError("Tensor {} was specified as a primal multiple times. This may indicate an error. "
                                 "If it was intended, please sum the corresponding tangents.")
            seen.add(id(primal))
        map_structure(self._watch, primals, tangents)

    def _watch(self, primal: Any, tangent: Any) -> None:
        dtype = primal.dtype  # TF's AttributeError for a primal that is not a Tensor or Variable
        if not dtype.is_floating:
            warn_first_n(5, "The dtype of the watched primal must be floating (e.g. tf.float32), got %r", dtype)
        tangent = convert_to_tensor(tangent, dtype=dtype)
        if isinstance(primal, Variable):
            variable = getattr(primal, "_parent", primal)
            self._tangents[id(variable)] = (variable, tangent)
        else:
            self._set(primal, tangent)

    def __enter__(self) -> ForwardAccumulator:
        self._push_accumulator()
        return self

    def __exit__(self, typ: Any, value: Any, traceback: Any) -> None:
        if self._recording:
            self._pop_accumulator()

    def _push_accumulator(self) -> None:
        if self._recording:
            raise ValueError("Accumulator is already recording.")
        self._outer_tapes = list(_tape._state.tapes)
        _state.accumulators.append(self)
        self._recording = True
        _start()

    def _pop_accumulator(self) -> None:
        if not self._recording:
            raise ValueError("Accumulator is not recording.")
        _state.accumulators.remove(self)
        self._outer_tapes = []
        self._recording = False
        _stop()

    def jvp(self, primals: Any, unconnected_gradients: Any = UnconnectedGradients.NONE) -> Any:
        """The JVPs computed for ``primals`` (a Tensor, Variable or nested structure of them), or None for one
        that no watched primal reaches (zeros with ``unconnected_gradients="zero"``). Computes nothing."""
        zero = UnconnectedGradients(unconnected_gradients) is UnconnectedGradients.ZERO

        def fetch(x: Any) -> Any:
            key = _object_id(x)
            entry = self._tangents.get(key)
            result = None
            if entry is not None:
                held = entry[0]
                if held is x or held is getattr(x, "_parent", None) or (type(held) is weakref.ref and held() is x):
                    result = entry[1]
            if result is None and zero:
                result = zeros_for(x)
            return result

        return map_structure(fetch, primals)

    # --- bookkeeping --------------------------------------------------------------------------------

    def _lookup(self, x: Any) -> Tensor | None:
        entry = self._tangents.get(id(x))
        if entry is None:
            return None
        held = entry[0]
        if held is x or (type(held) is weakref.ref and held() is x):
            return entry[1]
        return None

    def _set(self, x: Tensor, tangent: Tensor) -> None:
        key = id(x)
        tangents = self._tangents

        def drop(ref: weakref.ref, key: int = key, tangents: dict = tangents) -> None:
            entry = tangents.get(key)
            if entry is not None and entry[0] is ref:
                del tangents[key]

        tangents[key] = (weakref.ref(x, drop), tangent)

    # --- the JVP of one op --------------------------------------------------------------------------

    def _accumulate(self, op: Any, inputs: tuple, result: Any, attrs: dict) -> None:
        tangents = None
        for i, x in enumerate(inputs):
            t = self._lookup(x)
            if t is not None and id(x._dtype) in TRAINABLE_IDS:
                if tangents is None:
                    tangents = [None] * len(inputs)
                tangents[i] = t
        if tangents is None:
            return
        outs = result if type(result) is tuple else (result,)
        # none of the outputs takes a tangent: integer or boolean outputs, TF's NotDifferentiable, or
        # custom_gradient's op over outputs whose JVPs its function already gave (TF keeps those)
        if not op.differentiable or all(id(o._dtype) not in TRAINABLE_IDS or self._lookup(o) is not None
                                        for o in outs):
            return
        if op is identity_op:  # TF's special case: the tangent passes through
            self._set(result, tangents[0])
            return
        if op.grad is None:
            raise LookupError(f"gradient registry has no entry for: {op.name}")
        state = _tape._state
        saved = state.tapes
        outer = self._outer_tapes
        visible = [t for t in saved if any(t is o for o in outer)]
        self._busy = True
        try:
            out_tangents = _transpose(op, inputs, outs, type(result) is tuple, attrs, tangents, state, visible)
        finally:
            state.tapes = saved
            self._busy = False
        for o, t in zip(outs, out_tangents):
            if t is not None and id(o._dtype) in TRAINABLE_IDS and self._lookup(o) is None:
                self._set(o, t)


def _transpose(op: Any, inputs: tuple, outs: tuple, multi: bool, attrs: dict, tangents: list, state: Any,
               visible: list) -> list:
    """The output tangents of one op: its VJP, recorded as a function of the aids, transposed onto ``tangents``
    (TF's ``_jvp_helper``)."""
    aids = [_ones_like(o) if id(o._dtype) in TRAINABLE_IDS else None for o in outs]
    inner = _tape._Tape(False)
    for a in aids:
        if a is not None:
            inner.watched[id(a)] = a
    state.tapes = visible + [inner]
    try:
        if multi:
            gs: Any = tuple(zeros_for(o) if a is None else a for o, a in zip(outs, aids))
        else:
            gs = aids[0]
        result = outs if multi else outs[0]
        if op.grad_skip:
            skip = tuple(i for i, t in enumerate(tangents) if t is None)
            grads = op.grad(gs, result, *inputs, skip=skip, **attrs)
        else:
            grads = op.grad(gs, result, *inputs, **attrs) if attrs else op.grad(gs, result, *inputs)
    finally:
        state.tapes = visible
    if type(grads) is not tuple and type(grads) is not list:
        grads = (grads,)
    targets: list = []
    seeds: list = []
    for i, (gx, t) in enumerate(zip(grads, tangents)):
        if t is None or gx is None:
            continue
        if isinstance(gx, IndexedSlices):  # <IndexedSlices(v, i), t> = <v, gather(t, i)>
            targets.append(gx.values)
            seeds.append(gather_op(t, gx.indices, axis=0, batch_dims=0))
        elif isinstance(gx, Tensor):
            shape = gx._value.shape
            if shape != t._value.shape:  # the rule left the sum over broadcast dimensions to the tape: its
                _check_broadcast(t._value.shape, shape, op, i, inputs[i])  # transpose is a broadcast
                t = broadcast_to_op(t, shape=shape)
            targets.append(gx)
            seeds.append(t)
        # a constant (Python or NumPy) gradient does not depend on the aids: no contribution
    sources = [a for a in aids if a is not None]
    if not targets or not sources:
        return [None] * len(outs)
    found = iter(backward(inner.records, inner.watched, targets, seeds, sources, False))
    return [None if a is None else _dense(next(found)) for a in aids]


def _check_broadcast(tangent: tuple, shape: tuple, op: Any, index: int, primal: Any) -> None:
    """A tangent of another shape than its primal's: TF's shape error where it does not broadcast."""
    for a, b in zip(reversed(tangent), reversed(shape)):
        if a != 1 and a != b:
            raise ValueError(f"Dimensions must be equal, but are {a} and {b} for the tangent of input {index} of "
                             f"{op.name} with input shapes: {list(tangent)}, {list(primal.shape)}.")
    if len(tangent) > len(shape):
        raise ValueError(f"Shape must be at most rank {len(shape)} but is rank {len(tangent)} for the tangent of "
                         f"input {index} of {op.name} with input shapes: {list(tangent)}, {list(primal.shape)}.")


def _dense(g: Any) -> Any:
    if g is None or type(g) is Tensor:
        return g
    return convert_to_tensor(g)
