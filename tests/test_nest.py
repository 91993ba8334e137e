"""tf.nest against TensorFlow's: flatten, pack_sequence_as, map_structure, assert_same_structure, is_nested and the
path flatteners, on hand-picked and hypothesis-generated structures (results, error types and messages)."""

from __future__ import annotations

import collections

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff
from featherflow import nest

Point = collections.namedtuple("Point", ["y", "x"])
Other = collections.namedtuple("Other", ["y", "x"])


@pytest.fixture(scope="module")
def tfnest(tf_oracle):
    from tensorflow.python.util import nest as util_nest
    return tf_oracle.nest, util_nest


def outcome(fn, *args, **kwargs):
    """The result, or the error's type name and message (for comparing with TF)."""
    try:
        return "ok", fn(*args, **kwargs)
    except (TypeError, ValueError) as e:
        return type(e).__name__, str(e)


leaves = st.one_of(st.integers(-5, 5), st.none(), st.sampled_from(["s", b"b", 1.5]))


def _containers(children):
    return st.one_of(
        st.lists(children, max_size=3),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), children, max_size=3),
        st.tuples(children, children).map(lambda t: Point(*t)),
        st.dictionaries(st.sampled_from(["k", "j"]), children, max_size=2).map(
            lambda d: collections.OrderedDict(sorted(d.items(), reverse=True))),
    )


structures = st.recursive(leaves, _containers, max_leaves=12)

STRUCTURES = [
    None, 1, "abc", b"x", [], (), {}, [[], ()], [1, [2, (3, {"b": 4, "a": None})]], {"b": 1, "a": 2},
    collections.OrderedDict([("b", 1), ("a", 2)]), collections.defaultdict(list, {"z": [1], "y": 2}),
    Point(1, [2, 3]), range(3), {1, 2}, np.array([1, 2]), {"a": 1}.values(), {"a": 1, "b": (2,)}.items(),
]


@pytest.mark.parametrize("structure", STRUCTURES, ids=repr)
def test_flatten_and_is_nested_match_tf(tfnest, structure):
    tf_nest, _ = tfnest
    assert repr(nest.flatten(structure)) == repr(tf_nest.flatten(structure))
    assert nest.is_nested(structure) == tf_nest.is_nested(structure)


def test_tensors_and_variables_are_leaves():
    t, v = ff.constant([1, 2]), ff.Variable(1.0)
    assert nest.flatten([t, {"v": v}])[0] is t
    assert nest.flatten([t, {"v": v}])[1] is v
    assert not nest.is_nested(t)


def test_unsortable_keys(tfnest):
    tf_nest, _ = tfnest
    mixed = {1: "x", "a": 2}
    assert outcome(nest.flatten, mixed) == outcome(tf_nest.flatten, mixed)
    assert outcome(nest.pack_sequence_as, mixed, [1, 2]) == outcome(tf_nest.pack_sequence_as, mixed, [1, 2])


PACK_CASES = [
    ([1, [2]], [5, 6]), ([1, [2]], [5, 6, 7]), ([1, [2]], [5]), (1, [5]), (1, [5, 6]), (1, 5), ([1], 5),
    ([1, 2], "ab"), ({"b": 1, "a": 2}, [10, 20]), (collections.OrderedDict([("b", 1), ("a", 2)]), [10, 20]),
    (Point(1, 2), (10, 20)), (collections.defaultdict(list, {"b": 1, "a": 2}), [10, 20]), ([], []), ([], [1]),
    ({"a": [1, (2, 3)], "b": None}, ["x", "y", "z", "w"]), ({"a": 1}.values(), [7]), (range(2), [4, 5]),
    ([[], [[]]], []),
]


@pytest.mark.parametrize("structure,flat", PACK_CASES, ids=repr)
def test_pack_sequence_as_matches_tf(tfnest, structure, flat):
    tf_nest, _ = tfnest
    ours, theirs = outcome(nest.pack_sequence_as, structure, flat), outcome(tf_nest.pack_sequence_as, structure, flat)
    assert ours == theirs
    if ours[0] == "ok":
        assert type(ours[1]) is type(theirs[1])
        assert repr(ours[1]) == repr(theirs[1])  # key order of mappings included


