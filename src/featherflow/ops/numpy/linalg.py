"""tnp's products: ``dot``, ``matmul``, ``tensordot``, ``inner``, ``outer``, ``cross``, ``kron``, ``vdot``,
``einsum``, ``polyval`` (TF's np_math_ops), all on NumPy's promoted dtype."""

from __future__ import annotations

from typing import Any

from ...errors import InvalidArgumentError
from ...tensor import Tensor
from ..array import core as array_ops
from ..array import gather as gather_ops
from ..array import join
from ..linalg import core as la
from ..math import api as m
from ._dtypes import asarray, promote, promote_binary


def _rank(t: Tensor) -> int:
    return t._value.ndim


def dot(a: Any, b: Any) -> Tensor:
    """NumPy's dot: a product for scalars, else a sum over a's last and b's last (vector) or second-last axis."""
    x, y = promote_binary(a, b)
    if _rank(x) == 0 or _rank(y) == 0:
        return x * y
    return la.tensordot(x, y, [[-1], [-1 if _rank(y) == 1 else -2]])


def matmul(x1: Any, x2: Any) -> Tensor:
    """The matrix product with NumPy's rules for 1-d operands (TF's errors as ValueError)."""
    a, b = promote_binary(x1, x2)
    try:
        if _rank(a) == 2 and _rank(b) == 2:
            return la.matmul(a, b)
        if _rank(b) == 1:
            return la.tensordot(a, b, 1)
        if _rank(a) == 1:
            return la.tensordot(a, b, [[0], [-2]])
        return la.matmul(a, b)
    except InvalidArgumentError as err:
        raise ValueError(str(err)) from err


def tensordot(a: Any, b: Any, axes: Any = 2) -> Tensor:
    """The sum of products over ``axes``."""
    x, y = promote_binary(a, b)
    return la.tensordot(x, y, axes)


def inner(a: Any, b: Any) -> Tensor:
    """The inner product over the last axes (a product for scalars)."""
    x, y = promote_binary(a, b)
    if _rank(x) == 0 or _rank(y) == 0:
        return x * y
    return la.tensordot(x, y, [[-1], [-1]])


def outer(a: Any, b: Any) -> Tensor:
    """The outer product of the flattened inputs."""
    x, y = promote_binary(a, b)
    return array_ops.reshape(x, [-1, 1]) * array_ops.reshape(y, [-1])


def vdot(a: Any, b: Any) -> Tensor:
    """The dot product of the flattened inputs, the first conjugated."""
    x, y = promote(a, b)
    x, y = array_ops.reshape(x, [-1]), array_ops.reshape(y, [-1])
    if x._dtype.is_complex:
        x = m.conj(x)
    return dot(x, y)


def _move_last(t: Tensor, axis: int) -> Tensor:
    rank = _rank(t)
    axis = axis + rank if axis < 0 else axis
    if axis == rank - 1:
        return t
    return array_ops.transpose(t, [i for i in range(rank) if i != axis] + [axis])


def _cross3(a: Tensor, b: Tensor) -> Tensor:
    def part(t: Tensor, order: list[int]) -> Tensor:
        return gather_ops.gather(t, order, axis=-1) if _rank(t) > 1 else gather_ops.gather(t, order)

    return part(a, [1, 2, 0]) * part(b, [2, 0, 1]) - part(a, [2, 0, 1]) * part(b, [1, 2, 0])


def cross(a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: int | None = None) -> Tensor:
    """The cross product of vectors of 2 or 3 elements along the given axes."""
    x, y = promote_binary(a, b)
    if axis is not None:
        axisa = axisb = axisc = axis
    x, y = _move_last(x, axisa), _move_last(y, axisb)
    a_dim, b_dim = x._value.shape[-1], y._value.shape[-1]
    for n in (a_dim, b_dim):
        if n not in (2, 3):
            raise ValueError("incompatible dimensions for cross product (dimension must be 2 or 3)")
    if a_dim == 2:
        x = join.pad(x, [[0, 0]] * (_rank(x) - 1) + [[0, 1]])
    if b_dim == 2:
        y = join.pad(y, [[0, 0]] * (_rank(y) - 1) + [[0, 1]])
    import numpy as np

    shape = list(np.broadcast_shapes(x._value.shape, y._value.shape))
    c = _cross3(array_ops.broadcast_to(x, shape), array_ops.broadcast_to(y, shape))
    if a_dim == 2 and b_dim == 2:
        return c[..., 2]
    rank = _rank(c)
    axisc = axisc + rank if axisc < 0 else axisc
    if axisc == rank - 1:
        return c
    return array_ops.transpose(c, list(range(axisc)) + [rank - 1] + list(range(axisc, rank - 1)))


def kron(a: Any, b: Any) -> Tensor:
    """The Kronecker product."""
    x, y = promote(a, b)
    ra, rb = _rank(x), _rank(y)
    if ra < rb:
        x = array_ops.reshape(x, [1] * (rb - ra) + list(x._value.shape))
    if rb < ra:
        y = array_ops.reshape(y, [1] * (ra - rb) + list(y._value.shape))
    sa, sb = list(x._value.shape), list(y._value.shape)
    xa = array_ops.reshape(x, [d for s in sa for d in (s, 1)])
    yb = array_ops.reshape(y, [d for s in sb for d in (1, s)])
    return array_ops.reshape(xa * yb, [p * q for p, q in zip(sa, sb)])


def einsum(subscripts: str, *operands: Any, **kwargs: Any) -> Tensor:
    """Einstein summation; ``casting='safe'`` promotes the operands, ``'no'`` keeps them."""
    casting = kwargs.get("casting", "safe")
    optimize = kwargs.get("optimize", False)
    if casting == "safe":
        ops = promote(*operands)
    elif casting == "no":
        ops = [asarray(x) for x in operands]
    else:
        raise ValueError('Invalid value for argument `casting`. Expected casting="safe" or casting="no". '
                         f"Received: casting={casting}")
    if optimize not in (False, True, "greedy", "optimal"):
        raise ValueError('Invalid value for argument `optimize`. Expected one of {True, "greedy", "optimal"}. '
                         f"Received: optimize={optimize}")
    return la.einsum(subscripts, *ops)


def polyval(p: Any, x: Any) -> Tensor:
    """The polynomial with coefficients ``p`` (highest power first) at ``x`` (Horner's rule)."""
    c, t = promote_binary(p, x)
    if _rank(c) == 0:
        c = array_ops.reshape(c, [1])
    coeffs = array_ops.unstack(c)
    y = coeffs[0]
    for coef in coeffs[1:]:
        y = y * t + coef
    if len(coeffs) == 1:
        y = array_ops.broadcast_to(y, list(t._value.shape))
    return y
