"""The warnings TF's autodiff prints, printed the way TF prints them.

TF logs through the Python logger named ``tensorflow`` with a stderr handler and ``logging.BASIC_FORMAT``
("WARNING:tensorflow:..."), and ``log_first_n`` counts per call site in the user's code. Using the same
logger name keeps ``logging.getLogger("tensorflow").setLevel(...)`` working for code written for TF.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import logging

_logger: logging.Logger | None = None
_counts: dict[tuple, int] = {}
_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the featherflow package


def get_logger() -> logging.Logger:
    """The ``tensorflow`` logger, given TF's stderr handler unless logging is already configured."""
    global _logger
    if _logger is None:
        import logging  # on first use: it costs ~2.5 ms of `import featherflow`

        logger = logging.getLogger("tensorflow")
        if not logging.getLogger().handlers and not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter(logging.BASIC_FORMAT, None))
            logger.addHandler(handler)
        _logger = logger
    return _logger


def _call_site() -> tuple:
    """(file, line) of the innermost frame outside featherflow: TF's key for ``log_first_n``."""
    f = sys._getframe(2)
    while f is not None and f.f_code.co_filename.startswith(_HERE):
        f = f.f_back
    return ("<unknown>", 0) if f is None else (f.f_code.co_filename, f.f_lineno)


def warn_first_n(n: int, msg: str, *args: Any) -> None:
    """Logs a warning the first ``n`` times it is reached from one line of user code (TF's ``log_first_n``)."""
    key = _call_site()
    count = _counts.get(key, 0)
    _counts[key] = count + 1
    if count < n:
        get_logger().warning(msg, *args)