SAME_CASES = [
    ([1, [2]], [3, [4]], True), ([1, [2]], [3, 4], True), ([1, [2]], [3, [4, 5]], True), ([1, 2], (3, 4), True),
    ([1, 2], (3, 4), False), ({"a": 1}, {"b": 1}, True), ({"a": 1}, {"a": 1, "b": 2}, True),
    (Point(1, 2), (1, 2), True), (Point(1, 2), (1, 2), False), (Point(1, 2), Other(3, 4), True), (1, [1], True),
    ([1], 1, True), ("ab", ["a", "b"], True), ({"a": 1}, collections.OrderedDict(a=1), True),
    ([1, 2], [1, 2, 3], True), ([[1]], [[1, 2]], True), ([1, [2]], [[1], 2], True), (dict(a=1), dict(a=[1]), True),
    ({"a": 1, "b": 2}, {"c": 1, "a": 2}, False), ([1, {"a": (2, 3)}], [1, {"a": [2, 3]}], True),
    (None, None, True), ([None], [(None,)], True),
]


@pytest.mark.parametrize("a,b,check_types", SAME_CASES, ids=repr)
def test_assert_same_structure_matches_tf(tfnest, a, b, check_types):
    tf_nest, _ = tfnest
    assert outcome(nest.assert_same_structure, a, b, check_types=check_types) == \
        outcome(tf_nest.assert_same_structure, a, b, check_types=check_types)


def test_map_structure_matches_tf(tfnest):
    tf_nest, _ = tfnest
    cases = [
        ((lambda x, y: x + y, [1, (2, 3)], [4, (5, 6)]), {}),
        ((lambda x, y: x + y, [1, (2, 3)], [4, [5, 6]]), {}),
        ((lambda x, y: x + y, [1, (2, 3)], [4, [5, 6]]), {"check_types": False}),
        ((lambda x: x, 1), {}), ((lambda x: x, None), {}), ((lambda x: x,), {}), ((1, [1]), {}),
        ((lambda x: x, [1]), {"foo": 1}), ((lambda x: str(x), {"b": 1, "a": [2, None]}), {}),
        ((lambda x, y: (x, y), Point(1, 2), Point(3, 4)), {}), ((lambda x: x, [1], [1, 2]), {}),
    ]
    for args, kwargs in cases:
        assert outcome(nest.map_structure, *args, **kwargs) == outcome(tf_nest.map_structure, *args, **kwargs), args


def test_path_flatteners_match_tf_util_nest(tfnest):
    _, util_nest = tfnest
    for s in [{"b": [1, {"c": 2}], "a": Point(3, 4)}, [1, (2,)], 1, {}, {"x": [None]}]:
        assert nest.flatten_with_tuple_paths(s) == util_nest.flatten_with_tuple_paths(s)
        assert nest.flatten_with_joined_string_paths(s) == util_nest.flatten_with_joined_string_paths(s)
        assert nest.flatten_with_joined_string_paths(s, separator="|") == \
            util_nest.flatten_with_joined_string_paths(s, separator="|")


@settings(max_examples=150, deadline=None)
@given(structures)
def test_generated_structures_round_trip_like_tf(tfnest, s):
    tf_nest, util_nest = tfnest
    flat = nest.flatten(s)
    assert flat == tf_nest.flatten(s)
    assert nest.is_nested(s) == tf_nest.is_nested(s)
    numbered = list(range(len(flat)))
    if nest.is_nested(s) or len(flat) == 1:
        ours, theirs = nest.pack_sequence_as(s, numbered), tf_nest.pack_sequence_as(s, numbered)
        assert repr(ours) == repr(theirs)
        assert nest.flatten(ours) == numbered
    mapped = nest.map_structure(lambda x: [x], s)
    assert repr(mapped) == repr(tf_nest.map_structure(lambda x: [x], s))
    assert nest.flatten_with_tuple_paths(s) == util_nest.flatten_with_tuple_paths(s)


@settings(max_examples=150, deadline=None)
@given(structures, structures, st.booleans())
def test_generated_pairs_compare_like_tf(tfnest, a, b, check_types):
    tf_nest, _ = tfnest
    assert outcome(nest.assert_same_structure, a, b, check_types=check_types) == \
        outcome(tf_nest.assert_same_structure, a, b, check_types=check_types)


