"""The control socket of a real daemon, spoken to directly: the protocol's edges."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd import paths
from breakd.ipc import protocol
from tests.e2e.daemon_process import DaemonProcess

SLOW_CONFIG = "sitting:\n  remind_after: 1h\nnotify:\n  backend: log\n"


@pytest.fixture(scope="module")
def daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    """The runtime dir sits right in /tmp, so a test can open the way to the socket for
    another user by loosening only dirs of its own, never pytest's shared temp dirs."""
    workdir = tmp_path_factory.mktemp("daemon")
    runtime = Path(tempfile.mkdtemp(prefix="breakd-runtime-", dir="/tmp"))
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "XDG_STATE_HOME": str(workdir / "state")}
    process = DaemonProcess(workdir, SLOW_CONFIG, env=env).start()
    try:
        yield process
    finally:
        process.stop()
        shutil.rmtree(runtime)


def exchange(daemon: DaemonProcess, payload: bytes) -> dict[str, object]:
    path = Path(daemon.env["XDG_RUNTIME_DIR"]) / "breakd" / "control.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(str(path))
        sock.sendall(payload)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert reply.endswith(b"\n") and reply.count(b"\n") == 1
    return json.loads(reply)


def test_a_well_formed_request_gets_the_status(daemon: DaemonProcess) -> None:
    reply = exchange(daemon, protocol.request("status"))
    assert reply["ok"] is True
    assert reply["breakd"] == protocol.PROTOCOL_VERSION
    assert reply["status"]["state"] == "sitting"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (b"not json\n", protocol.BAD_REQUEST),
        (b"[1, 2]\n", protocol.BAD_REQUEST),
        (b'{"breakd": 2, "command": "status"}\n', protocol.VERSION_MISMATCH),
        (b'{"command": "status"}\n', protocol.VERSION_MISMATCH),
        (b'{"breakd": 1, "command": "explode", "args": {}}\n', protocol.UNKNOWN_COMMAND),
        (b'{"breakd": 1, "command": 7}\n', protocol.BAD_REQUEST),
        (b'{"breakd": 1, "command": "snooze", "args": {"seconds": -5}}\n', protocol.BAD_ARGUMENT),
        (b'{"breakd": 1, "command": "pause", "args": {"seconds": "1h"}}\n', protocol.BAD_ARGUMENT),
        (b"x" * (protocol.MAX_MESSAGE_BYTES + 10) + b"\n", protocol.BAD_REQUEST),
    ],
)
def test_bad_requests_get_a_named_error_and_the_daemon_lives_on(
    daemon: DaemonProcess, payload: bytes, code: str
) -> None:
    reply = exchange(daemon, payload)
    assert reply["ok"] is False
    assert reply["error"] == code
    assert isinstance(reply["message"], str) and reply["message"]
    assert exchange(daemon, protocol.request("status"))["ok"] is True


def test_a_client_that_sends_nothing_does_not_block_others(daemon: DaemonProcess) -> None:
    path = Path(daemon.env["XDG_RUNTIME_DIR"]) / "breakd" / "control.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as idle_client:
        idle_client.connect(str(path))
        assert exchange(daemon, protocol.request("status"))["ok"] is True


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to connect as another user")
def test_another_user_is_refused_even_with_access_to_the_socket(daemon: DaemonProcess) -> None:
    """The 0700 directory already keeps others out; the peer-uid check is the second lock.

    Open the directory and socket up on purpose, then connect as `nobody`, again and
    again: the log says so once, not once per knock.
    """
    path = Path(daemon.env["XDG_RUNTIME_DIR"]) / "breakd" / "control.sock"
    directories = [path.parent, path.parent.parent]  # /tmp, above them, lets anyone through
    saved = {d: d.stat().st_mode for d in directories}
    saved_socket = path.stat().st_mode
    try:
        for directory in directories:
            os.chmod(directory, saved[directory] | 0o011)
        os.chmod(path, 0o666)
        probe = (  # knocks 20 times, as a script in a loop would
            "import os, socket, sys\n"
            "os.setgid(65534); os.setuid(65534)\n"
            "for _ in range(20):\n"
            "    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])\n"
            "    try:\n        s.sendall(sys.argv[2].encode())\n"
            "    except BrokenPipeError:\n        pass  # refused before the request was read\n"
            "    reply = s.recv(65536).decode()\n"
            "print(reply)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", probe, str(path), protocol.request("status").decode()],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    finally:
        os.chmod(path, saved_socket)
        for directory, mode in saved.items():
            os.chmod(directory, mode)
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert (reply["ok"], reply["error"]) == (False, protocol.PERMISSION_DENIED)
    assert daemon.log().count("refused a control connection from uid 65534") == 1  # not 20


def test_the_runtime_dir_is_made_private_again_if_loosened(tmp_path: Path) -> None:
    runtime = paths.runtime_dir()
    runtime.mkdir(mode=0o755)
    os.chmod(runtime, 0o755)
    process = DaemonProcess(tmp_path, SLOW_CONFIG).start()
    try:
        assert runtime.stat().st_mode & 0o777 == 0o700
    finally:
        process.stop()
