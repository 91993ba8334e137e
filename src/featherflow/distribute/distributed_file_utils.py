"""Where each worker of a multi-worker job writes files that only one copy of should exist (checkpoints,
saved models, logs): TF's ``distributed_file_utils``. The chief writes to the directory given; every other
worker writes the same files (its save may take part in collectives, so it must run the same code) to a
temporary ``workertemp_<task_id>`` directory inside it, which it removes when done.

>>> import featherflow as tf, tempfile
>>> strategy = tf.distribute.MultiWorkerMirroredStrategy()
>>> directory = tempfile.mkdtemp()
>>> write_dirpath(directory, strategy) == directory  # one worker (or the chief): the directory itself
True
"""

from __future__ import annotations

import os
import shutil
from typing import Any

from . import context as _ctx


def _base_dirpath(strategy: Any) -> str:
    return "workertemp_" + str(strategy.extended._task_id)


def _temp_dir(dirpath: str, strategy: Any) -> str:
    base = _base_dirpath(strategy)
    temp_dir = dirpath if dirpath.endswith(base) else os.path.join(dirpath, base)
    os.makedirs(temp_dir, exist_ok=True)
    return temp_dir


def _writes_elsewhere(strategy: Any) -> bool:
    extended = strategy.extended
    return extended._in_multi_worker_mode() and not extended.should_checkpoint


def write_dirpath(dirpath: str, strategy: Any = None) -> str:
    """The directory this worker writes to in place of ``dirpath``: ``dirpath`` on the chief (or without several
    workers), a temporary directory inside it on the others."""
    strategy = strategy if strategy is not None else _ctx.get_strategy()
    if strategy is None or not _writes_elsewhere(strategy):
        return dirpath
    return _temp_dir(dirpath, strategy)


def remove_temp_dirpath(dirpath: str, strategy: Any = None) -> None:
    """Removes this worker's temporary directory of ``dirpath`` (nothing on the chief)."""
    strategy = strategy if strategy is not None else _ctx.get_strategy()
    if strategy is not None and _writes_elsewhere(strategy):
        shutil.rmtree(_temp_dir(dirpath, strategy), ignore_errors=True)


def write_filepath(filepath: str, strategy: Any = None) -> str:
    """The path this worker writes ``filepath`` to (``write_dirpath`` of its directory)."""
    return os.path.join(write_dirpath(os.path.dirname(filepath), strategy), os.path.basename(filepath))


def remove_temp_dir_with_filepath(filepath: str, strategy: Any = None) -> None:
    """``remove_temp_dirpath`` of ``filepath``'s directory."""
    remove_temp_dirpath(os.path.dirname(filepath), strategy)
