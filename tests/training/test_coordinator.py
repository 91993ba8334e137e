"""tf.train.Coordinator and tf.train.checkpoints_iterator, run side by side with real TF's."""

from __future__ import annotations

import sys
import threading
import time

import pytest

import featherflow as ff


def _outcome(fn):
    try:
        return ("ok", fn())
    except Exception as e:  # the type and message TF's coordinator raises
        return (type(e).__name__, str(e))


def _story(tf):
    c = tf.train.Coordinator()
    out = [c.should_stop(), c.joined]
    try:
        raise ValueError("boom")
    except ValueError:
        c.request_stop(sys.exc_info())
    c.request_stop(KeyError("second"))  # only the first is kept
    out += [c.should_stop(), _outcome(c.raise_requested_exception), _outcome(lambda: c.join([])), c.joined]
    out.append(_outcome(lambda: c.request_stop(KeyError("after join"))))  # outside an except block
    c.clear_stop()
    out += [c.should_stop(), c.joined, _outcome(c.raise_requested_exception)]
    c.request_stop(tf.errors.OutOfRangeError(None, None, "end of input"))  # a clean stop
    out += [_outcome(c.join), c.should_stop()]
    c.clear_stop()
    out.append(_outcome(lambda: c.request_stop(ValueError("not being handled"))))  # TF's own formatting error
    out += [c.should_stop(), _outcome(c.raise_requested_exception)]
    clean = tf.train.Coordinator(clean_stop_exception_types=(StopIteration,))
    with clean.stop_on_exception():
        raise StopIteration
    out += [clean.should_stop(), _outcome(clean.join)]
    return out


def test_coordinator_behaves_as_tf(tf_oracle):
    assert _story(ff) == _story(tf_oracle)


def test_join_reraises_a_thread_exception_and_waits_for_registered_threads():
    coord = ff.train.Coordinator()
    done = []

    def worker(fail):
        with coord.stop_on_exception():
            if fail:
                raise RuntimeError("worker failed")
            coord.wait_for_stop()
            done.append(1)

    quiet = threading.Thread(target=worker, args=(False,))
    coord.register_thread(quiet)
    quiet.start()
    failing = threading.Thread(target=worker, args=(True,))
    failing.start()
    with pytest.raises(RuntimeError, match="worker failed"):
        coord.join([failing])
    assert done == [1] and coord.joined and not quiet.is_alive()


def test_join_names_the_stragglers():
    coord = ff.train.Coordinator()
    release = threading.Event()
    slow = threading.Thread(target=release.wait, name="slow-worker")
    slow.start()
    coord.request_stop()
    with pytest.raises(RuntimeError, match="^Coordinator stopped with threads still running: slow-worker$"):
        coord.join([slow], stop_grace_period_secs=0.02)
    coord.join([slow], stop_grace_period_secs=0.01, ignore_live_threads=True)
    release.set()
    slow.join()
    assert coord.wait_for_stop(0) and not ff.train.Coordinator().wait_for_stop(0.01)


def test_checkpoints_iterator_follows_the_directory(tf_oracle, tmp_path):
    d = str(tmp_path)
    assert list(ff.train.checkpoints_iterator(d, timeout=0)) == []
    manager = ff.train.CheckpointManager(ff.train.Checkpoint(v=ff.Variable(1.0)), d, max_to_keep=3)
    first = manager.save()
    seen, asked = [], []

    def timeout_fn():  # called after each wait that found nothing new: a second checkpoint arrives once
        asked.append(1)
        if len(asked) == 1:
            manager.save()
            return False
        return True

    for path in ff.train.checkpoints_iterator(d, timeout=0, timeout_fn=timeout_fn):
        seen.append(path)
    assert seen == [first, manager.latest_checkpoint] and len(asked) == 2
    theirs = list(tf_oracle.train.checkpoints_iterator(d, timeout=0))
    assert list(ff.train.checkpoints_iterator(d, timeout=0)) == theirs == [manager.latest_checkpoint]


def test_checkpoints_iterator_waits_min_interval(tmp_path):
    ff.train.CheckpointManager(ff.train.Checkpoint(v=ff.Variable(1.0)), str(tmp_path), max_to_keep=1).save()
    start = time.time()
    assert len(list(ff.train.checkpoints_iterator(str(tmp_path), min_interval_secs=0.2, timeout=0))) == 1
    assert time.time() - start >= 0.2
