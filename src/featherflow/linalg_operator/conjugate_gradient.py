"""``tf.linalg.experimental.conjugate_gradient``: solves ``A x = rhs`` for a self-adjoint positive definite operator
by (preconditioned) conjugate gradients (TF's ``linalg/sparse/conjugate_gradient.py``)."""

from __future__ import annotations

import collections
from typing import Any

from ..naming import name_scope
from ..ops.array.core import broadcast_to, squeeze
from ..ops.array.create import zeros
from ..ops.array.join import broadcast_static_shape
from ..ops.linalg.core import matvec, norm
from ..ops.math.reduce import reduce_any
from ..tensor import convert_to_tensor

CGState = collections.namedtuple("CGState", ["i", "x", "r", "p", "gamma"])


def _dot(x: Any, y: Any) -> Any:
    return squeeze(matvec(x[..., None], y, adjoint_a=True), axis=-1)


def conjugate_gradient(operator: Any, rhs: Any, preconditioner: Any = None, x: Any = None, tol: float = 1e-5,
                       max_iter: int = 20, name: str = "conjugate_gradient") -> CGState:
    """Conjugate gradient solver for ``operator @ x = rhs``; returns ``CGState(i, x, r, p, gamma)``."""
    if not (operator.is_self_adjoint and operator.is_positive_definite):
        raise ValueError("Expected a self-adjoint, positive definite operator.")
    with name_scope(name):
        rhs = convert_to_tensor(rhs)
        broadcast_shape = broadcast_static_shape(rhs.shape[:-1], operator.batch_shape)
        if preconditioner is not None:
            broadcast_shape = broadcast_static_shape(broadcast_shape, preconditioner.batch_shape)
        broadcast_rhs_shape = broadcast_shape.as_list() + [rhs.shape[-1]]
        r0 = broadcast_to(rhs, broadcast_rhs_shape)
        tol *= norm(r0, axis=-1)
        if x is None:
            x = zeros(broadcast_rhs_shape, dtype=rhs.dtype.base_dtype)
        else:
            r0 = rhs - operator.matvec(x)
        p0 = r0 if preconditioner is None else preconditioner.matvec(r0)
        state = CGState(i=convert_to_tensor(0), x=x, r=r0, p=p0, gamma=_dot(r0, p0))
        # TF's while_loop, run eagerly: the stopping criterion is read each iteration
        while bool(state.i < max_iter) and bool(reduce_any(norm(state.r, axis=-1) > tol)):
            z = operator.matvec(state.p)
            alpha = state.gamma / _dot(state.p, z)
            x = state.x + alpha[..., None] * state.p
            r = state.r - alpha[..., None] * z
            q = r if preconditioner is None else preconditioner.matvec(r)
            gamma = _dot(r, q)
            beta = gamma / state.gamma
            state = CGState(state.i + 1, x, r, q + beta[..., None] * state.p, gamma)
        return state
