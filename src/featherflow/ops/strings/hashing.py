"""String hashing (``tf.strings.to_hash_bucket*``) and ``tf.fingerprint``, with TF's exact hash values.

The hashes themselves are in ``_hashes`` (farmhash Fingerprint64, TF's Hash64, SipHash-2-4); these ops apply
them per string on the host, as TF's CPU-only kernels do.

>>> import featherflow as tf
>>> tf.strings.to_hash_bucket_fast(["Hello", "TensorFlow", "2.x"], 3).numpy()
array([0, 2, 2])
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ... import dtypes as _dtypes
from ...errors import InvalidArgumentError
from ...tensor import Tensor, kernel_error
from .. import dispatch as _dispatch
from .._contract import Contract
from ..convert import tensor
from ..registry import Op, register
from ._hashes import fingerprint64, hash64, siphash24
from .core import map_strings, on_host, string_tensor


def _bucket_error(op: Op, num_buckets: int) -> InvalidArgumentError:
    """TF's refusal of an int attr below its declared minimum of 1 (at the op's definition, before the kernel)."""
    if op.contract is None:
        op.contract = Contract(op)
    return InvalidArgumentError(None, None, f"Value for attr 'num_buckets' of {num_buckets} must be at least minimum "
                                            f"1\n\t; NodeDef: {{{{node {op.name}}}}}; Op<name={op.name}; "
                                            f"{op.contract.summary}> [Op:{op.name}] name: ")


def _buckets(hash_fn: Callable[[bytes], int], x: np.ndarray, num_buckets: int) -> np.ndarray:
    return map_strings(lambda s: hash_fn(s) % num_buckets, x, np.int64)


@register("StringToHashBucketFast", differentiable=False, host_only=True)
def string_to_hash_bucket_fast_op(xp: Any, x: Any, num_buckets: int) -> Any:
    return _buckets(fingerprint64, x, num_buckets)


@register("StringToHashBucket", differentiable=False, host_only=True)
def string_to_hash_bucket_op(xp: Any, x: Any, num_buckets: int) -> Any:
    return _buckets(hash64, x, num_buckets)


@register("StringToHashBucketStrong", differentiable=False, host_only=True)
def string_to_hash_bucket_strong_op(xp: Any, x: Any, num_buckets: int, key: tuple) -> Any:
    k0, k1 = key
    return _buckets(lambda s: siphash24(k0, k1, s), x, num_buckets)


def _hash_buckets(op: Op, input: Any, num_buckets: Any, **attrs: Any) -> Tensor:  # noqa: A002
    x = string_tensor(input, op.name)
    n = int(num_buckets)
    if n < 1:
        raise _bucket_error(op, n)
    return op(x, num_buckets=n, **attrs)


@on_host
@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def to_hash_bucket_fast(input: Any, num_buckets: int, name: str | None = None) -> Tensor:  # noqa: A002 - TF's name
    """Each string's farmhash Fingerprint64 modulo ``num_buckets`` (``tf.strings.to_hash_bucket_fast``).

    >>> to_hash_bucket_fast("Hello", 3).numpy()
    np.int64(0)
    """
    return _hash_buckets(string_to_hash_bucket_fast_op, input, num_buckets)


@on_host
@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def to_hash_bucket(string_tensor: Any, num_buckets: int, name: str | None = None) -> Tensor:
    """Each string's TF Hash64 modulo ``num_buckets`` (``tf.strings.to_hash_bucket``, deprecated in TF)."""
    return _hash_buckets(string_to_hash_bucket_op, string_tensor, num_buckets)


@on_host
@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def to_hash_bucket_strong(input: Any, num_buckets: int, key: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Each string's SipHash-2-4 under the 2-element ``key``, modulo ``num_buckets``
    (``tf.strings.to_hash_bucket_strong``).

    >>> to_hash_bucket_strong("Hello", 3, [1, 2]).numpy()
    np.int64(2)
    """
    op = string_to_hash_bucket_strong_op
    x = string_tensor(input, op.name)
    n = int(num_buckets)
    if n < 1:
        raise _bucket_error(op, n)
    key = tuple(int(k) for k in key)
    if any(not -(1 << 63) <= k < 1 << 63 for k in key):  # TF's list(int) attr holds int64s
        raise OverflowError("int too big to convert")
    key = tuple(k & 0xFFFFFFFFFFFFFFFF for k in key)  # which the kernel reads as uint64
    if len(key) != 2:
        # raised by the kernel's constructor, so TF's message lacks the trailing " name: "
        message = str(kernel_error(op.name, "Key must have 2 elements")).removesuffix(" name: ")
        raise InvalidArgumentError(None, None, message)
    return op(x, num_buckets=n, key=key)


# --- fingerprint --------------------------------------------------------------------------------------------------

def _le_bytes(values: list[int]) -> np.ndarray:
    return np.array(values, dtype="<u8").reshape(-1, 1).view(np.uint8).reshape(len(values), 8)


@register("Fingerprint", host_only=True)  # TF registers no gradient
def fingerprint_op(xp: Any, data: Any, method: Any) -> Any:
    dim0 = data.shape[0]
    if data.dtype == object:
        flat = data.reshape(-1)
        if dim0 == 0:
            return np.zeros((0, 8), np.uint8)
        prints = _le_bytes([fingerprint64(s) for s in flat])
        if flat.size // dim0 <= 1:
            return prints
        # several strings per row: TF fingerprints the buffer of their fingerprints
        rows = prints.reshape(dim0, -1)
    else:
        rows = np.ascontiguousarray(data).reshape(dim0, -1).view(np.uint8) if dim0 else np.zeros((0, 0), np.uint8)
    return _le_bytes([fingerprint64(row.tobytes()) for row in rows])


@on_host
@_dispatch.add_dispatch_support
def fingerprint(data: Any, method: Any = "farmhash64", name: str | None = None) -> Tensor:
    """Fingerprints each row of ``data`` (farmhash Fingerprint64, little-endian) as a ``[rows, 8]`` uint8 Tensor
    (``tf.fingerprint``).

    >>> fingerprint(["a"]).shape
    TensorShape([1, 8])
    """
    op = fingerprint_op
    x = tensor(data)
    m = tensor(method, _dtypes.string) if not isinstance(method, Tensor) else method
    op.check(x, m)
    if m.shape.rank != 0:
        raise kernel_error(op.name, f"`method` should be a scalar string: {list(m.shape)}")
    if m._numpy() != b"farmhash64":
        raise kernel_error(op.name, f"Unsupported fingerprint method: {m._numpy().decode('utf-8', 'replace')}")
    if x.shape.rank == 0:
        raise kernel_error(op.name, "`data` should have at least one dimension: []")
    return op(x, m)

