"""The status object every reply carries: its one shape, and how the daemon builds it.

`breakd status --json` prints it as it is, so its keys are an interface for scripts.
The CLI and `status_text.py` name `StatusReply` and `Reply` only for type checking
and import nothing from here: this module pulls in the core.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import TypedDict

from breakd import __version__
from breakd.core.reminder_text import exercise_name
from breakd.core.stretches import Language
from breakd.core.tracker import TrackerStatus


class Deferred(TypedDict):
    since: str | None
    reasons: list[str]


class GuideStatus(TypedDict):
    """The guided stretch's frame now: what `breakd guide` in a terminal draws."""

    exercise: str
    exercise_name: str
    phase: str
    seconds_left: int
    value: int
    paused: bool


class StatusReply(TypedDict):
    state: str
    sitting_seconds: int | None
    next_reminder_at: str | None
    next_reminder_in_seconds: int | None
    snoozed_until: str | None
    paused_until: str | None
    exercise: str
    exercise_name: str
    done_count: int
    skipped_count: int
    idle_seconds: int
    idle_source: str | None
    locked: bool
    inhibited: bool
    deferred: Deferred | None
    notifier: str
    config: str | None
    pid: int
    version: str
    language: Language
    now: str
    awaiting_return: bool
    active_again_at: str | None
    guide: GuideStatus | None
    remind_after_seconds: int


class Reply(TypedDict):
    """A command's answer (`protocol.reply`): a sentence for people and the status after it."""

    breakd: int
    ok: bool
    message: str
    status: StatusReply


def build_status(
    status: TrackerStatus,
    now: datetime,
    *,
    language: Language,
    idle_source: str | None,
    notifier: str,
    config: str | None,
    remind_after: float,
) -> StatusReply:
    """The tracker's status in the reply's terms: local ISO times, whole seconds."""
    next_in = None
    if status.next_reminder_at is not None:
        next_in = max(0, round((status.next_reminder_at - now).total_seconds()))
    sitting = status.sitting_seconds
    return {
        "state": status.state.value,
        "sitting_seconds": None if sitting is None else round(sitting),
        "next_reminder_at": _iso(status.next_reminder_at),
        "next_reminder_in_seconds": next_in,
        "snoozed_until": _iso(status.snoozed_until),
        "paused_until": _iso(status.paused_until),
        "exercise": status.exercise,
        "exercise_name": exercise_name(status.exercise, language),
        "done_count": status.done_count,
        "skipped_count": status.skipped_count,
        "idle_seconds": round(status.idle_seconds),
        "idle_source": idle_source,
        "locked": status.locked,
        "inhibited": status.inhibited,
        "deferred": None
        if status.deferred_since is None
        else {"since": _iso(status.deferred_since), "reasons": list(status.deferred_reasons)},
        "notifier": notifier,
        "config": config,
        "pid": os.getpid(),
        "version": __version__,
        "language": language,
        "now": now.isoformat(timespec="seconds"),
        "awaiting_return": status.awaiting_return,
        "active_again_at": _iso(status.active_again_at),
        "remind_after_seconds": round(remind_after),
        "guide": None
        if status.guide is None
        else {
            "exercise": status.guide.exercise,
            "exercise_name": exercise_name(status.guide.exercise, language),
            "phase": status.guide.phase.value,
            "seconds_left": status.guide.seconds_left,
            "value": status.guide.value,
            "paused": status.guide.paused,
        },
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")
