"""``MirroredStrategy`` over two logical CPUs, its distributed variables, optimizers under it, checkpoints of
distributed variables and the one-worker ``MultiWorkerMirroredStrategy``: each cell runs under real TensorFlow
(in a fresh process, where the logical CPUs are configured before its runtime starts) and under featherflow
(in a fresh runtime here), and prints the same."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

import featherflow as ff
from featherflow.device_config import _fresh_runtime
from tests._cells import run_cells

from ._support import normalized

SETUP = """
import os, numpy as np
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
def rid():
    return tf.cast(tf.distribute.get_replica_context().replica_id_in_sync_group, tf.float32)
def attempt(f):
    try:
        r = f()
        print(repr(r))
    except Exception as e:
        print(type(e).__name__, str(e).splitlines()[0][:150])
"""

CELLS = {
    "properties": """
print(strategy.extended.worker_devices, strategy.num_replicas_in_sync)
print(type(strategy.extended._cross_device_ops).__name__, strategy.extended._in_multi_worker_mode())
print(tf.distribute.MirroredStrategy().extended.worker_devices)
print(tf.distribute.MirroredStrategy(["/cpu:0"]).extended.worker_devices)
print(strategy.run(lambda: (tf.constant(1.0).device, rid())))
""",
    "variables": """
with strategy.scope():
    v = tf.Variable(1.0)
    w = tf.Variable([1.0, 2.0], name="w", aggregation=tf.VariableAggregation.MEAN)
    r = tf.Variable(0.0, synchronization=tf.VariableSynchronization.ON_READ, aggregation=tf.VariableAggregation.SUM)
print(repr(v)); print(w); print(repr(r))
print(isinstance(v, tf.Variable), v.name, v.device, [c.name for c in w.values], [c.device for c in w.values])
print(v.aggregation, v.synchronization, r.synchronization, r.aggregation, v.trainable, r.trainable)
attempt(lambda: tf.Variable(1, aggregation=tf.VariableAggregation.MEAN))
with strategy.scope():
    attempt(lambda: tf.Variable(1, aggregation=tf.VariableAggregation.MEAN))
print(repr(v + 1), repr(v.read_value()), float(v))
""",
    "updates": """
with strategy.scope():
    v = tf.Variable(1.0)
    m = tf.Variable(1.0, aggregation=tf.VariableAggregation.MEAN)
    s = tf.Variable(1.0, aggregation=tf.VariableAggregation.SUM)
    f = tf.Variable(1.0, aggregation=tf.VariableAggregation.ONLY_FIRST_REPLICA)
    r = tf.Variable(4.0, synchronization=tf.VariableSynchronization.ON_READ, aggregation=tf.VariableAggregation.SUM)
    q = tf.Variable(4.0, synchronization=tf.VariableSynchronization.ON_READ, aggregation=tf.VariableAggregation.MEAN)
print(repr(v.assign(3.0)))
attempt(lambda: v.assign_add(strategy.run(lambda: rid())))
print(v.values)
print(repr(strategy.run(lambda: m.assign(rid() + 1.0))), m.values)
print(repr(strategy.run(lambda: s.assign_add(rid() + 1.0))), s.values)
print(repr(strategy.run(lambda: f.assign(rid() + 7.0))), f.values)
print(repr(strategy.run(lambda: v.assign(rid() + 5.0))), v.values)
print(repr(r.read_value()), r.numpy(), repr(q.value()))
attempt(lambda: r.assign_add(1.0))
print(repr(r.assign(4.0)), r.values)
strategy.run(lambda: (r.assign_add(rid() + 1.0), q.assign_sub(rid())))
print(r.values, repr(r.read_value()), repr(q.read_value()), q.assign_add(1.0))
print(strategy.run(lambda: r.read_value()))
print(strategy.experimental_local_results(v))
""",
    "replica_context": """
