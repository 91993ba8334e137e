"""What each worker reads of a dataset of TFRecord files under each ``AutoShardPolicy`` (run by mpiexec with
the files' directory as argv[1]; each worker writes its batches as JSON to argv[1]/files-<rank>.json)."""

import glob
import json
import os
import sys

import featherflow as tf

POLICY = tf.data.experimental.AutoShardPolicy


def with_policy(dataset, policy):
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = policy
    return dataset.with_options(options)


def seen(strategy, dataset):
    """The batches this worker's replica gets, as lists of strings; or the error it raised."""
    try:
        return [[r.decode() for r in b.numpy().tolist()] for b in strategy.experimental_distribute_dataset(dataset)]
    except Exception as e:  # noqa: BLE001 (the test compares the error)
        return {"error": type(e).__name__, "message": str(e)}


def main(directory):
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    files = sorted(glob.glob(os.path.join(directory, "*.tfrecord")))
    records = tf.data.TFRecordDataset(files).batch(2)
    listed = tf.data.Dataset.list_files(os.path.join(directory, "*.tfrecord"), seed=1).interleave(
        tf.data.TFRecordDataset, cycle_length=2).map(lambda r: tf.strings.join([r, "!"])).batch(2)
    result = {name: seen(strategy, with_policy(records, policy)) for name, policy in
              [("file", POLICY.FILE), ("data", POLICY.DATA), ("off", POLICY.OFF), ("auto", POLICY.AUTO)]}
    result["listed"] = seen(strategy, listed)
    result["slices_auto"] = seen(strategy, tf.data.Dataset.from_tensor_slices([b"a", b"b", b"c", b"d"]).batch(2))
    result["slices_file"] = seen(strategy, with_policy(tf.data.Dataset.from_tensor_slices([b"a", b"b"]).batch(2),
                                                       POLICY.FILE))
    result["one_file"] = seen(strategy, with_policy(tf.data.TFRecordDataset(files[:1]).batch(2), POLICY.FILE))
    rank = strategy.cluster_resolver.task_id
    with open(os.path.join(directory, f"files-{rank}.json"), "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(sys.argv[1])
