"""``tf.__internal__``: the names TF exports for its own libraries (Keras among them), each backed by
featherflow's implementation. Only the names Keras's TensorFlow backend reaches are here."""

from __future__ import annotations

import contextlib
import types as _types
from collections.abc import Iterator
from typing import Any, Callable

from ..distribute import merge_call
from ..tensor import Tensor as EagerTensor
from ..trackable import AutoTrackable, TrackableDataStructure, sticky_attribute_assignment
from ..trackable_base import Trackable, TrackableReference, no_automatic_dependency_tracking
from .python.framework.composite_tensor import CompositeTensor
from .python.types import core as _core

__all__ = ["CompositeTensor", "EagerTensor", "decorator", "distribute", "eager_context", "smart_cond", "tf2",
           "tracking", "types"]


def _namespace(name: str, **attrs: Any) -> _types.ModuleType:
    module = _types.ModuleType(f"tensorflow.__internal__.{name}")
    module.__dict__.update(attrs)
    return module


def _smart_cond(pred: Any, true_fn: Callable | None = None, false_fn: Callable | None = None,
                name: str | None = None) -> Any:
    """``true_fn()`` or ``false_fn()`` by the value of ``pred`` (always known eagerly)."""
    import featherflow as tf

    if not callable(true_fn):
        raise TypeError(f"`true_fn` must be callable. Received: true_fn={true_fn}")
    if not callable(false_fn):
        raise TypeError(f"`false_fn` must be callable. Received: false_fn={false_fn}")
    value = tf.get_static_value(pred) if tf.is_tensor(pred) else pred
    if value not in (True, False, 0, 1):
        raise TypeError(f"`pred` must be a Tensor, or a Python bool, or 1 or 0. Received: pred={pred}")
    return true_fn() if value else false_fn()


def _unwrap(maybe_tf_decorator: Any) -> tuple[list, Any]:
    """TF's ``tf_decorator.unwrap``: the decorators around a function (featherflow's carry none: TF's
    ``TFDecorator`` protocol is not used), and the function."""
    return [], maybe_tf_decorator


@contextlib.contextmanager
def _eager_mode() -> Iterator[None]:
    yield  # featherflow is always eager


tracking = _namespace(
    "tracking", Trackable=Trackable, AutoTrackable=AutoTrackable, TrackableReference=TrackableReference,
    TrackableDataStructure=TrackableDataStructure, no_automatic_dependency_tracking=no_automatic_dependency_tracking,
    sticky_attribute_assignment=sticky_attribute_assignment)
types = _namespace("types", Tensor=_core.Tensor)
smart_cond = _namespace("smart_cond", smart_cond=_smart_cond)
tf2 = _namespace("tf2", enabled=lambda: True)
eager_context = _namespace("eager_context", eager_mode=_eager_mode)
decorator = _namespace("decorator", unwrap=_unwrap)
distribute = _namespace(
    "distribute", strategy_supports_no_merge_call=merge_call.strategy_supports_no_merge_call,
    interim=_namespace("distribute.interim", maybe_merge_call=merge_call.maybe_merge_call))
