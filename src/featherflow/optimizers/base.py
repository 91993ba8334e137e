"""The optimizer base class: Keras 3's ``apply`` sequence (build, clip, decay, update, count), with the
update of one variable left to subclasses (``build`` makes slots; ``update_step`` updates one variable).

Updates run on the variables' buffers in place (copy-on-write if a read is alive), in the variable's dtype,
with Keras' rounding of Python constants (spec: shared/specs/keras3_optimizers.md §2), so results equal
TensorFlow's bit for bit. They run on the variable's device, with its array namespace (``xp``) and its card
current; constants are host scalars (kernel arguments, not copies), so a step makes no host transfer.
"""

from __future__ import annotations

import itertools
import re
import warnings
from collections import defaultdict
from typing import Any, Callable, Iterable

import numpy as np

from ..backends import array_module as _xp
from ..device import device_scope
from ..dtypes import float32 as _float32
from ..dtypes import int64 as _int64
from ..function_trace import opaque
from ..tensor import _make
from ..trackable import AutoTrackable, NoDependency
from ..variable import Variable
from .schedules import LearningRateSchedule

_name_counts: dict[str, itertools.count] = defaultdict(itertools.count)
_CAMEL = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")


def _unique_name(base: str) -> str:
    n = next(_name_counts[base])
    return base if n == 0 else f"{base}_{n}"


def r32(x: float) -> float:
    """A Python float rounded through float32 (Keras' ``ops.cast(python_float, dtype)``)."""
    return float(np.float32(x))


def _array(x: Any) -> np.ndarray:
    if isinstance(x, Variable):
        return x._array
    value = getattr(x, "_value", None)
    if value is not None:
        return value
    return np.asarray(x)


def _c(x: float, dtype: np.dtype) -> Any:
    """A Python number as a host scalar of ``dtype`` (what TF does to a Python float next to a tensor)."""
    return np.asarray(x, dtype=dtype)[()]


def _on(var: Variable, array: Any) -> Any:
    """``array`` on ``var``'s device: a gradient given as host data or made on another device is copied."""
    dev = var._device
    if type(array) is dev.xp.ndarray and (dev.xp is np or array.device.id == dev.index):
        return array
    return dev.put(array)


def _is_sparse(g: Any) -> bool:
    return hasattr(g, "indices") and hasattr(g, "values") and hasattr(g, "dense_shape")


def _write(var: Variable, fn: Callable[[np.ndarray], None]) -> None:
    var._write(fn)


def assign(var: Variable, value: np.ndarray) -> None:
    _write(var, lambda buf: var._device.xp.copyto(buf, value, casting="unsafe"))


def assign_add(var: Variable, delta: np.ndarray) -> None:
    _write(var, lambda buf: var._device.xp.add(buf, delta, out=buf, casting="unsafe"))


def assign_sub(var: Variable, delta: np.ndarray) -> None:
    _write(var, lambda buf: var._device.xp.subtract(buf, delta, out=buf, casting="unsafe"))


