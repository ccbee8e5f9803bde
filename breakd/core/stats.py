"""`breakd stats`: the figures of a range of days, from the history's records alone.

Pure: the records come in (as `history_reader` read them), the figures go out.
Seated time is the seated spans, clipped to the range; a span the daemon never closed
(it was killed) ends at the last record written after it, or now while the daemon
runs. Counts are the records', so they are what the tracker did. Moving time is the
natural breaks between the day's first and last seated moment: the night away is not
moving. Days start at `day_starts_at`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Protocol

from breakd.core import history
from breakd.core.record import record

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from breakd.core.words import Words

    Interval = tuple[datetime, datetime]


class EntryLike(Protocol):
    """What the figures need of a record (history_reader.Entry)."""

    kind: str
    at: datetime
    since: datetime | None
    details: dict[str, object]


@record
class Range:
    first: date
    last: date
    day_starts_at: time
    zone: tzinfo | None = None
    """None: the system's local zone on each date (daylight saving included)."""

    def start_of(self, day: date) -> datetime:
        moment = datetime.combine(day, self.day_starts_at)
        return moment.replace(tzinfo=self.zone) if self.zone else moment.astimezone()

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def spans(entries: Sequence[EntryLike], open_until: datetime | None) -> list[Interval]:
    """The seated spans; an unclosed one ends at the last record after it (or before the
    next span), or at `open_until` when it is the last and the daemon still runs."""
    found: list[Interval] = []
    start: datetime | None = None
    seen: datetime | None = None
    for entry in entries:
        if entry.kind == history.STOOD_UP and entry.since is not None:
            found.append((entry.since, entry.at))
            start = None
        elif entry.kind == history.SAT_DOWN:
            if start is not None:
                found.append((start, min(max(seen or start, start), entry.at)))
            start = seen = entry.at
        elif start is not None:
            seen = max(seen or entry.at, entry.at)
    if start is not None:
        end = open_until if open_until is not None else seen or start
        found.append((start, max(start, end)))
    return found


def _overlap(interval: Interval, low: datetime, high: datetime) -> float:
    start, end = max(interval[0], low), min(interval[1], high)
    return max(0.0, (end - start).total_seconds())


def _clip(intervals: Sequence[Interval], low: datetime, high: datetime) -> list[Interval]:
    return [(max(a, low), min(b, high)) for a, b in intervals if min(b, high) > max(a, low)]


def figures(entries: Sequence[EntryLike], span: Range, open_until: datetime | None) -> dict:
    """Every figure `breakd stats` shows, as JSON-ready values (seconds, counts)."""
    low, high = span.start_of(span.first), span.start_of(span.last + timedelta(days=1))
    seated = _clip(spans(entries, open_until), low, high)
    breaks = [(e.since, e.at) for e in entries if e.kind == history.BREAK and e.since]
    inside = [e for e in entries if low <= e.at < high]

    def of(kind: str, test: Callable[[dict[str, object]], bool] = lambda _: True) -> list[dict]:
        return [e.details for e in inside if e.kind == kind and test(e.details)]

    answers = of(history.ANSWER)
    done = Counter(str(a.get("exercise")) for a in answers if a.get("how") == "done")
    # What became of the reminders: a stretch done, or a snooze of the one to come, with
    # no reminder out counts among the stretches, not among the reminders' answers.
    to_reminders = [a for a in answers if a.get("after") is not None]
    held = of(history.REMINDER, lambda d: d.get("held") is not None) + of(history.DROPPED)
    held_by: Counter[str] = Counter()
    for hold in held:
        for reason in hold.get("held_by") or ():  # type: ignore[union-attr]
            held_by[str(reason)] += float(hold.get("held") or 0)  # type: ignore[arg-type]
    unanswered = Counter(str(d.get("why")) for d in of(history.UNANSWERED))
    returned = [b for b in breaks if low <= b[1] < high]
    days = _days(span, seated, breaks, inside)
    result = {
        "from": span.first.isoformat(),
        "to": span.last.isoformat(),
        "seated_seconds": _seconds(sum((b - a).total_seconds() for a, b in seated)),
        "longest_sitting_seconds": _seconds(
            max(((b - a).total_seconds() for a, b in seated), default=0.0)
        ),
        "natural_breaks": len(returned),
        "break_seconds": _seconds(sum((b - a).total_seconds() for a, b in returned)),
        "moving_seconds": _seconds(sum(day["moving_seconds"] for day in days)),
        "reminders": len(of(history.REMINDER, lambda d: d.get("repeat") == 0)),
        "repeats": len(of(history.REMINDER, lambda d: d.get("repeat") != 0)),
        "done": sum(done.values()),
        "stretches": dict(sorted(done.items())),
        "answered_done": sum(1 for a in to_reminders if a.get("how") == "done"),
        "snoozed": sum(1 for a in to_reminders if a.get("how") == "snooze"),
        "skipped": sum(1 for a in to_reminders if a.get("how") == "skip"),
        "ignored": sum(unanswered.values()),
        "ignored_by": dict(sorted(unanswered.items())),
        "dropped": len(of(history.DROPPED)),
        "held_seconds": _seconds(sum(float(h.get("held") or 0) for h in held)),  # type: ignore[arg-type]
        "held_by": {reason: _seconds(s) for reason, s in sorted(held_by.items())},
        "days": days,
    }
    if span.first == span.last:
        result["hours"] = _hours(span.first, span, seated, breaks)
    return result


