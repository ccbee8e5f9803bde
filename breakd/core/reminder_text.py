"""The words of a reminder, in the configured language."""

from __future__ import annotations

from breakd.core import busy_reasons
from breakd.core.durations import spoken_duration
from breakd.core.record import record
from breakd.core.stretches import STRETCHES, Language
from breakd.core.words import WORDS, Words

APP_NAME = "breakd"


@record
class ReminderMessage:
    exercise: str
    title: str
    body: str
    repeat: int
    app_name: str = APP_NAME


def compose_reminder(
    exercise: str,
    language: Language,
    hold_seconds: float,
    sitting_seconds: float,
    repeat: int = 0,
    held_by: frozenset[str] = frozenset(),
) -> ReminderMessage:
    """Title names the stretch; body gives the starting position (first prompt only), the
    one cue that matters, the hold, and how long seated."""
    stretch = STRETCHES[exercise]
    text = stretch.text[language]
    words = WORDS[language]
    hold = (words.hold_each_side if stretch.each_side else words.hold).format(
        hold=spoken_duration(hold_seconds, language)
    )
    title = (
        _held_title(held_by, words) if held_by else words.title_repeat if repeat else words.title
    )
    title = title.format(name=text.name)
    lines = [text.start] if repeat == 0 else []
    lines += [text.cue, hold]
    if sitting_seconds >= 60:
        lines.append(words.seated.format(seated=spoken_duration(sitting_seconds, language)))
    return ReminderMessage(exercise, title, "\n".join(lines), repeat)


def _held_title(held_by: frozenset[str], words: type[Words]) -> str:
    """The title of a prompt that waited: named after what the user was busy with."""
    kinds = busy_reasons.kinds(held_by)
    if kinds & busy_reasons.IN_A_CALL:
        return words.call
    if kinds == {busy_reasons.DND}:
        return words.dnd
    if kinds == {busy_reasons.FULLSCREEN}:
        return words.fullscreen
    return words.busy


def exercise_name(exercise: str, language: Language) -> str:
    return STRETCHES[exercise].text[language].name
