"""`breakd run`: the composition root, the one place that builds the real adapters.

It loads the config, takes the instance lock, builds every part the daemon talks
to for this machine and hands them over; the daemon only wires them. Tests build
the same `DaemonParts` with a fake clock and fake sources instead.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from functools import partial
from typing import TYPE_CHECKING, Any

from breakd import __version__, paths
from breakd.adapters.calendar import SchedulerAlarms
from breakd.adapters.clock_steps import open_clock_steps
from breakd.adapters.dbus.buses import Buses
from breakd.adapters.history import DailyFiles
from breakd.adapters.instance_lock import InstanceLock
from breakd.adapters.select import (
    choose_notifier,
    open_busy_signals,
    open_idle_source,
    open_session_sources,
    working_notifier,
)
from breakd.adapters.storage import JsonStateFile
from breakd.adapters.system_clock import SystemClock
from breakd.adapters.wakeup_timer import open_wakeup_timer
from breakd.adapters.worker import Worker
from breakd.config.effective import config_path, load_effective_config, reload_effective_config
from breakd.config.model import Config
from breakd.daemon import Daemon, DaemonParts, Observer, Watchers
from breakd.ipc.runtime_dir import ensure_private_dir

if TYPE_CHECKING:
    from breakd.adapters.combined import Combined
    from breakd.adapters.supervise import WatchReport

log = logging.getLogger("breakd")


def run_daemon(config_arg: str | None) -> int:
    """Returns the exit code; errors a user can fix raise BreakdError."""
    config = load_effective_config(config_arg, in_child=True)
    configure_logging(config.log.level)
    ensure_private_dir(paths.runtime_dir())
    lock = InstanceLock(paths.lock_path())
    lock.acquire()
    try:
        source = config_path(config_arg)
        log.info(
            "breakd %s running (pid %d); config: %s; control socket: %s%s",
            __version__,
            os.getpid(),
            source if config.source else f"built-in defaults ({source} not found)",
            paths.socket_path(),
            "" if paths.runtime_dir_from_xdg() else " (XDG_RUNTIME_DIR is not set)",
        )
        asyncio.run(_serve(config, config_arg))
    finally:
        lock.release()
    return 0


async def _serve(config: Config, config_arg: str | None) -> None:
    loop = asyncio.get_running_loop()
    daemon = Daemon(config, system_parts(loop, config_arg))
    stopping = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    loop.add_signal_handler(signal.SIGHUP, daemon.reload)
    await daemon.serve(stopping)


def system_parts(loop: asyncio.AbstractEventLoop, config_arg: str | None) -> DaemonParts:
    """The real adapters for this machine; D-Bus watchers share one connection per bus."""
    clock = SystemClock()
    buses = Buses()
    running: dict[str, Combined[Any]] = {}  # the latest of each kind, for the start-up summary

    def watch_session(observe: Observer) -> Watchers:
        from breakd.adapters.session.combined import CombinedSessionEvents

        running["session"] = CombinedSessionEvents(open_session_sources(buses), observe)
        return running["session"].run()

    def watch_busy(config: Config, observe: Observer) -> Watchers | None:
        signals = open_busy_signals(config, buses=buses)
        if not signals:
            running.pop("busy", None)
            return None
        from breakd.adapters.busy.combined import CombinedBusySignals

        running["busy"] = CombinedBusySignals(signals, observe)
        return running["busy"].run()

    def watch_reports() -> list[tuple[str, WatchReport]]:
        return [(kind, report) for kind, watchers in running.items() for report in watchers.reports]

    return DaemonParts(
        clock=clock,
        store=JsonStateFile(paths.state_dir() / "state.json", clock.wall),
        timer=open_wakeup_timer(loop, clock),
        calendar=SchedulerAlarms(loop),
        clock_steps=open_clock_steps(loop, clock),
        socket_path=paths.socket_path(),
        load_config=partial(reload_effective_config, config_arg),
        find_idle_source=open_idle_source,
        idle_calls=Worker("breakd-idle"),
        make_notifier=choose_notifier,
        watch_session=watch_session,
        watch_busy=watch_busy,
        watch_reports=watch_reports,
        history=DailyFiles(paths.history_dir(), clock),
        check_notifier=working_notifier,
    )


def configure_logging(level: str) -> None:
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(
            logging.Formatter("%(asctime)s breakd %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S")
        )
        root.addHandler(handler)
    root.setLevel(level.upper())
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
