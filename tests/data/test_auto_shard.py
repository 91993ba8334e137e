"""The auto-shard rewrite by files (``featherflow.data.auto_shard``) against TensorFlow's: the same pipelines
sharded for each worker by TF's ``AutoShardDataset`` (its rewrite with ``AutoShardPolicy.FILE``) give the same
elements and the same errors; plus the lineage the rewrite rebuilds pipelines from."""

from __future__ import annotations

import pytest

import featherflow as ff
from featherflow.data._lineage import lineage
from featherflow.data.auto_shard import shard_by_files

FILES = 4


@pytest.fixture
def files(tmp_path):
    names = []
    for f in range(FILES):
        names.append(str(tmp_path / f"{f}.tfrecord"))
        with ff.io.TFRecordWriter(names[-1]) as writer:
            for r in range(3):
                writer.write(f"file {f} record {r}".encode())
    return names


PIPELINES = {
    "reader": lambda tf, files: tf.data.TFRecordDataset(files),
    "reader_batched": lambda tf, files: tf.data.TFRecordDataset(files).map(lambda r: tf.strings.join([r, "!"]))
    .filter(lambda r: True).batch(2).unbatch().repeat(2).skip(1).take(20).prefetch(1),
    "parallel_reads": lambda tf, files: tf.data.TFRecordDataset(files, num_parallel_reads=3),
    "flat_map": lambda tf, files: tf.data.Dataset.from_tensor_slices(files).flat_map(tf.data.TFRecordDataset),
    "interleave": lambda tf, files: tf.data.Dataset.list_files(files, shuffle=False).interleave(
        lambda f: tf.data.TFRecordDataset(f).map(lambda r: tf.strings.join([r, "?"])), cycle_length=2,
        block_length=2),
    "text_lines": lambda tf, files: tf.data.TextLineDataset(files),
    "zip": lambda tf, files: tf.data.Dataset.zip((tf.data.TFRecordDataset(files), tf.data.TFRecordDataset(files))),
    "concatenate": lambda tf, files: tf.data.TFRecordDataset(files[:2]).concatenate(
        tf.data.TFRecordDataset(files[2:])),
    "too_few_files": lambda tf, files: tf.data.TFRecordDataset(files[:3]),
    "unshardable": lambda tf, files: tf.data.Dataset.range(4),
    "not_passed_through": lambda tf, files: tf.data.TFRecordDataset(files).take_while(lambda r: True),
    "zip_with_range": lambda tf, files: tf.data.TFRecordDataset(files).enumerate(),
}


def _shards(make, mod, files, workers, shard):
    out = []
    for index in range(workers):
        try:
            out.append([mod.nest.map_structure(lambda t: t.numpy(), e) for e in shard(make(mod, files), index)])
        except Exception as e:  # noqa: BLE001 (compared: type and the message's text)
            text = str(e)
            out.append((type(e).__name__, text[text.index("}} ") + 3:text.index(":", text.index("}} ") + 3)]
                        if "}} " in text else text))
    return out


@pytest.mark.parametrize("name", sorted(PIPELINES))
@pytest.mark.parametrize("workers", [2, 4])
def test_sharding_by_files_gives_tensorflows_shards(name, workers, files, tf_oracle) -> None:
    from tensorflow.python.data.experimental.ops import distribute

    def by_file(mod, ds):  # TF's rewrite reads the policy off the dataset's options
        options = mod.data.Options()
        options.experimental_distribute.auto_shard_policy = mod.data.experimental.AutoShardPolicy.FILE
        return ds.with_options(options)

    theirs = _shards(PIPELINES[name], tf_oracle, files, workers,
                     lambda ds, i: distribute._AutoShardDataset(by_file(tf_oracle, ds), workers, i))
    ours = _shards(PIPELINES[name], ff, files, workers, lambda ds, i: shard_by_files(by_file(ff, ds), workers, i))
    assert ours == theirs


def test_a_shuffle_of_the_file_names_comes_after_the_shard(files) -> None:
    ds = ff.data.Dataset.list_files(files, seed=7).flat_map(ff.data.TFRecordDataset)
    for index in range(2):
        records = [r.decode() for r in shard_by_files(ds, 2, index).as_numpy_iterator()]
        assert sorted({r.split(" record")[0] for r in records}) == [f"file {index}", f"file {index + 2}"]


def test_the_rewrite_keeps_the_pipelines_options(files) -> None:
    options = ff.data.Options()
    options.experimental_distribute.auto_shard_policy = ff.data.experimental.AutoShardPolicy.FILE
    options.deterministic = False
    ds = ff.data.TFRecordDataset(files).with_options(options).batch(2)
    sharded = shard_by_files(ds, 2, 0)
    assert sharded.options() == ds.options()
    assert [b.numpy().tolist() for b in sharded][0] == [b"file 0 record 0", b"file 0 record 1"]


def test_every_transformation_records_how_to_rebuild_it() -> None:
    source = ff.data.Dataset.range(6)
    ds = source.map(lambda x: x + 1).batch(2).concatenate(ff.data.Dataset.range(2).batch(2))
    step = lineage(ds)
    assert step.op == "concatenate" and len(step.inputs) == 2
    assert lineage(source) is None
    rebuilt = step.rebuild((ff.data.Dataset.range(1).batch(1), ff.data.Dataset.range(3, 4).batch(1)))
    assert [b.numpy().tolist() for b in rebuilt] == [[0], [3]]
    zipped = ff.data.Dataset.zip((source, source))
    assert lineage(zipped).op == "zip"
    assert [(int(a), int(b)) for a, b in lineage(zipped).rebuild((source.take(1), source.skip(5)))] == [(0, 5)]
