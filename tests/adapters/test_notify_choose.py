"""Which notifiers `notify.backend` chains together, and that each chain ends in the log."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys

import pytest

from breakd.adapters.select import choose_notifier
from breakd.config.model import DEFAULT_CONFIG, Config
from breakd.core.reminder_text import compose_reminder

MESSAGE = compose_reminder("standing-lunge", "en", 30, 0)
LINUX = sys.platform.startswith("linux")


def current() -> Config:
    return DEFAULT_CONFIG


def route(backend: str, caplog: pytest.LogCaptureFixture) -> tuple[str, str]:
    """(first notifier's name, the one that delivered) with no session bus at all (conftest)."""
    notifier = choose_notifier(backend, lambda key: None, current)
    first = notifier.name
    with caplog.at_level(logging.DEBUG):
        asyncio.run(notifier.show(MESSAGE))
    return first, notifier.name


@pytest.mark.skipif(not LINUX, reason="auto prefers D-Bus on Linux only")
def test_auto_on_linux_tries_dbus_then_plyer_then_the_log(caplog: pytest.LogCaptureFixture) -> None:
    assert route("auto", caplog) == ("dbus", "log")
    falls = [r for r in caplog.records if r.getMessage().endswith("falling back")]
    assert falls[0].getMessage().startswith("no D-Bus session bus")
    # dbus, then plyer: a warning for the one in use, debug for the one passed over
    assert [r.levelname for r in falls] == ["WARNING", "DEBUG"]


def test_dbus_alone_falls_back_to_the_log_only(caplog: pytest.LogCaptureFixture) -> None:
    assert route("dbus", caplog) == ("dbus", "log")
    falls = [r.getMessage() for r in caplog.records if r.getMessage().endswith("falling back")]
    assert len(falls) == 1  # plyer was never tried


def test_plyer_does_not_touch_dbus(caplog: pytest.LogCaptureFixture) -> None:
    first, _ = route("plyer", caplog)
    assert first.startswith("plyer")


def test_log_is_the_log() -> None:
    assert choose_notifier("log", lambda key: None, current).name == "log"


@pytest.mark.parametrize(
    ("backend", "imported"), [("log", False), ("plyer", False), ("dbus", True)]
)
def test_jeepney_is_imported_only_for_the_dbus_notifier(backend: str, imported: bool) -> None:
    code = (
        "import sys\n"
        "from breakd.adapters.select import choose_notifier\n"
        "from breakd.config.model import DEFAULT_CONFIG\n"
        f"choose_notifier({backend!r}, print, lambda: DEFAULT_CONFIG)\n"
        "print('jeepney' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30
    )
    assert result.stdout.strip() == str(imported)
