"""``tf.summary`` (re-exports): event-file writers and the summaries TensorBoard reads.

>>> import featherflow as tf, tempfile
>>> writer = tf.summary.create_file_writer(tempfile.mkdtemp())
>>> with writer.as_default(step=0):
...     bool(tf.summary.write("loss", 0.25))
True
"""

from ..training.summary_plugins import audio as audio
from ..training.summary_plugins import histogram as histogram
from ..training.summary_plugins import image as image
from ..training.summary_plugins import scalar as scalar
from ..training.summary_plugins import text as text
from ..training.summary_writer import SummaryWriter as SummaryWriter
from ..training.summary_writer import create_file_writer as create_file_writer
from ..training.summary_writer import create_noop_writer as create_noop_writer
from ..training.summary_writer import flush as flush
from ..training.summary_writer import graph as graph
from ..training.summary_writer import record_if as record_if
from ..training.summary_writer import should_record_summaries as should_record_summaries
from ..training.summary_writer import trace_export as trace_export
from ..training.summary_writer import trace_off as trace_off
from ..training.summary_writer import trace_on as trace_on
from ..training.summary_writer import write as write
from . import experimental as experimental
