"""Shared by the device-purity tests of the op families: which ops a block of code dispatched."""

from __future__ import annotations

from typing import Any, Callable


class Recorder:
    """Records the name of every op dispatched in the block (by wrapping the registry's forwards)."""

    def __init__(self, reached: set) -> None:
        self.reached = reached
        self.saved: dict = {}

    def __enter__(self) -> Recorder:
        from featherflow.ops.registry import OPS

        for name, op in OPS.items():
            self.saved[name] = op.forward

            def forward(*args: Any, _f: Callable = op.forward, _n: str = name, **kwargs: Any) -> Any:
                self.reached.add(_n)
                return _f(*args, **kwargs)

            op.forward = forward
        return self

    def __exit__(self, *exc: Any) -> None:
        from featherflow.ops.registry import OPS

        for name, forward in self.saved.items():
            OPS[name].forward = forward