def merged():
    ctx = tf.distribute.get_replica_context()
    x = rid() + 1.0
    def merge_fn(strategy_, value):
        print("merge", type(value).__name__, tf.distribute.in_cross_replica_context(), strategy_ is strategy)
        return strategy_.reduce("SUM", value, axis=None)
    y = ctx.merge_call(merge_fn, args=(x,))
    return y * x, ctx.all_gather(tf.reshape(x, [1]), 0), ctx.all_reduce("MEAN", x), ctx.all_reduce("SUM", [x, 2 * x])
print(strategy.run(merged))
per_replica = strategy.run(lambda: tf.reshape(rid(), [1]) + tf.constant([1.0, 2.0]))
print(strategy.gather(per_replica, 0), strategy.reduce("MEAN", per_replica, axis=0))
print(strategy.reduce("SUM", per_replica, axis=None), strategy.experimental_local_results(per_replica))
def grads():
    x = tf.constant(2.0) + rid()
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.distribute.get_replica_context().all_reduce("SUM", x * x)
    return tape.gradient(y, x)
print(strategy.run(grads))
print(strategy.experimental_distribute_values_from_function(lambda ctx: ctx.replica_id_in_sync_group + 1))
""",
    "cross_device_ops": """
for ops in [tf.distribute.HierarchicalCopyAllReduce(), tf.distribute.NcclAllReduce(), tf.distribute.ReductionToOneDevice()]:
    s = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"], cross_device_ops=ops)
    print(type(ops).__name__, s.reduce("SUM", s.run(lambda: tf.constant([1.0, 2.0]) * (rid() + 1)), axis=None))
    try:  # (TF lists the NCCL op's attributes in no fixed order)
        print(s.run(lambda: tf.distribute.get_replica_context().all_reduce("SUM", rid())))
    except Exception as e:
        print(type(e).__name__, str(e).split(" with these attrs")[0])
""",
    "dataset": """
for b in strategy.experimental_distribute_dataset(tf.data.Dataset.range(10).batch(5)):
    print(b)
dist = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices(np.arange(12.0).reshape(6, 2)).batch(3))
print([strategy.reduce("SUM", strategy.run(lambda x: tf.reduce_sum(x), args=(b,)), axis=None).numpy() for b in dist])
def dataset_fn(ctx):
    print(ctx.num_input_pipelines, ctx.input_pipeline_id, ctx.num_replicas_in_sync, ctx.get_per_replica_batch_size(4))
    return tf.data.Dataset.range(8).batch(2)
from_function = strategy.distribute_datasets_from_function(dataset_fn)
for b in from_function:
    print(b)
print(from_function.element_spec, dist.element_spec)
""",
    "errors": """
attempt(lambda: tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:0"]))
attempt(lambda: tf.distribute.MirroredStrategy("/cpu:1"))
print(tf.distribute.MirroredStrategy([]).extended.worker_devices)
attempt(lambda: tf.distribute.HierarchicalCopyAllReduce(num_packs=-1))
attempt(lambda: tf.distribute.NcclAllReduce(-1))
attempt(lambda: tf.distribute.MultiWorkerMirroredStrategy(communication_options=3))
print(strategy.extended.variable_created_in_scope(tf.Variable(1.0)))
with strategy.scope():
    v = tf.Variable(1.0)
    r = tf.Variable(1.0, synchronization=tf.VariableSynchronization.ON_READ, aggregation=tf.VariableAggregation.MEAN)
    i = tf.Variable(1, aggregation=tf.VariableAggregation.SUM)
    n = tf.Variable(1.0, synchronization=tf.VariableSynchronization.ON_READ)
attempt(lambda: r.scatter_add(tf.IndexedSlices(tf.constant([1.0]), tf.constant([0]))))
attempt(lambda: n.read_value())
attempt(lambda: strategy.run(lambda: i.assign(2)))
attempt(lambda: strategy.run(lambda: v.assign(1.0, read_value=False)))
attempt(lambda: v.assign(2.0, read_value=False))
attempt(lambda: strategy.run(lambda: tf.distribute.get_replica_context().devices))
attempt(lambda: strategy.run(lambda: tf.Variable(3.0)))
for f in [float, int, bool, complex, len, hash]:
    attempt(lambda: f(v))
for values in [lambda: [tf.constant(1), tf.constant(2)], lambda: [tf.constant(1), tf.constant(2.0)], lambda: tf.constant(3)]:
    attempt(lambda: strategy.run(lambda: tf.distribute.get_replica_context().all_reduce("SUM", values())))
""",
    "keras": """
tf.keras.utils.set_random_seed(1)
with strategy.scope():
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2, kernel_initializer="ones"),
                                 tf.keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.01), loss="mse")
