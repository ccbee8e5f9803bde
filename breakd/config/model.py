"""The loaded config as frozen values, durations in whole seconds.

Frozen so that a reload swaps one whole Config for another and nothing can
change a running daemon's settings halfway through.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any, Literal

from breakd.config.schema import KEYS, default_value, top_section
from breakd.core.deferral import DontInterruptSettings, MaxDeferralPolicy
from breakd.core.settings import DAY_NAMES, ActiveHours, TrackerSettings
from breakd.core.stretches import Language

Order = Literal["rotate", "random"]
Backend = Literal["auto", "dbus", "plyer", "log"]
LogLevel = Literal["debug", "info", "warning", "error"]
InhibitorMode = Literal["off", "meeting_only", "any"]


@dataclass(frozen=True)
class SittingConfig:
    remind_after: int
    break_after_idle: int
    repeat_every: int


@dataclass(frozen=True)
class ActivityConfig:
    poll_every: int
    inhibitors_count_as_present: bool


@dataclass(frozen=True)
class SnoozeConfig:
    default: int
    choices: tuple[int, ...]


@dataclass(frozen=True)
class ActiveHoursConfig:
    """YAML's `from`/`to`, renamed because `from` is a Python keyword."""

    days: tuple[str, ...]
    start: time
    end: time


@dataclass(frozen=True)
class ExercisesConfig:
    enabled: tuple[str, ...]
    order: Order
    hold: int


@dataclass(frozen=True)
class NotifyConfig:
    backend: Backend


@dataclass(frozen=True)
class LogConfig:
    level: LogLevel


@dataclass(frozen=True)
class BusySignalsConfig:
    dnd: bool
    fullscreen: bool
    camera: bool
    microphone: bool
    inhibitors: InhibitorMode
    macos_focus: bool


@dataclass(frozen=True)
class MeetingInhibitorsConfig:
    meeting_reasons: tuple[str, ...]
    meeting_apps: tuple[str, ...]
    ignore_apps: tuple[str, ...]


@dataclass(frozen=True)
class AppListsConfig:
    never_interrupt: tuple[str, ...]
    always_interrupt: tuple[str, ...]


@dataclass(frozen=True)
class CameraConfig:
    devices: tuple[str, ...]
    ignore_processes: tuple[str, ...]


@dataclass(frozen=True)
class MicrophoneConfig:
    ignore_apps: tuple[str, ...]


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Config:
    sitting: SittingConfig
    activity: ActivityConfig
    snooze: SnoozeConfig
    active_hours: ActiveHoursConfig | None
    day_starts_at: time
    exercises: ExercisesConfig
    language: Language
    notify: NotifyConfig
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
            active_hours=None
            if hours is None
            else ActiveHours(
                days=frozenset(DAY_NAMES.index(day) for day in hours.days),
                start=hours.start,
                end=hours.end,
            ),
        )


def config_from_values(values: Mapping[str, Any], source: Path | None = None) -> Config:
    """Build a Config from already-validated values keyed by dotted path.

    `values["active_hours"]` is truthy when that section was given; the loader
    and DEFAULT_CONFIG share this so both map keys to fields in one place.
    """
    active_hours = None
    if values.get("active_hours"):
        active_hours = ActiveHoursConfig(
            days=values["active_hours.days"],
            start=values["active_hours.from"],
            end=values["active_hours.to"],
        )
    return Config(
        sitting=SittingConfig(
            remind_after=values["sitting.remind_after"],
            break_after_idle=values["sitting.break_after_idle"],
            repeat_every=values["sitting.repeat_every"],
        ),
        activity=ActivityConfig(
            poll_every=values["activity.poll_every"],
            inhibitors_count_as_present=values["activity.inhibitors_count_as_present"],
        ),
        snooze=SnoozeConfig(default=values["snooze.default"], choices=values["snooze.choices"]),
        active_hours=active_hours,
        day_starts_at=values["day_starts_at"],
        exercises=ExercisesConfig(
            enabled=values["exercises.enabled"],
            order=values["exercises.order"],
            hold=values["exercises.hold"],
        ),
        language=values["language"],
        notify=NotifyConfig(backend=values["notify.backend"]),
        log=LogConfig(level=values["log.level"]),
        dont_interrupt=_dont_interrupt(values),
        source=source,
    )


def _dont_interrupt(values: Mapping[str, Any]) -> DontInterruptConfig:
    def get(name: str) -> Any:
        return values[f"dont_interrupt.{name}"]

    return DontInterruptConfig(
        enabled=get("enabled"),
        settle=get("settle"),
        max_deferral=get("max_deferral"),
        on_max_deferral=get("on_max_deferral"),
        mako_dnd_modes=get("mako_dnd_modes"),
        signals=BusySignalsConfig(
            dnd=get("signals.dnd"),
            fullscreen=get("signals.fullscreen"),
            camera=get("signals.camera"),
            microphone=get("signals.microphone"),
            inhibitors=get("signals.inhibitors"),
            macos_focus=get("signals.macos_focus"),
        ),
        inhibitors=MeetingInhibitorsConfig(
            meeting_reasons=get("inhibitors.meeting_reasons"),
            meeting_apps=get("inhibitors.meeting_apps"),
            ignore_apps=get("inhibitors.ignore_apps"),
        ),
        apps=AppListsConfig(
            never_interrupt=get("apps.never_interrupt"),
            always_interrupt=get("apps.always_interrupt"),
        ),
        camera=CameraConfig(
            devices=get("camera.devices"),
            ignore_processes=get("camera.ignore_processes"),
        ),
        microphone=MicrophoneConfig(ignore_apps=get("microphone.ignore_apps")),
    )


def default_values(with_optional: bool = False) -> dict[str, Any]:
    """Every key's default; optional sections only when asked, since leaving them out means off."""
    values: dict[str, Any] = {}
    for key in KEYS:
        if top_section(key).optional and not with_optional:
            continue
        values[key.path] = True if key.kind == "section" else default_value(key)
    return values


DEFAULT_CONFIG: Config = config_from_values(default_values())
