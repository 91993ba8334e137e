"""PNG, JPEG, GIF and BMP decoding against TF's decoders (PNG exactly; JPEG exactly with TF's accurate integer
DCT, within a few levels of TF's default fast DCT), encoders by round trip, and TF's errors."""

from __future__ import annotations

import io

import numpy as np
import pytest

import featherflow as ff

from ._support import compare, same_error

pytest.importorskip("PIL")
_rng = np.random.default_rng(2)
IMAGES = {c: _rng.integers(0, 256, (13, 17, c), dtype=np.uint8) for c in (1, 2, 3, 4)}
SMOOTH = (np.add.outer(np.arange(40), np.arange(50))[..., None] * np.array([2, 3, 1]) % 256).astype(np.uint8)


@pytest.mark.parametrize("stored", [1, 2, 3, 4])
@pytest.mark.parametrize("channels", [0, 1, 3, 4])
def test_decode_png_equals_tf(tf_oracle, stored: int, channels: int) -> None:
    data = tf_oracle.io.encode_png(IMAGES[stored]).numpy()
    compare(tf_oracle, ff, lambda m: m.io.decode_png(data, channels=channels).numpy(), rtol=0, atol=0)
    compare(tf_oracle, ff, lambda m: m.io.decode_png(data, channels=channels, dtype=m.uint16).numpy(), rtol=0,
            atol=0)
    compare(tf_oracle, ff, lambda m: m.image.decode_image(data, channels=channels, dtype=m.float32).numpy(),
            rtol=0, atol=0)


@pytest.mark.parametrize("stored", [1, 2, 3, 4])
def test_encode_png_round_trips_through_tf(tf_oracle, stored: int) -> None:
    ours = ff.image.encode_png(IMAGES[stored])
    assert ours.dtype == ff.string and ours.shape == []
    np.testing.assert_array_equal(tf_oracle.io.decode_png(ours.numpy()).numpy(), IMAGES[stored])


def test_sixteen_bit_and_palette_png(tf_oracle) -> None:
    from PIL import Image

    deep = _rng.integers(0, 65536, (5, 6, 1), dtype=np.uint16)
    data = tf_oracle.io.encode_png(deep).numpy()
    compare(tf_oracle, ff, lambda m: m.io.decode_png(data, dtype=m.uint16).numpy(), rtol=0, atol=0)
    compare(tf_oracle, ff, lambda m: m.io.decode_png(data).numpy(), rtol=0, atol=0)
    np.testing.assert_array_equal(ff.io.decode_png(ff.image.encode_png(deep), dtype=ff.uint16).numpy(), deep)
    buf = io.BytesIO()
    Image.fromarray(IMAGES[3]).convert("P").save(buf, format="PNG")
    for channels in (0, 1, 3, 4):
        compare(tf_oracle, ff, lambda m, c=channels: m.io.decode_png(buf.getvalue(), channels=c).numpy(), rtol=0,
                atol=0)


@pytest.mark.parametrize("stored", [1, 3])
@pytest.mark.parametrize("channels", [0, 1, 3])
def test_decode_jpeg(tf_oracle, stored: int, channels: int) -> None:
    image = SMOOTH[..., :1] if stored == 1 else SMOOTH
    data = tf_oracle.io.encode_jpeg(image, quality=90).numpy()
    exact = tf_oracle.io.decode_jpeg(data, channels=channels, dct_method="INTEGER_ACCURATE").numpy()
    ours = ff.io.decode_jpeg(data, channels=channels).numpy()
    assert ours.dtype == np.uint8
    np.testing.assert_array_equal(ours, exact)
    default = tf_oracle.io.decode_jpeg(data, channels=channels).numpy()  # TF's fast DCT: a few levels off
    assert np.abs(ours.astype(int) - default).max() <= 6
    np.testing.assert_array_equal(ff.image.decode_image(data, channels=channels).numpy(), ours)
    assert bool(ff.image.is_jpeg(data)) and not bool(ff.image.is_jpeg(tf_oracle.io.encode_png(image).numpy()))


def test_encode_jpeg_and_adjust_jpeg_quality(tf_oracle) -> None:
    ours = ff.image.encode_jpeg(SMOOTH, quality=90).numpy()
    want = tf_oracle.io.decode_jpeg(tf_oracle.io.encode_jpeg(SMOOTH, quality=90)).numpy()
    assert np.abs(tf_oracle.io.decode_jpeg(ours).numpy().astype(int) - want).max() <= 6
    got = ff.image.adjust_jpeg_quality(SMOOTH, 50).numpy()
    assert got.dtype == np.uint8
    assert np.abs(got.astype(int) - tf_oracle.image.adjust_jpeg_quality(SMOOTH, 50).numpy()).max() <= 6
    flt = ff.image.adjust_jpeg_quality(SMOOTH / 255.0, 80)
    assert flt.dtype == ff.float64
    assert np.abs(flt.numpy() - tf_oracle.image.adjust_jpeg_quality(SMOOTH / 255.0, 80).numpy()).max() <= 6 / 255


