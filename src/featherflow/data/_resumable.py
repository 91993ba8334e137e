"""Iterators that survive an error: ``__next__`` runs one step, so an exception raised while making one element
(a failing ``map_func``, a generator yielding a bad value) leaves the iterator usable for the next element, as
TF's iterators are after an error; ``Dataset.ignore_errors`` relies on it.

>>> it = StepIterator(iter([1, 2]).__next__)
>>> next(it), next(it)
(1, 2)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class StepIterator:
    """An iterator whose every ``__next__`` calls ``step`` (which raises StopIteration at the end)."""

    __slots__ = ("_step",)

    def __init__(self, step: Callable[[], Any]) -> None:
        self._step = step

    def __iter__(self) -> StepIterator:
        return self

    def __next__(self) -> Any:
        return self._step()
