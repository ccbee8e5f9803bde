"""The adapter table: every row whole, its code where it says, and nothing of an adapter
imported before it is opened, by the table itself or by a daemon that does not run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from breakd.adapters.dbus.buses import Buses
from breakd.adapters.select import here, open_busy_signal, open_session_source
from breakd.adapters.table import ADAPTERS, LINUX_AND_BSD, Adapter, Choice, Switch, named
from breakd.config.load import load_config_text
from breakd.config.model import DEFAULT_CONFIG

REPO_ROOT = Path(__file__).resolve().parents[2]


def module_of(row: Adapter) -> str:
    return row.opener.partition(":")[0]


def test_every_row_is_whole_and_its_name_is_its_own() -> None:
    assert len({row.name for row in ADAPTERS}) == len(ADAPTERS)
    for row in ADAPTERS:
        assert row.description.strip() and "\n" not in row.description, row.name
        assert row.kind in ("idle", "session", "busy", "notifier"), row.name
        if row.kind == "notifier":
            assert row.bus is None, row.name
            assert row.switch is None or isinstance(row.switch, Choice), row.name
        else:
            assert isinstance(row.switch, Switch) == (row.kind == "busy"), row.name


@pytest.mark.parametrize("row", ADAPTERS, ids=lambda row: row.name)
def test_every_opener_is_where_the_row_says_and_what_it_opens_has_the_rows_name(
    row: Adapter,
) -> None:
    """Opened as select.py opens it (nothing connects yet), except an idle source,
    which reads the desktop as it opens: its class carries the name."""
    if row.kind == "idle":
        opened = row.load()
    elif row.kind == "session":
        opened = open_session_source(row, Buses())
    elif row.kind == "busy":
        opened = open_busy_signal(row, DEFAULT_CONFIG, Buses())
    else:
        opened = row.load()(print, lambda: DEFAULT_CONFIG)
    assert opened.name == row.name


def test_the_switches_say_why_a_signal_is_off() -> None:
    off = load_config_text(
        "dont_interrupt:\n  signals: {dnd: false, fullscreen: false, inhibitors: 'off'}\n",
        "config.yaml",
    )
    assert named("dnd:xfce").off(DEFAULT_CONFIG) is None
    assert named("dnd:xfce").off(off) == (
        "switched off in the config: dont_interrupt.signals.dnd is false"
    )
    assert named("inhibitors:logind").off(off) == (
        'switched off in the config: dont_interrupt.signals.inhibitors is "off"'
    )
    assert named("fullscreen:x11").off(off) == (
        "switched off in the config: dont_interrupt.signals.fullscreen is false"
        " and apps.never_interrupt is empty"
    )
    never = load_config_text(
        "dont_interrupt:\n  signals: {fullscreen: false}\n  apps: {never_interrupt: [obs]}\n",
        "config.yaml",
    )
    assert named("fullscreen:x11").off(never) is None
    disabled = load_config_text("dont_interrupt: {enabled: false}\n", "config.yaml")
    assert {row.off(disabled) for row in ADAPTERS if row.kind == "busy"} == {
        "switched off in the config: dont_interrupt.enabled is false"
    }
    assert {row.off(DEFAULT_CONFIG) for row in ADAPTERS if row.kind != "busy"} == {None}


def test_which_rows_run_where() -> None:
    assert [row.name for row in here("idle", "darwin")] == ["macos-iokit-hid"]
    assert [row.name for row in here("idle", "linux")] == [
        "mutter-idle-monitor",
        "freedesktop-screensaver",
        "wayland-idle-notify",
        "x11-screensaver",
    ]
    assert here("session", "darwin") == here("session", "win32") == ()
    assert here("session", "freebsd14") == here("session", "linux")
    assert [row.name for row in here("notifier", "win32")] == ["plyer", "log"]
    assert "openbsd7" in LINUX_AND_BSD and "darwin" not in LINUX_AND_BSD


def run_python(code: str, env: dict[str, str] | None = None) -> Any:
    """What `code`, run in a fresh interpreter, prints last, read as JSON."""
    command = [sys.executable, "-c", code]
    result = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=60, env=env
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_the_table_imports_no_adapter() -> None:
    loaded = set(
        run_python(
            "import json, sys, breakd.adapters.select, breakd.adapters.table\n"
            "print(json.dumps(sorted(sys.modules)))"
        )
    )
    assert not {module_of(row) for row in ADAPTERS} & loaded
    assert not {"jeepney", "ctypes", "asyncio", "plyer"} & loaded


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the rows that run on Linux")
def test_opening_what_runs_imports_only_the_adapters_that_run(tmp_path: Path) -> None:
    """No bus, no display, only the camera switched on: only the camera's module and the
    idle sources that need no bus are imported, and for `plyer` only plyer's and the log's."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")
    }
    env["XDG_RUNTIME_DIR"] = str(tmp_path)  # no bus socket there either
    loaded = run_python(
        "import json, sys\n"
        "before = set(sys.modules)\n"
        "from breakd.adapters.select import choose_notifier, open_busy_signals, open_idle_source\n"
        "from breakd.config.load import load_config_text\n"
        "config = load_config_text(\n"
        "    \"dont_interrupt: {signals: {dnd: false, fullscreen: false, inhibitors: 'off'}}\\n\",\n"
        "    'c.yaml',\n"
        ")\n"
        "assert [s.name for s in open_busy_signals(config)] == ['camera']\n"
        "assert open_idle_source()[0] is None\n"
        "choose_notifier('plyer', print, lambda: config)\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n",
        env,
    )
    opened = {
        module_of(named(name))
        for name in ("camera", "x11-screensaver", "wayland-idle-notify", "plyer", "log")
    }
    assert {module_of(row) for row in ADAPTERS} & set(loaded) == opened
    assert [name for name in loaded if name.startswith("breakd.adapters.wayland")] == [], (
        "the Wayland client was loaded without WAYLAND_DISPLAY"
    )
