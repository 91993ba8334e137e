"""``tf.math.special`` (re-exports)."""

from .ops.math.bessel import bessel_i0 as bessel_i0
from .ops.math.bessel import bessel_i0e as bessel_i0e
from .ops.math.bessel import bessel_i1 as bessel_i1
from .ops.math.bessel import bessel_i1e as bessel_i1e
from .ops.math.bessel_more import bessel_j0 as bessel_j0
from .ops.math.bessel_more import bessel_j1 as bessel_j1
from .ops.math.bessel_more import bessel_k0 as bessel_k0
from .ops.math.bessel_more import bessel_k0e as bessel_k0e
from .ops.math.bessel_more import bessel_k1 as bessel_k1
from .ops.math.bessel_more import bessel_k1e as bessel_k1e
from .ops.math.bessel_more import bessel_y0 as bessel_y0
from .ops.math.bessel_more import bessel_y1 as bessel_y1
from .ops.math.integrals import dawsn as dawsn
from .ops.math.integrals import expint as expint
from .ops.math.integrals import fresnel_cos as fresnel_cos
from .ops.math.integrals import fresnel_sin as fresnel_sin
from .ops.math.integrals import spence as spence
