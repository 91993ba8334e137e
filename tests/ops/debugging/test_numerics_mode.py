"""``tf.debugging.enable_check_numerics`` / ``disable_check_numerics`` against real TF, the exact restoring of
the registry's forwards, the per-thread mode, the device reads it makes (none while off), and the
traceback-filtering switch and ``tf.debugging.experimental``."""

from __future__ import annotations

import threading
from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff
from featherflow.ops.registry import OPS

from ...conftest import assert_no_transfers

INF, NAN = float("inf"), float("nan")

# each case: tf module -> the op run (its message is compared with TF's)
CASES: dict[str, Callable[[Any], Any]] = {
    "log_neg_inf": lambda tf: tf.math.log(tf.constant([0.0, 1.0])),
    "div_pos_inf": lambda tf: tf.constant([1.0, 2.0]) / tf.constant([0.0, 1.0]),
    "sqrt_inf_nan": lambda tf: tf.math.sqrt(tf.constant([-1.0, INF, -INF, 2.0, -3.0])),
    "add_nan_f64": lambda tf: tf.add(tf.constant(NAN, tf.float64), 1.0),
    "sub_2d_all_kinds": lambda tf: tf.constant([[0.0, INF], [NAN, 1.0]]) - tf.constant([[INF], [0.0]]),
    "cast_overflow": lambda tf: tf.cast(tf.constant([1e300], tf.float64), tf.float32),
    "half": lambda tf: tf.constant([60000.0], tf.float16) * tf.constant(2.0, tf.float16),
}
# ops TF's callback never checks (they only move values), and outputs that are not floats
UNCHECKED: dict[str, Callable[[Any], Any]] = {
    "identity": lambda tf: tf.identity(tf.constant([NAN])),
    "reshape": lambda tf: tf.reshape(tf.constant([1.0, INF]), [2, 1]),
    "concat": lambda tf: tf.concat([tf.constant([NAN]), tf.constant([1.0])], 0),
    "transpose": lambda tf: tf.transpose(tf.constant([[NAN, 1.0]])),
    "maximum": lambda tf: tf.maximum(tf.constant([NAN]), 1.0),
    "int_div": lambda tf: tf.constant([1, 2]) // tf.constant([1, 1]),
    "is_nan": lambda tf: tf.math.is_nan(tf.constant([NAN])),
}


@pytest.fixture
def checking():
    ff.debugging.enable_check_numerics()
    try:
        yield
    finally:
        ff.debugging.disable_check_numerics()


def _error(tf: Any, case: Callable) -> tuple[type, str]:
    try:
        case(tf)
    except Exception as e:  # noqa: BLE001 - the class and text are what is compared
        return type(e).__name__, str(e)
    return None, ""


@pytest.mark.parametrize("name", sorted(CASES))
def test_message_matches_tf(tf_oracle, checking, name):
    tf_oracle.debugging.enable_check_numerics()
    try:
        expected = _error(tf_oracle, CASES[name])
    finally:
        tf_oracle.debugging.disable_check_numerics()
    assert expected[0] == "InvalidArgumentError"
    assert _error(ff, CASES[name]) == expected
    with pytest.raises(ff.errors.InvalidArgumentError):
        CASES[name](ff)


@pytest.mark.parametrize("name", sorted(UNCHECKED))
def test_unchecked_ops_pass(tf_oracle, checking, name):
    tf_oracle.debugging.enable_check_numerics()
    try:
        expected = np.asarray(UNCHECKED[name](tf_oracle))
    finally:
        tf_oracle.debugging.disable_check_numerics()
    np.testing.assert_array_equal(UNCHECKED[name](ff).numpy(), expected)


def test_disable_restores_every_forward_exactly():
    before = {name: op.forward for name, op in OPS.items()}
    ff.debugging.disable_check_numerics()  # off already: nothing to undo, as TF
    assert {name: op.forward for name, op in OPS.items()} == before
    ff.debugging.enable_check_numerics()
    ff.debugging.enable_check_numerics()  # idempotent: one wrapping, one disable undoes it
    try:
        assert OPS["Log"].forward is not before["Log"]
        assert OPS["Identity"].forward is before["Identity"]  # skipped ops keep their forward
        with pytest.raises(ff.errors.InvalidArgumentError):
            ff.math.log(0.0)
    finally:
        ff.debugging.disable_check_numerics()
    assert all(OPS[name].forward is forward for name, forward in before.items())
    assert ff.math.log(0.0).numpy() == -np.inf


