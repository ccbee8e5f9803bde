"""`breakd doctor`: which idle and session-event sources work here, and what the others lack.

Every source is really tried (opened and read, or its bus name looked up), so
the answer is about this session, not this platform in general; the daemon
need not run. The idle source marked "in use" is the one the daemon would
pick; every session-event source that works is used.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict, dataclass
from typing import Literal

from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.select import (
    IDLE_SOURCES,
    open_session_sources,
    platform_idle_sources,
    try_idle_sources,
)
from breakd.adapters.session import SessionSourceUnavailable

SESSION_SOURCES = ("logind", "screensaver", "gnome-session-manager")
PROBE_TIMEOUT = 5.0
"""Seconds one session-event source may take to answer; local buses answer in ms."""

Kind = Literal["idle", "session"]
Status = Literal["in use", "works", "unavailable"]


@dataclass(frozen=True)
class SourceCheck:
    kind: Kind
    name: str
    status: Status
    detail: str


def run_doctor(as_json: bool) -> int:
    """Print one line per source (or JSON); always exit 0: a missing source is not an error."""
    checks = check_idle_sources() + asyncio.run(check_session_sources())
    if as_json:
        in_use = next((c.name for c in checks if c.kind == "idle" and c.status == "in use"), None)
        document = {
            "idle_source": in_use,
            "idle_sources": [_entry(check) for check in checks if check.kind == "idle"],
            "session_sources": [_entry(check) for check in checks if check.kind == "session"],
        }
        print(json.dumps(document, indent=2))
    else:
        print(format_checks(checks))
    return 0


def check_idle_sources() -> list[SourceCheck]:
    """Every idle source, tried in turn; the first that works of this platform's is in use."""
    working: dict[str, str] = {}
    checks: dict[str, SourceCheck] = {}
    for name, source, text in try_idle_sources(IDLE_SOURCES):
        if source is None:
            checks[name] = SourceCheck("idle", name, "unavailable", text)
            continue
        try:
            idle = source.idle_seconds()
        except IdleSourceUnavailable as error:
            checks[name] = SourceCheck("idle", name, "unavailable", str(error))
            continue
        finally:
            source.close()
        working[name] = f"{text}; idle for {idle:.0f} s"
    in_use = next((name for name in platform_idle_sources() if name in working), None)
    for name, detail in working.items():
        checks[name] = SourceCheck("idle", name, "in use" if name == in_use else "works", detail)
    return [checks[name] for name in IDLE_SOURCES]


async def check_session_sources() -> list[SourceCheck]:
    """Every session-event source: what it would watch here, or why it cannot."""
    here = {source.name: source for source in open_session_sources()}
    checks = []
    for name in SESSION_SOURCES:
        source = here.get(name)
        if source is None:
            checks.append(SourceCheck("session", name, "unavailable", "not on Linux or a BSD"))
            continue
        try:
            detail = await asyncio.wait_for(source.probe(), PROBE_TIMEOUT)
        except SessionSourceUnavailable as error:
            checks.append(SourceCheck("session", name, "unavailable", str(error)))
        except asyncio.TimeoutError:
            reason = f"no answer within {PROBE_TIMEOUT:g} s"
            checks.append(SourceCheck("session", name, "unavailable", reason))
        else:
            checks.append(SourceCheck("session", name, "in use", detail))
    return checks


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
    del entry["kind"]
    return entry
