"""The one place that looks at the platform and picks the adapters that run here."""

from __future__ import annotations

import logging
import sys

from breakd.adapters.idle import IdleSource, IdleSourceUnavailable
from breakd.adapters.notify import AnswerHandler, Notifier, NotifierError
from breakd.adapters.notify.fallback import FallbackNotifier
from breakd.adapters.notify.log_notifier import LogNotifier

log = logging.getLogger(__name__)


def open_idle_source() -> tuple[IdleSource | None, str]:
    """The idle source for this desktop, or None and one sentence saying why there is none."""
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        from breakd.adapters.idle.x11 import X11IdleSource

        try:
            source = X11IdleSource()
        except IdleSourceUnavailable as error:
            return None, f"X11 idle time: {error}"
        return source, f"{source.name}: the X server's MIT-SCREEN-SAVER idle time"
    return None, f"breakd has no idle source for {sys.platform} yet"


def choose_notifier(backend: str, answer: AnswerHandler) -> Notifier:
    """`log` writes reminders to the log; `plyer` and `auto` use plyer, falling back to the log."""
    if backend == "log":
        return LogNotifier()
    try:
        from breakd.adapters.notify.plyer_notifier import PlyerNotifier

        primary: Notifier = PlyerNotifier()
    except NotifierError as error:
        log.warning("%s; reminders go to the log instead", error)
        return LogNotifier()
    return FallbackNotifier([primary, LogNotifier()])
