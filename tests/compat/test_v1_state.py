"""``tf.compat.v1``'s state and graph functions against eager TensorFlow's: TF 1's random initializers,
``assign*``, the default graph's collections, ``GraphKeys``, the placeholders' errors, the eager switches
(disabling eager execution is refused: featherflow has no graph mode) and ``Dimension``."""

from __future__ import annotations

import pytest

import featherflow as ff

from ._support import assert_same, outcome

INIT = {
    "uniform_default": lambda v1: v1.random_uniform_initializer(seed=3)([3]),
    "uniform_float64": lambda v1: v1.random_uniform_initializer(-1.0, 2.0, seed=5)([2, 2], "float64"),
    "uniform_int": lambda v1: v1.random_uniform_initializer(0, 5, seed=1, dtype="int32")([4]),
    "uniform_int_no_maxval": lambda v1: v1.random_uniform_initializer(0, dtype="int32")([3]),
    "uniform_partition_info": lambda v1: v1.random_uniform_initializer(seed=3)([2], partition_info=None),
    "uniform_config": lambda v1: v1.random_uniform_initializer(seed=3).get_config(),
    "normal_default": lambda v1: v1.random_normal_initializer(seed=3)([3]),
    "normal_float64": lambda v1: v1.random_normal_initializer(1.0, 2.0, 7, "float64")([2]),
    "normal_int_dtype": lambda v1: v1.random_normal_initializer(dtype="int32"),
    "normal_config": lambda v1: v1.random_normal_initializer(0.5, 3.0, 9).get_config(),
    "from_config": lambda v1: v1.random_normal_initializer.from_config(
        v1.random_normal_initializer(0.5, 3.0, 9).get_config()).get_config(),
}


@pytest.mark.parametrize("case", sorted(INIT))
def test_initializers(tf_oracle, same_seed_state, case):
    # (seeded samples: bit-exact with TF's under one global seed)
    assert_same(outcome(lambda: INIT[case](ff.compat.v1)), outcome(lambda: INIT[case](tf_oracle.compat.v1)))


ASSIGN = {
    "assign": lambda tf, v: tf.compat.v1.assign(v, [3.0, 4.0]),
    "assign_name": lambda tf, v: tf.compat.v1.assign(v, [3.0, 4.0], None, None, "a"),
    "assign_add": lambda tf, v: tf.compat.v1.assign_add(v, [1.0, 1.0]),
    "assign_sub": lambda tf, v: tf.compat.v1.assign_sub(v, [1, 1]),
    "assign_shape": lambda tf, v: tf.compat.v1.assign(v, [3.0, 4.0, 5.0]),
    "assign_shape_unvalidated": lambda tf, v: tf.compat.v1.assign(v, [3.0, 4.0, 5.0], validate_shape=False),
    "assign_dtype": lambda tf, v: tf.compat.v1.assign_add(v, 1),
    "assign_python_ref": lambda tf, v: tf.compat.v1.assign(1.0, 2.0),
}


@pytest.mark.parametrize("case", sorted(ASSIGN))
def test_assign(tf_oracle, case):
    def run(tf):
        v = tf.Variable([1.0, 2.0])
        result = outcome(lambda: ASSIGN[case](tf, v))
        return result, v.numpy().tolist()

    (got, got_value), (want, want_value) = run(ff), run(tf_oracle)
    assert got_value == want_value
    if isinstance(want, tuple):
        assert_same(got, want)
    else:
        assert repr(got) == repr(want)


def test_assign_to_a_tensor_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'assign'"):
        ff.compat.v1.assign(ff.constant(1.0), 2.0)


@pytest.mark.parametrize("name", ["placeholder", "sparse_placeholder"])
@pytest.mark.parametrize("rest", [(), ([2], "x")])
def test_placeholders_raise_tfs_error(tf_oracle, name, rest):
    want = outcome(lambda: getattr(tf_oracle.compat.v1, name)(tf_oracle.float32, *rest))
    assert_same(outcome(lambda: getattr(ff.compat.v1, name)(ff.float32, *rest)), want)
    assert want[:2] == ("error", "RuntimeError")


def _collections(tf):
    v1 = tf.compat.v1
    v1.reset_default_graph()
    g = v1.get_default_graph()
    seen = [type(g).__name__, g is v1.get_default_graph(), g.finalized, g.version, g.seed, g.building_function,
            g.get_operations()]
    g.add_to_collection("foo", 1)
    v1.add_to_collection("foo", 2)
    g.add_to_collections(["a", "b", "a"], 3)
    v1.add_to_collections("c", 4)
    ref = v1.get_collection_ref("d")
    ref.append(5)

    class Named:
        def __init__(self, name):
            self.name = name

    named = [Named("scope/x"), Named("other/y")]
    for item in named:
        v1.add_to_collection("named", item)
    seen += [g.get_collection("foo"), v1.get_collection("a"), g.get_collection("d"), sorted(g.collections),
             sorted(g.get_all_collection_keys()), g.get_collection("missing"), g.get_collection("foo", scope="x"),
             [n.name for n in v1.get_collection("named", "scope")]]
    g.clear_collection("foo")
    seen.append(g.get_collection("foo"))
    seen.append(v1.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES))
    tf.Variable(1.0)  # eager variables join no collection
    seen.append(v1.get_collection(v1.GraphKeys.GLOBAL_VARIABLES))
    v1.reset_default_graph()
    seen += [v1.get_default_graph() is g, v1.get_collection("a"), g.get_collection("a")]
    g.finalize()
    seen += [g.finalized, outcome(lambda: g.add_to_collection("a", 1)), outcome(lambda: g.clear_collection("a")),
             g.get_collection("a")]
    fresh = v1.Graph()
    seen += [fresh is not v1.get_default_graph(), fresh.get_collection("a")]
    v1.reset_default_graph()
    return seen


def test_default_graph_collections(tf_oracle):
    assert _collections(ff) == _collections(tf_oracle)


def test_graph_keys(tf_oracle):
    want = tf_oracle.compat.v1.GraphKeys
    names = [n for n in dir(want) if n.isupper() or n.startswith("_") and n[1:].isupper()]
    for name in names:
        assert getattr(ff.compat.v1.GraphKeys, name) == getattr(want, name), name


def test_as_default_refuses_graph_building():
    with pytest.raises(NotImplementedError, match="no graph mode"):
        ff.compat.v1.get_default_graph().as_default()


def test_execution_mode_switches(tf_oracle):
    v1, tf1 = ff.compat.v1, tf_oracle.compat.v1
    for name in ("enable_eager_execution", "enable_v2_behavior", "executing_eagerly"):
        assert getattr(v1, name)() == getattr(tf1, name)()
    assert v1.enable_eager_execution(device_policy=2) is tf1.enable_eager_execution(device_policy=2) is None
    assert v1.executing_eagerly() is True
    for name in ("disable_eager_execution", "disable_v2_behavior"):
        with pytest.raises(NotImplementedError, match="no graph mode"):
            getattr(v1, name)()
    assert v1.executing_eagerly() is True


def test_dimension(tf_oracle):
    d = ff.compat.v1.Dimension(3)
    assert repr(d) == repr(tf_oracle.compat.v1.Dimension(3))
    assert ff.compat.v1.Dimension is type(ff.TensorShape([3]).dims[0])
    assert str(ff.compat.v1.Dimension(None)) == str(tf_oracle.compat.v1.Dimension(None))
