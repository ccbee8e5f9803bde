"""A guide's cue sounds through a player on the system, where the notification server
plays none (it does not announce the `sound` capability).

freedesktop sound theme names (`bell`, `complete`): canberra-gtk-play takes the name,
paplay and pw-play a file of the theme. Loaded with the guide's first cue, not before.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

THEME = Path("/usr/share/sounds/freedesktop/stereo")
PLAYERS = ("canberra-gtk-play", "paplay", "pw-play")


def player_command(name: str) -> list[str] | None:
    """How to play the theme sound `name` here; None when no player is found."""
    for player in PLAYERS:
        path = shutil.which(player)
        if path is None:
            continue
        if player == "canberra-gtk-play":
            return [path, "--id", name, "--description", "breakd"]
        sound = THEME / f"{name}.oga"
        if sound.is_file():
            return [path, str(sound)]
    return None


async def play(name: str) -> None:
    """Start the player and let it run: a cue must never hold the countdown up."""
    command = player_command(name)
    if command is None:
        return
    try:
        process = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
    except OSError as error:
        log.info("could not play the %s sound: %s", name, error)
        return
    asyncio.get_running_loop().create_task(process.wait())  # reaped when it ends
