r"""Regular-expression string ops (``tf.strings.regex_replace``, ``regex_full_match``): TF uses RE2; patterns map to
Python's ``re`` (RE2's syntax is nearly a subset), with RE2's rewrite rules (``\1`` groups) and its messages for the
common pattern errors.

>>> import featherflow as tf
>>> tf.strings.regex_replace("ab-cd", r"(\w+)-(\w+)", r"\2-\1").numpy()
b'cd-ab'
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ...tensor import Tensor, kernel_error
from .. import dispatch as _dispatch
from ..registry import register
from .core import map_strings, on_host, string_tensor

_PERL_OPERATORS = ("(?<=", "(?<!", "(?=", "(?!")


def _re2_check(pattern: str) -> str | None:
    """RE2's message for syntax Python's re accepts but RE2 rejects (lookaround, backreferences)."""
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            if pattern[i + 1:i + 2].isdigit() and pattern[i + 1] != "0":
                return f"invalid escape sequence: {pattern[i:i + 2]}"
            i += 2
            continue
        for op in _PERL_OPERATORS:
            if pattern.startswith(op, i):
                return f"invalid perl operator: {op[:3]}"
        i += 1
    return None


def _re2_message(pattern: str, e: re.error) -> str:
    """Python's re error as RE2 words it, for the common mistakes."""
    text, pos = str(e.msg), e.pos or 0
    if text.startswith("missing ), unterminated subpattern"):
        return f"missing ): {pattern}"
    if text.startswith("unbalanced parenthesis"):
        return f"unexpected ): {pattern}"
    if text.startswith("unterminated character set"):
        return f"missing ]: {pattern[pos:]}"
    if text.startswith("nothing to repeat"):
        return f"no argument for repetition operator: {pattern[pos]}"
    if text.startswith("multiple repeat"):
        return f"bad repetition operator: {pattern[pos - 1:pos + 1]}"
    if text.startswith("bad escape"):
        return f"invalid escape sequence: {pattern[pos:pos + 2]}"
    if text.startswith("min repeat greater than max repeat"):
        return f"invalid repetition size: {pattern[pattern.rfind('{', 0, pos + 1):pattern.find('}', pos) + 1]}"
    return text


def _compile(op_name: str, pattern: Any) -> re.Pattern:
    if isinstance(pattern, bytes):
        pattern = pattern.decode("utf-8", "surrogateescape")
    problem = _re2_check(pattern)
    if problem is None:
        try:
            # RE2 syntax is close to Python's; \z (end of text) is Python's \Z
            return re.compile(pattern.replace(r"\z", r"\Z"))
        except re.error as e:
            problem = _re2_message(pattern, e)
    raise kernel_error(op_name, f"Invalid pattern: {pattern}, error: {problem}")


def _rewrite_pieces(rewrite: str) -> list:
    """An RE2 rewrite string as literal text pieces and group numbers (\\0-\\9; \\\\ is a backslash). An invalid
    escape ends the rewrite there (RE2 stops rewriting at it)."""
    pieces: list = []
    i = 0
    while i < len(rewrite):
        c = rewrite[i]
        if c == "\\":
            nxt = rewrite[i + 1:i + 2]
            if nxt.isdigit():
                pieces.append(int(nxt))
            elif nxt == "\\":
                pieces.append("\\")
            else:
                break
            i += 2
        else:
            pieces.append(c)
            i += 1
    return pieces


def _replace(regex: re.Pattern, pieces: list, text: str, replace_global: bool) -> str:
    """RE2's Replace/GlobalReplace: no empty match right where the previous match ended."""
    out = []
    pos = 0
    last_end = -1
    for m in regex.finditer(text):
        if m.start() == m.end() == last_end:
            continue
        out.append(text[pos:m.start()])
        out.extend(p if isinstance(p, str) else (m.group(p) or "") for p in pieces)
        pos = last_end = m.end()
        if not replace_global:
            break
    out.append(text[pos:])
    return "".join(out)


def _regex_replace_forward(x: Any, pattern: Any, rewrite: Any, replace_global: bool, op_name: str) -> Any:
    regex = _compile(op_name, pattern)
    rewrite_text = rewrite.decode("utf-8", "surrogateescape") if isinstance(rewrite, bytes) else rewrite
    pieces = _rewrite_pieces(rewrite_text)
    if any(isinstance(p, int) and p > regex.groups for p in pieces):
        return x  # RE2 refuses a rewrite naming a group the pattern lacks: strings stay as they are
    return map_strings(lambda b: _replace(regex, pieces, b.decode("utf-8", "surrogateescape"), replace_global)
                       .encode("utf-8", "surrogateescape"), x)


@register("StaticRegexReplace", host_only=True)
def static_regex_replace_op(xp: Any, x: Any, pattern: str, rewrite: str, replace_global: bool) -> Any:
    return _regex_replace_forward(x, pattern, rewrite, replace_global, "StaticRegexReplace")


@register("RegexReplace", differentiable=False, host_only=True)
def regex_replace_op(xp: Any, x: Any, pattern: Any, rewrite: Any, replace_global: bool) -> Any:
    return _regex_replace_forward(x, pattern[()], rewrite[()], replace_global, "RegexReplace")


@on_host
@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def regex_replace(input: Any, pattern: Any, rewrite: Any, replace_global: bool = True,  # noqa: A002
                  name: str | None = None) -> Tensor:
    """Replaces matches of the RE2 ``pattern`` with ``rewrite`` (``\\1`` refers to a group)
    (``tf.strings.regex_replace``).

    >>> regex_replace("ab-cd", r"(\\w+)-(\\w+)", r"\\2-\\1").numpy()
    b'cd-ab'
    """
    x = string_tensor(input, "StaticRegexReplace")
    if isinstance(pattern, (str, bytes)) and isinstance(rewrite, (str, bytes)):
        return static_regex_replace_op(x, pattern=pattern, rewrite=rewrite, replace_global=bool(replace_global))
    return regex_replace_op(x, string_tensor(pattern, "RegexReplace", 1), string_tensor(rewrite, "RegexReplace", 2),
                            replace_global=bool(replace_global))


def _full_match_forward(x: Any, pattern: Any, op_name: str) -> Any:
    regex = _compile(op_name, pattern)
    return map_strings(lambda b: regex.fullmatch(b.decode("utf-8", "surrogateescape")) is not None, x, np.bool_)


@register("StaticRegexFullMatch", host_only=True)
def static_regex_full_match_op(xp: Any, x: Any, pattern: str) -> Any:
    return _full_match_forward(x, pattern, "StaticRegexFullMatch")


@register("RegexFullMatch", host_only=True)
def regex_full_match_op(xp: Any, x: Any, pattern: Any) -> Any:
    return _full_match_forward(x, pattern[()], "RegexFullMatch")


@on_host
@_dispatch.register_unary_elementwise_api
@_dispatch.add_dispatch_support
def regex_full_match(input: Any, pattern: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Whether each whole string matches the RE2 ``pattern`` (``tf.strings.regex_full_match``).

    >>> regex_full_match(["abc", "ab"], "a.c").numpy()
    array([ True, False])
    """
    x = string_tensor(input, "StaticRegexFullMatch")
    if isinstance(pattern, (str, bytes)):
        return static_regex_full_match_op(x, pattern=pattern)
    return regex_full_match_op(x, string_tensor(pattern, "RegexFullMatch", 1))
