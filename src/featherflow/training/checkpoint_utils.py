"""``tf.train.checkpoints_iterator`` (TF's ``python/training/checkpoint_utils.py``): yields each new checkpoint
of a directory as ``tf.train.latest_checkpoint`` finds it.

>>> import tempfile
>>> import featherflow as tf
>>> d = tempfile.mkdtemp()
>>> path = tf.train.Checkpoint(v=tf.Variable(1.0)).save(d + "/ckpt")
>>> [p == path for p in tf.train.checkpoints_iterator(d, timeout=0)]
[True]
"""

from __future__ import annotations

import time
from typing import Callable, Iterator

from .._logs import LazyLogger
from ..checkpoint import latest_checkpoint

_log = LazyLogger("tensorflow")


def wait_for_new_checkpoint(checkpoint_dir: str, last_checkpoint: str | None = None, seconds_to_sleep: float = 1,
                            timeout: float | None = None) -> str | None:
    """The directory's latest checkpoint once it differs from ``last_checkpoint``; None after ``timeout``."""
    _log.info("Waiting for new checkpoint at %s", checkpoint_dir)
    stop_time = time.time() + timeout if timeout is not None else None
    while True:
        checkpoint_path = latest_checkpoint(checkpoint_dir)
        if checkpoint_path is None or checkpoint_path == last_checkpoint:
            if stop_time is not None and time.time() + seconds_to_sleep > stop_time:
                return None
            time.sleep(seconds_to_sleep)
        else:
            _log.info("Found new checkpoint at %s", checkpoint_path)
            return checkpoint_path


def checkpoints_iterator(checkpoint_dir: str, min_interval_secs: float = 0, timeout: float | None = None,
                         timeout_fn: Callable[[], bool] | None = None) -> Iterator[str]:
    """Continuously yields new checkpoint files as they appear, until ``timeout`` passes (and ``timeout_fn``,
    when given, returns True)."""
    checkpoint_path = None
    while True:
        new_checkpoint_path = wait_for_new_checkpoint(checkpoint_dir, checkpoint_path, timeout=timeout)
        if new_checkpoint_path:
            start = time.time()
            checkpoint_path = new_checkpoint_path
            yield checkpoint_path
            time_to_next_eval = start + min_interval_secs - time.time()
            if time_to_next_eval > 0:
                time.sleep(time_to_next_eval)
        elif timeout_fn is None:  # no way to know whether more checkpoints will come
            _log.info("Timed-out waiting for a checkpoint (without timeout_fn).")
            return
        if timeout_fn is not None and timeout_fn():
            _log.info("Done. No new checkpoints will be generated.")
            return
