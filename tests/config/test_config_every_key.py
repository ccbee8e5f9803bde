"""Every key reaches the model from a real file, and the tracker from the model.

The model is filled by walking KEYS; `Config.tracker_settings()` hands the
tracker its part by hand, so these tests check that nothing is left behind.
"""

from __future__ import annotations

from datetime import time
from functools import reduce
from pathlib import Path
from typing import Any

import yaml

from breakd.config.load import load_config
from breakd.config.model import FIELD_NAMES, Config, config_from_values, default_values
from breakd.config.schema import KEYS, Key, default_value
from breakd.core.deferral import DontInterruptSettings
from breakd.core.settings import ActiveHours, TrackerSettings

LEAVES = tuple(key for key in KEYS if key.kind != "section")

_BUSY_SIGNAL_SECTIONS = (
    "dont_interrupt.signals",
    "dont_interrupt.inhibitors",
    "dont_interrupt.apps",
    "dont_interrupt.camera",
    "dont_interrupt.microphone",
)
NOT_READ_BY_THE_TRACKER = frozenset(
    {
        "snooze.choices",  # the notification's snooze buttons
        "guide.sound",  # the notifier's cue
        "language",
        "notify.backend",  # the daemon's notifier and log
        "log.level",
        "history.enabled",  # the daemon's history store
        "dont_interrupt.mako_dnd_modes",  # the busy signals, like their sections
        *(key.path for key in LEAVES if key.parent in _BUSY_SIGNAL_SECTIONS),
    }
)
"""Every other key must change TrackerSettings; a new key is one or the other."""


def _changed(key: Key, index: int) -> tuple[Any, object]:
    """A valid value for `key`, not its default and unlike any other key's: as YAML, as held."""
    seconds = 1000 + index
    if key.kind == "duration":
        return f"{seconds}s", seconds
    if key.kind == "durations":
        return [f"{seconds}s", f"{seconds + 1000}s"], (seconds, seconds + 1000)
    if key.kind == "time":
        clock = time(*divmod(5 * 60 + index, 60))  # from comes before to, so it is earlier
        return f"{clock:%H:%M}", clock
    if key.kind == "bool":
        return not key.default, not key.default
    if key.kind == "strings":
        return [f"name-{index}"], (f"name-{index}",)
    if key.kind == "choices":
        return [key.allowed[-1]], (key.allowed[-1],)
    choice = next(option for option in reversed(key.allowed) if option != key.default)
    return choice, choice


CHANGED = {key.path: _changed(key, index) for index, key in enumerate(LEAVES)}
WANT: dict[str, Any] = {path: held for path, (_, held) in CHANGED.items()}


def _field(config: Config, path: str) -> object:
    return reduce(getattr, (FIELD_NAMES.get(name, name) for name in path.split(".")), config)


def _as_yaml(values: dict[str, Any]) -> str:
    tree: dict[str, Any] = {}
    for path, value in values.items():
        *sections, name = path.split(".")
        reduce(lambda node, section: node.setdefault(section, {}), sections, tree)[name] = value
    return yaml.safe_dump(tree, sort_keys=False)


def test_the_changed_values_are_not_defaults_and_bools_aside_all_differ() -> None:
    """Else a key read into the wrong field could still compare equal below."""
    assert all(WANT[key.path] != default_value(key) for key in LEAVES)
    others = [repr(WANT[key.path]) for key in LEAVES if key.kind != "bool"]
    assert len(set(others)) == len(others)


def test_every_key_in_a_file_reaches_the_model_and_the_tracker(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(_as_yaml({path: text for path, (text, _) in CHANGED.items()}))

    config = load_config(path)

    assert {key.path: _field(config, key.path) for key in LEAVES} == WANT
    assert config.tracker_settings() == TrackerSettings(
        remind_after=WANT["sitting.remind_after"],
        break_after_idle=WANT["sitting.break_after_idle"],
        repeat_every=WANT["sitting.repeat_every"],
        poll_every=WANT["activity.poll_every"],
        snooze_default=WANT["snooze.default"],
        exercises=WANT["exercises.enabled"],
        order=WANT["exercises.order"],
        active_hours=ActiveHours(
            days=frozenset({6}),  # sun
            start=WANT["active_hours.from"],
            end=WANT["active_hours.to"],
        ),
        inhibitors_count_as_present=WANT["activity.inhibitors_count_as_present"],
        day_starts_at=WANT["day_starts_at"],
        hold=WANT["exercises.hold"],
        guide_get_ready=WANT["guide.get_ready"],
        dont_interrupt=DontInterruptSettings(
            enabled=WANT["dont_interrupt.enabled"],
            settle=WANT["dont_interrupt.settle"],
            max_deferral=WANT["dont_interrupt.max_deferral"],
            on_max_deferral=WANT["dont_interrupt.on_max_deferral"],
        ),
    )


def test_a_key_changes_the_tracker_settings_unless_the_tracker_does_not_read_it() -> None:
    """Each key changed alone: a new key left out of `tracker_settings()` fails here until
    it is handed on, or listed in NOT_READ_BY_THE_TRACKER."""
    defaults = default_values(with_optional=True)
    before = config_from_values(defaults).tracker_settings()

    read = {
        key.path
        for key in LEAVES
        if config_from_values({**defaults, key.path: WANT[key.path]}).tracker_settings() != before
    }

    assert read == {key.path for key in LEAVES} - NOT_READ_BY_THE_TRACKER
