"""``tf.random.Generator``: the Philox generator of ``ops/random/generator.py``, made trackable as TF's is, so a
checkpoint saves and restores its state Variable (as the child ``_state_var``). Tracking lives in the state
layer, above ops; this module installs the class as the one ``tf.random.get_global_generator`` makes.

>>> import featherflow as tf
>>> g = tf.random.Generator.from_seed(1)
>>> ckpt = tf.train.Checkpoint(generator=g)
>>> list(ckpt.generator._trackable_children())
['_state_var']
"""

from __future__ import annotations

from .ops.random import generator as _ops_generator
from .trackable import AutoTrackable


class Generator(_ops_generator.Generator, AutoTrackable):
    __doc__ = _ops_generator.Generator.__doc__


_ops_generator.public_class = Generator
