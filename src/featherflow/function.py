"""``tf.function``: featherflow has no graphs; a tf.function's first call with an input signature runs its Python
eagerly and records what it did (``function_trace``), and later calls with that signature replay the record:
the ops, variable reads and writes, without the Python (as TF runs the graph its first call traced). A body whose
Python a replay cannot stand in for (it reads tensor values into Python, reads a dataset iterator, runs
``tf.py_function``...) runs its Python at every call, eagerly, as does every call under a recording tape.

What TF code can observe is kept: arguments bind (and with an ``input_signature`` convert and check) with TF's
errors, and results come back as tensors (Python numbers and NumPy arrays converted, as a traced function returns
them) unless ``tf.config.run_functions_eagerly(True)`` asks for TF's plain eager behaviour.

>>> import featherflow as tf
>>> @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
... def double(x):
...     return x * 2
>>> double([1.0, 2.0]).numpy()
array([2., 4.], dtype=float32)
"""

from __future__ import annotations

import functools
import weakref
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from . import _tape_hooks, nest
from .autodiff import forwardprop as _forwardprop
from .autodiff import tape as _tape
from .device import _scope
from .errors import InvalidArgumentError
from .function_trace import ShapeChanged, Trace, current_trace, tracing
from .ops.ragged import RaggedTensor
from .ops.random import core as _random
from .ops.random._kernels import GraphSeeds
from .runtime_config import function_body, xla_compilation
from .tensor import Tensor, convert_to_tensor, is_dense_tensor, type_string
from .tensor_spec import TensorSpec
from .variable import Variable

if TYPE_CHECKING:
    import inspect

_RUN_EAGERLY = [False]
_MAX_TRACES = 16  # input signatures one function keeps traces of; calls with others run eagerly
_MISSING = object()
_PYTHON_TYPES = frozenset({bool, int, float, complex, str, bytes, type(None)})


def run_functions_eagerly(run_eagerly: bool) -> None:
    """Whether tf.functions run as plain Python (``tf.config.run_functions_eagerly``): then arguments are not
    converted and results are returned as the function returns them."""
    _RUN_EAGERLY[0] = bool(run_eagerly)


def inside_function() -> bool:
    """Whether code runs while a graph function is built: never in featherflow, whose tf.function bodies run
    eagerly (``tf.executing_eagerly()`` is True inside them), so graph-only branches are not taken."""
    return False


def functions_run_eagerly() -> bool:
    """The ``run_functions_eagerly`` setting (``tf.config.functions_run_eagerly``)."""
    return _RUN_EAGERLY[0]


class _Literal:
    """A parameter with a default and no TensorSpec: only its default value can be passed (TF's Literal)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Literal[{self.value!r}]"


def _type_text(spec: Any) -> str:
    """A constraint as TF writes it in signatures: TensorSpec(...), List[...], Tuple[...], Dict[[k, v], ...]."""
    if isinstance(spec, (list, tuple)):
        kind = "List" if isinstance(spec, list) else "Tuple"
        return f"{kind}[{', '.join(_type_text(s) for s in spec)}]"
    if isinstance(spec, dict):
        return "Dict[" + ", ".join(f"[{k!r}, {_type_text(v)}]" for k, v in spec.items()) + "]"
    return repr(spec)


def _cast(value: Any, spec: Any) -> Any:
    """``value`` converted to match ``spec`` (a TensorSpec, a Literal, or a nest of TensorSpecs), or TypeError
    with TF's reason."""
    if isinstance(spec, TensorSpec):
        if isinstance(value, TensorSpec):  # get_concrete_function(spec)
            if value.dtype is not spec.dtype or not spec.shape.is_compatible_with(value.shape):
                raise TypeError(f"Can not cast {value} to {spec}")
            return value
        if isinstance(value, Tensor) or is_dense_tensor(value):
            t = convert_to_tensor(value)
        else:
            try:
                t = convert_to_tensor(value, dtype=spec.dtype)
            except (TypeError, ValueError) as e:
                raise TypeError(str(e)) from None
        if t.dtype is not spec.dtype or not spec.shape.is_compatible_with(t.shape):
            raise TypeError(f"Can not cast {TensorSpec(t.shape, t.dtype, spec.name)} to {spec}")
        return t
    if isinstance(spec, _Literal):
        if not (type(value) is type(spec.value) and value == spec.value):
            raise TypeError(f"Can not cast {value!r} to {spec!r}")
        return value
    if isinstance(spec, dict):
        if not isinstance(value, dict) or set(value) != set(spec):
            raise TypeError(f"{value!r} has different keys with the TraceType {_type_text(spec)}.")
        return {k: _cast(value[k], spec[k]) for k in value}
    kind = list if isinstance(spec, list) else tuple
    if type(value) is not kind and not (kind is tuple and isinstance(value, tuple)):
        raise TypeError(f"Can not cast {value!r} to {kind.__name__} type.")
    if len(value) != len(spec):
        raise TypeError("object of type 'Tuple' has no len()")  # TF's words for a nest of another length
    return kind(_cast(v, s) for v, s in zip(value, spec))


