"""The real daemon as a subprocess with a seconds-scale config, driven through the real CLI.

No X display here, so the daemon has no idle source and counts the user as present;
reminders go to the log backend, which the tests read. The desktop tests cover the
X11 source and real notifications.
"""

from __future__ import annotations

import json
import os
import signal
import stat
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from breakd import paths
from tests.desktop import wait_until
from tests.e2e.daemon_process import FAST_CONFIG, DaemonProcess, cli

REMINDER = "REMINDER Stretch break: "


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[DaemonProcess]:
    process = DaemonProcess(tmp_path)
    process.start()
    yield process
    process.stop()


def seconds_until(iso: object) -> float:
    return (datetime.fromisoformat(str(iso)) - datetime.now().astimezone()).total_seconds()


def test_status_reports_every_documented_field(daemon: DaemonProcess) -> None:
    status = daemon.status()
    for key in (
        "state",
        "sitting_seconds",
        "next_reminder_at",
        "snoozed_until",
        "paused_until",
        "exercise",
        "idle_source",
    ):
        assert key in status, key
    assert status["state"] in ("sitting", "reminding")
    assert status["exercise"] == "standing-lunge"
    assert status["idle_source"] is None
    human = daemon.cli("status")
    assert human.returncode == 0
    assert "Standing lunge" in human.stdout


def test_a_reminder_naming_the_stretch_arrives_after_remind_after(daemon: DaemonProcess) -> None:
    status = daemon.wait_for_state("reminding", timeout=8)
    assert status["exercise"] == "standing-lunge"
    log = daemon.wait_for_log(REMINDER + "Standing lunge")
    assert "Navel in" in log
    assert "Hold 30 s each side." in log


def test_snooze_from_the_cli_puts_the_reminder_off(daemon: DaemonProcess) -> None:
    daemon.wait_for_state("reminding")
    result = daemon.cli("snooze", "10m")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Snoozed until ")
    status = daemon.status()
    assert status["state"] == "snoozed"
    assert 590 < seconds_until(status["snoozed_until"]) <= 600


def test_snooze_without_a_duration_uses_the_configured_default(daemon: DaemonProcess) -> None:
    daemon.wait_for_state("reminding")
    daemon.cli("snooze")
    assert 590 < seconds_until(daemon.status()["snoozed_until"]) <= 600


def test_done_restarts_sitting_and_moves_to_the_next_stretch(daemon: DaemonProcess) -> None:
    daemon.wait_for_state("reminding")
    result = daemon.cli("done")
    assert result.returncode == 0, result.stderr
    assert "Half-kneeling lunge" in result.stdout
    status = daemon.status()
    assert status["state"] == "sitting"
    assert status["exercise"] == "kneeling-lunge"
    assert status["done_count"] == 1
    assert status["sitting_seconds"] <= 2
    daemon.wait_for_log(REMINDER + "Half-kneeling lunge")


def test_skip_restarts_sitting_but_keeps_the_stretch(daemon: DaemonProcess) -> None:
    daemon.wait_for_state("reminding")
    assert daemon.cli("skip").returncode == 0
    status = daemon.status()
    assert (status["state"], status["exercise"]) == ("sitting", "standing-lunge")
    assert (status["done_count"], status["skipped_count"]) == (0, 1)


def test_pause_holds_reminders_and_resume_ends_the_pause(daemon: DaemonProcess) -> None:
    result = daemon.cli("pause", "1h")
    assert result.returncode == 0, result.stderr
    status = daemon.status()
    assert status["state"] == "paused"
    assert 3590 < seconds_until(status["paused_until"]) <= 3600
    rejected = daemon.cli("remind-now")
    assert rejected.returncode == 1
    assert (
        rejected.stderr.strip()
        == "breakd: cannot remind-now now: breakd is paused; run `breakd resume` first"
    )
    assert daemon.cli("resume").returncode == 0
    assert daemon.status()["state"] in ("sitting", "reminding")
    again = daemon.cli("resume")
    assert again.returncode == 1
    assert "not paused" in again.stderr


def test_pause_without_duration_lasts_until_resumed(daemon: DaemonProcess) -> None:
    daemon.cli("pause")
    status = daemon.status()
    assert (status["state"], status["paused_until"]) == ("paused", None)
    assert "breakd resume" in daemon.cli("status").stdout


def test_remind_now_shows_the_stretch_at_once(tmp_path: Path) -> None:
    slow = DaemonProcess(tmp_path, FAST_CONFIG.replace("remind_after: 3s", "remind_after: 1h"))
    slow.start()
    try:
        assert slow.status()["state"] == "sitting"
        result = slow.cli("remind-now")
        assert result.returncode == 0, result.stderr
        assert slow.status()["state"] == "reminding"
        slow.wait_for_log(REMINDER + "Standing lunge")
    finally:
        slow.stop()


def test_unanswered_reminders_repeat(tmp_path: Path) -> None:
    repeating = DaemonProcess(tmp_path, FAST_CONFIG.replace("repeat_every: 0s", "repeat_every: 1s"))
    repeating.start()
    try:
        log = repeating.wait_for_log("REMINDER Still sitting: Standing lunge", count=2)
        assert log.count(REMINDER + "Standing lunge") == 1
    finally:
        repeating.stop()


