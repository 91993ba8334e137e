"""A simulated GPU for tests: CuPy's array semantics over NumPy buffers.

CI has no GPU, so ``FEATHERFLOW_SIMULATED_GPUS=N`` gives featherflow N cards whose arrays behave like
CuPy's where it matters for device-purity: a ``SimArray`` is not an ``np.ndarray``, refuses implicit
conversion to NumPy (``__array__`` raises CuPy's TypeError), refuses NumPy array operands, runs only with
its own card current (CuPy's ValueError when peer access is off), never decays to a NumPy scalar, and
every host<->device copy is explicit and counted. It is a test bed for the CuPy backend, not a device.

>>> from featherflow.backends.simulated import xp
>>> x = xp.asarray(np.arange(3.0))
>>> type(x * 2).__name__, (x.sum()).ndim
('SimArray', 0)
>>> np.asarray(x)
Traceback (most recent call last):
TypeError: Implicit conversion to a NumPy array is not allowed. Please use `.get()` to construct a NumPy array explicitly.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any, Callable

import numpy as np

from . import on_device
from . import simulated_memory as _memory
from .simulated_cuda import (  # the cards, the current card and the counters: their own module
    _counts,
    _CudaDevice,
    _launches,
    _local,
    _peer_error,
    cuda,
)

# re-exported: featherflow.device and the tests drive the cards through this module
from .simulated_cuda import _Runtime as _Runtime
from .simulated_cuda import configure as configure
from .simulated_cuda import current_card as current_card
from .simulated_cuda import launches as launches
from .simulated_cuda import peer_copies as peer_copies
from .simulated_cuda import reset_transfers as reset_transfers
from .simulated_cuda import transfers as transfers

_IMPLICIT = ("Implicit conversion to a NumPy array is not allowed. Please use `.get()` to construct a NumPy array "
             "explicitly.")
_SCALARS = (int, float, complex, bool, np.generic)


def _check_dtype(dtype: np.dtype) -> None:
    # CuPy has no object arrays (strings never reach a card), nor float8, float4, int4 or int2 ones
    if not on_device(dtype):
        raise ValueError(f"Unsupported dtype {dtype}")


def _to_device(host: np.ndarray) -> SimArray:
    _check_dtype(host.dtype)
    _counts[0] += 1
    return SimArray(host, _local.card)


# --- unwrapping arguments and wrapping results ----------------------------------------------------


def _arg(x: Any, card: int) -> Any:
    """A kernel argument as NumPy: SimArrays of the current card, scalars, and containers of them."""
    t = type(x)
    if t is SimArray:
        if x._card != card:
            raise _peer_error(x._card, card)
        return x._a
    if t is np.ndarray:
        raise TypeError(f"Unsupported type {t}")
    if t is list or t is tuple:
        return t([_arg(i, card) for i in x])
    return x


def _root(a: np.ndarray) -> np.ndarray:
    """The ndarray at the end of ``a``'s chain of views: two arrays share memory through it."""
    base = a.base
    while type(base) is np.ndarray:
        a, base = base, base.base
    return a


def _related(r: np.ndarray, parents: Any) -> SimArray | None:
    """The SimArray among ``parents`` (arrays, nested in lists and tuples) whose buffer ``r`` is, or views."""
    root = None if r.base is None else _root(r)
    for p in parents:
        if type(p) is SimArray:
            if p._a is r or (root is not None and _root(p._a) is root):
                return p
        elif type(p) is list or type(p) is tuple:
            found = _related(r, p)
            if found is not None:
                return found
    return None


def _result(r: Any, card: int, outs: tuple = (), parents: Any = ()) -> Any:
    t = type(r)
    if t is np.ndarray:
        for sim in outs:  # ``out=`` returns the very array passed, as NumPy and CuPy do
            if sim._a is r:
                return sim
        # A result that is an input (``ascontiguousarray``) is that input, and a view of one keeps its owner
        # referenced (CuPy's ``base``): a variable's copy on write then sees a held view (``v[0:3]``).
        p = _related(r, parents)
        if p is None:
            return SimArray(r, card)
        return p if p._a is r else p._view(r)
    if isinstance(r, np.generic):  # CuPy never returns scalars: a 0-d array on the card
        return SimArray(np.asarray(r), card)
    if isinstance(r, tuple):
        items = [_result(i, card, outs, parents) for i in r]
        return type(r)(*items) if hasattr(r, "_fields") else tuple(items)
    if t is list:
        return [_result(i, card, outs, parents) for i in r]
    return r


