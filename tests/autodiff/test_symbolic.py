"""tf.gradients / tf.hessians / tf.AggregationMethod / tf.inside_function answer as eager TF does."""

from __future__ import annotations

import pytest

import featherflow as ff


def test_graph_gradients_raise_tensorflows_eager_error(tf_oracle) -> None:
    for name in ("gradients", "hessians"):
        with pytest.raises(RuntimeError) as ours:
            getattr(ff, name)(ff.constant(1.0), ff.constant(2.0))
        with pytest.raises(RuntimeError) as theirs:
            getattr(tf_oracle, name)(tf_oracle.constant(1.0), tf_oracle.constant(2.0))
        assert str(ours.value) == str(theirs.value)


def test_aggregation_method_and_inside_function_as_tensorflow(tf_oracle) -> None:
    for name in ("ADD_N", "DEFAULT", "EXPERIMENTAL_TREE", "EXPERIMENTAL_ACCUMULATE_N"):
        assert getattr(ff.AggregationMethod, name) == getattr(tf_oracle.AggregationMethod, name)
    assert ff.inside_function() is tf_oracle.inside_function() is False

    @ff.function
    def body():
        return ff.inside_function(), ff.executing_eagerly()

    assert body() == (False, True)  # featherflow's function bodies run eagerly: no graph is being built
