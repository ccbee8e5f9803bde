"""A reminder's button keys, and the control command each one runs: one table both ways.

A button acts exactly as the CLI command of its name, through the same control
path, so the notifier writes these keys and the daemon reads them back here.
"""

from __future__ import annotations

from breakd.core import commands

BODY = "default"
"""The freedesktop key of the reminder's Start action, which is also a click on its body:
guides the stretch on screen (on a paused guide: carries on) and answers nothing yet."""
DONE = commands.DONE
SKIP = commands.SKIP
CANCEL = commands.CANCEL
"""A guide's Cancel: nothing counts, and the reminder it came from is back."""
_SNOOZE = f"{commands.SNOOZE}:"

Command = tuple[str, dict[str, object]]


def snooze_key(seconds: float) -> str:
    return f"{_SNOOZE}{int(seconds)}"


def command_for(key: str) -> Command | None:
    """The control command a button's key stands for; None for the body (`BODY`, no
    command) and for a key breakd never sent."""
    if key == DONE:
        return (commands.DONE, {})
    if key == SKIP:
        return (commands.SKIP, {})
    if key == CANCEL:
        return (commands.CANCEL, {})
    seconds = key.removeprefix(_SNOOZE)
    # ASCII digits only: str.isdigit() also takes ², ፩ and the like, which int() refuses.
    plain = seconds != key and seconds.isascii() and seconds.isdigit() and len(seconds) <= 6
    if plain and 0 < int(seconds) <= 24 * 3600:
        return (commands.SNOOZE, {"seconds": float(seconds)})
    return None
