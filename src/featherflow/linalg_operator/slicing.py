"""Batch slicing of operators, ``operator[1:, ..., 0]`` (TF's ``linalg/slicing.py``): every parameter is sliced
in its batch dimensions (broadcast ones taken whole), and the operator rebuilt from the sliced parameters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable

import numpy as np

from ..ops.array.core import broadcast_to
from ..tensor import convert_to_tensor


def _map_up_to(ndims: Any, fn: Callable, param: Any) -> Any:
    """``fn(param, n)`` for each leaf of ``ndims``, ``param`` having the same (list) structure."""
    if isinstance(ndims, (list, tuple)):
        return type(ndims)(_map_up_to(n, fn, p) for p, n in zip(param, ndims))
    return fn(param, ndims)


def _batch_shape(param: Any, ndims: int) -> list:
    shape = param.batch_shape.as_list() if hasattr(param, "batch_shape_tensor") else param.shape.as_list()
    return shape[:len(shape) - ndims] if not hasattr(param, "batch_shape_tensor") else shape


def _broadcast_parameter_with_batch_shape(param: Any, ndims: Any, batch_shape: list) -> Any:
    if hasattr(param, "batch_shape_tensor"):
        overrides = {name: _map_up_to(n, lambda p, k: _broadcast_parameter_with_batch_shape(p, k, batch_shape),
                                      getattr(param, name))
                     for name, n in param._experimental_parameter_ndims_to_matrix_ndims.items()}
        return type(param)(**dict(param.parameters, **overrides))
    param = convert_to_tensor(param)
    base_shape = list(batch_shape) + [1] * ndims
    return broadcast_to(param, list(np.broadcast_shapes(tuple(base_shape), tuple(param.shape.as_list()))))


def _sanitize_slices(slices: Sequence, intended_shape: list, deficient_shape: list) -> list:
    """Slices that take a dimension the parameter broadcasts (size 1 where the batch is larger) whole."""
    sanitized, idx = [], 0
    for slc in slices:
        if slc is Ellipsis:
            if idx < 0:
                raise ValueError(f"Found multiple `...` in slices {slices}")
            idx = -sum(s is not None for s in slices[list(slices).index(Ellipsis) + 1:])
        elif slc is not None:
            is_broadcast = intended_shape[idx] > deficient_shape[idx]
            if isinstance(slc, slice):
                start = None if slc.start is None else (0 if is_broadcast else slc.start)
                stop = None if slc.stop is None else (1 if is_broadcast else slc.stop)
                step = None if slc.step is None else (1 if is_broadcast else slc.step)
                slc = slice(start, stop, step)
            else:
                slc = 0 if is_broadcast else slc
            idx += 1
        sanitized.append(slc)
    return sanitized


def _slice_single_param(param: Any, ndims: int, slices: Sequence, batch_shape: list) -> Any:
    param = _broadcast_parameter_with_batch_shape(param, ndims, [1] * len(batch_shape))
    param_batch_shape = _batch_shape(param, ndims)
    if batch_shape and not param_batch_shape:
        return param
    param_slices = _sanitize_slices(slices, intended_shape=batch_shape, deficient_shape=param_batch_shape)
    if ndims > 0:
        if Ellipsis not in list(slices):
            param_slices.append(Ellipsis)
        param_slices += [slice(None)] * ndims
    return param[tuple(param_slices)]


def batch_slice(linop: Any, params_overrides: dict, slices: Any) -> Any:
    """``linop`` with its batch dimensions sliced by ``slices``."""
    if not isinstance(slices, Sequence):
        slices = (slices,)
    overrides: dict = {}
    if not (len(slices) == 1 and slices[0] is Ellipsis):
        batch_shape = linop.batch_shape.as_list()
        for name, ndims in linop._experimental_parameter_ndims_to_matrix_ndims.items():
            param = getattr(linop, name)
            if param is not None:
                overrides[name] = _map_up_to(
                    ndims, lambda p, n: _slice_single_param(p, n, slices=slices, batch_shape=batch_shape), param)
    overrides.update(params_overrides)
    return type(linop)(**dict(linop.parameters, **overrides))
