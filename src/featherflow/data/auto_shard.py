"""TF's auto-shard rewrite of an input pipeline by files (``AutoShardPolicy.FILE``, and ``AUTO`` where it
finds files): the pipeline is walked from its end to its file-reading source (a ``TFRecordDataset``,
``TextLineDataset`` or ``FixedLengthRecordDataset``, or a ``flat_map``/``interleave`` whose function reads its
argument with one), and rebuilt with the source's file names sharded by worker, ``files[index::num_workers]``
(a shuffle of the file names is moved after the shard, as TF's rewrite moves it). Walking goes through the
transformations TF's rewrite passes through (``map``, ``batch``, ``filter``, ``shuffle``, ``repeat``, ...)
and into every input of ``zip`` and ``concatenate``; anything else is TF's ``NotFoundError`` (``AUTO`` then
shards by data). A worker whose share of the files runs out while others still have one raises TF's
"Could not apply FILE based sharding" error when iterated.

>>> import featherflow as tf, os, tempfile
>>> d = tempfile.mkdtemp()
>>> for i in range(4):
...     tf.io.write_file(os.path.join(d, f"{i}.txt"), f"file {i}\\n")
>>> files = [os.path.join(d, f"{i}.txt") for i in range(4)]
>>> ds = tf.data.TextLineDataset(files).batch(2)
>>> [b.numpy().tolist() for b in shard_by_files(ds, 2, 1)]
[[b'file 1', b'file 3']]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..errors import InvalidArgumentError, NotFoundError
from ..tensor_spec import TensorSpec
from ._lineage import lineage
from .dataset import Dataset, _call, _named
from .readers import _STRING_SPEC, _FileDataset, _filenames

# the transformations TF's rewrite walks through to their input (its kPassThroughOps)
PASS_THROUGH = frozenset({"batch", "padded_batch", "ragged_batch", "rebatch", "map", "filter", "cache", "prefetch",
                          "repeat", "shard", "shuffle", "skip", "take", "unbatch", "window", "with_options"})
MULTIPLE_INPUTS = frozenset({"zip", "concatenate"})
FUNCTIONS = frozenset({"flat_map", "interleave"})

_NOT_ENOUGH = ("Could not apply FILE based sharding: the dataset only has {files} file(s), which is not enough for "
               "the required {workers} shards/workers. If you are using datasets with distribution strategy, "
               "consider setting the auto sharding policy to either DATA or OFF using the "
               "`experimental_distribute.auto_shard_policy` option of `tf.data.Options()`. Or, split your input "
               "files into a larger number of small files such that number of files is greater than number of "
               "shards/workers.")


def _node(dataset: Dataset) -> str:
    op = dataset._kind.lstrip("_") or type(dataset).__name__
    return f'name: "{op}"\nop: "{op}"\n'


def _not_found(text: str) -> NotFoundError:
    from .transforms import op_error

    return op_error("AutoShardDataset", text, cls=NotFoundError)


def _reads_its_argument(step: Any) -> bool:
    """Whether the function of a ``flat_map``/``interleave`` makes a reader over its argument (TF looks for a
    reader dataset fed by ``args_0`` in the function)."""
    (input_dataset,) = step.inputs[:1]
    spec = input_dataset.element_spec
    if not (isinstance(spec, TensorSpec) and spec.shape.rank == 0 and spec.dtype == _STRING_SPEC.dtype):
        return False
    map_func = step.args[0] if step.args else step.kwargs.get("map_func")
    from ..ops.convert import tensor

    probe = tensor("featherflow-auto-shard-probe")
    try:
        made = _call(map_func, probe)
    except Exception:  # noqa: BLE001 (a function that refuses a stand-in file name: no reader found)
        return False
    seen, pending = set(), [made]
    while pending:
        dataset = pending.pop()
        if not isinstance(dataset, Dataset) or id(dataset) in seen:
            continue
        seen.add(id(dataset))
        if isinstance(dataset, _FileDataset) and dataset.files is probe:
            return True
        step = lineage(dataset)
        pending.extend(step.inputs if step is not None else ())
    return False


def _without_shuffles(dataset: Dataset) -> tuple:
    """``dataset`` rebuilt without its shuffles, and the lineage of the one nearest the source (None if none)."""
    step = lineage(dataset)
    if step is None:
        return dataset, None
    inputs, found = [], None
    for parent in step.inputs:
        rebuilt, shuffle = _without_shuffles(parent)
        inputs.append(rebuilt)
        found = found or shuffle
    if step.op == "shuffle":
        return inputs[0], found or step
    if all(a is b for a, b in zip(inputs, step.inputs)):
        return dataset, found
    return step.rebuild(tuple(inputs)), found


def _non_empty_shard(files: Dataset, num_workers: int, index: int) -> Dataset:
    """TF's ``ShardDataset`` with ``require_non_empty``: every ``num_workers``-th file name from ``index``; a
    worker given a file in the first round that has fewer files than workers raises."""

    def make() -> Iterator[Any]:
        it = iter(files)
        position = 0
        while True:
            skip = (index - position) % num_workers
            skipped = sum(1 for _ in itertools.islice(it, skip))
            position += skipped
            if skipped < skip:
                return
            element = next(it, None)
            if element is None:
                return
            position += 1
            if position < num_workers:
                wanted = num_workers - position
                if sum(1 for _ in itertools.islice(it, wanted)) < wanted:
                    from .transforms import next_error

                    raise next_error(InvalidArgumentError, files.element_spec,
                                     _NOT_ENOUGH.format(files=position, workers=num_workers))
                position = num_workers
            yield element

    return _named(make, files.element_spec, -2, "_ShardDataset")


def _shard_files(files: Any, num_workers: int, index: int) -> Dataset:
    """The file names ``files`` (names, or a dataset of them) sharded, a shuffle of them moved after the shard."""
    if not isinstance(files, Dataset):
        names = _filenames(files)()
        files = Dataset.from_tensor_slices(np.array(names, dtype=object).reshape(-1))
    stripped, shuffle = _without_shuffles(files)
    sharded = _non_empty_shard(stripped, num_workers, index)
    return sharded if shuffle is None else shuffle.rebuild((sharded,))


def _rewrite(dataset: Dataset, num_workers: int, index: int) -> Dataset:
    if isinstance(dataset, _FileDataset):
        return dataset.with_files(_shard_files(dataset.files, num_workers, index))
    step = lineage(dataset)
    if step is None:
        raise _not_found(f"Found an unshardable source dataset: {_node(dataset)}")
    if step.op in MULTIPLE_INPUTS:
        return step.rebuild(tuple(_rewrite(d, num_workers, index) for d in step.inputs))
    if step.op in FUNCTIONS and _reads_its_argument(step):
        return step.rebuild((_shard_files(step.inputs[0], num_workers, index),))
    if step.op not in PASS_THROUGH:
        raise _not_found(
            f"Did not find a shardable source, walked to a node which is not a dataset: {_node(dataset)}. Consider "
            "either turning off auto-sharding or switching the auto_shard_policy to DATA to shard this dataset. You "
            "can do this by creating a new `tf.data.Options()` object then setting "
            "`options.experimental_distribute.auto_shard_policy = AutoShardPolicy.DATA` before applying the options "
            "object to the dataset via `dataset.with_options(options)`.")
    return step.rebuild((_rewrite(step.inputs[0], num_workers, index),))


def shard_by_files(dataset: Dataset, num_workers: int, index: int) -> Dataset:
    """``dataset`` rebuilt to read only worker ``index``'s share of its files, ``files[index::num_workers]``;
    raises TF's ``NotFoundError`` where no file-reading source is found."""
    if num_workers == 1:
        return dataset
    return _rewrite(dataset, int(num_workers), int(index))
