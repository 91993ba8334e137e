"""The backward pass: walk a tape's records in reverse, apply each op's gradient rule, accumulate.

Gradients are kept in one dict keyed by ``id`` of the tensor (or variable) they belong to; the records keep
those objects alive, so ids stay unique. A record's output gradient is popped when the record is reached
(all its consumers come later on the tape, so it is complete by then), which frees it as early as possible.
"""

from __future__ import annotations

import enum
from typing import Any

import numpy as np

from ..indexed_slices import IndexedSlices
from ..nest import flatten, pack_sequence_as
from ..ops.array.core import concat_op, reshape_op, stack_op
from ..ops.convert import tensor
from ..ops.math.elementwise import add_op, cast_op
from ..ops.math.reduce import sum_op
from ..tensor import Tensor, _make_typed
from ..variable import Variable

_new = object.__new__


class UnconnectedGradients(enum.Enum):
    """What ``gradient`` returns for sources the target does not depend on (``tf.UnconnectedGradients``)."""

    NONE = "none"
    ZERO = "zero"


def unbroadcast(g: Tensor, shape: tuple) -> Tensor:
    """Sums ``g`` over the dimensions that broadcasting added or stretched, back to ``shape``."""
    gshape = g._value.shape
    lead = len(gshape) - len(shape)
    if lead > 0 and gshape[lead:] == shape:  # only leading dimensions were added (a bias): one sum
        return sum_op(g, axis=(0,) if lead == 1 else tuple(range(lead)), keepdims=False)
    axes = tuple(range(lead)) + tuple(i + lead for i, d in enumerate(shape) if d == 1 and gshape[i + lead] != 1)
    if axes:
        g = sum_op(g, axis=axes, keepdims=False)
    if g._value.shape != shape:
        g = reshape_op(g, shape=shape)
    return g


def _dense(g: Any) -> Tensor:
    """A gradient as a dense Tensor (IndexedSlices are summed into their dense shape)."""
    return g if type(g) is Tensor else tensor(g)


def _add(a: Any, b: Any) -> Any:
    """Sums two gradients of one value: dense if either is dense, else IndexedSlices concatenated (as TF)."""
    if type(a) is Tensor and type(b) is Tensor:
        return add_op(a, b)
    if isinstance(a, IndexedSlices) and isinstance(b, IndexedSlices):
        ia, ib = a.indices, b.indices
        if ia._dtype is not ib._dtype:  # TF casts mixed index dtypes to int64 before concatenating
            ia, ib = (i if i._dtype._np == np.int64 else cast_op(i, dtype=np.int64) for i in (ia, ib))
        # b arrived later in the reverse walk, so it comes from earlier on the tape: TF lists it first
        return IndexedSlices(concat_op(b.values, a.values, axis=0), concat_op(ib, ia, axis=0), a.dense_shape)
    return add_op(_dense(a), _dense(b))


def _key(x: Any) -> int:
    if type(x) is Tensor or type(x) is Variable:
        return id(x)
    if isinstance(x, Variable):
        return id(getattr(x, "_parent", x))  # what ``assign`` returns stands for the variable
    if isinstance(x, Tensor):
        return id(x)
    if x is None:
        raise TypeError("Cannot convert the argument `type_value`: None to a TensorFlow DType.")
    if hasattr(x, "_should_act_as_resource_variable"):
        return _key(x.handle)  # TF's tape keys an object acting as a resource variable (Keras's) by its handle
    raise AttributeError(f"'{type(x).__name__}' object has no attribute '_id'")


_SCALAR_ONES: dict = {}  # NumPy dtype -> a read-only 0-d one, shared by the seeds of scalar targets


def _ones_like(x: Any) -> Tensor:
    """The default seed: ones shaped like the target (the same read-only array for every scalar target)."""
    array = x._value if type(x) is Tensor else x._array if isinstance(x, Variable) else x._value
    dev = x._device
    if array.ndim == 0 and dev.xp is np:
        ones = _SCALAR_ONES.get(array.dtype)
        if ones is None:
            ones = np.ones((), array.dtype)
            ones.flags.writeable = False
            _SCALAR_ONES[array.dtype] = ones
    elif dev.xp is np:
        ones = np.empty(array.shape, array.dtype)  # empty + fill: a third of the cost of np.ones
        ones.fill(1)
    else:
        with dev.activate():  # made on the target's card, whichever card is current
            ones = dev.xp.ones(array.shape, array.dtype)
    t = _new(Tensor)
    t._value = ones
    t._dtype = x._dtype
    t._device = dev
    return t


