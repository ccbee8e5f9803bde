"""`breakd doctor` through the real CLI: on this bare machine, on an X11 desktop, and on
private buses with stand-in GNOME, KDE and logind services; with busy signals switched
off in the config. No daemon runs in any of them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from breakd.adapters.table import ADAPTERS, of_kind
from tests.dbus_services import (
    GnomeSessionManager,
    Login1,
    MutterIdleMonitor,
    PlasmaNotifications,
    ScreenSaver,
    activating_bus,
    private_buses,
    service_host,
)
from tests.desktop import DesktopSession, require_tools
from tests.e2e.daemon_process import cli
from tests.kwin import kwin_session
from tests.wayland import sway_session

IDLE_SOURCES = [row.name for row in of_kind("idle")]
SESSION_SOURCES = [row.name for row in of_kind("session")]
BUSY_SIGNALS = [row.name for row in of_kind("busy")]
NOTIFIERS = [row.name for row in of_kind("notifier")]
OTHER_PLATFORMS = [row.name for row in of_kind("busy") if not row.runs_on()]
"""Never run here: doctor says so whatever the config switches."""
LINUX_SIGNALS = [name for name in BUSY_SIGNALS if name not in OTHER_PLATFORMS]
ALL = IDLE_SOURCES + SESSION_SOURCES + BUSY_SIGNALS + NOTIFIERS
CHECKED = [row for row in ADAPTERS if row.kind in ("idle", "session", "busy", "notifier")]
"""What doctor checks: every row of the table."""
COLUMNS = re.compile(r" {2,}")
"""Columns are separated by two or more spaces; a status ("in use") has one inside."""
COLUMN = re.compile(r"(?:^|(?<=  ))\S")


def doctor(
    env: dict[str, str], config: Path | None = None
) -> tuple[list[list[str]], dict[str, Any]]:
    """`doctor --all`: the rows split into their four columns, and the JSON (both asked at
    once); the verdict, after a blank line, is checked to be the JSON's."""
    given = ("--config", str(config)) if config is not None else ()
    text, as_json = run_together(
        [*given, "doctor", "--all"], [*given, "doctor", "--all", "--json"], env=env
    )
    assert (text.returncode, text.stderr) == (0, "")
    table, said = text.stdout.split("\n\n")
    lines = table.splitlines()
    assert len(lines) == len(ALL), text.stdout
    column_starts = {tuple(m.start() for m in COLUMN.finditer(line))[:4] for line in lines}
    assert len(column_starts) == 1, f"not aligned:\n{text.stdout}"
    rows = [COLUMNS.split(line, maxsplit=3) for line in lines]
    assert as_json.returncode == 0, as_json.stderr
    document = json.loads(as_json.stdout)
    assert said == f"verdict: {document['verdict']}\n"
    return rows, document


def run_together(
    *commands: list[str], env: dict[str, str]
) -> list[subprocess.CompletedProcess[str]]:
    """`breakd ARGS` for each list of ARGS, run side by side, as `cli` runs one."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "breakd", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for args in commands
    ]
    results = []
    for args, process in zip(commands, processes, strict=True):
        stdout, stderr = process.communicate(timeout=10)
        results.append(subprocess.CompletedProcess(args, process.returncode, stdout, stderr))
    return results


def no_camera(tmp_path: Path, extra: str = "") -> Path:
    """A config whose camera patterns match nothing: this machine's own cameras stay out."""
    path = tmp_path / "config.yaml"
    path.write_text(
        "dont_interrupt:\n"
        f"  camera: {{devices: [{tmp_path / 'no-camera*'}]}}\n"
        + "".join(f"  {line}\n" for line in extra.splitlines())
    )
    return path


def statuses(rows: list[list[str]]) -> dict[str, str]:
    return {name: status for _kind, name, status, _detail in rows}


def details(rows: list[list[str]]) -> dict[str, str]:
    return {name: detail for _kind, name, _status, detail in rows}


def bare_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    env["DBUS_SYSTEM_BUS_ADDRESS"] = f"unix:path={tmp_path / 'no-system-bus'}"
    return env


