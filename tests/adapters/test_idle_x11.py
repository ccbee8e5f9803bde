"""The X11 idle source against a real Xvfb: what the daemon's idle tracking stands on."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest

from breakd.adapters.idle import IdleSourceUnavailable, x11
from breakd.adapters.idle.x11 import X11IdleSource
from tests.desktop import (
    DesktopSession,
    require_tools,
    skip_or_fail,
    start_xvfb,
    stop_process,
    wait_until,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def require_xlibs() -> None:
    """Skip (or fail in CI) when libX11/libXss are not loadable."""
    try:
        x11._libraries()
    except IdleSourceUnavailable as error:
        skip_or_fail(str(error))


@pytest.fixture
def source(desktop: DesktopSession) -> Iterator[X11IdleSource]:
    with X11IdleSource(desktop.display) as opened:
        yield opened


def idle_at_least(source: X11IdleSource, seconds: float) -> float:
    """Poll until the session has been idle for `seconds`; return that reading."""

    def reading() -> float | None:
        value = source.idle_seconds()
        return value if value >= seconds else None

    return wait_until(
        reading,
        timeout=5.0,
        interval=0.02,
        message=f"idle time never reached {seconds} s",
    )


@pytest.mark.desktop
def test_idle_time_follows_the_wall_clock_while_nobody_touches_anything(
    source: X11IdleSource,
) -> None:
    first = source.idle_seconds()
    started = time.monotonic()
    later = idle_at_least(source, first + 0.3)
    elapsed = time.monotonic() - started

    assert source.name == "x11-screensaver"
    assert later - first == pytest.approx(elapsed, abs=0.15)


def _move_pointer(desktop: DesktopSession) -> None:
    fields = dict(
        line.split("=", 1) for line in desktop.xdotool("getmouselocation", "--shell").split()
    )
    x = (int(fields["X"]) + 101) % 1000 + 10  # never the current position
    desktop.xdotool("mousemove", str(x), "300")


def _press_shift(desktop: DesktopSession) -> None:
    desktop.xdotool("key", "shift")


@pytest.mark.desktop
@pytest.mark.parametrize("touch", [_move_pointer, _press_shift], ids=["mousemove", "key"])
def test_input_resets_the_idle_time(
    desktop: DesktopSession, source: X11IdleSource, touch: Callable[[DesktopSession], None]
) -> None:
    before = idle_at_least(source, 0.4)

    touch(desktop)
    after = source.idle_seconds()

    assert after < 0.25 < before


@pytest.mark.desktop
def test_closed_source_refuses_politely(desktop: DesktopSession) -> None:
    opened = X11IdleSource.open(desktop.display)
    opened.idle_seconds()
    opened.close()
    opened.close()

    with pytest.raises(IdleSourceUnavailable, match="closed"):
        opened.idle_seconds()


@pytest.mark.parametrize("value", [None, ""], ids=["unset", "empty"])
def test_no_display_is_unavailable(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv("DISPLAY", raising=False)
    else:
        monkeypatch.setenv("DISPLAY", value)

    with pytest.raises(IdleSourceUnavailable, match=r"^DISPLAY is not set \(no X11 session\)$"):
        X11IdleSource()


@pytest.mark.desktop
def test_unreachable_display_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    require_xlibs()
    monkeypatch.setenv("DISPLAY", ":4321")

    with pytest.raises(IdleSourceUnavailable, match=r"^cannot open X display :4321$"):
        X11IdleSource()


@pytest.mark.desktop
def test_server_without_screensaver_extension_is_unavailable() -> None:
    require_tools("Xvfb")
    require_xlibs()
    xvfb, display = start_xvfb("-extension", "MIT-SCREEN-SAVER", screen="320x200x24")
    try:
        with pytest.raises(IdleSourceUnavailable) as raised:
            X11IdleSource(display)
    finally:
        stop_process(xvfb)

    assert str(raised.value) == f"the X server on {display} has no MIT-SCREEN-SAVER extension"


def test_missing_library_names_the_package_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    missing = x11._Library("breakd-no-such-lib", "libbreakd-no-such.so.9", "libxss1")
    monkeypatch.setattr(x11, "_LIBXSS", missing)
    x11._libraries.cache_clear()
    try:
        with pytest.raises(IdleSourceUnavailable) as raised:
            X11IdleSource(":0")
    finally:
        x11._libraries.cache_clear()

    message = str(raised.value)
    if message.startswith("cannot load libX11"):
        skip_or_fail(message)
    assert message == "cannot load libbreakd-no-such.so.9 (install the Debian package libxss1)"


# Runs in a child process: if the source let Xlib's I/O error reach exit(), only the
# child dies and the test reports it.
DEAD_SERVER_CHILD = """
import sys
from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.idle.x11 import X11IdleSource

source = X11IdleSource(sys.argv[1])
if sys.argv[2] == "xlib":
    source._connection_lost = lambda: False  # skip the poll: Xlib meets the dead socket
source.idle_seconds()
print("ready", flush=True)
sys.stdin.readline()
if sys.argv[2] == "poll":
    source._xss = None  # the pre-check alone must stop the query: no Xlib call at all
for _ in range(2):
    try:
        source.idle_seconds()
    except IdleSourceUnavailable as error:
        print("unavailable:", error, flush=True)
    else:
        print("no error", flush=True)
source.close()
print("closed", flush=True)
"""


def _read_line(stream: IO[str], timeout: float) -> str:
    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if ready else ""


@pytest.mark.desktop
@pytest.mark.parametrize("detected_by", ["poll", "xlib"])
def test_dead_server_raises_instead_of_exiting(detected_by: str) -> None:
    """Both layers: the poll pre-check sees the hang-up; or the Xlib I/O handlers catch it."""
    require_tools("Xvfb")
    require_xlibs()
    if detected_by == "xlib" and not x11._libraries()[2]:
        pytest.skip("libX11 < 1.7 has no XSetIOErrorExitHandler; only the poll check exists")
    xvfb, display = start_xvfb(screen="320x200x24")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", DEAD_SERVER_CHILD, display, detected_by],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        first = _read_line(child.stdout, 10.0)
        stop_process(xvfb)
        child.stdin.write("go\n")
        child.stdin.flush()
        out, err = child.communicate(timeout=10.0)
    finally:
        stop_process(xvfb)
        stop_process(child)

    assert first == "ready\n", err
    expected = f"unavailable: the X server on {display} went away"
    assert (child.returncode, out.splitlines()) == (0, [expected, expected, "closed"]), err
    assert "XIO" not in err
