"""The collectives of a worker whose local devices are (simulated) GPUs, argv[2] the CommunicationImplementation
(AUTO, NCCL or RING): what they compute, where the results live, and how many host<->device copies they made
(written as JSON to argv[1]/gpus-<rank>.json for the test to compare)."""

import json
import os
import sys

import featherflow as tf
from featherflow.backends import simulated


def main(directory, implementation):
    options = tf.distribute.experimental.CommunicationOptions(implementation=implementation)
    strategy = tf.distribute.MultiWorkerMirroredStrategy(communication_options=options)
    rank = strategy.cluster_resolver.task_id
    local = len(tf.config.list_logical_devices("GPU"))
    with strategy.scope():
        v = tf.Variable(tf.fill([3], float(rank) + 10.0))  # the chief's value wins
        counter = tf.Variable(rank + 5, dtype=tf.int64)

    def values(ctx):
        replica = ctx.replica_id_in_sync_group
        return [tf.constant([1.0, 2.0]) * float(replica + 1), tf.constant([replica], tf.int64),
                tf.constant([complex(replica, 1)], tf.complex64), tf.constant([0.5], tf.float16) * replica,
                tf.constant([replica], tf.int16)]

    per_replica = strategy.experimental_distribute_values_from_function(values)
    summed = strategy.reduce("SUM", per_replica, axis=None)
    mean = strategy.reduce("MEAN", per_replica[0], axis=None)
    simulated.reset_transfers()  # from GPUs to GPUs: with NCCL, no copy through the host
    replica_sums = strategy.run(lambda xs: tf.distribute.get_replica_context().all_reduce("SUM", xs[:4]),
                                args=(per_replica,))
    replica_gathered = strategy.run(lambda x: tf.distribute.get_replica_context().all_gather(x, axis=0),
                                    args=(per_replica[1],))
    transfers = simulated.transfers()
    gathered = strategy.gather(strategy.experimental_distribute_values_from_function(
        lambda ctx: tf.fill([ctx.replica_id_in_sync_group + 1, 2], ctx.replica_id_in_sync_group)), axis=0)

    def embedding_grad():
        table = tf.constant([[1.0], [2.0], [3.0]])
        with tf.GradientTape() as tape:
            tape.watch(table)
            loss = tf.reduce_sum(tf.gather(table, [rank % 3]))
        return tape.gradient(loss, table)

    slices = strategy.reduce("SUM", strategy.run(embedding_grad), axis=None)
    with open(os.path.join(directory, f"gpus-{rank}.json"), "w") as f:
        json.dump({
            "nccl": strategy.extended._collective_ops._nccl is not None, "local": local,
            "replicas": strategy.num_replicas_in_sync, "v": v.numpy().tolist(), "counter": int(counter.numpy()),
            "v_devices": [c.device for c in v.values],
            "sum": [s.numpy().real.tolist() if s.dtype.is_complex else s.numpy().tolist() for s in summed],
            "sum_imag": summed[2].numpy().imag.tolist(), "sum_dtypes": [s.dtype.name for s in summed],
            "sum_devices": [s.device for s in summed], "mean": mean.numpy().tolist(),
            "replica_sums": [[c.numpy().real.tolist() for c in strategy.experimental_local_results(s)]
                             for s in replica_sums[:2]],
            "replica_devices": [c.device for c in strategy.experimental_local_results(replica_sums[0])],
            "replica_gathered": [c.numpy().tolist() for c in strategy.experimental_local_results(replica_gathered)],
            "gather": gathered.numpy().tolist(), "gather_device": gathered.device, "transfers": list(transfers),
            "slices": tf.convert_to_tensor(slices).numpy().tolist()}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
