"""tf.train.ExponentialMovingAverage against real TF: shadow names, float32 averages bit for bit, errors, and
checkpoints of the averages moving between featherflow and TF in both directions."""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff


def _run(tf, steps, decay, num_updates, dtype, start):
    x = tf.Variable(np.asarray(start, dtype), name="ema_x")
    n = None if num_updates is None else tf.Variable(num_updates, dtype=tf.int64)
    ema = tf.train.ExponentialMovingAverage(tf.Variable(decay) if num_updates else decay, num_updates=n)
    ema.apply([x])
    history = []
    for step in steps:
        x.assign_add(np.asarray(step, dtype))
        ema.apply([x])
        if n is not None:
            n.assign_add(1)
        history.append(ema.average(x).numpy())
    return history


@settings(max_examples=20, deadline=None)
@given(st.lists(st.lists(st.floats(-100, 100, width=32), min_size=3, max_size=3), min_size=1, max_size=4),
       st.floats(0.0, 1.0, width=32), st.one_of(st.none(), st.integers(0, 50)))
def test_float32_averages_are_bit_exact(tf_oracle, steps, decay, num_updates):
    start = [0.1, 0.7, -3.3]
    ours = _run(ff, steps, decay, num_updates, np.float32, start)
    theirs = _run(tf_oracle, steps, decay, num_updates, np.float32, start)
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("dtype", [np.float16, ml_dtypes.bfloat16, np.float64])
def test_other_float_types_match_tf(tf_oracle, dtype):
    steps = [[1.5, -0.25], [0.125, 3.0], [-7.0, 2.5]]
    ours = _run(ff, steps, 0.3, None, dtype, [1.0, 2.0])
    theirs = _run(tf_oracle, steps, 0.3, None, dtype, [1.0, 2.0])
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()


def _names(tf):
    v = tf.Variable([1.0, 2.0], name="ema_names_v")
    twin = tf.Variable(1.0, name="ema_names_v")
    first = tf.train.ExponentialMovingAverage(0.9)
    out = [first.average_name(v)]
    first.apply([v, twin])
    out += [first.average(v).name, first.average(twin).name, first.average_name(twin), first.average(v).trainable]
    second = tf.train.ExponentialMovingAverage(0.9, name="ema_names_foo")
    with tf.name_scope("ema_outer"):
        u = tf.Variable(1.0, name="u")
        second.apply([u, v])
    out += [second.average(u).name, second.average(v).name, second.name, second.average(tf.Variable(1.0))]
    third = tf.train.ExponentialMovingAverage(0.9)
    third.apply([v])
    out.append(third.average(v).name)
    out.append(sorted(second.variables_to_restore([v, u])))
    return out


def test_shadow_variable_names_match_tf(tf_oracle):
    assert _names(ff) == _names(tf_oracle)
    assert _names(ff)[1:3] == ["ema_names_v/ExponentialMovingAverage_3:0", "ema_names_v/ExponentialMovingAverage_4:0"]


def test_variables_to_restore_names_every_averaged_variable():
    a = ff.Variable(1.0, name="ema_restore_a")
    ema = ff.train.ExponentialMovingAverage(0.5, name="ema_restore")
    ema.apply([a])
    restore = ema.variables_to_restore()
    assert restore["ema_restore_a/ema_restore"] is a
    assert ema.variables_to_restore([a]) == {"ema_restore_a/ema_restore": a}


def _errors(tf):
    ema = tf.train.ExponentialMovingAverage(0.9)
    out = []
    for bad in ([tf.Variable(1, name="ema_int")], [tf.constant(1.0)]):
        with pytest.raises(TypeError) as e:
            ema.apply(bad)
        out.append(str(e.value))
    out.append(ema.apply())
    with pytest.raises(ValueError) as e:  # a float64 decay does not convert to float32
        tf.train.ExponentialMovingAverage(tf.constant(0.5, tf.float64)).apply([tf.Variable(1.0)])
    out.append(str(e.value))
    return out


def test_errors_match_tf(tf_oracle):
    assert _errors(ff) == _errors(tf_oracle)
    assert _errors(ff)[0] == "The variables must be half, float, or double: ema_int:0"


def _averaged(tf, value):
    v = tf.Variable(value, name="ema_ckpt_v")
    ema = tf.train.ExponentialMovingAverage(0.25)
    ema.apply([v])
    v.assign(value * 3.0)
    ema.apply([v])
    return v, ema.average(v)


def test_checkpoints_of_averages_move_both_ways(tf_oracle, tmp_path):
    value = np.array([1.0, -2.0, 0.5], np.float32)
    for writer, reader in ((ff, tf_oracle), (tf_oracle, ff)):
        v, avg = _averaged(writer, value)
        path = writer.train.Checkpoint(model_weights=[v], averaged_weights=[avg]).write(
            str(tmp_path / f"from_{writer.__name__}"))
        keys = sorted(name for name, _ in reader.train.list_variables(path))
        assert keys == ["_CHECKPOINTABLE_OBJECT_GRAPH", "averaged_weights/0/.ATTRIBUTES/VARIABLE_VALUE",
                        "model_weights/0/.ATTRIBUTES/VARIABLE_VALUE"]
        # restoring the averages straight into the model's weights, as TF's docstring shows
        target = reader.Variable(np.zeros(3, np.float32))
        reader.train.Checkpoint(averaged_weights=[target]).read(path).expect_partial()
        np.testing.assert_array_equal(target.numpy(), avg.numpy())


@pytest.mark.usefixtures("device")
def test_averages_stay_on_the_variables_device():
    v = ff.Variable([1.0, 2.0], name="ema_device_v")
    ema = ff.train.ExponentialMovingAverage(0.5, num_updates=ff.Variable(3))
    from featherflow.backends import simulated

    before = simulated.transfers()
    ema.apply([v])
    v.assign_add([2.0, 2.0])
    ema.apply([v])
    # the Python numbers (decay, 1.0, 10.0) go up as constants; nothing comes back to the host
    assert simulated.transfers()[1] == before[1]
    assert ema.average(v).device == v.device
    np.testing.assert_allclose(ema.average(v).numpy(), [1.0 + 2.0 * 9 / 13, 2.0 + 2.0 * 9 / 13], rtol=1e-6)


def test_the_average_object_itself_is_not_trackable(tf_oracle):
    # TF: "ExponentialMovingAverage objects are not directly trackable by checkpoints"
    messages = []
    for tf in (ff, tf_oracle):
        with pytest.raises(ValueError) as e:
            tf.train.Checkpoint(ema=tf.train.ExponentialMovingAverage(0.5))
        messages.append(str(e.value).split(", got <")[0])
    assert messages[0] == messages[1]
