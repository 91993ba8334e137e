"""tf.image.sample_distorted_bounding_box and tf.image.stateless_sample_distorted_bounding_box against real
TensorFlow: the crops bit for bit for given seeds (and a seeded kernel's stream across calls), dtypes, errors."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

RNG = np.random.default_rng(41)

pytestmark = pytest.mark.usefixtures("same_seed_state")


def _case(i):
    rng = np.random.default_rng(i)
    h, w = int(rng.integers(1, 300)), int(rng.integers(1, 300))
    n = int(rng.integers(0, 3))
    lo = rng.uniform(0, 0.6, size=(1, n, 2))
    hi = lo + rng.uniform(0, 0.4, size=(1, n, 2))
    boxes = np.concatenate([lo, hi], axis=-1).astype(np.float32)
    kwargs = dict(min_object_covered=float(rng.choice([0.0, 0.1, 0.5, 0.9])),
                  aspect_ratio_range=[float(rng.uniform(0.3, 1)), float(rng.uniform(1, 3))],
                  area_range=[float(rng.uniform(0.01, 0.5)), float(rng.uniform(0.5, 1))],
                  max_attempts=int(rng.integers(1, 200)), use_image_if_no_bounding_boxes=True)
    dtype = [np.int32, np.int64, np.uint8, np.int16][i % 4] if max(h, w) < 128 else np.int32
    seed = [int(rng.integers(-2**31, 2**31)), int(rng.integers(0, 2**31))]
    return np.array([h, w, 3], dtype), boxes, kwargs, seed


def _same(ours, theirs):
    assert type(ours).__name__ == type(theirs).__name__
    for a, b in zip(ours, theirs):
        assert a.dtype.name == b.dtype.name
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize("i", range(30))
def test_stateless_bit_for_bit(tf_oracle, i):
    size, boxes, kwargs, seed = _case(i)
    _same(ff.image.stateless_sample_distorted_bounding_box(size, boxes, seed, **kwargs),
          tf_oracle.image.stateless_sample_distorted_bounding_box(size, boxes, seed, **kwargs))


@pytest.mark.parametrize("i", range(12))
def test_seeded_kernel_stream(tf_oracle, i):
    size, boxes, kwargs, _ = _case(100 + i)
    for _ in range(3):  # each call of the cached kernel continues its Philox stream
        _same(ff.image.sample_distorted_bounding_box(size, boxes, seed=1000 + i, **kwargs),
              tf_oracle.image.sample_distorted_bounding_box(size, boxes, seed=1000 + i, **kwargs))


def test_global_seed(tf_oracle):
    size, boxes, kwargs, _ = _case(7)
    outs = []
    for m in (ff, tf_oracle):
        m.random.set_seed(55)
        outs.append([m.image.sample_distorted_bounding_box(size, boxes, seed=3, **kwargs) for _ in range(2)])
    for ours, theirs in zip(*outs):
        _same(ours, theirs)


def test_unseeded_crop_is_valid():
    begin, size, bboxes = ff.image.sample_distorted_bounding_box([40, 50, 3], [[[0.1, 0.2, 0.5, 0.7]]])
    b, s = begin.numpy(), size.numpy()
    assert b[2] == 0 and s[2] == -1 and 0 <= b[0] and b[0] + s[0] <= 40 and b[1] + s[1] <= 50
    assert bboxes.shape == (1, 1, 4) and bboxes.dtype == ff.float32


BOX = np.array([[[0.1, 0.2, 0.5, 0.7]]], np.float32)
ERRORS = [
    (([40, 50, 3], BOX, [1, 2]), {"aspect_ratio_range": [0.0, 1.0]}),
    (([40, 50, 3], BOX, [1, 2]), {"aspect_ratio_range": [1.0]}),
    (([40, 50, 3], BOX, [1, 2]), {"area_range": [0.5, 1.5]}),
    (([40, 50, 3], BOX, [1, 2]), {"area_range": [-0.5, 0.5]}),
    (([40, 50, 3], BOX, [1, 2]), {"max_attempts": 0}),
    (([40, 50, 3], BOX, [1, 2]), {"min_object_covered": -0.1}),
    (([40, 50], BOX, [1, 2]), {}),
    (([[40, 50, 3]], BOX, [1, 2]), {}),
    (([40, 50, 3], BOX[0], [1, 2]), {}),
    (([40, 50, 3], BOX[..., :3], [1, 2]), {}),
    (([40, 50, 3], BOX * 3, [1, 2]), {}),
    (([40, 50, 3], np.zeros((1, 0, 4), np.float32), [1, 2]), {}),
    (([40, 50, 3], BOX, [1, 2, 3]), {}),
    (([40.0, 50.0, 3.0], BOX, [1, 2]), {}),
    (([40, 50, 3], BOX, [1.0, 2.0]), {}),
]


@pytest.mark.parametrize("args,kwargs", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors_match_tensorflow(tf_oracle, args, kwargs):
    errors = []
    for m in (ff, tf_oracle):
        with pytest.raises(Exception) as info:
            m.image.stateless_sample_distorted_bounding_box(*args, **kwargs)
        errors.append(info.value)
    ours, theirs = errors
    assert type(ours).__name__ == type(theirs).__name__, (ours, theirs)
    # (TF's eager runtime leaves the " name: " tail off the first error a new kernel raises in a process)
    assert str(ours).removesuffix(" name: ") == str(theirs).removesuffix(" name: ")


def test_runs_on_the_host_from_a_gpu(device):
    # TF registers only CPU kernels: the outputs stay on the CPU
    out = ff.image.stateless_sample_distorted_bounding_box(ff.constant([40, 50, 3]), BOX, [1, 2])
    assert all(t.device.endswith("CPU:0") for t in out)
    assert out.begin.numpy().tolist() == [12, 3, 0]


def test_seed_zero_under_op_determinism_is_refused_as_tf() -> None:
    from featherflow import runtime_config

    runtime_config.enable_op_determinism()
    try:
        with pytest.raises(ValueError, match="requires a non-zero seed to be passed in when determinism is enabled, "
                                             "but got seed=0"):
            ff.image.sample_distorted_bounding_box([10, 10, 3], ff.zeros([1, 0, 4]),
                                                   use_image_if_no_bounding_boxes=True)
        begin, _, _ = ff.image.sample_distorted_bounding_box([10, 10, 3], ff.zeros([1, 0, 4]), seed=3,
                                                             use_image_if_no_bounding_boxes=True)
        assert begin.shape == [3]
    finally:
        runtime_config.disable_op_determinism()
