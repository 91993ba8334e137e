"""The Keras 3 optimizers: SGD, Adam, AdamW, RMSprop, Adagrad, Adamax, Nadam.

Each ``update_step`` follows Keras' operation order in the variable's dtype (shared/specs/keras3_optimizers.md
§3); Python constants that Keras passes through ``ops.cast`` are rounded through float32 (``r32``).

>>> import featherflow as tf
>>> w = tf.Variable([1.0, 2.0])
>>> opt = tf.optimizers.SGD(learning_rate=0.1)
>>> _ = opt.apply_gradients([(tf.constant([1.0, 1.0]), w)])
>>> w.numpy()
array([0.9, 1.9], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..device import current as current_device
from ..device import device_scope
from ..tensor import _make
from ..variable import Variable
from .base import Optimizer, _c, _dense, _map, _on, _Sparse, assign, assign_add, assign_sub, r32


def _cast32(x: float, dtype: np.dtype) -> Any:
    """Keras' ``ops.cast(python_float, dtype)``: through float32 first."""
    return np.asarray(np.float32(x), dtype=dtype)[()]


def _parts(g: Any, shape: tuple, xp: Any) -> tuple[np.ndarray, np.ndarray]:
    """(sum of g, sum of g*g) as dense arrays: for sparse gradients squares are taken per slice, as Keras."""
    if isinstance(g, _Sparse):
        return _dense(g, shape), _dense(_map(g, xp.square), shape)
    return g, xp.square(g)


def _step_count(opt: Optimizer, variable: Variable, offset: int = 1) -> Any:
    """The step number as a 0-d value of ``variable``'s dtype on its device (the count stays on the devices: no
    host copy)."""
    return (opt._local_step(variable) + offset).astype(variable._array.dtype)[()]


class SGD(Optimizer):
    """Gradient descent with optional (Nesterov) momentum."""

    def __init__(self, learning_rate: Any = 0.01, momentum: float = 0.0, nesterov: bool = False,
                 name: str = "SGD", **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, name=name if name != "SGD" else None, **kwargs)
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            if not (isinstance(momentum, int) and 0 <= momentum <= 1):
                raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, var_list: list[Variable]) -> None:
        super().build(var_list)
        self.momentums = self.add_optimizer_variables(var_list, "momentum") if self.momentum != 0 else []

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Any) -> None:
        dtype = variable._array.dtype
        if self.momentum == 0:
            if isinstance(gradient, _Sparse):
                delta = _Sparse(gradient.values * learning_rate, gradient.indices)

                def scatter_sub(buf: np.ndarray) -> None:
                    variable._device.xp.subtract.at(buf, delta.indices, delta.values)

                variable._write(scatter_sub)
            else:
                assign_sub(variable, gradient * learning_rate)
            return
        g = _dense(gradient, variable._array.shape)
        m = self.momentums[self._index(variable)]
        mu = _cast32(self.momentum, dtype)
        assign(m, m._array * mu - g * learning_rate)
        if self.nesterov:
            assign_add(variable, m._array * mu - g * learning_rate)
        else:
            assign_add(variable, m._array)


class Adam(Optimizer):
    """Adam (optionally AMSGrad), with Keras' bias correction folded into the step size."""

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
                 amsgrad: bool = False, name: str = "adam", **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, name=name if name != "adam" else None, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def build(self, var_list: list[Variable]) -> None:
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Any) -> None:
        dtype = variable._array.dtype
        xp = variable._device.xp
        g, g2 = _parts(gradient, variable._array.shape, xp)
        t = _step_count(self, variable)
        b1p = xp.power(_cast32(self.beta_1, dtype), t)
        b2p = xp.power(_cast32(self.beta_2, dtype), t)
        i = self._index(variable)
        m, v = self._momentums[i], self._velocities[i]
        one = _c(1, dtype)
        alpha = learning_rate * xp.sqrt(one - b2p) / (one - b1p)
        # Keras' expressions, each temporary updated in place (the same roundings, a third fewer allocations)
        delta = g - m._array
        delta *= _c(1 - self.beta_1, dtype)
        assign_add(m, delta)
        delta = g2 - v._array
        delta *= _c(1 - self.beta_2, dtype)
        assign_add(v, delta)
        v_arr = v._array
        if self.amsgrad:
            v_hat = self._velocity_hats[i]
            assign(v_hat, xp.maximum(v_hat._array, v_arr))
            v_arr = v_hat._array
        denominator = xp.sqrt(v_arr)
        denominator += _c(self.epsilon, dtype)
        step = m._array * alpha
        step /= denominator
        assign_sub(variable, step)


class AdamW(Adam):
    """Adam with decoupled weight decay (applied before each step, scaled by the learning rate)."""

    def __init__(self, learning_rate: Any = 0.001, weight_decay: float = 0.004, beta_1: float = 0.9,
                 beta_2: float = 0.999, epsilon: float = 1e-7, amsgrad: bool = False, name: str = "adamw",
                 **kwargs: Any) -> None:
        if weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad,
                         name=name if name != "adamw" else None, weight_decay=weight_decay, **kwargs)


