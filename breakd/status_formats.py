"""The status as one line for a status bar: `breakd status --format` and `--follow`.

One place for every bar's format. Each line says the same thing: a short text in
the configured language, a class (`CLASSES`) a bar can style, the sitting time as
a percentage of `sitting.remind_after`. The formats are what the bars read:

- `waybar`: a custom module's `"return-type": "json"` object: text, tooltip, class,
  alt (the class again, for `format-icons`) and percentage; text and tooltip are
  Pango markup there, so they are escaped.
- `i3blocks`: a block's `format=json` line: full_text, short_text and color.
- `polybar`: a `custom/script` line, the colour as a `%{F#rrggbb}` tag.
- `text`: the short text alone; `json`: the daemon's status object on one line.

`None` for a status means the daemon is not running (class `stopped`).
"""

from __future__ import annotations

import json
import math

from breakd.core.durations import spoken_duration
from breakd.core.words import WORDS, Words
from breakd.status_text import clock_time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from breakd.core.stretches import Language
    from breakd.ipc.status import StatusReply

FORMATS = ("text", "json", "waybar", "i3blocks", "polybar")

CLASSES = (
    "sitting",
    "due",
    "reminding",
    "held",
    "snoozed",
    "paused",
    "away",
    "guiding",
    "off_hours",
    "stopped",
)
"""What a bar can style: the state, or for a due reminder that is not on screen,
why (`held` while you are busy, `due` while it waits for you to come back)."""

COLORS: dict[str, str | None] = {
    "sitting": None,
    "due": "#e5a50a",
    "reminding": "#f66151",
    "held": "#e5a50a",
    "snoozed": None,
    "paused": "#9a9996",
    "away": None,
    "guiding": "#f66151",
    "off_hours": "#9a9996",
    "stopped": "#9a9996",
}
"""The colour i3blocks and polybar get for each class (None: the bar's own)."""

_SHOWN_AS_STATE = frozenset({"reminding", "paused", "away", "guiding", "off_hours"})


def status_class(status: StatusReply | None) -> str:
    """One of `CLASSES`; read with defaults, as a daemon from before an upgrade may lack keys."""
    if status is None:
        return "stopped"
    state = str(status.get("state"))
    if state in _SHOWN_AS_STATE:
        return state
    if status.get("deferred"):
        return "held"
    if status.get("awaiting_return"):
        return "due"
    return "snoozed" if state == "snoozed" else "sitting"


def percentage(status: StatusReply | None) -> int:
    """The sitting time as a share of the time before a reminder, 0 to 100."""
    if status is None:
        return 0
    sitting, interval = status.get("sitting_seconds"), status.get("remind_after_seconds")
    if not isinstance(sitting, (int, float)) or not isinstance(interval, (int, float)):
        return 0
    if interval <= 0:
        return 0
    return max(0, min(100, int(100 * sitting / interval)))


def short_text(status: StatusReply | None, language: Language) -> str:
    """ "sitting 52 min, stretch in 8 min", "snoozed until 10:05", "breakd not running"."""
    words = _words(language)
    kind = status_class(status)
    if status is None or kind == "stopped":
        return words.bar_stopped
    if kind == "sitting":
        sitting = words.bar_sitting.format(
            duration=_minutes(status.get("sitting_seconds"), language)
        )
        next_in = status.get("next_reminder_in_seconds")
        if not isinstance(next_in, (int, float)):
            return sitting  # none comes today: active hours end first
        left = spoken_duration(60 * max(1, math.ceil(next_in / 60)), language)
        return f"{sitting}, {words.bar_next_in.format(duration=left)}"
    if kind == "snoozed":
        return words.bar_snoozed.format(time=clock_time(str(status.get("snoozed_until"))))
    if kind == "paused":
        until = status.get("paused_until")
        return words.bar_paused_until.format(time=clock_time(until)) if until else words.bar_paused
    if kind == "guiding":
        guide = status.get("guide") or {}
        return words.bar_guiding.format(seconds=guide.get("seconds_left", 0))
    return str(getattr(words, f"bar_{kind}"))


def render(form: str, status: StatusReply | None, language: Language, why: str = "") -> str:
    """The one line of `form` (one of `FORMATS`) for `status`; `why` says, for a daemon
    that is not running, what the tooltip should."""
    if form == "json":
        return json.dumps(status if status is not None else {"state": "stopped"})
    kind = status_class(status)
    text = short_text(status, language)
    color = COLORS[kind]
    if form == "waybar":
        if status is not None:
            from breakd.status_text import format_status

            tooltip = format_status(status)
        else:
            tooltip = why or text
        return json.dumps(
            {
                "text": _markup_escaped(text),
                "tooltip": _markup_escaped(tooltip),
                "class": kind,
                "alt": kind,
                "percentage": percentage(status),
            },
            ensure_ascii=False,
        )
    if form == "i3blocks":
        block: dict[str, object] = {"full_text": text, "short_text": _shortest(status, text)}
        if color is not None:
            block["color"] = color
        return json.dumps(block, ensure_ascii=False)
    if form == "polybar":
        plain = text.replace("%{", "% {")  # never a format tag of ours
        return plain if color is None else f"%{{F{color}}}{plain}%{{F-}}"
    return text


def _shortest(status: StatusReply | None, text: str) -> str:
    """What an i3bar short of room shows: the sitting minutes alone while sitting."""
    if status is not None and status_class(status) == "sitting":
        return _minutes(status.get("sitting_seconds"), str(status.get("language")))  # type: ignore[arg-type]
    return text


def _minutes(seconds: object, language: Language) -> str:
    """The sitting time to the minute below, as a bar shows it: "0 min", "52 min", "1 h 5 min"."""
    whole = int(seconds) // 60 if isinstance(seconds, (int, float)) else 0
    return spoken_duration(whole * 60, language) if whole else "0 min"


def _words(language: str) -> type[Words]:
    return WORDS[language] if language in WORDS else WORDS["en"]  # type: ignore[index]


def _markup_escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
