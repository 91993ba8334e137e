"""``tf.strings.ngrams``: the op ``StringNGrams`` (TF's kernel ported as is) and TF's wrapper over dense and ragged
inputs, which forms n-grams along the innermost dimension.

>>> import featherflow as tf
>>> tf.strings.ngrams(["A", "B", "C", "D"], 2).numpy()
array([b'A B', b'B C', b'C D'], dtype=object)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import _make_typed_host, kernel_error
from .. import dispatch as _dispatch
from ..convert import tensor
from ..ragged import RaggedTensor
from ..registry import register
from .core import on_host


def _pad_width(pad_width: int, ngram_width: int) -> int:
    # never wider than ngram_width - 1; a negative attr means "ngram_width - 1"
    return min(ngram_width - 1 if pad_width < 0 else pad_width, ngram_width - 1)


def _num_ngrams(length: int, ngram_width: int, pad_width: int) -> int:
    return max(0, length + 2 * _pad_width(pad_width, ngram_width) - ngram_width + 1)


def _make_ngrams(tokens: Any, count: int, width: int, sep: bytes, left: bytes, right: bytes, pad_width: int) -> list:
    pad = _pad_width(pad_width, width)
    out = []
    for index in range(count):
        n_left = max(0, pad - index)
        n_right = max(0, pad - (count - (index + 1)))
        n_tokens = width - (n_left + n_right)
        start = 0 if n_left > 0 else index - pad
        out.append(sep.join([left] * n_left + list(tokens[start:start + n_tokens]) + [right] * n_right))
    return out


@register("StringNGrams", n_outputs=2, host_only=True)  # TF registers no gradient
def string_ngrams_op(xp: Any, data: Any, splits: Any, separator: bytes, ngram_widths: tuple, left_pad: bytes,
                     right_pad: bytes, pad_width: int, preserve_short_sequences: bool) -> Any:
    for width in ngram_widths:
        if width <= 0:
            raise kernel_error("StringNGrams", "ngram_widths must contain positive values")
    n_data = data.size
    if splits.size:
        if splits[0] != 0:
            raise kernel_error("StringNGrams", f"First split value must be 0, got {splits[0]}")
        for prev, cur in zip(splits[:-1], splits[1:]):
            if not prev <= cur <= n_data:
                raise kernel_error("StringNGrams", f"Invalid split value {cur}, must be in [{prev}, {n_data}]")
        if splits[-1] != n_data:
            raise kernel_error("StringNGrams", f"Last split value must be data size. Expected {n_data}, got "
                                               f"{splits[-1]}")
    out_splits = np.zeros(splits.shape, splits.dtype)
    if n_data == 0 or splits.size == 0:
        return np.empty(data.shape, object), out_splits
    rows = []
    for i in range(splits.size - 1):
        tokens = data[splits[i]:splits[i + 1]]
        row = []
        for width in ngram_widths:
            row += _make_ngrams(tokens, _num_ngrams(len(tokens), width, pad_width), width, separator, left_pad,
                                right_pad, pad_width)
        if preserve_short_sequences and not row and len(tokens):
            if pad_width < 0:
                raise kernel_error("StringNGrams", "Pad width should be >= 0 when preserve_short_sequences is True "
                                                   f"and ngram_widths are not provided, got {pad_width}")
            row = _make_ngrams(tokens, 1, len(tokens) + 2 * pad_width, separator, left_pad, right_pad, pad_width)
        rows.append(row)
    np.cumsum([len(r) for r in rows], out=out_splits[1:])
    values = np.empty(int(out_splits[-1]), object)
    values[:] = [g for r in rows for g in r] if values.size else []
    return values, out_splits


def _as_bytes(value: Any) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


@on_host
@_dispatch.add_dispatch_support
def ngrams(data: Any, ngram_width: Any, separator: str = " ", pad_values: Any = None, padding_width: int | None = None,
           preserve_short_sequences: bool = False, name: str | None = None) -> Any:
    """The n-grams of the innermost dimension of ``data``, joined with ``separator`` (``tf.strings.ngrams``).

    >>> ngrams([["a", "b", "c"]], 2, pad_values="#").numpy()
    array([[b'# a', b'a b', b'b c', b'c #']], dtype=object)
    """
    if pad_values is None:
        left_pad = right_pad = b""
    elif isinstance(pad_values, (list, tuple)):
        if not isinstance(pad_values[0], (str, bytes)) or not isinstance(pad_values[1], (str, bytes)):
            raise TypeError("pad_values must be a string, tuple of strings, or None.")
        left_pad, right_pad = _as_bytes(pad_values[0]), _as_bytes(pad_values[1])
    else:
        if not isinstance(pad_values, (str, bytes)):
            raise TypeError("pad_values must be a string, tuple of strings, or None.")
        left_pad = right_pad = _as_bytes(pad_values)
    if padding_width is not None and padding_width < 1:
        raise ValueError("padding_width must be greater than 0.")
    if padding_width is not None and pad_values is None:
        raise ValueError("pad_values must be provided if padding_width is set.")
    if not isinstance(data, RaggedTensor):
        data = tensor(data, _dtypes.string)
        string_ngrams_op.check_input(0, data)
    widths = tuple(ngram_width) if isinstance(ngram_width, (list, tuple)) else (ngram_width,)
    attrs = dict(separator=_as_bytes(separator), left_pad=left_pad, right_pad=right_pad,
                 pad_width=0 if pad_values is None else (-1 if padding_width is None else int(padding_width)),
                 preserve_short_sequences=bool(preserve_short_sequences))
    if isinstance(data, RaggedTensor):
        return _ragged_ngrams(data, widths, ngram_width, attrs)
    rank = data.shape.rank
    if rank == 0:
        raise ValueError("Data must have rank>0")
    shape = data.shape.as_list()
    rows = int(np.prod(shape[:-1]))
    rt = RaggedTensor.from_uniform_row_length(_make_typed_host(data._numpy().reshape(-1)), shape[-1], nrows=rows)
    out = _ragged_ngrams(rt, widths, ngram_width, attrs).flat_values
    return _make_typed_host(out._numpy().reshape(shape[:-1] + [-1])) if rank > 1 else out


def _ragged_ngrams(data: RaggedTensor, widths: tuple, ngram_width: Any, attrs: dict) -> RaggedTensor:
    if data.ragged_rank > 1:
        return data.with_values(_ragged_ngrams(data.values, widths, ngram_width, attrs))
    for width in widths:
        if width < 1:
            raise ValueError(f"All ngram_widths must be greater than 0. Got {ngram_width}")
    values, splits = string_ngrams_op(data.values, data.row_splits, ngram_widths=tuple(int(w) for w in widths),
                                      **attrs)
    return RaggedTensor.from_row_splits(values, splits, validate=False)
