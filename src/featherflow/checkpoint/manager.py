"""``tf.train.CheckpointManager`` and the ``checkpoint`` state file helpers (TF's ``checkpoint_management.py``).

>>> import tempfile
>>> import featherflow as tf
>>> directory = tempfile.mkdtemp()
>>> checkpoint = tf.train.Checkpoint(step=tf.Variable(1))
>>> manager = tf.train.CheckpointManager(checkpoint, directory, max_to_keep=2)
>>> for _ in range(3):
...     _ = manager.save()
>>> [os.path.basename(p) for p in manager.checkpoints]
['ckpt-2', 'ckpt-3']
>>> tf.train.latest_checkpoint(directory) == manager.latest_checkpoint
True
"""

from __future__ import annotations

import collections
import copy
import glob
import os
import time
from typing import Any, Callable

from .._logs import LazyLogger
from .checkpoint import CheckpointOptions

_logger = LazyLogger("featherflow")


def get_checkpoint_state(checkpoint_dir: str | os.PathLike, latest_filename: str | None = None) -> Any:
    """The ``CheckpointState`` in ``checkpoint_dir/checkpoint`` (paths joined onto the directory), or None.

    A file that doesn't parse is ignored with a warning, as in TF.
    """
    from .state_file import read_checkpoint_state  # protobuf and the bundle code load on first use

    return read_checkpoint_state(os.fspath(checkpoint_dir), latest_filename or "checkpoint")


def latest_checkpoint(checkpoint_dir: str | os.PathLike, latest_filename: str | None = None) -> str | None:
    """The prefix of the newest checkpoint recorded in ``checkpoint_dir``, if its ``.index`` exists.

    >>> import tempfile
    >>> latest_checkpoint(tempfile.mkdtemp()) is None
    True
    """
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state and state.model_checkpoint_path:
        path = state.model_checkpoint_path
        if glob.glob(glob.escape(path) + ".index") or glob.glob(glob.escape(path)):
            return path
        _logger.error("Couldn't match files for checkpoint %s", path)
    return None


def checkpoint_exists(checkpoint_prefix: str) -> bool:
    return bool(glob.glob(glob.escape(checkpoint_prefix) + ".index") or glob.glob(glob.escape(checkpoint_prefix)))


def _delete_file_if_exists(pattern: str) -> None:
    for path in glob.glob(pattern):
        try:
            os.remove(path)
        except FileNotFoundError:
            _logger.warning("Hit NotFoundError when deleting '%s', possibly because another process/thread is also "
                            "deleting/moving the same file", path)


def remove_checkpoint(checkpoint_prefix: str) -> None:
    """Deletes a checkpoint's index and data files."""
    escaped = glob.escape(checkpoint_prefix)
    _delete_file_if_exists(escaped + ".index")
    _delete_file_if_exists(escaped + ".data-?????-of-?????")


def _evaluate(value: Any) -> int:
    return int(value.numpy()) if hasattr(value, "numpy") else int(value)


