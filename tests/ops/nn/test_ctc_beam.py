"""tf.nn.ctc_beam_search_decoder against real TensorFlow: decoded paths exactly, log-probabilities to 1e-5."""

import os

import numpy as np
import pytest

import featherflow as ff

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
tf = pytest.importorskip("tensorflow")


def _both(x, seq, **kw):
    out = []
    for lib in (tf, ff):
        try:
            d, lp = lib.nn.ctc_beam_search_decoder(lib.constant(x), lib.constant(seq), **kw)
            out.append(([(s.indices.numpy(), s.values.numpy(), s.dense_shape.numpy()) for s in d], lp))
        except Exception as e:  # noqa: BLE001 - the error itself is compared
            out.append((type(e).__name__, str(e)))
    return out


def _case(seed, dtype, ints=False):
    rng = np.random.default_rng(seed)
    t, b, c = int(rng.integers(1, 8)), int(rng.integers(1, 4)), int(rng.integers(2, 6))
    beam = int(rng.integers(1, 25))
    top = int(rng.integers(1, min(beam, 3) + 1))
    x = rng.integers(-2, 2, size=(t, b, c)) if ints else rng.normal(size=(t, b, c))
    seq = rng.integers(0, t + 1, size=b).astype(np.int32)
    return x.astype(dtype), seq, dict(beam_width=beam, top_paths=top)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", range(12))
def test_matches_tf(seed, dtype):
    x, seq, kw = _case(seed, dtype)
    (want, want_lp), (got, got_lp) = _both(x, seq, **kw)
    if isinstance(want, str):
        assert (got, got_lp) == (want, want_lp)
        return
    assert len(got) == len(want) == kw["top_paths"]
    for (wi, wv, ws), (gi, gv, gs) in zip(want, got):
        np.testing.assert_array_equal(gi, wi)
        np.testing.assert_array_equal(gv, wv)
        np.testing.assert_array_equal(gs, ws)
        assert gi.dtype == gv.dtype == gs.dtype == np.int64
    assert got_lp.dtype.name == want_lp.dtype.name
    np.testing.assert_allclose(got_lp.numpy(), want_lp.numpy(), atol=1e-5)


@pytest.mark.parametrize("beam", [1, 3, 40])
def test_larger_beams_and_default_width(beam):
    rng = np.random.default_rng(beam)
    x = rng.normal(size=(12, 2, 6)).astype(np.float32)
    seq = np.array([12, 7], np.int32)
    (want, want_lp), (got, got_lp) = _both(x, seq, beam_width=beam, top_paths=1)
    for w, g in zip(want, got):
        for a, b in zip(w, g):
            np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(got_lp.numpy(), want_lp.numpy(), atol=1e-5)
    (want, want_lp), (got, got_lp) = _both(x[:6], np.array([6, 5], np.int32))  # beam_width=100
    np.testing.assert_array_equal(got[0][1], want[0][1])
    np.testing.assert_allclose(got_lp.numpy(), want_lp.numpy(), atol=1e-5)


@pytest.mark.parametrize("seed", range(6))
def test_tied_logits_log_probabilities(seed):
    # integer logits make many prefixes equally likely: the scores of the top paths agree with TF's
    x, seq, kw = _case(seed, np.float32, ints=True)
    (want, want_lp), (got, got_lp) = _both(x, seq, **kw)
    if isinstance(want, str):
        assert (got, got_lp) == (want, want_lp)
        return
    np.testing.assert_allclose(got_lp.numpy(), want_lp.numpy(), atol=1e-5)


def test_graves_example():
    x = np.log(np.array([[[0.3, 0.7]], [[0.4, 0.6]]], np.float32))
    d, lp = ff.nn.ctc_beam_search_decoder(x, [2], beam_width=2, top_paths=2)
    assert d[0].values.numpy().tolist() == [0] and d[1].values.numpy().tolist() == []
    np.testing.assert_allclose(np.exp(lp.numpy()), [[0.58, 0.42]], rtol=1e-6)


@pytest.mark.parametrize("x_shape, seq, kw", [
    ((4, 2, 3), [4, 3], dict(beam_width=2, top_paths=3)),
    ((4, 2, 3), [0, 3], dict(beam_width=5, top_paths=3)),  # only the empty path
    ((4, 2, 3), [5, 3], {}),
    ((4, 2, 3), [4], {}),
    ((4, 2, 3), [[4, 3]], {}),
    ((4, 3), [4, 3], {}),
    ((0, 2, 3), [4, 3], {}),
])
def test_errors_match_tf(x_shape, seq, kw):
    x = np.random.default_rng(0).normal(size=x_shape).astype(np.float32)
    seq = np.array(seq, np.int32)
    (want_cls, want_msg), (got_cls, got_msg) = _both(x, seq, **kw)
    assert (got_cls, got_msg) == (want_cls, want_msg)


@pytest.mark.parametrize("attr", ["beam_width", "top_paths"])
def test_attr_minimum(attr):
    x = np.zeros((2, 1, 3), np.float32)
    with pytest.raises(ff.errors.InvalidArgumentError, match=f"Value for attr '{attr}' of 0 must be at least minimum"):
        ff.nn.ctc_beam_search_decoder(x, [2], **{attr: 0})


def test_list_sequence_length_error_has_no_name_tail():
    x = np.zeros((2, 1, 3), np.float32)
    with pytest.raises(ff.errors.InvalidArgumentError) as e:
        ff.nn.ctc_beam_search_decoder(x, [2], beam_width=2, top_paths=3)
    assert str(e.value).endswith("requested more paths than the beam width. [Op:CTCBeamSearchDecoder]")


def test_not_differentiable():
    x = ff.Variable(np.zeros((2, 1, 3), np.float32))
    with ff.GradientTape() as tape:
        _, lp = ff.nn.ctc_beam_search_decoder(x, ff.constant([2]), beam_width=2)
    assert tape.gradient(lp, x) is None
