"""``tf.train.Coordinator`` (TF's ``python/training/coordinator.py``): a stop flag, the first exception reported
by a thread, and a join with a grace period.

>>> import threading
>>> import featherflow as tf
>>> coord = tf.train.Coordinator()
>>> t = threading.Thread(target=lambda: coord.request_stop())
>>> t.start(); coord.join([t])
>>> coord.should_stop()
True
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from typing import Any, Iterator

from .._logs import LazyLogger
from ..errors import OutOfRangeError

_log = LazyLogger("tensorflow")


class Coordinator:
    """A coordinator for threads: any thread may request a stop, and ``join`` re-raises the first exception."""

    def __init__(self, clean_stop_exception_types: Any = None) -> None:
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (OutOfRangeError,)
        self._clean_stop_exception_types = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info_to_raise: Any = None
        self._joined = False
        self._registered_threads: set = set()

    def _filter_exception(self, ex: Any) -> Any:
        """``ex``, or None when it is one of the clean-stop types (TF's end of input)."""
        ex2 = ex[1] if isinstance(ex, tuple) else ex
        if isinstance(ex2, self._clean_stop_exception_types):
            ex = None
        return ex

    def request_stop(self, ex: Any = None) -> None:
        """Asks the threads to stop; the first exception (or ``sys.exc_info()`` tuple) is kept for ``join``."""
        with self._lock:
            ex = self._filter_exception(ex)
            if self._joined:  # after join, an error is raised right here: nobody else will see it
                if isinstance(ex, tuple):
                    raise ex[1]
                if ex is not None:
                    raise sys.exc_info()[1]
            if not self._stop_event.is_set():
                if ex and self._exc_info_to_raise is None:
                    if isinstance(ex, tuple):
                        _log.info("Error reported to Coordinator: %s", str(ex[1]), exc_info=ex)
                        self._exc_info_to_raise = ex
                    else:
                        _log.info("Error reported to Coordinator: %s, %s", type(ex), str(ex))
                        self._exc_info_to_raise = sys.exc_info()
                    # TF's rule: an exception must be passed while it is being handled (or as an exc_info tuple).
                    # TF formats the message with ``%`` and the 3-tuple, which fails with a TypeError before the
                    # stop is set; that is kept, as programs see it.
                    if (len(self._exc_info_to_raise) != 3 or not self._exc_info_to_raise[0]
                            or not self._exc_info_to_raise[1]):
                        try:
                            raise ValueError("ex must be a tuple or sys.exc_info must return the current "  # noqa: UP031
                                             "exception: %s" % self._exc_info_to_raise)
                        except ValueError:
                            self._exc_info_to_raise = sys.exc_info()
                self._stop_event.set()

    def clear_stop(self) -> None:
        """Clears the stop flag (and the kept exception): ``should_stop()`` is False again."""
        with self._lock:
            self._joined = False
            self._exc_info_to_raise = None
            if self._stop_event.is_set():
                self._stop_event.clear()

    def should_stop(self) -> bool:
        """True once a stop was requested."""
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self) -> Iterator[None]:
        """A block whose exception (any, as TF's bare ``except``) requests a stop instead of propagating."""
        try:
            yield
        except:  # noqa: E722 - TF's: even SystemExit and KeyboardInterrupt stop the coordinator
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout: float | None = None) -> bool:
        """Waits (up to ``timeout`` seconds) for a stop request; True if one came."""
        return self._stop_event.wait(timeout)

    def register_thread(self, thread: threading.Thread) -> None:
        """Adds ``thread`` to those ``join`` waits for."""
        with self._lock:
            self._registered_threads.add(thread)

    def join(self, threads: Any = None, stop_grace_period_secs: float = 120,
             ignore_live_threads: bool = False) -> None:
        """Waits for the threads (and the registered ones); re-raises a reported exception, or a RuntimeError
        naming the threads still alive ``stop_grace_period_secs`` after the stop request."""
        with self._lock:
            if threads is None:
                threads = self._registered_threads
            else:
                threads = self._registered_threads.union(set(threads))
            threads = list(threads)
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(1.0):
            pass
        # the grace period, polled with a doubling sleep as TF's
        stop_wait_secs = 0.001
        while any(t.is_alive() for t in threads) and stop_grace_period_secs >= 0.0:
            time.sleep(stop_wait_secs)
            stop_grace_period_secs -= stop_wait_secs
            stop_wait_secs = 2 * stop_wait_secs
            stop_wait_secs = max(min(stop_wait_secs, stop_grace_period_secs), 0.001)
        stragglers = [t.name for t in threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            if self._exc_info_to_raise:
                raise self._exc_info_to_raise[1]
            if stragglers:
                if ignore_live_threads:
                    _log.info("Coordinator stopped with threads still running: %s", " ".join(stragglers))
                else:
                    raise RuntimeError(f"Coordinator stopped with threads still running: {' '.join(stragglers)}")

    @property
    def joined(self) -> bool:
        return self._joined

    def raise_requested_exception(self) -> None:
        """Raises the exception passed to ``request_stop``, if there was one."""
        with self._lock:
            if self._exc_info_to_raise:
                raise self._exc_info_to_raise[1]
