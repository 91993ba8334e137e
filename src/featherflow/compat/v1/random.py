"""``tf.compat.v1.random``: the ``tf.random`` functions TF 1 shares with TF 2 (TF 1's own ``multinomial``,
``set_random_seed``, ``get_seed`` and ``stateless_multinomial`` are not here).

>>> import featherflow as tf
>>> tf.compat.v1.random.uniform is tf.random.uniform
True
"""

from ...random import Algorithm as Algorithm
from ...random import Generator as Generator
from ...random import all_candidate_sampler as all_candidate_sampler
from ...random import categorical as categorical
from ...random import create_rng_state as create_rng_state
from ...random import fixed_unigram_candidate_sampler as fixed_unigram_candidate_sampler
from ...random import fold_in as fold_in
from ...random import gamma as gamma
from ...random import get_global_generator as get_global_generator
from ...random import learned_unigram_candidate_sampler as learned_unigram_candidate_sampler
from ...random import log_uniform_candidate_sampler as log_uniform_candidate_sampler
from ...random import normal as normal
from ...random import set_global_generator as set_global_generator
from ...random import shuffle as shuffle
from ...random import split as split
from ...random import stateless_binomial as stateless_binomial
from ...random import stateless_categorical as stateless_categorical
from ...random import stateless_gamma as stateless_gamma
from ...random import stateless_normal as stateless_normal
from ...random import stateless_parameterized_truncated_normal as stateless_parameterized_truncated_normal
from ...random import stateless_poisson as stateless_poisson
from ...random import stateless_truncated_normal as stateless_truncated_normal
from ...random import stateless_uniform as stateless_uniform
from ...random import truncated_normal as truncated_normal
from ...random import uniform as uniform
from ...random import uniform_candidate_sampler as uniform_candidate_sampler