def _to_output(value: Any, fn: Callable) -> Any:
    if value is None or isinstance(value, (Tensor, RaggedTensor)):
        return value
    if is_dense_tensor(value) or isinstance(value, (bool, int, float, complex, str, bytes, np.ndarray, np.generic)):
        return convert_to_tensor(value)
    if hasattr(type(value), "_type_spec"):
        return value  # a composite value (tf.experimental.Optional, a dataset iterator): returned as it is, as in TF
    raise TypeError("To be compatible with tf.function, Python functions must return zero or more Tensors or "
                    f"ExtensionTypes or None values; in compilation of {fn}, found return value of type "
                    f"{type(value).__name__}, which is not a Tensor or ExtensionType.")


def _check_signature(input_signature: Any) -> tuple | None:
    if input_signature is None:
        return None
    if not isinstance(input_signature, (list, tuple)):
        raise TypeError(f"input_signature must be either a tuple or a list, got {type(input_signature)}.")
    bad = [s for s in nest.flatten(input_signature) if not isinstance(s, TensorSpec)]
    if bad:
        raise TypeError("input_signature must be a possibly nested sequence of TensorSpec objects, got invalid args "
                        f"{bad} with types {[type(b) for b in bad]}.")
    return tuple(input_signature)


def _function_type(fn: Callable, input_signature: tuple | None, skip_self: bool) -> inspect.Signature:
    """The signature calls are bound against; with an input_signature each parameter's annotation is its
    constraint (a TensorSpec nest or a Literal default), as in TF's FunctionType."""
    import inspect  # on first use: it is slow to import

    params = list(inspect.signature(fn).parameters.values())
    if skip_self and params:
        params = params[1:]
    if input_signature is None:
        return inspect.Signature([p.replace(annotation=inspect.Parameter.empty) for p in params])
    specs = list(input_signature)
    out = []
    for p in params:
        if p.name == "self" and not out:  # an unbound method's instance takes no constraint (as in TF)
            out.append(p.replace(annotation=inspect.Parameter.empty))
        elif p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            if specs:
                out.append(p.replace(annotation=specs.pop(0), default=inspect.Parameter.empty))
            elif p.default is not p.empty:
                out.append(p.replace(annotation=_Literal(p.default)))
            else:
                raise TypeError(f"input_signature missing type constraint for {p.name}")
        elif p.kind is p.VAR_POSITIONAL:
            out = [q.replace(kind=q.POSITIONAL_ONLY) for q in out]
            out.extend(inspect.Parameter(f"{p.name}_{i}", inspect.Parameter.POSITIONAL_ONLY, annotation=s)
                       for i, s in enumerate(specs))
            specs = []
        elif p.kind is p.KEYWORD_ONLY:
            if p.default is p.empty:
                raise TypeError(f"Since input_signature is defined, keyword-only parameter `{p.name}` must have a "
                                "default value")
            out.append(p.replace(annotation=_Literal(p.default)))
    if specs:
        raise TypeError(f"input_signature contains {len(specs)} extra type constraints.")
    return inspect.Signature(out)


def _signature_text(sig: inspect.Signature) -> str:
    parts = []
    positional_only = False
    for p in sig.parameters.values():
        text = p.name if p.annotation is p.empty else f"{p.name}: {_type_text(p.annotation)}"
        if isinstance(p.annotation, _Literal):
            text += " = <captured_default_value>"
        elif p.kind is p.VAR_POSITIONAL:
            text = "*" + text
        elif p.kind is p.VAR_KEYWORD:
            text = "**" + text
        parts.append(text)
        positional_only = p.kind is p.POSITIONAL_ONLY
    if positional_only:
        parts.append("/")
    return "(" + ", ".join(parts) + ")"


