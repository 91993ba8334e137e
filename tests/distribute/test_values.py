"""Distributed values, ``ReduceOp``, communication options and ``ReductionToOneDevice``, against real TensorFlow."""

from __future__ import annotations

import subprocess
import sys

import featherflow as ff
from featherflow.distribute.values import Mirrored, PerReplica, regroup, select_replica

from ._support import normalized, outcome, same


def test_per_replica_and_mirrored_print_as_tensorflow(tf_oracle) -> None:
    from tensorflow.python.distribute import values as tf_values

    for ours_class, theirs_class in ((PerReplica, tf_values.PerReplica), (Mirrored, tf_values.Mirrored)):
        for parts in ((1.0, 2.0), ([1, 2],), ("a", "b", "c")):
            ours = ours_class(tuple(ff.constant(p) for p in parts))
            theirs = theirs_class(tuple(tf_oracle.constant(p) for p in parts))
            assert repr(ours) == repr(theirs)
            assert str(ours) == str(theirs)
    assert isinstance(PerReplica((ff.constant(1.0),)), ff.distribute.DistributedValues)
    assert outcome(lambda: ff.distribute.DistributedValues(1)) == outcome(
        lambda: tf_oracle.distribute.DistributedValues(1))


def test_per_replica_is_a_composite_of_its_values() -> None:
    from featherflow._tensorflow.python.framework.composite_tensor import CompositeTensor

    value = PerReplica((ff.constant([1.0]), ff.constant([2.0])))
    assert isinstance(value, CompositeTensor)
    assert repr(value._type_spec) == ("PerReplicaSpec(TensorSpec(shape=(1,), dtype=tf.float32, name=None), "
                                      "TensorSpec(shape=(1,), dtype=tf.float32, name=None))")
    flat = ff.nest.flatten({"x": value}, expand_composites=True)
    assert [t.numpy().tolist() for t in flat] == [[1.0], [2.0]]
    rebuilt = ff.nest.pack_sequence_as({"x": value}, flat, expand_composites=True)["x"]
    assert type(rebuilt) is PerReplica and rebuilt.values == value.values


def test_mirrored_reads_its_primary_value() -> None:
    value = Mirrored((ff.constant([1.0, 2.0]), ff.constant([1.0, 2.0])))
    assert (value + 1).numpy().tolist() == [2.0, 3.0]
    assert value.shape == ff.TensorShape([2]) and value.dtype == ff.float32
    assert ff.convert_to_tensor(value).numpy().tolist() == [1.0, 2.0]
    assert ff.reduce_sum(value).numpy() == 3.0


def test_regroup_and_select_replica() -> None:
    a, b = ff.constant(1.0), ff.constant(2.0)
    grouped = regroup([{"x": a, "y": (a, 1)}, {"x": b, "y": (a, 1)}])
    assert type(grouped["x"]) is PerReplica and grouped["x"].values == (a, b)
    assert grouped["y"][0] is a and grouped["y"][1] == 1
    assert select_replica(1, grouped)["x"] is b
    assert regroup([a]) is a
    assert type(regroup([a], Mirrored, always_wrap=True)) is Mirrored


def _reduce_op(tf):
    op = tf.distribute.ReduceOp
    aggregation = tf.VariableAggregation
    return [outcome(lambda: list(op)), outcome(lambda: op("SUM")), outcome(lambda: op("sum")),
            outcome(lambda: op.from_variable_aggregation(aggregation.SUM)),
            outcome(lambda: op.from_variable_aggregation(aggregation.MEAN)),
            outcome(lambda: op.from_variable_aggregation(aggregation.NONE)),
            outcome(lambda: op.from_variable_aggregation(aggregation.ONLY_FIRST_REPLICA)),
            outcome(lambda: op.from_variable_aggregation("sum"))]


def test_reduce_op_as_tensorflow(tf_oracle) -> None:
    same(_reduce_op, ff, tf_oracle)


def _options(tf):
    options, implementation = tf.distribute.experimental.CommunicationOptions, \
        tf.distribute.experimental.CommunicationImplementation

    def fields(o):
        return o.bytes_per_pack, o.timeout_seconds, o.implementation

    base = options(bytes_per_pack=4, timeout_seconds=3.0)
    return [outcome(lambda: list(implementation)),
            outcome(lambda: tf.distribute.experimental.CollectiveCommunication is implementation),
            outcome(lambda: fields(options())), outcome(lambda: fields(options(implementation="nccl"))),
            outcome(lambda: fields(options(32, 5, implementation.RING))),
            outcome(lambda: options(implementation="foo")), outcome(lambda: options(implementation=3)),
            outcome(lambda: options(bytes_per_pack=-1)),
            outcome(lambda: fields(base.merge(options(implementation="ring")))),
            outcome(lambda: fields(base.merge(None))), outcome(lambda: str(base)),
            outcome(lambda: list(tf.distribute.InputReplicationMode)),
            outcome(lambda: tf.distribute.InputOptions()),
            outcome(lambda: tf.distribute.InputOptions(experimental_fetch_to_device=False)),
            outcome(lambda: tf.distribute.RunOptions()),
            outcome(lambda: str(tf.distribute.InputContext(2, 1, 4))),
            outcome(lambda: tf.distribute.InputContext(2, 1, 4).get_per_replica_batch_size(8)),
            outcome(lambda: tf.distribute.InputContext(2, 1, 4).get_per_replica_batch_size(7)),
            outcome(lambda: str(tf.distribute.experimental.ValueContext(1, 2)))]


