"""``tf.random.Generator``: the Philox generator of ``ops/random/generator.py``, made trackable as TF's is, so a
checkpoint saves and restores its state Variable (as the child ``_state_var``), and aware of distribution
strategies as TF's is. Tracking and strategies live in the state layer, above ops; this module installs the
class as the one ``tf.random.get_global_generator`` makes.

A generator made under a strategy (in its scope, or in a replica function) remembers that strategy. Its state
is then a distributed variable with one component per replica, each moved on by that replica's draws, and a
draw in replica context uses the key hashed with the replica id (a Philox draw at counter [replica id, 0]), so
replicas get different, seed-determined streams, as in TF's guide:

>>> import featherflow as tf
>>> g = tf.random.Generator.from_seed(1)
>>> ckpt = tf.train.Checkpoint(generator=g)
>>> list(ckpt.generator._trackable_children())
['_state_var']
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from .dtypes import int32 as _int32
from .ops.random import _kernels, _philox
from .ops.random import generator as _ops_generator
from .tensor import Tensor
from .trackable import AutoTrackable


def _distribute() -> Any:
    """The distribute package, imported when a generator first meets a strategy (never by ``import featherflow``:
    no strategy exists before it is imported)."""
    from . import distribute

    return distribute


class Generator(_ops_generator.Generator, AutoTrackable):
    __doc__ = _ops_generator.Generator.__doc__

    def __init__(self, copy_from: Any = None, state: Any = None, alg: Any = None) -> None:
        context = sys.modules.get("featherflow.distribute.context")
        strategy = context.get_strategy() if context is not None and context.has_strategy() else None
        self._distribution_strategy = self._no_dependency(strategy)
        self._components = self._no_dependency({})  # id(component Variable) -> a plain generator over it
        self._components_lock = self._no_dependency(threading.Lock())
        super().__init__(copy_from=copy_from, state=state, alg=alg)

    def _component_generator(self, variable: Any) -> _ops_generator.Generator:
        """A plain generator over one component of the state (its own mirror of (key, counter) and its lock)."""
        if isinstance(variable, _distribute().distributed_variables.DistributedVariable):
            variable = variable._get_on_device_or_primary()  # TF's ``var.handle``: the replica's own component
        with self._components_lock:
            found = self._components.get(id(variable))
            if found is None or found._state_var is not variable:
                found = _ops_generator.Generator(state=variable, alg=self._alg)
                self._components[id(variable)] = found
            return found

    def _read_and_skip(self, delta: int) -> tuple[Tensor, int, int]:
        """TF's ``skip``: each component in cross-replica context (``extended.update``), else the replica's own."""
        strategy = self._distribution_strategy
        if strategy is None:
            return super()._read_and_skip(delta)
        context = _distribute().context
        if context.has_strategy():
            mode = context.current_mode()
            if mode.strategy is not strategy:
                context.wrong_strategy_scope(strategy, mode)
            return self._skip_in_strategy(strategy, delta)
        with strategy.scope():
            return self._skip_in_strategy(strategy, delta)

    def _skip_in_strategy(self, strategy: Any, delta: int) -> tuple[Tensor, int, int]:
        distribute = _distribute()
        if distribute.context.in_cross_replica_context() or "CentralStorage" in type(strategy).__name__:
            key_counters: list = []

            def update_fn(variable: Any) -> Tensor:
                old, key, counter = self._component_generator(variable)._read_and_skip(delta)
                key_counters.append((key, counter))
                return old

            old = strategy.extended.update(self._state_var, update_fn)
            if key_counters:  # cross-replica context: the primary's, as later reads of the state see it
                return (old, *key_counters[0])
            # a replica whose update another replica's merge_call ran (CentralStorageStrategy): read it back
            local = old._get_on_device_or_primary() if isinstance(old, distribute.values.DistributedValues) else old
            return (old, *_kernels.generator_key_counter(local.numpy()))
        return self._component_generator(self._state_var)._read_and_skip(delta)

    def _prepare_key_counter(self, shape: Tensor, op_name: str) -> tuple[int, int]:
        key, counter = super()._prepare_key_counter(shape, op_name)
        return self._preprocess_key(key), counter

    def _preprocess_key(self, key: int) -> int:
        """In a replica of the generator's strategy, key = hash(key, replica id): TF's
        ``StatelessRandomUniformFullIntV2`` (uint64, shape [1]) at that key and counter [replica id, 0]."""
        if self._distribution_strategy is None:
            return key
        contexts = _distribute().context
        context = contexts.get_replica_context()
        if context is None or context is contexts.default_replica_context():
            return key  # cross-replica context (TF enters the strategy's scope first)
        replica_id = int(context._replica_id)
        low, high = (int(w) for w in _philox.philox_words(key, replica_id, 2))
        return low | (high << 32)

    def binomial(self, shape: Any, counts: Any, probs: Any, dtype: Any = _int32, name: str | None = None) -> Tensor:
        # TF reads ``state.handle``, which a distributed variable has only for one replica. (TF 2.21's eager
        # MirroredStrategy hands the kernel a packed handle, whose op then draws from and moves on another
        # replica's component; featherflow uses the replica's own, or the first outside replica context.)
        if self._distribution_strategy is None and "featherflow.distribute" not in sys.modules:
            return super().binomial(shape, counts, probs, dtype=dtype, name=name)
        distribute = _distribute()
        context = distribute.context
        if (isinstance(self._state_var, distribute.distributed_variables.DistributedVariable)
                and context.get_replica_context() is None and context.get_update_replica_id() is None):
            raise ValueError("DistributedVariable.handle is not available outside the replica context or a "
                             "`tf.distribute.Strategy.update()` call.")
        if self._distribution_strategy is None:
            return super().binomial(shape, counts, probs, dtype=dtype, name=name)
        return self._component_generator(self._state_var).binomial(shape, counts, probs, dtype=dtype, name=name)


_ops_generator.public_class = Generator