X, Y = np.arange(24, dtype="float32").reshape(8, 3) / 10, np.ones((8, 1), "float32")
print(model.fit(X, Y, batch_size=4, epochs=2, verbose=0, shuffle=False).history)
print(model.evaluate(X, Y, verbose=0), model.predict(X, verbose=0)[:2].tolist())
print([w.numpy().ravel().tolist() for w in model.weights], type(model.weights[0].value).__name__)
""",
    "central_storage": """
central = tf.distribute.experimental.CentralStorageStrategy(compute_devices=["/cpu:0", "/cpu:1"], parameter_device="/cpu:0")
print(type(central).__name__, central.num_replicas_in_sync, central.extended.worker_devices)
print(central.extended.parameter_devices, type(central.extended).__name__)
print(tf.distribute.experimental.CentralStorageStrategy().extended.parameter_devices)
with central.scope():
    v = tf.Variable(1.0)
    m = tf.Variable(1.0, aggregation=tf.VariableAggregation.MEAN)
    r = tf.Variable(0.0, synchronization=tf.VariableSynchronization.ON_READ, aggregation=tf.VariableAggregation.SUM)
print(repr(v), repr(m), type(v).__name__, type(r).__name__, v.device, r.trainable)
print(central.run(lambda: ((v * 2).device, rid())))
print(repr(central.run(lambda: m.assign_add(rid() + 1))), m.numpy())
attempt(lambda: central.run(lambda: v.assign_add(rid() + 1)))
print(repr(central.run(lambda: r.assign_add(rid() + 1))), repr(r.read_value()), repr(v.assign(5.0)))
print(central.reduce("SUM", central.run(lambda: rid()), axis=None))
for b in central.experimental_distribute_dataset(tf.data.Dataset.range(6).batch(3)):
    print(b)
""",
    "multi_worker": """
os.environ.pop("TF_CONFIG", None)
mw = tf.distribute.MultiWorkerMirroredStrategy()
res = mw.cluster_resolver
print(type(mw).__name__, type(res).__name__, res.task_type, res.task_id, res.cluster_spec().as_dict())
print(mw.extended._in_multi_worker_mode(), mw.num_replicas_in_sync, mw.extended.worker_devices)
print(type(mw.extended._cross_device_ops).__name__, isinstance(mw, tf.distribute.MirroredStrategy))
print(isinstance(mw, tf.distribute.experimental.MultiWorkerMirroredStrategy), tf.distribute.experimental.MultiWorkerMirroredStrategy.__name__)
print(mw.extended.should_checkpoint, mw.extended.experimental_should_init, mw.extended.experimental_between_graph)
print(mw.reduce("SUM", mw.run(lambda: tf.constant(2.0)), axis=None))
with mw.scope():
    print(repr(tf.Variable(1.0)))
