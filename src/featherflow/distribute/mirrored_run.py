"""Running a function once per replica, as TF's ``mirrored_run`` does: one thread per replica, each on its
device and in its replica context, run one at a time in replica order. A replica that calls
``get_replica_context().merge_call(merge_fn, args)`` pauses there; once every replica has paused (or finished),
the caller's thread runs ``merge_fn`` once, in cross-replica context, with the replicas' arguments grouped
(``PerReplica`` where they differ), hands each replica its part of the result, and resumes them in order.

Threads, not one sequential pass per replica: a merge needs every replica's arguments, and a replica's
function can only stop in the middle (at its ``merge_call``) and go on later if it runs on a stack of its own.
Only one thread runs at a time, so the order of everything (variable creation, reads, the host-side RNG) is the
same on every run, as in TF.

>>> import featherflow as tf
>>> strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
>>> strategy.run(lambda: tf.distribute.get_replica_context().merge_call(lambda s, x: x + 1, args=(1,)))
2
"""

from __future__ import annotations

import re
import sys
import threading
from typing import Any, Callable

from .. import _tape_hooks
from .. import naming as _naming
from .. import variable_creator as _creator
from ..device import device_scope
from . import context as _ctx
from .values import regroup, select_replica


class _RequestedStop(Exception):
    """Raised in a paused replica when another replica (or the merge) failed: the run is abandoned."""


class ReplicaThread(threading.Thread):
    """A thread that runs ``fn`` for one replica, pausing at each ``merge_call``."""

    def __init__(self, strategy: Any, replica_id: int, device: str, context_factory: Callable, fn: Callable,
                 args: Any, kwargs: dict, caller: dict) -> None:
        super().__init__(name=f"replica_{replica_id}", daemon=True)
        self.strategy = strategy
        self.replica_id = replica_id
        self.device = device
        self._context_factory = context_factory
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._caller = caller  # the calling thread's context stack, creator stack and name scope
        self.should_run = threading.Event()
        self.has_paused = threading.Event()
        self.done = False
        self.exc_info: Any = None
        self.main_result: Any = None
        self.merge_fn: Callable | None = None
        self.merge_args: Any = ()
        self.merge_kwargs: dict = {}
        self.merge_result: Any = None
        self.merge_name_scope = ""
        self.stop_requested = False

    def run(self) -> None:
        _local.thread = self
        self.should_run.wait()
        self.should_run.clear()
        try:
            if self.stop_requested:
                return
            # what TF's replica threads inherit: the strategy's modes, the variable creators, the name scope
            _ctx._state.stack = list(self._caller["modes"])
            _creator._state.stack = list(self._caller["creators"])
            _creator._state.stack.append(_shared_creator(self._caller["variables"], self.replica_id))
            _naming._stack.prefix = self._caller["prefix"]
            with device_scope(self.device), self._context_factory(self.replica_id):
                self.main_result = self._fn(*self._args, **self._kwargs)
            self.done = True
        except _RequestedStop:
            pass
        except BaseException:  # noqa: BLE001 - handed to the caller's thread, which raises it
            self.exc_info = sys.exc_info()
        finally:
            self.has_paused.set()

    def pause_for_merge(self, merge_fn: Callable, args: tuple, kwargs: dict) -> Any:
        """Called in this thread by ``merge_call``: waits for the merge and returns this replica's part."""
        self.merge_fn, self.merge_args, self.merge_kwargs = merge_fn, args, kwargs
        self.merge_name_scope = _naming._stack.prefix
        self.has_paused.set()
        self.should_run.wait()
        self.should_run.clear()
        if self.stop_requested:
            raise _RequestedStop()
        return self.merge_result


_UNIQUIFYING = re.compile(r"_\d/")
_UNIQUIFYING_AT_END = re.compile(r"_\d$")


def _canonical_name(name: Any) -> str:
    if name is None:
        return "Variable"
    return _UNIQUIFYING_AT_END.sub("", _UNIQUIFYING.sub("/", name))


def _shared_creator(store: dict, replica_id: int) -> Callable:
    """TF's ``shared_variable_creator``: replica 0 makes the variables ``fn`` creates (distributed ones, through
    the strategy's creator); the other replicas get the same ones back, matched by name in creation order."""
    if replica_id == 0:
        def create_new_variable(next_creator: Callable, **kwargs: Any) -> Any:
            v = next_creator(**kwargs)
            store.setdefault(_canonical_name(kwargs.get("name")), []).append(v)
            return v

        return create_new_variable
    access: dict = {}

    def reuse_variable(next_creator: Callable, **kwargs: Any) -> Any:
        name = kwargs.get("name")
        canonical = _canonical_name(name)
        index = access.get(canonical, 0)
        try:
            v = store[canonical][index]
        except (KeyError, IndexError):
            raise RuntimeError(f"Tried to create variable {name} with mismatching name on device {replica_id}") from None
        access[canonical] = index + 1
        return v

    return reuse_variable


_local = threading.local()  # .thread: the ReplicaThread this thread is, if any


def current_replica_thread() -> ReplicaThread | None:
    return getattr(_local, "thread", None)


def _stop_all(threads: list[ReplicaThread]) -> None:
    for t in threads:
        t.stop_requested = True
        t.should_run.set()
    for t in threads:
        t.join()


def call_for_each_replica(strategy: Any, devices: tuple, context_factory: Callable, fn: Callable, args: Any,
                          kwargs: dict) -> Any:
    """``fn(*args, **kwargs)`` once per device (each replica's part of distributed arguments), coordinated as
    the module describes; the results regrouped (``PerReplica`` where they differ)."""
    if _tape_hooks.tracing:  # a tf.function's trace records its own thread's ops only
        _tape_hooks.refuse("it runs replicas in threads (MirroredStrategy.run)")
    caller = {"modes": list(_ctx._state.stack), "creators": list(getattr(_creator._state, "stack", None) or []),
              "prefix": _naming._stack.prefix, "variables": {}}
    threads = []
    for i, device in enumerate(devices):
        replica_args, replica_kwargs = select_replica(i, (tuple(args), kwargs))

        t = ReplicaThread(strategy, i, device, context_factory, fn, replica_args, replica_kwargs, caller)
        threads.append(t)
    for t in threads:
        t.start()
    try:
        while True:
            for t in threads:  # one at a time, in replica order
                t.should_run.set()
                t.has_paused.wait()
                t.has_paused.clear()
                if t.exc_info is not None:
                    _stop_all(threads)
                    raise t.exc_info[1].with_traceback(t.exc_info[2])
            done = [t.done for t in threads]
            if all(done):
                break
            if any(done):
                _stop_all(threads)
                raise RuntimeError("Some replicas made a different number of replica_context().merge_call() calls.")
            merge_args = regroup(tuple(t.merge_args for t in threads))
            merge_kwargs = regroup(tuple(t.merge_kwargs for t in threads))
            saved_prefix = _naming._stack.prefix
            _naming._stack.prefix = threads[0].merge_name_scope
            _ctx.push(_ctx.cross_replica_mode(strategy))
            try:
                merge_result = threads[0].merge_fn(strategy, *merge_args, **merge_kwargs)
            except BaseException:
                _stop_all(threads)
                raise
            finally:
                _ctx.pop()
                _naming._stack.prefix = saved_prefix
            for r, t in enumerate(threads):
                t.merge_result = select_replica(r, merge_result)
    finally:
        for t in threads:
            t.join()
    return regroup(tuple(t.main_result for t in threads))

