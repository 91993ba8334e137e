"""Helpers shared by the LinearOperator classes (TF's ``linear_operator_util`` and ``property_hint_util``)."""

from __future__ import annotations

from typing import Any

from ..module import Module
from ..ops.array.core import broadcast_to
from ..ops.array.join import broadcast_static_shape
from ..ops.debugging.checks import assert_equal, assert_less
from ..ops.linalg.decomp import solve
from ..ops.math.api import abs as _abs
from ..ops.math.api import imag
from ..shape import Dimension, TensorShape
from ..tensor import Tensor, convert_to_tensor
from ..variable import Variable


def is_ref(x: Any) -> bool:
    """True for values an operator keeps as they are (variables, modules that look like tensors)."""
    return isinstance(x, Variable) or (isinstance(x, Module) and hasattr(x, "dtype") and hasattr(x, "shape"))


def convert_nonref_to_tensor(value: Any, dtype: Any = None, name: str | None = None) -> Any:
    """Variables stay variables (so the operator reads them at each use, and tf.Module tracks them)."""
    if value is None or is_ref(value):
        if dtype is not None and value is not None and value.dtype.base_dtype != dtype:
            raise TypeError(f"Mutable type must be of dtype '{dtype.name}' but is '{value.dtype.base_dtype.name}'.")
        return value
    return convert_to_tensor(value, dtype=dtype)


def assert_not_ref_type(x: Any, arg_name: str) -> None:
    """Raises TF's TypeError for a variable given where a shape is expected."""
    if is_ref(x):
        raise TypeError(f"Argument {arg_name} cannot be reference type. Found: {type(x)}.")


def shape_tensor(shape: Any) -> Tensor:
    """A shape as an int32 tensor (an empty list too)."""
    from ..dtypes import int32
    return convert_to_tensor(shape, dtype=int32 if isinstance(shape, (tuple, list)) and not shape else None)


def host_shape_tensor(shape: Any) -> Tensor:
    """A shape argument (``num_rows``, ``batch_shape``) as a host tensor: its value is read back at once, as TF
    reads a shape's constant value, which must not cost a device round trip."""
    from ..device import device_scope
    with device_scope("/device:CPU:0"):
        return shape_tensor(shape)


def static_value(t: Any) -> Any:
    """The value of a shape argument as NumPy (eagerly always known)."""
    return t.numpy() if isinstance(t, Tensor) else t


def assert_compatible_dims(a: Any, b: Any) -> None:
    """TF's ``Dimension.assert_is_compatible_with``."""
    a = a.value if isinstance(a, Dimension) else a
    b = b.value if isinstance(b, Dimension) else b
    if a is not None and b is not None and a != b:
        raise ValueError(f"Dimensions {a} and {b} are not compatible")


def dim_at(shape: TensorShape, index: int) -> Dimension:
    """Dimension ``index`` of ``shape`` (unknown for an unknown rank)."""
    if shape.rank is None:
        return Dimension(None)
    return shape.dims[index]


def assert_no_entries_with_modulus_zero(x: Any, message: str) -> None:
    """Raises ``InvalidArgumentError`` with ``message`` if an entry of ``x`` is 0."""
    x = convert_to_tensor(x)
    zero = convert_to_tensor(0, dtype=x.dtype.real_dtype)
    return assert_less(zero, _abs(x), message=message)


def assert_zero_imag_part(x: Any, message: str) -> None:
    """Raises ``InvalidArgumentError`` with ``message`` if ``x`` has a non-zero imaginary part."""
    x = convert_to_tensor(x)
    if x.dtype.is_floating:
        return None
    return assert_equal(convert_to_tensor(0, dtype=x.dtype.real_dtype), imag(x), message=message)


def assert_is_batch_matrix(tensor: Any) -> None:
    """Raises TF's ValueError for a tensor of rank below 2."""
    if tensor.shape.rank is not None and tensor.shape.rank < 2:
        raise ValueError(f"Expected [batch] matrix to have at least two dimensions. Found: {tensor}.")