def _moving(
    seated: Sequence[Interval], breaks: Sequence[Interval], low: datetime, high: datetime
) -> list[Interval]:
    """Breaks between the first and last seated moment within low..high."""
    mine = _clip(seated, low, high)
    if not mine:
        return []
    return _clip(breaks, min(a for a, _ in mine), max(b for _, b in mine))


def _days(
    span: Range, seated: list[Interval], breaks: list[Interval], inside: list[EntryLike]
) -> list[dict]:
    """One row a day; each span, break and record goes to the days it touches, found by
    bisection, so a long range costs no more per day than a short one."""
    days = span.days()
    edges = [span.start_of(day) for day in days] + [span.start_of(days[-1] + timedelta(days=1))]
    touching: list[tuple[list[Interval], list[Interval], list[EntryLike]]] = [
        ([], [], []) for _ in days
    ]
    for which, intervals in ((0, seated), (1, breaks)):
        for interval in intervals:
            low = max(0, bisect_right(edges, interval[0]) - 1)
            high = min(len(days), bisect_left(edges, interval[1]))
            for index in range(low, high):
                touching[index][which].append(interval)  # type: ignore[index]
    for entry in inside:
        index = bisect_right(edges, entry.at) - 1
        if 0 <= index < len(days):
            touching[index][2].append(entry)
    rows = []
    for index, day in enumerate(days):
        mine, near, today = touching[index]
        low, high = edges[index], edges[index + 1]
        clipped = _clip(mine, low, high)
        moving = _moving(mine, near, low, high)
        rows.append(
            {
                "date": day.isoformat(),
                "seated_seconds": _seconds(sum((b - a).total_seconds() for a, b in clipped)),
                "moving_seconds": _seconds(sum((b - a).total_seconds() for a, b in moving)),
                "natural_breaks": sum(1 for b in near if low <= b[1] < high),
                "done": sum(
                    1 for e in today if e.kind == history.ANSWER and e.details.get("how") == "done"
                ),
                "reminders": sum(
                    1 for e in today if e.kind == history.REMINDER and e.details.get("repeat") == 0
                ),
            }
        )
    return rows


def _hours(
    day: date, span: Range, seated: Sequence[Interval], breaks: Sequence[Interval]
) -> list[dict]:
    low, high = span.start_of(day), span.start_of(day + timedelta(days=1))
    moving = _moving(seated, breaks, low, high)
    rows = []
    hour = low
    while hour < high:
        after = hour + timedelta(hours=1)
        rows.append(
            {
                "hour": hour.isoformat(timespec="minutes"),
                "seated_seconds": _seconds(sum(_overlap(s, hour, after) for s in seated)),
                "moving_seconds": _seconds(sum(_overlap(m, hour, after) for m in moving)),
            }
        )
        hour = after
    return rows


