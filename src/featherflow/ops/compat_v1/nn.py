"""``tf.compat.v1.nn``'s functions whose signature differs from v2's: ``convolution`` (``filter``, padding
third), ``conv2d`` (``filter``, default strides), ``max_pool``/``avg_pool`` (2-D, ``value``), ``conv2d_transpose``
(``value``, ``filter``), ``ctc_loss`` (SparseTensor labels, the blank the last class), ``ctc_beam_search_decoder``
(``merge_repeated``), ``in_top_k`` (predictions first), ``dropout`` (``keep_prob``), ``moments`` (``keep_dims``),
the cross entropies (keyword arguments; no gradient into the labels) and ``depth_to_space``/``space_to_depth``.

>>> import numpy as np
>>> from featherflow.ops.compat_v1.nn import max_pool
>>> max_pool(np.arange(16.0).reshape(1, 4, 4, 1), 2, 2, "VALID").numpy().ravel().tolist()
[5.0, 7.0, 13.0, 15.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...dtypes import bfloat16 as _bfloat16
from ...dtypes import float16 as _float16
from ...dtypes import float32 as _float32
from ...tensor import Tensor, convert_to_tensor
from ..array.selection import in_top_k as _in_top_k
from ..convert import tensor
from ..nn import conv as _conv
from ..nn import conv_nd as _conv_nd
from ..nn import pooling as _pooling
from ..nn.ctc import ctc_loss_op
from . import deprecated_argument_lookup


def convolution(input: Any, filter: Any, padding: Any, strides: Any = None,  # noqa: A002 - TF's names
                dilation_rate: Any = None, name: str | None = None, data_format: str | None = None,
                filters: Any = None, dilations: Any = None) -> Tensor:
    """``tf.compat.v1.nn.convolution``: ``tf.nn.convolution`` with ``filter`` and ``padding`` first."""
    filter = deprecated_argument_lookup("filters", filters, "filter", filter)  # noqa: A001
    dilation_rate = deprecated_argument_lookup("dilations", dilations, "dilation_rate", dilation_rate)
    return _conv_nd.convolution(input, filter, strides=strides, padding=padding, data_format=data_format,
                                dilations=dilation_rate, name=name)


def max_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str | None = "NHWC",
             name: str | None = None, input: Any = None) -> Tensor:  # noqa: A002
    """``tf.compat.v1.nn.max_pool``: 2-D max pooling (``tf.nn.max_pool2d``) of ``value`` (or ``input``)."""
    value = deprecated_argument_lookup("input", input, "value", value)
    data_format = data_format or "NHWC"
    channel_index = 1 if data_format.startswith("NC") else 3
    window = _conv.get_sequence(ksize, 2, channel_index, "ksize")
    _conv.get_sequence(strides, 2, channel_index, "strides")
    if isinstance(padding, (list, tuple)) and data_format == "NCHW_VECT_C":
        raise ValueError(f"`data_format='NCHW_VECT_C'` is not supported with explicit padding. Received: "
                         f"padding={padding}")
    _conv.convert_padding(padding)
    if any(v == 0 for v in window):  # TF 1's check, before the kernel's
        raise ValueError(f"`ksize` cannot be zero. Received: ksize={window}")
    return _pooling.max_pool2d(value, ksize, strides, padding, data_format=data_format or "NHWC", name=name)


def avg_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str | None = "NHWC",
             name: str | None = None, input: Any = None) -> Tensor:  # noqa: A002
    """``tf.compat.v1.nn.avg_pool`` (and ``avg_pool2d``): 2-D average pooling of ``value`` (or ``input``)."""
    value = deprecated_argument_lookup("input", input, "value", value)
    return _pooling.avg_pool2d(value, ksize, strides, padding, data_format=data_format or "NHWC", name=name)


def conv2d_transpose(value: Any = None, filter: Any = None, output_shape: Any = None,  # noqa: A002
                     strides: Any = None, padding: str = "SAME", data_format: str = "NHWC", name: str | None = None,
                     input: Any = None, filters: Any = None, dilations: Any = None) -> Tensor:  # noqa: A002
    """``tf.compat.v1.nn.conv2d_transpose``: ``tf.nn.conv2d_transpose`` with ``value`` and ``filter``."""
    value = deprecated_argument_lookup("input", input, "value", value)
    filter = deprecated_argument_lookup("filters", filters, "filter", filter)  # noqa: A001
    return _conv.conv2d_transpose(value, filter, output_shape, strides, padding=padding, data_format=data_format,
                                  dilations=dilations, name=name)


def in_top_k(predictions: Any, targets: Any, k: Any, name: str | None = None) -> Tensor:
    """``tf.compat.v1.math.in_top_k`` (``tf.compat.v1.nn.in_top_k``): ``tf.math.in_top_k``, predictions first."""
    return _in_top_k(targets, predictions, k, name=name)


def ctc_loss(labels: Any, inputs: Any = None, sequence_length: Any = None, preprocess_collapse_repeated: bool = False,
             ctc_merge_repeated: bool = True, ignore_longer_outputs_than_inputs: bool = False, time_major: bool = True,
             logits: Any = None) -> Tensor:
    """``tf.compat.v1.nn.ctc_loss``: TF's CTCLoss of SparseTensor ``labels`` under (time, batch, classes)
    logits (``time_major=False``: batch first), the blank the last class. ``preprocess_collapse_repeated``
    merges repeated labels first; ``ignore_longer_outputs_than_inputs`` gives a sequence whose labels outrun
    its inputs a zero loss (and gradient) instead of an error. ``ctc_merge_repeated=False`` is refused:
    featherflow's CTCLoss kernel merges repeats, as TF's default."""
    from .._kernel_errors import slow_path
    from ..array.core import transpose
    from ..array.create import cast
    from ..sparse.tensor import SparseTensor

    if not isinstance(labels, SparseTensor):
        kind = "EagerTensor" if isinstance(labels, Tensor) else type(labels).__name__  # TF's eager tensor class
        raise TypeError(f"Expected argument `labels` to be a SparseTensor. Received labels={labels} of type: {kind}")
    if not ctc_merge_repeated:
        raise NotImplementedError("featherflow's CTCLoss kernel merges repeated labels (TF's default): "
                                  "ctc_merge_repeated=False is not supported")
    inputs = deprecated_argument_lookup("logits", logits, "inputs", inputs)
    inputs = convert_to_tensor(inputs)
    if not time_major:
        inputs = transpose(inputs, [1, 0, 2])
    orig_dtype = inputs.dtype
    if orig_dtype in (_float16, _bfloat16):
        inputs = cast(inputs, _float32)
    indices, values, seq_len = labels.indices, labels.values, tensor(sequence_length)
    # TF's kernel measures each sequence's labels as given (before collapsing repeats) against its length
    rows = np.asarray(tensor(indices).numpy())[:, 0]
    fits = np.bincount(rows, minlength=inputs.shape[1]) <= np.asarray(seq_len.numpy())
    with slow_path(sequence_length):  # a list: TF's slow path, whose kernel errors have no `` name: ``
        if not fits.all() and not ignore_longer_outputs_than_inputs:
            ctc_loss_op(inputs, indices, values, seq_len)  # the kernel's error
        if preprocess_collapse_repeated:
            indices, values = _collapse_repeated(indices, values)
        if fits.all():
            loss = ctc_loss_op(inputs, indices, values, seq_len)[0]
        else:
            loss = _loss_of_those_that_fit(inputs, indices, values, seq_len, np.flatnonzero(fits))
    if orig_dtype in (_float16, _bfloat16):
        loss = cast(loss, orig_dtype)
    return loss


def _loss_of_those_that_fit(inputs: Tensor, indices: Any, values: Any, seq_len: Tensor, keep: np.ndarray) -> Tensor:
    """CTCLoss of the sequences ``keep``; zero (and no gradient) for the others, whose labels outrun them."""
    from ..array.gather import gather
    from ..array.scatter import scatter_nd

    if not len(keep):  # an empty loss, still linked to the inputs: their gradient is zeros, as TF's
        from ..math.reduce import reduce_sum

        return scatter_nd(keep[:, None], reduce_sum(gather(inputs, keep, axis=1), axis=[0, 2]), [inputs.shape[1]])
    all_indices = np.asarray(tensor(indices).numpy())
    kept = np.isin(all_indices[:, 0], keep)
    sub_indices = all_indices[kept]
    sub_indices[:, 0] = np.searchsorted(keep, sub_indices[:, 0])  # rows renumbered among the kept
    sub_loss = ctc_loss_op(gather(inputs, keep, axis=1), tensor(sub_indices), gather(values, np.flatnonzero(kept)),
                           gather(seq_len, keep))[0]
    return scatter_nd(keep[:, None], sub_loss, [inputs.shape[1]])


def _collapse_repeated(indices: Any, values: Any) -> tuple:
    """The labels with each run of one label merged into one (TF's ``preprocess_collapse_repeated``)."""
    idx = np.asarray(tensor(indices).numpy())
    val = np.asarray(tensor(values).numpy())
    keep = np.ones(len(val), dtype=bool)
    keep[1:] = (val[1:] != val[:-1]) | (idx[1:, 0] != idx[:-1, 0])
    idx, val = idx[keep], val[keep]
    rows = idx[:, 0]
    starts = np.searchsorted(rows, rows, side="left")  # (indices are in row-major order)
    new_idx = np.stack([rows, np.arange(len(rows)) - starts], axis=1).astype(idx.dtype).reshape(-1, 2)
    return tensor(new_idx), tensor(val)


def ctc_beam_search_decoder(inputs: Any, sequence_length: Any, beam_width: int = 100, top_paths: int = 1,
                            merge_repeated: bool = True) -> tuple:
    """``tf.compat.v1.nn.ctc_beam_search_decoder``: beam search decoding that, by default, merges repeated
    labels of a path (v2's never does)."""
    from .._kernel_errors import slow_path
    from ..nn.ctc_beam import _decode

    with slow_path(inputs, sequence_length):
        return _decode(inputs, sequence_length, int(beam_width), int(top_paths), merge_repeated=bool(merge_repeated))


def conv2d(input: Any, filter: Any = None, strides: Any = None, padding: Any = None,  # noqa: A002
           use_cudnn_on_gpu: bool = True, data_format: str | None = "NHWC", dilations: Any = (1, 1, 1, 1),
           name: str | None = None, filters: Any = None) -> Tensor:
    """``tf.compat.v1.nn.conv2d``: ``tf.nn.conv2d`` with ``filter``, default strides of 1 and
    ``use_cudnn_on_gpu`` (which changes nothing)."""
    filter = deprecated_argument_lookup("filters", filters, "filter", filter)  # noqa: A001
    if not isinstance(padding, (str, list, tuple)):  # (None: the op's attribute check, which TF 1 reaches first)
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    _conv.convert_padding(padding)
    data_format = data_format or "NHWC"
    channel_index = 1 if data_format.startswith("NC") else 3
    strides = _conv.get_sequence(strides, 2, channel_index, "strides")
    dilations = _conv.get_sequence(list(dilations) if isinstance(dilations, tuple) else dilations, 2, channel_index,
                                   "dilations")
    return _conv.conv2d(input, filter, strides, padding, data_format=data_format, dilations=dilations, name=name)


def dropout(x: Any, keep_prob: Any = None, noise_shape: Any = None, seed: Any = None, name: str | None = None,
            rate: Any = None) -> Tensor:
    """``tf.compat.v1.nn.dropout``: ``tf.nn.dropout`` with ``keep_prob`` (``rate = 1 - keep_prob``)."""
    from ..nn.impl import dropout as _dropout

    try:
        rate_from_keep_prob = 1.0 - keep_prob if keep_prob is not None else None
    except TypeError:
        raise ValueError(f"`keep_prob` must be a floating point number or Tensor. Received: keep_prob={keep_prob}"
                         ) from None
    rate = deprecated_argument_lookup("rate", rate, "keep_prob", rate_from_keep_prob)
    if rate is None:
        raise ValueError(f"`rate` must be provided. Received: rate={rate}")
    return _dropout(x, rate, noise_shape=noise_shape, seed=seed, name=name)


def moments(x: Any, axes: Any, shift: Any = None, name: str | None = None, keep_dims: Any = None,
            keepdims: Any = None) -> tuple:
    """``tf.compat.v1.nn.moments``: ``tf.nn.moments`` with ``keep_dims``, ``keepdims``'s old name."""
    from ..nn.impl import moments as _moments

    keep_dims = deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    return _moments(x, axes, shift, keepdims=bool(keep_dims), name=name)


def _ensure_xent_args(name: str, labels: Any, logits: Any) -> None:
    if labels is None or logits is None:
        raise ValueError(f"Both `labels` and `logits` must be provided for {name}"
                         f"Received: labels={labels} and logits={logits}")


def sparse_softmax_cross_entropy_with_logits(labels: Any = None, logits: Any = None, name: str | None = None) -> Tensor:
    """``tf.compat.v1.nn.sparse_softmax_cross_entropy_with_logits`` (both arguments by keyword, TF 1's check)."""
    from ..nn.impl import sparse_softmax_cross_entropy_with_logits as _sparse_xent

    _ensure_xent_args("sparse_softmax_cross_entropy_with_logits", labels, logits)
    return _sparse_xent(labels, logits, name=name)


def softmax_cross_entropy_with_logits(labels: Any = None, logits: Any = None, dim: Any = -1, name: str | None = None,
                                      axis: Any = None) -> Tensor:
    """``tf.compat.v1.nn.softmax_cross_entropy_with_logits``: no gradient flows into ``labels`` (v2's lets it);
    ``dim`` is ``axis``'s old name (and, defaulting to -1, TF 1 refuses ``axis`` beside it)."""
    from ..array.core import stop_gradient
    from ..nn.impl import softmax_cross_entropy_with_logits as _xent

    dim = deprecated_argument_lookup("axis", axis, "dim", dim)
    _ensure_xent_args("softmax_cross_entropy_with_logits", labels, logits)
    return _xent(stop_gradient(labels), logits, axis=dim, name=name)


def depth_to_space(input: Any, block_size: Any, name: str | None = None,  # noqa: A002
                   data_format: str = "NHWC") -> Tensor:
    """``tf.compat.v1.nn.depth_to_space`` (``tf.compat.v1.depth_to_space``): ``name`` before ``data_format``."""
    from ..nn.space import depth_to_space as _depth_to_space

    return _depth_to_space(input, block_size, data_format, name)


def space_to_depth(input: Any, block_size: Any, name: str | None = None,  # noqa: A002
                   data_format: str = "NHWC") -> Tensor:
    """``tf.compat.v1.nn.space_to_depth`` (``tf.compat.v1.space_to_depth``): ``name`` before ``data_format``."""
    from ..nn.space import space_to_depth as _space_to_depth

    return _space_to_depth(input, block_size, data_format, name)
