"""`breakd autostart` through the real CLI, on a machine without a running systemd user instance.

The per-test XDG dirs from conftest hold no `systemd/private`, so the default
method here is xdg, and `--method systemd` runs the real `systemctl --user`
offline (SYSTEMD_OFFLINE=1): it enables the unit with a symlink and says it
starts with the next login. A live `systemd --user` is in
tests/e2e/test_autostart_systemd.py.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.desktop import require_tools
from tests.e2e.daemon_process import DaemonProcess, cli

PYTHON = os.path.abspath(sys.executable)


@dataclass(frozen=True)
class Case:
    method: str
    args: tuple[str, ...]  # how the test asks for it
    relative_path: str  # under XDG_CONFIG_HOME
    title: str
    enabled_line: str  # what enable says about the OS side
    disabled_lines: tuple[str, ...]
    live_line: str | None  # status's second line


XDG = Case(
    "xdg",
    (),  # the default here
    "autostart/breakd.desktop",
    "XDG autostart entry",
    "breakd starts at your next graphical login (desktops that follow XDG autostart); "
    "to start it now: breakd run",
    (),
    None,
)
SYSTEMD = Case(
    "systemd",
    ("--method", "systemd"),
    "systemd/user/breakd.service",
    "systemd user unit",
    "systemctl --user cannot reach a systemd user instance here, so breakd.service is enabled "
    "but not started: it starts with your next graphical login",
    ("systemctl --user cannot reach a systemd user instance; disabled breakd.service",),
    "  breakd.service: enabled (no systemd user instance answers here)",
)


def config_home() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"])


def run(*args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if home is not None:
        env["HOME"] = str(home)
    return cli(*args, env=env)


def lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return result.stdout.splitlines()


def one_error(result: subprocess.CompletedProcess[str], code: int) -> str:
    """The single stderr line of a failed command, after checking its exit code."""
    assert result.returncode == code, (result.stdout, result.stderr)
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr.rstrip("\n")


@pytest.mark.parametrize("case", [XDG, SYSTEMD], ids=["xdg", "systemd-offline"])
def test_the_whole_lifecycle(case: Case) -> None:
    if case.method == "systemd":
        require_tools("systemctl")
    path = config_home() / case.relative_path
    wants = config_home() / "systemd/user/graphical-session.target.wants/breakd.service"
    command = shlex.join([PYTHON, "-m", "breakd", "run"])

    enabled = run("autostart", "enable", *case.args)
    assert (enabled.returncode, enabled.stderr) == (0, "")
    assert lines(enabled) == [
        f"wrote {path} ({case.title}), which runs: {command}",
        case.enabled_line,
    ]
    written = path.read_bytes()
    assert wants.is_symlink() == (case.method == "systemd")

    status = run("autostart", "status")
    assert (status.returncode, status.stderr) == (0, "")
    expected = [f"autostart: {case.method} ({case.title}) {path}: up to date"]
    expected += [case.live_line] if case.live_line else []
    assert lines(status) == [*expected, "daemon: not running"]

    again = run("autostart", "enable", *case.args)
    assert (again.returncode, again.stderr) == (0, "")
    assert lines(again) == [f"{path} is already up to date; nothing changed", case.enabled_line]
    assert path.read_bytes() == written

    path.write_bytes(written + b"# my own note\n")
    refused = run("autostart", "enable", *case.args)
    assert one_error(refused, 1) == (
        f"breakd: {path} was edited since breakd wrote it; not replacing it "
        "(use --force to replace it)"
    )
    assert path.read_bytes().endswith(b"# my own note\n")
    assert f"{path}: edited since breakd wrote it" in run("autostart", "status").stdout

    not_removed = run("autostart", "disable")
    assert one_error(not_removed, 1) == (
        f"breakd: {path} was edited since breakd wrote it; not removing it "
        "(use --force to remove it anyway)"
    )
    assert path.exists()

    forced = run("autostart", "enable", *case.args, "--force")
    assert (forced.returncode, forced.stderr) == (0, "")
    assert lines(forced)[0] == f"replaced {path} ({case.title}), which runs: {command}"
    assert path.read_bytes() == written

    disabled = run("autostart", "disable")
    assert (disabled.returncode, disabled.stderr) == (0, "")
    assert lines(disabled) == [*case.disabled_lines, f"removed {path}"]
    assert not path.exists()
    assert not wants.exists() and not wants.is_symlink()
    leftovers = [p for p in config_home().rglob("*") if p.is_file() or p.is_symlink()]
    assert leftovers == []

    nothing = run("autostart", "disable")
    assert (nothing.returncode, lines(nothing)) == (
        0,
        ["breakd autostart is not set up; nothing to remove"],
    )


def test_status_when_nothing_is_set_up_names_the_default() -> None:
    result = run("autostart", "status")
    assert lines(result) == [
        "autostart: not set up; `breakd autostart enable` would write "
        f"{config_home() / 'autostart/breakd.desktop'} (xdg)",
        "daemon: not running",
    ]


def test_a_file_for_another_command_is_replaced_without_force(tmp_path: Path) -> None:
    """As after moving the venv: breakd's own untouched file is rewritten freely."""
    (tmp_path / "a.yaml").write_text("notify: {backend: log}\n")
    (tmp_path / "b c.yaml").write_text("notify: {backend: log}\n")
    entry = config_home() / "autostart/breakd.desktop"
    assert run("--config", str(tmp_path / "a.yaml"), "autostart", "enable").returncode == 0
    stale = run("autostart", "status", "--method", "xdg")
    assert f"{entry}: written by breakd for another command" in stale.stdout
    moved = run("--config", str(tmp_path / "b c.yaml"), "autostart", "enable")
    assert (moved.returncode, moved.stderr) == (0, "")
    assert lines(moved)[0] == (
        f"replaced {entry} (XDG autostart entry), which runs: "
        f"{shlex.join([PYTHON, '-m', 'breakd', '--config', str(tmp_path / 'b c.yaml'), 'run'])}"
    )
    assert f'--config "{tmp_path}/b c.yaml" run' in entry.read_text()


