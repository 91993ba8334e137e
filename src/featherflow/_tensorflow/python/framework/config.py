"""``tensorflow.python.framework.config``: the functions behind ``tf.config`` (Keras imports the determinism
switches from here)."""

from ....runtime_config import disable_op_determinism as disable_op_determinism
from ....runtime_config import enable_op_determinism as enable_op_determinism
from ....runtime_config import is_op_determinism_enabled as is_op_determinism_enabled
