"""The merge-call helpers Keras's optimizers use (TF's ``tf.__internal__.distribute.interim.maybe_merge_call``
and ``tf.__internal__.distribute.strategy_supports_no_merge_call``): where the current strategy can update
variables from replica context, the function is called directly; otherwise through ``merge_call``.

>>> import featherflow as tf
>>> maybe_merge_call(lambda strategy, x: x + 1, tf.distribute.get_strategy(), 1)
2
"""

from __future__ import annotations

from typing import Any, Callable

from . import context as _ctx


def strategy_supports_no_merge_call() -> bool:
    """Whether the current strategy can operate in pure replica context (no strategy: True)."""
    if not _ctx.has_strategy():
        return True
    return not _ctx.get_strategy().extended._use_merge_call()


def maybe_merge_call(fn: Callable, strategy: Any, *args: Any, **kwargs: Any) -> Any:
    """``fn(strategy, *args, **kwargs)``, through ``get_replica_context().merge_call`` where the current
    strategy needs it."""
    if strategy_supports_no_merge_call():
        return fn(strategy, *args, **kwargs)
    return _ctx.get_replica_context().merge_call(fn, args=args, kwargs=kwargs)
