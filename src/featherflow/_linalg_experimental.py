"""``tf.linalg.experimental`` (re-exports)."""

from .linalg_operator.conjugate_gradient import conjugate_gradient as conjugate_gradient
