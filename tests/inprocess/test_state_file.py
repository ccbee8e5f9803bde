"""A state file the daemon cannot use is set aside, and the daemon starts fresh.

The restart itself (what carries over) is in test_daemon_day.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.inprocess.harness import InProcessDaemon
from tests.inprocess.test_daemon_day import run


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"version": 1, "exercise": ', "is not valid JSON"),
        (json.dumps({"version": 99}), "was written by a newer breakd (state version 99)"),
    ],
    ids=["corrupt", "newer"],
)
def test_an_unusable_state_file_is_set_aside_not_fatal(
    tmp_path: Path, text: str, said: str
) -> None:
    (tmp_path / "state.json").write_text(text)

    async def scenario(d: InProcessDaemon) -> None:
        status = await d.status()
        assert (status["exercise"], status["done_count"]) == ("standing-lunge", 0)

    daemon = run(tmp_path, scenario)
    [aside] = tmp_path.glob("state.json.unreadable-*")
    assert aside.read_text() == text
    state_file = tmp_path / "state.json"
    [warning] = [m for m in daemon.guard.messages() if m.startswith("state file ")]
    assert warning == f"state file {state_file} {said}; moved it to {aside} and started fresh"
