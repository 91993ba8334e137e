"""The dtype contract of each op, checked by the dispatcher: which type attr each input has, the dtypes each
attr accepts (TF's CPU kernel registrations, or the op's own declaration), and TF's errors for the rest.

An op's contract is built on its first call from its declaration (``register(..., dtypes=, inputs=)``) and TF's
op definition (``_op_defs``, generated from TF's registries), so importing featherflow costs nothing for it.
The dispatcher calls ``admit`` only when an input's dtype differs from the op's last accepted one; ``admit``
remembers the dtype combinations it accepted, so a miss costs one dict lookup after the first.

>>> import featherflow as tf
>>> tf.bitwise.bitwise_and(tf.constant([1.5]), tf.constant([1.5]))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
featherflow.errors.InvalidArgumentError: Value for attr 'T' of float is not in the list of allowed values: int8, ...
"""

from __future__ import annotations

import re
from typing import Any

from .. import _op_table
from .. import device as _device
from .. import dtypes as _dtypes
from ..errors import InvalidArgumentError, NotFoundError
from ..python_values import type_string
from ..tensor import dtype_mismatch

ANY = "any"  # ``register(..., dtypes=ANY)``: the op takes every dtype (Identity, Const-like ops)
_MAX_SEEN = 64  # dtype combinations remembered per op


