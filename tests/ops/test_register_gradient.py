"""tf.RegisterGradient and tf.no_gradient: TF's errors, and gradients of ops registered by name."""

from __future__ import annotations

import pytest

import featherflow as ff
from featherflow.ops.registry import ANY, OPS, PENDING_GRADIENTS, register


@pytest.fixture
def cleanup():
    names: list = []
    yield names
    for name in names:
        OPS.pop(name, None)
        PENDING_GRADIENTS.pop(name, None)


@pytest.mark.parametrize("register_it", [lambda m: m.no_gradient("AddV2"),
                                         lambda m: m.RegisterGradient("Sin")(lambda op, g: g),
                                         lambda m: m.no_gradient(3), lambda m: m.RegisterGradient(3)])
def test_errors_match_tf(tf_oracle, register_it) -> None:
    errors = []
    for mod in (tf_oracle, ff):
        with pytest.raises(Exception) as e:
            register_it(mod)
        errors.append((type(e.value).__name__, str(e.value).split(" (Previous")[0]))
    assert errors[0] == errors[1]


def test_a_gradient_registered_before_its_op(cleanup) -> None:
    cleanup.append("FfTestTriple")

    @ff.RegisterGradient("FfTestTriple")
    def _(op, grad):
        assert op.type == "FfTestTriple" and len(op.inputs) == 1 and len(op.outputs) == 1
        assert op.get_attr("scale") == 3.0
        return [grad * op.get_attr("scale")]

    @register("FfTestTriple", dtypes=ANY)
    def triple(xp, x, scale):
        return x * scale

    x = ff.Variable([1.0, 2.0])
    with ff.GradientTape() as tape:
        y = triple(x * 1.0, scale=3.0)
    assert tape.gradient(y, x).numpy().tolist() == [3.0, 3.0]
    with pytest.raises(KeyError, match="Registering two gradient with name 'FfTestTriple'"):
        ff.no_gradient("FfTestTriple")


def test_a_gradient_registered_for_an_existing_op_without_one(cleanup) -> None:
    cleanup.append("FfTestTwoOut")

    @register("FfTestTwoOut", n_outputs=2, dtypes=ANY)
    def two(xp, x):
        return x * 2, x * 5

    with ff.GradientTape() as tape:
        x = ff.constant([1.0])
        tape.watch(x)
        a, _ = two(x)
    with pytest.raises(LookupError):
        tape.gradient(a, x)

    @ff.RegisterGradient("FfTestTwoOut")
    def _(op, ga, gb):  # the unused output's gradient comes as zeros
        return ga * 2.0 + gb * 5.0

    with ff.GradientTape() as tape:
        tape.watch(x)
        a, _ = two(x)
    assert tape.gradient(a, x).numpy().tolist() == [2.0]


def test_no_gradient_makes_an_op_not_differentiable(cleanup) -> None:
    cleanup.append("FfTestNoGrad")
    ff.no_gradient("FfTestNoGrad")
    op = register("FfTestNoGrad", dtypes=ANY)(lambda xp, x: x * 2)
    assert not op.differentiable
    x = ff.Variable(1.0)
    with ff.GradientTape() as tape:
        y = op(x * 1.0)
    assert tape.gradient(y, x) is None
