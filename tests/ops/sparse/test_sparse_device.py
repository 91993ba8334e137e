"""Device purity of the sparse ops: each op's forward and gradient run on the CPU and on a simulated GPU
(tests/conftest.py), the GPU run without a host transfer, the results on GPU:0 and equal to the CPU's (which
test_sparse_programs.py and test_sparse_gradients.py check against TF).

A SparseTensor's dense shape is host data (as in TF, whose GPU kernels take it in host memory), so reading it
costs no copy. Wrappers that validate indices or segment ids as TF's CPU kernels do read them back, once,
explicitly: they are listed in ``SYNCING`` with the copies they make.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff
from featherflow.ops.sparse import kernels

from .._device_support import Recorder as _Recorder
from .._device_support import check, run

pytestmark = pytest.mark.usefixtures("device")


def _sp(values: Any, idx: Any, shape: Any) -> Any:
    return ff.sparse.SparseTensor(ff.constant(np.array(idx, dtype=np.int64)), values, shape)


def _inputs() -> dict:
    """The inputs every case draws from, made before the measured block (making them is an upload)."""
    return {
        "v": ff.constant(np.array([0.5, -1.25, 2.0, 0.75])),
        "w": ff.constant(np.array([3.0, 0.25, -2.0, 1.0])),
        "idx": ff.constant(np.array([[0, 1], [1, 0], [1, 2], [2, 2]], dtype=np.int64)),
        "idx_b": ff.constant(np.array([[0, 0], [1, 0], [2, 1], [2, 2]], dtype=np.int64)),
        "idx_gap": ff.constant(np.array([[0, 1], [0, 2], [2, 0], [2, 2]], dtype=np.int64)),
        "idx_3d": ff.constant(np.array([[0, 1, 0], [1, 0, 1], [1, 2, 0], [2, 2, 1]], dtype=np.int64)),
        "d": ff.constant(np.arange(12, dtype=np.float64).reshape(3, 4) / 5 - 1),
        "row": ff.constant(np.array([1.0, -2.0, 4.0])),
        "rows": ff.constant(np.array([0, 2, 1, 2])),
        "ids": ff.constant(np.array([0, 0, 1, 1])),
        "keep": ff.constant([True, False, True, True]),
        "thresh": ff.constant(0.5, dtype=ff.float64),
        "shape": ff.constant([5, 4]),
    }


def _a(t: dict) -> Any:
    return ff.sparse.SparseTensor(t["idx"], t["v"], [3, 3])


def _b(t: dict) -> Any:
    return ff.sparse.SparseTensor(t["idx_b"], t["w"], [3, 3])


# name -> (the program over the inputs, the input its gradient is taken for, or None)
CASES: dict[str, tuple[Callable[[dict], Any], str | None]] = {
    # dispatch: tf.math.abs first fails to convert the SparseTensor; that error's text (with the repr, which
    # would read the values back) is never made
    "abs": (lambda t: ff.math.abs(_a(t)).values, "v"),
    "reorder": (lambda t: ff.sparse.reorder(ff.sparse.SparseTensor(t["idx_b"][::-1], t["v"], [3, 3])).values, "v"),
    "add": (lambda t: ff.sparse.add(_a(t), _b(t)).values, "v"),
    "add_threshold": (lambda t: ff.sparse.add(_a(t), _b(t), threshold=1.0).values, "w"),
    "add_dense": (lambda t: ff.sparse.add(_a(t), t["d"][:, :3]), "v"),
    "maximum": (lambda t: ff.sparse.maximum(_a(t), _b(t)).values, None),
    "minimum": (lambda t: ff.sparse.minimum(_a(t), _b(t)).values, None),
    "matmul": (lambda t: ff.sparse.sparse_dense_matmul(_a(t), t["d"]), "v"),
    "matmul_dense_grad": (lambda t: ff.sparse.sparse_dense_matmul(_a(t), t["d"]), "d"),
    "matmul_adjoint": (lambda t: ff.sparse.sparse_dense_matmul(_a(t), t["d"][:, :3], adjoint_a=True,
                                                               adjoint_b=True), "v"),
    # (no public function: TF's own Python calls it)
    "cwise_add": (lambda t: kernels.sparse_dense_cwise_add_op(t["idx"], t["v"], t["row"], shape=(3, 3)), None),
    "mul_dense": (lambda t: (_a(t) * t["row"]).values, "row"),
    "div_dense": (lambda t: (_a(t) / t["row"]).values, "v"),
    "reduce_sum": (lambda t: ff.sparse.reduce_sum(_a(t), axis=1), "v"),
    "reduce_sum_sparse": (lambda t: ff.sparse.reduce_sum(_a(t), axis=0, output_is_sparse=True).values, None),
    "reduce_max": (lambda t: ff.sparse.reduce_max(_a(t), axis=0, keepdims=True), None),
    "reduce_max_sparse": (lambda t: ff.sparse.reduce_max(_a(t), axis=1, output_is_sparse=True).values, None),
    "softmax": (lambda t: ff.sparse.softmax(_a(t)).values, "v"),
    "reshape": (lambda t: ff.sparse.reshape(_a(t), [9, 1]).indices, None),
    "slice": (lambda t: ff.sparse.slice(_a(t), [1, 0], [2, 2]).values, "v"),
    "concat": (lambda t: ff.sparse.concat(1, [_a(t), _b(t)]).values, None),
    "split": (lambda t: ff.sparse.split(sp_input=_a(t), num_split=2, axis=1)[1].values, None),
    "fill_empty_rows": (lambda t: ff.sparse.fill_empty_rows(
        ff.sparse.SparseTensor(t["idx_gap"], t["v"], [4, 3]), t["thresh"])[0].values, "v"),
    "transpose": (lambda t: ff.sparse.transpose(ff.sparse.SparseTensor(t["idx_3d"], t["v"], [3, 3, 2]),
                                                [2, 0, 1]).values, "v"),
    "retain": (lambda t: ff.sparse.retain(_a(t), t["keep"]).values, "v"),
    "expand_dims": (lambda t: ff.sparse.expand_dims(_a(t), 1).indices, None),
    "eye": (lambda t: ff.sparse.eye(3, 4).values, None),
    "from_dense": (lambda t: ff.sparse.from_dense(t["d"]).values, "d"),
    "mask": (lambda t: ff.sparse.mask(ff.IndexedSlices(t["d"][:3], t["rows"][:3], t["shape"]),
                                      t["ids"]).values, "d"),
}

# wrappers that read indices or ids back, as TF's CPU kernels check them, with their (host->device,
# device->host) copies on a GPU
SYNCING: dict[str, tuple[Callable[[dict], Any], str | None, tuple]] = {
    "to_dense": (lambda t: ff.sparse.to_dense(_a(t)), "v", (0, 1)),
    "to_indicator": (lambda t: ff.sparse.to_indicator(
        ff.sparse.SparseTensor(t["idx"], t["rows"], [3, 3]), 4), None, (0, 1)),
    # the output's size is the largest value + 1 (TF's CPU kernel reads the values, and checks them)
    "bincount": (lambda t: ff.sparse.bincount(t["rows"]).values, None, (0, 1)),
    "bincount_weights": (lambda t: ff.sparse.bincount(t["rows"], weights=t["v"], maxlength=2).values, None, (0, 1)),
    "bincount_sparse": (lambda t: ff.sparse.bincount(ff.sparse.SparseTensor(t["idx"], t["rows"], [3, 3]),
                                                     axis=-1).values, None, (0, 1)),
    "segment_sum": (lambda t: ff.sparse.segment_sum(t["d"], t["rows"], t["ids"]), "d", (0, 2)),
    "segment_mean": (lambda t: ff.sparse.segment_mean(t["d"], t["rows"], t["ids"], num_segments=3), "d", (0, 2)),
    "segment_sqrt_n": (lambda t: ff.sparse.segment_sqrt_n(t["d"], t["rows"], t["ids"]), "d", (0, 2)),
    "segment_sum_n": (lambda t: ff.sparse.segment_sum(t["d"], t["rows"], t["ids"], num_segments=4), "d", (0, 2)),
    "segment_mean_ids": (lambda t: ff.sparse.segment_mean(t["d"], t["rows"], t["ids"]), "d", (0, 2)),
    "segment_sqrt_n_n": (lambda t: ff.sparse.segment_sqrt_n(t["d"], t["rows"], t["ids"], num_segments=2), "d",
                         (0, 2)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_op_and_gradient_stay_on_the_device(device: str, name: str) -> None:
    check(device, _inputs, *CASES[name])


@pytest.mark.parametrize("name", sorted(SYNCING))
def test_ops_that_read_data_back_make_only_their_explicit_copies(device: str, name: str) -> None:
    check(device, _inputs, *SYNCING[name])


def test_every_sparse_op_has_a_device_case() -> None:
    from featherflow.ops.registry import OPS
    from featherflow.ops.sparse import counting, layout

    modules = {kernels.__name__, layout.__name__, counting.__name__}
    ours = sorted(n for n, op in OPS.items() if op.forward.__module__ in modules)
    assert len(ours) > 20
    reached: set = set()
    with _Recorder(reached):
        for case, wrt, *_ in list(CASES.values()) + list(SYNCING.values()):
            run(case, wrt, _inputs())
        # the gradient-only paths: SparseDenseCwiseGather (a product's gradient), SparseFillEmptyRowsGrad
        v = ff.constant(np.array([1.0, 2.0]))
        with ff.GradientTape() as tape:
            tape.watch(v)
            y = ff.sparse.SparseTensor([[0, 0], [1, 1]], v, [2, 2]) * ff.constant([[2.0], [3.0]], ff.float64)
        tape.gradient(y.values, v)
    missing = [n for n in ours if n not in reached]
    assert not missing, missing
