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
from .extension_type import ExtensionType, ExtensionTypeSpec
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
    if isinstance(spec, ExtensionTypeSpec):
        return _cast_extension_type(value, spec)
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


def _cast_extension_type(value: Any, spec: ExtensionTypeSpec) -> Any:
    """``value`` rebuilt from ``spec`` with its tensors cast to the spec's (TF reads the spec's fields from
    the value; one it lacks is a KeyError, shown as its name)."""
    fields = getattr(value, "__dict__", {})
    missing = next((name for name in spec.__dict__ if name not in fields), None)
    if missing is not None:
        raise TypeError(repr(missing))
    components = spec._to_components(value)
    return spec._from_components([_cast(c, s) for c, s in zip(components, spec._component_specs)])


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
    bad = [s for s in nest.flatten(input_signature) if not isinstance(s, (TensorSpec, ExtensionTypeSpec))]
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
        self._concrete_signatures: dict = {}  # input signature -> _ConcreteSignature of its trace, in trace order
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
            bound.apply_defaults()  # a default passed or not is one trace, as in TF
            if self._input_signature is not None:
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
        self._concrete_signatures[key] = _ConcreteSignature(self._type, args, kwargs, result, trace.variables())
        leaves = [t for leaf in nest.flatten(result)
                  for t in (nest.flatten(leaf, expand_composites=True) if _replayable(leaf) else [leaf])]
        plan = trace.finish(leaves, nest.map_structure(_output_slot, result), _pack_outputs)
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

    def pretty_printed_concrete_signatures(self, verbose: bool = True) -> str:
        """The input parameters, output type and captured variables of each input signature a call traced, in
        the order they were traced (TF's concrete functions; featherflow has one per signature its calls traced,
        and none for a ``get_concrete_function`` that no call used)."""
        return ("\n\n" if verbose else "\n").join(s.text(verbose) for s in self._concrete_signatures.values())

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


class _CompositeOutput:
    """A composite result's place in a plan's output structure: its spec, and where its components go (a
    nested composite, or None for a tensor), so a replay rebuilds it from its tensors."""

    __slots__ = ("spec", "parts")

    def __init__(self, value: Any) -> None:
        self.spec = value._type_spec
        self.parts = [_CompositeOutput(c) if isinstance(c, ExtensionType) else None for c in value._to_components()]

    def fill(self, leaves: Any) -> Any:
        return self.spec._from_components([next(leaves) if p is None else p.fill(leaves) for p in self.parts])


def _replayable(value: Any) -> bool:
    """Whether a replay can rebuild ``value`` from its tensors: an ExtensionType of tensors and such
    ExtensionTypes (other composites are built from arrays a trace does not see, so a trace returning them is
    refused, as before)."""
    return isinstance(value, ExtensionType) and all(isinstance(c, Tensor) or _replayable(c)
                                                    for c in value._to_components())


def _output_slot(value: Any) -> Any:
    return _CompositeOutput(value) if _replayable(value) else None


def _pack_outputs(structure: Any, leaves: list) -> Any:
    """A replay's result: ``structure`` (from ``_output_slot``) filled with the output leaves in order."""
    it = iter(leaves)
    flat = [s.fill(it) if isinstance(s, _CompositeOutput) else next(it) for s in nest.flatten(structure)]
    return nest.pack_sequence_as(structure, flat)


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
            key.append(value)  # by equality, as TF's Literal: 1, 1.0 and True share one trace
        elif kind is tuple or kind is list:
            key.append((kind, len(value)))
            return all(walk(v) for v in value)
        elif kind is dict:
            key.append((dict, tuple(value)))
            return all(walk(v) for v in value.values())
        elif isinstance(value, Variable):
            key.append(value.ref())  # variables are unhashable, as TF's
        elif isinstance(value, ExtensionType):  # by its spec (Python fields, dtypes, shapes), then its tensors
            key.append(value._type_spec)
            return all(walk(v) for v in value._to_components())
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


