"""The real status bars read `breakd status --follow`: i3blocks and polybar, as users set them up.

i3blocks prints the i3bar protocol on stdout and needs no display; polybar's
`--stdout` prints what it would draw, with an X server to start on (Xvfb); waybar
draws on a headless sway, where grim takes a picture of the bar and the class's
colour from the docs' style sheet shows that waybar read the line. Each runs the
follower with the settings of docs/bars/.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.desktop import require_tools, start_xvfb, stop_process, wait_until
from tests.e2e.daemon_process import DaemonProcess, isolated_env
from tests.e2e.test_follow import CONFIG

BARS = Path(__file__).resolve().parents[2] / "docs" / "bars"


def from_docs(name: str, *env: str) -> str:
    """A bar config of docs/bars/, running this checkout's breakd (with `env`, NAME=VALUE)."""
    text = (BARS / name).read_text()
    assert "breakd status --follow" in text
    prefix = f"env {' '.join(map(shlex.quote, env))} " if env else ""
    return text.replace("breakd ", f"{prefix}{shlex.quote(sys.executable)} -m breakd ")


class Bar:
    """A bar in a process group of its own (it starts the follower), and its output lines."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, wanted: Callable[[str], bool], after: int = 0) -> int:
        """The index of the first line from `after` on that is `wanted`."""

        def found() -> int | None:
            return next(
                (i for i, line in enumerate(self.lines[after:], after) if wanted(line)), None
            )

        return wait_until(found, timeout=15, interval=0.02, message=f"bar output: {self.lines}")

    def stop(self) -> None:
        """End the bar and the follower it started."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
        stop_process(self.proc)


@pytest.fixture
def daemon(tmp_path: Path, daemons: list[DaemonProcess]) -> DaemonProcess:
    started = DaemonProcess(tmp_path, CONFIG, env=isolated_env(tmp_path)).start()
    daemons.append(started)
    return started


@pytest.fixture
def bars() -> Iterator[list[Bar]]:
    started: list[Bar] = []
    yield started
    for bar in started:
        bar.stop()


def i3blocks_block(line: str) -> dict[str, object] | None:
    """Our block in one line of i3bar protocol (`[{...},{...}]`, after the first with a comma)."""
    if not line.startswith(("[", ",[")) or line in ("[", "[[]"):
        return None
    blocks = json.loads(line.lstrip(","))
    return next((block for block in blocks if block.get("name") == "breakd"), None)


def test_i3blocks_shows_the_follower_and_each_change(
    daemon: DaemonProcess, bars: list[Bar], tmp_path: Path
) -> None:
    require_tools("i3blocks")
    config = tmp_path / "i3blocks.conf"
    config.write_text(from_docs("i3blocks.conf"))
    bar = Bar(["i3blocks", "-c", str(config)], daemon.env)
    bars.append(bar)

    def shows(text: str, color: str | None = None) -> Callable[[str], bool]:
        def check(line: str) -> bool:
            block = i3blocks_block(line)
            return block is not None and block["full_text"] == text and block.get("color") == color

        return check

    index = bar.wait_for(shows("sitting 0 min, stretch in 1 h"))
    assert daemon.cli("pause").returncode == 0
    index = bar.wait_for(shows("paused", "#9a9996"), after=index)
    block = i3blocks_block(bar.lines[index])
    assert block is not None and block["short_text"] == "paused"
    assert daemon.cli("resume").returncode == 0
    bar.wait_for(shows("sitting 0 min, stretch in 1 h"), after=index)


def test_polybar_shows_the_follower_and_each_change_with_its_colour(
    daemon: DaemonProcess, bars: list[Bar], tmp_path: Path
) -> None:
    require_tools("polybar", "Xvfb")
    xvfb, display = start_xvfb()
    try:
        config = tmp_path / "polybar.ini"
        config.write_text("[bar/test]\nmodules-left = breakd\n\n" + from_docs("polybar.ini"))
        bar = Bar(
            ["polybar", "-c", str(config), "--stdout", "test"], daemon.env | {"DISPLAY": display}
        )
        bars.append(bar)
        index = bar.wait_for(
            lambda line: line.endswith("breakd sitting 0 min, stretch in 1 h%{A}%{A}%{A}%{PR}")
        )
        assert daemon.cli("pause").returncode == 0
        bar.wait_for(lambda line: "breakd %{F#9a9996}paused%{F-}%{A}" in line, after=index)
        bar.stop()
    finally:
        stop_process(xvfb)


def colour_pixels(display: str, colour: str, picture: Path) -> int:
    """How many pixels of the bar (the screen's top 40 rows) are exactly `colour`."""
    subprocess.run(
        ["grim", "-g", "0,0 1280x40", "-t", "ppm", str(picture)],
        env={**os.environ, "WAYLAND_DISPLAY": display},
        check=True,
        capture_output=True,
        timeout=10,
    )
    kind, _size, _depth, body = picture.read_bytes().split(b"\n", 3)
    assert kind == b"P6"
    wanted = bytes.fromhex(colour.lstrip("#"))
    return sum(body[i : i + 3] == wanted for i in range(0, len(body), 3))


def test_waybar_shows_the_follower_and_styles_each_class(
    daemon: DaemonProcess, bars: list[Bar], tmp_path: Path
) -> None:
    require_tools("waybar", "grim", "sway", "setpriv")
    from tests.wayland import sway_session

    grey = "#9a9996"  # paused, in docs/bars/waybar-style.css
    assert grey in (BARS / "waybar-style.css").read_text()
    runtime = daemon.socket_path.parent.parent
    config = tmp_path / "waybar.jsonc"
    module = from_docs("waybar-config.jsonc", f"XDG_RUNTIME_DIR={runtime}")
    config.write_text('{"layer": "top", "modules-left": ["custom/breakd"],\n' + module + "\n}\n")
    with sway_session() as sway:
        socket = Path(sway.display)
        env = {key: value for key, value in daemon.env.items() if key != "DISPLAY"}
        env |= {
            "WAYLAND_DISPLAY": socket.name,  # GTK looks for it in XDG_RUNTIME_DIR
            "XDG_RUNTIME_DIR": str(socket.parent),
            "GDK_BACKEND": "wayland",
            "GSETTINGS_BACKEND": "memory",
            "NO_AT_BRIDGE": "1",
        }
        style = BARS / "waybar-style.css"
        bar = Bar(["waybar", "-c", str(config), "-s", str(style), "-l", "debug"], env)
        bars.append(bar)
        picture = tmp_path / "bar.ppm"
        bar.wait_for(lambda line: "Bar configured" in line)
        assert daemon.cli("pause").returncode == 0
        wait_until(
            lambda: colour_pixels(sway.display, grey, picture) > 10,
            timeout=15,
            message=f"the paused class never showed; waybar: {bar.lines}",
        )
        assert daemon.cli("resume").returncode == 0
        wait_until(
            lambda: colour_pixels(sway.display, grey, picture) == 0,
            timeout=15,
            message=f"the sitting class never showed; waybar: {bar.lines}",
        )
        bar.stop()
