"""Device purity of tf.image: each program's forward and gradient run on the CPU and on a simulated GPU, the
GPU run with the results on GPU:0, equal to the CPU's (the other test modules check the CPU against TF), and
with no host transfer but those listed: a Python number made into a tensor is one upload (TF's constants too).
The codecs are host-only ops (string tensors live on the host) and are not run here."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff
from featherflow.ops.image import resize as R

from .._device_support import check

pytestmark = pytest.mark.usefixtures("device")


def _inputs() -> dict:
    rng = np.random.default_rng(0)
    return {
        "x": ff.constant(rng.random((2, 6, 7, 3))),
        "f": ff.constant(rng.random((2, 6, 7, 3)).astype(np.float32)),
        "y": ff.constant(rng.random((2, 6, 7, 3))),
        "u": ff.constant((rng.random((2, 6, 7, 3)) * 255).astype(np.uint8)),
        "big": ff.constant(rng.random((1, 12, 12, 2))),
        "boxes": ff.constant(np.array([[0.1, 0.2, 0.8, 0.9], [-0.2, 0.1, 1.3, 0.7], [0.9, 0.8, 0.2, 0.1]],
                                      np.float32)),
        "box_ind": ff.constant([1, 0, 1]),
        "offsets": ff.constant([[0.1, -0.2], [0.5, 0.9]]),
        "transforms": ff.constant([[1.1, 0.2, -0.7, -0.1, 0.9, 0.4, 0.01, -0.02]]),
        "fill": ff.constant(0.5),
    }


# name -> (program, the input its gradient is taken for (or None), host<->device copies on the GPU)
CASES: dict[str, tuple[Callable[[dict], Any], str | None, tuple]] = {
    **{f"resize_{m}_{a}": ((lambda t, m=m, a=a: ff.image.resize(t["x"], (4, 9), method=m, antialias=a)),
                           None if m == "area" else "x", (0, 0))
       for m in ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")
       for a in (False, True)},
    "resize_bilinear_v1": (lambda t: R.resize_bilinear_op(t["x"], size=(9, 4), align_corners=True), "x", (0, 0)),
    "resize_nearest_uint8": (lambda t: ff.image.resize(t["u"], (4, 9), method="nearest"), None, (0, 0)),
    "resize_with_pad": (lambda t: ff.image.resize_with_pad(t["x"], 8, 4), "x", (0, 0)),
    "flips": (lambda t: ff.image.flip_up_down(ff.image.flip_left_right(t["x"])), "x", (0, 0)),
    "rot90_transpose": (lambda t: ff.image.transpose(ff.image.rot90(t["x"], 3)), "x", (0, 0)),
    "crop_pad": (lambda t: ff.image.pad_to_bounding_box(ff.image.crop_to_bounding_box(t["x"], 1, 2, 3, 4),
                                                        1, 1, 6, 6), "x", (0, 0)),
    "resize_with_crop_or_pad": (lambda t: ff.image.resize_with_crop_or_pad(t["x"], 3, 9), "x", (0, 0)),
    "central_crop": (lambda t: ff.image.central_crop(t["x"], 0.5), "x", (0, 0)),
    "convert_uint8_float": (lambda t: ff.image.convert_image_dtype(t["u"], ff.float32), None, (1, 0)),
    "convert_float_uint8": (lambda t: ff.image.convert_image_dtype(t["f"], ff.uint8, saturate=True), None, (3, 0)),
    "grayscale": (lambda t: ff.image.rgb_to_grayscale(t["x"]), "x", (1, 0)),
    "hsv": (lambda t: ff.image.hsv_to_rgb(ff.image.rgb_to_hsv(t["x"])), None, (0, 0)),
    "rgb_to_hsv_gradient": (lambda t: ff.image.rgb_to_hsv(t["x"]), "x", (0, 0)),
    "yiq_yuv": (lambda t: ff.image.yuv_to_rgb(ff.image.rgb_to_yiq(t["x"])), "x", (2, 0)),
    "brightness": (lambda t: ff.image.adjust_brightness(t["f"], 0.1), "f", (1, 0)),
    "contrast": (lambda t: ff.image.adjust_contrast(t["f"], 1.5), None, (1, 0)),
    "gamma": (lambda t: ff.image.adjust_gamma(t["f"], 1.5, 0.5), "f", (2, 0)),
    "hue_saturation": (lambda t: ff.image.adjust_saturation(ff.image.adjust_hue(t["f"], 0.2), 1.5), None, (2, 0)),
    "standardization": (lambda t: ff.image.per_image_standardization(t["f"]), "f", (1, 0)),
    "total_variation": (lambda t: ff.image.total_variation(t["x"]), "x", (0, 0)),
    "image_gradients": (lambda t: ff.image.image_gradients(t["x"]), "x", (0, 0)),
    "sobel": (lambda t: ff.image.sobel_edges(t["x"]), "x", (0, 0)),
    "psnr": (lambda t: ff.image.psnr(t["x"], t["y"], 1.0), "x", (1, 0)),
    "crop_and_resize": (lambda t: ff.image.crop_and_resize(t["f"], t["boxes"], t["box_ind"], (4, 3)), "f", (0, 0)),
    "crop_and_resize_boxes": (lambda t: ff.image.crop_and_resize(t["f"], t["boxes"], t["box_ind"], (1, 3),
                                                                 method="nearest"), "boxes", (0, 0)),
    "extract_patches": (lambda t: ff.image.extract_patches(t["x"], [1, 2, 3, 1], [1, 2, 1, 1], [1, 1, 2, 1],
                                                           "SAME"), "x", (0, 0)),
    # a host kernel: boxes and scores go to the host; the indices stay there
    "non_max_suppression": (lambda t: ff.image.non_max_suppression(t["boxes"], t["boxes"][:, 0], 2),
                            None, (1, 2)),
    "extract_glimpse": (lambda t: ff.image.extract_glimpse(t["f"], [4, 5], t["offsets"], noise="zero"), None,
                        (0, 0)),
    "extract_glimpse_noise": (lambda t: ff.image.extract_glimpse(t["f"], [4, 5], t["offsets"], centered=False,
                                                                 normalized=False)[:, 2:, 3:], None, (0, 0)),
    "non_max_suppression_padded": (lambda t: ff.image.non_max_suppression_padded(
        t["boxes"], t["boxes"][:, 0], 2, pad_to_max_output_size=True), None, (2, 2)),
    "ssim": (lambda t: ff.image.ssim(t["big"], t["big"] * 0.5, 1.0, filter_size=5), "big", (10, 0)),
    # (the gradient inverts the transforms: the matrix inverse reads whether one is singular on the host)
    **{f"projective_{v}_{i}_{m}": ((lambda t, v=v, i=i, m=m: ff.raw_ops.ImageProjectiveTransformV3(
        images=t["f"], transforms=t["transforms"], output_shape=[5, 8], fill_value=t["fill"], interpolation=i,
        fill_mode=m) if v == "v3" else ff.raw_ops.ImageProjectiveTransformV2(
        images=t["f"], transforms=t["transforms"], output_shape=[6, 7], interpolation=i, fill_mode=m)), "f", (0, 1))
       for v in ("v2", "v3") for i in ("NEAREST", "BILINEAR") for m in ("CONSTANT", "REFLECT", "WRAP", "NEAREST")},
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_image_ops_stay_on_the_device(device: str, name: str) -> None:
    program, wrt, moved = CASES[name]
    check(device, _inputs, program, wrt, moved=moved, rtol=1e-6, atol=1e-6)


def test_every_image_op_has_a_device_case() -> None:
    from featherflow.ops.image import codecs
    from featherflow.ops.registry import OPS

    from .._device_support import Recorder, run

    ours = {n for n, op in OPS.items() if op.forward.__module__.startswith("featherflow.ops.image.")}
    host = {n for n in ours if OPS[n].host_only}
    assert {n for n, op in OPS.items() if op.forward.__module__ == codecs.__name__} <= host
    reached: set = set()
    with Recorder(reached):
        for program, wrt, _ in CASES.values():
            run(program, wrt, _inputs())
    # host kernels: the codecs, draw_bounding_boxes (CPU-only in TF) and the NMS family but the case above
    assert sorted(ours - host - reached) == []
