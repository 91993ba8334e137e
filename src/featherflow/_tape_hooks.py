"""The switch between values/ops and their observers: the tapes (a GradientTape records, a custom_gradient
watches variable reads, a forward accumulator computes JVPs) and a ``tf.function`` tracing its body.

``active`` is ``[record_op, record_read]`` while anything observes, else ``[]``, so the hot path pays a single
truth test: the dispatcher calls ``active[0](op, inputs, result, attrs)`` after each op, and ``Variable.value``
calls ``active[1](variable, read_tensor)`` (``read_tensor`` None: ``assign*`` accessed the variable without
reading it yet). ``recorders`` holds the tapes' pair (``autodiff.tape`` and ``autodiff.forwardprop`` fill and
clear it); ``tracing`` holds the traces being built (``function_trace``), whose pair forwards to the tapes'.
``refresh`` makes ``active`` the tracer's pair while a trace is built, else the tapes'.

Code that holds state Python-side, where a replayed trace would not see it (a dataset iterator's next element,
a legacy random op's Philox offset, ``tf.print``), calls ``refuse(reason)``: a function whose trace meets one
runs its Python at every call instead.
"""

from __future__ import annotations

active: list = []
recorders: list = []  # [record_op, record_read] of the tapes while one records, else []
tracing: list = []  # the traces being built, in all threads (almost always empty)
_tracer_hooks: list = []  # function_trace's [record_op, record_read, record_write, host_read, refuse]


def refresh() -> None:
    """``active`` becomes the tracer's hooks while a trace is built, else the tapes' (or nothing)."""
    active[:] = _tracer_hooks[:2] if tracing else recorders


def refuse(reason: str, retrace: bool = False) -> None:
    """Tells a trace being built in this thread that its function cannot be replayed (``retrace``: this call
    only, e.g. it created variables, which TF's first trace does too)."""
    if tracing:
        _tracer_hooks[4](reason, retrace)


def host_read(value: object) -> None:
    """A tensor's or variable's value is read into Python (``numpy()``, ``bool()``, ``int()``...)."""
    if tracing:
        _tracer_hooks[3](value)
