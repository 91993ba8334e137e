"""Device purity of the array, indexing, segment, sort, selection and diagonal ops: each op's forward and
gradient run on the CPU and on a simulated GPU (tests/conftest.py), the GPU run without a host transfer, with
the results on GPU:0 and equal to the CPU's (which test_array*.py and test_indexing.py check against TF).

Ops whose output shape is data (or whose TF kernel reads its indices back on any device) sync once,
explicitly; they are listed in ``SYNCING`` with the transfers they make. On a GPU the index checks of TF's CPU
kernels are skipped as TF's GPU kernels skip them: a bad index gathers zeros and scatters nothing.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff

from ...conftest import assert_no_transfers
from .._device_support import Recorder as _Recorder
from .._device_support import check, run

pytestmark = pytest.mark.usefixtures("device")


def _inputs() -> dict:
    """The inputs every case draws from, made before the measured block (making them is an upload)."""
    return {
        "x": ff.constant(np.arange(12, dtype=np.float64).reshape(3, 4) - 5.5),
        "v": ff.constant(np.array([3.0, -1.0, 4.0, 1.5, -5.0])),
        "m": ff.constant(np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 7),
        "i": ff.constant([2, 0, 2]),
        "ij": ff.constant([[0, 1], [2, 3], [0, 1]]),
        "rows": ff.constant([[1], [0], [1]]),
        "sorted_ids": ff.constant([0, 0, 2]),
        "ids": ff.constant([1, -1, 1]),
        "mask": ff.constant([True, False, True, True, False]),
        "d": ff.constant(np.array([1.0, -2.0, 3.0])),
        "d3": ff.constant(np.arange(12, dtype=np.float64).reshape(3, 4) / 3),
        "seq": ff.constant([[1.0, 3.0, 5.0]]),
        "vals": ff.constant([[0.0, 3.0, 6.0]]),
        "labels": ff.constant([0, 1, 2, 2]),
        "preds": ff.constant([0, 2, 2, 1]),
        "c": ff.constant(2.5, dtype=ff.float64),
    }


# name -> (the program over the inputs, the input its gradient is taken for, or None)
CASES: dict[str, tuple[Callable[[dict], Any], str | None]] = {
    # array.py
    "reshape": (lambda t: ff.reshape(t["x"], [4, 3]), "x"),
    "transpose": (lambda t: ff.transpose(t["m"], [2, 0, 1]), "m"),
    "transpose_conjugate": (lambda t: ff.transpose(ff.complex(t["x"], t["x"]), conjugate=True), "x"),
    "identity": (lambda t: ff.identity(t["x"]), "x"),
    "identity_n": (lambda t: ff.identity_n([t["x"], t["v"]])[1], "v"),
    "stop_gradient": (lambda t: ff.stop_gradient(t["x"]) + t["x"], "x"),
    "ensure_shape": (lambda t: ff.ensure_shape(t["x"], [3, None]), "x"),
    "shape": (lambda t: ff.shape(t["m"]), None),
    "shape_int64": (lambda t: ff.shape(t["m"], out_type=ff.int64), None),
    "size": (lambda t: ff.size(t["m"]), None),
    "rank": (lambda t: ff.rank(t["m"]), None),
    "squeeze": (lambda t: ff.squeeze(ff.reshape(t["x"], [1, 3, 1, 4]), [0, 2]), "x"),
    "expand_dims": (lambda t: ff.expand_dims(t["x"], -1), "x"),
    "broadcast_to": (lambda t: ff.broadcast_to(t["v"], [2, 5]), "v"),
    "broadcast_to_view": (lambda t: ff.broadcast_to(t["v"], [1000, 5]), "v"),
    "stack": (lambda t: ff.stack([t["x"], t["x"] + t["x"]], axis=1), "x"),
    "unstack": (lambda t: ff.unstack(t["x"], axis=1)[2], "x"),
    "concat": (lambda t: ff.concat([t["x"], t["x"]], 1), "x"),
    "split": (lambda t: ff.split(t["x"], 2, axis=1)[1], "x"),
    "split_sizes": (lambda t: ff.split(t["x"], [1, -1], axis=1)[1], "x"),
    "fill": (lambda t: ff.fill([2, 3], t["c"]), "c"),
    # array_create.py
    "zeros": (lambda t: ff.zeros([2, 3], ff.int64), None),
    "ones": (lambda t: ff.ones([2, 3]), None),
    "zeros_like": (lambda t: ff.zeros_like(t["x"]), None),
    "ones_like": (lambda t: ff.ones_like(t["x"], dtype=ff.int32), None),
    "cast": (lambda t: ff.cast(t["x"], ff.float32), "x"),
    "bitcast": (lambda t: ff.bitcast(t["x"], ff.int32), None),
    "eye": (lambda t: ff.eye(3, 4, batch_shape=[2], dtype=ff.float64), None),
    "range": (lambda t: ff.range(2, 11, 3), None),
    "range_float": (lambda t: ff.range(0.5, -1.0, -0.25, dtype=ff.float16), None),
    "linspace": (lambda t: ff.linspace(t["c"], t["c"] + t["c"], 5), "c"),
    "one_hot": (lambda t: ff.one_hot(t["i"], 4, axis=0), None),
    "one_hot_values": (lambda t: ff.one_hot(t["i"], 3, on_value=t["c"], off_value=-t["c"]), None),
    "meshgrid": (lambda t: ff.meshgrid(t["v"], t["d"])[1], "d"),
    "sequence_mask": (lambda t: ff.sequence_mask(t["i"], 4), None),
    # array_join.py
    "tile": (lambda t: ff.tile(t["x"], [2, 3]), "x"),
    "pad": (lambda t: ff.pad(t["x"], [[1, 2], [0, 1]]), "x"),
    "pad_value": (lambda t: ff.pad(t["x"], [[1, 0], [2, 1]], constant_values=t["c"]), "x"),
    "pad_reflect": (lambda t: ff.pad(t["x"], [[1, 1], [2, 3]], "REFLECT"), "x"),
    "pad_symmetric": (lambda t: ff.pad(t["x"], [[2, 1], [4, 0]], "SYMMETRIC"), "x"),
    "reverse": (lambda t: ff.reverse(t["m"], [0, -1]), "m"),
    "roll": (lambda t: ff.roll(t["m"], [1, -2], [0, 2]), "m"),
    "repeat": (lambda t: ff.repeat(t["x"], [1, 3, 0], axis=0), "x"),
    "repeat_flat": (lambda t: ff.repeat(t["x"], 2), "x"),
    # slicing.py
    "getitem": (lambda t: t["m"][1:, ..., ::-2, ff.newaxis], "m"),
    "strided_slice": (lambda t: ff.strided_slice(t["x"], [0, 3], [3, 0], [2, -1]), "x"),
    "slice": (lambda t: ff.slice(t["x"], [1, 1], [-1, 2]), "x"),
    # gather.py
    "gather": (lambda t: ff.gather(t["x"], t["i"]), "x"),
    "gather_axis": (lambda t: ff.gather(t["m"], t["i"], axis=-1), "m"),
    "gather_batch": (lambda t: ff.gather(t["x"], t["rows"], axis=1, batch_dims=1), "x"),
    "gather_nd": (lambda t: ff.gather_nd(t["x"], t["ij"]), "x"),
    "gather_nd_batch": (lambda t: ff.gather_nd(t["m"], t["rows"][:2], batch_dims=1), "m"),
    # scatter.py
    "scatter_nd": (lambda t: ff.scatter_nd(t["rows"], t["x"], [4, 4]), "x"),
    "tensor_scatter_update": (lambda t: ff.tensor_scatter_nd_update(t["x"], t["ij"], t["d"]), "x"),
    "tensor_scatter_add": (lambda t: ff.tensor_scatter_nd_add(t["x"], t["rows"], t["x"]), "x"),
    "tensor_scatter_sub": (lambda t: ff.tensor_scatter_nd_sub(t["x"], t["ij"], t["d"]), "d"),
    "tensor_scatter_min": (lambda t: ff.tensor_scatter_nd_min(t["x"], t["ij"], t["d"]), "x"),
    "tensor_scatter_max": (lambda t: ff.tensor_scatter_nd_max(t["x"], t["ij"], t["d"]), "d"),
    # segment.py (unsorted: the number of segments is given)
    "unsorted_segment_sum": (lambda t: ff.math.unsorted_segment_sum(t["x"], t["ids"], 3), "x"),
    "unsorted_segment_prod": (lambda t: ff.math.unsorted_segment_prod(t["x"], t["ids"], 3), "x"),
    "unsorted_segment_max": (lambda t: ff.math.unsorted_segment_max(t["x"], t["ids"], 3), "x"),
    "unsorted_segment_min": (lambda t: ff.math.unsorted_segment_min(t["x"], t["ids"], 3), "x"),
    "unsorted_segment_mean": (lambda t: ff.math.unsorted_segment_mean(t["x"], t["ids"], 3), "x"),
    "unsorted_segment_sqrt_n": (lambda t: ff.math.unsorted_segment_sqrt_n(t["x"], t["ids"], 3), "x"),
    # sort.py
    "sort": (lambda t: ff.sort(t["x"], direction="DESCENDING"), "x"),
    "argsort": (lambda t: ff.argsort(t["v"]), None),
    "searchsorted": (lambda t: ff.searchsorted(t["seq"], t["vals"], side="right"), None),
    "searchsorted_left": (lambda t: ff.searchsorted(t["seq"], t["vals"]), None),
    # selection.py
    "top_k": (lambda t: ff.math.top_k(t["x"], 2).values, "x"),
    "top_k_indices": (lambda t: ff.math.top_k(t["v"], 3, sorted=False).indices, None),
    "in_top_k": (lambda t: ff.math.in_top_k(t["i"], ff.cast(t["x"], ff.float32), 2), None),
    # matrix_diag.py
    "diag": (lambda t: ff.linalg.diag(t["d"], k=1, padding_value=9), "d"),
    "diag_band": (lambda t: ff.linalg.diag(t["d3"], k=(-1, 1), num_cols=4, align="LEFT_RIGHT"), "d3"),
    "diag_part": (lambda t: ff.linalg.diag_part(t["m"], k=(-1, 2), padding_value=1), "m"),
    "set_diag": (lambda t: ff.linalg.set_diag(t["x"], t["d"]), "x"),
    "band_part": (lambda t: ff.linalg.band_part(t["m"], 1, 0), "m"),
    "trace": (lambda t: ff.linalg.trace(t["m"]), "m"),
}

# Ops that read data back on any device, with the (host->device, device->host) copies each run makes on a GPU:
# the output's length is a value (TF's kernels sync for it too), or TF checks values with host-side asserts.
SYNCING: dict[str, tuple[Callable[[dict], Any], str | None, tuple]] = {
    # the length is the last id + 1 (one read, in the forward and again in each sorted segment op of the gradient)
    "segment_sum": (lambda t: ff.math.segment_sum(t["x"], t["sorted_ids"]), "x", (0, 1)),
    "segment_mean": (lambda t: ff.math.segment_mean(t["x"], t["sorted_ids"]), "x", (0, 2)),
    "segment_max": (lambda t: ff.math.segment_max(t["x"], t["sorted_ids"]), "x", (0, 2)),
    "segment_min": (lambda t: ff.math.segment_min(t["x"], t["sorted_ids"]), "x", (0, 2)),
    "segment_prod": (lambda t: ff.math.segment_prod(t["x"], t["sorted_ids"]), "x", (0, 3)),
    # the length is the largest value + 1 (TF passes it as a host-memory input, even with minlength=maxlength)
    "bincount": (lambda t: ff.math.bincount(t["i"], minlength=4, maxlength=4), None, (0, 1)),
    # TF asserts the values are in range (host-side checks); here the counting itself runs on the host
    "confusion_matrix": (lambda t: ff.math.confusion_matrix(t["labels"], t["preds"]), None, (2, 2)),
    # TF keeps shapes in host memory: both are read for its check, then computed on the device
    "broadcast_dynamic_shape": (lambda t: ff.broadcast_dynamic_shape(ff.shape(t["x"])[::-1], [1, 1, 3]), None,
                                (1, 2)),

}
# The output's length is data here too: the simulated kernels find it without a counted copy (CuPy syncs).
DATA_SHAPED = {
    "unique": (lambda t: ff.unique(t["i"]).y, None),
    "unique_with_counts": (lambda t: ff.unique_with_counts(t["i"]).count, None),
    "where": (lambda t: ff.where(t["x"] > t["c"]), None),
    "boolean_mask": (lambda t: ff.boolean_mask(t["v"], t["mask"]), "v"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_op_and_gradient_stay_on_the_device(device: str, name: str) -> None:
    check(device, _inputs, *CASES[name])


@pytest.mark.parametrize("name", sorted(SYNCING))
def test_ops_that_read_data_back_make_only_their_explicit_copies(device: str, name: str) -> None:
    check(device, _inputs, *SYNCING[name])


@pytest.mark.parametrize("name", sorted(DATA_SHAPED))
def test_ops_shaped_by_data_run_on_the_device(device: str, name: str) -> None:
    check(device, _inputs, *DATA_SHAPED[name])


def test_every_op_of_these_modules_has_a_device_case() -> None:
    from featherflow.ops.array import core as array
    from featherflow.ops.array import create as array_create
    from featherflow.ops.array import gather, scatter, selection, slicing, sort
    from featherflow.ops.array import join as array_join
    from featherflow.ops.linalg import diag as matrix_diag
    from featherflow.ops.math import segment
    from featherflow.ops.registry import OPS

    modules = {m.__name__ for m in (array, array_create, array_join, gather, matrix_diag, scatter, segment,
                                    selection, slicing, sort)}
    ours = sorted(n for n, op in OPS.items() if op.forward.__module__ in modules)
    assert len(ours) > 60
    # every op is reached by a case above (its forward, and its gradient where the case differentiates)
    from featherflow.backends import simulated  # noqa: F401  (the cases run in the other tests)

    reached: set = set()
    recorder = _Recorder(reached)
    with recorder:
        for case, wrt, *_ in list(CASES.values()) + list(SYNCING.values()) + list(DATA_SHAPED.values()):
            run(case, wrt, _inputs())
        test_second_order_gradients_stay_on_the_device("CPU")
    missing = [n for n in ours if n not in reached]
    assert not missing, missing


def test_second_order_gradients_stay_on_the_device(device: str) -> None:
    # the gradients of the gradient ops (TopKScatter, GatherGrad, RepeatGrad, MirrorPadGrad, StridedSliceGrad, ...)
    t = _inputs()
    x = t["x"]
    programs = [lambda x: ff.math.top_k(x, 2).values, lambda x: ff.gather(x, t["i"], axis=1),
                lambda x: ff.gather_nd(x, t["ij"]), lambda x: ff.repeat(x, [2, 1, 1], axis=0),
                lambda x: ff.pad(x, [[1, 1], [2, 2]], "REFLECT"), lambda x: x[1:, ::2]]
    for program in programs:
        with assert_no_transfers():
            with ff.GradientTape() as outer:
                outer.watch(x)
                with ff.GradientTape() as inner:
                    inner.watch(x)
                    y = program(x)
                    loss = ff.reduce_sum(y * y)
                g = ff.convert_to_tensor(inner.gradient(loss, x))
                loss = ff.reduce_sum(g * g)
            gg = outer.gradient(loss, x)
        assert gg.device == x.device
        with ff.device("CPU:0"):
            xc = ff.constant(x.numpy())
            with ff.GradientTape() as outer:
                outer.watch(xc)
                with ff.GradientTape() as inner:
                    inner.watch(xc)
                    y = program(xc)
                    loss = ff.reduce_sum(y * y)
                g = ff.convert_to_tensor(inner.gradient(loss, xc))
                loss = ff.reduce_sum(g * g)
            want = outer.gradient(loss, xc)
        np.testing.assert_allclose(gg.numpy(), want.numpy(), rtol=1e-12)


def test_gpu_gather_gives_zeros_for_bad_indices_as_tfs_gpu_kernel(device: str) -> None:
    x = ff.constant([[1.0, 2.0], [3.0, 4.0]])
    bad = ff.constant([1, 5, -1])
    if device == "CPU":
        with pytest.raises(ff.errors.InvalidArgumentError, match="not in"):
            ff.gather(x, bad)
        with pytest.raises(ff.errors.InvalidArgumentError, match="does not index"):
            ff.gather_nd(x, ff.constant([[0, 2]]))
        return
    bad_nd = ff.constant([[1, 1], [0, 2], [-1, 0]])
    with assert_no_transfers():
        out = ff.gather(x, bad)
        out_nd = ff.gather_nd(x, bad_nd)
        with ff.GradientTape() as tape:
            tape.watch(x)
            y = ff.gather(x, bad, axis=1)
        g = tape.gradient(y, x)
    assert out.numpy().tolist() == [[3.0, 4.0], [0.0, 0.0], [0.0, 0.0]]
    assert out_nd.numpy().tolist() == [4.0, 0.0, 0.0]
    assert g.numpy().tolist() == [[0.0, 1.0], [0.0, 1.0]]


def test_gpu_scatter_and_unsorted_segments_ignore_bad_indices_as_tfs_gpu_kernels(device: str) -> None:
    x = ff.constant([1.0, 2.0, 3.0])
    if device == "CPU":
        with pytest.raises(ff.errors.InvalidArgumentError, match="does not index"):
            ff.tensor_scatter_nd_add(x, ff.constant([[3]]), ff.constant([1.0]))
        with pytest.raises(ff.errors.InvalidArgumentError, match="out of range"):
            ff.math.unsorted_segment_sum(x, ff.constant([0, 2, 1]), 2)
        return
    i, u = ff.constant([[3], [1], [-2]]), ff.constant([10.0, 20.0, 30.0])
    ids = ff.constant([0, 2, 1])
    with assert_no_transfers():
        added = ff.tensor_scatter_nd_add(x, i, u)
        written = ff.tensor_scatter_nd_update(x, i, u)
        made = ff.scatter_nd(i, u, [3])
        summed = ff.math.unsorted_segment_sum(x, ids, 2)
    assert added.numpy().tolist() == [1.0, 22.0, 3.0]
    assert written.numpy().tolist() == [1.0, 20.0, 3.0]
    assert made.numpy().tolist() == [0.0, 20.0, 0.0]
    assert summed.numpy().tolist() == [1.0, 3.0]


def test_simulated_gpu_results_match_tensorflow(device: str, tf_oracle: Any) -> None:
    # a few of the purified forwards against TF itself (range's rounding, pad's fill, the diagonals' layout)
    programs = [
        lambda tf: tf.range(0.5, -1.0, -0.3, dtype=tf.float16),
        lambda tf: tf.pad(tf.reshape(tf.range(6.0), [2, 3]), [[1, 0], [0, 2]], constant_values=-1.5),
        lambda tf: tf.linalg.diag(tf.reshape(tf.range(6), [2, 3]), k=(0, 1), num_cols=4, align="LEFT_RIGHT"),
        lambda tf: tf.linalg.diag_part(tf.reshape(tf.range(12), [3, 4]), k=(-1, 2), padding_value=7),
        lambda tf: tf.math.top_k([[1.0, -2.0, 3.0, 3.0]], 3).indices,
        lambda tf: tf.one_hot([0, 3, -1], 3, axis=0),
        lambda tf: tf.math.unsorted_segment_max([[1, 2], [3, -4], [5, 6]], [1, -1, 1], 3),
        lambda tf: tf.math.segment_min([3, -1, 4, 1], [0, 0, 2, 2]),
        lambda tf: tf.shape(tf.zeros([2, 0, 3]), out_type=tf.int64),
    ]
    for program in programs:
        ours, theirs = program(ff), program(tf_oracle)
        assert ours.dtype.name == theirs.dtype.name
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
