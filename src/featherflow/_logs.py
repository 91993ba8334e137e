"""Python loggers fetched on first use: importing ``logging`` costs about 3 ms of ``import featherflow``, and most
programs never log through featherflow.

>>> logger = LazyLogger("featherflow")
>>> logger.name
'featherflow'
"""

from __future__ import annotations

from typing import Any


class LazyLogger:
    """Stands for ``logging.getLogger(name)``; the logging module is imported at the first attribute used."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        import logging

        return getattr(logging.getLogger(self._name), attr)
