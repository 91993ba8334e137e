"""Gradient declarations (issue 9, point 1): "not differentiable" and "no gradient registered" are two
declarations, each with TF's behaviour.

Every op featherflow shares with TF is declared as TF's gradient registry has it: a gradient function (which
may give None for every input, as Floor's), NotDifferentiable (a registry entry of None), or no entry.
Under ``tape.gradient`` the first gives the rule's values, the second None, the third TF's LookupError; a
NotDifferentiable op is still on the tape (its outputs are watched), only ``tf.stop_gradient`` is not.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff
import featherflow.ops
from featherflow.ops.registry import OPS

for _module in pkgutil.walk_packages(featherflow.ops.__path__, "featherflow.ops."):  # the family subpackages too
    importlib.import_module(_module.name)

GRADIENT, NOT_DIFFERENTIABLE, NO_ENTRY = "gradient function", "NotDifferentiable", "no entry"

# featherflow's own ops, which TF builds from others: each declared as what TF's composition gives
_COMPOSITES = {
    "ArgSort": GRADIENT,  # TopKV2: zeros
    "ConfusionMatrix": GRADIENT,  # ScatterNd of the weights
    "CountNonzero": NOT_DIFFERENTIABLE,  # NotEqual, then integer ops: None
    "Eye": NOT_DIFFERENTIABLE,  # no inputs
    "GatherDropNegatives": GRADIENT,
    "GatherGrad": GRADIENT,
    "NonMaxSuppressionPaddedV2": NOT_DIFFERENTIABLE,  # tf.image.non_max_suppression_padded: int indices
    "GatherNdGrad": GRADIENT,
    "PutAlongAxis": GRADIENT,
    "Repeat": GRADIENT,
    "RepeatGrad": GRADIENT,
    "RngSkipState": NOT_DIFFERENTIABLE,  # a generator's int64 state (TF's RngReadAndSkip): on no tape either way
    "SparseDenseCwiseGather": GRADIENT,  # the dense operand at the sparse entries (sparse * dense gradients)
    "SparseSegmentScale": NOT_DIFFERENTIABLE,  # each segment's count or its root: from the ids alone
    "TakeAlongAxis": GRADIENT,
    "TopKGather": GRADIENT,
    "TopKScatter": GRADIENT,
}


def _declared(name: str) -> str:
    op = OPS[name]
    if not op.differentiable:
        return NOT_DIFFERENTIABLE
    return GRADIENT if op.grad is not None else NO_ENTRY


def _featherflow_ops() -> list:
    return sorted(n for n, op in OPS.items() if op.forward.__module__.startswith("featherflow."))


def test_declarations_match_tf_gradient_registry(tf_oracle) -> None:
    from tensorflow.python.framework import op_def_registry
    from tensorflow.python.framework import ops as tf_ops

    registry = tf_ops._gradient_registry._registry
    shared = [n for n in _featherflow_ops() if op_def_registry.get(n) is not None]
    assert len(shared) > 200
    wrong = {}
    for name in shared:
        tf_class = NO_ENTRY if name not in registry else (
            NOT_DIFFERENTIABLE if registry[name]["type"] is None else GRADIENT)
        if _declared(name) != tf_class:
            wrong[name] = (_declared(name), tf_class)
    assert not wrong, f"(featherflow, TF) declarations that differ: {wrong}"
    own = {n: _declared(n) for n in _featherflow_ops() if op_def_registry.get(n) is None}
    assert own == _COMPOSITES


# --- tape.gradient end to end, against TF ---------------------------------------------------------------

_X = [[1.5, -2.5, 3.0], [0.5, 4.0, -1.0]]
_A = [1.5, 2.5, 3.0]


def _cases(tf: Any) -> dict[str, tuple[Callable, list]]:
    """name -> (target as a function of the watched source, the source's value)."""
    return {
        # gradient functions with values
        "matmul": (lambda v: tf.matmul(v, v, transpose_b=True), _X),
        "argsort ascending": (lambda v: tf.argsort(v), _X),
        "argsort descending": (lambda v: tf.argsort(v, direction="DESCENDING"), _X),
        "argsort axis 0": (lambda v: tf.argsort(v, axis=0), _X),  # None: TF transposes the indices back
        "confusion_matrix weights": (lambda w: tf.math.confusion_matrix([0, 1, 1], [1, 1, 0], weights=w,
                                                                         dtype=tf.float32), _A),
        # gradient functions giving None for every input
        "floor": (tf.floor, _X),
        "ceil": (tf.math.ceil, _X),
        "round": (tf.round, _X),
        "rint": (tf.math.rint, _X),
        "argmax": (lambda v: tf.argmax(v), _X),
        "argmin": (lambda v: tf.argmin(v, axis=1), _X),
        # NotDifferentiable
        "zeros_like": (tf.zeros_like, _X),
        "ones_like": (tf.ones_like, _X),
        "equal": (lambda v: tf.equal(v, 1.5), _X),
        "shape": (tf.shape, _X),
        "shuffle": (lambda v: tf.random.shuffle(v, seed=1), _X),
        "count_nonzero": (tf.math.count_nonzero, _X),
        "confusion_matrix labels": (lambda v: tf.math.confusion_matrix(v, [1, 1, 0]), [0.0, 1.0, 1.0]),
        "stop_gradient": (tf.stop_gradient, _X),
        # no gradient registered
        "is_nan": (tf.math.is_nan, _X),
        "is_finite": (tf.math.is_finite, _X),
        "where": (tf.where, _X),
        "unique": (lambda v: tf.unique(tf.reshape(v, [-1])).y, _X),
        "unique idx": (lambda v: tf.unique(tf.reshape(v, [-1])).idx, _X),
        "bitcast": (lambda v: tf.bitcast(v, tf.int32), _X),
        "bincount weights": (lambda w: tf.math.bincount([0, 1, 1], weights=w), _A),
        "in_top_k": (lambda v: tf.math.in_top_k([0, 1], v, 1), _X),
        "truncatemod": (lambda v: tf.truncatemod(v, 2.0), _X),
        "poisson": (lambda lam: tf.reduce_sum(tf.random.poisson([3], lam)), _A),
        "stateless_shuffle": (lambda v: tf.random.experimental.stateless_shuffle(v, seed=[1, 2]), _X),
        # searchsorted reshapes LowerBound's (integer) result: the target is on no tape
        "searchsorted": (lambda v: tf.searchsorted(v, v), _X),
    }


def _outcome(tf: Any, name: str) -> Any:
    fn, value = _cases(tf)[name]
    x = tf.constant(value)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    try:
        g = tape.gradient(y, x)
    except LookupError as e:
        return "LookupError", str(e)
    return None if g is None else g.numpy()


@pytest.mark.parametrize("name", sorted(_cases(ff)))
def test_tape_gradient_gives_what_tensorflow_gives(tf_oracle, device, name: str) -> None:
    want, got = _outcome(tf_oracle, name), _outcome(ff, name)
    if want is None or isinstance(want, tuple):
        assert not isinstance(got, np.ndarray) and got == want, got
    else:
        assert isinstance(got, np.ndarray) and got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=1e-6)
        np.testing.assert_array_equal(np.signbit(got), np.signbit(want))  # argsort's -0.0


