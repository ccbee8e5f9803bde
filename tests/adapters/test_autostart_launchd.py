"""The macOS LaunchAgent: the plist's content, and the launchctl calls behind a Runner.

Not covered here: a real launchd. Whether macOS loads this plist, starts
breakd at login and restarts it is not tested on this machine; the plist is
checked key by key against launchd.plist(5), and the launchctl sequence
(`print` to see if it is loaded, `bootout`, `bootstrap gui/<uid> <plist>`)
against a recording Runner.
"""

from __future__ import annotations

import plistlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from breakd.adapters.autostart import AutostartError, CommandResult, Ownership
from breakd.adapters.autostart.launchd import LABEL, LaunchAgent
from breakd.adapters.autostart.ownership import PLIST_KEY

ARGV = ["/Users/me/.venv/bin/python", "-m", "breakd", "--config", "/Users/me/my breakd.yaml", "run"]
OK = CommandResult(0, "", "")
NOT_LOADED = CommandResult(113, "", f'Could not find service "{LABEL}" in domain for user gui: 501')


class RecordingRunner:
    def __init__(self, answers: Mapping[str, CommandResult] | None = None) -> None:
        self.answers = dict(answers or {})
        self.calls: list[str] = []

    def __call__(
        self, argv: Sequence[str], extra_env: Mapping[str, str] | None = None
    ) -> CommandResult:
        assert argv[0] == "/bin/launchctl"
        command = " ".join(argv[1:])
        self.calls.append(command)
        return self.answers.get(command, OK)


def agent(
    home: Path, runner: RecordingRunner, launchctl: str | None = "/bin/launchctl"
) -> LaunchAgent:
    return LaunchAgent(home, runner, launchctl, 501)


def test_the_plist_round_trips_with_the_keys_launchd_needs(tmp_path: Path) -> None:
    launch_agent = agent(tmp_path, RecordingRunner())
    launch_agent.install(ARGV)
    assert launch_agent.path == tmp_path / "Library" / "LaunchAgents" / f"{LABEL}.plist"
    with launch_agent.path.open("rb") as stream:
        plist = plistlib.load(stream)
    log = str(tmp_path / "Library" / "Logs" / "breakd.log")
    assert plist == {
        "Label": LABEL,
        "ProgramArguments": ARGV,
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "ProcessType": "Interactive",
        "StandardOutPath": log,
        "StandardErrorPath": log,
        PLIST_KEY: plist[PLIST_KEY],
    }
    assert (tmp_path / "Library" / "Logs").is_dir()
    assert launch_agent.inspect(ARGV) is Ownership.CURRENT
    assert launch_agent.inspect([*ARGV[:3], "run"]) is Ownership.STALE


def test_an_edited_plist_is_not_breakds_any_more(tmp_path: Path) -> None:
    launch_agent = agent(tmp_path, RecordingRunner())
    launch_agent.install(ARGV)
    with launch_agent.path.open("rb") as stream:
        plist = plistlib.load(stream)
    plist["Nice"] = 10
    launch_agent.path.write_bytes(plistlib.dumps(plist))
    assert launch_agent.inspect(ARGV) is Ownership.CHANGED


def test_enable_bootstraps_into_the_gui_domain(tmp_path: Path) -> None:
    runner = RecordingRunner({f"print gui/501/{LABEL}": NOT_LOADED})
    launch_agent = agent(tmp_path, runner)
    launch_agent.install(ARGV)
    lines = launch_agent.activate(replaced=False)
    assert runner.calls == [f"print gui/501/{LABEL}", f"bootstrap gui/501 {launch_agent.path}"]
    assert lines == [
        f"loaded {LABEL} into launchd (gui/501); logs: {tmp_path}/Library/Logs/breakd.log"
    ]


def test_a_loaded_agent_is_left_alone_unless_replaced(tmp_path: Path) -> None:
    runner = RecordingRunner()
    agent(tmp_path, runner).activate(replaced=False)
    assert runner.calls == [f"print gui/501/{LABEL}"]
    runner.calls.clear()
    launch_agent = agent(tmp_path, runner)
    launch_agent.activate(replaced=True)
    assert runner.calls == [
        f"print gui/501/{LABEL}",
        f"bootout gui/501/{LABEL}",
        f"bootstrap gui/501 {launch_agent.path}",
    ]


def test_a_failed_bootstrap_is_one_line(tmp_path: Path) -> None:
    runner = RecordingRunner(
        {
            f"print gui/501/{LABEL}": NOT_LOADED,
            f"bootstrap gui/501 {tmp_path}/Library/LaunchAgents/{LABEL}.plist": CommandResult(
                5, "", "Bootstrap failed: 5: Input/output error\n"
            ),
        }
    )
    with pytest.raises(AutostartError) as raised:
        agent(tmp_path, runner).activate(replaced=False)
    assert str(raised.value) == (
        f"`launchctl bootstrap gui/501 {tmp_path}/Library/LaunchAgents/{LABEL}.plist` failed: "
        "Bootstrap failed: 5: Input/output error"
    )


def test_disable_boots_out_a_loaded_agent(tmp_path: Path) -> None:
    runner = RecordingRunner()
    launch_agent = agent(tmp_path, runner)
    launch_agent.install(ARGV)
    assert launch_agent.deactivate() == [f"stopped and unloaded {LABEL}"]
    launch_agent.remove()
    assert runner.calls == [f"print gui/501/{LABEL}", f"bootout gui/501/{LABEL}"]
    assert not launch_agent.path.exists()


def test_without_launchctl_the_plist_is_written_with_a_note(tmp_path: Path) -> None:
    """--method launchd on Linux: useful for dotfiles; nothing is run."""
    runner = RecordingRunner()
    launch_agent = agent(tmp_path, runner, launchctl=None)
    launch_agent.install(ARGV)
    (line,) = launch_agent.activate(replaced=False)
    assert line.startswith("launchctl not found")
    assert launch_agent.live_state() is None
    assert runner.calls == []
