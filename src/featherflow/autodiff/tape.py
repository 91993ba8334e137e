"""``tf.GradientTape``: records the ops whose inputs it watches, and walks the record backwards.

>>> import featherflow as tf
>>> x = tf.Variable(3.0)
>>> with tf.GradientTape() as tape:
...     y = x * x
>>> tape.gradient(y, x).numpy()
np.float32(6.0)

A ``GradientTape`` owns at most one ``_Tape`` (TF's C++ tape): created on entering, dropped after the
``gradient`` call of a non-persistent tape (which frees everything it recorded) and replaced by ``reset``.
While a tape records, the dispatcher calls ``_record_op`` for each op (but StopGradient) and ``Variable.value``
calls ``_record_read``: the only two places that cost anything while recording.
"""

from __future__ import annotations

import threading
from typing import Any

from .. import _tape_hooks
from .. import dtypes as _dtypes
from ..nest import flatten, pack_sequence_as
from ..tensor import Tensor
from ..variable import Variable
from . import backward as _backward
from ._log import warn_first_n
from .backward import UnconnectedGradients as UnconnectedGradients

# TF's backprop_util.IsTrainable: only these dtypes carry gradients; ops reached only through other dtypes
# are not recorded, and their outputs are not watched.
TRAINABLE = frozenset({_dtypes.float16, _dtypes.bfloat16, _dtypes.float32, _dtypes.float64, _dtypes.complex64,
                       _dtypes.complex128})
# DTypes are singletons and DType.__hash__ is a Python call: the hot paths test ``id(dtype)`` instead.
TRAINABLE_IDS = frozenset(id(d) for d in TRAINABLE)


_NONE = UnconnectedGradients.NONE
_ZERO = UnconnectedGradients.ZERO


class _Tape:
    """What one recording holds: the records, the ids it watches, the variables it has watched."""

    __slots__ = ("records", "watched", "variables", "watch_accessed", "__weakref__")

    def __init__(self, watch_accessed: bool) -> None:
        # (op, inputs, result, attrs); a variable read is (None, variable, value, None)
        self.records: list[tuple] = []
        # id -> the object, kept alive so that its id stays unique while the tape lives
        self.watched: dict[int, Any] = {}
        self.variables: dict[int, Variable] = {}
        self.watch_accessed = watch_accessed

    def watch_variable(self, variable: Variable) -> None:
        key = id(variable)
        if key not in self.variables:
            self.variables[key] = variable
            self.watched[key] = variable

    def watched_variables(self) -> tuple:
        return tuple(sorted(self.variables.values(), key=_creation_order))


def _creation_order(variable: Variable) -> int:
    return variable._uid


class _ThreadState(threading.local):
    """Tapes record (and watchers watch) only the ops of the thread they were entered in, as in TF."""

    def __init__(self) -> None:
        self.tapes: list[_Tape] = []  # the tapes recording now
        self.watchers: list[VariableWatcher] = []  # custom_gradient's watchers of variable reads


_state = _ThreadState()
_users: list = []  # one entry per tape recording or watcher watching, in all threads
_watching: list = []  # one entry per watcher watching, in all threads (almost always empty)


def _record_op(op: Any, inputs: tuple, result: Any, attrs: dict) -> None:
    if not op.recorded:  # tf.stop_gradient's op (the dispatcher reports every op, for tf.function's traces)
        return
    for tape in _state.tapes:
        watched = tape.watched
        for t in inputs:
            if id(t) in watched:
                # TF's tape records a NotDifferentiable op too, so its outputs are watched (a gradient for them
                # exists); its record would pass no gradient back, so none is kept
                if op.differentiable:
                    tape.records.append((op, inputs, result, attrs))
                if type(result) is tuple:
                    for o in result:
                        if id(o._dtype) in TRAINABLE_IDS:
                            watched[id(o)] = o
                elif id(result._dtype) in TRAINABLE_IDS:
                    watched[id(result)] = result
                break