class Function:
    """A Python function wrapped by ``tf.function`` (traced on its first call per signature, then replayed; see the
    module docstring)."""

    def __init__(self, python_function: Callable, input_signature: Any = None, autograph: bool = True,
                 jit_compile: bool | None = None, reduce_retracing: bool = False, name: str | None = None,
                 _bound_to: Any = None, **experimental: Any) -> None:
        self._python_function = python_function
        self._input_signature = _check_signature(input_signature)
        self._options = dict(autograph=autograph, jit_compile=jit_compile, reduce_retracing=reduce_retracing,
                             **experimental)
        self._bound_to = _bound_to
        target = python_function if _bound_to is None else functools.partial(python_function, _bound_to)
        self._call_target = target
        self._type = _function_type(python_function, self._input_signature, _bound_to is not None)
        self._descriptor_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._random_seeds = GraphSeeds()  # its unseeded random ops take op seeds 0, 1, ... as in TF's graph
        self._plans: dict = {}  # input signature -> Plan, or None where the Python must run (function_trace)
        self._made_variables = False
        self._refusals: list = []
        self._tracing_count = 0
        functools.update_wrapper(self, python_function)

    @property
    def python_function(self) -> Callable:
        return self._python_function

    @property
    def input_signature(self) -> tuple | None:
        return self._input_signature

    @property
    def function_spec(self) -> inspect.Signature:
        return self._type

    def _bind(self, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        try:
            bound = self._type.bind(*args, **kwargs)
            if self._input_signature is not None:
                bound.apply_defaults()
                for name, value in bound.arguments.items():
                    constraint = self._type.parameters[name].annotation
                    if constraint is not self._type.empty:
                        bound.arguments[name] = _cast(value, constraint)
        except TypeError as e:
            raise TypeError(f"Binding inputs to tf.function failed due to `{e}`. Received args: {args} and kwargs: "
                            f"{kwargs} for signature: {_signature_text(self._type)}.") from None
        return bound.args, bound.kwargs

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if _RUN_EAGERLY[0]:
            return self._call_target(*args, **kwargs)
        args, kwargs = self._bind(args, kwargs)
        previous = _random.enter_graph(self._random_seeds)
        try:
            return self._call(args, kwargs)
        finally:
            _random.exit_graph(previous)

    def _call(self, args: tuple, kwargs: dict) -> Any:
        if _tape_hooks.recorders and _recording_here():
            return self._eager(args, kwargs)  # a tape records the body's ops
        if _tape_hooks.tracing:
            outer = current_trace()
            if outer is not None and not outer.suspended:  # in another function's body: one step of its trace
                return outer.call(self._call, (args, kwargs), {})
        signature = _signature(args, kwargs)
        if signature is None:
            return self._eager(args, kwargs)
        key, tensors = signature
        plans = self._plans
        plan = plans.get(key, _MISSING)
        if plan is _MISSING:
            if len(plans) >= _MAX_TRACES:
                return self._eager(args, kwargs)
            return self._trace(key, tensors, args, kwargs)
        if plan is None:
            return self._eager(args, kwargs)
        try:
            if not self._options["jit_compile"]:
                return plan.run(tensors)
            with xla_compilation():
                return plan.run(tensors)
        except ShapeChanged:  # its writes were rolled back: the Python runs, now and for this signature
            plans[key] = None
            return self._eager(args, kwargs)

    def _eager(self, args: tuple, kwargs: dict) -> Any:
        fn = self._python_function
        return nest.map_structure(lambda v: _to_output(v, fn), self._run(args, kwargs))

    def _trace(self, key: tuple, tensors: list, args: tuple, kwargs: dict) -> Any:
        """Runs the call eagerly while recording it; keeps the record as the plan for ``key`` if it holds."""
        trace = Trace()
        trace.inputs(tensors)
        self._tracing_count += 1
        with tracing(trace):
            result = self._eager(args, kwargs)
        leaves = nest.flatten(result)
        plan = trace.finish(leaves, nest.map_structure(lambda _: None, result), nest.pack_sequence_as)
        if plan is None:
            self._refusals.append(trace.refused)  # why the Python runs (tests and debugging read this)
        if not trace.retrace:
            self._plans[key] = plan
        elif self._made_variables:  # only a function's first trace may make variables
            raise ValueError("tf.function only supports singleton tf.Variables created on the first call. Make sure "
                             "the tf.Variable is only created once or created outside tf.function. See "
                             "https://www.tensorflow.org/guide/function#creating_tfvariables for more information.")
        else:
            self._made_variables = True  # as TF's first trace: the next call traces again, without making them
        return result

    def experimental_get_tracing_count(self) -> int:
        """How many times the Python function was traced (run while its ops were recorded)."""
        return self._tracing_count

    def _run(self, args: tuple, kwargs: dict) -> Any:
        """The body, inside XLA's scope when ``jit_compile=True`` (``runtime_config.compiling_with_xla``)."""
        with function_body():
            if not self._options["jit_compile"]:
                return self._call_target(*args, **kwargs)
            with xla_compilation():
                return self._call_target(*args, **kwargs)

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        """On a class, a tf.function becomes one bound Function per instance (TF does the same)."""
        if instance is None:
            return self
        try:
            return self._descriptor_cache[instance]
        except (KeyError, TypeError):
            pass
        bound = Function(self._python_function, self._input_signature, _bound_to=instance, **self._options)
        try:
            self._descriptor_cache[instance] = bound
        except TypeError:  # not weak-referenceable
            pass
        return bound

    def get_concrete_function(self, *args: Any, **kwargs: Any) -> ConcreteFunction:
        """A callable for one input signature: the function's own, or one derived from ``args`` (TensorSpecs,
        tensors, Python values)."""
        if self._input_signature is not None:
            if args or kwargs:
                self._bind(args, kwargs)
            return ConcreteFunction(self, [(n, p.annotation) for n, p in self._type.parameters.items()])
        try:
            bound = self._type.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"Binding inputs to tf.function failed due to `{e}`. Received args: {args} and kwargs: "
                            f"{kwargs} for signature: {_signature_text(self._type)}.") from None
        bound.apply_defaults()
        return ConcreteFunction(self, [(n, _spec_of(v, n)) for n, v in bound.arguments.items()])

    def experimental_get_compiler_ir(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("featherflow does not compile functions: there is no compiler IR.")

    def __repr__(self) -> str:
        return f"<featherflow.function.Function {self.__name__} at {hex(id(self))}>"


def _recording_here() -> bool:
    """Whether a tape, variable watcher or forward accumulator records in this thread."""
    state = _tape._state
    return bool(state.tapes or state.watchers or _forwardprop._state.accumulators)


def _unhashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return True
    return False


def _signature(args: tuple, kwargs: dict) -> tuple | None:
    """(key, tensors): what a trace is kept for (the structure of the arguments, each tensor's dtype, shape and
    device, Python values, variables and other objects by identity, the device in scope), and the tensors in
    order; None when an argument cannot be replayed from a trace (NumPy arrays, composite tensors, unhashable
    objects)."""
    key: list = [_scope.device]
    tensors: list = []

    def walk(value: Any) -> bool:
        kind = type(value)
        if kind is Tensor:
            key.append((value._dtype, value._value.shape, value._device))
            tensors.append(value)
        elif kind in _PYTHON_TYPES:
            key.append((kind, value))
        elif kind is tuple or kind is list:
            key.append((kind, len(value)))
            return all(walk(v) for v in value)
        elif kind is dict:
            key.append((dict, tuple(value)))
            return all(walk(v) for v in value.values())
        elif isinstance(value, Variable):
            key.append(value.ref())  # variables are unhashable, as TF's
        elif isinstance(value, np.ndarray) or getattr(value, "is_tensor_like", False) or _unhashable(value):
            return False
        else:  # another object: by identity, as TF's trace keys (weakly, where it can be)
            try:
                key.append(weakref.ref(value))
            except TypeError:
                key.append((object, value))
        return True

    if not walk(args) or kwargs and not walk(kwargs):
        return None
    return tuple(key), tensors


def _spec_of(value: Any, name: str) -> Any:
    """TF's structured input signature entry: tensors and specs become named TensorSpecs; Python values stay."""
    if isinstance(value, TensorSpec):
        return TensorSpec(value.shape, value.dtype, value.name or name)
    if is_dense_tensor(value):
        t = convert_to_tensor(value)
        return TensorSpec(t.shape, t.dtype, name)
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(_spec_of(v, f"{name}_{i}") for i, v in enumerate(value))
    if isinstance(value, dict):
        return {k: _spec_of(v, f"{name}_{k}") for k, v in value.items()}
    return value


class ConcreteFunction:
    """``get_concrete_function``'s result: callable with arguments matching its input signature (tensors of the
    traced dtypes; Python values are converted to them)."""

    def __init__(self, function: Function, params: list) -> None:
        self._function = function
        self._params = params  # (name, TensorSpec nest | Literal | Python value)

    @property
    def structured_input_signature(self) -> tuple:
        values = tuple(p.value if isinstance(p, _Literal) else p for _, p in self._params)
        return values, {}

    @property
    def python_function(self) -> Callable:
        return self._function.python_function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        names = [n for n, _ in self._params]
        specs = dict(self._params)
        converted = [self._convert(a, specs[n]) if n in specs else a for n, a in zip(names, args)]
        converted_kwargs = {k: self._convert(v, specs[k]) if k in specs else v for k, v in kwargs.items()}
        flat_specs = [s for _, p in self._params for s in nest.flatten(p) if isinstance(s, TensorSpec)]
        flat_values = [v for v in nest.flatten((converted, converted_kwargs)) if isinstance(v, Tensor)]
        for index, (spec, t) in enumerate(zip(flat_specs, flat_values)):
            if t.dtype is not spec.dtype:
                name = f"__inference_{self._function.__name__}"
                raise InvalidArgumentError(None, None, f"cannot compute {name} as input #{index}(zero-based) was "
                                                       f"expected to be a {type_string(spec.dtype)} tensor but is a "
                                                       f"{type_string(t.dtype)} tensor [Op:{name}]")
        if _RUN_EAGERLY[0]:
            return self._function._call_target(*converted, **converted_kwargs)
        return self._function._call(tuple(converted), converted_kwargs)

    @staticmethod
    def _convert(value: Any, spec: Any) -> Any:
        if isinstance(spec, TensorSpec) and not is_dense_tensor(value):
            return convert_to_tensor(value, dtype=spec.dtype)
        if isinstance(spec, TensorSpec):
            return convert_to_tensor(value)
        return value

    def __repr__(self) -> str:
        def text(spec: Any) -> str:
            if isinstance(spec, TensorSpec):
                return repr(TensorSpec(spec.shape, spec.dtype))
            if isinstance(spec, _Literal) or not isinstance(spec, (list, tuple, dict)):
                return repr(spec if isinstance(spec, _Literal) else _Literal(spec))
            return _type_text(nest.map_structure(lambda s: TensorSpec(s.shape, s.dtype)
                                                 if isinstance(s, TensorSpec) else s, spec))
        params = ", ".join(f"{n}: {text(s)}" for n, s in self._params)
        return f"<ConcreteFunction ({params}) at {hex(id(self)).upper().replace('0X', '0x')}>"


def function(func: Callable | None = None, input_signature: Any = None, autograph: bool = True,
             jit_compile: bool | None = None, reduce_retracing: bool = False,
             experimental_implements: Any = None, experimental_autograph_options: Any = None,
             experimental_attributes: Any = None, experimental_relax_shapes: Any = None,
             experimental_compile: Any = None, experimental_follow_type_hints: Any = None) -> Any:
    """Wraps ``func`` as a ``tf.function`` (directly or as a decorator, with or without arguments): traced on its
    first call per input signature and replayed after (``function_trace``). ``jit_compile=True`` gives the body
    XLA's layout rules (``runtime_config.xla_compilation``); ``reduce_retracing`` and the ``experimental_*``
    options change what TF's graphs are, and nothing a featherflow program computes.

    >>> f = function(lambda x: x + 1)
    >>> f(1).numpy()
    np.int32(2)
    """
    options = dict(input_signature=input_signature, autograph=autograph, jit_compile=jit_compile,
                   reduce_retracing=reduce_retracing)

    def decorated(fn: Callable) -> Function:
        if not callable(fn):
            raise TypeError(f"{fn} is not a callable object")
        return Function(fn, **options)

    if func is None:
        return decorated
    return decorated(func)
