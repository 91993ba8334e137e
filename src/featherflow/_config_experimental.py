"""``tf.config.experimental`` (re-exports)."""

from ._config_deprecated import get_memory_usage as get_memory_usage
from .device_config import VirtualDeviceConfiguration as VirtualDeviceConfiguration
from .device_config import get_device_details as get_device_details
from .device_config import get_memory_growth as get_memory_growth
from .device_config import get_memory_info as get_memory_info
from .device_config import get_virtual_device_configuration as get_virtual_device_configuration
from .device_config import get_visible_devices as get_visible_devices
from .device_config import list_logical_devices as list_logical_devices
from .device_config import list_physical_devices as list_physical_devices
from .device_config import reset_memory_stats as reset_memory_stats
from .device_config import set_memory_growth as set_memory_growth
from .device_config import set_virtual_device_configuration as set_virtual_device_configuration
from .device_config import set_visible_devices as set_visible_devices
from .runtime_config import enable_op_determinism as enable_op_determinism
from .runtime_config import get_device_policy as get_device_policy
from .runtime_config import get_synchronous_execution as get_synchronous_execution
from .runtime_config import set_device_policy as set_device_policy
from .runtime_config import set_synchronous_execution as set_synchronous_execution
