"""``tf.train.ExponentialMovingAverage`` (TF's ``python/training/moving_averages.py``), eagerly.

Each shadow variable is updated as TF's ``assign_moving_average`` does, op for op, so float32 averages are
bit-exact with TF's: ``avg -= (avg - var) * cast(1 - decay)``, the decay a float32 tensor.

>>> import featherflow as tf
>>> v = tf.Variable([1.0, 2.0], name="v")
>>> ema = tf.train.ExponentialMovingAverage(0.5)
>>> ema.apply([v])
>>> _ = v.assign([3.0, 6.0])
>>> ema.apply([v])
>>> ema.average(v).numpy().tolist()
[2.0, 4.0]
"""

from __future__ import annotations

import threading
from typing import Any

from ..device import device_scope
from ..dtypes import bfloat16, float16, float32, float64
from ..ops.array.create import cast
from ..ops.math.api import minimum
from ..tensor import Tensor, convert_to_tensor
from ..variable import Variable

_FLOATS = (bfloat16, float16, float32, float64)


class _ScopeCounts(threading.local):
    """TF's variable-scope store: how often each default-named scope ("v/ExponentialMovingAverage") was opened,
    so that a second shadow of the same name gets ``_1``, ``_2``... (per thread, for the whole process, as TF's)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}


_scopes = _ScopeCounts()
# TF's MOVING_AVERAGE_VARIABLES collection: every variable any ExponentialMovingAverage has averaged.
_moving_average_variables: list[Variable] = []


def _unique_scope(prefix: str) -> str:
    counts = _scopes.counts
    name = prefix
    if counts.get(name, 0):
        idx = 1
        while counts.get(f"{prefix}_{idx}", 0):
            idx += 1
        name = f"{prefix}_{idx}"
    counts[name] = counts.get(name, 0) + 1
    return name


def _assign_moving_average(variable: Variable, value: Variable, decay: Tensor) -> None:
    one_minus = 1.0 - decay  # float32, cast to the variable's type afterwards, as TF's
    if one_minus.dtype != variable.dtype:
        one_minus = cast(one_minus, variable.dtype)
    variable.assign_sub((variable - value) * one_minus)


class ExponentialMovingAverage:
    """Maintains moving averages of variables by employing an exponential decay."""

    def __init__(self, decay: Any, num_updates: Any = None, zero_debias: bool = False,
                 name: str = "ExponentialMovingAverage") -> None:
        # zero_debias only applies to averages of tensors, which eager execution refuses: it is kept, as TF's
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages: dict[Any, Variable] = {}

    @property
    def name(self) -> str:
        """The name of this ExponentialMovingAverage object."""
        return self._name

    def apply(self, var_list: Any = None) -> None:
        """Creates the shadow variables on first sight of each variable, then updates every average once."""
        if var_list is None:
            var_list = []  # TF's trainable_variables() collection, which eager execution leaves empty
        for v in var_list:
            if isinstance(v, Tensor):
                raise TypeError("tf.train.ExponentialMovingAverage does not support non-Variable tensors when "
                                "eager execution is enabled.")
        for var in var_list:
            if var.dtype not in _FLOATS:
                raise TypeError(f"The variables must be half, float, or double: {var.name}")
            if var.ref() not in self._averages:
                with device_scope(var.device):
                    scope = _unique_scope(f"{var._shared_name}/{self.name}")
                    # a trailing "/" makes the name absolute: TF's variable scope ignores the name scope
                    avg = Variable(var.read_value(), trainable=False, name=scope + "/")
                if all(v is not var for v in _moving_average_variables):
                    _moving_average_variables.append(var)
                self._averages[var.ref()] = avg
        decay = convert_to_tensor(self._decay, dtype=float32, name="decay")
        if self._num_updates is not None:
            num_updates = cast(self._num_updates, float32, name="num_updates")
            decay = minimum(decay, (1.0 + num_updates) / (10.0 + num_updates))
        for var in var_list:
            _assign_moving_average(self._averages[var.ref()], var, decay)
        return None

    def average(self, var: Any) -> Variable | None:
        """The shadow variable holding the average of ``var``, or None when ``var`` is not averaged."""
        return self._averages.get(var.ref(), None)

    def average_name(self, var: Any) -> str:
        """The name of the shadow variable of ``var``: the one made, else the one ``apply`` would make first."""
        if var.ref() in self._averages:
            return self._averages[var.ref()].name[:-len(":0")]
        return var.name[:-len(":0")] + "/" + self.name

    def variables_to_restore(self, moving_avg_variables: Any = None) -> dict[str, Variable]:
        """Restore names to variables: each averaged variable under its average's name (for TF1 Savers)."""
        if moving_avg_variables is None:
            # TF's trainable and global collections are empty eagerly; the moving-average one is not
            moving_avg_variables = list(_moving_average_variables)
        unique: dict[Any, Any] = {}
        for v in moving_avg_variables:
            unique.setdefault(v.ref(), v)
        return {self.average_name(v): v for v in unique.values()}
