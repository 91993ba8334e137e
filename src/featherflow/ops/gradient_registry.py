"""``tf.RegisterGradient`` and ``tf.no_gradient``: TF's API for declaring an op's gradient by its op name.

A function registered with ``RegisterGradient("Op")`` takes TF's ``(op, *grads)`` and returns one gradient per
input; it becomes the registered op's rule, called with an ``op`` that has TF's ``inputs``, ``outputs``,
``type``, ``name`` and ``get_attr``. As in TF, a name may be registered once: an op that already has a gradient,
or is declared not differentiable, raises TF's KeyError. ``no_gradient("Op")`` declares it not differentiable.
A name that no op has yet is remembered, and applies to an op registered later under it.

>>> import featherflow as tf
>>> tf.no_gradient("MyUnusedOp")
"""

from __future__ import annotations

from typing import Any, Callable

from .registry import OPS, PENDING_GRADIENTS, Op


class EagerOp:
    """What a TF-style gradient function is given as ``op``: the call's inputs, outputs and attrs."""

    __slots__ = ("type", "name", "inputs", "outputs", "_attrs")

    def __init__(self, op_type: str, inputs: tuple, outputs: tuple, attrs: dict) -> None:
        self.type = op_type
        self.name = op_type
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self._attrs = attrs

    def get_attr(self, name: str) -> Any:
        """The value of the call's attr ``name``."""
        if name not in self._attrs:
            raise ValueError(f"Operation '{self.name}' has no attr named '{name}'.")
        return self._attrs[name]


def _check_name(op_type: Any) -> None:
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    op = OPS.get(op_type)
    if op_type in PENDING_GRADIENTS or op is not None and (op.grad is not None or not op.differentiable):
        raise KeyError(f"Registering two gradient with name '{op_type}'! (Previous registration was in "
                       f"{__name__})")


def _install(op: Op, fn: Callable | None) -> None:
    if fn is None:
        op.differentiable = False
        return
    from .math.elementwise import zeros_like_op

    def rule(g: Any, ans: Any, *inputs: Any, **attrs: Any) -> tuple:
        if type(ans) is tuple:
            grads = [x if x is not None else zeros_like_op(a) for x, a in zip(g, ans)]
            outputs = ans
        else:
            grads, outputs = [g], (ans,)
        result = fn(EagerOp(op.name, inputs, outputs, attrs), *grads)
        if not isinstance(result, (list, tuple)):
            result = [result]
        return tuple(result)

    op.gradient(rule)


def no_gradient(op_type: str) -> None:
    """Declares that the op named ``op_type`` is not differentiable (its gradient is None)."""
    _check_name(op_type)
    if op_type in OPS:
        _install(OPS[op_type], None)
    else:
        PENDING_GRADIENTS[op_type] = lambda op: _install(op, None)


class RegisterGradient:
    """A decorator registering a ``(op, *grads) -> input gradients`` function as the op ``op_type``'s gradient.

    >>> import featherflow as tf
    >>> @tf.RegisterGradient("MyUnusedOp2")
    ... def _my_grad(op, grad):
    ...     return grad
    """

    def __init__(self, op_type: str) -> None:
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, f: Callable) -> Callable:
        _check_name(self._op_type)
        if self._op_type in OPS:
            _install(OPS[self._op_type], f)
        else:
            PENDING_GRADIENTS[self._op_type] = lambda op: _install(op, f)
        return f


NotDifferentiable = no_gradient
