"""Reading the history back for `breakd stats`: only the files of the days asked for.

A line that cannot be read (torn by a crash, edited by hand, from a newer breakd) is
skipped and reported, never fatal. The daemon never loads this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from breakd.adapters.history import SUFFIX
from breakd.core import history
from breakd.core.record import record

if TYPE_CHECKING:
    from pathlib import Path


@record
class Entry:
    """One record as read back: times aware, details as written."""

    kind: str
    at: datetime
    since: datetime | None
    details: dict[str, object]


@dataclass
class Reading:
    """What a read found, and where it skipped lines it could not read."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_days(directory: Path, first: date, last: date) -> Reading:
    """The records of the files for `first`..`last`, in the order they were written."""
    reading = Reading()
    day = first
    while day <= last:
        path = directory / (day.isoformat() + SUFFIX)
        day += timedelta(days=1)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        for number, line in enumerate(data.split(b"\n"), start=1):
            if not line.strip():
                continue
            entry = parse(line)
            if isinstance(entry, str):
                reading.problems.append(f"{path.name}:{number} {entry}")
            else:
                reading.entries.append(entry)
    return reading


def parse(line: bytes) -> Entry | str:
    """One line as an Entry, upgraded to the current version; or why it cannot be read."""
    try:
        raw = json.loads(line)
    except ValueError:
        return "is not a whole record"
    if not isinstance(raw, dict) or not isinstance(raw.get("v"), int):
        return "has no version"
    if raw["v"] > history.VERSION:
        return f"is of version {raw['v']}, from a newer breakd"
    raw = upgrade(raw)
    try:
        kind, at = raw.pop("kind"), datetime.fromisoformat(raw.pop("at"))
        since = raw.pop("since", None)
        since = None if since is None else datetime.fromisoformat(since)
    except (KeyError, TypeError, ValueError):
        return "lacks a kind or a time"
    if kind not in history.KINDS or at.tzinfo is None or (since and since.tzinfo is None):
        return f"is of an unknown kind {kind!r}" if kind not in history.KINDS else "has no zone"
    del raw["v"]
    return Entry(kind, at, since, raw)


def upgrade(raw: dict[str, object]) -> dict[str, object]:
    """Bring an older record up to `history.VERSION`, one version at a time. Version 1
    is the first, so there is nothing to do yet; a version 2 adds its step here."""
    return raw


def forget_before(directory: Path, day: date) -> int:
    """Delete the files of the days before `day`; how many went."""
    gone = 0
    if not directory.is_dir():
        return 0
    for path in directory.glob("*" + SUFFIX):
        try:
            named = date.fromisoformat(path.name.removesuffix(SUFFIX))
        except ValueError:
            continue
        if named < day:
            path.unlink()
            gone += 1
    return gone
