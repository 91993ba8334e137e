"""The simulated GPU's array namespace behaves like CuPy's where device purity is at stake: no implicit
conversion to NumPy, no NumPy operands, no scalars, one card at a time, and counted transfers."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

from featherflow.backends import simulated, simulated_cuda
from featherflow.backends.simulated import SimArray, xp


@pytest.fixture(autouse=True)
def two_cards():
    saved = simulated_cuda._cards
    simulated.configure(2)
    simulated.reset_transfers()
    yield
    simulated.configure(saved)


def test_an_array_is_not_an_ndarray_and_refuses_implicit_conversion() -> None:
    x = xp.asarray(np.arange(3.0))
    assert isinstance(x, xp.ndarray) and not isinstance(x, np.ndarray)
    message = ("Implicit conversion to a NumPy array is not allowed. Please use `.get()` to construct a NumPy "
               "array explicitly.")
    with pytest.raises(TypeError) as e:
        np.asarray(x)
    assert str(e.value) == message
    with pytest.raises(TypeError, match="Implicit conversion"):
        np.array([x, x])
    assert isinstance(x.get(), np.ndarray)


@pytest.mark.parametrize("mix", [
    lambda d, h: d + h, lambda d, h: h + d, lambda d, h: np.add(d, h), lambda d, h: np.add(h, d),
    lambda d, h: xp.add(d, h), lambda d, h: xp.concatenate([d, h]), lambda d, h: np.concatenate([h, d]),
    lambda d, h: xp.where(d > 0, d, h), lambda d, h: d + np.float64(1.0) + h, lambda d, h: d * np.array(2.0),
    lambda d, h: np.add(d, d, out=h), lambda d, h: xp.matmul(h, d),
])
def test_mixing_with_numpy_arrays_raises_type_error(mix) -> None:
    d = xp.asarray(np.arange(3.0))
    with pytest.raises(TypeError, match="Unsupported type <class 'numpy.ndarray'>"):
        mix(d, np.arange(3.0))


def test_python_and_numpy_scalars_are_kernel_arguments() -> None:
    d = xp.asarray(np.arange(3.0, dtype=np.float32))
    simulated.reset_transfers()
    for r in (d + 1, 2.0 * d, d * np.float32(3), np.float32(3) * d, d ** 2, -d, abs(d), d > 1):
        assert type(r) is SimArray
    assert (d * 2.0).dtype == np.float32  # NEP 50's weak Python scalars, as CuPy
    assert simulated.transfers() == (0, 0)


def test_numpy_functions_dispatch_to_the_device() -> None:
    d = xp.asarray(np.arange(6.0).reshape(2, 3))
    for r in (np.add(d, d), np.sum(d, axis=0), np.stack([d, d]), np.linalg.norm(d), np.sqrt(d), np.where(d > 1, d, 0)):
        assert type(r) is SimArray, r
    np.testing.assert_array_equal(np.concatenate([d, d]).get(), np.concatenate([d.get(), d.get()]))


def test_results_are_never_scalars() -> None:
    d = xp.asarray(np.arange(4.0))
    for r in (d.sum(), d[0], d.max(), xp.sum(d), np.mean(d), d[1:][0], xp.dot(d, d), d.astype(np.int32)[2]):
        assert type(r) is SimArray and r.ndim == 0
    assert float(d.sum()) == 6.0 and d[3].item() == 3.0 and d.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_transfers_are_counted() -> None:
    host = np.arange(4.0)
    d = xp.asarray(host)
    assert simulated.transfers() == (1, 0)
    assert xp.asarray(d) is d and simulated.transfers() == (1, 0)  # already on the device: no copy
    xp.array([1.0, 2.0])
    assert simulated.transfers() == (2, 0)
    back = d.get()
    assert simulated.transfers() == (2, 1) and back is not host
    np.testing.assert_array_equal(xp.asnumpy(d * 2), host * 2)
    float(d[0])
    repr(d)
    assert simulated.transfers() == (2, 4)
    d.set(np.ones(4))
    assert simulated.transfers() == (3, 4)
    xp.zeros(3), xp.full((2,), 5.0), xp.arange(3), d.copy(), d[1:] * 2, d.sum()
    assert simulated.transfers() == (3, 4)  # made and computed on the device
    d[xp.asarray(np.array([0, 1]))]
    assert simulated.transfers() == (4, 4)
    d[[0, 1]]  # a list index is copied to the device first, as CuPy does
    assert simulated.transfers() == (5, 4)
    simulated.reset_transfers()
    assert simulated.transfers() == (0, 0)


def test_indexing_and_setitem() -> None:
    d = xp.asarray(np.arange(12.0).reshape(3, 4))
    np.testing.assert_array_equal(d[1].get(), [4, 5, 6, 7])
    np.testing.assert_array_equal(d[:, 1:3].get(), [[1, 2], [5, 6], [9, 10]])
    np.testing.assert_array_equal(d[d > 9].get(), [10, 11])
    np.testing.assert_array_equal(d[..., None].shape, (3, 4, 1))
    d[0] = 1.0
    d[1, :2] = xp.asarray(np.array([7.0, 8.0]))
    d[2] = np.array(3.0)  # a 0-d NumPy array is a scalar to CuPy
    np.testing.assert_array_equal(d.get(), [[1, 1, 1, 1], [7, 8, 6, 7], [3, 3, 3, 3]])
    with pytest.raises(ValueError, match="non-scalar numpy.ndarray"):
        d[0] = np.zeros(4)
    with pytest.raises(TypeError, match="Unsupported type"):
        d[0] = [1.0, 2.0, 3.0, 4.0]


def test_views_share_the_buffer_and_in_place_ops_write_it() -> None:
    d = xp.asarray(np.zeros(4))
    view = d.reshape(2, 2)
    view += 1
    np.add(d, 1, out=d)
    out = xp.zeros(4)
    assert np.multiply(d, 2, out=out) is out
    np.add.at(d, xp.asarray(np.array([0, 0])), 1.0)
    xp.subtract.at(d, xp.asarray(np.array([3])), xp.asarray(np.array([1.0])))
    np.testing.assert_array_equal(d.get(), [4, 2, 2, 1])
    assert d.data.ptr == view.data.ptr


def test_metadata_and_methods() -> None:
    d = xp.asarray(np.arange(6, dtype=np.int32).reshape(2, 3))
    assert (d.shape, d.dtype, d.ndim, d.size, d.itemsize, d.nbytes, d.strides) == ((2, 3), np.int32, 2, 6, 4, 24,
                                                                                  (12, 4))
    assert d.flags.c_contiguous and d.T.shape == (3, 2) and len(d) == 2
    for r in (d.reshape(3, 2), d.astype(np.float32), d.copy(), d.ravel(), d.transpose(), d.view(np.uint32),
              d.sum(axis=1), d.max(), d.cumsum(), d.clip(1, 3), d.argmax()):
        assert type(r) is SimArray
    d.fill(7)
    assert d.tolist() == [[7, 7, 7], [7, 7, 7]]
    assert [type(row) for row in d] == [SimArray, SimArray]
    assert xp.get_array_module(d) is xp and xp.get_array_module(np.zeros(1)) is np
    assert xp.float32 is np.float32 and xp.ndarray is SimArray and xp.pi == np.pi
    assert type(copy.deepcopy(d)) is SimArray and pickle.loads(pickle.dumps(d)).tolist() == d.tolist()
    with pytest.raises(AttributeError):
        d.__array_interface__  # noqa: B018 (NumPy must not find a way around __array__)
    with pytest.raises(TypeError, match="0-d"):
        iter(d.sum())


def test_the_current_card_runs_the_kernels() -> None:
    assert simulated.current_card() == 0
    a = xp.asarray(np.ones(3))
    with xp.cuda.Device(1):
        assert simulated.current_card() == 1 and xp.cuda.Device().id == 1
        b = xp.asarray(np.ones(3))
        assert b.device.id == 1 and b.device == xp.cuda.Device(1)
        with pytest.raises(ValueError, match=r"resides \(0\) is different from the current device \(1\)"):
            a + b
        with pytest.raises(ValueError, match="Peer access is unavailable"):
            a.sum()
        moved = a.copy()  # CuPy copies another card's array onto the current card
        assert moved.device.id == 1 and simulated.peer_copies() == 1
        (b + moved).sum()
        a.reshape(3, 1)  # a view is no kernel: any card may make it
        a.get()
    assert simulated.current_card() == 0
    assert simulated.launches()[1] >= 2
    with pytest.raises(ValueError, match="different from the current device"):
        b * 2
    assert xp.cuda.runtime.getDeviceCount() == 2
    with pytest.raises(RuntimeError, match="invalid device ordinal"):
        xp.cuda.Device(2)


def test_linalg_gives_nans_for_singular_inputs_as_cupy() -> None:
    singular = xp.asarray(np.zeros((2, 2)))
    assert np.isnan(xp.linalg.inv(singular).get()).all()
    assert np.isnan(xp.linalg.cholesky(xp.asarray(-np.eye(2))).get()).all()
    assert xp.linalg.solve(singular, xp.asarray(np.ones((2, 3)))).shape == (2, 3)
    np.testing.assert_allclose(xp.linalg.inv(xp.asarray(2 * np.eye(2))).get(), 0.5 * np.eye(2))


def test_views_keep_their_owner_referenced_as_cupy_base() -> None:
    # A variable's copy on write counts references to its buffer: a held view must count, as a CuPy view does
    # through ``.base`` (and a NumPy one through its own ``base``).
    import sys

    owner = xp.asarray(np.arange(6.0))
    before = sys.getrefcount(owner)
    views = [owner[1:4], owner.reshape(2, 3), owner.reshape(2, 3).T, xp.reshape(owner, (3, 2)), owner[::2][1:],
             xp.expand_dims(owner, 0), owner.ravel(), xp.asarray(owner + 1j)[1:].real]
    for v in views[:-1]:
        assert v.base is owner, v
    assert sys.getrefcount(owner) == before + len(views) - 1
    assert owner.base is None and owner.real is owner and xp.ascontiguousarray(owner) is owner
    for copied in (owner.copy(), owner + 1, owner[[0, 1]], xp.array(owner), owner.reshape(2, 3).T.ravel()):
        assert copied.base is None
    del views, v
    assert sys.getrefcount(owner) == before
