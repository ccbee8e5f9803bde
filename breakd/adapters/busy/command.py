"""One short command (`gsettings get`, `pactl list`) run from the daemon's loop.

A watcher that is cancelled or times out while the command runs must not
leave it running or its pipes open, so the process is killed and reaped
whatever happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import os

from breakd.core.record import record


@record
class CommandResult:
    returncode: int
    stdout: str
    stderr: str


class CommandTimedOut(Exception):
    """The command gave no answer in time (and was killed)."""


async def run_command(argv: list[str], timeout: float) -> CommandResult:
    """Run `argv` with the daemon's environment in the C locale; its output as text."""
    process = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "LC_ALL": "C"},
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), timeout)
    except BaseException as error:  # timed out, or the watcher was cancelled
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        await asyncio.shield(process.communicate())
        if isinstance(error, asyncio.TimeoutError):
            raise CommandTimedOut(f"{argv[0]} gave no answer within {timeout:g} s") from None
        raise
    assert process.returncode is not None
    return CommandResult(
        process.returncode, out.decode(errors="replace"), err.decode(errors="replace")
    )