os.environ["TF_CONFIG"] = '{"cluster": {"worker": ["localhost:12345"]}, "task": {"type": "worker", "index": 0}}'
attempt(lambda: tf.distribute.experimental.MultiWorkerMirroredStrategy())  # a cluster after the runtime started
os.environ.pop("TF_CONFIG")
""",
}

TRAIN = """
rng = np.random.RandomState(0)
X, Y = rng.randn(8, 3), rng.randn(8, 1)
optimizers = tf.keras.optimizers if tf.__name__ == "tensorflow" else tf.optimizers
results = {}
central = tf.distribute.experimental.CentralStorageStrategy(["/cpu:0", "/cpu:1"])
for make, strat in [(lambda: optimizers.SGD(0.1, momentum=0.9), strategy), (lambda: optimizers.Adam(0.01), strategy),
                       (lambda: optimizers.SGD(0.1, momentum=0.9), central), (lambda: optimizers.Adam(0.01), central)]:
    with strat.scope():
        w = tf.Variable(rng.randn(3, 1), name="w")
        b = tf.Variable(np.zeros(1), name="b")
        opt = make()
    dataset = strat.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices((X, Y)).batch(4))
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.nn.compute_average_loss(tf.reduce_sum((tf.matmul(x, w) + b - y) ** 2, axis=1), global_batch_size=4)
        opt.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
        return loss
    for epoch in range(3):
        for x, y in dataset:
            loss = strat.reduce("SUM", strat.run(step, args=(x, y)), axis=None)
    key = type(strat).__name__ + "/" + type(opt).__name__
    local = strat.experimental_local_results
    results[key] = [loss.numpy().tolist()] + [c.numpy().ravel().tolist() for c in local(w) + local(b)]
    results[key].append(int(opt.iterations.numpy()))
print(repr(results))
"""

CHECKPOINT = """
with strategy.scope():
    v = tf.Variable([1.0, 2.0], name="v")
    r = tf.Variable(0.0, synchronization=tf.VariableSynchronization.ON_READ, aggregation=tf.VariableAggregation.SUM)
strategy.run(lambda: r.assign_add(rid() + 1.0))
path = tf.train.Checkpoint(v=v, r=r).write(os.path.join(os.environ["CKPT_DIR"], "ckpt"))
print(tf.train.list_variables(path), tf.train.load_variable(path, "r/.ATTRIBUTES/VARIABLE_VALUE"))
with strategy.scope():
    v2 = tf.Variable([0.0, 0.0], name="v")
    r2 = tf.Variable(0.0, synchronization=tf.VariableSynchronization.ON_READ, aggregation=tf.VariableAggregation.SUM)
