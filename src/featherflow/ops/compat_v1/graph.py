"""What eager TF 2.21 keeps of TF 1's graph world, for ``tf.compat.v1``: the default ``Graph`` as a holder of
collections (``add_to_collection``, ``get_collection``, ``reset_default_graph``), ``GraphKeys``, the
placeholders' eager errors, ``assign*`` on variables, and the switches between eager and graph execution.

featherflow executes eagerly only: ``disable_eager_execution``, ``disable_v2_behavior`` and
``Graph.as_default`` (which builds graph-mode ops in TF) raise ``NotImplementedError``, never pass silently.

>>> from featherflow.ops.compat_v1 import graph
>>> graph.add_to_collection("losses", 1.0)
>>> graph.get_collection("losses")
[1.0]
>>> graph.reset_default_graph()
>>> graph.get_collection("losses")
[]
"""

from __future__ import annotations

import re
import threading
from typing import Any, NoReturn

_NO_GRAPHS = "featherflow executes eagerly only: it has no graph mode"


class GraphKeys:
    """TF's standard names of graph collections (``tf.compat.v1.GraphKeys``)."""

    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"
    VARIABLES = "variables"
    _SUMMARY_COLLECTION = "_SUMMARY_V2"
    _VARIABLE_COLLECTIONS = [
        "variables", "local_variables", "metric_variables", "model_variables", "trainable_variables",
        "moving_average_variables", "concatenated_variables", "trainable_resource_variables",
    ]
    _STREAMING_MODEL_PORTS = "streaming_model_ports"


class Graph:
    """TF's ``tf.Graph`` as eager execution uses it: named collections of Python objects, and ``finalize``. It
    holds no operations (eager ops run at once), so ``get_operations()`` is empty as in eager TF; making it the
    default graph for building ops (``as_default``) is refused."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._collections: dict = {}
        self._finalized = False
        self._seed: int | None = None

    @property
    def finalized(self) -> bool:
        return self._finalized

    def finalize(self) -> None:
        """Makes the graph read-only: collections can no longer change."""
        self._finalized = True

    def _check_not_finalized(self) -> None:
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")

    @property
    def version(self) -> int:
        return 0  # the number of operations added: none, eagerly

    @property
    def seed(self) -> int | None:
        return self._seed

    @seed.setter
    def seed(self, seed: int | None) -> None:
        self._seed = seed

    @property
    def building_function(self) -> bool:
        return False

    def get_operations(self) -> list:
        return []

    def as_default(self) -> NoReturn:
        raise NotImplementedError(f"{_NO_GRAPHS}: Graph.as_default() would build graph-mode operations")

    # --- collections, as TF's Graph keeps them ---

    def add_to_collection(self, name: Any, value: Any) -> None:
        self._check_not_finalized()
        with self._lock:
            if name not in self._collections:
                self._collections[name] = [value]
            else:
                self._collections[name].append(value)

    def add_to_collections(self, names: Any, value: Any) -> None:
        names = (names,) if isinstance(names, str) else set(names)  # unique names; a string is one name
        for name in names:
            self.add_to_collection(name, value)

    def get_collection_ref(self, name: Any) -> list:
        with self._lock:
            collection = self._collections.get(name, None)
            if collection is None:
                collection = []
                self._collections[name] = collection
            return collection

    def get_collection(self, name: Any, scope: str | None = None) -> list:
        with self._lock:
            collection = self._collections.get(name, None)
            if collection is None:
                return []
            if scope is None:
                return list(collection)
            regex = re.compile(scope)
            found = []
            for item in collection:
                try:
                    if regex.match(item.name):
                        found.append(item)
                except AttributeError:
                    pass  # items without a name are left out
            return found

    def get_all_collection_keys(self) -> list:
        with self._lock:
            return [x for x in self._collections if isinstance(x, str)]

    @property
    def collections(self) -> list:
        return list(self._collections)

    def clear_collection(self, name: Any) -> None:
        self._check_not_finalized()
        with self._lock:
            if name in self._collections:
                del self._collections[name]


_default_graph = Graph()


def get_default_graph() -> Graph:
    """The default graph: where ``add_to_collection`` and ``get_collection`` keep their collections."""
    return _default_graph


def reset_default_graph() -> None:
    """Replaces the default graph by a new, empty one."""
    global _default_graph
    _default_graph = Graph()


def add_to_collection(name: Any, value: Any) -> None:
    """``get_default_graph().add_to_collection(name, value)``."""
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names: Any, value: Any) -> None:
    """``get_default_graph().add_to_collections(names, value)``."""
    get_default_graph().add_to_collections(names, value)


def get_collection(key: Any, scope: str | None = None) -> list:
    """``get_default_graph().get_collection(key, scope)``."""
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key: Any) -> list:
    """``get_default_graph().get_collection_ref(key)``."""
    return get_default_graph().get_collection_ref(key)


# --- placeholders: graph inputs, which eager TF refuses ---------------------------------------------------------


def placeholder(dtype: Any, shape: Any = None, name: str | None = None) -> NoReturn:
    """Eager TF's error: a placeholder is fed by a Session, which eager execution does not have."""
    raise RuntimeError("tf.placeholder() is not compatible with eager execution.")


def sparse_placeholder(dtype: Any, shape: Any = None, name: str | None = None) -> NoReturn:
    """Eager TF's error, as ``placeholder``'s."""
    raise RuntimeError("`sparse_placeholder` is not compatible with eager execution.")


# --- variables ------------------------------------------------------------------------------------------------


def assign(ref: Any, value: Any, validate_shape: Any = None, use_locking: Any = None, name: str | None = None) -> Any:
    """``ref.assign(value)`` (TF 1's function form; the shape is always checked eagerly)."""
    ref.dtype  # noqa: B018 - TF reads it first: anything without a dtype is an AttributeError
    return ref.assign(value, name=name)


def assign_add(ref: Any, value: Any, use_locking: Any = None, name: str | None = None) -> Any:
    """``ref.assign_add(value)``."""
    ref.dtype  # noqa: B018
    return ref.assign_add(value)


def assign_sub(ref: Any, value: Any, use_locking: Any = None, name: str | None = None) -> Any:
    """``ref.assign_sub(value)``."""
    ref.dtype  # noqa: B018
    return ref.assign_sub(value)


# --- execution modes ------------------------------------------------------------------------------------------


def enable_eager_execution(config: Any = None, device_policy: Any = None, execution_mode: Any = None) -> None:
    """Nothing to do: eager execution is on (TF returns at once, its arguments unread, when it already is)."""
    return None


def enable_v2_behavior() -> None:
    """Nothing to do: featherflow behaves as TF 2."""
    return None


def disable_eager_execution() -> NoReturn:
    """Refused: featherflow cannot build graphs."""
    raise NotImplementedError(f"{_NO_GRAPHS}: tf.compat.v1.disable_eager_execution() is not supported")


def disable_v2_behavior() -> NoReturn:
    """Refused: TF 1 behaviour is graph mode, which featherflow does not have."""
    raise NotImplementedError(f"{_NO_GRAPHS}: tf.compat.v1.disable_v2_behavior() is not supported")
