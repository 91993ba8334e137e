"""The FFT ops (TF's ``FFT``...``IRFFT3D`` and ``FFTND``...``IRFFTND``), their gradients as TF defines them, and
the ``tf.signal`` wrappers that infer ``fft_length`` and pad the input as TF's do.

The kernels run ``xp.fft`` (NumPy's pocketfft, ``cupy.fft`` on a GPU) and return TF's dtypes: complex64 or
complex128 for the complex transforms, float32 -> complex64 and float64 -> complex128 for the real ones.

>>> import featherflow as tf
>>> tf.signal.rfft([1.0, 2.0, 3.0, 4.0]).numpy()
array([10.+0.j, -2.+2.j, -2.+0.j], dtype=complex64)
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...dtypes import complex64 as _complex64
from ...dtypes import float32 as _float32
from ...dtypes import float64 as _float64
from ...tensor import Tensor
from .._kernel_errors import kernel_error
from ..array.join import pad_op
from ..array.slicing import slice_op
from ..convert import COMPLEX, hinted, int_list, tensor
from ..math.elementwise import mul_op, real_op, sub_op
from ..registry import constant_like, register

_COMPLEX_OF = {np.dtype(np.float32): np.complex64, np.dtype(np.float64): np.complex128}
_ND_DTYPES = {"Tcomplex": COMPLEX, "Treal": frozenset({_float32, _float64})}


def _need_rank(op_name: str, x: Any, rank: int) -> None:
    if x.ndim < rank:
        shape = "[" + ",".join(str(d) for d in x.shape) + "]"
        raise kernel_error(op_name, f"Input must have rank of at least {rank} but got: {shape}")


def _size(t: Tensor, rank: int) -> int:
    return int(np.prod(t._value.shape[t._value.ndim - rank:], dtype=np.int64))


def _fit(g: Tensor, shape: tuple) -> Tensor:
    """``g`` cropped or zero-padded at the end of each axis to ``shape`` (the gradient of the kernels' own
    cropping and padding of their input to ``fft_length``)."""
    have = g._value.shape
    if have == tuple(shape):
        return g
    if any(h > s for h, s in zip(have, shape)):
        g = slice_op(g, begin=(0,) * len(have), size=tuple(min(h, s) for h, s in zip(have, shape)))
        have = g._value.shape
    if any(h < s for h, s in zip(have, shape)):
        g = pad_op(g, paddings=tuple((0, s - h) for h, s in zip(have, shape)))
    return g


# --- complex to complex ------------------------------------------------------------------------------


def _complex_op(name: str, rank: int, inverse: bool) -> Any:
    axes = tuple(range(-rank, 0))

    def forward(xp: Any, x: Any) -> Any:
        _need_rank(name, x, rank)
        if x.size == 0:
            return x.copy()
        out = xp.fft.ifftn(x, axes=axes) if inverse else xp.fft.fftn(x, axes=axes)
        return out.astype(x.dtype, copy=False)

    forward.__name__ = name
    return register(name)(forward)


fft_op = _complex_op("FFT", 1, False)
ifft_op = _complex_op("IFFT", 1, True)
fft2d_op = _complex_op("FFT2D", 2, False)
ifft2d_op = _complex_op("IFFT2D", 2, True)
fft3d_op = _complex_op("FFT3D", 3, False)
ifft3d_op = _complex_op("IFFT3D", 3, True)


def _complex_grad(rank: int, other: Any, inverse: bool) -> Callable:
    # TF: the gradient of FFT is IFFT(g) * n, of IFFT it is FFT(g) / n (n the transform's size)
    def rule(g: Tensor, ans: Tensor, x: Tensor) -> Tensor:
        n = _size(g, rank)
        return mul_op(other(g), constant_like(1.0 / n if inverse else n, g))

    return rule


for _op, _other, _rank, _inv in ((fft_op, ifft_op, 1, False), (ifft_op, fft_op, 1, True),
                                 (fft2d_op, ifft2d_op, 2, False), (ifft2d_op, fft2d_op, 2, True),
                                 (fft3d_op, ifft3d_op, 3, False), (ifft3d_op, fft3d_op, 3, True)):
    _op.gradient(_complex_grad(_rank, _other, _inv))


# --- real to complex and back --------------------------------------------------------------------------


def _real_op(name: str, rank: int, inverse: bool) -> Any:
    axes = tuple(range(-rank, 0))

    def forward(xp: Any, x: Any, fft_length: tuple) -> Any:
        _need_rank(name, x, rank)
        if inverse:
            out_dtype = np.float32 if x.dtype == np.complex64 else np.float64
            if 0 in fft_length or x.size == 0:
                return xp.zeros(x.shape[:x.ndim - rank] + tuple(fft_length), out_dtype)
            return xp.fft.irfftn(x, s=fft_length, axes=axes).astype(out_dtype, copy=False)
        out_dtype = _COMPLEX_OF[x.dtype]
        if 0 in fft_length or x.size == 0:
            shape = tuple(fft_length[:-1]) + (fft_length[-1] // 2 + 1 if fft_length[-1] else 0,)
            return xp.zeros(x.shape[:x.ndim - rank] + shape, out_dtype)
        return xp.fft.rfftn(x, s=fft_length, axes=axes).astype(out_dtype, copy=False)

    forward.__name__ = name
    return register(name, inputs=("Tcomplex" if inverse else "Treal",))(forward)


rfft_op = _real_op("RFFT", 1, False)
irfft_op = _real_op("IRFFT", 1, True)
rfft2d_op = _real_op("RFFT2D", 2, False)
irfft2d_op = _real_op("IRFFT2D", 2, True)
rfft3d_op = _real_op("RFFT3D", 3, False)  # TF registers no gradient for the 3-D real transforms
irfft3d_op = _real_op("IRFFT3D", 3, True)


def _rfft_grad(rank: int, ifft_k: Any) -> Callable:
    """The adjoint of RFFT: the half spectrum ``g`` zero-extended to the full one, inverse-transformed times
    its size, real part (TF's formula, IRFFT of ``g`` plus the terms Hermitian symmetry drops, is this
    sum), then fitted back to the input's shape."""
    def rule(g: Tensor, ans: Tensor, x: Tensor, fft_length: tuple) -> tuple:
        lead = g._value.shape[:g._value.ndim - rank]
        full = _fit(g, lead + tuple(fft_length))
        n = int(np.prod(fft_length, dtype=np.int64))
        back = mul_op(real_op(ifft_k(full)), constant_like(float(n), real_op(g)))
        return _fit(back, x._value.shape)

    return rule


