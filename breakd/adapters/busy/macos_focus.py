"""macOS Focus (do not disturb), best effort: a private file of the Focus daemon.

macOS has no supported way for a program like breakd to read whether a Focus is
on (the Intents framework's focus status needs an authorised app bundle). The
Focus daemon keeps the active Focus in `~/Library/DoNotDisturb/DB/Assertions.json`;
a Focus is on while a `storeAssertionRecords` list under `data` is not empty:

    {"data": [{"storeAssertionRecords": [{"assertionDetails":
        {"assertionDetailsModeIdentifier": "com.apple.donotdisturb.mode.default", ...}, ...}]}],
     "header": {...}}

Why it is off by default (`dont_interrupt.signals.macos_focus`):
- the file is private and undocumented: its place or shape may change with any
  macOS version (it is reported broken on macOS 26), and then this signal says
  "unsupported" in `breakd doctor` rather than guess;
- some macOS versions let only apps with Full Disk Access read it;
- it is reported to lag the switch by a minute or two;
- whether a Focus turned on by a schedule or an automation is written there is
  not verified.

Nothing signals a change to breakd without a run loop, so the file is polled:
every 10 s one `stat`, and the file is read and parsed only when its time or
size changed. A missing file means no Focus was ever turned on (free); a missing
`DoNotDisturb/DB` folder means a macOS without Focus. A file that cannot be
parsed while watching (caught in the middle of a rewrite) keeps the last reading.

The folder can be handed in, so tests on any system run every line here on
recorded samples; only the real file's contents on a real Mac are not covered.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from breakd.adapters.busy import FREE, Reading, Report
from breakd.adapters.busy.polling import report_every
from breakd.adapters.watcher import WatcherUnavailable
from breakd.core.busy_reasons import DND, reason

if TYPE_CHECKING:
    from breakd.config.model import DontInterruptConfig

log = logging.getLogger(__name__)

POLL_EVERY = 10.0
REASON = reason(DND, "macos")
DB_FOLDER = "~/Library/DoNotDisturb/DB"
ASSERTIONS = "Assertions.json"


class UnknownShape(ValueError):
    """Assertions.json is not the JSON breakd knows (macOS changed it, or it is half written)."""


class FocusFileUnparsable(WatcherUnavailable):
    """The file is there but not in a shape breakd knows; while watching, the last reading stays."""


def active_modes(text: str) -> list[str]:
    """The Focus modes Assertions.json says are on, by identifier; empty when none is.

    A record without a mode identifier still means a Focus is on, shown as "focus".
    """
    try:
        document = json.loads(text)
    except ValueError as error:
        raise UnknownShape(f"not JSON ({error})") from None
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, list):
        raise UnknownShape('no "data" list')
    modes: list[str] = []
    for entry in data:
        if not isinstance(entry, dict):
            raise UnknownShape('an entry of "data" is not an object')
        records = entry.get("storeAssertionRecords", [])
        if not isinstance(records, list):
            raise UnknownShape('"storeAssertionRecords" is not a list')
        modes += [_mode_of(record) for record in records]
    return modes


def _mode_of(record: Any) -> str:
    details = record.get("assertionDetails") if isinstance(record, dict) else None
    mode = details.get("assertionDetailsModeIdentifier") if isinstance(details, dict) else None
    return mode if isinstance(mode, str) and mode else "focus"


def reading_for(modes: list[str]) -> Reading:
    """Busy while any Focus is on; which one does not matter for holding a reminder."""
    return Reading.of({REASON}) if modes else FREE


class MacOSFocus:
    """Busy ("dnd:macos") while a Focus is on, as far as its private file tells."""

    name = REASON

    def __init__(
        self, folder: str | os.PathLike[str] | None = None, poll_every: float = POLL_EVERY
    ) -> None:
        """`folder` stands in for ~/Library/DoNotDisturb/DB; None uses it, on macOS only."""
        self._folder = None if folder is None else Path(folder)
        self._poll_every = poll_every
        self._seen: tuple[int, int] | None = None  # (mtime_ns, size) of the file last parsed
        self._modes: list[str] = []

    async def probe(self) -> str:
        modes = self.modes()
        now = f"a Focus is on ({', '.join(sorted(set(modes)))})" if modes else "no Focus is on"
        return (
            f"the private file {self._path()} (best effort), checked every"
            f" {self._poll_every:g} s (now: {now})"
        )

    async def watch(self, report: Report) -> None:
        report(reading_for(self.modes()))  # WatcherUnavailable before anything is reported
        await report_every(self._read_again, report, self._poll_every)

    def modes(self) -> list[str]:
        """The Focus modes on now; the file is parsed again only when it changed."""
        path = self._path()
        try:
            stat = path.stat()
        except FileNotFoundError:
            if not path.parent.is_dir():
                raise WatcherUnavailable(
                    f"no {path.parent} folder (a macOS without Focus, before 12)"
                ) from None
            self._seen, self._modes = None, []
            return []
        except PermissionError:
            raise WatcherUnavailable(_no_access(path)) from None
        seen = (stat.st_mtime_ns, stat.st_size)
        if seen == self._seen:
            return self._modes
        try:
            text = path.read_text(encoding="utf-8")
        except PermissionError:
            raise WatcherUnavailable(_no_access(path)) from None
        except FileNotFoundError:  # removed between stat and read: no Focus
            self._seen, self._modes = None, []
            return []
        except (OSError, UnicodeDecodeError) as error:
            raise WatcherUnavailable(f"cannot read {path} ({error})") from None
        try:
            modes = active_modes(text)
        except UnknownShape as error:
            raise FocusFileUnparsable(
                f"{path} is not in the shape breakd knows ({error}); macOS may have changed it"
            ) from None
        self._seen, self._modes = seen, modes
        return modes

    def _read_again(self) -> Reading:
        try:
            return reading_for(self.modes())
        except FocusFileUnparsable as error:  # most likely caught mid-rewrite: try next time
            log.debug("macOS Focus: %s; keeping the last reading", error)
            return reading_for(self._modes)

    def _path(self) -> Path:
        if self._folder is None:
            if sys.platform != "darwin":
                raise WatcherUnavailable("not on macOS: the Focus state is read from a macOS file")
            self._folder = Path(os.path.expanduser(DB_FOLDER))
        return self._folder / ASSERTIONS


def _no_access(path: Path) -> str:
    return f"{path} is not readable: give breakd's Python Full Disk Access in System Settings"


def open_signal(settings: DontInterruptConfig) -> MacOSFocus:
    return MacOSFocus()
