"""``tf.sparse`` functions that move entries: reshape, slice, concat, split, fill_empty_rows; and the
``tf.sparse.segment_*`` reductions.

>>> import featherflow as tf
>>> s = tf.sparse.SparseTensor([[0, 1], [1, 2]], [1, 2], [2, 3])
>>> tf.sparse.reshape(s, [3, 2]).indices.numpy().tolist()
[[0, 1], [2, 1]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...device import _scope
from ...errors import InvalidArgumentError
from ...tensor import Tensor, convert_to_tensor, kernel_error
from ..array.core import host_tensor, identity_op
from ..convert import tensor
from . import layout as lay
from .api import _new
from .tensor import SparseTensor, as_sparse


def _node_error(node: str, op: str, message: str, named: bool = True) -> InvalidArgumentError:
    """A kernel's error whose function node is named after the op and its list attrs (``SparseConcat_N_2``)."""
    dev = _scope.device.name
    return InvalidArgumentError(None, None, f"{{{{function_node __wrapped__{node}_device_{dev}}}}} {message} "
                                            f"[Op:{op}]" + (" name: " if named else ""))


def _host_ints(value: Any) -> list[int]:
    return [int(v) for v in np.asarray(host_tensor(value)._numpy()).reshape(-1)]


def reshape(sp_input: SparseTensor, shape: Any, name: str | None = None) -> SparseTensor:
    """The same entries in a dense tensor of ``shape`` (one -1 is inferred), row-major as ``tf.reshape``."""
    sp = as_sparse(sp_input)
    dims = _host_ints(shape)
    if sum(d == -1 for d in dims) > 1:
        raise ValueError(f"At most one dimension can be inferred (-1). Found: {np.array(dims)}")
    size = int(np.prod(sp._shape, dtype=np.int64))
    known = int(np.prod([d for d in dims if d != -1], dtype=np.int64))
    text = ",".join(map(str, sp._shape))
    if -1 in dims:
        inferred = [size // known if d == -1 and known else (0 if d == -1 else d) for d in dims]
        if known == 0 and size != 0 or known and size % known:
            raise kernel_error("SparseReshape", f"Input to reshape is a SparseTensor with {size} dense values, but "
                                                f"the requested shape requires a multiple of {known}. input_shape="
                                                f"[{text}] output_shape=[{','.join(map(str, inferred))}]")
        dims = inferred
    elif known != size:
        raise kernel_error("SparseReshape", f"Input to reshape is a tensor with {size} dense values, but the "
                                            f"requested shape has {known}. input_shape=[{text}] output_shape="
                                            f"[{','.join(map(str, dims))}]")
    new_shape = tuple(dims)
    idx = lay.sparse_reshape_op(sp.indices, shape=sp._shape, new_shape=new_shape)
    return _new(idx, identity_op(sp.values), new_shape)


def slice(sp_input: SparseTensor, start: Any, size: Any, name: str | None = None) -> SparseTensor:  # noqa: A001
    """The entries inside the box ``[start, start + size)``, re-based at ``start`` (the box clipped to the shape)."""
    sp = as_sparse(sp_input)
    start_, size_ = _host_ints(start), _host_ints(size)
    rank = len(sp._shape)
    if len(start_) != rank or len(size_) != rank:
        what, got = ("start", start_) if len(start_) != rank else ("size", size_)
        raise kernel_error("SparseSlice", f"Expected {what} to be a vector of length {rank} but got length "
                                          f"{len(got)}")
    out_shape = tuple(max(0, min(s + n, d) - s) if s < d else 0 for s, n, d in zip(start_, size_, sp._shape))
    idx, val, _ = lay.sparse_slice_op(sp.indices, sp.values, start=tuple(start_), size=out_shape)
    return _new(idx, val, out_shape)


def concat(axis: int, sp_inputs: list, expand_nonconcat_dims: bool = False, name: str | None = None) -> SparseTensor:
    """The SparseTensors joined along ``axis`` (the other dimensions grown to the largest when
    ``expand_nonconcat_dims``)."""
    sps = [as_sparse(s) for s in sp_inputs]
    if len(sps) == 1:
        return sps[0]
    rank = len(sps[0]._shape)
    if not -rank <= axis < rank:
        raise kernel_error("SparseConcat", f"Concat dimension must be in range [{-rank}, {rank}), got {axis}")
    axis = axis % rank
    shapes = [s._shape for s in sps]
    if expand_nonconcat_dims:
        top = [max(s[d] for s in shapes) for d in range(rank)]
        shapes = [tuple(s[d] if d == axis else top[d] for d in range(rank)) for s in shapes]
    for i, s in enumerate(shapes[1:], 1):
        if len(s) != rank:
            raise kernel_error("SparseConcat", f"Ranks of all input tensors should match: shape[0] = "
                                               f"[{','.join(map(str, shapes[0]))}] vs. shape[{i}] = "
                                               f"[{','.join(map(str, s))}]")
        for d in range(rank):
            if d != axis and s[d] != shapes[0][d]:
                raise _node_error(f"SparseConcat_N_{len(sps)}", "SparseConcat", f"Input shapes must match: expected "
                                  f"{shapes[0][d]} for dimension {d} but got {s[d]} at position {i}")
    dtype = sps[0].values._dtype
    values = [s.values if s.values._dtype is dtype else convert_to_tensor(s.values, dtype=dtype) for s in sps]
    idx, val = lay.sparse_concat_op(*[s.indices for s in sps], *values, shapes=tuple(shapes), concat_dim=axis)
    out = list(shapes[0])
    out[axis] = sum(s[axis] for s in shapes)
    return _new(idx, val, tuple(out))


def split(sp_input: SparseTensor = None, num_split: int = None, axis: int = None, name: str | None = None,
          **kwargs: Any) -> list:
    """``sp_input`` cut into ``num_split`` pieces along ``axis`` (the first ``size % num_split`` one longer)."""
    if kwargs:
        raise TypeError(f"split() got an unexpected keyword argument {next(iter(kwargs))!r}")
    if sp_input is None or num_split is None or axis is None:
        raise ValueError("sp_input, num_split and axis are required")
    sp = as_sparse(sp_input)
    rank = len(sp._shape)
    axis = int(axis)
    if not -rank <= axis < rank:
        raise kernel_error("SparseSplit", f"Input split_dim should be between {-rank} and {rank}, got {axis}")
    axis %= rank
    n = sp._shape[axis]
    num_split = int(num_split)
    if not 1 <= num_split <= n:
        raise _node_error(f"SparseSplit_num_split_{num_split}", "SparseSplit", f"Input num_split should be between 1 "
                          f"and the splitting dimension size ({n}), got {num_split}")
    base, extra = divmod(n, num_split)
    sizes = [base + 1 if i < extra else base for i in range(num_split)]
    bounds = tuple(int(b) for b in np.cumsum([0] + sizes))
    parts = lay.sparse_split_op(sp.indices, sp.values, axis=axis, bounds=bounds)
    out = []
    for i, piece in enumerate(sizes):
        shape = list(sp._shape)
        shape[axis] = piece
        out.append(_new(parts[2 * i], parts[2 * i + 1], tuple(shape)))
    return out


def fill_empty_rows(sp_input: SparseTensor, default_value: Any, name: str | None = None) -> tuple:
    """(``sp_input`` with ``default_value`` at [row, 0, ...] of each empty row, the bool vector of empty rows)."""
    sp = as_sparse(sp_input)
    default = convert_to_tensor(default_value, dtype=sp.values._dtype)
    if not sp._shape:
        raise kernel_error("SparseFillEmptyRows", "dense_shape must be a vector")
    idx, val, empty, _ = lay.sparse_fill_empty_rows_op(sp.indices, sp.values, default, shape=sp._shape)
    return SparseTensor(idx, val, sp.dense_shape), empty


# --- segment reductions ---------------------------------------------------------------------------------


def _segment(kind: str, data: Any, indices: Any, segment_ids: Any, num_segments: Any, sparse_gradient: bool) -> Tensor:
    if sparse_gradient:  # TF then gives the gradient of ``data`` as IndexedSlices
        raise NotImplementedError("sparse_gradient=True (an IndexedSlices gradient) is not supported; the "
                                  "gradient is dense")
    d, idx, ids = tensor(data), tensor(indices), tensor(segment_ids)
    names = {"sum": "SparseSegmentSum", "mean": "SparseSegmentMean", "sqrt_n": "SparseSegmentSqrtN"}
    name = names[kind] + ("WithNumSegments" if num_segments is not None else "")
    ops = {("sum", False): lay.sparse_segment_sum_op, ("mean", False): lay.sparse_segment_mean_op,
           ("sqrt_n", False): lay.sparse_segment_sqrt_n_op, ("sum", True): lay.sparse_segment_sum_n_op,
           ("mean", True): lay.sparse_segment_mean_n_op, ("sqrt_n", True): lay.sparse_segment_sqrt_n_n_op}
    op = ops[kind, num_segments is not None]
    try:
        op.check(d, idx, ids)
    except InvalidArgumentError as e:  # tf.sparse.segment_* errors end without TF's " name: "
        message = e.message[:-len(" name: ")] if e.message.endswith(" name: ") else e.message
        raise InvalidArgumentError(None, None, message) from None
    if idx._value.ndim != 1:
        raise kernel_error(name, "indices should be a vector.")
    if ids._value.ndim != 1:
        raise kernel_error(name, "segment_ids should be a vector.")
    if idx.shape[0] != ids.shape[0]:
        raise kernel_error(name, "segment_ids and indices should have same size.")
    ids_host = np.asarray(ids._numpy()).astype(np.int64)  # TF's CPU kernel reads them to size the output
    idx_host = np.asarray(idx._numpy()).astype(np.int64)
    if num_segments is not None:
        num = int(np.asarray(host_tensor(num_segments)._numpy()))
    else:
        num = int(ids_host[-1]) + 1 if ids_host.size else 0
    bad = np.flatnonzero((idx_host < 0) | (idx_host >= d.shape[0]))
    if bad.size:
        i = int(bad[0])
        raise _node_error(name, name, f"Bad: indices[{i}] == {idx_host[i]} out of range [0, {d.shape[0]})", False)
    if ids_host.size and ((np.diff(ids_host) < 0).any() or ids_host[0] < 0 or ids_host[-1] >= num):
        raise _node_error(name, name, "segment ids are not increasing" if (np.diff(ids_host) < 0).any() else
                          f"Invalid segment id {int(ids_host[-1])}, num_segments {num}", False)
    return op(d, idx, ids, num=num)


def segment_sum(data: Any, indices: Any, segment_ids: Any, num_segments: Any = None, name: str | None = None,
                sparse_gradient: bool = False) -> Tensor:
    """Sums of the rows ``data[indices]`` by (sorted) ``segment_ids``."""
    return _segment("sum", data, indices, segment_ids, num_segments, sparse_gradient)


def segment_mean(data: Any, indices: Any, segment_ids: Any, num_segments: Any = None, name: str | None = None,
                 sparse_gradient: bool = False) -> Tensor:
    """Means of the rows ``data[indices]`` by (sorted) ``segment_ids``; empty segments are 0."""
    return _segment("mean", data, indices, segment_ids, num_segments, sparse_gradient)


def segment_sqrt_n(data: Any, indices: Any, segment_ids: Any, num_segments: Any = None, name: str | None = None,
                   sparse_gradient: bool = False) -> Tensor:
    """Sums of the rows ``data[indices]`` by (sorted) ``segment_ids``, divided by the root of their count."""
    return _segment("sqrt_n", data, indices, segment_ids, num_segments, sparse_gradient)

