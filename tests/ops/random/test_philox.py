"""Philox random numbers: known answers, the spec's TF 2.21 vectors, and bit-for-bit checks against TensorFlow."""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import platform

import ml_dtypes
import numpy as np
import pytest

from featherflow.ops.random import _kernels as rk
from featherflow.ops.random import _philox as ph

BF16 = np.dtype(ml_dtypes.bfloat16)
FLOATS = [np.dtype(np.float16), BF16, np.dtype(np.float32), np.dtype(np.float64)]
SEEDS = [[1, 2], [-5, 3], [0, 0], [2**31 - 1, -(2**31)], [123456, 654321]]
SHAPES = [[], [0], [1], [5], [7], [3, 3], [2, 3, 4], [1001]]


@pytest.fixture(scope="module")
def tf():
    return pytest.importorskip("tensorflow")


def assert_same(ours, theirs, what=""):
    """Same dtype, same shape, same bytes."""
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.dtype == theirs.dtype, f"{what}: dtype {ours.dtype} != {theirs.dtype}"
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} != {theirs.shape}"
    if ours.tobytes() != theirs.tobytes():
        rows = ours.size, ours.dtype.itemsize
        flat_ours, flat_theirs = ours.reshape(-1).view(np.uint8), theirs.reshape(-1).view(np.uint8)
        differ = np.flatnonzero((flat_ours.reshape(rows) != flat_theirs.reshape(rows)).any(axis=1))
        raise AssertionError(f"{what}: {differ.size} of {ours.size} values differ, first at {differ[:4].tolist()}\n"
                             f"ours   {ours.reshape(-1)[differ[:4]]}\ntheirs {theirs.reshape(-1)[differ[:4]]}")


def tf_dtype(tf, dtype):
    return tf.bfloat16 if dtype == BF16 else tf.as_dtype(dtype)


# --- without TensorFlow -------------------------------------------------------------------------


def test_philox_known_answers():
    zero = ph.philox4x32(np.zeros(4, np.uint32), np.zeros(2, np.uint32))
    assert [hex(int(w)) for w in zero] == ["0x6627e8d5", "0xe169c58d", "0xbc57ac4c", "0x9b00dbd8"]
    ones = ph.philox4x32(np.full(4, 0xFFFFFFFF, np.uint32), np.full(2, 0xFFFFFFFF, np.uint32))
    assert [hex(int(w)) for w in ones] == ["0x408f276d", "0x41c83b0e", "0xa20bc7c6", "0x6d5451fd"]


def test_block_counters_carry_across_64_bits():
    key, counter = 0x1234567890ABCDEF, (5 << 64) | (2**64 - 2)
    blocks = ph.philox_blocks(key, counter, 4)
    for j in range(4):
        c = counter + j
        words = np.array([(c >> s) & 0xFFFFFFFF for s in (0, 32, 64, 96)], dtype=np.uint64)
        one = ph.philox4x32(words, np.array([key & 0xFFFFFFFF, key >> 32], dtype=np.uint64))
        assert blocks[j].tolist() == one.tolist()


def test_seed_to_key_counter():
    key, counter = ph.key_counter_from_seed([1, 2])
    assert key == 0x908502C96D2F7FBA and counter == 0xF7734320619CB60B << 64
    k_arr, c_arr = ph.get_key_counter([1, 2])
    assert k_arr.tolist() == [key] and c_arr.tolist() == [0, counter >> 64]
    assert ph.key_counter_from_arrays(k_arr, c_arr) == (key, counter)
    # int32 and int64 seeds are both sign-extended
    assert ph.key_counter_from_seed(np.array([-1, 3], np.int32)) == ph.key_counter_from_seed([-1, 3])
    with pytest.raises(ValueError, match="shape"):
        ph.key_counter_from_seed([1, 2, 3])


