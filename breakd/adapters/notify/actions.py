"""A reminder's button keys, and the control command each one runs: one table both ways.

A button acts exactly as the CLI command of its name, through the same control
path, so the notifier writes these keys and the daemon reads them back here.
"""

from __future__ import annotations

BODY = "default"
"""The freedesktop key of a click on the notification's body: counts as done."""
DONE = "done"
SKIP = "skip"
_SNOOZE = "snooze:"

Command = tuple[str, dict[str, object]]


def snooze_key(seconds: float) -> str:
    return f"{_SNOOZE}{int(seconds)}"


def command_for(key: str) -> Command | None:
    """The control command a button's key stands for; None for a key breakd never sent."""
    if key in (BODY, DONE):
        return ("done", {})
    if key == SKIP:
        return ("skip", {})
    seconds = key.removeprefix(_SNOOZE)
    if seconds != key and seconds.isdigit() and 0 < int(seconds) <= 24 * 3600:
        return ("snooze", {"seconds": float(seconds)})
    return None
