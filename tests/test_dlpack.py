"""DLPack: ``tf.experimental.dlpack`` and the array API's ``__dlpack__``/``__dlpack_device__`` on tensors.

Real TensorFlow is the oracle for the capsules (each library takes the other's) and for the errors; NumPy and
PyTorch are the other side of the zero-copy exchange, proven by shared memory or a write seen through the
other side. The simulated GPU speaks the protocol as CuPy does (kDLCUDA and the card).
"""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff
from featherflow.backends import dlpack as backend_dlpack

from .conftest import assert_no_transfers

try:  # PyTorch (the bench extra) is the other side of some exchanges: those parts skip without it
    import torch
except ImportError:
    torch = None
NEEDS_TORCH = pytest.mark.skipif(torch is None, reason="PyTorch is not installed (pip install featherflow[bench])")

dlpack = ff.experimental.dlpack

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32",
          "float64", "bfloat16", "complex64", "complex128"]
SHAPES = [(), (0, 3), (2, 3)]


def _values(dtype: str, shape: tuple) -> np.ndarray:
    """Distinct values of ``dtype`` (NumPy's, or ml_dtypes' bfloat16) in ``shape``."""
    n = int(np.prod(shape))
    base = np.arange(1, n + 1, dtype=np.float64).reshape(shape)
    if dtype == "bool":
        return np.asarray(base % 2 == 1)  # a 0-d array, not NumPy's scalar
    if dtype.startswith("complex"):
        return np.asarray((base + 1j * base).astype(dtype))
    return np.asarray(base.astype(ff.as_dtype(dtype).as_numpy_dtype))


def _address(value: object) -> int:
    """Where an array's data starts (NumPy arrays, PyTorch tensors, featherflow tensors on the CPU)."""
    if isinstance(value, ff.Tensor):
        value = value._value
    if torch is not None and isinstance(value, torch.Tensor):
        return value.data_ptr()
    return value.__array_interface__["data"][0]


# --- the capsule and the protocol ------------------------------------------------------------------------


def test_capsule_is_named_dltensor_as_tf(tf_oracle):
    t = ff.constant([1.0, 2.0])
    assert repr(dlpack.to_dlpack(t)).startswith('<capsule object "dltensor" at ')
    assert repr(tf_oracle.experimental.dlpack.to_dlpack(tf_oracle.constant([1.0, 2.0]))).startswith(
        '<capsule object "dltensor" at ')
    assert t.__dlpack_device__() == tf_oracle.constant(1.0).__dlpack_device__() == (1, 0)
    # the array API's versions: a versioned capsule where the consumer speaks DLPack 1.0
    assert repr(t.__dlpack__(max_version=(1, 0))).startswith('<capsule object "dltensor_versioned" at ')
    assert repr(t.__dlpack__(max_version=(0, 8))).startswith('<capsule object "dltensor" at ')


@pytest.mark.parametrize("dtype", DTYPES)
def test_round_trips_every_dtype_with_tf_numpy_and_torch(dtype, tf_oracle):
    for shape in SHAPES:
        expected = _values(dtype, shape)
        t = ff.constant(expected)
        # featherflow -> featherflow, sharing memory
        back = dlpack.from_dlpack(dlpack.to_dlpack(t))
        assert back.dtype == t.dtype and back.shape == t.shape
        np.testing.assert_array_equal(back.numpy(), expected)
        assert _address(back) == _address(t)
        # featherflow <-> TensorFlow: each takes the other's capsule
        theirs = tf_oracle.experimental.dlpack.from_dlpack(dlpack.to_dlpack(t))
        assert theirs.dtype.name == dtype
        np.testing.assert_array_equal(theirs.numpy(), expected)
        ours = dlpack.from_dlpack(tf_oracle.experimental.dlpack.to_dlpack(tf_oracle.constant(expected)))
        assert ours.dtype.name == dtype
        np.testing.assert_array_equal(ours.numpy(), expected)
        if torch is not None:  # featherflow <-> PyTorch, both ways, sharing memory
            p = torch.from_dlpack(t)
            assert tuple(p.shape) == shape
            np.testing.assert_array_equal(dlpack.from_dlpack(p).numpy(), expected)
            if expected.size:  # PyTorch gives an empty tensor no address
                assert _address(p) == _address(t) == _address(dlpack.from_dlpack(p))
        if dtype != "bfloat16":  # NumPy has no bfloat16 of its own (featherflow's is ml_dtypes')
            a = np.from_dlpack(t)
            assert a.dtype == expected.dtype and _address(a) == _address(t)
            np.testing.assert_array_equal(a, expected)
            assert _address(dlpack.from_dlpack(expected)) == _address(expected)


