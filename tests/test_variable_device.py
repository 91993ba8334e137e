"""Sparse reads and writes of a variable on a (simulated) GPU: computed on the device, no index read back.

TF's GPU kernels never copy indices to the host to check them (tensorflow/core/kernels):
- ResourceGather (gather_functor_gpu.cu.h): an index outside [0, rows) "Set indices out of range to zero";
  ResourceGatherNd (gather_nd_op_gpu.cu.cc) likewise writes zeros for an index tuple out of bounds.
- ResourceScatter* (scatter_functor_gpu.cu.h): "Ignore indices that are out of range" (the update is skipped),
  and no error is returned (the functor returns -1, "no bad index"); ResourceScatterDiv's "updates must not
  contain 0" check runs on the CPU only (resource_variable_ops.cc, ``isCPUDevice<Device>()``).
- ResourceScatterNd* (scatter_nd_op_gpu.cu.cc): an index tuple out of bounds is skipped, without an error.
Repeated indices: the GPU kernels apply them with atomics, so add/sub/mul/div/min/max combine them all, and
which of several updates of one row ``scatter_update`` keeps is unspecified (featherflow keeps the last, as
the CPU; the tests below accept any).

The CPU keeps TF's CPU checks and errors: tests/test_variable.py compares them with TF.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import featherflow as ff
from featherflow.errors import InvalidArgumentError

from .conftest import assert_no_transfers

pytestmark = pytest.mark.parametrize("device", ["GPU"], indirect=True)

_GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0"
V0 = np.arange(1.0, 13.0, dtype=np.float32).reshape(4, 3)
ROWS = [[2, 0, 3], [1, 1, 3, 1], [0, -1, 4, 2, 9], [[3, -2], [7, 1]], [5, -1]]  # valid, repeated, some or all bad


def _updates(n: int) -> np.ndarray:
    return (np.arange(n * 3, dtype=np.float32).reshape(n, 3) - 2.5) * 1.5


def _on_cpu(method: str, *args: Any) -> np.ndarray:
    """The CPU's result of ``Variable(V0).<method>(*args)`` (only valid indices given: the CPU checks them)."""
    with ff.device("/cpu:0"):
        v = ff.Variable(V0)
        getattr(v, method)(*args)
        return v.numpy()


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("kind", ["update", "add", "sub", "mul", "div", "min", "max"])
def test_scatter_skips_bad_indices_without_a_transfer(device: str, kind: str, rows: Any) -> None:
    rows = np.array(rows, np.int32)
    upd = _updates(rows.size).reshape(rows.shape + (3,))
    v, i, u = ff.Variable(V0), ff.constant(rows), ff.constant(upd)
    with assert_no_transfers():
        result = getattr(v, f"scatter_{kind}")(ff.IndexedSlices(u, i))
    assert v.device == _GPU0 and result.device == _GPU0
    ok = (rows >= 0) & (rows < 4)
    good_rows, good_upd = rows[ok], upd[ok]
    if kind == "update" and len(set(good_rows.tolist())) < good_rows.size:  # TF's GPU keeps any one of them
        got = v.numpy()
        for r in range(4):
            candidates = good_upd[good_rows == r]
            if candidates.size:
                assert any(np.array_equal(got[r], c) for c in candidates), (r, got[r], candidates)
            else:
                np.testing.assert_array_equal(got[r], V0[r])
        return
    expected = _on_cpu(f"scatter_{kind}", ff.IndexedSlices(good_upd, good_rows))
    np.testing.assert_allclose(v.numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize("kind", ["update", "add", "mul", "max"])
def test_scatter_of_a_scalar_update_and_of_a_scalar_variable(device: str, kind: str) -> None:
    v, i, u = ff.Variable(V0), ff.constant([3, 8, 0]), ff.constant(np.float32(-4.0))
    s, si = ff.Variable(np.float32(6.0)), ff.constant([0, 1, 0])  # a scalar variable: its one row is 0
    su = ff.constant(np.float32(2.0))
    with assert_no_transfers():
        getattr(v, f"scatter_{kind}")(ff.IndexedSlices(u, i))
        getattr(s, f"scatter_{kind}")(ff.IndexedSlices(su, si))
    expected = _on_cpu(f"scatter_{kind}", ff.IndexedSlices(np.float32(-4.0), [3, 0]))
    np.testing.assert_array_equal(v.numpy(), expected)
    with ff.device("/cpu:0"):
        cpu = ff.Variable(np.float32(6.0))
        getattr(cpu, f"scatter_{kind}")(ff.IndexedSlices(np.float32(2.0), [0, 0]))
    assert s.numpy() == cpu.numpy()


def test_scatter_div_by_zero_is_not_checked_on_a_gpu(device: str) -> None:
    v, i, u = ff.Variable(V0), ff.constant([0, 1]), ff.constant(np.array([[0, 1, 2], [4, 4, 4]], np.float32))
    with assert_no_transfers():
        v.scatter_div(ff.IndexedSlices(u, i))  # the CPU raises "updates must not contain 0"
    expected = V0.copy()
    with np.errstate(divide="ignore"):
        expected[:2] /= np.array([[0, 1, 2], [4, 4, 4]], np.float32)
    np.testing.assert_array_equal(v.numpy(), expected)


def test_integer_scatter_div_truncates_and_combines_repeats(device: str) -> None:
    start = np.array([7, -7, 100, -9], np.int64)
    v, i, u = ff.Variable(start), ff.constant([0, 1, 2, 2, 9]), ff.constant(np.array([2, 2, -3, 4, 5], np.int64))
    with assert_no_transfers():
        v.scatter_div(ff.IndexedSlices(u, i))
    np.testing.assert_array_equal(v.numpy(), [3, -3, -8, -9])  # C++ division: 100 / -3 = -33, -33 / 4 = -8


COORDS = [[[0, 1], [3, 2], [2, 0]], [[1, 1], [1, 1], [0, 2]], [[0, 0], [4, 0], [-1, 2], [3, 3], [2, 2]],
          [[[1, 0]], [[9, 9]]], [[1], [3]], [[5], [1], [-1]]]


@pytest.mark.parametrize("coords", COORDS)
@pytest.mark.parametrize("kind", ["update", "add", "sub", "max", "min"])
def test_scatter_nd_skips_bad_index_tuples_without_a_transfer(device: str, kind: str, coords: Any) -> None:
    coords = np.array(coords, np.int64)
    k = coords.shape[-1]
    n = coords.size // k
    upd = np.linspace(-20, 20, n * (3 if k == 1 else 1), dtype=np.float32).reshape(
        coords.shape[:-1] + ((3,) if k == 1 else ()))
    v, i, u = ff.Variable(V0), ff.constant(coords), ff.constant(upd)
    with assert_no_transfers():
        result = getattr(v, f"scatter_nd_{kind}")(i, u)
    assert v.device == _GPU0 and result.device == _GPU0
    ok = ((coords >= 0) & (coords < np.array(V0.shape[:k]))).all(axis=-1)
    expected = _on_cpu(f"scatter_nd_{kind}", coords[ok], upd[ok])  # coords[[1, 1]] repeats: the CPU keeps the last
    np.testing.assert_array_equal(v.numpy(), expected)


@pytest.mark.parametrize("rows", ROWS)
def test_sparse_read_and_gather_give_zeros_for_bad_indices(device: str, rows: Any) -> None:
    rows = np.array(rows, np.int64)
    v, i = ff.Variable(V0), ff.constant(rows)
    with assert_no_transfers():
        read, gathered = v.sparse_read(i), ff.gather(v, i)
    assert read.device == _GPU0 and gathered.device == _GPU0
    ok = (rows >= 0) & (rows < 4)
    expected = np.where(ok[..., None], V0[np.where(ok, rows, 0)], 0)
    np.testing.assert_array_equal(read.numpy(), expected)
    np.testing.assert_array_equal(gathered.numpy(), expected)


@pytest.mark.parametrize("coords", COORDS)
def test_gather_nd_gives_zeros_for_bad_index_tuples(device: str, coords: Any) -> None:
    coords = np.array(coords, np.int32)
    k = coords.shape[-1]
    v, i = ff.Variable(V0), ff.constant(coords)
    with assert_no_transfers():
        got = v.gather_nd(i)
    assert got.device == _GPU0
    ok = ((coords >= 0) & (coords < np.array(V0.shape[:k]))).all(axis=-1)
    safe = np.where(ok[..., None], coords, 0)
    expected = V0[tuple(np.moveaxis(safe, -1, 0))]
    np.testing.assert_array_equal(got.numpy(), np.where(ok.reshape(ok.shape + (1,) * (expected.ndim - ok.ndim)),
                                                        expected, 0))


@pytest.mark.parametrize("rows, expected", [
    ([[0, 1], [2, 0]], [[10, 11, 3], [21, 5, 20]]),
    ([[0, 7], [-1, 2]], [[10, 2, 3], [4, 5, 21]]),  # TF's GPU ScatterNdUpdate skips [0, 7] and [1, -1]
])
def test_batch_scatter_update_builds_its_indices_on_the_device(device: str, rows: Any, expected: Any) -> None:
    b, i = ff.Variable(np.array([[1, 2, 3], [4, 5, 6]], np.float32)), ff.constant(np.array(rows, np.int32))
    u = ff.constant(np.array([[10, 11], [20, 21]], np.float32))
    with assert_no_transfers():
        b.batch_scatter_update(ff.IndexedSlices(u, i))
    assert b.device == _GPU0
    np.testing.assert_array_equal(b.numpy(), expected)


def test_shape_and_dtype_errors_stay_on_a_gpu(device: str) -> None:
    v, i, scalar = ff.Variable(V0), ff.constant([0, 1]), ff.Variable(np.float32(1.0))
    ones, ones_2, pair, triple = (ff.constant(np.ones((3, 3), np.float32)), ff.constant(np.ones(2, np.float32)),
                                  ff.constant([[0, 1]]), ff.constant([[0, 1, 2]]))
    half = ff.constant([0.5])
    with assert_no_transfers():
        with pytest.raises(InvalidArgumentError, match="must be a prefix of the shape of updates"):
            v.scatter_update(ff.IndexedSlices(ones, i))
        with pytest.raises(InvalidArgumentError, match="must match dimensions"):
            v.scatter_nd_add(pair, ones_2)
        with pytest.raises(InvalidArgumentError, match="params must be at least 1 dimensional"):
            scalar.sparse_read(i)
        with pytest.raises(InvalidArgumentError, match="index innermost dimension length must be <= params rank"):
            v.gather_nd(triple)
        with pytest.raises(InvalidArgumentError, match="Tindices"):
            v.sparse_read(half)
    np.testing.assert_array_equal(v.numpy(), V0)  # a write that fails changes nothing


def test_a_variable_on_the_second_gpu_is_written_from_anywhere(device: str) -> None:
    # TF runs a variable's updates on the variable's device, whatever device scope the call is in
    with ff.device("GPU:1"):
        v = ff.Variable([1.0, 2.0])
        counter = ff.Variable(1, dtype=ff.int64)
    with ff.device("GPU:0"):
        w = ff.constant([7.0, 8.0])
    v.assign([3.0, 4.0])
    v.assign_add([1.0, 1.0])
    np.testing.assert_array_equal(v.numpy(), [4.0, 5.0])
    v.assign(w)
    v[0].assign(9.0)
    v.scatter_nd_update([[1]], [10.0])
    assert counter.count_up_to(5).numpy() == 1
    np.testing.assert_array_equal(v.numpy(), [9.0, 10.0])
    assert v.device == v.value().device == "/job:localhost/replica:0/task:0/device:GPU:1"


def test_optimizers_update_a_variable_on_the_second_gpu_as_on_the_cpu(device: str) -> None:
    # the optimizer's own variables (iterations, a learning rate variable) live on GPU:0
    results = []
    for place in ("GPU:1", "CPU:0"):
        with ff.device(place):
            v = ff.Variable([1.0, 2.0])
        with ff.device("GPU:0"):
            optimizers = [ff.optimizers.RMSprop(0.1, momentum=0.5, centered=True), ff.optimizers.AdamW(0.1),
                          ff.optimizers.Nadam(), ff.optimizers.Adamax(), ff.optimizers.Adagrad(0.1),
                          ff.optimizers.Adam(ff.Variable(0.1), amsgrad=True, clipnorm=1.0, use_ema=True),
                          ff.optimizers.SGD(ff.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9),
                                            gradient_accumulation_steps=2)]
            grads = [ff.constant([1.0, 1.0]), ff.IndexedSlices(ff.constant([1.0]), ff.constant([1]))]
        for optimizer in optimizers:
            for g in grads:
                optimizer.apply_gradients([(g, v)])
        results.append(v.numpy())
        assert v.device.endswith(place)
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)
