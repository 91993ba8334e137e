"""``tf.debugging`` assertions, ``tf.Assert`` and ``check_numerics``, with TF's eager messages.

>>> import featherflow as tf
>>> tf.debugging.assert_equal(tf.constant([1, 2]), tf.constant([1, 2]))  # passes: returns None
>>> tf.debugging.check_numerics(tf.constant([1.0, 2.0]), "ok").numpy()
array([1., 2.], dtype=float32)
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ... import dtypes as _dtypes
from ...backends import to_numpy
from ...errors import InvalidArgumentError
from ...tensor import Tensor, _make_typed_host, convert_to_tensor, kernel_error
from ..math import api as math_api
from ..registry import constant_like, register

NUMERIC_TYPES = frozenset({_dtypes.float16, _dtypes.float32, _dtypes.float64, _dtypes.int8, _dtypes.int16,
                           _dtypes.int32, _dtypes.int64, _dtypes.uint8, _dtypes.uint16, _dtypes.uint32, _dtypes.uint64,
                           _dtypes.qint8, _dtypes.qint16, _dtypes.qint32, _dtypes.quint8, _dtypes.quint16,
                           _dtypes.complex64, _dtypes.complex128, _dtypes.bfloat16})


def _prefix(message: Any) -> str:
    return f"{str(message)}.  " if message else ""


def _shape_and_dtype(x: Tensor) -> str:
    return f"shape={x.shape} dtype={x.dtype.name}"


def _pretty_print(item: Any, summarize: int) -> str:
    """One entry of an assertion's data, as TF's eager asserts print it."""
    if isinstance(item, Tensor):
        array = item.numpy()
        if np.isscalar(array):
            return str(array)
        flat = array.reshape(-1)
        items = [str(v) for v in flat[:summarize]]
        if len(items) < flat.size:
            items.append("...")
        return str(items)
    return str(item)


def _failure_data(sym: str, x: Tensor, y: Tensor, summarize: int, test: np.ndarray) -> list:
    data: list = [f"Condition x {sym} y did not hold."]
    if summarize > 0:
        xa, ya = np.asarray(x._numpy()), np.asarray(y._numpy())
        if xa.shape == ya.shape and xa.ndim:
            # where the shapes agree, the differing positions say more than the first few values
            mask = np.logical_not(test)
            indices = np.argwhere(mask).astype(np.int64)
            n = min(summarize, indices.shape[0])
            data += [f"Indices of first {n} different values:", indices[:n], "Corresponding x values:",
                     xa[mask].reshape(-1)[:n], "Corresponding y values:", ya[mask].reshape(-1)[:n]]
        x_flat, y_flat = xa.reshape(-1), ya.reshape(-1)
        nx, ny = min(x_flat.size, summarize), min(y_flat.size, summarize)
        data += [f"First {nx} elements of x:", x_flat[:nx], f"First {ny} elements of y:", y_flat[:ny]]
    return data


def _binary_assert(sym: str, compare: Callable, x: Any, y: Any, data: Any, summarize: Any, message: Any) -> None:
    x = convert_to_tensor(x)
    y = convert_to_tensor(y)
    test = np.asarray(compare(x, y)._numpy())
    if test.all():
        return None
    summarize = 3 if summarize is None else (10**9 if summarize < 0 else int(summarize))
    if data is None:
        data = _failure_data(sym, x, y, summarize, test)
    if message is not None:
        data = [message] + list(data)
    raise InvalidArgumentError(None, None, "\n".join(_pretty_print(d, summarize) for d in data))


def _binary(sym: str, compare: Callable, opname: str, example: str) -> Callable:
    def assertion(x: Any, y: Any, message: str | None = None, summarize: int | None = None,
                  name: str | None = None) -> None:
        return _binary_assert(sym, compare, x, y, None, summarize, message)

    assertion.__name__ = assertion.__qualname__ = opname
    assertion.__doc__ = (f"Raises InvalidArgumentError unless ``x {sym} y`` holds element-wise (broadcasting) "
                         f"(``tf.debugging.{opname}``); returns None.\n\n    >>> {opname}({example})\n    ")
    return assertion


assert_equal = _binary("==", math_api.equal, "assert_equal", "convert_to_tensor([1, 2]), [1, 2]")
assert_none_equal = _binary("!=", math_api.not_equal, "assert_none_equal", "convert_to_tensor([1, 2]), [3, 4]")
assert_less = _binary("<", math_api.less, "assert_less", "convert_to_tensor([1, 2]), [2, 3]")
assert_less_equal = _binary("<=", math_api.less_equal, "assert_less_equal", "convert_to_tensor([1, 2]), [1, 3]")
assert_greater = _binary(">", math_api.greater, "assert_greater", "convert_to_tensor([2, 3]), [1, 2]")
assert_greater_equal = _binary(">=", math_api.greater_equal, "assert_greater_equal", "convert_to_tensor([2, 3]), [2, 2]")


def _unary(sym: str, opname: str, compare: Callable, zero_first: bool, joined: bool = False) -> Callable:
    def assertion(x: Any, message: str | None = None, summarize: int | None = None, name: str | None = None) -> None:
        x = convert_to_tensor(x)
        head = f"Condition x {sym} 0 did not hold element-wise:"
        label = f"x ({_shape_and_dtype(x)}) = "
        # TF's assert_non_positive glues its two lines together; kept so messages match
        data = [_prefix(message), head + label] if joined else [_prefix(message), head, label]
        zero = constant_like(0, x)  # made on x's device (a converted zero would be copied there)
        a, b = (zero, x) if zero_first else (x, zero)
        return _binary_assert(sym, compare, a, b, data + [x], summarize, None)

    assertion.__name__ = assertion.__qualname__ = opname
    assertion.__doc__ = f"Raises InvalidArgumentError unless ``x {sym} 0`` element-wise (``tf.debugging.{opname}``)."
    return assertion


assert_positive = _unary(">", "assert_positive", math_api.less, True)
assert_negative = _unary("<", "assert_negative", math_api.less, False)
assert_non_negative = _unary(">=", "assert_non_negative", math_api.less_equal, True)
assert_non_positive = _unary("<=", "assert_non_positive", math_api.less_equal, False, joined=True)


def _summarize_eager(t: Tensor, summarize: Any) -> str:
    summarize = 3 if summarize is None else (t._value.size if summarize < 0 else summarize)
    array = t.numpy()
    if t._value.ndim:
        flat = array.reshape(-1)
        items = [str(v) for v in flat[:summarize]]
        if len(items) < flat.size:
            items.append("...")
    else:
        items = [str(array)] if summarize != 0 else []
    return ", ".join(items)


def Assert(condition: Any, data: Any, summarize: int | None = None, name: str | None = None) -> None:  # noqa: N802
    """Raises InvalidArgumentError with ``data`` summarized unless ``condition`` is true (``tf.Assert``).

    >>> Assert(True, ["never printed"])
    """
    if not condition:
        texts = [_summarize_eager(convert_to_tensor(d), summarize) for d in data]
        # str(): a 0-d tensor's __format__ would give its bare value
        raise InvalidArgumentError(None, None, f"Expected '{str(condition)}' to be true. Summarized data: "
                                               + "\n".join(texts))
    return None


def assert_near(x: Any, y: Any, rtol: Any = None, atol: Any = None, message: str | None = None,
                summarize: int | None = None, name: str | None = None) -> None:
    """Raises InvalidArgumentError unless ``|x - y| < atol + rtol * |y|`` element-wise; tolerances default to
    10 machine epsilons of the dtype (``tf.debugging.assert_near``).

    >>> assert_near([1.0], [1.0000001])
    """
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=x.dtype)
    dtype = x.dtype.real_dtype if x.dtype.is_complex else x.dtype
    eps = np.finfo(dtype.as_numpy_dtype).eps
    rtol = convert_to_tensor(10 * eps if rtol is None else rtol, dtype=dtype)
    atol = convert_to_tensor(10 * eps if atol is None else atol, dtype=dtype)
    xa, ya = x._numpy(), y._numpy()
    with np.errstate(all="ignore"):
        ok = np.all(np.abs(xa - ya) < atol._numpy() + rtol._numpy() * np.abs(ya))
    data = [_prefix(message), f"x and y not equal to tolerance rtol = {str(rtol)}, atol = {str(atol)}",
            f"x ({_shape_and_dtype(x)}) = ", x, f"y ({_shape_and_dtype(y)}) = ", y]
    return Assert(_make_typed_host(np.array(bool(ok))), data, summarize=summarize)


def _rank_of(rank: Any) -> int:
    r = convert_to_tensor(rank)
    assert_type(r, _dtypes.int32)
    if r._value.ndim != 0:
        raise ValueError("Rank must be a scalar.")
    return int(r._numpy())


def assert_rank(x: Any, rank: Any, message: str | None = None, name: str | None = None) -> None:
    """Raises ValueError unless ``x`` has rank ``rank`` (``tf.debugging.assert_rank``)."""
    x = convert_to_tensor(x)
    expected = _rank_of(rank)
    if x._value.ndim != expected:
        raise ValueError(f"{_prefix(message)}Tensor  must have rank {expected}.  Received rank {x._value.ndim}, "
                         f"shape {x.shape}")


def assert_rank_at_least(x: Any, rank: Any, message: str | None = None, name: str | None = None) -> None:
    """Raises ValueError unless ``x`` has rank ``rank`` or more (``tf.debugging.assert_rank_at_least``)."""
    x = convert_to_tensor(x)
    expected = _rank_of(rank)
    if x._value.ndim < expected:
        raise ValueError(f"{_prefix(message)}Tensor  must have rank at least {expected}.  Received rank "
                         f"{x._value.ndim}, shape {x.shape}")


def assert_rank_in(x: Any, ranks: Any, message: str | None = None, name: str | None = None) -> None:
    """Raises ValueError unless the rank of ``x`` is one of ``ranks`` (``tf.debugging.assert_rank_in``)."""
    x = convert_to_tensor(x)
    expected = tuple(_rank_of(r) for r in ranks)
    if x._value.ndim not in expected:
        raise ValueError(f"{_prefix(message)}Tensor  must have rank in {expected}.  Received rank {x._value.ndim}, "
                         f"shape {x.shape}")


def assert_type(tensor: Any, tf_type: Any, message: str | None = None, name: str | None = None) -> None:
    """Raises TypeError unless ``tensor`` has dtype ``tf_type`` (``tf.debugging.assert_type``)."""
    tf_type = _dtypes.as_dtype(tf_type)
    t = convert_to_tensor(tensor)
    if t.dtype != tf_type:
        raise TypeError(f"{_prefix(message)}tensor must be of type {tf_type!r}; got {t.dtype!r}")


def assert_integer(x: Any, message: str | None = None, name: str | None = None) -> None:
    """Raises TypeError unless ``x`` has an integer dtype (``tf.debugging.assert_integer``)."""
    x = convert_to_tensor(x)
    if not x.dtype.is_integer:
        raise TypeError(f'{_prefix(message)}Expected "x" to be integer type.  Found: tensor of dtype {x.dtype}')


def assert_scalar(tensor: Any, message: str | None = None, name: str | None = None) -> None:
    """Raises ValueError unless ``tensor`` is 0-d (``tf.debugging.assert_scalar``)."""
    t = convert_to_tensor(tensor)
    if t._value.ndim != 0:
        raise ValueError(f"{_prefix(message)}Expected scalar shape, saw shape: {t.shape}.")


def assert_proper_iterable(values: Any) -> None:
    """Raises TypeError if ``values`` is a tensor, array or string rather than a proper iterable."""
    if isinstance(values, (Tensor, np.ndarray, bytes, str)):
        raise TypeError(f'Expected argument "values" to be a "proper" iterable.  Found: {type(values)}')
    if not hasattr(values, "__iter__"):
        raise TypeError(f'Expected argument "values" to be iterable.  Found: {type(values)}')


def _known(size: Any) -> bool:
    try:
        int(size)
    except (ValueError, TypeError):
        return False
    return size is not None


def assert_shapes(shapes: Any, data: Any = None, summarize: int | None = None, message: str | None = None,
                  name: str | None = None) -> None:
    """Checks ranks and dimension sizes of several tensors at once; the same symbol (``'N'``) must mean the same
    size everywhere, ints are exact sizes, ``None``/``'.'`` any size, a leading ``...``/``'*'`` any leading
    dimensions (``tf.debugging.assert_shapes``).

    >>> assert_shapes([(np.ones([2, 3]), ("N", 3)), (np.ones([2]), ("N",))])
    """
    if isinstance(shapes, dict):
        shapes = shapes.items()
    prefix = _prefix(message)
    checks = []
    for x, symbolic in [(convert_to_tensor(x), s) for x, s in shapes if s is not None]:
        if not (hasattr(symbolic, "__iter__") or hasattr(symbolic, "__getitem__")):
            raise ValueError(f"{prefix}Tensor {_shape_and_dtype(x)}.  Specified shape must be an iterable.  An "
                             "iterable has the attribute `__iter__` or `__getitem__`.  Received specified shape: "
                             f"{symbolic}")
        symbols = tuple(symbolic)
        innermost = False
        for i, symbol in enumerate(symbols):
            if symbol is Ellipsis or (isinstance(symbol, str) and symbol == "*"):
                if i != 0:
                    raise ValueError(f"{prefix}Tensor {_shape_and_dtype(x)} specified shape index {i}.  Symbol `...` "
                                     "or `*` for a variable number of unspecified dimensions is only allowed as the "
                                     "first entry")
                innermost = True
        actual = [1] if x._value.ndim == 0 else list(x._value.shape)
        sizes = (symbols[1:] if innermost else symbols) or (1,)
        checks.append((x, innermost, actual, sizes))
    for x, innermost, _, sizes in checks:
        rank = len(sizes)
        if innermost:
            if rank not in (0, 1):
                assert_rank_at_least(x, rank, message=message)
        elif rank in (0, 1):
            assert_rank_in(x, [0, 1], message=message)
        else:
            assert_rank(x, rank, message=message)
    specified: dict = {}
    for x, innermost, actual, sizes in checks:
        for i, symbol in enumerate(sizes):
            if symbol is None or (isinstance(symbol, str) and symbol == "."):
                continue
            dim = i - len(sizes) if innermost else i
            if _known(symbol) or symbol in specified:
                if _known(symbol):
                    expected, why = int(symbol), "Specified explicitly"
                else:
                    expected, by, at = specified[symbol]
                    why = f"Specified by tensor {_shape_and_dtype(by)} dimension {at}"
                if int(actual[dim]) != expected:
                    raise ValueError(f"{prefix}{why}.  Tensor {_shape_and_dtype(x)} dimension {dim} must have size "
                                     f"{expected}.  Received size {actual[dim]}, shape {x.shape}")
            else:
                specified[symbol] = (actual[dim], x, dim)


def is_numeric_tensor(tensor: Any) -> bool:
    """Whether ``tensor`` is a Tensor of a numeric dtype (not bool or string) (``tf.debugging.is_numeric_tensor``)."""
    return isinstance(tensor, Tensor) and tensor.dtype in NUMERIC_TYPES


@register("CheckNumerics")
def check_numerics_op(xp: Any, x: Any, message: str) -> Any:
    if xp is np:
        has_nan, has_inf = bool(xp.isnan(x).any()), bool(xp.isinf(x).any())
    else:  # the check's data-dependent branch: one explicit copy of two flags to the host, as TF's GPU kernel
        has_nan, has_inf = to_numpy(xp.stack((xp.isnan(x).any(), xp.isinf(x).any()))).tolist()
    if has_nan or has_inf:
        what = "Inf and NaN" if has_nan and has_inf else ("NaN" if has_nan else "Inf")
        raise kernel_error("CheckNumerics", f"{message} : Tensor had {what} values")
    return x


@check_numerics_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, message: str) -> Any:
    # TF formats the op's message attr, which its gradient function reads back as bytes
    return check_numerics_op(g, message="Not a number (NaN) or infinity (Inf) values detected in gradient. "
                                        + repr(message.encode("utf-8")))


def check_numerics(tensor: Any, message: str, name: str | None = None) -> Tensor:
    """``tensor`` itself, or InvalidArgumentError if it holds a NaN or an Inf (``tf.debugging.check_numerics``).

    >>> check_numerics([1.0], "weights").numpy()
    array([1.], dtype=float32)
    """
    return check_numerics_op(convert_to_tensor(tensor), message=message)


def assert_all_finite(x: Any, message: str, name: str | None = None) -> Tensor:
    """``check_numerics`` under its other name (``tf.debugging.assert_all_finite``)."""
    return check_numerics(x, message, name)