@NEEDS_TORCH
def test_writes_through_a_mutable_consumer_or_producer_are_seen_as_with_tf(tf_oracle):
    # TF's capsules do not protect the tensor from PyTorch: neither do featherflow's (the same program runs)
    for lib in (ff, tf_oracle):
        t = lib.constant([1.0, 2.0, 3.0])
        torch.from_dlpack(t)[0] = 100.0
        assert t.numpy().tolist() == [100.0, 2.0, 3.0]
    source = np.arange(6.0).reshape(2, 3)
    t = dlpack.from_dlpack(source)
    source[1, 2] = -1.0
    assert t.numpy()[1, 2] == -1.0
    p = torch.arange(4)
    t = dlpack.from_dlpack(p)
    p += 10
    assert t.numpy().tolist() == [10, 11, 12, 13]


def test_numpy_gets_a_read_only_view_as_from_tf(tf_oracle):
    for lib in (ff, tf_oracle):
        a = np.from_dlpack(lib.constant([1.0, 2.0]))
        assert not a.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            a[0] = 5.0
    t = ff.constant([1.0, 2.0])
    copied = np.from_dlpack(t, copy=True)  # the array API's copy=True: a writable copy
    copied[0] = 7.0
    assert t.numpy().tolist() == [1.0, 2.0] and _address(copied) != _address(t)
    np.testing.assert_array_equal(np.from_dlpack(t, device="cpu"), [1.0, 2.0])


def test_read_only_producers_are_taken_without_a_copy_and_exported_again():
    source = np.arange(3.0)
    source.flags.writeable = False  # NumPy exports it only as a versioned capsule, flagged read-only
    t = dlpack.from_dlpack(source)
    assert _address(t) == _address(source)
    again = dlpack.from_dlpack(dlpack.to_dlpack(t))  # the legacy capsule, which cannot say read-only
    assert _address(again) == _address(source)
    assert np.from_dlpack(backend_dlpack.Exporter(dlpack.to_dlpack(t), (1, 0))).tolist() == [0.0, 1.0, 2.0]


def test_a_strided_tensor_is_exported_compact_as_tf_exports_every_tensor(tf_oracle):
    t = ff.transpose(ff.reshape(ff.range(6.0), [2, 3]))  # a view of a row-major array
    theirs = tf_oracle.experimental.dlpack.from_dlpack(dlpack.to_dlpack(t))  # TF's consumer takes it
    np.testing.assert_array_equal(theirs.numpy(), t.numpy())
    np.testing.assert_array_equal(np.from_dlpack(t), [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]])
    assert np.from_dlpack(t).flags.c_contiguous
    view = np.from_dlpack(t, copy=False)  # the array API's copy=False: no copy, so the strides as they are
    assert _address(view) == _address(t) and view.strides == t._value.strides


