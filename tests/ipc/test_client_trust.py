"""The CLI sends nothing to a socket it cannot trust, and says why in one line.

The tests put a listener where the daemon's socket would be and check that the
listener never receives a byte.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from breakd import paths
from tests.desktop import skip_or_fail

NOBODY = 65534


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "breakd", *args],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A socket where breakd's would be, in a private runtime dir, that never answers."""
    paths.runtime_dir().mkdir(mode=0o700)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(paths.socket_path()))
    sock.listen(1)
    yield sock
    sock.close()


def received(sock: socket.socket) -> bytes:
    """Everything any connection sent, without waiting."""
    sock.setblocking(False)
    data = b""
    try:
        while True:
            connection, _ = sock.accept()
            connection.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                data += connection.recv(65536)
            connection.close()
    except BlockingIOError:
        return data


def as_root() -> None:
    if os.getuid() != 0:
        skip_or_fail("needs root to make files of another user")


def test_a_runtime_dir_of_another_user_is_refused(listener: socket.socket) -> None:
    as_root()
    os.chown(paths.runtime_dir(), NOBODY, NOBODY)
    result = cli("status")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"breakd: runtime directory: {paths.runtime_dir()} belongs to uid {NOBODY}, not to you\n"
    )
    assert received(listener) == b""


def test_a_runtime_dir_others_can_enter_is_refused(listener: socket.socket) -> None:
    os.chmod(paths.runtime_dir(), 0o755)
    result = cli("status")
    assert result.stderr == (
        f"breakd: runtime directory: {paths.runtime_dir()} can be entered by other users"
        " (mode 755)\n"
    )
    assert received(listener) == b""


def test_a_server_running_as_another_user_is_not_talked_to() -> None:
    """SO_PEERCRED gives the uid the server had when it called listen()."""
    as_root()
    paths.runtime_dir().mkdir(mode=0o700)
    script = (
        "import os, socket, sys, time\n"
        "s = socket.socket(socket.AF_UNIX)\n"
        f"s.bind({str(paths.socket_path())!r})\n"
        f"os.setuid({NOBODY})\n"
        "s.listen(1)\n"
        "print('ready', flush=True)\n"
        "c, _ = s.accept()\n"
        "c.settimeout(2)\n"
        "print(repr(c.recv(100)), flush=True)\n"
    )
    server = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        assert server.stdout.readline() == "ready\n"
        result = cli("status")
        assert result.stderr == (
            f"breakd: the process at {paths.socket_path()} runs as uid {NOBODY}, not as you;"
            " not talking to it\n"
        )
        assert server.stdout.readline() == "b''\n"  # the client hung up without a byte
    finally:
        server.kill()
        server.wait()


def test_a_directory_at_the_socket_path_is_a_clear_error_for_cli_and_daemon() -> None:
    paths.runtime_dir().mkdir(mode=0o700)
    paths.socket_path().mkdir()
    expected = f"{paths.socket_path()} is a directory, not breakd's socket; remove it"
    result = cli("status")
    assert result.stderr == f"breakd: runtime directory: {expected}\n"
    daemon = cli("run")
    assert (daemon.returncode, daemon.stderr.splitlines()[-1]) == (
        1,
        f"breakd: cannot listen on the control socket: {expected}",
    )
    assert "Traceback" not in daemon.stderr


def test_a_daemon_whose_queue_is_full_gives_a_busy_line_not_a_traceback(
    listener: socket.socket,
) -> None:
    waiting = []
    for _ in range(64):  # fill the backlog of a listener that never accepts
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.setblocking(False)
        try:
            client.connect(str(paths.socket_path()))
        except BlockingIOError:
            client.close()
            break
        waiting.append(client)
    started = time.monotonic()
    result = cli("status")
    assert time.monotonic() - started < 5
    assert (result.returncode, result.stderr) == (1, "breakd: breakd is busy; try again\n")
    for client in waiting:
        client.close()
