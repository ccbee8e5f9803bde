"""The one place that picks, from the adapter table, the adapters that run here, and opens them.

What exists, where it runs and what switches it on is in `table.py`; this module
only reads it, so every kind is chosen the same way: the rows of the kind, in the
table's order, that run on this platform and that the config leaves on.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from breakd.adapters.busy import BusySignal
from breakd.adapters.dbus.address import BusUnavailable
from breakd.adapters.dbus.buses import Buses, TriedBuses
from breakd.adapters.idle import IdleSource, IdleSourceUnavailable
from breakd.adapters.notify import AnswerHandler, Notifier, NotifierCheck, NotifierError
from breakd.adapters.notify.fallback import FallbackNotifier
from breakd.adapters.session import SessionEventSource
from breakd.adapters.table import Adapter, Choice, Kind, of_kind
from breakd.config.model import Config

if TYPE_CHECKING:
    from breakd.adapters.dbus.link import SharedBus

log = logging.getLogger(__name__)


def here(kind: Kind, platform: str | None = None) -> tuple[Adapter, ...]:
    """The rows of `kind` that can run on `platform` (default: this one), in order."""
    return tuple(row for row in of_kind(kind) if row.runs_on(platform))


def open_idle_source() -> tuple[IdleSource | None, str]:
    """The idle source for this desktop, and one sentence on what was picked and why.

    Tried in the table's order: GNOME's Mutter (Wayland and X11), the freedesktop
    ScreenSaver (KDE Plasma), the Wayland idle protocols (before X11: XWayland
    sees only its own windows' input), X11 when DISPLAY is set; macOS has one.
    The sentence names the pick and why each one before it was passed over;
    with none, why none works.
    """
    rows = here("idle")
    if not rows:
        return None, f"breakd has no idle source for {sys.platform} yet"
    passed_over: list[str] = []
    for row, source, text in try_idle_sources(rows):
        if source is not None:
            sentence = f"{row.name} ({text})"
            if passed_over:
                sentence += f"; passed over {'; '.join(passed_over)}"
            return source, sentence
        log.debug("idle source %s: %s", row.name, text)
        passed_over.append(f"{row.name}: {text}")
    return None, "; ".join(passed_over)


def try_idle_sources(
    rows: Iterable[Adapter],
) -> Iterator[tuple[Adapter, IdleSource | None, str]]:
    """Open each idle source in turn: (row, source, what it reads) or (row, None, why not).

    The D-Bus sources share one connection per bus, which the one that works
    keeps; stop iterating early and the unused connection is closed.
    """
    buses = TriedBuses()
    try:
        for row in rows:
            try:
                source = _open_idle_source(row, buses)
            except IdleSourceUnavailable as error:
                yield row, None, str(error)
                continue
            yield row, source, source.description
    finally:
        buses.close()


def _open_idle_source(row: Adapter, buses: TriedBuses) -> IdleSource:
    if row.bus is None:
        return _open(row, None)
    try:
        bus = buses.get(row.bus)  # before the import: no bus, no jeepney
    except BusUnavailable as error:
        raise IdleSourceUnavailable(str(error)) from None
    source: IdleSource = _open(row, bus)
    buses.hand_over(row.bus)
    return source


def open_session_sources(buses: Buses | None = None) -> list[SessionEventSource]:
    """Every session-event source that may work on this platform (none yet off Linux and the BSDs).

    Run them with `CombinedSessionEvents`, which skips and retries the ones that
    are not here. The D-Bus ones share one connection per bus.
    """
    buses = buses or Buses()
    return [open_session_source(row, buses) for row in here("session")]


def open_session_source(row: Adapter, buses: Buses) -> SessionEventSource:
    """One session-event source, not yet watching (`breakd doctor` opens each it checks
    this way)."""
    return _open(row, _shared(row, buses))


def open_busy_signals(config: Config, *, buses: Buses | None = None) -> list[BusySignal]:
    """The busy signals that may work on this platform and that `dont_interrupt` switches on.

    Run them with `CombinedBusySignals`, which skips and retries those that are not
    here. Nothing is imported or connected for a signal that does not run.
    """
    buses = buses or Buses()
    return [open_busy_signal(row, config, buses) for row in here("busy") if row.off(config) is None]


def open_busy_signal(row: Adapter, config: Config, buses: Buses) -> BusySignal:
    """One busy signal, set up from `config` whether or not that switches it on
    (`breakd doctor` opens each it checks this way)."""
    return _open(row, _shared(row, buses), config.dont_interrupt)


def choose_notifier(backend: str, answer: AnswerHandler, config: Callable[[], Config]) -> Notifier:
    """The notifier chain for `notify.backend`; every chain ends in the log.

    `dbus`: freedesktop notifications with buttons. `plyer`: plyer's plain notifications.
    `auto`: every one that runs here, in the table's order (dbus on Linux and the BSDs,
    then plyer). `log`: the log only. `config` returns the config in force, so button
    labels follow a reload. Nothing is imported for a notifier that is not chosen.
    """
    chain: list[Notifier] = [_open(row, None, answer, config) for row in chosen_notifiers(backend)]
    return chain[0] if len(chain) == 1 else FallbackNotifier(chain)


NOTIFIER_PROBE_TIMEOUT = 5.0
"""Seconds a notifier's probe may take; a local notification server answers in ms."""


def chosen_notifiers(backend: str) -> tuple[Adapter, ...]:
    """The notifier rows `notify.backend` chains, in order (as `choose_notifier` opens them)."""
    return tuple(
        row
        for row in of_kind("notifier")
        if not isinstance(row.switch, Choice) or row.switch.picks(backend, row.runs_on())
    )


async def check_notifier(row: Adapter, at_start: bool = False) -> NotifierCheck:
    """What a reminder would reach through `row` now; NotifierError says why nothing.
    `at_start`: the daemon asks, and the row's `start_probe` is used where it has one."""
    import asyncio

    probe = (row.start_probe if at_start else None) or row.probe
    assert probe is not None, f"the notifier {row.name} has no probe in the table"
    try:
        return await asyncio.wait_for(row.load(probe)(), NOTIFIER_PROBE_TIMEOUT)
    except asyncio.TimeoutError:
        raise NotifierError(f"no answer within {NOTIFIER_PROBE_TIMEOUT:g} s") from None


async def working_notifier(backend: str) -> tuple[str, NotifierCheck, list[str]]:
    """For the daemon's start-up line: the first notifier of the chain that works now,
    what it reaches, and why each one before it was passed over ("dbus: no D-Bus session
    bus ..."). Loads nothing the notifiers themselves put off until a reminder."""
    passed_over = []
    rows = chosen_notifiers(backend)
    for row in rows[:-1]:
        try:
            return row.name, await check_notifier(row, at_start=True), passed_over
        except NotifierError as error:
            passed_over.append(f"{row.name}: {error}")
    return rows[-1].name, await check_notifier(rows[-1], at_start=True), passed_over


def _shared(row: Adapter, buses: Buses) -> SharedBus | None:
    return None if row.bus is None else buses.get(row.bus)


def _open(row: Adapter, bus: object, *handed: Any) -> Any:
    """Call the row's opener as `table.py` says: its bus first, if any, then what its kind
    hands it. Its module is imported here."""
    opener = row.load()
    return opener(*handed) if bus is None else opener(bus, *handed)
