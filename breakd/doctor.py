"""`breakd doctor`: which idle sources, session-event sources, busy signals and notifiers
work here.

One line for each such row of the adapter table (`adapters/table.py`) that runs
on this platform (`--all`: those for other platforms too), in its order, then a
one-line verdict: what a reminder reaches and whether breakd sees you come and
go, or what is wrong and how to put it right. Every source is really tried (opened
and read, or its bus name looked up), so the answer is about this session, not
this platform in general; the daemon need not run. The idle source marked "in
use" is the one the daemon would pick; every session-event source that works is
used. Each busy signal is "on"
(it would hold a reminder, and says what it sees now), "off" (the config
switches it off) or "unsupported" here, with why: what a user reads to learn
why a prompt was held, or why it was not. Each notifier that `notify.backend`
chooses is "in use" (the first that works), "works" or "unavailable"; for the
D-Bus one that names the notification server found, its version and what it can
show, from its own GetServerInformation and GetCapabilities.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import asdict
from typing import Any, Literal

from breakd.adapters.dbus.buses import Buses
from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.notify import NotifierError
from breakd.adapters.select import (
    check_notifier,
    here,
    open_busy_signal,
    open_session_source,
    try_idle_sources,
)
from breakd.adapters.table import ADAPTERS, Adapter, Choice, Kind, of_kind
from breakd.adapters.watcher import Watcher, WatcherUnavailable
from breakd.config.effective import load_effective_config
from breakd.config.model import Config
from breakd.core.record import record

PROBE_TIMEOUT = 5.0
"""Seconds one session-event source or busy signal may take to answer; local buses answer in ms."""

Status = Literal["in use", "works", "unavailable", "on", "off", "unsupported"]


@record
class SourceCheck:
    kind: Kind
    name: str
    status: Status
    detail: str
    brief: str = ""
    """A notifier's few words for the verdict ("dunst 1.9.0 with buttons")."""


def run_doctor(as_json: bool, config_path: str | None = None, show_all: bool = False) -> int:
    """Print one line per source and signal (or JSON), then the verdict; exit 0 whatever
    is missing.

    The busy signals follow the config the daemon would run with (`config_path`,
    else the default file); a config with mistakes is an error, as for `run`.
    """
    config = load_effective_config(config_path)
    checks = check_idle_sources() + asyncio.run(_check_async(config))
    summary = verdict(checks, config)
    if not show_all:
        elsewhere = {row.name for row in ADAPTERS if not row.runs_on()}
        checks = [check for check in checks if check.name not in elsewhere]
    if as_json:
        in_use = next((c.name for c in checks if c.kind == "idle" and c.status == "in use"), None)
        document = {
            "idle_source": in_use,
            "idle_sources": [_entry(check) for check in checks if check.kind == "idle"],
            "session_sources": [_entry(check) for check in checks if check.kind == "session"],
            "busy_signals": [_entry(check) for check in checks if check.kind == "busy"],
            "notifiers": [_entry(check) for check in checks if check.kind == "notifier"],
            "verdict": summary,
        }
        print(json.dumps(document, indent=2))
    else:
        print(format_checks(checks))
        print()
        print(f"verdict: {summary}")
    return 0


def verdict(checks: list[SourceCheck], config: Config) -> str:
    """One line: what a reminder reaches and whether breakd sees you come and go; or
    what is wrong, and how to put it right."""
    notifier = next((c for c in checks if c.kind == "notifier" and c.status == "in use"), None)
    idle = next((c for c in checks if c.kind == "idle" and c.status == "in use"), None)
    if notifier is not None and notifier.name != "log":
        reach = f"breakd will remind you through {notifier.brief}"
        if "without buttons" in notifier.brief:
            reach += " (answer with `breakd done`, `breakd skip` or `breakd snooze`)"
    elif config.notify.backend == "log":
        reach = 'breakd writes reminders to its log only (notify.backend is "log")'
    else:
        failed = next(
            (c for c in checks if c.kind == "notifier" and c.status == "unavailable"), None
        )
        why = f" ({failed.name}: {failed.detail})" if failed is not None else ""
        reach = (
            f"no reminder will reach your screen{why}; run breakd inside your desktop session,"
            " where a notification server answers on the session bus"
        )
    if idle is None:
        sees = "it cannot see your keyboard and mouse here, so it counts you as sitting all along"
    else:
        sees = f"it sees your keyboard and mouse through {idle.name}"
    return f"{reach}; {sees}"


