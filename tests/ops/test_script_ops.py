"""tf.py_function and tf.numpy_function in eager mode against TF: results, Tout handling, gradients and errors."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

CASES = [
    ("py_function", lambda m: m.py_function(lambda x: x * 2, [m.constant(1.5)], Tout=m.float32)),
    ("py_function", lambda m: m.py_function(lambda x, y: (x * 2, y), [1.0, 2], Tout=[m.float32, m.int32])),
    ("py_function", lambda m: m.py_function(lambda x: [x * 2], [1.0], Tout=[m.float32])),
    ("py_function", lambda m: m.py_function(lambda x: None, [1.0], Tout=[])),
    ("py_function", lambda m: m.py_function(lambda x: 3, [1], Tout=m.float32)),
    ("py_function", lambda m: m.py_function(lambda x: type(x).__name__ == "EagerTensor" or
                                            type(x).__name__ == "Tensor", [1.0], Tout=m.bool)),
    ("numpy_function", lambda m: m.numpy_function(lambda x: x * 2, [np.array([1.0, 2.0])], Tout=m.float64)),
    ("numpy_function", lambda m: m.numpy_function(lambda x: x * 2, [np.array([1.0, 2.0])], Tout=m.float32)),
    ("numpy_function", lambda m: m.numpy_function(lambda x: type(x).__name__, [[1.0]], Tout=m.string)),
    ("numpy_function", lambda m: m.numpy_function(lambda x: 3, [[1.0]], Tout=[m.float32])),
    ("numpy_function", lambda m: m.numpy_function(lambda x: [x, [x]], [m.constant(1.0)], Tout=[m.float32])),
    ("numpy_function", lambda m: m.numpy_function(lambda x: [x], [1.0], Tout=[m.float32])),
    ("numpy_function", lambda m: m.numpy_function(lambda a, b: (a + b, a.dtype.name), [1, 2.5], Tout=[m.int32, m.string],
                                                  stateful=False)),
]


def _values(y):
    return [(np.asarray(t), t.dtype.name) for t in y] if isinstance(y, list) else (np.asarray(y), y.dtype.name)


@pytest.mark.parametrize("case", range(len(CASES)))
def test_results_match_tf(tf_oracle, case) -> None:
    _, fn = CASES[case]
    want, got = _values(fn(tf_oracle)), _values(fn(ff))
    assert type(want) is type(got)
    for (a, ad), (b, bd) in (zip(got, want) if isinstance(want, list) else [(got, want)]):
        np.testing.assert_array_equal(a, b)
        assert ad == bd


@pytest.mark.parametrize("api", ["py_function", "numpy_function"])
def test_gradients_match_tf(tf_oracle, api) -> None:
    results = []
    for mod in (tf_oracle, ff):
        x = mod.Variable(2.0)
        with mod.GradientTape() as tape:
            y = getattr(mod, api)(lambda a: a * a * 3.0, [x], Tout=mod.float32)
        g = tape.gradient(y, x)
        results.append(None if g is None else float(g))
    assert results[0] == results[1]


def test_decorator_form() -> None:
    @ff.py_function(Tout=ff.float32)
    def plus_one(a):
        return a + 1

    assert float(plus_one(ff.constant(1.0))) == 2.0
    with pytest.raises(TypeError, match="Missing required argument: 'Tout'"):
        ff.py_function(lambda x: x, [1.0])


@pytest.mark.parametrize("exc, error", [(lambda: 1 / 0, "UnknownError"), (lambda: int("x"), "InvalidArgumentError"),
                                        (lambda: next(iter([])), "OutOfRangeError")])
def test_exceptions_become_tf_errors(tf_oracle, exc, error) -> None:
    for mod in (tf_oracle, ff):
        with pytest.raises(getattr(mod.errors, error)) as e:
            mod.py_function(lambda x: exc(), [1.0], Tout=mod.float32)
        assert str(e.value).startswith("{{function_node __wrapped__EagerPyFunc_Tin_1_Tout_1_device_")


def test_numpy_function_exceptions_propagate(tf_oracle) -> None:
    for mod in (tf_oracle, ff):
        with pytest.raises(ZeroDivisionError):
            mod.numpy_function(lambda x: 1 / 0, [1.0], Tout=mod.float32)
