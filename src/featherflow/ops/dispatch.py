"""TF's op dispatch: public ops accept composite values (``RaggedTensor``, ``SparseTensor``) through overrides
registered per (API, argument types), as ``tf.experimental.dispatch_for_api`` does.

How it works, and what it costs: a dispatchable public function runs its normal body first. Only when that
body raises TypeError or ValueError (an argument that is not convertible to a Tensor) does the dispatcher look
for an override whose signature matches the types of the arguments; if none matches, the original error is
raised unchanged. Plain Tensors therefore pay nothing (Python 3.11's ``try`` is free until it raises).

Making a public function dispatchable (two ways):

1. ``@add_dispatch_support`` on a wrapper that is not on the hot path (one extra call frame)::

       @add_dispatch_support
       def reduce_sum(input_tensor, axis=None, keepdims=False, name=None): ...

2. On a hot path (``tf.add``), put the fallback in the wrapper's own error path instead, so the normal path
   has no extra frame::

       try:
           a, b = convert(x, y)
       except (TypeError, ValueError) as e:
           return dispatch.fallback(fn, (x, y), {"name": name}, e)

Registering an override for a type (the override takes the API's parameters, by name)::

    @dispatch_for_api(tf.math.reduce_sum, {"input_tensor": RaggedTensor})
    def ragged_reduce_sum(input_tensor, axis=None, keepdims=False, name=None): ...

With no signature, the override's type annotations give it (``input_tensor: RaggedTensor``). A signature value
may be a type, a tuple of types, or ``typing.Union``/``Optional``/``list[...]`` of types (a list argument
matches when an element has one of the types and no element has another dispatch type: plain values, which
the override converts, may mix in, as in ``tf.concat([ragged, [[1, 2]]], 0)``).

Elementwise APIs (``tf.math.add``, ``tf.math.exp``...) are marked once with ``register_unary_elementwise_api``
/ ``register_binary_elementwise_api``; a handler registered with ``dispatch_for_unary_elementwise_apis(T)`` /
``dispatch_for_binary_elementwise_apis(T1, T2)`` then serves all of them: it is called as
``handler(api, x, **kwargs)`` / ``handler(api, x, y, **kwargs)``.
"""

from __future__ import annotations

import types as _pytypes
import typing
from collections import abc as _abc
from typing import Any, Callable

from ..tensor import Tensor

# api -> [(signature {param: types}, override)]; the first registered match wins
_OVERRIDES: dict[Callable, list[tuple[dict[str, Any], Callable]]] = {}
_UNARY_APIS: set[Callable] = set()
_BINARY_APIS: set[Callable] = set()
_UNARY_HANDLERS: list[tuple[Any, Callable]] = []
_BINARY_HANDLERS: list[tuple[Any, Any, Callable]] = []
# every type some override names (but ``object`` and Tensor, which an override may accept alongside): the
# fallback does nothing (re-raises) unless an argument has one of them
_DISPATCH_TYPES: set[type] = set()
_ORDINARY = (object, Tensor)
_PARAMS: dict[Callable, tuple[str, ...]] = {}


def _types(spec: Any) -> tuple[Any, bool]:
    """(tuple of types, whether a list of them) from a signature value."""
    origin = typing.get_origin(spec)
    if origin in (list, tuple, _abc.Sequence):
        inner, _ = _types(typing.get_args(spec)[0])
        return inner, True
    if origin is typing.Union or isinstance(spec, _pytypes.UnionType):
        return typing.get_args(spec), False
    if isinstance(spec, tuple):
        return spec, False
    return (spec,), False


def _add_types(types: tuple) -> None:
    _DISPATCH_TYPES.update(t for t in types if t is not type(None) and t not in _ORDINARY)


def _params(api: Callable) -> tuple[str, ...]:
    names = _PARAMS.get(api)
    if names is None:
        target = api
        while hasattr(target, "__wrapped__"):
            target = target.__wrapped__
        # the code object, not inspect.signature: importing inspect costs ~10 ms of `import featherflow`
        code = target.__code__
        names = _PARAMS[api] = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
    return names


def dispatch_for_api(api: Callable, *signatures: dict[str, Any]) -> Callable[[Callable], Callable]:
    """Registers the decorated function as ``api``'s override for arguments of the given types."""

    def wrap(override: Callable) -> Callable:
        sigs = signatures
        if not sigs:
            hints = typing.get_type_hints(override)
            hints.pop("return", None)
            if not hints:
                raise ValueError("must specify at least one signature (or annotate the dispatch target)")
            sigs = (hints,)
        names = _params(api)
        for sig in sigs:
            parsed = {}
            for param, spec in sig.items():
                if param not in names:
                    raise ValueError(f"Dispatch function's signature {sig} has an unexpected parameter {param!r} "
                                     f"for {getattr(api, '__name__', api)}")
                types, is_list = _types(spec)
                parsed[param] = (types, is_list)
                _add_types(types)
            # under every wrapper of the API (``functools.wraps`` chains): a dispatching wrapper may sit inside
            # another decorator (the string ops' ``on_host``), and looks itself up
            fn: Any = api
            while fn is not None:
                _OVERRIDES.setdefault(fn, []).append((parsed, override))
                fn = getattr(fn, "__wrapped__", None)
        return override

    return wrap


