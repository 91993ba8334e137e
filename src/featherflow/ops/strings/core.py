"""String ops (``tf.strings``): a string tensor is a NumPy object array of Python ``bytes`` (str is encoded UTF-8).

String kernels run on the host (TF has no GPU string kernels either). Ops that return rows of different
lengths (``split``, ``unicode_decode`` of a vector, ...) return a ``tf.RaggedTensor``.

>>> import featherflow as tf
>>> tf.strings.length(["hello", "héllo"]).numpy()
array([5, 6], dtype=int32)
>>> tf.strings.split(["a b c", "d e"])
<tf.RaggedTensor [[b'a', b'b', b'c'], [b'd', b'e']]>
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any, Callable

import numpy as np

from ... import dtypes as _dtypes
from ...device import CPU, _scope
from ...errors import InvalidArgumentError, OutOfRangeError
from ...tensor import Tensor, _make_typed_host, convert_to_tensor, kernel_error
from .. import dispatch as _dispatch
from ..convert import axis_list, tensor
from ..ragged import RaggedTensor
from ..registry import OPS, register

_string = _dtypes.string


def on_host(fn: Callable) -> Callable:
    """Runs a string op's wrapper with the CPU as the current device: string tensors live in host memory only
    (TF places string kernels on the CPU whatever the device scope, too)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        scope = _scope
        if scope.device is CPU:
            return fn(*args, **kwargs)
        saved, scope.device = scope.device, CPU
        try:
            return fn(*args, **kwargs)
        finally:
            scope.device = saved

    return wrapper


def string_tensor(x: Any, op_name: str, index: int = 0) -> Tensor:
    """``x`` as a Tensor the op ``op_name`` takes as its input ``index`` (a string), or TF's dtype error."""
    t = tensor(x)
    OPS[op_name].check_input(index, t)
    return t


def map_strings(fn: Callable, array: np.ndarray, otype: Any = object) -> np.ndarray:
    """``fn`` applied to each element of an object array (0-d included), as an array of ``otype``."""
    out = np.empty(array.shape, dtype=otype)
    flat = out.reshape(-1)
    for i, value in enumerate(array.reshape(-1)):
        flat[i] = fn(value)
    return out


def _host(array: np.ndarray) -> Tensor:
    return _make_typed_host(array)


