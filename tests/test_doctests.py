"""The ``>>>`` examples in featherflow's docstrings run, with ``tf`` bound to featherflow: one case per module of
the package, each in a fresh process.

Every example shows what TensorFlow does: ``test_examples_are_what_tensorflow_does`` runs each example whose names
all are TF's public API (``tf.*``, or a module global that is a public featherflow function) under the real TF.

A fresh process per module, not the pytest process: examples set the global seed, switch placement logging on,
and bump name and layer counters. Run in the worker, they would change what later tests see, and what an example
prints would depend on which modules ran before it on that worker (``pytest -n 2`` splits them differently each
run). The processes are forked from a server that has imported featherflow once (``multiprocessing``'s
forkserver), so each starts from a just-imported featherflow in a few milliseconds.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import json
import multiprocessing
import os
import pathlib
import pkgutil
import subprocess
import sys
import types
from typing import Any

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "src" / "featherflow"
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
TIMEOUT_S = 300

# Modules that cannot be imported without a package featherflow does not install (an extra such as cupy), as
# {module: package}; their case is skipped, with the reason, when that package is missing. None today: the CuPy
# backend imports cupy on first use.
OPTIONAL: dict[str, str] = {}


def _modules() -> list[str]:
    """Every module of the package, found on disk: ``pkgutil.walk_packages`` would import each subpackage in
    the pytest process to list it, which is what the fresh processes are for."""
    names = ["featherflow"]

    def walk(path: pathlib.Path, prefix: str) -> None:
        for info in pkgutil.iter_modules([str(path)], prefix):
            names.append(info.name)
            if info.ispkg:
                walk(path / info.name.rpartition(".")[2], info.name + ".")

    walk(PACKAGE, "featherflow.")
    return sorted(names)


MODULES = _modules()

# Runs in the child; ``exec`` of a string, so the child never imports this test module (and pytest with it).
_CHILD = f"""
import doctest, importlib, io
import featherflow
try:
    module = importlib.import_module(name)
except ModuleNotFoundError as e:
    conn.send(("missing", e.name))
else:
    runner = doctest.DocTestRunner(optionflags={FLAGS})
    report = io.StringIO()
    for test in doctest.DocTestFinder(exclude_empty=True).find(module, name, extraglobs={{"tf": featherflow}}):
        runner.run(test, out=report.write)
    conn.send(("ran", (runner.failures, runner.tries, report.getvalue())))
