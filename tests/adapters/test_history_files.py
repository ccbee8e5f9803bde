"""The history files: private, appended line by line, read back past a torn or bad line."""

from __future__ import annotations

import stat
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from breakd.adapters.history import DailyFiles
from breakd.core import history
from breakd.core.effects import Record
from breakd.history_reader import forget_before, read_days
from tests.core.fake_clock import FakeClock

DAY = date(2026, 11, 23)


def store(tmp_path: Path) -> tuple[DailyFiles, FakeClock]:
    clock = FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=1))))
    return DailyFiles(tmp_path / "history", clock), clock


def test_records_are_stamped_with_local_time_in_private_files(tmp_path: Path) -> None:
    files, clock = store(tmp_path)
    files.append(Record(history.SAT_DOWN, clock.monotonic() - 60))
    clock.advance(600)
    files.append(
        Record(
            history.STOOD_UP,
            clock.monotonic(),
            since=clock.monotonic() - 660,
            details=(("how", "lock"),),
        )
    )
    directory = tmp_path / "history"
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    [path] = directory.iterdir()
    assert path.name == "2026-11-23.jsonl"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    reading = read_days(directory, DAY, DAY)
    assert reading.problems == []
    sat, stood = reading.entries
    assert sat.at.isoformat() == "2026-11-23T08:59:00+01:00"
    assert (stood.since, stood.at.isoformat()) == (sat.at, "2026-11-23T09:10:00+01:00")
    assert stood.details == {"how": "lock"}


def test_a_torn_line_is_skipped_and_reported_and_the_next_record_is_whole(tmp_path: Path) -> None:
    files, clock = store(tmp_path)
    files.append(Record(history.SAT_DOWN, clock.monotonic()))
    path = tmp_path / "history" / "2026-11-23.jsonl"
    with path.open("ab") as torn:  # what a kill -9 in the middle of a write leaves
        torn.write(b'{"v":1,"kind":"answer","at":"2026-11-')
    again = DailyFiles(tmp_path / "history", clock)  # a new daemon
    again.append(Record(history.ANSWER, clock.monotonic(), details=(("how", "done"),)))
    reading = read_days(tmp_path / "history", DAY, DAY)
    assert [e.kind for e in reading.entries] == [history.SAT_DOWN, history.ANSWER]
    assert reading.problems == ["2026-11-23.jsonl:2 is not a whole record"]


def test_bad_and_newer_records_are_reported_not_fatal(tmp_path: Path) -> None:
    directory = tmp_path / "history"
    directory.mkdir()
    (directory / "2026-11-23.jsonl").write_text(
        '{"v":1,"kind":"break","at":"2026-11-23T10:00:00+00:00","since":"2026-11-23T09:50:00+00:00"}\n'
        '{"v":9,"kind":"break","at":"2026-11-23T11:00:00+00:00"}\n'
        '{"v":1,"kind":"teleport","at":"2026-11-23T11:00:00+00:00"}\n'
        '{"v":1,"kind":"break"}\n'
        "[1, 2]\n"
    )
    reading = read_days(directory, DAY - timedelta(days=1), DAY + timedelta(days=1))
    assert [e.kind for e in reading.entries] == ["break"]
    assert reading.problems == [
        "2026-11-23.jsonl:2 is of version 9, from a newer breakd",
        "2026-11-23.jsonl:3 is of an unknown kind 'teleport'",
        "2026-11-23.jsonl:4 lacks a kind or a time",
        "2026-11-23.jsonl:5 has no version",
    ]


def test_forgetting_deletes_whole_days_before_the_date_only(tmp_path: Path) -> None:
    directory = tmp_path / "history"
    directory.mkdir()
    for name in ("2026-11-21.jsonl", "2026-11-22.jsonl", "2026-11-23.jsonl", "notes.txt"):
        (directory / name).write_text("")
    assert forget_before(directory, DAY) == 2
    assert sorted(p.name for p in directory.iterdir()) == ["2026-11-23.jsonl", "notes.txt"]