def _flat_rows(pieces: list, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    """Per-element lists as one flat values array and int64 row splits."""
    values = np.empty(sum(len(p) for p in pieces), dtype=dtype)
    i = 0
    for piece in pieces:
        for item in piece:
            values[i] = item  # one by one: NumPy must not see bytes or lists as sequences to unpack
            i += 1
    splits = np.zeros(len(pieces) + 1, dtype=np.int64)
    np.cumsum([len(p) for p in pieces], out=splits[1:])
    return values, splits


def ragged_from_flat(values: Tensor, splits: Tensor, shape: tuple) -> Any:
    """Rows cut from ``values`` for each element of an input of ``shape``: the single row for a scalar, a
    RaggedTensor for a vector, with uniform outer dimensions for higher ranks (as TF's ragged string ops)."""
    if not shape:
        return values
    result: Any = RaggedTensor(values, splits, internal=True)
    for axis in range(len(shape) - 1, 0, -1):
        result = RaggedTensor.from_uniform_rows(result, int(np.prod(shape[:axis])), shape[axis])
    return result


def nest_rows(pieces: list, shape: tuple, dtype: Any = object) -> Any:
    """``ragged_from_flat`` for per-element lists ``pieces``."""
    values, splits = _flat_rows(pieces, dtype)
    return ragged_from_flat(_host(values), _host(splits), shape)


# --- length, case, strip ------------------------------------------------------------------------

def _utf8_length(b: bytes) -> int:
    # every byte that is not a continuation byte (10xxxxxx) starts a character, as TF counts
    return len(b) - sum(1 for c in b if c & 0xC0 == 0x80)


@register("StringLength", host_only=True)
def string_length_op(xp: Any, x: Any, unit: str) -> Any:
    return map_strings(len if unit == "BYTE" else _utf8_length, x, np.int32)


@on_host
@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def length(input: Any, unit: str = "BYTE", name: str | None = None) -> Tensor:  # noqa: A002 - TF's name
    """The length of each string, in bytes or UTF-8 characters (``tf.strings.length``).

    >>> length("héllo", unit="UTF8_CHAR").numpy()
    np.int32(5)
    """
    string_length_op.check_attr("unit", unit)
    return string_length_op(string_tensor(input, "StringLength"), unit=unit)


def _case_op(name: str, ascii_fn: Callable, text_fn: Callable) -> Any:
    @register(name, host_only=True)
    def op(xp: Any, x: Any, encoding: str) -> Any:
        if encoding == "":
            return map_strings(ascii_fn, x)
        # as TF's ICU path: the text ends at a NUL byte, malformed bytes become U+FFFD
        return map_strings(lambda b: text_fn(b.split(b"\x00", 1)[0].decode("utf-8", "replace")).encode("utf-8"), x)
    return op


string_upper_op = _case_op("StringUpper", bytes.upper, str.upper)
string_lower_op = _case_op("StringLower", bytes.lower, str.lower)


def _case(op: Any, input: Any, encoding: str) -> Tensor:  # noqa: A002
    x = string_tensor(input, op.name)
    if encoding not in ("", "utf-8"):
        raise kernel_error(op.name, f"only utf-8 or '' (no encoding) is supported, received {encoding}")
    return op(x, encoding=encoding)


@on_host
@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def upper(input: Any, encoding: str = "", name: str | None = None) -> Tensor:  # noqa: A002
    """Upper-cases ASCII letters, or all letters with ``encoding="utf-8"`` (``tf.strings.upper``).

    >>> upper("abc").numpy()
    b'ABC'
    """
    return _case(string_upper_op, input, encoding)


@on_host
@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def lower(input: Any, encoding: str = "", name: str | None = None) -> Tensor:  # noqa: A002
    """Lower-cases ASCII letters, or all letters with ``encoding="utf-8"`` (``tf.strings.lower``).

    >>> lower("ABC").numpy()
    b'abc'
    """
    return _case(string_lower_op, input, encoding)


@register("StringStrip", host_only=True)
def string_strip_op(xp: Any, x: Any) -> Any:
    return map_strings(bytes.strip, x)  # ASCII whitespace, as absl::StripAsciiWhitespace


@on_host
@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def strip(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Strips leading and trailing ASCII whitespace (``tf.strings.strip``).

    >>> strip(" a b \\n").numpy()
    b'a b'
    """
    return string_strip_op(string_tensor(input, "StringStrip"))


# --- split, join --------------------------------------------------------------------------------

@register("StringSplitV2", n_outputs=0, host_only=True)
def string_split_op(xp: Any, x: Any, sep: bytes, maxsplit: int) -> Any:
    if maxsplit == 0:  # TF keeps each string whole, unstripped
        return _flat_rows([[s] for s in x.reshape(-1)], object)
    if not sep:
        return _flat_rows([_split_whitespace(s, maxsplit) for s in x.reshape(-1)], object)
    return _flat_rows([s.split(sep, maxsplit) for s in x.reshape(-1)], object)


_WHITESPACE = b" \t\n\r\x0b\x0c"  # C's isspace
_WORD = re.compile(rb"[^ \t\n\x0b\x0c\r]+")


def _split_whitespace(s: bytes, maxsplit: int) -> list:
    """TF's SplitV2 without a separator: words between runs of ASCII whitespace; after ``maxsplit`` words the rest
    (stripped on the left, possibly empty) is the last piece."""
    pieces = []
    text = s.lstrip(_WHITESPACE)
    while text:
        word = _WORD.match(text).group()
        pieces.append(word)
        text = text[len(word):].lstrip(_WHITESPACE)
        if len(pieces) == maxsplit:
            pieces.append(text)
            break
    return pieces


def _string_input(x: Any) -> Any:
    if isinstance(x, RaggedTensor):
        return x
    t = x if isinstance(x, Tensor) else convert_to_tensor(x, dtype=_string)
    if t._dtype is not _string:
        raise ValueError(f"input: Tensor conversion requested dtype string for Tensor with dtype {t._dtype.name}: "
                         f"{t!r}")
    return t


@on_host
def split(input: Any, sep: Any = None, maxsplit: int = -1, name: str | None = None) -> Any:  # noqa: A002
    """Splits each string on ``sep`` (runs of whitespace when None) into a RaggedTensor (a Tensor for a
    scalar input) (``tf.strings.split``).

    >>> split("a,b,,c", sep=",").numpy()
    array([b'a', b'b', b'', b'c'], dtype=object)
    """
    x = _string_input(input)
    if isinstance(x, RaggedTensor):
        return x.with_flat_values(split(x.flat_values, sep, maxsplit))
    sep_bytes = sep.encode("utf-8") if isinstance(sep, str) else (sep or b"")
    shape = x._value.shape
    values, splits = string_split_op(x, sep=sep_bytes, maxsplit=int(maxsplit))
    return ragged_from_flat(values, splits, shape)


def _split_elements(x: Any, fn: Callable) -> Any:
    if isinstance(x, RaggedTensor):
        return x.with_flat_values(_split_elements(x.flat_values, fn))
    array = x._numpy() if isinstance(x, Tensor) else x
    array = np.asarray(array, dtype=object)
    return nest_rows([fn(b) for b in array.reshape(-1)], array.shape)


@on_host
def bytes_split(input: Any, name: str | None = None) -> Any:  # noqa: A002
    """Splits each string into its bytes (``tf.strings.bytes_split``).

    >>> bytes_split("abc").numpy()
    array([b'a', b'b', b'c'], dtype=object)
    """
    x = _string_input(input)
    return _split_elements(x, lambda b: [b[i:i + 1] for i in range(len(b))])


@register("StringJoin", differentiable=False, host_only=True)
def string_join_op(xp: Any, *inputs: Any, separator: bytes) -> Any:
    shape = next((a.shape for a in inputs if a.ndim), ())
    columns = [np.broadcast_to(a, shape).reshape(-1) for a in inputs]
    out = np.empty(shape, dtype=object)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = separator.join(c[i] for c in columns)
    return out


@on_host
@_dispatch.add_dispatch_support
def join(inputs: Any, separator: str = "", name: str | None = None) -> Tensor:
    """Joins the strings of ``inputs`` element-wise; scalars broadcast (``tf.strings.join``).

    >>> join(["a", ["b", "c"]], separator="-").numpy()
    array([b'a-b', b'a-c'], dtype=object)
    """
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"Expected list for 'inputs' argument to 'string_join' Op, not {inputs!r}.")
    tensors = [string_tensor(x, "StringJoin", i) for i, x in enumerate(inputs)]
    if not tensors:
        return _host(np.array(b"", dtype=object))
    first = next((t._value.shape for t in tensors if t._value.ndim), None)
    for t in tensors:
        if t._value.ndim and t._value.shape != first:
            from ...device import _scope
            shapes = f"[{','.join(map(str, first))}] vs. [{','.join(map(str, t._value.shape))}]"
            raise InvalidArgumentError(None, None, f"{{{{function_node __wrapped__StringJoin_N_{len(tensors)}_device_"
                                                   f"{_scope.device.name}}}}} Input shapes do not match: {shapes} "
                                                   "[Op:StringJoin] name: ")
    sep = separator.encode("utf-8") if isinstance(separator, str) else separator
    return string_join_op(*tensors, separator=sep)


@_dispatch.dispatch_for_api(join, {"inputs": list[RaggedTensor]})
def _ragged_join(inputs: Any, separator: str = "", name: str | None = None) -> Any:
    """``join`` of ragged tensors of one partition (TF's ragged dispatch): the flat values joined."""
    from ..ragged import map_flat_values

    return map_flat_values(lambda *flat: join(list(flat), separator=separator), *inputs)


@register("ReduceJoin", differentiable=False, host_only=True)
def reduce_join_op(xp: Any, x: Any, axes: tuple, keep_dims: bool, separator: bytes) -> Any:
    keep = [a for a in range(x.ndim) if a not in axes]
    # TF varies the first listed axis fastest: it goes innermost
    moved = np.transpose(x, keep + list(reversed(axes)))
    kept_shape = tuple(x.shape[a] for a in keep)
    out = np.empty(kept_shape, dtype=object)
    flat = out.reshape(-1)
    flat_rows = moved.reshape((flat.size, int(np.prod([x.shape[a] for a in axes], dtype=np.int64))))
    for i in range(flat.size):
        flat[i] = separator.join(flat_rows[i])
    if keep_dims:
        out = out.reshape(tuple(1 if a in axes else x.shape[a] for a in range(x.ndim)))
    return out


@on_host
def reduce_join(inputs: Any, axis: Any = None, keepdims: bool = False, separator: str = "",
                name: str | None = None) -> Tensor:
    """Joins the strings along ``axis`` (all axes when None) (``tf.strings.reduce_join``).

    >>> reduce_join([["a", "b"], ["c", "d"]], axis=1, separator=",").numpy()
    array([b'a,b', b'c,d'], dtype=object)
    """
    x = string_tensor(inputs, "ReduceJoin")
    ndim = x._value.ndim
    if axis is None:
        axes: list = list(range(ndim - 1, -1, -1))
    else:
        given = axis_list(axis)
        given = [given] if isinstance(given, int) else list(given)
        axes = []
        for a in given:
            if not -ndim <= a < ndim:
                raise kernel_error("ReduceJoin", f"Invalid reduction dimension {a} for input with {ndim} "
                                                 "dimension(s)", OutOfRangeError)
            if a % ndim in axes:
                raise kernel_error("ReduceJoin", f"Duplicate reduction dimension {a}")
            axes.append(a % ndim)
    sep = separator.encode("utf-8") if isinstance(separator, str) else separator
    return reduce_join_op(x, axes=tuple(axes), keep_dims=bool(keepdims), separator=sep)


# --- numbers <-> strings ------------------------------------------------------------------------

_FLOAT_RE = re.compile(r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)", re.IGNORECASE)
_HEX_RE = re.compile(r"[+-]?0x(?:[0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(?:p[+-]?\d+)?", re.IGNORECASE)
_INT_RE = re.compile(r"[+-]?\d+")
_FLOAT32_MAX = float(np.finfo(np.float32).max)
_PLAIN_START = frozenset(bytes([c]) for c in b"+-.0123456789")


def _parse_number(text: bytes, np_type: Any) -> Any:
    """One string as TF's StringToNumber parses it (strtod/strtol rules after trimming ASCII whitespace)."""
    if text[:1] in _PLAIN_START and text[-1:].isdigit() and b"_" not in text:
        # The common case, a plain decimal number: Python reads it as strtod/strtol do (a text it refuses, such as
        # "1e5" as an int or "1..2", goes the long way below and is refused there too).
        try:
            value = int(text) if np_type not in (np.float32, np.float64) else float(text)
        except ValueError:
            pass
        else:
            return _number(value, np_type)
    s = text.strip(_WHITESPACE).decode("ascii", "replace")
    if np_type in (np.float32, np.float64):
        if _FLOAT_RE.fullmatch(s):
            value = float(s)
        elif _HEX_RE.fullmatch(s):
            value = float.fromhex(s)
        else:
            return None
        return _number(value, np_type)
    if not _INT_RE.fullmatch(s):
        return None
    return _number(int(s), np_type)


def _number(value: Any, np_type: Any) -> Any:
    """A parsed Python number as ``np_type``: floats overflow to inf, ints out of range are refused (None)."""
    if np_type is np.float64 or (np_type is np.float32 and not abs(value) > _FLOAT32_MAX):
        return np_type(value)
    if np_type is np.float32:  # only a float32 overflow needs quieting
        with np.errstate(over="ignore"):
            return np_type(value)
    info = np.iinfo(np_type)
    return np_type(value) if info.min <= value <= info.max else None


@register("StringToNumber", differentiable=False, host_only=True)
def string_to_number_op(xp: Any, x: Any, out_type: Any) -> Any:
    out = np.empty(x.shape, dtype=out_type)
    flat = out.reshape(-1)
    for i, s in enumerate(x.reshape(-1)):
        value = _parse_number(s, out_type)
        if value is None:
            raise kernel_error("StringToNumber", "StringToNumberOp could not correctly convert string: "
                               + s.decode("utf-8", "replace"))
        flat[i] = value
    return out


@on_host
@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def to_number(input: Any, out_type: Any = _dtypes.float32, name: str | None = None) -> Tensor:  # noqa: A002
    """Parses each string as a number of ``out_type`` (``tf.strings.to_number``).

    >>> to_number(["1.5", "2"]).numpy()
    array([1.5, 2. ], dtype=float32)
    """
    out_type = _dtypes.as_dtype(out_type)
    x = string_tensor(input, "StringToNumber")
    string_to_number_op.check_attr("out_type", out_type)
    return string_to_number_op(x, out_type=out_type._np.type)


@register("AsString", differentiable=False, host_only=True)
def as_string_op(xp: Any, x: Any, fmt: str | None, complex_parts: bool) -> Any:
    if x.dtype == np.bool_:
        return map_strings(lambda v: b"true" if v else b"false", x)
    if fmt is None:
        return x
    if x.dtype == object:
        return map_strings(lambda v: (fmt % v.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape"),
                           x)
    if x.dtype.kind in "iu":
        return map_strings(lambda v: (fmt % int(v)).encode(), x)
    # C's printf pads inf and nan with spaces even under the 0 flag
    special = fmt.replace("0", "", 1) if fmt[1:2] == "0" else fmt
    # half and bfloat16 print as float; TF's kernels read subnormals as zero
    part = np.float64 if x.dtype in (np.float64, np.complex128) else np.float32

    def one(v: float) -> str:
        if math.isnan(v) and math.copysign(1.0, v) < 0:  # C prints the sign of a NaN, Python does not
            return (special % -math.inf).replace("inf", "nan")
        if not math.isfinite(v):
            return special % v
        return fmt % (math.copysign(0.0, v) if abs(v) < np.finfo(part).tiny else v)

    if complex_parts:
        return map_strings(lambda v: f"({one(float(v.real))},{one(float(v.imag))})".encode(), x)
    return map_strings(lambda v: one(float(v)).encode(), x)


@on_host
@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def as_string(input: Any, precision: int = -1, scientific: bool = False, shortest: bool = False,  # noqa: A002
              width: int = -1, fill: str = "", name: str | None = None) -> Tensor:
    """Formats each element as a string, as C's printf would (``tf.strings.as_string``).

    >>> as_string([3.1415926, 2.71828], precision=2).numpy()
    array([b'3.14', b'2.72'], dtype=object)
    """
    x = tensor(input)
    dtype = x._dtype
    inexact = dtype.is_floating or dtype.is_complex
    from ...tensor import type_string
    if dtype is not _string and not inexact:
        if scientific or shortest:
            raise kernel_error("AsString", "scientific and shortest format not supported for datatype "
                               + type_string(dtype))
        if precision >= 0:
            raise kernel_error("AsString", f"precision not supported for datatype {type_string(dtype)}")
    if len(fill) > 1:
        raise kernel_error("AsString", "Fill string must be one or fewer characters")
    if scientific and shortest:
        raise kernel_error("AsString", "Cannot select both scientific and shortest notation")
    if fill and fill not in " +-0#":
        raise kernel_error("AsString", f'Fill argument not supported: "{fill}"')
    width = max(width, 0)
    if dtype is _string and width <= 0:
        fmt = None
    else:
        conv = "s" if dtype is _string else ("d" if dtype.is_integer else
                                              ("g" if shortest else "e" if scientific else "f"))
        fmt = "%" + fill + (str(width) if width else "") + (f".{precision}" if precision >= 0 else "") + conv
    return as_string_op(x, fmt=fmt, complex_parts=dtype.is_complex)


# --- substr -------------------------------------------------------------------------------------

def _forward_chars(s: bytes, n: int, pos: int) -> tuple[bool, int]:
    """Moves ``pos`` forward ``n`` UTF-8 characters (stopping at the end): TF's ForwardNUTF8CharPositions."""
    counted = 0
    while counted < n and pos < len(s):
        pos += 1
        while pos < len(s) and s[pos] & 0xC0 == 0x80:
            pos += 1
        counted += 1
    return counted == n, pos


def _back_chars(s: bytes, n: int, pos: int) -> tuple[bool, int]:
    """Moves ``pos`` back ``n`` UTF-8 characters (stopping at 0): TF's BackNUTF8CharPositions."""
    counted = 0
    while counted < n and pos > 0:
        pos -= 1
        while s[pos] & 0xC0 == 0x80 and pos > 0:
            pos -= 1
        counted += 1
    return counted == n, pos


def _utf8_span(s: bytes, pos: int, length: int) -> tuple[int, int] | None:
    """Byte start and end of TF's UTF8_CHAR substring, or None where TF reports pos out of range."""
    if pos >= 0:
        ok, start = _forward_chars(s, pos, 0)
        if not ok:
            return None
        return start, _forward_chars(s, length, start)[1]
    skip = max(-pos - length, 0)
    ok, end = _back_chars(s, skip, len(s))
    if not ok:
        return None
    ok, start = _back_chars(s, -pos - skip, end)
    return (start, end) if ok else None


@register("Substr", host_only=True)
def substr_op(xp: Any, x: Any, pos: Any, length: Any, unit: str) -> Any:
    xs, ps, ls = np.broadcast_arrays(x, pos, length)
    out = np.empty(xs.shape, dtype=object)
    flat = out.reshape(-1)
    for i, (s, p, n) in enumerate(zip(xs.reshape(-1), ps.reshape(-1), ls.reshape(-1))):
        p, n = int(p), int(n)
        if unit == "BYTE":
            size = len(s)
            if abs(p) > size:
                # TF's message is a C string: it ends at a NUL byte in the input
                text = f"pos {p} out of range for string b'{s.decode('utf-8', 'replace')}' at index {i}"
                raise kernel_error("Substr", text.split("\x00", 1)[0])
            start = p + size if p < 0 else p
            flat[i] = s[start:] if n < 0 else s[start:start + n]
        else:
            span = _utf8_span(s, p, n)
            if span is None:
                raise kernel_error("Substr", f"pos {p} out of range for string at index {i}")
            flat[i] = s[span[0]:span[1]]
    return out


@on_host
@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def substr(input: Any, pos: Any, len: Any, unit: str = "BYTE", name: str | None = None) -> Tensor:  # noqa: A002
    """The substrings starting at ``pos`` (negative: from the end) of length ``len`` (``tf.strings.substr``).

    >>> substr("hello", 1, 3).numpy()
    b'ell'
    """
    x = string_tensor(input, "Substr")
    p, n = tensor(pos), tensor(len)
    if p._value.shape != n._value.shape:
        raise kernel_error("Substr", f"pos and len should have the same shape, got: "
                                     f"[{','.join(map(str, p._value.shape))}] vs. "
                                     f"[{','.join(map(str, n._value.shape))}]")
    return substr_op(x, p, n, unit=unit)
