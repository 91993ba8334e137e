"""tf.Module: naming, name scopes, traversal order, tracking through containers; the same programs under real
TensorFlow (``tf_oracle``) and featherflow must give the same names, orders and paths."""

from __future__ import annotations

import collections
import copy

import numpy as np
import pytest

import featherflow as ff
from featherflow.module import camel_to_snake
from featherflow.trackable import ListWrapper, NoDependency, _DictWrapper, _TupleWrapper

# Each test runs on the CPU and on a simulated GPU (tests/conftest.py), where variables live on GPU:0.
pytestmark = pytest.mark.usefixtures("device")

Pair = collections.namedtuple("Pair", "first second")


def build_tree(tf):
    """A module tree with nested modules, lists, dicts, tuples and shared objects, built with either library."""

    class Dense(tf.Module):
        def __init__(self, n, name=None):
            super().__init__(name=name)
            with self.name_scope:
                self.w = tf.Variable(np.ones([2, n], np.float32), name="kernel")
                self.b = tf.Variable(np.zeros([n], np.float32), name="bias")

    class HTTPNet2D(tf.Module):
        def __init__(self):
            super().__init__()
            with self.name_scope:
                self.layers = [Dense(3), Dense(4, name="out")]
                self.extra = {"z": tf.Variable(1, name="z"), "a": [tf.Variable([1.5], dtype=tf.float64)]}
                self.pair = Pair(tf.Variable(2.0, name="first"), 7)
                self.frozen = tf.Variable(0, dtype=tf.int64, trainable=False, name="frozen")
                self.alias = self.layers[0]
                self.tup = (Dense(1, name="in_tuple"), "text")
                self.odd = {"we.ird/name": tf.Variable(3.0, name="odd")}  # escaped in checkpoint keys

    return HTTPNet2D()


def describe(module):
    variable_names = [v.name for v in module.variables]
    return {
        "name": module.name,
        "scope": module.name_scope.name,
        "variables": variable_names,
        "trainable": [v.name for v in module.trainable_variables],
        "non_trainable": [v.name for v in module.non_trainable_variables],
        "submodules": [m.name for m in module.submodules],
        "paths": [p for p, _ in module._flatten(predicate=lambda x: hasattr(x, "assign"), with_path=True)],
        "module_paths": [p for p, _ in module._flatten(predicate=lambda x: hasattr(x, "name_scope"),
                                                        with_path=True)],
        "shallow": [v.name for v in module._flatten(predicate=lambda x: hasattr(x, "assign"), recursive=False)],
        "children": list(module._trackable_children()),
        "list_children": list(module.layers._trackable_children()),
        "dict_children": list(module.extra._trackable_children()),
        "tuple_children": list(module.pair._trackable_children()),
        "wrappers": [type(module.layers).__name__, type(module.extra).__name__, type(module.pair).__name__,
                     repr(module.extra["a"])[:12], isinstance(module.extra, dict), isinstance(module.pair, tuple)],
        "pair_first": module.pair.first.name,
    }


def test_tree_matches_tensorflow(tf_oracle):
    assert describe(build_tree(ff)) == describe(build_tree(tf_oracle))


@pytest.mark.parametrize("name", ["Module", "MyHTTPModule", "Dense2D", "ABC", "already_snake", "X", "getHTTPResponse",
                                  "Conv2DTranspose", "A1B2C3"])
def test_camel_to_snake_matches_tensorflow(tf_oracle, name):
    from tensorflow.python.module.module import camel_to_snake as tf_camel_to_snake

    assert camel_to_snake(name) == tf_camel_to_snake(name)
    cls = type(name, (ff.Module,), {})
    assert cls().name == tf_camel_to_snake(name)


@pytest.mark.parametrize("name", ["a b", "1ab", "dense/x", "", "a-b"])
def test_invalid_names(tf_oracle, name):
    with pytest.raises(ValueError) as theirs:
        tf_oracle.Module(name=name)
    with pytest.raises(ValueError) as ours:
        ff.Module(name=name)
    assert str(ours.value) == str(theirs.value)


