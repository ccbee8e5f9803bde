"""A small Wayland server built on the real libwayland-server, offering ext_idle_notifier_v1,
for tests: the one compositor in Debian bookworm that offers that protocol, KWin 5.27
(tests/kwin.py), offers version 1 only (its wlroots is 0.15, without the protocol).

tests/wayland_server/idle_server.c is compiled once per test session with gcc against
the code wayland-scanner generates from wayland-protocols' ext-idle-notify-v1.xml. That
XML (1.31) is version 1; version 2 adds one request, get_input_idle_notification, which
is added to a copy of the XML here as wayland-protocols 1.38 has it. libwayland checks
each request a client sends against those generated tables: a wrong opcode or argument
is a protocol error, as it would be from a compositor.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.desktop import (
    COMMAND_TIMEOUT,
    START_TIMEOUT,
    require_tools,
    skip_or_fail,
    stop_process,
    wait_until,
)

SOURCE = Path(__file__).parent / "wayland_server" / "idle_server.c"
PROTOCOL_XML = Path("/usr/share/wayland-protocols/staging/ext-idle-notify/ext-idle-notify-v1.xml")
INPUT_IDLE_REQUEST = """
    <request name="get_input_idle_notification" since="2">
      <arg name="id" type="new_id" interface="ext_idle_notification_v1"/>
      <arg name="timeout" type="uint" summary="minimum idle timeout in msec"/>
      <arg name="seat" type="object" interface="wl_seat"/>
    </request>
"""
"""Version 2's request, as wayland-protocols 1.38 adds it after get_idle_notification."""
_built: Path | None = None


def _version_2_xml(directory: Path) -> Path:
    """The packaged version-1 XML with version 2's request added."""
    text = PROTOCOL_XML.read_text()
    if 'name="get_input_idle_notification"' not in text:
        for interface in ("ext_idle_notifier_v1", "ext_idle_notification_v1"):
            old = f'<interface name="{interface}" version="1">'
            assert old in text, f"{PROTOCOL_XML} has no {old}"
            text = text.replace(old, old.replace('version="1"', 'version="2"'))
        end_of_request = text.index("</request>", text.index('name="get_idle_notification"'))
        cut = end_of_request + len("</request>")
        text = text[:cut] + INPUT_IDLE_REQUEST + text[cut:]
    path = directory / "ext-idle-notify-v1.xml"
    path.write_text(text)
    return path


def build_server() -> Path:
    """The server's binary, built once per test session; skips (fails in CI) when the
    compiler, wayland-scanner or the protocol XML is missing."""
    global _built
    if _built is not None and _built.exists():
        return _built
    require_tools("gcc", "wayland-scanner", "pkg-config")
    if not PROTOCOL_XML.exists():
        skip_or_fail(f"no {PROTOCOL_XML} (Debian package wayland-protocols)")
    directory = Path(tempfile.mkdtemp(prefix="breakd-idle-server-"))
    atexit.register(shutil.rmtree, directory, True)
    xml = _version_2_xml(directory)
    header = directory / "ext-idle-notify-v1-server-protocol.h"
    code = directory / "ext-idle-notify-v1-protocol.c"
    binary = directory / "idle_server"
    flags = subprocess.run(
        ["pkg-config", "--cflags", "--libs", "wayland-server"],
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )
    if flags.returncode != 0:
        skip_or_fail(
            f"no wayland-server for pkg-config (Debian package libwayland-dev): {flags.stderr}"
        )
    for argv in (
        ["wayland-scanner", "server-header", str(xml), str(header)],
        ["wayland-scanner", "private-code", str(xml), str(code)],
        [
            "gcc",
            "-Wall",
            "-Werror",
            "-I",
            str(directory),
            "-o",
            str(binary),
            str(SOURCE),
            str(code),
            *flags.stdout.split(),
        ],
    ):
        subprocess.run(argv, check=True, capture_output=True, timeout=60)
    _built = binary
    return binary


@dataclass
class IdleServer:
    """The running server: its socket, what it said on stdout, and commands to it."""

    display: str
    """The absolute path of its socket."""
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.strip())

    def wait_for(self, line: str) -> None:
        wait_until(
            lambda: line in self.lines,
            COMMAND_TIMEOUT,
            0.01,
            f"the server never said {line!r}: {self.lines}",
        )

    def tell(self, command: str) -> None:
        """Send `command` ("idled", "resumed") to every notification; back once it went out."""
        assert self.process.stdin is not None
        before = self.lines.count(f"done {command}")
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        wait_until(
            lambda: self.lines.count(f"done {command}") > before,
            COMMAND_TIMEOUT,
            0.01,
            f"the server did not do {command!r}",
        )

    def stop(self) -> None:
        stop_process(self.process)


@contextmanager
def idle_server(notifier_version: int) -> Iterator[IdleServer]:
    """The server offering ext_idle_notifier_v1 at `notifier_version`, stopped by PID after."""
    binary = build_server()
    directory = Path(tempfile.mkdtemp(prefix="breakd-idle-server-run-"))
    try:
        process = subprocess.Popen(
            [str(binary), "wayland-idle-test", str(notifier_version)],
            env={**os.environ, "XDG_RUNTIME_DIR": str(directory)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        server = IdleServer(str(directory / "wayland-idle-test"), process)
        threading.Thread(target=server._read, daemon=True).start()
        try:
            wait_until(
                lambda: "ready" in server.lines or process.poll() is not None, START_TIMEOUT, 0.01
            )
            if "ready" not in server.lines:
                raise RuntimeError(f"the idle server did not start: {server.lines}")
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
