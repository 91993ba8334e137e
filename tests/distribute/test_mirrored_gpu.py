"""``MirroredStrategy`` over two simulated GPUs, in process: its default devices, distributed variables with a
component on each card, a training step whose gradients are all-reduced device to device (``NcclAllReduce``
among GPUs, and the default collective all-reduce), and ``MultiWorkerMirroredStrategy`` with a one-worker
``TF_CONFIG`` from a fresh process, as TF reports it."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import featherflow as ff
from featherflow.backends import simulated
from featherflow.device import _simulating

from .._gpu_mode import NO_COUNTERS, counting

pytestmark = pytest.mark.parametrize("device", ["GPU"], indirect=True)

_GPU = "/job:localhost/replica:0/task:0/device:GPU:{}"


def _train(strategy, steps=2):
    with strategy.scope():
        w = ff.Variable(np.array([[1.0], [2.0]]), name="w")
        optimizer = ff.optimizers.SGD(0.1)
    x = ff.constant(np.arange(8.0).reshape(4, 2))

    def step(x):
        with ff.GradientTape() as tape:
            loss = ff.nn.compute_average_loss(ff.reduce_sum(ff.matmul(x, w), axis=1), global_batch_size=4)
        optimizer.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
        return loss

    dataset = strategy.experimental_distribute_dataset(ff.data.Dataset.from_tensors(x).repeat(steps))
    for batch in dataset:
        strategy.run(step, args=(batch,))
    return w, optimizer


@pytest.mark.parametrize("ops", ["default", "nccl", "hierarchical"])
def test_training_on_two_gpus_keeps_the_components_equal(device, ops) -> None:
    if not counting():
        pytest.skip(NO_COUNTERS)
    with _simulating(2):
        cross_device_ops = {"default": None, "nccl": ff.distribute.NcclAllReduce(),
                            "hierarchical": ff.distribute.HierarchicalCopyAllReduce()}[ops]
        strategy = ff.distribute.MirroredStrategy(cross_device_ops=cross_device_ops)
        assert strategy.extended.worker_devices == (_GPU.format(0), _GPU.format(1))
        w, optimizer = _train(strategy)
        assert [c.device for c in w.values] == [_GPU.format(0), _GPU.format(1)]
        lr = float(np.float32(0.1))  # (Keras casts the learning rate through float32)
        expected = np.array([[1.0], [2.0]]) - 2 * lr * np.array([[12.0 / 4], [16.0 / 4]])  # the mean gradient
        for component in w.values:
            np.testing.assert_allclose(component.numpy(), expected, rtol=1e-12)
        assert int(optimizer.iterations.numpy()) == 2
        assert [c.device for c in optimizer.variables[-1].values] == [_GPU.format(0), _GPU.format(1)]


def test_all_reduce_between_gpus_reads_nothing_back(device) -> None:
    if not counting():
        pytest.skip(NO_COUNTERS)
    with _simulating(2):
        strategy = ff.distribute.MirroredStrategy(cross_device_ops=ff.distribute.NcclAllReduce())
        values = strategy.experimental_distribute_values_from_function(
            lambda ctx: ff.constant([1.0, 2.0]) * float(ctx.replica_id_in_sync_group + 1))
        simulated.reset_transfers()
        reduced = strategy.run(lambda v: ff.distribute.get_replica_context().all_reduce("SUM", v), args=(values,))
        assert simulated.transfers()[1] == 0  # nothing read back to the host
        assert [v.device for v in reduced.values] == [_GPU.format(0), _GPU.format(1)]
        assert [v.numpy().tolist() for v in reduced.values] == [[3.0, 6.0], [3.0, 6.0]]


_ONE_WORKER = """
import os, json, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import importlib
tf = importlib.import_module(sys.argv[1])
strategy = tf.distribute.MultiWorkerMirroredStrategy()
resolver = strategy.cluster_resolver
print(type(resolver).__name__, resolver.task_type, resolver.task_id, resolver.cluster_spec())
print(strategy.num_replicas_in_sync, strategy.extended._in_multi_worker_mode(), strategy.extended.should_checkpoint)
print(strategy.reduce("SUM", strategy.run(lambda: tf.constant(2.0)), axis=None))
print(tf.distribute.MultiWorkerMirroredStrategy().cluster_resolver.task_id)
"""


def test_multi_worker_strategy_with_a_one_worker_tf_config_as_tensorflow(device) -> None:
    if importlib.util.find_spec("tensorflow") is None:
        pytest.skip("tensorflow is not installed")
    config = {"cluster": {"worker": ["localhost:12345"]}, "task": {"type": "worker", "index": 0}}
    env = dict(os.environ, TF_CONFIG=json.dumps(config), CUDA_VISIBLE_DEVICES="")
    env.pop("FEATHERFLOW_SIMULATED_GPUS", None)
    runs = [subprocess.Popen([sys.executable, "-c", _ONE_WORKER, module], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env) for module in ("featherflow", "tensorflow")]
    printed = [run.communicate(timeout=120) for run in runs]
    assert runs[0].returncode == 0, printed[0][1]
    assert runs[1].returncode == 0, printed[1][1]
    assert printed[0][0] == printed[1][0]
