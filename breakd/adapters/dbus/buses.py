"""Sharing bus connections between adapters: asyncio ones for watchers, blocking ones for
the idle sources tried in turn.

Nothing here connects before an adapter asks, and jeepney is imported only then:
an idle daemon with no bus in use carries none of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from breakd.adapters.dbus.address import Bus, BusUnavailable, bus_address

if TYPE_CHECKING:
    from breakd.adapters.dbus.blocking import BlockingBus
    from breakd.adapters.dbus.link import SharedBus


class Buses:
    """One shared connection per bus for everything that watches it: session sources
    and busy signals handed the same Buses use the same two connections."""

    def __init__(self) -> None:
        self._shared: dict[Bus, SharedBus] = {}

    def get(self, bus: Bus) -> SharedBus:
        if bus not in self._shared:
            from breakd.adapters.dbus.link import SharedBus  # jeepney: only when a bus is used

            self._shared[bus] = SharedBus(bus)
        return self._shared[bus]


class TriedBuses:
    """One blocking connection per bus for adapters tried one after the other (the idle
    sources): the first that works keeps it, and `close` closes what nobody took.

    A bus that could not be reached is not tried again: each later `get` raises the
    same BusUnavailable sentence.
    """

    def __init__(self) -> None:
        self._open: dict[Bus, BlockingBus] = {}
        self._failed: dict[Bus, str] = {}

    def get(self, bus: Bus) -> BlockingBus:
        """The connection; BusUnavailable with the reason when there is none."""
        if bus in self._failed:
            raise BusUnavailable(self._failed[bus])
        if bus not in self._open:
            try:
                bus_address(bus)  # no address: no jeepney imported either
                from breakd.adapters.dbus.blocking import BlockingBus

                self._open[bus] = BlockingBus(bus)
            except BusUnavailable as error:
                self._failed[bus] = str(error)
                raise
        return self._open[bus]

    def hand_over(self, bus: Bus) -> None:
        """The adapter that works owns the connection now, and will close it."""
        self._open.pop(bus, None)

    def close(self) -> None:
        for connection in self._open.values():
            connection.close()
        self._open.clear()
