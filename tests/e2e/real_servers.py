"""What the tests against real notification servers share (mako, swaync, xfce4-notifyd):
the daemon's config, its start (into the `daemons` fixture of conftest.py), and
`breakd doctor`'s rows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from tests.e2e.daemon_process import DaemonProcess, cli

CONFIG = """\
sitting:
  remind_after: {remind_after}
  break_after_idle: 1h
  repeat_every: 0s
notify:
  backend: dbus
log:
  level: debug
dont_interrupt:
  settle: 1s
  signals:
    fullscreen: false
    camera: false
    inhibitors: "off"
"""
ACTION_KEYS = ["default", "done", "skip", "snooze:300", "snooze:600", "snooze:1800"]
"""A reminder's action keys, in order, where the server shows buttons."""
DEBOUNCE, SETTLE = 2.0, 1.0
"""The do-not-disturb debounce and CONFIG's settle: how soon a held prompt may follow."""
_COLUMNS = re.compile(r" {2,}")


class Session(Protocol):
    def subprocess_env(self) -> dict[str, str]: ...


def start(
    session: Session, workdir: Path, daemons: list[DaemonProcess], remind_after: str
) -> DaemonProcess:
    config = CONFIG.format(remind_after=remind_after)
    daemon = DaemonProcess(workdir, config, env=session.subprocess_env()).start()
    daemons.append(daemon)
    return daemon


def doctor_rows(session: Session) -> dict[str, list[str]]:
    """`breakd doctor`'s table, by row name: its state and what it says."""
    result = cli("doctor", env=session.subprocess_env())
    assert (result.returncode, result.stderr) == (0, "")
    table = result.stdout.split("\n\n")[0]
    return {row[1]: row[2:] for row in (_COLUMNS.split(line) for line in table.splitlines())}