def test_doctor_lists_exactly_the_rows_of_the_adapter_table_in_its_order(tmp_path: Path) -> None:
    rows, document = doctor(bare_env(tmp_path), no_camera(tmp_path))

    assert [(kind, name) for kind, name, _status, _detail in rows] == [
        (row.kind, row.name) for row in CHECKED
    ]
    for row, (_kind, name, status, detail) in zip(CHECKED, rows, strict=True):
        if not row.runs_on():
            assert status in ("unavailable", "unsupported"), name
            assert detail.startswith("not on"), f"{name}: {detail}"
        else:
            assert not detail.startswith(f"not on {sys.platform}"), f"{name}: {detail}"
    for kind, key in (
        ("idle", "idle_sources"),
        ("session", "session_sources"),
        ("busy", "busy_signals"),
        ("notifier", "notifiers"),
    ):
        assert [entry["name"] for entry in document[key]] == [r.name for r in of_kind(kind)]


def test_doctor_on_a_machine_with_no_desktop_says_what_each_source_lacks(tmp_path: Path) -> None:
    rows, document = doctor(bare_env(tmp_path), no_camera(tmp_path))

    assert [row[1] for row in rows] == ALL
    assert [row[0] for row in rows] == (
        ["idle"] * len(IDLE_SOURCES)
        + ["session"] * len(SESSION_SOURCES)
        + ["busy"] * len(BUSY_SIGNALS)
        + ["notifier"] * len(NOTIFIERS)
    )
    assert {statuses(rows)[name] for name in IDLE_SOURCES + SESSION_SOURCES} == {"unavailable"}
    assert {name: statuses(rows)[name] for name in BUSY_SIGNALS} == {
        **dict.fromkeys(BUSY_SIGNALS, "unsupported"),
        "camera": "on",
        "microphone": "off",  # by default
    }
    said = details(rows)
    assert said["mutter-idle-monitor"].startswith("no D-Bus session bus")
    assert said["x11-screensaver"] == "DISPLAY is not set (no X11 session)"
    assert said["wayland-idle-notify"] == "WAYLAND_DISPLAY is not set (no Wayland session)"
    assert said["macos-iokit-hid"] == "not on macOS"
    assert said["logind"].startswith("cannot connect to the system bus at unix:path=")
    assert said["dnd:dunst"].startswith("no D-Bus session bus")
    assert said["fullscreen:x11"] == "DISPLAY is not set (no X11 session)"
    assert said["fullscreen:wayland"] == "WAYLAND_DISPLAY is not set (no Wayland session)"
    assert said["camera"] == f"no camera device matches {tmp_path / 'no-camera*'}"
    assert said["inhibitors:logind"].startswith("cannot connect to the system bus at unix:path=")
    assert said["dnd:macos"] == "not on linux: it runs only on macOS"  # though off by default
    assert {name: statuses(rows)[name] for name in NOTIFIERS} == {
        "dbus": "unavailable",
        "plyer": "unavailable",
        "log": "in use",
    }
    assert said["dbus"].startswith("no D-Bus session bus")
    assert said["plyer"] == "no D-Bus session bus, so no desktop notification can be shown"
    assert document["idle_source"] is None
    assert [entry["name"] for entry in document["idle_sources"]] == IDLE_SOURCES
    assert [entry["status"] for entry in document["session_sources"]] == ["unavailable"] * 3
    assert [entry["name"] for entry in document["busy_signals"]] == BUSY_SIGNALS
    assert document["busy_signals"][BUSY_SIGNALS.index("camera")] == {
        "name": "camera",
        "status": "on",
        "detail": said["camera"],
    }


