"""The tracker's snapshot on disk: one small JSON file, replaced atomically.

A file that cannot be used (corrupt, written by a newer breakd, holding a value out
of range, or not a regular file at all) is moved aside with one warning and breakd
starts fresh: state is never worth a crash, and the user's file is kept for a look.
Every value is checked here, so that nothing the tracker does with a restored time
can overflow: each lies between 2000 and a day ahead of the clock reading it.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol, TypeVar

from breakd.adapters.atomic_file import remove_leftovers, write_atomically
from breakd.core.durations import MAX_DURATION
from breakd.core.stretches import EXERCISE_IDS
from breakd.core.tracker import TrackerSnapshot
from breakd.regular_file import FileRefused, MiB, read_regular_file

STATE_VERSION = 1
MAX_STATE_BYTES = MiB  # the file breakd writes is some 300 bytes
MAX_COUNT = 100_000  # one day's answers: far above any real day
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
# A snooze or a pause lasts at most MAX_DURATION, so no time breakd saves lies further
# ahead of the clock that reads it back (unless that clock was set back as far).
AHEAD = timedelta(seconds=MAX_DURATION)
MAX_TIME_CHARS = 40
log = logging.getLogger(__name__)
T = TypeVar("T")


class StateStore(Protocol):
    path: Path

    def load(self) -> tuple[TrackerSnapshot, datetime] | None:
        """The last snapshot and when it was saved, or None to start fresh."""
        ...

    def save(self, snapshot: TrackerSnapshot, saved_at: datetime) -> None: ...


class StateFileError(ValueError):
    pass


def _system_wall() -> datetime:
    return datetime.now(timezone.utc)


class JsonStateFile:
    """The state file at `path`; `wall` is the clock its times are checked against."""

    def __init__(self, path: Path, wall: Callable[[], datetime] = _system_wall) -> None:
        self.path = path
        self._wall = wall

    def load(self) -> tuple[TrackerSnapshot, datetime] | None:
        """The last snapshot and when it was saved, or None to start fresh.

        Also removes what a save killed mid-way left: the daemon loads once, as it
        starts, holding the instance lock, so no other save can be under way.
        """
        removed = remove_leftovers(self.path)
        if removed:
            log.info("removed %d temporary file(s) an interrupted save left", len(removed))
        try:
            return _decode(
                read_regular_file(self.path, MAX_STATE_BYTES, follow_symlinks=False), self._wall()
            )
        except FileNotFoundError:
            return None
        except FileRefused as refused:
            problem = f"is {refused}"
        except StateFileError as error:
            problem = str(error)
        except OSError as error:
            log.warning("cannot read state file %s (%s); starting fresh", self.path, error.strerror)
            return None
        log.warning("state file %s %s; %s", self.path, problem, self._set_aside())
        return None

    def save(self, snapshot: TrackerSnapshot, saved_at: datetime) -> None:
        """Replace the file; a symlink planted at the path is replaced, never followed."""
        data = json.dumps(_encode(snapshot, saved_at), indent=2).encode() + b"\n"
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(self.path, data, follow_symlink=False)

    def _set_aside(self) -> str:
        """Rename whatever is at the path (a link, not its target); says what came of it."""
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
        try:
            os.replace(self.path, aside)
        except OSError as error:
            return f"started fresh, but could not move it aside ({error.strerror})"
        return f"moved it to {aside} and started fresh"


def _encode(snapshot: TrackerSnapshot, saved_at: datetime) -> dict[str, object]:
    def when(value: datetime | None) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "version": STATE_VERSION,
        "saved_at": saved_at.isoformat(),
        "exercise": snapshot.exercise,
        "done_count": snapshot.done_count,
        "skipped_count": snapshot.skipped_count,
        "sitting_since": when(snapshot.sitting_since),
        "snoozed_until": when(snapshot.snoozed_until),
        "paused": snapshot.paused,
        "paused_until": when(snapshot.paused_until),
    }


def _decode(raw: bytes, now: datetime) -> tuple[TrackerSnapshot, datetime]:
    try:
        data = json.loads(raw)
    except RecursionError:
        raise StateFileError("is nested too deeply to be a state file") from None
    except (ValueError, UnicodeDecodeError):
        raise StateFileError("is not valid JSON") from None
    if not isinstance(data, dict):
        raise StateFileError("does not hold a JSON object")
    version = data.get("version")
    if type(version) is not int or version < 1:
        raise StateFileError(f"has no valid version (found {_shown(version)})")
    if version > STATE_VERSION:
        raise StateFileError(f"was written by a newer breakd (state version {_shown(version)})")
    snapshot = TrackerSnapshot(
        exercise=_exercise(data),
        done_count=_count(data, "done_count"),
        skipped_count=_count(data, "skipped_count"),
        sitting_since=_time(data, "sitting_since", now),
        snoozed_until=_time(data, "snoozed_until", now),
        paused=_field(data, "paused", bool),
        paused_until=_time(data, "paused_until", now),
    )
    saved_at = _time(data, "saved_at", now)
    if saved_at is None:
        raise StateFileError("has no saved_at time")
    return snapshot, saved_at


def _field(data: dict[str, object], key: str, kind: type[T]) -> T:
    """The value of exactly type `kind`: neither True for an int nor 2.0 for one."""
    value = data.get(key)
    if not isinstance(value, kind) or type(value) is not kind:
        raise StateFileError(f"has a bad {key!r} (expected {kind.__name__}, found {_shown(value)})")
    return value


def _exercise(data: dict[str, object]) -> str:
    """A stretch this breakd knows, or the first: one a later version dropped is no fault."""
    exercise = _field(data, "exercise", str)
    return exercise if exercise in EXERCISE_IDS else EXERCISE_IDS[0]


def _count(data: dict[str, object], key: str) -> int:
    value = _field(data, key, int)
    if not 0 <= value <= MAX_COUNT:
        raise StateFileError(f"has a {key!r} out of range (0 to {MAX_COUNT}, found {value})")
    return value


def _time(data: dict[str, object], key: str, now: datetime) -> datetime | None:
    """A time with a UTC offset, between 2000 and a day after `now`, or None.

    Kept in its own offset: the day it counts toward is the day at that offset.
    """
    value = data.get(key)
    if value is None:
        return None
    try:
        if type(value) is not str or len(value) > MAX_TIME_CHARS:
            raise ValueError
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise StateFileError(f"has a bad {key!r} time {_shown(value)}") from None
    if parsed.tzinfo is None:
        raise StateFileError(f"has a {key!r} time without a UTC offset")
    try:
        in_range = EARLIEST <= parsed.astimezone(timezone.utc) <= now + AHEAD
    except OverflowError:
        in_range = False
    if not in_range:
        raise StateFileError(f"has a {key!r} time out of range ({value})")
    return parsed


def _shown(value: object) -> str:
    """A value for the warning, cut short: a state file may hold a megabyte in one."""
    text = repr(value)
    return text if len(text) <= MAX_TIME_CHARS else text[: MAX_TIME_CHARS - 3] + "..."
