"""The simulated GPU's memory: CuPy's memory-pool API (``cupy.cuda.MemoryPool``, ``set_allocator``) over byte counts.

Every buffer a simulated card owns is allocated through the current allocator, as CuPy allocates every
``cupy.ndarray``, and holds the returned ``MemoryPointer``; when the buffer is collected its bytes go back to
the pool that gave them. So ``pool.used_bytes()`` is the live bytes of the card's arrays, and a pool with a
limit (``set_limit``) refuses an allocation over it with CuPy's ``OutOfMemoryError``. featherflow's
``tf.config`` (``device_config``) drives this through the same calls it makes on CuPy.

>>> pool = MemoryPool()
>>> pool.set_limit(size=1024)
>>> a = pool.malloc(1000)
>>> pool.used_bytes()
1000
>>> pool.malloc(100)
Traceback (most recent call last):
featherflow.backends.simulated_memory.OutOfMemoryError: Out of memory allocating 100 bytes (allocated so far: 1,000 bytes, limit set to: 1,024 bytes).
>>> del a
>>> pool.used_bytes()
0
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, Callable


class _Current(threading.local):
    card = 0  # as CUDA: each thread starts with card 0 current


current = _Current()  # the current card per thread (the simulated namespace's ``cuda.Device`` sets it)


class OutOfMemoryError(MemoryError):
    """CuPy's ``cupy.cuda.memory.OutOfMemoryError``, with its message."""

    def __init__(self, size: int, total: int, limit: int = 0) -> None:
        if limit == 0:
            msg = f"Out of memory allocating {size:,} bytes (allocated so far: {total:,} bytes)."
        else:
            msg = (f"Out of memory allocating {size:,} bytes (allocated so far: {total:,} bytes, "
                   f"limit set to: {limit:,} bytes).")
        super().__init__(msg)


class MemoryPointer:
    """An allocation: its bytes return to the pool when the last array holding it is collected."""

    __slots__ = ("_pool", "device_id", "size")

    def __init__(self, pool: MemoryPool, device_id: int, size: int) -> None:
        self._pool = pool
        self.device_id = device_id
        self.size = size

    def __del__(self) -> None:
        used = self._pool._used
        used[self.device_id] = used.get(self.device_id, 0) - self.size


class MemoryPool:
    """``cupy.cuda.MemoryPool``: counts per card (the current one), with an optional limit per card."""

    def __init__(self, allocator: Any = None) -> None:
        self._used: dict[int, int] = {}
        self._held: dict[int, int] = {}  # bytes taken from the card: live ones and freed ones the pool keeps
        self._limit: dict[int, int] = {}
        _pools.add(self)

    def malloc(self, size: int) -> MemoryPointer:
        card = current.card
        used = self._used.get(card, 0)
        limit = self._limit.get(card, 0)
        if limit and used + size > limit:
            raise OutOfMemoryError(size, used, limit)
        held = self._held.get(card, 0)
        if used + size > held:  # more than the pool keeps: taken from the card (CuPy's cudaMalloc)
            free, _ = mem_get_info()
            if used + size - held > free:
                raise OutOfMemoryError(size, used)
            self._held[card] = used + size
        self._used[card] = used + size
        return MemoryPointer(self, card, size)

    def used_bytes(self) -> int:
        """Bytes held by live arrays on the current card."""
        return self._used.get(current.card, 0)

    def total_bytes(self) -> int:
        """Bytes the pool holds on the current card: its arrays' and the freed ones it keeps for reuse."""
        return max(self._held.get(current.card, 0), self.used_bytes())

    def free_bytes(self) -> int:
        """Bytes the pool keeps for reuse on the current card."""
        return self.total_bytes() - self.used_bytes()

    def n_free_blocks(self) -> int:
        return 1 if self.free_bytes() else 0

    def free_all_blocks(self, stream: Any = None) -> None:
        """Gives the freed bytes the pool keeps back to the card."""
        self._held[current.card] = self.used_bytes()

    def set_limit(self, size: int | None = None, fraction: float | None = None) -> None:
        """The most bytes the pool may hold on the current card (0 or None: no limit)."""
        if fraction is not None:
            raise NotImplementedError("set_limit(fraction=...): a simulated card has no total memory")
        self._limit[current.card] = int(size or 0)

    def get_limit(self) -> int:
        return self._limit.get(current.card, 0)


CAPACITY = 85031714816  # each simulated card's memory: an H100's (the totalGlobalMem its properties report)
_pools: weakref.WeakSet = weakref.WeakSet()


def mem_get_info() -> tuple[int, int]:
    """``cudaMemGetInfo`` of the current card: (free, total) bytes, free being what no pool holds."""
    card = current.card
    return CAPACITY - sum(pool._held.get(card, 0) for pool in list(_pools)), CAPACITY


_default_pool = MemoryPool()
_allocator: Callable[[int], Any] = _default_pool.malloc


def get_default_memory_pool() -> MemoryPool:
    return _default_pool


def set_allocator(allocator: Callable[[int], Any] | None = None) -> None:
    """``cupy.cuda.set_allocator``: the process-wide allocator (None: the default pool; the simulation has no
    pool-less allocator)."""
    global _allocator
    _allocator = _default_pool.malloc if allocator is None else allocator


def get_allocator() -> Callable[[int], Any]:
    return _allocator


def alloc(size: int) -> Any:
    """``cupy.cuda.alloc``: ``size`` bytes from the current allocator, on the current card."""
    return _allocator(size)
