"""Durations in both their forms: the config's and the CLI's ("20s", "45m", "1h30m"),
and the spoken one of a sentence ("45 min", "1 uur 30 min").

Every duration breakd reads or shows goes through here. Nothing heavy is imported:
the CLI parses durations here and `breakd status` speaks one.
"""

from __future__ import annotations

import re

from breakd.core.words import WORDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from breakd.core.stretches import Language

_DURATION = re.compile(r"^(?:(?P<h>\d{1,6})h)?(?:(?P<m>\d{1,8})m)?(?:(?P<s>\d{1,9})s)?$")


class DurationError(ValueError):
    """A text that is not a duration; the message says what was expected."""


MAX_DURATION = 24 * 3600
"""The longest duration breakd takes, from a config, the CLI or a button: a longer one
means nothing for a break reminder, and this keeps every scheduled time far inside
what datetime can represent."""


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
        meant = _spelled_out(cleaned)
        hint = f'; did you mean "{meant}"?' if meant else ""
        raise DurationError(
            f'"{shown}" is not a duration; expected a number with a unit, like "45m", "20s"'
            f' or "1h30m"{hint}'
        )
    hours, minutes, seconds = (int(match.group(k) or 0) for k in ("h", "m", "s"))
    return hours * 3600 + minutes * 60 + seconds


_UNIT_WORDS = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds", "sec.", "seconde", "seconden"), 1),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes", "min.", "minuut", "minuten"), 60),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "u", "uur", "uren"), 3600),
}
_SPELLED_PART = re.compile(r"(\d{1,6})([a-z.]+)")


def _spelled_out(cleaned: str) -> str | None:
    """Units spelled out ("5min", "1hour30mins", "10minuten", spaces gone) as breakd writes
    them, for a did-you-mean; None when it is not that."""
    parts = _SPELLED_PART.findall(cleaned)
    if not parts or "".join(number + unit for number, unit in parts) != cleaned:
        return None
    if any(unit not in _UNIT_WORDS for _, unit in parts):
        return None
    total = sum(int(number) * _UNIT_WORDS[unit] for number, unit in parts)
    return format_duration(total) if 0 < total <= MAX_DURATION else None


def format_duration(seconds: float) -> str:
    """The shortest exact text for whole seconds: 2700 -> "45m", 5400 -> "1h30m", 0 -> "0s"."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{value}{unit}" for value, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if value
    ]
    return "".join(parts) or "0s"


def spoken_duration(seconds: float, language: Language) -> str:
    """A duration as people write it in a sentence, in whole seconds or minutes:
    "30 s", "45 min", "1 h", "1 h 5 min"."""
    words = WORDS[language]
    total = int(seconds)
    if total < 60:
        return f"{total} {words.second}"
    hours, minutes = divmod(total // 60, 60)
    if not hours:
        return f"{minutes} {words.minute}"
    if not minutes:
        return f"{hours} {words.hour}"
    return f"{hours} {words.hour} {minutes} {words.minute}"
