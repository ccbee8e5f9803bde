"""`breakd status --follow`: one line per change, for a status bar, for as long as the bar runs.

The daemon pushes the status over one connection; this prints each as a line of
the chosen format (`status_formats.py`), flushed, and skips a line that would
repeat the last one. While the daemon is not running it prints a "not running"
line once and tries again every `RETRY_EVERY` seconds; when the daemon is back,
the live lines resume. A bar that quits (stdout closed) ends it quietly.
"""

from __future__ import annotations

import os
import sys
import time

from breakd.errors import BreakdError, DaemonNotRunning
from breakd.ipc import client
from breakd.status_formats import render

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from breakd.core.stretches import Language

RETRY_EVERY = 2.0
"""Seconds between tries to reach a daemon that is not running."""

RECONNECT_AT_MOST_EVERY = 1.0
"""A connection that ends is tried again at once, but not more often than this: a
daemon that is stopping must not make the follower spin."""


class Lines:
    """The output: each line written and flushed, one that repeats the last one left out."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._last: str | None = None

    def write(self, line: str) -> None:
        if line == self._last:
            return
        self._out.write(line + "\n")
        self._out.flush()
        self._last = line


def follow(form: str, out: TextIO = sys.stdout) -> int:
    """Print the status in `form` at every change until interrupted; 0 when stdout closes."""
    lines = Lines(out)
    language: Language = "en"  # the last daemon's, for the "not running" line
    said: str | None = None
    last_try = float("-inf")
    try:
        while True:
            time.sleep(max(0.0, last_try + RECONNECT_AT_MOST_EVERY - time.monotonic()))
            last_try = time.monotonic()
            try:
                for status in client.follow():
                    language = status.get("language", language)
                    lines.write(render(form, status, language))
                    said = None
                continue  # the connection ended: a restart, most likely; try again at once
            except DaemonNotRunning as error:
                lines.write(render(form, None, language, str(error)))
            except BreakdError as error:  # e.g. a daemon from before an upgrade
                if str(error) != said:
                    print(f"breakd: {error}", file=sys.stderr, flush=True)
                    said = str(error)
                lines.write(render(form, None, language, str(error)))
            time.sleep(RETRY_EVERY)
    except BrokenPipeError:
        _quiet_stdout()
        return 0


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that Python's flush at exit finds no closed pipe to
    complain about."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)