def broadcast_matrix_batch_dims(batch_matrices: list) -> list:
    """Broadcasts the batch dimensions of each [batch] matrix to their common shape."""
    mats = [convert_to_tensor(m) for m in batch_matrices]
    for m in mats:
        assert_is_batch_matrix(m)
    if len(mats) < 2:
        return mats
    batch = mats[0].shape[:-2]
    for m in mats[1:]:
        batch = broadcast_static_shape(batch, m.shape[:-2])
    return [m if m.shape[:-2] == batch else broadcast_to(m, batch.concatenate(m.shape[-2:]).as_list())
            for m in mats]


def matrix_solve_with_broadcast(matrix: Any, rhs: Any, adjoint: bool = False) -> Tensor:
    """``tf.linalg.solve`` with the batch dimensions of ``matrix`` and ``rhs`` broadcast."""
    matrix = convert_to_tensor(matrix)
    rhs = convert_to_tensor(rhs, dtype=matrix.dtype)
    matrix, rhs = broadcast_matrix_batch_dims([matrix, rhs])
    return solve(matrix, rhs, adjoint=adjoint)


def is_adjoint_pair(x: Any, y: Any) -> bool:
    """True when ``x`` and ``y`` are known to be each other's adjoint."""
    if x is y:
        if x.is_self_adjoint is False:
            return False
        if x.is_self_adjoint:
            return True
    return x.H is y or y.H is x


def is_aat_form(operators: Any) -> bool:
    """True if the operators are ``[A, B, ..., B.H, A.H]`` (their product is self-adjoint)."""
    operators = list(operators)
    if not operators:
        raise ValueError("AAT form is undefined for empty operators")
    if len(operators) % 2:
        return False
    return all(is_adjoint_pair(operators[i], operators[-1 - i]) for i in range(len(operators) // 2))


def use_operator_or_provided_hint_unless_contradicting(operator: Any, hint_attr_name: str, provided: Any,
                                                       message: str) -> bool | None:
    """The hint shared with ``operator``; ValueError(``message``) when they contradict."""
    op_hint = getattr(operator, hint_attr_name)
    if op_hint is False and provided:
        raise ValueError(message)
    if op_hint and provided is False:
        raise ValueError(message)
    if op_hint or provided:
        return True
    if op_hint is False or provided is False:
        return False
    return None


# --- property_hint_util ---

def combined_commuting_self_adjoint_hint(a: Any, b: Any) -> bool | None:
    """Self-adjointness of the product of two commuting operators."""
    if a.is_self_adjoint and b.is_self_adjoint:
        return True
    if (a.is_self_adjoint is True and b.is_self_adjoint is False) or (
            a.is_self_adjoint is False and b.is_self_adjoint is True):
        return False
    return None


def is_square(a: Any, b: Any) -> bool | None:
    """Whether the product ``a @ b`` is square (``None``: unknown)."""
    if a.is_square and b.is_square:
        return True
    if a.is_square is False and b.is_square is False:
        m, n = a.range_dimension, b.domain_dimension
        if m is not None and n is not None:
            return m == n
    if a.is_square != b.is_square and a.is_square is not None and b.is_square is not None:
        return False
    return None


def combined_commuting_positive_definite_hint(a: Any, b: Any) -> bool | None:
    """Positive definiteness of the product of two commuting operators."""
    if a.is_positive_definite is True and a.is_self_adjoint is True and b.is_positive_definite is True and (
            b.is_self_adjoint is True):
        return True
    return None


def combined_non_singular_hint(a: Any, b: Any) -> bool | None:
    """Non-singularity of the product of two operators."""
    if a.is_non_singular is False or b.is_non_singular is False:
        return False
    return a.is_non_singular and b.is_non_singular


def checked_operators(operators: Any, empty_message: str) -> list:
    """The operators of a combining operator (block diagonal, composition, Kronecker) as a list, with TF's checks:
    an iterable, not empty (``empty_message``, formatted with the argument), one dtype."""
    if isinstance(operators, (str, bytes)) or not hasattr(operators, "__iter__"):
        raise TypeError(f"Expected argument to be iterable but got {operators!r}")
    operators = list(operators)
    if not operators:
        raise ValueError(empty_message.format(operators))
    dtype = operators[0].dtype
    for operator in operators:
        if operator.dtype != dtype:
            name_type = (str((o.name, o.dtype)) for o in operators)
            raise TypeError("Expected all operators to have the same dtype.  Found " + "   ".join(name_type))
    return operators
