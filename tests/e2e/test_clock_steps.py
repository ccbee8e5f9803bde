"""The wall clock stepped under a running daemon: the reminder still comes on time.

libfaketime moves only the daemon's wall clock (DONT_FAKE_MONOTONIC=1), read anew at
every call from a file the test rewrites, as NTP or a user setting the clock would.
Nothing asks the daemon for a sample in between: the reminder must come from its own
timer, on the boot clock.
"""

from __future__ import annotations

import glob
import time
from pathlib import Path

import pytest

from tests.desktop import skip_or_fail, wait_until
from tests.e2e.daemon_process import DaemonProcess, unexpected_errors

CONFIG = """\
sitting:
  remind_after: 5s
  break_after_idle: 1h
  repeat_every: 0s
notify:
  backend: log
"""


def libfaketime() -> str:
    found = sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))
    if not found:
        skip_or_fail("libfaketime is not installed (Debian: faketime); see README")
    return found[0]


@pytest.mark.parametrize("step", ["-30m", "+1d"])
def test_a_wall_clock_step_neither_delays_nor_hastens_a_due_reminder(
    tmp_path: Path, step: str
) -> None:
    offset = tmp_path / "faketime"
    offset.write_text("+0\n")
    daemon = DaemonProcess(tmp_path, CONFIG)
    daemon.env.update(
        LD_PRELOAD=libfaketime(),
        FAKETIME_TIMESTAMP_FILE=str(offset),
        FAKETIME_NO_CACHE="1",
        DONT_FAKE_MONOTONIC="1",
    )
    started = time.monotonic()
    daemon.start()
    answered = time.monotonic()
    try:
        time.sleep(max(0.0, started + 2 - time.monotonic()))
        offset.write_text(f"{step}\n")
        wait_until(
            lambda: "REMINDER " in daemon.log(),
            timeout=15,
            interval=0.02,
            message=f"no reminder after the clock stepped {step}",
        )
        arrived = time.monotonic()
        assert started + 5 - 1 <= arrived <= answered + 5 + 1, (
            f"due 5 s after start; came after {arrived - started:.1f} s"
        )
        assert "the wall clock was set" not in daemon.log()  # libfaketime sets no real clock
    finally:
        daemon.stop()


def test_the_log_guard_reports_errors_and_tracebacks_it_was_not_told_of() -> None:
    log = (
        "2026-11-30 10:00:00 breakd INFO reminder: Stretch break\n"
        "2026-11-30 10:00:01 breakd ERROR cannot save state to /x: disk full\n"
        "Traceback (most recent call last):\n"
        "2026-11-30 10:00:02 breakd ERROR config reload failed\n"
    )
    assert unexpected_errors(log, ["config reload failed"]) == [
        "2026-11-30 10:00:01 breakd ERROR cannot save state to /x: disk full",
        "Traceback (most recent call last):",
    ]
    assert unexpected_errors(log, ["disk full", "Traceback", "reload"]) == []


def test_active_hours_end_by_the_calendar_alarm_in_the_local_zone(tmp_path: Path) -> None:
    """APScheduler's cron alarm, for real: the daemon starts at 17:59:57 Amsterdam time."""
    clock = tmp_path / "faketime"
    clock.write_text("@2026-11-23 17:59:57\n")
    daemon = DaemonProcess(
        tmp_path,
        CONFIG + 'active_hours:\n  days: [mon]\n  from: "08:00"\n  to: "18:00"\n',
    )
    daemon.env.update(
        TZ="Europe/Amsterdam",
        LD_PRELOAD=libfaketime(),
        FAKETIME_TIMESTAMP_FILE=str(clock),
        DONT_FAKE_MONOTONIC="1",
    )
    daemon.start()
    try:
        assert daemon.log().count("sitting -> off_hours") == 0
        log = daemon.wait_for_log("sitting -> off_hours", timeout=8)
        assert "18:00:0" in log.split("sitting -> off_hours")[0].splitlines()[-1]
    finally:
        daemon.stop()
