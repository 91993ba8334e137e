"""``tf.print`` and ``tf.strings.format``: tensors rendered as TF's C++ runtime renders them (``Tensor::SummarizeValue``
with ``print_v2``): the first and last ``summarize`` entries of each dimension with ``...`` between, floats in the
shortest of 6/9 (float) or 15/17 (double) significant digits that reads back exactly, bools as 1/0, strings quoted
and C-escaped.

>>> import featherflow as tf, sys
>>> tf.print("x:", tf.range(10), output_stream=sys.stdout)
x: [0 1 2 ... 7 8 9]
"""

from __future__ import annotations

import math
import os
import re
import sys
from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ... import nest as _nest
from ...dtypes import DType
from ...tensor import Tensor, _make_typed_host, is_dense_tensor, is_tensor
from ..convert import tensor
from ..ragged import RaggedTensor
from ..registry import register
from ..strings.core import as_string, on_host

# C escapes of absl's Utf8SafeCEscape: named escapes, octal for other ASCII control bytes, bytes >= 0x80 kept
_ESCAPES = {i: f"\\{i:03o}" for i in list(range(0x20)) + [0x7F]}
_ESCAPES.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", ord('"'): '\\"', ord("'"): "\\'",
                 ord("\\"): "\\\\"})


def flush_denormal(value: float, np_type: Any) -> float:
    """TF's kernels run with denormals flushed to zero: a subnormal reads as a zero of its sign."""
    if 0 < abs(value) < np.finfo(np_type).tiny:
        return math.copysign(0.0, value)
    return value


def _float_text(value: float, digits: int, more_digits: int, np_type: Any) -> str:
    """C's ``%.{digits}g``, widened to ``%.{more_digits}g`` when it doesn't read back (TF's FloatToBuffer)."""
    if value != value:
        return "-nan" if np.signbit(value) else "nan"
    value = flush_denormal(value, np_type)
    text = f"{value:.{digits}g}"
    if np_type(float(text)) != value:
        text = f"{value:.{more_digits}g}"
    return text


def _element_formatter(dtype: DType) -> Any:
    """The function TF's PrintOneElement applies to one element of a tensor of ``dtype`` (None: printed as ?)."""
    if dtype is _dtypes.string:
        return lambda b: '"' + b.decode("utf-8", "surrogateescape").translate(_ESCAPES) + '"'
    if dtype is _dtypes.bool:
        return lambda v: "1" if v else "0"
    if dtype is _dtypes.float64:
        return lambda v: _float_text(float(v), 15, 17, np.float64)
    if dtype.is_floating:  # float32, and half / bfloat16 widened to float
        return lambda v: _float_text(float(np.float32(v)), 6, 9, np.float32)
    if dtype.is_integer:
        return lambda v: str(int(v))
    return None


def _spacing(dim: int, ndims: int) -> str:
    if dim == ndims - 1:
        return " "
    return "\n" * (ndims - dim - 1) + " " * (dim + 1)


def _print_dim_sub(out: list, array: Any, dim: int, ndims: int, ends: int, fmt: Any) -> None:
    if dim == ndims:
        out.append(fmt(array))
        return
    out.append("[")
    count = array.shape[0]
    for i in range(min(ends, count)):
        if i:
            out.append(_spacing(dim, ndims))
        _print_dim_sub(out, array[i], dim + 1, ndims, ends, fmt)
    if count > 2 * ends:
        out.append(_spacing(dim, ndims))
        out.append("...")
    for i in range(max(ends, count - ends), count):
        out.append(_spacing(dim, ndims))
        _print_dim_sub(out, array[i], dim + 1, ndims, ends, fmt)
    out.append("]")


def summarize_value(array: np.ndarray, dtype: DType, summarize: int) -> str:
    """TF's ``Tensor::SummarizeValue(summarize, print_v2=true)`` (bytes outside UTF-8 as surrogate escapes)."""
    num = array.size
    max_entries = num if summarize < 0 else summarize
    limit = min(max_entries, num)
    if limit == 0 and dtype is _dtypes.bool:
        return ""  # TF's bool printer returns early when it has no data to read
    fmt = _element_formatter(dtype)
    if fmt is None:  # complex and other types TF's printer leaves out
        text = " ".join("?" for _ in range(limit)) + ("..." if max_entries < num else "")
        return f"[{text}]" if array.ndim else text
    if array.ndim == 0:
        return " ".join(fmt(array[()]) for _ in range(limit)) + ("..." if num > limit else "")
    out: list = []
    _print_dim_sub(out, array, 0, array.ndim, limit, fmt)
    return "".join(out)


