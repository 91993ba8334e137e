"""Learning-rate schedules (``tf.keras.optimizers.schedules``), computed in float32 as Keras does.

A schedule runs where its step lives: given the optimizer's iteration counter (a Variable) or a Tensor, it
computes on that device's array namespace and returns a Tensor there, so an optimizer step with a schedule
makes no host transfer; a Python or NumPy step is computed on the host. Branches (warmup, piecewise
boundaries) are ``where`` selections, never a host decision on the step.

>>> import featherflow as tf
>>> s = tf.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
>>> float(s(10))
0.05000000074505806
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

_f32 = np.float32


class _Step:
    """A schedule's step as a 0-d float32 array on its device, and that device's namespace."""

    __slots__ = ("value", "xp", "device")

    def __init__(self, step: Any) -> None:
        array = getattr(step, "_array", None)  # a Variable: its buffer, read in place
        if array is None:
            array = getattr(step, "_value", None)  # a Tensor
        if array is None:
            self.value, self.xp, self.device = np.asarray(step).astype(np.float32).reshape(()), np, None
            return
        self.device = step._device
        self.xp = self.device.xp
        with self.device.activate():
            self.value = array.astype(np.float32)

    def tensor(self, value: Any) -> Any:
        """The learning rate as a float32 Tensor: on the step's device (a host step: on the current device)."""
        from ..tensor import _make, constant

        if self.device is None:
            return constant(np.asarray(value, dtype=np.float32))
        return _make(self.xp.asarray(value, dtype=np.float32), self.device)  # NumPy gives 0-d results as scalars

    def run(self, fn: Any) -> Any:
        """``fn(xp, step)`` on the step's card."""
        if self.device is None:
            return self.tensor(fn(np, self.value))
        with self.device.activate():
            return self.tensor(fn(self.xp, self.value))


class LearningRateSchedule:
    """A function of the optimizer's step (its raw iteration counter) giving a learning rate."""

    def __call__(self, step: Any) -> Any:
        raise NotImplementedError

    def get_config(self) -> dict:
        raise NotImplementedError

    @classmethod
    def from_config(cls, config: dict) -> LearningRateSchedule:
        return cls(**config)


class _TimeDecay(LearningRateSchedule):
    """The arguments and config shared by ExponentialDecay and InverseTimeDecay."""

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float, staircase: bool = False,
                 name: str | None = None) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name or type(self).__name__

    def _progress(self, xp: Any, step: Any) -> Any:
        p = step / _f32(self.decay_steps)
        return xp.floor(p) if self.staircase else p

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_TimeDecay):
    """``lr0 * rate ** (step / decay_steps)`` (the exponent floored when ``staircase``)."""

    def __call__(self, step: Any) -> Any:
        lr0, rate = _f32(self.initial_learning_rate), _f32(self.decay_rate)
        return _Step(step).run(lambda xp, s: lr0 * xp.power(rate, self._progress(xp, s)))


class InverseTimeDecay(_TimeDecay):
    """``lr0 / (1 + rate * step / decay_steps)`` (floored when ``staircase``)."""

    def __call__(self, step: Any) -> Any:
        lr0, rate = _f32(self.initial_learning_rate), _f32(self.decay_rate)
        return _Step(step).run(lambda xp, s: lr0 / (_f32(1) + rate * self._progress(xp, s)))


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[i]`` for ``boundaries[i-1] < step <= boundaries[i]``."""

    def __init__(self, boundaries: list, values: list, name: str = "PiecewiseConstant") -> None:
        if len(boundaries) != len(values) - 1:
            raise ValueError("The length of boundaries should be 1 less than the length of values")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step: Any) -> Any:
        def select(xp: Any, s: Any) -> Any:
            lr = xp.full((), self.values[-1], dtype=np.float32)
            for boundary, value in zip(reversed(self.boundaries), reversed(self.values[:-1])):
                lr = xp.where(s <= boundary, _f32(value), lr)  # the first boundary at or above the step wins
            return lr

        return _Step(step).run(select)

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class CosineDecay(LearningRateSchedule):
    """Cosine decay from ``lr0`` to ``alpha * lr0`` over ``decay_steps``, after an optional linear warmup."""

    def __init__(self, initial_learning_rate: float, decay_steps: int, alpha: float = 0.0, name: str = "CosineDecay",
                 warmup_target: float | None = None, warmup_steps: int = 0) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decay(self, xp: Any, step: Any, start: np.float32) -> Any:
        fraction = xp.minimum(step, _f32(self.decay_steps)) / _f32(self.decay_steps)
        cosine = _f32(0.5) * (_f32(1.0) + xp.cos(_f32(math.pi) * fraction))
        return start * ((_f32(1) - _f32(self.alpha)) * cosine + _f32(self.alpha))

    def _warmed(self, xp: Any, s: Any) -> Any:
        lr0, target = _f32(self.initial_learning_rate), _f32(self.warmup_target)
        warmup = _f32(self.warmup_steps)
        s = xp.minimum(s, _f32(self.decay_steps) + warmup)
        decayed = self._decay(xp, s - warmup, target)
        if not self.warmup_steps:  # no warmup phase (and no division by its zero length)
            return decayed
        return xp.where(s < warmup, (target - lr0) * (s / warmup) + lr0, decayed)

    def __call__(self, step: Any) -> Any:
        if self.warmup_target is None:
            lr0 = _f32(self.initial_learning_rate)
            return _Step(step).run(lambda xp, s: self._decay(xp, s, lr0))
        return _Step(step).run(self._warmed)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}
