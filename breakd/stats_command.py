"""`breakd stats`: figures and a chart of the history, read straight from its files.

Needs no running daemon; it asks the socket only whether one runs, so that the span
going on now counts up to now.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from breakd import paths
from breakd.config.effective import load_effective_config
from breakd.core.settings import day_of
from breakd.core.stats import CSV_COLUMNS, Range, figures, render
from breakd.core.stretches import STRETCHES
from breakd.core.words import WORDS
from breakd.errors import UsageError
from breakd.history_reader import forget_before, read_days

if TYPE_CHECKING:
    import argparse

SHOWN_PROBLEMS = 3
"""How many unreadable lines the report names; it counts them all."""


def run_stats(args: argparse.Namespace) -> int:
    config = load_effective_config(args.config)
    words = WORDS[config.language]
    directory = paths.history_dir()
    if args.forget_before is not None:
        day = _date(args.forget_before, "--forget-before")
        print(words.stats_forgot.format(count=forget_before(directory, day), day=day))
        return 0
    now = datetime.now().astimezone()
    first, last = _days(args, day_of(now, config.day_starts_at))
    reading = read_days(directory, first - timedelta(days=1), last + timedelta(days=2))
    if reading.problems:
        where = ", ".join(reading.problems[:SHOWN_PROBLEMS])
        where += ", ..." if len(reading.problems) > SHOWN_PROBLEMS else ""
        text = words.stats_unreadable.format(count=len(reading.problems), where=where)
        print(f"breakd: {text}", file=sys.stderr)
    open_until = now if _daemon_runs() else None
    found = figures(reading.entries, Range(first, last, config.day_starts_at), open_until)
    if args.json:
        import json

        print(json.dumps(found, indent=2))
    elif args.csv:
        import csv

        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(CSV_COLUMNS)
        out.writerows([day[column] for column in CSV_COLUMNS] for day in found["days"])
    else:
        language = config.language
        for line in render(
            found,
            words,
            lambda id_: STRETCHES[id_].text[language].name if id_ in STRETCHES else id_,
        ):
            print(line)
    return 0


def _days(args: argparse.Namespace, today: date) -> tuple[date, date]:
    """The range asked for: today, the last 7 or 30 days, or --from/--to (inclusive)."""
    if args.week:
        return today - timedelta(days=6), today
    if args.month:
        return today - timedelta(days=29), today
    if args.from_ is None and args.to is None:
        return today, today
    last = today if args.to is None else _date(args.to, "--to")
    first = last if args.from_ is None else _date(args.from_, "--from")
    if first > last:
        raise UsageError(f"stats: --from {first} is after --to {last}")
    if (last - first).days > 3660:
        raise UsageError("stats: a range of at most ten years")
    return first, last


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"stats: {option} takes a date such as 2026-11-23, not {text!r}") from None


def _daemon_runs() -> bool:
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        try:
            probe.connect(paths.socket_file())
        except OSError:
            return False
    return True
