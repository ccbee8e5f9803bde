"""Fixtures for the tests that run the real daemon."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop import DESKTOP_TOOLS, DesktopSession, require_tools, start_desktop
from tests.e2e.daemon_process import DaemonProcess


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    """The daemons a test started; each is stopped after it, failing on any ERROR line
    or traceback in its log."""
    started: list[DaemonProcess] = []
    yield started
    for daemon in started:
        daemon.stop()


@pytest.fixture
def own_session(tmp_path: Path) -> Iterator[DesktopSession]:
    """A desktop of this test's own (Xvfb, a session bus, dunst), for a test that kills,
    stops or replaces its parts, which other tests must not see."""
    require_tools(*DESKTOP_TOOLS)
    session = start_desktop(tmp_path / "session")
    try:
        yield session
    finally:
        for proc in session.processes:
            proc.send_signal(signal.SIGCONT)  # one a test left stopped cannot take SIGTERM
        session.stop()
