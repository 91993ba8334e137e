"""``tf.summary``: event files written by featherflow, read back by real TensorFlow, hold the events real TF writes
for the same program (wall times aside).

TF's ``tf.summary.scalar``/``histogram``/``image``/``text``/``audio`` are TensorBoard's ``summary_v2`` functions:
where the ``tensorboard`` package is installed the oracle calls them; elsewhere it runs their recipe with real TF's
ops and ``tf.summary.write`` (the same kernels TensorBoard's functions call).
"""

from __future__ import annotations

import glob
import os
import re

import numpy as np
import pytest

import featherflow as ff

# ---------------------------------------------------------------------------------------------------------------
# helpers


def _events(tf, logdir: str) -> list:
    """The events of every event file in ``logdir``, read by real TF, in file order."""
    out = []
    def made(path: str) -> tuple:  # events.out.tfevents.<seconds>.<host>.<pid>.<counter><suffix>: by seconds, counter
        # (a file with a suffix after those without: the tests make it last, and seconds can tick between files)
        name = os.path.basename(path)
        suffixed = not re.search(r"\.\d+$", name)
        return suffixed, int(name.split(".")[3]), int(re.search(rf"\.{os.getpid()}\.(\d+)", name).group(1))

    for path in sorted(glob.glob(os.path.join(logdir, "events.out.tfevents.*")), key=made):
        out.append([tf.compat.v1.Event.FromString(r.numpy()) for r in tf.data.TFRecordDataset(path)])
    return out


def _comparable(files: list, decode_png: bool = False) -> list:
    """The events without their wall times (and, for images, the PNGs as their pixels)."""
    out = []
    for events in files:
        rows = []
        for event in events:
            event.ClearField("wall_time")
            if decode_png:
                for value in event.summary.value:
                    if value.metadata.plugin_data.plugin_name == "images":
                        pngs = value.tensor.string_val[2:]
                        pixels = [_png_pixels(p) for p in pngs]
                        del value.tensor.string_val[2:]
                        rows.append(pixels)
            rows.append(event.SerializeToString(deterministic=True))
        out.append(rows)
    return out


def _png_pixels(data: bytes) -> list:
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(data))).tolist()


def _tb_or_recipe(tf):
    """TF's plugin summaries: TensorBoard's own where installed, else their recipe in real TF ops."""
    try:
        import tensorboard  # noqa: F401

        return tf.summary
    except ImportError:
        return _Recipe(tf)


