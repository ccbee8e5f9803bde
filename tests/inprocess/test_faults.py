"""Faults around a running daemon: it reports them and keeps working."""

from __future__ import annotations

import os
from pathlib import Path

from tests.inprocess.harness import InProcessDaemon
from tests.inprocess.test_daemon_day import MIN, run


def test_a_reload_from_a_named_pipe_is_refused_and_the_daemon_keeps_answering(
    tmp_path: Path,
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        d.guard.expected += ["config reload failed", "not a regular file (a named pipe)"]
        d.config_file.unlink()
        os.mkfifo(d.config_file)
        assert d.daemon is not None
        d.daemon.reload()  # returns at once: nothing waits for a writer
        assert any("a named pipe" in message for message in d.guard.messages())
        await d.advance(45 * MIN + 1)
        assert await d.state() == "reminding"

    run(tmp_path, scenario, "sitting:\n  remind_after: 45m\n")
