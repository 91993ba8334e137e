"""Keras's own test suite as featherflow's yardstick (issue 12): runs the chosen test files of the installed Keras
wheel (``keras/src/**/*_test.py``) with ``KERAS_BACKEND=tensorflow`` under real TensorFlow and under featherflow
(``-p featherflow._tensorflow.pytest_plugin``), and reports how many of the tests that pass under TF pass under
featherflow, with the failures grouped by exception type and the first line of their message.

Run from the repository root (``make keras-tests`` installs what the tests need first)::

    .venv/bin/python tools/keras_suite.py [--report build/keras_suite/report.md] [--refresh-tf] [--area ops-numpy]

Each area of :data:`AREAS` runs in its own pytest subprocess per side (``-n JOBS`` with pytest-xdist, a time
limit per area and one per test), writing JUnit XML under ``build/keras_suite/``. The TF results do not change
while Keras, TF and the file list do not, so they are cached under a key made of those (``--refresh-tf`` reruns
them). The report is Markdown at ``--report``, with the same data as JSON beside it (``report.json``).

The report logic is plain functions over JUnit XML (``parse_junit``, ``compare``, ``render_markdown``), which
``tests/test_keras_suite_tool.py`` checks on small synthetic files:

>>> normalise_message("Expected shape (2, 3) at 0x7f3a but got [4, 5], dtype float32")
'Expected shape (N, N) at 0x… but got [N, N], dtype float32'
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[1]
CONFTEST_DIR = pathlib.Path(__file__).resolve().parent / "keras_suite_conftest"
DEFAULT_OUT = ROOT / "build" / "keras_suite"

# The chosen test files, relative to keras/src, by area (one pytest subprocess per area and side). An entry
# ending in "/" is every *_test.py below that folder. Left out: tests of other backends or of libraries this
# suite does not install (jax/torch-only adapters, grain's dataset adapter, orbax, TensorBoard, ONNX/LiteRT
# export), and the remote monitor (it needs a server).
AREAS: dict[str, list[str]] = {
    "layers-core": ["layers/core/", "layers/layer_test.py", "layers/activations/", "layers/merging/",
                    "layers/reshaping/"],
    "layers-convolutional": ["layers/convolutional/"],
    "layers-pooling": ["layers/pooling/"],
    "layers-normalization": ["layers/normalization/"],
    "layers-regularization": ["layers/regularization/"],
    "layers-rnn": ["layers/rnn/"],
    "layers-attention": ["layers/attention/"],
    "layers-preprocessing": [
        "layers/preprocessing/category_encoding_test.py", "layers/preprocessing/discretization_test.py",
        "layers/preprocessing/hashed_crossing_test.py", "layers/preprocessing/hashing_test.py",
        "layers/preprocessing/index_lookup_test.py", "layers/preprocessing/integer_lookup_test.py",
        "layers/preprocessing/normalization_test.py", "layers/preprocessing/rescaling_test.py",
        "layers/preprocessing/string_lookup_test.py", "layers/preprocessing/text_vectorization_test.py",
        "layers/preprocessing/feature_space_test.py", "layers/preprocessing/pipeline_test.py",
        "layers/preprocessing/mel_spectrogram_test.py", "layers/preprocessing/stft_spectrogram_test.py",
        "layers/preprocessing/image_preprocessing/resizing_test.py",
        "layers/preprocessing/image_preprocessing/center_crop_test.py",
        "layers/preprocessing/image_preprocessing/random_flip_test.py",
        "layers/preprocessing/image_preprocessing/random_crop_test.py",
        "layers/preprocessing/image_preprocessing/random_rotation_test.py",
        "layers/preprocessing/image_preprocessing/random_translation_test.py",
        "layers/preprocessing/image_preprocessing/random_zoom_test.py",
        "layers/preprocessing/image_preprocessing/random_contrast_test.py",
        "layers/preprocessing/image_preprocessing/random_brightness_test.py",
    ],
    "losses": ["losses/", "activations/"],
    "metrics": ["metrics/"],
    "optimizers": ["optimizers/"],
    "models": ["models/"],
    "trainers": ["trainers/trainer_test.py", "trainers/compile_utils_test.py", "trainers/epoch_iterator_test.py",
                 "trainers/data_adapters/array_data_adapter_test.py",
                 "trainers/data_adapters/data_adapter_utils_test.py",
                 "trainers/data_adapters/generator_data_adapter_test.py",
                 "trainers/data_adapters/py_dataset_adapter_test.py",
                 "trainers/data_adapters/tf_dataset_adapter_test.py"],
    "callbacks": ["callbacks/backup_and_restore_test.py", "callbacks/callback_test.py",
                  "callbacks/csv_logger_test.py", "callbacks/early_stopping_test.py",
                  "callbacks/lambda_callback_test.py", "callbacks/learning_rate_scheduler_test.py",
                  "callbacks/model_checkpoint_test.py", "callbacks/monitor_callback_test.py",
                  "callbacks/reduce_lr_on_plateau_test.py", "callbacks/swap_ema_weights_test.py",
                  "callbacks/terminate_on_nan_test.py"],
    "saving": ["saving/"],
    "ops-core": ["ops/core_test.py"],
    "ops-math": ["ops/math_test.py"],
    "ops-nn": ["ops/nn_test.py"],
    "ops-numpy": ["ops/numpy_test.py"],
}

FEATHERFLOW_PLUGIN = "featherflow._tensorflow.pytest_plugin"
NO_RESULT = ("NoResult", "no result: the run crashed, timed out or was interrupted before this test reported")
NOT_RUN = ("NotRun", "no JUnit XML from featherflow's run of this area: not run yet, or the run was killed")
MESSAGE_CHARS = 200


# --- the report: JUnit XML in, groups and ratios out ------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Result:
    outcome: str  # "passed", "failed", "error" or "skipped"
    exc_type: str = ""
    message: str = ""  # first line, normalised


_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w])")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_PATH = re.compile(r"(?:/[\w.@+-]+){2,}/?")
_EXC_HEAD = re.compile(r"^([A-Za-z_][\w.]*)(?::\s?(.*))?$", re.DOTALL)


def normalise_message(line: str) -> str:
    """One message line made comparable across tests: addresses, paths and numbers replaced, spaces collapsed."""
    line = _HEX.sub("0x…", line)
    line = _PATH.sub("<path>", line)
    line = _NUMBER.sub("N", line)
    line = " ".join(line.split())
    return line if len(line) <= MESSAGE_CHARS else line[: MESSAGE_CHARS - 1] + "…"


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def split_exception(message: str, text: str = "") -> tuple[str, str]:
    """(exception type, normalised first line of its message) from a JUnit failure's ``message`` attribute
    (pytest's ``ExcType: message``), falling back on the traceback's ``E   ExcType: ...`` line where the attribute
    says only "collection failure" or is empty."""
    for wrapper in ('failed on setup with "', 'failed on teardown with "'):
        if message.startswith(wrapper) and message.endswith('"'):
            message = message[len(wrapper):-1]
    if message in ("", "collection failure"):
        e_lines = [line[1:].strip() for line in text.splitlines() if line.startswith("E ")]
        typed = [line for line in e_lines if re.match(r"^[A-Za-z_][\w.]*(?::\s|$)", line)]
        message = (typed or e_lines or [message or "?"])[0]
    head = _EXC_HEAD.match(message.strip())
    if head and " " not in head.group(1) and (head.group(2) is not None or head.group(1)[:1].isupper()):
        return head.group(1), normalise_message(_first_line(head.group(2) or ""))
    return "?", normalise_message(_first_line(message))


def _module_of(classname: str) -> str:
    """``layers.core.dense_test.DenseTest`` -> ``layers.core.dense_test`` (the test module's dotted path)."""
    parts = classname.split(".")
    for i, part in enumerate(parts):
        if part.endswith("_test"):
            return ".".join(parts[: i + 1])
    return classname


def parse_junit(path: pathlib.Path | str) -> tuple[dict[str, Result], dict[str, Result]]:
    """The tests of one JUnit XML file as {``module.Class::name``: Result}, and its collection errors as
    {test module: Result}."""
    tests: dict[str, Result] = {}
    collection: dict[str, Result] = {}
    rank = {"passed": 0, "skipped": 1, "failed": 2, "error": 3}
    for case in ET.parse(path).getroot().iter("testcase"):
        classname, name = case.get("classname", ""), case.get("name", "")
        result = Result("passed")
        for child in case:
            if child.tag in ("failure", "error"):
                exc_type, msg = split_exception(child.get("message", ""), child.text or "")
                outcome = "failed" if child.tag == "failure" else "error"
                if child.get("message") == "collection failure":
                    collection[f"{classname}.{name}" if classname else name] = Result("error", exc_type, msg)
                    break
                if rank[outcome] > rank[result.outcome]:
                    result = Result(outcome, exc_type, msg)
            elif child.tag == "skipped" and result.outcome == "passed":
                result = Result("skipped", "Skipped", normalise_message(_first_line(child.get("message", ""))))
        else:
            test_id = f"{classname}::{name}"
            if test_id not in tests or rank[result.outcome] > rank[tests[test_id].outcome]:
                tests[test_id] = result
    return tests, collection


def merge_junit(paths: list[pathlib.Path]) -> tuple[dict[str, Result], dict[str, Result]]:
    tests: dict[str, Result] = {}
    collection: dict[str, Result] = {}
    for path in paths:
        if path.exists():
            more_tests, more_collection = parse_junit(path)
            tests.update(more_tests)
            collection.update(more_collection)
    return tests, collection


def _area_of(test_id: str, module_areas: dict[str, str]) -> str:
    return module_areas.get(_module_of(test_id.split("::")[0]), "other")


def compare(tf: dict[str, Result], ff: dict[str, Result], ff_collection: dict[str, Result] | None = None,
            module_areas: dict[str, str] | None = None, examples: int = 3,
            ff_not_run: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    """How featherflow did on the tests that pass under TF: counts, the ratio, per-area counts and the failures
    grouped by (exception type, message), largest group first. A test featherflow has no result for counts as
    failed: with its module's collection error, as not run where its area (``ff_not_run``) has no results at all,
    and as "no result" otherwise."""
    ff_collection = ff_collection or {}
    module_areas = module_areas or {}
    tf_passed = sorted(t for t, r in tf.items() if r.outcome == "passed")
    groups: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    areas: dict[str, dict[str, int]] = collections.defaultdict(lambda: {"tf_passed": 0, "ff_passed": 0})
    ff_passed = 0
    for test_id in tf_passed:
        area = areas[_area_of(test_id, module_areas)]
        area["tf_passed"] += 1
        result = ff.get(test_id)
        if result is not None and result.outcome == "passed":
            ff_passed += 1
            area["ff_passed"] += 1
            continue
        if result is None:
            error = ff_collection.get(_module_of(test_id.split("::")[0]))
            if error:
                key = (error.exc_type, error.message)
            else:
                key = NOT_RUN if _area_of(test_id, module_areas) in ff_not_run else NO_RESULT
        else:
            key = (result.exc_type or result.outcome, result.message)
        groups[key].append(test_id)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return {
        "tf_collected": len(tf),
        "tf_passed": len(tf_passed),
        "tf_skipped": sum(1 for r in tf.values() if r.outcome == "skipped"),
        "tf_failed": sum(1 for r in tf.values() if r.outcome in ("failed", "error")),
        "ff_passed": ff_passed,
        "ratio": ff_passed / len(tf_passed) if tf_passed else 0.0,
        "ff_passed_not_tf": sum(1 for t, r in ff.items() if r.outcome == "passed" and tf.get(t, Result("")).outcome
                                != "passed"),
        "areas": {name: dict(counts, ratio=counts["ff_passed"] / counts["tf_passed"] if counts["tf_passed"] else 0.0)
                  for name, counts in sorted(areas.items())},
        "groups": [{"count": len(ids), "exc_type": exc_type, "message": message, "examples": ids[:examples]}
                   for (exc_type, message), ids in ordered],
        "ff_collection_errors": {module: dataclasses.asdict(r) for module, r in sorted(ff_collection.items())},
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or " "


def render_markdown(summary: dict[str, Any], meta: dict[str, Any] | None = None, goal: float = 0.95,
                    max_groups: int = 100) -> str:
    meta = meta or {}
    lines = ["# Keras's test suite on featherflow", ""]
    if meta:
        lines += [", ".join(f"{k}: {v}" for k, v in meta.items() if not isinstance(v, (list, dict))), ""]
    ratio = summary["ratio"]
    lines += [
        "| | tests |", "|---|---:|",
        f"| collected under TF | {summary['tf_collected']} |",
        f"| pass under TF | {summary['tf_passed']} |",
        f"| skipped under TF, failed under TF (not counted) | {summary['tf_skipped']}, {summary['tf_failed']} |",
        f"| of those, pass under featherflow | {summary['ff_passed']} |",
        f"| ratio | {ratio:.1%} (goal ≥ {goal:.0%}: {'met' if ratio >= goal else 'not met'}) |",
        f"| pass under featherflow, not under TF | {summary['ff_passed_not_tf']} |", "",
        "## By area", "", "| area | pass under TF | pass under featherflow | ratio |", "|---|---:|---:|---:|",
    ]
    for name, counts in summary["areas"].items():
        lines.append(f"| {name} | {counts['tf_passed']} | {counts['ff_passed']} | {counts['ratio']:.1%} |")
    groups = summary["groups"]
    lines += ["", f"## Failures under featherflow of tests that pass under TF ({len(groups)} groups, largest first)",
              "", "| # | tests | exception | message (first line, normalised) | example |", "|---:|---:|---|---|---|"]
    for i, group in enumerate(groups[:max_groups], 1):
        example = group["examples"][0] if group["examples"] else ""
        lines.append(f"| {i} | {group['count']} | {_cell(group['exc_type'])} | {_cell(group['message'])} | "
                     f"`{_cell(example)}` |")
    if len(groups) > max_groups:
        rest = sum(g["count"] for g in groups[max_groups:])
        lines.append(f"| | {rest} | ({len(groups) - max_groups} more groups: see the JSON report) | | |")
    if summary.get("ff_collection_errors"):
        lines += ["", "## Test modules featherflow could not import", "", "| module | exception | message |",
                  "|---|---|---|"]
        for module, error in summary["ff_collection_errors"].items():
            lines.append(f"| {module} | {_cell(error['exc_type'])} | {_cell(error['message'])} |")
    for key in ("runs", "files"):
        if meta.get(key):
            lines += ["", f"## {key.capitalize()}", ""] + [f"- {item}" for item in meta[key]]
    return "\n".join(lines) + "\n"


# --- running the files ------------------------------------------------------------------------------------------

def keras_src() -> pathlib.Path:
    """keras/src of the installed wheel, found without importing Keras (which would import TensorFlow)."""
    spec = importlib.util.find_spec("keras")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("keras is not installed: run `make keras-tests` (pip install -e '.[test,keras,keras-tests]')")
    return pathlib.Path(next(iter(spec.submodule_search_locations))) / "src"


def expand(entries: list[str], src: pathlib.Path) -> list[str]:
    files: list[str] = []
    for entry in entries:
        if entry.endswith("/"):
            files += sorted(p.relative_to(src).as_posix() for p in (src / entry).rglob("*_test.py"))
        elif (src / entry).exists():
            files.append(entry)
        else:
            raise SystemExit(f"{entry}: no such test file in {src}")
    return files


def _version(*names: str) -> str:
    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "not installed"


def _xdist_usable() -> bool:
    return importlib.util.find_spec("xdist") is not None


def run_area(side: str, area: str, files: list[str], src: pathlib.Path, out: pathlib.Path, xml: pathlib.Path,
             jobs: int, area_timeout: float, test_timeout: float) -> str:
    """Runs one area's files under one side ("tf" or "featherflow") into ``xml``; returns a line on how it went."""
    work = out / "work" / side / area
    work.mkdir(parents=True, exist_ok=True)
    ini = out / "pytest.ini"
    ini.write_text("[pytest]\naddopts =\n")
    plugins = ["-p", FEATHERFLOW_PLUGIN] if side == "featherflow" else []
    command = [sys.executable, "-m", "pytest", "-c", str(ini), "--rootdir", str(src), "-p", "no:cacheprovider",
               *plugins, "-p", "conftest", "--continue-on-collection-errors", f"--junitxml={xml}", "-q", "-rN",
               "--tb=short"]
    if jobs > 1 and _xdist_usable():
        command += ["-n", str(jobs)]
    command += [str(src / f) for f in files]
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3", JAX_PLATFORMS="cpu",
               KERAS_HOME=str(out / "keras_home"), KERAS_SUITE_TEST_TIMEOUT=str(test_timeout),
               PYTHONPATH=os.pathsep.join(filter(None, [str(CONFTEST_DIR), os.environ.get("PYTHONPATH")])))
    xml.unlink(missing_ok=True)
    log = out / "logs" / f"{side}-{area}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    with open(log, "w") as stream:
        process = subprocess.Popen(command, cwd=work, env=env, stdout=stream, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            code = process.wait(timeout=area_timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            code = None
    took = time.monotonic() - start
    tail = log.read_text(errors="replace").strip().splitlines()[-1:] or ["(no output)"]
    status = f"timed out after {area_timeout:g} s" if code is None else f"exit {code}"
    line = f"{side} {area}: {status} in {took:.0f} s; {tail[0][:200]}"
    xml.with_suffix(".status").write_text(line)
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", type=pathlib.Path, default=DEFAULT_OUT / "report.md")
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT, help="JUnit XML, logs and the TF cache")
    parser.add_argument("--refresh-tf", action="store_true", help="rerun the TF side instead of using its cache")
    parser.add_argument("--area", action="append", choices=sorted(AREAS), help="run only these areas (repeatable)")
    parser.add_argument("--report-only", action="store_true", help="report on the XML already there, run nothing")
    parser.add_argument("--jobs", type=int, default=2, help="pytest-xdist workers per run (1: serial)")
    parser.add_argument("--area-timeout", type=float, default=3600.0, help="seconds for one area's run")
    parser.add_argument("--test-timeout", type=float, default=300.0, help="seconds for one test")
    args = parser.parse_args(argv)

    src = keras_src()
    areas = {name: expand(AREAS[name], src) for name in (args.area or AREAS)}
    versions = {"keras": _version("keras"), "tensorflow": _version("tensorflow-cpu", "tensorflow"),
                "featherflow": _version("featherflow")}
    key = hashlib.sha256(json.dumps([versions["keras"], versions["tensorflow"], areas], sort_keys=True).encode())
    tf_dir = args.out / "tf-cache" / f"keras-{versions['keras']}-{key.hexdigest()[:12]}"
    ff_dir = args.out / "featherflow"
    tf_dir.mkdir(parents=True, exist_ok=True)
    ff_dir.mkdir(parents=True, exist_ok=True)
    (tf_dir / "files.json").write_text(json.dumps({"versions": versions, "areas": areas}, indent=1))
    runs: list[str] = []
    for name, files in areas.items():
        for side, xml in (("tf", tf_dir / f"{name}.xml"), ("featherflow", ff_dir / f"{name}.xml")):
            if args.report_only or (side == "tf" and xml.exists() and not args.refresh_tf):
                status = xml.with_suffix(".status")
                last = f" (then: {status.read_text()})" if status.exists() else ""
                state = ("cached" if side == "tf" else "not rerun") if xml.exists() else "no results"
                runs.append(f"{side} {name}: {state}{last}")
                continue
            runs.append(run_area(side, name, files, src, args.out, xml, args.jobs, args.area_timeout,
                                 args.test_timeout))
            print(runs[-1], flush=True)

    tf_tests, _ = merge_junit([tf_dir / f"{name}.xml" for name in areas])
    ff_tests, ff_collection = merge_junit([ff_dir / f"{name}.xml" for name in areas])
    module_areas = {f[: -len(".py")].replace("/", "."): name for name, files in areas.items() for f in files}
    not_run = {name for name in areas if not (ff_dir / f"{name}.xml").exists()}
    summary = compare(tf_tests, ff_tests, ff_collection, module_areas, ff_not_run=not_run)
    meta = {"keras": versions["keras"], "TensorFlow (oracle)": versions["tensorflow"],
            "featherflow": versions["featherflow"], "KERAS_BACKEND": "tensorflow",
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "test files": sum(len(files) for files in areas.values()), "runs": runs,
            "files": [f for files in areas.values() for f in files]}
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(render_markdown(summary, meta))
    args.report.with_suffix(".json").write_text(json.dumps(dict(summary, meta=meta), indent=1))
    print(f"{summary['ff_passed']} of the {summary['tf_passed']} tests that pass under TF pass under featherflow "
          f"({summary['ratio']:.1%}); report: {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
