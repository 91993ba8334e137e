"""``tf.compat.v1.image``: the ``tf.image`` functions TF 1 shares with TF 2 (TF 1's ``resize`` family,
``ResizeMethod`` and the others whose signature differs are not here).

>>> import featherflow as tf
>>> tf.compat.v1.image.flip_left_right([[[1], [2]]]).numpy().ravel().tolist()
[2, 1]
"""

from ...image import adjust_brightness as adjust_brightness
from ...image import adjust_contrast as adjust_contrast
from ...image import adjust_gamma as adjust_gamma
from ...image import adjust_hue as adjust_hue
from ...image import adjust_jpeg_quality as adjust_jpeg_quality
from ...image import adjust_saturation as adjust_saturation
from ...image import central_crop as central_crop
from ...image import combined_non_max_suppression as combined_non_max_suppression
from ...image import convert_image_dtype as convert_image_dtype
from ...image import crop_to_bounding_box as crop_to_bounding_box
from ...image import decode_and_crop_jpeg as decode_and_crop_jpeg
from ...image import decode_bmp as decode_bmp
from ...image import decode_gif as decode_gif
from ...image import decode_image as decode_image
from ...image import decode_jpeg as decode_jpeg
from ...image import decode_png as decode_png
from ...image import decode_webp as decode_webp
from ...image import encode_jpeg as encode_jpeg
from ...image import encode_png as encode_png
from ...image import extract_jpeg_shape as extract_jpeg_shape
from ...image import extract_patches as extract_patches
from ...image import flip_left_right as flip_left_right
from ...image import flip_up_down as flip_up_down
from ...image import generate_bounding_box_proposals as generate_bounding_box_proposals
from ...image import grayscale_to_rgb as grayscale_to_rgb
from ...image import hsv_to_rgb as hsv_to_rgb
from ...image import image_gradients as image_gradients
from ...image import is_jpeg as is_jpeg
from ...image import non_max_suppression as non_max_suppression
from ...image import non_max_suppression_overlaps as non_max_suppression_overlaps
from ...image import non_max_suppression_padded as non_max_suppression_padded
from ...image import non_max_suppression_with_scores as non_max_suppression_with_scores
from ...image import pad_to_bounding_box as pad_to_bounding_box
from ...image import per_image_standardization as per_image_standardization
from ...image import psnr as psnr
from ...image import random_brightness as random_brightness
from ...image import random_contrast as random_contrast
from ...image import random_crop as random_crop
from ...image import random_flip_left_right as random_flip_left_right
from ...image import random_flip_up_down as random_flip_up_down
from ...image import random_hue as random_hue
from ...image import random_jpeg_quality as random_jpeg_quality
from ...image import random_saturation as random_saturation
from ...image import resize_with_crop_or_pad as resize_with_crop_or_pad
from ...image import rgb_to_grayscale as rgb_to_grayscale
from ...image import rgb_to_hsv as rgb_to_hsv
from ...image import rgb_to_yiq as rgb_to_yiq
from ...image import rgb_to_yuv as rgb_to_yuv
from ...image import rot90 as rot90
from ...image import sobel_edges as sobel_edges
from ...image import ssim as ssim
from ...image import ssim_multiscale as ssim_multiscale
from ...image import total_variation as total_variation
from ...image import transpose as transpose
from ...image import yiq_to_rgb as yiq_to_rgb
from ...image import yuv_to_rgb as yuv_to_rgb
