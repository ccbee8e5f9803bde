"""`breakd status` for people: a few aligned lines from the daemon's status object,
in the configured language.

The "reminder" row says why nothing is on screen, when that is so: held for
do-not-disturb or a call, waiting for the user to come back, snoozed, paused,
outside active hours. Times show as the clock and relative to the daemon's own
"now" ("14:05 (in 12 min)"). Runs on every `breakd status`: nothing heavy here, not
even datetime (a few ms of the command's start-up), so the ISO times are read by hand.
"""

from __future__ import annotations

from breakd.core import busy_reasons
from breakd.core.durations import spoken_duration
from breakd.core.words import WORDS, Words

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing only: importing breakd.ipc.status would import the core
    from breakd.core.stretches import Language
    from breakd.ipc.status import StatusReply


def format_status(status: StatusReply) -> str:
    """Keys are read with a default: a daemon started before an upgrade may lack newer ones."""
    language: Language = status.get("language", "en")
    if language not in WORDS:
        language = "en"
    words = WORDS[language]
    rows: list[tuple[str, str]] = [(words.label_state, state_text(status.get("state"), words))]
    sitting = status.get("sitting_seconds")
    if isinstance(sitting, (int, float)):
        rows.append((words.label_seated, spoken_duration(sitting, language)))
    reminder = _reminder_row(status, words, language)
    if reminder:
        rows.append((words.label_reminder, reminder))
    rows.append((words.label_stretch, str(status.get("exercise_name") or status.get("exercise"))))
    rows.append(
        (words.label_counts, f"{status.get('done_count', 0)} / {status.get('skipped_count', 0)}")
    )
    rows.append((words.label_idle_source, str(status.get("idle_source") or words.no_idle_source)))
    rows.append((words.label_notifications, str(status.get("notifier"))))
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)


def state_text(state: object, words: type[Words]) -> str:
    """A state as people say it: "sitting", "outside active hours"."""
    return str(getattr(words, f"state_{state}", "?"))


def _reminder_row(status: StatusReply, words: type[Words], language: Language) -> str:
    """Where the reminder is: on screen, next at, or why it is not on screen."""
    state = status.get("state")

    def at(key: str | None) -> str:
        return _moment(key, status.get("now"), words, language)

    if state == "reminding":
        return words.on_screen
    if state == "away":
        return words.away_now.format(
            idle=spoken_duration(float(status.get("idle_seconds") or 0), language)
        )
    if state == "paused":
        until = status.get("paused_until")
        return words.paused_now.format(at=at(until)) if until else words.paused_now_until_resume
    if state == "off_hours":
        again = status.get("active_again_at")
        return words.off_hours_until.format(at=at(again)) if again else words.off_hours_now
    deferred = status.get("deferred")
    if deferred:
        why = _held_why(deferred.get("reasons", []), words)
        return words.held.format(at=at(deferred.get("since")), why=why)
    if status.get("awaiting_return"):
        return words.awaiting_return.format(at=at(status.get("next_reminder_at")))
    if state == "snoozed":
        return words.snoozed_now.format(at=at(status.get("snoozed_until")))
    upcoming = status.get("next_reminder_at")
    return words.next_at.format(at=at(upcoming)) if upcoming else ""


def _held_why(reasons: list[str], words: type[Words]) -> str:
    """What holds the reminder back, as the reminder that follows will name it."""
    kinds = busy_reasons.kinds(reasons)
    if kinds & busy_reasons.IN_A_CALL:
        return words.held_call
    if kinds == {busy_reasons.DND}:
        return words.held_dnd
    if kinds == {busy_reasons.FULLSCREEN}:
        return words.held_fullscreen
    return words.held_busy


def _moment(iso: str | None, now: str | None, words: type[Words], language: Language) -> str:
    """ "14:05 (in 12 min)" or "13:48 (12 min ago)"; the clock alone without the daemon's now."""
    if not iso:
        return "?"
    shown = clock_time(iso)
    moment, reference = _epoch(iso), _epoch(str(now))
    if moment is None or reference is None:
        return shown
    seconds = moment - reference
    distance = abs(seconds)
    if distance >= 60:
        distance = round(distance / 60) * 60  # whole minutes, as the clock shows them
    spoken = spoken_duration(distance, language)
    return (words.at_in if seconds >= 0 else words.at_ago).format(time=shown, duration=spoken)


def _epoch(iso: str) -> int | None:
    """Seconds since 1970 of the daemon's "2026-11-25T14:32:05+01:00"; None for another shape."""
    if len(iso) != 25 or iso[10] != "T" or iso[19] not in "+-":
        return None
    try:
        year, month, day = int(iso[0:4]), int(iso[5:7]), int(iso[8:10])
        hours, minutes, seconds = int(iso[11:13]), int(iso[14:16]), int(iso[17:19])
        offset = (int(iso[20:22]) * 60 + int(iso[23:25])) * 60 * (1 if iso[19] == "+" else -1)
    except ValueError:
        return None
    # Days since 1970-01-01 of a Gregorian date (Howard Hinnant's days_from_civil).
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    days = era * 146097 + day_of_era - 719468
    return days * 86400 + hours * 3600 + minutes * 60 + seconds - offset


def clock_time(iso: str) -> str:
    """ "2026-11-25T14:32:05+01:00" -> "14:32" (the daemon sends local time)."""
    return iso[11:16] if len(iso) >= 16 and iso[10] == "T" else iso
