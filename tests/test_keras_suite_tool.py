"""tools/keras_suite.py's report logic (JUnit XML in; counts, ratio and failure groups out), on small synthetic
JUnit files: no Keras run, no subprocess."""

from __future__ import annotations

import importlib.util
import json
import pathlib
import sys

import pytest

TOOLS = pathlib.Path(__file__).resolve().parents[1] / "tools"


@pytest.fixture(scope="module")
def suite():
    spec = importlib.util.spec_from_file_location("keras_suite", TOOLS / "keras_suite.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("keras_suite", module)
    spec.loader.exec_module(module)
    return module


TF_XML = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="0" failures="1" skipped="1" tests="7">
<testcase classname="layers.core.dense_test.DenseTest" name="test_dense_basics" time="0.1"/>
<testcase classname="layers.core.dense_test.DenseTest" name="test_dense_sparse" time="0.1"/>
<testcase classname="layers.core.dense_test.DenseTest" name="test_quantize[int8]" time="0.1"/>
<testcase classname="layers.core.dense_test.DenseTest" name="test_on_jax_only" time="0.0">
  <skipped type="pytest.skip" message="Testing Jax errors only">skip</skipped></testcase>
<testcase classname="ops.math_test.MathOpsTest" name="test_erfinv" time="0.1"/>
<testcase classname="ops.math_test.MathOpsTest" name="test_stft" time="0.1"/>
<testcase classname="ops.numpy_test.NumpyTest" name="test_add" time="0.1">
  <failure message="AssertionError: wrong">E   AssertionError: wrong</failure></testcase>
<testcase classname="ops.numpy_test.NumpyTest" name="test_sub" time="0.1"/>
<testcase classname="ops.numpy_test.NumpyTest" name="test_mul" time="0.1"/>
</testsuite></testsuites>
"""

FF_XML = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="2" failures="3" skipped="0" tests="6">
<testcase classname="layers.core.dense_test.DenseTest" name="test_dense_basics" time="0.1"/>
<testcase classname="layers.core.dense_test.DenseTest" name="test_dense_sparse" time="0.1">
  <failure message="AttributeError: module 'tensorflow' has no attribute 'SparseTensorSpec'">tb</failure></testcase>
<testcase classname="layers.core.dense_test.DenseTest" name="test_quantize[int8]" time="0.1">
  <error message='failed on setup with "AttributeError: module &apos;tensorflow&apos; has no attribute &apos;SparseTensorSpec&apos;"'>tb</error></testcase>
<testcase classname="layers.core.dense_test.DenseTest" name="test_on_jax_only" time="0.1"/>
<testcase classname="ops" name="math_test" time="0.0">
  <error message="collection failure">ops/math_test.py:3: in &lt;module&gt;
    import jax.numpy as jnp
E   ModuleNotFoundError: No module named 'jax'</error></testcase>
<testcase classname="ops.numpy_test.NumpyTest" name="test_add" time="0.1"/>
<testcase classname="ops.numpy_test.NumpyTest" name="test_sub" time="0.1">
  <failure message="AssertionError: &#10;Not equal to tolerance rtol=1e-06, atol=1e-06&#10;&#10;Mismatched elements: 3 / 4 (75%)">tb</failure></testcase>
</testsuite></testsuites>
"""


@pytest.fixture
def parsed(suite, tmp_path):
    (tmp_path / "tf.xml").write_text(TF_XML)
    (tmp_path / "ff.xml").write_text(FF_XML)
    tf_tests, tf_collection = suite.parse_junit(tmp_path / "tf.xml")
    ff_tests, ff_collection = suite.merge_junit([tmp_path / "ff.xml", tmp_path / "missing.xml"])
    return tf_tests, tf_collection, ff_tests, ff_collection


def test_parse_junit_outcomes(suite, parsed):
    tf_tests, tf_collection, ff_tests, ff_collection = parsed
    assert len(tf_tests) == 9 and tf_collection == {}
    assert tf_tests["layers.core.dense_test.DenseTest::test_dense_basics"].outcome == "passed"
    assert tf_tests["layers.core.dense_test.DenseTest::test_on_jax_only"] == suite.Result(
        "skipped", "Skipped", "Testing Jax errors only")
    assert tf_tests["ops.numpy_test.NumpyTest::test_add"] == suite.Result("failed", "AssertionError", "wrong")
    # setup errors lose pytest's 'failed on setup with "..."' wrapper
    assert ff_tests["layers.core.dense_test.DenseTest::test_quantize[int8]"] == suite.Result(
        "error", "AttributeError", "module 'tensorflow' has no attribute 'SparseTensorSpec'")
    # an assertion's message: its first non-empty line, numbers normalised
    assert ff_tests["ops.numpy_test.NumpyTest::test_sub"] == suite.Result(
        "failed", "AssertionError", "Not equal to tolerance rtol=N, atol=N")
    # a module that could not be imported: named by its dotted path, its exception read from the traceback
    assert ff_collection == {"ops.math_test": suite.Result("error", "ModuleNotFoundError", "No module named 'jax'")}
    assert "ops.math_test::" not in " ".join(ff_tests)


def test_compare_counts_ratio_and_groups(suite, parsed):
    tf_tests, _, ff_tests, ff_collection = parsed
    areas = {"layers.core.dense_test": "layers-core", "ops.math_test": "ops-math", "ops.numpy_test": "ops-numpy"}
    summary = suite.compare(tf_tests, ff_tests, ff_collection, areas)
    # passing under TF: 3 dense tests, 2 math tests, test_sub and test_mul; of those, only test_dense_basics
    assert summary["tf_collected"] == 9 and summary["tf_passed"] == 7 and summary["ff_passed"] == 1
    assert summary["tf_skipped"] == 1 and summary["tf_failed"] == 1
    assert summary["ratio"] == pytest.approx(1 / 7)
    assert summary["ff_passed_not_tf"] == 2  # test_on_jax_only (skipped under TF), test_add (failed under TF)
    assert summary["areas"] == {
        "layers-core": {"tf_passed": 3, "ff_passed": 1, "ratio": pytest.approx(1 / 3)},
        "ops-math": {"tf_passed": 2, "ff_passed": 0, "ratio": 0.0},
        "ops-numpy": {"tf_passed": 2, "ff_passed": 0, "ratio": 0.0},
    }
    groups = [(g["count"], g["exc_type"], g["message"]) for g in summary["groups"]]
    # largest first; a failure and a setup error with the same exception are one group; ties in name order
    assert groups == [
        (2, "AttributeError", "module 'tensorflow' has no attribute 'SparseTensorSpec'"),
        (2, "ModuleNotFoundError", "No module named 'jax'"),
        (1, "AssertionError", "Not equal to tolerance rtol=N, atol=N"),
        (1, *suite.NO_RESULT),  # test_mul: no result at all (a crashed or killed run)
    ]
    assert summary["groups"][1]["examples"] == ["ops.math_test.MathOpsTest::test_erfinv",
                                               "ops.math_test.MathOpsTest::test_stft"]
    json.dumps(summary)  # the JSON report is this summary


def test_an_area_not_run(suite, parsed):
    tf_tests, _, _, _ = parsed
    areas = {"layers.core.dense_test": "layers-core", "ops.math_test": "ops-math", "ops.numpy_test": "ops-numpy"}
    summary = suite.compare(tf_tests, {}, {}, areas, ff_not_run={"ops-numpy"})
    groups = {(g["exc_type"], g["message"]): g["count"] for g in summary["groups"]}
    assert groups == {suite.NOT_RUN: 2, suite.NO_RESULT: 5}


def test_nothing_passes_under_tf(suite):
    summary = suite.compare({"a_test.T::t": suite.Result("failed", "E", "m")}, {})
    assert summary["tf_passed"] == 0 and summary["ratio"] == 0.0 and summary["groups"] == []


def test_render_markdown(suite, parsed):
    tf_tests, _, ff_tests, ff_collection = parsed
    summary = suite.compare(tf_tests, ff_tests, ff_collection, {"ops.math_test": "ops-math"})
    text = suite.render_markdown(summary, {"keras": "3.15.1", "files": ["ops/math_test.py"]}, max_groups=2)
    assert "| pass under TF | 7 |" in text and "| of those, pass under featherflow | 1 |" in text
    assert "14.3% (goal ≥ 95%: not met)" in text
    assert "| ops-math | 2 | 0 | 0.0% |" in text and "| other | 5 | 1 | 20.0% |" in text
    assert "| 1 | 2 | AttributeError | module 'tensorflow' has no attribute 'SparseTensorSpec' |" in text
    assert "| | 2 | (2 more groups: see the JSON report) | | |" in text
    assert "| ops.math_test | ModuleNotFoundError | No module named 'jax' |" in text
    assert "- ops/math_test.py" in text


@pytest.mark.parametrize(("message", "expected"), [
    ("ValueError: Expected shape (2, 3) at 0x7f3a", ("ValueError", "Expected shape (N, N) at 0x…")),
    ("tensorflow.python.framework.errors_impl.InvalidArgumentError: bad | pipe",
     ("tensorflow.python.framework.errors_impl.InvalidArgumentError", "bad | pipe")),
    ("KeyError", ("KeyError", "")),
    ("Failed: DID NOT RAISE <class 'ValueError'>", ("Failed", "DID NOT RAISE <class 'ValueError'>")),
    ("assert 3 == 4", ("?", "assert N == N")),
    ("OSError: cannot open /tmp/pytest-7/test_x0/model.keras", ("OSError", "cannot open <path>")),
    ("TypeError: float32 vs int64, conv2d_1 1e-07", ("TypeError", "float32 vs int64, conv2d_1 N")),
])
def test_split_exception(suite, message, expected):
    assert suite.split_exception(message) == expected


def test_long_messages_are_cut(suite):
    assert len(suite.normalise_message("x" * 500)) == suite.MESSAGE_CHARS


def test_area_files_expand(suite, tmp_path):
    (tmp_path / "layers" / "core").mkdir(parents=True)
    for name in ("dense_test.py", "embedding_test.py", "dense.py"):
        (tmp_path / "layers" / "core" / name).write_text("")
    assert suite.expand(["layers/core/"], tmp_path) == ["layers/core/dense_test.py", "layers/core/embedding_test.py"]
    with pytest.raises(SystemExit, match="no such test file"):
        suite.expand(["layers/nothing_test.py"], tmp_path)
    # the chosen list itself: every area named, no file twice
    files = [f for entries in suite.AREAS.values() for f in entries]
    assert len(files) == len(set(files)) and {"ops-core", "ops-math", "ops-nn", "ops-numpy", "trainers"} <= set(
        suite.AREAS)
