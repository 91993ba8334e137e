"""The generic raw ops: for each registered op whose forward takes exactly the tensor inputs of TF's op def and
no attrs (its type attrs all follow from its inputs), a keyword-only function named as TF names it.

>>> from featherflow.raw_ops._generic import make_generic
>>> make_generic("Mul")(x=[1, 2], y=[3, 4]).numpy().tolist()
[3, 8]
"""

from __future__ import annotations

import collections
import functools
import importlib
import inspect
import pkgutil
import re
from typing import Any, Callable

from ..ops._contract import _BY_ENUM_NAME
from ..ops._op_defs import OP_DEFS
from ..ops.convert import tensor
from ..ops.math.elementwise import run_binary
from ..ops.registry import OPS
from ..tensor import Tensor

_VARARGS = inspect.CO_VARARGS | inspect.CO_VARKEYWORDS
_UNSUPPORTED = ("=DT_RESOURCE", "=DT_VARIANT")
# TF's generated Python function of an op its api_defs hide (visibility HIDDEN) is named with a leading "_"; some
# api_defs rename an op's inputs in Python. (tests/raw_ops checks every name and signature against TF's.)
_HIDDEN = frozenset({"Abs", "Pow"})
_RENAMED = {"Where": ("condition",)}
# ops whose forward takes TF's inputs but trusts its public wrapper to have checked their shapes or values
# (TF's kernel raises InvalidArgumentError where the forward would fail in NumPy or compute garbage): left out
# of the generic layer rather than given NumPy's errors
_CHECKED_BY_WRAPPER = frozenset({
    "Betainc", "BroadcastArgs", "BroadcastTo", "Cholesky", "Cross", "Diag", "HSVToRGB", "RGBToHSV",
    "SoftmaxCrossEntropyWithLogits", "StringStrip", "ConjugateTranspose", "DiagPart", "Fingerprint", "InTopKV2",
    "LogMatrixDeterminant", "MatrixBandPart", "MatrixDeterminant", "MatrixLogarithm", "MatrixSquareRoot",
    "RaggedFillEmptyRowsGrad", "RegexFullMatch", "ReverseV2", "Roll", "SegmentMax", "SegmentMean", "SegmentMin",
    "SegmentProd", "SegmentSum", "SparseFillEmptyRowsGrad", "SparseSoftmaxCrossEntropyWithLogits",
    "TridiagonalMatMul", "UnravelIndex", "UnsortedSegmentMax", "UnsortedSegmentMin", "UnsortedSegmentProd",
    "UnsortedSegmentSum",
})


def snake_name(op_name: str) -> str:
    """TF's function name for an op (python_op_gen's GenerateLowerCaseOpName): an underscore where lower case
    turns upper, or before an upper-case letter followed by a lower-case one."""
    out: list[str] = []
    last = len(op_name) - 1
    for i, c in enumerate(op_name):
        if c.isupper() and i > 0 and (op_name[i - 1].islower() or i < last and op_name[i + 1].islower()):
            if out[-1] != "_":
                out.append("_")
        out.append(c.lower())
    name = "".join(out)
    return "_" + name if op_name in _HIDDEN else name