def test_doctor_says_which_busy_signals_the_config_switches_off(tmp_path: Path) -> None:
    switches = "signals: {dnd: false, fullscreen: false, camera: false, inhibitors: 'off'}"
    rows, document = doctor(bare_env(tmp_path), no_camera(tmp_path, switches))

    assert {name: statuses(rows)[name] for name in BUSY_SIGNALS} == {
        **dict.fromkeys(LINUX_SIGNALS, "off"),
        **dict.fromkeys(OTHER_PLATFORMS, "unsupported"),
    }
    said = details(rows)
    assert said["dnd:plasma"] == ("switched off in the config: dont_interrupt.signals.dnd is false")
    assert said["fullscreen:x11"] == (
        "switched off in the config: dont_interrupt.signals.fullscreen is false"
        " and apps.never_interrupt is empty"
    )
    assert said["camera"] == "switched off in the config: dont_interrupt.signals.camera is false"
    assert said["microphone"] == (
        "switched off in the config: dont_interrupt.signals.microphone is false"
    )
    assert said["inhibitors:gnome"] == (
        'switched off in the config: dont_interrupt.signals.inhibitors is "off"'
    )
    assert {entry["status"] for entry in document["busy_signals"]} == {"off", "unsupported"}

    rows, _ = doctor(bare_env(tmp_path), no_camera(tmp_path, "enabled: false"))
    assert {details(rows)[name] for name in LINUX_SIGNALS} == {
        "switched off in the config: dont_interrupt.enabled is false"
    }


