"""Dataset.rejection_resample against real TensorFlow: seeded draws bit for bit (with and without initial_dist),
the datasets TF builds for each case, and TF's notice when most elements are rejected."""

from __future__ import annotations

import pytest

import featherflow as ff

from ._oracle import assert_same


def _classes(tf):
    return tf.data.Dataset.from_tensor_slices(tf.constant([0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0,
                                                           0] * 3, tf.int64))


CASES = {
    "estimated": lambda tf: _classes(tf).rejection_resample(lambda x: x, [0.5, 0.5], seed=7),
    "estimated_seed12": lambda tf: _classes(tf).rejection_resample(lambda x: x, [0.5, 0.5], seed=12),
    "initial": lambda tf: _classes(tf).rejection_resample(lambda x: x, [0.5, 0.5], [0.75, 0.25], seed=7),
    "initial_seed3": lambda tf: _classes(tf).rejection_resample(lambda x: x, [0.5, 0.5], [0.75, 0.25], seed=3),
    "already_there": lambda tf: _classes(tf).rejection_resample(lambda x: x, [0.8, 0.2], [0.8, 0.2], seed=7),
    "never_original": lambda tf: _classes(tf).rejection_resample(lambda x: x, [0.5, 0.5], [0.5, 0.0], seed=7),
    "three_classes_tuple": lambda tf: tf.data.Dataset.from_tensor_slices(
        (tf.constant([0, 1, 2, 0, 1, 0, 0, 2, 1, 0] * 4, tf.int64), tf.range(40))).rejection_resample(
        lambda c, x: c, [0.2, 0.3, 0.5], seed=5),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(tf_oracle, name) -> None:
    assert_same(ff, tf_oracle, CASES[name], limit=200)


def test_every_pass_draws_the_same(tf_oracle) -> None:
    for tf in (ff, tf_oracle):
        ds = _classes(tf).rejection_resample(lambda x: x, [0.5, 0.5], [0.75, 0.25], seed=7)
        assert [tuple(map(int, e)) for e in ds] == [tuple(map(int, e)) for e in ds]


def test_high_rejection_notice_matches_tensorflow(tf_oracle, capfd) -> None:
    notices = []
    for tf in (ff, tf_oracle):
        list(_classes(tf).rejection_resample(lambda x: x, [0.5, 0.5], seed=7))
        notices.append([line for line in capfd.readouterr().err.splitlines() if line.startswith("Proportion")])
    assert notices[0] == notices[1] and notices[0]
