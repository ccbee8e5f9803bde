"""The tracker's snapshot on disk: one small JSON file, replaced atomically.

A file that cannot be read (corrupt, or written by a newer breakd) is moved
aside with a warning and breakd starts fresh: state is never worth a crash,
and the user's file is kept for a look.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from pathlib import Path
from typing import Protocol, TypeVar

from breakd.adapters.atomic_file import write_atomically
from breakd.core.tracker import TrackerSnapshot

STATE_VERSION = 1
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


class JsonStateFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> tuple[TrackerSnapshot, datetime] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            log.warning("cannot read state file %s (%s); starting fresh", self.path, error.strerror)
            return None
        try:
            return _decode(raw)
        except StateFileError as error:
            aside = self._set_aside()
            log.warning(
                "state file %s %s; moved it to %s and started fresh", self.path, error, aside
            )
            return None

    def save(self, snapshot: TrackerSnapshot, saved_at: datetime) -> None:
        data = json.dumps(_encode(snapshot, saved_at), indent=2).encode() + b"\n"
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(self.path, data)

    def _set_aside(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
        try:
            os.replace(self.path, aside)
        except OSError:
            log.warning("could not move %s aside; it will be overwritten", self.path)
        return aside


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


def _decode(raw: bytes) -> tuple[TrackerSnapshot, datetime]:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise StateFileError("is not valid JSON") from None
    if not isinstance(data, dict):
        raise StateFileError("does not hold a JSON object")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise StateFileError(f"has no valid version (found {version!r})")
    if version > STATE_VERSION:
        raise StateFileError(f"was written by a newer breakd (state version {version})")
    snapshot = TrackerSnapshot(
        exercise=_field(data, "exercise", str),
        done_count=_field(data, "done_count", int),
        skipped_count=_field(data, "skipped_count", int),
        sitting_since=_time(data, "sitting_since"),
        snoozed_until=_time(data, "snoozed_until"),
        paused=_field(data, "paused", bool),
        paused_until=_time(data, "paused_until"),
    )
    saved_at = _time(data, "saved_at")
    if saved_at is None:
        raise StateFileError("has no saved_at time")
    return snapshot, saved_at


def _field(data: dict[str, object], key: str, kind: type[T]) -> T:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise StateFileError(f"has a bad {key!r} (expected {kind.__name__}, found {value!r})")
    return value


def _time(data: dict[str, object], key: str) -> datetime | None:
    value = data.get(key)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise StateFileError(f"has a bad {key!r} time {value!r}") from None
    if parsed.tzinfo is None:
        raise StateFileError(f"has a {key!r} time without a UTC offset")
    return parsed
