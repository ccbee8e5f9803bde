"""What the D-Bus do-not-disturb signals share: the words of their probes."""

from __future__ import annotations


def dnd_now(what: str, on: bool) -> str:
    """A do-not-disturb probe's sentence: what is watched, then the switch as it is now."""
    return f"{what} (now: do not disturb is {'on' if on else 'off'})"