class _Recipe:
    """TensorBoard 2.21's summary_v2 functions, written with real TF's ops."""

    def __init__(self, tf) -> None:
        self.tf = tf

    def __getattr__(self, name: str):  # the writers and the rest: TF's own
        return getattr(self.tf.summary, name)

    def _meta(self, plugin: str, description=None, content: bytes = b""):
        m = self.tf.compat.v1.SummaryMetadata()
        m.plugin_data.plugin_name = plugin
        m.plugin_data.content = content
        if description is not None:
            m.summary_description = description
        return m

    def scalar(self, name, data, step=None, description=None):
        tf = self.tf
        with tf.summary.experimental.summary_scope(name, "scalar_summary", values=[data, step]) as (tag, _):
            tf.debugging.assert_scalar(data)
            return tf.summary.write(tag=tag, tensor=tf.cast(data, tf.float32), step=step,
                                    metadata=self._meta("scalars", description))

    def histogram(self, name, data, step=None, buckets=None, description=None):
        tf = self.tf
        with tf.summary.experimental.summary_scope(name, "histogram_summary", values=[data, buckets, step]) as (
                tag, _):
            def buckets_fn():
                n = 30 if buckets is None else buckets
                d = tf.cast(tf.reshape(data, [-1]), tf.float64)
                size = tf.size(d)
                if size == 0 or n <= 0:
                    return tf.zeros((max(n, 0), 3), tf.float64)
                lo, hi = tf.reduce_min(d), tf.reduce_max(d)
                if hi - lo == 0:
                    counts = tf.cast(tf.concat([tf.fill([n], 0)[:-1], [size]], 0)[:n], tf.float64)
                    return tf.transpose(tf.stack([tf.fill([n], hi), tf.fill([n], hi), counts]))
                width = (hi - lo) / tf.cast(n, tf.float64)
                idx = tf.minimum(tf.cast(tf.floor((d - lo) / width), tf.int32), n - 1)
                counts = tf.reduce_sum(tf.one_hot(idx, depth=n, dtype=tf.float64), axis=0)
                edges = tf.linspace(lo, hi, n + 1)
                edges = tf.concat([edges[:-1], [hi]], 0)
                return tf.transpose(tf.stack([edges[:-1], edges[1:], counts]))

            return tf.summary.write(tag=tag, tensor=buckets_fn, step=step,
                                    metadata=self._meta("histograms", description))

    def image(self, name, data, step=None, max_outputs=3, description=None):
        tf = self.tf
        with tf.summary.experimental.summary_scope(name, "image_summary", values=[data, max_outputs, step]) as (
                tag, _):
            def tensor():
                images = tf.image.convert_image_dtype(data, tf.uint8, saturate=True)
                encoded = tf.map_fn(tf.image.encode_png, images[:max_outputs], fn_output_signature=tf.string)
                shape = tf.shape(images)
                dims = tf.stack([tf.as_string(shape[2]), tf.as_string(shape[1])])
                return tf.concat([dims, encoded], axis=0)

            return tf.summary.write(tag=tag, tensor=tensor, step=step, metadata=self._meta("images", description))

    def text(self, name, data, step=None, description=None):
        tf = self.tf
        with tf.summary.experimental.summary_scope(name, "text_summary", values=[data, step]) as (tag, _):
            return tf.summary.write(tag=tag, tensor=data, step=step, metadata=self._meta("text", description))

    def audio(self, name, data, sample_rate, step=None, max_outputs=3, encoding=None, description=None):
        tf = self.tf
        with tf.summary.experimental.summary_scope(name, "audio_summary",
                                                   values=[data, sample_rate, max_outputs, step]) as (tag, _):
            def tensor():
                clips = data[:max_outputs]
                wavs = tf.map_fn(lambda c: tf.audio.encode_wav(c, sample_rate), clips, fn_output_signature=tf.string)
                labels = tf.tile([""], tf.shape(clips)[:1])
                return tf.transpose(tf.stack([wavs, labels]))

            return tf.summary.write(tag=tag, tensor=tensor, step=step,
                                    metadata=self._meta("audio", description, b"\x10\x0b"))


def _run_both(tf, tmp_path, program, plugins: bool = False, decode_png: bool = False):
    ff_dir, tf_dir = str(tmp_path / "ff"), str(tmp_path / "tf")
    ff_out = program(ff, ff.summary, ff_dir)
    tf_out = program(tf, _tb_or_recipe(tf) if plugins else tf.summary, tf_dir)
    return (_comparable(_events(tf, ff_dir), decode_png), ff_out), (_comparable(_events(tf, tf_dir), decode_png),
                                                                      tf_out)


def _value(x):
    return x.numpy().item() if hasattr(x, "numpy") else x


# ---------------------------------------------------------------------------------------------------------------
# the event file


def test_event_file_name_and_header(tf_oracle, tmp_path):
    writer = ff.summary.create_file_writer(str(tmp_path), filename_suffix=".abc")
    (path,) = glob.glob(str(tmp_path / "*"))  # made, with its header, when the writer is made
    name = os.path.basename(path)
    assert re.fullmatch(rf"events\.out\.tfevents\.\d{{10}}\.[^.]+(\.[^.]+)*\.{os.getpid()}\.\d+\.abc", name), name
    (events,) = _events(tf_oracle, str(tmp_path))
    assert len(events) == 1
    assert events[0].file_version == "brain.Event:2"
    assert events[0].source_metadata.writer == "tensorflow.core.util.events_writer"
    assert events[0].wall_time == int(events[0].wall_time)
    writer.close()
    # real TF's own reader of TF 1 reads it too
    assert [e.file_version for e in tf_oracle.compat.v1.train.summary_iterator(path)] == ["brain.Event:2"]


