"""Image codecs on the host (string tensors live there): TF's decode ops (DecodePng, DecodeJpeg, DecodeGif,
DecodeBmp, DecodeImage, which all sniff the format as TF's shared kernel does), EncodePng, EncodeJpeg,
``is_jpeg``, ``adjust_jpeg_quality``. Pillow (an optional dependency, ``pip install featherflow[image]``)
does the compression; conversions between channel counts are TF's (libpng's and libjpeg's), done here.

PNG decodes equal TF's exactly. JPEG decodes through Pillow's libjpeg(-turbo) with fancy upsampling and the
accurate integer DCT: equal to TF's ``dct_method="INTEGER_ACCURATE"``; TF's default ("", a system-specific
choice, INTEGER_FAST in TF's build) differs from it by a few levels in some pixels.
Encoded bytes are Pillow's (zlib / libjpeg settings TF's options map onto), so they decode to TF's pixels
but are not byte-identical to TF's files.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from ...dtypes import as_dtype as _as_dtype
from ...dtypes import float32 as _float32
from ...dtypes import int32 as _int32
from ...dtypes import string as _string
from ...dtypes import uint8 as _uint8
from ...dtypes import uint16 as _uint16
from ...tensor import Tensor
from ..array.core import op_error
from ..convert import tensor
from ..registry import register


def _pil() -> Any:
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("featherflow's image codecs need Pillow: pip install featherflow[image]") from None
    return Image


_UNKNOWN = "Unknown image file format. One of JPEG, JPEG XL, PNG, GIF, BMP, WebP required."


def _format(data: bytes) -> str:
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:3] == b"GIF":
        return "gif"
    if data[:2] == b"BM":
        return "bmp"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return ""


def _bytes(contents: Any) -> bytes:
    value = contents.item() if hasattr(contents, "item") else contents
    return value if isinstance(value, bytes) else str(value).encode()


def _gray_from_rgb(rgb: np.ndarray) -> np.ndarray:
    """libpng's png_do_rgb_to_gray as TF sets it up (weights 0.299, 0.587 in 1/32768ths, no gamma, truncated):
    grey pixels (R = G = B) are kept as they are."""
    wide = rgb.astype(np.int64)
    acc = (9797 * wide[..., 0] + 19234 * wide[..., 1] + 3737 * wide[..., 2]) >> 15
    grey = (rgb[..., 0] == rgb[..., 1]) & (rgb[..., 1] == rgb[..., 2])
    return np.where(grey, rgb[..., 0], acc).astype(rgb.dtype)[..., None]


def _channels(pixels: np.ndarray, channels: int) -> np.ndarray:
    """Converts (h, w, c) pixels to ``channels`` (0: as stored) as libpng's transforms do."""
    have = pixels.shape[-1]
    if channels == 0 or channels == have:
        return pixels
    color = pixels[..., :3] if have >= 3 else np.repeat(pixels[..., :1], 3, axis=-1)
    alpha = pixels[..., have - 1 :] if have in (2, 4) else None
    if channels == 1:
        return pixels[..., :1] if have <= 2 else _gray_from_rgb(color)
    if channels == 3:
        return color
    full = np.iinfo(pixels.dtype).max
    return np.concatenate([color, alpha if alpha is not None else np.full(color.shape[:-1] + (1,), full,
                                                                            pixels.dtype)], axis=-1)


def _png_pixels(image: Any) -> np.ndarray:
    """A PIL PNG image as (h, w, c) uint8 or uint16 pixels, c as stored (palette expanded as libpng does)."""
    mode = image.mode
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif mode == "1":
        image = image.convert("L")
    elif mode in ("I;16", "I;16B", "I"):
        return np.asarray(image, dtype=np.uint16)[..., None]
    elif mode == "PA":
        image = image.convert("RGBA")
    arr = np.asarray(image)
    return arr[..., None] if arr.ndim == 2 else arr