def test_spec_vectors():
    f32 = np.float32
    assert ph.stateless_uniform([5], [1, 2])[:4].tolist() == [f32(v) for v in (0.8440604, 0.19204533, 0.9962232, 0.1603874)]
    assert ph.stateless_uniform([3, 3], [1, 2], dtype=np.float64).reshape(-1)[:4].tolist() == [
        0.7524837538451801, 0.9697857725627486, 0.17592233912897481, 0.8555556648693279]
    assert ph.stateless_normal([7], [1, 2])[:4].tolist() == [f32(v) for v in (0.5441101, 0.20738031, 0.07356432, 0.04643455)]
    assert ph.stateless_normal([7], [1, 2], dtype=np.float64)[:4].tolist() == [
        -0.1423118100189212, 0.7406072461585091, -1.469047669443883, 1.147747453689489]
    assert ph.stateless_truncated_normal([5], [1, 2], dtype=np.float64)[:4].tolist() == [
        -0.1423118100189212, 0.7406072461585091, -0.552387756244845, -0.734450092480207]
    assert ph.stateless_normal([3, 3], [-5, 3]).reshape(-1)[:4].tolist() == [
        f32(v) for v in (-0.42556673, 0.043697085, -0.009662563, -0.37567016)]
    assert ph.stateless_uniform([5], [1, 2], 0, 10, np.int32)[:4].tolist() == [0, 9, 4, 9]

    state = rk.generator_state_from_seed(1234)
    expected = [(0.9356609, 1.0854305, -0.93788373, -0.5061547), (-1.258109, -0.43034574, 0.66280246, 0.14116363),
                (0.03358403, -0.0042194664, 0.44982508, 1.2387582)]
    for want in expected:
        values, state = rk.generator_normal(state, [4])
        assert values.tolist() == [f32(v) for v in want]
    values, _ = rk.generator_uniform(rk.generator_state_from_seed(1234), [4], dtype=np.float64)
    assert values.tolist() == [0.8651800399892546, 0.5336725426302047, 0.6052055324818093, 0.7751217216755637]

    legacy = rk.LegacyRandomState()
    legacy.set_seed(1234)
    assert legacy.uniform([3], seed=7).tolist() == [f32(v) for v in (0.79702616, 0.059966683, 0.34499586)]
    assert legacy.uniform([3], seed=7).tolist() == [f32(v) for v in (0.814927, 0.59455574, 0.860602)]
    assert legacy.normal([3]).tolist() == [f32(v) for v in (0.8369314, -0.73429775, 1.0402943)]
    assert legacy.normal([3]).tolist() == [f32(v) for v in (1.1468066, 0.96459925, 0.87830144)]


def test_shapes_only_change_the_final_reshape():
    for fn in (ph.stateless_uniform, ph.stateless_normal, ph.stateless_truncated_normal):
        assert_same(fn([3, 3], [4, 5]).reshape(-1), fn([9], [4, 5])[:9], fn.__name__)
        assert_same(fn([7], [4, 5])[:5], fn([5], [4, 5]), fn.__name__)
    assert ph.stateless_normal([0, 4], [1, 2]).shape == (0, 4)
    assert ph.stateless_uniform([], [1, 2], dtype="bfloat16").dtype == BF16


def test_truncated_normal_is_bounded_and_normal_looking():
    values = ph.stateless_truncated_normal([20000], [9, 9])
    assert np.abs(values).max() < 2 and abs(values.mean()) < 0.03 and 0.85 < values.std() < 0.9
    normal = ph.stateless_normal([20000], [9, 9], dtype=np.float64)
    assert abs(normal.mean()) < 0.03 and 0.97 < normal.std() < 1.03


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="emulates glibc's libm")
def test_libm_emulation_matches_this_glibc():
    libm = ctypes.CDLL(ctypes.util.find_library("m"))
    libm.logf.restype, libm.logf.argtypes = ctypes.c_float, [ctypes.c_float]
    libm.sinf.restype, libm.sinf.argtypes = ctypes.c_float, [ctypes.c_float]
    libm.cosf.restype, libm.cosf.argtypes = ctypes.c_float, [ctypes.c_float]
    mantissas = np.random.default_rng(0).integers(0, 2**23, 4000).astype(np.uint32)
    u = np.maximum(ph.words_to_float32(mantissas), np.float32(1e-7))
    v = (2.0 * math.pi * ph.words_to_float32(mantissas).astype(np.float64)).astype(np.float32)
    sin_v, cos_v = ph.glibc_sincosf(v)
    assert ph.glibc_logf(u).tolist() == [np.float32(libm.logf(float(x))) for x in u]
    assert sin_v.tolist() == [np.float32(libm.sinf(float(x))) for x in v]
    assert cos_v.tolist() == [np.float32(libm.cosf(float(x))) for x in v]