class Contract:
    """What an op's dispatcher checks, precomputed: one attr per input position, a frozenset per attr."""

    __slots__ = ("op_name", "positions", "variadic", "accepted", "allowed", "summary", "defaults", "listing",
                 "seen", "unchecked", "tf_allowed", "tf_cpu", "attr_names", "choices")

    def __init__(self, op: Any) -> None:
        from ._op_defs import OP_DEFS

        self.op_name = op.name
        tf_def = OP_DEFS.get(op.name)
        summary, tf_inputs, tf_allowed, tf_cpu, defaults, listing = tf_def or (None, (), {}, {}, (), "")
        inputs = op.inputs if op.inputs is not None else tf_inputs
        self.variadic = bool(inputs) and inputs[-1].endswith("*")
        self.positions = tuple(a.rstrip("*") for a in inputs)
        self.summary, self.defaults, self.listing = summary, defaults, listing
        self.attr_names = frozenset(re.findall(r"attr=(\w+):", summary or ""))  # what a NodeDef may show
        # the values each string attr allows (``padding``: "SAME", "VALID"), checked by ``Op.check``
        self.choices = {a: tuple(re.findall(r'"([^"]*)"', values)) for a, values in
                        re.findall(r'attr=(\w+):string(?:,default="[^"]*")?,allowed=\[([^\]]*)\]', summary or "")}
        self.tf_allowed, self.tf_cpu = tf_allowed, tf_cpu
        declared = op.dtypes
        self.unchecked = declared is ANY or (declared is None and tf_def is None)
        attrs = [a for a in dict.fromkeys(self.positions) if a]
        if isinstance(declared, frozenset):  # the dtypes of T, or else of the first input's attr
            declared = {("T" if "T" in attrs or not attrs else attrs[0]): declared}
        self.accepted: dict[str, frozenset | None] = {}
        self.allowed: dict[str, tuple] = {}
        for attr in attrs:
            if attr.startswith("="):  # an input of a fixed type (``x:bool``)
                self.accepted[attr] = frozenset({_BY_ENUM_NAME[attr[1:]]}) if attr[1:] in _BY_ENUM_NAME else None
            else:
                self.add_attr(attr, declared)
        self.seen: dict[tuple, None] = {}

    def add_attr(self, attr: str, declared: dict | None) -> None:
        """The dtypes ``attr`` accepts: the op's declaration, else TF's CPU kernels, else TF's allowed list."""
        allowed = tuple(self.tf_allowed.get(attr, ()))
        if declared is not None and attr in declared:
            accepted = declared[attr]
        elif attr in self.tf_cpu:  # (TF registers some kernels for more dtypes than the op allows)
            accepted = frozenset(_BY_ENUM_NAME[t] for t in self.tf_cpu[attr]
                                 if t in _BY_ENUM_NAME and (not allowed or t in allowed))
        elif allowed:
            accepted = frozenset(_BY_ENUM_NAME[t] for t in allowed if t in _BY_ENUM_NAME)
        else:
            accepted = None  # a type attr without a list: any dtype
        if accepted is not None:
            if not allowed and self.summary and f"attr={attr}:type" in self.summary:
                allowed = tuple(enum_name(d) for d in _ORDER)  # TF allows any dtype: a missing kernel is NotFound
            elif not allowed:
                allowed = tuple(enum_name(d) for d in _ORDER if d in accepted)
            elif not self.listing and any(_BY_ENUM_NAME[t] not in accepted for t in allowed if t in _BY_ENUM_NAME):
                # an allowed dtype featherflow has no kernel for, where TF has: list featherflow's kernels
                types = ", ".join(enum_name(d) for d in _ORDER if d in accepted)
                self.listing = f"  device='CPU'; {attr} in [{types}]\n"
        self.accepted[attr] = accepted
        self.allowed[attr] = allowed

    def attr_of(self, index: int) -> str:
        if index < len(self.positions):
            return self.positions[index]
        return self.positions[-1] if self.variadic else ""

    def check(self, inputs: tuple, attrs: dict | None = None) -> None:
        """Raises TF's error for the first input TF would reject: a dtype differing from an earlier input's of
        the same attr, a dtype outside the attr's allowed list, then one the op has no kernel for (whose
        NodeDef shows ``attrs``, the op's keyword arguments that are TF attrs)."""
        bound: dict[str, Any] = {}
        for i, t in enumerate(inputs):
            attr = self.attr_of(i)
            if not attr:
                continue
            if attr.startswith("="):
                fixed = self.accepted[attr]
                if fixed is not None and t._dtype not in fixed:
                    raise self.mismatch(i, next(iter(fixed)), t._dtype)
                continue
            first = bound.setdefault(attr, t._dtype)
            if first is not t._dtype:  # TF checks the dtype the first input set before naming the mismatch
                if not self.allows(attr, first):
                    raise self.bad_attr(attr, first)
                accepted = self.accepted[attr]
                if accepted is not None and first not in accepted:
                    raise self.no_kernel(bound, inputs, attrs)
                raise self.mismatch(i, first, t._dtype)
        for attr, dtype in bound.items():
            if not self.allows(attr, dtype):
                raise self.bad_attr(attr, dtype)
        # (TF validates a NodeDef's attrs in its protobuf map's order, which differs from one process to the
        # next: a string attr's error comes before or after a dtype's at random; featherflow puts it after)
        if attrs:
            for attr, value in attrs.items():
                if type(value) is str and attr in self.choices and value not in self.choices[attr]:
                    raise self.bad_choice(attr, value)
        for attr, dtype in bound.items():
            accepted = self.accepted[attr]
            if accepted is not None and dtype not in accepted:
                raise self.no_kernel(bound, inputs, attrs)

    def allows(self, attr: str, dtype: Any) -> bool:
        """Whether ``dtype`` passes TF's allowed list for ``attr`` (it may still have no kernel)."""
        accepted = self.accepted[attr]
        return (accepted is None or dtype in accepted
                or bool(self.listing) and enum_name(dtype) in self.allowed[attr])

    def mismatch(self, index: int, expected: Any, got: Any) -> InvalidArgumentError:
        """TF's error for an input whose dtype differs from an earlier one's of the same attr. On TF's CPU,
        oneDNN has already replaced some kernels for float32 and bfloat16, and the error names its kernel."""
        op = self.op_name
        kernel = _ONEDNN.get(op) if expected in _ONEDNN_TYPES else None
        if kernel is None or _device._scope.device.device_type != "CPU":
            return dtype_mismatch(op, index, expected, got)
        return InvalidArgumentError(
            None, None, f"cannot compute {kernel} as input #{index}(zero-based) was expected to be a "
                        f"{type_string(expected)} tensor but is a {type_string(got)} tensor [Op:{op}] name: ")

    def bad_attr(self, attr: str, dtype: Any) -> InvalidArgumentError:
        names = ", ".join(n[3:].lower() for n in self.allowed[attr])
        return self.not_allowed(attr, type_string(dtype), names)

    def bad_choice(self, attr: str, value: str) -> InvalidArgumentError:
        return self.not_allowed(attr, f'"{value}"', ", ".join(f'"{v}"' for v in self.choices[attr]))

    def not_allowed(self, attr: str, value: str, names: str) -> InvalidArgumentError:
        op = self.op_name
        signature = f"Op<name={op}; {self.summary}>" if self.summary else f"Op<name={op}>"
        return InvalidArgumentError(
            None, None, f"Value for attr '{attr}' of {value} is not in the list of allowed values: "
                        f"{names}\n\t; NodeDef: {{{{node {op}}}}}; {signature} [Op:{op}] name: ")

    def no_kernel(self, bound: dict, inputs: tuple = (), attrs: dict | None = None) -> NotFoundError:
        op = self.op_name
        node_attrs = dict(self.defaults)
        if attrs:
            node_attrs.update((k, attr_text(v)) for k, v in attrs.items() if k in self.attr_names)
        if self.variadic and "N" in self.attr_names:  # the length of the list input
            node_attrs["N"] = str(len(inputs) - len(self.positions) + 1)
        node_attrs.update((a, enum_name(d)) for a, d in bound.items())
        node = ", ".join(f"{k}={v}" for k, v in sorted(node_attrs.items()))
        return NotFoundError(None, None, f"Could not find device for node: {{{{node {op}}}}} = {op}[{node}]\n"
                                         f"All kernels registered for op {op}:\n{self.listing} [Op:{op}] name: ")