def _record_read(variable: Variable, value: Tensor | None) -> None:
    """A read of ``variable`` giving ``value``; ``value`` None: an access that reads nothing yet (TF's
    ``variable_accessed`` by ``assign*``, whose result is read lazily)."""
    if type(variable) is Variable:
        trainable = variable._trainable
    else:
        parent = getattr(variable, "_parent", None)
        if parent is None:
            trainable = variable._trainable
        else:  # a read of what ``assign`` returned: TF reads its handle without watching it, so only
            variable = parent  # tapes that already watch the variable record it
            trainable = value is None and parent._trainable
    if trainable and _watching:
        for watcher in _state.watchers:
            watcher._seen[id(variable)] = variable
    key = id(variable)
    for tape in _state.tapes:
        if (trainable and tape.watch_accessed) or key in tape.watched:
            watched = tape.watched
            if key not in tape.variables:
                tape.variables[key] = variable
                watched[key] = variable
            if value is not None and id(value._dtype) in TRAINABLE_IDS:
                tape.records.append((None, variable, value, None))
                watched[id(value)] = value


_HOOKS = [_record_op, _record_read]


def _start() -> None:
    """A tape or watcher starts: the dispatcher's hooks go on (list appends are atomic: no lock needed)."""
    _users.append(None)
    if not _tape_hooks.recorders:
        _tape_hooks.recorders[:] = _HOOKS
        _tape_hooks.refresh()


def _stop() -> None:
    """One stops; the hooks go off with the last one. Cleared first and then checked again, so that one
    starting meanwhile in another thread turns them back on."""
    _users.pop()
    if not _users:
        _tape_hooks.recorders.clear()
        if _users:
            _tape_hooks.recorders[:] = _HOOKS
        _tape_hooks.refresh()


