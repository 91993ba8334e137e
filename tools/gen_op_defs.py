"""Writes ``src/featherflow/ops/_op_defs.py``: TF's op definitions (signature, attrs, allowed dtypes in TF's
order) and CPU kernel registrations for the ops featherflow registers, read from an installed TensorFlow.

Run from the repository root: ``.venv/bin/python tools/gen_op_defs.py``. featherflow never imports TF; this
table is the data its dispatcher checks dtypes against and prints in TF's error texts.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import pprint

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402
from tensorflow.python.framework import dtypes as tf_dtypes  # noqa: E402
from tensorflow.python.framework import kernels, op_def_registry  # noqa: E402

import featherflow.ops  # noqa: E402
from featherflow.ops._contract import _ORDER, enum_name  # noqa: E402
from featherflow.ops.registry import OPS  # noqa: E402

FEATHERFLOW_TYPES = {enum_name(d) for d in _ORDER}

_ = tf.constant(1.0) + 1.0  # creates the devices, so XLA's kernels are listed as in TF's errors


def enum(t: int) -> str:
    from tensorflow.core.framework import types_pb2
    return types_pb2.DataType.Name(t)


def attr_value(v) -> str:
    """TF's SummarizeAttrValue for the value kinds op definitions use."""
    kind = v.WhichOneof("value")
    if kind == "b":
        return "true" if v.b else "false"
    if kind == "i":
        return str(v.i)
    if kind == "f":
        return f"{v.f:g}"
    if kind == "s":
        return '"' + v.s.decode() + '"'
    if kind == "type":
        return enum(v.type)
    if kind == "shape":
        return "<unknown>" if v.shape.unknown_rank else "[" + ",".join(str(d.size) for d in v.shape.dim) + "]"
    if kind == "list":
        lst = v.list
        items = ([str(i) for i in lst.i] + ['"' + s.decode() + '"' for s in lst.s] + [f"{f:g}" for f in lst.f]
                 + [enum(t) for t in lst.type] + ["true" if b else "false" for b in lst.b])
        return "[" + ", ".join(items) + "]"
    return ""


def arg(a) -> str:
    t = a.type_attr or a.type_list_attr or tf_dtypes.as_dtype(a.type).name
    if not (a.type_attr or a.type_list_attr):
        t = {"float32": "float", "float64": "double", "float16": "half"}.get(t, t)
    return f"{a.name}:{a.number_attr + '*' if a.number_attr else ''}{'Ref(' if a.is_ref else ''}{t}{')' if a.is_ref else ''}"


def summary(od) -> str:
    parts = ["signature=" + ", ".join(arg(a) for a in od.input_arg) + " -> " + ", ".join(arg(a) for a in od.output_arg)]
    for a in od.attr:
        s = f"attr={a.name}:{a.type}"
        if a.HasField("default_value"):
            s += ",default=" + attr_value(a.default_value)
        if a.has_minimum:
            s += f",min={a.minimum}"
        if a.HasField("allowed_values"):
            s += ",allowed=" + attr_value(a.allowed_values)
        parts.append(s)
    for flag in ("is_commutative", "is_aggregate", "is_stateful", "allows_uninitialized_input"):
        if getattr(od, flag):
            parts.append(f"{flag}=true")
    return "; ".join(parts)


def listing(name: str) -> str:
    lines = []
    for k in kernels.get_registered_kernels_for_op(name).kernel:
        line = f"  device='{k.device_type}'"
        if k.label:
            line += f"; label='{k.label}'"
        for c in k.constraint:
            line += f"; {c.name} in {attr_value(c.allowed_values)}"
        lines.append(line + "\n")
    return "".join(lines) or "  <no registered kernels>\n"