def _irfft_grad(rank: int, rfft_k: Any) -> Callable:
    """TF's gradient of IRFFT: RFFT of ``g`` divided by the transform's size, the bins Hermitian symmetry
    folds (all but the first and, for an even length, the last) doubled."""
    def rule(g: Tensor, ans: Tensor, x: Tensor, fft_length: tuple) -> tuple:
        n = int(np.prod(fft_length, dtype=np.int64))
        spectrum = rfft_k(g, fft_length=fft_length)
        shape = spectrum._value.shape
        half = shape[-1]
        out = mul_op(spectrum, constant_like(2.0 / n, spectrum))
        # the first bin and, for an even length, the last are not doubled: subtract them once
        edges = [0] + ([half - 1] if fft_length[-1] % 2 == 0 and half > 1 else [])
        for k in edges:
            begin = (0,) * (len(shape) - 1) + (k,)
            size = shape[:-1] + (1,)
            bin_k = slice_op(spectrum, begin=begin, size=size)
            bin_k = pad_op(bin_k, paddings=((0, 0),) * (len(shape) - 1) + ((k, half - 1 - k),))
            out = sub_op(out, mul_op(bin_k, constant_like(1.0 / n, spectrum)))
        return _fit(out, x._value.shape)

    return rule


rfft_op.gradient(_rfft_grad(1, ifft_op))
irfft_op.gradient(_irfft_grad(1, rfft_op))
rfft2d_op.gradient(_rfft_grad(2, ifft2d_op))
irfft2d_op.gradient(_irfft_grad(2, rfft2d_op))


# --- over any axes (TF registers these kernels on GPUs only; featherflow runs them on every device) ------


