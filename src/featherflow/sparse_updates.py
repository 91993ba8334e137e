"""The array kernels behind ``Variable.scatter_*``, ``scatter_nd_*``, ``sparse_read`` and ``gather_nd``.

Each checks its inputs as TF's kernel does and raises TF's error; updates are applied in place to the
buffer they are given. As in TF's CPU kernels, ``scatter_*`` applies the updates before the first bad
index and then fails, while ``scatter_nd_*`` applies every good update and reports the last bad one.

The buffer and the updates stay on their device and are computed on with its array namespace ``xp``. On
the CPU the indices, which every check reads, are host (NumPy) arrays; on a GPU, ``*_on_device`` do what
TF's GPU kernels do instead: they read no index back, and skip (or, gathering, zero) what is out of range.

>>> import numpy as np
>>> buf = np.zeros(3, np.float32)
>>> scatter(np, buf, "ResourceScatterAdd", np.array([0, 0]), np.array([1.0, 2.0], np.float32), "")
>>> buf
array([3., 0., 0.], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import InvalidArgumentError

_UFUNCS = {"Add": "add", "Sub": "subtract", "Mul": "multiply", "Min": "minimum", "Max": "maximum"}


def shape_text(shape: tuple) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _position(shape: tuple, flat: int) -> str:
    """TF's SliceDebugString: the multi-index of a flat position, as ``[1,0]``."""
    return "[" + ",".join(str(int(i)) for i in np.unravel_index(flat, shape)) + "]" if shape else ""


def op_error(op: str, device: str, message: str, name_suffix: bool = True) -> InvalidArgumentError:
    suffix = " name: " if name_suffix else ""
    return InvalidArgumentError(None, None, f"{{{{function_node __wrapped__{op}_device_{device}}}}} {message} "
                                            f"[Op:{op}]{suffix}")


def _check_scatter(op: str, params: Any, indices: Any, updates: Any, device: str, name_suffix: bool) -> int:
    """TF's shape checks of ResourceScatter* (they read shapes only); the number of indices."""
    if updates.ndim != 0 and updates.ndim != indices.ndim + params.ndim - 1:
        raise _scatter_shape_error(op, device, params, indices, updates, name_suffix)
    n = indices.size
    if n and updates.ndim:
        if updates.shape[:indices.ndim] != indices.shape:
            raise op_error(op, device, f"The shape of indices ({shape_text(indices.shape)}) must be a prefix of the "
                                       f"shape of updates ({shape_text(updates.shape)})", name_suffix)
        if updates.shape[indices.ndim:] != params.shape[1:]:  # TF does not check this, and writes out of bounds
            raise _scatter_shape_error(op, device, params, indices, updates, name_suffix)
    return n


def scatter(xp: Any, params: Any, op: str, indices: np.ndarray, updates: Any, device: str,
            name_suffix: bool = True, device_indices: Any = None) -> None:
    """TF's ResourceScatter{Update,Add,Sub,Mul,Div,Min,Max} on ``params`` (rows indexed by ``indices``).

    ``device_indices``: the same indices on params' device, if there, spares copying them back from the host.
    """
    n = _check_scatter(op, params, indices, updates, device, name_suffix)
    if n == 0:
        return
    if op == "ResourceScatterDiv" and not bool(updates.all()):
        raise op_error(op, device, "updates must not contain 0", name_suffix)
    flat = indices.reshape(-1)
    rows = params.shape[0] if params.ndim else 1  # TF reads a scalar's missing first dimension; row 0 is it
    bad = np.flatnonzero((flat < 0) | (flat >= rows))
    good = int(bad[0]) if bad.size else n  # the updates before the first bad index are applied, as in TF
    rows_of = updates.reshape((n,) + params.shape[1:]) if updates.ndim else xp.broadcast_to(
        updates, (n,) + params.shape[1:])
    where = flat[:good]
    if params.ndim:
        if good < n:
            rows_of, device_indices = rows_of[:good], None
        _apply(xp, params, op[len("ResourceScatter"):], where, where, rows_of,
               None if device_indices is None else device_indices.reshape(-1))
    elif good:  # a scalar variable: each update combines with the whole value, in order
        for i in range(good):
            params[...] = _combine(xp, op[len("ResourceScatter"):], params, rows_of[i])
    if bad.size:
        at = int(bad[0])
        raise op_error(op, device, f"indices{_position(indices.shape, at)} = {int(flat[at])} is not in [0, {rows})",
                       name_suffix)


