"""kill -9 of the real daemon while it writes history, again and again: every record it
acknowledged is there, at most the one being written is lost, and `breakd stats` reads
the rest."""

from __future__ import annotations

import json
import random
import signal
import threading
from datetime import date
from pathlib import Path

from breakd.history_reader import read_days
from tests.e2e.daemon_process import DaemonProcess, isolated_env

CONFIG = """\
sitting:
  remind_after: 1h
  break_after_idle: 1h
  repeat_every: 0s
notify:
  backend: log
"""
KILLS = 6


def test_kill_9_while_writing_loses_at_most_the_record_being_written(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    directory = Path(env["XDG_DATA_HOME"]) / "breakd" / "history"
    process = DaemonProcess(tmp_path, CONFIG, env=env)
    acknowledged = {"reminder": 0, "answer": 0}
    rng = random.Random(11)
    for _ in range(KILLS):
        process.start()
        stop = threading.Event()

        def hammer(stop: threading.Event) -> None:
            """remind-now, snooze, remind-now, ...: each writes one record before its reply."""
            while not stop.is_set():
                for command, kind, args in (
                    ("remind-now", "reminder", {}),
                    ("snooze", "answer", {"seconds": 60}),
                ):
                    try:
                        reply = process.ask(command, **args)
                    except (OSError, ValueError):
                        return  # killed mid-request
                    if reply is None or reply.get("ok") is not True:
                        return
                    acknowledged[kind] += 1

        writer = threading.Thread(target=hammer, args=(stop,))
        writer.start()
        stop.wait(rng.uniform(0.2, 0.6))
        process.signal(signal.SIGKILL)
        assert process.proc is not None
        process.proc.wait(timeout=10)
        stop.set()
        writer.join(timeout=10)
        assert not writer.is_alive()

        reading = read_days(directory, date(2000, 1, 1), date(2100, 1, 1))
        written = {
            kind: sum(
                1
                for e in reading.entries
                if e.kind == kind and (kind != "reminder" or e.details["repeat"] == 0)
            )
            for kind in acknowledged
        }
        assert len(reading.problems) <= KILLS  # at most a torn line a kill
        for kind, count in acknowledged.items():
            assert count <= written[kind] <= count + 1, (kind, reading.problems)
            acknowledged[kind] = written[kind]  # one in flight may have made it: count it now

    process.start()
    result = process.cli("stats", "--json", "--week")
    process.stop()
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["reminders"] == acknowledged["reminder"] > 20
    assert found["snoozed"] == acknowledged["answer"]
    assert len(result.stderr.splitlines()) <= 1  # torn lines, if any, in one report
