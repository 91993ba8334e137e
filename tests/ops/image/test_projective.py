"""ImageProjectiveTransformV2/V3 (tf.raw_ops, Keras's affine_transform) against real TF: every fill mode and
interpolation, TF's image dtypes, its errors, its gradient, on the CPU and the (simulated) GPU."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import featherflow as ff

MODES = ["CONSTANT", "REFLECT", "WRAP", "NEAREST"]
INTERPOLATIONS = ["NEAREST", "BILINEAR"]
DTYPES = ["float32", "float64", "uint8", "int32", "int64", "float16", "bfloat16"]


def _case(seed, dtype="float32", projective=True, per_image=True):
    rng = np.random.default_rng(seed)
    b, h, w, c = 2, int(rng.integers(1, 7)), int(rng.integers(1, 7)), 2
    images = rng.random((b, h, w, c)) * 100
    transforms = rng.normal(size=(b if per_image else 1, 8)) * 2
    transforms[:, 6:] *= 0.1 if projective else 0.0
    out = [int(rng.integers(1, 9)), int(rng.integers(1, 9))]
    return images, transforms.astype(np.float32), out, float(rng.integers(0, 5))


def _images(lib, images, dtype):
    return lib.cast(lib.constant(images, lib.float64), getattr(lib, dtype))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("interpolation", INTERPOLATIONS)
@pytest.mark.parametrize("mode", MODES)
def test_v3_matches_tf(mode, interpolation, dtype, tf_oracle):
    for seed in range(6):
        images, transforms, out, fill = _case(seed, dtype, projective=seed % 3 != 0, per_image=seed % 2 == 0)
        results = [lib.raw_ops.ImageProjectiveTransformV3(
            images=_images(lib, images, dtype), transforms=transforms, output_shape=out, fill_value=fill,
            interpolation=interpolation, fill_mode=mode) for lib in (ff, tf_oracle)]
        mine, theirs = results
        assert mine.dtype.name == theirs.dtype.name and mine.shape == theirs.shape
        np.testing.assert_array_equal(mine.numpy().astype(np.float64), theirs.numpy().astype(np.float64))


@pytest.mark.parametrize("interpolation", INTERPOLATIONS)
@pytest.mark.parametrize("mode", MODES)
def test_v2_matches_tf(mode, interpolation, tf_oracle):
    images, transforms, out, _ = _case(7)
    mine, theirs = [lib.raw_ops.ImageProjectiveTransformV2(
        images=images.astype(np.float32), transforms=transforms, output_shape=out, interpolation=interpolation,
        fill_mode=mode) for lib in (ff, tf_oracle)]
    np.testing.assert_array_equal(mine.numpy(), theirs.numpy())


@pytest.mark.parametrize("transform", [
    [1, 0, 1e9, 0, 1, -1e9, 0, 0],  # points far outside (integer casts must stay defined)
    [1, 0, 0, 0, 1, 0, 1, 0],  # a projection of 0 at x = -1 only: finite everywhere on the grid
    [1, 0, 0, 0, 1, 0, -0.5, 0],  # the projection is 0 at x = 2: that column is the fill value
    [0, 0, 0, 0, 0, 0, 0, 0],  # every point maps to (0, 0)
    [1.5, 0.2, -0.5, 0.1, 0.5, -0.5, 0, 0],
])
@pytest.mark.parametrize("mode", MODES)
def test_edge_transforms_match_tf(transform, mode, tf_oracle):
    images = np.arange(1, 1 + 4 * 5 * 1, dtype=np.float32).reshape(1, 4, 5, 1)
    for interpolation in INTERPOLATIONS:
        mine, theirs = [lib.raw_ops.ImageProjectiveTransformV3(
            images=images, transforms=[transform], output_shape=[5, 6], fill_value=-1.0,
            interpolation=interpolation, fill_mode=mode) for lib in (ff, tf_oracle)]
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())


IM = np.zeros([2, 3, 4, 1], np.float32)
T = [[1.0, 0, 0, 0, 1, 0, 0, 0]]


@pytest.mark.parametrize("kwargs", [
    dict(images=IM[0], transforms=T, output_shape=[3, 4]),
    dict(images=IM, transforms=[T[0][:7]], output_shape=[3, 4]),
    dict(images=IM, transforms=T * 3, output_shape=[3, 4]),
    dict(images=IM, transforms=T[0], output_shape=[3, 4]),
    dict(images=IM, transforms=T, output_shape=[3, 4, 1]),
    dict(images=IM, transforms=T, output_shape=[[3, 4]]),
    dict(images=IM, transforms=T, output_shape=[0, 4]),
    dict(images=IM, transforms=T, output_shape=[3, 4], fill_value=[0.0]),
    dict(images=IM, transforms=lambda lib: lib.constant(T, lib.float64), output_shape=[3, 4]),
    dict(images=IM, transforms=T, output_shape=lambda lib: lib.constant([3, 4], lib.int64)),
    dict(images=IM.astype(np.int16), transforms=T, output_shape=[3, 4]),
    dict(images=IM.astype(np.complex64), transforms=T, output_shape=[3, 4]),
])
def test_errors_match_tf(kwargs, tf_oracle):
    kwargs = {"fill_value": 0.0, "interpolation": "BILINEAR", **kwargs}

    def run(lib):
        return lib.raw_ops.ImageProjectiveTransformV3(**{k: v(lib) if callable(v) else v for k, v in kwargs.items()})

    with pytest.raises(Exception) as theirs:
        run(tf_oracle)
    with pytest.raises(Exception) as mine:
        run(ff)
    assert type(mine.value).__name__ == type(theirs.value).__name__
    assert str(mine.value).split(": <")[0] == str(theirs.value).split(": <")[0]  # (reprs of the tensors differ)


@pytest.mark.parametrize("interpolation, mode", [("CUBIC", "CONSTANT"), ("BILINEAR", "MIRROR")])
def test_unknown_interpolation_or_mode_is_refused(interpolation, mode):
    # TF logs the error and runs with an undefined mode; featherflow refuses, with TF's logged text
    with pytest.raises(ff.errors.InvalidArgumentError, match="Supported types"):
        ff.raw_ops.ImageProjectiveTransformV3(images=IM, transforms=T, output_shape=[3, 4], fill_value=0.0,
                                              interpolation=interpolation, fill_mode=mode)


@pytest.mark.parametrize("version", ["V2", "V3"])
@pytest.mark.parametrize("interpolation", INTERPOLATIONS)
@pytest.mark.parametrize("mode", MODES)
def test_gradient_matches_tf(version, interpolation, mode, tf_oracle):
    images, _, _, _ = _case(3)
    transforms = np.array([[1.1, 0.2, -0.7, -0.1, 0.9, 0.4, 0.01, -0.02]], np.float32)
    size = list(images.shape[1:3])
    grads = []
    for lib in (ff, tf_oracle):
        x = lib.constant(images, lib.float32)
        with lib.GradientTape() as tape:
            tape.watch(x)
            kwargs = dict(images=x, transforms=transforms, output_shape=size, interpolation=interpolation,
                          fill_mode=mode)
            if version == "V3":
                kwargs["fill_value"] = 2.0
            y = getattr(lib.raw_ops, f"ImageProjectiveTransform{version}")(**kwargs)
            loss = lib.reduce_sum(y * lib.constant(np.linspace(0, 1, int(np.prod(y.shape))).reshape(y.shape),
                                                   lib.float32))
        grads.append(tape.gradient(loss, x).numpy())
    # (the inverse of the transform is computed by each library's own matrix inverse)
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-4, atol=1e-4)


@pytest.mark.usefixtures("device")
@pytest.mark.parametrize("interpolation", INTERPOLATIONS)
@pytest.mark.parametrize("mode", MODES)
def test_runs_on_the_device(interpolation, mode):
    images, transforms, out, fill = _case(5)
    x = ff.constant(images, ff.float32)
    y = ff.raw_ops.ImageProjectiveTransformV3(images=x, transforms=transforms, output_shape=out, fill_value=fill,
                                              interpolation=interpolation, fill_mode=mode)
    assert y.device == x.device
    with ff.device("/CPU:0"):
        expected = ff.raw_ops.ImageProjectiveTransformV3(
            images=ff.constant(images, ff.float32), transforms=transforms, output_shape=out, fill_value=fill,
            interpolation=interpolation, fill_mode=mode)
    np.testing.assert_array_equal(y.numpy(), expected.numpy())
    with ff.GradientTape() as tape:
        tape.watch(x)
        z = ff.raw_ops.ImageProjectiveTransformV2(images=x, transforms=transforms[:1],
                                                  output_shape=list(images.shape[1:3]),
                                                  interpolation=interpolation, fill_mode=mode)
    assert tape.gradient(z, x).device == x.device


_KERAS = """
import numpy as np, keras
rng = np.random.default_rng(0)
images = rng.random((2, 6, 7, 3)).astype("float32") * 10
for interpolation in ("nearest", "bilinear"):
    for fill_mode in ("constant", "nearest", "wrap", "reflect"):
        transform = np.array([[1.2, 0.3, -1.5, -0.2, 0.9, 0.8, 0.01, -0.02], [0.8, 0.0, 2.0, 0.1, 1.1, -1.0, 0, 0]],
                             "float32")
        out = keras.ops.image.affine_transform(images, transform, interpolation=interpolation, fill_mode=fill_mode,
                                               fill_value=0.5)
        print(interpolation, fill_mode, np.asarray(out).tobytes().hex())
print(np.asarray(keras.ops.digitize(np.array([0.5, 1.0, 2.5, 9.0]), [1.0, 2.0, 3.0])).tolist())
print(np.asarray(keras.ops.unique(np.array([[1, 2], [1, 2], [3, 4]]), axis=0)).tolist())
"""


def test_keras_affine_transform_digitize_unique_match_tf():
    pytest.importorskip("keras")
    env = {**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    outputs = []
    for prelude in ("import featherflow as ff\nff.use_as_tensorflow()\n", ""):
        done = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(_KERAS)], capture_output=True,
                              text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