def _combine(xp: Any, kind: str, old: Any, new: Any) -> Any:
    """TF's ``old <kind> new`` for one update, elementwise on the device."""
    if kind == "Update":
        return new
    if kind == "Div":
        if old.dtype.kind in "iu":  # C++ integer division truncates toward zero
            q = xp.abs(old) // xp.abs(new)
            return xp.where((old < 0) != (new < 0), -q, q)
        return xp.divide(old, new)
    if kind == "Sub" and old.dtype.kind == "b":  # C++ bool arithmetic: a - b is a != b
        return xp.not_equal(old, new)
    return getattr(xp, _UFUNCS[kind])(old, new)


def _apply(xp: Any, params: Any, kind: str, keys: np.ndarray, where: Any, values: Any,
           device_where: Any = None) -> None:
    """``params[where[i]] = params[where[i]] <kind> values[i]`` for each i in turn, as TF's sequential CPU kernels.

    ``where`` indexes the leading axes of ``params`` (host rows, or a tuple of host coordinate arrays) and
    ``keys`` names each target by one host integer, so repeated targets can be found (``device_where``: ``where``
    on the device already, if it is there). Without repeats one vectorized step does it; with them, ``ufunc.at`` where the namespace has it, else rounds in which no target
    repeats (round r applies each target's r-th update).
    """
    n = keys.size
    if n == 0:
        return
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    if starts.all():
        index = _device_index(xp, where, None) if device_where is None else device_where
        params[index] = _combine(xp, kind, params[index], values)
        return
    if kind == "Update":  # only each target's last update matters
        ends = np.ones(n, dtype=bool)
        ends[:-1] = starts[1:]
        last = np.sort(order[ends])
        params[_device_index(xp, where, last)] = values[xp.asarray(last)]
        return
    at = getattr(getattr(xp, _UFUNCS.get(kind, ""), None), "at", None)
    if at is not None and not (kind == "Sub" and params.dtype.kind == "b"):
        at(params, _device_index(xp, where, None), values)
        return
    rank = np.empty(n, dtype=np.int64)  # how many earlier updates each update's target has had
    group_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    rank[order] = np.arange(n) - group_start
    for r in range(int(rank.max()) + 1):
        positions = np.flatnonzero(rank == r)
        index = _device_index(xp, where, positions)
        params[index] = _combine(xp, kind, params[index], values[xp.asarray(positions)])


def _device_index(xp: Any, where: Any, positions: np.ndarray | None) -> Any:
    """The host index ``where`` (restricted to ``positions``) as an index of the device's arrays."""
    if type(where) is tuple:
        return tuple(xp.asarray(w if positions is None else w[positions]) for w in where)
    return xp.asarray(where if positions is None else where[positions])


def _scatter_shape_error(op: str, device: str, params: Any, indices: Any, updates: Any,
                         name_suffix: bool) -> Exception:
    return op_error(op, device, "Must have updates.shape = indices.shape + params.shape[1:] or updates.shape = [], "
                                f"got updates.shape {shape_text(updates.shape)}, indices.shape "
                                f"{shape_text(indices.shape)}, params.shape {shape_text(params.shape)}", name_suffix)


def scatter_nd(xp: Any, params: Any, op: str, indices: np.ndarray, updates: Any, device: str,
               name_suffix: bool = False, device_indices: Any = None) -> None:
    """TF's ResourceScatterNd{Update,Add,Sub,Min,Max}: ``indices[..., :k]`` address slices of ``params``
    (``device_indices`` as for ``scatter``)."""
    n, slice_dim = _check_scatter_nd(op, params, indices, updates, device, name_suffix)
    coords = indices.reshape(n, slice_dim)
    bounds = np.asarray(params.shape[:slice_dim])
    bad = np.flatnonzero(((coords < 0) | (coords >= bounds)).any(axis=1)) if n else np.empty(0, np.int64)
    values = updates.reshape((n,) + params.shape[slice_dim:])
    good = coords
    device_where = None
    if bad.size:
        ok = np.ones(n, dtype=bool)
        ok[bad] = False
        good = coords[ok]
        values = values[xp.asarray(np.flatnonzero(ok))]
    elif device_indices is not None:
        on_device = device_indices.reshape(n, slice_dim)
        device_where = tuple(on_device[:, d] for d in range(slice_dim))
    keys = np.ravel_multi_index(tuple(good.T), params.shape[:slice_dim]) if slice_dim else np.zeros(len(good), int)
    _apply(xp, params, op[len("ResourceScatterNd"):], keys, tuple(good.T), values, device_where)
    if bad.size:  # TF's CPU kernel applies every good update and reports the last bad index
        at = int(bad[-1])
        batch_shape = indices.shape[:-1] if indices.ndim > 1 else indices.shape
        value = "[" + ", ".join(str(int(c)) for c in coords[at]) + "]"
        raise op_error(op, device, f"indices{_position(batch_shape, at)} = {value} does not index into shape "
                                   f"{shape_text(params.shape)}", name_suffix)


