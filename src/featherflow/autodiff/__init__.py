"""Automatic differentiation: ``tf.GradientTape`` and ``tf.autodiff.ForwardAccumulator`` (the ``tf.autodiff``
namespace; the accumulator's module loads on first access)."""

from .tape import GradientTape as GradientTape


def __getattr__(name: str) -> object:
    if name == "ForwardAccumulator":
        from .forwardprop import ForwardAccumulator

        return ForwardAccumulator
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return ["ForwardAccumulator", "GradientTape"]
