"""Candidate samplers and compute_accidental_hits against real TensorFlow: the same calls, the same bits.

The samplers are stateful kernels seeded like ``tf.random.uniform``, so every comparison starts with
``set_seed`` in both libraries and makes the same calls in the same order.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff

TRUE = [[1, 7], [3, 0], [5, 5]]
SAMPLERS = ["uniform_candidate_sampler", "log_uniform_candidate_sampler", "learned_unigram_candidate_sampler"]


def same(ours, theirs):
    """Same type name, fields, dtypes, shapes and bytes."""
    assert type(ours).__name__ == type(theirs).__name__
    assert ours._fields == theirs._fields
    for a, b in zip(ours, theirs):
        assert a.dtype.name == b.dtype.name
        assert a.numpy().shape == b.numpy().shape
        assert a.numpy().tobytes() == b.numpy().tobytes(), (a.numpy(), b.numpy())


def both(tf, fn, seed=1):
    """``fn(module)`` under ``set_seed(seed)`` in featherflow and TF."""
    ff.random.set_seed(seed)
    ours = fn(ff)
    tf.random.set_seed(seed)
    return ours, fn(tf)


def raised(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the type and text are what is compared
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("name", SAMPLERS)
@pytest.mark.parametrize("unique", [True, False])
def test_samplers_match_tf(tf_oracle, name, unique):
    def calls(m):
        f = getattr(m.random, name)
        # the second call runs the same cached kernel: its stream (and the learned counts) carry on
        return [f(TRUE, 2, 6, unique, 10, seed=3), f(TRUE, 2, 6, unique, 10, seed=3), f([[2]], 1, 4, unique, 50)]

    ours, theirs = both(tf_oracle, calls)
    for a, b in zip(ours, theirs):
        same(a, b)


def test_seed_rules_match_tf(tf_oracle):
    def calls(m):
        f = m.random.log_uniform_candidate_sampler
        out = [f([[0]], 1, 8, True, 1000, seed=s) for s in (None, 5, None, 5)]
        # a failed call and compute_accidental_hits draw an op seed too: the next unseeded call differs
        raised(lambda: f([[0]], 1, 8, True, 5))
        m.nn.compute_accidental_hits([[1]], [1, 2], 1)
        raised(lambda: m.random.learned_unigram_candidate_sampler([[0]], 1, 1, True, 2**31))
        return out + [f([[0]], 1, 8, True, 1000)]

    ours, theirs = both(tf_oracle, calls, seed=77)
    for a, b in zip(ours, theirs):
        same(a, b)

@settings(max_examples=20, deadline=None)
@given(range_max=st.integers(1, 3000), num_sampled=st.integers(1, 40), unique=st.booleans(),
       seed=st.integers(0, 2**31 - 2), log=st.booleans())
def test_hypothesis_uniform_and_log_uniform(tf_oracle, range_max, num_sampled, unique, seed, log):
    if unique and num_sampled > range_max:
        num_sampled = range_max
    name = "log_uniform_candidate_sampler" if log else "uniform_candidate_sampler"
    true = [[range_max - 1], [0]]
    ours, theirs = both(tf_oracle, lambda m: getattr(m.random, name)(true, 1, num_sampled, unique, range_max,
                                                                     seed=seed))
    same(ours, theirs)


def test_learned_unigram_learns_like_tf(tf_oracle):
    def calls(m):
        f = m.random.learned_unigram_candidate_sampler
        out = []
        for _ in range(4):  # the counts of class 3 grow call after call
            out.append(f([[3, 3, 3, 1]], 4, 5, False, 7, seed=11))
        out.append(f([[3, 3, 3, 1]], 4, 5, True, 7, seed=11))
        return out

    ours, theirs = both(tf_oracle, calls)
    for a, b in zip(ours, theirs):
        same(a, b)


@pytest.mark.parametrize("kwargs", [
    dict(unigrams=[1.0, 2.0, 3.0, 0.5, 0.0, 7.0, 1.5, 2.5]),
    dict(unigrams=[1.0, 2.0, 3.0, 0.5, 0.0, 7.0, 1.5, 2.5], distortion=0.75),
    dict(unigrams=[4.0, 2.0, 3.0, 0.5, 9.0, 7.0], num_reserved_ids=2, distortion=0.5),
    dict(unigrams=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0],
         num_shards=2, shard=1),
    dict(unigrams=[0.1] * 5 + [0.3] * 7, num_reserved_ids=3, num_shards=3, shard=0, distortion=1.3),
])
@pytest.mark.parametrize("unique", [True, False])
def test_fixed_unigram_matches_tf(tf_oracle, kwargs, unique):
    size = len(kwargs["unigrams"]) + kwargs.get("num_reserved_ids", 0)
    shards, shard = kwargs.get("num_shards", 1), kwargs.get("shard", 0)
    range_max = len([i for i in range(size) if i % shards == shard])

    def calls(m):
        f = m.random.fixed_unigram_candidate_sampler
        return [f([[0], [range_max - 1]], 1, min(4, range_max), unique, range_max, seed=9, **kwargs)
                for _ in range(2)]

    ours, theirs = both(tf_oracle, calls)
    for a, b in zip(ours, theirs):
        same(a, b)


def test_fixed_unigram_vocab_file_matches_tf(tf_oracle, tmp_path):
    path = tmp_path / "vocab.csv"
    path.write_text("the,120\nof,60.5\nand,33\ncat,2\r\ndog, 7\nzebra,0.25\n")

    def calls(m):
        f = m.nn.fixed_unigram_candidate_sampler
        return [f([[1, 2]], 2, 4, True, 6, vocab_file=str(path), distortion=0.75, seed=2),
                f([[0, 5]], 2, 8, False, 7, vocab_file=str(path), num_reserved_ids=1, seed=4)]

    ours, theirs = both(tf_oracle, calls)
    for a, b in zip(ours, theirs):
        same(a, b)
    bad = tmp_path / "bad.csv"
    bad.write_text("a,1\nb,x\n")
    assert raised(lambda: ff.random.fixed_unigram_candidate_sampler([[0]], 1, 1, True, 2, vocab_file=str(bad))) == \
        raised(lambda: tf_oracle.random.fixed_unigram_candidate_sampler([[0]], 1, 1, True, 2, vocab_file=str(bad)))


def test_all_candidate_sampler_matches_tf(tf_oracle):
    ours, theirs = both(tf_oracle, lambda m: m.nn.all_candidate_sampler([[1, 2], [0, 4]], 2, 5, True, seed=3))
    same(ours, theirs)


def test_compute_accidental_hits_matches_tf(tf_oracle):
    for true, sampled, num_true in [([[1, 2], [3, 4]], [1, 2, 3, 1, 9, 4], 2), ([[5]], [1, 2], 1),
                                    ([[0, 0, 2]], [0, 2, 2], 3)]:
        ours = ff.nn.compute_accidental_hits(true, sampled, num_true)
        theirs = tf_oracle.nn.compute_accidental_hits(true, sampled, num_true)
        same(ours, theirs)


@pytest.mark.parametrize("call", [
    lambda m: m.random.uniform_candidate_sampler(TRUE, 2, 11, True, 10),
    lambda m: m.random.uniform_candidate_sampler(TRUE, 3, 5, True, 30),
    lambda m: m.random.uniform_candidate_sampler([1, 2], 1, 5, True, 30),
    lambda m: m.random.uniform_candidate_sampler(TRUE, 2, 5, True, 0),
    lambda m: m.random.log_uniform_candidate_sampler(TRUE, 2, 5, False, 6),
    lambda m: m.random.uniform_candidate_sampler(m.constant(TRUE, m.int32), 2, 5, True, 40),
    lambda m: m.random.fixed_unigram_candidate_sampler(TRUE, 2, 5, True, 40),
    lambda m: m.random.fixed_unigram_candidate_sampler(TRUE, 2, 5, True, 40, unigrams=[1.0] * 3),
    lambda m: m.random.fixed_unigram_candidate_sampler(TRUE, 2, 5, True, 40, unigrams=[1.0] * 40, vocab_file="x"),
    lambda m: m.random.fixed_unigram_candidate_sampler(TRUE, 2, 5, True, 40, vocab_file="/nonexistent/vocab"),
    lambda m: m.random.learned_unigram_candidate_sampler(TRUE, 2, 5, True, 2**31),
    lambda m: m.nn.compute_accidental_hits(TRUE, [1, 2, 3], 1),
    lambda m: m.nn.compute_accidental_hits(TRUE, [[1, 2, 3]], 2),
])
def test_errors_match_tf(tf_oracle, call):
    ours, theirs = raised(lambda: call(ff)), raised(lambda: call(tf_oracle))
    assert theirs is not None
    assert ours == theirs


def test_gradients_through_samplers_as_tf(tf_oracle):
    def grad(m):
        x = m.constant([[1.0]])
        with m.GradientTape() as tape:
            tape.watch(x)
            out = m.random.uniform_candidate_sampler(m.cast(x, m.int64), 1, 3, True, 10, seed=1)
        return tape.gradient(out.true_expected_count, x)

    assert raised(lambda: grad(ff)) == raised(lambda: grad(tf_oracle))


def test_samplers_run_on_the_host_from_a_gpu_scope(device):
    ff.random.set_seed(5)
    cpu = ff.random.log_uniform_candidate_sampler(TRUE, 2, 6, True, 100, seed=1)
    ff.random.set_seed(5)
    with ff.device(f"/{device}:0"):
        out = ff.random.log_uniform_candidate_sampler(TRUE, 2, 6, True, 100, seed=1)
    assert out.sampled_candidates.device.endswith("CPU:0")  # TF's kernels are CPU-only
    for a, b in zip(out, cpu):
        assert a.numpy().tobytes() == b.numpy().tobytes()


def test_expected_counts_follow_the_distribution():
    ff.random.set_seed(3)
    out = ff.random.uniform_candidate_sampler([[0]], 1, 2000, False, 4, seed=2)
    counts = np.bincount(out.sampled_candidates.numpy(), minlength=4)
    assert np.allclose(counts / 2000, 0.25, atol=0.04)
    assert np.all(out.sampled_expected_count.numpy() == np.float32(0.25) * 2000)
