"""The stretches' content and the words of a reminder."""

from __future__ import annotations

import pytest

from breakd.core.reminder_text import compose_reminder
from breakd.core.stretches import EXERCISE_IDS, LANGUAGES, STRETCHES, Language


def test_the_three_stretches_in_both_languages() -> None:
    assert EXERCISE_IDS == ("standing-lunge", "kneeling-lunge", "prone-press-up")
    for stretch in STRETCHES.values():
        for language in LANGUAGES:
            text = stretch.text[language]
            assert 2 <= len(text.steps) <= 4, (stretch.id, language)
            assert text.name and text.cue and text.start
            assert len(text.start) < 80 and "\n" not in text.start
            assert all(len(step) < 120 for step in text.steps)
    assert [s.each_side for s in STRETCHES.values()] == [True, True, False]


def test_every_cue_is_about_drawing_the_navel_in_or_a_firm_belly() -> None:
    for stretch in STRETCHES.values():
        assert any(word in stretch.text["en"].cue.lower() for word in ("navel", "belly"))
        assert any(word in stretch.text["nl"].cue.lower() for word in ("navel", "buik"))


def test_a_reminder_names_the_stretch_and_gives_position_cue_and_hold() -> None:
    message = compose_reminder("kneeling-lunge", "en", 30, 47 * 60)
    assert message.title == "Stretch break: Half-kneeling lunge"
    assert message.app_name == "breakd"
    assert message.body.splitlines() == [
        "Kneel on one knee, the other foot flat on the floor in front of you.",
        STRETCHES["kneeling-lunge"].text["en"].cue,
        "Hold 30 s each side.",
        "Seated for 47 min.",
    ]


def test_a_repeat_says_so_and_dutch_is_dutch() -> None:
    message = compose_reminder("prone-press-up", "nl", 45, 65 * 60, repeat=2)
    assert message.title == "Zit je nog steeds? Rekpauze: Opdrukken in buiklig"
    assert message.body.splitlines() == [
        STRETCHES["prone-press-up"].text["nl"].cue,  # no starting position: seen before
        "Houd dit 45 s aan.",
        "Je zit al 1 uur 5 min.",
    ]


@pytest.mark.parametrize(
    ("exercise", "language", "start"),
    [
        ("standing-lunge", "en", "Stand in a long stride"),
        ("kneeling-lunge", "en", "Kneel on one knee"),
        ("prone-press-up", "en", "Lie face down"),
        ("standing-lunge", "nl", "Sta in een lange pas"),
        ("kneeling-lunge", "nl", "Kniel op één knie"),
        ("prone-press-up", "nl", "Ga op je buik"),
    ],
)
def test_the_first_reminder_opens_with_the_starting_position(
    exercise: str, language: Language, start: str
) -> None:
    first = compose_reminder(exercise, language, 30, 45 * 60)
    assert first.body.splitlines()[0].startswith(start)


def test_the_cue_says_which_hip() -> None:
    cue = STRETCHES["standing-lunge"].text["en"].cue
    assert "back hip" not in cue and "hip of the leg behind" in cue


@pytest.mark.parametrize(
    ("held_by", "title"),
    [
        ({"camera:zoom", "dnd:dunst"}, "Stretch break: Standing lunge, now your call is over"),
        ({"microphone:firefox"}, "Stretch break: Standing lunge, now your call is over"),
        (
            {"meeting:zoom", "fullscreen:zoom"},
            "Stretch break: Standing lunge, now your call is over",
        ),
        ({"app:gimp"}, "Stretch break: Standing lunge, now you are free again"),
        ({"dnd:dunst"}, "Stretch break: Standing lunge, now do not disturb is off"),
        ({"fullscreen:vlc"}, "Stretch break: Standing lunge, now full screen is over"),
        ({"fullscreen:vlc", "dnd:dunst"}, "Stretch break: Standing lunge, now you are free again"),
    ],
)
def test_a_held_prompt_says_what_it_waited_for_and_how_long_seated(
    held_by: set[str], title: str
) -> None:
    message = compose_reminder("standing-lunge", "en", 30, 55 * 60, held_by=frozenset(held_by))
    assert message.title == title
    assert message.body.endswith("Seated for 55 min.")