@settings(max_examples=25, deadline=None)
@given(dtype=st.sampled_from(DTYPES), shape=st.lists(st.integers(0, 4), max_size=3), data=st.data())
def test_any_layout_reaches_every_consumer_with_its_values(dtype, shape, data, tf_oracle):
    """Tensors of any shape, permuted by a transpose (a strided view), reach NumPy, TF and featherflow itself."""
    perm = data.draw(st.permutations(range(len(shape))))
    t = ff.transpose(ff.constant(_values(dtype, tuple(shape))), perm) if shape else ff.constant(_values(dtype, ()))
    expected = t.numpy()
    np.testing.assert_array_equal(dlpack.from_dlpack(dlpack.to_dlpack(t)).numpy(), expected)
    np.testing.assert_array_equal(tf_oracle.experimental.dlpack.from_dlpack(dlpack.to_dlpack(t)).numpy(), expected)
    if dtype != "bfloat16":
        np.testing.assert_array_equal(np.from_dlpack(t), expected)


# --- errors, as TF's ------------------------------------------------------------------------------------


def _raises_as_tf(tf_oracle, ours, theirs):
    with pytest.raises(Exception) as expected:
        theirs()
    with pytest.raises(Exception) as got:
        ours()
    assert type(got.value).__name__ == type(expected.value).__name__
    assert str(got.value) == str(expected.value)


def test_a_capsule_is_consumed_once(tf_oracle):
    t = tf_oracle.constant([1.0])
    theirs = tf_oracle.experimental.dlpack.to_dlpack(t)
    tf_oracle.experimental.dlpack.from_dlpack(theirs)
    ours = dlpack.to_dlpack(ff.constant([1.0]))
    dlpack.from_dlpack(ours)
    _raises_as_tf(tf_oracle, lambda: dlpack.from_dlpack(ours), lambda: tf_oracle.experimental.dlpack.from_dlpack(theirs))
    with pytest.raises(ff.errors.InvalidArgumentError, match='got "%s".*used_dltensor$'):
        dlpack.from_dlpack(ours)


@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")
@pytest.mark.parametrize("make", [
    lambda: np.arange(6.0).reshape(2, 3).T.__dlpack__(),  # not row-major
    lambda: np.arange(6.0).reshape(2, 3)[:, :1].__dlpack__(),  # a column of a row-major matrix
    pytest.param(lambda: torch.utils.dlpack.to_dlpack(torch.arange(6.0).reshape(2, 3).t()), marks=NEEDS_TORCH),
    pytest.param(lambda: torch.utils.dlpack.to_dlpack(torch.zeros(2, dtype=torch.float8_e4m3fn)),  # a type code
                 marks=NEEDS_TORCH),  # TF has not
    pytest.param(lambda: torch.utils.dlpack.to_dlpack(torch.zeros(2, dtype=torch.complex32)),  # 32-bit complex
                 marks=NEEDS_TORCH),
], ids=["transposed", "column", "torch-transposed", "float8", "complex32"])
def test_capsules_tf_refuses(make, tf_oracle):
    _raises_as_tf(tf_oracle, lambda: dlpack.from_dlpack(make()), lambda: tf_oracle.experimental.dlpack.from_dlpack(make()))


def test_a_strided_producer_is_refused_as_tf_refuses_its_capsule():
    with pytest.raises(ff.errors.InvalidArgumentError, match="^Invalid strides array from DLPack$"):
        dlpack.from_dlpack(np.arange(6.0).reshape(2, 3).T)
    assert dlpack.from_dlpack(np.zeros((0, 4))[:, ::2]).shape == (0, 2)  # TF: an empty tensor has any strides


@pytest.mark.parametrize("value", ["variable", "numpy", "list"])
def test_to_dlpack_takes_only_tensors(value, tf_oracle):
    def make(lib):
        return {"variable": lambda: lib.Variable([1.0]), "numpy": lambda: np.arange(3.0), "list": lambda: [1.0]}[value]()

    _raises_as_tf(tf_oracle, lambda: dlpack.to_dlpack(make(ff)),
                  lambda: tf_oracle.experimental.dlpack.to_dlpack(make(tf_oracle)))
    # a variable has no __dlpack__, as TF's
    assert not hasattr(ff.Variable([1.0]), "__dlpack__") and not hasattr(tf_oracle.Variable([1.0]), "__dlpack__")


