"""``tf.linalg.LinearOperator``: the base class of TF's structured [batch] matrices (TF's ``linear_operator.py``).

A subclass describes a matrix by its parameters and implements ``_shape``, ``_shape_tensor`` and ``_matmul``; the
base class derives the rest (dense fallbacks through ``to_dense``), checks hints and arguments with TF's errors,
and is a ``tf.Module`` so variables passed in are tracked. As in TF it is also a composite tensor: ``tf.nest`` with
``expand_composites=True`` sees its tensor parameters and rebuilds it from them (``composite.py``); the rest of
TF's ``TypeSpec`` (batching, serialization for graphs) has no eager use and is not ported.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from .._logs import LazyLogger
from ..dtypes import DType, as_dtype
from ..module import Module
from ..naming import name_scope
from ..ops.array.core import expand_dims, squeeze
from ..ops.array.create import eye
from ..ops.debugging.checks import assert_less, assert_positive
from ..ops.linalg.composite import cholesky_solve
from ..ops.linalg.core import adjoint as _adjoint
from ..ops.linalg.decomp import cholesky as _cholesky
from ..ops.linalg.decomp import det as _det
from ..ops.linalg.decomp import eigvalsh, slogdet, svd
from ..ops.linalg.diag import diag_part as _diag_part
from ..ops.math.api import abs as _abs
from ..ops.math.api import exp, log
from ..ops.math.reduce import reduce_max, reduce_min, reduce_sum
from ..shape import Dimension, TensorShape
from ..tensor import Tensor, convert_to_tensor
from . import _util
from . import composite as _composite

_log = LazyLogger("tensorflow")  # TF warns through its "tensorflow" logger


# The operators the base class builds (adjoint, inverse, composition, Cholesky factor) are defined in modules that
# import this one: each registers its class here when it is imported (the package imports them all).
_CLASSES: dict[str, type] = {}


def register_class(cls: type) -> type:
    """Makes ``cls`` available to the base class's derived-operator methods by its name."""
    _CLASSES[cls.__name__] = cls
    return cls


def _dim_value(d: Any) -> int | None:
    return d.value if isinstance(d, Dimension) else d


