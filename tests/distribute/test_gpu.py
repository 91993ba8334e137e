"""``OneDeviceStrategy`` on a (simulated) GPU: its variables, the functions ``run`` calls and the elements of a
distributed dataset are on the GPU, and a training step reads nothing back to the host (Python numbers in it are
uploaded, as in TF); ``ReductionToOneDevice`` moves values between two GPUs without the host."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff
from featherflow.backends import simulated
from featherflow.device import _simulating
from featherflow.distribute.values import Mirrored, PerReplica

from .._gpu_mode import NO_COUNTERS, counting

pytestmark = pytest.mark.parametrize("device", ["GPU"], indirect=True)

_GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0"
_CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"


def test_one_device_strategy_on_the_gpu_places_everything_there(device) -> None:
    strategy = ff.distribute.OneDeviceStrategy("/gpu:0")
    with ff.device("/cpu:0"), strategy.scope():  # the strategy's device, not the scope around it
        w = ff.Variable(np.ones((2, 1), np.float32))
        with strategy.extended.colocate_vars_with(w):
            slot = ff.Variable(ff.zeros([2, 1]))
    assert (w.device, slot.device) == (_GPU0, _GPU0)
    assert strategy.extended.worker_devices == (_GPU0,)
    with ff.device("/cpu:0"):
        result = strategy.run(lambda: (ff.constant(1.0).device, ff.distribute.get_replica_context().devices))
    assert result == (_GPU0, (_GPU0,))
    dataset = ff.data.Dataset.from_tensor_slices(np.arange(8, dtype=np.float32).reshape(4, 2)).batch(2)
    batches = list(strategy.experimental_distribute_dataset(dataset))
    assert [b.device for b in batches] == [_GPU0, _GPU0]
    on_host = strategy.experimental_distribute_dataset(dataset, ff.distribute.InputOptions(
        experimental_fetch_to_device=False))
    assert [b.device for b in on_host] == [_CPU0, _CPU0]

    def step(x):
        with ff.GradientTape() as tape:
            loss = ff.nn.compute_average_loss(ff.reduce_sum(ff.matmul(x, w), axis=1), global_batch_size=2)
        grads = ff.distribute.get_replica_context().all_reduce("SUM", tape.gradient(loss, [w]))
        ff.distribute.get_replica_context().merge_call(
            lambda s: s.extended.update(w, lambda v, g: v.assign_sub(0.1 * g), args=(grads[0],)))
        return loss

    before = simulated.transfers()
    losses = [strategy.run(step, args=(b,)) for b in batches]
    total = strategy.reduce("SUM", losses[-1], axis=None)
    if counting():
        assert simulated.transfers()[1] == before[1]  # nothing read back from the GPU
    assert total.device == _GPU0 and w.device == _GPU0
    np.testing.assert_allclose(w.numpy(), [[0.4], [0.2]], rtol=1e-6)  # 1 - 0.1 * ([1, 2] + [5, 6])


def test_reduction_to_one_device_between_two_gpus(device) -> None:
    if not counting():
        pytest.skip(NO_COUNTERS)
    with _simulating(2):
        with ff.device("/gpu:0"):
            a = ff.constant([1.0, 2.0])
        with ff.device("/gpu:1"):
            b = ff.constant([3.0, 5.0])
        ops = ff.distribute.ReductionToOneDevice()
        simulated.reset_transfers()
        reduced = ops.reduce(ff.distribute.ReduceOp.MEAN, PerReplica((a, b)), Mirrored((a, b)))
        assert simulated.transfers() == (1, 0)  # GPU to GPU not through the host; the count 2 uploaded
        assert [v.device for v in reduced.values] == [_GPU0, _GPU0.replace("GPU:0", "GPU:1")]
        assert [v.numpy().tolist() for v in reduced.values] == [[2.0, 3.5], [2.0, 3.5]]
        to_one = ff.distribute.ReductionToOneDevice(reduce_to_device="/gpu:1").reduce(
            ff.distribute.ReduceOp.SUM, PerReplica((a, b)), "/gpu:0")
        assert to_one.device == _GPU0 and to_one.numpy().tolist() == [4.0, 7.0]
