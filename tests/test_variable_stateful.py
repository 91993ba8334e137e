"""Random sequences of variable operations, run under TensorFlow and featherflow side by side (a hypothesis
state machine): create, hold reads, the assign family, scatter, sliced assignment, aliasing updates such as
``v.assign(v[::-1])``, gradients through a tape, checkpoint save and restore. After every step the values,
dtypes and raised error types must be the same, and reads held from before keep what they read."""

from __future__ import annotations

import shutil
import tempfile
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import featherflow as ff

tf = pytest.importorskip("tensorflow")

SIZE = 4
_values = st.lists(st.integers(-3, 3), min_size=SIZE, max_size=SIZE)
_index = st.integers(-1, SIZE)  # -1 and SIZE are out of range: both raise, after the same partial updates
_slices = st.sampled_from([slice(1, 3), slice(None, None, 2), slice(3, 1, -1), slice(2, 2), slice(None)])


def _both(fn: Callable[[Any], Any]) -> tuple[Any, Any]:
    """``fn`` under TF and under featherflow: (result or exception, same), with the exception types equal."""
    out = []
    for lib in (tf, ff):
        try:
            out.append(fn(lib))
        except Exception as e:  # noqa: BLE001 - the error type is what is compared
            out.append(e)
    theirs, ours = out
    failed = isinstance(theirs, Exception)
    assert failed == isinstance(ours, Exception), f"TF: {theirs!r}\nFF: {ours!r}"
    assert not failed or type(ours).__name__ == type(theirs).__name__, f"TF: {theirs!r}\nFF: {ours!r}"
    return theirs, ours


def _same(theirs: Any, ours: Any) -> None:
    if isinstance(theirs, Exception) or theirs is None:
        assert ours is None or isinstance(ours, Exception)
        return
    t, o = np.asarray(theirs.numpy()), np.asarray(ours.numpy())
    assert o.dtype == t.dtype and o.shape == t.shape
    np.testing.assert_array_equal(o, t)


class VariableMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.variables: list[tuple[Any, Any]] = []  # (TF's, ours)
        self.reads: list[tuple[Any, Any, np.ndarray]] = []  # (TF's, ours, the value read)
        self.directory = tempfile.mkdtemp()
        self.saves = 0

    def teardown(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def _pair(self, i: int) -> tuple[Any, Any]:
        return self.variables[i % len(self.variables)]

    def _apply(self, i: int, fn: Callable[[Any, Any], Any]) -> None:
        pair = self._pair(i)
        _same(*_both(lambda lib: fn(lib, pair[lib is ff])))

    @precondition(lambda self: len(self.variables) < 3)
    @rule(values=_values, dtype=st.sampled_from(["float32", "int32", "float64"]))
    def create(self, values: list, dtype: str) -> None:
        theirs, ours = _both(lambda lib: lib.Variable(values, dtype=dtype))
        self.variables.append((theirs, ours))

    @precondition(lambda self: self.variables)
    @rule(i=st.integers(0, 2), how=st.sampled_from(["value", "read_value", "convert", "slice", "operator"]))
    def hold_read(self, i: int, how: str) -> None:
        read = {"value": lambda lib, v: v.value(), "read_value": lambda lib, v: v.read_value(),
                "convert": lambda lib, v: lib.convert_to_tensor(v), "slice": lambda lib, v: v[1:],
                "operator": lambda lib, v: v + 0}[how]
        pair = self._pair(i)
        theirs, ours = _both(lambda lib: read(lib, pair[lib is ff]))
        _same(theirs, ours)
        self.reads.append((theirs, ours, theirs.numpy().copy()))

    @precondition(lambda self: self.reads)
    @rule()
    def drop_read(self) -> None:
        self.reads.pop(0)

    @precondition(lambda self: self.variables)
    @rule(i=st.integers(0, 2), kind=st.sampled_from(["assign", "assign_add", "assign_sub"]), values=_values,
          read_value=st.booleans())
    def assign_family(self, i: int, kind: str, values: list, read_value: bool) -> None:
        self._apply(i, lambda lib, v: getattr(v, kind)(values, read_value=read_value))

    @precondition(lambda self: self.variables)
    @rule(i=st.integers(0, 2), kind=st.sampled_from(["update", "add", "sub", "max"]),
          indices=st.lists(_index, min_size=1, max_size=3), value=st.integers(-3, 3))
    def scatter(self, i: int, kind: str, indices: list, value: int) -> None:
        updates = [value] * len(indices)
        self._apply(i, lambda lib, v: getattr(v, f"scatter_{kind}")(
            lib.IndexedSlices(lib.constant(updates, v.dtype), lib.constant(indices))))

    @precondition(lambda self: self.variables)
    @rule(i=st.integers(0, 2), kind=st.sampled_from(["update", "add", "sub"]),
          indices=st.lists(_index, min_size=1, max_size=3), value=st.integers(-3, 3))
    def scatter_nd(self, i: int, kind: str, indices: list, value: int) -> None:
        self._apply(i, lambda lib, v: getattr(v, f"scatter_nd_{kind}")(
            [[j] for j in indices], lib.constant([value] * len(indices), v.dtype)))

    @precondition(lambda self: self.variables)
    @rule(i=st.integers(0, 2), key=_slices, value=st.integers(-3, 3))
    def sliced_assign(self, i: int, key: slice, value: int) -> None:
        self._apply(i, lambda lib, v: v[key].assign(lib.fill([len(range(SIZE)[key])], lib.constant(value, v.dtype))))

    @precondition(lambda self: self.variables)
    @rule(i=st.integers(0, 2), how=st.sampled_from(["reverse", "self_add", "self_sub", "plus_one", "self"]))
    def aliasing_update(self, i: int, how: str) -> None:
        update = {"reverse": lambda v: v.assign(v[::-1]), "self_add": lambda v: v.assign_add(v),
                  "self_sub": lambda v: v.assign_sub(v[::-1]), "plus_one": lambda v: v.assign(v + 1),
                  "self": lambda v: v.assign(v)}[how]
        self._apply(i, lambda lib, v: update(v))

    @precondition(lambda self: self.variables)
    @rule(i=st.integers(0, 2), through_result=st.booleans())
    def gradient(self, i: int, through_result: bool) -> None:
        def run(lib: Any, v: Any) -> Any:
            result = v.assign_add(lib.ones_like(v)) if through_result else v
            with lib.GradientTape() as tape:
                loss = lib.reduce_sum(result * result)
            return tape.gradient(loss, v)  # None through what assign returned, read outside the tape

        self._apply(i, run)

    @precondition(lambda self: self.variables)
    @rule(values=_values)
    def checkpoint_round_trip(self, values: list) -> None:
        self.saves += 1
        for lib in (tf, ff):
            variables = {f"v{k}": pair[lib is ff] for k, pair in enumerate(self.variables)}
            checkpoint = lib.train.Checkpoint(**variables)
            path = checkpoint.write(f"{self.directory}/{lib.__name__}-{self.saves}")
            for v in variables.values():
                v.assign(lib.constant(values, v.dtype))
            checkpoint.read(path)

    @invariant()
    def same_values(self) -> None:
        for theirs, ours in self.variables:
            assert ours.dtype.name == theirs.dtype.name
            np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
            assert type(ours._array) is np.ndarray

    @invariant()
    def reads_keep_their_values(self) -> None:
        for theirs, ours, seen in self.reads:
            np.testing.assert_array_equal(theirs.numpy(), seen)
            np.testing.assert_array_equal(ours.numpy(), seen)


VariableMachine.TestCase.settings = settings(max_examples=30, stateful_step_count=12, deadline=None)
test_variable_operations_as_tensorflow = VariableMachine.TestCase
