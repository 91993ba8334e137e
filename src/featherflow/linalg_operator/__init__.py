"""``tf.linalg.LinearOperator`` and its family: structured [batch] matrices composed of featherflow's ops.

An operator is a ``tf.Module`` (it tracks the variables it is built from), so this package sits in the state
layer, above ``ops``. Importing it imports every class (the base class finds the operators it builds by name)
and registers the ``tf.linalg`` functions' overrides for operators (``dispatch``). ``tf.linalg`` loads it on
first use of one of these names.
"""

from . import dispatch as dispatch
from .base import LinearOperator as LinearOperator
from .basic import LinearOperatorDiag as LinearOperatorDiag
from .basic import LinearOperatorFullMatrix as LinearOperatorFullMatrix
from .basic import LinearOperatorLowerTriangular as LinearOperatorLowerTriangular
from .block_diag import LinearOperatorBlockDiag as LinearOperatorBlockDiag
from .block_lower_triangular import LinearOperatorBlockLowerTriangular as LinearOperatorBlockLowerTriangular
from .circulant import LinearOperatorCirculant as LinearOperatorCirculant
from .circulant import LinearOperatorCirculant2D as LinearOperatorCirculant2D
from .circulant import LinearOperatorCirculant3D as LinearOperatorCirculant3D
from .identity import LinearOperatorIdentity as LinearOperatorIdentity
from .identity import LinearOperatorScaledIdentity as LinearOperatorScaledIdentity
from .identity import LinearOperatorZeros as LinearOperatorZeros
from .kronecker import LinearOperatorKronecker as LinearOperatorKronecker
from .structured import LinearOperatorHouseholder as LinearOperatorHouseholder
from .structured import LinearOperatorPermutation as LinearOperatorPermutation
from .structured import LinearOperatorToeplitz as LinearOperatorToeplitz
from .updates import LinearOperatorLowRankUpdate as LinearOperatorLowRankUpdate
from .updates import LinearOperatorTridiag as LinearOperatorTridiag
from .wrappers import LinearOperatorAdjoint as LinearOperatorAdjoint
from .wrappers import LinearOperatorComposition as LinearOperatorComposition
from .wrappers import LinearOperatorInversion as LinearOperatorInversion
