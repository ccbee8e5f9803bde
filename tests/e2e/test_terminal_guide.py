"""`breakd guide` in a terminal (tmux, as over SSH): the live countdown line.

The daemon runs with the log notifier, which shows no guide: the terminal is the
only place the countdown is drawn. Second-scale settings: 1 s into position, 5 s
hold.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop import require_tools, wait_until
from tests.e2e.daemon_process import DaemonProcess, isolated_env

CONFIG = """\
sitting:
  remind_after: 1h
exercises:
  hold: 5s
guide:
  get_ready: 1s
notify:
  backend: log
"""


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[DaemonProcess]:
    running = DaemonProcess(tmp_path, CONFIG, env=isolated_env(tmp_path)).start()
    yield running
    running.stop()


def guide_in_tmux(
    daemon: DaemonProcess, tmp_path: Path, *args: str, what: str
) -> tuple[list[str], list[str]]:
    """Run `breakd guide ARGS` in a tmux pane until it exits: the pane's last screen (the
    line and "exit=N") and every first line it showed on the way; `what` says, should it
    not finish, what was waited for."""
    require_tools("tmux")
    server = ["tmux", "-L", f"breakd-{tmp_path.name}", "-f", "/dev/null"]
    command = f"{sys.executable} -m breakd guide {' '.join(args)}; echo exit=$?; sleep 60"
    subprocess.run(
        [*server, "new-session", "-d", "-x", "100", "-y", "5", command],
        env=daemon.env,
        check=True,
        timeout=10,
    )
    seen: list[str] = []

    def screen() -> list[str]:
        lines = subprocess.run(
            [*server, "capture-pane", "-p"], capture_output=True, text=True, timeout=10
        ).stdout.splitlines()
        lines = [line.rstrip() for line in lines if line.strip()]
        if lines and (not seen or seen[-1] != lines[0]):
            seen.append(lines[0])
        return lines

    try:
        lines = wait_until(
            lambda: (lines := screen()) and lines[-1] == "exit=0" and lines,
            timeout=20,
            interval=0.1,
            message=f"{what} (seen: {seen})",
        )
    finally:
        subprocess.run([*server, "kill-server"], check=False, timeout=10)
    return lines, seen


def test_the_countdown_line_counts_down_in_place_and_finishes(
    daemon: DaemonProcess, tmp_path: Path
) -> None:
    lines, seen = guide_in_tmux(
        daemon, tmp_path, "prone-press-up", what="the guide did not finish in the terminal"
    )

    # One line, redrawn in place: the terminal shows it and the exit code, nothing else.
    assert len(lines) == 2, lines
    assert lines[0] == (
        "[####################] Well done: Prone press-up. "
        "Stretch done; sitting time starts again from 0."
    )
    holds = [line for line in seen if "Prone press-up: hold: " in line]
    assert len(holds) >= 3, seen  # counted down, second by second
    assert holds[0].endswith("5 s to go") and holds[0].startswith("[--------------------]")
    assert any(line.endswith("Get into position: Prone press-up: 1 s to go") for line in seen)
    status = daemon.status()
    assert (status["state"], status["done_count"]) == ("sitting", 1)


def test_breakd_guide_in_a_terminal_follows_the_guide_already_under_way(
    daemon: DaemonProcess, tmp_path: Path
) -> None:
    require_tools("tmux")
    assert daemon.cli("guide", "prone-press-up").returncode == 0  # not on a terminal
    daemon.wait_for_state("guiding")
    lines, seen = guide_in_tmux(
        daemon, tmp_path, what="the terminal did not follow the guide to its end"
    )

    # Not refused as a second guide: the one under way, counted down to its end.
    assert not any("already under way" in line for line in seen), seen
    assert any("Prone press-up: hold: " in line for line in seen), seen
    assert lines[0].startswith("[####################] Well done: Prone press-up.")
    status = daemon.status()
    assert (status["state"], status["done_count"]) == ("sitting", 1)  # one guide, once
