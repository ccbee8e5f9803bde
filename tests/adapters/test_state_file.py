"""The state file on disk: what is read back is in range, and anything else is set aside.

Each case writes a real file (or a FIFO, a directory, a link) at the state path and
loads it as the daemon does at start: the load returns at once, with a snapshot whose
every value the tracker can use, or None with the thing moved aside and one warning.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from breakd.adapters.storage import JsonStateFile
from breakd.core.tracker import TrackerSnapshot

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
GOOD = {
    "version": 1,
    "saved_at": "2026-11-23T08:59:00+01:00",
    "exercise": "kneeling-lunge",
    "done_count": 2,
    "skipped_count": 1,
    "sitting_since": "2026-11-23T08:30:00+00:00",
    "snoozed_until": "2026-11-23T09:05:00+00:00",
    "paused": False,
    "paused_until": None,
}


def store_at(tmp_path: Path) -> JsonStateFile:
    return JsonStateFile(tmp_path / "state.json", lambda: NOW)


def load_refused(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> str:
    """Load what is at the state path, expecting it set aside; the one warning."""
    caplog.set_level(logging.INFO, logger="breakd")
    assert store_at(tmp_path).load() is None
    assert not os.path.lexists(tmp_path / "state.json")
    [aside] = tmp_path.glob("state.json.unreadable-*")
    [warning] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warning.endswith(f"; moved it to {aside} and started fresh")
    return warning.removeprefix(f"state file {tmp_path / 'state.json'} ").split(";")[0]


def test_a_good_file_is_read_back_with_its_offsets(tmp_path: Path) -> None:
    (tmp_path / "state.json").write_text(json.dumps(GOOD))
    snapshot, saved_at = store_at(tmp_path).load() or (None, None)
    assert saved_at == datetime(2026, 11, 23, 8, 59, tzinfo=timezone(timedelta(hours=1)))
    assert snapshot == TrackerSnapshot(
        exercise="kneeling-lunge",
        done_count=2,
        skipped_count=1,
        sitting_since=datetime(2026, 11, 23, 8, 30, tzinfo=timezone.utc),
        snoozed_until=datetime(2026, 11, 23, 9, 5, tzinfo=timezone.utc),
    )


def test_an_exercise_this_breakd_does_not_know_becomes_the_first(tmp_path: Path) -> None:
    (tmp_path / "state.json").write_text(json.dumps({**GOOD, "exercise": "handstand"}))
    loaded = store_at(tmp_path).load()
    assert loaded is not None
    assert loaded[0].exercise == "standing-lunge"


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("snoozed_until", "9999-12-31T23:59:59-14:00", "time out of range"),
        ("paused_until", "0001-01-01T00:00:00+14:00", "time out of range"),
        ("saved_at", "1999-12-31T23:59:59+00:00", "time out of range"),
        ("sitting_since", "9999-12-31T23:59:59+00:00", "time out of range"),
        ("snoozed_until", "2026-11-24T09:00:01+00:00", "time out of range"),  # over a day ahead
        ("paused_until", "2026-11-23T10:00:00", "time without a UTC offset"),
        ("saved_at", "yesterday", "bad 'saved_at' time"),
        ("saved_at", 1764000000, "bad 'saved_at' time"),
        ("saved_at", "2026-11-23T09:00:00+00:00" + " " * 100_000, "bad 'saved_at' time"),
        ("done_count", -1, "out of range"),
        ("done_count", 10**12, "out of range"),
        ("done_count", 2.0, "expected int"),
        ("skipped_count", True, "expected int"),
        ("paused", 1, "expected bool"),
        ("exercise", ["standing-lunge"], "expected str"),
        ("version", True, "no valid version"),
    ],
)
def test_a_value_out_of_range_or_of_the_wrong_type_sets_the_file_aside(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, key: str, value: object, said: str
) -> None:
    text = json.dumps({**GOOD, key: value})
    (tmp_path / "state.json").write_text(text)
    warning = load_refused(tmp_path, caplog)
    assert said in warning
    assert len(warning) < 200, "the warning quotes the whole value"
    [aside] = tmp_path.glob("state.json.unreadable-*")
    assert aside.read_text() == text


def test_a_file_nested_200000_deep_is_set_aside(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    depth = 200_000
    (tmp_path / "state.json").write_text(
        json.dumps(GOOD)[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}"
    )
    assert load_refused(tmp_path, caplog) == "is nested too deeply to be a state file"


def test_a_file_over_a_mebibyte_is_set_aside_unparsed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "state.json").write_text(json.dumps({**GOOD, "padding": "x" * 1024 * 1024}))
    assert load_refused(tmp_path, caplog) == "is larger than 1 MiB"


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_directory(path: Path) -> None:
    path.mkdir()
    (path / "inside").write_text("kept")


def make_zero_device(path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to make a device node")
    zero = os.stat("/dev/zero").st_rdev
    os.mknod(path, stat.S_IFCHR | 0o600, zero)


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (make_fifo, "is not a regular file (a named pipe)"),
        (make_directory, "is not a regular file (a directory)"),
        (make_zero_device, "is not a regular file (a character device)"),
    ],
    ids=["fifo", "directory", "dev-zero"],
)
def test_what_is_not_a_regular_file_is_set_aside_without_a_wait(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, make: object, said: str
) -> None:
    make(tmp_path / "state.json")  # type: ignore[operator]
    assert load_refused(tmp_path, caplog) == said


def untouched(path: Path) -> tuple[int, int, int]:
    """What a write to `path` would change (its access time aside)."""
    info = os.stat(path)
    return info.st_ino, info.st_size, info.st_mtime_ns


@pytest.mark.parametrize("target", ["elsewhere.json", "/dev/zero"])
def test_a_symlink_at_the_state_path_is_set_aside_and_its_target_left_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, target: str
) -> None:
    pointed = tmp_path / target
    if target == "elsewhere.json":
        pointed.write_text(json.dumps(GOOD))
    before = untouched(pointed)
    (tmp_path / "state.json").symlink_to(pointed)
    assert load_refused(tmp_path, caplog) == "is a symbolic link (not followed)"
    [aside] = tmp_path.glob("state.json.unreadable-*")
    assert aside.is_symlink() and aside.readlink() == pointed
    store_at(tmp_path).save(TrackerSnapshot("standing-lunge"), NOW)
    assert not (tmp_path / "state.json").is_symlink()
    assert untouched(pointed) == before


def test_a_symlink_planted_after_the_start_is_replaced_not_written_through(
    tmp_path: Path,
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "state.json").symlink_to(victim)
    store_at(tmp_path).save(TrackerSnapshot("standing-lunge", done_count=4), NOW)
    assert victim.read_text() == "precious"
    assert json.loads((tmp_path / "state.json").read_text())["done_count"] == 4
