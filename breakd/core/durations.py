"""Durations with units ("20s", "45m", "1h30m"), shared by config and CLI."""

from __future__ import annotations

import re

_DURATION = re.compile(r"^(?:(?P<h>\d{1,6})h)?(?:(?P<m>\d{1,8})m)?(?:(?P<s>\d{1,9})s)?$")


class DurationError(ValueError):
    """A text that is not a duration; the message says what was expected."""


def parse_duration(text: str) -> int:
    """Whole seconds of `text`; a bare number is refused so that units are never guessed."""
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned.isdigit() and len(cleaned) < 12:
        raise DurationError(
            f'"{text}" has no unit; write it as "{cleaned}s", "{cleaned}m" or "{cleaned}h"'
        )
    match = _DURATION.match(cleaned)
    if not cleaned or match is None:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise DurationError(
            f'"{shown}" is not a duration; expected a number with a unit, like "45m", "20s" or "1h30m"'
        )
    hours, minutes, seconds = (int(match.group(k) or 0) for k in ("h", "m", "s"))
    return hours * 3600 + minutes * 60 + seconds


def format_duration(seconds: float) -> str:
    """The shortest exact text for whole seconds: 2700 -> "45m", 5400 -> "1h30m", 0 -> "0s"."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{value}{unit}" for value, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if value
    ]
    return "".join(parts) or "0s"