class LinearOperator(Module):
    """Base class defining a [batch of] linear operator[s] (``tf.linalg.LinearOperator``).

    >>> import featherflow as tf
    >>> op = tf.linalg.LinearOperatorDiag([1.0, 2.0])
    >>> op.matvec([3.0, 4.0]).numpy()
    array([3., 8.], dtype=float32)
    >>> type(op @ op).__name__, op.solvevec([1.0, 1.0]).numpy()
    ('LinearOperatorDiag', array([1. , 0.5], dtype=float32))
    """

    def __init__(self, dtype: Any, graph_parents: Any = None, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = None, name: str | None = None, parameters: dict | None = None) -> None:
        if is_positive_definite:
            if is_non_singular is False:
                raise ValueError("A positive definite matrix is always non-singular.")
            is_non_singular = True
        if is_non_singular:
            if is_square is False:
                raise ValueError("A non-singular matrix is always square.")
            is_square = True
        if is_self_adjoint:
            if is_square is False:
                raise ValueError("A self-adjoint matrix is always square.")
            is_square = True
        self._is_square_set_or_implied_by_hints = is_square
        if graph_parents is not None:
            self._set_graph_parents(graph_parents)
        else:
            self._graph_parents = []
        self._dtype = as_dtype(dtype).base_dtype if dtype else dtype
        self._is_non_singular = is_non_singular
        self._is_self_adjoint = is_self_adjoint
        self._is_positive_definite = is_positive_definite
        # the parameters hold the same variables as the attributes: not a second path for tf.Module to track
        self._parameters = self._no_dependency(parameters)
        self._name = name or type(self).__name__

    @contextlib.contextmanager
    def _name_scope(self, name: str | None = None) -> Iterator[str]:
        full_name = self.name if name is None else self.name + "/" + name
        with name_scope(full_name) as scope:
            yield scope

    @property
    def parameters(self) -> dict:
        """Dictionary of parameters used to instantiate this ``LinearOperator``."""
        return dict(self._parameters or {})

    @property
    def dtype(self) -> DType:
        """The ``DType`` of ``Tensor``s handled by this ``LinearOperator``."""
        return self._dtype

    @property
    def name(self) -> str:
        """Name prepended to all ops created by this ``LinearOperator``."""
        return self._name

    @property
    def graph_parents(self) -> list:
        """List of graph dependencies of this ``LinearOperator`` (deprecated in TF)."""
        return self._graph_parents

    def _set_graph_parents(self, graph_parents: Any) -> None:
        graph_parents = [] if graph_parents is None else graph_parents
        for i, t in enumerate(graph_parents):
            if t is None or not (_util.is_ref(t) or isinstance(t, Tensor)):
                raise ValueError(f"Graph parent item {i} is not a Tensor; {t}.")
        self._graph_parents = graph_parents

    @property
    def is_non_singular(self) -> bool | None:
        """The hint that the operator is non-singular (``None``: unknown)."""
        return self._is_non_singular

    @property
    def is_self_adjoint(self) -> bool | None:
        """The hint that the operator equals its adjoint (``None``: unknown)."""
        return self._is_self_adjoint

    @property
    def is_positive_definite(self) -> bool | None:
        """The hint that the operator is positive definite (``None``: unknown)."""
        return self._is_positive_definite

    @property
    def is_square(self) -> bool | None:
        """``True``/``False`` depending on if this operator is square."""
        auto_square_check = self.domain_dimension == self.range_dimension
        if self._is_square_set_or_implied_by_hints is False and auto_square_check:
            raise ValueError("User set is_square hint to False, but the operator was square.")
        if self._is_square_set_or_implied_by_hints is None:
            return auto_square_check
        return self._is_square_set_or_implied_by_hints

    # --- shapes ---

    def _shape(self) -> TensorShape:
        raise NotImplementedError("_shape is not implemented.")

    @property
    def shape(self) -> TensorShape:
        """``TensorShape`` of this ``LinearOperator``: ``[B1,...,Bb, M, N]``."""
        return TensorShape(self._shape())

    def _shape_tensor(self) -> Tensor:
        raise NotImplementedError("_shape_tensor is not implemented.")

    def shape_tensor(self, name: str = "shape_tensor") -> Tensor:
        """Shape of this ``LinearOperator`` as an int32 ``Tensor``."""
        with self._name_scope(name):
            if self.shape.is_fully_defined():
                return _util.shape_tensor(self.shape.as_list())
            return self._shape_tensor()

    @property
    def batch_shape(self) -> TensorShape:
        """``TensorShape`` of the batch dimensions ``[B1,...,Bb]``."""
        return self.shape[:-2]

    def batch_shape_tensor(self, name: str = "batch_shape_tensor") -> Tensor:
        """The batch dimensions as an int32 ``Tensor``."""
        with self._name_scope(name):
            return _util.shape_tensor(self.batch_shape.as_list())

    @property
    def tensor_rank(self, name: str = "tensor_rank") -> int | None:
        """Rank (in the sense of tensors) of the matrix: ``b + 2``."""
        return self.shape.rank

    def tensor_rank_tensor(self, name: str = "tensor_rank_tensor") -> Tensor:
        """The tensor rank as an int32 ``Tensor``."""
        return convert_to_tensor(self.tensor_rank)

    @property
    def domain_dimension(self) -> Dimension:
        """Dimension (in the sense of vector spaces) of the domain: ``N``."""
        return Dimension(None) if self.shape.rank is None else self.shape.dims[-1]

    def domain_dimension_tensor(self, name: str = "domain_dimension_tensor") -> Tensor:
        """The domain dimension as an int32 ``Tensor``."""
        return convert_to_tensor(_dim_value(self.domain_dimension))

    @property
    def range_dimension(self) -> Dimension:
        """Dimension (in the sense of vector spaces) of the range: ``M``."""
        return self.shape.dims[-2] if self.shape.dims else Dimension(None)

    def range_dimension_tensor(self, name: str = "range_dimension_tensor") -> Tensor:
        """The range dimension as an int32 ``Tensor``."""
        return convert_to_tensor(_dim_value(self.range_dimension))

    # --- assertions ---

    def _assert_non_singular(self) -> Any:
        _log.warning("Using (possibly slow) default implementation of assert_non_singular.  Requires conversion "
                     "to a dense matrix and O(N^3) operations.")
        if self._can_use_cholesky():
            return self.assert_positive_definite()
        singular_values = svd(self.to_dense(), compute_uv=False)
        cond = reduce_max(singular_values, axis=-1) / reduce_min(singular_values, axis=-1)
        return assert_less(cond, self._max_condition_number_to_be_non_singular(),
                           message="Singular matrix up to precision epsilon.")

    def _max_condition_number_to_be_non_singular(self) -> Any:
        dtype_eps = np.finfo(self.dtype.as_numpy_dtype).eps
        eps = max(100.0, _dim_value(self.range_dimension), _dim_value(self.domain_dimension)) * dtype_eps
        return convert_to_tensor(1.0 / eps, dtype=self.dtype.real_dtype)

    def assert_non_singular(self, name: str = "assert_non_singular") -> Any:
        """Raises ``InvalidArgumentError`` if the operator is singular (eagerly; returns None otherwise)."""
        with self._name_scope(name):
            return self._assert_non_singular()

    def _assert_positive_definite(self) -> Any:
        _log.warning("Using (possibly slow) default implementation of assert_positive_definite.  Requires "
                     "conversion to a dense matrix and O(N^3) operations.")
        if self.is_self_adjoint:
            return assert_positive(_diag_part(_cholesky(self.to_dense())),
                                   message="Matrix was not positive definite.")
        raise NotImplementedError("assert_positive_definite is not implemented.")

    def assert_positive_definite(self, name: str = "assert_positive_definite") -> Any:
        """Raises ``InvalidArgumentError`` if the operator is not positive definite."""
        with self._name_scope(name):
            return self._assert_positive_definite()

    def _assert_self_adjoint(self) -> Any:
        from ..ops.debugging.checks import assert_equal
        dense = self.to_dense()
        _log.warning("Using (possibly slow) default implementation of assert_self_adjoint.  Requires conversion "
                     "to a dense matrix.")
        return assert_equal(dense, _adjoint(dense), message="Matrix was not equal to its adjoint.")

    def assert_self_adjoint(self, name: str = "assert_self_adjoint") -> Any:
        """Raises ``InvalidArgumentError`` if the operator is not self-adjoint."""
        with self._name_scope(name):
            return self._assert_self_adjoint()

    def _check_input_dtype(self, arg: Any) -> None:
        if arg.dtype.base_dtype != self.dtype:
            raise TypeError(f"Expected argument to have dtype {self.dtype}.  Found: {arg.dtype} in tensor {arg!s}")

    # --- products and solves ---

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        raise NotImplementedError("_matmul is not implemented.")

    def matmul(self, x: Any, adjoint: bool = False, adjoint_arg: bool = False, name: str = "matmul") -> Any:
        """Transforms [batch] matrix ``x`` with left multiplication: ``x --> Ax`` (or another operator)."""
        if isinstance(x, LinearOperator):
            left_operator = self.adjoint() if adjoint else self
            right_operator = x.adjoint() if adjoint_arg else x
            if (right_operator.range_dimension is not None and left_operator.domain_dimension is not None
                    and right_operator.range_dimension != left_operator.domain_dimension):
                raise ValueError(f"Operators are incompatible. Expected `x` to have dimension {left_operator.domain_dimension} but got {right_operator.range_dimension}.")
            with self._name_scope(name):
                return self._linop_matmul(left_operator, right_operator)
        with self._name_scope(name):
            x = convert_to_tensor(x)
            self._check_input_dtype(x)
            _util.assert_compatible_dims(_util.dim_at(self.shape, -2 if adjoint else -1),
                                         _util.dim_at(x.shape, -1 if adjoint_arg else -2))
            return self._matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _linop_matmul(self, left_operator: LinearOperator, right_operator: LinearOperator) -> LinearOperator:
        if hasattr(right_operator, "_ones_diag") and not hasattr(right_operator, "multiplier"):
            return left_operator
        if hasattr(right_operator, "_zeros_diag"):
            if not right_operator.is_square or not left_operator.is_square:
                raise ValueError("Matmul with non-square `LinearOperator`s or non-square `LinearOperatorZeros` "
                                 "not supported at this time.")
            return right_operator
        return _CLASSES["LinearOperatorComposition"](operators=[left_operator, right_operator],
                                         **_product_hints(left_operator, right_operator))

    def __matmul__(self, other: Any) -> Any:
        return self.matmul(other)

    def _matvec(self, x: Tensor, adjoint: bool = False) -> Tensor:
        return squeeze(self.matmul(expand_dims(x, axis=-1), adjoint=adjoint), axis=-1)

    def matvec(self, x: Any, adjoint: bool = False, name: str = "matvec") -> Tensor:
        """Transforms [batch] vector ``x`` with left multiplication: ``x --> Ax``."""
        with self._name_scope(name):
            x = convert_to_tensor(x)
            self._check_input_dtype(x)
            _util.assert_compatible_dims(_util.dim_at(self.shape, -2 if adjoint else -1), _util.dim_at(x.shape, -1))
            return self._matvec(x, adjoint=adjoint)

    def _determinant(self) -> Tensor:
        _log.warning("Using (possibly slow) default implementation of determinant.  Requires conversion to a "
                     "dense matrix and O(N^3) operations.")
        if self._can_use_cholesky():
            return exp(self.log_abs_determinant())
        return _det(self.to_dense())

    def determinant(self, name: str = "det") -> Tensor:
        """Determinant for every batch member."""
        if self.is_square is False:
            raise NotImplementedError("Determinant not implemented for an operator that is expected to not be "
                                      "square.")
        with self._name_scope(name):
            return self._determinant()

    def _log_abs_determinant(self) -> Tensor:
        _log.warning("Using (possibly slow) default implementation of determinant.  Requires conversion to a "
                     "dense matrix and O(N^3) operations.")
        if self._can_use_cholesky():
            diag = _diag_part(_cholesky(self.to_dense()))
            return 2 * reduce_sum(log(diag), axis=[-1])
        return slogdet(self.to_dense())[1]

    def log_abs_determinant(self, name: str = "log_abs_det") -> Tensor:
        """Log absolute value of the determinant for every batch member."""
        if self.is_square is False:
            raise NotImplementedError("Determinant not implemented for an operator that is expected to not be "
                                      "square.")
        with self._name_scope(name):
            return self._log_abs_determinant()

    def _dense_solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        if self.is_square is False:
            raise NotImplementedError("Solve is not yet implemented for non-square operators.")
        rhs = _adjoint(rhs) if adjoint_arg else rhs
        if self._can_use_cholesky():
            return cholesky_solve(_cholesky(self.to_dense()), rhs)
        return _util.matrix_solve_with_broadcast(self.to_dense(), rhs, adjoint=adjoint)

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        _log.warning("Using (possibly slow) default implementation of solve.  Requires conversion to a dense "
                     "matrix and O(N^3) operations.")
        return self._dense_solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def solve(self, rhs: Any, adjoint: bool = False, adjoint_arg: bool = False, name: str = "solve") -> Any:
        """Solves ``A X = rhs`` for [batch] matrices ``rhs`` (or another operator)."""
        if self.is_non_singular is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is expected to be "
                                      "singular.")
        if self.is_square is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is expected to not be "
                                      "square.")
        if isinstance(rhs, LinearOperator):
            left_operator = self.adjoint() if adjoint else self
            right_operator = rhs.adjoint() if adjoint_arg else rhs
            if (right_operator.range_dimension is not None and left_operator.domain_dimension is not None
                    and right_operator.range_dimension != left_operator.domain_dimension):
                raise ValueError(f"Operators are incompatible. Expected `rhs` to have dimension {left_operator.domain_dimension} but got {right_operator.range_dimension}."
                                 )
            with self._name_scope(name):
                return self._linop_solve(left_operator, right_operator)
        with self._name_scope(name):
            rhs = convert_to_tensor(rhs)
            self._check_input_dtype(rhs)
            _util.assert_compatible_dims(_util.dim_at(self.shape, -1 if adjoint else -2),
                                         _util.dim_at(rhs.shape, -1 if adjoint_arg else -2))
            return self._solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _linop_solve(self, left_operator: LinearOperator, right_operator: LinearOperator) -> LinearOperator:
        if hasattr(right_operator, "_ones_diag") and not hasattr(right_operator, "multiplier"):
            return left_operator.inverse()
        inverse = _CLASSES["LinearOperatorInversion"](left_operator)
        return _CLASSES["LinearOperatorComposition"](operators=[inverse, right_operator],
                                                     **_product_hints(left_operator, right_operator))

    def _solvevec(self, rhs: Tensor, adjoint: bool = False) -> Tensor:
        return squeeze(self.solve(expand_dims(rhs, axis=-1), adjoint=adjoint), axis=-1)

    def solvevec(self, rhs: Any, adjoint: bool = False, name: str = "solve") -> Tensor:
        """Solves ``A x = rhs`` for [batch] vectors ``rhs``."""
        with self._name_scope(name):
            rhs = convert_to_tensor(rhs)
            self._check_input_dtype(rhs)
            _util.assert_compatible_dims(_util.dim_at(self.shape, -1 if adjoint else -2),
                                         _util.dim_at(rhs.shape, -1))
            return self._solvevec(rhs, adjoint=adjoint)

    # --- derived operators ---

    def adjoint(self, name: str = "adjoint") -> LinearOperator:
        """The adjoint of this operator (itself when it is hinted self-adjoint)."""
        if self.is_self_adjoint is True:
            return self
        with self._name_scope(name):
            return self._linop_adjoint()

    H = property(adjoint, None)

    def _linop_adjoint(self) -> LinearOperator:
        return _CLASSES["LinearOperatorAdjoint"](self, is_non_singular=self.is_non_singular, is_self_adjoint=self.is_self_adjoint,
                                     is_positive_definite=self.is_positive_definite, is_square=self.is_square)

    def inverse(self, name: str = "inverse") -> LinearOperator:
        """The inverse of this operator."""
        if self.is_square is False:
            raise ValueError("Cannot take the Inverse: This operator represents a non square matrix.")
        if self.is_non_singular is False:
            raise ValueError("Cannot take the Inverse: This operator represents a singular matrix.")
        with self._name_scope(name):
            return self._linop_inverse()

    def _linop_inverse(self) -> LinearOperator:
        return _CLASSES["LinearOperatorInversion"](self, is_non_singular=self.is_non_singular,
                                       is_self_adjoint=self.is_self_adjoint,
                                       is_positive_definite=self.is_positive_definite, is_square=self.is_square)

    def cholesky(self, name: str = "cholesky") -> LinearOperator:
        """The Cholesky factor of this (self-adjoint, positive definite) operator, as an operator."""
        if not self._can_use_cholesky():
            raise ValueError("Cannot take the Cholesky decomposition: Not a positive definite self adjoint "
                             "matrix.")
        with self._name_scope(name):
            return self._linop_cholesky()

    def _linop_cholesky(self) -> LinearOperator:
        return _CLASSES["LinearOperatorLowerTriangular"](_cholesky(self.to_dense()), is_non_singular=True,
                                             is_self_adjoint=False, is_square=True)

    # --- dense views ---

    def _to_dense(self) -> Tensor:
        n = _dim_value(self.domain_dimension)
        identity = eye(num_rows=n, batch_shape=self.batch_shape.as_list(), dtype=self.dtype)
        return self.matmul(identity)

    def to_dense(self, name: str = "to_dense") -> Tensor:
        """A dense (batch) matrix representing this operator."""
        with self._name_scope(name):
            return self._to_dense()

    def _diag_part(self) -> Tensor:
        return _diag_part(self.to_dense())

    def diag_part(self, name: str = "diag_part") -> Tensor:
        """Efficiently get the [batch] diagonal part of this operator."""
        with self._name_scope(name):
            return self._diag_part()

    def _trace(self) -> Tensor:
        return reduce_sum(self.diag_part(), axis=-1)

    def trace(self, name: str = "trace") -> Tensor:
        """Trace of the linear operator, equal to sum of ``self.diag_part()``."""
        with self._name_scope(name):
            return self._trace()

    def _add_to_tensor(self, x: Tensor) -> Tensor:
        return self.to_dense() + x

    def add_to_tensor(self, x: Any, name: str = "add_to_tensor") -> Tensor:
        """Add matrix represented by this operator to ``x``."""
        with self._name_scope(name):
            x = convert_to_tensor(x)
            self._check_input_dtype(x)
            return self._add_to_tensor(x)

    def _eigvals(self) -> Tensor:
        return eigvalsh(self.to_dense())

    def eigvals(self, name: str = "eigvals") -> Tensor:
        """Eigenvalues of this (self-adjoint) operator."""
        if not self.is_self_adjoint:
            raise NotImplementedError("Only self-adjoint matrices are supported.")
        with self._name_scope(name):
            return self._eigvals()

    def _cond(self) -> Tensor:
        if not self.is_self_adjoint:
            vals = svd(self.to_dense(), compute_uv=False)
        else:
            vals = _abs(self._eigvals())
        return reduce_max(vals, axis=-1) / reduce_min(vals, axis=-1)

    def cond(self, name: str = "cond") -> Tensor:
        """The condition number of this operator."""
        with self._name_scope(name):
            return self._cond()

    def _can_use_cholesky(self) -> bool:
        return bool(self.is_self_adjoint and self.is_positive_definite)

    def __getitem__(self, slices: Any) -> LinearOperator:
        """The operator with its batch dimensions sliced: ``op[1:, ..., 0]``."""
        from .slicing import batch_slice
        return batch_slice(self, params_overrides={}, slices=slices)

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        """For each parameter, how many of its trailing dimensions are not batch dimensions (what slicing keeps)."""
        return {}

    # --- composite tensor: the operator's tensor parameters, for tf.nest(expand_composites=True) ---

    @property
    def _composite_tensor_fields(self) -> tuple:
        """The constructor arguments that rebuild this operator (TF's per-class list)."""
        return ()

    @property
    def _composite_tensor_prefer_static_fields(self) -> tuple:
        return ()

    @property
    def _type_spec(self) -> _composite.LinearOperatorSpec:
        return _composite.LinearOperatorSpec(self)

    def _to_components(self) -> list:
        return _composite.to_components(self)


def _product_hints(left: LinearOperator, right: LinearOperator) -> dict:
    """TF's hints for the composition ``left @ right`` (or ``left^-1 @ right``)."""
    is_square = _util.is_square(left, right)
    hints = dict(is_non_singular=None, is_self_adjoint=None, is_positive_definite=None, is_square=is_square)
    if is_square:
        hints["is_non_singular"] = _util.combined_non_singular_hint(left, right)
    elif is_square is False:
        hints.update(is_non_singular=False, is_self_adjoint=False, is_positive_definite=False)
    return hints

