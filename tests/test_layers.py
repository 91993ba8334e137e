"""The package's layers, as DESIGN's table orders them: no import cycle between modules and no import from a
higher layer. Every import statement counts, including the lazy ones inside functions (they run as soon as
the function does, and close the same cycles).

The placement of each module is the table below; README's "Layout" section shows the same table.
"""

from __future__ import annotations

import ast
import pathlib

PACKAGE = "featherflow"
ROOT = pathlib.Path(__file__).resolve().parent.parent / "src" / PACKAGE

# DESIGN's layers, lowest first: a module imports only from its own layer and those listed before it.
LAYERS = ["data", "backends", "devices", "values", "ops", "autodiff", "state", "surface", "compat"]

# Module (relative to the package; "" is __init__) -> layer. A name ending in "." places every module under
# that package (the package's own __init__ included) unless the module is listed by its full name.
PLACEMENT = {
    # data: DType, TensorShape, tf.errors, and tf.nest (pure Python structures); no arrays
    "dtypes": "data",
    "shape": "data",
    "errors": "data",
    "nest": "data",
    "_logs": "data",
    "_lazy": "data",
    "_compat_util": "data",
    # backends: one array namespace per device type
    "backends.": "backends",
    # devices
    "device": "devices",
    "device_config": "devices",
    "runtime_config": "devices",
    # values: Tensor, Variable and the modules they are made of
    "tensor": "values",
    "variable": "values",
    "variable_policy": "values",
    "variable_sparse": "values",
    "python_values": "values",
    "python_converters": "values",
    "numpy_values": "values",
    "indexed_slices": "values",
    "sparse_updates": "values",
    "naming": "values",
    "tensor_spec": "values",
    "variable_creator": "values",
    "_tape_hooks": "values",
    "_op_table": "values",
    "tensor_dlpack": "values",
    # ops: every op, its public wrapper and its gradient rule
    "ops.": "ops",
    # autodiff
    "autodiff.": "autodiff",
    # state
    "module": "state",
    "trackable": "state",
    "trackable_base": "state",
    "function": "state",
    "function_trace": "state",
    "extension_type": "state",
    "extension_type_field": "state",
    "_control_scopes": "state",
    "_test_util": "state",
    "test": "surface",
    "sysconfig": "surface",
    "_autograph_impl": "state",
    "generator": "state",
    "checkpoint.": "state",
    "optimizers.": "state",
    "data.": "state",
    "distribute.": "state",
    "training.": "state",
    "_lookup_tables": "state",
    "_config_deprecated": "state",
    "linalg_operator.": "state",
    # surface: tf-shaped namespaces, explicit re-exports only
    "": "surface",
    "_api.": "surface",
    "autograph": "surface",
    "_autograph_experimental": "surface",
    "bitwise": "surface",
    "config": "surface",
    "_config_experimental": "surface",
    "_config_optimizer": "surface",
    "_config_threading": "surface",
    "debugging": "surface",
    "_debugging_experimental": "surface",
    "experimental.": "surface",
    "io.": "surface",
    "image": "surface",
    "linalg": "surface",
    "_linalg_experimental": "surface",
    "lookup": "surface",
    "_lookup_experimental": "surface",
    "math": "surface",
    "nn": "surface",
    "random": "surface",
    "signal": "surface",
    "summary.": "surface",
    "_math_special": "surface",
    "_random_experimental": "surface",
    "_nn_experimental": "surface",
    "ragged": "surface",
    "sets": "surface",
    "sparse": "surface",
    "strings": "surface",
    "train": "surface",
    "raw_ops.": "surface",
    # compat: entry points nothing else imports (the `featherflow` command line), the `tensorflow` module paths
    # featherflow stands in for, and tf.keras (real Keras, loaded through them)
    "cli": "compat",
    "_tensorflow.": "compat",
    "keras": "compat",
    "compat.": "surface",  # tf.compat: public namespaces (re-exports)
}


def _modules() -> dict[str, pathlib.Path]:
    """Every module of the package by its name relative to the package ("" for __init__, "ops.math", ...)."""
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_package(name: str, modules: dict[str, pathlib.Path]) -> bool:
    return modules[name].name == "__init__.py"


