"""The loaded config as frozen values, durations in whole seconds.

Frozen so that a reload swaps one whole Config for another and nothing can
change a running daemon's settings halfway through.

There is one dataclass per schema section, with one field per key, named as
the key. `config_from_values` fills them by walking the schema table, so a key
without a field, or a field without a key, fails as soon as this module builds
DEFAULT_CONFIG. Annotations are evaluated here (no `from __future__ import
annotations`) because the walk takes each section's class from its field's type.
"""

from collections.abc import Mapping
from dataclasses import fields
from datetime import time
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args

from breakd.config.schema import KEYS, children, default_value, top_section
from breakd.core.deferral import DontInterruptSettings, MaxDeferralPolicy
from breakd.core.record import record
from breakd.core.settings import DAY_NAMES, ActiveHours, TrackerSettings
from breakd.core.stretches import Language

Order = Literal["rotate", "random"]
Backend = Literal["auto", "dbus", "plyer", "log"]
LogLevel = Literal["debug", "info", "warning", "error"]
InhibitorMode = Literal["off", "meeting_only", "any"]


@record
class SittingConfig:
    remind_after: int
    break_after_idle: int
    repeat_every: int


@record
class ActivityConfig:
    poll_every: int
    inhibitors_count_as_present: bool


@record
class SnoozeConfig:
    default: int
    choices: tuple[int, ...]


@record
class ActiveHoursConfig:
    """`from_` holds YAML's `from`, a Python keyword."""

    days: tuple[str, ...]
    from_: time
    to: time


@record
class ExercisesConfig:
    enabled: tuple[str, ...]
    order: Order
    hold: int


@record
class GuideConfig:
    get_ready: int
    sound: bool


@record
class NotifyConfig:
    backend: Backend


@record
class HistoryConfig:
    enabled: bool


@record
class LogConfig:
    level: LogLevel


@record
class BusySignalsConfig:
    dnd: bool
    fullscreen: bool
    camera: bool
    microphone: bool
    inhibitors: InhibitorMode
    macos_focus: bool


@record
class MeetingInhibitorsConfig:
    meeting_reasons: tuple[str, ...]
    meeting_apps: tuple[str, ...]
    ignore_apps: tuple[str, ...]


@record
class AppListsConfig:
    never_interrupt: tuple[str, ...]
    always_interrupt: tuple[str, ...]


@record
class CameraConfig:
    devices: tuple[str, ...]
    ignore_processes: tuple[str, ...]


@record
class MicrophoneConfig:
    ignore_apps: tuple[str, ...]


@record
class DontInterruptConfig:
    enabled: bool
    settle: int
    max_deferral: int
    on_max_deferral: MaxDeferralPolicy
    mako_dnd_modes: tuple[str, ...]
    signals: BusySignalsConfig
    inhibitors: MeetingInhibitorsConfig
    apps: AppListsConfig
    camera: CameraConfig
    microphone: MicrophoneConfig

    def settings(self) -> DontInterruptSettings:
        return DontInterruptSettings(
            enabled=self.enabled,
            settle=self.settle,
            max_deferral=self.max_deferral,
            on_max_deferral=self.on_max_deferral,
        )


@record
class Config:
    sitting: SittingConfig
    activity: ActivityConfig
    snooze: SnoozeConfig
    active_hours: ActiveHoursConfig | None
    day_starts_at: time
    exercises: ExercisesConfig
    guide: GuideConfig
    language: Language
    notify: NotifyConfig
    history: HistoryConfig
    log: LogConfig
    dont_interrupt: DontInterruptConfig
    source: Path | None = None

    def tracker_settings(self) -> TrackerSettings:
        """The part of the config the pure core needs, so the core never sees YAML shapes."""
        hours = self.active_hours
        return TrackerSettings(
            remind_after=self.sitting.remind_after,
            break_after_idle=self.sitting.break_after_idle,
            repeat_every=self.sitting.repeat_every,
            poll_every=self.activity.poll_every,
            snooze_default=self.snooze.default,
            exercises=self.exercises.enabled,
            order=self.exercises.order,
            inhibitors_count_as_present=self.activity.inhibitors_count_as_present,
            dont_interrupt=self.dont_interrupt.settings(),
            day_starts_at=self.day_starts_at,
            hold=self.exercises.hold,
            guide_get_ready=self.guide.get_ready,
            active_hours=None
            if hours is None
            else ActiveHours(
                days=frozenset(DAY_NAMES.index(day) for day in hours.days),
                start=hours.from_,
                end=hours.to,
            ),
        )


FIELD_NAMES: dict[str, str] = {"from": "from_"}
"""Key names that are Python keywords, and the field names that stand for them."""

_Section = TypeVar("_Section")


def config_from_values(values: Mapping[str, Any], source: Path | None = None) -> Config:
    """Build a Config from already-validated values keyed by dotted path.

    An optional section is None unless `values[section]` is truthy (given); the
    loader and DEFAULT_CONFIG share this so both map keys to fields in one place.
    """
    return _section(Config, "", values, source=source)


def _section(cls: type[_Section], parent: str, values: Mapping[str, Any], **extra: Any) -> _Section:
    """`cls` with each key under `parent` in the field of its name."""
    types = {field.name: field.type for field in fields(cls)}  # type: ignore[arg-type]
    arguments = dict(extra)
    for key in children(parent):
        name = FIELD_NAMES.get(key.name, key.name)
        if key.kind != "section":
            arguments[name] = values[key.path]
        elif key.optional and not values.get(key.path):
            arguments[name] = None
        else:
            arguments[name] = _section(_section_class(types[name]), key.path, values)
    return cls(**arguments)


def _section_class(annotation: Any) -> type:
    """The dataclass a section's field holds: `X`, or `X` of an optional `X | None`."""
    return get_args(annotation)[0] if get_args(annotation) else annotation


def default_values(with_optional: bool = False) -> dict[str, Any]:
    """Every key's default; optional sections only when asked, since leaving them out means off."""
    values: dict[str, Any] = {}
    for key in KEYS:
        if top_section(key).optional and not with_optional:
            continue
        values[key.path] = True if key.kind == "section" else default_value(key)
    return values


DEFAULT_CONFIG: Config = config_from_values(default_values())