def _outs(kwargs: dict) -> tuple:
    out = kwargs.get("out")
    if out is None:
        return ()
    return tuple(o for o in (out if isinstance(out, tuple) else (out,)) if type(o) is SimArray)


def _kernel(fn: Callable, args: tuple, kwargs: dict, owner: Any = None) -> Any:
    """Runs ``fn`` (a NumPy function, or a method of ``owner``'s buffer) as a kernel on the current card."""
    card = _local.card
    a = _arg(args, card)
    k = {key: _arg(v, card) for key, v in kwargs.items()} if kwargs else kwargs
    _launches[card] = _launches.get(card, 0) + 1
    with np.errstate(all="ignore"):  # a GPU raises no floating-point warnings
        r = fn(*a, **k)
    return _result(r, card, _outs(kwargs), (owner, args, tuple(kwargs.values())))


def _ufunc_args(args: tuple) -> None:
    # CuPy's ufuncs take arrays and scalars only (a list is not converted: "Unsupported type")
    for x in args:
        if not isinstance(x, (SimArray, *_SCALARS)):
            raise TypeError(f"Unsupported type {type(x)}")


class _Ufunc:
    """A NumPy ufunc as a simulated-GPU ufunc (call, reduce, accumulate, outer, at)."""

    __slots__ = ("_u", "__name__")

    def __init__(self, ufunc: np.ufunc) -> None:
        self._u = ufunc
        self.__name__ = ufunc.__name__

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        _ufunc_args(args)
        return _kernel(self._u, args, kwargs)

    def reduce(self, *args: Any, **kwargs: Any) -> Any:
        return _kernel(self._u.reduce, args, kwargs)

    def accumulate(self, *args: Any, **kwargs: Any) -> Any:
        return _kernel(self._u.accumulate, args, kwargs)

    def reduceat(self, *args: Any, **kwargs: Any) -> Any:
        return _kernel(self._u.reduceat, args, kwargs)

    def outer(self, *args: Any, **kwargs: Any) -> Any:
        _ufunc_args(args)
        return _kernel(self._u.outer, args, kwargs)

    def at(self, a: Any, indices: Any, b: Any = None) -> None:
        if type(a) is not SimArray:
            raise TypeError(f"Unsupported type {type(a)}")
        args = (a, indices) if b is None else (a, indices, b)
        _kernel(self._u.at, args, {})

    def __getattr__(self, name: str) -> Any:
        return getattr(self._u, name)  # nin, nout, identity, types, ...

    def __repr__(self) -> str:
        return f"<ufunc '{self.__name__}'>"


_UFUNCS: dict[np.ufunc, _Ufunc] = {}


def _ufunc(u: np.ufunc) -> _Ufunc:
    found = _UFUNCS.get(u)
    if found is None:
        found = _UFUNCS[u] = _Ufunc(u)
    return found


# --- the array ----------------------------------------------------------------------------------

# Methods that only make a view (no kernel), so CuPy runs them whatever card is current.
_VIEWS = frozenset(("reshape", "view", "transpose", "swapaxes", "squeeze"))
# Host-side or NumPy-only attributes a CuPy array does not have, or has only as an explicit transfer.
_HIDDEN = frozenset(("ctypes", "flat", "tofile", "dump", "dumps", "tobytes", "data", "setflags",
                     "__array_interface__", "__array_struct__"))


class _Pointer:
    """``array.data``: the buffer's address and card (CuPy's MemoryPointer, for identity checks)."""

    __slots__ = ("ptr", "device_id")

    def __init__(self, ptr: int, device_id: int) -> None:
        self.ptr = ptr
        self.device_id = device_id