def test_write_low_level_matches_tf(tf_oracle, tmp_path):
    def program(tf, summary, logdir):
        out = [_value(summary.write("a", 1.0, step=0))]  # no default writer
        writer = summary.create_file_writer(logdir)
        with writer.as_default(step=3):
            out.append(_value(summary.write("ints", tf.constant([[1, 2], [3, 4]], tf.int64))))
            out.append(_value(summary.write("str", "hello", step=4, metadata=b"")))
            meta = tf.compat.v1.SummaryMetadata(display_name="d", summary_description="x")
            meta.plugin_data.plugin_name = "mine"
            meta.plugin_data.content = b"\x00\x01"
            out.append(_value(summary.write("m", np.float64(2.5), step=5, metadata=meta)))
            out.append(_value(summary.write("m2", [True, False], step=tf.constant(6, tf.int64), metadata=meta.SerializeToString())))
            out.append(_value(summary.write("lazy", lambda: tf.constant(7.0), step=7)))
            with tf.name_scope("outer"):
                with summary.experimental.summary_scope("in ner", "dflt") as (tag, scope):
                    out.append((tag, scope))
                    out.append(_value(summary.write(tag, 1, step=8)))
                with summary.experimental.summary_scope(None, "dflt") as (tag, scope):
                    out.append((tag, scope))
            with summary.record_if(False):
                out.append(_value(summary.write("off", 1)))
                out.append(_value(summary.should_record_summaries()))
            with summary.record_if(lambda: tf.constant(True)):
                out.append(_value(summary.write("on", 2)))
            summary.experimental.set_step(11)
            out.append(_value(summary.experimental.get_step()))
            out.append(_value(summary.write("set", 3)))
            summary.experimental.set_step(None)
            out.append(_value(summary.write("v", 4, step=tf.Variable(12, dtype=tf.int64))))
            raw = tf.compat.v1.Summary()
            raw.value.add(tag="simple", simple_value=1.5)
            out.append(_value(summary.experimental.write_raw_pb(raw.SerializeToString(), step=13)))
        out.append(_value(summary.should_record_summaries()))
        writer.close()
        return out

    ours, theirs = _run_both(tf_oracle, tmp_path, program)
    assert ours == theirs


def test_plugin_summaries_match_tf(tf_oracle, tmp_path):
    rng = np.random.RandomState(0)
    data = rng.randn(50).astype(np.float32)
    images = rng.rand(3, 4, 5, 3).astype(np.float32)
    clips = np.linspace(-1.2, 1.2, 40, dtype=np.float32).reshape(2, 10, 2)

    def program(tf, summary, logdir):
        writer = summary.create_file_writer(logdir)
        out = [_value(summary.scalar("none", 1.0, step=0))]
        with writer.as_default(step=1):
            out.append(_value(summary.scalar("loss", 0.5)))
            out.append(_value(summary.scalar("int", tf.constant(3), step=2, description="an int")))
            with tf.name_scope("scope"):
                summary.scalar("inner", np.float64(1.25))
            summary.histogram("h", data, step=3)
            summary.histogram("h_int", tf.constant([1, 2, 3, 3, 9]), step=3, buckets=4)
            summary.histogram("h_empty", np.zeros([0], np.float32), step=3)
            summary.histogram("h_single", [5.0, 5.0, 5.0], step=3, buckets=3)
            summary.histogram("h_zero_buckets", [1.0, 2.0], step=3, buckets=0)
            summary.histogram("h_2d", data.reshape(5, 10), step=3, description="2d")
            summary.text("t", "hello", step=4)
            summary.text("t2", tf.constant([["a", "b"], ["c", "d"]]), step=4)
            summary.audio("au", tf.constant(clips), 8000, step=5, max_outputs=1)
            summary.audio("au_all", tf.constant(clips), 16000, step=5)
            summary.image("img", tf.constant(images), step=6, max_outputs=2)
            summary.image("img_u8", tf.constant((images * 255).astype(np.uint8)), step=6)
        writer.close()
        return out

    ours, theirs = _run_both(tf_oracle, tmp_path, program, plugins=True, decode_png=True)
    assert ours == theirs


