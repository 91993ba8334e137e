"""Neural-network ops (``tf.nn``): activations, softmax, cross entropies, l2_loss, bias_add, dropout, moments,
batch_normalization, embedding_lookup, with TF's gradient ops (``nn_grad.py``). Convolutions and pooling are in
``conv`` and ``pooling``.

>>> import featherflow as tf
>>> tf.nn.relu([-1.0, 2.0]).numpy()
array([0., 2.], dtype=float32)
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...errors import AbortedError, InvalidArgumentError
from ...tensor import Tensor
from .._kernel_errors import kernel_error, on_cpu, slow_path
from ..convert import hinted, shape_text, tensor
from ..registry import register

_d = _dtypes
_LOW = _d.HALF_FLOATS  # float16, and bfloat16 once ml_dtypes is loaded
_SELU_SCALE = 1.0507009873554804934193349852946
_SELU_ALPHA = 1.6732632423543772848170429916717


def _wide(x: Any) -> Any:
    return x.astype(np.float32) if x.dtype in _LOW else x


def _zero(xp: Any, x: Any) -> Any:
    return xp.zeros((), dtype=x.dtype)


def _scalar(xp: Any, value: float, dtype: Any) -> Any:
    """A 0-d constant of ``dtype`` on the forward's device: a fill kernel on a GPU, where ``asarray`` of a host
    value would be a host->device copy and a NumPy array cannot be mixed in."""
    return np.asarray(value, dtype) if xp is np else xp.full((), value, dtype=dtype)


# --- activations ----------------------------------------------------------------------------------------------


@register("Relu")
def relu_op(xp: Any, x: Any) -> Any:
    return xp.maximum(x, _zero(xp, x))


@relu_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    return relu_grad_op(g, ans)


@register("ReluGrad")
def relu_grad_op(xp: Any, g: Any, x: Any) -> Any:
    return g * (x > 0)


@relu_grad_op.gradient
def _(gg: Tensor, ans: Tensor, g: Tensor, x: Tensor) -> tuple:
    from ..math.elementwise import zeros_like_op

    return relu_grad_op(gg, x), zeros_like_op(x)


@register("Relu6")
def relu6_op(xp: Any, x: Any) -> Any:
    return xp.minimum(xp.maximum(x, _zero(xp, x)), _scalar(xp, 6, x.dtype))  # (NumPy's clip of bfloat16 is float32)


@relu6_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    return relu6_grad_op(g, ans)


@register("Relu6Grad")
def relu6_grad_op(xp: Any, g: Any, x: Any) -> Any:
    return xp.where((x > 0) & (x < 6), g, _zero(xp, g))


@relu6_grad_op.gradient
def _(gg: Tensor, ans: Tensor, g: Tensor, x: Tensor) -> tuple:
    from ..math.elementwise import zeros_like_op

    return relu6_grad_op(gg, x), zeros_like_op(x)


@register("LeakyRelu")
def leaky_relu_op(xp: Any, x: Any, alpha: float) -> Any:
    return xp.where(x > 0, x, x * _scalar(xp, alpha, x.dtype))


@leaky_relu_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, alpha: float) -> Any:
    return leaky_relu_grad_op(g, x, alpha=alpha)


@register("LeakyReluGrad")
def leaky_relu_grad_op(xp: Any, g: Any, x: Any, alpha: float) -> Any:
    return xp.where(x > 0, g, g * _scalar(xp, alpha, g.dtype))


@leaky_relu_grad_op.gradient
def _(gg: Tensor, ans: Tensor, g: Tensor, x: Tensor, alpha: float) -> tuple:
    from ..math.elementwise import zeros_like_op

    return leaky_relu_grad_op(gg, x, alpha=alpha), zeros_like_op(x)


@register("Elu")
def elu_op(xp: Any, x: Any) -> Any:
    return xp.where(x < 0, xp.expm1(xp.minimum(x, _zero(xp, x))), x)


@elu_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    return elu_grad_op(g, ans)


@register("EluGrad")
def elu_grad_op(xp: Any, g: Any, y: Any) -> Any:
    return xp.where(y < 0, (y + _scalar(xp, 1, y.dtype)) * g, g)


@elu_grad_op.gradient
def _(gg: Tensor, ans: Tensor, g: Tensor, y: Tensor) -> tuple:
    return elu_grad_op(gg, y), _where_negative(y, gg * g)


def _where_negative(y: Tensor, value: Tensor) -> Tensor:
    from ..math.elementwise import select_op, zeros_like_op

    zero = zeros_like_op(y)
    return select_op(y < zero, value, zero)


@register("Selu")
def selu_op(xp: Any, x: Any) -> Any:
    scale = _scalar(xp, _SELU_SCALE, x.dtype)
    return xp.where(x < 0, scale * _scalar(xp, _SELU_ALPHA, x.dtype) * xp.expm1(xp.minimum(x, _zero(xp, x))),
                    scale * x)


@selu_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    return selu_grad_op(g, ans)


@register("SeluGrad")
def selu_grad_op(xp: Any, g: Any, y: Any) -> Any:
    scale = _scalar(xp, _SELU_SCALE, y.dtype)
    return xp.where(y < 0, g * (y + scale * _scalar(xp, _SELU_ALPHA, y.dtype)), g * scale)


@selu_grad_op.gradient
def _(gg: Tensor, ans: Tensor, g: Tensor, y: Tensor) -> tuple:
    return selu_grad_op(gg, y), _where_negative(y, gg * g)


@register("Softsign")
def softsign_op(xp: Any, x: Any) -> Any:
    return x / (_scalar(xp, 1, x.dtype) + xp.abs(x))


@softsign_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    from ..math import api as ma

    return g / ma.square(ma.abs(x) + _const(x, 1))


def _const(like: Tensor, value: float) -> Tensor:
    from ..registry import constant_like

    return constant_like(value, like)  # on like's device, without a host->device copy


def _tail(*inputs: Any) -> str | None:
    # TF's slow eager path (taken for Python list inputs) leaves the op name out of errors
    return None if any(isinstance(i, (list, tuple)) for i in inputs) else ""


def _unary(op: Any, features: Any) -> Tensor:
    x = tensor(features)
    if isinstance(features, (list, tuple)):
        with slow_path(features):
            return op(x)
    return op(x)


def relu(features: Any, name: str | None = None) -> Tensor:
    """max(features, 0) (``tf.nn.relu``).

    >>> relu([-1, 2]).numpy()
    array([0, 2], dtype=int32)
    """
    return _unary(relu_op, features)


def relu6(features: Any, name: str | None = None) -> Tensor:
    """min(max(features, 0), 6) (``tf.nn.relu6``).

    >>> relu6([-1.0, 8.0]).numpy()
    array([0., 6.], dtype=float32)
    """
    return _unary(relu6_op, features)


def leaky_relu(features: Any, alpha: float = 0.2, name: str | None = None) -> Tensor:
    """features where positive, else alpha * features; integer input becomes float32 (``tf.nn.leaky_relu``).

    >>> leaky_relu([-1.0, 2.0]).numpy()
    array([-0.2,  2. ], dtype=float32)
    """
    x = tensor(features)
    if x._dtype.is_integer:
        from ..math.elementwise import cast_op

        x = cast_op(x, dtype=np.dtype(np.float32))
    if isinstance(alpha, np.ndarray):
        alpha = alpha.item()
    if not isinstance(alpha, numbers.Real):
        raise TypeError(f"Expected float for argument 'alpha' not {alpha!r}.")
    return leaky_relu_op(x, alpha=float(alpha))


def elu(features: Any, name: str | None = None) -> Tensor:
    """features where positive, else exp(features) - 1 (``tf.nn.elu``).

    >>> elu([0.0, 1.0]).numpy()
    array([0., 1.], dtype=float32)
    """
    return _unary(elu_op, features)


def selu(features: Any, name: str | None = None) -> Tensor:
    """Scaled ELU with the self-normalizing constants (``tf.nn.selu``).

    >>> selu([0.0]).numpy()
    array([0.], dtype=float32)
    """
    return _unary(selu_op, features)


def softsign(features: Any, name: str | None = None) -> Tensor:
    """features / (|features| + 1) (``tf.nn.softsign``).

    >>> softsign([1.0]).numpy()
    array([0.5], dtype=float32)
    """
    return _unary(softsign_op, features)


def gelu(features: Any, approximate: bool = False, name: str | None = None) -> Tensor:
    """Gaussian error linear unit, exact (erfc) or with TF's tanh approximation (``tf.nn.gelu``).

    >>> gelu([0.0]).numpy()
    array([0.], dtype=float32)
    """
    from ..math import api as ma

    x = tensor(features)
    if not x._dtype.is_floating:
        raise ValueError(f"`features.dtype` must be a floating point tensor.Received:features.dtype={x._dtype}")
    if approximate:
        cubic = x + _const(x, 0.044715) * ma.pow(x, _const(x, 3))
        return _const(x, 0.5) * x * (_const(x, 1.0) + ma.tanh(_const(x, 0.7978845608028654) * cubic))
    return _const(x, 0.5) * x * ma.erfc(-x * _const(x, 0.7071067811865476))


def silu(features: Any, beta: Any = 1.0) -> Tensor:
    """features * sigmoid(beta * features) (``tf.nn.silu``, ``tf.nn.swish``).

    >>> silu([0.0]).numpy()
    array([0.], dtype=float32)
    """
    from ..math import api as ma
    from ..math.elementwise import cast_op

    x = tensor(features)
    if isinstance(beta, (int, float)) and not isinstance(beta, bool):
        # TF converts a Python beta to float32 (or int32) and casts that: the same value, made on x's device
        return x * ma.sigmoid(_const(x, float(np.float32(beta))) * x)
    b = tensor(beta)
    if b._dtype is not x._dtype:
        b = cast_op(b, dtype=x._dtype._np)
    return x * ma.sigmoid(b * x)


swish = silu


# --- softmax --------------------------------------------------------------------------------------------------


def _shifted(xp: Any, x: Any, axis: int) -> Any:
    x = _wide(x)
    if not x.shape[axis]:
        return x
    with np.errstate(invalid="ignore"):  # an all -inf row gives NaN, as in TF
        return x - x.max(axis=axis, keepdims=True)


@register("Softmax")
def softmax_op(xp: Any, x: Any, axis: int = -1) -> Any:
    e = xp.exp(_shifted(xp, x, axis))
    # TF's kernel multiplies by the reciprocal of the sum (not a division): the same last bits as TF
    return (e * (1 / e.sum(axis=axis, keepdims=True))).astype(x.dtype, copy=False)


@softmax_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, axis: int = -1) -> Any:
    from ..math.reduce import sum_op

    return (g - sum_op(g * ans, axis=(axis,), keepdims=True)) * ans


@register("LogSoftmax")
def log_softmax_op(xp: Any, x: Any, axis: int = -1) -> Any:
    s = _shifted(xp, x, axis)
    return (s - xp.log(xp.exp(s).sum(axis=axis, keepdims=True))).astype(x.dtype, copy=False)


@log_softmax_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, axis: int = -1) -> Any:
    from ..math.elementwise import exp_op
    from ..math.reduce import sum_op

    return g - sum_op(g, axis=(axis,), keepdims=True) * exp_op(ans)


def _softmax(op: Any, logits: Any, axis: Any) -> Tensor:
    x = tensor(logits)
    axis = -1 if axis is None else axis
    if isinstance(axis, Tensor):
        axis = int(np.asarray(axis._numpy()))
    nd = x._value.ndim
    if axis != -1 and axis != nd - 1 and not -nd <= axis < nd:
        raise InvalidArgumentError(None, None, f"`dim` must be in the range [{-nd}, {nd}) where {nd} is the number of "
                                               f"dimensions in the input. Received: dim={axis}")
    op.check(x)  # before the kernel's checks
    if op.name == "Softmax" and x._dtype in (_d.float32, _d.bfloat16) and not 1 <= nd <= 5 and on_cpu():  # oneDNN
        raise kernel_error(op.name, "Input dims must be <= 5 and >=1", cls=AbortedError)
    if nd == 0:
        raise kernel_error(op.name, "logits must have >= 1 dimension, got []")
    return op(x, axis=axis % nd)


def softmax(logits: Any, axis: Any = None, name: str | None = None) -> Tensor:
    """exp(logits) / sum(exp(logits)) along ``axis`` (``tf.nn.softmax``).

    >>> softmax([0.0, 0.0]).numpy()
    array([0.5, 0.5], dtype=float32)
    """
    return _softmax(softmax_op, logits, axis)


def log_softmax(logits: Any, axis: Any = None, name: str | None = None) -> Tensor:
    """logits - log(sum(exp(logits))) along ``axis`` (``tf.nn.log_softmax``).

    >>> log_softmax([0.0, 0.0]).numpy()
    array([-0.6931472, -0.6931472], dtype=float32)
    """
    return _softmax(log_softmax_op, logits, axis)


# --- losses ---------------------------------------------------------------------------------------------------


@register("L2Loss")
def l2_loss_op(xp: Any, x: Any) -> Any:
    w = _wide(x)
    return xp.asarray((w * w).sum() / 2, dtype=x.dtype)


@l2_loss_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    return x * g


def l2_loss(t: Any, name: str | None = None) -> Tensor:
    """sum(t ** 2) / 2 (``tf.nn.l2_loss``).

    >>> l2_loss([1.0, 2.0]).numpy()
    np.float32(2.5)
    """
    return _unary(l2_loss_op, t)


# --- bias_add -------------------------------------------------------------------------------------------------


@register("BiasAdd")
def bias_add_op(xp: Any, value: Any, bias: Any, channel_axis: int = -1) -> Any:
    shape = [1] * value.ndim
    shape[channel_axis] = bias.shape[0]
    return value + bias.reshape(shape)


@bias_add_op.gradient
def _(g: Tensor, ans: Tensor, value: Tensor, bias: Tensor, channel_axis: int = -1) -> tuple:
    return g, bias_add_grad_op(g, channel_axis=channel_axis)


@register("BiasAddGrad")
def bias_add_grad_op(xp: Any, g: Any, channel_axis: int = -1) -> Any:
    axes = tuple(i for i in range(g.ndim) if i != channel_axis % g.ndim)
    return g.sum(axis=axes).astype(g.dtype, copy=False)


@bias_add_grad_op.gradient
def _(gg: Tensor, ans: Tensor, g: Tensor, channel_axis: int = -1) -> Any:
    from ..array.core import broadcast_to_op, reshape_op

    shape = [1] * g._value.ndim
    shape[channel_axis] = gg._value.shape[0]
    return broadcast_to_op(reshape_op(gg, shape=tuple(shape)), shape=g._value.shape)


def bias_add(value: Any, bias: Any, data_format: str | None = None, name: str | None = None) -> Tensor:
    """Adds a 1-D ``bias`` along the channel axis (last, or 1 for ``NC...`` formats).

    >>> bias_add([[1.0, 2.0]], [10.0, 20.0]).numpy()
    array([[11., 22.]], dtype=float32)
    """
    if data_format is not None:
        if data_format.startswith("NC"):
            data_format = "NCHW"
        elif data_format.startswith("N") and data_format.endswith("C"):
            data_format = "NHWC"
        else:
            raise ValueError(f"`data_format` must be of the form `N...C` or `NC...`. Received: data_format="
                             f"{data_format}")
    tail = _tail(value, bias)
    x = tensor(value)
    b = bias if type(bias) is Tensor else hinted(bias, x._dtype)
    bias_add_op.check(x, b)  # before the shapes
    xs, bs = x._value.shape, b._value.shape
    if len(xs) < 2:
        raise kernel_error("BiasAdd", f"Input tensor must be at least 2D: {shape_text(xs)}", name=tail)
    if len(bs) != 1:
        raise kernel_error("BiasAdd", f"Biases must be 1D: {shape_text(bs)}", name=tail)
    axis = 1 if data_format == "NCHW" else len(xs) - 1
    if bs[0] != xs[axis]:
        which = "channel dimension" if data_format == "NCHW" else "last dimension"
        raise kernel_error("BiasAdd", f"Must provide as many biases as the {which} of the input tensor: "
                                      f"{shape_text(bs)} vs. {shape_text(xs)}", name=tail)
    return bias_add_op(x, b, channel_axis=axis)