def test_name_scopes_and_variable_names():
    outer = ff.Module(name="outer")
    assert outer.name == "outer" and outer.name_scope.name == "outer/"
    with ff.name_scope("x"):
        inner = ff.Module(name="inner")
    assert inner.name_scope.name == "x/inner/" and inner.name == "inner"
    with inner.name_scope:
        assert ff.Variable(1.0, name="k").name == "x/inner/k:0"
        with outer.name_scope:  # a module's scope is absolute once made
            assert ff.Variable(1.0, name="k").name == "outer/k:0"
    assert ff.Variable(1.0, name="k").name == "k:0"


def test_with_name_scope():
    class W(ff.Module):
        @ff.Module.with_name_scope
        def __call__(self, x):
            """Docstring kept."""
            self.w = ff.Variable(x, name="w")
            with ff.name_scope("q") as scope:
                return scope

    w = W()
    assert w(1.0) == "w/q/" and w.w.name == "w/w:0"
    assert W.__call__.__name__ == "__call__" and W.__call__.__doc__ == "Docstring kept."


def test_flatten_de_duplicates_and_handles_cycles():
    m = ff.Module(name="m")
    m.a = ff.Variable(1.0)
    m.b = ff.Module()
    m.b.c = ff.Module()
    m.b.c.v = ff.Variable(2.0, trainable=False)
    m.b.c.parent = m  # a cycle: recursion stops at modules already on the stack
    m.again = [m.a, m.a]
    assert m.variables == (m.a, m.b.c.v)
    assert m.trainable_variables == (m.a,) and m.non_trainable_variables == (m.b.c.v,)
    assert m.submodules == (m.b, m.b.c)
    paths = [p for p, _ in m._flatten(predicate=lambda x: isinstance(x, ff.Variable), with_path=True)]
    assert paths == [("a",), ("again", 0), ("again", 1), ("b", "c", "v"), ("b", "c", "parent", "a"),
                     ("b", "c", "parent", "again", 0), ("b", "c", "parent", "again", 1)]


def test_flatten_without_predicate_sees_tracking_attributes(tf_oracle):
    def leaves(tf):
        m = tf.Module(name="m")
        m.x = [1, tf.Variable(1.0)]
        m.s = (4, 5)
        kinds = {bool: "bool", int: "int", str: "str", set: "set"}
        return [(p, kinds.get(type(v), "other")) for p, v in m._flatten(with_path=True)]

    assert leaves(ff) == leaves(tf_oracle)


def test_unsortable_dict_keys_error():
    m = ff.Module()
    m.d = {1: "a", "b": 2}
    with pytest.raises(ValueError, match="Error processing property 'd'") as info:
        m.variables
    assert isinstance(info.value.__cause__, TypeError)


def test_module_without_super_init():
    class NoInit(ff.Module):
        def __init__(self):
            self.v = ff.Variable(1.0)

    m = NoInit()
    assert m.variables == (m.v,)
    with pytest.raises(AttributeError):
        m.name


def test_attribute_tracking_order_replace_and_delete():
    m = ff.Module()
    m.b = ff.Variable(1.0)
    m.a = ff.Variable(2.0)
    m.c = ff.Variable(3.0)
    assert list(m._trackable_children()) == ["b", "a", "c"]  # assignment order, not sorted
    replacement = ff.Variable(4.0)
    m.b = replacement  # replacing keeps the position
    assert list(m._trackable_children()) == ["b", "a", "c"] and m._trackable_children()["b"] is replacement
    del m.a
    assert list(m._trackable_children()) == ["b", "c"]
    m.plain = NoDependency(ff.Variable(5.0))
    assert isinstance(m.plain, ff.Variable) and "plain" not in m._trackable_children()
    m.lst = NoDependency([ff.Variable(1.0)])
    assert type(m.lst) is list


def test_list_wrapper_behaviour():
    original = [ff.Variable(1.0)]
    m = ff.Module()
    m.l = original
    assert isinstance(m.l, ListWrapper) and isinstance(m.l, list) and m.l == original
    m.l.append(ff.Variable(2.0))
    m.l.append(3)
    m.l += [ff.Variable(4.0)]
    assert list(m.l._trackable_children()) == ["0", "1", "3"]
    assert len(original) == 4 and original[3] is m.l[3]  # the wrapped list follows the wrapper
    assert repr(ListWrapper([1])) == "ListWrapper([1])"
    with pytest.raises(TypeError):
        hash(m.l)
    assert copy.copy(m.l) == m.l and isinstance(copy.deepcopy(m.l), ListWrapper)