def test_gif_and_bmp(tf_oracle) -> None:
    from PIL import Image

    frames = [Image.fromarray(IMAGES[3]), Image.fromarray(255 - IMAGES[3])]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:])
    gif = buf.getvalue()
    compare(tf_oracle, ff, lambda m: m.io.decode_gif(gif).numpy(), rtol=0, atol=0)
    compare(tf_oracle, ff, lambda m: m.io.decode_image(gif).numpy(), rtol=0, atol=0)
    compare(tf_oracle, ff, lambda m: m.io.decode_image(gif, expand_animations=False).numpy(), rtol=0, atol=0)
    buf = io.BytesIO()
    Image.fromarray(IMAGES[3]).save(buf, format="BMP")
    for channels in (0, 3, 4):
        compare(tf_oracle, ff, lambda m, c=channels: m.io.decode_bmp(buf.getvalue(), channels=c).numpy(), rtol=0,
                atol=0)


@pytest.mark.parametrize("program", [
    lambda m: m.io.decode_png(b"notapng"),
    lambda m: m.io.decode_jpeg(b"notajpeg"),
    lambda m: m.io.decode_gif(b"xxx"),
    lambda m: m.io.decode_png(b"x", channels=2),
    lambda m: m.io.encode_png(m.zeros([2, 2, 5], m.uint8)),
    lambda m: m.io.encode_png(m.zeros([2, 2], m.uint8)),
    lambda m: m.io.encode_jpeg(m.zeros([2, 2, 2], m.uint8)),
])
def test_errors(tf_oracle, program) -> None:
    same_error(tf_oracle, ff, program)


def test_options_featherflow_cannot_honour_are_refused() -> None:
    data = ff.image.encode_jpeg(SMOOTH)
    with pytest.raises(NotImplementedError, match="ratio"):
        ff.io.decode_jpeg(data, ratio=2)
    with pytest.raises(NotImplementedError, match="INTEGER_FAST"):
        ff.io.decode_jpeg(data, dct_method="INTEGER_FAST")


def test_missing_pillow_names_the_extra(monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match=r"pip install featherflow\[image\]"):
        ff.image.encode_png(IMAGES[3])


@pytest.mark.parametrize("stored", [1, 3])
def test_jpeg_shape_and_cropped_decode(tf_oracle, stored: int) -> None:
    data = tf_oracle.io.encode_jpeg(SMOOTH[..., :1] if stored == 1 else SMOOTH).numpy()
    compare(tf_oracle, ff, lambda m: m.io.extract_jpeg_shape(data).numpy(), rtol=0, atol=0)
    compare(tf_oracle, ff, lambda m: m.io.extract_jpeg_shape(data, m.int64).numpy(), rtol=0, atol=0)
    for channels in (0, 1, 3):
        want = tf_oracle.io.decode_and_crop_jpeg(data, [3, 5, 20, 30], channels=channels,
                                                 dct_method="INTEGER_ACCURATE").numpy()
        np.testing.assert_array_equal(ff.image.decode_and_crop_jpeg(data, [3, 5, 20, 30], channels=channels).numpy(),
                                      want)
    same_error(tf_oracle, ff, lambda m: m.io.decode_and_crop_jpeg(data, [30, 5, 20, 30]))
    same_error(tf_oracle, ff, lambda m: m.io.extract_jpeg_shape(b"xxxx"))


def test_random_jpeg_quality(tf_oracle) -> None:
    for seed in ((1, 2), (5, 6)):
        want = tf_oracle.image.stateless_random_jpeg_quality(SMOOTH, 20, 90, seed).numpy()
        got = ff.image.stateless_random_jpeg_quality(SMOOTH, 20, 90, seed).numpy()
        assert got.dtype == want.dtype and np.abs(got.astype(int) - want).max() <= 6
    tf_oracle.random.set_seed(3)
    ff.random.set_seed(3)
    want = tf_oracle.image.random_jpeg_quality(SMOOTH, 20, 90, seed=1).numpy()
    got = ff.image.random_jpeg_quality(SMOOTH, 20, 90, seed=1).numpy()
    assert np.abs(got.astype(int) - want).max() <= 6
    same_error(tf_oracle, ff, lambda m: m.image.random_jpeg_quality(SMOOTH, 50, 40))
    same_error(tf_oracle, ff, lambda m: m.image.stateless_random_jpeg_quality(SMOOTH, -1, 40, (1, 2)))


@pytest.mark.parametrize("lossless", [True, False])
def test_decode_webp(tf_oracle, lossless: bool) -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(IMAGES[3]).save(buf, format="WEBP", lossless=lossless, quality=80)
    data = buf.getvalue()
    for channels in (0, 3):
        compare(tf_oracle, ff, lambda m, c=channels: m.image.decode_webp(data, channels=c).numpy(), rtol=0, atol=0)
    compare(tf_oracle, ff, lambda m: m.io.decode_image(data).numpy(), rtol=0, atol=0)
    compare(tf_oracle, ff, lambda m: m.io.decode_image(data, expand_animations=False).numpy(), rtol=0, atol=0)
    same_error(tf_oracle, ff, lambda m: m.image.decode_webp(data, channels=4))