def admit(op: Any, inputs: tuple, attrs: dict | None = None) -> None:
    """Checks ``inputs`` against ``op``'s contract (raising TF's error), and remembers what it accepted.
    ``attrs``, the call's keyword arguments, only show in the NodeDef of a NotFoundError."""
    c = op.contract
    if c is None:
        c = op.contract = Contract(op)
    if not c.unchecked:
        key = tuple([t._dtype._enum for t in inputs])  # enums: a DType's hash is a Python call
        if key not in c.seen:
            c.check(inputs, attrs)
            if len(c.seen) < _MAX_SEEN:
                c.seen[key] = None
    if op.host_only:  # never on the fast path: the dispatcher must route every call of a host-only op to the host
        return
    # the dispatcher's fast path, per arity: one dtype that every input (all of one attr) has
    n = len(inputs)
    first = inputs[0]._dtype if n else None
    if n == 1 and (c.unchecked or c.attr_of(0)):
        op.ok1 = first
    elif n == 2 and inputs[1]._dtype is first and (c.unchecked or c.attr_of(0) and c.attr_of(1) == c.attr_of(0)):
        op.ok2 = first


def check_call(op: Any, inputs: tuple, attrs: dict) -> None:
    """``Op.check``: ``admit``, and the string attrs in ``attrs`` (``padding``) against TF's allowed values."""
    if attrs:
        c = op.contract
        if c is None:
            c = op.contract = Contract(op)
        if not c.unchecked:
            c.check(inputs, attrs)
    admit(op, inputs, attrs)


def not_found(op: Any, inputs: tuple, attrs: dict) -> NotFoundError:
    """TF's NotFoundError for a combination of dtypes that passes each attr's check but that no kernel takes
    (``BatchMatMulV3``'s (Ta, Tb, Tout)), its NodeDef showing ``attrs``."""
    c = op.contract
    if c is None:
        c = op.contract = Contract(op)
    bound = {}
    for i, t in enumerate(inputs):
        attr = c.attr_of(i)
        if attr and not attr.startswith("="):
            bound.setdefault(attr, t._dtype)
    return c.no_kernel(bound, inputs, attrs)


def check_input(op: Any, index: int, t: Any) -> None:
    """Raises TF's error if ``op`` refuses ``t`` as its input ``index`` by its dtype alone: a fixed-type input's
    mismatch (``x:string``), or a type attr's."""
    c = op.contract
    if c is None:
        c = op.contract = Contract(op)
    attr = c.attr_of(index)
    if attr.startswith("="):
        fixed = c.accepted[attr]
        if fixed is not None and t._dtype not in fixed:
            raise c.mismatch(index, next(iter(fixed)), t._dtype)
    elif attr and not c.unchecked:
        check_attr(op, attr, t._dtype)


def check_attr(op: Any, attr: str, dtype: Any) -> None:
    """Raises TF's error if ``dtype`` is not one ``op``'s type attr ``attr`` accepts; or, for a string ``dtype``,
    one of the values the string attr ``attr`` allows."""
    c = op.contract
    if c is None:
        c = op.contract = Contract(op)
    if type(dtype) is str:
        if attr in c.choices and dtype not in c.choices[attr]:
            raise c.bad_choice(attr, dtype)
        return
    if attr in c.choices:  # a string attr given something else: TF's op wrapper refuses it
        raise TypeError(f"Expected string for argument '{attr}' not {dtype!r}.")
    if attr not in c.accepted:
        c.add_attr(attr, op.dtypes if isinstance(op.dtypes, dict) else None)
    accepted = c.accepted[attr]
    if accepted is not None and dtype not in accepted:
        if enum_name(dtype) not in c.allowed[attr] or not c.listing:
            raise c.bad_attr(attr, dtype)
        raise c.no_kernel({attr: dtype})


class _ResourceOp:
    """A TF op featherflow runs as a Variable method (ResourceScatterAdd, AssignAddVariableOp), not a registered
    Op: its contract is TF's definition alone."""

    __slots__ = ("name", "inputs", "dtypes", "contract")

    def __init__(self, name: str) -> None:
        self.name, self.inputs, self.dtypes = name, None, None
        self.contract = Contract(self)


_UNREGISTERED: dict[str, _ResourceOp] = {}