class VariableWatcher:
    """Collects the trainable variables read inside it (TF's ``record.VariableWatcher``)."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[int, Variable] = {}

    def __enter__(self) -> VariableWatcher:
        _state.watchers.append(self)
        _watching.append(None)
        _start()
        return self

    def __exit__(self, *exc: Any) -> None:
        _state.watchers.remove(self)
        _watching.pop()
        _stop()

    def watched_variables(self) -> tuple:
        return tuple(self._seen.values())


def _is_watchable(t: Any) -> bool:
    return isinstance(t, (Tensor, Variable))


_NOT_PERSISTENT = "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)"
_INSIDE_CONTEXT = ("Calling GradientTape.gradient on a persistent tape inside its context is significantly less "
                   "efficient than calling it outside the context (it causes the gradient ops to be recorded on the "
                   "tape, leading to increased CPU and memory usage). Only call GradientTape.gradient inside the "
                   "context if you actually want to trace the gradient in order to compute higher order "
                   "derivatives.")


class GradientTape:
    """Records operations for automatic differentiation (``tf.GradientTape``).

    >>> import featherflow as tf
    >>> x = tf.constant(3.0)
    >>> with tf.GradientTape() as g:
    ...     g.watch(x)
    ...     y = x * x
    >>> print(g.gradient(y, x))
    tf.Tensor(6.0, shape=(), dtype=float32)
    """

    __slots__ = ("_tape", "_persistent", "_watch_accessed_variables", "_watched_variables", "_recording",
                 "__weakref__", "__dict__")

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True) -> None:
        self._tape: _Tape | None = None
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._watched_variables: tuple = ()
        self._recording = False

    def __enter__(self) -> GradientTape:
        self._push_tape()
        return self

    def __exit__(self, typ: Any, value: Any, traceback: Any) -> None:
        if self._recording:
            self._pop_tape()

    def _push_tape(self) -> None:
        if self._recording:
            raise ValueError("Tape is still recording, This can happen if you try to re-enter an already-active tape.")
        if self._tape is None:
            self._tape = _Tape(self._watch_accessed_variables)
        _state.tapes.append(self._tape)
        self._recording = True
        _start()

    def _pop_tape(self) -> None:
        if not self._recording:
            raise ValueError("Tape is not recording.")
        _state.tapes.remove(self._tape)
        self._recording = False
        _stop()

    def watch(self, tensor: Any) -> None:
        """Ensures that ``tensor`` (a Tensor, a Variable, or a nested structure of them) is traced."""
        # a composite (RaggedTensor, SparseTensor) watches all its components, as TF's (integer ones warn)
        for t in (tensor,) if type(tensor) is Tensor or type(tensor) is Variable else flatten(tensor, True):
            if not _is_watchable(t) and hasattr(t, "_should_act_as_resource_variable"):
                t = t.handle  # an object acting as a resource variable (Keras's Variable) watches its handle, as in TF
            if not _is_watchable(t):
                raise ValueError(f"Passed in object {t} of type {type(t).__name__!r}, not tf.Tensor or tf.Variable "
                                 "or ExtensionType.")
            trainable = id(t.dtype) in TRAINABLE_IDS
            if not trainable:
                warn_first_n(5, "The dtype of the watched tensor must be floating (e.g. tf.float32), got %r", t.dtype)
            tape = self._tape
            if tape is None:
                raise AttributeError("'NoneType' object has no attribute '_tape'")
            if type(t) is Variable:
                tape.watch_variable(t)
            elif isinstance(t, Variable):
                tape.watch_variable(getattr(t, "_parent", t))
            elif trainable:
                tape.watched[id(t)] = t

    def stop_recording(self) -> _StopRecording:
        """A context in which this tape records nothing.

        >>> import featherflow as tf
        >>> x = tf.constant(4.0)
        >>> with tf.GradientTape() as tape:
        ...     tape.watch(x)
        ...     with tape.stop_recording():
        ...         y = x ** 2
        >>> print(tape.gradient(y, x))
        None
        """
        if self._tape is None:
            raise RuntimeError("Trying to stop recording a tape which is not recording.")
        return _StopRecording(self)

    def reset(self) -> None:
        """Clears everything recorded, as if the context were exited and entered again with a new tape."""
        self._pop_tape()
        self._tape = None
        self._push_tape()

    def watched_variables(self) -> tuple:
        """The variables this tape has watched, in the order they were created."""
        if self._tape is not None:
            self._watched_variables = self._tape.watched_variables()
        elif type(self._watched_variables) is dict:
            self._watched_variables = tuple(sorted(self._watched_variables.values(), key=_creation_order))
        return self._watched_variables

    def gradient(self, target: Any, sources: Any, output_gradients: Any = None,
                 unconnected_gradients: Any = UnconnectedGradients.NONE) -> Any:
        """The gradient of ``target`` with respect to ``sources``, in the structure of ``sources``.

        A list (or nested structure) of targets is summed; a non-scalar target is seeded with ones (or with
        ``output_gradients``). Sources the target does not depend on give None, or zeros with
        ``unconnected_gradients=tf.UnconnectedGradients.ZERO``.
        """
        tape = self._tape
        if tape is None:
            raise RuntimeError(_NOT_PERSISTENT)
        if self._recording:
            if not self._persistent:
                self._pop_tape()
            else:
                warn_first_n(1, _INSIDE_CONTEXT)
        if target is None:
            raise TypeError("Argument `target` should be a list or nested structure of Tensors, Variables or "
                            "CompositeTensors to be differentiated, but received None.")
        flat_targets = [target] if type(target) is Tensor else _for_gradients(_flatten(target))
        flat = type(sources) is list and _is_flat(sources)  # the common case: a list of variables
        if type(sources) is Tensor or type(sources) is Variable:
            flat_sources = [sources]
        else:
            flat_sources = sources if flat else _flatten(sources)
        composites = not flat and _has_composites(flat_sources)
        flat_grads = None
        if output_gradients is not None:
            from ..ops.convert import tensor

            flat_grads = [None if g is None else tensor(g) for g in _for_gradients(_flatten(output_gradients))]
        if unconnected_gradients is not _NONE:
            try:
                unconnected_gradients = UnconnectedGradients(unconnected_gradients)
            except ValueError:
                raise ValueError(f"Unknown value for unconnected_gradients: {unconnected_gradients!r}") from None
        grads = _backward.backward(tape.records, tape.watched, flat_targets, flat_grads,
                                   _for_gradients(flat_sources) if composites else flat_sources,
                                   unconnected_gradients is _ZERO)
        if composites:
            grads = _regroup(flat_sources, grads)
        if not self._persistent:
            self._watched_variables = tape.variables  # sorted on demand by watched_variables()
            self._tape = None  # drops the records: what the tape held is freed now
        if flat:
            return grads
        if len(flat_sources) == 1 and flat_sources[0] is sources:
            return grads[0]
        return pack_sequence_as(sources, grads)

    def jacobian(self, target: Any, sources: Any, unconnected_gradients: Any = UnconnectedGradients.NONE,
                 parallel_iterations: Any = None, experimental_use_pfor: bool = True) -> Any:
        """d target[i...] / d source[j...], shaped ``target.shape + source.shape``, for each source.

        >>> import featherflow as tf
        >>> x = tf.constant([1.0, 2.0])
        >>> with tf.GradientTape() as g:
        ...     g.watch(x)
        ...     y = x * x
        >>> g.jacobian(y, x).numpy().tolist()
        [[2.0, 0.0], [0.0, 4.0]]
        """
        if self._tape is None:
            raise RuntimeError(_NOT_PERSISTENT)
        if not experimental_use_pfor and not self._persistent:
            raise RuntimeError("GradientTape must be created with persistent=True to compute the jacobian with eager "
                               "execution enabled and with  experimental_use_pfor set to False.")
        return _backward.jacobian(self, target, sources, unconnected_gradients)

    def batch_jacobian(self, target: Any, source: Any, unconnected_gradients: Any = UnconnectedGradients.NONE,
                       parallel_iterations: Any = None, experimental_use_pfor: bool = True) -> Any:
        """Per-example jacobians: ``result[b, y..., x...] = d target[b, y...] / d source[b, x...]``.

        >>> import featherflow as tf
        >>> x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        >>> with tf.GradientTape() as g:
        ...     g.watch(x)
        ...     y = x * x
        >>> g.batch_jacobian(y, x).shape
        TensorShape([2, 2, 2])
        """
        if self._tape is None:
            raise RuntimeError("A non-persistent GradientTape can only be used tocompute one set of gradients (or "
                               "jacobians)")
        return _backward.batch_jacobian(self, target, source, unconnected_gradients, experimental_use_pfor)


class _StopRecording:
    """``tape.stop_recording()``: pops the tape on entry and pushes it back on exit."""

    __slots__ = ("_owner",)

    def __init__(self, owner: GradientTape) -> None:
        self._owner = owner

    def __enter__(self) -> None:
        self._owner._pop_tape()

    def __exit__(self, *exc: Any) -> None:
        self._owner._push_tape()


_flatten = flatten


def _has_composites(items: list) -> bool:
    for x in items:
        if type(x) is not Variable and type(x) is not Tensor and hasattr(type(x), "_gradient_tensors"):
            return True
    return False


def _for_gradients(items: list) -> list:
    """``items`` with each composite replaced by the tensors a tape differentiates (a RaggedTensor: its flat
    values; a SparseTensor raises TF's ValueError), as TF's ``get_flat_tensors_for_gradients``."""
    if not _has_composites(items):
        return items
    out: list = []
    for x in items:
        if hasattr(type(x), "_gradient_tensors"):
            out.extend(x._gradient_tensors())
        else:
            out.append(x)
    return out


def _regroup(sources: list, grads: list) -> list:
    """The gradients of ``sources``: a composite's from the gradients of its tensors (TF's
    ``replace_flat_tensors_for_gradients``)."""
    out: list = []
    index = 0
    for x in sources:
        if hasattr(type(x), "_gradient_tensors"):
            n = len(x._gradient_tensors())
            out.append(x._from_gradient_tensors(grads[index:index + n]))
            index += n
        else:
            out.append(grads[index])
            index += 1
    return out


def _is_flat(items: list) -> bool:
    for x in items:
        if type(x) is not Variable and type(x) is not Tensor:
            return False
    return True