class SimArray:
    """An array on a simulated card: a NumPy buffer that only the simulated namespace computes on."""

    __slots__ = ("_a", "_card", "_base", "_mem")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, array: np.ndarray, card: int, base: SimArray | None = None) -> None:
        self._a = array
        self._card = card
        self._base = base  # the SimArray whose memory this one views (CuPy's ``base``), None for an owner
        # an owner's buffer comes from the current allocator, as every cupy.ndarray's does (simulated_memory)
        self._mem = _memory.alloc(array.nbytes) if base is None else None

    @property
    def base(self) -> SimArray | None:
        """The array owning this view's memory, None for an array that owns it (as CuPy's)."""
        return self._base

    def _view(self, r: np.ndarray) -> SimArray:
        """``r``, a view of this array's memory, as a SimArray that keeps the owner referenced."""
        return SimArray(r, self._card, self._base if self._base is not None else self)

    # metadata (no kernel, no transfer)
    shape = property(lambda self: self._a.shape)
    dtype = property(lambda self: self._a.dtype)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    itemsize = property(lambda self: self._a.itemsize)
    nbytes = property(lambda self: self._a.nbytes)
    strides = property(lambda self: self._a.strides)
    flags = property(lambda self: self._a.flags)
    T = property(lambda self: self._view(self._a.T))
    mT = property(lambda self: self._view(self._a.mT))

    @shape.setter  # type: ignore[no-redef, attr-defined]
    def shape(self, value: Any) -> None:
        self._a.shape = value

    @property
    def real(self) -> SimArray:
        r = self._a.real
        return self if r is self._a else self._view(r)  # CuPy's ``real`` of a real array is the array

    @property
    def imag(self) -> SimArray:
        r = self._a.imag  # a view for complex arrays; a new read-only zero array for real ones
        return self._view(r) if r.base is not None and _root(r) is _root(self._a) else SimArray(r, self._card)

    @property
    def device(self) -> _CudaDevice:
        return _CudaDevice(self._card)

    @property
    def data(self) -> _Pointer:
        return _Pointer(self._a.__array_interface__["data"][0], self._card)

    def __array_namespace__(self, api_version: Any = None) -> Any:
        return xp

    # --- explicit transfers ---
    def get(self, stream: Any = None, order: str = "C", out: Any = None) -> np.ndarray:
        """A NumPy copy on the host (one device->host transfer)."""
        _counts[1] += 1
        if out is not None:
            np.copyto(out, self._a)
            return out
        return self._a.copy(order=order)

    def set(self, array: np.ndarray, stream: Any = None) -> None:
        """Copies a host array of the same shape into this buffer (one host->device transfer)."""
        if type(array) is not np.ndarray:
            raise TypeError(f"Only numpy.ndarray can be set to cupy.ndarray. Given: {type(array)}")
        if array.shape != self._a.shape or array.dtype != self._a.dtype:
            raise ValueError(f"Shape or dtype mismatch: {array.shape}, {array.dtype} != {self._a.shape}, "
                             f"{self._a.dtype}")
        _counts[0] += 1
        self._a[...] = array

    def item(self, *args: Any) -> Any:
        return self.get().item(*args)

    def tolist(self) -> Any:
        return self.get().tolist()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise TypeError(_IMPLICIT)

    def __float__(self) -> float:
        return float(self.get())

    def __int__(self) -> int:
        return int(self.get())

    def __complex__(self) -> complex:
        return complex(self.get())

    def __index__(self) -> int:
        return self.get().__index__()

    def __bool__(self) -> bool:
        return bool(self.get())

    def __repr__(self) -> str:
        return repr(self.get())

    def __str__(self) -> str:
        return str(self.get())

    def __format__(self, spec: str) -> str:
        return format(self.get(), spec)

    def __reduce__(self) -> Any:
        return (_from_host, (self.get(), self._card))

    # --- copies and conversions ---
    def copy(self, order: str = "C") -> SimArray:
        """A copy on the current card (CuPy copies across cards here, with a peer copy)."""
        card = _local.card
        if card != self._card:
            _counts[2] += 1
        return SimArray(self._a.copy(order=order), card)

    __copy__ = copy

    def __deepcopy__(self, memo: Any) -> SimArray:
        return self.copy()

    def astype(self, dtype: Any, order: str = "K", casting: Any = None, subok: Any = None,
               copy: bool = True) -> SimArray:
        if _local.card != self._card:
            raise _peer_error(self._card, _local.card)
        kwargs = {} if casting is None else {"casting": casting}
        _check_dtype(np.dtype(dtype))
        r = self._a.astype(dtype, order=order, copy=copy, **kwargs)
        return self if r is self._a else SimArray(r, self._card)

    def fill(self, value: Any) -> None:
        if type(value) is np.ndarray:
            if value.ndim:
                raise ValueError("non-scalar numpy.ndarray cannot be used for fill")
            value = value.item()
        if _local.card != self._card:
            raise _peer_error(self._card, _local.card)
        _kernel(self._a.fill, (value,), {})

    # --- indexing ---
    def __getitem__(self, key: Any) -> SimArray:
        r = self._a[self._key(key)]
        if type(r) is not np.ndarray:
            return SimArray(np.asarray(r), self._card)
        return self._view(r) if r.base is not None and _root(r) is _root(self._a) else SimArray(r, self._card)

    def __setitem__(self, key: Any, value: Any) -> None:
        t = type(value)
        if t is np.ndarray:
            if value.ndim:
                raise ValueError("non-scalar numpy.ndarray cannot be used for fill")
            value = value[()]
        elif t is SimArray:
            if value._card != self._card:
                raise _peer_error(value._card, self._card)
            value = value._a
        elif not isinstance(value, _SCALARS):
            raise TypeError(f"Unsupported type {t}")
        self._a[self._key(key)] = value

    def _key(self, key: Any) -> Any:
        """An index as NumPy: device arrays of this card; host arrays and lists are copied up, as CuPy does."""
        parts = key if type(key) is tuple else (key,)
        out = []
        for k in parts:
            t = type(k)
            if t is SimArray:
                if k._card != self._card or _local.card != self._card:
                    raise _peer_error(k._card if k._card != self._card else self._card, _local.card)
                k = k._a
            elif t is np.ndarray or t is list:
                _counts[0] += 1  # CuPy converts it with cupy.array: an implicit host->device copy
                k = np.asarray(k)
            out.append(k)
        return tuple(out) if type(key) is tuple else out[0]

    def __len__(self) -> int:
        if not self._a.ndim:
            raise TypeError("len() of unsized object")
        return len(self._a)

    def __iter__(self) -> Iterator[SimArray]:
        if not self._a.ndim:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(len(self._a)))

    # --- NumPy's protocols: np.add(sim, sim) and np.sum(sim) run here, as they run in CuPy ---
    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        wrapped = _ufunc(ufunc)
        if method == "__call__":
            return wrapped(*inputs, **kwargs)
        return getattr(wrapped, method)(*inputs, **kwargs)

    def __array_function__(self, func: Callable, types: Any, args: tuple, kwargs: dict) -> Any:
        module = func.__module__.split(".")[1:] if func.__module__ else []
        ns: Any = xp
        for part in module:
            if part in ("linalg", "fft", "random"):
                ns = getattr(ns, part)
        return getattr(ns, func.__name__)(*args, **kwargs)

    # --- any other NumPy method: a kernel on the current card, its result on the card ---
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in _HIDDEN:
            raise AttributeError(f"'cupy.ndarray' object has no attribute '{name}'")
        attr = getattr(self._a, name)
        if not callable(attr):
            return _result(attr, self._card, (), (self,))
        if name in _VIEWS:
            return lambda *args, **kwargs: _result(attr(*args, **kwargs), self._card, (), (self,))
        if _local.card != self._card:
            raise _peer_error(self._card, _local.card)
        return lambda *args, **kwargs: _kernel(attr, args, kwargs, self)


