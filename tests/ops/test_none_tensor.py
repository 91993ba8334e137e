"""tf.NoneTensorSpec against real TensorFlow: the TypeSpec of None (what tf.type_spec_from_value(None) gives),
its equality, compatibility, components and printing."""

from __future__ import annotations

import pickle

import pytest

import featherflow as ff


def test_matches_tensorflow(tf_oracle):
    ours, theirs = ff.NoneTensorSpec(), tf_oracle.NoneTensorSpec()
    assert repr(ours) == repr(theirs) == "NoneTensorSpec()"
    assert str(ours) == str(theirs)
    assert ours == ff.NoneTensorSpec() and not ours != ff.NoneTensorSpec()
    assert hash(ours) == hash(ff.NoneTensorSpec())
    assert ours != ff.TensorSpec([]) and (theirs != tf_oracle.TensorSpec([])) is True
    for other, tf_other in ((None, None), (ff.NoneTensorSpec(), tf_oracle.NoneTensorSpec()),
                            (ff.TensorSpec([]), tf_oracle.TensorSpec([])), (3, 3)):
        assert ours.is_compatible_with(other) == theirs.is_compatible_with(tf_other)
    assert ours._to_components(None) == theirs._to_components(None) == []
    assert ours._from_components([]) is None and theirs._from_components([]) is None
    assert ours._serialize() == theirs._serialize() == ()
    assert ours._component_specs == [] and ours._to_tensor_list(None) == []
    assert ours.most_specific_common_supertype([ff.NoneTensorSpec()]) == ours
    assert ours.most_specific_common_supertype([ff.TensorSpec([])]) is None
    assert theirs.most_specific_common_supertype([tf_oracle.TensorSpec([])]) is None
    assert ours.is_subtype_of(ff.NoneTensorSpec()) and not ours.is_subtype_of(ff.TensorSpec([]))
    assert ours._batch(4) == ours and ours._unbatch() == ours
    assert ours.value_type.__name__ == theirs.value_type.__name__ == "NoneTensor"
    assert ours.value_type()._type_spec == ours


def test_type_spec_from_value_of_none(tf_oracle):
    assert repr(ff.type_spec_from_value(None)) == repr(tf_oracle.type_spec_from_value(None))
    assert isinstance(ff.type_spec_from_value(None), ff.NoneTensorSpec)
    assert ff.NoneTensorSpec.from_value(None) == ff.NoneTensorSpec()


def test_incompatible_shape_error_and_pickle(tf_oracle):
    messages = []
    for m in (ff, tf_oracle):
        with pytest.raises(ValueError) as info:
            m.NoneTensorSpec().most_specific_compatible_shape(m.TensorSpec([]))
        messages.append(str(info.value))
    assert messages[0] == messages[1]
    assert pickle.loads(pickle.dumps(ff.NoneTensorSpec())) == ff.NoneTensorSpec()
    assert isinstance(ff.NoneTensorSpec(), ff.TypeSpec)
