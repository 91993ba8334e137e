"""The Keras cells of TF's guides for modules, checkpoints, basic training loops and basics (issue 12, "Done
means" 5), run under featherflow and under real TensorFlow and compared cell by cell.

The cells are in ``_guide_cells.py``. A guide's cells run in order in one namespace, as in a notebook: a cell whose
last statement is an expression shows that value's repr (IPython's display, unless the line ends in ``;``), and an
exception is shown as ``Type: message`` and the next cell runs. Keras on featherflow cannot share a process with
real TensorFlow (both would be ``tensorflow``), so each guide runs once per library in a fresh interpreter, in its
own empty working directory (the guides write checkpoints and models there); what each cell showed comes back as
JSON. The comparison is exact except where a cell says otherwise (``Cell.compare``): object addresses and step
times (they differ between any two runs, TF's included), the module path in an object's default repr, and, for
values after many float32 training steps, digits past the fifth significant one (NumPy and Eigen add in different
orders). A difference that is a featherflow bug is left failing, never normalised away.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ._guide_cells import GUIDES, Cell, Guide

pytestmark = pytest.mark.xdist_group("notebook_subprocesses")  # the notebooks run once, on one worker

pytest.importorskip("keras")
pytest.importorskip("matplotlib")  # the basics guide plots (to the non-interactive Agg backend here)

_ROOT = Path(__file__).resolve().parents[2]
_MARK = "\n--- cells as JSON ---\n"

_PRELUDE = {
    "featherflow": "import featherflow as ff\nff.use_as_tensorflow()\n",
    "tensorflow": "",
}

# The child: imports `tensorflow` (featherflow, after the prelude), runs the cells given on stdin with
# tests/_cells.py's run_cells in a notebook-like namespace, and prints what each showed as JSON after a mark.
_CHILD = """\
import json, sys
sys.path.insert(0, {root!r})
{prelude}import tensorflow
from tests._cells import run_cells

shown = run_cells(tensorflow, json.load(sys.stdin), namespace={{"__name__": "__main__"}})
sys.stdout.write({mark!r} + json.dumps(shown))
"""


def displayed(source: str) -> str:
    """``source`` as a notebook runs it: a last statement that is an expression shows its value's repr (not
    None), as IPython's display hook does, unless the cell ends in ``;``."""
    body = ast.parse(source).body
    if not body or not isinstance(body[-1], ast.Expr) or source.rstrip().endswith(";"):
        return source
    last = body[-1]
    lines = source.splitlines()
    head = "\n".join(lines[: last.lineno - 1])
    expression = ast.get_source_segment(source, last.value)
    return f"{head}\n__shown = ({expression})\nif __shown is not None:\n    print(repr(__shown))\n"


def _run_guide(guide: Guide, lib: str, workdir: Path) -> list[str]:
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": "",
           "MPLBACKEND": "Agg", "KERAS_HOME": str(workdir / ".keras")}
    program = _CHILD.format(root=str(_ROOT), prelude=_PRELUDE[lib], mark=_MARK)
    cells = [displayed(cell.source) for cell in guide.cells]
    done = subprocess.run([sys.executable, "-c", program], input=json.dumps(cells), capture_output=True, text=True,
                          env=env, cwd=workdir, timeout=600)
    assert done.returncode == 0 and _MARK in done.stdout, f"{lib} did not finish {guide.url}:\n{done.stderr[-4000:]}"
    return json.loads(done.stdout.split(_MARK, 1)[1])


@pytest.fixture(scope="module")
def shown(tmp_path_factory):
    """What each guide's cells showed, per library: each guide runs once per library, on first use."""
    runs: dict[tuple[str, str], list[str]] = {}

    def get(name: str, lib: str) -> list[str]:
        if (name, lib) not in runs:
            runs[name, lib] = _run_guide(GUIDES[name], lib, tmp_path_factory.mktemp(f"{name}-{lib}"))
        return runs[name, lib]

    return get


# "<module.Class object at 0x7f...>": the id differs between any two runs, and the module path is the library's
# own (featherflow's classes live in featherflow's modules, not under tensorflow.python)
_OBJECT = re.compile(r"<(?:[\w.]+\.)?(\w+) object at 0x[0-9a-fA-F]+>")
# Keras's progress line for a step: "1/1 ━━━━━━━━━━━━━━━━━━━━ 0s 52ms/step - loss: 9.1234"; only the times vary
_STEP_TIME = re.compile(r"\b\d+(?:\.\d+)?(?:s|ms|us|µs)(?:/step)?\b")
_DECIMAL = re.compile(r"-?\d+\.\d*(?:e[-+]?\d+)?")