def zeros_for(x: Any) -> Tensor:
    array = x._array if isinstance(x, Variable) else x._value
    return _zeros(x._device, array.shape, array.dtype, x._dtype)


def _zeros(device: Any, shape: tuple, np_dtype: Any, dtype: Any) -> Tensor:
    """A Tensor of zeros made on ``device`` (on its card, whichever card is current): no host copy."""
    with device.activate():
        return _make_typed(device.xp.zeros(shape, np_dtype), dtype, device)


def _unwatched(inputs: tuple, watched: dict) -> tuple:
    return tuple(i for i, x in enumerate(inputs) if id(x) not in watched)


def backward(records: list, watched: dict, targets: list, output_gradients: list | None, sources: list,
             zero: bool) -> list:
    """The gradients of the sum of ``targets`` (seeded with ``output_gradients``, else ones) for ``sources``.

    Only inputs the tape watches receive gradients (TF: an unwatched constant source gets None), and rules
    that take a ``skip`` keyword are told which inputs those are, so they need not compute for them.
    """
    if output_gradients is None and len(targets) == 1:
        target = targets[0]
        grads: dict[int, Any] = {_key(target): _ones_like(target)}
    else:
        grads = {}
        for i, t in enumerate(targets):
            key = _key(t)
            seed = output_gradients[i] if output_gradients is not None and i < len(output_gradients) else None
            if seed is None:
                seed = _ones_like(t)
            prev = grads.get(key)
            grads[key] = seed if prev is None else _add(prev, seed)
    keys = [_key(sources[0])] if len(sources) == 1 else [_key(s) for s in sources]
    wanted = set(keys)
    kept: dict[int, Any] = {}
    pop = grads.pop
    get = grads.get
    tensor_type = Tensor
    for op, inputs, out, attrs in reversed(records):
        if type(out) is tensor_type:
            key = id(out)
            g = pop(key, None)
            if g is None:
                continue
            if key in wanted:
                kept[key] = g
            if op is None:  # a variable read: the gradient (IndexedSlices too) flows to the variable
                key = id(inputs)
                prev = get(key)
                grads[key] = g if prev is None else _add(prev, g)
                continue
            if type(g) is not tensor_type:
                g = _dense(g)
            if op.grad is None:
                raise _no_gradient(op)
            if op.grad_skip:
                result = op.grad(g, out, *inputs, skip=_unwatched(inputs, watched), **attrs)
            else:
                result = op.grad(g, out, *inputs, **attrs) if attrs else op.grad(g, out, *inputs)
        else:
            gs = [pop(id(o), None) for o in out]
            if all(g is None for g in gs):
                continue
            for o, g in zip(out, gs):
                if g is not None and id(o) in wanted:
                    kept[id(o)] = g
            if op.grad is None:
                raise _no_gradient(op)
            # rules of multi-output ops get zeros for the outputs nothing depends on (TF does the same)
            gs = tuple(zeros_for(o) if g is None else _dense(g) for o, g in zip(out, gs))
            if op.grad_skip:
                result = op.grad(gs, out, *inputs, skip=_unwatched(inputs, watched), **attrs)
            else:
                result = op.grad(gs, out, *inputs, **attrs) if attrs else op.grad(gs, out, *inputs)
        if type(result) is not tuple and type(result) is not list:
            result = (result,)
        for x, gx in zip(inputs, result):
            key = id(x)
            if gx is None or key not in watched:  # watched: trainable dtypes only
                continue
            if type(gx) is tensor_type:
                if gx._value.shape != x._value.shape:
                    gx = unbroadcast(gx, x._value.shape)
            elif not hasattr(gx, "dense_shape"):  # a custom gradient may return Python or NumPy values
                gx = tensor(gx, x._dtype)
            prev = get(key)
            grads[key] = gx if prev is None else _add(prev, gx)
    if kept:
        grads.update(kept)
    out_grads = [get(keys[0])] if len(keys) == 1 else [get(key) for key in keys]
    if zero:
        out_grads = [zeros_for(s) if g is None else g for s, g in zip(sources, out_grads)]
    return out_grads


