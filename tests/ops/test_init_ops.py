"""TF 2's tf.* initializers against TF: values (seeded random ones bit-equal), dtypes, configs and errors."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

CASES = [
    lambda m: m.constant_initializer([1, 2])([2]),
    lambda m: m.constant_initializer([1, 2])([2], m.float32),
    lambda m: m.constant_initializer(3.0)([2, 2]),
    lambda m: m.zeros_initializer()([2, 3], m.int32),
    lambda m: m.ones_initializer()([3]),
    lambda m: m.ones_initializer()([2], m.bool),
    lambda m: m.random_normal_initializer(1.0, 2.0, seed=3)([3]),
    lambda m: m.random_normal_initializer(seed=0)([2, 2], m.float64),
    lambda m: m.random_uniform_initializer(-1, 1, seed=3)([3]),
    lambda m: m.random_uniform_initializer(0, 10, seed=7)([4], m.int32),
    lambda m: m.random_uniform_initializer(seed=1)([2], m.float16),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_values_match_tf(tf_oracle, case) -> None:
    want, got = CASES[case](tf_oracle), CASES[case](ff)
    assert got.dtype.name == want.dtype.name
    np.testing.assert_array_equal(got.numpy(), want.numpy())


@pytest.mark.parametrize("name, args", [("constant_initializer", ([1, 2],)), ("zeros_initializer", ()),
                                        ("ones_initializer", ()), ("random_normal_initializer", (1.0, 2.0, 3)),
                                        ("random_uniform_initializer", (-1, 1, None))])
def test_configs_match_tf(tf_oracle, name, args) -> None:
    config = getattr(ff, name)(*args).get_config()
    assert config == getattr(tf_oracle, name)(*args).get_config()
    assert getattr(ff, name).from_config(dict(config)).get_config() == config


@pytest.mark.parametrize("fn", [
    lambda m: m.constant_initializer([1, 2])([3]),
    lambda m: m.zeros_initializer()([2], m.string),
    lambda m: m.random_normal_initializer()([2], m.int32),
    lambda m: m.random_uniform_initializer()([2], m.bool),
])
def test_errors_match_tf(tf_oracle, fn) -> None:
    errors = []
    for mod in (tf_oracle, ff):
        with pytest.raises(Exception) as e:
            fn(mod)
        errors.append((type(e.value).__name__, str(e.value)))
    assert errors[0] == errors[1]


def test_unseeded_random_initializers_draw_new_values() -> None:
    init = ff.random_normal_initializer()
    assert not np.array_equal(init([8]).numpy(), init([8]).numpy())
    assert ff.random_normal_initializer()([4]).numpy().std() < 0.2  # stddev 0.05
