"""``tf.test`` (re-exports): what the build supports and whether a GPU is there."""

from ._test_util import gpu_device_name as gpu_device_name
from ._test_util import is_built_with_cuda as is_built_with_cuda
from ._test_util import is_built_with_gpu_support as is_built_with_gpu_support
from ._test_util import is_built_with_rocm as is_built_with_rocm
from ._test_util import is_built_with_xla as is_built_with_xla
from ._test_util import is_gpu_available as is_gpu_available
from ._test_util import main as main