def _no_gradient(op: Any) -> LookupError:
    """TF's error for an op recorded on the tape that has no gradient registered (one declared not
    differentiable leaves no record: its inputs get None, while its outputs are watched)."""
    return LookupError(f"gradient registry has no entry for: {op.name}")


# --- jacobians ---------------------------------------------------------------------------------------


def _unconnected(value: Any) -> bool:
    try:
        return UnconnectedGradients(value) is UnconnectedGradients.ZERO
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {value!r}") from None


def _release(owner: Any) -> None:
    """A non-persistent tape is used up by a jacobian, as by ``gradient``."""
    if owner._recording and not owner._persistent:
        owner._pop_tape()
    if not owner._persistent:
        owner._watched_variables = owner._tape.variables
        owner._tape = None


def _one_hot_seed(y: Any, shape: tuple, flat_shape: tuple, index: Any) -> Tensor:
    """An output gradient of ``y``'s shape: ones at ``index`` of its ``flat_shape`` view, zeros elsewhere."""
    seed = _zeros(y._device, flat_shape, y._dtype._np, y._dtype)
    with y._device.activate():  # written on the device: no host copy per row
        seed._value[index] = 1
        seed._value = seed._value.reshape(shape)
    return seed


def jacobian(owner: Any, target: Any, sources: Any, unconnected_gradients: Any) -> Any:
    """Row by row: one backward pass per element of ``target`` (what TF's pfor vectorizes)."""
    zero = _unconnected(unconnected_gradients)
    tape = owner._tape
    if owner._recording and not owner._persistent:
        owner._pop_tape()
    flat_sources = flatten(sources)
    y = target if isinstance(target, (Tensor, Variable)) else tensor(target)
    yshape = (y._array if isinstance(y, Variable) else y._value).shape
    n = int(np.prod(yshape, dtype=np.int64))
    rows: list[list] = [[] for _ in flat_sources]
    for j in range(n):
        grads = backward(tape.records, tape.watched, [y], [_one_hot_seed(y, yshape, (n,), j)], flat_sources, zero)
        for k, g in enumerate(grads):
            rows[k].append(g)
    _release(owner)
    results = []
    for k, s in enumerate(flat_sources):
        sshape = (s._array if isinstance(s, Variable) else s._value).shape
        row = rows[k]
        if n and all(g is None for g in row):
            results.append(None)
            continue
        if n == 0:
            results.append(_zeros(s._device, yshape + sshape, s._dtype._np, s._dtype))
            continue
        row = [zeros_for(s) if g is None else _dense(g) for g in row]
        results.append(reshape_op(stack_op(*row, axis=0), shape=yshape + sshape))
    return pack_sequence_as(sources, results)


def batch_jacobian(owner: Any, target: Any, source: Any, unconnected_gradients: Any, use_pfor: bool) -> Any:
    """One backward pass per element of a target row, seeding that element in every row of the batch."""
    y = target if isinstance(target, (Tensor, Variable)) else tensor(target)
    x = source if isinstance(source, (Tensor, Variable)) else tensor(source)
    for t in (y, x):
        if t.shape.rank is not None and t.shape.rank < 2:
            raise ValueError(f"Shape {t.shape} must have rank at least 2")
    if y.shape[0] != x.shape[0]:
        raise ValueError(f"Need first dimension of target shape ({y.shape}) and source shape ({x.shape}) to match.")
    if not use_pfor and not owner._persistent:
        raise RuntimeError("GradientTape must be created with persistent=True to compute the batch_jacobian with "
                           "eager execution enabled and  with experimental_use_pfor set to False.")
    _unconnected(unconnected_gradients)
    tape = owner._tape
    if owner._recording and not owner._persistent:
        owner._pop_tape()
    yshape = (y._array if isinstance(y, Variable) else y._value).shape
    xshape = (x._array if isinstance(x, Variable) else x._value).shape
    batch = yshape[0]
    m = int(np.prod(yshape[1:], dtype=np.int64))
    columns = []
    for j in range(m):
        seed = _one_hot_seed(y, yshape, (batch, m), (slice(None), j))
        (g,) = backward(tape.records, tape.watched, [y], [seed], [x], True)
        columns.append(_dense(g))
    _release(owner)
    out_shape = yshape + xshape[1:]
    if not columns:
        return _zeros(y._device, out_shape, y._dtype._np, y._dtype)
    return reshape_op(stack_op(*columns, axis=1), shape=out_shape)

