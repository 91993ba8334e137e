"""tf.edit_distance against TF: normalized and not, missing sequences on either side, ranks, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff

H = ([[0, 0, 0], [1, 0, 0]], ["a", "b"], [2, 1, 1])
T = ([[0, 1, 0], [1, 0, 0], [1, 0, 1], [1, 0, 2]], ["a", "b", "c", "a"], [2, 2, 3])
H2 = ([[0, 0], [0, 1], [0, 2]], [1, 2, 3], [1, 3])
T2 = ([[0, 0], [0, 1]], [1, 3], [1, 2])


def _run(mod, a, b, normalize):
    return mod.edit_distance(mod.sparse.SparseTensor(*a), mod.sparse.SparseTensor(*b), normalize=normalize)


@pytest.mark.parametrize("a, b", [(H, T), (T, H), (H2, T2), (T2, H2)])
@pytest.mark.parametrize("normalize", [True, False])
def test_matches_tf(tf_oracle, a, b, normalize) -> None:
    want, got = _run(tf_oracle, a, b, normalize), _run(ff, a, b, normalize)
    assert got.dtype == ff.float32 and got.shape == tuple(want.shape)
    np.testing.assert_array_equal(got.numpy(), want.numpy())


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(0, 3), max_size=6), st.lists(st.integers(0, 3), max_size=6))
def test_random_sequences_match_tf(h, t) -> None:
    import tensorflow as tf

    def sp(seq):
        return ([[0, i] for i in range(len(seq))] or np.zeros((0, 2), np.int64), seq or np.zeros(0, np.int32),
                [1, max(len(seq), 1)])

    for normalize in (True, False):
        np.testing.assert_array_equal(_run(ff, sp(h), sp(t), normalize).numpy(),
                                      _run(tf, sp(h), sp(t), normalize).numpy())


def test_errors_match_tf(tf_oracle) -> None:
    for mod in (tf_oracle, ff):
        with pytest.raises(TypeError, match="Hypothesis must be a SparseTensor."):
            mod.edit_distance([1], mod.sparse.SparseTensor(*T2))
        with pytest.raises(mod.errors.InvalidArgumentError, match="input #4.*int32 tensor but is a float tensor"):
            _run(mod, H2, ([[0, 0]], [1.0], [1, 1]), True)
