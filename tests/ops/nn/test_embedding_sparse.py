"""tf.nn.embedding_lookup_sparse and safe_embedding_lookup_sparse against TF: every combiner, with and without
weights, sharded params, invalid ids, default ids, rank-3 ids, and gradients."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

PARAMS = np.arange(12, dtype=np.float64).reshape(6, 2) / 3
INDICES = [[0, 0], [0, 1], [2, 0], [2, 3]]
IDS = [1, 3, 1, 5]
WEIGHTS = [2.0, 0.5, 3.0, -1.0]


def _sp(mod, values, indices=INDICES, shape=(4, 4)):
    return mod.sparse.SparseTensor(indices, values, list(shape))


@pytest.mark.parametrize("combiner", ["sum", "mean", "sqrtn"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("sharded", [False, True])
def test_lookup_matches_tf(tf_oracle, combiner, weighted, sharded) -> None:
    def run(mod):
        params = [PARAMS[:3], PARAMS[3:]] if sharded else PARAMS
        return mod.nn.embedding_lookup_sparse(params, _sp(mod, IDS), _sp(mod, WEIGHTS) if weighted else None,
                                              combiner=combiner).numpy()

    np.testing.assert_allclose(run(ff), run(tf_oracle), rtol=1e-12)


@pytest.mark.parametrize("combiner", ["sum", "mean", "sqrtn"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("default_id", [None, 2])
def test_safe_lookup_matches_tf(tf_oracle, combiner, weighted, default_id) -> None:
    ids = [1, -1, 1, 5]

    def run(mod):
        return mod.nn.safe_embedding_lookup_sparse(PARAMS, _sp(mod, ids), _sp(mod, WEIGHTS) if weighted else None,
                                                   combiner=combiner, default_id=default_id).numpy()

    np.testing.assert_allclose(run(ff), run(tf_oracle), rtol=1e-12)


def test_safe_lookup_of_rank_3_ids(tf_oracle) -> None:
    indices = [[0, 0, 0], [0, 1, 1], [1, 1, 0]]

    def run(mod):
        return mod.nn.safe_embedding_lookup_sparse(PARAMS, _sp(mod, [2, 4, 0], indices, (2, 2, 2))).numpy()

    got, want = run(ff), run(tf_oracle)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-12)


@pytest.mark.parametrize("combiner", ["sum", "mean", "sqrtn"])
@pytest.mark.parametrize("weighted", [False, True])
def test_gradients_match_tf(tf_oracle, combiner, weighted) -> None:
    def run(mod):
        params = mod.Variable(PARAMS)
        with mod.GradientTape() as tape:
            y = mod.nn.embedding_lookup_sparse(params, _sp(mod, IDS), _sp(mod, WEIGHTS) if weighted else None,
                                               combiner=combiner)
            loss = mod.reduce_sum(y * y)
        return mod.convert_to_tensor(tape.gradient(loss, params)).numpy()

    np.testing.assert_allclose(run(ff), run(tf_oracle), rtol=1e-12)


def test_errors_match_tf(tf_oracle) -> None:
    for fn in (lambda m: m.nn.embedding_lookup_sparse(PARAMS, _sp(m, IDS), None, combiner="max"),
               lambda m: m.nn.embedding_lookup_sparse(PARAMS, [1, 2], None)):
        errors = []
        for mod in (tf_oracle, ff):
            with pytest.raises(Exception) as e:
                fn(mod)
            errors.append(type(e.value).__name__)
        assert errors[0] == errors[1]


def test_embedding_lookup_of_ragged_ids_keeps_their_rows(tf_oracle) -> None:
    printed = []
    for lib in (ff, tf_oracle):
        params = lib.reshape(lib.range(12.0), (4, 3))
        printed.append(str(lib.nn.embedding_lookup(params, lib.ragged.constant([[0, 3], [2], []]))))
    assert printed[0] == printed[1]
