"""A state file the daemon cannot use is set aside, and the daemon starts fresh.

The restart itself (what carries over) is in test_daemon_day.py; each kind of bad
value, one by one, in tests/adapters/test_state_file.py.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from breakd.core.tracker import TrackerSnapshot
from tests.adapters.test_atomic_file import killed_mid_write
from tests.inprocess.harness import InProcessDaemon
from tests.inprocess.test_daemon_day import MIN, run

SAVED = {
    "version": 1,
    "saved_at": "2026-11-23T08:59:00+00:00",
    "exercise": "kneeling-lunge",
    "done_count": 3,
    "skipped_count": 0,
    "sitting_since": "2026-11-23T08:30:00+00:00",
    "snoozed_until": None,
    "paused": False,
    "paused_until": None,
}
DEEP = 200_000


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"version": 1, "exercise": ', "is not valid JSON"),
        (json.dumps({"version": 99}), "was written by a newer breakd (state version 99)"),
        (
            json.dumps({**SAVED, "snoozed_until": "9999-12-31T23:59:59-14:00"}),
            "has a 'snoozed_until' time out of range (9999-12-31T23:59:59-14:00)",
        ),
        (
            json.dumps({**SAVED, "saved_at": "9999-12-31T23:59:59+00:00"}),
            "has a 'saved_at' time out of range (9999-12-31T23:59:59+00:00)",
        ),
        ('{"version": 1, "x": ' + "[" * DEEP + "]" * DEEP + "}", "is nested too deeply"),
        (json.dumps({**SAVED, "padding": "x" * 1024 * 1024}), "is larger than 1 MiB"),
    ],
    ids=["corrupt", "newer", "year-9999-offset", "year-9999", "nested-200k", "over-1MiB"],
)
def test_an_unusable_state_file_is_set_aside_not_fatal(
    tmp_path: Path, text: str, said: str
) -> None:
    (tmp_path / "state.json").write_text(text)

    async def scenario(d: InProcessDaemon) -> None:
        status = await d.status()
        assert (status["exercise"], status["done_count"]) == ("standing-lunge", 0)

    daemon = run(tmp_path, scenario)
    [aside] = tmp_path.glob("state.json.unreadable-*")
    assert aside.read_text() == text
    state_file = tmp_path / "state.json"
    [warning] = [m for m in daemon.guard.messages() if m.startswith("state file ")]
    assert warning.startswith(f"state file {state_file} {said}")
    assert warning.endswith(f"; moved it to {aside} and started fresh")


def test_a_symlink_at_the_state_path_is_not_followed_either_way(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "someone-elses.json"
    target.write_text(json.dumps(SAVED))
    (tmp_path / "state.json").symlink_to(target)

    async def scenario(d: InProcessDaemon) -> None:
        assert (await d.status())["done_count"] == 0  # not the 3 the link points at
        assert (await d.cli("remind-now"))["ok"]
        assert (await d.cli("done"))["ok"]

    daemon = run(tmp_path, scenario)
    assert target.read_text() == json.dumps(SAVED)
    [aside] = tmp_path.glob("state.json.unreadable-*")
    assert aside.readlink() == target
    saved = json.loads((tmp_path / "state.json").read_text())  # a file of its own now
    assert saved["done_count"] == 1
    assert not (tmp_path / "state.json").is_symlink()
    [warning] = [m for m in daemon.guard.messages() if m.startswith("state file ")]
    assert "is a symbolic link (not followed); moved it to" in warning


def test_what_a_killed_save_left_is_removed_at_start(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(SAVED))
    leftover = killed_mid_write(state_file)

    async def scenario(d: InProcessDaemon) -> None:
        assert not leftover.exists()
        assert (await d.status())["done_count"] == 3  # the old file is intact

    run(tmp_path, scenario)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yaml", "state.json"]


class DiskFull:
    """A state store on a full disk: each save is a real write the kernel refuses
    with ENOSPC (/dev/full), until `path` is moved somewhere with room."""

    def __init__(self) -> None:
        self.path = Path("/dev/full")

    def load(self) -> None:
        return None

    def save(self, snapshot: TrackerSnapshot, saved_at: object) -> None:
        with self.path.open("wb") as file:
            file.write(json.dumps(snapshot.exercise).encode())


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_logged_once_a_minute_with_a_count(tmp_path: Path) -> None:
    full = "cannot save state to /dev/full: No space left on device"

    def lines(d: InProcessDaemon) -> list[str]:
        return [m for m in d.guard.messages() if m.startswith("cannot save state")]

    async def main() -> InProcessDaemon:
        d = InProcessDaemon(tmp_path)
        d.store = store = DiskFull()
        d.guard.expected.append(full)
        async with d:
            for command in ("remind-now", "snooze") * 15:
                assert (await d.cli(command))["ok"]
            assert lines(d) == [full]
            await d.advance(MIN)
            assert (await d.cli("remind-now"))["ok"]
            assert len(lines(d)) == 2
            held = re.fullmatch(re.escape(full) + r" \((\d+) more times\)", lines(d)[1])
            assert held is not None and int(held[1]) >= 60, lines(d)
            store.path = tmp_path / "state.json"  # room again
            assert (await d.cli("snooze"))["ok"]
            assert f"state saved to {store.path} again" in d.guard.messages()
            store.path = Path("/dev/full")
            for command in ("remind-now", "snooze") * 3:
                assert (await d.cli(command))["ok"]
            assert lines(d)[2:] == [full]  # news again at once
        return d

    daemon = asyncio.run(main())
    assert len(lines(daemon)) == 4  # the last save, as it stops, says how many came between
    assert re.fullmatch(re.escape(full) + r" \(\d+ more times\)", lines(daemon)[3])
