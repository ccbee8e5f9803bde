"""A clock the test moves by hand, so hours pass in microseconds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


class FakeClock:
    def __init__(self, wall: datetime | None = None) -> None:
        self._monotonic = 1000.0
        self._wall = wall or datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)  # a Monday

    def monotonic(self) -> float:
        return self._monotonic

    def wall(self) -> datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        self._monotonic += seconds
        self._step_wall(seconds)

    def jump_wall(self, seconds: float) -> None:
        """NTP or a hand-set clock: wall time moves, monotonic time does not."""
        self._step_wall(seconds)

    def _step_wall(self, seconds: float) -> None:
        # In UTC, then back: local arithmetic on an aware datetime would skip or repeat
        # an hour at a daylight-saving change.
        zone = self._wall.tzinfo
        self._wall = (self._wall.astimezone(timezone.utc) + timedelta(seconds=seconds)).astimezone(
            zone
        )
