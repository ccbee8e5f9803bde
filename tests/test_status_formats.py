"""The status bars' lines, checked against what each bar reads.

waybar-custom(5): with `"return-type": "json"` a line is one JSON object with
`text`, `tooltip`, `class` (a string or a list of them), `percentage` (a number) and
`alt`; text and tooltip are Pango markup. i3blocks(1) with `format=json`: a line is
a JSON object with i3bar protocol keys (`full_text`, `short_text`, `color` as
#RRGGBB). polybar's custom/script with `tail = true`: one line per update, format
tags `%{F#rrggbb}` ... `%{F-}`. tests/e2e/test_bars.py runs i3blocks and polybar
themselves on these lines.
"""

from __future__ import annotations

import json
import re

import pytest

from breakd.core.effects import State
from breakd.ipc.status import StatusReply
from breakd.status_formats import CLASSES, COLORS, FORMATS, percentage, render, status_class
from tests.test_status_text import status

WAYBAR_KEYS = {"text": str, "tooltip": str, "class": str, "alt": str, "percentage": int}


def every_kind() -> dict[str, StatusReply | None]:
    """A status of each class, and None for a daemon that is not running."""
    sitting = status(State.SITTING, 52 * 60 + 30)
    due = status(State.SITTING, 46 * 60) | {"awaiting_return": True}
    held = status(State.SITTING, 46 * 60) | {
        "deferred": {"since": "2026-11-25T13:59:00+01:00", "reasons": ["dnd:dunst"]}
    }
    snoozed = status(State.SNOOZED, 46 * 60) | {"snoozed_until": "2026-11-25T14:10:00+01:00"}
    paused = status(State.PAUSED, None) | {"paused_until": "2026-11-25T15:00:00+01:00"}
    guiding = status(State.GUIDING, 46 * 60) | {
        "guide": {
            "exercise": "kneeling-lunge",
            "exercise_name": "Half-kneeling lunge",
            "phase": "left",
            "seconds_left": 17,
            "value": 57,
            "paused": False,
        }
    }
    return {
        "sitting": sitting,
        "due": due,  # type: ignore[dict-item]
        "reminding": status(State.REMINDING, 46 * 60),
        "held": held,  # type: ignore[dict-item]
        "snoozed": snoozed,  # type: ignore[dict-item]
        "paused": paused,  # type: ignore[dict-item]
        "away": status(State.AWAY, None),
        "guiding": guiding,  # type: ignore[dict-item]
        "off_hours": status(State.OFF_HOURS, None),
        "stopped": None,
    }


def test_every_class_has_a_status_and_a_colour() -> None:
    kinds = every_kind()
    assert set(kinds) == set(CLASSES) == set(COLORS)
    for kind, shown in kinds.items():
        assert status_class(shown) == kind


@pytest.mark.parametrize(
    ("kind", "english", "dutch"),
    [
        ("sitting", "sitting 52 min, stretch in 5 min", "zit 52 min, rekken over 5 min"),
        ("due", "stretch due", "rekken is aan de beurt"),
        ("reminding", "time to stretch", "tijd om te rekken"),
        ("held", "stretch held", "rekken wacht"),
        ("snoozed", "snoozed until 14:10", "uitgesteld tot 14:10"),
        ("paused", "paused until 15:00", "gepauzeerd tot 15:00"),
        ("away", "away", "weg"),
        ("guiding", "stretching 17 s", "rekken 17 s"),
        ("off_hours", "off hours", "buiten de actieve uren"),
        ("stopped", "breakd not running", "breakd draait niet"),
    ],
)
def test_the_short_text_of_each_class_in_each_language(kind: str, english: str, dutch: str) -> None:
    shown = every_kind()[kind]
    assert render("text", shown, "en") == english
    assert render("text", shown, "nl") == dutch


@pytest.mark.parametrize(
    ("next_in", "shown"),
    [
        (301, "sitting 52 min, stretch in 6 min"),
        (5, "sitting 52 min, stretch in 1 min"),
        (3600, "sitting 52 min, stretch in 1 h"),
        (None, "sitting 52 min"),
    ],
)
def test_the_time_to_the_stretch_is_rounded_up_to_the_minute(
    next_in: int | None, shown: str
) -> None:
    """A bar refreshes each minute: "in 6 min" from 5 min 1 s, never "in 0 min"; none
    when no reminder comes before active hours end."""
    sitting = every_kind()["sitting"] | {"next_reminder_in_seconds": next_in}  # type: ignore[operator]
    assert render("text", sitting, "en") == shown


def test_waybar_reads_a_json_object_with_its_keys_and_types() -> None:
    for kind, shown in every_kind().items():
        line = render("waybar", shown, "en")
        assert "\n" not in line
        parsed = json.loads(line)
        assert {key: type(value) for key, value in parsed.items()} == WAYBAR_KEYS
        assert parsed["class"] == parsed["alt"] == kind
        assert 0 <= parsed["percentage"] <= 100


def test_the_percentage_is_the_sitting_time_of_the_interval_capped_at_100() -> None:
    sitting = status(State.SITTING, 900)  # remind_after: 45 min
    assert percentage(sitting) == 33
    assert percentage(status(State.SITTING, 3 * 3600)) == 100
    assert percentage(status(State.AWAY, None)) == 0
    assert percentage(None) == 0
    older = dict(sitting)
    del older["remind_after_seconds"]  # a daemon from before an upgrade
    assert percentage(older) == 0  # type: ignore[arg-type]


def test_waybar_text_and_tooltip_are_escaped_for_pango_markup() -> None:
    shown = status(State.SITTING, 60) | {"exercise_name": "Lunge <left> & right"}
    parsed = json.loads(render("waybar", shown, "en"))  # type: ignore[arg-type]
    assert "Lunge &lt;left&gt; &amp; right" in parsed["tooltip"]
    assert "<" not in parsed["tooltip"]


def test_i3blocks_reads_a_json_object_of_i3bar_keys() -> None:
    for kind, shown in every_kind().items():
        parsed = json.loads(render("i3blocks", shown, "en"))
        assert set(parsed) <= {"full_text", "short_text", "color"}
        assert parsed["full_text"] == render("text", shown, "en")
        assert isinstance(parsed["short_text"], str) and parsed["short_text"]
        if COLORS[kind] is None:
            assert "color" not in parsed
        else:
            assert re.fullmatch(r"#[0-9a-f]{6}", parsed["color"])
    assert json.loads(render("i3blocks", every_kind()["sitting"], "en"))["short_text"] == "52 min"


def test_polybar_gets_one_line_with_balanced_colour_tags() -> None:
    for kind, shown in every_kind().items():
        line = render("polybar", shown, "en")
        assert "\n" not in line
        opened = re.findall(r"%\{F#[0-9a-f]{6}\}", line)
        closed = line.count("%{F-}")
        assert len(opened) == closed == (0 if COLORS[kind] is None else 1)
        assert re.sub(r"%\{F[^}]*\}", "", line) == render("text", shown, "en")


def test_json_is_the_status_on_one_line_and_a_stopped_state_without_a_daemon() -> None:
    shown = every_kind()["sitting"]
    assert json.loads(render("json", shown, "en")) == shown
    assert json.loads(render("json", None, "en")) == {"state": "stopped"}


def test_every_format_renders_every_class() -> None:
    for form in FORMATS:
        for shown in every_kind().values():
            assert render(form, shown, "nl")
