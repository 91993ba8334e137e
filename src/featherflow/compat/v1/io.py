"""``tf.compat.v1.io``: the ``tf.io`` functions TF 1 shares with TF 2.

>>> import featherflow as tf
>>> tf.compat.v1.io.read_file is tf.io.read_file
True
"""

from ...io import FixedLenFeature as FixedLenFeature
from ...io import FixedLenSequenceFeature as FixedLenSequenceFeature
from ...io import RaggedFeature as RaggedFeature
from ...io import SparseFeature as SparseFeature
from ...io import TFRecordOptions as TFRecordOptions
from ...io import TFRecordWriter as TFRecordWriter
from ...io import VarLenFeature as VarLenFeature
from ...io import decode_and_crop_jpeg as decode_and_crop_jpeg
from ...io import decode_base64 as decode_base64
from ...io import decode_bmp as decode_bmp
from ...io import decode_compressed as decode_compressed
from ...io import decode_gif as decode_gif
from ...io import decode_image as decode_image
from ...io import decode_jpeg as decode_jpeg
from ...io import decode_json_example as decode_json_example
from ...io import decode_png as decode_png
from ...io import decode_webp as decode_webp
from ...io import deserialize_many_sparse as deserialize_many_sparse
from ...io import encode_base64 as encode_base64
from ...io import encode_jpeg as encode_jpeg
from ...io import encode_png as encode_png
from ...io import extract_jpeg_shape as extract_jpeg_shape
from ...io import is_jpeg as is_jpeg
from ...io import match_filenames_once as match_filenames_once
from ...io import matching_files as matching_files
from ...io import parse_sequence_example as parse_sequence_example
from ...io import parse_single_sequence_example as parse_single_sequence_example
from ...io import parse_tensor as parse_tensor
from ...io import read_file as read_file
from ...io import serialize_tensor as serialize_tensor
from ...io import write_file as write_file