def _decode(op: str, data: bytes, channels: int, dtype: Any, animations: bool, allowed: tuple) -> np.ndarray:
    fmt = _format(data)
    if not fmt:
        raise op_error(op, _UNKNOWN)
    if fmt not in allowed:
        raise op_error(op, f"{op} does not support {fmt} format")
    Image = _pil()
    try:
        image = Image.open(io.BytesIO(data))
        if fmt == "jpeg":
            if channels == 1:
                image.draft("L", image.size)  # libjpeg's own YCbCr -> gray (the Y plane)
            pixels = np.asarray(image.convert("RGB") if image.mode not in ("L", "RGB") else image)
            pixels = pixels[..., None] if pixels.ndim == 2 else pixels
            out = _channels(pixels, channels) if channels != 1 or pixels.shape[-1] != 1 else pixels
        elif fmt == "gif":
            frames = []
            for i in range(getattr(image, "n_frames", 1)):
                image.seek(i)
                frames.append(np.asarray(image.convert("RGB")))
                if not animations:
                    break
            out = np.stack(frames) if animations else frames[0]
        elif fmt == "png":
            if data[24:25] == b"\x10" and data[25:26] != b"\x00":
                raise NotImplementedError("decode_png: 16-bit colour PNGs are not supported (Pillow reads them "
                                          "as 8-bit)")
            out = _channels(_png_pixels(image), channels)
        else:
            rgb = image.convert("RGBA" if image.mode == "RGBA" else "RGB")
            out = _channels(np.asarray(rgb), channels)
    except (OSError, ValueError, SyntaxError) as e:
        raise op_error(op, f"Invalid {fmt.upper()} data, size {len(data)}: {e}") from None
    if dtype == np.uint16 and out.dtype == np.uint8:
        out = out.astype(np.uint16) * 257
    elif dtype == np.uint8 and out.dtype == np.uint16:
        out = (out >> 8).astype(np.uint8)
    return np.ascontiguousarray(out)


def _check_channels(op: str, channels: int) -> None:
    if channels not in (0, 1, 3, 4):
        raise op_error(op, f"`channels` must be 0, 1, 3 or 4 but got {channels}")


@register("DecodePng", host_only=True, inputs=("",))
def decode_png_op(xp: Any, contents: Any, channels: int, dtype: Any) -> Any:
    _check_channels("DecodePng", channels)
    return _decode("DecodePng", _bytes(contents), channels, dtype, False, ("png", "jpeg", "gif", "bmp"))


@register("DecodeJpeg", host_only=True, inputs=("",))
def decode_jpeg_op(xp: Any, contents: Any, channels: int) -> Any:
    _check_channels("DecodeJpeg", channels)
    return _decode("DecodeJpeg", _bytes(contents), channels, np.uint8, False, ("png", "jpeg", "gif", "bmp"))


@register("DecodeGif", host_only=True, inputs=("",))
def decode_gif_op(xp: Any, contents: Any) -> Any:
    out = _decode("DecodeGif", _bytes(contents), 3, np.uint8, True, ("png", "jpeg", "gif", "bmp"))
    return out if out.ndim == 4 else out[None]


@register("DecodeBmp", host_only=True, inputs=("",))
def decode_bmp_op(xp: Any, contents: Any, channels: int) -> Any:
    _check_channels("DecodeBmp", channels)
    return _decode("DecodeBmp", _bytes(contents), channels, np.uint8, False, ("png", "jpeg", "gif", "bmp"))


def _text(contents: Any) -> Tensor:
    return tensor(contents, _string) if not isinstance(contents, Tensor) else contents


def decode_png(contents: Any, channels: int = 0, dtype: Any = _uint8, name: str | None = None) -> Tensor:
    """Decodes a PNG image to a uint8 (or uint16) tensor of shape [height, width, channels]."""
    dt = _as_dtype(dtype)
    return decode_png_op(_text(contents), channels=int(channels), dtype=dt.as_numpy_dtype)


def decode_jpeg(contents: Any, channels: int = 0, ratio: int = 1, fancy_upscaling: bool = True,
                try_recover_truncated: bool = False, acceptable_fraction: float = 1, dct_method: str = "",
                name: str | None = None) -> Tensor:
    """Decodes a JPEG image to a uint8 tensor of shape [height, width, channels]."""
    _jpeg_options(ratio, fancy_upscaling, try_recover_truncated, acceptable_fraction, dct_method)
    return decode_jpeg_op(_text(contents), channels=int(channels))


def decode_gif(contents: Any, name: str | None = None) -> Tensor:
    """Decodes a GIF to a uint8 tensor of shape [frames, height, width, 3]."""
    return decode_gif_op(_text(contents))


