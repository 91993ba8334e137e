"""The dtype check of a ``list(type)`` attr (``DecodeCSV``'s ``OUT_TYPE``, ``ParseExampleV2``'s ``Tdense``),
which the dispatcher's contract does not cover (its inputs have one dtype each): the allowed values are read
from TF's op definition (``_op_defs``), the error is the contract's."""

from __future__ import annotations

import re
from typing import Any

from ...errors import InvalidArgumentError
from ...python_values import type_string
from .._contract import _BY_ENUM_NAME, Contract


def check_list_attr(op: Any, attr: str, dtype: Any) -> None:
    """Raises TF's error if ``dtype`` is not among the values TF allows for ``op``'s list(type) attr ``attr``."""
    contract = op.contract = op.contract or Contract(op)
    found = re.search(rf"attr={attr}:list\(type\)[^;]*allowed=\[([^\]]*)\]", contract.summary or "")
    if found is None:
        return
    allowed = [n.strip() for n in found.group(1).split(",")]
    if dtype in {_BY_ENUM_NAME.get(n) for n in allowed}:
        return
    text = str(contract.not_allowed(attr, type_string(dtype), ", ".join(n[3:].lower() for n in allowed)))
    # TF's op signature prints a list-typed argument's type as empty (``dense_defaults: ->``)
    for name in re.findall(r"attr=(\w+):list\(type\)", contract.summary or ""):
        text = re.sub(rf":{name}\b(?=[,;]| ->)", ":", text)
    raise InvalidArgumentError(None, None, text)
