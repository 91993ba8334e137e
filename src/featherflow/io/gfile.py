"""``tf.io.gfile`` (re-exports): files and directories on local paths."""

from ..ops.io.gfile import GFile as GFile
from ..ops.io.gfile import copy as copy
from ..ops.io.gfile import exists as exists
from ..ops.io.gfile import get_registered_schemes as get_registered_schemes
from ..ops.io.gfile import glob as glob
from ..ops.io.gfile import isdir as isdir
from ..ops.io.gfile import join as join
from ..ops.io.gfile import listdir as listdir
from ..ops.io.gfile import makedirs as makedirs
from ..ops.io.gfile import mkdir as mkdir
from ..ops.io.gfile import remove as remove
from ..ops.io.gfile import rename as rename
from ..ops.io.gfile import rmtree as rmtree
from ..ops.io.gfile import stat as stat
from ..ops.io.gfile import walk as walk