@pytest.mark.parametrize("op", ["floor", "zeros_like", "equal_cast"])
def test_outputs_of_ops_without_gradient_are_on_the_tape(tf_oracle, op: str) -> None:
    """TF records every op with a watched input: a gradient for the output of Floor or of a NotDifferentiable
    op exists, though none passes back to its input."""

    def run(tf: Any) -> tuple:
        x = tf.constant([1.5, 2.5])
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = {"floor": tf.floor, "zeros_like": tf.zeros_like,
                 "equal_cast": lambda v: tf.cast(tf.equal(v, 1.5), tf.float32)}[op](x)
            z = y * y + y
        return tuple(None if g is None else g.numpy().tolist() for g in tape.gradient(z, [y, x]))

    assert run(ff) == run(tf_oracle)


def test_stop_gradient_output_is_on_no_tape(tf_oracle) -> None:
    def run(tf: Any) -> tuple:
        x = tf.constant([1.5, 2.5])
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = tf.stop_gradient(x)
            z = y * 2 + tf.reduce_logsumexp(x)  # logsumexp's own stop_gradient
        return tuple(None if g is None else g.numpy().tolist() for g in tape.gradient(z, [y, x]))

    got, want = run(ff), run(tf_oracle)
    assert got[0] is None and want[0] is None
    np.testing.assert_allclose(got[1], want[1], rtol=1e-6)


def test_mixed_dtype_matmul_gradient_raises_as_tensorflow(tf_oracle) -> None:
    """BatchMatMulV3 (int8 x bfloat16) has TF's V2 rule, whose products of mixed dtypes raise."""
    for tf in (ff, tf_oracle):
        x = tf.ones([1, 2, 2], tf.int8)
        y = tf.cast(tf.fill([1, 2, 2], 1.5), tf.bfloat16)
        with tf.GradientTape() as tape:
            tape.watch(y)
            z = tf.matmul(x, y, output_type=tf.bfloat16)
        with pytest.raises(tf.errors.InvalidArgumentError, match="BatchMatMulV2"):
            tape.gradient(z, y)


# --- the Gamma sampler's gradient (TF's RandomGammaGrad) ---------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_random_gamma_grad_kernel_matches_tensorflow(tf_oracle, dtype: Any) -> None:
    rng = np.random.default_rng(0)
    alpha = rng.uniform(0.01, 30.0, 300)
    # both branches of Eigen's kernel (series, continued fraction), and its edge cases
    alpha = np.concatenate([alpha, [0.5, 1, 2, 1e-3, 100, 0, -1, np.nan, 2, 3]]).astype(dtype)
    sample = np.concatenate([rng.gamma(alpha[:300]), [0, 3, 1e-20, 1e-30, 90, 1, 1, 1, np.inf, 1e3]]).astype(dtype)
    want = tf_oracle.raw_ops.RandomGammaGrad(alpha=alpha, sample=sample).numpy()
    got = OPS["RandomGammaGrad"](ff.constant(alpha), ff.constant(sample)).numpy()
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=2e-5 if dtype == np.float32 else 1e-12, atol=1e-30)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(want))


def test_gamma_samples_are_differentiable_in_alpha(tf_oracle, device) -> None:
    """featherflow's samples are not TF's bits: the gradient is checked against TF's kernel on them."""
    alpha, beta = ff.constant([[0.5], [2.0]]), ff.constant([1.0, 3.0])
    with ff.GradientTape(persistent=True) as tape:
        tape.watch(alpha)
        samples = ff.random.gamma([4], alpha, beta=beta, seed=3)
        stateless = ff.random.stateless_gamma([4, 2, 2], seed=[1, 2], alpha=alpha, beta=beta)
    for drawn in (samples, stateless):
        g = tape.gradient(drawn, alpha).numpy()
        unit = drawn.numpy() * np.broadcast_to(beta.numpy(), drawn.shape)  # the Gamma(alpha, 1) draws
        a = np.broadcast_to(alpha.numpy(), drawn.shape)
        partial = tf_oracle.raw_ops.RandomGammaGrad(alpha=a, sample=unit).numpy()
        want = (partial / beta.numpy()).reshape(-1, 2, 2).sum(axis=(0, 2)).reshape(2, 1)
        np.testing.assert_allclose(g, want, rtol=1e-5)
