"""``tf.custom_gradient`` and ``tf.recompute_grad``.

A custom-gradient call runs ``f`` (recorded as usual), then records one op on the tapes: its inputs are
``f``'s positional tensor arguments plus the variables ``f`` read, its outputs are identities of ``f``'s
results, and its rule calls the user's ``grad_fn``. The rule runs with the outer tapes recording, so ops
in ``grad_fn`` are differentiable again (higher orders work).

>>> import featherflow as tf
>>> @tf.custom_gradient
... def log1pexp(x):
...     e = tf.exp(x)
...     def grad(upstream):
...         return upstream * (1 - 1 / (1 + e))
...     return tf.math.log(1 + e), grad
>>> x = tf.constant(100.0)
>>> with tf.GradientTape() as tape:
...     tape.watch(x)
...     y = log1pexp(x)
>>> tape.gradient(y, x).numpy()
np.float32(1.0)
"""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable

from .. import _tape_hooks
from ..nest import flatten, map_structure, pack_sequence_as
from ..ops.array.core import identity_op
from ..ops.convert import tensor
from ..runtime_config import in_function_body
from ..tensor import Tensor
from . import tape as _tape
from .tape import GradientTape, UnconnectedGradients, VariableWatcher


class Bind:
    """A decorated function that stays a decorator when used on a method (TF's ``custom_gradient.Bind``)."""

    def __init__(self, f: Callable, decorated: Callable) -> None:
        self._f = f
        self._d = decorated
        functools.update_wrapper(self, f)

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self
        return Bind(self._f.__get__(instance, owner), self._d)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._d(self._f, args, kwargs)


def custom_gradient(f: Callable | None = None) -> Any:
    """Decorates ``f(*x) -> (y, grad_fn)`` so that the gradient of ``y`` is ``grad_fn(dy)``.

    ``grad_fn(*dys)`` returns one gradient per positional argument of ``f``; if ``f`` reads trainable
    variables that are not arguments, ``grad_fn`` takes ``variables=`` and returns ``(input_grads,
    variable_grads)``.
    """
    if f is None:
        return lambda fn: custom_gradient(fn)
    return Bind(f, _call)


class _CustomOp:
    """The record's op: its ``grad`` rule runs the user's gradient function."""

    __slots__ = ("name", "grad_fn", "variables", "n_args")
    grad_skip = False  # the user's grad_fn computes every gradient
    differentiable = True  # as the registry's ops: recorded
    recorded = True

    def __init__(self, name: str, grad_fn: Callable, variables: list, n_args: int) -> None:
        self.name = name
        self.grad_fn = grad_fn
        self.variables = variables
        self.n_args = n_args

    def grad(self, gs: tuple, outputs: tuple, *inputs: Any) -> list:
        if self.variables:
            input_grads, variable_grads = self.grad_fn(*gs, variables=self.variables)
            if len(variable_grads) != len(self.variables):
                raise ValueError("Must return gradient for each variable from @custom_gradient grad_fn.")
        else:
            input_grads = self.grad_fn(*gs)
            variable_grads = []
        flat = flatten(input_grads)
        if len(flat) != self.n_args:
            raise ValueError(f"custom_gradient function expected to return {self.n_args} gradients, but returned "
                             f"{len(flat)} instead.")
        return flat + list(variable_grads)


def _accepts_variables(fn: Callable) -> bool:
    import inspect  # on first use: it is slow to import

    try:
        spec = inspect.getfullargspec(fn)
    except TypeError:
        return True
    return "variables" in spec.args or "variables" in spec.kwonlyargs or spec.varkw is not None


