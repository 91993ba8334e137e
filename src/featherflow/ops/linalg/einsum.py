"""``tf.einsum``: the Einsum op (NumPy's einsum plus what TF's kernel allows), its gradient (TF's _EinsumGrad), TF's
equation parsing and kernel checks, and the left-to-right chain TF runs for three or more operands.

>>> import featherflow as tf
>>> tf.einsum("ij,jk->ik", tf.constant([[1.0, 2.0]]), tf.constant([[3.0], [4.0]])).numpy()
array([[11.]], dtype=float32)
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import numpy as np

from ... import dtypes as _d
from ...tensor import Tensor
from .._kernel_errors import kernel_error
from ..array.core import reshape_op
from ..convert import COMPLEX, hinted, shape_text, tensor
from ..math.elementwise import conj_op
from ..registry import register

_LOW = _d.HALF_FLOATS  # float16 and bfloat16: computed in float32, as ``core``'s products
_FRESH = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _einsum_numpy(xp: Any, equation: str, *xs: Any) -> Any:
    """``xp.einsum``, plus what TF's kernel allows and NumPy's does not: repeated output labels (the gradient of
    a trace puts values on a diagonal), and float16/bfloat16 computed in float32."""
    ins, out = equation.split("->")
    dtype = xs[0].dtype
    if dtype in _LOW:
        xs = tuple(x.astype(np.float32) for x in xs)
    plain = out.replace("...", "")
    if len(set(plain)) != len(plain):
        # each repeat of a label gets a fresh label, tied to the first by an identity matrix
        used = set(equation)
        fresh = (c for c in _FRESH if c not in used)
        extra, extra_subs, seen, new_out = [], [], {}, ""
        sizes = _label_sizes(ins.split(","), xs)
        for c in re.findall(r"\.\.\.|.", out):
            if c in seen:
                f = next(fresh)
                extra.append(xp.eye(sizes[c], dtype=xs[0].dtype))
                extra_subs.append(c + f)
                c = f
            seen[c] = True
            new_out += c
        equation = ",".join([ins] + extra_subs) + "->" + new_out
        xs = xs + tuple(extra)
    result = xp.einsum(equation, *xs)
    return result.astype(dtype) if result.dtype != dtype else result


def _label_sizes(subs: list, xs: tuple) -> dict:
    sizes = {}
    for s, x in zip(subs, xs):
        labels = re.findall(r"\.\.\.|.", s)
        if "..." in labels:
            k = labels.index("...")
            after = len(labels) - k - 1
            dims = list(x.shape[:k]) + [None] + list(x.shape[x.ndim - after:])
        else:
            dims = list(x.shape)
        for c, d in zip(labels, dims):
            if c != "...":
                sizes.setdefault(c, d)
    return sizes


@register("Einsum")
def einsum_op(xp: Any, *xs: Any, equation: str) -> Any:
    return _einsum_numpy(xp, equation, *xs)


@einsum_op.gradient
def _(g: Tensor, ans: Tensor, *xs: Tensor, equation: str) -> tuple:
    ins, out = equation.split("->")
    if len(xs) == 1:
        return (_einsum_grad_wrt(g, None, xs[0], ins, "", out),)
    x_subs, y_subs = ins.split(",")
    if "..." in out:
        x_subs += "" if "..." in x_subs else "..."
        y_subs += "" if "..." in y_subs else "..."
    x, y = xs
    if g._dtype in COMPLEX:
        x, y = conj_op(x), conj_op(y)
    gx = _einsum_grad_wrt(g, y, xs[0], x_subs, y_subs, out)
    gy = _einsum_grad_wrt(g, x, xs[1], y_subs, x_subs, out)
    return _sum_ellipsis(gx, xs[0], x_subs), _sum_ellipsis(gy, xs[1], y_subs)


def _einsum_grad_wrt(g: Tensor, other: Tensor | None, x: Tensor, subs: str, other_subs: str, out: str) -> Tensor:
    """TF's _GetGradWrt / _GetGradReduced: the gradient for the labels shared with the output and the other
    operand by an einsum, then broadcast along the labels summed away."""
    reduced = sorted(set(subs) - set(out + other_subs + "."))
    left = "".join(c for c in subs if c not in reduced)
    if other is not None:
        g = einsum_op(g, other, equation=f"{out},{other_subs}->{left}")
        out = left
    if not reduced:
        return g if out == subs else einsum_op(g, equation=f"{out}->{subs}")
    sizes = _label_sizes([subs], (x._value,))
    shape = g._value.shape
    g = reshape_op(g, shape=(1,) * len(reduced) + shape)
    g = _broadcast_to(g, tuple(sizes[c] for c in reduced) + shape)
    return einsum_op(g, equation=f"{''.join(reduced)}{out}->{subs}")


def _broadcast_to(x: Tensor, shape: tuple) -> Tensor:
    from ..array.core import broadcast_to_op

    return broadcast_to_op(x, shape=shape)


def _sum_ellipsis(g: Tensor, x: Tensor, subs: str) -> Tensor:
    """Sums the gradient over the ellipsis dimensions that broadcasting added or stretched (TF's unbroadcast)."""
    xshape, gshape = x._value.shape, g._value.shape
    if xshape == gshape or "..." not in subs:
        return g
    from ..math.reduce import sum_op

    start = subs.index("...")
    after = len(subs) - start - 3
    g_dims = len(gshape) - start - after
    x_dims = len(xshape) - start - after
    lead = g_dims - x_dims
    axes = tuple(range(start, start + lead)) + tuple(
        start + lead + i for i in range(x_dims) if xshape[start + i] == 1 and gshape[start + lead + i] != 1)
    if axes:
        g = sum_op(g, axis=axes, keepdims=False)
    return g if g._value.shape == xshape else reshape_op(g, shape=xshape)


def _parse_einsum(equation: str, n_inputs: int) -> tuple[list, str]:
    """TF's _einsum_v2_parse_and_resolve_equation: validates and makes the output explicit."""
    resolved = equation.replace(" ", "")
    if "..." in equation:
        if "0" in resolved:
            raise ValueError(f'Invalid character "0" in equation: {equation}.')
        resolved = resolved.replace("...", "0")
    allowed = "a-zA-Z0" if "..." in equation else "a-zA-Z"
    match = re.match(f"^([{allowed},]*)(->[{allowed}]*)?$", resolved)
    if not match:
        raise ValueError(f"Subscripts have incorrect format: {resolved}")
    in_labels = match.group(1).split(",")
    out = match.group(2)[2:] if match.group(2) else None
    if n_inputs != len(in_labels):
        raise ValueError(f'Got {n_inputs} inputs for equation "{equation}", expecting {len(in_labels)}')
    if out is None:
        counts = Counter(match.group(1))
        out = "".join(c for c in sorted(counts) if c != "," and counts[c] == 1)
    if out and len(set(out)) != len(out):
        raise ValueError(f"Output subscripts contain a label appearing more than once: {equation}")
    for c in out:
        if c != "0" and c not in set(match.group(1)):
            raise ValueError(f"Output subscripts contain the label {c} not present in the input subscripts.")
    if out.count("0") > 1:
        raise ValueError(f"Output subscripts contain multiple ellipsis: {equation}")
    return [s.replace("0", "...") for s in in_labels], out.replace("0", "...")


def _check_einsum(subs: list, out: str, xs: list) -> None:
    """The Einsum kernel's checks: ranks, label sizes, broadcasting dimensions the output drops."""
    dt = xs[0]._dtype
    op = f"Einsum_N_{len(xs)}"
    sizes: dict = {}
    n_bcast = 0
    for i, (s, x) in enumerate(zip(subs, xs)):
        shape = x._value.shape
        labels = s.replace("...", "")
        if "..." in s:
            if len(shape) < len(labels):
                raise kernel_error("Einsum", f"Expected input {i} to have rank at least {len(labels)} but got: "
                                             f"{len(shape)}", dt, kernel=_einsum_kernel(op, dt))
            k = s.index("...")
            n_bcast = max(n_bcast, len(shape) - len(labels))
            axes = list(range(k)) + list(range(len(shape) - (len(labels) - k), len(shape)))
        else:
            if len(shape) != len(labels):
                raise kernel_error("Einsum", f"Expected input {i} to have rank {len(labels)} but got: {len(shape)}",
                                   dt, kernel=_einsum_kernel(op, dt))
            axes = list(range(len(shape)))
        for c, ax in zip(labels, axes):
            if c in sizes and sizes[c] != shape[ax]:
                raise kernel_error("Einsum", f"Expected dimension {sizes[c]} at axis {ax} of the input shaped "
                                             f"{shape_text(shape)} but got dimension {shape[ax]}", dt,
                                   kernel=_einsum_kernel(op, dt))
            sizes.setdefault(c, shape[ax])
    if n_bcast and "..." not in out:
        raise kernel_error("Einsum", f"Output contains {n_bcast} broadcasting dimension(s) but no ellipsis (...) was "
                                     "found in the output subscripts.", dt, kernel=_einsum_kernel(op, dt))


def _einsum_kernel(op: str, dt: _d.DType) -> str:
    from .._kernel_errors import on_cpu

    return f"__Mkl{op}" if dt in (_d.float32, _d.bfloat16) and on_cpu() else op


def _einsum_chain(subs: list, out: str) -> list:
    """Left-to-right binary steps for three or more operands; each step keeps the labels needed later."""
    steps, acc = [], subs[0]
    for i in range(1, len(subs)):
        rest = "".join(subs[i + 1:]) + out
        labels = re.findall(r"\.\.\.|.", acc) + re.findall(r"\.\.\.|.", subs[i])
        keep = []
        for c in labels:
            if c not in keep and (c == "..." or c in rest) and (i < len(subs) - 1):
                keep.append(c)
        target = "".join(keep) if i < len(subs) - 1 else out
        steps.append(f"{acc},{subs[i]}->{target}")
        acc = target
    return steps


def einsum(equation: str, *inputs: Any, **kwargs: Any) -> Tensor:
    """Tensor contraction over the labels of an Einstein-summation equation.

    >>> einsum("ij,jk->ik", tensor([[1.0, 2.0]]), tensor([[3.0], [4.0]])).numpy()
    array([[11.]], dtype=float32)
    """
    kwargs.pop("name", None)
    kwargs.pop("optimize", None)
    if kwargs:
        raise TypeError(f"Invalid keyword arguments for einsum: {', '.join(kwargs)}. Valid arguments: name, optimize,"
                        f" greedy.")
    for x in inputs:
        if not hasattr(x, "shape"):
            raise AttributeError(f"'{type(x).__name__}' object has no attribute 'shape'")
    subs, out = _parse_einsum(equation, len(inputs))
    xs = [tensor(inputs[0])] if inputs else []
    for x in inputs[1:]:
        xs.append(x if type(x) is Tensor else hinted(x, xs[0]._dtype))
    # before the shapes; TF runs a longer list as pairs, the first pair's NodeDef in its errors, and names a
    # later input of another dtype its pair's input #1
    steps = [",".join(subs) + "->" + out] if len(xs) <= 2 else _einsum_chain(subs, out)
    einsum_op.check(*xs[:2], equation=steps[0])
    for x in xs[2:]:
        einsum_op.check(xs[0], x)
    if len(xs) <= 2:
        _check_einsum(subs, out, xs)
        return einsum_op(*xs, equation=",".join(subs) + "->" + out)
    result = xs[0]
    for step, x in zip(steps, xs[1:]):
        pair = step.split("->")[0].split(",")
        _check_einsum(pair, step.split("->")[1], [result, x])
        result = einsum_op(result, x, equation=step)
    return result
