"""A private session's pieces, for the desktop tests and the footprint benchmark alike.

Standard library only: the benchmark runs with a plain Python, without pytest.
"""

from __future__ import annotations

import re
from pathlib import Path

STOCK_SESSION_CONFS = (Path("/usr/share/dbus-1/session.conf"), Path("/etc/dbus-1/session.conf"))

SESSION_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")
"""What would lead a test's daemon to the developer's own desktop."""


def fresh_xdg_dirs(root: Path) -> dict[str, str]:
    """A new private config, state, cache, data and runtime dir under `root`, by variable."""
    dirs = {}
    for variable, name in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_RUNTIME_DIR", "runtime"),
    ):
        path = root / name
        path.mkdir(mode=0o700)
        dirs[variable] = str(path)
    return dirs


def write_no_activation_bus_config(directory: Path) -> Path:
    """The stock session.conf without service activation, listening on directory/bus.

    Without `<standard_session_servicedirs/>` the bus never auto-starts dunst or the
    accessibility bus, so "no notification server" really means none. Listening on
    `$XDG_RUNTIME_DIR/bus` lets tests exercise that fallback address too.
    """
    stock_path = next((path for path in STOCK_SESSION_CONFS if path.is_file()), None)
    if stock_path is None:
        raise RuntimeError(f"no stock D-Bus session.conf in {STOCK_SESSION_CONFS}")
    config, removed = re.subn(r"<standard_session_servicedirs\s*/>", "", stock_path.read_text())
    if not removed:
        raise RuntimeError(f"{stock_path} has no <standard_session_servicedirs/>")
    socket_path = directory / "bus"
    # sun_path holds 108 bytes; very deep temp dirs fall back to a socket under /tmp.
    listen = f"unix:path={socket_path}" if len(str(socket_path)) < 100 else "unix:tmpdir=/tmp"
    config = re.sub(r"<listen>.*?</listen>", f"<listen>{listen}</listen>", config)
    # Relative includedirs are resolved against the config file's own folder.
    config = re.sub(
        r"<includedir>(?!/)(.*?)</includedir>",
        lambda match: f"<includedir>{stock_path.parent / match.group(1)}</includedir>",
        config,
    )
    path = directory / "bus-no-activation.conf"
    path.write_text(config)
    return path
