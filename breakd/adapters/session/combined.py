"""Several session sources as one clean stream of changes for the tracker.

Each source reports states (locked, inhibited, asleep). Merged: locked when
any source says locked, inhibited when any says inhibited, asleep when any says
asleep; only changes go out, so two sources seeing one lock give one
ScreenLocked. A Woke passes through as it came, with the sleep it measured.

The sources run under the one combiner (`adapters/combined.py`): one that is
not here is reported and tried again later, less and less often; one that
stops has its states dropped, which may itself be a change (a Woke, so the
tracker never stays asleep), and is tried again after the first wait.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from breakd.adapters.combined import RETRY, Combined
from breakd.adapters.session import Emit, SessionEventSource
from breakd.adapters.supervise import Backoff, Wording
from breakd.core.events import (
    InhibitorChanged,
    ScreenLocked,
    ScreenUnlocked,
    SessionEvent,
    Sleeping,
    Woke,
)

log = logging.getLogger(__name__)

_WORDING = Wording(
    log,
    failed="session events from %s failed",
    stopped="session events from %s stopped: %s; trying again in %g s",
    unavailable="session events: %s is not available: %s",
    watching="session events: watching %s%s",
    nothing="no session-event source on this platform: lock and suspend are not seen",
)


@dataclass
class _States:
    """What one source last said, or the merge of them all; False until said otherwise."""

    locked: bool = False
    inhibited: bool = False
    asleep: bool = False


class SessionMerge:
    """The session merge rule: any source's state counts, only changes go out."""

    wording = _WORDING

    def __init__(self, emit: Emit) -> None:
        self._emit = emit
        self._said: dict[int, _States] = {}
        self.merged = _States()

    def take(self, index: int, name: str, event: SessionEvent, first: bool) -> None:
        """One source's report: update what it says, then pass on what changed overall."""
        log.debug("session events: %s says %s", name, _describe(event))
        said = self._said.setdefault(index, _States())
        if isinstance(event, (ScreenLocked, ScreenUnlocked)):
            said.locked = isinstance(event, ScreenLocked)
        elif isinstance(event, InhibitorChanged):
            said.inhibited = event.active
        elif isinstance(event, (Sleeping, Woke)):
            said.asleep = isinstance(event, Sleeping)
        self._publish(event if isinstance(event, Woke) else None)

    def describe(self, said: SessionEvent) -> str:
        """The first word of a session source is only its state at start: not news."""
        return ""

    def forget(self, index: int) -> None:
        """A stopped source's states are unknown, and unknown must not silence breakd."""
        self._said.pop(index, None)
        self._publish(None)

    def close(self) -> None:
        """Nothing waits: changes go out as they come."""

    def _publish(self, woke: Woke | None) -> None:
        said = self._said.values()
        merged = self.merged
        asleep = any(one.asleep for one in said)
        if asleep != merged.asleep:
            merged.asleep = asleep
            self._send(Sleeping() if asleep else (woke or Woke()))
        locked = any(one.locked for one in said)
        if locked != merged.locked:
            merged.locked = locked
            self._send(ScreenLocked() if locked else ScreenUnlocked())
        inhibited = any(one.inhibited for one in said)
        if inhibited != merged.inhibited:
            merged.inhibited = inhibited
            self._send(InhibitorChanged(inhibited))

    def _send(self, event: SessionEvent) -> None:
        try:
            self._emit(event)
        except Exception:  # the receiver's bug must not stop the sources
            log.exception("handling %s failed", event)


class CombinedSessionEvents(Combined[SessionEvent]):
    """The session sources under the one combiner, merged by `SessionMerge`; `emit` is
    called on the loop, once per change."""

    rule: SessionMerge

    def __init__(
        self, sources: Sequence[SessionEventSource], emit: Emit, retry: Backoff = RETRY
    ) -> None:
        super().__init__(sources, SessionMerge(emit), retry)


def _describe(event: SessionEvent) -> str:
    if isinstance(event, InhibitorChanged):
        return "an idle inhibitor is held" if event.active else "no idle inhibitor any more"
    if isinstance(event, Woke):
        slept = event.slept_seconds
        return "woke up" if slept is None else f"woke up after {slept:.0f} s"
    return {ScreenLocked: "screen locked", ScreenUnlocked: "screen unlocked"}.get(
        type(event), "going to sleep"
    )