tf.train.Checkpoint(v=v2, r=r2).read(path)
print(v2.values, r2.values, repr(r2.read_value()))
"""

_ORACLE = """
import os, sys, importlib
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
tf = importlib.import_module(sys.argv[1])
from tests._cells import run_cells
cells = eval(sys.stdin.read())
print(repr(run_cells(tf, cells[1:], setup=cells[0])))
"""

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def tensorflow_printed(tmp_path_factory) -> dict:
    """What TF printed for every cell, from one fresh process with two logical CPUs."""
    if importlib.util.find_spec("tensorflow") is None:
        pytest.skip("tensorflow is not installed")
    groups = {**CELLS, "train": TRAIN, "checkpoint": CHECKPOINT}
    directory = tmp_path_factory.mktemp("tf_checkpoint")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CKPT_DIR=str(directory), CUDA_VISIBLE_DEVICES="")
    env.pop("TF_CONFIG", None)
    done = subprocess.run([sys.executable, "-c", _ORACLE, "tensorflow"], input=repr([SETUP, *groups.values()]), capture_output=True,
                          text=True, cwd=_ROOT, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    printed = dict(zip(groups, eval(done.stdout.strip().splitlines()[-1])))  # noqa: S307 - strings we printed
    return {"cells": printed, "checkpoint_dir": str(directory)}


def _ours(cell: str, tmp_path=None) -> str:
    os.environ.pop("TF_CONFIG", None)
    if tmp_path is not None:
        os.environ["CKPT_DIR"] = str(tmp_path)
    try:
        with _fresh_runtime():
            return run_cells(ff, [cell], setup=SETUP)[0]
    finally:
        os.environ.pop("CKPT_DIR", None)


def _ours_in_a_fresh_process(cell: str) -> str:
    """Keras on featherflow needs a process where real TensorFlow was never imported (the oracle tests import it)."""
    env = dict(os.environ)
    env.pop("TF_CONFIG", None)
    done = subprocess.run([sys.executable, "-c", _ORACLE, "featherflow"], input=repr([SETUP, cell]),
                          capture_output=True, text=True, cwd=_ROOT, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    return eval(done.stdout.strip().splitlines()[-1])[0]  # noqa: S307 - a list of strings we printed


@pytest.mark.parametrize("name", list(CELLS))
def test_mirrored_strategy_cells_as_tensorflow(tensorflow_printed, name) -> None:
    ours = _ours_in_a_fresh_process(CELLS[name]) if name == "keras" else _ours(CELLS[name])
    assert normalized(ours) == normalized(tensorflow_printed["cells"][name])


def test_training_step_over_two_replicas_gives_tensorflows_weights(tensorflow_printed) -> None:
    theirs = eval(tensorflow_printed["cells"]["train"])  # noqa: S307 - a dict we printed
    ours = eval(_ours(TRAIN))  # noqa: S307
    names = ["MirroredStrategy/SGD", "MirroredStrategy/Adam", "CentralStorageStrategy/SGD",
             "CentralStorageStrategy/Adam"]
    assert list(ours) == names and list(theirs) == names
    for name in ours:
        *values, iterations = ours[name]
        *expected, their_iterations = theirs[name]
        assert iterations == their_iterations == 6
        assert len(values) == len(expected) == (5 if name.startswith("Mirrored") else 3)
        for a, b in zip(values, expected):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)
        if name.startswith("Mirrored"):
            assert values[1] == values[2]  # the replicas' components stay the same


def test_checkpoint_of_distributed_variables_is_tensorflows_file(tensorflow_printed, tmp_path) -> None:
    ours = _ours(CHECKPOINT, tmp_path)
    assert normalized(ours) == normalized(tensorflow_printed["cells"]["checkpoint"])
    theirs = tensorflow_printed["checkpoint_dir"]
    for suffix in (".index", ".data-00000-of-00001"):
        with open(os.path.join(theirs, "ckpt" + suffix), "rb") as a, open(tmp_path / ("ckpt" + suffix), "rb") as b:
            assert a.read() == b.read(), suffix


def test_multi_worker_cluster_without_an_mpi_launch_is_refused(monkeypatch) -> None:
    monkeypatch.setenv("TF_CONFIG", '{"cluster": {"worker": ["a:1", "b:2"]}, "task": {"type": "worker", "index": 1}}')
    with pytest.raises(RuntimeError, match="mpiexec"):
        ff.distribute.MultiWorkerMirroredStrategy()
    resolver = ff.distribute.cluster_resolver.TFConfigClusterResolver()
    assert (resolver.task_type, resolver.task_id, resolver.master()) == ("worker", 1, "b:2")
    assert repr(resolver.cluster_spec()) == "ClusterSpec({'worker': ['a:1', 'b:2']})"


def test_merge_call_in_some_replicas_only_is_an_error() -> None:
    with _fresh_runtime():
        cpu = ff.config.list_physical_devices("CPU")[0]
        ff.config.set_logical_device_configuration(cpu, [ff.config.LogicalDeviceConfiguration()] * 2)
        strategy = ff.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])

        def fn():
            if int(ff.distribute.get_replica_context().replica_id_in_sync_group) == 0:
                ff.distribute.get_replica_context().merge_call(lambda s: None)
            return 1

        with pytest.raises(RuntimeError, match="different number of replica_context"):
            strategy.run(fn)

        def raising():
            ctx = ff.distribute.get_replica_context()
            ctx.merge_call(lambda s: None)
            if int(ctx.replica_id_in_sync_group) == 1:
                raise KeyError("replica 1")
            return ctx.merge_call(lambda s: 2)

        with pytest.raises(KeyError, match="replica 1"):
            strategy.run(raising)
        assert strategy.run(lambda: 3) == 3  # the strategy runs again after a failed run
