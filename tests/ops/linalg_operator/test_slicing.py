"""Batch slicing of operators (``op[1:, ..., 0]``) against real TF: the sliced operator's type, shape and dense
matrix, including parameters that broadcast in the batch dimensions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import featherflow as ff

from ._support import close, rand, well_conditioned


def _operators(L: Any) -> dict:
    rng = np.random.RandomState(3)
    m, d = well_conditioned(rng, (2, 3, 4, 4), np.float64), rand(rng, (3, 4), np.float64) + 2
    u, x = rand(rng, (2, 1, 4, 2), np.float64), rand(rng, (4,), np.float64)
    return {
        "full": L.LinearOperatorFullMatrix(m),
        "diag": L.LinearOperatorDiag(d),
        "tril": L.LinearOperatorLowerTriangular(m),
        "scaled": L.LinearOperatorScaledIdentity(4, d[:, 0]),
        "identity": L.LinearOperatorIdentity(4, batch_shape=[2, 3], dtype=np.float64),
        "zeros": L.LinearOperatorZeros(4, batch_shape=[2, 3], dtype=np.float64),
        "composition": L.LinearOperatorComposition([L.LinearOperatorFullMatrix(m), L.LinearOperatorDiag(d)]),
        "adjoint": L.LinearOperatorFullMatrix(m).H,
        "householder": L.LinearOperatorHouseholder(d),
        "toeplitz": L.LinearOperatorToeplitz(d, x),
        "low_rank": L.LinearOperatorLowRankUpdate(L.LinearOperatorDiag(d), u),
        "kronecker": L.LinearOperatorKronecker([L.LinearOperatorFullMatrix(m[..., 1:3, 1:3]),
                                                 L.LinearOperatorFullMatrix(m[..., :2, :2])]),
        "block_diag": L.LinearOperatorBlockDiag([L.LinearOperatorDiag(d), L.LinearOperatorFullMatrix(m)]),
        "circulant": L.LinearOperatorCirculant(np.fft.fft(d), input_output_dtype=np.complex128),
    }


SLICES = {"index": lambda op: op[1], "range": lambda op: op[..., 1:], "both": lambda op: op[-1:, ..., 0],
          "newaxis": lambda op: op[None, ..., ::2], "ellipsis": lambda op: op[...]}


@pytest.mark.parametrize("how", sorted(SLICES))
@pytest.mark.parametrize("name", sorted(_operators(ff.linalg)))
def test_slice_matches_tf(tf_oracle: Any, name: str, how: str) -> None:
    ours_op, want_op = _operators(ff.linalg)[name], _operators(tf_oracle.linalg)[name]
    try:
        want = SLICES[how](want_op)
    except Exception as e:  # noqa: BLE001 - whatever TF raises, featherflow raises alike
        with pytest.raises(Exception) as raised:  # noqa: B017,PT011 - the type is compared by name below
            SLICES[how](ours_op)
        assert type(raised.value).__name__ == type(e).__name__
        return
    ours = SLICES[how](ours_op)
    assert type(ours).__name__ == type(want).__name__
    assert ours.shape.as_list() == want.shape.as_list()
    close(ours.to_dense(), want.to_dense(), 1e-9)