def test_doctor_reports_a_config_with_mistakes_like_run_does(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("dont_interrupt:\n  signals: {dnd: maybe}\n")

    result = cli("--config", str(config), "doctor", env=bare_env(tmp_path))

    assert result.returncode != 0
    assert f"{config}:2" in result.stderr and "dont_interrupt.signals.dnd" in result.stderr


@pytest.mark.desktop
def test_doctor_on_an_x11_desktop_uses_the_x_server(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    env = desktop.subprocess_env(DBUS_SYSTEM_BUS_ADDRESS=f"unix:path={tmp_path / 'none'}")
    rows, document = doctor(env, no_camera(tmp_path))

    assert statuses(rows)["x11-screensaver"] == "in use"
    assert details(rows)["x11-screensaver"].startswith(
        "the X server's MIT-SCREEN-SAVER idle time; idle for "
    )
    assert details(rows)["mutter-idle-monitor"] == (
        "no org.gnome.Mutter.IdleMonitor on the session bus (not a GNOME session)"
    )
    assert document["idle_source"] == "x11-screensaver"
    assert statuses(rows)["dnd:dunst"] == "on"
    assert details(rows)["dnd:dunst"] == (
        "dunst's paused property on the session bus (now: do not disturb is off)"
    )
    assert details(rows)["dnd:plasma"].startswith(
        "the notification server is not plasma: it has no org.freedesktop.Notifications"
        " Inhibited property"
    )
    assert statuses(rows)["fullscreen:x11"] == "on"
    assert details(rows)["fullscreen:x11"] == (
        f"full screen on X display {desktop.display}: no EWMH window manager runs yet"
        " (no _NET_ACTIVE_WINDOW)"
    )
    # The tests' dunstrc leaves out the stock one's markup = full: no body-markup.
    assert statuses(rows)["dbus"] == "in use"
    assert re.fullmatch(
        r"dunst .+ by knopwob \(notification spec 1\.2\): buttons, images, progress bars;"
        r" no body markup, no sounds",
        details(rows)["dbus"],
    ), details(rows)["dbus"]
    notifiers = {entry["name"]: entry for entry in document["notifiers"]}
    assert notifiers["dbus"]["detail"] == details(rows)["dbus"]


def test_doctor_with_gnome_kde_and_logind_stand_ins(tmp_path: Path) -> None:
    require_tools("gsettings")
    with private_buses(tmp_path) as buses, service_host() as host:
        MutterIdleMonitor(host, buses.session_address, idle_ms=61_000).start()
        ScreenSaver(host, buses.session_address, idle_ms=5_000).start()
        gnome = GnomeSessionManager(host, buses.session_address).start()
        gnome.add_inhibitor(8)
        gnome.add_inhibitor(4, "chromium", "WebRTC has active PeerConnections")
        login1 = Login1(host, buses.system_address, locked=True).start()
        login1.inhibit("idle", "zoom", "In a meeting")
        PlasmaNotifications(host, buses.session_address, inhibited=True).start()
        rows, document = doctor(buses.env(XDG_CURRENT_DESKTOP="GNOME"), no_camera(tmp_path))

    assert {name: status for name, status in statuses(rows).items() if name not in NOTIFIERS} == {
        "mutter-idle-monitor": "in use",
        "freedesktop-screensaver": "works",
        "x11-screensaver": "unavailable",
        "wayland-idle-notify": "unavailable",
        "macos-iokit-hid": "unavailable",
        "logind": "in use",
        "screensaver": "in use",
        "gnome-session-manager": "in use",
        "dnd:dunst": "unsupported",
        "dnd:plasma": "on",
        "dnd:xfce": "unsupported",
        "dnd:gnome": "on",
        "dnd:swaync": "unsupported",
        "dnd:mako": "unsupported",
        "fullscreen:x11": "unsupported",
        "fullscreen:wayland": "unsupported",
        "camera": "on",
        "microphone": "off",
        "inhibitors:gnome": "on",
        "inhibitors:logind": "on",
        "dnd:macos": "unsupported",
    }
    said = details(rows)
    assert said["mutter-idle-monitor"] == (
        "GNOME's org.gnome.Mutter.IdleMonitor on the session bus; idle for 61 s"
    )
    assert said["logind"] == (
        "suspend, lock state of session 7 and idle inhibitors"
        " (now: locked, an idle inhibitor is held)"
    )
    assert said["screensaver"] == "ActiveChanged from org.freedesktop.ScreenSaver (not active)"
    assert said["gnome-session-manager"] == (
        "idle inhibitors from org.gnome.SessionManager (now: held)"
    )
    assert said["dnd:plasma"] == (
        "plasma's Inhibited property on the session bus (now: do not disturb is on)"
    )
    assert said["dnd:dunst"].startswith("the notification server is not dunst")
    assert said["dnd:xfce"] == "no org.xfce.Xfconf on the session bus (not an XFCE session)"
    assert said["dnd:gnome"].endswith("(now: do not disturb is off)")
    assert said["inhibitors:gnome"] == (
        "2 inhibitor(s) from org.gnome.SessionManager (now: meeting:chromium)"
    )
    assert said["inhibitors:logind"] == (
        "1 inhibitor(s) from org.freedesktop.login1 (now: meeting:zoom)"
    )
    assert document["idle_source"] == "mutter-idle-monitor"
    busy = {entry["name"]: entry["status"] for entry in document["busy_signals"]}
    assert busy["dnd:plasma"] == "on"
    # The Plasma stand-in answers only for do-not-disturb: no real server to report.
    assert statuses(rows)["dbus"] == "unavailable"
    assert said["dbus"].startswith("no notification server to use (")


def test_doctor_on_xfce_with_do_not_disturb_on_says_why_a_prompt_is_held(tmp_path: Path) -> None:
    require_tools("xfconf-query")
    with activating_bus(tmp_path / "bus", "org.xfce.Xfconf") as bus:
        bus.run(
            *("xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb"),
            *("-n", "-t", "bool", "-s", "true"),
        )
        rows, document = doctor(
            {
                **bus.env,
                "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path / 'none'}",
                "XDG_CURRENT_DESKTOP": "GNOME",
            },
            no_camera(tmp_path),
        )

    assert statuses(rows)["dnd:xfce"] == "on"
    assert details(rows)["dnd:xfce"] == (
        "xfconf's xfce4-notifyd /do-not-disturb on the session bus (now: do not disturb is on)"
    )
    busy = {entry["name"]: entry for entry in document["busy_signals"]}
    assert busy["dnd:xfce"]["detail"] == details(rows)["dnd:xfce"]


def test_doctor_on_gnome_with_banners_off_says_why_a_prompt_is_held(tmp_path: Path) -> None:
    require_tools("gsettings")
    with activating_bus(tmp_path / "bus", "ca.desrt.dconf") as bus:
        bus.run("gsettings", "set", "org.gnome.desktop.notifications", "show-banners", "false")
        rows, _ = doctor(
            {
                **bus.env,
                "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path / 'none'}",
                "XDG_CURRENT_DESKTOP": "GNOME",
            },
            no_camera(tmp_path),
        )

    assert statuses(rows)["dnd:gnome"] == "on"
    assert details(rows)["dnd:gnome"] == (
        "GSettings org.gnome.desktop.notifications show-banners, read again when dconf"
        " signals a change (now: do not disturb is on)"
    )


def test_without_all_doctor_leaves_out_the_rows_for_other_platforms(tmp_path: Path) -> None:
    result = cli("--config", str(no_camera(tmp_path)), "doctor", env=bare_env(tmp_path))
    assert (result.returncode, result.stderr) == (0, "")
    table, _verdict = result.stdout.split("\n\n")
    names = [COLUMNS.split(line)[1] for line in table.splitlines()]
    assert names == [row.name for row in CHECKED if row.runs_on()]
    assert OTHER_PLATFORMS and not set(OTHER_PLATFORMS) & set(names)


def test_doctor_ends_with_what_is_wrong_and_how_to_fix_it_with_no_session(tmp_path: Path) -> None:
    result = cli("--config", str(no_camera(tmp_path)), "doctor", env=bare_env(tmp_path))
    assert result.stdout.splitlines()[-1] == (
        "verdict: no reminder will reach your screen (dbus: no D-Bus session bus:"
        " DBUS_SESSION_BUS_ADDRESS is unset and there is no $XDG_RUNTIME_DIR/bus);"
        " run breakd inside your desktop session, where a notification server answers on"
        " the session bus; it cannot see your keyboard and mouse here, so it counts you as"
        " sitting all along"
    )


def test_doctor_ends_with_the_server_a_reminder_reaches_in_the_desktop_session(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    env = desktop.subprocess_env(DBUS_SYSTEM_BUS_ADDRESS=f"unix:path={tmp_path / 'none'}")
    result = cli("--config", str(no_camera(tmp_path)), "doctor", env=env)
    version = desktop.run("dunst", "-v").stdout.strip().rsplit("daemon ", 1)[-1]
    assert result.stdout.splitlines()[-1] == (
        f"verdict: breakd will remind you through dunst {version} with buttons;"
        " it sees your keyboard and mouse through x11-screensaver"
    )


def test_doctor_on_a_headless_sway(tmp_path: Path) -> None:
    """Idle time from sway's org_kde_kwin_idle, full screen from its window list; X11's
    full-screen signal stands aside in a Wayland session."""
    with sway_session() as sway:
        env = {**bare_env(tmp_path), "WAYLAND_DISPLAY": sway.display}
        rows, document = doctor(env, no_camera(tmp_path))

    assert statuses(rows)["wayland-idle-notify"] == "in use"
    assert details(rows)["wayland-idle-notify"] == (
        "the compositor's org_kde_kwin_idle idle timeout; idle for 0 s"
    )
    assert document["idle_source"] == "wayland-idle-notify"
    assert statuses(rows)["fullscreen:wayland"] == "on"
    assert details(rows)["fullscreen:wayland"] == (
        "the windows' state (zwlr_foreign_toplevel_manager_v1) from the compositor at"
        f" {sway.display} (now: nothing full screen)"
    )
    assert statuses(rows)["fullscreen:x11"] == "unsupported"


def test_doctor_on_a_headless_kwin(tmp_path: Path) -> None:
    """KWin offers ext-idle-notify-v1 (version 1) and no wlroots window list."""
    with kwin_session() as kwin:
        env = {**bare_env(tmp_path), "WAYLAND_DISPLAY": kwin.display}
        rows, _document = doctor(env, no_camera(tmp_path))

    assert statuses(rows)["wayland-idle-notify"] == "in use"
    assert details(rows)["wayland-idle-notify"].startswith(
        "the compositor's ext_idle_notifier_v1 (idle notification); idle for "
    )
    assert statuses(rows)["fullscreen:wayland"] == "unsupported"
    assert details(rows)["fullscreen:wayland"] == (
        "the compositor offers no zwlr_foreign_toplevel_manager_v1"
        " (wlroots compositors do; GNOME and KDE do not)"
    )