def _imports(name: str, modules: dict[str, pathlib.Path]) -> set[tuple[str, int]]:
    """The package modules ``name`` imports, with the line of each import (every statement, lazy or not)."""
    path = modules[name]
    tree = ast.parse(path.read_text(), str(path))
    here = name.split(".") if name else []
    if not _is_package(name, modules):
        here = here[:-1]  # a module's relative imports start from its package
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                    found.add((_known(alias.name[len(PACKAGE) + 1:], modules), node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module == PACKAGE or (node.module or "").startswith(PACKAGE + "."):
                target = node.module[len(PACKAGE) + 1:]
            else:
                continue
            for alias in node.names:  # `from . import x` imports the module x when there is one
                sub = f"{target}.{alias.name}" if target else alias.name
                found.add((sub if sub in modules else _known(target, modules), node.lineno))
    return {(m, line) for m, line in found if m != name}


def _known(target: str, modules: dict[str, pathlib.Path]) -> str:
    assert target in modules, f"import of {PACKAGE}.{target}, which is not a module of the package"
    return target


def _layer(name: str) -> str:
    if name in PLACEMENT:
        return PLACEMENT[name]
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        found = PLACEMENT.get(".".join(parts[:n]) + ".")
        if found is not None:
            return found
    raise AssertionError(f"{PACKAGE}.{name} has no layer: place it in PLACEMENT (and in README's Layout table)")


def _graph() -> dict[str, set[tuple[str, int]]]:
    modules = _modules()
    return {name: _imports(name, modules) for name in modules}


def _display(name: str) -> str:
    return f"{PACKAGE}.{name}" if name else PACKAGE


def test_every_module_has_a_layer():
    for name in _modules():
        assert _layer(name) in LAYERS


def test_no_import_from_a_higher_layer():
    upward = []
    for name, targets in sorted(_graph().items()):
        rank = LAYERS.index(_layer(name))
        for target, line in sorted(targets):
            if LAYERS.index(_layer(target)) > rank:
                upward.append(f"{_display(name)}:{line} ({_layer(name)}) imports {_display(target)} "
                              f"({_layer(target)})")
    assert not upward, "imports from a higher layer:\n" + "\n".join(upward)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return components


def test_no_import_cycle():
    graph = {name: {target for target, _ in targets} for name, targets in _graph().items()}
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(map(_display, c)) for c in cycles)


def test_cycle_finder_finds_cycles():
    # the checker itself: a two-module cycle and a three-module one are found, a chain is not
    graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": {"a"}, "g": set()}
    assert sorted(_cycles(graph)) == [["a", "b"], ["c", "d", "e"]]


def _lazy_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes inside functions: they run after the module's import, maybe long after."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            inside.update(id(n) for n in ast.walk(node) if n is not node)
    return inside


def test_internal_dtypes_is_never_reached_through_the_package_attribute():
    # `featherflow.dtypes`, the package attribute, is tf.dtypes (_api.dtypes), bound at the end of __init__;
    # `from . import dtypes` reads that attribute, so it finds the internal module only while `import featherflow`
    # runs. Anything that runs later (a lazy import, a module loaded on first use) must write
    # `from .dtypes import ...` (or `from featherflow.dtypes import ...`), which reads sys.modules.
    import subprocess
    import sys

    loaded = set(subprocess.run(
        [sys.executable, "-c", "import sys, featherflow; print(' '.join(m for m in sys.modules))"],
        capture_output=True, text=True, check=True).stdout.split())
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), str(path))
        lazy = _lazy_nodes(tree)
        here = name.split(".") if name else []
        if not _is_package(name, modules):
            here = here[:-1]
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not any(a.name == "dtypes" for a in node.names):
                continue
            if node.level:
                root = not node.module and len(here) == node.level - 1
            else:
                root = node.module == PACKAGE
            if root and (id(node) in lazy or _display(name) not in loaded):
                wrong.append(f"{_display(name)}:{node.lineno}")
    assert not wrong, "`from <featherflow> import dtypes` that runs after import featherflow: " + ", ".join(wrong)
    import featherflow

    assert featherflow.dtypes is sys.modules["featherflow._api.dtypes"]
    assert sys.modules["featherflow.dtypes"].DType is featherflow.dtypes.DType


def test_tf_dtypes_is_tf_shaped():
    import featherflow as tf

    public = {n for n in vars(tf.dtypes) if not n.startswith("_")}
    assert {"DType", "as_dtype", "cast", "complex", "float32", "bfloat16", "QUANTIZED_DTYPES", "experimental"} <= public
    assert not public & {"np", "ml_dtypes", "builtins", "from_numpy", "is_bfloat16", "HALF_FLOATS"}  # internals
    assert tf.dtypes.experimental.int4 is tf.as_dtype("int4")
