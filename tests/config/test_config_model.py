"""The model: defaults come from the schema table, and the core gets plain settings."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields, is_dataclass, replace
from datetime import datetime, time
from typing import get_args

import pytest

from breakd.config.load import load_config_text
from breakd.config.model import (
    DEFAULT_CONFIG,
    FIELD_NAMES,
    ActiveHoursConfig,
    Config,
    config_from_values,
    default_values,
)
from breakd.config.schema import KEYS, default_value
from breakd.core.durations import parse_duration
from breakd.core.settings import ActiveHours, TrackerSettings


def test_defaults_are_the_documented_ones() -> None:
    config = DEFAULT_CONFIG

    assert (config.sitting.remind_after, config.sitting.break_after_idle) == (2700, 300)
    assert config.sitting.repeat_every == 300
    assert config.activity.poll_every == 5
    assert (config.snooze.default, config.snooze.choices) == (600, (300, 600, 1800))
    assert config.active_hours is None
    assert config.day_starts_at == time(4, 0)
    assert config.exercises.enabled == ("standing-lunge", "kneeling-lunge", "prone-press-up")
    assert (config.exercises.order, config.exercises.hold) == ("rotate", 30)
    assert (config.language, config.notify.backend, config.log.level) == ("en", "auto", "info")
    assert config.source is None


def _model_paths(cls: type, parent: str = "") -> set[str]:
    """The key path of every field under `cls`, found from the dataclasses alone."""
    key_names = {field: key for key, field in FIELD_NAMES.items()}
    paths: set[str] = set()
    for field in fields(cls):
        name = key_names.get(field.name, field.name)
        path = f"{parent}.{name}" if parent else name
        paths.add(path)
        sections = [kind for kind in (field.type, *get_args(field.type)) if is_dataclass(kind)]
        for section in sections:
            paths |= _model_paths(section, path)  # type: ignore[arg-type]
    return paths


def test_every_key_is_a_model_field_and_every_field_a_key() -> None:
    """A key added to KEYS alone, say `sitting.max_repeats`, is in the first set and not
    the second, so this fails; so does a field added to the model alone. (Building
    DEFAULT_CONFIG on import fails first; this says which key or field is the odd one.)
    """
    assert {key.path for key in KEYS} == _model_paths(Config) - {"source"}


def test_every_default_passes_its_own_validation() -> None:
    for key in KEYS:
        if key.kind in ("duration", "durations"):
            texts = key.default if isinstance(key.default, tuple) else (key.default,)
            assert all(parse_duration(str(text)) >= key.minimum for text in texts), key.path
        if key.kind in ("choice", "choices"):
            chosen = key.default if isinstance(key.default, tuple) else (key.default,)
            assert set(chosen) <= set(key.allowed), key.path
        if key.kind == "time":
            assert isinstance(default_value(key), time), key.path


def test_config_is_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        DEFAULT_CONFIG.sitting.remind_after = 1  # type: ignore[misc]


def test_tracker_settings_maps_every_field() -> None:
    config = load_config_text(
        "sitting: {remind_after: 50m, break_after_idle: 4m, repeat_every: 0s}\n"
        "activity: {poll_every: 2s}\n"
        "snooze: {default: 15m}\n"
        "exercises: {enabled: [kneeling-lunge], order: random}\n",
        "config.yaml",
    )

    assert config.tracker_settings() == TrackerSettings(
        remind_after=3000,
        break_after_idle=240,
        repeat_every=0,
        poll_every=2,
        snooze_default=900,
        exercises=("kneeling-lunge",),
        order="random",
        active_hours=None,
    )


def test_tracker_settings_turns_day_names_into_weekday_numbers() -> None:
    config = replace(
        DEFAULT_CONFIG,
        active_hours=ActiveHoursConfig(days=("mon", "wed", "sun"), from_=time(9), to=time(17)),
    )

    hours = config.tracker_settings().active_hours

    assert hours == ActiveHours(days=frozenset({0, 2, 6}), start=time(9), end=time(17))
    assert hours.contains(datetime(2024, 6, 2, 9, 0))  # a Sunday
    assert not hours.contains(datetime(2024, 6, 4, 12, 0))  # a Tuesday


def test_default_values_with_optional_sections_build_the_active_hours_defaults() -> None:
    config = config_from_values(default_values(with_optional=True))

    assert config.active_hours == ActiveHoursConfig(
        days=("mon", "tue", "wed", "thu", "fri"), from_=time(8), to=time(18)
    )
    assert replace(config, active_hours=None) == DEFAULT_CONFIG