@pytest.mark.parametrize("dtype", ["qint8", "quint8", "qint32"])
def test_dtypes_dlpack_cannot_carry(dtype, tf_oracle):
    _raises_as_tf(tf_oracle, lambda: dlpack.to_dlpack(ff.constant([1, 0], dtype=dtype)),
                  lambda: tf_oracle.experimental.dlpack.to_dlpack(tf_oracle.constant([1, 0], dtype=dtype)))


def test_strings_are_refused_in_tf_words():
    # TF 2.21 aborts the process here (a failed check); featherflow raises TF's error for the other dtypes
    with pytest.raises(ff.errors.InvalidArgumentError, match="^DT_STRING is not supported by dlpack$"):
        dlpack.to_dlpack(ff.constant(["a"]))
    assert ff.constant(["a"]).__dlpack_device__() == (1, 0)


def test_export_options_on_the_cpu(tf_oracle):
    t, theirs = ff.constant([1.0]), tf_oracle.constant([1.0])
    _raises_as_tf(tf_oracle, lambda: t.__dlpack__(stream=1), lambda: theirs.__dlpack__(stream=1))
    with pytest.raises(TypeError):
        t.__dlpack__(None)  # keyword-only, as TF's
    with pytest.raises(BufferError, match=r"\(2, 0\)"):
        t.__dlpack__(dl_device=(2, 0))
    same = dlpack.from_dlpack(t.__dlpack__(max_version=(1, 0), dl_device=(1, 0), copy=False))
    assert _address(same) == _address(t)
    copied = dlpack.from_dlpack(t.__dlpack__(max_version=(1, 0), copy=True))
    assert _address(copied) != _address(t) and copied.numpy().tolist() == [1.0]


def test_from_dlpack_takes_capsules_and_dlpack_objects():
    with pytest.raises(TypeError, match=r"^TFE_FromDlpackCapsule\(\): incompatible function arguments"):
        dlpack.from_dlpack([1.0, 2.0])
    with pytest.raises(TypeError, match="incompatible function arguments"):
        dlpack.from_dlpack(3)
    assert dlpack.from_dlpack(np.arange(3.0).__dlpack__(max_version=(1, 0))).numpy().tolist() == [0.0, 1.0, 2.0]


# --- the simulated GPU: CuPy's protocol -----------------------------------------------------------------