def test_finite_values_and_gradients_pass(checking):
    x = ff.constant([1.0, 4.0], ff.float64)
    with ff.GradientTape() as tape:
        tape.watch(x)
        y = ff.reduce_sum(ff.math.sqrt(x) * 3.0)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), 1.5 / np.sqrt([1.0, 4.0]))


def test_gradient_ops_are_checked(checking):
    x = ff.constant(0.0)
    with ff.GradientTape() as tape:
        tape.watch(x)
        y = ff.math.sqrt(x)  # 0: finite; its gradient 0.5 / sqrt(0) is not
    with pytest.raises(ff.errors.InvalidArgumentError, match="Tensor had \\+Inf values"):
        tape.gradient(y, x)


def test_mode_is_per_thread(checking):
    seen: list = []

    def other() -> None:
        seen.append(ff.math.log(0.0).numpy())  # this thread never enabled the mode

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert seen == [-np.inf]
    with pytest.raises(ff.errors.InvalidArgumentError):
        ff.math.log(0.0)


def test_device_reads(device):
    from featherflow.backends import simulated

    x = ff.constant([0.0, 1.0])
    with assert_no_transfers():  # off: the forwards are the registry's own, nothing is read back
        ff.math.log(x)
    ff.debugging.enable_check_numerics()
    try:
        before = simulated.transfers()
        y = ff.math.exp(x)  # finite: one flag read back per checked output on a GPU, as TF's kernel
        after = simulated.transfers()
        assert (after[0] - before[0], after[1] - before[1]) == ((0, 1) if device == "GPU" else (0, 0))
        assert y.device.endswith(f"{device}:0")
        with pytest.raises(ff.errors.InvalidArgumentError, match=f"device:{device}:0"):
            ff.math.log(x)
    finally:
        ff.debugging.disable_check_numerics()


def test_traceback_filtering_switch(tf_oracle):
    assert ff.debugging.is_traceback_filtering_enabled() is tf_oracle.debugging.is_traceback_filtering_enabled()
    try:
        assert ff.debugging.disable_traceback_filtering() is None
        assert ff.debugging.is_traceback_filtering_enabled() is False
        seen: list = []
        t = threading.Thread(target=lambda: seen.append(ff.debugging.is_traceback_filtering_enabled()))
        t.start()
        t.join()
        assert seen == [True]  # per thread, as TF's flag
    finally:
        assert ff.debugging.enable_traceback_filtering() is None
    assert ff.debugging.is_traceback_filtering_enabled() is True


def test_dump_debug_info_refused(tf_oracle, tmp_path):
    public = {n for n in dir(tf_oracle.debugging.experimental) if not n.startswith("_")}
    assert public <= {n for n in dir(ff.debugging.experimental) if not n.startswith("_")}
    with pytest.raises(NotImplementedError, match="enable_dump_debug_info"):
        ff.debugging.experimental.enable_dump_debug_info(str(tmp_path), tensor_debug_mode="FULL_HEALTH")
    assert ff.debugging.experimental.disable_dump_debug_info() is None


def test_ops_registered_while_on_are_checked_and_restored():
    from featherflow.ops.registry import register

    name = "FeatherflowTestNumericsModeOp"
    ff.debugging.enable_check_numerics()
    try:
        @register(name, dtypes=frozenset({ff.float32}))
        def late(xp: Any, x: Any) -> Any:
            return x + xp.full_like(x, float("inf"))

        own = OPS[name].forward
        with pytest.raises(ff.errors.InvalidArgumentError, match=f'op "{name}"'):
            late(ff.constant([1.0]))
    finally:
        ff.debugging.disable_check_numerics()
    try:
        assert OPS[name].forward is not own  # the registry's own forward is back
        assert late(ff.constant([1.0])).numpy()[0] == np.inf
    finally:
        del OPS[name]