@register("StringFormat", host_only=True)
def string_format_op(xp: Any, *inputs: Any, template: str, placeholder: str, summarize: int, dtypes: tuple) -> Any:
    pieces = template.split(placeholder)
    out = [pieces[0]]
    for array, dtype, piece in zip(inputs, dtypes, pieces[1:]):
        out.append(summarize_value(array, dtype, summarize))
        out.append(piece)
    return np.array("".join(out).encode("utf-8", "surrogateescape"), dtype=object)


@on_host
def string_format(template: str, inputs: Any, placeholder: str = "{}", summarize: int = 3,
                  name: str | None = None) -> Tensor:
    """Formats tensors into ``template`` at each ``placeholder`` (``tf.strings.format``).

    >>> string_format("x={}", tensor(np.arange(1, 8))).numpy()
    b'x=[1 2 3 ... 5 6 7]'
    """
    if is_tensor(inputs) or isinstance(inputs, RaggedTensor):
        inputs = [inputs]
    if isinstance(inputs, (list, tuple)) and any(isinstance(x, RaggedTensor) for x in inputs):
        pieces = template.split(placeholder)
        if len(inputs) != len(pieces) - 1:
            raise ValueError("num placeholders in template and num inputs must match: "
                             f"{len(pieces) - 1} vs {len(inputs)}")
        return _format(template, placeholder, list(inputs), summarize)
    if template.count(placeholder) != len(inputs):
        raise ValueError(f"The template expects {template.count(placeholder)} tensors, but the inputs only has "
                         f"{len(inputs)}. Please ensure the number of placeholders in template matches inputs length.")
    return _format(template, placeholder, list(inputs), summarize)


def _format(template: str, placeholder: str, inputs: list, summarize: int) -> Tensor:
    if not any(isinstance(x, RaggedTensor) for x in inputs):
        tensors = [tensor(x) for x in inputs]
        return string_format_op(*tensors, template=template, placeholder=placeholder, summarize=int(summarize),
                                dtypes=tuple(t._dtype for t in tensors))
    # TF's ragged path: each input formatted on its own, ragged ones as nested Python-style lists
    pieces = template.split(placeholder)
    out = [pieces[0]]
    for x, piece in zip(inputs, pieces[1:]):
        if isinstance(x, RaggedTensor):
            out.append(ragged_to_string(x, summarize))
        else:
            t = tensor(x)
            out.append(summarize_value(t._numpy() if t._value.ndim else np.asarray(t._numpy()), t._dtype, summarize))
        out.append(piece)
    return _make_typed_host(np.array("".join(out).encode("utf-8", "surrogateescape"), dtype=object))


def ragged_to_string(rt: RaggedTensor, summarize: Any = None) -> str:
    """TF's ``ragged_tensor_to_string``: nested lists with ", " separators, strings single-quoted, numbers as
    ``tf.strings.as_string`` writes them; ``summarize`` keeps that many rows at each end of every dimension."""
    if summarize is not None and summarize != -1 and not (isinstance(summarize, int) and summarize > 0):
        raise ValueError(f"Expected summarize to be -1 or a positive int, got {summarize!r}")
    flat = rt.flat_values
    if flat.dtype is _dtypes.string:
        texts = flat.numpy()
        quoted = np.empty(texts.shape, dtype=object)
        for i, b in enumerate(texts.reshape(-1)):
            quoted.reshape(-1)[i] = b"'" + re.sub(rb"(['\\])", rb"\\\1", b) + b"'"
        as_text = _make_typed_host(quoted)
    else:
        as_text = as_string(flat)
    return _join_rows(rt.with_flat_values(as_text).to_list(), summarize)


def _join_rows(rows: Any, summarize: Any) -> str:
    if not isinstance(rows, list):
        return rows.decode("utf-8", "surrogateescape")
    pieces = [_join_rows(r, summarize) for r in rows]
    if summarize not in (-1, None) and len(pieces) > 2 * summarize:
        pieces = pieces[:summarize] + ["..."] + pieces[-summarize:]
    return "[" + ", ".join(pieces) + "]"


# --- tf.print -----------------------------------------------------------------------------------

_LOG_LEVELS = {20: "log(info)", 30: "log(warning)", 40: "log(error)"}  # logging.INFO, WARNING, ERROR


