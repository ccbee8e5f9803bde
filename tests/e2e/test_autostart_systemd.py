"""`breakd autostart` against a real `systemd --user`, through the real CLI and systemctl.

systemd --user only starts on a machine booted with systemd, so it runs in a
private mount namespace with a tmpfs over /run/systemd that holds the
`system` folder it looks for. That needs root (CI runs as root); nothing
outside the namespace and the test's temp dirs is touched. The manager gets
the test's XDG_RUNTIME_DIR and XDG_CONFIG_HOME, and passes them on to the
service, so the daemon's socket lands in `$XDG_RUNTIME_DIR/breakd/` where the
CLI looks. It has no DISPLAY: the daemon counts the user as present.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.paths import socket_path
from tests.desktop import require_tools, skip_or_fail, stop_process, wait_until
from tests.e2e.daemon_process import DaemonProcess, cli

SYSTEMD = Path("/lib/systemd/systemd")
START_IN_NAMESPACE = (
    f"mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system && exec {SYSTEMD} --user"
)


def systemctl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["systemctl", "--user", *args], capture_output=True, text=True, timeout=30, check=False
    )


@pytest.fixture
def user_systemd(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real systemd --user for this test's XDG dirs; stopped by its Popen handle."""
    require_tools("unshare", "mount", "systemctl")
    if not os.access(SYSTEMD, os.X_OK):
        skip_or_fail(f"{SYSTEMD} not installed (Debian: systemd)")
    if os.geteuid() != 0:
        skip_or_fail("a private mount namespace (unshare -m) needs root")
    private = Path(os.environ["XDG_RUNTIME_DIR"]) / "systemd" / "private"
    log_path = tmp_path / "systemd.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            ["unshare", "-m", "sh", "-c", START_IN_NAMESPACE],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:

        def ready() -> bool:
            if proc.poll() is not None:
                raise AssertionError(
                    f"systemd --user exited with {proc.returncode}: {log_path.read_text()}"
                )
            return private.is_socket() and systemctl("show-environment").returncode == 0

        wait_until(ready, timeout=15, interval=0.05, message=f"no systemd --user at {private}")
        yield proc
    finally:
        stop_process(proc, timeout=15)


def test_enable_starts_the_daemon_under_systemd_and_disable_stops_it(
    user_systemd: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    runtime_dir = os.environ["XDG_RUNTIME_DIR"]
    environment = systemctl("show-environment").stdout.splitlines()
    assert f"XDG_RUNTIME_DIR={runtime_dir}" in environment
    assert not any(line.startswith("DISPLAY=") for line in environment)

    # A config path that needs quoting in ExecStart=: a space, a specifier, a variable.
    config = tmp_path / "my config 100% ${HOME}" / "breakd.yaml"
    config.parent.mkdir()
    config.write_text("notify:\n  backend: log\n")
    unit = Path(os.environ["XDG_CONFIG_HOME"]) / "systemd/user/breakd.service"
    argv = [os.path.abspath(sys.executable), "-m", "breakd", "--config", str(config), "run"]

    enabled = cli("--config", str(config), "autostart", "enable", timeout=60)
    assert (enabled.returncode, enabled.stderr) == (0, "")
    assert enabled.stdout.splitlines()[:2] == [
        f"wrote {unit} (systemd user unit), which runs: {shlex.join(argv)}",
        "breakd.service is enabled and running; logs: journalctl --user -u breakd",
    ]

    def answering() -> dict[str, object] | None:
        result = cli("status", "--json")
        return json.loads(result.stdout) if result.returncode == 0 else None

    status = wait_until(
        answering,
        timeout=20,
        interval=0.1,
        message=f"breakd never answered; {systemctl('status', 'breakd.service').stdout}",
    )
    assert status["config"] == str(config)
    main_pid = systemctl("show", "--property=MainPID", "--value", "breakd.service").stdout
    assert status["pid"] == int(main_pid)
    assert socket_path() == Path(runtime_dir) / "breakd" / "control.sock"
    assert socket_path().is_socket()
    assert systemctl("is-enabled", "breakd.service").stdout.strip() == "enabled"

    report = cli("--config", str(config), "autostart", "status")
    assert report.stdout.splitlines() == [
        f"autostart: systemd (systemd user unit) {unit}: up to date",
        "  breakd.service: enabled, active",
        f"daemon: running (pid {status['pid']})",
    ]

    again = cli("--config", str(config), "autostart", "enable", timeout=60)
    assert again.stdout.splitlines()[0] == f"{unit} is already up to date; nothing changed"
    assert cli("status", "--json").returncode == 0

    disabled = cli("autostart", "disable", timeout=60)
    assert (disabled.returncode, disabled.stderr) == (0, "")
    assert disabled.stdout.splitlines() == [
        "stopped and disabled breakd.service",
        f"removed {unit}",
    ]
    wait_until(
        lambda: cli("status").returncode == 3,
        timeout=15,
        message="breakd still answers after disable",
    )
    assert not unit.exists()
    assert systemctl("is-active", "breakd.service").stdout.strip() == "inactive"
    assert not list(unit.parent.rglob("breakd.service"))


def test_enable_while_breakd_runs_outside_systemd_enables_without_starting_a_second(
    user_systemd: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    daemon = DaemonProcess(tmp_path, "notify:\n  backend: log\n").start()
    try:
        pid = daemon.status()["pid"]
        enabled = daemon.cli("autostart", "enable", "--method", "systemd")
        assert (enabled.returncode, enabled.stderr) == (0, "")
        assert enabled.stdout.splitlines()[1] == (
            "breakd.service is enabled and starts with your next graphical login; breakd runs "
            f"now outside systemd (pid {pid}): to hand it to systemd, stop that one, then: "
            "systemctl --user start breakd.service"
        )
        assert systemctl("is-enabled", "breakd.service").stdout.strip() == "enabled"
        assert systemctl("is-active", "breakd.service").stdout.strip() == "inactive"
        assert daemon.status()["pid"] == pid
    finally:
        daemon.stop()
        cli("autostart", "disable", timeout=60)