def _from_host(host: np.ndarray, card: int) -> SimArray:
    return SimArray(host, card)


def _binary(ufunc: np.ufunc) -> tuple[Callable, Callable, Callable]:
    u = _ufunc(ufunc)

    def forward(self: SimArray, other: Any) -> Any:
        if type(other) is not np.ndarray and not isinstance(other, (SimArray, *_SCALARS)):
            return NotImplemented
        return u(self, other)

    def reflected(self: SimArray, other: Any) -> Any:
        if type(other) is not np.ndarray and not isinstance(other, _SCALARS):
            return NotImplemented
        return u(other, self)

    def inplace(self: SimArray, other: Any) -> Any:
        return u(self, other, out=self)

    return forward, reflected, inplace


for _name, _uf in (("add", np.add), ("sub", np.subtract), ("mul", np.multiply), ("truediv", np.true_divide),
                   ("floordiv", np.floor_divide), ("mod", np.remainder), ("pow", np.power), ("matmul", np.matmul),
                   ("and", np.bitwise_and), ("or", np.bitwise_or), ("xor", np.bitwise_xor),
                   ("lshift", np.left_shift), ("rshift", np.right_shift), ("divmod", np.divmod)):
    _f, _r, _i = _binary(_uf)
    setattr(SimArray, f"__{_name}__", _f)
    setattr(SimArray, f"__r{_name}__", _r)
    if _name != "divmod":
        setattr(SimArray, f"__i{_name}__", _i)
for _name, _uf in (("eq", np.equal), ("ne", np.not_equal), ("lt", np.less), ("le", np.less_equal),
                   ("gt", np.greater), ("ge", np.greater_equal)):
    setattr(SimArray, f"__{_name}__", _binary(_uf)[0])
for _name, _uf in (("neg", np.negative), ("pos", np.positive), ("abs", np.absolute), ("invert", np.invert)):
    setattr(SimArray, f"__{_name}__", (lambda u: lambda self: u(self))(_ufunc(_uf)))


# --- the namespace (cupy) -------------------------------------------------------------------------


