"""The one yes/no key, activity.inhibitors_count_as_present: read, refused, and handed to the core."""

from __future__ import annotations

import pytest

from breakd.config.load import load_config_text
from breakd.config.model import DEFAULT_CONFIG
from breakd.errors import ConfigError


def test_inhibitors_count_as_present_by_default_and_reach_the_tracker() -> None:
    assert DEFAULT_CONFIG.activity.inhibitors_count_as_present is True
    assert DEFAULT_CONFIG.tracker_settings().inhibitors_count_as_present is True


@pytest.mark.parametrize("written", ["false", "False", "no", "off"])
def test_yaml_false_in_any_spelling_turns_it_off(written: str) -> None:
    config = load_config_text(f"activity:\n  inhibitors_count_as_present: {written}\n", "c.yaml")
    assert config.activity.inhibitors_count_as_present is False
    assert config.tracker_settings().inhibitors_count_as_present is False
    assert config.activity.poll_every == DEFAULT_CONFIG.activity.poll_every


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ('"false"', 'found "false"; write it without quotes'),
        ("1", "found 1 (a number)"),
        ("maybe", 'found "maybe"'),
        ("[true]", "found a list"),
    ],
)
def test_anything_but_true_or_false_is_reported_at_its_line(written: str, found: str) -> None:
    text = f"sitting:\n  remind_after: 45m\nactivity:\n  inhibitors_count_as_present: {written}\n"
    with pytest.raises(ConfigError) as caught:
        load_config_text(text, "c.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.key) == (4, "activity.inhibitors_count_as_present")
    assert problem.message == f"expected true or false; {found}"
