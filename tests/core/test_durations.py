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


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("5 min", "5m"),
        ("5mins", "5m"),
        ("1 hour 30 minutes", "1h30m"),
        ("90 seconds", "1m30s"),
        ("10 minuten", "10m"),
        ("2 uur", "2h"),
    ],
)
def test_a_unit_spelled_out_gets_a_did_you_mean(text: str, meant: str) -> None:
    with pytest.raises(DurationError) as refused:
        parse_duration(text)
    assert str(refused.value).endswith(f'; did you mean "{meant}"?')


@pytest.mark.parametrize("text", ["5 lightyears", "min 5", "5 min 5", "25 hours", "0 min"])
def test_no_did_you_mean_when_there_is_no_sure_reading(text: str) -> None:
    with pytest.raises(DurationError) as refused:
        parse_duration(text)
    assert "did you mean" not in str(refused.value)