def test_bounds_and_dtype_errors():
    with pytest.raises(ValueError, match="Need minval < maxval, got 3 >= 3"):
        ph.stateless_uniform([2], [1, 2], 3, 3, np.int32)
    assert ph.stateless_uniform([0], [1, 2], 3, 3, np.int32).shape == (0,)
    with pytest.raises(ValueError, match="both None"):
        ph.stateless_uniform([2], [1, 2], 0, None, np.int32)
    with pytest.raises(ValueError, match="unsigned"):
        ph.stateless_uniform([2], [1, 2], 0, 5, np.uint32)
    with pytest.raises(ValueError):
        ph.stateless_normal([2], [1, 2], dtype=np.int32)


def test_generator_state_forms():
    assert rk.generator_state_from_seed(1234).tolist() == [1234, 0, 0]
    assert rk.generator_state_from_seed(np.int64(42)).tolist() == [0, 0, 42]
    assert rk.generator_state_from_seed(-1).tolist() == [-1, -1, -1]
    assert rk.generator_state_from_seed([1, 2, 3, 4]).tolist() == [1, 2, 3]
    assert rk.generator_state_from_key_counter(7, [1, 2]).tolist() == [1, 2, 7]
    a, b = rk.generator_state_non_deterministic(), rk.generator_state_non_deterministic()
    assert a.dtype == np.int64 and a.shape == (3,) and a.tolist() != b.tolist()
    # from_seed(s + 1) is from_seed(s) one block later
    shifted, _ = rk.generator_uniform_full_int(rk.generator_state_from_seed(11), [2], np.uint32)
    assert shifted.tolist() == ph.philox_blocks(0, 10, 2)[1, :2].tolist()


def test_legacy_seed_rules_and_unseeded_streams():
    legacy = rk.LegacyRandomState()
    assert legacy.get_seed(None) == (None, None)
    assert legacy.get_seed(2**31 + 4) == (rk.DEFAULT_GRAPH_SEED, 5)
    first, second = legacy.uniform([50]), legacy.uniform([50])  # one OS-seeded kernel, its offset moves on
    assert first.shape == (50,) and first.tolist() != second.tolist()
    legacy.set_seed(0)
    assert legacy.get_seed(0) == (0, rk.MAXINT32)
    legacy.set_seed(np.int64(5))
    assert legacy.get_seed(3) == (5, 3)
    values = legacy.gamma([1000], [1.0, 3.0], beta=2.0)
    assert values.shape == (1000, 2) and values.dtype == np.float32
    assert abs(values[:, 1].mean() - 1.5) < 0.15
    assert legacy.poisson([4, 2], 3.0, dtype=np.int64).shape == (4, 2)


