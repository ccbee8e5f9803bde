"""`breakd status` for people: a few aligned lines from the daemon's status object."""

from __future__ import annotations

from breakd.core.durations import spoken_duration

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing only: importing breakd.ipc.status would import the core
    from breakd.ipc.status import StatusReply

_STATE_TEXT = {
    "sitting": "sitting",
    "away": "away (a break is running)",
    "reminding": "reminding: time for a stretch",
    "snoozed": "snoozed",
    "paused": "paused",
    "off_hours": "outside active hours",
}


def format_status(status: StatusReply) -> str:
    """Keys are read with a default: a daemon started before an upgrade may lack newer ones."""
    rows: list[tuple[str, str]] = [("state", _STATE_TEXT.get(str(status.get("state")), "?"))]
    sitting = status.get("sitting_seconds")
    if isinstance(sitting, (int, float)):
        rows.append(("seated for", spoken_duration(sitting, "en")))
    for key, label in (
        ("next_reminder_at", "next reminder"),
        ("snoozed_until", "snoozed until"),
        ("paused_until", "paused until"),
    ):
        value = status.get(key)
        if isinstance(value, str):
            rows.append((label, clock_time(value)))
    if status.get("state") == "paused" and status.get("paused_until") is None:
        rows.append(("paused until", "you run `breakd resume`"))
    rows.append(("stretch", str(status.get("exercise_name") or status.get("exercise"))))
    rows.append(
        ("done / skipped", f"{status.get('done_count', 0)} / {status.get('skipped_count', 0)}")
    )
    rows.append(("idle source", str(status.get("idle_source") or "none: you count as present")))
    rows.append(("notifications", str(status.get("notifier"))))
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)


def clock_time(iso: str) -> str:
    """ "2026-11-25T14:32:05+01:00" -> "14:32" (the daemon sends local time)."""
    return iso[11:16] if len(iso) >= 16 and iso[10] == "T" else iso
