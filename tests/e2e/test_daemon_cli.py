"""The real daemon as a subprocess, driven through the real CLI as a user runs it.

What only a real process shows: the commands' output and exit codes, one daemon per
user, the socket's modes, SIGHUP and SIGTERM, the state file in the XDG state dir,
and the notifier chosen when no desktop is reachable. Most tests share one daemon
(with remind_after 1h nothing happens unless a test asks), each starting from
`sitting`. What the commands do to the tracker (to the second, over a fake clock),
reminders and their repeats, and the state across a restart are tested in-process
(tests/inprocess/).

No X display and no session bus here, so the daemon has no idle source and counts
the user as present, and `notify.backend: auto` ends at the log, which tests read.
"""

from __future__ import annotations

import json
import signal
import stat
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.desktop import wait_until
from tests.e2e.daemon_process import DaemonProcess, cli, isolated_env

CONFIG = """\
sitting:
  remind_after: 1h
  break_after_idle: 1h
  repeat_every: 0s
notify:
  backend: auto
log:
  level: debug
"""
DUTCH = {
    "standing-lunge": "Staande uitvalspas",
    "kneeling-lunge": "Halfknielende uitvalspas",
    "prone-press-up": "Opdrukken in buiklig",
}


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    workdir = tmp_path_factory.mktemp("daemon")
    process = DaemonProcess(workdir, CONFIG, env=isolated_env(workdir)).start()
    yield process
    process.stop()


@pytest.fixture
def daemon(shared: DaemonProcess) -> DaemonProcess:
    """The shared daemon, sitting: a pause ended, a reminder or a snooze let go."""
    state = shared.status()["state"]
    if state == "paused":
        assert shared.cli("resume").returncode == 0
    elif state in ("reminding", "snoozed"):
        assert shared.cli("skip").returncode == 0
    assert shared.status()["state"] == "sitting"
    return shared


def seconds_until(iso: object) -> float:
    return (datetime.fromisoformat(str(iso)) - datetime.now().astimezone()).total_seconds()


def test_status_reports_every_documented_field(daemon: DaemonProcess) -> None:
    result = daemon.cli("status", "--json")
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    documented = (
        "state sitting_seconds next_reminder_at snoozed_until paused_until exercise"
        " exercise_name done_count skipped_count idle_seconds idle_source locked inhibited"
        " deferred notifier config pid version"
    )
    for key in documented.split():
        assert key in status, key
    assert status["exercise"] in DUTCH
    assert status["idle_source"] is None
    assert status["config"] == str(daemon.config)
    human = daemon.cli("status")
    assert human.returncode == 0
    assert status["exercise_name"] in human.stdout


def test_snooze_from_the_cli_by_the_given_time_or_the_default(daemon: DaemonProcess) -> None:
    result = daemon.cli("snooze", "20m")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Snoozed until ")
    status = daemon.status()
    assert status["state"] == "snoozed"
    assert 1190 < seconds_until(status["snoozed_until"]) <= 1200
    assert status["snoozed_until"][11:16] in result.stdout

    assert daemon.cli("snooze").returncode == 0  # snooze.default: 10m
    assert 590 < seconds_until(daemon.status()["snoozed_until"]) <= 600


def test_done_names_the_next_stretch_and_skip_keeps_it(daemon: DaemonProcess) -> None:
    assert daemon.cli("remind-now").returncode == 0
    before = daemon.status()
    result = daemon.cli("done")
    assert result.returncode == 0, result.stderr
    status = daemon.status()
    assert result.stdout == f"Well done. Next stretch: {status['exercise_name']}.\n"
    assert status["exercise"] != before["exercise"]
    assert status["state"] == "sitting"
    assert status["done_count"] == before["done_count"] + 1
    assert status["sitting_seconds"] <= 2

    again = daemon.cli("done")  # no reminder since: the same stretch is not counted twice
    assert (again.returncode, again.stdout) == (1, "")
    assert again.stderr == (
        "breakd: Already counted: no reminder has come since your last answer;"
        " `breakd status` says when.\n"
    )
    assert daemon.status()["done_count"] == status["done_count"]

    assert daemon.cli("remind-now").returncode == 0
    result = daemon.cli("skip")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Skipped; sitting time starts again from 0.\n"
    after = daemon.status()
    assert (after["state"], after["exercise"]) == ("sitting", status["exercise"])
    assert (after["done_count"], after["skipped_count"]) == (
        status["done_count"],
        status["skipped_count"] + 1,
    )


