"""The switch between values/ops and the tape: empty unless a GradientTape records (or a custom_gradient
watches variable reads).

``active`` is ``[record_op, record_read]`` while any tape records, else ``[]``, so the hot path pays a single
truth test: the dispatcher calls ``active[0](op, inputs, result, attrs)`` after each op (but StopGradient), and
``Variable.value`` calls ``active[1](variable, read_tensor)`` (``read_tensor`` None: ``assign*`` accessed the
variable without reading it yet). ``autodiff.tape`` fills and clears it.
"""

from __future__ import annotations

active: list = []
