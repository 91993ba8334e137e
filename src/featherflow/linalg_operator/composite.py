"""Operators as composite tensors (TF makes each ``LinearOperator`` a ``CompositeTensor``): eagerly this is what
``tf.nest`` with ``expand_composites=True`` sees, the operator's tensor parameters, in TF's order, and how it
rebuilds one from them (featherflow's nest protocol: ``_to_components`` and ``_type_spec._from_components``).
TF's graph-side ``TypeSpec`` machinery (batching, serialization) has no eager use and is not ported."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..shape import TensorShape
from ..tensor import Tensor
from ..variable import Variable

_HINTS = ("is_non_singular", "is_self_adjoint", "is_positive_definite", "is_square")
_NOT_FOUND = object()


def _is_operator(value: Any) -> bool:
    return hasattr(value, "_composite_tensor_fields") and hasattr(value, "matmul")


def _is_tensor_like(value: Any) -> bool:
    if isinstance(value, (Tensor, Variable)) or _is_operator(value):
        return True
    return isinstance(value, (list, tuple)) and bool(value) and all(_is_tensor_like(v) for v in value)


def _extract_attrs(op: Any, keys: Any) -> dict:
    """TF's lookup of each field: an attribute ``k``, else ``_k``, else ``op.parameters[k]``."""
    kwargs = {}
    for k in keys:
        for source in (getattr(op, k, _NOT_FOUND), getattr(op, "_" + k, _NOT_FOUND),
                       op.parameters.get(k, _NOT_FOUND)):
            if source is not _NOT_FOUND:
                kwargs[k] = source
                break
        else:
            raise ValueError(f"Could not determine an appropriate value for field `{k}` in object  `{op}`. Looked "
                             f"for \n 1. an attr called `{k}`,\n 2. an attr called `_{k}`,\n 3. an entry in "
                             f"`op.parameters` with key '{k}'.")
        value = kwargs[k]
        if k in op._composite_tensor_prefer_static_fields and isinstance(value, Tensor):
            value = value.numpy()
        if isinstance(value, TensorShape):
            value = value.as_list()
        if isinstance(value, (np.ndarray, np.generic)):
            value = value.tolist()
        kwargs[k] = value
    return kwargs


class LinearOperatorSpec:
    """What rebuilds an operator of ``value_type`` from its components (its tensor parameters, by field name)."""

    __slots__ = ("value_type", "param_keys", "non_tensor_params", "dtype", "shape")

    def __init__(self, op: Any) -> None:
        fields = _extract_attrs(op, sorted(set(op._composite_tensor_fields) | set(_HINTS)))
        self.value_type = type(op)
        self.param_keys = [k for k, v in fields.items() if _is_tensor_like(v)]  # sorted: TF flattens a dict so
        self.non_tensor_params = {k: v for k, v in fields.items() if k not in self.param_keys}
        self.dtype, self.shape = op.dtype, op.shape

    def _from_components(self, components: Any) -> Any:
        return self.value_type(**dict(self.non_tensor_params, **dict(zip(self.param_keys, components))))

    def __repr__(self) -> str:
        return f"{self.value_type.__name__}Spec(params={self.param_keys}, {self.non_tensor_params})"


def to_components(op: Any) -> list:
    """The operator's tensor parameters (tensors, variables, operators, lists of them) in TF's order."""
    fields = _extract_attrs(op, op._composite_tensor_fields)
    return [fields[k] for k in sorted(fields) if _is_tensor_like(fields[k])]