def test_simulated_gpu_speaks_cupys_protocol():
    from featherflow.backends import simulated
    from featherflow.device import _simulating

    with _simulating(2) as gpus:
        xp = gpus[0].xp
        with ff.device("GPU:1"):
            t = ff.constant([1.0, 2.0, 3.0])
        assert t.__dlpack_device__() == (2, 1) and t._value.__dlpack_device__() == (2, 1)
        with assert_no_transfers():
            back = dlpack.from_dlpack(dlpack.to_dlpack(t))  # a GPU tensor stays on its card, shared
            taken = xp.from_dlpack(t)  # cupy.from_dlpack(tensor)
            again = dlpack.from_dlpack(taken)  # from_dlpack(cupy array)
            versioned = dlpack.from_dlpack(t.__dlpack__(max_version=(1, 0)))
        for other in (back, again, versioned):
            assert other.device.endswith("GPU:1") and type(other._value) is simulated.SimArray
            assert other._value.data.ptr == t._value.data.ptr
        assert type(taken) is simulated.SimArray and taken._card == 1 and taken.data.ptr == t._value.data.ptr
        with xp.cuda.Device(1):
            taken += 1.0  # a CuPy array is mutable, even one taken from a legacy capsule
        with xp.cuda.Device(0):
            b = ff.constant([1.5, 2.0], ff.bfloat16)
        assert dlpack.from_dlpack(b).numpy().tolist() == [1.5, 2.0]
        # a strided tensor goes out compact (a copy on its card), as on the CPU
        z = ff.transpose(ff.reshape(ff.range(6.0), [2, 3]))
        assert not z._value.flags.c_contiguous
        with assert_no_transfers():
            compact = dlpack.from_dlpack(dlpack.to_dlpack(z))
        assert compact.device.endswith("GPU:0") and compact.numpy().tolist() == z.numpy().tolist()
        # CuPy's own export keeps the strides (a view), and TF's check refuses them as it refuses NumPy's
        with xp.cuda.Device(0):
            strided = xp.arange(6.0).reshape(2, 3).T
        with pytest.raises(ff.errors.InvalidArgumentError, match="^Invalid strides array from DLPack$"):
            dlpack.from_dlpack(strided)
        # NumPy refuses a card's capsule exactly as it refuses any CUDA capsule
        fake_cuda = np.arange(3.0).__dlpack__()
        backend_dlpack.dl_tensor(fake_cuda).device.device_type = backend_dlpack.CUDA
        with pytest.raises(Exception) as expected:
            np.from_dlpack(backend_dlpack.Exporter(fake_cuda, (2, 0)))
        with pytest.raises(type(expected.value), match=f"^{expected.value}$"):
            np.from_dlpack(t)
        # ... and the simulation refuses a CUDA capsule it did not make (a real card's memory)
        with pytest.raises(BufferError, match="only its own capsules"):
            dlpack.from_dlpack(fake_cuda)
        with pytest.raises(TypeError, match="^CPU arrays cannot be directly imported to CuPy"):
            xp.from_dlpack(np.arange(3.0))
        # a host copy on request (dl_device=(kDLCPU, 0)): one device->host copy, counted
        before = simulated.transfers()
        assert np.from_dlpack(t, device="cpu").tolist() == [2.0, 3.0, 4.0]
        assert simulated.transfers()[1] == before[1] + 1
        with pytest.raises(BufferError, match="without a copy"):
            t.__dlpack__(dl_device=(1, 0), copy=False)


def test_gpu_exchange_with_the_device_array_library(device):
    """featherflow GPU tensors and the GPU's own arrays (CuPy's, or the simulated card's) share memory."""
    if device == "CPU":
        pytest.skip("the GPU half: the CPU's exchange is tested above")
    from featherflow.backends import simulated

    from ._gpu_mode import counting

    xp = ff.constant(0.0)._device.xp
    t = ff.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    assert t.device.endswith("GPU:0") and t.__dlpack_device__() == (2, 0)
    with assert_no_transfers() if counting() else contextlib.nullcontext():
        a = xp.from_dlpack(t)
        back = dlpack.from_dlpack(a)
        round_trip = dlpack.from_dlpack(dlpack.to_dlpack(t))
    assert a.data.ptr == t._value.data.ptr == back._value.data.ptr == round_trip._value.data.ptr
    assert back.device.endswith("GPU:0") and back.numpy().tolist() == t.numpy().tolist()
    with assert_no_transfers() if counting() else contextlib.nullcontext():
        doubled = back + round_trip  # an imported array is an ordinary tensor of its device
    assert doubled.device.endswith("GPU:0") and doubled.numpy()[1, 2] == 10.0
    if type(t._value) is not simulated.SimArray and torch is not None and torch.cuda.is_available():  # a real GPU: PyTorch's CUDA too
        p = torch.from_dlpack(t)
        assert p.is_cuda and p.data_ptr() == t._value.data.ptr
        q = torch.arange(4.0, device="cuda")
        mine = dlpack.from_dlpack(q)
        assert mine.device.endswith("GPU:0") and mine._value.data.ptr == q.data_ptr()
        q += 1  # on PyTorch's stream, which from_dlpack ordered CuPy's after
        torch.cuda.synchronize()
        assert mine.numpy().tolist() == [1.0, 2.0, 3.0, 4.0]
