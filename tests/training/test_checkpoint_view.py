"""tf.train.CheckpointView and tf.train.TrackableView against real TF (TF's docstring examples, run by both), and
CheckpointView reading checkpoints across the two in both directions."""

from __future__ import annotations

import pytest

import featherflow as ff


def _show(x):
    if isinstance(x, dict):
        return {k: _show(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_show(v) for v in x]
    if isinstance(x, int):
        return x
    if hasattr(x, "numpy"):  # a variable (TF's class is ResourceVariable): its value
        return f"variable:{float(x.numpy())}"
    return type(x).__name__


def _tree(tf, name):
    class SimpleModule(tf.Module):
        def __init__(self, name=None):
            super().__init__(name=name)
            self.a_var = tf.Variable(5.0)
            self.b_var = tf.Variable(4.0)
            self.vars = [tf.Variable(1.0), tf.Variable(2.0)]

    root = SimpleModule(name="root")
    leaf = setattr(root, name, SimpleModule(name=name)) or getattr(root, name)
    leaf.leaf3 = tf.Variable(6.0, name="leaf3")
    leaf.leaf4 = tf.Variable(7.0, name="leaf4")
    return root


def _story(tf, directory):
    root = _tree(tf, "leaf")
    view = tf.train.CheckpointView(tf.train.Checkpoint(root).save(f"{directory}/ckpt"))
    out = [view.children(0), view.children(4), view.descendants(), sorted(view._descendants_with_paths().items())]
    other = _tree(tf, "leaf2")
    out.append(_show(view.match(other)))
    matched, only_checkpoint, only_live = view.diff(other)
    out += [_show(matched), only_checkpoint, _show(only_live)]
    live = tf.train.TrackableView(root)
    out += [_show(live.children(root)), _show(live.descendants()), _show(live.children(root.a_var))]
    out.append([tuple(ref.name for ref in path) for path in live._descendants_with_paths()[1].values()])
    with pytest.raises(ValueError) as e:
        view.match(3)
    out.append(str(e.value))
    with pytest.raises(tf.errors.NotFoundError):
        tf.train.CheckpointView(f"{directory}/missing")
    return out


def test_views_match_tf(tf_oracle, tmp_path):
    (tmp_path / "ff").mkdir()
    (tmp_path / "tf").mkdir()
    assert _story(ff, tmp_path / "ff") == _story(tf_oracle, tmp_path / "tf")


def test_checkpoint_view_reads_the_other_sides_checkpoints(tf_oracle, tmp_path):
    for writer in (ff, tf_oracle):  # each view reads what either side wrote
        path = writer.train.Checkpoint(a=writer.Variable(1.0), b={"x": writer.Variable(2.0)}).write(
            str(tmp_path / writer.__name__))
        theirs = tf_oracle.train.CheckpointView(path)
        ours = ff.train.CheckpointView(path)
        assert ours.descendants() == theirs.descendants() == [0, 1, 2, 3]
        assert [ours.children(n) for n in range(4)] == [theirs.children(n) for n in range(4)]
        assert ours.children(0) == {"a": 1, "b": 2}


def test_views_refuse_what_they_do_not_support(tf_oracle, tmp_path):
    m = ff.Module()
    with pytest.raises(NotImplementedError, match="savedmodel"):
        ff.train.TrackableView.children(m, save_type="savedmodel")
    import numpy as np

    from featherflow.checkpoint.bundle import write_bundle

    prefix = str(tmp_path / "name_based")  # a TF1-style checkpoint: tensors by name, no object graph
    write_bundle(prefix, {"w": np.zeros(2, np.float32)})
    errors = []
    for tf in (ff, tf_oracle):
        with pytest.raises(ValueError) as e:
            tf.train.CheckpointView(prefix)
        errors.append(str(e.value))
    assert errors[0] == errors[1] and "TF1 name-based saver" in errors[0]
