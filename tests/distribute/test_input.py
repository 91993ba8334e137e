"""Distributed datasets: ``experimental_distribute_dataset`` and ``distribute_datasets_from_function`` under the
default strategy and ``OneDeviceStrategy``, against real TensorFlow; several replicas split each batch."""

from __future__ import annotations

import featherflow as ff
from featherflow.distribute.input_lib import DistributedDataset, InputWorkers
from featherflow.distribute.values import PerReplica

from ._support import outcome, same


def _distributed_datasets(tf):
    steps = []
    seen = []

    def dataset_fn(ctx):
        seen.append((str(ctx), ctx.num_input_pipelines, ctx.input_pipeline_id, ctx.num_replicas_in_sync,
                     ctx.get_per_replica_batch_size(8)))
        return tf.data.Dataset.range(5).batch(2)

    for strategy in (tf.distribute.get_strategy(), tf.distribute.OneDeviceStrategy("/cpu:0")):
        dataset = tf.data.Dataset.from_tensor_slices({"x": [[1.0], [2.0], [3.0]], "y": [1, 2, 3]}).batch(2)
        distributed = strategy.experimental_distribute_dataset(dataset)
        steps += [outcome(lambda d=distributed: isinstance(d, tf.distribute.DistributedDataset)),
                  outcome(lambda d=distributed: list(d)), outcome(lambda d=distributed: d.element_spec)]
        iterator = iter(distributed)
        steps += [outcome(lambda i=iterator: isinstance(i, tf.distribute.DistributedIterator)),
                  outcome(lambda i=iterator: next(i)), outcome(lambda i=iterator: i.get_next()),
                  outcome(lambda i=iterator: i.get_next_as_optional().has_value()),
                  outcome(lambda i=iterator: next(i))]
        from_function = strategy.distribute_datasets_from_function(dataset_fn)
        steps += [outcome(lambda d=from_function: list(d)), outcome(lambda d=from_function: d.element_spec),
                  outcome(lambda d=from_function: isinstance(d, tf.distribute.DistributedDataset))]
        steps.append(outcome(lambda d=distributed, s=strategy: [s.run(lambda b: b["x"] * 2, args=(b,)) for b in d]))
        if strategy is not tf.distribute.get_strategy():  # the default strategy hands back the dataset itself
            steps += [outcome(lambda d=distributed: d.cardinality), outcome(lambda d=from_function: d.cardinality),
                      outcome(lambda d=distributed: d.reduce(tf.constant(0), lambda s, b: s + tf.reduce_sum(b["y"]))),
                      outcome(lambda d=distributed: iter(d).next())]
    per_replica = tf.distribute.InputOptions(experimental_replication_mode=tf.distribute.InputReplicationMode.PER_REPLICA)
    one = tf.distribute.OneDeviceStrategy("/cpu:0")
    steps += [outcome(lambda: one.experimental_distribute_dataset(tf.data.Dataset.range(2), per_replica)),
              outcome(lambda: one.distribute_datasets_from_function(dataset_fn, per_replica)),
              outcome(lambda: list(one.experimental_distribute_dataset(
                  tf.data.Dataset.range(3), tf.distribute.InputOptions(experimental_fetch_to_device=False))))]
    return steps + [outcome(lambda: seen)]


def test_distributed_datasets_as_tensorflow(tf_oracle) -> None:
    same(_distributed_datasets, ff, tf_oracle)


def test_an_exhausted_distributed_iterator() -> None:
    strategy = ff.distribute.OneDeviceStrategy("/cpu:0")
    iterator = iter(strategy.experimental_distribute_dataset(ff.data.Dataset.range(1)))
    next(iterator)
    assert outcome(iterator.get_next) == ("raised", "OutOfRangeError", "End of sequence")
    assert not iterator.get_next_as_optional().has_value().numpy()
    assert outcome(lambda: next(iterator)) == ("raised", "StopIteration", "")


def test_several_replicas_split_each_batch_as_evenly_as_possible() -> None:
    devices = ("/job:localhost/replica:0/task:0/device:CPU:0", "/job:localhost/replica:0/task:0/device:CPU:0")
    dataset = ff.data.Dataset.from_tensor_slices({"x": ff.range(5)}).batch(5)
    distributed = DistributedDataset(dataset, InputWorkers([(devices[0], devices)]), ff.distribute.get_strategy())
    (element,) = list(distributed)
    assert type(element["x"]) is PerReplica
    assert [v.numpy().tolist() for v in element["x"].values] == [[0, 1, 2], [3, 4]]
    assert repr(distributed.element_spec) == ("{'x': PerReplicaSpec(TensorSpec(shape=(None,), dtype=tf.int32, "
                                              "name=None), TensorSpec(shape=(None,), dtype=tf.int32, name=None))}")
