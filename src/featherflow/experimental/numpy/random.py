"""``tf.experimental.numpy.random`` (re-exports)."""

from ...ops.numpy.random import poisson as poisson
from ...ops.numpy.random import rand as rand
from ...ops.numpy.random import randint as randint
from ...ops.numpy.random import randn as randn
from ...ops.numpy.random import random as random
from ...ops.numpy.random import seed as seed
from ...ops.numpy.random import standard_normal as standard_normal
from ...ops.numpy.random import uniform as uniform
