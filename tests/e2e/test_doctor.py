"""`breakd doctor` through the real CLI: on this bare machine, on an X11 desktop, and on
private buses with stand-in GNOME, KDE and logind services. No daemon runs in any of them.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.dbus_services import (
    GnomeSessionManager,
    Login1,
    MutterIdleMonitor,
    ScreenSaver,
    private_buses,
    service_host,
)
from tests.desktop import DesktopSession
from tests.e2e.daemon_process import cli

IDLE_SOURCES = [
    "mutter-idle-monitor",
    "freedesktop-screensaver",
    "x11-screensaver",
    "wayland-ext-idle-notify",
    "macos-iokit-hid",
    "windows-last-input",
]
SESSION_SOURCES = ["logind", "screensaver", "gnome-session-manager"]
COLUMNS = re.compile(r" {2,}")
"""Columns are separated by two or more spaces; a status ("in use") has one inside."""
COLUMN = re.compile(r"(?:^|(?<=  ))\S")


def doctor(env: dict[str, str]) -> tuple[list[list[str]], dict[str, Any]]:
    """The text lines split into their four columns, and the JSON."""
    text = cli("doctor", env=env)
    assert (text.returncode, text.stderr) == (0, "")
    lines = text.stdout.splitlines()
    assert len(lines) == len(IDLE_SOURCES) + len(SESSION_SOURCES)
    column_starts = {tuple(m.start() for m in COLUMN.finditer(line))[:4] for line in lines}
    assert len(column_starts) == 1, f"not aligned:\n{text.stdout}"
    rows = [COLUMNS.split(line, maxsplit=3) for line in lines]
    as_json = cli("doctor", "--json", env=env)
    assert as_json.returncode == 0, as_json.stderr
    return rows, json.loads(as_json.stdout)


def statuses(rows: list[list[str]]) -> dict[str, str]:
    return {name: status for _kind, name, status, _detail in rows}


def details(rows: list[list[str]]) -> dict[str, str]:
    return {name: detail for _kind, name, _status, detail in rows}


def bare_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    env["DBUS_SYSTEM_BUS_ADDRESS"] = f"unix:path={tmp_path / 'no-system-bus'}"
    return env


def test_doctor_on_a_machine_with_no_desktop_says_what_each_source_lacks(tmp_path: Path) -> None:
    rows, document = doctor(bare_env(tmp_path))

    assert [row[1] for row in rows] == IDLE_SOURCES + SESSION_SOURCES
    assert [row[0] for row in rows] == ["idle"] * 6 + ["session"] * 3
    assert set(statuses(rows).values()) == {"unavailable"}
    said = details(rows)
    assert said["mutter-idle-monitor"].startswith("no D-Bus session bus")
    assert said["x11-screensaver"] == "DISPLAY is not set (no X11 session)"
    assert said["wayland-ext-idle-notify"] == "WAYLAND_DISPLAY is not set (no Wayland session)"
    assert said["macos-iokit-hid"] == "not on macOS"
    assert said["windows-last-input"] == "not on Windows"
    assert said["logind"].startswith("cannot connect to the system bus at unix:path=")
    assert document["idle_source"] is None
    assert [entry["name"] for entry in document["idle_sources"]] == IDLE_SOURCES
    assert [entry["status"] for entry in document["session_sources"]] == ["unavailable"] * 3


@pytest.mark.desktop
def test_doctor_on_an_x11_desktop_uses_the_x_server(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    env = desktop.subprocess_env(DBUS_SYSTEM_BUS_ADDRESS=f"unix:path={tmp_path / 'none'}")
    rows, document = doctor(env)

    assert statuses(rows)["x11-screensaver"] == "in use"
    assert details(rows)["x11-screensaver"].startswith(
        "the X server's MIT-SCREEN-SAVER idle time; idle for "
    )
    assert details(rows)["mutter-idle-monitor"] == (
        "no org.gnome.Mutter.IdleMonitor on the session bus (not a GNOME session)"
    )
    assert document["idle_source"] == "x11-screensaver"


def test_doctor_with_gnome_kde_and_logind_stand_ins(tmp_path: Path) -> None:
    with private_buses(tmp_path) as buses, service_host() as host:
        MutterIdleMonitor(host, buses.session_address, idle_ms=61_000).start()
        ScreenSaver(host, buses.session_address, idle_ms=5_000).start()
        GnomeSessionManager(host, buses.session_address).start().add_inhibitor(8)
        Login1(host, buses.system_address, locked=True).start()
        rows, document = doctor(buses.env())

    assert statuses(rows) == {
        "mutter-idle-monitor": "in use",
        "freedesktop-screensaver": "works",
        "x11-screensaver": "unavailable",
        "wayland-ext-idle-notify": "unavailable",
        "macos-iokit-hid": "unavailable",
        "windows-last-input": "unavailable",
        "logind": "in use",
        "screensaver": "in use",
        "gnome-session-manager": "in use",
    }
    said = details(rows)
    assert said["mutter-idle-monitor"] == (
        "GNOME's org.gnome.Mutter.IdleMonitor on the session bus; idle for 61 s"
    )
    assert said["logind"] == (
        "suspend, lock state of session 7 and idle inhibitors (now: locked, no idle inhibitor)"
    )
    assert said["screensaver"] == "ActiveChanged from org.freedesktop.ScreenSaver (not active)"
    assert said["gnome-session-manager"] == (
        "idle inhibitors from org.gnome.SessionManager (now: held)"
    )
    assert document["idle_source"] == "mutter-idle-monitor"
