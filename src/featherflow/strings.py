"""``tf.strings`` (re-exports)."""

from .ops.debugging.print_ops import string_format as format  # noqa: F401 - TF's name
from .ops.strings.core import as_string as as_string
from .ops.strings.core import bytes_split as bytes_split
from .ops.strings.core import join as join
from .ops.strings.core import length as length
from .ops.strings.core import lower as lower
from .ops.strings.core import reduce_join as reduce_join
from .ops.strings.core import split as split
from .ops.strings.core import strip as strip
from .ops.strings.core import substr as substr
from .ops.strings.core import to_number as to_number
from .ops.strings.core import upper as upper
from .ops.strings.hashing import to_hash_bucket as to_hash_bucket
from .ops.strings.hashing import to_hash_bucket_fast as to_hash_bucket_fast
from .ops.strings.hashing import to_hash_bucket_strong as to_hash_bucket_strong
from .ops.strings.ngrams import ngrams as ngrams
from .ops.strings.regex import regex_full_match as regex_full_match
from .ops.strings.regex import regex_replace as regex_replace
from .ops.strings.segment_join import unsorted_segment_join as unsorted_segment_join
from .ops.strings.transcode import unicode_transcode as unicode_transcode
from .ops.strings.unicode import unicode_decode as unicode_decode
from .ops.strings.unicode import unicode_encode as unicode_encode
from .ops.strings.unicode import unicode_split as unicode_split
from .ops.strings.unicode_offsets import unicode_decode_with_offsets as unicode_decode_with_offsets
from .ops.strings.unicode_offsets import unicode_split_with_offsets as unicode_split_with_offsets
from .ops.strings.unicode_script import unicode_script as unicode_script