class CheckpointManager:
    """Saves numbered checkpoints in a directory and deletes all but the newest ``max_to_keep``.

    Its list of checkpoints lives in the directory's ``checkpoint`` file, so a new
    manager on the same directory continues where the last one stopped.
    """

    def __init__(self, checkpoint: Any, directory: str | os.PathLike, max_to_keep: int | None,
                 keep_checkpoint_every_n_hours: float | None = None, checkpoint_name: str = "ckpt",
                 step_counter: Any = None, checkpoint_interval: int | None = None,
                 init_fn: Callable[[], Any] | None = None, last_checkpoint_step: int | None = None) -> None:
        self._checkpoint = checkpoint
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(f"Expected a positive integer or `None` for `max_to_keep`, got {max_to_keep}.")
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        directory = os.fspath(directory)
        self._directory = directory
        self._checkpoint_prefix = os.path.join(directory, checkpoint_name)
        self._init_fn = init_fn
        if checkpoint_interval is not None:
            if step_counter is None:
                raise ValueError("`step_counter` should be passed if `checkpoint_interval` is not None.")
            self._last_checkpoint_step = last_checkpoint_step
            self._step_counter = step_counter
        self._checkpoint_interval = checkpoint_interval
        recovered = get_checkpoint_state(directory)
        now = time.time()
        self._maybe_delete: collections.OrderedDict[str, float] = collections.OrderedDict()
        if recovered is None:
            self._latest_checkpoint = None
            self._last_preserved_timestamp = now - 1.0
        else:
            self._latest_checkpoint = recovered.model_checkpoint_path
            self._last_preserved_timestamp = recovered.last_preserved_timestamp
            if now < self._last_preserved_timestamp:
                _logger.warning("time.time() returned a value %f seconds behind the last preserved checkpoint "
                                "timestamp.", self._last_preserved_timestamp - now)
                self._last_preserved_timestamp = now
            timestamps = list(recovered.all_model_checkpoint_timestamps)
            paths = list(recovered.all_model_checkpoint_paths)
            if not timestamps:
                timestamps = [self._last_preserved_timestamp] * len(paths)
            for filename, timestamp in zip(paths, timestamps):
                timestamp = min(timestamp, now)
                if timestamp > self._last_preserved_timestamp:
                    self._maybe_delete[filename] = timestamp

    @property
    def directory(self) -> str:
        return self._directory

    @property
    def checkpoint_interval(self) -> int | None:
        return self._checkpoint_interval

    @property
    def latest_checkpoint(self) -> str | None:
        """The newest checkpoint's prefix, or None."""
        return self._latest_checkpoint

    @property
    def checkpoints(self) -> list[str]:
        """Managed checkpoints, oldest first (not those kept by ``keep_checkpoint_every_n_hours``)."""
        return list(self._maybe_delete.keys())

    @property
    def checkpoint(self) -> Any:
        return self._checkpoint

    @property
    def _prefix(self) -> str:
        return self._checkpoint_prefix

    def _sweep(self) -> None:
        if not self._max_to_keep:
            return
        while len(self._maybe_delete) > self._max_to_keep:
            filename, timestamp = self._maybe_delete.popitem(last=False)
            if self._keep_checkpoint_every_n_hours and (
                    timestamp - self._keep_checkpoint_every_n_hours * 3600.0 >= self._last_preserved_timestamp):
                self._last_preserved_timestamp = timestamp
                continue
            remove_checkpoint(filename)

    def _record_state(self) -> None:
        from .state_file import write_checkpoint_state

        filenames, timestamps = zip(*self._maybe_delete.items())
        write_checkpoint_state(self._directory, self.latest_checkpoint, filenames, timestamps,
                               self._last_preserved_timestamp)

    def save(self, checkpoint_number: Any = None, check_interval: bool = True,
             options: CheckpointOptions | None = None) -> str | None:
        """Writes a new checkpoint (numbered by ``save_counter`` or ``checkpoint_number``) and deletes old ones.

        With ``checkpoint_interval``, returns None (saving nothing) until ``step_counter`` has advanced that far.
        """
        if self._checkpoint_interval is not None:
            current_step = _evaluate(self._step_counter)
            if self._last_checkpoint_step is not None:
                if current_step == self._last_checkpoint_step:
                    return None
                if check_interval and current_step < self._last_checkpoint_step + self._checkpoint_interval:
                    return None
            self._last_checkpoint_step = current_step
        save_counter = self._checkpoint.save_counter
        save_counter.assign_add(1, read_value=False)
        if checkpoint_number is None:
            checkpoint_number = save_counter
        prefix = f"{self._prefix}-{_evaluate(checkpoint_number)}"

        def record_and_sweep(save_path: str) -> None:
            self._maybe_delete.pop(save_path, None)
            self._maybe_delete[save_path] = time.time()
            self._latest_checkpoint = save_path
            self._record_state()
            self._sweep()
            self._record_state()

        options = copy.copy(options) if options is not None else CheckpointOptions()
        options.experimental_write_callbacks = list(options.experimental_write_callbacks or []) + [record_and_sweep]
        return self._checkpoint._write(prefix, options=options)

    def restore_or_initialize(self) -> str | None:
        """Restores the newest checkpoint and returns its path; else runs ``init_fn`` and returns None."""
        if self._latest_checkpoint is not None:
            self._checkpoint.restore(self._latest_checkpoint)
            if self._checkpoint_interval is not None:
                self._last_checkpoint_step = _evaluate(self._step_counter)
            return self._latest_checkpoint
        if self._init_fn is not None:
            self._init_fn()
            _logger.info("Customized initialization is done through the passed `init_fn`.")
        return None

    def sync(self) -> None:
        """A no-op: saving is synchronous."""