def keyword_only(fn: Callable, keys: list[str]) -> Callable:
    """``fn`` callable with keyword arguments only, refusing positional ones with TF's TypeError
    (tf_export.kwarg_only)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if args:
            raise TypeError(f"{fn.__name__} only takes keyword args (possible keys: {keys}). "
                            "Please pass these args as kwargs instead.")
        return fn(**kwargs)

    return wrapper


def _parse(op_name: str) -> tuple[list[str], tuple, list[str]] | None:
    """The op def's input names, their type attrs, and its output names, if the op takes no attrs that its
    inputs do not fix; else None."""
    definition = OP_DEFS.get(op_name)
    if definition is None:
        return None
    summary, input_attrs = definition[0], definition[1]
    signature = summary.split("; ")[0][len("signature="):]
    ins, outs = signature.split(" -> ")
    inputs = list(_RENAMED.get(op_name, [a.split(":")[0] for a in ins.split(", ")] if ins else []))
    outputs = [a.split(":") for a in outs.split(", ")] if outs else []
    if any("*" in a or a in _UNSUPPORTED for a in input_attrs) or any("*" in t or "Ref(" in t for _, t in outputs):
        return None
    bound = {a for a in input_attrs if not a.startswith("=")}
    for attr, kind in re.findall(r"attr=(\w+):([\w()]+)", summary):
        if kind != "type" or attr not in bound:
            return None
    return inputs, tuple(input_attrs), [n for n, _ in outputs]


@functools.cache
def generic_names(explicit: frozenset[str] = frozenset()) -> frozenset[str]:
    """The ops the generic layer covers (loading every op module first), but those in ``explicit``."""
    from .. import ops
    from ..ops.debugging import numerics_mode

    for module in pkgutil.walk_packages(ops.__path__, ops.__name__ + "."):
        importlib.import_module(module.name)
    names = set()
    for name, op in list(OPS.items()):
        if name in explicit or name in _CHECKED_BY_WRAPPER or op.n_outputs == 0:
            continue
        parsed = _parse(name)
        if parsed is None:
            continue
        inputs, input_attrs, outputs = parsed
        if op.inputs is not None and tuple(op.inputs) != input_attrs:
            continue
        # the op's own forward, not enable_check_numerics' checking wrapper of it
        forward = numerics_mode._saved.get(name, op.forward)
        code = getattr(forward, "__code__", None)
        if (code is None or code.co_flags & _VARARGS or code.co_kwonlyargcount or forward.__defaults__
                or code.co_argcount - 1 != len(inputs) or op.n_outputs != len(outputs)):
            continue
        names.add(name)
    return frozenset(names)


def convert_inputs(values: list[Any], input_attrs: tuple) -> list[Tensor]:
    """TF's eager conversion of an op's inputs (execute.args_to_matching_eager): the inputs of one type attr
    take the dtype of the first of them that is a Tensor, else of the first converted; an input of a fixed
    type is converted to it."""
    out: list[Any] = list(values)
    groups: dict[str, list[int]] = {}
    for i, attr in enumerate(input_attrs):
        if attr.startswith("="):
            out[i] = tensor(values[i], _BY_ENUM_NAME.get(attr[1:]))
        else:
            groups.setdefault(attr, []).append(i)
    for indices in groups.values():
        group = [values[i] for i in indices]
        if all(isinstance(v, Tensor) for v in group):
            continue
        dtype = next((v.dtype for v in group if isinstance(v, Tensor)), None)
        for i in indices:
            out[i] = tensor(values[i], dtype)
            dtype = out[i].dtype if dtype is None else dtype
    return out


def _missing(fn_name: str, names: list[str]) -> TypeError:
    """Python's own message for missing arguments."""
    quoted = [f"'{n}'" for n in names]
    listed = quoted[0] if len(quoted) == 1 else (
        " and ".join(quoted) if len(quoted) == 2 else ", ".join(quoted[:-1]) + ", and " + quoted[-1])
    plural = "argument" if len(names) == 1 else "arguments"
    return TypeError(f"{fn_name}() missing {len(names)} required positional {plural}: {listed}")


def make_generic(op_name: str) -> Callable:
    """The keyword-only function ``tf.raw_ops.<op_name>`` of a generic op."""
    parsed = _parse(op_name)
    assert parsed is not None
    inputs, input_attrs, outputs = parsed
    op = OPS[op_name]
    fn_name = snake_name(op_name)
    result_type = collections.namedtuple(op_name, outputs) if len(outputs) > 1 else None

    def raw(**kwargs: Any) -> Any:
        for key in kwargs:
            if key not in inputs and key != "name":
                raise TypeError(f"{fn_name}() got an unexpected keyword argument '{key}'")
        missing = [n for n in inputs if n not in kwargs]
        if missing:
            raise _missing(fn_name, missing)
        args = convert_inputs([kwargs[n] for n in inputs], input_attrs)
        # (a broadcasting binary op: NumPy's broadcast error as TF's InvalidArgumentError)
        result = run_binary(op, *args) if len(args) == 2 and op.n_outputs == 1 else op(*args)
        return result if result_type is None else result_type(*result)

    raw.__name__ = raw.__qualname__ = fn_name
    raw.__doc__ = f"TF's op ``{op_name}``: {OP_DEFS[op_name][0]}."
    keys = [*inputs, "name"]
    wrapper = keyword_only(raw, keys)
    parameters = [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in inputs]
    parameters.append(inspect.Parameter("name", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None))
    wrapper.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    return wrapper
