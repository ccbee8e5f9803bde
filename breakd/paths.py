"""Where breakd keeps its files, per platform, honouring the XDG variables.

The CLI calls `socket_path()` on every command, so the common case (XDG_RUNTIME_DIR
set) is answered without importing platformdirs, which costs more than the rest
of a `breakd status` round trip.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "breakd"


def config_file() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False) / "config.yaml"


def state_dir() -> Path:
    from platformdirs import user_state_path

    return user_state_path(APP, appauthor=False)


def runtime_dir() -> Path:
    """The private directory for the socket and the instance lock (not created here)."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    if base and os.path.isabs(base):
        return Path(base) / APP
    from platformdirs import user_runtime_path

    candidate = user_runtime_path(appauthor=False)
    if candidate.is_dir() and os.access(candidate, os.W_OK):
        return candidate / APP
    import tempfile

    return Path(tempfile.gettempdir()) / f"{APP}-{os.getuid()}"


def socket_path() -> Path:
    return runtime_dir() / "control.sock"


def lock_path() -> Path:
    return runtime_dir() / "daemon.lock"
