"""``tf.compat.v1.linalg``: ``tf.linalg`` (and TF 1's ``transpose``, ``tf.linalg.matrix_transpose``; TF 1's
``norm``, whose signature differs, is not here).

>>> import featherflow as tf
>>> tf.compat.v1.linalg.transpose([[1, 2]]).numpy().tolist()
[[1], [2]]
"""

from ...linalg import LinearOperator as LinearOperator
from ...linalg import LinearOperatorAdjoint as LinearOperatorAdjoint
from ...linalg import LinearOperatorBlockDiag as LinearOperatorBlockDiag
from ...linalg import LinearOperatorBlockLowerTriangular as LinearOperatorBlockLowerTriangular
from ...linalg import LinearOperatorCirculant as LinearOperatorCirculant
from ...linalg import LinearOperatorCirculant2D as LinearOperatorCirculant2D
from ...linalg import LinearOperatorCirculant3D as LinearOperatorCirculant3D
from ...linalg import LinearOperatorComposition as LinearOperatorComposition
from ...linalg import LinearOperatorDiag as LinearOperatorDiag
from ...linalg import LinearOperatorFullMatrix as LinearOperatorFullMatrix
from ...linalg import LinearOperatorHouseholder as LinearOperatorHouseholder
from ...linalg import LinearOperatorIdentity as LinearOperatorIdentity
from ...linalg import LinearOperatorInversion as LinearOperatorInversion
from ...linalg import LinearOperatorKronecker as LinearOperatorKronecker
from ...linalg import LinearOperatorLowerTriangular as LinearOperatorLowerTriangular
from ...linalg import LinearOperatorLowRankUpdate as LinearOperatorLowRankUpdate
from ...linalg import LinearOperatorPermutation as LinearOperatorPermutation
from ...linalg import LinearOperatorScaledIdentity as LinearOperatorScaledIdentity
from ...linalg import LinearOperatorToeplitz as LinearOperatorToeplitz
from ...linalg import LinearOperatorTridiag as LinearOperatorTridiag
from ...linalg import LinearOperatorZeros as LinearOperatorZeros
from ...linalg import adjoint as adjoint
from ...linalg import band_part as band_part
from ...linalg import cholesky as cholesky
from ...linalg import cholesky_solve as cholesky_solve
from ...linalg import cross as cross
from ...linalg import det as det
from ...linalg import diag as diag
from ...linalg import diag_part as diag_part
from ...linalg import eigh as eigh
from ...linalg import eigh_tridiagonal as eigh_tridiagonal
from ...linalg import eigvalsh as eigvalsh
from ...linalg import einsum as einsum
from ...linalg import expm as expm
from ...linalg import eye as eye
from ...linalg import global_norm as global_norm
from ...linalg import inv as inv
from ...linalg import l2_normalize as l2_normalize
from ...linalg import logdet as logdet
from ...linalg import logm as logm
from ...linalg import lstsq as lstsq
from ...linalg import lu as lu
from ...linalg import lu_matrix_inverse as lu_matrix_inverse
from ...linalg import lu_reconstruct as lu_reconstruct
from ...linalg import lu_solve as lu_solve
from ...linalg import matmul as matmul
from ...linalg import matrix_rank as matrix_rank
from ...linalg import matrix_transpose as matrix_transpose
from ...linalg import matrix_transpose as transpose  # noqa: F401 - TF's name
from ...linalg import matvec as matvec
from ...linalg import normalize as normalize
from ...linalg import pinv as pinv
from ...linalg import qr as qr
from ...linalg import set_diag as set_diag
from ...linalg import slogdet as slogdet
from ...linalg import solve as solve
from ...linalg import sqrtm as sqrtm
from ...linalg import svd as svd
from ...linalg import tensor_diag as tensor_diag
from ...linalg import tensor_diag_part as tensor_diag_part
from ...linalg import tensordot as tensordot
from ...linalg import trace as trace
from ...linalg import triangular_solve as triangular_solve
from ...linalg import tridiagonal_matmul as tridiagonal_matmul
from ...linalg import tridiagonal_solve as tridiagonal_solve
