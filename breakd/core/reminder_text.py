"""The words of a reminder, in the configured language."""

from __future__ import annotations

from dataclasses import dataclass

from breakd.core import busy_reasons
from breakd.core.stretches import STRETCHES, Language

APP_NAME = "breakd"

_WORDS: dict[Language, dict[str, str]] = {
    "en": {
        "title": "Stretch break: {name}",
        "title_repeat": "Still sitting: {name}",
        "hold": "Hold {hold}.",
        "hold_each_side": "Hold {hold} each side.",
        "seated": "Seated for {seated}.",
        "hour": "h",
        "call": "Call's over: {name}",
        "dnd": "Do not disturb is off: {name}",
        "fullscreen": "Out of full screen: {name}",
        "busy": "Free again: {name}",
    },
    "nl": {
        "title": "Rekpauze: {name}",
        "title_repeat": "Nog steeds aan het zitten: {name}",
        "hold": "Houd {hold} vast.",
        "hold_each_side": "Houd {hold} vast, per kant.",
        "seated": "Je zit al {seated}.",
        "hour": "uur",
        "call": "Gesprek voorbij: {name}",
        "dnd": "Niet storen is uit: {name}",
        "fullscreen": "Volledig scherm dicht: {name}",
        "busy": "Weer vrij: {name}",
    },
}


@dataclass(frozen=True)
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
    """Title names the stretch; body gives the one cue that matters, the hold, and how long seated."""
    stretch = STRETCHES[exercise]
    text = stretch.text[language]
    words = _WORDS[language]
    title_key = _held_title(held_by) if held_by else "title_repeat" if repeat else "title"
    title = words[title_key].format(name=text.name)
    hold = words["hold_each_side" if stretch.each_side else "hold"].format(
        hold=spoken_duration(hold_seconds, language)
    )
    lines = [text.cue, hold]
    if sitting_seconds >= 60:
        lines.append(words["seated"].format(seated=spoken_duration(sitting_seconds, language)))
    return ReminderMessage(exercise, title, "\n".join(lines), repeat)


def _held_title(held_by: frozenset[str]) -> str:
    """The title of a prompt that waited: named after what the user was busy with."""
    kinds = busy_reasons.kinds(held_by)
    if kinds & busy_reasons.IN_A_CALL:
        return "call"
    if kinds == {busy_reasons.DND}:
        return "dnd"
    if kinds == {busy_reasons.FULLSCREEN}:
        return "fullscreen"
    return "busy"


def exercise_name(exercise: str, language: Language) -> str:
    return STRETCHES[exercise].text[language].name


def spoken_duration(seconds: float, language: Language) -> str:
    """A duration as people write it in a sentence: "30 s", "45 min", "1 h 5 min"."""
    hour = _WORDS[language]["hour"]
    total = int(seconds)
    if total < 60:
        return f"{total} s"
    hours, minutes = divmod(total // 60, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} {hour} {minutes} min" if minutes else f"{hours} {hour}"
