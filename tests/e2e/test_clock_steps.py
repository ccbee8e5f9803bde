"""The wall clock under a running daemon, faked with libfaketime: a step neither delays nor
hastens a reminder, and the calendar alarm ends active hours on local time.

libfaketime moves only the daemon's wall clock (DONT_FAKE_MONOTONIC=1), read anew at
every call from a file the test rewrites, as NTP or a user setting the clock would.
Nothing asks the daemon for a sample in between: the reminder must come from its own
timer, on the boot clock.

Each test needs a few real seconds to pass, so the module starts all their daemons
together and the waits overlap; each test then reads what its own daemon did.
"""

from __future__ import annotations

import contextlib
import glob
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.desktop import skip_or_fail, wait_until
from tests.e2e.daemon_process import DaemonProcess, isolated_env, unexpected_errors

REMIND_AFTER = 4.0
STEP_AFTER = 1.0
"""How long after its daemon answered a clock is stepped: its timer is armed by then."""
CONFIG = """\
sitting:
  remind_after: 4s
  break_after_idle: 1h
  repeat_every: 0s
notify:
  backend: log
"""
STEPS = ("-30m", "+1d")
CALENDAR = "calendar"
ACTIVE_HOURS_CONFIG = """\
sitting:
  remind_after: 1h
notify:
  backend: log
active_hours:
  days: [mon]
  from: "08:00"
  to: "18:00"
"""


def libfaketime() -> str:
    found = sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))
    if not found:
        skip_or_fail("libfaketime is not installed (Debian: faketime); see README")
    return found[0]


@dataclass
class Run:
    daemon: DaemonProcess
    clock: Path
    """libfaketime's timestamp file: what the daemon's wall clock says."""
    started: float
    answered: float
    at_start: str
    """The daemon's log once it answered."""
    before_step: str = ""
    """The daemon's log just before its clock was stepped."""


def start(
    stopping: contextlib.ExitStack, root: Path, name: str, config: str, clock: str, **env: str
) -> Run:
    workdir = root / name
    workdir.mkdir()
    clock_file = workdir / "faketime"
    clock_file.write_text(clock + "\n")
    daemon = DaemonProcess(workdir, config, env=isolated_env(workdir))
    daemon.env.update(
        LD_PRELOAD=libfaketime(),
        FAKETIME_TIMESTAMP_FILE=str(clock_file),
        DONT_FAKE_MONOTONIC="1",
        **env,
    )
    stopping.callback(daemon.stop)
    started = time.monotonic()
    daemon.start()
    return Run(daemon, clock_file, started, time.monotonic(), daemon.log())


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    """Every test's daemon; each stepped one's clock is stepped STEP_AFTER after it answered.

    One daemon at a time, each stepped before the next starts: a slow start of a later
    daemon (a loaded machine) must not push an earlier one's step past its reminder.
    """
    root = tmp_path_factory.mktemp("clocks")
    started: dict[str, Run] = {}
    with contextlib.ExitStack() as stopping:  # stops every daemon, even if one fails to
        started[CALENDAR] = start(
            stopping,
            root,
            CALENDAR,
            ACTIVE_HOURS_CONFIG,
            "@2026-11-23 17:59:58",
            TZ="Europe/Amsterdam",
        )
        for step in STEPS:
            run = start(stopping, root, step, CONFIG, "+0", FAKETIME_NO_CACHE="1")
            started[step] = run
            time.sleep(max(0.0, run.answered + STEP_AFTER - time.monotonic()))
            run.before_step = run.daemon.log()
            run.clock.write_text(f"{step}\n")
        yield started


@pytest.mark.parametrize("step", STEPS)
def test_a_wall_clock_step_neither_delays_nor_hastens_a_due_reminder(
    runs: dict[str, Run], step: str
) -> None:
    run = runs[step]
    assert "REMINDER " not in run.before_step, "the reminder came before the step"
    wait_until(
        lambda: "REMINDER " in run.daemon.log(),
        timeout=REMIND_AFTER + 5,
        interval=0.02,
        message=f"no reminder after the clock stepped {step}",
    )
    arrived = time.monotonic()
    # Due REMIND_AFTER after the daemon's start, which comes after `started`: never
    # sooner (a step that hastened it would bring it at once, STEP_AFTER after the start),
    # nor much later (a step back that delayed it would hold it for 30 minutes).
    assert run.started + REMIND_AFTER - 0.1 <= arrived <= run.answered + REMIND_AFTER + 3, (
        f"due {REMIND_AFTER:g} s after start; came after {arrived - run.started:.1f} s"
    )


def test_active_hours_end_by_the_calendar_alarm_in_the_local_zone(runs: dict[str, Run]) -> None:
    """APScheduler's cron alarm, for real: the daemon started at 17:59:58 Amsterdam time."""
    run = runs[CALENDAR]
    assert "sitting -> off_hours" not in run.at_start
    log = run.daemon.wait_for_log("sitting -> off_hours", timeout=5)
    assert "18:00:0" in log.split("sitting -> off_hours")[0].splitlines()[-1]


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