def check_attrs(op_name: str, bound: dict, name_suffix: bool = True) -> None:
    """Raises TF's error if the TF op ``op_name`` refuses the dtypes of its type attrs ``bound`` (attr -> dtype,
    in the order TF checks them), by the registered op's contract, or for an op featherflow runs without one
    (a Variable's ResourceScatterAdd, AssignAddVariableOp), TF's definition: a dtype outside an attr's allowed
    list is refused by the op's definition, one with no kernel at kernel lookup, which TF reports, for these
    resource ops, as "No OpKernel was registered". The values layer reaches this through
    ``_op_table.check_attrs``. ``name_suffix`` False: the message lacks the trailing `` name: `` (TF's, for
    a call with a Python list of indices, or a seed checked on TF's Python side)."""
    op = _by_name(op_name)
    c = op.contract
    for attr, dtype in bound.items():
        if attr not in c.accepted:  # an attr of the outputs only (ResourceCountUpTo's T, a kernel's dtype)
            c.add_attr(attr, op.dtypes if isinstance(op.dtypes, dict) else None)
        if not c.allows(attr, dtype):
            raise _unnamed(c.bad_attr(attr, dtype), name_suffix)
    for attr, dtype in bound.items():
        accepted = c.accepted[attr]
        if accepted is not None and dtype not in accepted:
            if type(op) is not _ResourceOp:
                raise _unnamed(c.no_kernel(bound), name_suffix)
            node_attrs = dict(c.defaults)
            node_attrs.update((a, enum_name(d)) for a, d in bound.items())
            node = ", ".join(f"{k}={v}" for k, v in sorted(node_attrs.items()))
            raise _unnamed(InvalidArgumentError(
                None, None, f"No OpKernel was registered to support Op '{op_name}' used by {{{{node {op_name}}}}} "
                            f"with these attrs: [{node}]\nRegistered devices: [CPU]\nRegistered kernels:\n"
                            f"{c.listing}\n\t [[{op_name}]] [Op:{op_name}] name: "), name_suffix)


def check_inputs(op_name: str, inputs: tuple) -> None:
    """``Op.check`` for the TF op ``op_name``, registered or not (``SelectV2``, which featherflow's ``Select``
    runs): TF's dtype errors for ``inputs``, in TF's input positions."""
    _by_name(op_name).contract.check(inputs)


def _by_name(op_name: str) -> Any:
    op = _op_table.OPS.get(op_name) or _UNREGISTERED.get(op_name)
    if op is None:
        op = _UNREGISTERED[op_name] = _ResourceOp(op_name)
    if op.contract is None:
        op.contract = Contract(op)
    return op


def _unnamed(error: Any, name_suffix: bool) -> Any:
    if name_suffix:
        return error
    return type(error)(None, None, str(error).removesuffix(" name: "))


def attr_text(value: Any) -> str:
    """An attr's value as a NodeDef prints it (TF's SummarizeAttrValue)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(attr_text(v) for v in value) + "]"
    if isinstance(value, _dtypes.DType):
        return enum_name(value)
    if hasattr(value, "kind") and hasattr(value, "itemsize"):  # a NumPy dtype (a forward's ``Tout``)
        return enum_name(_dtypes.as_dtype(value))
    return str(value)


def enum_name(dtype: Any) -> str:
    """``DT_FLOAT``-style name of a dtype, as TF's op definitions spell it."""
    return "DT_" + _ENUM_NAMES.get(dtype.name, dtype.name.upper())


_ENUM_NAMES = {"float32": "FLOAT", "float64": "DOUBLE", "float16": "HALF"}
_ORDER = [_dtypes.bfloat16, _dtypes.float16, _dtypes.float32, _dtypes.float64, _dtypes.uint8, _dtypes.uint16,
          _dtypes.uint32, _dtypes.uint64, _dtypes.int8, _dtypes.int16, _dtypes.int32, _dtypes.int64,
          _dtypes.complex64, _dtypes.complex128, _dtypes.bool, _dtypes.string]
_BY_ENUM_NAME = {enum_name(d): d for d in _ORDER}
# The kernels TF's oneDNN pass puts in place of these ops on its CPU, for float32 and bfloat16 inputs: the dtype
# mismatch errors name them
_ONEDNN = {"MatMul": "_MklMatMul", "BatchMatMulV2": "_MklBatchMatMulV2", "Einsum": "_MklEinsum",
           **{op: "_MklNative" + op for op in ("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", "Conv3D",
                                               "DepthwiseConv2dNative", "DepthwiseConv2dNativeBackpropInput",
                                               "DepthwiseConv2dNativeBackpropFilter")}}
_ONEDNN_TYPES = (_dtypes.float32, _dtypes.bfloat16)
