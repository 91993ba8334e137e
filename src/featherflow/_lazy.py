"""Names a namespace module loads on first access (PEP 562), so that ``import featherflow`` pays only for what
programs use at once: ``__getattr__, __dir__ = lazy(__name__, globals(), {name: (module, attribute)})``."""

from __future__ import annotations

import importlib
from typing import Any, Callable


def lazy(package: str, namespace: dict, table: dict[str, tuple[str, str | None]]) -> tuple[Callable, Callable]:
    """The module-level ``__getattr__`` and ``__dir__`` of a namespace whose ``table`` names load on first access
    (a module path relative to ``package``, and the attribute to take from it, or None for the module itself)."""

    def __getattr__(name: str) -> Any:
        try:
            module, attr = table[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value: Any = importlib.import_module(module, namespace["__package__"] or package)
        if attr is not None:
            value = getattr(value, attr)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(table))

    return __getattr__, __dir__
