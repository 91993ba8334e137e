"""``tf.random`` (re-exports)."""

from . import _random_experimental as experimental
from ._lazy import lazy as _lazy
from .generator import Generator as Generator
from .ops.random.core import categorical as categorical
from .ops.random.core import gamma as gamma
from .ops.random.core import normal as normal
from .ops.random.core import poisson as poisson
from .ops.random.core import set_seed as set_seed
from .ops.random.core import shuffle as shuffle
from .ops.random.core import truncated_normal as truncated_normal
from .ops.random.core import uniform as uniform
from .ops.random.generator import create_rng_state as create_rng_state
from .ops.random.generator import get_global_generator as get_global_generator
from .ops.random.generator import set_global_generator as set_global_generator
from .ops.random.stateless import Algorithm as Algorithm
from .ops.random.stateless import fold_in as fold_in
from .ops.random.stateless import split as split
from .ops.random.stateless import stateless_binomial as stateless_binomial
from .ops.random.stateless import stateless_categorical as stateless_categorical
from .ops.random.stateless import stateless_gamma as stateless_gamma
from .ops.random.stateless import stateless_normal as stateless_normal
from .ops.random.stateless import stateless_poisson as stateless_poisson
from .ops.random.stateless import stateless_truncated_normal as stateless_truncated_normal
from .ops.random.stateless import stateless_uniform as stateless_uniform

__all__ = [
    "Algorithm", "Generator", "categorical", "create_rng_state", "experimental",
    "fold_in", "gamma", "get_global_generator",
    "normal", "poisson", "set_global_generator",
    "set_seed", "shuffle", "split", "stateless_binomial", "stateless_categorical", "stateless_gamma",
    "stateless_normal", "stateless_poisson", "stateless_truncated_normal",
    "stateless_uniform", "truncated_normal", "uniform",
]


# Loaded on first access (PEP 562): ``import featherflow`` does not pay for them.
_LAZY = {
    "stateless_parameterized_truncated_normal": (".ops.random.parameterized_truncated",
                                                 "stateless_parameterized_truncated_normal"),
    "all_candidate_sampler": (".ops.random.candidate_sampling", "all_candidate_sampler"),
    "fixed_unigram_candidate_sampler": (".ops.random.candidate_sampling", "fixed_unigram_candidate_sampler"),
    "learned_unigram_candidate_sampler": (".ops.random.candidate_sampling", "learned_unigram_candidate_sampler"),
    "log_uniform_candidate_sampler": (".ops.random.candidate_sampling", "log_uniform_candidate_sampler"),
    "uniform_candidate_sampler": (".ops.random.candidate_sampling", "uniform_candidate_sampler"),
}
__getattr__, __dir__ = _lazy(__name__, globals(), _LAZY)
__all__ += sorted(_LAZY)  # type: ignore[has-type]
