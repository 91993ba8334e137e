"""What a worker of an MPI job sees: its task, the job's size, the replicas, the collectives (written as JSON
to argv[1]/worker-<rank>.json for the test to compare)."""

import json
import os
import sys

import featherflow as tf


def main(directory):
    before = "mpi4py" in sys.modules
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    resolver, extended = strategy.cluster_resolver, strategy.extended
    rank = resolver.task_id
    with strategy.scope():
        v = tf.Variable(float(rank) + 10.0)  # the chief's value wins
    context_ids = strategy.run(lambda: tf.distribute.get_replica_context().replica_id_in_sync_group)
    total = strategy.reduce("SUM", strategy.run(lambda: tf.constant([1.0, 2.0]) * float(rank + 1)), axis=None)
    mean = strategy.reduce("MEAN", tf.constant(float(rank)), axis=None)
    int_mean = strategy.extended.reduce_to("MEAN", tf.constant([rank, 2 * rank], tf.int64), "/cpu:0")
    gathered = strategy.gather(tf.fill([rank + 1, 2], rank), axis=0)
    all_gathered = strategy.run(
        lambda: tf.distribute.get_replica_context().all_gather(tf.constant([rank, rank]), axis=0))
    grads = strategy.run(lambda: tf.distribute.get_replica_context().all_reduce(
        "SUM", [tf.constant(float(rank)), tf.ones([3]) * rank, tf.constant([rank], tf.int64)]))
    ds = tf.data.Dataset.range(2 * 8).batch(8)
    data = [b.numpy().tolist() for b in strategy.experimental_distribute_dataset(ds)]
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.OFF
    off = [b.numpy().tolist() for b in strategy.experimental_distribute_dataset(ds.with_options(options))]
    with open(os.path.join(directory, f"worker-{rank}.json"), "w") as f:
        json.dump({
            "mpi4py_before_strategy": before, "task_type": resolver.task_type, "task_id": rank,
            "num_workers": resolver.num_workers, "multi_worker": extended._in_multi_worker_mode(),
            "replicas": strategy.num_replicas_in_sync, "chief": extended.should_checkpoint, "v": float(v.numpy()),
            "replica_id": int(context_ids), "sum": total.numpy().tolist(), "mean": float(mean),
            "int_mean": [int_mean.dtype.name, int_mean.device, int_mean.numpy().tolist()],
            "gather": gathered.numpy().tolist(), "all_gather": all_gathered.numpy().tolist(),
            "all_reduce": [g.numpy().tolist() for g in grads], "data": data, "off": off}, f)


if __name__ == "__main__":
    main(sys.argv[1])