# --- against TensorFlow 2.21 --------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_stateless_floats_match_tf(tf, dtype):
    tdt = tf_dtype(tf, dtype)
    for seed in SEEDS:
        for shape in SHAPES:
            what = f"{seed} {shape} {dtype}"
            assert_same(ph.stateless_uniform(shape, seed, dtype=dtype),
                        tf.random.stateless_uniform(shape, seed, dtype=tdt).numpy(), "uniform " + what)
            assert_same(ph.stateless_normal(shape, seed, dtype=dtype),
                        tf.random.stateless_normal(shape, seed, dtype=tdt).numpy(), "normal " + what)
            assert_same(ph.stateless_truncated_normal(shape, seed, dtype=dtype),
                        tf.random.stateless_truncated_normal(shape, seed, dtype=tdt).numpy(), "truncated " + what)
        assert_same(ph.stateless_uniform([3, 5], seed, -2.5, 3.1, dtype),
                    tf.random.stateless_uniform([3, 5], seed, -2.5, 3.1, tdt).numpy(), "scaled uniform")
        assert_same(ph.stateless_uniform([2, 3], seed, [0.0, 1.0, -1.0], 4.0, dtype),
                    tf.random.stateless_uniform([2, 3], seed, [0.0, 1.0, -1.0], 4.0, tdt).numpy(), "broadcast")
        assert_same(ph.stateless_normal([9], seed, 0.3, 1.7, dtype),
                    tf.random.stateless_normal([9], seed, 0.3, 1.7, tdt).numpy(), "scaled normal")
        assert_same(ph.stateless_truncated_normal([6], seed, -1.0, 0.1, dtype),
                    tf.random.stateless_truncated_normal([6], seed, -1.0, 0.1, tdt).numpy(), "scaled truncated")


def test_stateless_ints_match_tf(tf):
    for seed in SEEDS[:3]:
        for shape in SHAPES:
            for dtype in (tf.int32, tf.int64, tf.uint32, tf.uint64):
                assert_same(ph.stateless_uniform(shape, seed, None, None, dtype.as_numpy_dtype),
                            tf.random.stateless_uniform(shape, seed, None, None, dtype).numpy(), f"full {dtype}")
            for dtype, extreme in ((tf.int32, 2**31), (tf.int64, 2**63)):
                for lo, hi in ((0, 10), (-7, 1000003), (-extreme, extreme - 1), (5, 6)):
                    assert_same(ph.stateless_uniform(shape, seed, lo, hi, dtype.as_numpy_dtype),
                                tf.random.stateless_uniform(shape, seed, lo, hi, dtype).numpy(), f"int {lo} {hi}")


def test_seed_helpers_match_tf(tf):
    for seed in (np.array([2**40, -3], np.int64), np.array([-1, 2**62], np.int64)):
        assert_same(ph.stateless_normal([9], seed), tf.random.stateless_normal([9], seed).numpy(), "int64 seed")
        assert_same(ph.stateless_split(seed, 3, np.int64), tf.random.split(seed, 3).numpy(), "split int64")
    assert_same(ph.stateless_split([1, 2], 4), tf.random.split([1, 2], 4).numpy(), "split")
    assert_same(ph.stateless_fold_in([1, 2], 7), tf.random.fold_in([1, 2], 7).numpy(), "fold_in")
    key, counter = tf.raw_ops.StatelessRandomGetKeyCounter(seed=[7, -8])
    ours_key, ours_counter = ph.get_key_counter([7, -8])
    assert_same(ours_key, key.numpy(), "key")
    assert_same(ours_counter, counter.numpy(), "counter")


def test_large_outputs_match_tf(tf):
    assert_same(ph.stateless_normal([100003], [3, 4]), tf.random.stateless_normal([100003], [3, 4]).numpy(), "normal")
    assert_same(ph.stateless_normal([50001], [3, 4], dtype=np.float64),
                tf.random.stateless_normal([50001], [3, 4], dtype=tf.float64).numpy(), "normal f64")
    assert_same(ph.stateless_truncated_normal([100003], [3, 4]),
                tf.random.stateless_truncated_normal([100003], [3, 4]).numpy(), "truncated")
    assert_same(ph.stateless_truncated_normal([50001], [3, 4], dtype=np.float64),
                tf.random.stateless_truncated_normal([50001], [3, 4], dtype=tf.float64).numpy(), "truncated f64")


GENERATOR_SEEDS = [1234, 0, -1, 2**64 + 5, 2**130 + 3 * 2**64 + 7, np.int64(42), [1, 2], [5, 6, 7, 8]]


