"""ops.dispatch: overrides per (API, argument types), elementwise handlers, and the normal path left alone."""

from __future__ import annotations

import pytest

import featherflow as ff
from featherflow.ops import dispatch
from featherflow.ops.math import api as math_api


class Box:
    """A composite value of this test's own: not convertible to a Tensor."""

    def __init__(self, value: list) -> None:
        self.value = value


@pytest.fixture
def clean_registry():
    saved = ({k: list(v) for k, v in dispatch._OVERRIDES.items()}, list(dispatch._UNARY_HANDLERS),
             list(dispatch._BINARY_HANDLERS), set(dispatch._DISPATCH_TYPES))
    yield
    dispatch._OVERRIDES.clear()
    dispatch._OVERRIDES.update(saved[0])
    dispatch._UNARY_HANDLERS[:] = saved[1]
    dispatch._BINARY_HANDLERS[:] = saved[2]
    dispatch._DISPATCH_TYPES.clear()
    dispatch._DISPATCH_TYPES.update(saved[3])


def test_override_by_signature(clean_registry) -> None:
    @dispatch.dispatch_for_api(ff.reduce_sum, {"input_tensor": Box})
    def box_sum(input_tensor, axis=None, keepdims=False, name=None):
        return ("box", sum(input_tensor.value), axis)

    assert ff.reduce_sum(Box([1, 2, 3]), axis=0) == ("box", 6, 0)
    assert ff.reduce_sum(input_tensor=Box([4]), keepdims=True) == ("box", 4, None)
    assert ff.reduce_sum([1, 2]).numpy() == 3  # the normal path


def test_override_from_annotations(clean_registry) -> None:
    @dispatch.dispatch_for_api(ff.size)
    def box_size(input: Box, out_type=None, name=None):  # noqa: A002
        return len(input.value)

    assert ff.size(Box([1, 2])) == 2


def test_list_signature_matches_mixed_lists(clean_registry) -> None:
    @dispatch.dispatch_for_api(ff.concat, {"values": list[Box]})
    def box_concat(values, axis, name="concat"):
        return [v.value if isinstance(v, Box) else v for v in values]

    assert ff.concat([Box([1]), [2]], 0) == [[1], [2]]
    assert ff.concat([[1], [2]], 0).numpy().tolist() == [1, 2]


def test_no_override_raises_the_original_error(clean_registry) -> None:
    with pytest.raises(ValueError, match="Attempt to convert a value"):
        ff.reduce_sum(Box([1]))
    with pytest.raises(ValueError, match="Attempt to convert a value"):
        ff.multiply(Box([1]), 2)
    with pytest.raises(ValueError, match="Attempt to convert a value"):
        ff.exp(Box([1.0]))


def test_unknown_parameter_is_refused() -> None:
    with pytest.raises(ValueError, match="unexpected parameter 'x'"):
        dispatch.dispatch_for_api(ff.reduce_sum, {"x": Box})(lambda x: x)


def test_elementwise_handlers(clean_registry) -> None:
    @dispatch.dispatch_for_unary_elementwise_apis(Box)
    def unary(api, x, *args, **kwargs):
        return Box([api(v).numpy().item() for v in x.value])

    @dispatch.dispatch_for_binary_elementwise_apis(Box, object)
    def binary(api, x, y, **kwargs):
        return Box([api(v, y).numpy().item() for v in x.value])

    assert ff.math.negative(Box([1, 2])).value == [-1, -2]
    assert ff.abs(Box([-3])).value == [3]
    assert ff.multiply(Box([1, 2]), 10).value == [10, 20]
    assert ff.math.truediv(Box([1]), 2).value == [0.5]
    assert math_api.add in dispatch.binary_elementwise_apis()
    assert math_api.exp in dispatch.unary_elementwise_apis()


def test_experimental_namespace_exports_the_registration() -> None:
    assert ff.experimental.dispatch_for_api is dispatch.dispatch_for_api
    assert ff.experimental.dispatch_for_unary_elementwise_apis is dispatch.dispatch_for_unary_elementwise_apis


def test_ops_on_tensors_never_enter_dispatch(monkeypatch) -> None:
    """Plain Tensors never reach the dispatch code (its cost is paid only after a conversion fails); speed
    itself is the benchmark's (benchmarks/run.py small_ops), not a timed assertion here."""

    def refuse(*args, **kwargs):
        raise AssertionError("dispatch entered for plain tensors")

    for name in ("fallback", "find", "dispatch_first"):
        monkeypatch.setattr(dispatch, name, refuse)
    x, y = ff.constant([1.0, 2.0]), ff.constant([3.0, 4.0])
    assert ff.add(x, y).numpy().tolist() == [4.0, 6.0]
    assert ff.add(x, 1.0).numpy().tolist() == [2.0, 3.0]
    assert ff.exp(ff.constant(0.0)).numpy() == 1.0
    assert ff.reduce_sum(x).numpy() == 3.0
    assert ff.concat([x, y], 0).shape == (4,)
