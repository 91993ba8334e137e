"""tf.data.Iterator / IteratorSpec / NumpyIterator / DatasetSpec and tf.data.experimental.Optional, against real TF."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as tf

TF = pytest.importorskip("tensorflow")

PIPELINES = [
    lambda m: m.data.Dataset.range(3),
    lambda m: m.data.Dataset.from_tensor_slices(({"a": [1.0, 2.0]}, [[1, 2], [3, 4]])),
    # drop_remainder: featherflow's map infers its spec from the first element (static batch dim), TF's is (None,)
    lambda m: m.data.Dataset.range(5).batch(2, drop_remainder=True).map(lambda x: (x, x * 2)),
    lambda m: m.data.Dataset.range(0),
]


def _np(value):
    return TF.nest.map_structure(lambda t: np.asarray(t), value) if value is not None else None


def _same(a, b) -> None:
    flat_a, flat_b = tf.nest.flatten(a), TF.nest.flatten(b)
    assert len(flat_a) == len(flat_b)
    for x, y in zip(flat_a, flat_b):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))
        assert np.asarray(x).dtype == np.asarray(y).dtype


@pytest.mark.parametrize("make", PIPELINES)
def test_iterator_protocol_matches_tf(make) -> None:
    ours, theirs = iter(make(tf)), iter(make(TF))
    assert isinstance(ours, tf.data.Iterator) and not isinstance(make(tf), tf.data.Iterator)
    assert iter(ours) is ours
    assert repr(ours.element_spec) == repr(theirs.element_spec)
    assert repr(ours._type_spec) == repr(theirs._type_spec)
    assert isinstance(ours._type_spec, tf.data.IteratorSpec)
    assert ours._type_spec.value_type is type(ours)
    step = 0
    while True:  # alternate get_next / get_next_as_optional / next
        if step % 3 == 0:
            opt_a, opt_b = ours.get_next_as_optional(), theirs.get_next_as_optional()
            assert bool(opt_a.has_value()) == bool(opt_b.has_value())
            assert repr(opt_a.element_spec) == repr(opt_b.element_spec)
            if not bool(opt_b.has_value()):
                break
            _same(opt_a.get_value(), opt_b.get_value())
        elif step % 3 == 1:
            try:
                ref = theirs.get_next()
            except TF.errors.OutOfRangeError as e:
                with pytest.raises(tf.errors.OutOfRangeError) as info:
                    ours.get_next()
                assert str(info.value) == str(e)
                break
            _same(ours.get_next(), ref)
        else:
            ref = next(theirs, None)
            got = next(ours, None)
            if ref is None:
                assert got is None
                break
            _same(got, ref)
        step += 1
    with pytest.raises(StopIteration):
        next(ours)


def test_end_of_sequence_errors_match_tf() -> None:
    def errors(m):
        it = iter(m.data.Dataset.from_tensors((1, {"a": 2.0, "b": 3})).skip(1))
        out = []
        with pytest.raises(Exception) as info:
            it.get_next()
        out.append((type(info.value).__name__, str(info.value)))
        empty = m.data.experimental.Optional.empty((m.TensorSpec([], m.int64), m.TensorSpec([2], m.float32)))
        with pytest.raises(Exception) as info:
            empty.get_value()
        out.append((type(info.value).__name__, str(info.value), bool(empty.has_value())))
        return out

    assert errors(tf) == errors(TF)


def test_optional_from_value_matches_tf() -> None:
    value = (1, {"a": 2.0})
    ours, theirs = tf.data.experimental.Optional.from_value(value), TF.experimental.Optional.from_value(value)
    assert isinstance(ours, tf.data.experimental.Optional)
    assert repr(ours.element_spec) == repr(theirs.element_spec)
    assert repr(ours._type_spec) == repr(theirs._type_spec)
    assert ours._type_spec == tf.data.experimental.Optional.from_value((5, {"a": 1.0}))._type_spec
    assert bool(ours.has_value())
    _same(ours.get_value(), theirs.get_value())
    it = iter(tf.data.Dataset.range(2))
    assert int(tf.data.experimental.get_next_as_optional(it).get_value()) == 0


def test_iterator_is_abstract() -> None:
    with pytest.raises(TypeError, match="Can't instantiate abstract class"):
        tf.data.Iterator()


def test_iterator_spec_equality_and_repr() -> None:
    a = tf.data.IteratorSpec(tf.TensorSpec([], tf.int64))
    ref = TF.data.IteratorSpec(TF.TensorSpec([], TF.int64))
    assert repr(a) == repr(ref)
    assert a == tf.data.IteratorSpec(tf.TensorSpec([], tf.int64))
    assert a != tf.data.IteratorSpec(tf.TensorSpec([], tf.int32))
    assert a == iter(tf.data.Dataset.range(2))._type_spec


@pytest.mark.parametrize("make", PIPELINES)
def test_numpy_iterator_matches_tf(make) -> None:
    ours, theirs = make(tf).as_numpy_iterator(), make(TF).as_numpy_iterator()
    assert isinstance(ours, tf.data.NumpyIterator) and iter(ours) is ours
    assert repr(ours).startswith("NumpyIterator(iterator=<featherflow.data.iterator.OwnedIterator object")
    got, ref = list(ours), list(theirs)
    assert len(got) == len(ref)
    for a, b in zip(got, ref):
        _same(a, b)
    with pytest.raises(StopIteration):
        ours.next()


def test_dataset_spec_matches_tf() -> None:
    for m in (tf, TF):
        spec = m.data.DatasetSpec.from_value(m.data.Dataset.from_tensor_slices(([1, 2], [[1.0], [2.0]])))
        assert spec.element_spec == (m.TensorSpec([], m.int32), m.TensorSpec([1], m.float32))
    ours = tf.data.DatasetSpec(tf.TensorSpec([], tf.int64), [2])
    assert repr(ours) == repr(TF.data.DatasetSpec(TF.TensorSpec([], TF.int64), [2]))
    assert repr(tf.data.DatasetSpec.from_value(tf.data.Dataset.range(3))) == \
        repr(TF.data.DatasetSpec.from_value(TF.data.Dataset.range(3)))
    assert tf.data.DatasetSpec(tf.TensorSpec([], tf.int64)) == tf.data.DatasetSpec.from_value(tf.data.Dataset.range(3))
    assert ours != tf.data.DatasetSpec(tf.TensorSpec([], tf.int64))
    assert tf.data.DatasetSpec.from_value(tf.data.Dataset.range(1)).value_type is tf.data.Dataset
    with pytest.raises(AttributeError, match="'int' object has no attribute 'element_spec'"):
        tf.data.DatasetSpec.from_value(3)


def test_public_optional_names() -> None:
    assert tf.experimental.Optional is tf.data.experimental.Optional
    spec = tf.data.experimental.Optional.from_value(3)._type_spec
    assert isinstance(spec, tf.OptionalSpec)
    assert repr(spec) == repr(TF.experimental.Optional.from_value(3)._type_spec)
    assert spec.value_type is type(tf.experimental.Optional.from_value(3))


@pytest.mark.parametrize("make", [
    lambda m: m.data.Dataset.range(3).map(lambda x: m.data.Dataset.range(x)),
    lambda m: m.data.Dataset.range(3).map(lambda x: (x, m.data.Dataset.range(x))),
    lambda m: m.data.Dataset.from_tensors(m.data.Dataset.range(2)),
])
def test_datasets_of_datasets_match_tf(make) -> None:
    ours, theirs = make(tf), make(TF)
    assert repr(ours.element_spec) == repr(theirs.element_spec)
    assert tf.data.DatasetSpec in {type(s) for s in tf.nest.flatten(ours.element_spec)}

    def inner(element, m):
        ds = [e for e in m.nest.flatten(element) if isinstance(e, m.data.Dataset)][0]
        return [int(v) for v in ds]

    assert [inner(e, tf) for e in ours] == [inner(e, TF) for e in theirs]
    with pytest.raises(TypeError) as info:
        ours.as_numpy_iterator()
    with pytest.raises(TypeError) as ref:
        theirs.as_numpy_iterator()
    assert str(info.value).split(" <class")[0] == str(ref.value).split(" <class")[0]
    assert str(info.value).endswith("<class 'featherflow.data.dataset.Dataset'>")


def test_a_checkpoint_saves_the_iterators_position_under_tfs_key(tf_oracle, tmp_path) -> None:
    listed = []
    for lib in (tf, tf_oracle):
        it = iter(lib.data.Dataset.range(10).batch(3))
        next(it)
        ckpt = lib.train.Checkpoint(iterator=it)
        path = ckpt.save(str(tmp_path / lib.__name__ / "c"))
        after = next(it).numpy().tolist()
        next(it)
        ckpt.restore(path)
        assert next(it).numpy().tolist() == after == [3, 4, 5]
        listed.append([name for name, _ in lib.train.list_variables(path)])
    assert listed[0] == listed[1]


def test_restoring_an_iterator_refuses_a_state_it_did_not_save() -> None:
    it = iter(tf.data.Dataset.range(3))
    with pytest.raises(tf.errors.InvalidArgumentError, match="iterator positions it saves"):
        it._restore_from_tensors({"ITERATOR_STATE": np.array([b"\x00variant"], dtype=object)})