def _check_scatter_nd(op: str, params: Any, indices: Any, updates: Any, device: str, name_suffix: bool) -> tuple:
    """TF's shape checks of ResourceScatterNd* (they read shapes only): (index tuples, their length)."""
    def fail(message: str) -> Exception:
        return op_error(op, device, message, name_suffix)

    if params.ndim == 0:
        raise fail("Output must be at least 1-D, got shape: []")
    i_text, u_text, p_text = shape_text(indices.shape), shape_text(updates.shape), shape_text(params.shape)
    if not (indices.size == 0 and updates.size == 0 or params.size and indices.size and updates.size):
        raise fail(f"Indices and updates specified for empty output.  indices shape: {i_text}")
    slice_dim = indices.shape[-1] if indices.ndim > 1 else 1
    batch_dim = indices.ndim - 1 if indices.ndim > 1 else 1
    suffix_error = (f"Dimensions [{slice_dim},{params.ndim}) of input[shape={p_text}] must match dimensions "
                    f"[{slice_dim},{updates.ndim}) of updates[shape={u_text}]")
    if 0 < updates.ndim < batch_dim:
        raise fail(f"Dimensions [0,{batch_dim}) of indices[shape={i_text}] must match dimensions [0,{batch_dim}) of "
                   f"updates[shape={u_text}]")
    if updates.ndim == 0:  # TF reads dimensions the scalar does not have; it fails all the same
        raise fail(f"Dimensions [0,{batch_dim}) of indices[shape={i_text}] = {indices.shape[0] if indices.ndim else 0} "
                   f"must match dimensions [0,{batch_dim}) of updates[shape={u_text}] = 0")
    if params.ndim < slice_dim + (updates.ndim - batch_dim) or updates.ndim != batch_dim + params.ndim - slice_dim:
        raise fail(suffix_error)
    for d in range(batch_dim):
        if updates.shape[d] != indices.shape[d]:
            raise fail(f"Dimensions [0,{batch_dim}) of indices[shape={i_text}] = {indices.shape[d]} must match "
                       f"dimensions [0,{batch_dim}) of updates[shape={u_text}] = {updates.shape[d]}")
    if updates.shape[batch_dim:] != params.shape[slice_dim:]:
        raise fail(suffix_error)
    return (int(np.prod(indices.shape[:-1])) if indices.ndim > 1 else indices.size), slice_dim


def gather_rows(params_shape: tuple, indices: Any, device: str, name_suffix: bool = False,
                check_values: bool = True) -> None:
    """TF's ResourceGather check: every index is a row of the variable (``check_values`` False: on a GPU,
    whose kernel reads no index back and gathers zeros for a bad one; only the rank is checked)."""
    if not params_shape:
        raise op_error("ResourceGather", device, "params must be at least 1 dimensional", name_suffix)
    if not check_values:
        return
    rows = params_shape[0]
    flat = indices.reshape(-1)
    bad = np.flatnonzero((flat < 0) | (flat >= rows))
    if bad.size:
        at = int(bad[0])
        raise op_error("ResourceGather", device, f"indices{_position(indices.shape, at)} = {int(flat[at])} is not in "
                                                 f"[0, {rows})", name_suffix)


def gather_nd_check(params_shape: tuple, indices: Any, device: str, name_suffix: bool = False,
                    check_values: bool = True) -> None:
    """TF's ResourceGatherNd checks (``check_values`` False: the shape checks only, as TF's GPU kernel, which
    gathers zeros for an index tuple out of range)."""
    op = "ResourceGatherNd"
    if not params_shape:
        raise op_error(op, device, "params must be at least a vector", name_suffix)
    if indices.ndim < 1:
        raise op_error(op, device, "indices must be at least a vector", name_suffix)
    k = indices.shape[-1]
    if k > len(params_shape):
        raise op_error(op, device, f"index innermost dimension length must be <= params rank; saw: {k} vs. "
                                   f"{len(params_shape)}", name_suffix)
    if not check_values:
        return
    coords = indices.reshape(-1, k)
    bad = np.flatnonzero(((coords < 0) | (coords >= np.asarray(params_shape[:k], dtype=np.int64))).any(axis=1))
    if bad.size:
        at = int(bad[0])
        value = "[" + ", ".join(str(int(c)) for c in coords[at]) + "]"
        raise op_error(op, device, f"indices{_position(indices.shape[:-1], at)} = {value} does not index into param "
                                   f"shape {shape_text(params_shape)}, node name: {op}", name_suffix)