def entry(name: str) -> tuple:
    od = op_def_registry.get(name)
    # each input's type attr; "T*" for a list of N inputs of one type; "=DT_BOOL" for a fixed type; "" for a
    # list of types
    inputs = tuple((a.type_attr if a.type_attr else "" if a.type_list_attr else "=" + enum(a.type))
                   + ("*" if a.number_attr else "") for a in od.input_arg)
    allowed = {a.name: tuple(enum(t) for t in a.allowed_values.list.type)
               for a in od.attr if a.type == "type" and a.allowed_values.list.type}
    cpu: dict[str, set] = {}
    for k in kernels.get_registered_kernels_for_op(name).kernel:
        if k.device_type != "CPU":
            continue
        for c in k.constraint:
            if c.allowed_values.list.type:
                cpu.setdefault(c.name, set()).update(enum(t) for t in c.allowed_values.list.type)
    cpu_t = {a: tuple(t for t in allowed.get(a, ()) if t in ts) + tuple(sorted(ts - set(allowed.get(a, ()))))
             for a, ts in cpu.items()}
    defaults = tuple((a.name, attr_value(a.default_value)) for a in od.attr if a.HasField("default_value"))
    # an allowed dtype (for an attr without a list: any dtype featherflow has) that no CPU kernel takes: TF's
    # NotFoundError, which lists the kernels
    no_kernel = any(set(allowed[a] if a in allowed else FEATHERFLOW_TYPES) - set(ts) for a, ts in cpu_t.items())
    # a CPU kernel registered for some values of an int or bool attr only (ApproxTopK's reduction_dimension):
    # the other values find no kernel, TF's NotFoundError, which lists the kernels
    no_kernel = no_kernel or any(c.allowed_values.list.i or c.allowed_values.list.b
                                 for k in kernels.get_registered_kernels_for_op(name).kernel
                                 if k.device_type == "CPU" for c in k.constraint)
    return summary(od), inputs, allowed, cpu_t, defaults, listing(name) if no_kernel else ""


# TF ops featherflow checks but runs without a registered Op (Variable methods, the seed's key and counter):
# ``_contract.check_attrs`` checks their dtypes against TF's definitions here
UNREGISTERED_OPS = ("SelectV2", "StatelessRandomGetKeyCounter", "AssignAddVariableOp", "AssignSubVariableOp", "ResourceCountUpTo",
                    "ResourceGather", "ResourceGatherNd",
                    # the lookup tables' resource-creating ops (featherflow's ``TableResource``)
                    "HashTableV2", "MutableHashTableV2", "MutableHashTableOfTensorsV2", "MutableDenseHashTableV2",
                    *(f"ResourceScatter{k}" for k in ("Update", "Add", "Sub", "Mul", "Div", "Min", "Max")),
                    *(f"ResourceScatterNd{k}" for k in ("Update", "Add", "Sub", "Min", "Max")))


def main() -> None:
    for m in pkgutil.walk_packages(featherflow.ops.__path__, "featherflow.ops."):  # the family subpackages too
        importlib.import_module(m.name)
    table = {n: entry(n) for n in sorted(set(OPS) | set(UNREGISTERED_OPS)) if op_def_registry.get(n) is not None}
    path = os.path.join(os.path.dirname(featherflow.ops.__file__), "_op_defs.py")
    with open(path, "w") as f:
        f.write('"""TF\'s definitions of the ops featherflow registers, generated by ``tools/gen_op_defs.py`` from\n'
                "TensorFlow's op and kernel registries; do not edit.\n\n"
                "Each entry: (the ``Op<...>`` summary TF prints after the name, each input's type attr, the allowed\n"
                "dtypes of each type attr in TF's order, the dtypes of each type attr with a CPU kernel, the\n"
                "attrs' defaults as a NodeDef prints them, TF's kernel listing where some allowed dtype\n"
                'has no CPU kernel).\n"""\n\n')
        f.write("# fmt: off\n")
        f.write("OP_DEFS = ")
        f.write(pprint.pformat(table, width=118, compact=True, sort_dicts=False))
        f.write("\n")


if __name__ == "__main__":
    main()
