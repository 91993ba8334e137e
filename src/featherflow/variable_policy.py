"""How a variable is synchronized and aggregated across replicas (``tf.VariableSynchronization``,
``tf.VariableAggregation``), and TF's validation of the three related ``tf.Variable`` arguments.

>>> VariableAggregationV2.SUM == VariableAggregation.SUM
True
"""

from __future__ import annotations

import enum
from typing import Any


class VariableSynchronization(enum.Enum):
    """When a distributed variable is synchronized (``tf.VariableSynchronization``)."""

    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregationV2(enum.Enum):
    """How a distributed variable's updates are combined (``tf.VariableAggregation``)."""

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3

    def __hash__(self) -> int:
        return hash(self.value)

    def __eq__(self, other: Any) -> bool:
        if self is other:
            return True
        return isinstance(other, VariableAggregation) and int(self.value) == int(other.value)


class VariableAggregation(enum.Enum):
    """TF1's aggregation enum: the default of ``tf.Variable(aggregation=...)``; equal to the V2 members."""

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3
    ONLY_FIRST_TOWER = 3  # deprecated alias

    def __hash__(self) -> int:
        return hash(self.value)

    def __eq__(self, other: Any) -> bool:
        if self is other:
            return True
        return isinstance(other, VariableAggregationV2) and int(self.value) == int(other.value)


def _validated(synchronization: Any, aggregation: Any, trainable: Any, name: Any) -> tuple:
    """TF's validate_synchronization_aggregation_trainable."""
    if aggregation is None:
        aggregation = VariableAggregation.NONE
    elif not isinstance(aggregation, (VariableAggregation, VariableAggregationV2)):
        try:
            aggregation = VariableAggregationV2(aggregation)
        except ValueError:
            raise ValueError(f"Invalid variable aggregation mode: {aggregation} for variable: {name}") from None
    if synchronization is None:
        synchronization = VariableSynchronization.AUTO
    else:
        try:
            synchronization = VariableSynchronization(synchronization)
        except ValueError:
            raise ValueError(f"Invalid variable synchronization mode: {synchronization} for variable: {name}") from None
    if trainable is None:
        trainable = synchronization != VariableSynchronization.ON_READ
    return synchronization, aggregation, trainable
