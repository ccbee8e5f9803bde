"""The words of a guided stretch's frames, in the configured language.

Imported when a guide's first frame is shown, not before.
"""

from __future__ import annotations

from typing import Literal

from breakd.core.durations import spoken_duration
from breakd.core.guide import CUES, GuideFrame, Phase
from breakd.core.record import record
from breakd.core.reminder_text import APP_NAME
from breakd.core.stretches import STRETCHES, Language
from breakd.core.words import WORDS

Kind = Literal["running", "paused", "end"]
"""What the frame offers: Cancel while it runs; carry on, finished or cancel while it
waits paused; nothing at the end, which goes by itself."""


@record
class GuideMessage:
    exercise: str
    title: str
    body: str
    kind: Kind
    value: int | None
    """The progress bar's `value` (percent of the phase gone); None at the end."""
    cue: bool = False
    """A sound goes with this frame (switch sides, the end), where sounds are on."""
    app_name: str = APP_NAME


def compose_guide(frame: GuideFrame, language: Language) -> GuideMessage:
    """Title says what to do now, body the time to go and the stretch's own line."""
    words = WORDS[language]
    text = STRETCHES[frame.exercise].text[language]
    left = words.guide_left.format(left=spoken_duration(frame.seconds_left, language))
    # The sound goes with a cue's first second only, not with each update.
    cue = frame.phase is Phase.END or (frame.phase in CUES and frame.value == 0)
    if frame.phase is Phase.END:
        title = words.guide_end_title.format(name=text.name)
        return GuideMessage(frame.exercise, title, words.guide_end, "end", None, cue)
    if frame.paused:
        title = words.guide_paused_title.format(name=text.name)
        body = words.guide_paused.format(left=spoken_duration(frame.seconds_left, language))
        return GuideMessage(frame.exercise, title, body, "paused", frame.value)
    titles = {
        Phase.POSITION: words.guide_position.format(name=text.name),
        Phase.SIDE_ONE: words.guide_side_one,
        Phase.SWITCH: words.guide_switch,
        Phase.SIDE_TWO: words.guide_side_two,
        Phase.HOLD: words.guide_hold.format(name=text.name),
    }
    line = {
        Phase.POSITION: text.start,
        Phase.SWITCH: words.guide_switch_body,
    }.get(frame.phase, text.cue)
    body = f"{left}\n{line}"
    return GuideMessage(frame.exercise, titles[frame.phase], body, "running", frame.value, cue)