def _trace_type_text(value: Any, aliases: dict) -> str:
    """``value``'s type as TF's FunctionType writes it: TensorSpec(...), VariableSpec(...), List[...], Tuple[...],
    Dict[[k, v], ...], a composite's spec, else Literal[value]."""
    if isinstance(value, (TensorSpec, _Literal, ExtensionTypeSpec)):
        return repr(value)
    if isinstance(value, Variable):
        alias = aliases.setdefault(id(value), len(aliases))  # a variable passed twice is one alias
        return (f"VariableSpec(shape={value.shape}, dtype={value.dtype!r}, trainable={value.trainable}, "
                f"alias_id={alias})")
    if is_dense_tensor(value):  # its spec, without reading it (a distributed value may refuse a read here)
        return repr(TensorSpec(value.shape, value.dtype))
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        kind = "List" if isinstance(value, list) else "Tuple"
        return f"{kind}[{', '.join(_trace_type_text(v, aliases) for v in value)}]"
    if isinstance(value, dict):
        return "Dict[" + ", ".join(f"[{k!r}, {_trace_type_text(v, aliases)}]" for k, v in value.items()) + "]"
    spec = getattr(value, "_type_spec", None)
    return repr(spec) if spec is not None else repr(_Literal(value))


class _ConcreteSignature:
    """What TF's pretty_printed_signature shows of one trace: its parameters (name, kind, type), its output type
    and its captures (the variables its body used that are not arguments)."""

    def __init__(self, function_type: inspect.Signature, args: tuple, kwargs: dict, result: Any,
                 variables: list) -> None:
        bound = function_type.bind(*args, **kwargs)
        bound.apply_defaults()
        aliases: dict = {}
        params: list = []
        positional_only = 0
        for name, p in function_type.parameters.items():
            value = bound.arguments.get(name)
            if p.kind is p.VAR_POSITIONAL:  # each extra argument is a positional-only parameter, as are those before
                positional_only = len(params) + len(value)
                params.extend([f"{name}_{i}", _trace_type_text(v, aliases)] for i, v in enumerate(value))
            elif p.kind is p.VAR_KEYWORD:
                params.extend([k, _trace_type_text(v, aliases), "KEYWORD_ONLY"] for k, v in value.items())
            else:
                constraint = p.annotation  # an input_signature's spec (its names kept) or Literal default
                text = _trace_type_text(value if constraint is p.empty else constraint, aliases)
                params.append([name, text, p.kind.name])
                if p.kind is p.POSITIONAL_ONLY:
                    positional_only = len(params)
        for index, param in enumerate(params):
            if index < positional_only:
                param[2:] = ["POSITIONAL_ONLY"]
        self.params = params
        self.output = _trace_type_text(result, aliases)
        arguments = {id(v) for v in nest.flatten((args, kwargs)) if isinstance(v, Variable)}
        self.captures = [v for v in variables if id(v) not in arguments]

    def text(self, verbose: bool) -> str:
        if verbose:
            lines = ["Input Parameters:"]
            lines += [f"  {name} ({kind}): {text}" for name, text, kind in self.params]
            lines += ["Output Type:", f"  {self.output}", "Captures:"]
            lines += [f"  {id(v)}: TensorSpec(shape=(), dtype=tf.resource, name=None)" for v in self.captures]
            return "\n".join(lines if self.captures else lines + ["  None"])
        parts = []
        for index, (name, text, kind) in enumerate(self.params):
            if kind == "KEYWORD_ONLY" and "*" not in parts:
                parts.append("*")
            parts.append(f"{name}: {text}")
            if kind == "POSITIONAL_ONLY" and (index + 1 == len(self.params) or self.params[index + 1][2] != kind):
                parts.append("/")
        return f"({', '.join(parts)}) -> {self.output}"


def _is_python(spec: Any) -> bool:
    """Whether a traced parameter holds no TensorSpec (a Python value, matched by equality)."""
    return not any(isinstance(s, TensorSpec) for s in nest.flatten(spec))


