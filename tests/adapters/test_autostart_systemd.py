"""The systemd user unit: checked by systemd's own verifier, and its systemctl calls.

The systemctl sequences here run against a recording Runner, with a real
listening socket standing in for a user instance's `systemd/private`; the real
`systemctl` and a real `systemd --user` are driven in
tests/e2e/test_autostart_systemd.py and test_autostart_cli.py.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from breakd.adapters.autostart import AutostartError, CommandResult, Ownership, launch_argv
from breakd.adapters.autostart.select import default_method
from breakd.adapters.autostart.systemd import (
    UNIT,
    SystemdUserUnit,
    quote_exec_start,
    user_manager_reachable,
)
from tests.desktop import require_tools
from tests.systemd_verify import systemd_verify

OK = CommandResult(0, "", "")


class RecordingRunner:
    """Answers every command with `answers.get(argv[2:] as a string, OK)` and remembers it."""

    def __init__(self, answers: Mapping[str, CommandResult] | None = None) -> None:
        self.answers = dict(answers or {})
        self.calls: list[tuple[str, bool]] = []

    def __call__(
        self, argv: Sequence[str], extra_env: Mapping[str, str] | None = None
    ) -> CommandResult:
        assert list(argv[:2]) == ["/usr/bin/systemctl", "--user"]
        command = " ".join(argv[2:])
        self.calls.append((command, (extra_env or {}).get("SYSTEMD_OFFLINE") == "1"))
        return self.answers.get(command, OK)


@pytest.fixture
def live_runtime_dir(tmp_path: Path) -> Iterator[Path]:
    """A runtime dir whose systemd/private accepts connections, as a user instance's does."""
    runtime = tmp_path / "rt"
    (runtime / "systemd").mkdir(parents=True)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(str(runtime / "systemd" / "private"))
        listener.listen(8)
        yield runtime


def unit_for(config_home: Path, runtime: Path | None, runner: RecordingRunner) -> SystemdUserUnit:
    return SystemdUserUnit(
        config_home, None if runtime is None else str(runtime), runner, "/usr/bin/systemctl"
    )


@pytest.mark.parametrize("config", [None, "x y/config.yaml", "odd 50% $HOME 'q' \"d\" \\b;.yaml"])
def test_the_unit_passes_systemd_analyze_verify(
    tmp_path: Path, config: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_tools("systemd-analyze")
    monkeypatch.chdir(tmp_path)
    unit = unit_for(tmp_path / "cfg", None, RecordingRunner())
    unit.install(launch_argv(config))
    result = systemd_verify(unit.path)
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "")


def test_an_interpreter_path_with_spaces_and_specifiers_passes_verify(tmp_path: Path) -> None:
    """ExecStart's program path is quoted and %-escaped, and `$` there stays single."""
    require_tools("systemd-analyze")
    odd = tmp_path / "my venv 100%" / "bin$x"
    odd.mkdir(parents=True)
    (odd / "python").symlink_to(sys.executable)
    unit = unit_for(tmp_path / "cfg", None, RecordingRunner())
    unit.install(launch_argv(None, executable=str(odd / "python")))
    result = systemd_verify(unit.path)
    assert (result.returncode, result.stderr) == (0, "")


def test_verify_catches_a_missing_interpreter(tmp_path: Path) -> None:
    """The check above can fail: a unit naming a Python that is gone does not pass."""
    require_tools("systemd-analyze")
    unit = unit_for(tmp_path / "cfg", None, RecordingRunner())
    unit.install(launch_argv(None, executable=str(tmp_path / "gone" / "python")))
    result = systemd_verify(unit.path)
    assert result.returncode != 0
    assert "gone/python" in result.stderr


def test_the_unit_runs_with_the_graphical_session(tmp_path: Path) -> None:
    text = unit_for(tmp_path, None, RecordingRunner()).render(["/venv/bin/python", "-m", "breakd"])
    lines = set(text.splitlines())
    assert {
        "PartOf=graphical-session.target",
        "After=graphical-session.target",
        "WantedBy=graphical-session.target",
        "Restart=on-failure",
        "ExecStart=/venv/bin/python -m breakd",
    } <= lines
    assert not any(line.startswith(("StandardError=", "StandardOutput=")) for line in lines)


def test_exec_start_quoting() -> None:
    assert quote_exec_start(["/a b/py$x", "--config", '/c 5%/$d "q" \\.yaml', "run"]) == (
        '"/a b/py$x" --config "/c 5%%/$$d \\"q\\" \\\\.yaml" run'
    )


