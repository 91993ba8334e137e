"""``tf.variable_creator_scope`` against real TF: the kwargs creators receive, nesting order, creators that
replace the variable, subclasses built directly, per-thread stacks, and nothing installed once scopes close."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

import featherflow as ff
from featherflow.variable_creator import VariableMeta


def _run(tf: Any) -> tuple:
    log: list = []

    def outer(next_creator: Any, **kwargs: Any) -> Any:
        log.append(("outer", sorted((k, repr(v)) for k, v in kwargs.items())))
        return next_creator(**kwargs)

    def inner(next_creator: Any, **kwargs: Any) -> Any:
        log.append(("inner", kwargs["name"]))
        kwargs["name"] = "renamed"
        kwargs["initial_value"] = kwargs["initial_value"] * 2
        return next_creator(**kwargs)

    with tf.variable_creator_scope(outer):
        with tf.variable_creator_scope(inner) as entered:
            v = tf.Variable(1.5, False, name="x", dtype=tf.float64)
    return entered, log, v.name, v.trainable, v.dtype.name, float(v.numpy())


def test_kwargs_and_nesting_match_tf(tf_oracle):
    assert _run(ff) == _run(tf_oracle)


def test_creator_may_return_anything_and_skip_the_rest():
    seen: list = []
    with ff.variable_creator_scope(lambda next_creator, **kw: seen.append("outer") or next_creator(**kw)):
        with ff.variable_creator_scope(lambda next_creator, **kw: ("made", kw["initial_value"])):
            assert ff.Variable(3.0) == ("made", 3.0)
    assert seen == []  # the inner creator never called next_creator


def test_not_callable_creator_raises_as_tf(tf_oracle):
    for tf in (tf_oracle, ff):
        with pytest.raises(TypeError, match="'int' object is not callable"):
            with tf.variable_creator_scope(3):
                tf.Variable(1.0)


def test_positional_and_duplicate_arguments():
    got: list = []
    with ff.variable_creator_scope(lambda nxt, **kw: got.append(kw) or nxt(**kw)):
        v = ff.Variable([1, 2], True, True, None, "p")
        with pytest.raises(TypeError, match="multiple values for argument 'name'"):
            ff.Variable(1.0, True, True, None, "a", name="b")
    assert (got[0]["trainable"], got[0]["name"], v.name) == (True, "p", "p:0")
    np.testing.assert_array_equal(v.numpy(), [1, 2])


def test_stack_is_per_thread_and_removed_on_exit():
    assert "__call__" not in VariableMeta.__dict__  # no scope: construction is plain type.__call__
    calls: list = []
    other: list = []
    with ff.variable_creator_scope(lambda nxt, **kw: calls.append(kw["name"]) or nxt(**kw)):
        assert "__call__" in VariableMeta.__dict__
        t = threading.Thread(target=lambda: other.append(ff.Variable(1.0, name="t").name))
        t.start()
        t.join()
        ff.Variable(1.0, name="main")
    assert calls == ["main"] and other == ["t:0"]
    assert "__call__" not in VariableMeta.__dict__
    ff.Variable(2.0, name="after")
    assert calls == ["main"]


def test_exception_in_scope_restores():
    with pytest.raises(RuntimeError):
        with ff.variable_creator_scope(lambda nxt, **kw: nxt(**kw)):
            raise RuntimeError("boom")
    assert "__call__" not in VariableMeta.__dict__


def test_subclasses_are_built_directly():
    class Mine(ff.Variable):
        pass

    with ff.variable_creator_scope(lambda nxt, **kw: "intercepted"):
        assert type(Mine(1.0)) is Mine
        assert ff.Variable(1.0) == "intercepted"
