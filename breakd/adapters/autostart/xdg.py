"""An XDG autostart entry: `$XDG_CONFIG_HOME/autostart/breakd.desktop`.

Desktops that follow the XDG autostart spec (GNOME, KDE Plasma, Xfce, LXQt,
Cinnamon, MATE, and systemd's xdg-autostart generator) run it at login. There
is nothing to tell the OS now: the entry takes effect at the next login.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from breakd.adapters.autostart.files import StampedTextFile, remove_file
from breakd.adapters.autostart.ownership import stamp_text

FILE_NAME = "breakd.desktop"
# The desktop entry spec's reserved characters: an argument holding one must be quoted.
_RESERVED = re.compile(r"""[ \t\n"'\\><~|&;$*?#()`]""")
_ESCAPED_IN_QUOTES = re.compile(r'(["`$\\])')

ENTRY_BODY = """\
# `breakd autostart disable` removes this file; edit it and breakd leaves it alone.
[Desktop Entry]
Type=Application
Name=breakd
Comment=Reminds you to get up and stretch after long sitting
Exec={exec_line}
Terminal=false
NoDisplay=true
X-GNOME-Autostart-enabled=true
"""


def quote_exec(argv: Sequence[str]) -> str:
    """argv as a desktop entry Exec= value, per the spec's Exec rules.

    Three layers, innermost first: `%` doubled (field codes); an argument with
    a reserved character in double quotes, with `"`, `` ` ``, `$` and `\\`
    backslash-escaped; then the string-value escape, which doubles every
    backslash again (so a literal backslash in a quoted argument is four).
    """
    words = []
    for arg in argv:
        text = arg.replace("%", "%%")
        if not text or _RESERVED.search(text):
            text = '"' + _ESCAPED_IN_QUOTES.sub(r"\\\1", text) + '"'
        words.append(text.replace("\\", "\\\\"))
    return " ".join(words)


class XdgAutostartEntry(StampedTextFile):
    name = "xdg"
    title = "XDG autostart entry"

    def __init__(self, config_home: Path) -> None:
        self.path = config_home / "autostart" / FILE_NAME

    def render(self, argv: Sequence[str]) -> str:
        return stamp_text(ENTRY_BODY.format(exec_line=quote_exec(argv)))

    def remove(self) -> None:
        remove_file(self.path)

    def activate(self, replaced: bool, running_pid: int | None = None) -> list[str]:
        now = (
            f"it is running now (pid {running_pid})"
            if running_pid is not None
            else "to start it now: breakd run"
        )
        return [
            f"breakd starts at your next graphical login (desktops that follow XDG autostart); {now}"
        ]

    def deactivate(self) -> list[str]:
        return []

    def live_state(self) -> str | None:
        return None