def _seconds(value: float) -> float:
    return round(value, 3)


WIDTH = 80
"""Every line `render` gives fits this many columns."""
_BAR = 55
_MARKS = (1, 2, 5, 10, 15, 20, 30, 60)


def short_duration(seconds: float, words: type[Words]) -> str:
    """5h10m, 45m: compact, for a table."""
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}{words.stats_hour_unit}{minutes:02d}m" if hours else f"{minutes}m"


def render(found: dict, words: type[Words], stretch_name: Callable[[str], str]) -> list[str]:
    """The figures as text for a terminal: no colour, at most WIDTH columns."""
    short = lambda seconds: short_duration(seconds, words)  # noqa: E731
    first, last = found["from"], found["to"]
    lines = [first if first == last else words.stats_range.format(first=first, last=last), ""]
    if not found["seated_seconds"] and not found["reminders"] and not found["natural_breaks"]:
        return [*lines, words.stats_nothing]
    rows = [
        (
            words.stats_seated,
            short(found["seated_seconds"])
            + ", "
            + words.stats_longest.format(duration=short(found["longest_sitting_seconds"])),
        ),
        (words.stats_breaks, f"{found['natural_breaks']} ({short(found['break_seconds'])})"),
        (words.stats_stretches, str(found["done"])),
        *((f"  {stretch_name(name)}", str(n)) for name, n in found["stretches"].items()),
        (words.stats_reminders, str(found["reminders"])),
        (
            "",
            words.stats_answers.format(
                done=found["answered_done"],
                **{k: found[k] for k in ("snoozed", "skipped", "ignored")},
            ),
        ),
        (words.stats_held, short(found["held_seconds"])),
        *((f"  {reason}", short(s)) for reason, s in found["held_by"].items()),
    ]
    label = max(len(name) for name, _ in rows) + 2
    lines += [(name.ljust(label) + value)[:WIDTH].rstrip() for name, value in rows]
    if "hours" in found:
        lines += ["", *_hour_chart(found["hours"], words)]
    else:
        lines += ["", *_day_chart(found["days"], words, short)]
    return lines


def _bar(seated: float, moving: float, mark: float) -> str:
    hashes = round(seated / mark)
    return "#" * hashes + "." * (round((seated + moving) / mark) - hashes)


def _hour_chart(hours: list[dict], words: type[Words]) -> list[str]:
    used = [n for n, h in enumerate(hours) if h["seated_seconds"] or h["moving_seconds"]]
    if not used:
        return []
    mark = 2
    lines = [words.stats_per_hour.format(minutes=mark)]
    for hour in hours[used[0] : used[-1] + 1]:
        bar = _bar(hour["seated_seconds"], hour["moving_seconds"], mark * 60)
        lines.append(f"{hour['hour'][11:16]} {bar}".rstrip())
    return lines


def _day_chart(days: list[dict], words: type[Words], short: Callable[[float], str]) -> list[str]:
    longest = max(d["seated_seconds"] + d["moving_seconds"] for d in days) / 60
    mark = next((m for m in _MARKS if longest / m <= _BAR), 60)
    names = words.stats_weekdays.split()
    lines = [words.stats_per_day.format(minutes=mark)]
    for day in days:
        when = date.fromisoformat(day["date"])
        bar = _bar(day["seated_seconds"], day["moving_seconds"], mark * 60)
        label = f"{names[when.weekday()]:<3} {when:%m-%d}"
        lines.append(f"{label} {bar} {short(day['seated_seconds']) if bar else ''}".rstrip())
    return lines


CSV_COLUMNS = ("date", "seated_seconds", "moving_seconds", "natural_breaks", "done", "reminders")
