"""``tf.config``: devices and runtime switches (re-exports)."""

from . import _config_experimental as experimental
from . import _config_optimizer as optimizer
from . import _config_threading as threading
from ._config_deprecated import experimental_functions_run_eagerly as experimental_functions_run_eagerly
from ._config_deprecated import experimental_run_functions_eagerly as experimental_run_functions_eagerly
from .device import LogicalDevice as LogicalDevice
from .device import PhysicalDevice as PhysicalDevice
from .device import get_log_device_placement as get_log_device_placement
from .device import get_soft_device_placement as get_soft_device_placement
from .device import set_soft_device_placement as set_soft_device_placement
from .device_config import LogicalDeviceConfiguration as LogicalDeviceConfiguration
from .device_config import get_logical_device_configuration as get_logical_device_configuration
from .device_config import get_visible_devices as get_visible_devices
from .device_config import list_logical_devices as list_logical_devices
from .device_config import list_physical_devices as list_physical_devices
from .device_config import set_logical_device_configuration as set_logical_device_configuration
from .device_config import set_visible_devices as set_visible_devices
from .function import functions_run_eagerly as functions_run_eagerly
from .function import run_functions_eagerly as run_functions_eagerly

__all__ = ["LogicalDevice", "LogicalDeviceConfiguration", "PhysicalDevice", "experimental",
           "experimental_functions_run_eagerly", "experimental_run_functions_eagerly", "functions_run_eagerly",
           "get_log_device_placement", "get_logical_device_configuration", "get_soft_device_placement",
           "get_visible_devices", "list_logical_devices", "list_physical_devices", "optimizer",
           "run_functions_eagerly", "set_logical_device_configuration", "set_soft_device_placement",
           "set_visible_devices", "threading"]
