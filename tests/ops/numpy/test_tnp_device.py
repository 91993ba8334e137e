"""tnp on the simulated GPU: compositions of device ops, so a representative set runs there with its outputs and
gradients on GPU:0, equal to the CPU's, and nothing read back to the host (constants are uploaded, as TF's are).
Also numerical gradient checks in float64 for the differentiable functions."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff
import featherflow.experimental.numpy as tnp

from .._device_support import outputs, run

pytestmark = pytest.mark.usefixtures("device")


def _inputs() -> dict:
    return {
        "x": ff.constant(np.arange(12, dtype=np.float64).reshape(3, 4) / 3 - 1.7),
        "v": ff.constant(np.array([0.3, -1.2, 2.5])),
        "w": ff.constant(np.array([1.5, 0.5, -2.0])),
        "i": ff.constant(np.array([[1, -2, 3], [4, 5, -6]], np.int32)),
        "t": ff.constant(np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 5),
    }


CASES: dict[str, tuple[Callable[[dict], Any], str | None]] = {
    "add_promoted": (lambda t: tnp.add(t["x"], 2), "x"),
    "true_divide_ints": (lambda t: tnp.true_divide(t["i"], 2), None),
    "maximum_relu": (lambda t: tnp.maximum(t["x"], 0), "x"),
    "clip": (lambda t: tnp.clip(t["x"], -0.5, 1.0), "x"),
    "hypot": (lambda t: tnp.hypot(t["v"], t["w"]), "v"),
    "logaddexp": (lambda t: tnp.logaddexp(t["v"], t["w"]), "w"),
    "sqrt_of_ints": (lambda t: tnp.sqrt(tnp.abs(t["i"])), None),
    "cbrt": (lambda t: tnp.cbrt(t["v"]), "v"),
    "sinc": (lambda t: tnp.sinc(t["x"]), "x"),
    "around": (lambda t: tnp.around(t["x"], 1), None),
    "heaviside": (lambda t: tnp.heaviside(t["i"], 0.5), None),
    "isclose": (lambda t: tnp.isclose(t["v"], t["w"]), None),
    "nextafter": (lambda t: tnp.nextafter(t["v"], t["w"]), None),
    "sum_ints": (lambda t: tnp.sum(t["i"], axis=0), None),
    "mean": (lambda t: tnp.mean(t["x"], axis=1), "x"),
    "var_ddof": (lambda t: tnp.var(t["x"], ddof=1, dtype=tnp.float64), "x"),
    "std": (lambda t: tnp.std(t["t"], axis=(0, 2)), "t"),
    "ptp": (lambda t: tnp.ptp(t["x"], axis=0), "x"),
    "average_weighted": (lambda t: tnp.average(t["x"], axis=1, weights=[1.0, 2.0, 3.0, 4.0]), "x"),
    "cumsum": (lambda t: tnp.cumsum(t["x"]), "x"),
    "cumprod": (lambda t: tnp.cumprod(t["v"]), "v"),
    "sort": (lambda t: tnp.sort(t["x"], axis=0), "x"),
    "trace": (lambda t: tnp.trace(t["t"], axis1=1, axis2=2), "t"),
    "arange": (lambda t: tnp.arange(1, 7, 2), None),
    "linspace": (lambda t: tnp.linspace(0, 1, 5), None),
    "eye": (lambda t: tnp.eye(3, 4, k=1), None),
    "tril": (lambda t: tnp.tril(t["x"], -1), "x"),
    "diag": (lambda t: tnp.diag(t["v"], -1), "v"),
    "vander": (lambda t: tnp.vander(t["v"], 4), "v"),
    "meshgrid": (lambda t: tnp.meshgrid(t["v"], t["w"]), "w"),
    "reshape_f": (lambda t: tnp.reshape(t["x"], [2, 6], order="F"), "x"),
    "moveaxis": (lambda t: tnp.moveaxis(t["t"], 0, -1), "t"),
    "concatenate_promoted": (lambda t: tnp.concatenate([t["v"], t["i"][0]]), "v"),
    "hstack": (lambda t: tnp.hstack([t["v"], t["w"]]), "v"),
    "dstack": (lambda t: tnp.dstack([t["v"], t["w"]]), "w"),
    "split": (lambda t: tnp.split(t["x"], [1, 3], axis=1), "x"),
    "tile": (lambda t: tnp.tile(t["v"], (2, 2)), "v"),
    "repeat": (lambda t: tnp.repeat(t["v"], 2), "v"),
    "roll": (lambda t: tnp.roll(t["x"], 2), "x"),
    "rot90": (lambda t: tnp.rot90(t["x"]), "x"),
    "flip": (lambda t: tnp.flip(t["t"], 1), "t"),
    "pad_reflect": (lambda t: tnp.pad(t["x"], [[1, 1], [2, 0]], "reflect"), "x"),
    "take_clip": (lambda t: tnp.take(t["x"], [0, 7, -3], axis=1), "x"),
    "take_along_axis": (lambda t: tnp.take_along_axis(t["x"], tnp.argsort(t["x"], axis=1), 1), "x"),
    "where": (lambda t: tnp.where(tnp.greater(t["x"], 0), t["x"], 0.5), "x"),
    "select": (lambda t: tnp.select([t["v"] > 0, t["v"] < -1], [t["v"], t["w"]], 9.0), "v"),
    "diff": (lambda t: tnp.diff(t["x"], n=2), "x"),
    "diagonal": (lambda t: tnp.diagonal(t["t"], 1, 1, 2), "t"),
    "append": (lambda t: tnp.append(t["v"], t["w"]), "w"),
    "dot": (lambda t: tnp.dot(t["x"], tnp.ones(4)), "x"),
    "matmul_vector": (lambda t: tnp.matmul(t["v"], t["x"]), "x"),
    "tensordot": (lambda t: tnp.tensordot(t["t"], tnp.transpose(t["x"]), 1), "t"),
    "inner": (lambda t: tnp.inner(t["v"], t["w"]), "v"),
    "outer": (lambda t: tnp.outer(t["v"], t["w"]), "w"),
    "cross": (lambda t: tnp.cross(t["v"], t["w"]), "v"),
    "kron": (lambda t: tnp.kron(t["v"], t["x"]), "x"),
    "vdot": (lambda t: tnp.vdot(t["x"], t["x"]), "x"),
    "einsum": (lambda t: tnp.einsum("ij,j->i", t["x"], tnp.ones(4)), "x"),
    "polyval": (lambda t: tnp.polyval([1.0, -2.0, 0.5], t["v"]), "v"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_on_device_without_reading_back(device, name):
    from featherflow.backends import simulated

    case, wrt = CASES[name]
    t = _inputs()
    before = simulated.transfers()
    y, g = run(case, wrt, t)
    after = simulated.transfers()
    assert after[1] == before[1], "a host read inside tnp"
    where = "GPU:0" if device == "GPU" else "CPU:0"
    for part in outputs(y):
        assert part.device.endswith(where)
    if wrt is not None:
        assert ff.convert_to_tensor(g).device.endswith(where)
    with ff.device("CPU:0"):
        want_y, want_g = run(case, wrt, _inputs())
    for ours, want in zip(outputs(y), outputs(want_y)):
        np.testing.assert_allclose(ours.numpy(), want.numpy(), rtol=1e-12)
    if wrt is not None:
        np.testing.assert_allclose(ff.convert_to_tensor(g).numpy(), ff.convert_to_tensor(want_g).numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", sorted(n for n, (_, wrt) in CASES.items() if wrt is not None))
def test_gradient_matches_finite_differences(device, name):
    if device == "GPU":
        pytest.skip("the numbers are the CPU's (compared above)")
    case, wrt = CASES[name]
    t = _inputs()
    _, g = run(case, wrt, t)
    base = t[wrt].numpy()
    eps = 1e-6
    numeric = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        for sign in (1, -1):
            shifted = base.copy()
            shifted[idx] += sign * eps
            t2 = dict(t, **{wrt: ff.constant(shifted)})
            from .._device_support import loss

            numeric[idx] += sign * float(loss(case(t2)).numpy()) / (2 * eps)
    np.testing.assert_allclose(ff.convert_to_tensor(g).numpy(), numeric, rtol=1e-5, atol=1e-6)
