"""tf.random against real TensorFlow: the same calls in the same order give the same bits, and the same errors.

Both libraries keep global state (the global seed, the op-seed counter, one stream per cached kernel), so
every comparison starts with ``set_seed`` in both.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff
from featherflow.ops import registry

# Each test runs on the CPU and on a simulated GPU (tests/conftest.py): the same bits on both.
pytestmark = pytest.mark.usefixtures("device")

SEEDS = [[1, 2], [-5, 3], [0, 0], [2**31 - 1, -(2**31)]]
SHAPES = [[], [0], [5], [3, 3], [2, 3, 4]]
FLOATS = ["float16", "bfloat16", "float32", "float64"]


def assert_same(ours, theirs, what=""):
    """Same dtype, shape and bytes (NaN-safe, and exact for every float width)."""
    a, b = np.asarray(ours.numpy()), np.asarray(theirs.numpy())
    assert ours.dtype.name == theirs.dtype.name, f"{what}: dtype {ours.dtype.name} != {theirs.dtype.name}"
    assert a.shape == b.shape, f"{what}: shape {a.shape} != {b.shape}"
    assert a.tobytes() == b.tobytes(), f"{what}:\nours   {a.reshape(-1)[:8]}\ntheirs {b.reshape(-1)[:8]}"


def raised(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - comparing whatever both raise
        # TF names the device an op failed on; the oracle has only a CPU, the simulated GPU is GPU:0
        return type(e).__name__, str(e).replace("/device:GPU:0", "/device:CPU:0")
    return None


# --- stateless ops ------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOATS)
def test_stateless_floats_match_tf(tf_oracle, dtype):
    tf = tf_oracle
    for seed in SEEDS:
        for shape in SHAPES:
            for fn, kwargs in [
                ("stateless_uniform", {}),
                ("stateless_uniform", {"minval": -2, "maxval": 3.5}),
                ("stateless_normal", {}),
                ("stateless_normal", {"mean": 1.5, "stddev": 0.25}),
                ("stateless_truncated_normal", {}),
                ("stateless_truncated_normal", {"mean": -1.0, "stddev": 3.0}),
            ]:
                ours = getattr(ff.random, fn)(shape, seed=seed, dtype=dtype, **kwargs)
                theirs = getattr(tf.random, fn)(shape, seed=seed, dtype=dtype, **kwargs)
                assert_same(ours, theirs, f"{fn}{shape} seed={seed} {dtype} {kwargs}")


_INT64 = st.integers(-(2**63), 2**63 - 1)


@settings(max_examples=120, deadline=None, derandomize=True)
@given(seed=st.tuples(_INT64, _INT64), shape=st.lists(st.integers(0, 5), max_size=3),
       fn=st.sampled_from(["stateless_uniform", "stateless_normal", "stateless_truncated_normal"]),
       dtype=st.sampled_from(FLOATS), scale=st.sampled_from([(0, 1), (-3.5, 2.0)]))
def test_stateless_over_drawn_seeds_and_shapes(tf_oracle, seed, shape, fn, dtype, scale):
    tf = tf_oracle
    kwargs = dict(zip(("minval", "maxval") if fn == "stateless_uniform" else ("mean", "stddev"), scale))
    seed = np.array(seed, np.int64)
    assert_same(getattr(ff.random, fn)(shape, seed, dtype=dtype, **kwargs),
                getattr(tf.random, fn)(shape, seed, dtype=dtype, **kwargs), f"{fn}{shape} {seed} {dtype}")


def test_stateless_ints_match_tf(tf_oracle):
    tf = tf_oracle
    cases = [("int32", 0, 10), ("int32", -7, 3), ("int32", -(2**31), 2**31 - 1), ("int64", 0, 1000),
             ("int64", -(2**62), 2**62), ("int32", None, None), ("int64", None, None), ("uint32", None, None),
             ("uint64", None, None)]
    for seed in SEEDS + [np.array([7, -9], np.int64), (3, 4)]:
        for dtype, lo, hi in cases:
            for shape in ([7], [2, 3]):
                ours = ff.random.stateless_uniform(shape, seed, minval=lo, maxval=hi, dtype=dtype)
                theirs = tf.random.stateless_uniform(shape, seed, minval=lo, maxval=hi, dtype=dtype)
                assert_same(ours, theirs, f"{dtype} [{lo}, {hi}) seed={seed}")


def test_stateless_argument_forms_match_tf(tf_oracle):
    tf = tf_oracle
    for alg in ("auto_select", "philox", "PHILOX", 1, 3, ff.random.Algorithm.PHILOX):
        tf_alg = getattr(tf.random.Algorithm, alg.name) if isinstance(alg, ff.random.Algorithm) else alg
        assert_same(ff.random.stateless_normal([6], [4, 5], alg=alg), tf.random.stateless_normal([6], [4, 5], alg=tf_alg))
    seeds = [(ff.constant([1, 2], ff.int64), tf.constant([1, 2], tf.int64)), ([2**40, -1], [2**40, -1]),
             (ff.Variable([3, 4]), tf.Variable([3, 4])), (np.array([5, 6], np.int32), np.array([5, 6], np.int32))]
    for ours_seed, tf_seed in seeds:
        assert_same(ff.random.stateless_uniform([3], ours_seed), tf.random.stateless_uniform([3], tf_seed))
    shapes = [(ff.TensorShape([2, 3]), tf.TensorShape([2, 3])), (ff.constant([4], ff.int64), tf.constant([4], tf.int64)),
              (np.array([2, 2]), np.array([2, 2])), ((3,), (3,))]
    for ours_shape, tf_shape in shapes:
        assert_same(ff.random.stateless_uniform(ours_shape, [1, 2]), tf.random.stateless_uniform(tf_shape, [1, 2]))
    assert_same(ff.random.stateless_normal([3], [1, 2], mean=ff.constant([1.0, 2.0, 3.0]), stddev=np.float32(2)),
                tf.random.stateless_normal([3], [1, 2], mean=tf.constant([1.0, 2.0, 3.0]), stddev=np.float32(2)))


def test_stateless_seed_helpers_shuffle_and_categorical_match_tf(tf_oracle):
    tf = tf_oracle
    for seed, tf_seed in [([1, 2], [1, 2]), (ff.constant([3, -4], ff.int64), tf.constant([3, -4], tf.int64))]:
        for num in (0, 1, 3):
            assert_same(ff.random.split(seed, num), tf.random.split(tf_seed, num))
        assert_same(ff.random.experimental.stateless_split(seed), tf.random.experimental.stateless_split(tf_seed))
        for data, tf_data in [(5, 5), (ff.constant(-9, ff.int64), tf.constant(-9, tf.int64))]:
            assert_same(ff.random.fold_in(seed, data), tf.random.fold_in(tf_seed, tf_data))
            assert_same(ff.random.experimental.stateless_fold_in(seed, data),
                        tf.random.experimental.stateless_fold_in(tf_seed, tf_data))
    values = np.arange(24).reshape(6, 4).astype(np.float32)
    for seed in SEEDS:
        for value in (values, values[:, 0], values[:1], ["a", "b", "c"]):
            assert_same(ff.random.experimental.stateless_shuffle(value, seed),
                        tf.random.experimental.stateless_shuffle(value, seed))
        logits = np.log(np.array([[0.2, 0.3, 0.5], [0.9, 0.05, 0.05]], np.float32))
        for dtype in ("int32", "int64"):
            assert_same(ff.random.stateless_categorical(logits, 9, seed, dtype=dtype),
                        tf.random.stateless_categorical(logits, 9, seed, dtype=dtype))
    # big enough for TF to split the rows over its threads, each range reading its own stream
    rng = np.random.default_rng(0)
    for batch, classes, samples, dtype in [(16, 100, 100, np.float32), (64, 1000, 50, np.float64),
                                           (300, 5, 7, np.float16)]:
        logits = rng.normal(size=(batch, classes)).astype(dtype)
        logits[0, :2] = -np.inf
        assert_same(ff.random.stateless_categorical(logits, samples, [7, 8]),
                    tf.random.stateless_categorical(logits, samples, [7, 8]), f"{batch}x{classes}, {samples}")


THREADS_PROGRAM = """
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np, tensorflow as tf
from featherflow.ops.random import _kernels as _random_kernels
from featherflow.ops.random import _philox
tf.config.threading.set_intra_op_parallelism_threads(int(sys.argv[1]))
logits = np.random.default_rng(1).normal(size=(257, 40)).astype(np.float32)
key, counter = _philox.key_counter_from_seed([5, 6])
ours = _random_kernels.philox_categorical(logits, 33, key, counter, num_threads=int(sys.argv[1]))
print((ours == tf.random.stateless_categorical(logits, 33, [5, 6]).numpy()).all())
"""


def test_categorical_follows_tfs_split_over_threads(tf_oracle):
    for threads in (7,):  # 7 threads make Eigen coarsen its blocks
        out = subprocess.run([sys.executable, "-c", THREADS_PROGRAM, str(threads)], capture_output=True, text=True,
                             check=True).stdout
        assert out.strip() == "True", threads


# --- the global seed and the stateful ops -------------------------------------------------------------------


def legacy_program(r, t):
    """One sequence of calls; ``r`` is tf.random, ``t`` the library (for constants and dtypes)."""
    logits = np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]], np.float32))
    return [
        r.uniform([3], seed=7),
        r.uniform([2, 2], seed=7),  # the same kernel continues its stream
        r.uniform([5]),
        r.uniform([5]),  # a fresh op seed each time
        r.uniform([4], minval=-1.0, maxval=2.0),
        r.uniform([4], maxval=10.0, seed=3),
        r.uniform([3], minval=2, maxval=9, dtype=t.int32, seed=11),
        r.uniform([3], minval=-(2**40), maxval=2**40, dtype=t.int64),
        r.uniform(t.constant([3], t.int64), seed=7),  # an int64 shape is a different kernel
        r.uniform(np.array([3]), seed=7),
        r.uniform([2], dtype=t.float64, seed=7),
        r.uniform([6], dtype=t.float16),
        r.uniform([6], dtype=t.bfloat16, seed=4),
        r.normal([7]),
        r.normal([7], seed=2),
        r.normal([3], mean=1.0, stddev=2.0, dtype=t.float64),
        r.normal([2, 3], dtype=t.float16, seed=2),
        r.truncated_normal([9]),
        r.truncated_normal([9], seed=2, dtype=t.float64),
        r.truncated_normal([5], mean=3.0, stddev=0.5, dtype=t.bfloat16),
        r.shuffle(np.arange(10)),
        r.shuffle(np.arange(12).reshape(4, 3), seed=5),
        r.shuffle(np.arange(12).reshape(4, 3), seed=5),
        r.categorical(logits, 6),
        r.categorical(logits, 6, seed=8, dtype=t.int32),
        r.categorical(np.tile(logits, [20, 30]), 40),
        r.normal([2]),
    ]


@pytest.mark.parametrize("global_seed", [1234, 0, 2**31 - 1, -3, 2**40])
def test_global_seed_sequences_match_tf(tf_oracle, global_seed):
    tf = tf_oracle
    ff.random.set_seed(global_seed)
    tf.random.set_seed(global_seed)
    for i, (ours, theirs) in enumerate(zip(legacy_program(ff.random, ff), legacy_program(tf.random, tf))):
        assert_same(ours, theirs, f"call {i} with global seed {global_seed}")


def test_op_seeds_without_a_global_seed_match_tf(tf_oracle):
    tf = tf_oracle
    for lib in (ff, tf):
        lib.random.set_seed(None)
    for call in [lambda r, t: r.uniform([4], seed=1), lambda r, t: r.uniform([4], seed=1),
                 lambda r, t: r.normal([3], seed=0), lambda r, t: r.truncated_normal([3], seed=9),
                 lambda r, t: r.uniform([2], 0, 5, dtype=t.int64, seed=2), lambda r, t: r.shuffle([1, 2, 3, 4], seed=6)]:
        assert_same(call(ff.random, ff), call(tf.random, tf))


def test_set_seed_restarts_the_sequence():
    ff.random.set_seed(42)
    first = [ff.random.uniform([3]).numpy(), ff.random.normal([2], seed=1).numpy(), ff.random.normal([2], seed=1).numpy()]
    ff.random.set_seed(42)
    again = [ff.random.uniform([3]).numpy(), ff.random.normal([2], seed=1).numpy(), ff.random.normal([2], seed=1).numpy()]
    assert all((a == b).all() for a, b in zip(first, again))
    assert not (first[1] == first[2]).all()  # the second run of a kernel continues its stream
    ff.random.set_seed(None)
    unseeded = ff.random.uniform([8]).numpy(), ff.random.uniform([8]).numpy()
    assert not (unseeded[0] == unseeded[1]).all()


PROGRAM = """
import featherflow as tf
tf.random.set_seed(2024)
print(tf.random.uniform([3]).numpy().tolist())
print(tf.random.normal([2], seed=5).numpy().tolist())
print(tf.random.normal([2], seed=5).numpy().tolist())
print(tf.random.shuffle([1, 2, 3, 4, 5]).numpy().tolist())
print(tf.random.Generator.from_seed(7).uniform([2]).numpy().tolist())
"""


def test_a_fresh_program_repeats_the_sequence(tf_oracle):
    runs = [subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2)]
    assert runs[0] == runs[1] and runs[0].count("\n") == 5
    # ... and it is TensorFlow's sequence
    tf = tf_oracle
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(textwrap.dedent(PROGRAM).replace("import featherflow as tf", ""), {"tf": tf})  # noqa: S102
    assert out.getvalue() == runs[0]


# --- Generator -----------------------------------------------------------------------------------------------


def generator_program(g, t):
    """Draws from ``g``, yielding each result and then the state."""
    calls = [
        lambda: g.normal([4]),
        lambda: g.normal([3], mean=2.0, stddev=0.5, dtype=t.float64),
        lambda: g.uniform([2, 3]),
        lambda: g.uniform([3], minval=-4.0, maxval=4.0, dtype=t.float16),
        lambda: g.uniform([5], minval=3, maxval=10, dtype=t.int32),
        lambda: g.uniform([2], minval=-(2**50), maxval=2**50, dtype=t.int64),
        lambda: g.uniform([4], dtype=t.int64, minval=None, maxval=None),
        lambda: g.uniform_full_int([3]),
        lambda: g.uniform_full_int([3], t.int32),
        lambda: g.truncated_normal([6]),
        lambda: g.truncated_normal([3], dtype=t.bfloat16),
        lambda: g.normal([]),
        lambda: g.normal(t.constant([2], t.int64)),
        lambda: g.normal(t.TensorShape([2, 1])),
        lambda: g.make_seeds(3),
        lambda: g.skip(5),
        lambda: g.skip(-1),  # TF's Skip drops a carry here
    ]
    for call in calls:
        yield call()
        yield g.state.read_value()


@pytest.mark.parametrize("make", [
    lambda r, t: r.Generator.from_seed(1234),
    lambda r, t: r.Generator.from_seed(np.int64(42)),
    lambda r, t: r.Generator.from_seed(-1),
    lambda r, t: r.Generator.from_seed(2**70 + 3, alg="philox"),
    lambda r, t: r.Generator.from_seed([5, 6], alg=r.Algorithm.PHILOX),
    lambda r, t: r.Generator.from_seed(9, alg="auto_select"),
    lambda r, t: r.Generator.from_state([-1, -1, 77], "philox"),
    lambda r, t: r.Generator.from_state(t.Variable([2**63 - 100, 5, 3], dtype=t.int64), alg=1),
    lambda r, t: r.Generator.from_key_counter(11, [2**64 - 3, 4], "philox"),
    lambda r, t: r.experimental.Generator(state=r.create_rng_state(3, "philox"), alg="philox"),
])
def test_generator_sequences_match_tf(tf_oracle, make):
    tf = tf_oracle
    ours, theirs = make(ff.random, ff), make(tf.random, tf)
    assert ours.algorithm == theirs.algorithm
    assert_same(ours.key, theirs.key)
    for i, (a, b) in enumerate(zip(generator_program(ours, ff), generator_program(theirs, tf))):
        assert_same(a, b, f"step {i}")


def test_generator_split_reset_and_state_variable(tf_oracle):
    tf = tf_oracle
    ours, theirs = ff.random.Generator.from_seed(77), tf.random.Generator.from_seed(77)
    assert isinstance(ours.state, ff.Variable) and ours.state.shape == ff.TensorShape([3])
    assert repr(ours.state) == repr(theirs.state) and ours.state.dtype == ff.int64
    assert list(ours._trackable_children()) == list(theirs._trackable_children())  # what a checkpoint saves
    for mine, tfs in zip(ours.split(3), theirs.split(3)):
        assert_same(mine.state.value(), tfs.state.value())
        assert_same(mine.normal([3]), tfs.normal([3]))
    assert_same(ours.state.value(), theirs.state.value())
    copy_ours, copy_theirs = ff.random.Generator(ours), tf.random.Generator(theirs)
    assert_same(copy_ours.uniform([2]), copy_theirs.uniform([2]))
    assert ours.state.numpy().tolist() != copy_ours.state.numpy().tolist()  # the copy has its own Variable
    for reset in [lambda g: g.reset_from_seed(5), lambda g: g.reset([1, 2, 3]),
                  lambda g: g.reset_from_key_counter(3, [4, 5])]:
        reset(ours)
        reset(theirs)
        assert_same(ours.state.value(), theirs.state.value())
        assert_same(ours.uniform([3], dtype="float64"), theirs.uniform([3], dtype="float64"))
    for seed in (1234, np.int64(42), -1, [1, 2, 3, 4], True, 2**64 + 5):
        assert_same(ff.random.create_rng_state(seed, "philox"), tf.random.create_rng_state(seed, "philox"))
    assert_same(ff.random.create_rng_state(8, "threefry"), tf.random.create_rng_state(8, "threefry"))
    assert ff.random.Generator.from_seed(1, alg="threefry").state.shape == ff.TensorShape([2])
    a, b = ff.random.Generator.from_non_deterministic_state(), ff.random.Generator.from_non_deterministic_state()
    assert a.state.numpy().tolist() != b.state.numpy().tolist()
    g = ff.random.Generator.from_seed(3)
    ff.random.set_global_generator(g)
    assert ff.random.get_global_generator() is g and ff.random.experimental.get_global_generator() is g


# --- errors ----------------------------------------------------------------------------------------------------

ERROR_CASES = [
    lambda r, t: r.uniform([2], dtype=t.int8),
    lambda r, t: r.uniform([2], dtype=t.int32),
    lambda r, t: r.uniform([2], minval=3, maxval=3, dtype=t.int32, seed=1),
    lambda r, t: r.uniform([2], minval=[1, 2], maxval=3, dtype=t.int64, seed=1),
    lambda r, t: r.uniform([2], minval=1.5, maxval=3, dtype=t.int32),
    lambda r, t: r.uniform([2], minval=t.constant(1.5, t.float64), maxval=3),
    lambda r, t: r.uniform([-2], seed=1),
    lambda r, t: r.uniform([2.0], seed=1),
    lambda r, t: r.uniform(2, seed=1),
    lambda r, t: r.uniform([[2]], seed=1),
    lambda r, t: r.uniform(t.TensorShape([None]), seed=1),
    lambda r, t: r.uniform([None], seed=1),
    lambda r, t: r.normal([2], dtype=t.int32),
    lambda r, t: r.normal([2], dtype=t.complex64, seed=1),
    lambda r, t: r.normal([2], mean=t.constant(1.0, t.float64)),
    lambda r, t: r.normal([2], mean=[1.0, 2.0, 3.0], seed=1),
    lambda r, t: r.truncated_normal([2], dtype=t.complex64, seed=1),
    lambda r, t: r.categorical([1.0, 2.0], 3, seed=1),
    lambda r, t: r.categorical([[1.0, 2.0]], 3, dtype=t.int16),
    lambda r, t: r.categorical([[1, 2]], 3, seed=1),
    lambda r, t: r.categorical([[1.0, 2.0]], -1, seed=1),
    lambda r, t: r.categorical(np.zeros([2, 0], np.float32), 2, seed=1),
    lambda r, t: r.stateless_uniform([2], seed=[1]),
    lambda r, t: r.stateless_uniform([2], seed=[1, 2, 3]),
    lambda r, t: r.stateless_uniform([2], seed=[1.0, 2.0]),
    lambda r, t: r.stateless_uniform([2], seed=5),
    lambda r, t: r.stateless_uniform([2], seed=[1, 2], dtype=t.int8),
    lambda r, t: r.stateless_uniform([2], seed=[1, 2], dtype=t.int32),
    lambda r, t: r.stateless_uniform([2], seed=[1, 2], dtype=t.uint32, minval=0, maxval=4),
    lambda r, t: r.stateless_uniform([2], seed=[1, 2], dtype=t.int32, minval=4, maxval=4),
    lambda r, t: r.stateless_uniform([2], seed=[1, 2], dtype=t.int64, minval=t.constant([1], t.int64), maxval=5),
    lambda r, t: r.stateless_uniform([2], seed=[1, 2], alg="threefry"),
    lambda r, t: r.stateless_uniform([2], seed=[1, 2], alg="xx"),
    lambda r, t: r.stateless_uniform([2], seed=[1, 2], alg=7),
    lambda r, t: r.stateless_uniform([2], seed=[1, 2], alg=1.0),
    lambda r, t: r.stateless_uniform([2], seed=5, alg="philox"),
    lambda r, t: r.stateless_uniform([2], seed=np.array(5)),
    lambda r, t: r.stateless_uniform([[2]], seed=[1, 2]),
    lambda r, t: r.stateless_normal([-1], seed=[1, 2]),
    lambda r, t: r.stateless_normal([2], seed=[1, 2], dtype=t.int32),
    lambda r, t: r.stateless_normal([2], seed=[1, 2], dtype=t.complex64),
    lambda r, t: r.stateless_truncated_normal([2.0], seed=[1, 2]),
    lambda r, t: r.stateless_categorical([[1.0, 2.0]], 3, seed=[1.0, 2.0]),
    lambda r, t: r.stateless_categorical([[1.0, 2.0]], 3, seed=[1, 2, 3]),
    lambda r, t: r.stateless_categorical([[1, 2]], 3, seed=[1, 2]),
    lambda r, t: r.stateless_categorical([[1.0, 2.0]], -3, seed=[1, 2]),
    lambda r, t: r.split([1.0, 2.0]),
    lambda r, t: r.experimental.stateless_shuffle([1, 2], seed=[1]),
    lambda r, t: r.Generator.from_seed(1, alg="foo"),
    lambda r, t: r.Generator.from_seed(1, alg=1.5),
    lambda r, t: r.Generator.from_state([1, 2], alg="philox"),
    lambda r, t: r.Generator.from_key_counter(5, [1, 2, 3], alg="philox"),
    lambda r, t: r.Generator.from_key_counter([5], [1, 2], alg="philox"),
    lambda r, t: r.Generator.from_seed(1).reset([1, 2]),
    lambda r, t: r.Generator.from_seed(1, alg="threefry").normal([2]),
    lambda r, t: r.Generator.from_seed(1).uniform([3], minval=5, maxval=5, dtype=t.int32),
    lambda r, t: r.Generator.from_seed(1).uniform([3], minval=5, dtype=t.int32),
    lambda r, t: r.Generator.from_seed(1).uniform([3], dtype=t.int8, minval=0, maxval=3),
    lambda r, t: r.Generator.from_seed(1).uniform([3], dtype=t.uint32, minval=0, maxval=3),
    lambda r, t: r.Generator.from_seed(1).uniform([2], minval=1.5, maxval=3, dtype=t.int32),
    lambda r, t: r.Generator.from_seed(1).uniform_full_int([3], dtype=t.float32),
    lambda r, t: r.Generator.from_seed(1).normal([3], dtype=t.int32),
    lambda r, t: r.Generator.from_seed(1).normal([-1]),
    lambda r, t: r.Generator.from_seed(1).normal([2.0]),
]


@pytest.mark.parametrize("case", range(len(ERROR_CASES)))
def test_errors_match_tf(tf_oracle, case):
    tf = tf_oracle
    ff.random.set_seed(None)  # some messages quote the seeds
    tf.random.set_seed(None)
    ours, theirs = raised(lambda: ERROR_CASES[case](ff.random, ff)), raised(lambda: ERROR_CASES[case](tf.random, tf))
    assert theirs is not None
    assert ours == theirs


def test_a_failing_draw_still_advances_the_generator(tf_oracle):
    tf = tf_oracle
    for lib in (ff, tf):
        g = lib.random.Generator.from_seed(10)
        for bad in ([3], [-1], [2.0]):
            with pytest.raises(lib.errors.InvalidArgumentError):
                g.uniform(bad, minval=4, maxval=4, dtype=lib.int32) if bad == [3] else g.normal(bad)
        if lib is ff:
            ours = g.state.numpy()
        else:
            assert ours.tolist() == g.state.numpy().tolist()


# --- placement, gradients, approximate distributions ---------------------------------------------------------


def test_results_are_tensors_on_the_current_device_and_ops_are_logged(monkeypatch):
    with ff.device("CPU:0"):
        t = ff.random.stateless_normal([2], [1, 2])
    assert type(t) is ff.Tensor and t.device.endswith("device:CPU:0")
    default = ff.constant(0.0).device  # CPU:0, or GPU:0 on the simulated GPU
    logged = []
    device_module = sys.modules["featherflow.device"]
    monkeypatch.setattr(device_module, "log_placement", lambda op_name, dev: logged.append((op_name, dev.name)))
    # set_log_device_placement only takes effect before the runtime starts (as TF's); switch the flag directly
    monkeypatch.setattr(device_module._Flags, "log_placement", True)
    ff.random.uniform([2], seed=1)
    ff.random.Generator.from_seed(1).normal([2])
    monkeypatch.setattr(device_module._Flags, "log_placement", False)
    assert ("RandomUniform", default) in logged
    assert "StatelessRandomNormalV2" in [name for name, _ in logged]
    listed = registry.no_gradient_ops()
    for name in ("RandomUniform", "RandomStandardNormal", "StatelessRandomUniformV2", "Multinomial", "RandomShuffle"):
        assert name in listed


def test_gradients_flow_through_mean_and_stddev_only():
    mean, stddev = ff.Variable(1.0), ff.Variable(2.0)
    with ff.GradientTape() as tape:
        total = ff.reduce_sum(ff.random.stateless_normal([4], [1, 2], mean=mean, stddev=stddev))
    d_mean, d_stddev = tape.gradient(total, [mean, stddev])
    rnd = ff.random.stateless_normal([4], [1, 2]).numpy()
    assert float(d_mean) == 4.0
    assert np.isclose(float(d_stddev), rnd.sum())


def test_gamma_and_poisson_have_tf_shapes_dtypes_and_seeding(tf_oracle):
    tf = tf_oracle
    cases = [
        lambda r, t: r.gamma([500], 2.0, seed=1),
        lambda r, t: r.gamma([3, 2], [1.0, 4.0], beta=[[2.0], [1.0], [0.5]], dtype=t.float64, seed=1),
        lambda r, t: r.poisson([400], 3.0, seed=1),
        lambda r, t: r.poisson([3], [1.0, 5.0], dtype=t.int64, seed=1),
        lambda r, t: r.stateless_gamma([300, 2], [1, 2], alpha=[0.5, 3.0]),
        lambda r, t: r.stateless_poisson([300], [1, 2], lam=4.0),
        lambda r, t: r.stateless_binomial([300], [1, 2], counts=10, probs=0.5),
    ]
    for case in cases:
        ff.random.set_seed(5)
        ours, theirs = case(ff.random, ff), case(tf.random, tf)
        assert ours.dtype.name == theirs.dtype.name and ours.shape == theirs.shape
        a, b = ours.numpy().astype(np.float64), theirs.numpy().astype(np.float64)
        assert (a >= 0).all()
        if a.size >= 300:  # the same distribution: means agree within a few standard errors
            assert abs(a.mean() - b.mean()) < 6 * (b.std() + 1e-9) / np.sqrt(a.size) + 0.05 * abs(b.mean())
        ff.random.set_seed(5)
        assert (case(ff.random, ff).numpy() == ours.numpy()).all()
    assert ff.random.gamma([4], 1.0, seed=1).numpy().min() > 0



def test_random_ops_stay_on_the_device(device):
    """On a GPU the Philox kernels, categorical and the Generator's state stay on the device: no host transfer.
    The declared host steps are counted: shuffle's permutation (its indices copied up), float64 normals (libm
    on the host), the host-only gamma, Poisson and binomial kernels, and a state another writer changed."""
    from featherflow.backends import simulated

    from ...conftest import assert_no_transfers

    if device == "CPU":
        pytest.skip("transfers are counted on the simulated GPU")
    gpu = "/job:localhost/replica:0/task:0/device:GPU:0"
    logits, x = ff.constant([[0.0, 1.0, 2.0], [1.0, -np.inf, 0.5]]), ff.constant([1.0, 2.0, 3.0, 4.0])
    g, twin = ff.random.Generator.from_seed(3), ff.random.Generator.from_seed(3)
    ff.random.normal([1])  # copies glibc's logf tables to the card, once
    with assert_no_transfers():
        results = [ff.random.uniform([3], seed=1), ff.random.uniform([3], 0, 5, ff.int32, seed=1),
                   ff.random.stateless_uniform([3], seed=[1, 2], minval=0, maxval=9, dtype=ff.int64),
                   ff.random.categorical(logits, 5, seed=1), ff.random.stateless_categorical(logits, 5, [1, 2]),
                   g.uniform_full_int([2]), g.uniform([2], 0, 7, ff.int32), g.make_seeds(2), g.skip(3), g.key,
                   ff.random.stateless_uniform([2], [1, 2], dtype=ff.uint32, minval=None, maxval=None)]
    for r in results:
        assert r.device == gpu, r
    assert g.state.device == gpu
    for draw in (lambda gen: gen.uniform_full_int([2]), lambda gen: gen.uniform([2], 0, 7, ff.int32),
                 lambda gen: gen.make_seeds(2), lambda gen: gen.skip(3)):
        draw(twin)
    assert g.state.numpy().tolist() == twin.state.numpy().tolist()
    # another writer of the state: the generator reads it back once (one explicit device->host copy)
    g.state.assign(twin.state.value() + ff.constant([5, 0, 0], ff.int64))
    twin.state.assign_add(ff.constant([5, 0, 0], ff.int64))
    simulated.reset_transfers()
    assert_same(g.uniform_full_int([3]), twin.uniform_full_int([3]))
    assert simulated.transfers() == (0, 4)  # each state read back once, then the two results compared
    simulated.reset_transfers()
    assert ff.random.shuffle(x, seed=1).device == gpu and simulated.transfers() == (1, 0)  # the permutation
    simulated.reset_transfers()
    assert ff.random.stateless_normal([3], [1, 2], dtype=ff.float64).device == gpu
    assert simulated.transfers()[1] == 1  # the uniforms to libm on the host, once
    cpu = "/job:localhost/replica:0/task:0/device:CPU:0"
    alpha = ff.constant([1.0, 2.0])
    simulated.reset_transfers()
    assert ff.random.poisson([2], alpha, seed=1).device == cpu  # host-only: placed on the CPU, as TF's kernel
    assert simulated.transfers() == (0, 1)  # its parameter copied to the host
