"""``tf.config.optimizer`` (re-exports)."""

from .runtime_config import get_experimental_options as get_experimental_options
from .runtime_config import get_jit as get_jit
from .runtime_config import set_experimental_options as set_experimental_options
from .runtime_config import set_jit as set_jit
