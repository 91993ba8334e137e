"""``random_index_shuffle`` (RandomIndexShuffle) against TF's kernel: the same values for every dtype, seed
layout and block width (max_index 0, small, around 2**16 and up to the dtype's maximum), TF's errors, and a run
on the simulated GPU that stays on the device and matches the CPU."""

from __future__ import annotations

import random

import numpy as np
import pytest

import featherflow as ff
from featherflow.errors import InvalidArgumentError

_DTYPES = [(np.int32, 2**31 - 1), (np.int64, 2**63 - 1), (np.uint32, 2**32 - 1), (np.uint64, 2**64 - 1)]


@pytest.mark.parametrize("dtype,top", _DTYPES, ids=lambda v: getattr(v, "__name__", ""))
def test_matches_tf(tf_oracle, dtype, top) -> None:
    rng = random.Random(int(top) % 97)
    for mx in [0, 2, 100, 65535, 65536, 65537, 2**20 + 3, 2**31 - 1, top]:
        idx = np.array([0, mx // 2, mx] + [rng.randint(0, mx) for _ in range(4)], dtype=dtype)
        for seed in ([1, 2, 3], [0, 0, 0], [rng.randint(0, 2**31 - 1) for _ in range(3)]):
            sd = np.array(seed, dtype=dtype)
            want = tf_oracle.random_index_shuffle(idx, sd, np.array(mx, dtype)).numpy()
            got = ff.random_index_shuffle(idx, sd, np.array(mx, dtype))
            assert got.dtype == ff.as_dtype(dtype)
            np.testing.assert_array_equal(got.numpy(), want)


def test_seed_rows_max_vector_rounds_and_scalar(tf_oracle) -> None:
    seeds = np.array([[1, 2, 3], [4, 5, 6], [-7, 8, 2**31 - 1]], dtype=np.int64)
    for rounds in (4, 6, 8):
        want = tf_oracle.random_index_shuffle(5, seeds, [10, 100, 5], rounds=rounds).numpy()
        np.testing.assert_array_equal(ff.random_index_shuffle(5, seeds, [10, 100, 5], rounds=rounds).numpy(), want)
    for index, top in ((1, [10, 3]), ([0, 4, 7], 7)):  # one of index and max_index a scalar, the other a vector
        want = tf_oracle.random_index_shuffle(index, [1, 2, 3], top).numpy()
        np.testing.assert_array_equal(ff.random_index_shuffle(index, [1, 2, 3], top).numpy(), want)
    got = ff.random_index_shuffle(3, [9, 9, 9], 20)
    assert got.shape == [] and int(got) == int(tf_oracle.random_index_shuffle(3, [9, 9, 9], 20))


def test_is_a_permutation() -> None:
    out = ff.random_index_shuffle(ff.range(300, dtype=ff.int64), [4, 2, 1], ff.constant(299, ff.int64)).numpy()
    assert sorted(out.tolist()) == list(range(300))


@pytest.mark.parametrize("args", [(1, [1, 2], 10), ([1, 2], [[1, 2, 3]], 10), ([[1]], [1, 2, 3], 10),
                                  (-1, [1, 2, 3], 10), (1, [1, 2, 3], -1), (5, [1, 2, 3], 1)])
def test_errors_as_tf(tf_oracle, args) -> None:
    with pytest.raises(tf_oracle.errors.InvalidArgumentError) as want:
        tf_oracle.random_index_shuffle(*args)
    with pytest.raises(InvalidArgumentError) as got:
        ff.random_index_shuffle(*args)
    assert str(got.value) == str(want.value.message if hasattr(want.value, "message") else want.value)


@pytest.mark.parametrize("rounds", [2, 5])
def test_bad_rounds_refused(rounds) -> None:
    with pytest.raises(InvalidArgumentError, match="rounds"):
        ff.random_index_shuffle(1, [1, 2, 3], 10, rounds=rounds)


def test_not_differentiable() -> None:
    from featherflow.ops.registry import OPS

    assert OPS["RandomIndexShuffle"].differentiable is False


def test_on_device(device) -> None:
    from ...conftest import assert_no_transfers

    idx, seed, top = ff.constant(np.arange(40, dtype=np.int64)), ff.constant([3, 1, 4]), ff.constant(np.int64(70000))
    with assert_no_transfers():
        out = ff.random_index_shuffle(idx, seed, top)
    assert out.device.endswith(f"{device}:0")
    with ff.device("/CPU:0"):
        want = ff.random_index_shuffle(np.arange(40, dtype=np.int64), [3, 1, 4], np.int64(70000))
    np.testing.assert_array_equal(out.numpy(), want.numpy())


def _outcome(fn):
    try:
        return ("ok", fn().numpy().tolist())
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        # TF adds " name: " when its eager fast path falls back to the slow one, which depends on the argument types
        return (type(e).__name__, str(e).removesuffix(" name: "))


@pytest.mark.parametrize("seed", [[5, 9], [5, 8], [[1, 2], [3, 4], [0, 7]], np.array([7, 11], np.int64)],
                         ids=["5_9", "5_8", "rows", "int64"])
def test_experimental_index_shuffle_matches_tf(tf_oracle, seed) -> None:
    """tf.random.experimental.index_shuffle: a 2-value stateless seed, padded in front to the op's 3 as TF does
    (which, for [n, 2] seeds, pads the wrong axis: TF raises the op's seed-shape error, and so do we)."""
    index = np.arange(3) if np.ndim(seed) == 2 else np.arange(10)
    for max_index in (9, 1000):
        want = _outcome(lambda m=max_index: tf_oracle.random.experimental.index_shuffle(index, seed, m))
        got = _outcome(lambda m=max_index: ff.random.experimental.index_shuffle(index, seed, m))
        assert got == want
    assert _outcome(lambda: ff.random.experimental.index_shuffle(3, [5, 9], 3)) == \
        _outcome(lambda: tf_oracle.random.experimental.index_shuffle(3, [5, 9], 3))
