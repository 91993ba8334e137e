"""tf.strings hashing and tf.fingerprint against TensorFlow: exact hash values on random strings of every length
branch of farmhash (0-16, 17-32, 33-64, 65+ bytes, across several 64-byte blocks), TF's Hash64 and SipHash-2-4,
and TF's errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff
from featherflow.ops.strings._hashes import fingerprint64, hash64, siphash24

BIG = 2**63 - 1  # the largest bucket count: the bucket is the hash itself, but for one value in 2**63
CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"


def _strings(seed: int) -> list[bytes]:
    rng = np.random.default_rng(seed)
    lengths = list(range(0, 140)) + [191, 192, 193, 255, 256, 257, 1000]
    return [rng.integers(0, 256, n, dtype=np.uint8).tobytes() for n in lengths]


def test_hash_functions_match_tf_on_every_length_branch(tf_oracle):
    strings = _strings(0)
    assert tf_oracle.strings.to_hash_bucket_fast(strings, BIG).numpy().tolist() == [fingerprint64(s) % BIG
                                                                                    for s in strings]
    assert tf_oracle.strings.to_hash_bucket(strings, BIG).numpy().tolist() == [hash64(s) % BIG for s in strings]
    key = [0x0123456789ABCDEF, -5]  # TF's list(int) attr: int64, read as uint64 by the kernel
    assert tf_oracle.strings.to_hash_bucket_strong(strings, BIG, key).numpy().tolist() == [
        siphash24(key[0], key[1] & (2**64 - 1), s) % BIG for s in strings]


def test_fingerprint64_of_the_empty_string_is_farmhash_k2():
    assert fingerprint64(b"") == 0x9AE16A3B2F90404F


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=200), st.text(max_size=40)), min_size=1, max_size=8),
       st.integers(1, 1 << 40), st.integers(-(2**63), 2**63 - 1), st.integers(-(2**63), 2**63 - 1))
def test_bucket_ops_match_tf(tf_oracle, values, buckets, k0, k1):
    for name, args in (("to_hash_bucket_fast", ()), ("to_hash_bucket", ()), ("to_hash_bucket_strong", ([k0, k1],))):
        ours = getattr(ff.strings, name)(values, buckets, *args)
        theirs = getattr(tf_oracle.strings, name)(values, buckets, *args)
        assert ours.dtype == ff.int64 and ours.shape == theirs.shape
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("value", [
    [["a", "b"], ["c", "d"]], ["", "x" * 70], [[1.5, 2.0], [3.0, 4.0]], [[True], [False]], [[1, 2, 3]],
    np.zeros((0, 3), np.float32), np.arange(24, dtype=np.int64).reshape(2, 3, 4), [1j, 2 - 1j],
    np.array([[1, 2]], np.float16), np.array([3, 4], np.uint8)])
def test_fingerprint_matches_tf(tf_oracle, value):
    ours, theirs = ff.fingerprint(ff.constant(value)), tf_oracle.fingerprint(tf_oracle.constant(value))
    assert ours.dtype == ff.uint8 and ours.shape == theirs.shape
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the error's type and text are compared
        return type(e).__name__, str(e).removesuffix(" name: ")
    raise AssertionError("no error")


@pytest.mark.parametrize("code", [
    "tf.strings.to_hash_bucket_fast(['a'], 0)",
    "tf.strings.to_hash_bucket(['a'], 0)",
    "tf.strings.to_hash_bucket_strong(['a'], 0, [1, 2])",
    "tf.strings.to_hash_bucket_strong(['a'], 3, [1])",
    "tf.strings.to_hash_bucket_strong(['a'], 3, [1, 2, 3])",
    "tf.strings.to_hash_bucket_fast(tf.constant([1]), 3)",
    "tf.strings.to_hash_bucket_strong(['a'], 3, [2**64, 1])",
    "tf.fingerprint('a')",
    "tf.fingerprint(['a'], method='x')",
    "tf.fingerprint(tf.constant([1]), method=tf.constant(['farmhash64']))",
])
def test_errors_match_tf(tf_oracle, code):
    assert _error(lambda: eval(code, {"tf": ff})) == _error(lambda: eval(code, {"tf": tf_oracle}))


def test_shapes_and_host_placement_under_a_gpu():
    from featherflow.device import _simulating

    with _simulating(2), ff.device("/GPU:0"):
        out = ff.strings.to_hash_bucket_fast([["a", "b"]], 7)
        fp = ff.fingerprint(ff.constant([[1.0, 2.0]]))
    assert out.shape == (1, 2) and out.device == CPU0  # string kernels run on the host, as TF's
    assert fp.device == CPU0 and fp.shape == (1, 8)
    assert ff.strings.to_hash_bucket_fast("Hello", 3).shape == ()


def test_hash_ops_are_declared_as_tf_registers_their_gradients():
    from featherflow.ops.registry import OPS

    assert not OPS["StringToHashBucketFast"].differentiable  # TF's NotDifferentiable
    assert OPS["Fingerprint"].differentiable and OPS["Fingerprint"].grad is None  # no gradient registered


@pytest.mark.parametrize("code", [
    "tf.strings.to_hash_bucket_fast(tf.ragged.constant([['a'], ['b', 'c']]), 5)",
    "tf.strings.to_hash_bucket_strong(tf.ragged.constant([['a'], ['b', 'c']]), 5, [1, 2])",
    "tf.strings.to_hash_bucket(tf.ragged.constant([['a'], ['b', 'c']]), 5)",
])
def test_ragged_inputs_match_tf(tf_oracle, code):
    def run(mod):
        r = eval(code, {"tf": mod})
        return r.to_list() if hasattr(r, "to_list") else r.numpy().tolist()

    assert run(ff) == run(tf_oracle)