def test_a_second_daemon_refuses_to_start(daemon: DaemonProcess) -> None:
    second = daemon.cli("--config", str(daemon.config), "run")
    assert second.returncode == 1
    assert second.stderr.strip() == f"breakd: breakd is already running (pid {daemon.proc.pid})"
    assert daemon.status()["pid"] == daemon.proc.pid


def test_sighup_with_a_bad_config_keeps_the_running_one(daemon: DaemonProcess) -> None:
    daemon.expected_errors += ["config reload failed", f"{daemon.config}:"]
    daemon.config.write_text("sitting:\n  remind_after: 45\n  break_after_idel: 5m\n")
    daemon.signal(signal.SIGHUP)
    log = daemon.wait_for_log("config reload failed")
    assert f"{daemon.config}:2: sitting.remind_after:" in log
    assert f'{daemon.config}:3: sitting: unknown key "break_after_idel"' in log
    assert "Traceback" not in log
    daemon.wait_for_state("reminding")

    daemon.config.write_text(FAST_CONFIG.replace("language: en", "") + "language: nl\n")
    daemon.signal(signal.SIGHUP)
    daemon.wait_for_log("config reloaded")
    assert daemon.status()["exercise_name"] == "Staande uitvalspas"


def test_sigterm_stops_cleanly_and_removes_the_socket(daemon: DaemonProcess) -> None:
    socket_path = Path(daemon.env["XDG_RUNTIME_DIR"]) / "breakd" / "control.sock"
    assert socket_path.exists()
    assert daemon.stop() == 0
    assert not socket_path.exists()
    assert "Traceback" not in daemon.log()


def test_the_control_socket_is_private(daemon: DaemonProcess) -> None:
    socket_path = paths.socket_path()
    assert stat.S_IMODE(socket_path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(socket_path.stat().st_mode) == 0o600
    assert stat.S_ISSOCK(socket_path.stat().st_mode)


def test_with_no_daemon_every_client_command_says_so_in_one_line() -> None:
    for command in ("status", "snooze", "done", "skip", "pause", "resume", "remind-now"):
        result = cli(command)
        assert result.returncode == 3, command
        assert result.stderr == "breakd: breakd is not running (start it with `breakd run`)\n"


def test_state_survives_a_restart(tmp_path: Path) -> None:
    first = DaemonProcess(tmp_path, FAST_CONFIG.replace("remind_after: 3s", "remind_after: 1h"))
    first.start()
    first.cli("done")
    first.cli("snooze", "20m")
    assert first.stop() == 0
    second = DaemonProcess(tmp_path, config_text=None)
    second.start()
    try:
        status = second.status()
        assert status["exercise"] == "kneeling-lunge"
        assert status["done_count"] == 1
        assert status["state"] == "snoozed"
        assert 1190 < seconds_until(status["snoozed_until"]) <= 1200
    finally:
        second.stop()


def test_a_corrupt_state_file_is_set_aside_not_fatal(tmp_path: Path) -> None:
    state_dir = Path(os.environ["XDG_STATE_HOME"]) / "breakd"
    state_dir.mkdir(parents=True)
    (state_dir / "state.json").write_text('{"version": 1, "exercise": ')
    process = DaemonProcess(tmp_path).start()
    try:
        log = process.wait_for_log("is not valid JSON; moved it to")
        assert "Traceback" not in log
        assert list(state_dir.glob("state.json.unreadable-*"))
        assert process.status()["exercise"] == "standing-lunge"
    finally:
        process.stop()


def test_a_state_file_from_a_newer_breakd_is_set_aside(tmp_path: Path) -> None:
    state_dir = Path(os.environ["XDG_STATE_HOME"]) / "breakd"
    state_dir.mkdir(parents=True)
    (state_dir / "state.json").write_text(json.dumps({"version": 99}))
    process = DaemonProcess(tmp_path).start()
    try:
        process.wait_for_log("was written by a newer breakd (state version 99)")
    finally:
        process.stop()


def test_state_is_written_atomically_and_is_valid_json(daemon: DaemonProcess) -> None:
    daemon.cli("done")
    state_file = Path(os.environ["XDG_STATE_HOME"]) / "breakd" / "state.json"
    data = wait_until(lambda: state_file.exists() and json.loads(state_file.read_text()))
    assert data["exercise"] == "kneeling-lunge"
    assert not list(state_file.parent.glob(".state.*"))
    saved = datetime.fromisoformat(data["saved_at"])
    assert abs(datetime.now().astimezone() - saved) < timedelta(seconds=30)


def test_auto_falls_back_to_the_log_and_says_why_when_no_desktop_is_reachable(
    tmp_path: Path,
) -> None:
    process = DaemonProcess(tmp_path, FAST_CONFIG.replace("backend: log", "backend: auto"))
    process.start()
    try:
        log = process.wait_for_log(REMINDER + "Standing lunge")
        assert "no D-Bus session bus, so no desktop notification can be shown; falling back" in log
        assert "reminders now go through log" in log
        assert process.status()["notifier"] == "log"
    finally:
        process.stop()