def test_options_and_contexts_as_tensorflow(tf_oracle) -> None:
    same(_options, ff, tf_oracle)


def _reduction_to_one_device_on_one_device(tf, per_replica, mirrored):
    ops = tf.distribute.ReductionToOneDevice()
    a, b = tf.constant([1.0, 2.0]), tf.constant([3.0, 5.0])
    pr = per_replica((a, b))
    slices = per_replica((tf.IndexedSlices(tf.constant([[1.0]]), tf.constant([0]), tf.constant([2, 1])),
                          tf.IndexedSlices(tf.constant([[2.0]]), tf.constant([1]), tf.constant([2, 1]))))

    SUM, MEAN = tf.distribute.ReduceOp.SUM, tf.distribute.ReduceOp.MEAN
    return [outcome(lambda: ops.reduce(SUM, pr, destinations="/cpu:0")),
            outcome(lambda: type(ops.reduce(SUM, pr, destinations="/cpu:0")).__name__ == "Mirrored"),
            outcome(lambda: type(ops.reduce(SUM, pr, destinations=mirrored((a, b)))).__name__ == "Mirrored"),
            outcome(lambda: ops.reduce(MEAN, pr, destinations="/cpu:0")),
            outcome(lambda: ops.reduce("SUM", pr, destinations="/cpu:0")),
            outcome(lambda: ops.reduce(MEAN, per_replica((tf.constant([1, 2]), tf.constant([2, 2]))), "/cpu:0")),
            outcome(lambda: ops.reduce(SUM, a, destinations="/cpu:0")),
            outcome(lambda: ops.reduce(SUM, pr, destinations="")),
            outcome(lambda: ops.reduce(SUM, pr, destinations=3)),
            outcome(lambda: ops.batch_reduce(SUM, [(pr, "/cpu:0"), (pr, a)])),
            outcome(lambda: ops.batch_reduce(MEAN, [(a, a)])),
            outcome(lambda: ops.broadcast(a, "/cpu:0")),
            outcome(lambda: type(ops.reduce(MEAN, slices, "/cpu:0")).__name__ == "IndexedSlices"),
            outcome(lambda: tf.convert_to_tensor(ops.reduce(MEAN, slices, "/cpu:0"))),
            outcome(lambda: ops._gather(pr, "/cpu:0", axis=0)),
            outcome(lambda: tf.distribute.ReductionToOneDevice(accumulation_fn=tf.math.add_n).reduce(
                SUM, pr, destinations=mirrored((a, a))))]


def test_reduction_to_one_device_as_tensorflow(tf_oracle) -> None:
    from tensorflow.python.distribute import values as tf_values

    ours = _reduction_to_one_device_on_one_device(ff, PerReplica, Mirrored)
    theirs = _reduction_to_one_device_on_one_device(tf_oracle, tf_values.PerReplica, tf_values.Mirrored)
    assert ours == theirs


# Over two logical CPUs: configured before the runtime starts, so in a fresh process under each
_TWO_CPUS = """
import sys
if sys.argv[1] == "tensorflow":
    import tensorflow as tf
    from tensorflow.python.distribute.values import PerReplica, Mirrored
else:
    import featherflow as tf
    from featherflow.distribute.values import PerReplica, Mirrored
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
with tf.device("/cpu:0"):
    a = tf.constant([1.0, 2.0])
with tf.device("/cpu:1"):
    b = tf.constant([3.0, 4.0])
    slices = tf.IndexedSlices(tf.constant([[1.0, 1.0]]), tf.constant([1]), tf.constant([3, 2]))
pr = PerReplica((a, b))
ops = tf.distribute.ReductionToOneDevice()


def parts(out):
    values = out.values if type(out).__name__ == "Mirrored" else (out,)
    return type(out).__name__ == "Mirrored", [(v.device, v.numpy().tolist()) for v in values]


for destinations in ("/cpu:0", "/cpu:1", Mirrored((a, b)), b):
    for op in tf.distribute.ReduceOp:
        out = ops.reduce(op, pr, destinations)
        print(parts(out))
out = tf.distribute.ReductionToOneDevice(reduce_to_device="/cpu:1").reduce(tf.distribute.ReduceOp.SUM, pr, "/cpu:0")
print(parts(out))
print(parts(ops.broadcast(a, Mirrored((a, b)))), parts(ops.broadcast(b, "/cpu:0")))
print(parts(ops._gather(pr, "/cpu:1", axis=0)))
out = ops.batch_reduce(tf.distribute.ReduceOp.SUM, [(pr, a), (PerReplica((a, a)), Mirrored((a, b)))])
print([parts(o) for o in out])
out = ops.reduce(tf.distribute.ReduceOp.SUM, PerReplica((tf.IndexedSlices(a[None], tf.constant([0]), tf.constant([3, 2])), slices)), "/cpu:1")
print(type(out).__name__, out.values.device, tf.convert_to_tensor(out).numpy().tolist())
"""


def test_reduction_to_one_device_across_two_logical_cpus_as_tensorflow() -> None:
    import pytest

    pytest.importorskip("tensorflow")
    printed = {}
    for which in ("tensorflow", "featherflow"):
        done = subprocess.run([sys.executable, "-c", _TWO_CPUS, which], capture_output=True, text=True, timeout=300,
                              env={"TF_CPP_MIN_LOG_LEVEL": "3", **__import__("os").environ})
        assert done.returncode == 0, done.stderr[-3000:]
        printed[which] = normalized(done.stdout)
    assert printed["featherflow"] == printed["tensorflow"]
    assert "CPU:1" in printed["featherflow"]