def register_unary_elementwise_api(api: Callable) -> Callable:
    """Marks ``api`` as a unary elementwise op (``dispatch_for_unary_elementwise_apis`` handlers serve it)."""
    _UNARY_APIS.add(api)
    return api


def register_binary_elementwise_api(api: Callable) -> Callable:
    """Marks ``api`` as a binary elementwise op (``dispatch_for_binary_elementwise_apis`` handlers serve it)."""
    _BINARY_APIS.add(api)
    return api


def dispatch_for_unary_elementwise_apis(x_type: Any) -> Callable[[Callable], Callable]:
    """Registers ``handler(api, x, **kwargs)`` for every unary elementwise API given an ``x_type``."""

    def wrap(handler: Callable) -> Callable:
        types, _ = _types(x_type)
        _add_types(types)
        _UNARY_HANDLERS.append((types, handler))
        return handler

    return wrap


def dispatch_for_binary_elementwise_apis(x_type: Any, y_type: Any) -> Callable[[Callable], Callable]:
    """Registers ``handler(api, x, y, **kwargs)`` for every binary elementwise API given these operand types."""

    def wrap(handler: Callable) -> Callable:
        xt, _ = _types(x_type)
        yt, _ = _types(y_type)
        _add_types(xt + yt)
        _BINARY_HANDLERS.append((xt, yt, handler))
        return handler

    return wrap


def unary_elementwise_apis() -> tuple[Callable, ...]:
    """The APIs marked unary elementwise."""
    return tuple(_UNARY_APIS)


def binary_elementwise_apis() -> tuple[Callable, ...]:
    """The APIs marked binary elementwise."""
    return tuple(_BINARY_APIS)


def _has_dispatch_type(value: Any) -> bool:
    kinds = tuple(_DISPATCH_TYPES)
    if isinstance(value, kinds):
        return True
    if isinstance(value, (list, tuple)):
        return any(isinstance(v, kinds) for v in value)
    return False


def _matches(value: Any, types: tuple, is_list: bool) -> bool:
    if is_list:  # some element of the types, and no element of another dispatch type (plain values may mix in)
        if not isinstance(value, (list, tuple)):
            return False
        kinds = tuple(_DISPATCH_TYPES)
        return (any(isinstance(v, types) for v in value)
                and all(isinstance(v, types) or not isinstance(v, kinds) for v in value))
    return isinstance(value, types)


def find(api: Callable, args: tuple, kwargs: dict) -> Callable | None:
    """The override of ``api`` for these arguments, as a callable of the same arguments; None if there is none."""
    if not any(_has_dispatch_type(a) for a in args) and not any(_has_dispatch_type(v) for v in kwargs.values()):
        return None
    names = _params(api)
    bound = dict(zip(names, args))
    bound.update(kwargs)
    for sig, override in _OVERRIDES.get(api, ()):
        if all(param in bound and _matches(bound[param], types, is_list) for param, (types, is_list) in sig.items()):
            return override
    if api in _UNARY_APIS and args:
        x = args[0]
        for types, handler in _UNARY_HANDLERS:
            if isinstance(x, types):
                return lambda *a, **k: handler(api, *a, **k)
    if api in _BINARY_APIS:
        x = bound.get(names[0])
        y = bound.get(names[1])
        for xt, yt, handler in _BINARY_HANDLERS:
            if isinstance(x, xt) and isinstance(y, yt):
                return _binary_call(api, names, handler)
    return None


def _binary_call(api: Callable, names: tuple, handler: Callable) -> Callable:
    def call(*a: Any, **k: Any) -> Any:
        b = dict(zip(names, a))
        b.update(k)
        first, second = b.pop(names[0]), b.pop(names[1])
        return handler(api, first, second, **b)

    return call


def fallback(api: Callable, args: tuple, kwargs: dict, error: BaseException) -> Any:
    """Runs the override of ``api`` matching ``args``/``kwargs``, or raises ``error`` when there is none."""
    override = find(api, args, kwargs)
    if override is None:
        raise error
    return override(*args, **kwargs)


def add_dispatch_support(fn: Callable) -> Callable:
    """Makes the public function ``fn`` dispatchable: on a TypeError/ValueError its overrides are tried."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (TypeError, ValueError):
            override = find(wrapper, args, kwargs)
            if override is None:
                raise
        # (the override runs outside the except block: its own errors do not chain to the first one)
        return override(*args, **kwargs)

    return wrapper


def dispatch_first(api: Callable, args: tuple, kwargs: dict) -> Callable | None:
    """The override of ``api`` for these arguments when one matches, before the normal body runs: for public
    functions whose normal body would not fail on a composite value (e.g. one that only reads ``.dtype``)."""
    return find(api, args, kwargs) if _DISPATCH_TYPES else None
