"""tf.function against TensorFlow: decorator forms, binding and input_signature errors, argument conversion, result
conversion, methods, get_concrete_function and tf.config.run_functions_eagerly."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff


def outcome(fn, mod):
    try:
        return "ok", repr(fn(mod))
    except Exception as e:  # noqa: BLE001 - the error's type and text are compared
        return type(e).__name__, str(e)


def f_double(x):
    return x * 2


def f_add(x, y=2):
    return x + y


def f_two(a, b):
    return a


def f_default(a, b=1, c=2):
    return a


def f_star(*args):
    return args[0]


def f_pair(a):
    return a[0] + a[1]


def sig(tf, *specs):
    return [tf.TensorSpec(*s) for s in specs]


CASES = {
    "plain": lambda tf: tf.function(f_add)(1),
    "plain_kwargs": lambda tf: tf.function(f_add)(tf.constant(1), y=tf.constant(2)),
    "decorator_with_options": lambda tf: tf.function(jit_compile=True, reduce_retracing=True, autograph=False,
                                                     experimental_relax_shapes=True)(f_add)(1, 3),
    "missing_argument": lambda tf: tf.function(f_double)(),
    "too_many_arguments": lambda tf: tf.function(f_double)(1, 2),
    "unexpected_keyword": lambda tf: tf.function(f_double)(x=1, y=2),
    "not_callable": lambda tf: tf.function(1),
    "python_results_become_tensors": lambda tf: tf.function(lambda: (1, "a", None, [2.5, np.float32(3)],
                                                                     {"k": True}))(),
    "numpy_result": lambda tf: tf.function(lambda: np.array([1, 2]))(),
    "variable_result": lambda tf: tf.function(lambda v: v)(tf.Variable(1.0)),
    "ragged_result": lambda tf: tf.function(lambda: tf.strings.split(["a b"]))(),
    "signature_converts": lambda tf: tf.function(f_double, input_signature=sig(tf, ([None], tf.float32)))([1, 2]),
    "signature_keyword": lambda tf: tf.function(f_double, input_signature=sig(tf, ([None], tf.float32)))(
        x=tf.constant([1.0, 2.0])),
    "signature_dtype_mismatch": lambda tf: tf.function(f_double, input_signature=sig(tf, ([None], tf.float32)))(
        tf.constant([1, 2])),
    "signature_shape_mismatch": lambda tf: tf.function(f_double, input_signature=sig(tf, ([None], tf.float32)))(
        tf.constant([[1.0, 2.0]])),
    "signature_python_scalar_shape": lambda tf: tf.function(f_double, input_signature=sig(tf, ([None], tf.float32)))(
        1.0),
    "signature_bad_conversion": lambda tf: tf.function(f_two, input_signature=sig(tf, ([2], tf.float32),
                                                                                  ([], tf.int32)))([1.0, 2.0], 2.5),
    "signature_string_conversion": lambda tf: tf.function(f_two, input_signature=sig(tf, ([2], tf.float32),
                                                                                     ([], tf.int32)))("ab", 2),
    "signature_none": lambda tf: tf.function(f_two, input_signature=sig(tf, ([2], tf.float32),
                                                                        ([], tf.int32)))(None, 2),
    "signature_numpy_and_variable": lambda tf: [
        tf.function(f_two, input_signature=sig(tf, ([2], tf.float32), ([], tf.int32)))(a, b)
        for a, b in ((np.array([1.0, 2.0]), 2), (np.array([1.0, 2.0], np.float32), np.int64(2)),
                     (tf.Variable([1.0, 2.0]), True))],
    "signature_too_many": lambda tf: tf.function(f_double, input_signature=sig(tf, ([None], tf.float32)))(
        tf.constant([1.0]), 3),
    "signature_multiple_values": lambda tf: tf.function(f_two, input_signature=sig(tf, ([2], tf.float32),
                                                                                   ([], tf.int32)))([1.0, 2.0], 2, b=3),
    "signature_unexpected_keyword": lambda tf: tf.function(f_two, input_signature=sig(tf, ([2], tf.float32),
                                                                                      ([], tf.int32)))(
        a=[1.0, 2.0], b=2, c=3),
    "signature_literal_defaults": lambda tf: [
        tf.function(f_default, input_signature=sig(tf, ([], tf.int32)))(*args, **kwargs)
        for args, kwargs in (((1,), {}), ((1,), {"c": 2}))],
    "signature_literal_mismatch": lambda tf: tf.function(f_default, input_signature=sig(tf, ([], tf.int32)))(1, 2, 3),
    "signature_literal_keyword_mismatch": lambda tf: tf.function(f_default, input_signature=sig(tf, ([], tf.int32)))(
        1, c=3),
    "signature_missing_constraint": lambda tf: tf.function(f_two, input_signature=sig(tf, ([2], tf.float32))),
    "signature_extra_constraints": lambda tf: tf.function(f_two, input_signature=sig(tf, ([], tf.int32),
                                                                                     ([], tf.int32), ([], tf.int32))),
    "signature_keyword_only": lambda tf: tf.function(lambda a, *, b: a, input_signature=sig(tf, ([], tf.int32))),
    "signature_not_a_list": lambda tf: tf.function(f_double, input_signature=5),
    "signature_bad_entries": lambda tf: tf.function(f_double, input_signature=[1]),
    "signature_varargs": lambda tf: tf.function(f_star, input_signature=sig(tf, ([2], tf.float32)))([1.0, 2.0]),
    "signature_varargs_too_many": lambda tf: tf.function(f_star, input_signature=sig(tf, ([2], tf.float32)))(
        [1.0, 2.0], 3),
    "signature_nested": lambda tf: tf.function(f_pair, input_signature=[[tf.TensorSpec([2]), tf.TensorSpec([])]])(
        [tf.constant([1.0, 2.0]), tf.constant(3.0)]),
    "signature_nested_wrong_kind": lambda tf: tf.function(
        f_pair, input_signature=[[tf.TensorSpec([2]), tf.TensorSpec([])]])((tf.constant([1.0, 2.0]), tf.constant(3.0))),
    "signature_nested_wrong_length": lambda tf: tf.function(
        f_pair, input_signature=[[tf.TensorSpec([2]), tf.TensorSpec([])]])([tf.constant([1.0, 2.0])]),
    "signature_tuple": lambda tf: tf.function(lambda a: a, input_signature=[(tf.TensorSpec([], tf.int32),) * 2])(
        (1, 2)),
    "signature_dict": lambda tf: tf.function(lambda a: a, input_signature=[{"x": tf.TensorSpec([], tf.int32)}])(
        {"x": 1}),
    "signature_dict_keys": lambda tf: tf.function(lambda a: a, input_signature=[{"x": tf.TensorSpec([], tf.int32)}])(
        {"y": 1}),
    "signature_named_spec": lambda tf: tf.function(f_double, input_signature=[tf.TensorSpec([], tf.int32, "zz")])(
        tf.constant(2.0)),
    "signature_unknown_rank": lambda tf: tf.function(lambda a: a, input_signature=[tf.TensorSpec(None, tf.int32)])(
        [[1, 2]]),
    "input_signature_property": lambda tf: tf.function(f_double, input_signature=sig(tf, ([2], tf.float32)))
    .input_signature,
    "concrete_from_signature": lambda tf: tf.function(f_double, input_signature=sig(tf, ([None], tf.float32)))
    .get_concrete_function()(tf.constant([1.0, 2.0])),
    "concrete_signature_structure": lambda tf: [
        tf.function(f_add).get_concrete_function(tf.TensorSpec([], tf.int32)).structured_input_signature,
        tf.function(lambda a: a).get_concrete_function([tf.constant(1), 2]).structured_input_signature,
        tf.function(lambda a: a).get_concrete_function(1).structured_input_signature,
        tf.function(f_double, input_signature=[tf.TensorSpec([2], name="q")]).get_concrete_function()
        .structured_input_signature],
    "concrete_call_converts": lambda tf: tf.function(lambda a: a).get_concrete_function(
        tf.TensorSpec([2], tf.float32))([1.0, 2.0]),
    "concrete_call_other_shape": lambda tf: tf.function(lambda a: a).get_concrete_function(
        tf.TensorSpec([2], tf.float32))(tf.constant([1.0, 2.0, 3.0])),
    "concrete_incompatible_spec": lambda tf: tf.function(
        f_double, input_signature=[tf.TensorSpec([], tf.int32)]).get_concrete_function(tf.TensorSpec([], tf.float32)),
    "name": lambda tf: (tf.function(f_double).__name__, tf.function(lambda a: a).__name__),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(tf_oracle, name):
    assert outcome(CASES[name], ff) == outcome(CASES[name], tf_oracle)


def test_concrete_function_dtype_error_names_the_input():
    concrete = ff.function(f_double, input_signature=[ff.TensorSpec([None], ff.float32)]).get_concrete_function()
    with pytest.raises(ff.errors.InvalidArgumentError, match=r"input #0\(zero-based\) was expected to be a float "
                                                             r"tensor but is a int32 tensor"):
        concrete(ff.constant([1, 2]))
    assert repr(concrete).startswith("<ConcreteFunction (x: TensorSpec(shape=(None,), dtype=tf.float32, name=None))")


def test_decorator_forms_and_python_function():
    @ff.function
    def bare(x):
        return x + 1

    @ff.function()
    def empty_call(x):
        return x + 1

    @ff.function(jit_compile=True, experimental_implements="name", experimental_autograph_options=None)
    def with_options(x):
        return x + 1

    for f in (bare, empty_call, with_options):
        assert f(1).numpy() == 2
        assert f.python_function(1) == 2
        assert f.__wrapped__ is f.python_function


class Counter:
    def __init__(self):
        self.k = ff.Variable(3)
        self.calls = 0

    @ff.function
    def scale(self, x):
        self.calls += 1
        return x * self.k

    @ff.function(input_signature=[ff.TensorSpec([], ff.int32)])
    def scale_signed(self, x):
        return x * self.k


def test_methods_bind_per_instance():
    a, b = Counter(), Counter()
    b.k.assign(5)
    assert a.scale(ff.constant(2)).numpy() == 6
    assert b.scale(ff.constant(2)).numpy() == 10
    assert a.scale is a.scale and a.scale is not b.scale
    assert Counter.scale(a, ff.constant(1)).numpy() == 3
    assert a.scale_signed(2).numpy() == 6
    with pytest.raises(TypeError, match="Can not cast TensorSpec\\(shape=\\(\\), dtype=tf.float32"):
        a.scale_signed(ff.constant(2.0))
    assert a.calls == 2  # the Python body runs on every call: nothing is traced


def test_run_functions_eagerly(tf_oracle):
    f = lambda tf: tf.function(lambda: (1, "a"))()  # noqa: E731
    for mod in (ff, tf_oracle):
        mod.config.run_functions_eagerly(True)
        try:
            assert mod.config.functions_run_eagerly()
            eager = outcome(f, mod), outcome(lambda tf: tf.function(lambda x: x)(), mod)
        finally:
            mod.config.run_functions_eagerly(False)
        assert not mod.config.functions_run_eagerly()
        if mod is ff:
            ours = eager
    assert ours == eager


def test_assigns_and_prints_inside_a_function(capfd):
    v = ff.Variable(1.0)

    @ff.function
    def step(x):
        v.assign_add(x)
        ff.print("v is", v)
        return v.read_value()

    assert step(ff.constant(2.0)).numpy() == 3.0
    assert capfd.readouterr().err == "v is 3\n"


def test_unseeded_random_ops_in_a_function_take_the_graphs_op_seeds(tf_oracle, same_seed_state) -> None:
    """In TF's graph, an op without an op seed takes 0, 1, ... in trace order, and its kernel keeps its stream
    across calls; the eager counter after the calls is untouched."""
    results = []
    for lib in (ff, tf_oracle):
        lib.random.set_seed(5)

        @lib.function
        def f(lib=lib):
            return lib.random.uniform([2]), lib.random.normal([2]), lib.random.uniform([1], seed=3)

        calls = [[t.numpy().tolist() for t in f()] for _ in range(2)]
        results.append((calls, lib.random.uniform([2]).numpy().tolist()))
    assert results[0] == results[1]
