"""Loss scaling for training under a strategy: ``tf.nn.compute_average_loss`` (sum of per-example losses over
the global batch) and ``tf.nn.scale_regularization_loss`` (a regularization loss divided by the number of
replicas), so that summing the replicas' gradients gives the gradient of the global loss.

>>> import featherflow as tf
>>> tf.nn.compute_average_loss([1.0, 2.0, 3.0], global_batch_size=6).numpy()
np.float32(1.0)
"""

from __future__ import annotations

from typing import Any

from ..device import device_scope
from ..dtypes import float32 as _float32
from ..ops.array.core import expand_dims, shape, squeeze
from ..ops.array.create import cast
from ..ops.debugging.checks import assert_integer, assert_non_negative, assert_scalar
from ..ops.math.api import divide_no_nan, multiply
from ..ops.math.reduce import reduce_sum
from ..tensor import convert_to_tensor
from . import context as _ctx


def _scale_losses_by_sample_weight(losses: Any, sample_weight: Any) -> Any:
    """``losses * sample_weight`` in float32, the weights' last dimension squeezed or added to match the
    losses' rank (TF's ``losses_util.scale_losses_by_sample_weight``)."""
    losses = cast(losses, _float32)
    sample_weight = cast(sample_weight, _float32)
    losses_rank, weights_rank = losses.shape.rank, sample_weight.shape.rank
    if weights_rank != 0:
        if weights_rank - losses_rank == 1:
            sample_weight = squeeze(sample_weight, [-1])
        elif losses_rank - weights_rank == 1:
            sample_weight = expand_dims(sample_weight, -1)
    return multiply(losses, sample_weight)


def compute_average_loss(per_example_loss: Any, sample_weight: Any = None, global_batch_size: Any = None) -> Any:
    """The sum of ``per_example_loss`` (weighted by ``sample_weight``) divided by ``global_batch_size``
    (default: the first dimension of the losses times the number of replicas); 0 for a global batch of 0."""
    per_example_loss = convert_to_tensor(per_example_loss)
    input_dtype = per_example_loss.dtype
    rank = per_example_loss.shape.rank
    if rank == 0:
        raise ValueError("Invalid value passed for `per_example_loss`. Expected a tensor with at least rank 1. "
                         f"Received per_example_loss={per_example_loss} with rank {rank}")
    if sample_weight is not None:
        sample_weight = convert_to_tensor(sample_weight)
        per_example_loss = _scale_losses_by_sample_weight(per_example_loss, sample_weight)
    per_example_loss = cast(per_example_loss, input_dtype)
    # the batch size is made and checked on the host, as TF keeps int32 shapes in host memory: the checks read
    # it there, not back from a GPU
    with device_scope("/device:CPU:0"):
        if global_batch_size is None:
            if _ctx.has_strategy() and _ctx.in_cross_replica_context():
                raise RuntimeError("You are calling `compute_average_loss` in cross replica context, while it "
                                   "was expected to be called in replica context.")
            num_replicas = _ctx.get_strategy().num_replicas_in_sync
            global_batch_size = shape(per_example_loss)[0] * num_replicas
        global_batch_size = convert_to_tensor(global_batch_size)
        assert_scalar(global_batch_size, message="global_batch_size must be scalar.")
        assert_integer(global_batch_size, message="global_batch_size must be an integer.")
        assert_non_negative(global_batch_size, message="global_batch_size must be non-negative.")
    loss = reduce_sum(per_example_loss)
    return divide_no_nan(loss, cast(global_batch_size, input_dtype))


def scale_regularization_loss(regularization_loss: Any) -> Any:
    """The sum of ``regularization_loss`` divided by the number of replicas in sync."""
    if _ctx.has_strategy() and _ctx.in_cross_replica_context():
        raise RuntimeError("You are calling `scale_regularization_loss` in cross replica context, while it was "
                           "expected to be called in replica context.")
    num_replicas = _ctx.get_strategy().num_replicas_in_sync
    return reduce_sum(regularization_loss) / num_replicas