def check_idle_sources() -> list[SourceCheck]:
    """Every idle source, tried in turn, this platform's or not (X11 may work on macOS);
    the first that works of this platform's is in use."""
    working: dict[str, str] = {}
    checks: dict[str, SourceCheck] = {}
    for row, source, text in try_idle_sources(of_kind("idle")):
        if source is None:
            checks[row.name] = SourceCheck("idle", row.name, "unavailable", text)
            continue
        try:
            idle = source.idle_seconds()
        except IdleSourceUnavailable as error:
            checks[row.name] = SourceCheck("idle", row.name, "unavailable", str(error))
            continue
        finally:
            source.close()
        working[row.name] = f"{text}; idle for {idle:.0f} s"
    in_use = next((row.name for row in here("idle") if row.name in working), None)
    for name, detail in working.items():
        checks[name] = SourceCheck("idle", name, "in use" if name == in_use else "works", detail)
    return [checks[row.name] for row in of_kind("idle")]


async def check_session_sources(buses: Buses) -> list[SourceCheck]:
    """Every session-event source: what it would watch here, or why it cannot."""
    checks = []
    for row in of_kind("session"):
        if not row.runs_on():
            checks.append(SourceCheck("session", row.name, "unavailable", _not_here(row)))
            continue
        source = open_session_source(row, buses)
        checks.append(await _probe(row, source, works="in use", fails="unavailable"))
    return checks


async def _check_async(config: Config) -> list[SourceCheck]:
    buses = Buses()
    return (
        await check_session_sources(buses)
        + await check_busy_signals(config, buses)
        + await check_notifiers(config)
    )


async def check_busy_signals(config: Config, buses: Buses) -> list[SourceCheck]:
    """Every busy signal: off in the config, or what it sees now, or why it cannot run here."""
    checks = []
    for row in of_kind("busy"):
        if not row.runs_on():  # before the config: no switch makes it run here
            checks.append(SourceCheck("busy", row.name, "unsupported", _not_here(row)))
            continue
        off = row.off(config)
        if off is not None:
            checks.append(SourceCheck("busy", row.name, "off", off))
            continue
        signal = open_busy_signal(row, config, buses)
        checks.append(await _probe(row, signal, works="on", fails="unsupported"))
    return checks


async def check_notifiers(config: Config) -> list[SourceCheck]:
    """Every notifier: what a reminder would reach through it, or why not; the first that
    works of those `notify.backend` chooses is in use."""
    checks = []
    backend = config.notify.backend
    in_use = False
    for row in of_kind("notifier"):
        if not row.runs_on():
            checks.append(SourceCheck("notifier", row.name, "unavailable", _not_here(row)))
            continue
        if isinstance(row.switch, Choice) and not row.switch.picks(backend, True):
            not_chosen = f'not chosen: notify.backend is "{backend}"'
            checks.append(SourceCheck("notifier", row.name, "off", not_chosen))
            continue
        try:
            found = await check_notifier(row)
        except NotifierError as error:
            checks.append(SourceCheck("notifier", row.name, "unavailable", str(error)))
            continue
        status: Status = "works" if in_use else "in use"
        checks.append(SourceCheck("notifier", row.name, status, found.detail, found.brief))
        in_use = True
    return checks


async def _probe(row: Adapter, watcher: Watcher[Any], works: Status, fails: Status) -> SourceCheck:
    """What `watcher` says it would watch, or why it cannot, as the check of `row`."""
    try:
        detail = await asyncio.wait_for(watcher.probe(), PROBE_TIMEOUT)
    except WatcherUnavailable as error:
        return SourceCheck(row.kind, row.name, fails, str(error))
    except asyncio.TimeoutError:
        return SourceCheck(row.kind, row.name, fails, f"no answer within {PROBE_TIMEOUT:g} s")
    except Exception as error:  # a check's own bug must not hide the others
        reason = f"the check failed ({type(error).__name__}: {error})"
        return SourceCheck(row.kind, row.name, fails, reason)
    return SourceCheck(row.kind, row.name, works, detail)


def _not_here(row: Adapter) -> str:
    return f"not on {sys.platform}: it runs only on {row.platforms}"


def format_checks(checks: list[SourceCheck]) -> str:
    """One aligned line per source: kind, name, status, then what it reads or what it lacks."""
    name_width = max(len(check.name) for check in checks)
    status_width = max(len(check.status) for check in checks)
    kind_width = max(len(check.kind) for check in checks)
    return "\n".join(
        f"{check.kind:<{kind_width}}  {check.name:<{name_width}}  "
        f"{check.status:<{status_width}}  {check.detail}"
        for check in checks
    )


def _entry(check: SourceCheck) -> dict[str, str]:
    entry = asdict(check)
    del entry["kind"], entry["brief"]
    return entry
