"""``tf.variable_creator_scope``: creators that intercept ``tf.Variable(...)``, innermost first.

TF routes ``tf.Variable(...)`` through a metaclass that builds the chain of the thread's creators on every
call. featherflow's ``Variable`` has that metaclass, but it defines no ``__call__`` of its own while no
scope is active anywhere: construction is then plain ``type.__call__``, at no cost. Entering the first scope
installs the routing ``__call__`` on the metaclass; leaving the last one removes it. As in TF, only
``tf.Variable(...)`` itself is routed (subclasses are built directly), and the creator stack is per thread.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from .variable_policy import VariableAggregation, VariableSynchronization


class VariableMeta(type):
    """``Variable``'s metaclass: ``type`` itself unless a creator scope is active (then see ``_routed``)."""


# TF's ``Variable._variable_call`` parameters, in order, with its defaults: what each creator receives
_PARAMS = (("initial_value", None), ("trainable", None), ("validate_shape", True), ("caching_device", None),
           ("name", None), ("variable_def", None), ("dtype", None), ("import_scope", None), ("constraint", None),
           ("synchronization", VariableSynchronization.AUTO), ("aggregation", VariableAggregation.NONE),
           ("shape", None), ("experimental_enable_variable_lifting", None))

_state = threading.local()  # .stack: this thread's creators, outermost first
_lock = threading.Lock()
_active = 0  # scopes open in all threads
_root: list = []  # [Variable], set by variable.py: the one class whose construction is routed


def _routed(cls: type, *args: Any, **kwargs: Any) -> Any:
    stack = getattr(_state, "stack", None)
    if not stack or cls is not _root[0]:
        return type.__call__(cls, *args, **kwargs)
    if len(args) > len(_PARAMS):
        raise TypeError(f"Variable() takes at most {len(_PARAMS)} positional arguments but {len(args)} were given")
    bound = {name: default for name, default in _PARAMS}
    for (name, _), value in zip(_PARAMS, args):
        if name in kwargs:
            raise TypeError(f"Variable() got multiple values for argument '{name}'")
        bound[name] = value
    bound.update(kwargs)

    def default(**kw: Any) -> Any:
        if kw.get("experimental_enable_variable_lifting") is None:  # TF's default creator: None means True
            kw["experimental_enable_variable_lifting"] = True
        return type.__call__(cls, **kw)

    creator: Callable[..., Any] = default
    for getter in stack:  # each creator wraps the ones outside it: the innermost runs first
        creator = (lambda g, nxt: lambda **kw: g(nxt, **kw))(getter, creator)
    return creator(**bound)


@contextmanager
def variable_creator_scope(variable_creator: Callable[..., Any]) -> Iterator[None]:
    """Routes this thread's ``tf.Variable(...)`` calls through ``variable_creator(next_creator, **kwargs)``."""
    global _active
    stack = getattr(_state, "stack", None)
    if stack is None:
        stack = _state.stack = []
    with _lock:
        stack.append(variable_creator)
        _active += 1
        if _active == 1:
            VariableMeta.__call__ = _routed  # type: ignore[method-assign]
    try:
        yield
    finally:
        with _lock:
            if stack[-1] is variable_creator:
                stack.pop()
            else:  # scopes left out of order
                stack.remove(variable_creator)
            _active -= 1
            if not _active:
                del VariableMeta.__call__
