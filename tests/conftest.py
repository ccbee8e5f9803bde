"""Fixtures shared by all tests.

Kept light: pure tests pay only for a few temp dirs; the desktop session starts only
for tests that request the `desktop` fixture.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop import (
    DESKTOP_TOOLS,
    DesktopSession,
    require_tools,
    start_desktop,
)
from tests.private_session import SESSION_VARIABLES, fresh_xdg_dirs


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the desktop, so `-m "not desktop"` can't miss one."""
    for item in items:
        if "desktop" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.desktop)


@pytest.fixture(autouse=True)
def isolated_user_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point the XDG dirs at fresh temp dirs and hide the user's own session.

    Nothing a test runs may read or write the developer's config, state or runtime
    dirs, show a notification on their screen or read their real idle time. Tests that
    want a session use the `desktop` fixture's `env`/`display`/`bus_address`.
    A separate temp dir (not `tmp_path`) so tests can still assume `tmp_path` starts empty;
    made with mkdtemp, which, unlike `mktemp`, does not list the base temp dir each time.
    """
    root = Path(tempfile.mkdtemp(prefix="xdg-", dir=tmp_path_factory.getbasetemp()))
    for variable, path in fresh_xdg_dirs(root).items():
        monkeypatch.setenv(variable, path)
    for variable in SESSION_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return root


@pytest.fixture(scope="session")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DesktopSession]:
    """One Xvfb + private D-Bus + dunst for the whole run (about 0.1 s to start).

    Skips when a tool is missing, fails instead under BREAKD_REQUIRE_DESKTOP=1.
    Shared: tests that leave notifications behind should call `clear_notifications()`.
    """
    require_tools(*DESKTOP_TOOLS)
    session = start_desktop(tmp_path_factory.mktemp("desktop"))
    try:
        yield session
    finally:
        session.stop()
