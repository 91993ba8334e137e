"""``tf.distribute.ReduceOp``: how values from several replicas combine into one.

>>> ReduceOp("SUM")
<ReduceOp.SUM: 'SUM'>
"""

from __future__ import annotations

import enum
from typing import Any

from ..variable_policy import VariableAggregation, VariableAggregationV2


class ReduceOp(enum.Enum):
    """Indicates how a set of values should be reduced (``tf.distribute.ReduceOp``).

    * ``SUM``: add all the values.
    * ``MEAN``: take the arithmetic mean ("average") of the values.
    """

    SUM = "SUM"
    MEAN = "MEAN"

    @staticmethod
    def from_variable_aggregation(aggregation: Any) -> ReduceOp:
        """The ReduceOp of a ``tf.VariableAggregation`` (SUM or MEAN; anything else is a ValueError, as in TF)."""
        mapping = {VariableAggregationV2.SUM: ReduceOp.SUM, VariableAggregationV2.MEAN: ReduceOp.MEAN,
                   VariableAggregation.SUM: ReduceOp.SUM, VariableAggregation.MEAN: ReduceOp.MEAN}
        try:
            reduce_op = mapping.get(aggregation)
        except TypeError:  # unhashable
            reduce_op = None
        if not reduce_op:
            raise ValueError(f"Could not convert from `tf.VariableAggregation` {aggregation} to"
                             "`tf.distribute.ReduceOp` type")
        return reduce_op


def as_reduce_op(reduce_op: Any) -> Any:
    """``reduce_op`` with TF's string forms ("SUM", "sum", "MEAN") made a ReduceOp."""
    if isinstance(reduce_op, str):
        found = _BY_NAME.get(reduce_op)  # (the common names without the enum's lookup: reductions are hot)
        return found if found is not None else ReduceOp(reduce_op.upper())
    return reduce_op


_BY_NAME = {"SUM": ReduceOp.SUM, "MEAN": ReduceOp.MEAN, "sum": ReduceOp.SUM, "mean": ReduceOp.MEAN}