def decode_bmp(contents: Any, channels: int = 0, name: str | None = None) -> Tensor:
    """Decodes a BMP image to a uint8 tensor of shape [height, width, channels]."""
    return decode_bmp_op(_text(contents), channels=int(channels))


def decode_image(contents: Any, channels: Any = None, dtype: Any = _uint8, name: str | None = None,
                 expand_animations: bool = True) -> Tensor:
    """Decodes a BMP, GIF, JPEG or PNG image (GIFs as [frames, h, w, 3] unless ``expand_animations=False``),
    converted to ``dtype`` as ``convert_image_dtype`` does."""
    from .color import convert_image_dtype

    t = _text(contents)
    dt = _as_dtype(dtype)
    if dt not in (_float32, _uint8, _uint16):
        raise ValueError("`dtype` must be one of the supported dtypes: tf.float32, tf.uint8, tf.uint16. "
                         f"Received: {dt}")
    ch = int(channels or 0)
    _check_channels("DecodeImageV2", ch)
    data = _bytes(t.numpy())
    fmt = _format(data)
    if fmt == "gif":
        out = decode_gif_op(t)
        if not expand_animations:
            from ..array.core import squeeze
            from ..array.slicing import slice as _slice

            out = squeeze(_slice(out, [0, 0, 0, 0], [1, -1, -1, -1]), [0])
        if ch == 1:
            raise op_error("DecodeImageV2", "channels must be 0 or 3 for GIF, got 1")
        if ch == 4:
            raise op_error("DecodeImageV2", "channels must be 0 or 3 for GIF, got 4")
    elif fmt == "png":
        # TF's kernel decodes a PNG as 16 bits for any dtype but uint8 (its float32 values are v16 / 65535)
        out = decode_png_op(t, channels=ch, dtype=np.uint8 if dt == _uint8 else np.uint16)
    elif fmt == "webp":
        out = decode_webp_op(t, channels=ch)
        if not expand_animations:
            from ..array.core import squeeze
            from ..array.slicing import slice as _slice

            out = squeeze(_slice(out, [0, 0, 0, 0], [1, -1, -1, -1]), [0])
    elif fmt in ("jpeg", "bmp"):
        out = decode_jpeg_op(t, channels=ch) if fmt == "jpeg" else decode_bmp_op(t, channels=ch)
    else:
        raise op_error("DecodeImageV2", _UNKNOWN)
    return convert_image_dtype(out, dt)


def is_jpeg(contents: Any, name: str | None = None) -> Tensor:
    """Whether ``contents`` starts with JPEG's magic bytes (a bool scalar)."""
    from ..strings.core import substr

    return tensor(substr(_text(contents), 0, 3).numpy() == b"\xff\xd8\xff")


# --- encoders -------------------------------------------------------------------------------------------------


@register("EncodePng", host_only=True)
def encode_png_op(xp: Any, image: Any, compression: int) -> Any:
    if image.ndim < 3:
        raise op_error("EncodePng", f"images must be at least rank 3[{','.join(map(str, image.shape))}]", name="")
    c = image.shape[-1]
    if c not in (1, 2, 3, 4):
        raise op_error("EncodePng", f"image must have 1, 2, 3, or 4 channels, got {c}", name="")
    Image = _pil()
    if image.dtype == np.uint16:
        if c != 1:
            raise NotImplementedError("encode_png: 16-bit images with more than one channel need a PNG writer "
                                      "Pillow lacks")
        pil = Image.fromarray(np.ascontiguousarray(image[..., 0]))  # a 2-D uint16 array: mode I;16
    else:
        modes = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}
        pil = Image.fromarray(np.ascontiguousarray(image if c > 1 else image[..., 0])).convert(modes[c])
    buf = io.BytesIO()
    pil.save(buf, format="PNG", compress_level=6 if compression == -1 else compression)
    return np.array(buf.getvalue(), dtype=object)


def encode_png(image: Any, compression: int = -1, name: str | None = None) -> Tensor:
    """Encodes a uint8 or uint16 [height, width, channels] image as PNG bytes."""
    return encode_png_op(tensor(image), compression=int(compression))


