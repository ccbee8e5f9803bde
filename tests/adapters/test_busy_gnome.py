"""GNOME do-not-disturb against the real dconf-service, D-Bus activated on a private bus
whose environment holds the test's own HOME and XDG dirs, and the real `gsettings set`.

The bus, dconf-service, the `gsettings` the test runs and the one the watcher runs all
share XDG_CONFIG_HOME and XDG_RUNTIME_DIR: otherwise dconf-service would write the
machine's real ~/.config/dconf/user and the reader would never see the change.

Not covered: GNOME Shell itself (it only writes this key when its switch is flipped).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.adapters.busy import FREE, Reading
from breakd.adapters.busy.gnome import DCONF, GnomeDnd
from breakd.adapters.dbus.link import SharedBus
from breakd.adapters.watcher import WatcherUnavailable
from tests.dbus_services import ActivatingBus, WatchingReadings, activating_bus
from tests.desktop import require_tools, skip_or_fail

DND = Reading.of({"dnd:gnome"})
SCHEMA = "org.gnome.desktop.notifications"


@pytest.fixture
def dconf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ActivatingBus]:
    require_tools("gsettings", "/usr/libexec/dconf-service")
    with activating_bus(tmp_path / "bus", DCONF) as bus:
        for variable in ("HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS"):
            monkeypatch.setenv(variable, bus.env[variable])
        monkeypatch.setenv("XDG_CURRENT_DESKTOP", "ubuntu:GNOME")
        if not _has_schema(bus):
            skip_or_fail(f"the {SCHEMA} schema is not installed (gsettings-desktop-schemas)")
        yield bus


def _has_schema(bus: ActivatingBus) -> bool:
    return SCHEMA in bus.run("gsettings", "list-schemas").stdout.split()


def gsettings_set(bus: ActivatingBus, key: str, value: str) -> None:
    bus.run("gsettings", "set", SCHEMA, key, value)


def test_the_real_dconf_switching_banners_off_and_on_is_followed(
    dconf: ActivatingBus, tmp_path: Path
) -> None:
    async def scenario() -> None:
        signal = GnomeDnd(SharedBus("session"))
        assert await signal.probe() == (
            f"GSettings {SCHEMA} show-banners, read again when dconf signals a change"
            " (now: do not disturb is off)"
        )
        async with WatchingReadings(signal) as watching:
            await watching.expect(FREE)
            # The first write activates dconf-service; its Notify still reaches the watcher.
            await asyncio.to_thread(gsettings_set, dconf, "show-banners", "false")
            await watching.expect(DND)
            await asyncio.to_thread(gsettings_set, dconf, "show-banners", "true")
            await watching.expect(FREE)
            await asyncio.to_thread(gsettings_set, dconf, "show-banners", "false")
            await watching.expect(DND)
            await asyncio.to_thread(dconf.run, "gsettings", "reset", SCHEMA, "show-banners")
            await watching.expect(FREE)
            # Another key of the schema, and another schema, change nothing.
            await asyncio.to_thread(gsettings_set, dconf, "show-in-lock-screen", "false")
            await asyncio.to_thread(
                dconf.run, "gsettings", "set", "org.gnome.desktop.interface", "clock-format", "12h"
            )
            await asyncio.sleep(0.3)
            assert watching.events == [FREE, DND, FREE, DND, FREE]

    asyncio.run(scenario())
    assert dconf.service_pid(DCONF) is not None
    assert (tmp_path / "bus" / "config" / "dconf" / "user").is_file()  # the test's own


def test_banners_already_off_at_start_is_busy(dconf: ActivatingBus) -> None:
    gsettings_set(dconf, "show-banners", "false")

    async def scenario() -> None:
        async with WatchingReadings(GnomeDnd(SharedBus("session"))) as watching:
            await watching.expect(DND)

    asyncio.run(scenario())


def test_without_gsettings_it_is_unavailable(
    dconf: ActivatingBus, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(WatcherUnavailable, match="gsettings is not installed"):
        asyncio.run(GnomeDnd(SharedBus("session")).probe())


def test_outside_gnome_the_signal_says_so_and_runs_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "XFCE")
    signal = GnomeDnd(SharedBus("session"))
    with pytest.raises(
        WatcherUnavailable, match=r"not a GNOME session \(XDG_CURRENT_DESKTOP is XFCE\)"
    ):
        asyncio.run(signal.probe())