def test_a_relative_config_is_written_absolute(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("notify: {backend: log}\n")
    result = subprocess.run(
        [sys.executable, "-m", "breakd", "--config", "mine.yaml", "autostart", "enable"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    text = (config_home() / "autostart/breakd.desktop").read_text()
    assert f"Exec={PYTHON} -m breakd --config {tmp_path}/mine.yaml run" in text.splitlines()


def test_a_file_breakd_did_not_write_is_left_alone() -> None:
    entry = config_home() / "autostart/breakd.desktop"
    entry.parent.mkdir(parents=True)
    mine = "[Desktop Entry]\nType=Application\nName=breakd\nExec=breakd run\n"
    entry.write_text(mine)
    refused = run("autostart", "enable")
    assert one_error(refused, 1) == (
        f"breakd: {entry} was not written by breakd; not replacing it (use --force to replace it)"
    )
    refused = run("autostart", "disable")
    assert one_error(refused, 1).startswith(f"breakd: {entry} was not written by breakd;")
    assert entry.read_text() == mine
    assert run("autostart", "disable", "--force").returncode == 0
    assert not entry.exists()


def test_a_broken_config_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("sitting:\n  remind_after: 45\n")
    result = run("--config", str(broken), "autostart", "enable")
    assert result.returncode == 2
    assert result.stderr.startswith(f"breakd: {broken}:2: sitting.remind_after:")
    assert not (config_home() / "autostart").exists()
    missing = run("--config", str(tmp_path / "nope.yaml"), "autostart", "enable")
    assert missing.returncode == 2, missing.stderr
    assert len(missing.stderr.splitlines()) == 1


def test_launchd_off_macos_writes_the_plist_with_a_note(tmp_path: Path) -> None:
    if sys.platform == "darwin":
        pytest.skip("on macOS this would load the agent into the real launchd")
    home = tmp_path / "home"
    plist = home / "Library/LaunchAgents/org.breakd.breakd.plist"
    enabled = run("autostart", "enable", "--method", "launchd", home=home)
    assert (enabled.returncode, enabled.stderr) == (0, "")
    assert lines(enabled)[1] == (
        "launchctl not found (this is not macOS?), so the agent is not loaded now; "
        "launchd loads it at the next login on macOS"
    )
    assert plist.is_file()
    status = run("autostart", "status", "--method", "launchd", home=home)
    assert lines(status)[0] == f"autostart: launchd (launchd agent) {plist}: up to date"
    disabled = run("autostart", "disable", "--method", "launchd", home=home)
    assert lines(disabled)[-1] == f"removed {plist}"
    assert not plist.exists()


@pytest.mark.parametrize("method", ["cron", "windows"])  # Windows: not supported
def test_an_unknown_method_is_a_usage_error(method: str) -> None:
    result = run("autostart", "enable", "--method", method)
    assert result.returncode == 2
    assert f"invalid choice: '{method}'" in result.stderr


def test_two_methods_set_up_get_a_note() -> None:
    require_tools("systemctl")
    assert run("autostart", "enable", "--method", "xdg").returncode == 0
    both = run("autostart", "enable", "--method", "systemd")
    assert lines(both)[-1] == (
        "note: breakd is also set up with xdg; remove that with "
        "`breakd autostart disable --method xdg` so it is not started twice"
    )
    disabled = run("autostart", "disable")
    assert disabled.returncode == 0
    assert [line for line in lines(disabled) if line.startswith("removed ")] == [
        f"removed {config_home() / 'systemd/user/breakd.service'}",
        f"removed {config_home() / 'autostart/breakd.desktop'}",
    ]


def test_breakd_status_does_not_import_autostart() -> None:
    """`breakd status` stays cheap: none of this code loads on its path."""
    probe = (
        "import sys\n"
        "from breakd.cli import main\n"
        "main(['status'])\n"
        "print(sorted(name for name in sys.modules if 'autostart' in name))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.stdout.strip() == "[]", result.stderr


def test_every_autostart_action_has_help() -> None:
    for action in ("enable", "disable", "status"):
        result = cli("autostart", action, "--help")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"usage: breakd autostart {action}")


def test_enable_while_breakd_runs_says_it_runs_rather_than_how_to_start_it(
    tmp_path: Path,
) -> None:
    daemon = DaemonProcess(tmp_path, "notify:\n  backend: log\n").start()
    try:
        pid = daemon.status()["pid"]
        enabled = daemon.cli("autostart", "enable", "--method", "xdg")
    finally:
        daemon.stop()
    assert (enabled.returncode, enabled.stderr) == (0, "")
    assert lines(enabled)[1] == (
        "breakd starts at your next graphical login (desktops that follow XDG autostart); "
        f"it is running now (pid {pid})"
    )
