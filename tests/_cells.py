"""Runs code cells (a guide's, or cases as a user writes them) under one library, featherflow or real TensorFlow,
and returns what each cell printed; an exception is printed as ``Type: message``, since it is part of what a cell
shows. Tests compare the two lists cell by cell."""

from __future__ import annotations

import contextlib
import io
from typing import Any, Callable


def run_cells(module: Any, cells: list[str], setup: str = "", namespace: dict | None = None,
              message: Callable[[BaseException], str] = str) -> list[str]:
    """What each of ``cells`` prints with ``tf`` bound to ``module`` (after running ``setup``), in one namespace."""
    scope = {"tf": module, **(namespace or {})}
    if setup:
        exec(setup, scope)  # noqa: S102 - the cells' shared helpers
    printed = []
    for cell in cells:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            try:
                exec(cell, scope)  # noqa: S102 - the cell, as its author wrote it
            except Exception as e:  # noqa: BLE001 - an error is part of what a cell shows
                print(f"{type(e).__name__}: {message(e)}")
        printed.append(buffer.getvalue())
    return printed
