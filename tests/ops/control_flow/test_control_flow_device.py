"""Control flow on the CPU and on a simulated GPU: values and gradients stay on the device and match the CPU's.

Eagerly TF reads a predicate, a branch index or a TensorArray index tensor on the host (a GPU copies it back),
and so do these: each case states the device->host copies it makes. Loops over elements count on the host
(``range``), so map_fn, scan, foldl/foldr and vectorized_map make none; a Python number in a program is
uploaded once (host->device) where it meets a GPU tensor, as in TF.
"""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check

pytestmark = pytest.mark.usefixtures("device")


def _inputs() -> dict:
    return {"x": ff.constant(np.array([[0.5, -1.25, 2.0], [1.5, 0.75, -0.5]])),
            "p": ff.constant(True), "k": ff.constant(1)}


def _tensor_array(t):
    ta = ff.TensorArray(ff.float64, size=2, clear_after_read=False).unstack(t["x"])
    out = ff.TensorArray(ff.float64, size=0, dynamic_size=True).write(0, ta.read(1) * ta.read(0))
    out = out.write(1, ff.sin(ta.read(0)))
    return out.stack(), out.concat(), ta.gather([1, 0])


def _split(t):
    ta = ff.TensorArray(ff.float64, size=2).split(ff.reshape(t["x"], [-1]), [2, 4])
    return ta.concat(), ta.read(1)


CASES = {
    # name: (program, (host->device, device->host) copies on the GPU)
    "cond": (lambda t: ff.cond(t["p"], lambda: ff.exp(t["x"]), lambda: t["x"]), (0, 1)),
    "cond python pred": (lambda t: ff.cond(False, lambda: ff.exp(t["x"]), lambda: ff.sin(t["x"])), (0, 0)),
    "case": (lambda t: ff.case([(ff.logical_not(t["p"]), lambda: t["x"]), (t["p"], lambda: ff.tanh(t["x"]))],
                               default=lambda: t["x"]), (0, 2)),
    "switch_case": (lambda t: ff.switch_case(t["k"], [lambda: t["x"], lambda: ff.cos(t["x"])]), (0, 1)),
    "while_loop": (lambda t: ff.while_loop(lambda y: ff.reduce_sum(y) < 100.0, lambda y: [ff.exp(y) + y],
                                           [t["x"]], maximum_iterations=2)[0], (3, 2)),  # 100.0: 3 uploads
    "map_fn": (lambda t: ff.map_fn(lambda r: ff.reduce_sum(r * r) * r, t["x"]), (0, 0)),
    "map_fn nest": (lambda t: ff.map_fn(lambda p: (p[0] * p[1], p[1]), (t["x"], ff.exp(t["x"]))), (0, 0)),
    "vectorized_map": (lambda t: ff.vectorized_map(lambda r: ff.tanh(r) * r[0], t["x"]), (0, 0)),
    "scan": (lambda t: ff.scan(lambda a, r: a * r, t["x"], reverse=True), (0, 0)),
    "foldl": (lambda t: ff.foldl(lambda a, r: a * ff.sin(r), t["x"]), (0, 0)),
    "foldr": (lambda t: ff.foldr(lambda a, r: a * r, t["x"], initializer=ff.ones_like(t["x"][0])), (0, 0)),
    "TensorArray": (_tensor_array, (0, 0)),
    "TensorArray split": (_split, (0, 0)),  # Python lengths stay on the host
    "TensorArray read at a tensor index": (lambda t: ff.TensorArray(ff.float64, size=2).unstack(t["x"]).read(t["k"]),
                                           (0, 1)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_on_device(device, name):
    program, moved = CASES[name]
    check(device, _inputs, program, "x", moved=moved)