def test_pause_holds_reminders_and_resume_ends_the_pause(daemon: DaemonProcess) -> None:
    result = daemon.cli("pause", "1h")
    assert result.returncode == 0, result.stderr
    status = daemon.status()
    assert status["state"] == "paused"
    assert 3590 < seconds_until(status["paused_until"]) <= 3600
    rejected = daemon.cli("remind-now")
    assert rejected.returncode == 1
    assert rejected.stderr.strip() == "breakd: Reminders are paused; run `breakd resume` first."
    assert daemon.cli("resume").returncode == 0
    assert daemon.status()["state"] == "sitting"
    again = daemon.cli("resume")
    assert again.returncode == 1
    assert "not paused" in again.stderr

    assert daemon.cli("pause").returncode == 0  # until resumed
    status = daemon.status()
    assert (status["state"], status["paused_until"]) == ("paused", None)
    assert "breakd resume" in daemon.cli("status").stdout


def test_remind_now_shows_the_stretch_through_the_log_with_no_desktop(
    daemon: DaemonProcess,
) -> None:
    summary = daemon.wait_for_log("not here: ")
    assert "; notifiers dbus" in summary
    assert daemon.status()["notifier"] == "log"  # what the start-up check found working
    mark = daemon.log_mark()
    result = daemon.cli("remind-now")
    assert result.returncode == 0, result.stderr
    status = daemon.status()
    assert status["state"] == "reminding"
    assert result.stdout == f"Reminder shown: {status['exercise_name']}.\n"
    log = daemon.wait_for_log(f"REMINDER Stretch break: {status['exercise_name']} | ", after=mark)
    assert "INFO REMINDER" in log
    # D-Bus and plyer fail at each reminder, as the start-up summary said they would: no
    # warning says it again, and the route does not change.
    whole = daemon.log()
    assert "WARNING no D-Bus session bus" not in whole
    assert "reminders now go through" not in whole
    assert daemon.status()["notifier"] == "log"


def test_a_second_daemon_refuses_to_start(daemon: DaemonProcess) -> None:
    assert daemon.proc is not None
    second = daemon.cli("--config", str(daemon.config), "run")
    assert second.returncode == 1
    assert second.stderr.strip() == f"breakd: breakd is already running (pid {daemon.proc.pid})"
    assert daemon.status()["pid"] == daemon.proc.pid


def test_the_control_socket_is_private(daemon: DaemonProcess) -> None:
    socket_path = daemon.socket_path
    assert stat.S_IMODE(socket_path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(socket_path.stat().st_mode) == 0o600
    assert stat.S_ISSOCK(socket_path.stat().st_mode)


def test_sighup_with_a_bad_config_keeps_the_running_one(daemon: DaemonProcess) -> None:
    daemon.expected_errors += ["config reload failed", f"{daemon.config}:"]
    mark = daemon.log_mark()
    try:
        daemon.config.write_text("sitting:\n  remind_after: 45\n  break_after_idel: 5m\n")
        daemon.signal(signal.SIGHUP)
        log = daemon.wait_for_log("config reload failed", after=mark)
        assert f"{daemon.config}:2: sitting.remind_after:" in log
        assert f'{daemon.config}:3: sitting: unknown key "break_after_idel"' in log
        assert "Traceback" not in log
        status = daemon.status()
        assert 3500 < seconds_until(status["next_reminder_at"]) <= 3600  # still 1h, not 45 s

        daemon.config.write_text(CONFIG + "language: nl\n")
        daemon.signal(signal.SIGHUP)
        daemon.wait_for_log("config reloaded", after=mark)
        assert daemon.status()["exercise_name"] == DUTCH[status["exercise"]]
    finally:
        mark = daemon.log_mark()
        daemon.config.write_text(CONFIG)
        daemon.signal(signal.SIGHUP)
        daemon.wait_for_log("config reloaded", after=mark)


def test_with_no_daemon_every_client_command_says_so_in_one_line() -> None:
    for command in ("status", "snooze", "done", "skip", "pause", "resume", "remind-now"):
        result = cli(command)
        assert result.returncode == 3, command
        assert result.stderr == "breakd: breakd is not running (start it with `breakd run`)\n"


def test_sigterm_saves_the_state_stops_cleanly_and_removes_the_socket(tmp_path: Path) -> None:
    daemon = DaemonProcess(tmp_path, CONFIG).start()
    try:
        state_file = Path(daemon.env["XDG_STATE_HOME"]) / "breakd" / "state.json"
        assert daemon.cli("done").returncode == 0
        data = wait_until(lambda: state_file.exists() and json.loads(state_file.read_text()))
        assert data["exercise"] == "kneeling-lunge"
        assert not list(state_file.parent.glob(".state.*"))  # written aside, then moved in place
        saved = datetime.fromisoformat(data["saved_at"])
        assert abs(datetime.now().astimezone() - saved) < timedelta(seconds=30)

        assert daemon.socket_path.exists()
        assert daemon.stop() == 0
        assert not daemon.socket_path.exists()
        assert "Traceback" not in daemon.log()
        assert json.loads(state_file.read_text())["done_count"] == 1
        assert not list(state_file.parent.glob(".state.*"))
    finally:
        daemon.stop()