# --- on a GPU: TF's GPU kernels read no index back -----------------------------------------------------
# ResourceScatter* (scatter_functor_gpu.cu.h) and ResourceScatterNd* (scatter_nd_op_gpu.cu.cc) skip an update
# whose index is out of range ("Ignore indices that are out of range"), raise nothing, and apply duplicates
# with atomics; ResourceScatterDiv checks "updates must not contain 0" on the CPU only. Here validity is a
# mask computed on the device, so nothing is copied to the host. Two of TF's details are not followed: its
# GPU kernels for integer dtypes copy everything to the host and run the CPU kernel (DoScatterOnCpu), and
# an integer division by zero is undefined in CUDA (here the row is divided by 1 instead).


def scatter_on_device(xp: Any, params: Any, op: str, indices: Any, updates: Any, device: str,
                      name_suffix: bool = True) -> None:
    """``scatter`` as TF's GPU kernel: ``indices`` on params' device, bad ones skipped, no error for them."""
    n = _check_scatter(op, params, indices, updates, device, name_suffix)
    if n == 0:
        return
    rest = params.shape[1:]
    table = params.reshape((params.shape[0] if params.ndim else 1,) + rest)  # a view: a scalar is its one row
    values = updates.reshape((n,) + rest) if updates.ndim else xp.broadcast_to(updates, (n,) + rest)
    _apply_on_device(xp, table, op[len("ResourceScatter"):], indices.reshape(n), values)


def scatter_nd_on_device(xp: Any, params: Any, op: str, indices: Any, updates: Any, device: str,
                         name_suffix: bool = False) -> None:
    """``scatter_nd`` as TF's GPU kernel: an index tuple out of range is skipped, without an error."""
    n, k = _check_scatter_nd(op, params, indices, updates, device, name_suffix)
    if n == 0:
        return
    lead = params.shape[:k]
    rows = int(np.prod(lead, dtype=np.int64))
    table = params.reshape((rows,) + params.shape[k:])  # the addressed dimensions as one: a row per index tuple
    coords = indices.reshape(n, k).astype(np.int64)
    flat = xp.zeros(n, dtype=np.int64)
    inside = xp.ones(n, dtype=bool)
    for d, size in enumerate(lead):
        c = coords[:, d]
        inside &= (c >= 0) & (c < size)
        flat = flat * size + c
    _apply_on_device(xp, table, op[len("ResourceScatterNd"):], xp.where(inside, flat, -1),
                     updates.reshape((n,) + params.shape[k:]))


def _apply_on_device(xp: Any, table: Any, kind: str, rows: Any, values: Any) -> None:
    """``table[rows[i]] <kind>= values[i]`` for every i whose row exists, in place, computed on the device.

    Updates at a bad row are routed to row 0 with a value that leaves it unchanged. Repeated rows: Add, Sub,
    Mul, Div and Min/Max combine all their updates (``ufunc.at``, in order, as the CPU's loop); Update keeps
    one of them, the last (NumPy assigns in order; TF's GPU kernel leaves which one unspecified).
    """
    count, n = table.shape[0], rows.shape[0]
    if not count or not n:  # no row to write (every index is out of range) or nothing to write
        return
    inside = (rows >= 0) & (rows < count)
    safe = xp.where(inside, rows, 0)
    keep = inside.reshape((n,) + (1,) * (values.ndim - 1))
    if kind == "Update":
        # a bad update repeats the last good one (same row, same value), or, when none is good, writes row 0's
        # own value back: the in-order assignment then ends as the CPU's
        last = (n - 1) - xp.argmax(inside[::-1])
        fallback = xp.where(inside[last], values[last], table[safe[last]])
        table[xp.where(inside, rows, safe[last])] = xp.where(keep, values, fallback)
        return
    if kind in ("Min", "Max"):  # a row combined with its own value is unchanged
        ufunc = xp.minimum if kind == "Min" else xp.maximum
        ufunc.at(table, safe, xp.where(keep, values, table[safe]))
        return
    neutral = xp.ones((), dtype=values.dtype) if kind in ("Mul", "Div") else xp.zeros((), dtype=values.dtype)
    values = xp.where(keep, values, neutral)
    if kind == "Div" and table.dtype.kind in "iub":  # C++ truncating division by each row's product of divisors
        divisors = xp.ones(table.shape, dtype=table.dtype)
        xp.multiply.at(divisors, safe, values)
        table[...] = _combine(xp, "Div", table, xp.where(divisors == 0, xp.ones((), dtype=table.dtype), divisors))
        return
    if kind == "Sub" and table.dtype.kind == "b":  # C++ bool arithmetic: a - b is a != b
        ufunc = xp.bitwise_xor
    else:
        ufunc = getattr(xp, {"Div": "divide"}.get(kind) or _UFUNCS[kind])
    ufunc.at(table, safe, values)