def _singular(fn: Callable, shape_of: Callable) -> Callable:
    """CuPy's linalg does not raise LinAlgError: a singular input gives NaNs (cupyx.errstate's default)."""

    def solver(*args: Any, **kwargs: Any) -> Any:
        try:
            return _kernel(fn, args, kwargs)
        except np.linalg.LinAlgError:
            a = args[0]
            if len(args) == 1 and type(a) is SimArray and a.ndim > 2:  # CuPy's batched kernels fail matrix by matrix
                each = [solver(m, **kwargs) for m in a.reshape((-1,) + a.shape[-2:])]
                return SimArray(np.stack([m._a for m in each]).reshape(shape_of(a, **kwargs)), _local.card)
            dtype = np.result_type(*[x.dtype for x in args if type(x) is SimArray])
            return SimArray(np.full(shape_of(*args), np.nan, dtype=dtype), _local.card)

    return solver


def _solve_shape(a: SimArray, b: SimArray) -> tuple:
    if b.ndim == 1:
        return b.shape
    return np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + b.shape[-2:]


class _Namespace(types.ModuleType):
    """A NumPy module as the simulated card's module: every function runs as a kernel on the current card."""

    def __init__(self, name: str, module: types.ModuleType, overrides: dict) -> None:
        super().__init__(name)
        self._module = module
        self.__dict__.update(overrides)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        attr = getattr(self._module, name)
        if isinstance(attr, np.ufunc):
            value: Any = _ufunc(attr)
        elif isinstance(attr, type) or not callable(attr):
            value = attr  # dtypes, scalar types, constants (xp.float32, xp.pi, xp.newaxis, xp.finfo)
        else:
            value = (lambda f: lambda *args, **kwargs: _kernel(f, args, kwargs))(attr)
        self.__dict__[name] = value  # looked up once
        return value


def asarray(a: Any, dtype: Any = None, order: Any = None, **kwargs: Any) -> SimArray:
    """``cupy.asarray``: a device array as is (cast on its card if ``dtype`` differs); host data copied up."""
    if type(a) is SimArray:
        if dtype is None or np.dtype(dtype) == a._a.dtype:
            return a
        return a.astype(dtype)
    return _to_device(np.array(a, dtype=dtype, order=order, copy=True))


def array(a: Any, dtype: Any = None, copy: bool = True, order: str = "K", ndmin: int = 0, **kwargs: Any) -> SimArray:
    """``cupy.array``: a copy on the current card (from the host: one host->device transfer)."""
    if type(a) is SimArray:
        if not copy and (dtype is None or np.dtype(dtype) == a._a.dtype) and a._card == _local.card:
            return a
        out = a.copy() if dtype is None else a.copy().astype(dtype, copy=False)
        return SimArray(np.array(out._a, ndmin=ndmin, copy=False), out._card) if ndmin else out
    return _to_device(np.array(a, dtype=dtype, copy=True, order=order, ndmin=ndmin))


def asnumpy(a: Any, stream: Any = None, order: str = "C", out: Any = None) -> np.ndarray:
    """``cupy.asnumpy``: a host copy (one device->host transfer for a device array)."""
    if type(a) is SimArray:
        return a.get(out=out)
    return np.asarray(a, order=order)


def get_array_module(*args: Any) -> types.ModuleType:
    for a in args:
        if type(a) is SimArray:
            return xp
    return np


def _sub(name: str, overrides: dict | None = None) -> _Namespace:
    return _Namespace(f"featherflow.backends.simulated.xp.{name}", getattr(np, name), overrides or {})


xp = _Namespace("featherflow.backends.simulated.xp", np, {
    "ndarray": SimArray, "asarray": asarray, "asanyarray": asarray, "ascontiguousarray": asarray, "array": array,
    "asnumpy": asnumpy, "get_array_module": get_array_module, "cuda": cuda,
    "get_default_memory_pool": _memory.get_default_memory_pool,
    "linalg": _sub("linalg", {
        "inv": _singular(np.linalg.inv, lambda a: a.shape),
        "cholesky": _singular(np.linalg.cholesky, lambda a, **k: a.shape),
        "solve": _singular(np.linalg.solve, _solve_shape)}),
    "fft": _sub("fft"), "random": _sub("random"),
})

from . import simulated_nccl as _nccl  # noqa: E402 (NCCL, its streams and events: cupy.cuda's, over MPI)
from .simulated_dlpack import install as _install_dlpack  # noqa: E402 (DLPack, as CuPy speaks it: its own module)

cuda.nccl, cuda.Stream, cuda.Event, cuda.get_current_stream = _nccl, _nccl.Stream, _nccl.Event, _nccl.get_current_stream

_install_dlpack(SimArray, xp, _counts)