def test_reachable_means_a_manager_answers_on_the_private_socket(
    tmp_path: Path, live_runtime_dir: Path
) -> None:
    assert user_manager_reachable(str(live_runtime_dir))
    assert default_method("linux", str(live_runtime_dir)) == "systemd"
    stale = tmp_path / "stale"
    (stale / "systemd").mkdir(parents=True)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as gone:
        gone.bind(str(stale / "systemd" / "private"))  # bound, never listening: a dead manager
    assert not user_manager_reachable(str(stale))
    assert default_method("linux", str(stale)) == "xdg"
    assert not user_manager_reachable(str(tmp_path / "nothing"))
    assert not user_manager_reachable(None)
    assert not user_manager_reachable("relative/dir")


def test_other_platforms_default_to_their_own_method(tmp_path: Path) -> None:
    assert default_method("darwin", str(tmp_path)) == "launchd"
    assert default_method("freebsd14", str(tmp_path)) == "xdg"


def test_enable_with_a_live_manager_reloads_and_starts(
    tmp_path: Path, live_runtime_dir: Path
) -> None:
    runner = RecordingRunner()
    unit = unit_for(tmp_path / "cfg", live_runtime_dir, runner)
    lines = unit.activate(replaced=False)
    assert runner.calls == [
        ("daemon-reload", False),
        (f"enable --now {UNIT}", False),
        ("is-active graphical-session.target", False),
    ]
    assert lines == [f"{UNIT} is enabled and running; logs: journalctl --user -u breakd"]


def test_replacing_the_unit_restarts_a_running_breakd(
    tmp_path: Path, live_runtime_dir: Path
) -> None:
    """After a moved venv the old process must not keep running the old command."""
    runner = RecordingRunner()
    unit_for(tmp_path / "cfg", live_runtime_dir, runner).activate(replaced=True)
    assert [call for call, _ in runner.calls][:3] == [
        "daemon-reload",
        f"try-restart {UNIT}",
        f"enable --now {UNIT}",
    ]


def test_a_session_without_graphical_session_target_gets_a_note(
    tmp_path: Path, live_runtime_dir: Path
) -> None:
    runner = RecordingRunner(
        {"is-active graphical-session.target": CommandResult(3, "inactive\n", "")}
    )
    lines = unit_for(tmp_path / "cfg", live_runtime_dir, runner).activate(replaced=False)
    assert len(lines) == 2
    assert lines[1].startswith("note: graphical-session.target is not active")
    assert "--method xdg" in lines[1]


def test_a_failing_systemctl_is_one_line_naming_the_command(
    tmp_path: Path, live_runtime_dir: Path
) -> None:
    failure = CommandResult(
        1,
        "",
        "Job for breakd.service failed because the control process exited with error code.\n"
        'See "systemctl --user status breakd.service" and "journalctl --user -xeu breakd.service" for details.\n',
    )
    runner = RecordingRunner({f"enable --now {UNIT}": failure})
    with pytest.raises(AutostartError) as raised:
        unit_for(tmp_path / "cfg", live_runtime_dir, runner).activate(replaced=False)
    assert str(raised.value) == (
        f"`systemctl --user enable --now {UNIT}` failed: Job for breakd.service failed "
        "because the control process exited with error code."
    )


def test_without_a_manager_the_unit_is_enabled_offline(tmp_path: Path) -> None:
    runner = RecordingRunner()
    unit = unit_for(tmp_path / "cfg", tmp_path / "no-manager", runner)
    lines = unit.activate(replaced=False)
    assert runner.calls == [(f"enable {UNIT}", True)]
    assert lines == [
        f"systemctl --user cannot reach a systemd user instance here, so {UNIT} is enabled "
        "but not started: it starts with your next graphical login"
    ]


def test_without_systemctl_the_unit_is_only_written(tmp_path: Path) -> None:
    unit = SystemdUserUnit(tmp_path / "cfg", None, RecordingRunner(), None)
    unit.install(["/venv/bin/python", "-m", "breakd", "run"])
    assert unit.activate(replaced=False)[0].startswith("systemctl not found")
    assert unit.live_state() is None
    assert unit.inspect(["/venv/bin/python", "-m", "breakd", "run"]) is Ownership.CURRENT


def test_disable_stops_then_removes_then_reloads(tmp_path: Path, live_runtime_dir: Path) -> None:
    runner = RecordingRunner()
    unit = unit_for(tmp_path / "cfg", live_runtime_dir, runner)
    unit.install(["/venv/bin/python", "-m", "breakd", "run"])
    assert unit.deactivate() == [f"stopped and disabled {UNIT}"]
    unit.remove()
    assert runner.calls == [(f"disable --now {UNIT}", False), ("daemon-reload", False)]
    assert not unit.path.exists()


def test_status_asks_systemctl_for_enabled_and_active(
    tmp_path: Path, live_runtime_dir: Path
) -> None:
    runner = RecordingRunner(
        {
            f"is-enabled {UNIT}": CommandResult(0, "enabled\n", ""),
            f"is-active {UNIT}": CommandResult(3, "failed\n", ""),
        }
    )
    assert unit_for(tmp_path, live_runtime_dir, runner).live_state() == f"{UNIT}: enabled, failed"
