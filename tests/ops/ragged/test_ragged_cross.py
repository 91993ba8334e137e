"""tf.ragged.cross and tf.ragged.cross_hashed (TF's RaggedCross) against real TF: ragged, sparse and dense inputs
in any order, string and integer features, TF's fingerprint hashes with and without buckets and keys, the
row-splits dtype, and TF's errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff

from ._compare import check


def RT(tf):
    return tf.ragged.constant([["a", "b"], [], ["c", "d", "e"]])


def RT64(tf):
    return tf.RaggedTensor.from_row_splits(tf.constant([1, 2, 3, 4], tf.int64), tf.constant([0, 1, 1, 4], tf.int64))


def SP(tf):
    return tf.sparse.SparseTensor([[0, 0], [2, 0], [2, 1]], ["s0", "s2", "s3"], [3, 2])


def SPI(tf):
    return tf.sparse.SparseTensor([[0, 1], [1, 0], [2, 0]], tf.constant([-5, 7, 2**40], tf.int64), [3, 4])


def DN(tf):
    return tf.constant([["x"], ["y"], ["z"]])


def DI(tf):
    return tf.constant([[1, 2], [3, 4], [5, -6]], tf.int32)


INPUTS = {
    "ragged_dense": lambda tf: [RT(tf), DN(tf)],
    "dense_ragged": lambda tf: [DN(tf), RT(tf)],
    "ragged_sparse": lambda tf: [RT(tf), SP(tf)],
    "sparse_ragged_dense": lambda tf: [SP(tf), RT(tf), DI(tf)],
    "int64_splits": lambda tf: [RT64(tf), DI(tf)],
    "sparse_ints": lambda tf: [SPI(tf), DN(tf)],
    "all_ints": lambda tf: [DI(tf), RT64(tf), SPI(tf)],
    "single": lambda tf: [RT(tf)],
    "none": lambda tf: [],
    "python_lists": lambda tf: [[["a"], ["b"]], [["c"], ["d"]]],
}
HASHES = {
    "default": {},
    "buckets": {"num_buckets": 10},
    "uint64_key": {"num_buckets": 1000, "hash_key": 2**64 - 3},
    "key": {"hash_key": 12345},
}


@pytest.mark.parametrize("inputs", INPUTS)
def test_cross_matches_tf(tf_oracle, inputs):
    check(lambda tf: tf.ragged.cross(INPUTS[inputs](tf)), ff, tf_oracle)


@pytest.mark.parametrize("inputs", INPUTS)
@pytest.mark.parametrize("hashing", HASHES)
def test_cross_hashed_matches_tf(tf_oracle, inputs, hashing):
    check(lambda tf: tf.ragged.cross_hashed(INPUTS[inputs](tf), **HASHES[hashing]), ff, tf_oracle)


ERRORS = {
    "batch": lambda tf: tf.ragged.cross([RT(tf), tf.constant([["x"]])]),
    "float": lambda tf: tf.ragged.cross([RT(tf), tf.constant([[1.0], [2.0], [3.0]])]),
    "dense_rank1": lambda tf: tf.ragged.cross([RT(tf), tf.constant(["x", "y", "z"])]),
    "ragged_rank2": lambda tf: tf.ragged.cross_hashed([tf.ragged.constant([[["a"]]])]),
    "uniform_inner": lambda tf: tf.ragged.cross([tf.ragged.constant([[["a"]]], ragged_rank=1)]),
    "sparse_batch": lambda tf: tf.ragged.cross([RT(tf), tf.sparse.SparseTensor([[0, 0]], ["q"], [2, 1])]),
    "sparse_sparse_batch": lambda tf: tf.ragged.cross([tf.sparse.SparseTensor([[0, 0]], ["q"], [2, 1]),
                                                       tf.sparse.SparseTensor([[0, 0]], ["q"], [3, 1])]),
    "sparse_rank3": lambda tf: tf.ragged.cross([tf.sparse.SparseTensor([[0, 0, 0]], ["q"], [2, 1, 1])]),
    "not_a_list": lambda tf: tf.ragged.cross(RT(tf)),
}


@pytest.mark.parametrize("case", ERRORS)
def test_cross_errors_match_tf(tf_oracle, case):
    check(ERRORS[case], ff, tf_oracle)


rows = st.lists(st.lists(st.text(max_size=4), max_size=3), min_size=1, max_size=4)


@settings(max_examples=20, deadline=None)
@given(rows, st.integers(-(2**63), 2**63 - 1), st.integers(0, 2**20), st.integers(0, 2**64 - 1))
def test_hashes_are_tfs(tf_oracle, strings, number, buckets, key):
    def run(tf):
        words = tf.ragged.constant(strings, dtype=tf.string)
        numbers = tf.constant([[number]] * len(strings), tf.int64)
        return tf.ragged.cross_hashed([words, numbers], num_buckets=buckets, hash_key=key)

    check(run, ff, tf_oracle)


@pytest.mark.usefixtures("device")
def test_cross_reads_device_inputs_on_the_host():
    # TF's kernel is CPU-only: inputs on a GPU are read on the host, and the cross comes back as on the CPU
    with ff.device("CPU:0"):
        expected = ff.ragged.cross_hashed([RT(ff), DI(ff)], num_buckets=7)
    got = ff.ragged.cross_hashed([RT(ff), DI(ff)], num_buckets=7)
    assert got.to_list() == expected.to_list()
    assert got.row_splits.dtype == ff.int64  # ragged.constant: int64 splits
