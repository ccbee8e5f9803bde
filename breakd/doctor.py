"""`breakd doctor`: which idle sources, session-event sources and busy signals work here.

Every source is really tried (opened and read, or its bus name looked up), so
the answer is about this session, not this platform in general; the daemon
need not run. The idle source marked "in use" is the one the daemon would
pick; every session-event source that works is used. Each busy signal is "on"
(it would hold a reminder, and says what it sees now), "off" (the config
switches it off) or "unsupported" here, with why: what a user reads to learn
why a prompt was held, or why it was not.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import asdict, dataclass
from typing import Literal

from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.select import (
    BUSY_SIGNALS,
    IDLE_SOURCES,
    busy_signal_platforms,
    busy_signal_runs_on,
    busy_signal_switched_off,
    open_busy_signals,
    open_session_sources,
    platform_idle_sources,
    try_idle_sources,
)
from breakd.adapters.watcher import WatcherUnavailable
from breakd.config.effective import load_effective_config
from breakd.config.model import Config

SESSION_SOURCES = ("logind", "screensaver", "gnome-session-manager")
PROBE_TIMEOUT = 5.0
"""Seconds one session-event source or busy signal may take to answer; local buses answer in ms."""

Kind = Literal["idle", "session", "busy"]
Status = Literal["in use", "works", "unavailable", "on", "off", "unsupported"]


@dataclass(frozen=True)
class SourceCheck:
    kind: Kind
    name: str
    status: Status
    detail: str


def run_doctor(as_json: bool, config_path: str | None = None) -> int:
    """Print one line per source and signal (or JSON); exit 0 whatever is missing.

    The busy signals follow the config the daemon would run with (`config_path`,
    else the default file); a config with mistakes is an error, as for `run`.
    """
    config = load_effective_config(config_path)
    checks = check_idle_sources() + asyncio.run(_check_async(config))
    if as_json:
        in_use = next((c.name for c in checks if c.kind == "idle" and c.status == "in use"), None)
        document = {
            "idle_source": in_use,
            "idle_sources": [_entry(check) for check in checks if check.kind == "idle"],
            "session_sources": [_entry(check) for check in checks if check.kind == "session"],
            "busy_signals": [_entry(check) for check in checks if check.kind == "busy"],
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
        except WatcherUnavailable as error:
            checks.append(SourceCheck("session", name, "unavailable", str(error)))
        except asyncio.TimeoutError:
            reason = f"no answer within {PROBE_TIMEOUT:g} s"
            checks.append(SourceCheck("session", name, "unavailable", reason))
        else:
            checks.append(SourceCheck("session", name, "in use", detail))
    return checks


async def _check_async(config: Config) -> list[SourceCheck]:
    return await check_session_sources() + await check_busy_signals(config)


async def check_busy_signals(config: Config) -> list[SourceCheck]:
    """Every busy signal: off in the config, or what it sees now, or why it cannot run here."""
    here = {signal.name: signal for signal in open_busy_signals(config, switched_off_too=True)}
    checks = []
    for name in BUSY_SIGNALS:
        if not busy_signal_runs_on(name):  # before the config: no switch makes it run here
            reason = f"not on {sys.platform}: it runs {busy_signal_platforms(name)}"
            checks.append(SourceCheck("busy", name, "unsupported", reason))
            continue
        off = busy_signal_switched_off(config, name)
        signal = here.get(name)
        if off is not None:
            checks.append(SourceCheck("busy", name, "off", off))
            continue
        if signal is None:
            reason = f"not on {sys.platform}: it runs {busy_signal_platforms(name)}"
            checks.append(SourceCheck("busy", name, "unsupported", reason))
            continue
        try:
            detail = await asyncio.wait_for(signal.probe(), PROBE_TIMEOUT)
        except WatcherUnavailable as error:
            checks.append(SourceCheck("busy", name, "unsupported", str(error)))
        except asyncio.TimeoutError:
            reason = f"no answer within {PROBE_TIMEOUT:g} s"
            checks.append(SourceCheck("busy", name, "unsupported", reason))
        except Exception as error:  # a check's own bug must not hide the other signals
            reason = f"the check failed ({type(error).__name__}: {error})"
            checks.append(SourceCheck("busy", name, "unsupported", reason))
        else:
            checks.append(SourceCheck("busy", name, "on", detail))
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