@pytest.mark.parametrize("seed", GENERATOR_SEEDS, ids=repr)
def test_generator_matches_tf(tf, seed):
    gen = tf.random.Generator.from_seed(seed)
    state = rk.generator_state_from_seed(seed)
    assert_same(state, gen.state.numpy(), "from_seed")
    calls = [
        (lambda s: rk.generator_normal(s, [4]), lambda: gen.normal([4])),
        (lambda s: rk.generator_uniform(s, [3, 3], dtype=np.float64), lambda: gen.uniform([3, 3], dtype=tf.float64)),
        (lambda s: rk.generator_truncated_normal(s, [5]), lambda: gen.truncated_normal([5])),
        (lambda s: rk.generator_normal(s, [7], 2.0, 0.5, np.float64), lambda: gen.normal([7], 2.0, 0.5, tf.float64)),
        (lambda s: rk.generator_uniform(s, [6], -3, 100, np.int32), lambda: gen.uniform([6], -3, 100, tf.int32)),
        (lambda s: rk.generator_uniform(s, [3], -3, 2**40, np.int64), lambda: gen.uniform([3], -3, 2**40, tf.int64)),
        (lambda s: rk.generator_uniform_full_int(s, [5]), lambda: gen.uniform_full_int([5])),
        (lambda s: rk.generator_uniform(s, [3], None, None, np.int32), lambda: gen.uniform([3], None, None, tf.int32)),
        (lambda s: rk.generator_uniform(s, [], dtype=BF16), lambda: gen.uniform([], dtype=tf.bfloat16)),
        (lambda s: rk.generator_truncated_normal(s, [0], dtype=np.float64), lambda: gen.truncated_normal([0], dtype=tf.float64)),
        (lambda s: rk.generator_uniform(s, [4], -1.5, 4, np.float16), lambda: gen.uniform([4], -1.5, 4, tf.float16)),
    ]
    for i, (ours, theirs) in enumerate(calls):
        values, state = ours(state)
        assert_same(values, theirs().numpy(), f"call {i}")
        assert_same(state, gen.state.numpy(), f"state after call {i}")
    children, state = rk.generator_split(state, 3)
    for child, tf_child in zip(children, gen.split(3)):
        assert_same(child, tf_child.state.numpy(), "child state")
        assert_same(rk.generator_normal(child, [5])[0], tf_child.normal([5]).numpy(), "child normal")
    assert_same(state, gen.state.numpy(), "state after split")
    seeds, state = rk.generator_make_seeds(state, 2)
    assert_same(seeds, gen.make_seeds(2).numpy(), "make_seeds")
    old, state = rk.generator_skip(state, 10)
    assert_same(old, gen.skip(10).numpy(), "skip")
    assert_same(state, gen.state.numpy(), "state after skip")


def test_generator_counter_wraps_like_tf(tf):
    for start in ([-1, -1, 77], [-256 * 3 + 1, 5, 77]):
        gen = tf.random.Generator.from_state(start, "philox")
        state = np.array(start, np.int64)
        for _ in range(2):
            values, state = rk.generator_uniform(state, [9])
            assert_same(values, gen.uniform([9]).numpy(), f"from {start}")
            assert_same(state, gen.state.numpy(), f"state from {start}")


