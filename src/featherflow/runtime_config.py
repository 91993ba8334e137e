"""``tf.config.threading`` and ``tf.config.optimizer``: runtime settings, kept and reported as TF's context keeps them.

Both are settings of TF's graph runtime: the thread pools its executor runs ops on, and the graph optimizer
(Grappler) and XLA auto-clustering it applies to ``tf.function`` graphs. featherflow runs every op in the
calling thread and builds no graphs, so these settings change nothing it does; they are stored with TF's rules
(thread counts fixed once the runtime starts; options merged and read back as TF reads them back) so that
programs that set and read them behave as under TF.

>>> import featherflow as tf
>>> tf.config.optimizer.get_jit()
''
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Iterator

from .device import _Flags

_threads = {"intra": None, "inter": None}  # None: never set (TF reports 0, "the system picks")
_jit: list[bool | None] = [None]
_options: dict[str, Any] = {}

# Grappler's switches, in the order TF reports them: on/off toggles, and plain booleans (always reported)
_TOGGLES = ("layout_optimizer", "constant_folding", "shape_optimization", "remapping", "arithmetic_optimization",
            "dependency_optimization", "loop_optimization", "function_optimization", "debug_stripper",
            "disable_model_pruning", "scoped_allocator_optimization", "pin_to_host_optimization",
            "implementation_selector", "auto_mixed_precision", "use_plugin_optimizers", "disable_meta_optimizer",
            "auto_mixed_precision_onednn_bfloat16", "auto_mixed_precision_mkl")
_BOOLS = frozenset(("disable_model_pruning", "disable_meta_optimizer"))


def get_intra_op_parallelism_threads() -> int:
    """Threads one op may use (0: the system picks)."""
    return _threads["intra"] or 0


def set_intra_op_parallelism_threads(num_threads: int) -> None:
    """Sets the threads one op may use; fixed once the runtime starts, as TF's."""
    _set_threads("intra", num_threads, "Intra")


def get_inter_op_parallelism_threads() -> int:
    """Threads for running independent ops in parallel (0: the system picks)."""
    return _threads["inter"] or 0


def set_inter_op_parallelism_threads(num_threads: int) -> None:
    """Sets the threads for independent ops; fixed once the runtime starts, as TF's."""
    _set_threads("inter", num_threads, "Inter")


def _set_threads(which: str, num_threads: int, label: str) -> None:
    if _threads[which] == num_threads:
        return
    if _Flags.started:
        raise RuntimeError(f"{label} op parallelism cannot be modified after initialization.")
    _threads[which] = num_threads


def get_jit() -> str:
    """``'autoclustering'`` when XLA auto-clustering of tf.function graphs is on, else ``''``."""
    return "autoclustering" if _jit[0] else ""


def set_jit(enabled: bool | str) -> None:
    """Turns XLA auto-clustering on (``'autoclustering'`` or True) or off (anything else), as TF reads the value."""
    _jit[0] = enabled in (True, "autoclustering")


def get_experimental_options() -> dict[str, Any]:
    """The graph optimizer's options that were set, and its two boolean ones, as TF reports them."""
    out: dict[str, Any] = {}
    for name in _TOGGLES:
        value = _options.get(name)
        if name in _BOOLS:
            out[name] = bool(value)
        elif value is not None:
            out[name] = bool(value)
    nodes = _options.get("min_graph_nodes")
    if nodes:
        out["min_graph_nodes"] = nodes
    return out


def set_experimental_options(options: dict[str, Any]) -> None:
    """Merges ``options`` into the graph optimizer's options (names TF does not know are kept and not reported)."""
    _options.update(options)


# --- op determinism -------------------------------------------------------------------------------------

_deterministic = [False]


def enable_op_determinism() -> None:
    """Makes ops deterministic (``tf.config.experimental.enable_op_determinism``). featherflow's NumPy kernels
    already are, so what changes is TF's rule for random ops, which then need a seed (a RuntimeError without
    one). CuPy's kernels that add with atomics (scatter-adds on a GPU) are not made deterministic by this."""
    _deterministic[0] = True


def disable_op_determinism() -> None:
    """Turns op determinism off again (TF's ``config.disable_op_determinism``, not exported by TF)."""
    _deterministic[0] = False


def is_op_determinism_enabled() -> bool:
    """Whether ``enable_op_determinism`` is in effect: read by the ops it changes (random ops' seeds)."""
    return _deterministic[0]


# --- device policy and execution mode: what featherflow's eager runtime does, and nothing else -----------------

_POLICIES = ("silent", "silent_for_int32", "warn", "explicit")


def get_device_policy() -> str:
    """How an op treats inputs on another device: ``'silent'`` (TF 2's default), they are copied."""
    return "silent"


def set_device_policy(device_policy: str | None) -> None:
    """``'silent'`` or None (the default: copy inputs to the op's device); the other policies are refused."""
    if device_policy is not None and device_policy not in _POLICIES:
        raise ValueError(f"Invalid argument `device_policy`: {device_policy!r}. Please refer to "
                         "https://www.tensorflow.org/api_docs/python/tf/config/experimental/set_device_policy "
                         "for valid `device_policy` arguments.")
    if device_policy not in (None, "silent"):  # they would need a check in every op's dispatch
        raise NotImplementedError(f"set_device_policy({device_policy!r}): featherflow always copies an op's inputs "
                                  "to its device (the 'silent' policy)")


def get_synchronous_execution() -> bool:
    """Whether ops run synchronously: always, in featherflow (each op returns a ready result)."""
    return True


def set_synchronous_execution(enable: bool | None) -> None:
    """True or None (the default) keep synchronous execution; asynchronous execution is refused."""
    if enable is not None and not enable:
        raise NotImplementedError("set_synchronous_execution(False): featherflow runs every op synchronously; "
                                  "asynchronous eager execution is not supported")


class _Depth(threading.local):
    """How deep the calling thread is inside nested scopes of one kind."""

    depth = 0

    @contextlib.contextmanager
    def scope(self) -> Iterator[None]:
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1


# --- XLA compilation (``tf.function(jit_compile=True)``) ---------------------------------------------------
# featherflow runs a compiled function's ops eagerly, so what XLA changes that a program can see is modelled
# here: XLA's CPU backend has no refusals of its own for the layouts TF's CPU kernels refuse (NCHW convolutions
# and pooling), and the ops read this scope to lift exactly those refusals.
_xla = _Depth()
xla_compilation = _xla.scope  # the scope of a ``jit_compile=True`` function's body (nests; per thread)


def compiling_with_xla() -> bool:
    """Whether the calling thread runs inside a ``tf.function(jit_compile=True)``."""
    return _xla.depth > 0


# --- tf.function bodies ----------------------------------------------------------------------------------------
# TF runs a tf.function's Python on symbolic tensors; featherflow runs it eagerly, and the few APIs whose graph-mode
# behaviour differs from their eager one a program can see (``tf.custom_gradient``'s arguments) read this scope.
_body = _Depth()
function_body = _body.scope  # the scope of a ``tf.function``'s Python (nests; per thread)


def in_function_body() -> bool:
    """Whether the calling thread runs the Python of a ``tf.function`` (not under ``run_functions_eagerly``)."""
    return _body.depth > 0