conn.close()
"""

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["featherflow"])


def _run_in_fresh_process(name: str) -> tuple[str, object]:
    receive, send = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=exec, args=(_CHILD, {"name": name, "conn": send}), daemon=True)
    try:
        child.start()
    except EOFError:  # the server died: its preload raised something other than ImportError
        raise AssertionError("the doctest server died on start: `import featherflow` fails") from None
    finally:
        send.close()
    try:
        if not receive.poll(TIMEOUT_S):
            raise AssertionError(f"{name}: no result from the doctest process in {TIMEOUT_S} s "
                                 f"(exit code {child.exitcode})")
        try:
            return receive.recv()
        except EOFError:  # the child died before sending (a crash in an example)
            child.join(30)
            raise AssertionError(f"{name}: the doctest process died, exit code {child.exitcode}") from None
    finally:
        if child.is_alive():
            child.join(30)
        if child.is_alive():
            child.kill()
            child.join()
        receive.close()


def test_every_module_is_found() -> None:
    # the walk sees subpackages and their modules, and only featherflow's
    assert {"featherflow", "featherflow.tensor", "featherflow.ops.registry", "featherflow.checkpoint.bundle",
            "featherflow.autodiff.tape"} <= set(MODULES)
    assert all(name == "featherflow" or name.startswith("featherflow.") for name in MODULES)
    assert len(MODULES) == len(set(MODULES))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    kind, result = _run_in_fresh_process(name)
    if kind == "missing":
        if OPTIONAL.get(name) == result:
            pytest.skip(f"{name} needs {result}, an optional dependency that is not installed")
        raise AssertionError(f"importing {name} in a fresh process failed: no module named {result!r}")
    failures, tries, report = result
    assert failures == 0, f"{failures} of {tries} examples in {name} failed:\n{report}"


# --- the same examples under the real TensorFlow ------------------------------------------------------------------

# doctests TF cannot run as doctests, with why (the name is doctest's: module[.function])
TF_CANNOT = {
    "featherflow.function": "TF's tf.function needs the source file of what it traces; a doctest has none",
    "featherflow.ops.debugging.print_ops": "TF's tf.print writes to file descriptor 1 from C++, which doctest does not see",
    "featherflow.ops.debugging.print_ops.print_v2": "TF's tf.print writes to file descriptor 1 from C++ (as above)",
}


def _public_paths(ff: types.ModuleType) -> tuple[dict[int, list[tuple[str, ...]]], dict[int, tuple[str, ...]]]:
    """Every path ``featherflow.a.b`` to each object and namespace below the package root."""
    objects: dict[int, list[tuple[str, ...]]] = {}
    namespaces: dict[int, tuple[str, ...]] = {}

    def walk(namespace: types.ModuleType, path: tuple[str, ...]) -> None:
        for attr in dir(namespace):
            value = getattr(namespace, attr, None)
            if attr.startswith("_") or value is None:
                continue
            if isinstance(value, types.ModuleType):
                # tf.keras is Keras's namespace (listing it loads Keras, which cannot share TF's process)
                if (value.__name__.startswith("featherflow.") and value.__name__ != "featherflow.keras"
                        and len(path) < 3 and id(value) not in namespaces):
                    namespaces[id(value)] = (*path, attr)
                    walk(value, (*path, attr))
            else:
                objects.setdefault(id(value), []).append((*path, attr))

    walk(ff, ())
    return objects, namespaces


def _tf_globals(test: doctest.DocTest, module: types.ModuleType, tf: types.ModuleType, paths: tuple) -> dict | None:
    """The doctest's globals with every featherflow object it uses replaced by TF's public counterpart, or None
    where it uses something TF has not (an internal helper: the example is featherflow's own)."""
    import featherflow
    from featherflow.ops.convert import tensor  # the ops modules' conversion helper: tf.convert_to_tensor

    objects, namespaces = paths
    used, defined = set(), set()
    for example in test.examples:
        for node in ast.walk(ast.parse(example.source)):
            if isinstance(node, ast.Name):
                (used if isinstance(node.ctx, ast.Load) else defined).add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.arg)):
                defined.add(getattr(node, "name", None) or node.arg)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("featherflow"):
                return None
            elif isinstance(node, ast.alias):
                if node.name.startswith("featherflow") and (node.name, node.asname) != ("featherflow", "tf"):
                    return None
                defined.add((node.asname or node.name).split(".")[0])

    def at(path: tuple[str, ...]) -> Any:
        value = tf
        for attr in path:
            value = getattr(value, attr)
        return value

    mapped: dict[str, Any] = {"tf": tf}
    for name in sorted(used - defined):
        if name not in module.__dict__:
            continue  # a builtin, or a name the example fails on under featherflow too
        value = module.__dict__[name]
        if value is featherflow or value is tensor:
            mapped[name] = tf if value is featherflow else tf.convert_to_tensor
            continue
        candidates = [namespaces[id(value)]] if id(value) in namespaces else sorted(objects.get(id(value), []), key=len)
        for path in candidates:
            try:
                mapped[name] = at(path)
                break
            except AttributeError:
                continue
        else:
            defined_in = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", "")
            if (defined_in or "").startswith("featherflow") or type(value).__module__.startswith("featherflow"):
                return None
            mapped[name] = value  # NumPy, os, ...: the same under both
    return mapped


def _tf_main(out_path: str) -> None:
    """In a process with the real TF: run the TF-mappable examples of every module, write what failed."""
    import tensorflow as tf

    import featherflow

    paths = _public_paths(featherflow)
    results = {"ran": [], "failed": {}}
    for name in MODULES:
        module = importlib.import_module(name)
        for test in doctest.DocTestFinder(exclude_empty=True).find(module, name):
            if not test.examples or test.name in TF_CANNOT or (globs := _tf_globals(test, module, tf, paths)) is None:
                continue
            for example in test.examples:
                example.source = example.source.replace("import featherflow as tf", "import tensorflow as tf")
                if example.exc_msg:  # the same error class, at TF's module path
                    example.exc_msg = example.exc_msg.replace("featherflow.errors.",
                                                              "tensorflow.python.framework.errors_impl.")
            test.globs = globs
            report: list[str] = []
            runner = doctest.DocTestRunner(optionflags=FLAGS)
            runner.run(test, out=report.append)
            results["ran"].append(test.name)
            if runner.failures:
                results["failed"][test.name] = "".join(report)
    pathlib.Path(out_path).write_text(json.dumps(results))


def test_examples_are_what_tensorflow_does(tf_oracle: Any, tmp_path: pathlib.Path) -> None:
    out = tmp_path / "tf_doctests.json"
    # one fresh process with TF runs them all, in a fixed order: TF's state never reaches this worker
    code = f"import tests.test_doctests as t; t._tf_main({str(out)!r})"
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parents[1], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    results = json.loads(out.read_text())
    assert len(results["ran"]) > 200 and "featherflow.ops.math.reduce.reduce_sum" in results["ran"]
    assert not results["failed"], "examples that TF runs differently:\n" + "\n".join(results["failed"].values())
