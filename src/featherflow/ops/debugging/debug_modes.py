"""``tf.debugging``'s traceback-filtering switch and ``tf.debugging.experimental``'s dump-debug-info mode.

TF filters its own framework frames out of the tracebacks of errors raised by TF APIs, unless filtering is
disabled. featherflow keeps the switch (programs read and set it) but has nothing to filter: its errors are
raised close to the call with ordinary Python frames, so the flag changes no traceback.
"""

from __future__ import annotations

import threading

_filtering = threading.local()  # per thread, as TF's flag


def is_traceback_filtering_enabled() -> bool:
    """Whether traceback filtering is on in this thread (the default).

    >>> is_traceback_filtering_enabled()
    True
    """
    return getattr(_filtering, "value", True)


def enable_traceback_filtering() -> None:
    """Turns traceback filtering back on in this thread (featherflow has no framework frames to filter)."""
    _filtering.value = True


def disable_traceback_filtering() -> None:
    """Turns traceback filtering off in this thread (featherflow's tracebacks are unfiltered either way)."""
    _filtering.value = False


def enable_dump_debug_info(dump_root: str, tensor_debug_mode: str = "NO_TENSOR", circular_buffer_size: int = 1000,
                           op_regex: str | None = None, tensor_dtypes: object = None) -> None:
    """Refused: featherflow writes no tfdbg2 (DebugEvent) dumps for TensorBoard's Debugger V2."""
    raise NotImplementedError("tf.debugging.experimental.enable_dump_debug_info is not supported by featherflow: "
                              "it writes no tfdbg2 DebugEvent dumps")


def disable_dump_debug_info() -> None:
    """Does nothing, as TF's does when no dump is on (``enable_dump_debug_info`` never turns one on here)."""
