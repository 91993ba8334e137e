"""The examples run as programs (the MLP demo is run with fewer epochs)."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize("name", ["linear_regression.py", "custom_optimizer.py"])
def test_example_runs(name: str) -> None:
    result = subprocess.run([sys.executable, str(EXAMPLES / name)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]


def test_demo_trains_resumes_and_plots(tmp_path: pathlib.Path) -> None:
    pytest.importorskip("sklearn")
    pytest.importorskip("matplotlib")
    code = (f"import sys; sys.path.insert(0, {str(EXAMPLES)!r}); import demo, pathlib; "
            f"demo.OUT = pathlib.Path({str(tmp_path)!r}); demo.EPOCHS = {{}}; demo.KERAS_EPOCHS = 2; demo.main()")
    first = subprocess.run([sys.executable, "-c", code.format(3)], capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-4000:]
    assert (tmp_path / "loss.png").stat().st_size > 1000
    second = subprocess.run([sys.executable, "-c", code.format(4)], capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr[-4000:]
    assert "resumed from" in second.stdout and "epoch 3" in second.stdout
    assert "epoch  4/4" in second.stdout
    accuracy = float(second.stdout.split("final test accuracy: ")[1].split()[0])
    assert accuracy > 0.85
    assert "Keras test accuracy" in second.stdout and "reloads with the same predictions: True" in second.stdout
