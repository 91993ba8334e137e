"""WeakTensor support in ``tf.*`` functions under the "all"/"safe" dtype conversion modes (TF's
``weak_tensor_ops``): the functions TF wraps, wrapped alike, installed only while such a mode is on.

TF monkeypatches its op modules at import and each wrapper asks on every call whether the mode is on. Here
nothing is patched until the mode becomes "all" or "safe": ``install`` then replaces each listed public
function, wherever a surface namespace exposes it (every attribute that *is* the function, so aliases follow),
and the Variable methods; ``uninstall`` puts every original back. The functions' hot paths are untouched
otherwise.

A unary wrapper infers the type of its first input (a Python value: weak; a NumPy value or Tensor: not) and
returns a WeakTensor when that is weak; it steps aside when the input is a Tensor or ``dtype=`` is given. A binary
wrapper promotes both inputs to ``result_type`` of the two (raising TF's TypeError in "safe" mode).
"""

from __future__ import annotations

import importlib
import inspect
import sys
from typing import Any, Callable

from ..._logs import LazyLogger
from ...tensor import Tensor, convert_to_tensor
from ...variable import Variable
from ..array.create import cast
from . import promotion
from .weak import WeakTensor, to_weak_or_tensor

# The public names TF 2.21 wraps (its ``weak_tensor_ops`` patches, as its API exports them), by namespace: the
# unary ones (the first argument decides; ``name:arg`` names another argument)...
_UNARY = {
    "": "abs acos acosh asin asinh atan atanh clip_by_value cos cosh exp expand_dims floor identity negative "
        "ones_like reduce_logsumexp reduce_max reduce_mean reduce_min reduce_prod reduce_sum reshape round sigmoid "
        "sign sin sinh sqrt square squeeze stop_gradient tan tanh transpose zeros_like scalar_mul:x",
    "debugging": "check_numerics",
    "image": "extract_patches",
    "linalg": "diag diag_part matrix_transpose tensor_diag_part trace",
    "math": "abs acos acosh angle asin asinh atan atanh bessel_i0 bessel_i0e bessel_i1 bessel_i1e ceil conj cos "
            "cosh digamma erf erfc erfcinv erfinv exp expm1 floor imag lgamma log log1p log_sigmoid log_softmax "
            "ndtri negative real reciprocal reciprocal_no_nan reduce_euclidean_norm reduce_logsumexp reduce_max "
            "reduce_mean reduce_min reduce_prod reduce_std reduce_sum reduce_variance rint round rsqrt sigmoid sign "
            "sin sinh softplus sqrt square tan tanh scalar_mul:x",
    "math.special": "bessel_i0 bessel_i0e bessel_i1 bessel_i1e bessel_j0 bessel_j1 bessel_k0 bessel_k0e bessel_k1 "
                    "bessel_k1e bessel_y0 bessel_y1 dawsn expint fresnel_cos fresnel_sin spence",
    "nn": "depth_to_space gelu leaky_relu log_softmax relu6 sigmoid silu softplus space_to_depth swish tanh",
    "experimental.numpy": "abs absolute amax amin angle arange arccos arcsin arcsinh arctan arctanh around array "
                          "asanyarray asarray ascontiguousarray average bitwise_not cbrt ceil conj conjugate copy "
                          "cos cosh cumprod cumsum deg2rad diag diagflat diagonal diff empty_like exp exp2 "
                          "expand_dims expm1 fabs fix flatten flip fliplr flipud floor full_like imag log log10 "
                          "log1p log2 max mean min moveaxis nanmean negative ones_like positive prod rad2deg ravel "
                          "real reciprocal repeat reshape rot90 round sin sinc sinh sort sqrt square squeeze std "
                          "sum swapaxes tan tanh trace transpose triu vander var zeros_like",
}
# ... and the binary ones (``:comparison``: promoted, never weak). subtract, pow, floordiv and truediv are TF's
# unwrapped public functions over wrapped kernels: they behave as wrapped ones, so they are wrapped here.
_BINARY = {
    "": "add divide matmul multiply realdiv truncatediv truncatemod maximum:comparison minimum:comparison "
        "subtract pow truediv equal:comparison",
    "linalg": "matmul",
    "math": "add divide divide_no_nan floormod mod multiply multiply_no_nan maximum:comparison "
            "minimum:comparison subtract pow floordiv truediv equal:comparison",
    "experimental.numpy": "matmul",
}
_VARIABLE_METHODS = ("assign", "assign_add", "assign_sub")
_ACTIVE = ("all", "safe")


