"""Differential testing of autodiff: run one program under featherflow and under real TensorFlow, and compare
what comes out (values, dtypes, shapes, None-ness, IndexedSlices, exception types and messages) and what
was logged to the ``tensorflow`` logger."""

from __future__ import annotations

import logging
from typing import Any, Callable

import numpy as np


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelname, record.getMessage()))


class Error:
    """An exception a program raised, compared by type name and message."""

    def __init__(self, exc: BaseException) -> None:
        self.type = type(exc).__name__
        self.message = str(exc)

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, Error):
            return False
        # TF names the device in a kernel's error: the oracle ran on its CPU, featherflow maybe on a simulated GPU
        ours, theirs = (e.message.replace("/device:GPU:0", "/device:CPU:0") for e in (self, other))
        return self.type == other.type and ours == theirs

    def __repr__(self) -> str:
        return f"Error({self.type}: {self.message!r})"


def attempt(fn: Callable[[], Any]) -> Any:
    """``fn()``, or the exception it raised as an ``Error``."""
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - compared with what TF raised
        return Error(e)


def normalize(value: Any) -> Any:
    """Tensors and variables to ('tensor', dtype name, shape, ndarray); IndexedSlices to a tagged tuple;
    containers recursively; everything else as is."""
    if value is None or isinstance(value, (Error, str, bool, int, float)):
        return value
    if type(value).__name__ == "IndexedSlices":
        return ("IndexedSlices", normalize(value.values), normalize(value.indices), normalize(value.dense_shape))
    if hasattr(value, "numpy") and hasattr(value, "dtype"):
        array = np.asarray(value.numpy())
        return ("tensor", value.dtype.name, tuple(array.shape), array)
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(normalize(v) for v in value) if not hasattr(value, "_fields") else tuple(
            normalize(v) for v in value)
    if isinstance(value, (np.ndarray, np.generic)):
        return ("array", np.asarray(value))
    return value


def assert_same(ours: Any, theirs: Any, rtol: float = 1e-5, atol: float = 1e-6, path: str = "result") -> None:
    """Structural equality, with float arrays compared to a tolerance."""
    if isinstance(theirs, tuple) and theirs and theirs[0] in ("tensor", "array"):
        assert isinstance(ours, tuple) and ours and ours[0] == theirs[0], f"{path}: {ours!r} != {theirs!r}"
        if theirs[0] == "tensor":
            assert ours[1:3] == theirs[1:3], f"{path}: dtype/shape {ours[1:3]} != {theirs[1:3]}"
        a, b = ours[-1], theirs[-1]
        if a.dtype.kind in "fc":
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=path)
        else:
            np.testing.assert_array_equal(a, b, err_msg=path)
        return
    if isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs), f"{path}: {ours!r} != {theirs!r}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same(a, b, rtol, atol, f"{path}[{i}]")
        return
    if isinstance(theirs, dict):
        assert isinstance(ours, dict) and ours.keys() == theirs.keys(), f"{path}: {ours!r} != {theirs!r}"
        for k in theirs:
            assert_same(ours[k], theirs[k], rtol, atol, f"{path}[{k!r}]")
        return
    assert ours == theirs, f"{path}: {ours!r} != {theirs!r}"


def run_logged(program: Callable[[Any], Any], lib: Any) -> tuple[Any, list]:
    """Runs ``program(lib)``; returns its normalized result and what it logged to the ``tensorflow`` logger."""
    logger = logging.getLogger("tensorflow")
    handler = _Records()
    logger.addHandler(handler)
    try:
        result = normalize(attempt(lambda: program(lib)))
    finally:
        logger.removeHandler(handler)
    return result, handler.messages


def check(program: Callable[[Any], Any], tf: Any, rtol: float = 1e-5, atol: float = 1e-6,
          logs: bool = True) -> Any:
    """``program`` gives the same results (and logs the same warnings) under featherflow and TensorFlow."""
    import featherflow

    ours, our_logs = run_logged(program, featherflow)
    theirs, their_logs = run_logged(program, tf)
    assert_same(ours, theirs, rtol, atol)
    if logs:
        assert our_logs == their_logs
    return ours