def _stream_name(output_stream: Any) -> str:
    if isinstance(output_stream, str) and output_stream.startswith("file://"):
        return output_stream
    if output_stream is sys.stdout:
        return "stdout"
    if output_stream is sys.stderr:
        return "stderr"
    logging = sys.modules.get("logging")  # a logging function passed in means logging is loaded
    for fn, level in () if logging is None else ((logging.info, "log(info)"), (logging.warning, "log(warning)"), (logging.warn, "log(warning)"),
                      (logging.error, "log(error)")):
        if output_stream is fn:
            return level
    if isinstance(output_stream, int) and output_stream in _LOG_LEVELS and not isinstance(output_stream, bool):
        return _LOG_LEVELS[output_stream]
    raise ValueError(f"Unsupported output stream, logging level, or file.{str(output_stream)}. Supported streams are "
                     "sys.stdout, sys.stderr, tf.logging.info, tf.logging.warning, tf.logging.error. File needs to be "
                     "in the form of 'file://<filepath>'.")


def _write(stream: Any, data: bytes) -> None:
    """Writes TF's bytes to a Python text stream (through its byte buffer when it has one, so that bytes which
    are not UTF-8 come out as TF writes them)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(data)
        buffer.flush()
    else:
        stream.write(data.decode("utf-8", "replace"))
        stream.flush()


@register("PrintV2", n_outputs=0, host_only=True)
def print_v2_op(xp: Any, message: Any, output_stream: str, end: str) -> Any:
    data = message[()] + end.encode("utf-8")
    if output_stream == "stdout":
        _write(sys.stdout, data)
    elif output_stream == "stderr":
        _write(sys.stderr, data)
    elif output_stream.startswith("file://"):
        with open(output_stream[len("file://"):], "ab") as f:
            f.write(data)
    else:
        import logging  # on first use: logging, pprint and random cost ~5 ms of `import featherflow`

        level = {"log(info)": logging.INFO, "log(warning)": logging.WARNING, "log(error)": logging.ERROR}[output_stream]
        logging.getLogger("tensorflow").log(level, data.decode("utf-8", "replace").rstrip("\n"))
    return ()


def _placeholder_for(text: str) -> str:
    """A placeholder that doesn't occur in ``text`` (TF's choice: "{}" then random digits from seed 5)."""
    import random  # on first use: logging, pprint and random cost ~5 ms of `import featherflow`

    placeholder = "{}"
    rng = random.Random(5)
    while placeholder in text:
        placeholder += str(rng.randint(0, 9))
    return placeholder


def _is_tensor_like(x: Any) -> bool:
    return is_dense_tensor(x) or isinstance(x, RaggedTensor)  # a SparseTensor prints as its Python repr, as in TF


@on_host
def print_v2(*inputs: Any, **kwargs: Any) -> None:
    """Prints tensors and Python values the way TF does (``tf.print``): to ``sys.stderr`` unless
    ``output_stream`` says otherwise (``sys.stdout``, ``"file://path"``, or a logging level); ``summarize`` entries
    at each end of each dimension (-1: all), ``sep`` between inputs, ``end`` after them.

    >>> import sys
    >>> print_v2("loss:", tensor(0.25), output_stream=sys.stdout)
    loss: 0.25
    """
    output_stream = kwargs.pop("output_stream", sys.stderr)
    kwargs.pop("name", None)
    summarize_n = kwargs.pop("summarize", 3)
    sep = kwargs.pop("sep", " ")
    end = kwargs.pop("end", os.linesep)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments for tf.print: {kwargs}")
    stream = _stream_name(output_stream)
    if (len(inputs) == 1 and is_dense_tensor(inputs[0]) and tensor(inputs[0])._value.ndim == 0
            and inputs[0].dtype is _dtypes.string):
        message = tensor(inputs[0])  # a lone scalar string prints raw, unquoted
    else:
        message = _format_inputs(inputs, sep, summarize_n)
    print_v2_op(message, output_stream=stream, end=end)


def _format_inputs(inputs: tuple, sep: str, summarize_n: int) -> Tensor:
    # Python values are rendered by pprint; tensors become placeholders that StringFormat fills in
    import pprint  # on first use: logging, pprint and random cost ~5 ms of `import featherflow`

    sorted_inputs = [dict(sorted(x.items())) if type(x).__name__ == "OrderedDict" else x for x in inputs]
    tensor_free = _nest.map_structure(lambda x: "" if _is_tensor_like(x) else x, sorted_inputs)
    placeholder = _placeholder_for(" ".join(pprint.pformat(x) for x in tensor_free))
    templates = []
    tensors = []
    for item in inputs:
        leaves = []
        for leaf in _nest.flatten(item):
            if _is_tensor_like(leaf):
                tensors.append(leaf if isinstance(leaf, RaggedTensor) else tensor(leaf))
                leaves.append(placeholder)
            else:
                leaves.append(leaf)
        if isinstance(item, str):
            templates.append(item)
        else:
            templates.append(pprint.pformat(_nest.pack_sequence_as(item, leaves)))
    template = sep.join(templates).replace("'" + placeholder + "'", placeholder)
    return _format(template, placeholder, tensors, summarize_n)