def _call(f: Callable, args: tuple, kwargs: dict) -> Any:
    if in_function_body():  # TF's graph-mode decorator: no keywords; arguments (variables too) become tensors
        if kwargs:
            raise ValueError("The custom_gradient decorator currently supports keywords arguments only when eager "
                             "execution is enabled.")
        args = map_structure(tensor, args)
    with VariableWatcher() as watcher:
        result, grad_fn = f(*args, **kwargs)
    flat_args = flatten(args)
    all_inputs = flat_args + flatten(kwargs)
    # the variables grad_fn must return gradients for: those read that are not inputs themselves
    variables = [v for v in watcher.watched_variables() if all(v is not i for i in all_inputs)]
    if variables and not _accepts_variables(grad_fn):
        raise TypeError("@tf.custom_gradient grad_fn must accept keyword argument 'variables', since function uses "
                        f"variables: {variables}")
    # fresh outputs through Identity, recorded like any op (as in TF): where the custom op below is recorded
    # too, it comes later on the tape and takes the gradient first; where it is not (no input watched, as in
    # the backward pass of recompute_grad under an outer tape), the outputs stay connected to f's own ops
    outputs = tuple(identity_op(tensor(r)) for r in flatten(result))
    inputs = tuple(tensor(x) for x in flat_args + variables)
    hooks = _tape_hooks.active
    if hooks:
        hooks[0](_CustomOp(getattr(f, "__name__", "custom_gradient"), grad_fn, variables, len(flat_args)),
                 inputs, outputs, {})
    return pack_sequence_as(result, list(outputs))


def _identity(x: Any) -> Tensor:
    return identity_op(tensor(x))


class _StopAll:
    """Stops every tape of this thread from recording (TF's ``record.stop_recording``); variable watchers
    still watch."""

    __slots__ = ("_saved", "_forwardprop")

    def __enter__(self) -> None:
        tapes = _tape._state.tapes
        self._saved = tapes[:]
        tapes.clear()
        for _ in self._saved:
            _tape._stop()
        # and the accumulators, as TF's stop stops both (none exist unless their module was loaded)
        self._forwardprop = sys.modules.get("featherflow.autodiff.forwardprop")
        if self._forwardprop is not None:
            self._forwardprop.pause()

    def __exit__(self, *exc: Any) -> None:
        if self._forwardprop is not None:
            self._forwardprop.resume()
        tapes = _tape._state.tapes
        tapes[:0] = self._saved
        for _ in self._saved:
            _tape._start()


def recompute_grad(f: Callable) -> Callable:
    """Wraps ``f`` so that the tape keeps only its inputs and recomputes ``f`` during the backward pass.

    >>> import featherflow as tf
    >>> w = tf.Variable(2.0)
    >>> g = tf.recompute_grad(lambda x: tf.tanh(x) * w)
    >>> x = tf.constant(0.5)
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = g(x)
    >>> [round(float(d), 4) for d in tape.gradient(y, [x, w])]
    [1.5729, 0.4621]
    """

    @custom_gradient
    def inner(*args: Any, **kwargs: Any) -> Any:
        with _StopAll():
            result = f(*args, **kwargs)

        def grad_wrapper(*wrapper_args: Any, variables: Any = None) -> Any:
            @custom_gradient
            def inner_recompute_grad(*dresult: Any) -> Any:
                with GradientTape() as t:
                    id_args = map_structure(_identity, args)
                    t.watch(id_args)
                    if variables is not None:
                        t.watch(variables)
                    recomputed = f(*id_args, **kwargs)
                kw_vars = list(variables) if variables is not None else []
                grads = t.gradient(recomputed, list(id_args) + kw_vars, output_gradients=list(dresult),
                                   unconnected_gradients=UnconnectedGradients.ZERO)

                def transpose(*t_args: Any, **t_kwargs: Any) -> Any:
                    raise NotImplementedError(f"recompute_grad tried to transpose grad of {f.__name__}. Consider "
                                              "not using recompute_grad in forward modeautodiff")

                return (grads[:len(id_args)], grads[len(id_args):]), transpose

            return inner_recompute_grad(*wrapper_args)

        return result, grad_wrapper

    return functools.wraps(f)(inner)
