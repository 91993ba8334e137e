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


def loss(y: Any) -> Any:
    """The sum of squares of every output, in float64: what the gradient checks differentiate."""
    import featherflow as ff

    total = None
    for part in outputs(y):
        v = ff.cast(part, ff.float64)
        term = ff.reduce_sum(v * v)
        total = term if total is None else total + term
    return total


def outputs(y: Any) -> list:
    return list(y) if isinstance(y, (list, tuple)) else [y]


def run(case: Callable, wrt: str | None, t: dict) -> tuple:
    """``case(t)`` and, when ``wrt`` names an input, the gradient of ``loss`` of it with respect to that input."""
    import featherflow as ff

    with ff.GradientTape() as tape:
        if wrt is not None:
            tape.watch(t[wrt])
        y = case(t)
        total = loss(y) if wrt is not None else None
    return y, (tape.gradient(total, t[wrt]) if wrt is not None else None)


def check(device: str, inputs: Callable[[], dict], case: Callable, wrt: str | None, moved: Any = (0, 0),
          rtol: float = 1e-12, atol: float = 0.0) -> None:
    """Runs a case on ``device``: exactly ``moved`` host<->device copies on the GPU (none on the CPU; a callable
    gives the count), every output and the gradient on that device, and the CPU's values."""
    import numpy as np

    import featherflow as ff
    from featherflow.backends import simulated

    from .. import _gpu_mode

    t = inputs()
    expected = (moved() if callable(moved) else moved) if device == "GPU" else (0, 0)
    counting = _gpu_mode.counting()  # False on a real GPU (FEATHERFLOW_TEST_GPU=real): CuPy counts no copies
    before = simulated.transfers() if counting else None
    y, g = run(case, wrt, t)
    if counting:
        after = simulated.transfers()
        assert (after[0] - before[0], after[1] - before[1]) == expected
    where = "GPU:0" if device == "GPU" else "CPU:0"
    for part in outputs(y):
        assert part.device.endswith(where)
        assert type(part._value) is (_gpu_mode.gpu_array_type() if device == "GPU" else np.ndarray)
    if wrt is not None:
        g = ff.convert_to_tensor(g)
        assert g.device.endswith(where)
    with ff.device("CPU:0"):
        want_y, want_g = run(case, wrt, inputs())
    for ours, want in zip(outputs(y), outputs(want_y)):
        np.testing.assert_allclose(ours.numpy(), want.numpy(), rtol=rtol, atol=atol)
    if wrt is not None:
        np.testing.assert_allclose(g.numpy(), ff.convert_to_tensor(want_g).numpy(), rtol=rtol, atol=atol)
