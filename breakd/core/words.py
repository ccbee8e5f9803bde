"""Every text breakd shows in the user's language, one class per language.

`Words` names each text once; every language sets all of them, and
tests/core/test_words.py fails for a text that one language lacks or adds.
Placeholders in braces are filled with `str.format`. The stretches' own words
(name, steps, cue) are content written and checked with each stretch, so they
stay beside it in stretches.py, where a test holds them to the same rule.

Imports nothing at run time: `breakd status` reaches this module through the
spoken durations.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar

    from breakd.core.stretches import Language


class Words:
    """The texts a language must give."""

    # A reminder's title and body (reminder_text.py).
    title: ClassVar[str]
    title_repeat: ClassVar[str]
    hold: ClassVar[str]
    hold_each_side: ClassVar[str]
    seated: ClassVar[str]
    # The title of a reminder that waited, after what the user was busy with.
    call: ClassVar[str]
    dnd: ClassVar[str]
    fullscreen: ClassVar[str]
    busy: ClassVar[str]
    # The notification's buttons, or the line that stands in for them.
    snooze: ClassVar[str]
    done: ClassVar[str]
    skip: ClassVar[str]
    cli: ClassVar[str]
    # `breakd exercises`: after the hold of a stretch done on both sides.
    each_side: ClassVar[str]
    # The units of a spoken duration (durations.py).
    second: ClassVar[str]
    minute: ClassVar[str]
    hour: ClassVar[str]


class English(Words):
    title = "Stretch break: {name}"
    title_repeat = "Still sitting: {name}"
    hold = "Hold {hold}."
    hold_each_side = "Hold {hold} each side."
    seated = "Seated for {seated}."
    call = "Call's over: {name}"
    dnd = "Do not disturb is off: {name}"
    fullscreen = "Out of full screen: {name}"
    busy = "Free again: {name}"
    snooze = "Snooze {duration}"
    done = "Done"
    skip = "Skip"
    cli = "Snooze: breakd snooze"
    each_side = " each side"
    second = "s"
    minute = "min"
    hour = "h"


class Dutch(Words):
    title = "Rekpauze: {name}"
    title_repeat = "Nog steeds aan het zitten: {name}"
    hold = "Houd {hold} vast."
    hold_each_side = "Houd {hold} vast, per kant."
    seated = "Je zit al {seated}."
    call = "Gesprek voorbij: {name}"
    dnd = "Niet storen is uit: {name}"
    fullscreen = "Volledig scherm dicht: {name}"
    busy = "Weer vrij: {name}"
    snooze = "Nog {duration}"
    done = "Gedaan"
    skip = "Overslaan"
    cli = "Uitstellen: breakd snooze"
    each_side = " per kant"
    second = "s"
    minute = "min"
    hour = "uur"


WORDS: dict[Language, type[Words]] = {"en": English, "nl": Dutch}
