"""tf.ragged_fill_empty_rows and tf.ragged_fill_empty_rows_grad (RaggedFillEmptyRows and its gradient op) against
real TensorFlow: values, dtypes, errors, the gradient through the tape; the simulated GPU."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff

from .._device_support import check

CASES = [
    ([0, 0, 2], [1.0, 2.0, 3.0], 4, 9.0),
    ([1, 0], [1.0, 2.0], 3, 0.0),  # unsorted row ids: each row's values in input order
    ([], np.zeros(0, np.float32), 2, 7.0),
    ([0, 1, 2], [1, 2, 3], 3, -1),
    ([2, 2, 0, 2], np.array([1.5, 2.5, 3.5, 4.5]), 5, 0.5),
    ([0, 1], ["a", "b"], 3, "z"),
    # errors
    ([0, 5], [1.0, 2.0], 3, 0.0),
    ([0, -1], [1.0, 2.0], 3, 0.0),
    ([0, 1], [1.0, 2.0, 3.0], 3, 0.0),
    ([0, 1], [[1.0, 2.0], [3.0, 4.0]], 3, 0.0),
    ([0, 1], [1.0, 2.0], 3, [0.0]),
    ([0, 1], [1.0, 2.0], 3, 1),  # default_value of another dtype
]


def _run(m, ids, values, nrows, default):
    return m.ragged_fill_empty_rows(m.constant(ids, m.int64), m.constant(values), m.constant(nrows, m.int64),
                                    m.constant(default))


@pytest.mark.parametrize("ids,values,nrows,default", CASES, ids=[str(i) for i in range(len(CASES))])
def test_matches_tensorflow(tf_oracle, ids, values, nrows, default):
    results = []
    for m in (ff, tf_oracle):
        try:
            results.append(_run(m, ids, values, nrows, default))
        except Exception as e:  # noqa: BLE001 - compared below
            results.append(e)
    ours, theirs = results
    if isinstance(theirs, Exception):
        assert type(ours).__name__ == type(theirs).__name__, (ours, theirs)
        # (TF's eager runtime leaves the " name: " tail off the first error a new kernel raises in a process)
        assert str(ours).removesuffix(" name: ") == str(theirs).removesuffix(" name: ")
        return
    assert type(ours).__name__ == type(theirs).__name__ == "RaggedFillEmptyRows"
    for a, b in zip(ours, theirs):
        assert a.dtype.name == b.dtype.name
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=10), st.integers(0, 3))
def test_random_row_ids(tf_oracle, ids, extra):
    nrows = (max(ids) + 1 if ids else 0) + extra
    values = np.arange(len(ids), dtype=np.float64) + 0.5
    ours, theirs = _run(ff, ids, values, nrows, np.float64(-1)), _run(tf_oracle, ids, values, nrows, np.float64(-1))
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_grad_op(tf_oracle):
    for m in (ff, tf_oracle):
        d_values, d_default = m.ragged_fill_empty_rows_grad(m.constant([0, 1, 3], m.int64), [1.0, 2.0, 3.0, 4.0, 5.0])
        assert d_values.numpy().tolist() == [1.0, 2.0, 4.0] and float(d_default) == 8.0
    errors = []
    for m in (ff, tf_oracle):
        with pytest.raises(m.errors.InvalidArgumentError) as info:
            m.ragged_fill_empty_rows_grad(m.constant([0, 1], m.int64), [1.0])
        errors.append(str(info.value).removesuffix(" name: "))
    assert errors[0] == errors[1]


def test_gradient_through_the_tape(tf_oracle):
    def grads(m):
        values, default = m.constant([1.0, 2.0, 3.0], m.float64), m.constant(0.5, m.float64)
        with m.GradientTape() as tape:
            tape.watch([values, default])
            out = m.ragged_fill_empty_rows(m.constant([0, 0, 3], m.int64), values, m.constant(5, m.int64), default)
            loss = m.reduce_sum(out.output_values * m.constant(np.arange(1.0, 7.0)))
        return [g.numpy() for g in tape.gradient(loss, [values, default])]

    for ours, theirs in zip(grads(ff), grads(tf_oracle)):
        np.testing.assert_array_equal(ours, theirs)


def test_runs_on_the_device(device):
    def case(t):
        return ff.ragged_fill_empty_rows(t["ids"], t["values"], ff.constant(4, ff.int64), t["default"]).output_values

    def inputs():
        return {"ids": ff.constant([0, 0, 2], ff.int64), "values": ff.constant([1.0, 2.0, 3.0], ff.float64),
                "default": ff.constant(9.0, ff.float64)}

    # nrows is read on the host (TF keeps it in host memory): one download of the scalar made in the case
    check(device, inputs, case, "values", moved=(1, 1))
