"""``tf.cond``, ``tf.case`` and ``tf.switch_case`` against real TF: values, structures, errors."""

from __future__ import annotations

import pytest

from ._support import same

COND = {
    "tensor pred": lambda tf: tf.cond(tf.constant(2) < 5, lambda: tf.constant(14), lambda: tf.constant(8)),
    "false pred": lambda tf: tf.cond(tf.constant(False), lambda: 1, lambda: tf.constant([2.0, 3.0])),
    "python bool": lambda tf: tf.cond(True, lambda: (tf.constant(1), {"a": 2.0}), lambda: None),
    "python int": lambda tf: tf.cond(0, lambda: 1, lambda: 2),
    "int tensor": lambda tf: tf.cond(tf.constant(3), lambda: 1, lambda: 2),
    "float tensor": lambda tf: tf.cond(tf.constant(0.0), lambda: 1, lambda: 2),
    "one element": lambda tf: tf.cond(tf.constant([True]), lambda: 1, lambda: 2),
    "list kept": lambda tf: tf.cond(True, lambda: [tf.constant(1)], lambda: [2]),
    "none result": lambda tf: tf.cond(True, lambda: None, lambda: 2),
    "vector pred": lambda tf: tf.cond(tf.constant([True, False]), lambda: 1, lambda: 2),
    "not callable": lambda tf: tf.cond(True, 1, lambda: 2),
    "false not callable": lambda tf: tf.cond(True, lambda: 1, 2),
    "missing true_fn": lambda tf: tf.cond(True),
    "missing false_fn": lambda tf: tf.cond(True, lambda: 1),
    "variable pred": lambda tf: tf.cond(tf.Variable(False), lambda: 1, lambda: 2),
}


@pytest.mark.parametrize("case", sorted(COND))
def test_cond(case, tf_oracle):
    same(COND[case], tf_oracle)


def test_cond_runs_one_branch():
    import featherflow as tf

    ran = []
    out = tf.cond(tf.constant(False), lambda: ran.append("t"), lambda: ran.append("f") or tf.constant(0))
    assert ran == ["f"] and int(out) == 0


def _p(tf, *values):
    return [tf.constant(v) for v in values]


CASE = {
    "first true": lambda tf: tf.case([(tf.constant(False), lambda: 1), (tf.constant(True), lambda: 2)],
                                     default=lambda: 3),
    "order": lambda tf: tf.case([(tf.constant(True), lambda: 1), (tf.constant(True), lambda: 2)],
                                default=lambda: 3),
    "default": lambda tf: tf.case([(tf.constant(False), lambda: 1)], default=lambda: tf.constant(3.0)),
    "no default, none true": lambda tf: tf.case([(tf.constant(False), lambda: 1), (tf.constant(False), lambda: 2)]),
    "no default, last true": lambda tf: tf.case([(tf.constant(False), lambda: 1), (tf.constant(True), lambda: 2)]),
    "no default, one pair": lambda tf: tf.case([(tf.constant(False), lambda: 1)]),
    "exclusive ok": lambda tf: tf.case([(tf.constant(False), lambda: 1), (tf.constant(True), lambda: 2)],
                                       default=lambda: 3, exclusive=True),
    "exclusive two true": lambda tf: tf.case([(tf.constant(True), lambda: 1), (tf.constant(True), lambda: 2)],
                                             default=lambda: 3, exclusive=True),
    "exclusive no default": lambda tf: tf.case([(tf.constant(True), lambda: 1), (tf.constant(True), lambda: 2),
                                                (tf.constant(True), lambda: 3)], exclusive=True),
    "tuple of pairs": lambda tf: tf.case(((tf.constant(True), lambda: [tf.constant(1)]),)),
    "strict": lambda tf: tf.case([(tf.constant(True), lambda: [tf.constant(1)])], strict=True),
    "not a list": lambda tf: tf.case(3),
    "not a pair": lambda tf: tf.case([(tf.constant(True), lambda: 1, 3)]),
    "python pred": lambda tf: tf.case([(True, lambda: 1)]),
    "int pred": lambda tf: tf.case([(tf.constant(1), lambda: 1)]),
    "fn not callable": lambda tf: tf.case([(tf.constant(True), 1)]),
    "empty": lambda tf: tf.case([], default=lambda: 3),
    "dict not exclusive": lambda tf: tf.case({}, default=lambda: 3),
}


@pytest.mark.parametrize("case", sorted(CASE))
def test_case(case, tf_oracle):
    same(CASE[case], tf_oracle)


SWITCH = {
    "index": lambda tf: tf.switch_case(tf.constant(1), [lambda: 1, lambda: 2, lambda: 3]),
    "past the end": lambda tf: tf.switch_case(tf.constant(7), [lambda: 1, lambda: 2, lambda: 3]),
    "negative": lambda tf: tf.switch_case(tf.constant(-1), [lambda: 1, lambda: 2, lambda: 3]),
    "default": lambda tf: tf.switch_case(tf.constant(7), [lambda: 1, lambda: 2], default=lambda: 9),
    "default unused": lambda tf: tf.switch_case(tf.constant(0), [lambda: 1, lambda: 2], default=lambda: 9),
    "dict": lambda tf: tf.switch_case(tf.constant(1), {1: lambda: tf.constant(5.0), 0: lambda: 1.0}),
    "pairs": lambda tf: tf.switch_case(tf.constant(0), [(1, lambda: 2), (0, lambda: 1)]),
    "int64": lambda tf: tf.switch_case(tf.constant(1, tf.int64), [lambda: 1, lambda: 2]),
    "python index": lambda tf: tf.switch_case(1, [lambda: 1, lambda: 2]),
    "float index": lambda tf: tf.switch_case(tf.constant(1.0), [lambda: 1, lambda: 2]),
    "empty": lambda tf: tf.switch_case(tf.constant(1), []),
    "not a list": lambda tf: tf.switch_case(tf.constant(1), 5),
    "gap": lambda tf: tf.switch_case(tf.constant(1), {0: lambda: 1, 5: lambda: 2}),
    "str key": lambda tf: tf.switch_case(tf.constant(1), {"a": lambda: 1}),
    "not callable": lambda tf: tf.switch_case(tf.constant(1), [(0, 1)]),
    "not a pair": lambda tf: tf.switch_case(tf.constant(1), [(0, lambda: 1, 2)]),
}


@pytest.mark.parametrize("case", sorted(SWITCH))
def test_switch_case(case, tf_oracle):
    same(SWITCH[case], tf_oracle)
