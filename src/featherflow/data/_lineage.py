"""How each dataset of a pipeline was made from its input datasets (``Lineage``), so that a pipeline can be
rebuilt over other inputs: what TF's graph rewrites of a dataset do (``tf.distribute``'s auto-shard rebuilds a
pipeline over its workers' share of the files, see ``auto_shard``). Every ``Dataset`` transformation records
its lineage; sources record none.

>>> import featherflow as tf
>>> ds = tf.data.Dataset.range(4).map(lambda x: x * 2)
>>> step = lineage(ds)
>>> step.op, [int(x) for x in step.rebuild((tf.data.Dataset.range(2),))]
('map', [0, 2])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple


class Lineage(NamedTuple):
    """How a dataset was made from its input datasets, for rewrites of a whole pipeline (TF rewrites its
    dataset graph; tf.distribute's auto-shard rebuilds a pipeline over a sharded file list): the
    transformation's name (the ``Dataset`` method, or ``"zip"``), its input datasets, a function that applies
    the same transformation, with the same arguments, to other input datasets, and its other arguments."""

    op: str
    inputs: tuple
    rebuild: Callable[[tuple], Any]
    args: tuple = ()
    kwargs: Any = None


def lineage(dataset: Any) -> Lineage | None:
    """How ``dataset`` was made from other datasets; None for a source (or a dataset made another way)."""
    return dataset.__dict__.get("_lineage")


def _is_dataset(value: Any) -> bool:
    return not isinstance(value, type) and getattr(value, "_is_dataset", False) is True


def method_lineage(name: str, wrapped: Callable, self: Any, args: tuple, kwargs: dict) -> Lineage:
    """The lineage of ``self.<name>(*args, **kwargs)``: its inputs are ``self`` and the datasets among the
    arguments (``concatenate``'s); rebuilding calls ``wrapped`` (the method) on the new ones."""
    positional = [i for i, a in enumerate(args) if _is_dataset(a)]
    keywords = [k for k, v in kwargs.items() if _is_dataset(v)]

    def rebuild(inputs: tuple) -> Any:
        new_args, new_kwargs = list(args), dict(kwargs)
        others = iter(inputs[1:])
        for i in positional:
            new_args[i] = next(others)
        for k in keywords:
            new_kwargs[k] = next(others)
        return wrapped(inputs[0], *new_args, **new_kwargs)

    inputs = (self, *(args[i] for i in positional), *(kwargs[k] for k in keywords))
    return Lineage(name, inputs, rebuild, args, kwargs)
