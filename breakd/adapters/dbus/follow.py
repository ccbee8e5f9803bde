"""Following one service: its well-known name's owner, and the signals that owner sends.

Every D-Bus watcher does the same around its own reading: require an owner
(else the watcher is unavailable here), subscribe to the name's owner changes
and to its signals before reading the state (so no change slips between the
two), then take messages one at a time. A service that is restarted under the
same name must be read again; one that leaves, or a bus that hangs up, stops
the watcher. Signals from anyone else holding the same interface are ignored.
Inside `owned` and `follow`, every D-Bus failure is WatcherUnavailable, named
after the service.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable

from jeepney import Message
from jeepney.bus_messages import MatchRule

from breakd.adapters.dbus.address import Bus
from breakd.adapters.dbus.errors import BusLost, watcher_errors
from breakd.adapters.dbus.link import BusLink, SharedBus
from breakd.adapters.dbus.rules import header, name_owner_rule, owner_change
from breakd.adapters.watcher import WatcherUnavailable
from breakd.core.record import record


@record
class Service:
    """A well-known name a watcher follows, and its one-sentence reasons for stopping."""

    name: str
    missing: str
    """Why the watcher is unavailable when the name has no owner."""
    left: str
    """Why the watcher stops when the owner leaves."""

    @classmethod
    def on(cls, name: str, bus: Bus, why: str) -> Service:
        """The usual words: "no <name> on the <bus> bus (<why>)", "<name> left the <bus> bus"."""
        return cls(name, f"no {name} on the {bus} bus ({why})", f"{name} left the {bus} bus")


async def require_owner(link: BusLink, service: Service) -> str:
    """The name's owner now; WatcherUnavailable with the service's reason when it has none."""
    owner = await link.name_owner(service.name)
    if owner is None:
        raise WatcherUnavailable(service.missing)
    return owner


@contextlib.asynccontextmanager
async def owned(bus: SharedBus, service: Service) -> AsyncIterator[BusLink]:
    """Connected, with the service's owner required: what a probe reads through."""
    with watcher_errors(service.name):
        async with bus.connected() as link:
            await require_owner(link, service)
            yield link


class Followed:
    """Messages from the current owner of one name, on a queue subscribed beforehand."""

    def __init__(
        self,
        link: BusLink,
        queue: asyncio.Queue[Message],
        owner: str | None,
        *,
        left: str | None,
    ) -> None:
        """`left` is the reason to stop with when the name loses its owner; None to
        keep following a name that comes and goes (a D-Bus activated service)."""
        self.link = link
        self.queue = queue
        self.owner = owner
        self._left = left

    async def next(self, wait: float | None = None) -> Message | None:
        """The next signal from the owner, or None when the name got a new owner (read
        everything again) or `wait` seconds passed with nothing (time to poll).

        Raises WatcherUnavailable when the bus hangs up or, with `left`, the name leaves.
        """
        while True:
            message = await self._receive(wait)
            if message is None:
                return None
            change = owner_change(message)
            if change is not None:
                self.owner = change[1]
                if self.owner is not None:
                    return None
                if self._left is not None:
                    raise WatcherUnavailable(self._left)
            elif header(message, "sender") == self.owner:
                return message

    def drop_queued(self) -> None:
        """Forget what is already queued: one read for a burst of changes."""
        while not self.queue.empty():
            self.queue.get_nowait()

    async def _receive(self, wait: float | None) -> Message | None:
        try:
            if wait is None:
                return await self.link.next_message(self.queue)
            with contextlib.suppress(asyncio.TimeoutError):
                return await asyncio.wait_for(self.link.next_message(self.queue), wait)
            return None
        except BusLost as error:
            raise WatcherUnavailable(str(error)) from None


@contextlib.asynccontextmanager
async def follow(
    bus: SharedBus, service: Service, rules: Iterable[MatchRule]
) -> AsyncIterator[Followed]:
    """Connected and subscribed to the service's owner changes and `rules`, owner known.

    The owner is required before subscribing too, so a missing service costs
    one lookup and no match rules.
    """
    async with (
        owned(bus, service) as link,
        link.subscribe([name_owner_rule(service.name), *rules]) as queue,
    ):
        owner = await require_owner(link, service)
        yield Followed(link, queue, owner, left=service.left)