@pytest.mark.parametrize("global_seed", [1234, 0, 2**31 - 1, 99])
def test_legacy_ops_match_tf(tf, global_seed):
    legacy = rk.LegacyRandomState()
    tf.random.set_seed(global_seed)
    legacy.set_seed(global_seed)
    logits = np.log([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]]).astype(np.float32)
    steps = [
        (lambda: legacy.uniform([3], seed=7), lambda: tf.random.uniform([3], seed=7)),
        (lambda: legacy.uniform([3], seed=7), lambda: tf.random.uniform([3], seed=7)),
        (lambda: legacy.uniform([5], seed=7), lambda: tf.random.uniform([5], seed=7)),  # same kernel, offset 1536
        (lambda: legacy.normal([3]), lambda: tf.random.normal([3])),
        (lambda: legacy.normal([3]), lambda: tf.random.normal([3])),
        (lambda: legacy.truncated_normal([2, 3], dtype=np.float64, seed=3),
         lambda: tf.random.truncated_normal([2, 3], dtype=tf.float64, seed=3)),
        (lambda: legacy.truncated_normal([2, 3], dtype=np.float64, seed=3),
         lambda: tf.random.truncated_normal([2, 3], dtype=tf.float64, seed=3)),
        (lambda: legacy.uniform([4], 2, 9, np.int32, seed=1), lambda: tf.random.uniform([4], 2, 9, tf.int32, seed=1)),
        (lambda: legacy.uniform([4], 2, 9, np.int64, seed=1), lambda: tf.random.uniform([4], 2, 9, tf.int64, seed=1)),
        (lambda: legacy.uniform([0], 3, 3, np.int32, seed=1), lambda: tf.random.uniform([0], 3, 3, tf.int32, seed=1)),
        (lambda: legacy.uniform([4], 2, 9, np.int32, seed=1), lambda: tf.random.uniform([4], 2, 9, tf.int32, seed=1)),
        (lambda: legacy.uniform([4], 0, 5.0), lambda: tf.random.uniform([4], 0, 5.0)),
        (lambda: legacy.uniform([4], 1, 5.0, seed=7), lambda: tf.random.uniform([4], 1, 5.0, seed=7)),
        (lambda: legacy.uniform([4], -1.0, 1.0, np.float16), lambda: tf.random.uniform([4], -1.0, 1.0, tf.float16)),
        (lambda: legacy.normal([4], 1.0, 2.0, BF16, seed=7), lambda: tf.random.normal([4], 1.0, 2.0, tf.bfloat16, seed=7)),
        # an int64 shape tensor is another kernel, starting again at offset 0
        (lambda: legacy.uniform([3], seed=7, shape_dtype=np.int64), lambda: tf.random.uniform(tf.constant([3], tf.int64), seed=7)),
        (lambda: legacy.uniform([3], seed=7), lambda: tf.random.uniform([3], seed=7)),
        (lambda: legacy.shuffle(np.arange(10)), lambda: tf.random.shuffle(np.arange(10))),
        (lambda: legacy.shuffle(np.arange(10), seed=5), lambda: tf.random.shuffle(np.arange(10), seed=5)),
        (lambda: legacy.shuffle(np.arange(1), seed=5), lambda: tf.random.shuffle(np.arange(1), seed=5)),
        (lambda: legacy.shuffle(np.arange(10), seed=5), lambda: tf.random.shuffle(np.arange(10), seed=5)),
        (lambda: legacy.shuffle(np.arange(24.0).reshape(6, 4), seed=5),
         lambda: tf.random.shuffle(np.arange(24.0).reshape(6, 4), seed=5)),
        (lambda: legacy.categorical(logits, 6, seed=3), lambda: tf.random.categorical(logits, 6, seed=3)),
        (lambda: legacy.categorical(logits, 5, seed=3), lambda: tf.random.categorical(logits, 5, seed=3)),
        (lambda: legacy.uniform([3], seed=7), lambda: tf.random.uniform([3], seed=7)),
        (lambda: legacy.normal([3]), lambda: tf.random.normal([3])),
    ]
    for i, (ours, theirs) in enumerate(steps):
        assert_same(ours(), theirs().numpy(), f"step {i}")


