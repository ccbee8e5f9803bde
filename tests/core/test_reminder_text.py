"""The stretches' content and the words of a reminder."""

from __future__ import annotations

import pytest

from breakd.core.reminder_text import compose_reminder
from breakd.core.stretches import EXERCISE_IDS, LANGUAGES, STRETCHES


def test_the_three_stretches_in_both_languages() -> None:
    assert EXERCISE_IDS == ("standing-lunge", "kneeling-lunge", "prone-press-up")
    for stretch in STRETCHES.values():
        for language in LANGUAGES:
            text = stretch.text[language]
            assert 2 <= len(text.steps) <= 4, (stretch.id, language)
            assert text.name and text.cue
            assert all(len(step) < 120 for step in text.steps)
    assert [s.each_side for s in STRETCHES.values()] == [True, True, False]


def test_every_cue_is_about_drawing_the_navel_in_or_a_firm_belly() -> None:
    for stretch in STRETCHES.values():
        assert any(word in stretch.text["en"].cue.lower() for word in ("navel", "belly"))
        assert any(word in stretch.text["nl"].cue.lower() for word in ("navel", "buik"))


def test_a_reminder_names_the_stretch_and_gives_cue_and_hold() -> None:
    message = compose_reminder("kneeling-lunge", "en", 30, 47 * 60)
    assert message.title == "Stretch break: Half-kneeling lunge"
    assert message.app_name == "breakd"
    assert message.body.splitlines() == [
        STRETCHES["kneeling-lunge"].text["en"].cue,
        "Hold 30 s each side.",
        "Seated for 47 min.",
    ]


def test_a_repeat_says_so_and_dutch_is_dutch() -> None:
    message = compose_reminder("prone-press-up", "nl", 45, 65 * 60, repeat=2)
    assert message.title == "Nog steeds aan het zitten: Opdrukken in buiklig"
    assert "Houd 45 s vast." in message.body
    assert "Je zit al 1 uur 5 min." in message.body


@pytest.mark.parametrize(
    ("held_by", "title"),
    [
        ({"camera:zoom", "dnd:dunst"}, "Call's over: Standing lunge"),
        ({"microphone:firefox"}, "Call's over: Standing lunge"),
        ({"meeting:zoom", "fullscreen:zoom"}, "Call's over: Standing lunge"),
        ({"app:gimp"}, "Free again: Standing lunge"),
        ({"dnd:dunst"}, "Do not disturb is off: Standing lunge"),
        ({"fullscreen:vlc"}, "Out of full screen: Standing lunge"),
        ({"fullscreen:vlc", "dnd:dunst"}, "Free again: Standing lunge"),
    ],
)
def test_a_held_prompt_says_what_it_waited_for_and_how_long_seated(
    held_by: set[str], title: str
) -> None:
    message = compose_reminder("standing-lunge", "en", 30, 55 * 60, held_by=frozenset(held_by))
    assert message.title == title
    assert message.body.endswith("Seated for 55 min.")