@register("EncodeJpeg", host_only=True)
def encode_jpeg_op(xp: Any, image: Any, format: str, quality: int, progressive: bool, optimize_size: bool,  # noqa: A002
                   chroma_downsampling: bool, density_unit: str, x_density: int, y_density: int) -> Any:
    if image.ndim != 3 or image.shape[-1] not in (1, 3) and not format:
        raise op_error("EncodeJpeg", f"image must have 1 or 3 channels, got [{','.join(map(str, image.shape))}]",
                       name="")
    Image = _pil()
    channels = image.shape[-1]
    mode = format or ("grayscale" if channels == 1 else "rgb")
    pixels = image[..., 0] if channels == 1 else image
    if mode == "grayscale" and channels != 1:
        raise op_error("EncodeJpeg", f"format must be grayscale for 1 channel, got {channels}", name="")
    pil = Image.fromarray(np.ascontiguousarray(pixels))
    buf = io.BytesIO()
    dpi = (x_density, y_density)
    pil.save(buf, format="JPEG", quality=quality, progressive=progressive, optimize=optimize_size,
             subsampling=2 if chroma_downsampling else 0, dpi=dpi if density_unit == "in" else None)
    return np.array(buf.getvalue(), dtype=object)


def encode_jpeg(image: Any, format: str = "", quality: int = 95, progressive: bool = False,  # noqa: A002
                optimize_size: bool = False, chroma_downsampling: bool = True, density_unit: str = "in",
                x_density: int = 300, y_density: int = 300, xmp_metadata: str = "",
                name: str | None = None) -> Tensor:
    """Encodes a uint8 [height, width, 1 or 3] image as JPEG bytes."""
    if xmp_metadata:
        raise NotImplementedError("encode_jpeg: the option xmp_metadata is not supported")
    if density_unit == "cm":
        raise NotImplementedError("encode_jpeg: the option density_unit='cm' is not supported")
    return encode_jpeg_op(tensor(image), format=format, quality=int(quality), progressive=bool(progressive),
                          optimize_size=bool(optimize_size), chroma_downsampling=bool(chroma_downsampling),
                          density_unit=density_unit, x_density=int(x_density), y_density=int(y_density))


def adjust_jpeg_quality(image: Any, jpeg_quality: Any, dct_method: str = "", name: str | None = None) -> Tensor:
    """Re-encodes an image as JPEG at ``jpeg_quality`` and decodes it, in the image's dtype."""
    from .color import convert_image_dtype

    if dct_method:
        raise NotImplementedError(f"adjust_jpeg_quality: the option dct_method={dct_method!r} is not supported")
    x = tensor(image)
    quality = int(tensor(jpeg_quality).numpy())
    as_uint8 = convert_image_dtype(x, _uint8, saturate=True)
    decoded = decode_jpeg(encode_jpeg(as_uint8, quality=quality))
    return convert_image_dtype(decoded, x.dtype, saturate=True)


def _jpeg_options(ratio: int, fancy_upscaling: bool, try_recover_truncated: bool, acceptable_fraction: float,
                  dct_method: str) -> None:
    """Refuses the decode options Pillow's decoder does not offer."""
    for option, value, default in (("ratio", ratio, 1), ("fancy_upscaling", fancy_upscaling, True),
                                   ("try_recover_truncated", try_recover_truncated, False),
                                   ("acceptable_fraction", acceptable_fraction, 1)):
        if value != default:
            raise NotImplementedError(f"decode_jpeg: the option {option}={value!r} is not supported")
    if dct_method not in ("", "INTEGER_ACCURATE"):
        raise NotImplementedError(f"decode_jpeg: the option dct_method={dct_method!r} is not supported "
                                  "(featherflow decodes with libjpeg's accurate integer DCT)")


@register("DecodeAndCropJpeg", host_only=True, inputs=("", ""))
def decode_and_crop_jpeg_op(xp: Any, contents: Any, window: Any, channels: int) -> Any:
    op = "DecodeAndCropJpeg"
    _check_channels(op, channels)
    data = _bytes(contents)
    if _format(data) != "jpeg":
        raise op_error(op, "jpeg::Uncompress failed. Invalid JPEG data or crop window.")
    full = _decode(op, data, channels, np.uint8, False, ("jpeg",))
    y, x, h, w = (int(v) for v in window.reshape(-1))
    if y < 0 or x < 0 or h <= 0 or w <= 0 or y + h > full.shape[0] or x + w > full.shape[1]:
        raise op_error(op, "jpeg::Uncompress failed. Invalid JPEG data or crop window.")
    return np.ascontiguousarray(full[y : y + h, x : x + w])