def test_legacy_seed_pairs_match_tf(tf):
    legacy = rk.LegacyRandomState()
    for global_seed, op_seed in ((0, 0), (2**31 - 1, 2**31 - 1), (None, 5), (None, 2**31 + 4), (3, -5)):
        tf.random.set_seed(global_seed)
        legacy.set_seed(global_seed)
        for _ in range(2):
            assert_same(legacy.uniform([4], seed=op_seed), tf.random.uniform([4], seed=op_seed).numpy(),
                        f"{global_seed} {op_seed}")
    tf.random.set_seed(5)
    legacy.set_seed(5)
    with pytest.raises(ValueError, match="Need minval < maxval"):
        legacy.uniform([2], 3, 3, np.int32, seed=1)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.random.uniform([2], 3, 3, tf.int32, seed=1)
    # the failed call left the kernel's stream where it was
    assert_same(legacy.uniform([4], 0, 9, np.int32, seed=1), tf.random.uniform([4], 0, 9, tf.int32, seed=1).numpy())


def test_stateless_shuffle_and_categorical_match_tf(tf):
    logits = np.array([[-np.inf, 0.0, 1.0, -np.inf], [np.nan, 2.0, 2.0, 0.5], [3.0, 3.0, 3.0, 3.0]], np.float32)
    for seed in SEEDS[:3]:
        assert_same(rk.stateless_shuffle(np.arange(17), seed),
                    tf.random.experimental.stateless_shuffle(np.arange(17), seed).numpy(), "shuffle")
        assert_same(rk.stateless_shuffle(np.arange(24).reshape(6, 4), seed),
                    tf.random.experimental.stateless_shuffle(np.arange(24).reshape(6, 4), seed).numpy(), "shuffle 2-D")
        assert_same(rk.stateless_categorical(logits, 9, seed),
                    tf.random.stateless_categorical(logits, 9, seed).numpy(), "categorical")
        assert_same(rk.stateless_categorical(logits.astype(np.float64), 4, seed, np.int32),
                    tf.random.stateless_categorical(logits.astype(np.float64), 4, seed, tf.int32).numpy(), "cat f64")


# --- on a (simulated) GPU: the kernels compute with the device's namespace, to the same bits ----------

_FILLS = [(ph.philox_uniform, FLOATS), (ph.philox_normal, FLOATS), (ph.philox_truncated_normal, FLOATS),
          (ph.philox_uniform_full_int, ["int32", "int64", "uint32", "uint64"])]


@pytest.mark.parametrize("card", [0, 1])
def test_kernels_run_on_the_device_with_the_same_bits(card):
    from featherflow.backends import simulated
    from featherflow.device import _simulating

    from ...conftest import assert_no_transfers

    key, counter = ph.key_counter_from_seed([7, -3])
    with _simulating(2):
        xp = simulated.xp
        with xp.cuda.Device(card):
            ph.glibc_logf(xp.ones(1, np.float32))  # copies glibc's tables to the card once
            # float64 normals take libm's log/sin/cos on the host, a declared host step (libm_log_sin_cos)
            on_host_step = {(ph.philox_normal, np.dtype(np.float64)), (ph.philox_truncated_normal, np.dtype(np.float64))}
            with assert_no_transfers():
                results = [(fill(shape, key, counter, dtype, xp=xp), fill(shape, key, counter, dtype))
                           for fill, dtypes in _FILLS for dtype in dtypes for shape in ([0], [7], [3, 5])
                           if (fill, dtype) not in on_host_step]
                results.append((ph.philox_uniform_int([9], key, counter, -4, 11, np.int64, xp),
                                ph.philox_uniform_int([9], key, counter, -4, 11, np.int64)))
            for fill, dtype in on_host_step:
                before = simulated.transfers()
                results.append((fill([3, 5], key, counter, dtype, xp=xp), fill([3, 5], key, counter, dtype)))
                down, up = (after - was for after, was in zip(simulated.transfers(), before))
                assert down == up >= 1  # the uniforms go to the host once per pass, the results come back
        assert simulated.launches().get(card, 0) > 0
    for on_device, on_host in results:
        assert type(on_device) is simulated.SimArray and on_device.device.id == card
        host = on_device.get()
        assert host.dtype == on_host.dtype and host.shape == on_host.shape and host.tobytes() == on_host.tobytes()