def _objects(text: str) -> str:
    return _OBJECT.sub(r"<\1 object>", text)


def _significant(text: str, digits: int = 5) -> str:
    """Each decimal number to ``digits`` significant digits; runs of spaces (NumPy's column padding) as one."""
    return re.sub(r" +", " ", _DECIMAL.sub(lambda m: f"{float(m.group()):.{digits}g}", text))


NORMALISERS = {
    "exact": lambda text: text,
    # reprs of objects without a value repr (Keras layers, restore statuses, History)
    "addresses": _objects,
    # fit's progress bar: its step times, and the History the cell shows
    "progress": lambda text: _STEP_TIME.sub("<time>", _objects(text)),
    # values after many float32 training steps: TF's CPU reductions (Eigen) add in another order than NumPy's
    # pairwise sums, so a loss can differ in its last bit and the steps after it drift by a few ulps; 5
    # significant digits still tell a wrong value from a right one
    "float32": _significant,
}


def _cases() -> list:
    cases = []
    for name, guide in GUIDES.items():
        for index, cell in enumerate(guide.cells):
            marks = [pytest.mark.skip(reason=cell.compare[5:].strip())] if cell.compare.startswith("skip:") else []
            cases.append(pytest.param(name, index, cell, id=f"{name}-{index:02d}-{cell.id}", marks=marks))
    return cases


@pytest.mark.parametrize(("name", "index", "cell"), _cases())
def test_guide_cell_shows_what_tensorflow_shows(shown, name: str, index: int, cell: Cell) -> None:
    normalise = NORMALISERS[cell.compare]
    ours = normalise(shown(name, "featherflow")[index])
    theirs = normalise(shown(name, "tensorflow")[index])
    assert ours == theirs, f"{name} cell {cell.id}:\n--- featherflow\n{ours}\n--- tensorflow\n{theirs}"


def test_the_checkpoint_guide_without_its_iterator_shows_what_tensorflow_shows(tmp_path) -> None:
    """The checkpoint guide with the dataset iterator left out of its checkpoints (featherflow's iterators are not
    trackable yet, which stops the guide itself at the cell that makes its checkpoint, and every cell after it that
    reads the checkpoints): what remains is a Keras model and a Keras optimizer saved by tf.train.Checkpoint and
    CheckpointManager, restored, partially restored, delayed-restored and read back with a CheckpointReader."""
    guide = GUIDES["checkpoint"]
    cells = [cell._replace(source=cell.source.replace(", iterator=iterator", "")) for cell in guide.cells]
    assert sum(a != b for a, b in zip(cells, guide.cells)) == 2
    variant = guide._replace(cells=cells)
    ours = _run_guide(variant, "featherflow", tmp_path / "featherflow")
    theirs = _run_guide(variant, "tensorflow", tmp_path / "tensorflow")
    for cell, a, b in zip(cells, ours, theirs):
        normalise = NORMALISERS[cell.compare]
        assert normalise(a) == normalise(b), f"cell {cell.id}:\n--- featherflow\n{a}\n--- tensorflow\n{b}"
    assert "Restored from ./tf_ckpts/ckpt-5" in ours[10] and "ckpt-10.index" in ours[12]  # it did what it shows


def test_the_cells_are_the_guides_cells() -> None:
    """Every cell parses, ids are unique within a guide, every comparison is one this module knows, and each
    guide names the commit its cells were read at."""
    for name, guide in GUIDES.items():
        assert re.fullmatch(r"[0-9a-f]{40}", guide.commit), name
        ids = [cell.id for cell in guide.cells]
        assert len(ids) == len(set(ids)), name
        for cell in guide.cells:
            ast.parse(displayed(cell.source))
            assert cell.compare in NORMALISERS or cell.compare.startswith("skip:"), (name, cell.id)


def test_displayed_shows_the_last_expression_as_a_notebook_does() -> None:
    scope: dict = {}
    out = []
    scope["print"] = out.append
    exec(displayed("a = 1\n(a +\n 1)"), scope)  # noqa: S102
    exec(displayed("a"), scope)  # noqa: S102
    exec(displayed("a;"), scope)  # noqa: S102
    exec(displayed("None"), scope)  # noqa: S102
    exec(displayed("b = 2"), scope)  # noqa: S102
    assert out == ["2", "1"]
