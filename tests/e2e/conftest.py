"""Fixtures for the tests that run the real daemon."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.daemon_process import DaemonProcess


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    """The daemons a test started; each is stopped after it, failing on any ERROR line
    or traceback in its log."""
    started: list[DaemonProcess] = []
    yield started
    for daemon in started:
        daemon.stop()