class RMSprop(Optimizer):
    """RMSprop, optionally centered and with momentum."""

    def __init__(self, learning_rate: Any = 0.001, rho: float = 0.9, momentum: float = 0.0, epsilon: float = 1e-7,
                 centered: bool = False, name: str = "rmsprop", **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, name=name if name != "rmsprop" else None, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list: list[Variable]) -> None:
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = self.add_optimizer_variables(var_list, "momentum") if self.momentum > 0 else []
        self._average_gradients = self.add_optimizer_variables(var_list, "average_gradient") if self.centered else []

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Any) -> None:
        dtype = variable._array.dtype
        xp = variable._device.xp
        i = self._index(variable)
        velocity = self._velocities[i]
        rho = _c(self.rho, dtype)
        one_minus_rho = _c(1 - self.rho, dtype)
        g, g2 = _parts(gradient, variable._array.shape, xp)
        assign(velocity, rho * velocity._array + one_minus_rho * g2)
        if self.centered:
            avg = self._average_gradients[i]
            assign(avg, rho * avg._array + one_minus_rho * g)
            denominator = velocity._array - xp.square(avg._array) + _c(self.epsilon, dtype)
        else:
            denominator = velocity._array + _c(self.epsilon, dtype)
        if self.momentum > 0:
            increment = (learning_rate * g) / xp.sqrt(denominator)
            mom = self._momentums[i]
            assign(mom, _c(self.momentum, dtype) * mom._array + increment)
            assign_sub(variable, mom._array)
        elif isinstance(gradient, _Sparse):
            rows = gradient.indices
            step = (learning_rate * gradient.values) / xp.sqrt(denominator[rows])

            def scatter_sub(buf: np.ndarray) -> None:
                xp.subtract.at(buf, rows, step)

            variable._write(scatter_sub)
        else:
            assign_sub(variable, (learning_rate * g) / xp.sqrt(denominator))


class Adagrad(Optimizer):
    """Adagrad: per-coordinate steps scaled by the root of the summed squared gradients."""

    def __init__(self, learning_rate: Any = 0.001, initial_accumulator_value: float = 0.1, epsilon: float = 1e-7,
                 name: str = "adagrad", **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, name=name if name != "adagrad" else None, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list: list[Variable]) -> None:
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(var_list, "accumulator",
                                                          initializer=r32(self.initial_accumulator_value))

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Any) -> None:
        dtype = variable._array.dtype
        xp = variable._device.xp
        acc = self._accumulators[self._index(variable)]
        eps = _c(self.epsilon, dtype)
        if isinstance(gradient, _Sparse):
            rows, values = gradient.indices, gradient.values
            acc._write(lambda buf: xp.add.at(buf, rows, xp.square(values)))
            step = (learning_rate * values) / xp.sqrt(acc._array[rows] + eps)
            variable._write(lambda buf: xp.subtract.at(buf, rows, step))
            return
        assign_add(acc, xp.square(gradient))
        assign_sub(variable, (learning_rate * gradient) / xp.sqrt(acc._array + eps))


class Adamax(Optimizer):
    """Adamax: Adam with the infinity norm."""

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
                 name: str = "adamax", **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, name=name if name != "adamax" else None, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list: list[Variable]) -> None:
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Any) -> None:
        dtype = variable._array.dtype
        xp = variable._device.xp
        shape = variable._array.shape
        g = _dense(gradient, shape)
        g_abs = _dense(_map(gradient, xp.abs), shape) if isinstance(gradient, _Sparse) else xp.abs(g)
        t = _step_count(self, variable)
        b1p = xp.power(_cast32(self.beta_1, dtype), t)
        i = self._index(variable)
        m, u = self._m[i], self._u[i]
        assign_add(m, (g - m._array) * _c(1 - self.beta_1, dtype))
        assign(u, xp.maximum(_c(self.beta_2, dtype) * u._array, g_abs))
        assign_sub(variable, (learning_rate * m._array) / ((_c(1, dtype) - b1p) * (u._array + _c(self.epsilon, dtype))))


class Nadam(Optimizer):
    """Nadam: Adam with Nesterov momentum and Keras' momentum schedule."""

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
                 name: str = "nadam", **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, name=name if name != "nadam" else None, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list: list[Variable]) -> None:
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        dtype = var_list[0]._array.dtype if var_list else np.float32
        dev = var_list[0]._device if var_list else current_device()
        with device_scope(dev.name), dev.activate():  # beside the variables, made there, as Keras' slots
            one = _make(dev.xp.ones((), dtype=dtype), dev)
            self._u_product = Variable(one, name=f"{self.name}/variable", trainable=False)
        self._variables.append(self._u_product)

    def _update(self, grads: list, variables: list[Variable]) -> None:
        dtype = self._u_product._array.dtype
        dev = self._u_product._device
        with dev.activate():
            t = _step_count(self, self._u_product)
            inner = _c(1.0, dtype) - _c(0.5, dtype) * dev.xp.power(_c(0.96, dtype), t)
            assign(self._u_product, (self._u_product._array * _c(self.beta_1, dtype)) * inner)
        super()._update(grads, variables)

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Any) -> None:
        dtype = variable._array.dtype
        xp = variable._device.xp
        g, g2 = _parts(gradient, variable._array.shape, xp)
        t = _step_count(self, variable)
        t1 = _step_count(self, variable, 2)
        decay = _cast32(0.96, dtype)
        b1 = _cast32(self.beta_1, dtype)
        b2 = _cast32(self.beta_2, dtype)
        one, half = _c(1.0, dtype), _c(0.5, dtype)
        u_t = b1 * (one - half * xp.power(decay, t))
        u_t_1 = b1 * (one - half * xp.power(decay, t1))
        u_product_t = _on(variable, self._u_product._array).astype(dtype)[()]
        u_product_t_1 = u_product_t * u_t_1
        b2p = xp.power(b2, t)
        i = self._index(variable)
        m, v = self._momentums[i], self._velocities[i]
        assign_add(m, (g - m._array) * (one - b1))
        assign_add(v, (g2 - v._array) * (one - b2))
        m_hat = (u_t_1 * m._array) / (one - u_product_t_1) + ((one - u_t) * g) / (one - u_product_t)
        v_hat = v._array / (one - b2p)
        assign_sub(variable, (m_hat * learning_rate) / (xp.sqrt(v_hat) + _c(self.epsilon, dtype)))