@pytest.mark.parametrize("case", [
    "no_step", "step_shape", "step_float", "scalar_shape", "text_type", "image_rank", "audio_rank", "audio_encoding",
    "buckets_type", "flush_bad", "logdir_none", "trace_not_on", "graph_bad",
])
def test_errors_match_tf(tf_oracle, tmp_path, case):
    def program(tf, summary):
        writer = summary.create_file_writer(str(tmp_path / case))
        with writer.as_default():
            return {
                "no_step": lambda: summary.write("a", 1.0),
                "step_shape": lambda: summary.write("a", 1.0, step=[1, 2]),
                "step_float": lambda: summary.write("a", 1.0, step=1.5),
                "scalar_shape": lambda: summary.scalar("a", [1.0, 2.0], step=1),
                "text_type": lambda: summary.text("a", 1.0, step=1),
                "image_rank": lambda: summary.image("a", np.zeros((2, 2, 3)), step=1),
                "audio_rank": lambda: summary.audio("a", np.zeros((2, 2)), 100, step=1),
                "audio_encoding": lambda: summary.audio("a", np.zeros((2, 2, 1)), 100, step=1, encoding="mp3"),
                "buckets_type": lambda: summary.histogram("a", [1.0], step=1, buckets=2.5),
                "flush_bad": lambda: summary.flush(3),
                "logdir_none": lambda: summary.create_file_writer(None),
                "trace_not_on": lambda: summary.trace_export("t", step=1),
                "graph_bad": lambda: summary.graph(1),
            }[case]()

    needs_tb = case in ("scalar_shape", "text_type", "image_rank", "audio_rank", "audio_encoding", "buckets_type")
    if needs_tb:
        pytest.importorskip("tensorboard")
    with pytest.raises(Exception) as theirs:
        program(tf_oracle, tf_oracle.summary)
    with pytest.raises(type(theirs.value), match="^" + re.escape(str(theirs.value)) + "$"):
        program(ff, ff.summary)


def test_plugin_errors_without_tensorboard():
    # TF's messages (real TF raises them through TensorBoard's summary_v2 and tf.debugging)
    with pytest.raises(ValueError, match=r"^Expected scalar shape, saw shape: \(2,\)\.$"):
        ff.summary.scalar("a", [1.0, 2.0], step=1)
    with pytest.raises(TypeError, match=r"^tensor must be of type tf\.string; got tf\.float32$"):
        ff.summary.text("a", 1.0, step=1)
    with pytest.raises(ValueError, match=r"^Unknown encoding: 'mp3'$"):
        ff.summary.audio("a", np.zeros((2, 2, 1)), 100, step=1, encoding="mp3")


def test_writer_lifecycle_matches_tf(tf_oracle, tmp_path):
    def program(tf, summary, logdir):
        out = []
        writer = summary.create_file_writer(logdir, max_queue=2, flush_millis=10 ** 9)
        counts = lambda: [len(f) for f in _events(tf_oracle, logdir)]  # noqa: E731
        with writer.as_default(step=1):
            for i in range(4):
                summary.write(f"w{i}", i)
                out.append(counts())  # queued until more than max_queue wait
            summary.flush()
            out.append(counts())
            summary.write("last", 9)
            out.append(counts())
        out.append(counts())  # leaving as_default flushes
        out.append(writer.init())
        writer.close()
        writer.close()
        writer.flush()
        for call in (writer.as_default, writer.set_as_default, writer.init):
            try:
                call()
                out.append("ok")
            except RuntimeError as e:
                out.append(re.sub(r"<[^>]*>", "<writer>", str(e)))
        noop = summary.create_noop_writer()
        with noop.as_default():
            out.append(_value(summary.write("x", 1, step=1)))
        out.append([noop.init(), noop.flush(), noop.close(), summary.flush()])
        second = summary.create_file_writer(logdir, filename_suffix=".two")
        second.set_as_default(step=5)
        out.append(_value(summary.write("second", 1)))
        second.close()
        out.append(sorted(os.path.basename(p).rsplit(".", 1)[-1] for p in glob.glob(logdir + "/*")))
        return out

    try:
        ours, theirs = _run_both(tf_oracle, tmp_path, program)
    finally:  # the default writer and step are thread state: leave none behind (a noop writer's set_as_default
        # does nothing)
        from tensorflow.python.ops import summary_ops_v2

        from featherflow.training import summary_writer

        for state in (summary_ops_v2._summary_state, summary_writer._state):
            state.writer = state.step = None
    assert ours[1] == theirs[1]
    assert ours[0] == theirs[0]