def decode_and_crop_jpeg(contents: Any, crop_window: Any, channels: int = 0, ratio: int = 1,
                         fancy_upscaling: bool = True, try_recover_truncated: bool = False,
                         acceptable_fraction: float = 1, dct_method: str = "", name: str | None = None) -> Tensor:
    """Decodes the ``crop_window`` ([y, x, height, width]) of a JPEG image."""
    _jpeg_options(ratio, fancy_upscaling, try_recover_truncated, acceptable_fraction, dct_method)
    return decode_and_crop_jpeg_op(_text(contents), tensor(crop_window, _int32), channels=int(channels))


@register("ExtractJpegShape", host_only=True, inputs=("",))
def extract_jpeg_shape_op(xp: Any, contents: Any, output_type: Any) -> Any:
    data = _bytes(contents)
    if _format(data) != "jpeg":
        raise op_error("ExtractJpegShape", f"Invalid JPEG data, size {len(data)}")
    image = _pil().open(io.BytesIO(data))
    depth = {"L": 1, "RGB": 3, "YCbCr": 3, "CMYK": 4}.get(image.mode, len(image.getbands()))
    return np.asarray([image.size[1], image.size[0], depth], dtype=output_type)


def extract_jpeg_shape(contents: Any, output_type: Any = _int32, name: str | None = None) -> Tensor:
    """The [height, width, channels] of a JPEG image, read from its header."""
    return extract_jpeg_shape_op(_text(contents), output_type=_as_dtype(output_type).as_numpy_dtype)


def _check_quality_range(low: int, high: int) -> None:
    if low < 0 or high < 0 or low > 100 or high > 100:
        raise ValueError("jpeg encoding range must be between 0 and 100.")
    if low >= high:
        raise ValueError("`min_jpeg_quality` must be less than `max_jpeg_quality`.")


def random_jpeg_quality(image: Any, min_jpeg_quality: int, max_jpeg_quality: int, seed: Any = None) -> Tensor:
    """``adjust_jpeg_quality`` at a quality drawn uniformly from [min, max)."""
    from ..random.core import uniform

    _check_quality_range(min_jpeg_quality, max_jpeg_quality)
    quality = uniform([], min_jpeg_quality, max_jpeg_quality, seed=seed, dtype=_int32)
    return adjust_jpeg_quality(image, quality)


def stateless_random_jpeg_quality(image: Any, min_jpeg_quality: int, max_jpeg_quality: int, seed: Any) -> Tensor:
    """``random_jpeg_quality`` drawn from a stateless seed."""
    from ..random.stateless import stateless_uniform

    _check_quality_range(min_jpeg_quality, max_jpeg_quality)
    quality = stateless_uniform([], seed, min_jpeg_quality, max_jpeg_quality, dtype=_int32)
    return adjust_jpeg_quality(image, quality)


@register("DecodeWebP", host_only=True, inputs=("",))
def decode_webp_op(xp: Any, contents: Any, channels: int) -> Any:
    op = "DecodeWebP"
    data = _bytes(contents)
    if _format(data) != "webp":
        raise op_error(op, _UNKNOWN)
    image = _pil().open(io.BytesIO(data))
    stored = 4 if "A" in image.getbands() else 3
    if channels not in (0, 3, 4) or channels == 4 and stored != 4:
        raise op_error(op, "Number of channels requested does not match input")
    mode = "RGBA" if (channels or stored) == 4 else "RGB"
    frames = []
    for i in range(getattr(image, "n_frames", 1)):
        image.seek(i)
        frames.append(np.asarray(image.convert(mode)))
    return np.stack(frames)


def decode_webp(contents: Any, channels: int = 0, dtype: Any = _uint8, name: str | None = None) -> Tensor:
    """Decodes a WebP image (every frame: [frames, height, width, channels])."""
    from .color import convert_image_dtype

    return convert_image_dtype(decode_webp_op(_text(contents), channels=int(channels)), _as_dtype(dtype))
