"""``tf.linalg`` (re-exports)."""

from ._lazy import lazy as _lazy
from .ops.array.create import eye as eye
from .ops.linalg.composite import cholesky_solve as cholesky_solve
from .ops.linalg.composite import expm as expm
from .ops.linalg.composite import logdet as logdet
from .ops.linalg.composite import lstsq as lstsq
from .ops.linalg.composite import matrix_rank as matrix_rank
from .ops.linalg.composite import pinv as pinv
from .ops.linalg.core import adjoint as adjoint
from .ops.linalg.core import einsum as einsum
from .ops.linalg.core import global_norm as global_norm
from .ops.linalg.core import matmul as matmul
from .ops.linalg.core import matrix_transpose as matrix_transpose
from .ops.linalg.core import matvec as matvec
from .ops.linalg.core import norm as norm
from .ops.linalg.core import tensordot as tensordot
from .ops.linalg.decomp import cholesky as cholesky
from .ops.linalg.decomp import det as det
from .ops.linalg.decomp import eigh as eigh
from .ops.linalg.decomp import eigvalsh as eigvalsh
from .ops.linalg.decomp import inv as inv
from .ops.linalg.decomp import qr as qr
from .ops.linalg.decomp import slogdet as slogdet
from .ops.linalg.decomp import solve as solve
from .ops.linalg.decomp import svd as svd
from .ops.linalg.decomp import triangular_solve as triangular_solve
from .ops.linalg.diag import band_part as band_part
from .ops.linalg.diag import diag as diag
from .ops.linalg.diag import diag_part as diag_part
from .ops.linalg.diag import set_diag as set_diag
from .ops.linalg.diag import trace as trace
from .ops.linalg.eig import cross as cross
from .ops.linalg.eig import eig as eig
from .ops.linalg.eig import eigvals as eigvals
from .ops.linalg.lu import lu as lu
from .ops.linalg.lu import lu_matrix_inverse as lu_matrix_inverse
from .ops.linalg.lu import lu_reconstruct as lu_reconstruct
from .ops.linalg.lu import lu_solve as lu_solve
from .ops.linalg.matfun import logm as logm
from .ops.linalg.matfun import sqrtm as sqrtm
from .ops.linalg.tensor_diag import normalize as normalize
from .ops.linalg.tensor_diag import tensor_diag as tensor_diag
from .ops.linalg.tensor_diag import tensor_diag_part as tensor_diag_part
from .ops.linalg.tridiagonal import banded_triangular_solve as banded_triangular_solve
from .ops.linalg.tridiagonal import tridiagonal_matmul as tridiagonal_matmul
from .ops.linalg.tridiagonal import tridiagonal_solve as tridiagonal_solve
from .ops.math.clip import l2_normalize as l2_normalize

# The LinearOperator family and tf.linalg.experimental load on first use: ``import featherflow`` does not pay for
# two dozen classes most programs never touch (their package registers tf.linalg.matmul & co. for operators as
# it loads, which is before any operator exists).
_LINEAR_OPERATORS = (
    "LinearOperator", "LinearOperatorAdjoint", "LinearOperatorBlockDiag", "LinearOperatorBlockLowerTriangular",
    "LinearOperatorCirculant", "LinearOperatorCirculant2D", "LinearOperatorCirculant3D", "LinearOperatorComposition",
    "LinearOperatorDiag", "LinearOperatorFullMatrix", "LinearOperatorHouseholder", "LinearOperatorIdentity",
    "LinearOperatorInversion", "LinearOperatorKronecker", "LinearOperatorLowRankUpdate",
    "LinearOperatorLowerTriangular", "LinearOperatorPermutation", "LinearOperatorScaledIdentity",
    "LinearOperatorToeplitz", "LinearOperatorTridiag", "LinearOperatorZeros",
)


_LAZY = {
    **{name: (".linalg_operator", name) for name in _LINEAR_OPERATORS},
    "experimental": ("._linalg_experimental", None),
    "eigh_tridiagonal": (".ops.linalg.eigh_tridiagonal", "eigh_tridiagonal"),
}
__getattr__, __dir__ = _lazy(__name__, globals(), _LAZY)