class Optimizer(AutoTrackable):
    """Base class of Keras 3 optimizers (``tf.keras.optimizers.Optimizer``).

    Its tracked attributes, in assignment order, are the children of its checkpoint node, as in Keras'
    TF backend (spec §5): ``_variables``, ``_trainable_variables``, ``_trainable_variables_indices``,
    ``_iterations``, ``_learning_rate``, then the slot lists each subclass's ``build`` makes.
    """

    def __init__(self, learning_rate: Any, weight_decay: float | None = None, clipnorm: float | None = None,
                 clipvalue: float | None = None, global_clipnorm: float | None = None, use_ema: bool = False,
                 ema_momentum: float = 0.99, ema_overwrite_frequency: int | None = None,
                 loss_scale_factor: float | None = None, gradient_accumulation_steps: int | None = None,
                 name: str | None = None, **kwargs: Any) -> None:
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        if sum(x is not None for x in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                             f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}")
        if gradient_accumulation_steps is not None and gradient_accumulation_steps < 2:
            raise ValueError("`gradient_accumulation_steps` must be an integer >= 2. Received: "
                             f"gradient_accumulation_steps={gradient_accumulation_steps}")
        self.name = name or _unique_name(_CAMEL.sub(r"_\1", type(self).__name__).lower())
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._exclude_vars: set[int] = set()
        self._exclude_names: tuple[str, ...] = ()
        self._var_index: dict[int, int] = NoDependency({})  # id(variable) -> slot index
        # Attribute order below is the checkpoint's object-graph order (Keras' KerasAutoTrackable).
        self._variables: list[Variable] = []
        self._trainable_variables: list[Variable] = []
        self._trainable_variables_indices: dict[str, int] = {}
        self._iterations = Variable(0, dtype=_int64, name=f"{self.name}/iteration", trainable=False)
        self._variables.append(self._iterations)
        # (the counter's buffer, its value): the count on the host for accumulation and EMA overwrites; held
        # only by an optimizer that needs it, since holding the buffer makes each increment copy on write
        self.__dict__["_counted"] = (self._iterations._array if self._counted_steps else None, 0)
        if isinstance(learning_rate, LearningRateSchedule):
            self._learning_rate: Any = NoDependency(learning_rate)
        elif callable(learning_rate):
            self._learning_rate = NoDependency(learning_rate)
        else:
            self._learning_rate = Variable(float(_array(learning_rate)), dtype=_float32,
                                           name=f"{self.name}/learning_rate", trainable=False)
            self._variables.append(self._learning_rate)

    # --- hyperparameters ------------------------------------------------------------------------

    @property
    def iterations(self) -> Variable:
        return self._iterations

    @property
    def variables(self) -> list[Variable]:
        return list(self._variables)

    @property
    def learning_rate(self) -> Any:
        """The current learning rate (a schedule is evaluated at the raw iteration count)."""
        if isinstance(self._learning_rate, Variable):
            return self._learning_rate
        if isinstance(self._learning_rate, LearningRateSchedule):
            return self._learning_rate(self._iterations)
        return self._learning_rate()

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        if isinstance(self._learning_rate, Variable) and not isinstance(value, LearningRateSchedule):
            self._learning_rate.assign(float(_array(value)))
        else:
            self._learning_rate = value

    def _lr(self, var: Variable) -> Any:
        """The learning rate as a scalar of ``var``'s dtype, on its device where it is a device value."""
        lr = _array(self.learning_rate)
        if type(lr) is not np.ndarray:  # a variable's, or a schedule's, value on a GPU: read where var lives
            lr = _on(var, lr)
        return lr.astype(var._array.dtype)[()]

    def exclude_from_weight_decay(self, var_list: Iterable[Variable] | None = None,
                                  var_names: Iterable[str] | None = None) -> None:
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before the optimizer is built.")
        self._exclude_vars |= {id(v) for v in var_list or ()}
        self._exclude_names = tuple(var_names or ())

    def _use_weight_decay(self, var: Variable) -> bool:
        if not hasattr(self, "_exclude_from_weight_decay_cache"):
            self._exclude_from_weight_decay_cache = {}  # Keras makes this (empty) node on first decay
        if id(var) in self._exclude_vars:
            return False
        return not any(re.search(name, var.name) for name in self._exclude_names)

    # --- slots ----------------------------------------------------------------------------------

    def add_variable_from_reference(self, reference_variable: Variable, name: str,
                                    initializer: float = 0.0) -> Variable:
        ref = reference_variable.name.replace("/", "_").replace(":", "_")
        dev = reference_variable._device  # slots live beside their variable, made there (no host copy)
        with device_scope(dev.name), dev.activate():
            array = reference_variable._array
            value = _make(dev.xp.full(array.shape, initializer, dtype=array.dtype), dev)
            slot = Variable(value, name=f"{self.name}/{ref}_{name}", trainable=False)
        self._variables.append(slot)
        return slot

    def add_optimizer_variables(self, trainable_variables: list[Variable], names: str | list[str],
                                initializer: float = 0.0) -> Any:
        """Slots for each variable, interleaved per variable when several names are given (as Keras)."""
        single = isinstance(names, str)
        name_list = [names] if single else list(names)
        groups: list[list[Variable]] = [[] for _ in name_list]
        for var in trainable_variables:
            for group, name in zip(groups, name_list):
                group.append(self.add_variable_from_reference(var, name, initializer))
        return groups[0] if single else tuple(groups)

    def build(self, var_list: list[Variable]) -> None:
        """Makes the slots of ``var_list`` (in this order: it fixes the checkpoint's slot order)."""
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(var_list, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(var_list, "gradient_accumulator")
        self._trainable_variables = list(var_list)
        self._var_index.update({id(v): i for i, v in enumerate(var_list)})
        self.built = True

    def _index(self, var: Variable) -> int:
        return self._var_index[id(var)]

    # --- applying gradients -----------------------------------------------------------------------

    @opaque  # it updates arrays directly: a tf.function's trace records the call, and its replay calls it again
    def apply_gradients(self, grads_and_vars: Iterable[tuple[Any, Variable]],
                        experimental_aggregate_gradients: bool = True) -> Variable:
        """Applies (gradient, variable) pairs; returns the iteration counter. Inside ``strategy.run`` of a
        strategy with several replicas, the gradients are first summed across the replicas (all-reduce), unless
        ``experimental_aggregate_gradients`` is False (the caller has aggregated them)."""
        pairs = list(grads_and_vars)
        if not pairs:
            return self._iterations
        grads, variables = zip(*pairs)
        self.__dict__["_aggregate_gradients"] = experimental_aggregate_gradients
        try:
            self.apply(list(grads), list(variables))
        finally:
            self.__dict__["_aggregate_gradients"] = True
        return self._iterations

    def apply(self, grads: list, trainable_variables: list[Variable] | None = None) -> None:
        if len(grads) == 0:
            return
        replicas = _replica_context_of_several()
        if replicas is not None and trainable_variables is not None and not _per_replica(trainable_variables):
            return self._apply_once(replicas, grads, list(trainable_variables))
        if replicas is not None and not self.built and trainable_variables is not None:
            # slots are made once, in cross-replica context: one distributed variable per slot for all replicas
            variables = list(trainable_variables)
            replicas.merge_call(lambda strategy: None if self.built else self.build(variables))
        if trainable_variables is None:
            if not self.built:
                raise ValueError("When passing `grads` without `variables`, the optimizer must already be built on a "
                                 "list of variables. Call `optimizer.build(trainable_variables)` first. ")
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                self.build(trainable_variables)
            for v in trainable_variables:
                if id(v) not in self._var_index:
                    raise KeyError(f"Unknown variable: {v!r}. This optimizer can only be called for the variables it "
                                   "was originally built with. When working with a new set of variables, you should "
                                   "recreate a new optimizer instance.")
        kept = [(g, v) for g, v in zip(grads, trainable_variables) if g is not None]
        if len(kept) < len(grads):
            missing = [v.name for g, v in zip(grads, trainable_variables) if g is None]
            warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the loss. If using "
                          "`model.compile()`, did you forget to provide a `loss` argument?", stacklevel=2)
        if kept:
            vs = [v for _, v in kept]
            with vs[0]._device.activate():  # the card of the variables (each update selects its own too)
                gs = [self._as_gradient(g, v) for g, v in kept]
                if self.loss_scale_factor is not None:
                    gs = [_scale(g, 1.0 / self.loss_scale_factor) for g in gs]
                self._apply_accumulated(gs, vs)
            for v in vs:
                if v.constraint is not None:
                    v.assign(v.constraint(v))
        count = self._host_iterations() if self._counted_steps else 0
        with self._iterations._device.activate():
            assign_add(self._iterations, np.int64(1))
        if self._counted_steps:
            self.__dict__["_counted"] = (self._iterations._array, count + 1)

    @property
    def _counted_steps(self) -> bool:
        """Whether a step decides something on the host from the iteration count."""
        return bool(self.gradient_accumulation_steps or (self.use_ema and self.ema_overwrite_frequency))

    def _host_iterations(self) -> int:
        """The iteration count on the host, read from the device only when someone else wrote the counter.

        Holding the counter's buffer (``_counted``) makes any other write to it (an assign, a checkpoint
        restore) copy on write, so a new buffer is what shows that the host count is stale: then it is read
        back, one explicit device->host copy. Keras' eager ``ops.cond`` reads it on every step.
        """
        buffer, count = self.__dict__["_counted"]
        if buffer is not self._iterations._array:
            count = int(self._iterations.numpy())
            self.__dict__["_counted"] = (self._iterations._array, count)
        return count

    def _apply_once(self, replicas: Any, grads: list, variables: list) -> None:
        """Variables with one copy for all replicas (``CentralStorageStrategy``): the gradients are summed across
        replicas, then applied once, in cross-replica context."""
        present = [i for i, g in enumerate(grads) if g is not None]
        if self.__dict__.get("_aggregate_gradients", True) and present:
            reduced = replicas.all_reduce("SUM", [grads[i] for i in present])
            grads = list(grads)
            for i, g in zip(present, reduced):
                grads[i] = g

        def merge_fn(strategy: Any, *merged: Any) -> None:
            first = [None if g is None else strategy.experimental_local_results(g)[0] for g in merged]
            self.apply(first, variables)

        replicas.merge_call(merge_fn, args=tuple(grads))

    def _as_gradient(self, g: Any, var: Variable) -> Any:
        dtype = var._array.dtype
        if _is_sparse(g):
            return _Sparse(_on(var, _array(g.values)).astype(dtype, copy=False), _on(var, _array(g.indices)))
        return _on(var, _array(g)).astype(dtype, copy=False)

    def _apply_accumulated(self, grads: list, variables: list[Variable]) -> None:
        k = self.gradient_accumulation_steps
        if k:
            accumulators = [self._accumulated_gradients[self._index(v)] for v in variables]
            if (self._host_iterations() + 1) % k != 0:  # a host branch on the host count (no device read)
                for acc, g in zip(accumulators, grads):
                    assign_add(acc, _dense(g, acc._array.shape))
                return
            grads = [(_dense(g, acc._array.shape) + acc._array) / _c(k, acc._array.dtype)
                     for g, acc in zip(grads, accumulators)]
            self._step(grads, variables)
            for acc in accumulators:
                assign(acc, 0)
        else:
            self._step(grads, variables)
        if self.use_ema:
            self._update_moving_average()

    def _step(self, grads: list, variables: list[Variable]) -> None:
        grads = self._clip_gradients(grads)
        if self.weight_decay is not None:
            for var in variables:
                if self._use_weight_decay(var):
                    with var._device.activate():
                        lr = self._lr(var)
                        wd = np.asarray(self.weight_decay, np.float32).astype(var._array.dtype)[()]
                        assign_sub(var, var._array * wd * lr)
        self._update(grads, variables)

    def _update(self, grads: list, variables: list[Variable]) -> None:
        replicas = _replica_context_of_several()
        if replicas is not None and self.__dict__.get("_aggregate_gradients", True):
            grads = _all_reduce_sum(replicas, grads, variables)
        for g, var in zip(grads, variables):
            with var._device.activate():
                self.update_step(g, var, self._lr(var))

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Any) -> None:
        raise NotImplementedError

    @property
    def _local_iterations(self) -> int:
        k = self.gradient_accumulation_steps
        n = self._host_iterations()  # for host decisions: no device read while this optimizer counts
        return n // k if k else n

    def _local_step(self, var: Variable) -> Any:
        """The step count (over accumulated steps) as a 0-d int64 array on ``var``'s device (copied there from
        the iteration counter's, where that is another)."""
        k = self.gradient_accumulation_steps
        n = self._iterations._array
        if type(n) is not type(var._array) or (type(n) is not np.ndarray and n.device.id != var._device.index):
            n = var._device.put(n)
        return n // k if k else n

    def _clip_gradients(self, grads: list) -> list:
        if self.clipnorm and self.clipnorm > 0:
            return [_clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return _clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            v = self.clipvalue
            return [_map(g, lambda a: _xp(a).clip(a, -v, v)) for g in grads]
        return grads

    def _update_moving_average(self) -> None:
        for var, avg in zip(self._trainable_variables, self._model_variables_moving_average):
            dtype = var._array.dtype
            xp = var._device.xp
            with var._device.activate():
                first = self._local_step(var) == 0  # on the device: the first step copies the variables
                mu = xp.where(first, _c(0.0, dtype), _c(self.ema_momentum, dtype))
                one_minus_mu = xp.where(first, _c(1.0, dtype), _c(1 - self.ema_momentum, dtype))
                assign(avg, mu * avg._array + one_minus_mu * var._array)
        f = self.ema_overwrite_frequency
        if f and (self._local_iterations + 1) % f == 0:
            self.finalize_variable_values(self._trainable_variables)

    def finalize_variable_values(self, var_list: list[Variable]) -> None:
        if self.use_ema:
            for var in var_list:
                assign(var, self._model_variables_moving_average[self._index(var)]._array)

    def minimize(self, loss: Any, var_list: Any, tape: Any = None) -> Variable:
        """Computes the gradients of ``loss`` (a tensor with ``tape``, or a callable) and applies them."""
        from ..autodiff.tape import GradientTape

        if tape is None:
            if not callable(loss):
                raise ValueError("`tape` is required when a `Tensor` loss is passed. Received: loss=" + repr(loss))
            with GradientTape() as tape:
                loss = loss()
        variables = var_list() if callable(var_list) else list(var_list)
        grads = tape.gradient(loss, variables)
        return self.apply_gradients(zip(grads, variables))

    def get_config(self) -> dict:
        lr = self._learning_rate
        return {"name": self.name, "learning_rate": float(_array(lr)) if isinstance(lr, Variable) else lr,
                "weight_decay": self.weight_decay, "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                "clipvalue": self.clipvalue, "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency, "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps}

    @classmethod
    def from_config(cls, config: dict) -> Optimizer:
        return cls(**config)


def _replica_context_of_several() -> Any:
    """The replica context of ``strategy.run`` when the strategy has several replicas, else None. Each replica
    then runs the optimizer on its own components of the distributed variables, with gradients summed across
    replicas (Keras' ``_all_reduce_sum_gradients``, after clipping and weight decay, as Keras does)."""
    from ..distribute import context as _distribute_context

    context = _distribute_context.get_replica_context()
    if context is None or context is _distribute_context.default_replica_context():
        return None
    return context if context.num_replicas_in_sync > 1 else None


def _per_replica(variables: list) -> bool:
    """Whether every variable has a component per replica (mirrored), which each replica then updates."""
    return all(getattr(v, "_values", None) is not None and isinstance(v._values, tuple)
               for v in variables)


def _all_reduce_sum(replicas: Any, grads: list, variables: list[Variable]) -> list:
    tensors = [_make(_dense(g, var._array.shape) if isinstance(g, _Sparse) else g, var._device)
               for g, var in zip(grads, variables)]
    reduced = replicas.all_reduce("SUM", tensors)
    return [_on(var, r._value) for r, var in zip(reduced, variables)]


class _Sparse:
    """An IndexedSlices gradient, as arrays: ``values[i]`` belongs to row ``indices[i]``."""

    __slots__ = ("values", "indices")

    def __init__(self, values: np.ndarray, indices: np.ndarray) -> None:
        self.values = values
        self.indices = indices


def _dense(g: Any, shape: tuple) -> np.ndarray:
    if isinstance(g, _Sparse):
        xp = _xp(g.values)
        out = xp.zeros(shape, dtype=g.values.dtype)
        xp.add.at(out, g.indices, g.values)
        return out
    return g


def _map(g: Any, fn: Callable[[np.ndarray], np.ndarray]) -> Any:
    return _Sparse(fn(g.values), g.indices) if isinstance(g, _Sparse) else fn(g)


def _scale(g: Any, s: float) -> Any:
    return _map(g, lambda a: a * _c(s, a.dtype))


def _clip_by_norm(g: Any, clip: float) -> Any:
    """TF's clip_by_norm: ``g * c / max(||g||, c)`` (norm over the slice values for sparse gradients)."""

    def clip_array(a: np.ndarray) -> np.ndarray:
        xp = _xp(a)
        l2sum = xp.sum(xp.square(a), keepdims=True)
        l2norm = xp.where(l2sum > 0, xp.sqrt(l2sum), l2sum)  # on the device: no host branch
        c = _c(clip, a.dtype)
        return (a * c) / xp.maximum(l2norm, c)

    return _map(g, clip_array)


def _clip_by_global_norm(grads: list, clip: float) -> list:
    arrays = [g.values if isinstance(g, _Sparse) else g for g in grads]
    xp = _xp(arrays[0])
    squares = [xp.sum(xp.square(a)) for a in arrays]
    total = squares[0]
    for s in squares[1:]:
        total = total + s
    norm = xp.sqrt(total)
    dtype = norm.dtype
    c = _c(clip, dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = c * xp.minimum(_c(1.0, dtype) / norm, _c(1.0, dtype) / c)
        scale = scale + (norm - norm)
    return [_map(g, lambda a: a * scale.astype(a.dtype)) for g in grads]