def _unnamed(spec: Any) -> Any:
    """``spec`` as TF shows it in a concrete function's signature: TensorSpecs without names."""
    return nest.map_structure(lambda s: TensorSpec(s.shape, s.dtype) if isinstance(s, TensorSpec) else s, spec)


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
        args, kwargs = self._bind(args, kwargs)
        flat_specs = [s for _, p in self._params for s in nest.flatten(p) if isinstance(s, TensorSpec)]
        flat_values = [v for v in nest.flatten((args, kwargs)) if isinstance(v, Tensor)]
        for index, (spec, t) in enumerate(zip(flat_specs, flat_values)):
            if t.dtype is not spec.dtype:
                name = f"__inference_{self._function.__name__}"
                raise InvalidArgumentError(None, None, f"cannot compute {name} as input #{index}(zero-based) was "
                                                       f"expected to be a {type_string(spec.dtype)} tensor but is a "
                                                       f"{type_string(t.dtype)} tensor [Op:{name}]")
        if _RUN_EAGERLY[0]:
            return self._function._call_target(*args, **kwargs)
        return self._function._call(args, kwargs)

    def _bind(self, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        """The Python function's (args, kwargs) for a call, as TF binds it: to every parameter of the trace (its
        Python values given again, and equal), else to its tensor parameters alone (the flat signature), the
        Python values filled in from the trace."""
        import inspect  # on first use: it is slow to import

        function_type = self._function._type
        specs = {n: _MISSING if s is inspect.Parameter.empty else s for n, s in self._params}
        try:
            required = function_type.replace(parameters=[p.replace(default=p.empty)
                                                         for p in function_type.parameters.values()])
            bound = required.bind(*args, **kwargs)
            arguments = {name: self._match(value, specs.get(name, _MISSING))
                         for name, value in bound.arguments.items()}
        except TypeError as structured:
            try:
                arguments = self._bind_flat(args, kwargs)
            except TypeError as flat:
                params = ", ".join(f"{n}: {_trace_type_text(_unnamed(s), {})}" for n, s in self._params)
                raise TypeError(f"Binding inputs to tf.function failed due to `{structured}`. Received args: {args} "
                                f"and kwargs: {kwargs} for signature: ({params}).\nFallback to flat signature also "
                                f"failed due to: {flat}.") from None
        bound = inspect.BoundArguments(function_type, arguments)
        return bound.args, bound.kwargs

    def _bind_flat(self, args: tuple, kwargs: dict) -> dict:
        import inspect

        tensors = [n for n, s in self._params if isinstance(s, TensorSpec)]
        text = f"{self._function.__name__}({', '.join(tensors)})"
        if len(args) > len(tensors):
            raise TypeError(f"{text} takes {len(tensors)} positional arguments, got {len(args)}")
        unexpected = [k for k in kwargs if k not in tensors[len(args):]]
        if unexpected:
            raise TypeError(f"{text} got unexpected keyword arguments: {', '.join(unexpected)}")
        given = dict(zip(tensors, args), **kwargs)
        missing = [n for n in tensors if n not in given]
        if missing:
            raise TypeError(f"{text} missing required arguments: {', '.join(missing)}")
        arguments = {}
        for name, spec in self._params:
            if name not in given:
                if spec is not inspect.Parameter.empty:
                    arguments[name] = spec.value if isinstance(spec, _Literal) else spec
                continue
            value = given[name]
            if not is_dense_tensor(value):
                raise TypeError(f"{text}: expected argument #{tensors.index(name)}(zero-based) to be a Tensor; got "
                                f"{type(value).__name__} ({value})")
            arguments[name] = self._convert(value, spec)
        return arguments

    def _match(self, value: Any, spec: Any) -> Any:
        """``value`` for the parameter traced as ``spec``: tensors converted, Python values equal to the trace's."""
        if isinstance(spec, TensorSpec):
            return self._convert(value, spec)
        if spec is _MISSING:  # a parameter with no constraint (an unbound method's instance)
            return value
        if isinstance(spec, ExtensionTypeSpec):
            return _cast_extension_type(value, spec)
        if isinstance(spec, (list, tuple)) and not hasattr(spec, "_fields") and not _is_python(spec):
            if not isinstance(value, (list, tuple)) or len(value) != len(spec):
                raise TypeError(f"Can not cast {value!r} to {_trace_type_text(_unnamed(spec), {})}")
            return type(value)(self._match(v, s) for v, s in zip(value, spec))
        if isinstance(spec, dict) and not _is_python(spec):
            if not isinstance(value, dict) or set(value) != set(spec):
                raise TypeError(f"{value!r} has different keys with the TraceType {_type_text(spec)}.")
            return {k: self._match(value[k], spec[k]) for k in value}
        return _cast(value, spec if isinstance(spec, _Literal) else _Literal(spec))

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
            if isinstance(spec, ExtensionTypeSpec):
                return repr(spec)
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
