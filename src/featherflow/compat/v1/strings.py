"""``tf.compat.v1.strings``: the ``tf.strings`` functions TF 1 shares with TF 2 (TF 1's ``length``, ``split``,
``substr`` and the others whose signature differs are not here).

>>> import featherflow as tf
>>> tf.compat.v1.strings.upper('ab').numpy()
b'AB'
"""

from ...strings import as_string as as_string
from ...strings import bytes_split as bytes_split
from ...strings import format as format  # noqa: A004 - TF's name
from ...strings import join as join
from ...strings import lower as lower
from ...strings import ngrams as ngrams
from ...strings import regex_full_match as regex_full_match
from ...strings import regex_replace as regex_replace
from ...strings import strip as strip
from ...strings import to_hash_bucket_fast as to_hash_bucket_fast
from ...strings import to_hash_bucket_strong as to_hash_bucket_strong
from ...strings import unicode_decode as unicode_decode
from ...strings import unicode_decode_with_offsets as unicode_decode_with_offsets
from ...strings import unicode_encode as unicode_encode
from ...strings import unicode_script as unicode_script
from ...strings import unicode_split as unicode_split
from ...strings import unicode_split_with_offsets as unicode_split_with_offsets
from ...strings import unicode_transcode as unicode_transcode
from ...strings import unsorted_segment_join as unsorted_segment_join
from ...strings import upper as upper
