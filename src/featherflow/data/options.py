"""``tf.data.Options`` and its option groups: typed, mergeable settings attached to a dataset.

featherflow runs a single-process eager pipeline, so no option changes results; options are still stored,
validated, compared and merged exactly as TF does, so code that configures them runs unchanged.

>>> import featherflow as tf
>>> options = tf.data.Options()
>>> options.threading.private_threadpool_size = 4
>>> tf.data.Dataset.range(3).with_options(options).options().threading.private_threadpool_size
4
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from .._logs import LazyLogger

_log = LazyLogger("featherflow")

_FROZEN = ("Mutating `tf.data.Options()` returned by `tf.data.Dataset.options()` has no effect. Use "
           "`tf.data.Dataset.with_options(options)` to set or update dataset options.")


class AutotuneAlgorithm(enum.Enum):
    """The autotuning algorithm to use."""

    DEFAULT = 0
    HILL_CLIMB = 1
    GRADIENT_DESCENT = 2
    MAX_PARALLELISM = 3
    STAGE_BASED = 4


class AutoShardPolicy(enum.IntEnum):
    """The type of auto-sharding to use (OFF, AUTO, FILE, DATA, HINT)."""

    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class ExternalStatePolicy(enum.Enum):
    """How to handle external state during serialization."""

    WARN = 0
    IGNORE = 1
    FAIL = 2


class OptionsBase:
    """A set of typed options; unset options read as their default."""

    def __init__(self) -> None:
        # __setattr__ is overridden, so bypass it for the bookkeeping fields.
        object.__setattr__(self, "_options", {})
        object.__setattr__(self, "_mutable", True)

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, self.__class__):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in set(self._options) | set(other._options))

    def __ne__(self, other: Any) -> bool:
        if isinstance(other, self.__class__):
            return not self.__eq__(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable and compared by value, like TF's

    def __setattr__(self, name: str, value: Any) -> None:
        if not self._mutable:
            raise ValueError(_FROZEN)
        if hasattr(self, name):
            object.__setattr__(self, name, value)
        else:
            raise AttributeError(f"Cannot set the property {name} on {type(self).__name__}.")

    def _set_mutable(self, mutable: bool) -> None:
        object.__setattr__(self, "_mutable", mutable)

    def _copy(self) -> OptionsBase:
        """A mutable deep copy (what TF's proto round trip in ``Dataset.options()`` amounts to)."""
        out = type(self)()
        for name, value in self._options.items():
            if isinstance(value, OptionsBase):
                value = value._copy()
            elif isinstance(value, list):
                value = list(value)
            out._options[name] = value
        return out


def create_option(name: str, ty: Any, docstring: str, default_factory: Callable[[], Any] = lambda: None) -> property:
    """A type-checked property whose unset value is ``default_factory()``."""

    def get_fn(option: OptionsBase) -> Any:
        if name not in option._options:
            option._options[name] = default_factory()
        return option._options[name]

    def set_fn(option: OptionsBase, value: Any) -> None:
        if not isinstance(value, ty):
            raise TypeError(f'Property "{name}" must be of type {ty}, got: {value} (type: {type(value)})')
        option._options[name] = value

    return property(get_fn, set_fn, None, docstring)


def merge_options(*options_list: OptionsBase) -> OptionsBase:
    """Merges options objects of one type; later non-default values win (with a warning when they differ)."""
    if len(options_list) < 1:
        raise ValueError("At least one options should be provided")
    result_type = type(options_list[0])
    for options in options_list:
        if not isinstance(options, result_type):
            raise TypeError(f"Could not merge incompatible options of type {type(options)} and {result_type}.")
    if not isinstance(options_list[0], OptionsBase):
        raise TypeError("All options to be merged should inherit from `OptionsBase` but found option of type "
                        f"{type(options_list[0])} which does not.")
    default_options = result_type()
    result = result_type()
    for options in options_list:
        for name in list(options._options):
            this, that, default = getattr(result, name), getattr(options, name), getattr(default_options, name)
            if that == default:
                continue
            if this == default:
                setattr(result, name, that)
            elif isinstance(this, OptionsBase):
                setattr(result, name, merge_options(this, that))
            elif name == "framework_type":  # a repeated field: lists concatenate
                setattr(result, name, this + that)
            elif this != that:
                _log.warning("Changing the value of option %s from %r to %r.", name, this, that)
                setattr(result, name, that)
    return result


class AutotuneOptions(OptionsBase):
    """Autotuning options (``tf.data.Options().autotune``)."""

    enabled = create_option("enabled", bool, "Whether to automatically tune performance knobs.")
    cpu_budget = create_option("cpu_budget", int, "The CPU budget for parallelism.")
    ram_budget = create_option("ram_budget", int, "The RAM budget in bytes for buffers.")
    autotune_algorithm = create_option("autotune_algorithm", AutotuneAlgorithm, "The autotuning algorithm.")
    initial_parallelism = create_option("initial_parallelism", int, "The initial parallelism of tunable ops.")
    min_parallelism = create_option("min_parallelism", int, "The minimum parallelism of tunable ops.")


class DistributeOptions(OptionsBase):
    """Distribution options (``tf.data.Options().experimental_distribute``)."""

    auto_shard_policy = create_option("auto_shard_policy", AutoShardPolicy, "The type of sharding to use.",
                                      default_factory=lambda: AutoShardPolicy.AUTO)
    num_devices = create_option("num_devices", int, "The number of devices attached to this input pipeline.")


class OptimizationOptions(OptionsBase):
    """Static graph optimizations (``tf.data.Options().experimental_optimization``)."""

    apply_default_optimizations = create_option("apply_default_optimizations", bool,
                                                "Whether to apply default graph optimizations.")
    filter_fusion = create_option("filter_fusion", bool, "Whether to fuse filter transformations.")
    filter_parallelization = create_option("filter_parallelization", bool, "Whether to parallelize filters.")
    inject_prefetch = create_option("inject_prefetch", bool, "Whether to inject a prefetch at the end.")
    seq_interleave_prefetch = create_option("seq_interleave_prefetch", bool,
                                            "Whether to replace interleave with a prefetching variant.")
    map_and_batch_fusion = create_option("map_and_batch_fusion", bool, "Whether to fuse map and batch.")
    map_and_filter_fusion = create_option("map_and_filter_fusion", bool, "Whether to fuse map and filter.")
    map_fusion = create_option("map_fusion", bool, "Whether to fuse map transformations.")
    map_parallelization = create_option("map_parallelization", bool, "Whether to parallelize stateless maps.")
    noop_elimination = create_option("noop_elimination", bool, "Whether to eliminate no-op transformations.")
    parallel_batch = create_option("parallel_batch", bool, "Whether to parallelize copying of batch elements.")
    shuffle_and_repeat_fusion = create_option("shuffle_and_repeat_fusion", bool,
                                              "Whether to fuse shuffle and repeat.")


class ServiceOptions(OptionsBase):
    """tf.data service options (``tf.data.Options().experimental_service``)."""

    pinned = create_option("pinned", bool, "Whether to use pinned (zero-copy) transfers.")


class ThreadingOptions(OptionsBase):
    """Threading options (``tf.data.Options().threading``)."""

    max_intra_op_parallelism = create_option("max_intra_op_parallelism", int,
                                             "The maximum degree of intra-op parallelism.")
    private_threadpool_size = create_option("private_threadpool_size", int,
                                            "The number of threads of a private threadpool.")


class Options(OptionsBase):
    """The options of a dataset, set with ``Dataset.with_options`` and read with ``Dataset.options()``."""

    autotune = create_option("autotune", AutotuneOptions, "Autotuning options.", default_factory=AutotuneOptions)
    deterministic = create_option("deterministic", bool, "Whether elements must be produced in order.")
    experimental_deterministic = create_option("experimental_deterministic", bool, "DEPRECATED: `deterministic`.")
    experimental_distribute = create_option("experimental_distribute", DistributeOptions, "Distribution options.",
                                            default_factory=DistributeOptions)
    experimental_external_state_policy = create_option("experimental_external_state_policy", ExternalStatePolicy,
                                                       "How to handle external state when serializing.")
    experimental_optimization = create_option("experimental_optimization", OptimizationOptions,
                                              "Optimization options.", default_factory=OptimizationOptions)
    experimental_slack = create_option("experimental_slack", bool, "Whether to add slack to the last prefetch.")
    experimental_symbolic_checkpoint = create_option("experimental_symbolic_checkpoint", bool,
                                                     "Whether to checkpoint symbolically.")
    experimental_service = create_option("experimental_service", ServiceOptions, "tf.data service options.",
                                         default_factory=ServiceOptions)
    experimental_threading = create_option("experimental_threading", ThreadingOptions, "DEPRECATED: `threading`.")
    experimental_warm_start = create_option("experimental_warm_start", bool,
                                            "Whether to start background threads at iterator creation.")
    dataset_name = create_option("dataset_name", str, "A name for the dataset, to help in debugging.")
    framework_type = create_option("framework_type", list, "The frameworks used to build this pipeline.")
    threading = create_option("threading", ThreadingOptions, "Threading options.", default_factory=ThreadingOptions)

    # The deprecated aliases read and write their replacements, as in TF.
    def __getattribute__(self, name: str) -> Any:
        if name == "experimental_threading":
            _log.warning("options.experimental_threading is deprecated. Use options.threading instead.")
            return object.__getattribute__(self, "threading")
        if name == "experimental_deterministic":
            return object.__getattribute__(self, "deterministic")
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "experimental_threading":
            _log.warning("options.experimental_threading is deprecated. Use options.threading instead.")
            name = "threading"
        elif name == "experimental_deterministic":
            name = "deterministic"
        super().__setattr__(name, value)

    def _set_mutable(self, mutable: bool) -> None:
        # TF freezes these four groups with their parent (not experimental_service).
        object.__setattr__(self, "_mutable", mutable)
        for group in (self.autotune, self.experimental_distribute, self.experimental_optimization, self.threading):
            group._set_mutable(mutable)

    def merge(self, options: Options) -> Options:
        """A new ``Options``: this one merged with ``options`` (``options`` wins where both set a value)."""
        return merge_options(self, options)  # type: ignore[return-value]
