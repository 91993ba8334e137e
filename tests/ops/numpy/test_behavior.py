"""``tnp.experimental_enable_numpy_behavior`` against real TF: Tensor's NumPy methods, NumPy-style indexing, the
operators' type promotion in the "legacy", "all" and "safe" modes, and the reset that tests rely on."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff
from featherflow.ops.numpy import behavior

from ._oracle import assert_same, ff_results, tf_batches

METHODS = [
    "f.T", "t3.T", "f.ndim", "f.size", "tnp.asarray(2.0).size", "+f", "i.tolist()", "f.transpose()",
    "t3.transpose((1, 0, 2))", "m.flatten()", "m.reshape(2, 6)", "m.reshape((6, 2))", "m.reshape([3, -1], order='F')",
    "m.ravel()", "f.clip(0, 1)", "i.clip(0.5, 2)", "f.astype(tnp.int32)", "i.astype('float16')", "round(f)",
    "i.max()", "m.max(axis=0)", "i.mean()", "f.mean(axis=1, keepdims=True)", "m.min(1)", "f.data", "len(m)",
]

INDEXING = [
    "m[[0, 2]]", "m[:, [1, 3]]", "m[[0, 1], [2, 3]]", "m[[-1]]", "t3[..., [0, 2]]", "t3[:, [0, 2], 1:3]",
    "l[tnp.asarray([3, 0])]", "m[m > 5]", "m[np.array([True, False, True])]", "v[[True, False, True]]",
    "m[1]", "m[1:, ::2]", "m[None, 0]",
]

LEGACY = [
    "i + 1.5", "1.5 + i", "i + f", "f + i", "i8 + l", "i8 + 1", "u8 + i8", "b + 1", "b * b", "i - 2",
    "i / i", "i8 / i8", "i // f", "f % 2", "i ** f", "2 ** i8", "i < f", "f >= 1", "i & i8", "i | 1",
    "i == 1.5", "f != 1", "v - d[:3]", "f @ m[:3]", "i @ m[:3]", "v * 2.5", "l * 2.5", "u8 - 1", "2.5 - u8",
    "i * True",
]

ALL_MODE = [
    "i + 1.5", "i8 + 1", "u8 + i8", "i + f", "f + d[:3]", "u8 * 2", "l / 2", "tnp.asarray(1.5)",
    "tnp.asarray([1, 2])", "tnp.add(i8, 1)", "tnp.sum(i8)", "tnp.sum(u8)", "tnp.argsort(l)", "tnp.result_type(i8, 1.5)",
    "tnp.mean(i)", "tnp.zeros(2)", "tnp.arange(3)",
]

SAFE_MODE = ["i + 1.5", "i8 + 1", "u8 + i8", "i + f", "f + d[:3]", "l + 2.5", "u8 * 2", "f * 2"]


@pytest.fixture
def numpy_behavior():
    """Enables numpy behavior (with the given arguments) for one test, restoring TF's defaults after it."""
    def enable(**kwargs):
        behavior.enable_numpy_behavior(**kwargs)

    try:
        yield enable
    finally:
        behavior._reset()


_PREFER = ["tnp.asarray(1.5)", "tnp.asarray([1.5, 2])", "i + 1.5", "tnp.arange(3.0)", "tnp.add(i8, 2.5)",
           "tnp.mean(tnp.asarray([1, 2]))", "tnp.sqrt(2)", "tnp.linspace(0, 1, 3)", "tnp.result_type(1.5)"]


def _batches() -> dict:
    return {
        "legacy": (METHODS + INDEXING + LEGACY + _lattice_cases(), {}),
        "prefer_float32": (_PREFER, {"prefer_float32": True}),
        "all": (ALL_MODE + _lattice_cases(), {"dtype_conversion_mode": "all"}),
        "safe": (SAFE_MODE + _lattice_cases(), {"dtype_conversion_mode": "safe"}),
    }


@pytest.fixture(scope="module")
def oracle():
    """TF's results for every batch, from one TF process."""
    pytest.importorskip("tensorflow")
    batches = _batches()
    return dict(zip(batches, tf_batches(list(batches.values()))))


@pytest.mark.parametrize("batch", ["legacy", "prefer_float32", "all", "safe"])
def test_same_as_tf(oracle, numpy_behavior, batch):
    """Methods, indexing and promotion (every pair of dtypes, and each dtype with each kind of Python scalar)."""
    cases, mode = _batches()[batch]
    numpy_behavior(**mode)
    for case, want, got in zip(cases, oracle[batch], ff_results(cases)):
        assert_same(case, want, got)


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="does not exist"):
        behavior.enable_numpy_behavior(dtype_conversion_mode="bogus")
    assert not behavior.is_enabled()


def test_off_by_default_and_reset_restores_everything(numpy_behavior):
    t = ff.constant([1, 2])
    assert not hasattr(t, "T") and not hasattr(t, "astype")
    with pytest.raises(ff.errors.InvalidArgumentError):
        ff.constant(1) + ff.constant(1.5)
    before = {name: ff.Tensor.__dict__.get(name) for name in ("__add__", "__getitem__", "__radd__")}
    numpy_behavior()
    assert (ff.constant(1) + ff.constant(1.5)).dtype == ff.float64
    assert t.T.shape == (2,) and t.astype(ff.float32).dtype == ff.float32
    behavior._reset()
    assert not hasattr(t, "T")
    assert {name: ff.Tensor.__dict__.get(name) for name in before} == before
    with pytest.raises(ff.errors.InvalidArgumentError):
        ff.constant(1) + ff.constant(1.5)


def test_promotion_on_variables(numpy_behavior):
    numpy_behavior()
    v = ff.Variable([1, 2])
    assert (v + 1.5).dtype == ff.float64
    np.testing.assert_allclose((v + 1.5).numpy(), [2.5, 3.5])
    assert (1.5 * v).dtype == ff.float64


def test_promoted_operators_carry_gradients(numpy_behavior):
    numpy_behavior()
    x = ff.constant([1.0, 2.0], dtype=ff.float32)
    with ff.GradientTape() as tape:
        tape.watch(x)
        y = x * ff.constant(3.0, dtype=ff.float64)  # float32 * float64 -> float64
    assert y.dtype == ff.float64
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [3.0, 3.0])
    m = ff.constant(np.arange(6.0).reshape(2, 3))
    with ff.GradientTape() as tape:
        tape.watch(m)
        z = ff.reduce_sum(m[:, [0, 2, 2]])  # NumPy-style indexing is a gather: its gradient scatters
    np.testing.assert_allclose(tape.gradient(z, m).numpy(), [[1, 0, 2], [1, 0, 2]])


_LATTICE_DTYPES = ["bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64", "bfloat16",
                   "float16", "float32", "float64", "complex64", "complex128"]


def _lattice_cases() -> list[str]:
    def arr(d: str) -> str:
        return f"tnp.asarray(np.array([1], 'float32'), dtype=tf.{d})" if d == "bfloat16" else \
            f"tnp.asarray(np.array([1], '{d}'))"

    cases = [f"{arr(a)} + {arr(b)}" for a in _LATTICE_DTYPES for b in _LATTICE_DTYPES]
    cases += [f"{arr(a)} * {s}" for a in _LATTICE_DTYPES for s in ("2", "1.5", "True", "2j")]
    return cases

