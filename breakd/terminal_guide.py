"""`breakd guide` in a terminal: the guide's frames as one live countdown line.

For servers that cannot show buttons or replace a notification, for the plyer
and log notifiers, and over SSH. The daemon runs the guide; this only draws it.
It counts each phase down itself and asks the daemon again only when a phase
ends, or every few seconds to notice a pause: the guide must not cost the
daemon more wake-ups than its own once a second.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from breakd.core.guide import GuideFrame, Phase
from breakd.core.guide_text import compose_guide
from breakd.core.words import WORDS
from breakd.ipc.client import call

TYPE_CHECKING = False
if TYPE_CHECKING:
    from breakd.core.stretches import Language
    from breakd.ipc.status import StatusReply

LOOK_AGAIN = 5.0
"""Seconds between looks at the daemon within a phase: a pause shows within this."""
BAR = 20


def follow(status: StatusReply, out: TextIO = sys.stdout) -> int:
    """Draw the guide from `status` on until it ends, is cancelled or answered; Ctrl-C
    cancels it (nothing counts). Returns the exit code."""
    try:
        return _follow(status, out)
    except KeyboardInterrupt:
        out.write("\n")
        reply = call("cancel", {})
        print(reply.get("message", ""), file=out)
        return 130


def _follow(status: StatusReply, out: TextIO) -> int:
    language = status["language"]
    done_before = status["done_count"]
    exercise = status["exercise"]
    while True:
        guide = status["guide"]
        if guide is None:  # run to its end, cancelled, or answered some other way
            if status["done_count"] > done_before:
                end = compose_guide(GuideFrame(exercise, Phase.END, 0, 100), language)
                _draw(out, f"{end.title}. {end.body}", 100)
            else:
                _draw(out, WORDS[language].guide_cancelled, 0)
            out.write("\n")
            return 0
        exercise = guide["exercise"]  # the end names it, not the next one up
        frame = GuideFrame(
            exercise,
            Phase(guide["phase"]),
            guide["seconds_left"],
            guide["value"],
            guide["paused"],
        )
        looked = time.monotonic()
        if frame.paused:
            message = compose_guide(frame, language)
            _draw(out, f"{message.title}: {message.body}", frame.value)
            time.sleep(LOOK_AGAIN)
        else:
            _count_down(frame, language, out, looked)
        status = call("status", {})["status"]


def _count_down(frame: GuideFrame, language: Language, out: TextIO, looked: float) -> None:
    """Draw this phase's seconds to go, once a second, until it ends or it is time to
    look at the daemon again."""
    total = round(frame.seconds_left * 100 / max(1, 100 - frame.value))
    left = frame.seconds_left
    while left > 0:
        value = round(100 * (total - left) / total) if total else 0
        drawn = GuideFrame(frame.exercise, frame.phase, left, value, False)
        message = compose_guide(drawn, language)
        _draw(out, f"{message.title}: {message.body.splitlines()[0]}", value)
        time.sleep(1.0)
        left -= 1
        if time.monotonic() - looked >= LOOK_AGAIN:
            break


def _draw(out: TextIO, text: str, value: int) -> None:
    filled = BAR * value // 100
    bar = "#" * filled + "-" * (BAR - filled)
    out.write(f"\r\x1b[K[{bar}] {text}")
    out.flush()
