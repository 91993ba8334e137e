"""Where a thread stands with ``tf.distribute``: a per-thread stack of modes, each naming the current strategy
and either its cross-replica context (inside ``strategy.scope()``, or a ``merge_call``) or a replica context
(inside ``strategy.run``). Outside all of them the thread is in the default strategy's default replica context.

This module knows no strategy class: the default strategy's module registers the singletons at import
(``set_defaults``), and the package imports that module, so they exist before anything here is asked.

>>> import featherflow as tf
>>> tf.distribute.in_cross_replica_context(), tf.distribute.has_strategy()
(False, False)
"""

from __future__ import annotations

import threading
from typing import Any


class ThreadMode:
    """One entry of the stack: the strategy, and its cross-replica context or replica context (one is None)."""

    __slots__ = ("strategy", "cross_replica_context", "replica_context")

    def __init__(self, strategy: Any, cross_replica_context: Any, replica_context: Any) -> None:
        self.strategy = strategy
        self.cross_replica_context = cross_replica_context
        self.replica_context = replica_context


def cross_replica_mode(strategy: Any) -> ThreadMode:
    return ThreadMode(strategy, strategy, None)


def in_replica_mode(replica_context: Any) -> ThreadMode:
    return ThreadMode(replica_context.strategy, None, replica_context)


class _State(threading.local):
    def __init__(self) -> None:
        self.stack: list[ThreadMode] = []
        self.global_scope: Any = None  # the scope experimental_set_strategy entered


_state = _State()
_defaults: dict[str, Any] = {"strategy": None, "replica_context": None, "mode": None}


def set_defaults(strategy: Any, replica_context: Any) -> None:
    """Registers the default strategy and its replica context (called once, by the default strategy's module)."""
    _defaults["strategy"] = strategy
    _defaults["replica_context"] = replica_context
    _defaults["mode"] = ThreadMode(strategy, None, replica_context)


def default_strategy() -> Any:
    return _defaults["strategy"]


def default_replica_context() -> Any:
    return _defaults["replica_context"]


def default_mode() -> ThreadMode:
    return _defaults["mode"]


def push(mode: ThreadMode) -> None:
    _state.stack.append(mode)


def pop() -> None:
    _state.stack.pop()


def current_mode() -> ThreadMode:
    stack = _state.stack
    return stack[-1] if stack else _defaults["mode"]


# --- the public queries (tf.distribute.*) ---------------------------------------------------------------------

def get_strategy() -> Any:
    """The current ``tf.distribute.Strategy``: the one whose scope (or ``run``) the thread is in, else the
    default strategy (``tf.distribute.get_strategy``)."""
    return current_mode().strategy


def has_strategy() -> bool:
    """Whether a strategy other than the default one is current (``tf.distribute.has_strategy``)."""
    return current_mode().strategy is not _defaults["strategy"]


def get_replica_context() -> Any:
    """The current ``tf.distribute.ReplicaContext``; None in cross-replica context
    (``tf.distribute.get_replica_context``)."""
    return current_mode().replica_context


def get_cross_replica_context() -> Any:
    """The strategy whose cross-replica context the thread is in, else None."""
    return current_mode().cross_replica_context


def in_cross_replica_context() -> bool:
    """Whether the thread is in a strategy's cross-replica context (``tf.distribute.in_cross_replica_context``)."""
    return current_mode().cross_replica_context is not None


def get_strategy_and_replica_context() -> tuple:
    mode = current_mode()
    return mode.strategy, mode.replica_context


def experimental_set_strategy(strategy: Any) -> None:
    """Makes ``strategy`` current for this thread until changed, as ``with strategy.scope():`` around the rest
    of the program would (``tf.distribute.experimental_set_strategy``); None goes back to the default."""
    old_scope = _state.global_scope
    if old_scope is not None:
        old_scope.__exit__(None, None, None)
        _state.global_scope = None
    if has_strategy():
        raise RuntimeError("Must not be called inside a `tf.distribute.Strategy` scope.")
    if strategy is not None:
        new_scope = strategy.scope()
        new_scope.__enter__()
        _state.global_scope = new_scope


# --- TF's checks, with its messages -------------------------------------------------------------------------

def wrong_strategy_scope(strategy: Any, mode: ThreadMode) -> None:
    if not has_strategy():
        raise RuntimeError(f'Need to be inside "with strategy.scope()" for {strategy}')
    raise RuntimeError(f"Mixing different tf.distribute.Strategy objects: {mode.strategy} is not {strategy}")


def require_cross_replica_or_default_context(extended: Any, error_message: str | None = None) -> None:
    """Raises unless the thread is in ``extended``'s cross-replica context, or in the default replica context."""
    mode = current_mode()
    cross_replica = mode.cross_replica_context
    if cross_replica is not None and cross_replica.extended is extended:
        return
    if mode is _defaults["mode"]:
        return
    strategy = extended._container_strategy()
    if mode.strategy is not strategy:
        wrong_strategy_scope(strategy, mode)
    raise RuntimeError(error_message or "Method requires being in cross-replica context, use "
                                        "get_replica_context().merge_call()")


def require_replica_context(replica_context: Any) -> None:
    """Raises unless ``replica_context`` is the thread's current replica context."""
    mode = current_mode()
    if mode.replica_context is replica_context:
        return
    if mode.replica_context is None:
        raise RuntimeError("Need to be inside `call_for_each_replica()`")
    if mode.strategy is replica_context.strategy:
        raise RuntimeError("Mismatching ReplicaContext.")
    raise RuntimeError(f"Mismatching tf.distribute.Strategy objects: {mode.strategy} is not "
                       f"{replica_context.strategy}.")


def require_strategy_scope_strategy(strategy: Any) -> None:
    mode = current_mode()
    if mode.strategy is not strategy:
        wrong_strategy_scope(strategy, mode)


def require_strategy_scope_extended(extended: Any) -> None:
    mode = current_mode()
    if mode.strategy.extended is not extended:
        wrong_strategy_scope(extended._container_strategy(), mode)


# --- the replica a cross-replica update is for (``distribute_lib.UpdateContext``) ------------------------------

class _Update(threading.local):
    replica_id: Any = None


_update = _Update()


def get_update_replica_id() -> Any:
    """The replica (or device) an ``extended.update`` is running for, else None."""
    return _update.replica_id


class UpdateContext:
    """Marks the updates run inside as being for one replica (or device)."""

    __slots__ = ("_replica_id", "_old_replica_id")

    def __init__(self, replica_id: Any) -> None:
        self._replica_id = replica_id
        self._old_replica_id = None

    def __enter__(self) -> None:
        self._old_replica_id = _update.replica_id
        _update.replica_id = self._replica_id

    def __exit__(self, *exc: Any) -> None:
        _update.replica_id = self._old_replica_id
