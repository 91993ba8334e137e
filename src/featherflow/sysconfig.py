"""``tf.sysconfig`` (re-exports): the build's capabilities. featherflow has no C++ headers or libraries to
compile custom ops against, so ``get_include``/``get_lib``/``get_compile_flags`` are not provided."""

from ._test_util import get_build_info as get_build_info
