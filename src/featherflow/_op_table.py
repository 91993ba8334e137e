"""The op table as the values layer reaches it: TF op name -> the registered op (what ``ops.registry.OPS`` is).

Tensor, Variable and IndexedSlices call a few ops (Pack and Cast for lists holding tensors, GatherV2 and
GatherNd for ``Variable.sparse_read``/``gather_nd``, UnsortedSegmentSum to densify IndexedSlices), but ops sit
above them. ``ops.registry`` keeps its table in this dict and fills it as each op registers, so these modules
never import the layer above; ``import featherflow`` loads every op before the first value is made.
"""

from __future__ import annotations

from typing import Any

OPS: dict[str, Any] = {}


def check_attrs(op_name: str, bound: dict, name_suffix: bool = True) -> None:
    """TF's dtype check of an op's type attrs, e.g. a resource-variable op's (ResourceScatterAdd,
    AssignAddVariableOp): ``bound`` maps each type attr to its dtype. ``ops.registry`` replaces this with
    ``ops._contract.check_attrs``."""
    raise RuntimeError("featherflow.ops is not loaded")
