"""``tf.summary.experimental`` (re-exports): the default step, summary name scopes, raw ``Summary`` writes.

>>> import featherflow as tf
>>> tf.summary.experimental.set_step(3)
>>> int(tf.summary.experimental.get_step())
3
>>> tf.summary.experimental.set_step(None)
"""

from ..training.summary_writer import get_step as get_step
from ..training.summary_writer import set_step as set_step
from ..training.summary_writer import summary_scope as summary_scope
from ..training.summary_writer import write_raw_pb as write_raw_pb
