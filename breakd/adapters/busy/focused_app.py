"""What the focused window says, for the full-screen watchers of X11 and Wayland alike:
busy while it is full screen, unless its app is on `apps.always_interrupt`, and while
its app is on `apps.never_interrupt`, full screen or not.

Only the reading of the window differs between the two (EWMH properties, the
compositor's window list); the rules, and how the config sets them, are here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from breakd.adapters.busy import Reading
from breakd.core import busy_reasons

if TYPE_CHECKING:
    from breakd.config.model import DontInterruptConfig

_Signal = TypeVar("_Signal", bound="FocusedAppSignal")


class FocusedAppSignal:
    """The display to watch and the app lists; `reading` turns a focused window into reasons."""

    def __init__(
        self,
        display: str | None = None,
        always_interrupt: Iterable[str] = (),
        never_interrupt: Iterable[str] = (),
        fullscreen: bool = True,
    ) -> None:
        """`display` defaults to the session's when watching starts; `fullscreen` False
        watches only for the never-interrupt apps."""
        self._display = display
        self._fullscreen = fullscreen
        self._always = {name.casefold() for name in always_interrupt}
        self._never = {name.casefold() for name in never_interrupt}

    @classmethod
    def from_settings(cls: type[_Signal], settings: DontInterruptConfig) -> _Signal:
        """Full screen counts while `signals.fullscreen` is on; the never list works either way."""
        apps = settings.apps
        return cls(
            always_interrupt=apps.always_interrupt,
            never_interrupt=apps.never_interrupt,
            fullscreen=settings.signals.fullscreen,
        )

    def reasons(self, names: Sequence[str], fullscreen: bool) -> set[str]:
        """The reasons of one focused window, known by `names` (any matches the lists; the
        last names the app in the reason), full screen or not."""
        app = (names[-1] if names else "unknown").casefold()
        folded = {name.casefold() for name in names}
        reasons = set()
        if folded & self._never:
            reasons.add(busy_reasons.reason(busy_reasons.APP, app))
        if fullscreen and self._fullscreen and not folded & self._always:
            reasons.add(busy_reasons.reason(busy_reasons.FULLSCREEN, app))
        return reasons

    def reading(self, names: Sequence[str], fullscreen: bool) -> Reading:
        return Reading.of(self.reasons(names, fullscreen))