# --- composites (RaggedTensor, SparseTensor) with expand_composites ---------------------------------------------

def _composites(tf):
    return {
        "rt": tf.ragged.constant([[1.0, 2.0], [3.0]]),
        "rt_long": tf.ragged.constant([[1.0], [2.0, 3.0, 4.0]]),
        "r3": tf.ragged.constant([[[1], [2, 3]], [[4]]]),
        "sp": tf.sparse.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [3, 4]),
        "sp_small": tf.sparse.SparseTensor([[1, 1]], [5.0], [2, 2]),
        "t": tf.constant(1.0),
    }


COMPOSITE_STRUCTURES = [
    "rt", "r3", "sp", ["rt", {"a": "sp", "b": ("t", "r3")}],
]


def _build(spec, values):
    if isinstance(spec, str):
        return values[spec]
    if isinstance(spec, list):
        return [_build(s, values) for s in spec]
    if isinstance(spec, tuple):
        return tuple(_build(s, values) for s in spec)
    return {k: _build(v, values) for k, v in spec.items()}


@pytest.mark.parametrize("spec", COMPOSITE_STRUCTURES, ids=repr)
def test_expand_composites_flatten_and_pack_match_tf(tf_oracle, spec):
    ours, theirs = _build(spec, _composites(ff)), _build(spec, _composites(tf_oracle))
    assert repr(nest.flatten(ours, expand_composites=True)) == repr(tf_oracle.nest.flatten(theirs,
                                                                                         expand_composites=True))
    assert repr(nest.flatten(ours)) == repr(tf_oracle.nest.flatten(theirs))
    assert nest.is_nested(ours) == tf_oracle.nest.is_nested(theirs)
    rebuilt = nest.pack_sequence_as(ours, nest.flatten(ours, expand_composites=True), expand_composites=True)
    assert repr(rebuilt) == repr(ours)
    doubled = nest.map_structure(lambda x: x * 2 if x.dtype.is_floating else x, ours, expand_composites=True)
    their_doubled = tf_oracle.nest.map_structure(lambda x: x * 2 if x.dtype.is_floating else x, theirs,
                                                 expand_composites=True)
    assert repr(doubled) == repr(their_doubled)


@pytest.mark.parametrize(("a", "b"), [("rt", "rt_long"), ("rt", "sp"), ("rt", "r3"), ("rt", "t"), ("t", "sp"),
                                      ("sp", "sp_small"), (["rt"], ["sp"]), ({"k": "rt"}, {"k": "rt_long"})],
                         ids=repr)
def test_assert_same_structure_with_composites_matches_tf(tf_oracle, a, b):
    ours, theirs = _composites(ff), _composites(tf_oracle)
    for expand in (True, False):
        assert outcome(nest.assert_same_structure, _build(a, ours), _build(b, ours), expand_composites=expand) == \
            outcome(tf_oracle.nest.assert_same_structure, _build(a, theirs), _build(b, theirs),
                    expand_composites=expand)


def test_pack_sequence_as_composite_counts_atoms(tf_oracle):
    rt = _composites(ff)["rt"]
    with pytest.raises(ValueError, match="Structure had 2 atoms, but flat_sequence had 1 items"):
        nest.pack_sequence_as(rt, [ff.constant([1.0])], expand_composites=True)
    packed = nest.pack_sequence_as(rt, [ff.constant([5.0, 6.0, 7.0]), ff.constant([0, 1, 3], ff.int64)],
                                   expand_composites=True)
    assert packed.to_list() == [[5.0], [6.0, 7.0]]


@pytest.mark.parametrize("spec", COMPOSITE_STRUCTURES, ids=repr)
def test_paths_with_composites_match_tf(tfnest, tf_oracle, spec):
    _, util_nest = tfnest
    ours, theirs = _build(spec, _composites(ff)), _build(spec, _composites(tf_oracle))
    for expand in (True, False):
        assert [p for p, _ in nest.flatten_with_tuple_paths(ours, expand_composites=expand)] == \
            [p for p, _ in util_nest.flatten_with_tuple_paths(theirs, expand_composites=expand)]
        assert [p for p, _ in nest.flatten_with_joined_string_paths(ours, expand_composites=expand)] == \
            [p for p, _ in util_nest.flatten_with_joined_string_paths(theirs, expand_composites=expand)]
