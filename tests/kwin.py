"""A headless KWin (KDE Plasma's compositor, Debian's kwin-wayland 5.27) for tests: the one
compositor in Debian 12 that offers ext_idle_notifier_v1 (version 1).

`kwin_wayland --virtual` draws into memory (llvmpipe) and reads no input device. It
runs from a copy of the program: Debian gives /usr/bin/kwin_wayland the file capability
cap_sys_resource, and where the container's bounding set lacks it (as here) the exec
fails with EPERM; a copy has no capabilities. The copy keeps the name kwin_wayland,
since KWin's built-in Qt platform plugin loads only in a program of that name. It runs
with a HOME, runtime dir and config of its own and no session bus, so it touches
neither the tests' shared desktop nor the machine's config, and is stopped by PID.

Nothing can type into it: KWin offers the virtual-keyboard and fake-input protocols
only to its own input method and to programs it trusts. Activity comes instead from
`org_kde_kwin_idle_timeout.simulate_user_activity`, which KWin handles as it handles
input for idle: every idle notification, ext-idle-notify's too, starts again and
says resumed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from breakd.adapters.wayland import protocols
from breakd.adapters.wayland.connection import WaylandConnection
from breakd.adapters.wayland.protocols import Message
from tests.desktop import START_TIMEOUT, _log_tail, require_tools, stop_process, wait_until

SIMULATE_USER_ACTIVITY = Message("org_kde_kwin_idle_timeout", "simulate_user_activity", 1, "")
"""A request breakd itself never sends; test_wayland_xml.py checks it with the rest."""


@dataclass
class KWin:
    display: str
    """The absolute path of KWin's socket."""
    process: subprocess.Popen[bytes]

    def simulate_activity(self) -> None:
        """User activity as KWin counts it for idle, from a client of its own; back once
        KWin has handled it."""
        connection = WaylandConnection(self.display)
        try:
            idle = connection.bind(protocols.KDE_IDLE, 1)
            seat = connection.bind("wl_seat", 1)
            timeout = connection.new_id()
            connection.send(idle, protocols.KDE_GET_IDLE_TIMEOUT, timeout, seat, 60_000)
            connection.send(timeout, SIMULATE_USER_ACTIVITY)
            connection.round_trip("simulated activity")
        finally:
            connection.close()

    def stop(self) -> None:
        stop_process(self.process)


@contextmanager
def kwin_session() -> Iterator[KWin]:
    """Headless KWin, stopped by PID after. Skips when it is not installed (fails under
    BREAKD_REQUIRE_DESKTOP=1)."""
    require_tools("kwin_wayland")
    directory = Path(tempfile.mkdtemp(prefix="breakd-kwin-"))
    try:
        directory.chmod(0o700)
        program = directory / "bin" / "kwin_wayland"
        program.parent.mkdir()
        shutil.copy(shutil.which("kwin_wayland") or "kwin_wayland", program)  # no xattrs
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(directory),
            "XDG_RUNTIME_DIR": str(directory),
            "XDG_CONFIG_HOME": str(directory / "config"),
            "XDG_DATA_HOME": str(directory / "data"),
            "XDG_CACHE_HOME": str(directory / "cache"),
            "QT_QPA_PLATFORM": "",
        }
        log_path = directory / "kwin.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [
                    *(str(program), "--virtual", "--socket", "wayland-kwin"),
                    *("--no-lockscreen", "--no-global-shortcuts", "--no-kactivities"),
                ],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        kwin = KWin(str(directory / "wayland-kwin"), process)
        try:

            def listening() -> bool:
                if process.poll() is not None:
                    raise RuntimeError(
                        f"kwin_wayland exited (rc={process.returncode}):\n{_log_tail(log_path)}"
                    )
                return Path(kwin.display).is_socket()

            wait_until(listening, START_TIMEOUT, 0.02, "KWin made no Wayland socket")
            yield kwin
        finally:
            kwin.stop()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