@pytest.mark.parametrize("mutate", [
    lambda lst: lst.__setitem__(0, ff.Variable(5.0)),
    lambda lst: lst.__delitem__(0),
    lambda lst: lst.pop(),
    lambda lst: lst.insert(0, ff.Variable(5.0)),
    lambda lst: lst.sort(key=id),
    lambda lst: lst.reverse(),
    lambda lst: lst.__imul__(0),
])
def test_list_non_append_mutation_makes_it_unsaveable(tmp_path, mutate):
    m = ff.Module()
    m.l = [ff.Variable(1.0), ff.Variable(2.0)]
    mutate(m.l)
    with pytest.raises(ValueError, match="A list element was replaced"):
        ff.train.Checkpoint(m=m).write(str(tmp_path / "c"))


def test_list_mutations_without_trackables_are_fine(tmp_path):
    m = ff.Module()
    m.l = [3, 1, 2]
    m.l.sort()
    del m.l[0]
    m.l.append(ff.Variable(1.0))
    assert list(m.l._trackable_children()) == ["2"]
    ff.train.Checkpoint(m=m).write(str(tmp_path / "c"))


def test_external_modification_detected(tmp_path, tf_oracle):
    def attempt(tf, path):
        m = tf.Module()
        outside = []
        m.l = outside
        outside.append(tf.Variable(1.0))
        with pytest.raises(ValueError) as info:
            tf.train.Checkpoint(m=m).write(path)
        message = str(info.value)
        # The wrapper's own repr differs: TF's shares the outside list's storage, featherflow's doesn't see it.
        return message[message.index("(a list wrapper"):message.index("(its final value")], message[-150:]

    assert attempt(ff, str(tmp_path / "a")) == attempt(tf_oracle, str(tmp_path / "b"))


def test_dict_wrapper_behaviour(tmp_path, tf_oracle):
    m = ff.Module()
    m.d = {"z": ff.Variable(1.0)}
    m.d["a"] = ff.Variable(2.0)
    m.d.update(q=[ff.Variable(3.0)])
    m.d.setdefault("n", 4)
    assert isinstance(m.d, _DictWrapper) and isinstance(m.d, dict)
    assert list(m.d._trackable_children()) == ["z", "a", "q"]
    assert isinstance(m.d["q"], ListWrapper)
    del m.d["a"]  # allowed, and as in TF the deleted value stays tracked
    assert list(m.d._trackable_children()) == ["z", "a", "q"] and "a" not in m.d
    assert repr(_DictWrapper({"a": 1})) == "DictWrapper({'a': 1})"

    def non_string_key(tf, path):
        t = tf.Module()
        t.d = {"a": 1}
        t.d[1] = tf.Variable(5.0)
        with pytest.raises(ValueError) as info:
            tf.train.Checkpoint(m=t).write(path)
        return str(info.value)

    assert non_string_key(ff, str(tmp_path / "c")) == non_string_key(tf_oracle, str(tmp_path / "t"))


def test_tuple_wrapper():
    v = ff.Variable(1.0)
    m = ff.Module()
    m.t = (v, [ff.Variable(2.0)], "x")
    assert isinstance(m.t, _TupleWrapper) and isinstance(m.t, tuple) and m.t[0] is v
    assert isinstance(m.t[1], ListWrapper) and list(m.t._trackable_children()) == ["0", "1"]
    m.p = Pair(v, 3)
    assert m.p.first is v and m.p._fields == ("first", "second")
    assert list(m.p._trackable_children()) == ["first", "0"]
    m.plain = (1, 2)
    assert type(m.plain) is tuple
    assert m.variables[0] is v


def test_many_variables_are_fast():
    m = ff.Module()
    m.vs = []
    for i in range(10_000):
        m.vs.append(ff.Variable(float(i)))
    assert len(m.variables) == 10_000 and m.variables[-1].numpy() == 9999.0