class _State:
    mode: Callable[[], str] = staticmethod(lambda: "off")
    saved: list = []  # (owner, name, original), in the order patched


state = _State


def _convert_or_cast(x: Any, dtype: Any) -> Any:
    """TF's ``_convert_or_cast``: a WeakTensor's Tensor, a Tensor or Variable cast, anything else converted."""
    if isinstance(x, WeakTensor):
        x = x.tensor
    if isinstance(x, (Tensor, Variable)):
        return cast(x, dtype)
    if hasattr(type(x), "_to_components"):  # a composite: its own cast dispatch
        return cast(x, dtype)
    return convert_to_tensor(x, dtype)


def _fallback(op: Callable, *inputs: Any) -> None:
    kinds = ", ".join(str(type(x)) for x in inputs)
    LazyLogger("tensorflow").warning(f"The new dtype semantics do not support {op.__module__}.{op.__name__}({kinds})."
                                     " Falling back to old semantics.")


def unary_wrapper(op: Callable, x_name: str | None = None) -> Callable:
    """``op`` with TF's unary WeakTensor handling."""
    signature = inspect.signature(op)
    if x_name is None:
        x_name = next(iter(signature.parameters))

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if state.mode() not in _ACTIVE:
            return op(*args, **kwargs)
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            return op(*args, **kwargs)  # (the function's own error for its arguments)
        arguments = bound.arguments
        x = arguments.get(x_name)
        if isinstance(x, Tensor) or arguments.get("dtype") is not None:
            return op(*args, **kwargs)
        try:
            target, weak = promotion.result_type(x, mode=state.mode())
        except NotImplementedError:
            _fallback(op, x)
            return op(*args, **kwargs)
        arguments[x_name] = _convert_or_cast(x, target)
        return to_weak_or_tensor(op(*bound.args, **bound.kwargs), weak)

    return _decorate(wrapper, op)


def binary_wrapper(op: Callable, y_name: str | None = None, special: str | None = None) -> Callable:
    """``op`` with TF's binary WeakTensor handling (``special``: "comparison", "variable_method" or
    "constant")."""
    signature = inspect.signature(op)
    names = iter(signature.parameters)
    x_name = next(names)
    if y_name is None:
        y_name = next(names)
    op_name = op.__name__

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        mode = state.mode()
        if mode not in _ACTIVE:
            return op(*args, **kwargs)
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            return op(*args, **kwargs)  # (the function's own error for its arguments)
        arguments = bound.arguments
        x, y = arguments.get(x_name), arguments.get(y_name)
        try:
            target, weak = promotion.result_type(x, y, mode=mode)
        except NotImplementedError:
            _fallback(op, x, y)
            return op(*args, **kwargs)
        if special == "variable_method":
            # a variable's dtype cannot change: only the value converts, and only to the variable's dtype
            if target is not x.dtype:
                raise TypeError(f"Variable dtype is immutable. Calling {op_name} of Variable (with dtype {x.dtype}) "
                                f"on {y} requires converting {y} to {x.dtype}. This is disabled in the current "
                                f"promotion semantics. Please convert {y} manually before calling {op_name}.")
            arguments[y_name] = _convert_or_cast(y, target)
            return op(*bound.args, **bound.kwargs)
        if special == "constant":
            if isinstance(x, WeakTensor):
                arguments[x_name] = x.tensor
            if y is not None:
                # tf.constant(x, dtype): a plain Tensor of that dtype; a tensor converts one way, to the dtype
                weak = False
                if target is not _as_dtype(y):
                    return op(*bound.args, **bound.kwargs)
                if isinstance(x, (Tensor, WeakTensor)):
                    arguments[x_name] = _convert_or_cast(x, target)
            else:
                arguments["dtype"] = target
        else:
            arguments[x_name] = _convert_or_cast(x, target)
            arguments[y_name] = _convert_or_cast(y, target)
        if special == "comparison":
            weak = False
        return to_weak_or_tensor(op(*bound.args, **bound.kwargs), weak)

    return _decorate(wrapper, op)