def test_trace_matches_tf(tf_oracle, tmp_path):
    def program(tf, summary, logdir):
        writer = summary.create_file_writer(logdir)
        with writer.as_default():
            # no op runs while tracing: eager TF then collects no graph either (featherflow never has one)
            summary.trace_on(graph=True, profiler=False)
            summary.trace_export("trace", step=2)
            summary.trace_off()
        writer.close()

    ours, theirs = _run_both(tf_oracle, tmp_path, program)
    assert ours == theirs


def test_histogram_counts_skip_nan():
    # TF's one_hot gives NaN's out-of-range bucket index no bucket
    from featherflow.training.summary_plugins import _buckets

    rows = _buckets(ff.constant([1.0, np.nan, 2.0]), 2)
    assert rows.shape == (2, 3) and np.isnan(rows).any() and rows[:, 2].sum() == 0


def test_protos_and_compat_names(tf_oracle):
    from featherflow._tensorflow.core.util import event_pb2

    event = event_pb2.Event(step=4, wall_time=1.5)
    event.summary.value.add(tag="t", simple_value=2.0)
    theirs = tf_oracle.compat.v1.Event.FromString(event.SerializeToString())
    assert (theirs.step, theirs.summary.value[0].tag, theirs.summary.value[0].simple_value) == (4, "t", 2.0)
    assert ff.compat.v1.Event is event_pb2.Event
    meta = ff.compat.v1.SummaryMetadata()
    meta.plugin_data.plugin_name = "scalars"
    assert meta.SerializeToString() == tf_oracle.compat.v1.SummaryMetadata.FromString(
        meta.SerializeToString()).SerializeToString()
    histo = ff.compat.v1.HistogramProto(min=1, max=2, bucket_limit=[1.5], bucket=[3])
    assert histo.SerializeToString() == tf_oracle.compat.v1.HistogramProto(
        min=1, max=2, bucket_limit=[1.5], bucket=[3]).SerializeToString()
    assert event_pb2.WorkerHealth.Name(event_pb2.SHUTTING_DOWN) == "SHUTTING_DOWN"


def test_trackable_writer_in_checkpoint_object_graph(tf_oracle, tmp_path):
    # TF's experimental_trackable writer is a TrackableResource: a node of the object graph, without values
    from tensorflow.core.protobuf import trackable_object_graph_pb2

    graphs = []
    for tf in (tf_oracle, ff):
        logdir = str(tmp_path / tf.__name__)
        module = tf.Module()
        module.tracked = tf.summary.create_file_writer(logdir, experimental_trackable=True)
        module.plain = tf.summary.create_file_writer(logdir)
        module.v = tf.Variable(1.0)
        path = tf.train.Checkpoint(m=module).save(logdir + "/ckpt")
        tf.train.Checkpoint(m=module).restore(path).assert_consumed()
        data = tf_oracle.train.load_checkpoint(path).get_tensor("_CHECKPOINTABLE_OBJECT_GRAPH")
        graphs.append(trackable_object_graph_pb2.TrackableObjectGraph.FromString(data))
        module.tracked.close()
        module.plain.close()
    assert graphs[0] == graphs[1]


def test_write_to_closed_default_writer_matches_tf(tf_oracle, tmp_path):
    messages = []
    try:
        for tf in (tf_oracle, ff):
            writer = tf.summary.create_file_writer(str(tmp_path / tf.__name__))
            writer.set_as_default(step=1)
            writer.close()
            with pytest.raises(tf.errors.NotFoundError) as raised:
                tf.summary.write("a", 1.0)
            messages.append(re.sub(r"_AnonymousVar\d+", "_AnonymousVarN", str(raised.value)))
    finally:
        from tensorflow.python.ops import summary_ops_v2

        from featherflow.training import summary_writer

        for state in (summary_ops_v2._summary_state, summary_writer._state):
            state.writer = state.step = None
    assert messages[0] == messages[1]