def _nd_op(name: str, kind: str) -> Any:
    def forward(xp: Any, x: Any, fft_length: tuple, axes: tuple) -> Any:
        if kind == "c2c":
            return xp.fft.fftn(x, s=fft_length, axes=axes).astype(x.dtype, copy=False)
        if kind == "ic2c":
            return xp.fft.ifftn(x, s=fft_length, axes=axes).astype(x.dtype, copy=False)
        if kind == "r2c":
            return xp.fft.rfftn(x, s=fft_length, axes=axes).astype(_COMPLEX_OF[x.dtype], copy=False)
        out_dtype = np.float32 if x.dtype == np.complex64 else np.float64
        return xp.fft.irfftn(x, s=fft_length, axes=axes).astype(out_dtype, copy=False)

    forward.__name__ = name
    attr = "Treal" if kind == "r2c" else "Tcomplex"
    return register(name, inputs=(attr,), dtypes={attr: _ND_DTYPES[attr]})(forward)


fftnd_op = _nd_op("FFTND", "c2c")
ifftnd_op = _nd_op("IFFTND", "ic2c")
rfftnd_op = _nd_op("RFFTND", "r2c")
irfftnd_op = _nd_op("IRFFTND", "c2r")


# --- the tf.signal functions ---------------------------------------------------------------------------


def _complex_input(x: Any) -> Tensor:
    # the ops' Tcomplex defaults to complex64, to which lists and NumPy arrays (complex128 ones too) convert
    return hinted(x, _complex64)


def _complex_fn(op: Any, doc: str) -> Callable[..., Tensor]:
    def fn(input: Any, name: str | None = None) -> Tensor:  # noqa: A002 - TF's name
        return op(_complex_input(input))

    fn.__doc__ = doc
    fn.__name__ = fn.__qualname__ = op.name.lower()
    return fn


fft = _complex_fn(fft_op, "The 1-D discrete Fourier transform over the innermost axis.")
ifft = _complex_fn(ifft_op, "The inverse 1-D discrete Fourier transform over the innermost axis.")
fft2d = _complex_fn(fft2d_op, "The 2-D discrete Fourier transform over the two innermost axes.")
ifft2d = _complex_fn(ifft2d_op, "The inverse 2-D discrete Fourier transform over the two innermost axes.")
fft3d = _complex_fn(fft3d_op, "The 3-D discrete Fourier transform over the three innermost axes.")
ifft3d = _complex_fn(ifft3d_op, "The inverse 3-D discrete Fourier transform over the three innermost axes.")


def _real_input(x: Any, inverse: bool, rank: int) -> Tensor:
    """TF's wrappers' conversion (preferring float32 / complex64), dtype check, and rank check."""
    t = hinted(x, _complex64 if inverse else _float32)
    if inverse and t._dtype not in COMPLEX:
        raise ValueError(f"IRFFT requires tf.complex64 or tf.complex128 inputs, got: {t}")
    if not inverse and t._dtype not in (_float32, _float64):
        raise ValueError(f"RFFT requires tf.float32 or tf.float64 inputs, got: {t}")
    if t._value.ndim < rank:
        raise ValueError(f"Shape {t.shape} must have rank at least {rank}")
    return t


def _pad_to(t: Tensor, fft_shape: list, axes: tuple) -> Tensor:
    """TF's ``_maybe_pad_for_rfft``: zero-pads the transformed axes up to ``fft_shape`` (the kernels crop)."""
    shape = t._value.shape
    if 0 in shape:
        return t
    pads = [(0, 0)] * len(shape)
    for a, n in zip(axes, fft_shape):
        pads[a] = (0, max(n - shape[a], 0))
    if any(p for _, p in pads):
        return pad_op(t, paddings=tuple(pads))
    return t