def concat_wrapper(op: Callable) -> Callable:
    """TF's concat of a single value is ``identity`` of it, a wrapped op: weak for a Python value."""
    signature = inspect.signature(op)
    values_name = next(iter(signature.parameters))

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        mode = state.mode()
        if mode not in _ACTIVE:
            return op(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        values = bound.arguments.get(values_name)
        if not isinstance(values, (list, tuple)) or len(values) != 1 or isinstance(values[0], Tensor):
            return op(*args, **kwargs)
        try:
            target, weak = promotion.result_type(values[0], mode=mode)
        except NotImplementedError:
            return op(*args, **kwargs)
        bound.arguments[values_name] = [_convert_or_cast(values[0], target)]
        return to_weak_or_tensor(op(*bound.args, **bound.kwargs), weak)

    return _decorate(wrapper, op)


def _as_dtype(dtype: Any) -> Any:
    from ...dtypes import as_dtype

    return as_dtype(dtype)


def _decorate(wrapper: Callable, op: Callable) -> Callable:
    for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
        setattr(wrapper, attr, getattr(op, attr, None))
    wrapper.__wrapped__ = op  # type: ignore[attr-defined]
    wrapper.__signature__ = inspect.signature(op)  # type: ignore[attr-defined]
    return wrapper


def _namespace(path: str) -> Any:
    """The surface namespace at ``path`` ("math.special": an attribute of ``featherflow.math``), or None."""
    module = sys.modules["featherflow"]
    for part in path.split(".") if path else ():
        inner = getattr(module, part, None)
        if inner is None:
            try:
                inner = importlib.import_module(f"{module.__name__}.{part}")
            except ImportError:
                return None
        module = inner
    return module


_SURFACES = ("", "math", "math.special", "nn", "linalg", "image", "bitwise", "debugging", "experimental.numpy")


def _plan() -> list[tuple[Callable, Callable]]:
    """(original, wrapper) for each function of the tables featherflow has, wrapped once however aliased."""
    wrappers: dict[int, tuple[Callable, Callable]] = {}
    for table, make in ((_UNARY, "unary"), (_BINARY, "binary")):
        for path, names in table.items():
            module = _namespace(path)
            for entry in names.split():
                name, _, extra = entry.partition(":")
                original = getattr(module, name, None) if module is not None else None
                if original is None or not callable(original) or id(original) in wrappers:
                    continue
                try:
                    first = next(iter(inspect.signature(original).parameters.values()), None)
                except (TypeError, ValueError):  # (no signature to bind arguments with)
                    continue
                if first is None or first.kind in (first.VAR_POSITIONAL, first.VAR_KEYWORD):
                    continue  # (no argument to infer from)
                if make == "unary":
                    wrapper = unary_wrapper(original, extra or None)
                else:
                    wrapper = binary_wrapper(original, special=extra or None)
                wrappers[id(original)] = (original, wrapper)
    constant = _namespace("").constant
    wrappers[id(constant)] = (constant, binary_wrapper(constant, y_name="dtype", special="constant"))
    concat = _namespace("").concat
    wrappers[id(concat)] = (concat, concat_wrapper(concat))
    return list(wrappers.values())


def install() -> None:
    """Wraps the listed functions in every surface namespace, and Variable's assign methods (idempotent)."""
    if state.saved:
        return
    by_id = {id(original): wrapper for original, wrapper in _plan()}
    saved = []
    for path in _SURFACES:
        module = _namespace(path)
        if module is None or id(module) in _PATHS:  # (one module under two paths is patched once)
            continue
        _PATHS[id(module)] = path
        for name, value in list(vars(module).items()):
            wrapper = by_id.get(id(value))
            if wrapper is not None and callable(value):
                saved.append((module, name, value))
                setattr(module, name, wrapper)
    for name in _VARIABLE_METHODS:
        original = Variable.__dict__[name]
        saved.append((Variable, name, original))
        setattr(Variable, name, binary_wrapper(original, special="variable_method"))
    state.saved = saved


_PATHS: dict[int, str] = {}  # id of each patched namespace -> its path


def uninstall() -> None:
    """Puts back every function and method ``install`` replaced."""
    for owner, name, original in reversed(state.saved):
        setattr(owner, name, original)
    state.saved = []
    _PATHS.clear()


def wrapped_names() -> list[str]:
    """The public names currently wrapped (``"math.abs"``, ``"Variable.assign"``...)."""
    out = []
    for owner, name, _ in state.saved:
        if owner is Variable:
            out.append(f"Variable.{name}")
        else:
            out.append(f"{_PATHS[id(owner)]}.{name}" if _PATHS[id(owner)] else name)
    return out
