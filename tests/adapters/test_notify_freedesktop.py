"""The freedesktop notifier: its pure parts, and its connection handling against real buses.

The buttons themselves are proven end to end in tests/e2e/test_notification_buttons.py.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.adapters.notify import NotifierError, freedesktop
from breakd.adapters.notify.fallback import FallbackNotifier
from breakd.adapters.notify.freedesktop import (
    FreedesktopNotifier,
    action_list,
    notification_body,
)
from breakd.adapters.notify.log_notifier import LogNotifier
from breakd.config.model import DEFAULT_CONFIG, Config
from breakd.core.reminder_text import compose_reminder
from tests.desktop import (
    DESKTOP_TOOLS,
    DesktopSession,
    require_tools,
    restart_dunst,
    start_desktop,
    wait_until,
)
from tests.notify_monitor import NotificationMonitor

MESSAGE = compose_reminder("kneeling-lunge", "en", 30, 50 * 60)


def test_start_then_done_then_skip_then_a_button_per_snooze_choice() -> None:
    assert action_list((300, 600, 1800), "en") == [
        "default", "Start",
        "done", "Done",
        "skip", "Skip",
        "snooze:300", "Snooze 5 min",
        "snooze:600", "Snooze 10 min",
        "snooze:1800", "Snooze 30 min",
    ]  # fmt: skip


def test_labels_are_dutch_when_the_language_is() -> None:
    assert action_list((30, 3600, 5400), "nl") == [
        "default", "Beginnen",
        "done", "Gedaan",
        "skip", "Overslaan",
        "snooze:30", "30 s uitstellen",
        "snooze:3600", "1 uur uitstellen",
        "snooze:5400", "1 uur 30 min uitstellen",
    ]  # fmt: skip


def test_without_buttons_the_body_names_the_command() -> None:
    assert notification_body(MESSAGE, "en", buttons=True) == MESSAGE.body
    assert notification_body(MESSAGE, "en", buttons=False) == MESSAGE.body + (
        "\nAnswer with breakd done, breakd skip or breakd snooze."
        "\nFor a guided countdown, run breakd guide in a terminal."
    )
    assert notification_body(MESSAGE, "nl", buttons=False).endswith(
        "\nAntwoord met breakd done, breakd skip of breakd snooze."
        "\nVoor een begeleide aftelling: geef breakd guide in een terminal."
    )


def test_where_the_buttons_sit_in_a_menu_the_body_names_its_key() -> None:
    assert notification_body(MESSAGE, "en", True, server="dunst") == MESSAGE.body + (
        "\nAnswer from the menu (ctrl+shift+.) or with breakd done, breakd skip or breakd snooze."
    )
    assert notification_body(MESSAGE, "nl", True, server="mako").endswith(
        "\nAntwoord via het menu (makoctl menu) of met breakd done, breakd skip of breakd snooze."
    )
    assert notification_body(MESSAGE, "en", True, server="Xfce Notify Daemon") == MESSAGE.body


def test_a_markup_server_shows_the_text_literally() -> None:
    message = dataclasses.replace(MESSAGE, body="Hips <level> & knees")
    assert notification_body(message, "en", True, markup=True) == "Hips &lt;level&gt; &amp; knees"
    assert notification_body(message, "en", True, markup=False) == "Hips <level> & knees"


# -- against real buses --------------------------------------------------------------


def show(notifier: FreedesktopNotifier) -> None:
    asyncio.run(notifier.show(MESSAGE))


def current(config: Config = DEFAULT_CONFIG) -> Config:
    return config


def test_no_session_bus_at_all_is_a_notifier_error_with_the_reason() -> None:
    # conftest: no DBUS_SESSION_BUS_ADDRESS, and an empty XDG_RUNTIME_DIR
    with pytest.raises(NotifierError, match=r"no D-Bus session bus"):
        show(FreedesktopNotifier(lambda key: None, current))


@pytest.fixture
def serverless(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DesktopSession]:
    """A bus with no notification server on it (and no activation to start one)."""
    require_tools(*DESKTOP_TOOLS)
    session = start_desktop(tmp_path / "session", dunst=False)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session.bus_address)
    monkeypatch.setenv("DISPLAY", session.display)
    try:
        yield session
    finally:
        session.stop()


@pytest.mark.desktop
def test_a_server_that_appears_later_is_used_by_the_same_notifier(
    serverless: DesktopSession,
) -> None:
    notifier = FreedesktopNotifier(lambda key: None, current)

    async def scenario() -> None:
        with pytest.raises(NotifierError, match=r"ServiceUnknown"):
            await notifier.show(MESSAGE)
        restart_dunst(serverless)
        with NotificationMonitor(serverless.bus_address) as monitor:
            await notifier.show(MESSAGE)
            shown = monitor.wait_for_notify()
            assert shown.summary == MESSAGE.title
            assert shown.actions
            await notifier.withdraw()
            monitor.wait_for("CloseNotification", lambda call: call.body == (shown.id,))

    asyncio.run(scenario())


@pytest.mark.desktop
def test_the_bus_is_found_at_xdg_runtime_dir_bus_without_the_variable(
    serverless: DesktopSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not (serverless.runtime_dir / "bus").is_socket():
        pytest.skip("the test bus could not listen in its runtime dir (path too long)")
    restart_dunst(serverless)
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(serverless.runtime_dir))
    assert "DBUS_SESSION_BUS_ADDRESS" not in os.environ
    with NotificationMonitor(serverless.bus_address) as monitor:
        show(FreedesktopNotifier(lambda key: None, current))
        assert monitor.wait_for_notify().summary == MESSAGE.title


@pytest.mark.desktop
def test_a_reminder_left_up_by_a_failed_repeat_is_still_withdrawn(
    serverless: DesktopSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repeat that times out falls back to the log; `done` must still close the first one."""
    restart_dunst(serverless)
    dunst = next(proc for proc in serverless.processes if proc.args[0] == "dunst")
    monkeypatch.setattr(freedesktop, "CALL_TIMEOUT", 0.5)
    notifier = FallbackNotifier([FreedesktopNotifier(lambda key: None, current), LogNotifier()])

    async def scenario() -> None:
        await notifier.show(MESSAGE)
        assert serverless.displayed_count() == 1
        dunst.send_signal(signal.SIGSTOP)  # a server that hangs
        try:
            await notifier.show(dataclasses.replace(MESSAGE, repeat=1))
        finally:
            dunst.send_signal(signal.SIGCONT)
        assert notifier.name == "log"
        await notifier.withdraw()

    asyncio.run(scenario())
    wait_until(lambda: serverless.displayed_count() == 0, message="the reminder stayed up")