def _real_fn(op: Any, rank: int, inverse: bool, doc: str) -> Callable[..., Tensor]:
    def fn(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
        t = _real_input(input_tensor, inverse, rank)
        shape = t._value.shape
        if fft_length is None:
            lengths = list(shape[len(shape) - rank:])
            if inverse:
                lengths[-1] = max(0, 2 * (lengths[-1] - 1))
            lengths = tuple(lengths)
        else:
            lengths = tuple(int_list(fft_length))
            if len(lengths) != rank:
                raise kernel_error(op.name, f"fft_length must have shape [{rank}]")
        padded = list(lengths)
        if inverse:
            padded[-1] = padded[-1] // 2 + 1
        t = _pad_to(t, padded, tuple(range(len(shape) - rank, len(shape))))
        return op(t, fft_length=lengths)

    fn.__doc__ = doc
    fn.__name__ = fn.__qualname__ = op.name.lower()
    return fn


rfft = _real_fn(rfft_op, 1, False, "The 1-D FFT of a real signal: the fft_length // 2 + 1 unique bins.")
irfft = _real_fn(irfft_op, 1, True, "The inverse of rfft: a real signal of fft_length from its half spectrum.")
rfft2d = _real_fn(rfft2d_op, 2, False, "The 2-D FFT of a real signal over the two innermost axes.")
irfft2d = _real_fn(irfft2d_op, 2, True, "The inverse of rfft2d.")
rfft3d = _real_fn(rfft3d_op, 3, False, "The 3-D FFT of a real signal over the three innermost axes.")
irfft3d = _real_fn(irfft3d_op, 3, True, "The inverse of rfft3d.")


def _nd_fn(op: Any, kind: str, doc: str) -> Callable[..., Tensor]:
    def fn(input_tensor: Any, fft_length: Any = None, axes: Any = None, norm: str | None = None,
           name: str | None = None) -> Tensor:
        if kind in ("r2c", "c2r"):
            t = _real_input(input_tensor, kind == "c2r", 0)
        else:
            t = _complex_input(input_tensor)
        nd = t._value.ndim
        ax = tuple(range(nd)) if axes is None else tuple(a % nd if nd else a for a in int_list(axes))
        if fft_length is None:
            lengths = [t._value.shape[a] for a in ax]
            if kind == "c2r" and lengths:
                lengths[-1] = max(0, 2 * (lengths[-1] - 1))
        else:
            lengths = int_list(fft_length)
        if len(lengths) != len(ax):
            raise ValueError(f"fft_length {lengths} and axes {list(ax)} must have the same length")
        if norm not in (None, "backward", "forward", "ortho"):
            raise ValueError(f"norm must be 'backward', 'forward' or 'ortho', got {norm!r}")
        padded = list(lengths)
        if kind == "c2r" and padded:
            padded[-1] = padded[-1] // 2 + 1
        t = _pad_to(t, padded, ax)
        if norm in ("forward", "ortho"):
            n = float(np.prod(lengths, dtype=np.float64))
            scale = n if norm == "forward" else np.sqrt(n)
            # TF scales the input: divided for the forward transforms, multiplied for the inverse ones
            t = mul_op(t, constant_like(1.0 / scale if kind in ("c2c", "r2c") else scale, t))
        return op(t, fft_length=tuple(lengths), axes=ax)

    fn.__doc__ = doc
    fn.__name__ = fn.__qualname__ = op.name.lower()
    return fn


fftnd = _nd_fn(fftnd_op, "c2c", "The N-D discrete Fourier transform over ``axes`` (default: all).")
ifftnd = _nd_fn(ifftnd_op, "ic2c", "The inverse N-D discrete Fourier transform over ``axes`` (default: all).")
rfftnd = _nd_fn(rfftnd_op, "r2c", "The N-D FFT of a real signal over ``axes`` (default: all).")
irfftnd = _nd_fn(irfftnd_op, "c2r", "The inverse of rfftnd.")


def _shift(x: Any, axes: Any, sign: int) -> Tensor:
    from ..array.join import roll_op

    t = tensor(x)
    shape = t._value.shape
    if axes is None:
        ax = tuple(range(len(shape)))
    elif isinstance(axes, (int, np.integer)):
        ax = (int(axes) % len(shape),)
    else:
        ax = tuple(int(a) % len(shape) for a in int_list(axes))
    if not ax:
        return t
    return roll_op(t, shift=tuple(sign * (shape[a] // 2) for a in ax), axis=ax)


def fftshift(x: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """Shifts the zero-frequency bin to the middle of ``axes`` (default: all), as numpy.fft.fftshift.

    >>> fftshift([0.0, 1.0, 2.0, -2.0, -1.0]).numpy()
    array([-2., -1.,  0.,  1.,  2.], dtype=float32)
    """
    return _shift(x, axes, 1)


def ifftshift(x: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """The inverse of fftshift (they differ by one sample for odd lengths)."""
    return _shift(x, axes, -1)
