"""Command-line values that are not plain types: NAME=VALUE pairs, durations and
template names."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from tplsync.errors import InputError, TplsyncError, UsageError
from tplsync.model import Template

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^(\d+(?:\.\d*)?)([smhd]?)$")


def split_pairs(
    values: Sequence[str],
    flag: str,
    expected: str = "NAME=VALUE",
    error: type[TplsyncError] = UsageError,
) -> list[tuple[str, str]]:
    """``NAME=VALUE`` values as pairs, in order; a value without a name or an
    ``=`` is refused as ``error``."""
    pairs = []
    for value in values:
        name, separator, text = value.partition("=")
        if not separator or not name:
            raise error(f"{flag} {value!r}: expected {expected}")
        pairs.append((name, text))
    return pairs


def parse_pairs(values: Sequence[str], flag: str) -> dict[str, str]:
    return dict(split_pairs(values, flag))


def duration(text: str) -> float | None:
    """Seconds in ``90``, ``30s``, ``15m``, ``2h`` or ``1d``; None if it is not one."""
    match = _DURATION.match(text)
    if match is None:
        return None
    return float(match.group(1)) * UNITS[match.group(2) or "s"]


def parse_duration(text: str, flag: str) -> float:
    seconds = duration(text)
    if seconds is None:
        raise UsageError(f"{flag} {text!r}: expected e.g. 90s, 30m, 2h or 1d")
    return seconds


def chosen(templates: Sequence[Template], names: Sequence[str]) -> list[Template]:
    """The templates ``names`` asks for (all when none), in that order."""
    by_name = {template.name: template for template in templates}
    for name in names:
        if name not in by_name:
            close = difflib.get_close_matches(name, by_name, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise InputError(f"no template named {name!r}{hint}")
    return [by_name[name] for name in names] if names else list(templates)
