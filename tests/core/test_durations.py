"""Durations in their two forms: the config's "1h30m" and the spoken "1 h 30 min"."""

from __future__ import annotations

import pytest

from breakd.core.durations import DurationError, format_duration, parse_duration, spoken_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("20s", 20), ("45m", 2700), ("1h30m", 5400), ("1h 30m", 5400), ("2H", 7200), ("0s", 0)],
)
def test_the_config_form_reads_and_writes_back(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize("text", ["45", "", "soon", "1m30h", "-5m"])
def test_a_number_without_its_unit_or_in_the_wrong_order_is_refused(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("seconds", "en", "nl"),
    [
        (0, "0 s", "0 s"),
        (30, "30 s", "30 s"),
        (59.9, "59 s", "59 s"),
        (90, "1 min", "1 min"),
        (2700, "45 min", "45 min"),
        (3600, "1 h", "1 uur"),
        (3659, "1 h", "1 uur"),
        (5460, "1 h 31 min", "1 uur 31 min"),
    ],
)
def test_the_spoken_form_in_each_language(seconds: float, en: str, nl: str) -> None:
    assert (spoken_duration(seconds, "en"), spoken_duration(seconds, "nl")) == (en, nl)
