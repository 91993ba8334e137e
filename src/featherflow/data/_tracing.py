"""What stands in for TF's tracing of a ``map_func``: its output spec found by running it on the first element
and on two stand-in elements (dimensions that differ between the three outputs are unknown, as TF's shape
inference leaves them), with the random ops' state put back afterwards (TF's tracing draws nothing).

>>> import featherflow as tf
>>> tf.data.Dataset.range(3).map(lambda x: tf.fill([x], x)).element_spec
TensorSpec(shape=(None,), dtype=tf.int64, name=None)
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Callable, Iterator
from typing import Any

from .. import nest
from . import composite as _composite


def _call(fn: Callable, element: Any) -> Any:
    if isinstance(element, tuple) and not hasattr(type(element), "_fields"):
        return fn(*element)
    return fn(element)


def merged(specs: list) -> Any:
    """The most specific spec all of ``specs`` fit (None when they differ in structure or dtypes)."""
    first = specs[0]
    try:
        for spec in specs[1:]:
            nest.assert_same_structure(first, spec)
    except (TypeError, ValueError):
        return None
    parts = [functools.reduce(lambda a, b: a and _composite.common_spec(a, b), leaves)
             for leaves in zip(*[nest.flatten(s) for s in specs])]
    return None if any(p is None for p in parts) else nest.pack_sequence_as(first, parts)


def stand_in_specs(output_spec: Callable[[Any], Any], input_spec: Any, strict: bool = True) -> list | None:
    """``output_spec`` run on two stand-in elements of ``input_spec`` (unknown dimensions 1 and 2, values 1 and
    2), quietly, its random ops drawing nothing; None when a stand-in cannot be made, or (``strict``) when one
    run fails (else the runs that worked)."""
    specs = []
    for size in (1, 2):
        stand_in = _composite.stand_in(input_spec, size, size)
        if stand_in is None:
            return None
        try:
            with random_state_kept(), contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):  # tf.print in the function prints nothing traced
                specs.append(output_spec(stand_in))
        except Exception:  # noqa: BLE001 (a function that refuses made-up values)
            if strict:
                return None
    return specs


def traced_spec(map_func: Callable, input_spec: Any, first: Any) -> Any:
    """``map_func``'s output spec given its output spec on the first element (``first``; None when making the
    first element failed: then the stand-ins that work decide); None when the stand-ins cannot be made or
    ``map_func`` refuses them (then the first element's spec stands)."""
    specs = stand_in_specs(lambda e: _composite.structure_spec(_composite.structure_tensors(_call(map_func, e))),
                           input_spec, strict=first is not None)
    if not specs:
        return None
    return merged(specs if first is None else [first, *specs])


@contextlib.contextmanager
def random_state_kept() -> Iterator[None]:
    """Runs a block whose random ops leave the op-seed sequence and the seeded kernels' streams as they were."""
    try:
        from ..ops.random.core import _legacy
    except ImportError:  # tf.random not available
        yield
        return
    kernels = {k: list(v) for k, v in _legacy._kernels.items()}
    rng = _legacy._rng
    rng_state = None if rng is None else rng.getstate()
    try:
        yield
    finally:
        _legacy._kernels.clear()
        _legacy._kernels.update(kernels)
        _legacy._rng = rng
        if rng is not None:
            rng.setstate(rng_state)
