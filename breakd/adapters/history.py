"""The history on disk: one append-only JSON-lines file a day, private to the user.

Why this shape and not SQLite: docs/history.md (SQLite would add 1.6 MiB to the
idle daemon; a line appended to a file adds nothing). A record is one `write` of
one line to a file opened with O_APPEND, so a kill -9 can tear only the line being
written; the writer starts a torn file's next line on a line of its own, and the
reader skips and reports a line it cannot read. Files are named by the local date of
their records, so a range of days reads only its own files.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from breakd.core import history

if TYPE_CHECKING:
    from pathlib import Path

    from breakd.core.clock import Clock
    from breakd.core.effects import Record

SUFFIX = ".jsonl"


class HistoryStore(Protocol):
    """Where the daemon's records go."""

    def append(self, record: Record) -> None:
        """Write one record; raises OSError when it cannot (the daemon logs it and goes on)."""
        ...


class DailyFiles:
    """Appends records to `directory`/YYYY-MM-DD.jsonl, stamped with local wall time."""

    def __init__(self, directory: Path, clock: Clock) -> None:
        self.directory = directory
        self._clock = clock
        self._ready = False
        self._checked: str | None = None

    def append(self, record: Record) -> None:
        wall, now = self._clock.wall(), self._clock.monotonic()
        at = wall + timedelta(seconds=record.at - now)
        entry: dict[str, object] = {"v": history.VERSION, "kind": record.kind, "at": _stamp(at)}
        if record.since is not None:
            entry["since"] = _stamp(wall + timedelta(seconds=record.since - now))
        for key, value in record.details:
            entry[key] = round(value, 3) if isinstance(value, float) else value
        line = (json.dumps(entry, separators=(",", ":")) + "\n").encode()
        if not self._ready:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self.directory, 0o700)
            self._ready = True
        name = at.date().isoformat() + SUFFIX
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW
        fd = os.open(self.directory / name, flags, 0o600)
        try:
            if self._checked != name:
                # A line torn by a crash must not swallow the first one written after it.
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    line = b"\n" + line
                self._checked = name
            os.write(fd, line)
        finally:
            os.close(fd)


def _stamp(at: datetime) -> str:
    return at.isoformat(timespec="milliseconds")
